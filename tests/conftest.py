import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
def products_made(monkeypatch):
    """The arrays TransposedMatmul (the weight gradient of a product) makes, in order:
    a test can then ask whether a leaf took one of them as its ``.grad`` without a copy."""
    from ember.ops.linalg import TransposedMatmul

    made = []
    forward = TransposedMatmul.forward

    def recording_forward(self, a, b):
        made.append(forward(self, a, b))
        return made[-1]

    monkeypatch.setattr(TransposedMatmul, "forward", recording_forward)
    return made
