#!/bin/sh
# test.sh — installs what is missing, builds Triad and runs every test suite; then runs them
# again built with AddressSanitizer and UndefinedBehaviorSanitizer, runs each libFuzzer target
# for a short while on its seed corpus, and runs the engine's tests under valgrind memcheck.
set -eu
cd "$(dirname "$0")/.."
build-aux/deps.sh test
for tool in clang valgrind; do
  command -v "$tool" >/dev/null || { echo "test.sh: $tool is missing" >&2; exit 1; }
done
here=$(pwd)
# here a missing program fails its test, naming its package, where elsewhere it would skip
export TRIAD_TEST_STRICT=1

# no_skips BUILDDIR: a whole test skipped here means something it needs is missing
no_skips () {
  skipped=$(grep '"result": "SKIP"' "$1/meson-logs/testlog.json" | sed 's/^{"name": "\([^"]*\)".*/\1/')
  [ -z "$skipped" ] || { echo "test.sh: skipped, which this script does not allow: $skipped" >&2; exit 1; }
}

# 1. the build, and every suite
[ -f build/build.ninja ] || meson setup build
ninja -C build
meson test -C build --print-errorlogs --num-processes 2
no_skips build

# 2. every suite under ASan and UBSan. Any undefined behaviour stops the test. Leaks are
# checked everywhere but in the app suite, less fontconfig's caches (build-aux/lsan.supp):
# GTK, GLib's type system and Mesa's GL drivers keep memory until exit by design, and a driver
# unloaded before the check leaves leaks that no suppression can name.
echo "== AddressSanitizer and UndefinedBehaviorSanitizer"
[ -f build-asan/build.ninja ] || meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false
ninja -C build-asan
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
ASAN_OPTIONS=detect_leaks=1 \
LSAN_OPTIONS=suppressions="$here/build-aux/lsan.supp":print_suppressions=0 \
  meson test -C build-asan --print-errorlogs --num-processes 2 --timeout-multiplier 3 --no-suite app
no_skips build-asan
ASAN_OPTIONS=detect_leaks=0 \
  meson test -C build-asan --print-errorlogs --num-processes 2 --timeout-multiplier 3 --suite app
no_skips build-asan

# 3. the fuzz targets (tests/fuzz), each for 20 s from its seed corpus; what they learn goes
# into a scratch folder, the seeds stay as they are
echo "== libFuzzer"
[ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz -Dfuzzing=true \
  -Db_sanitize=address,undefined -Db_lundef=false \
  -Dc_args="-fsanitize=fuzzer-no-link -fno-sanitize-recover=all" \
  -Dc_link_args=-fno-sanitize-recover=all
fuzz_targets="checkpoint tokenizer encode"
ninja -C build-fuzz $(for t in $fuzz_targets; do echo "tests/fuzz/fuzz-$t"; done)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for t in $fuzz_targets; do
  mkdir -p "$scratch/$t"
  ASAN_OPTIONS=detect_leaks=1 build-fuzz/tests/fuzz/fuzz-$t -max_total_time=20 \
    -print_final_stats=1 -artifact_prefix="$scratch/" "$scratch/$t" "tests/fuzz/corpus/$t" \
    > "$scratch/$t.log" 2>&1 || { tail -n 60 "$scratch/$t.log"; exit 1; }
  grep -E "^(Done|stat::number_of_executed_units)" "$scratch/$t.log" | sed "s/^/fuzz-$t: /"
done

# 4. valgrind memcheck on the engine tests of the loaders, the kernels and the command line
# (the slower engine tests run under ASan above); fontconfig's caches are suppressed
echo "== valgrind memcheck"
meson test -C build --print-errorlogs --num-processes 2 --timeout-multiplier 5 \
  --wrap="valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite --suppressions=$here/build-aux/valgrind.supp" \
  attention checkpoint model tokenizer tokenizer-hf cli memory formula train badinput kvquant
no_skips build
