# %% [markdown]
# # Task03 §1.4 — linear regression, concise (线性回归的简洁实现)
#
# The same model with the high-level API: `d2l.load_array` (a DataLoader),
# `nn.Sequential(nn.Linear(2, 1))`, `nn.MSELoss` and `optim.SGD`.

# %%
import random

import ember as torch
from ember import d2l, nn, optim

torch.manual_seed(0)
random.seed(0)

# %% The data, and a DataLoader over it
true_w = torch.tensor([2, -3.4])
true_b = 4.2
features, labels = d2l.synthetic_data(true_w, true_b, 1000)

batch_size = 10
data_iter = d2l.load_array((features, labels), batch_size)
print(next(iter(data_iter)))

# %% The model: one fully connected layer, initialised as in the book
net = nn.Sequential(nn.Linear(2, 1))
net[0].weight.data.normal_(0, 0.01)
net[0].bias.data.fill_(0)
print(net)

# %% Loss and optimiser
loss = nn.MSELoss()
trainer = optim.SGD(net.parameters(), lr=0.03)

# %% Training
num_epochs = 3
for epoch in range(num_epochs):
    for X, y in data_iter:
        l = loss(net(X), y)
        trainer.zero_grad()
        l.backward()
        trainer.step()
    l = loss(net(features), labels)
    print(f"epoch {epoch + 1}, loss {l:f}")

# %% How close did we get?
w = net[0].weight.data
print("error in estimating w:", true_w - w.reshape(true_w.shape))
b = net[0].bias.data
print("error in estimating b:", true_b - b)
