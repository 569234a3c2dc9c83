#!/bin/sh
# test.sh — installs what is missing, builds Triad and runs every test suite.
set -eu
cd "$(dirname "$0")/.."
build-aux/deps.sh test
[ -f build/build.ninja ] || meson setup build
ninja -C build
meson test -C build --print-errorlogs --num-processes 2
