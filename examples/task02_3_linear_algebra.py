# %% [markdown]
# # Task02 §3 — linear algebra (线性代数)
#
# Scalars, vectors, matrices and tensors; reductions along axes (the axis you
# name is the one that disappears from the shape); products and norms. The
# last cell solves a small least-squares problem in closed form (解析解).

# %%
import ember as torch

# %% 3.1 Scalars
x, y = torch.tensor(3.0), torch.tensor(2.0)
print(x + y, x * y, x / y, x**y)

# %% 3.2 Vectors
x = torch.arange(4)
print(x, x[3], len(x), x.shape)

# %% 3.3 Matrices; a symmetric matrix equals its transpose
A = torch.arange(20).reshape(5, 4)
print(A)
print(A.T)
B = torch.tensor([[1, 2, 3], [2, 0, 4], [3, 4, 5]])
print(B == B.T)

# %% Tensors with more axes, and element-wise operations keep the shape
X = torch.arange(24).reshape(2, 3, 4)
print(X)
A = torch.arange(20, dtype=torch.float32).reshape(5, 4)
B = A.clone()
print(A + B)
print(A * B)  # the Hadamard product
a = 2
print(a + X, (a * X).shape)

# %% Reductions: sum everything, or along an axis (that axis leaves the shape)
x = torch.arange(4, dtype=torch.float32)
print(x.sum())
print(A.shape, A.sum())
A_sum_axis0 = A.sum(axis=0)
print(A_sum_axis0, A_sum_axis0.shape)
A_sum_axis1 = A.sum(axis=1)
print(A_sum_axis1, A_sum_axis1.shape)
print(A.sum(axis=[0, 1]))  # the same as A.sum()

# %% Means
print(A.mean(), A.sum() / A.numel())
print(A.mean(axis=0), A.sum(axis=0) / A.shape[0])

# %% Keeping the axis so the result broadcasts back against A
sum_A = A.sum(axis=1, keepdims=True)
print(sum_A)
print(A / sum_A)  # each row now sums to 1
print(A.cumsum(axis=0))

# %% Dot product, matrix-vector and matrix-matrix products
y = torch.ones(4, dtype=torch.float32)
print(x, y, torch.dot(x, y))
print(torch.sum(x * y))
print(A.shape, x.shape, torch.mv(A, x))
B = torch.ones(4, 3)
print(torch.mm(A, B))

# %% Norms: L2, L1, and the Frobenius norm of a matrix
u = torch.tensor([3.0, -4.0])
print(torch.norm(u))
print(torch.abs(u).sum())
print(torch.norm(torch.ones((4, 9))))

# %% Beyond the notes: solve a linear system, and least squares in closed form
M = torch.tensor([[2.0, 1.0], [1.0, 3.0]])
print(torch.linalg.solve(M, torch.tensor([3.0, 5.0])))
features = torch.tensor([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]])  # intercept column, x
targets = torch.tensor([[1.0], [2.0], [2.0]])
print(torch.linalg.lstsq(features, targets).solution)  # best intercept and slope
