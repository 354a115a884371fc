#!/usr/bin/env bash
# README command 2: set up, build, and run the whole test suite (lit + GoogleTest under ctest).
#   --sanitize: the same with AddressSanitizer and UndefinedBehaviorSanitizer, in build-sanitize/
#               (FX_BUILD_DIR overrides), on the suites that run our own code fast (no model
#               imports): units, the op registry, IR, passes, conversion, runtime, the op sweep
#               (which compiles every op); then the libFuzzer targets, reproducibly (scripts/fuzz.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

if [ "${1:-}" = --sanitize ]; then
  export FX_SANITIZE=1 FX_BUILD_DIR=${FX_BUILD_DIR:-$root/build-sanitize}
  export FX_CMAKE_ARGS="-DFX_SANITIZE=ON -DFX_FUZZ=ON"
  # LLVM's allocator code inlined into our objects poisons memory that the uninstrumented
  # libMLIR then touches: not our bugs. Leaks at exit (LLVM's globals) are not checked.
  export ASAN_OPTIONS=allow_user_poisoning=0:detect_leaks=0:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  bash "$root/scripts/build.sh"
  ctest --test-dir "$FX_BUILD_DIR" --output-on-failure -j "${FX_JOBS:-2}" \
    -R '^(unit|ops)\.|lit-(Dialect|Translate|Corpus|Transforms|Conversion|Ops|Runtime)$'
  # The bytecode reader's fuzzer finds upstream MLIR bugs (fuzz/README.md): run it by hand.
  bash "$root/scripts/fuzz.sh" --no-build --reproducible \
    parser passes interpreter npy lowering
  exit
fi
build=${FX_BUILD_DIR:-$root/build}
bash "$root/scripts/build.sh"
ctest --test-dir "$build" --output-on-failure -j "${FX_JOBS:-2}"
