#!/usr/bin/env bash
# Installs what FX-MLIR needs on Debian 12, pinned to the LLVM/MLIR 22 series. Idempotent: only
# missing packages are installed. Set FX_SKIP_TORCH=1 to leave out PyTorch (the tests that need it
# then say they skipped).
set -euo pipefail

packages=(
  cmake ninja-build ccache g++ pkg-config
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools clang-22 lld-22
  libgtest-dev libgmock-dev libbenchmark-dev zlib1g-dev libzstd-dev libedit-dev libcurl4-openssl-dev libxml2-dev
  python3-numpy graphviz
)
# The sanitizer build (scripts/test.sh --sanitize) needs clang's ASan/UBSan runtimes.
if [ "${FX_SANITIZE:-0}" = 1 ]; then
  packages+=(libclang-rt-22-dev)
fi
if [ "${FX_SKIP_TORCH:-0}" != 1 ]; then
  packages+=(python3-torch python3-torchvision libopenblas0-pthread)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The pinned series: refuse to go on with a different major version.
v=$(/usr/lib/llvm-22/bin/mlir-opt --version | sed -n 's/.*LLVM version \([0-9]*\)\..*/\1/p')
[ "$v" = 22 ] || { echo "install-deps: expected LLVM/MLIR 22, found '$v'" >&2; exit 1; }
echo "install-deps: LLVM/MLIR $(/usr/lib/llvm-22/bin/llvm-config --version) ready"
