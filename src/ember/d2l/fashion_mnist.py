"""Fashion-MNIST from local IDX files: 28x28 grey images of clothes in 10 classes.

Nothing is downloaded. Put the four standard files (gzipped or not) in one
folder and pass it as ``root`` (or set ``EMBER_DATA``):

    train-images-idx3-ubyte.gz  train-labels-idx1-ubyte.gz
    t10k-images-idx3-ubyte.gz   t10k-labels-idx1-ubyte.gz

They are published at https://github.com/zalandoresearch/fashion-mnist.
The layouts torchvision leaves behind (``root/FashionMNIST/raw``) work too.
"""

import gzip
import os

import numpy as np

import ember

TEXT_LABELS = (
    "t-shirt",
    "trouser",
    "pullover",
    "dress",
    "coat",
    "sandal",
    "shirt",
    "sneaker",
    "bag",
    "ankle boot",
)

FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}

# The IDX header's third byte names the element type.
IDX_TYPES = {
    0x08: np.uint8,
    0x09: np.int8,
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def get_fashion_mnist_labels(labels):
    """The text names of numeric Fashion-MNIST labels (a tensor or a list of ints)."""
    return [TEXT_LABELS[int(i)] for i in labels]


def read_idx(path):
    """A NumPy array from one IDX file (gzipped when the name ends in .gz)."""
    opener = gzip.open if os.fspath(path).endswith(".gz") else open
    with opener(path, "rb") as file:
        raw = file.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in IDX_TYPES:
        raise ValueError(f"{path}: not an IDX file (bad magic number {raw[:4].hex()})")
    ndim = raw[3]
    header = 4 + 4 * ndim
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(IDX_TYPES[raw[2]])
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(raw) - header != expected:
        raise ValueError(
            f"{path}: header promises shape {shape} ({expected} bytes of data), "
            f"file holds {len(raw) - header}"
        )
    return np.frombuffer(raw, dtype, offset=header).reshape(shape)


def default_root():
    return os.environ.get("EMBER_DATA", os.path.join("..", "data"))


def find_file(root, name):
    """The path of ``name`` (or ``name.gz``) under ``root`` or its usual subfolders, or None."""
    folders = (root, os.path.join(root, "FashionMNIST", "raw"), os.path.join(root, "fashion-mnist"))
    for folder in folders:
        for candidate in (name, name + ".gz"):
            path = os.path.join(folder, candidate)
            if os.path.isfile(path):
                return path
    return None


def load_split(root, split):
    """Images (n, 28, 28) uint8 and labels (n,) of the 'train' or 'test' split."""
    paths = [find_file(root, name) for name in FILES[split]]
    missing = [name for name, path in zip(FILES[split], paths) if path is None]
    if missing:
        raise FileNotFoundError(
            f"Fashion-MNIST: {', '.join(missing)} (or .gz) not found in {os.path.abspath(root)}. "
            "ember downloads nothing: get the four IDX files from "
            "https://github.com/zalandoresearch/fashion-mnist and put them in that folder, "
            "or pass root=... / set EMBER_DATA to the folder that holds them."
        )
    images, labels = (read_idx(path) for path in paths)
    if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
        raise ValueError(
            f"Fashion-MNIST {split}: expected images (n, h, w) and labels (n,), "
            f"got {images.shape} and {labels.shape}"
        )
    return images, labels


def resize_images(images, size):
    """Bilinear resize of a batch of float images (n, h, w) to ``size`` (int or (h, w))."""
    new_h, new_w = (size, size) if isinstance(size, int) else size
    n, h, w = images.shape
    # Sample at pixel centres, as image libraries do (align_corners=False).
    rows = np.clip((np.arange(new_h) + 0.5) * h / new_h - 0.5, 0, h - 1)
    cols = np.clip((np.arange(new_w) + 0.5) * w / new_w - 0.5, 0, w - 1)
    top, left = np.floor(rows).astype(int), np.floor(cols).astype(int)
    bottom, right = np.minimum(top + 1, h - 1), np.minimum(left + 1, w - 1)
    dy, dx = (rows - top)[:, None], (cols - left)[None, :]
    upper = images[:, top][:, :, left] * (1 - dx) + images[:, top][:, :, right] * dx
    lower = images[:, bottom][:, :, left] * (1 - dx) + images[:, bottom][:, :, right] * dx
    return (upper * (1 - dy) + lower * dy).astype(images.dtype)


def fashion_mnist_tensors(split, resize=None, root=None):
    """(images, labels) tensors: float32 (n, 1, h, w) in [0, 1] and int64 (n,)."""
    images, labels = load_split(root or default_root(), split)
    images = images.astype(np.float32) / 255.0
    if resize:
        images = resize_images(images, resize)
    return ember.tensor(images[:, None]), ember.tensor(labels.astype(np.int64))


def load_data_fashion_mnist(batch_size, resize=None, root=None):
    """Fashion-MNIST as two data loaders, (train_iter, test_iter); training is shuffled.

    ``resize`` (an int or (h, w)) rescales the images; ``root`` is the folder
    with the IDX files (default ``$EMBER_DATA``, else ``../data`` as in the book).
    """
    from ember.utils import data

    train = data.TensorDataset(*fashion_mnist_tensors("train", resize, root))
    test = data.TensorDataset(*fashion_mnist_tensors("test", resize, root))
    return (
        data.DataLoader(train, batch_size, shuffle=True),
        data.DataLoader(test, batch_size, shuffle=False),
    )
