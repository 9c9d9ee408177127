# %% [markdown]
# # Task02 §1 — data operations (数据操作)
#
# Creating tensors, changing their shape, element-wise arithmetic, joining,
# comparing, broadcasting, indexing and slicing, memory, and NumPy conversion,
# in the order the notes go through them. Only the import differs from PyTorch.

# %%
import ember as torch

x = torch.arange(12)  # an evenly spaced sequence
print(x)
print(x.shape, x.numel())

# %% Changing the shape: 12 elements as 3 rows of 4; -1 lets ember work out one dim
X = x.reshape(3, 4)
print(X)
print(x.reshape(-1, 4).shape, x.reshape(3, -1).shape)

# %% All zeros, all ones, random numbers, and values given by hand
print(torch.zeros((2, 3, 4)))  # two 3x4 matrices
print(torch.ones((2, 3, 4)).sum())
print(torch.rand(2, 3, 4).shape == torch.rand((2, 3, 4)).shape)  # both ways to give a shape
print(torch.randn(3, 4).shape)  # standard normal
print(torch.tensor([[2, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]]))

# %% A (1, 3, 4) tensor flattened into a 3x4 matrix (the notes' aside on shapes)
matrix = torch.randn(1, 3, 4).reshape(3, 4)
print(matrix.shape)

# %% Element-wise arithmetic, the power operator and exp
x = torch.tensor([1.0, 2, 4, 8])
y = torch.tensor([2, 2, 2, 2])
print(x + y, x - y, x * y, x / y, x**y, sep="\n")
print(torch.exp(x))

# %% Joining along rows (dim 0) and columns (dim 1)
X = torch.arange(12, dtype=torch.float32).reshape((3, 4))
Y = torch.tensor([[2.0, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])
print(torch.cat((X, Y), dim=0))
print(torch.cat((X, Y), dim=1))

# %% Comparison gives a tensor of booleans; sum adds every element
print(X == Y)
print(X.sum())

# %% Broadcasting: a (3, 1) and b (1, 2) both stretch to (3, 2)
a = torch.arange(3).reshape((3, 1))
b = torch.arange(2).reshape((1, 2))
print(a, b, a + b, sep="\n")

# %% Indexing and slicing: the last row, rows 1 and 2 (half-open), every 3rd row and 2nd column
print(X[-1], X[1:3], sep="\n")
print(X[::3, ::2])
X[1, 2] = 9  # write one element
X[0:2, :] = 12  # write a whole region
print(X)

# %% Memory: Y = Y + X makes a new tensor; slice assignment and += work in place
before = id(Y)
Y = Y + X
print(id(Y) == before)  # False
Z = torch.zeros_like(Y)
print("id(Z):", id(Z))
Z[:] = X + Y
print("id(Z):", id(Z))
before = id(X)
X += Y
print(id(X) == before)  # True

# %% To NumPy and back; a one-element tensor becomes a Python number
A = X.numpy()
B = torch.tensor(A)
print(type(A).__name__, type(B).__name__)
a = torch.tensor([3.5])
print(a, a.item(), float(a), int(a))
