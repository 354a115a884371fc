#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) into the sanitizer tree and runs each for a bounded time.
#   scripts/fuzz.sh [--time SECONDS] [--no-build] [--reproducible] [target...]
# Targets: parser bytecode passes interpreter npy lowering (default: all), 60 s each by default.
# Corpora grow in $FX_FUZZ_DIR (default build-sanitize/fuzz-work/corpus/<target>), seeded from
# the test inputs; crashes go to $FX_FUZZ_DIR/crashes/<target>/. Exits 1 if any target crashed.
# --no-build runs what is built (CI, after its build step). --reproducible (CI) runs a fixed
# number of inputs per target (about 30 s each on 2 cores) from a fixed seed and a fresh corpus,
# so a commit's result does not depend on luck; fuzz for longer by hand to find new bugs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=60
build_first=1
reproducible=0
targets=()
while [ $# -gt 0 ]; do
  case $1 in
    --time) seconds=$2; shift 2 ;;
    --no-build) build_first=0; shift ;;
    --reproducible) reproducible=1; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(parser bytecode passes interpreter npy lowering)

build=${FX_BUILD_DIR:-$root/build-sanitize}
work=${FX_FUZZ_DIR:-$build/fuzz-work}
if [ "$build_first" = 1 ]; then
  if [ ! -f "$build/build.ninja" ]; then
    cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_CXX_COMPILER=clang++-22 -DCMAKE_C_COMPILER=clang-22 -DFX_SANITIZE=ON -DFX_FUZZ=ON
  elif ! grep -q '^FX_FUZZ:BOOL=ON' "$build/CMakeCache.txt"; then
    cmake -B "$build" -DFX_SANITIZE=ON -DFX_FUZZ=ON
  fi
  binaries=()
  for t in "${targets[@]}"; do binaries+=("fx_${t}_fuzzer"); done
  ninja -C "$build" -j "${FX_JOBS:-2}" fx-opt fx-ops "${binaries[@]}"
fi

# The kind of seed each target reads (fuzz/make_seeds.py).
declare -A seedsOf=([parser]=text [bytecode]=bytecode [passes]=text [interpreter]=text
                    [npy]=npy [lowering]=lowering)
"${FX_PYTHON:-/usr/bin/python3}" "$root/fuzz/make_seeds.py" "$work/seeds" "$build/bin/fx-opt"

# As scripts/test.sh --sanitize: LLVM's inline allocator code poisons memory the uninstrumented
# libMLIR touches (not our bugs); leaks at exit are LLVM's globals. clang links libFuzzer's
# libstdc++ ahead of the shared ASan runtime (-shared-libsan): harmless, ASan initializes first.
export ASAN_OPTIONS=allow_user_poisoning=0:detect_leaks=0:abort_on_error=1:verify_asan_link_order=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=()
for t in "${targets[@]}"; do
  corpus=$work/corpus/$t crashes=$work/crashes/$t log=$work/$t.log
  mkdir -p "$corpus" "$crashes"
  start=$(date +%s)
  # Upstream MLIR's bytecode reader allocates what a file's counts claim before reading it
  # (BytecodeReader::Impl::parseRegion): out-of-memory is a known upstream bug there, so that
  # target runs in fork mode, which records an OOM and goes on (crashes still stop it).
  mode=()
  [ "$t" != bytecode ] || mode=(-fork=1 -ignore_ooms=1)
  declare -A reproducibleRuns=([parser]=150000 [bytecode]=3000 [passes]=80000
                               [interpreter]=150000 [npy]=300000 [lowering]=1500)
  if [ "$reproducible" = 1 ]; then
    rm -rf "$corpus" && mkdir -p "$corpus"
    mode+=(-seed=1 -runs="${reproducibleRuns[$t]}")
  else
    mode+=(-max_total_time="$seconds")
  fi
  rc=0
  "$build/bin/fx_${t}_fuzzer" "${mode[@]}" -timeout=30 \
    -rss_limit_mb=4096 -detect_leaks=0 -print_final_stats=1 -artifact_prefix="$crashes/" \
    "$corpus" "$work/seeds/${seedsOf[$t]}" >"$log" 2>&1 || rc=$?
  # The final stats, or in fork mode the last progress line (`#RUNS: cov: ... exec/s: N`).
  last() { grep -oE "$1" "$log" | tail -1 || true; }
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  runs=${runs:-$(last '^#[0-9]+' | tr -d '#')}
  rate=${rate:-$(last 'exec/s: [0-9]+' | cut -d' ' -f2)}
  ooms=$(last 'oom/timeout/crash: [0-9]+/[0-9]+/[0-9]+')
  cov=$(last 'cov: [0-9]+ ft: [0-9]+')
  echo "fuzz $t: $(( $(date +%s) - start )) s, ${runs:-?} runs, ${rate:-?} exec/s," \
       "${cov:-no coverage}${ooms:+, $ooms}, exit $rc"
  if [ "$rc" != 0 ]; then
    echo "  log: $log"
    failed+=("$t")
    grep -E 'ERROR|fuzz check failed|runtime error|Test unit written' "$log" | head -5 || true
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in ${failed[*]} (inputs in $work/crashes/)"
  exit 1
fi
