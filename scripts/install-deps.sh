#!/usr/bin/env bash
# Installs the Debian 12 packages wasmc needs to build and test, when missing.
set -euo pipefail
PKGS=(cmake make gcc pkg-config python3 binutils check libsubunit-dev libelf-dev libdwarf-dev
      wabt llvm-14 lld clang wasi-libc libclang-rt-14-dev-wasm32 nodejs binaryen)
missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "install-deps: installing ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
