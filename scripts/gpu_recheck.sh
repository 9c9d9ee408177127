#!/usr/bin/env bash
# A second, shorter look on the GPU after scripts/gpu_check.sh: the test files and cases
# that failed or were new there, on CUDA tensors, side by side, with one line per failure.
#
#   scripts/gpu_recheck.sh        # logs in $OUT/ember-gpu-recheck (or /tmp)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
export PYTHONPATH="$ROOT/src" PYTHONDONTWRITEBYTECODE=1 MPLBACKEND=Agg
export EMBER_TEST_DEVICE="${EMBER_TEST_DEVICE:-cuda}"  # fake-cuda rehearses it without a GPU
LOGS="${OUT:-/tmp}/ember-gpu-recheck"
mkdir -p "$LOGS"
LIMIT="${LIMIT:-120}"

shard() {  # name, then pytest arguments
    local name="$1"
    shift
    timeout "$LIMIT" "$PYTHON" -m pytest -p no:warnings --tb=line -rfs "$@" >"$LOGS/$name.log" 2>&1
    echo "== $name: exit $? :: $(grep -E '(passed|failed|error)' "$LOGS/$name.log" | tail -1)"
    grep -E '^(E  |FAILED|/.*Error)' "$LOGS/$name.log" | head -40
}

shard cuda tests/test_cuda.py &
shard sorting tests/test_selection_sorting.py -k "sort or scatter_reduce or scatter_with_reduce" &
shard einsum tests/test_shape_and_matrix_ops.py -k "einsum or meshgrid" &
shard xlogy tests/test_api_completions.py -k xlogy &
shard svd tests/test_svd.py &
shard statistics tests/test_statistics.py &
shard products tests/test_products.py -k "not second_order" &
shard shapes tests/test_shapes_round.py &
wait
