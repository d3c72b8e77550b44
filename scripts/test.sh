#!/usr/bin/env bash
# The README's test command: installs what is missing, builds with -Werror
# and runs every test (unit tests, CLI tests, IR filetests, the spec suite
# where ../shared/wasm-testsuite exists).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
BUILD=${BUILD:-build}
cmake -S . -B "$BUILD" -DWASMC_WERROR=ON ${CMAKE_ARGS:-}
cmake --build "$BUILD" -j"$(nproc)"
cd "$BUILD"
ctest --output-on-failure -j"$(nproc)" "$@"
