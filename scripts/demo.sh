#!/usr/bin/env bash
# The README's first command: installs what is missing, builds wasmc, and runs
# it on the bundled example.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build >/dev/null
cmake --build build -j"$(nproc)"
mkdir -p build/examples
wat2wasm examples/hello.wat -o build/examples/hello.wasm
echo "+ wasmc build/examples/hello.wasm -o build/examples/hello"
build/driver/wasmc build/examples/hello.wasm -o build/examples/hello
echo "+ build/examples/hello"
build/examples/hello
