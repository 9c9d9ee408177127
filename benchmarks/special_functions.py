"""The special functions on a million values, ember against PyTorch (1 thread):
``OPENBLAS_NUM_THREADS=1 python -m benchmarks.special_functions [erf erfinv ...]``.

Each line gives the fastest of five calls in each library and their ratio; the values
are spread over each function's working range.
"""

import sys
import timeit

import numpy as np
import torch

import ember

SIZE = 10**6


def _cases(rng):
    return {
        "erf": (lambda lib: lib.erf, rng.uniform(-5, 5, SIZE)),
        "erfc": (lambda lib: lib.erfc, rng.uniform(-5, 5, SIZE)),
        "erfinv": (lambda lib: lib.erfinv, rng.uniform(-0.99, 0.99, SIZE)),
        "lgamma": (lambda lib: lib.lgamma, rng.uniform(0.1, 20, SIZE)),
        "digamma": (lambda lib: lib.digamma, rng.uniform(0.1, 20, SIZE)),
        "polygamma1": (lambda lib: lambda x: lib.polygamma(1, x), rng.uniform(0.1, 20, SIZE)),
        "i0": (lambda lib: lib.i0, rng.uniform(-30, 30, SIZE)),
    }


def fastest(function, argument):
    return min(timeit.repeat(lambda: function(argument), number=1, repeat=5))


def main(names):
    torch.set_num_threads(1)
    for name, (function_of, values) in _cases(np.random.default_rng(0)).items():
        if names and name not in names:
            continue
        for dtype in ("float32", "float64"):
            array = values.astype(dtype)
            mine = fastest(function_of(ember), ember.tensor(array))
            theirs = fastest(function_of(torch), torch.tensor(array))
            print(
                f"{name:10s} {dtype}: ember / PyTorch = {mine / theirs:5.1f}x  "
                f"(ember {mine * 1e3:6.1f} ms, PyTorch {theirs * 1e3:6.2f} ms)",
                flush=True,
            )


if __name__ == "__main__":
    main(sys.argv[1:])
