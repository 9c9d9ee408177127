"""ember's benchmarks: the book's workloads on ember, PyTorch and hand-written NumPy.

Run them with ``python -m benchmarks`` (or ``make bench``, or ``ember bench``).
Each workload module (``w1_linreg`` ... ``w5_matmul``) holds the same math three
times: the book's code written once against a ``torch``-like module (so ember
and PyTorch run literally the same lines), and a hand-written NumPy version
with manual gradients, the floor a NumPy-backed framework can reach. The
runner (``runner.py``) starts every (workload, implementation) pair in a fresh
process (``worker.py``), interleaves them over several rounds and reports
ratios of medians, which stay meaningful on a noisy machine where absolute
times do not.
"""

from . import w1_linreg, w2_concise, w3_overhead, w4_mlp, w5_matmul

WORKLOADS = {
    module.NAME: module for module in (w1_linreg, w2_concise, w3_overhead, w4_mlp, w5_matmul)
}
