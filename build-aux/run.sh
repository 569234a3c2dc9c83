#!/bin/sh
# run.sh — installs what is missing, builds Triad and opens it (arguments go to triad).
set -eu
cd "$(dirname "$0")/.."
build-aux/deps.sh run
[ -f build/build.ninja ] || meson setup build
ninja -C build
exec build/src/triad "$@"
