"""ember.d2l: the book's helpers (SPEC D1, R1-R4, C2)."""

import gzip
import os
import random
import subprocess
import sys

import numpy as np
import pytest

import ember as torch
from ember import d2l

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def assert_png(path):
    with open(path, "rb") as file:
        head = file.read(8)
    assert head == PNG_MAGIC, f"{path} is not a PNG"
    assert os.path.getsize(path) > 1000


@pytest.fixture(autouse=True)
def seeded():
    torch.manual_seed(0)
    random.seed(0)
    yield
    d2l.plt.close("all")


# R1 - R4: linear regression from scratch ----------------------------------------


def test_synthetic_data_shapes_and_noise():
    true_w, true_b = torch.tensor([2, -3.4]), 4.2
    features, labels = d2l.synthetic_data(true_w, true_b, 1000)
    assert features.shape == (1000, 2) and labels.shape == (1000, 1)
    assert features.dtype == torch.float32 and labels.dtype == torch.float32
    noise = labels.reshape(-1) - (torch.matmul(features, true_w) + true_b)
    assert 0.005 < float(noise.std()) < 0.02
    assert abs(float(features.mean())) < 0.1 and abs(float(features.std()) - 1) < 0.1


def test_data_iter_shuffles_covers_and_ends_short():
    features = torch.arange(25.0).reshape(25, 1)
    labels = torch.arange(25.0)
    batches = list(d2l.data_iter(10, features, labels))
    assert [len(X) for X, _ in batches] == [10, 10, 5]
    seen = torch.cat([X.reshape(-1) for X, _ in batches]).tolist()
    assert sorted(seen) == list(range(25)) and seen != list(range(25))
    for X, y in batches:
        assert torch.equal(X.reshape(-1), y)


def test_data_iter_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="differ in length"):
        next(d2l.data_iter(2, torch.zeros(4, 2), torch.zeros(3)))


def test_linreg_and_squared_loss():
    X = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    w, b = torch.tensor([[1.0], [-1.0]]), torch.tensor([0.5])
    y_hat = d2l.linreg(X, w, b)
    assert y_hat.tolist() == [[-0.5], [-0.5]]
    loss = d2l.squared_loss(y_hat, torch.tensor([0.5, 1.5]))
    assert loss.shape == (2, 1) and loss.tolist() == [[0.5], [2.0]]


def test_sgd_steps_and_clears_gradients():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    d2l.sgd((p for p in [w]), lr=0.5, batch_size=2)  # a generator too, as net.parameters()
    assert w.tolist() == [0.5, 1.0] and w.grad.tolist() == [0.0, 0.0]


def test_sgd_refuses_a_parameter_without_a_gradient_before_stepping_any():
    """The book's sgd fails on None's arithmetic after stepping the others; skipping it
    trained a model whose forgotten requires_grad=True left b at 0, silently."""
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    unused = torch.tensor([5.0], requires_grad=True)
    (w * w).sum().backward()
    with pytest.raises(TypeError, match=r"parameter 1 \(shape \[1\]\) has no gradient"):
        d2l.sgd([w, unused], lr=0.5, batch_size=2)
    assert w.tolist() == [1.0, 2.0] and w.grad.tolist() == [2.0, 4.0]


def test_from_scratch_training_converges():
    """The notes' Task03 loop, verbatim in shape: lr 0.03, 3 epochs, batch 10."""
    true_w, true_b = torch.tensor([2, -3.4]), 4.2
    features, labels = d2l.synthetic_data(true_w, true_b, 1000)
    w = torch.normal(0, 0.01, size=(2, 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    lr, num_epochs, batch_size = 0.03, 3, 10
    net, loss = d2l.linreg, d2l.squared_loss
    losses = []
    for _ in range(num_epochs):
        for X, y in d2l.data_iter(batch_size, features, labels):
            loss(net(X, w, b), y).sum().backward()
            d2l.sgd([w, b], lr, batch_size)
        with torch.no_grad():
            losses.append(float(loss(net(features, w, b), labels).mean()))
    assert losses[0] < 0.1 and losses[-1] < 1e-3
    assert (true_w - w.reshape(true_w.shape)).abs().max().item() < 0.01
    assert abs(true_b - b.item()) < 0.01


# D1: counting and evaluating ----------------------------------------------------


def test_accumulator_and_timer():
    metric = d2l.Accumulator(2)
    metric.add(1, torch.tensor(2.0))
    metric.add(3.5, 1)
    assert metric[0] == 4.5 and metric[1] == 3.0 and len(metric) == 2
    with pytest.raises(ValueError, match="expected 2 values"):
        metric.add(1)
    metric.reset()
    assert metric.data == [0.0, 0.0]
    timer = d2l.Timer()
    timer.stop()
    timer.start()
    timer.stop()
    assert len(timer.times) == 2 and timer.sum() >= 0
    assert timer.cumsum()[-1] == pytest.approx(timer.sum())
    assert timer.avg() == pytest.approx(timer.sum() / 2)


def test_accuracy_counts_correct_predictions():
    y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    y = torch.tensor([0, 2])
    assert d2l.accuracy(y_hat, y) == 1.0
    assert d2l.accuracy(torch.tensor([1, 2, 2]), torch.tensor([1, 2, 0])) == 2.0


def test_accuracy_refuses_a_label_count_other_than_the_predictions():
    """(n, 1) labels are read as n labels; another count is refused by name (the book's
    broadcast compares every prediction with every label)."""
    y_hat = torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]])
    assert d2l.accuracy(y_hat, torch.tensor([[1], [0], [0]])) == 2.0
    with pytest.raises(ValueError, match=r"2 labels \(shape \[2\]\) for 3 predictions"):
        d2l.accuracy(y_hat, torch.tensor([1, 0]))


def test_evaluating_over_no_example_and_timing_no_lap_are_refused():
    """The book's helpers divide by zero there; a 0.0 would read as a score or a time."""
    with pytest.raises(ValueError, match="evaluate_accuracy: the data gave no examples"):
        d2l.evaluate_accuracy(lambda X: X, [])
    with pytest.raises(ValueError, match="evaluate_loss: the data gave no examples"):
        d2l.evaluate_loss(lambda X: X, [], lambda a, b: a - b)
    with pytest.raises(ValueError, match="no lap yet"):
        d2l.Timer().avg()


def test_evaluate_loss_puts_a_module_back_in_the_mode_it_found():
    """A training loop that reports a held-out loss each epoch goes on with dropout."""
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Dropout(0.5), torch.nn.Linear(4, 1))
    data = [(torch.ones(3, 2), torch.ones(3, 1))]
    losses = torch.nn.MSELoss(reduction="none")
    d2l.evaluate_loss(net, data, losses)
    assert net.training and net[1].training
    net.eval()
    d2l.evaluate_loss(net, data, losses)
    assert not net.training


def batches_of(X, y, size):
    return [(X[i : i + size], y[i : i + size]) for i in range(0, len(X), size)]


def test_evaluate_accuracy_and_loss():
    X = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
    y = torch.tensor([0, 1, 1, 1, 0])
    data = batches_of(X, y, 2)
    assert d2l.evaluate_accuracy(lambda X: X, data) == pytest.approx(0.8)
    targets = torch.ones(5, 1)
    mean_loss = d2l.evaluate_loss(
        lambda X: X[:, :1], batches_of(X, targets, 2), lambda a, b: (a - b) ** 2
    )
    assert mean_loss == pytest.approx(2 / 5)


def softmax_problem(n=200, seed=0):
    """Three linearly separable blobs in 2-d."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    centres = np.array([[3.0, 0.0], [-3.0, 0.0], [0.0, 3.0]])
    X = centres[y] + rng.normal(0, 0.5, (n, 2))
    return torch.tensor(X.astype(np.float32)), torch.tensor(y)


def cross_entropy(y_hat, y):
    return -torch.log(y_hat[torch.arange(len(y_hat)), y])


def test_train_ch3_with_a_function_updater_saves_its_figure(tmp_path):
    X, y = softmax_problem()
    W = torch.normal(0, 0.01, size=(2, 3), requires_grad=True)
    b = torch.zeros(3, requires_grad=True)

    def net(X):
        scores = torch.exp(torch.matmul(X, W) + b)
        return scores / scores.sum(1, keepdim=True)

    def updater(batch_size):
        d2l.sgd([W, b], 0.1, batch_size)

    train, test = batches_of(X[:150], y[:150], 25), batches_of(X[150:], y[150:], 25)
    path = tmp_path / "curves.png"
    loss, train_acc, test_acc = d2l.train_ch3(net, train, test, cross_entropy, 3, updater, path)
    assert loss < 0.5 and train_acc > 0.9 and test_acc > 0.9
    assert_png(path)


class PlainSGD:
    """An optimizer by duck type: zero_grad() and step()."""

    def __init__(self, params, lr):
        self.params, self.lr = params, lr

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    def step(self):
        with torch.no_grad():
            for p in self.params:
                p -= self.lr * p.grad


def test_train_epoch_ch3_with_an_optimizer():
    X, y = softmax_problem()
    W = torch.zeros(2, 3, requires_grad=True)

    def net(X):
        scores = torch.exp(torch.matmul(X, W))
        return scores / scores.sum(1, keepdim=True)

    before = d2l.evaluate_accuracy(net, batches_of(X, y, 50))
    loss, acc = d2l.train_epoch_ch3(net, batches_of(X, y, 20), cross_entropy, PlainSGD([W], 0.5))
    assert 0 < loss < 1.2 and acc > 0.5
    assert d2l.evaluate_accuracy(net, batches_of(X, y, 50)) > max(before, 0.9)


# D1, C2, R2: plots without a display --------------------------------------------


def test_plot_tangent_line_to_png(tmp_path):
    def f(x):
        return 3 * x**2 - 4 * x

    x = torch.arange(0, 3, 0.1)
    axes = d2l.plot(x, [f(x), 2 * x - 3], "x", "f(x)", legend=["f(x)", "Tangent line (x=1)"])
    assert len(axes.lines) == 2 and axes.get_xlabel() == "x"
    path = d2l.savefig(tmp_path / "sub" / "tangent.png")
    assert_png(path)


def test_plot_one_series_and_options():
    axes = d2l.plot(torch.tensor([1.0, 4.0, 9.0]), yscale="log", xlim=[0, 2])
    assert len(axes.lines) == 1 and axes.get_yscale() == "log"
    assert axes.lines[0].get_ydata().tolist() == [1.0, 4.0, 9.0]
    axes = d2l.plot([0, 1, 2], [[0, 1, 2], [2, 1, 0], [1, 1, 1]])
    assert len(axes.lines) == 3


def test_set_figsize_and_scatter(tmp_path):
    d2l.set_figsize((4, 3))
    assert tuple(d2l.plt.rcParams["figure.figsize"]) == (4, 3)
    features, labels = d2l.synthetic_data(torch.tensor([2, -3.4]), 4.2, 100)
    d2l.plt.figure()
    d2l.plt.scatter(features[:, 1].detach().numpy(), labels.detach().numpy(), 1)
    d2l.plt.savefig(tmp_path / "scatter.png")
    assert_png(tmp_path / "scatter.png")
    d2l.set_figsize()


def test_set_axes():
    _, axes = d2l.plt.subplots()
    axes.plot([1, 2], [3, 4])
    d2l.set_axes(axes, "epoch", "loss", [1, 2], [1, 5], "linear", "log", ["train"])
    assert axes.get_xlim() == (1, 2) and axes.get_yscale() == "log"
    assert axes.get_legend().get_texts()[0].get_text() == "train"


def test_animator_collects_points_and_saves(tmp_path):
    animator = d2l.Animator(xlabel="epoch", legend=["a", "b"], path=tmp_path / "anim.png")
    for epoch in range(1, 4):
        animator.add(epoch, (epoch * 0.1, None if epoch == 2 else 1.0))
    assert animator.X == [[1, 2, 3], [1, 3]] and animator.Y[1] == [1.0, 1.0]
    assert_png(animator.save())
    animator.close()


def test_animator_saves_its_final_figure_at_exit(tmp_path):
    script = (
        "from ember import d2l\n"
        "a = d2l.Animator(legend=['loss'])\n"
        "for i in range(5): a.add(i, i * i)\n"
    )
    env = dict(os.environ, EMBER_FIGURE_DIR=str(tmp_path), MPLBACKEND="Agg")
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=60)
    assert_png(tmp_path / "animator.png")


def test_animators_saved_without_a_path_do_not_overwrite_each_other(tmp_path):
    """Two train_ch3 runs in one script drew two figures; the second replaced the first."""
    script = (
        "from ember import d2l\n"
        "first = d2l.Animator(legend=['loss'])\n"
        "first.add(1, 1.0)\n"
        "print(first.save())\n"
        "second = d2l.Animator(legend=['acc'])\n"
        "second.add(1, 0.5)\n"
        "print(second.save())\n"
        "print(first.save())\n"
        "third = d2l.Animator()\n"
        "third.add(1, 0.1)\n"  # unsaved: written at exit
    )
    env = dict(os.environ, EMBER_FIGURE_DIR=str(tmp_path), MPLBACKEND="Agg")
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    )
    names = [os.path.basename(line) for line in done.stdout.splitlines()]
    assert names == ["animator.png", "animator-2.png", "animator.png"]
    for name in ("animator.png", "animator-2.png", "animator-3.png"):
        assert_png(tmp_path / name)


def test_matplotlib_is_imported_when_the_first_figure_is_drawn():
    script = (
        "import sys\n"
        "from ember import d2l\n"
        "import ember.cli.main\n"
        "print('matplotlib' in sys.modules)\n"
        "d2l.plt.figure()\n"
        "print(sys.modules['matplotlib'].get_backend().lower())\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("MPLBACKEND", None)
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, timeout=60, capture_output=True
    )
    imported_early, backend = result.stdout.decode().split()
    assert imported_early == "False"  # ember fit/predict/--help start without matplotlib
    if sys.platform.startswith("linux"):
        assert backend == "agg"  # no display: figures go to files


def test_star_import_gives_every_helper_and_plt():
    names = {}
    exec("from ember.d2l import *", names)
    assert names["plt"].__name__ == "matplotlib.pyplot"
    assert {"synthetic_data", "Animator", "train_ch3", "set_figsize"} <= set(names)


def test_use_svg_display_outside_a_notebook_is_harmless():
    assert not d2l.in_notebook()
    d2l.use_svg_display()
    d2l.show()


# D1: Fashion-MNIST from local IDX files ------------------------------------------


def write_idx(path, array):
    codes = {np.dtype(np.uint8): 0x08}
    header = bytes([0, 0, codes[array.dtype], array.ndim])
    header += b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "wb") as file:
        file.write(header + array.tobytes())


def tiny_fashion_mnist(folder, n_train=12, n_test=8, gz=True):
    rng = np.random.default_rng(0)
    suffix = ".gz" if gz else ""
    os.makedirs(folder, exist_ok=True)
    for split, n in (("train", n_train), ("t10k", n_test)):
        images = rng.integers(0, 256, (n, 28, 28)).astype(np.uint8)
        labels = (np.arange(n) % 10).astype(np.uint8)
        write_idx(os.path.join(folder, f"{split}-images-idx3-ubyte{suffix}"), images)
        write_idx(os.path.join(folder, f"{split}-labels-idx1-ubyte{suffix}"), labels)
    return folder


@pytest.mark.parametrize("gz", [True, False])
def test_read_idx_gzipped_or_not(tmp_path, gz):
    tiny_fashion_mnist(tmp_path, gz=gz)
    suffix = ".gz" if gz else ""
    images = d2l.read_idx(tmp_path / f"train-images-idx3-ubyte{suffix}")
    labels = d2l.read_idx(tmp_path / f"train-labels-idx1-ubyte{suffix}")
    assert images.shape == (12, 28, 28) and images.dtype == np.uint8
    assert labels.tolist() == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]


def test_read_idx_rejects_other_files(tmp_path):
    (tmp_path / "bad").write_bytes(b"hello world")
    with pytest.raises(ValueError, match="not an IDX file"):
        d2l.read_idx(tmp_path / "bad")
    write_idx(tmp_path / "short", np.zeros((3, 2), np.uint8))
    (tmp_path / "short").write_bytes((tmp_path / "short").read_bytes()[:-1])
    with pytest.raises(ValueError, match="header promises shape"):
        d2l.read_idx(tmp_path / "short")


def test_missing_fashion_mnist_says_where_to_put_it(tmp_path):
    with pytest.raises(FileNotFoundError) as caught:
        d2l.load_data_fashion_mnist(4, root=str(tmp_path))
    message = str(caught.value)
    assert str(tmp_path) in message and "train-images-idx3-ubyte" in message
    assert "fashion-mnist" in message and "EMBER_DATA" in message


def test_load_data_fashion_mnist_from_local_files(tmp_path):
    pytest.importorskip("ember.utils.data")
    tiny_fashion_mnist(tmp_path / "FashionMNIST" / "raw")
    train_iter, test_iter = d2l.load_data_fashion_mnist(5, root=str(tmp_path))
    X, y = next(iter(train_iter))
    assert X.shape == (5, 1, 28, 28) and X.dtype == torch.float32 and y.dtype == torch.int64
    assert 0 <= float(X.min()) and float(X.max()) <= 1
    assert sum(len(y) for _, y in test_iter) == 8
    train_iter, _ = d2l.load_data_fashion_mnist(4, resize=14, root=str(tmp_path))
    assert next(iter(train_iter))[0].shape == (4, 1, 14, 14)


def test_resize_keeps_constant_images_constant_and_shrinks_by_averaging():
    from ember.d2l.fashion_mnist import resize_images

    constant = np.full((2, 28, 28), 0.25, np.float32)
    assert np.allclose(resize_images(constant, (7, 9)), 0.25)
    checker = np.indices((4, 4)).sum(0)[None].astype(np.float32) % 2
    assert np.allclose(resize_images(checker, 2), 0.5)


def test_labels_and_show_images_and_predict_ch3():
    assert d2l.get_fashion_mnist_labels(torch.tensor([0, 9])) == ["t-shirt", "ankle boot"]
    images = torch.rand(3, 1, 28, 28)
    axes = d2l.show_images(images.reshape(3, 28, 28), 1, 3, titles=["a", "b", "c"])
    assert [ax.get_title() for ax in axes] == ["a", "b", "c"]
    labels = torch.tensor([1, 2, 3])
    axes = d2l.predict_ch3(lambda X: torch.ones(len(X), 10), [(images, labels)], n=6)
    assert axes[0].get_title() == "trouser\nt-shirt" and len(axes) == 3


# D1: the book's short names ------------------------------------------------------


def test_aliases():
    x = d2l.arange(6, dtype=d2l.float32)
    assert d2l.reshape(x, (2, 3)).shape == (2, 3)
    assert d2l.size(x) == 6 and d2l.reduce_sum(x).item() == 15
    assert d2l.reduce_mean(d2l.reshape(x, (2, 3)), dim=1).tolist() == [1.0, 4.0]
    assert d2l.argmax(d2l.reshape(x, (2, 3)), dim=1).tolist() == [2, 2]
    assert d2l.astype(x, d2l.int32).dtype == torch.int32
    assert isinstance(d2l.numpy(x.requires_grad_()), np.ndarray)
    assert d2l.transpose(d2l.ones(2, 3)).shape == (3, 2)
    assert d2l.zeros((2, 2)).sum().item() == 0 and d2l.tensor([1.0]).dtype == torch.float32
    assert d2l.matmul(d2l.ones(2, 3), d2l.ones(3)).tolist() == [3.0, 3.0]
    assert d2l.concat((d2l.ones(1), d2l.zeros(1))).tolist() == [1.0, 0.0]
    assert d2l.normal(0, 1, (3,)).shape == (3,) and d2l.exp(d2l.zeros(1)).item() == 1.0
    assert d2l.to(x, d2l.float64).dtype == torch.float64


def test_load_array_batches_like_the_book():
    pytest.importorskip("ember.utils.data")
    features, labels = torch.arange(20.0).reshape(10, 2), torch.arange(10.0)
    batches = list(d2l.load_array((features, labels), 4, is_train=False))
    assert [len(X) for X, _ in batches] == [4, 4, 2]
    assert torch.equal(batches[0][0], features[:4])
    shuffled = torch.cat([y for _, y in d2l.load_array((features, labels), 4)])
    assert sorted(shuffled.tolist()) == labels.tolist()


def test_book_chapter3_concise_softmax_on_tiny_fashion_mnist(tmp_path):
    """The book's concise softmax regression, end to end, on IDX files written here."""
    nn = pytest.importorskip("ember.nn")
    optim = pytest.importorskip("ember.optim")
    folder = tmp_path / "data"
    os.makedirs(folder)
    rng = np.random.default_rng(1)
    for split, n in (("train", 60), ("t10k", 20)):
        labels = (np.arange(n) % 2).astype(np.uint8)
        images = rng.integers(0, 40, (n, 28, 28)).astype(np.uint8)
        images[labels == 1, :14] += 200  # class 1: a bright top half
        write_idx(folder / f"{split}-images-idx3-ubyte.gz", images)
        write_idx(folder / f"{split}-labels-idx1-ubyte.gz", labels)
    train_iter, test_iter = d2l.load_data_fashion_mnist(10, root=str(folder))
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
    net[1].weight.data.normal_(0, 0.01)
    loss = nn.CrossEntropyLoss(reduction="none")
    trainer = optim.SGD(net.parameters(), lr=0.1)
    path = tmp_path / "ch3.png"
    train_loss, train_acc, test_acc = d2l.train_ch3(
        net, train_iter, test_iter, loss, 3, trainer, path=path
    )
    assert train_acc > 0.9 and test_acc > 0.9 and train_loss < 0.5
    assert not net.training  # evaluate_accuracy left it in eval mode, as the book's does
    assert_png(path)
    axes = d2l.predict_ch3(net, test_iter, n=4)
    assert len(axes) == 4 and axes[0].get_title().count("\n") == 1
