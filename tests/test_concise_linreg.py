"""The book's concise implementations run on ember with one changed import (SPEC N5).

``test_concise_linear_regression`` is the notes' Task03 §1.4 code as the book gives it
(d2l 3.3), with ``import ember as torch`` / ``from ember import nn`` /
``from ember.utils import data`` / ``from ember import d2l``; it must land as close
to the true parameters as the from-scratch version (R4): 0.01.
"""

import contextlib
import io

import numpy as np
import pytest


def test_concise_linear_regression():
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        import ember as torch
        from ember import d2l
        from ember.utils import data

        torch.manual_seed(0)

        # --- the book's code, verbatim from here ---
        true_w = torch.tensor([2, -3.4])
        true_b = 4.2
        features, labels = d2l.synthetic_data(true_w, true_b, 1000)

        def load_array(data_arrays, batch_size, is_train=True):  # @save
            """构造一个PyTorch数据迭代器"""
            dataset = data.TensorDataset(*data_arrays)
            return data.DataLoader(dataset, batch_size, shuffle=is_train)

        batch_size = 10
        data_iter = load_array((features, labels), batch_size)

        next(iter(data_iter))

        # nn是神经网络的缩写
        from ember import nn

        net = nn.Sequential(nn.Linear(2, 1))

        net[0].weight.data.normal_(0, 0.01)
        net[0].bias.data.fill_(0)

        loss = nn.MSELoss()

        trainer = torch.optim.SGD(net.parameters(), lr=0.03)

        num_epochs = 3
        for epoch in range(num_epochs):
            for X, y in data_iter:
                l = loss(net(X), y)  # noqa: E741
                trainer.zero_grad()
                l.backward()
                trainer.step()
            l = loss(net(features), labels)  # noqa: E741
            print(f"epoch {epoch + 1}, loss {l:f}")

        w = net[0].weight.data
        print("w的估计误差：", true_w - w.reshape(true_w.shape))
        b = net[0].bias.data
        print("b的估计误差：", true_b - b)
        # --- end of the book's code ---

    lines = output.getvalue().splitlines()
    assert [line.split(",")[0] for line in lines[:3]] == ["epoch 1", "epoch 2", "epoch 3"]
    assert float(lines[2].split("loss ")[1]) < 0.001
    np.testing.assert_allclose(w.reshape(-1).numpy(), [2, -3.4], atol=0.01)
    assert abs(b.item() - 4.2) < 0.01
    assert lines[3].startswith("w的估计误差： tensor([")


def test_concise_softmax_regression_on_digits():
    """The next section's model (Flatten + Linear, CrossEntropyLoss, SGD) on scikit-learn's
    bundled 8x8 digits: at least 88% accuracy on the last 397 (held-out) images after 10
    epochs; PyTorch, run the same way, reaches 89%."""
    datasets = pytest.importorskip("sklearn.datasets")
    import ember as torch
    from ember import nn
    from ember.utils import data

    digits = datasets.load_digits()
    images = torch.tensor(digits.images.astype(np.float32) / 16.0).reshape(-1, 1, 8, 8)
    targets = torch.tensor(digits.target)
    train_set = data.TensorDataset(images[:1400], targets[:1400])
    test_images, test_targets = images[1400:], targets[1400:]

    torch.manual_seed(0)
    net = nn.Sequential(nn.Flatten(), nn.Linear(64, 10))

    def init_weights(m):
        if type(m) is nn.Linear:
            nn.init.normal_(m.weight, std=0.01)

    net.apply(init_weights)
    loss = nn.CrossEntropyLoss(reduction="none")
    trainer = torch.optim.SGD(net.parameters(), lr=0.5)
    for _ in range(10):
        net.train()
        for X, y in data.DataLoader(train_set, batch_size=32, shuffle=True):
            l = loss(net(X), y)  # noqa: E741
            trainer.zero_grad()
            l.mean().backward()
            trainer.step()
    net.eval()
    with torch.no_grad():
        accuracy = (net(test_images).argmax(axis=1) == test_targets).float().mean().item()
    assert accuracy >= 0.88, accuracy
