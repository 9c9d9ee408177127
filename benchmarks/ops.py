"""What one op of W1's forward pass costs: ``python -m benchmarks.ops [--number N]``

W1 (the book's linear regression from scratch) works on batches of 10 rows,
so its time is the fixed cost of each op: the call, the checks and, where a
graph is recorded, the recording. This times each op of W1's forward pass
alone, on W1's first batch, in ember and in PyTorch (one thread), once with
the graph recorded (``w`` and ``b`` require grad, as in W1) and once under
``no_grad``, and in NumPy, interleaved in one process. Each figure is the
fastest of ``--repeat`` rounds of ``--number`` calls. Set
``OPENBLAS_NUM_THREADS=1``.
"""

import argparse
import contextlib
import importlib.util
import timeit

import numpy as np

from . import w1_linreg

# W1's forward pass, one op per row: (the op, the name of its result, the op itself).
FORWARD = (
    ("matmul", "Xw", lambda lib, v: lib.matmul(v["X"], v["w"])),
    ("add (bias)", "y_hat", lambda lib, v: v["Xw"] + v["b"]),
    ("reshape", "y_shaped", lambda lib, v: v["y"].reshape(v["y_hat"].shape)),
    ("sub", "error", lambda lib, v: v["y_hat"] - v["y_shaped"]),
    ("pow 2", "squared", lambda lib, v: v["error"] ** 2),
    ("div 2", "halved", lambda lib, v: v["squared"] / 2),
    ("sum", "loss", lambda lib, v: v["halved"].sum()),
)


def batch_values(lib, data):
    """W1's first batch, its parameters and every result of its forward pass, in ``lib``."""
    indices = data["orders"][0][: w1_linreg.BATCH_SIZE]
    arrays = {"X": data["features"][indices], "y": data["labels"][indices]}
    if lib is np:
        values = {**arrays, "w": data["w"].copy(), "b": np.zeros(1, np.float32)}
    else:
        values = {name: lib.tensor(array) for name, array in arrays.items()}
        values["w"] = lib.tensor(data["w"], requires_grad=True)
        values["b"] = lib.zeros(1, requires_grad=True)
    for _, result, op in FORWARD:
        values[result] = op(lib, values)
    return values


def settings():
    """name -> (library, context the op runs in): ember and PyTorch (if installed) with
    the graph recorded and under no_grad, then NumPy."""
    import ember

    libraries = [("ember", ember)]
    if importlib.util.find_spec("torch") is not None:
        import torch

        torch.set_num_threads(1)
        libraries.append(("PyTorch", torch))
    found = {}
    for name, lib in libraries:
        found[name] = (lib, contextlib.nullcontext)
        found[f"{name} no_grad"] = (lib, lib.no_grad)
    found["NumPy"] = (np, contextlib.nullcontext)
    return found


def measure(found, data, number, repeat):
    """op -> setting -> microseconds per call, the fastest of ``repeat`` interleaved rounds."""
    values = {name: batch_values(lib, data) for name, (lib, _) in found.items()}
    fastest = {op_name: {} for op_name, _, _ in FORWARD}
    for _ in range(repeat):
        for op_name, _, op in FORWARD:
            for name, (lib, context) in found.items():
                with context():
                    timer = timeit.Timer(lambda: op(lib, values[name]))  # noqa: B023
                    seconds = timer.timeit(number) / number
                best = fastest[op_name].get(name, seconds)
                fastest[op_name][name] = min(best, seconds)
    return {op_name: {name: s * 1e6 for name, s in row.items()} for op_name, row in fastest.items()}


def print_table(times, number, repeat):
    names = list(next(iter(times.values())))
    ratios = [name for name in ("PyTorch", "PyTorch no_grad") if name in names]
    print(f"W1's forward ops, us per call, fastest of {repeat} rounds of {number}, one process")
    header = "".join(f"{name:>17s}" for name in names)
    header += "".join(f"{'ember/' + name:>24s}" for name in ratios)
    print(f"  {'op':12s}{header}")
    total = {name: sum(row[name] for row in times.values()) for name in names}
    for op_name, row in (*times.items(), ("all seven", total)):
        line = "".join(f"{row[name]:17.2f}" for name in names)
        for name in ratios:
            ember = row["ember no_grad" if name.endswith("no_grad") else "ember"]
            line += f"{ember / row[name]:23.2f}x"
        print(f"  {op_name:12s}{line}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ops", description=__doc__)
    parser.add_argument("--number", type=int, default=2000, help="calls per round (default: 2000)")
    parser.add_argument("--repeat", type=int, default=7, help="rounds (default: 7)")
    args = parser.parse_args(argv)
    times = measure(settings(), w1_linreg.make_data(), args.number, args.repeat)
    print_table(times, args.number, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
