#!/usr/bin/env bash
# ember's GPU check: the op and nn test suites on CUDA tensors, then the GPU benchmarks.
#
# Run it from anywhere in a checkout, on a machine with an NVIDIA GPU whose Python
# already has CuPy 14 (cupy-cuda13x), NumPy 2, PyTorch with CUDA, pytest, hypothesis,
# pandas and matplotlib. Nothing is installed and nothing is downloaded: ember is
# imported from src/ (PYTHONPATH=src). It takes under 5 minutes; each stage has its
# own time limit, so a stuck stage costs its limit and the rest still runs.
#
#   scripts/gpu_check.sh            # logs and report.md in $OUT/ember-gpu-check (or /tmp)
#
# Stages:
#   1. the machine: card (nvidia-smi, or CuPy), driver, library versions, and whether
#      ember can use CUDA (if not, it says why and stops);
#   2. tests, in parallel shards: tests/test_cuda.py, and the op and nn suites with
#      EMBER_TEST_DEVICE=cuda (tests/oracle.py then runs every check() with ember on
#      the GPU against PyTorch on the GPU);
#   3. benchmarks/gpu.py: W1, W3, W4L and W5L on ember CUDA, PyTorch CUDA and
#      hand-written CuPy, medians and ratios against the targets.
# The markdown report (test results, then the benchmark table) is printed last.
# Exit status: 0 when every stage ran and every test passed; 1 otherwise.
#
# EMBER_GPU_CHECK_FAKE=1 rehearses the whole script on a machine without a GPU, with
# the NumPy stand-in for CuPy (tests/fake_cupy.py): it checks the script, not the GPU.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
export PYTHONPATH="$ROOT/src${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONDONTWRITEBYTECODE=1
export PYTHONUNBUFFERED=1  # a stage cut short by its time limit still leaves its output
export MPLBACKEND=Agg
LOGS="${OUT:-${TMPDIR:-/tmp}}/ember-gpu-check"
mkdir -p "$LOGS"
rm -f "$LOGS"/*.log "$LOGS"/*.status "$LOGS"/*.seconds "$LOGS"/*.md

TEST_LIMIT="${TEST_LIMIT:-150}"    # seconds for the test shards (they run side by side)
BENCH_LIMIT="${BENCH_LIMIT:-120}"  # seconds for the benchmarks
BENCH_BUDGET="${BENCH_BUDGET:-8}"  # seconds of timed rounds per workload
STARTED=$SECONDS
FAKE="${EMBER_GPU_CHECK_FAKE:-}"
TEST_DEVICE=cuda
BENCH_FLAGS=()
if [[ -n "$FAKE" ]]; then
    TEST_DEVICE=fake-cuda
    BENCH_FLAGS=(--fake)
    export EMBER_GPU_CHECK_FAKE
fi

say() { printf '[gpu_check %3ss] %s\n' "$((SECONDS - STARTED))" "$*"; }

# run_stage NAME LIMIT COMMAND...: runs COMMAND under a time limit, its output in
# $LOGS/NAME.log, its exit status in $LOGS/NAME.status (124 = out of time).
run_stage() {
    local name="$1" limit="$2"
    shift 2
    local start=$SECONDS status=0
    timeout --kill-after=10 "$limit" "$@" >"$LOGS/$name.log" 2>&1 || status=$?
    echo "$status" >"$LOGS/$name.status"
    echo "$((SECONDS - start))" >"$LOGS/$name.seconds"
}

# The tests' outcome from a shard's log: pytest's last line, or, when the time limit
# cut it short, the outcomes counted from its verbose lines.
test_summary() {
    local log="$LOGS/$1.log" line
    line="$(grep -E '^=+ .*[0-9]+ (passed|failed|error|skipped|xfailed).* =+$' "$log" \
        | tail -n 1 | tr -d '=' | sed 's/^ *//; s/ *$//' || true)"
    if [[ -n "$line" ]]; then
        echo "$line"
        return
    fi
    local outcome counts=""
    for outcome in PASSED FAILED ERROR SKIPPED XFAIL; do
        counts+="$(grep -cE "(::| )[^ ]* $outcome" "$log" || true) ${outcome,,}, "
    done
    echo "cut short: ${counts%, }"
}

stage_status() {
    local status
    status="$(cat "$LOGS/$1.status" 2>/dev/null || echo missing)"
    case "$status" in
        0) echo "ok" ;;
        124 | 137) echo "OUT OF TIME" ;;
        missing) echo "not run" ;;
        *) echo "exit $status" ;;
    esac
}

# 1. The machine --------------------------------------------------------------------
CARD="$(timeout 20 nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -n 1 || true)"
if [[ -n "$FAKE" ]]; then
    CARD="no GPU (rehearsal on the fake CuPy)"
elif [[ -z "$CARD" ]]; then
    CARD="$(timeout 60 "$PYTHON" -c 'import ember; print(ember.cuda.get_device_name())' \
        2>/dev/null || echo "unknown card")"
fi
say "card: $CARD"
timeout 20 nvidia-smi --query-gpu=name,driver_version,memory.total,memory.used \
    --format=csv 2>/dev/null || say "nvidia-smi is not available"
set +e
timeout 120 "$PYTHON" - <<'EOF' 2>&1 | tee "$LOGS/machine.log"
import os
import platform
import sys

import numpy

import ember

if os.environ.get("EMBER_GPU_CHECK_FAKE"):
    sys.path.insert(0, "tests")
    import fake_cupy

    fake_cupy.install()
    print("REHEARSAL on the fake CuPy (no GPU): no result here is a GPU result")

print(f"python {platform.python_version()}, numpy {numpy.__version__}")
try:
    import cupy

    runtime = cupy.cuda.runtime
    print(f"cupy {cupy.__version__}, CUDA runtime {runtime.runtimeGetVersion()}, "
          f"driver {runtime.driverGetVersion()}")
except Exception as error:  # reported, and ember says the same below
    print(f"cupy: {type(error).__name__}: {error}")
try:
    import torch

    print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, "
          f"available: {torch.cuda.is_available()}")
except Exception as error:
    print(f"torch: {type(error).__name__}: {error}")
if not ember.cuda.is_available():
    print(f"ember cannot use CUDA: {ember.cuda.unavailable_reason()}")
    sys.exit(3)
x = ember.arange(6.0, device="cuda").reshape(2, 3)
print(f"ember on {ember.cuda.get_device_name()}: {ember.cuda.device_count()} device(s); "
      f"smoke test {(x @ x.T).sum().item()} (expect 83.0)")
EOF
MACHINE_STATUS=${PIPESTATUS[0]}
set -e
if [[ "$MACHINE_STATUS" != 0 ]]; then
    say "ember cannot use the GPU here (status $MACHINE_STATUS); see $LOGS/machine.log"
    printf '\n## ember GPU check on %s: CUDA unusable\n\n' "$CARD"
    tail -n 3 "$LOGS/machine.log"
    exit 1
fi

# 2. Tests, in parallel shards --------------------------------------------------------
# Fifteen shards: CuPy compiles each new kernel on first use (NVRTC, on the CPU), and the
# shards compile theirs side by side on the machine's cores.
SHARDS=(
    "tests/test_cuda.py tests/test_optim.py"
    "tests/test_elementwise.py"
    "tests/test_reductions.py tests/test_movement.py"
    "tests/test_indexing.py tests/test_inplace_versions.py"
    "tests/test_broadcast_properties.py tests/test_autograd.py"
    "tests/test_linalg.py tests/test_higher_order.py"
    "tests/test_losses.py tests/test_nn_modules.py"
    "tests/test_promotion.py"
    "tests/test_creation.py tests/test_data.py tests/test_smoke.py"
    "tests/test_selection_sorting.py tests/test_shape_and_matrix_ops.py"
    "tests/test_activations.py tests/test_api_completions.py tests/test_distributions.py"
    "tests/test_statistics.py tests/test_svd.py tests/test_decompositions.py"
    "tests/test_products.py tests/test_shapes_round.py tests/test_index_writes.py"
    "tests/test_special_functions.py tests/test_special_namespace.py tests/test_gamma.py tests/test_numeric_statistics.py"
    "tests/test_nn_more.py tests/test_losses_more.py tests/test_optimizers_more.py"
)
say "tests on CUDA tensors: ${#SHARDS[@]} shards side by side, at most ${TEST_LIMIT}s"
pids=()
for index in "${!SHARDS[@]}"; do
    files=()
    for file in ${SHARDS[$index]}; do
        [[ -f "$file" ]] && files+=("$file")
    done
    [[ ${#files[@]} -eq 0 ]] && continue
    EMBER_TEST_DEVICE="$TEST_DEVICE" run_stage "tests$((index + 1))" "$TEST_LIMIT" \
        "$PYTHON" -m pytest "${files[@]}" -v -o addopts="" -p no:cacheprovider \
        -p no:warnings -rfEs --tb=short --maxfail=100 &
    pids+=($!)
done
for pid in "${pids[@]}"; do
    wait "$pid" || true
done
TESTS_OK=1
for index in "${!SHARDS[@]}"; do
    name="tests$((index + 1))"
    [[ -f "$LOGS/$name.status" ]] || continue
    [[ "$(cat "$LOGS/$name.status")" == 0 ]] || TESTS_OK=0
    say "$name: $(stage_status "$name"): $(test_summary "$name")"
done
if [[ "$TESTS_OK" != 1 ]]; then
    say "failures (first 40; full logs in $LOGS):"
    grep -hE '^(FAILED|ERROR) ' "$LOGS"/tests*.log | head -n 40 || true
fi

# 3. Benchmarks -------------------------------------------------------------------
say "benchmarks: at most ${BENCH_LIMIT}s"
run_stage bench "$BENCH_LIMIT" "$PYTHON" -m benchmarks.gpu --budget "$BENCH_BUDGET" \
    --markdown "$LOGS/bench.md" "${BENCH_FLAGS[@]}"
grep -E '^  W|FAILED|Error' "$LOGS/bench.log" || true
BENCH_OK=1
[[ "$(cat "$LOGS/bench.status")" == 0 && -s "$LOGS/bench.md" ]] || BENCH_OK=0
[[ "$BENCH_OK" == 1 ]] || tail -n 20 "$LOGS/bench.log"

# The report, last ------------------------------------------------------------------
{
    printf '## ember GPU check on %s (%s, %ss)\n\n' "$CARD" "$(date -u +%Y-%m-%d)" \
        "$((SECONDS - STARTED))"
    grep -vE '^ember on|^python' "$LOGS/machine.log" | sed 's/^/    /' || true
    printf '\n| tests on CUDA tensors | status | result | seconds |\n|---|---|---|---|\n'
    for index in "${!SHARDS[@]}"; do
        name="tests$((index + 1))"
        [[ -f "$LOGS/$name.status" ]] || continue
        printf '| %s | %s | %s | %s |\n' "${SHARDS[$index]//tests\//}" \
            "$(stage_status "$name")" "$(test_summary "$name")" "$(cat "$LOGS/$name.seconds")"
    done
    printf '\n'
    if [[ -s "$LOGS/bench.md" ]]; then
        cat "$LOGS/bench.md"
    else
        printf 'benchmarks: %s (see %s/bench.log)\n' "$(stage_status bench)" "$LOGS"
    fi
} >"$LOGS/report.md"
printf '\n'
cat "$LOGS/report.md"
[[ "$TESTS_OK" == 1 && "$BENCH_OK" == 1 ]]
