"""Everyday ops on a whole batch, ember against PyTorch: ``python -m benchmarks.op_survey``

W1 to W5 time whole programs. This times single ops a learner calls on a batch
(256x256 float32 by default), each forward alone and forward with backward, in
ember and in PyTorch at one thread, interleaved in one process, and prints
them slowest first by ember's ratio. It found NumPy's ``where`` and ``sign``
branching per element, and ``add.at`` adding rows slowly (docs/benchmarks-history.md,
the eleventh day). Each figure is the fastest of ``--repeat`` rounds of
``--number`` calls. Set ``OPENBLAS_NUM_THREADS=1``.
"""

import argparse
import math
import timeit

import numpy as np

# (name, op(lib, x, labels)): x requires grad; labels are int64 class indices
OPS = (
    ("relu", lambda lib, x, labels: lib.relu(x)),
    ("sigmoid", lambda lib, x, labels: lib.sigmoid(x)),
    ("tanh", lambda lib, x, labels: lib.tanh(x)),
    ("exp", lambda lib, x, labels: lib.exp(x)),
    ("abs", lambda lib, x, labels: x.abs()),
    ("sign", lambda lib, x, labels: x.sign()),
    ("clamp", lambda lib, x, labels: x.clamp(-0.5, 0.5)),
    ("x * x", lambda lib, x, labels: x * x),
    ("x ** 2", lambda lib, x, labels: x**2),
    ("x / 3", lambda lib, x, labels: x / 3),
    ("maximum", lambda lib, x, labels: lib.maximum(x, x.T)),
    ("where", lambda lib, x, labels: lib.where(x > 0, x, x * 2)),
    ("masked_fill", lambda lib, x, labels: x.masked_fill(x > 0, 1.0)),
    ("sum(1)", lambda lib, x, labels: x.sum(1)),
    ("mean", lambda lib, x, labels: x.mean()),
    ("max(1)", lambda lib, x, labels: x.max(1).values),
    ("var(1)", lambda lib, x, labels: x.var(1)),
    ("logsumexp(1)", lambda lib, x, labels: x.logsumexp(1)),
    ("cumsum(1)", lambda lib, x, labels: x.cumsum(1)),
    ("softmax", lambda lib, x, labels: lib.softmax(x, 1)),
    ("cross_entropy", lambda lib, x, labels: lib.nn.functional.cross_entropy(x, labels)),
    ("mse_loss", lambda lib, x, labels: lib.nn.functional.mse_loss(x, x.detach() * 0)),
    ("matmul", lambda lib, x, labels: x @ x),
    ("x.T.contiguous()", lambda lib, x, labels: x.T.contiguous()),
    ("cat", lambda lib, x, labels: lib.cat([x, x])),
    ("x[labels]", lambda lib, x, labels: x[labels]),
    ("x[x > 0]", lambda lib, x, labels: x[x > 0]),
    ("gather", lambda lib, x, labels: x.gather(1, labels.reshape(-1, 1))),
    ("sort", lambda lib, x, labels: x.sort(1).values),
    ("gelu", lambda lib, x, labels: lib.nn.functional.gelu(x)),
    ("silu", lambda lib, x, labels: lib.nn.functional.silu(x)),
    # added on the twenty-first day, with the ops a survey against NumPy's fastest exact
    # forms found slow (docs/benchmarks-history.md)
    ("x ** 3", lambda lib, x, labels: x**3),
    ("reciprocal", lambda lib, x, labels: x.reciprocal()),
    ("rsqrt", lambda lib, x, labels: x.abs().rsqrt()),
    ("masked_select", lambda lib, x, labels: x.masked_select(x > 0)),
    ("hardtanh", lambda lib, x, labels: lib.nn.functional.hardtanh(x)),
    ("leaky_relu", lambda lib, x, labels: lib.nn.functional.leaky_relu(x)),
    ("lerp", lambda lib, x, labels: x.lerp(x.detach().T, 0.3)),
    ("norm", lambda lib, x, labels: x.norm()),
    ("roll", lambda lib, x, labels: x.roll(1, -1)),
)


def microseconds(call, number, repeat):
    return min(timeit.repeat(call, number=number, repeat=repeat)) / number * 1e6


def time_op(lib, op, x, labels, number, repeat):
    """(forward, forward and backward) in µs; backward of the result's sum."""
    forward = microseconds(lambda: op(lib, x, labels), number, repeat)

    def forward_and_backward():
        x.grad = None
        op(lib, x, labels).sum().backward()

    return forward, microseconds(forward_and_backward, number, repeat)


def survey(libraries, size, number, repeat, names=None):
    """{op name: {library name: (forward, forward and backward)}}."""
    rng = np.random.default_rng(0)
    values = rng.standard_normal((size, size)).astype(np.float32)
    classes = rng.integers(0, size, size)
    results = {}
    for name, op in OPS:
        if names and name not in names:
            continue
        results[name] = {}
        for lib in libraries:
            x = lib.tensor(values, requires_grad=True)
            labels = lib.tensor(classes)
            results[name][lib.__name__] = time_op(lib, op, x, labels, number, repeat)
    return results


def table(results, baseline="torch"):
    """Markdown rows, the ops where ember is slowest against the baseline first."""
    rows = ["| op | ember | PyTorch | ratio | ember, with backward | PyTorch | ratio |"]
    rows.append("|---|---:|---:|---:|---:|---:|---:|")

    def ratio(times, index):
        return times["ember"][index] / times[baseline][index] if baseline in times else math.nan

    for name, times in sorted(results.items(), key=lambda item: -ratio(item[1], 0)):
        ember_times, other = times["ember"], times.get(baseline, (math.nan, math.nan))
        rows.append(
            f"| {name} | {ember_times[0]:.1f} | {other[0]:.1f} | {ratio(times, 0):.2f}x "
            f"| {ember_times[1]:.1f} | {other[1]:.1f} | {ratio(times, 1):.2f}x |"
        )
    return "\n".join(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=256, help="rows and columns of x (256)")
    parser.add_argument("--number", type=int, default=20, help="calls per round (20)")
    parser.add_argument("--repeat", type=int, default=5, help="rounds; the fastest counts (5)")
    parser.add_argument("--ops", nargs="*", help="only these ops, by name")
    args = parser.parse_args(argv)
    import ember

    libraries = [ember]
    try:
        import torch

        torch.set_num_threads(1)
        libraries.append(torch)
    except ImportError:
        print("PyTorch is not installed: ember's times only")
    results = survey(libraries, args.size, args.number, args.repeat, args.ops)
    print(f"µs per call on {args.size}x{args.size} float32, fastest of {args.repeat} rounds")
    print(table(results))


if __name__ == "__main__":
    main()
