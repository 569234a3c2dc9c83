#!/bin/sh
# deps.sh [run|test] — installs the Debian 12 packages Triad needs that are missing.
# Idempotent: asks apt for nothing when everything is there. Uses sudo when not root.
set -eu

run_packages="gcc meson ninja-build pkg-config gettext libglib2.0-dev libglib2.0-bin libjson-glib-dev
  libopenblas-dev libgtk-4-dev libepoxy-dev"
# clang and its runtimes (libFuzzer, the sanitizers) for the fuzz targets, gcc's sanitizers
# (libasan8, libubsan1, with gcc) and valgrind for the second and third runs of the tests;
# matplotlib for the benchmarks' reference; pdftotext (poppler-utils) reads exported PDFs;
# json-glib-validate (json-glib-tools) checks the presets file; node runs tokenizers.js, the
# reference the Hugging Face tokenizers are checked against, and spm_train (sentencepiece)
# trains the Unigram model they are checked on
test_packages="$run_packages python3 python3-torch python3-numpy xvfb xauth dbus locales
  desktop-file-utils appstream-util clang libclang-rt-14-dev valgrind python3-matplotlib
  poppler-utils json-glib-tools nodejs sentencepiece"

case "${1:-run}" in
  run) wanted=$run_packages ;;
  test) wanted=$test_packages ;;
  *) echo "usage: $0 [run|test]" >&2; exit 2 ;;
esac
# Debian's nodejs comes without npm; a nodejs that bundles its own (NodeSource's) conflicts with
# Debian's npm package, so that is wanted only where there is no npm command.
if [ "${1:-run}" = test ] && ! command -v npm >/dev/null 2>&1; then
  wanted="$wanted npm"
fi

missing=""
for p in $wanted; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1; then
  sudo="sudo"
else
  echo "Triad needs these Debian packages:$missing — run this as root or install sudo." >&2
  exit 1
fi
echo "Installing:$missing"
$sudo apt-get update -q
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
