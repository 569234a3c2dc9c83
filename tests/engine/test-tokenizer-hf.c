/* test-tokenizer-hf.c — Hugging Face tokenizer.json files written by hand: what the oracle
 * (tests/tokenizers, against tokenizers.js) cannot see — character offsets through accent
 * stripping, Russian and byte-level text, display strings, roles, the post-processor's offsets,
 * and the errors for broken or unsupported files. Every expectation is worked out in a comment. */
#include "config.h"

#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "engine/error.h"
#include "engine/tokenizer.h"

/* A BERT-like WordPiece tokenizer. Ids: 0 [PAD] 1 [UNK] 2 [CLS] 3 [SEP] 4 [MASK] 5 cafe 6 ##s
 * 7 кот 8 ##ы 9 , 10 deja 11 vu. */
static const char bert_json[] =
  "{\"version\": \"1.0\","
  " \"added_tokens\": ["
  "  {\"id\": 0, \"content\": \"[PAD]\", \"special\": true},"
  "  {\"id\": 1, \"content\": \"[UNK]\", \"special\": true},"
  "  {\"id\": 2, \"content\": \"[CLS]\", \"special\": true},"
  "  {\"id\": 3, \"content\": \"[SEP]\", \"special\": true},"
  "  {\"id\": 4, \"content\": \"[MASK]\", \"special\": true}],"
  " \"normalizer\": {\"type\": \"BertNormalizer\", \"clean_text\": true,"
  "   \"handle_chinese_chars\": true, \"strip_accents\": null, \"lowercase\": true},"
  " \"pre_tokenizer\": {\"type\": \"BertPreTokenizer\"},"
  " \"post_processor\": {\"type\": \"TemplateProcessing\","
  "   \"single\": [{\"SpecialToken\": {\"id\": \"[CLS]\", \"type_id\": 0}},"
  "              {\"Sequence\": {\"id\": \"A\", \"type_id\": 0}},"
  "              {\"SpecialToken\": {\"id\": \"[SEP]\", \"type_id\": 0}}],"
  "   \"special_tokens\": {\"[CLS]\": {\"id\": \"[CLS]\", \"ids\": [2], \"tokens\": [\"[CLS]\"]},"
  "                        \"[SEP]\": {\"id\": \"[SEP]\", \"ids\": [3], \"tokens\": [\"[SEP]\"]}}},"
  " \"decoder\": {\"type\": \"WordPiece\", \"prefix\": \"##\", \"cleanup\": true},"
  " \"model\": {\"type\": \"WordPiece\", \"unk_token\": \"[UNK]\","
  "   \"continuing_subword_prefix\": \"##\", \"max_input_chars_per_word\": 100,"
  "   \"vocab\": {\"[PAD]\": 0, \"[UNK]\": 1, \"[CLS]\": 2, \"[SEP]\": 3, \"[MASK]\": 4,"
  "     \"cafe\": 5, \"##s\": 6, \"кот\": 7, \"##ы\": 8, \",\": 9, \"deja\": 10, \"vu\": 11}}}";

/* A GPT-2-like byte-level BPE. Ids: 0 a 1 b 2 Ġ 3 Ġa 4 ab 5 Ċ 6 Ð 7 º 8 Ðº 9 <|endoftext|>;
 * merges by rank: 0 Ġ+a 1 a+b 2 Ð+º. "к" is the bytes D0 BA, which the byte alphabet writes
 * as "Ð" (U+00D0) and "º" (U+00BA); a space is "Ġ", a new line "Ċ". */
static const char gpt2_json[] =
  "{\"added_tokens\": [{\"id\": 9, \"content\": \"<|endoftext|>\", \"special\": true,"
  "   \"normalized\": true, \"lstrip\": false, \"rstrip\": false, \"single_word\": false}],"
  " \"normalizer\": null,"
  " \"pre_tokenizer\": {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"use_regex\": true},"
  " \"post_processor\": {\"type\": \"ByteLevel\"},"
  " \"decoder\": {\"type\": \"ByteLevel\"},"
  " \"model\": {\"type\": \"BPE\", \"unk_token\": null, \"continuing_subword_prefix\": \"\","
  "   \"end_of_word_suffix\": \"\","
  "   \"vocab\": {\"a\": 0, \"b\": 1, \"Ġ\": 2, \"Ġa\": 3, \"ab\": 4, \"Ċ\": 5, \"Ð\": 6,"
  "     \"º\": 7, \"Ðº\": 8, \"<|endoftext|>\": 9},"
  "   \"merges\": [\"Ġ a\", [\"a\", \"b\"], \"Ð º\"]}}";

/* A T5-like Unigram. Ids and scores: 0 <pad> 1 </s> 2 <unk> (0 each) 3 ▁ −2 4 ▁к −3 5 от −3
 * 6 ▁кот −2.5 7 ы −4 8 ▁a −3. */
static const char t5_json[] =
  "{\"added_tokens\": [{\"id\": 0, \"content\": \"<pad>\", \"special\": true},"
  "   {\"id\": 1, \"content\": \"</s>\", \"special\": true},"
  "   {\"id\": 2, \"content\": \"<unk>\", \"special\": true}],"
  " \"normalizer\": {\"type\": \"Sequence\", \"normalizers\": ["
  "   {\"type\": \"Precompiled\", \"precompiled_charsmap\": null},"
  "   {\"type\": \"Replace\", \"pattern\": {\"Regex\": \" {2,}\"}, \"content\": \" \"}]},"
  " \"pre_tokenizer\": {\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"WhitespaceSplit\"},"
  "   {\"type\": \"Metaspace\", \"replacement\": \"▁\", \"prepend_scheme\": \"always\", \"split\": true}]},"
  " \"post_processor\": {\"type\": \"TemplateProcessing\","
  "   \"single\": [{\"Sequence\": {\"id\": \"A\", \"type_id\": 0}},"
  "              {\"SpecialToken\": {\"id\": \"</s>\", \"type_id\": 0}}],"
  "   \"special_tokens\": {\"</s>\": {\"id\": \"</s>\", \"ids\": [1], \"tokens\": [\"</s>\"]}}},"
  " \"decoder\": {\"type\": \"Metaspace\", \"replacement\": \"▁\", \"prepend_scheme\": \"always\"},"
  " \"model\": {\"type\": \"Unigram\", \"unk_id\": 2, \"byte_fallback\": false, \"vocab\": ["
  "   [\"<pad>\", 0.0], [\"</s>\", 0.0], [\"<unk>\", 0.0], [\"▁\", -2.0], [\"▁к\", -3.0],"
  "   [\"от\", -3.0], [\"▁кот\", -2.5], [\"ы\", -4.0], [\"▁a\", -3.0]]}}";

/* Normalizers and pre-tokenizers the oracle's files do not use. Ids: 0 [UNK] 1 abc 2 ... 3 d
 * 4 1 5 2. */
static const char split_json[] =
  "{\"normalizer\": {\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"NFKD\"},"
  "   {\"type\": \"StripAccents\"}, {\"type\": \"Lowercase\"}]},"
  " \"pre_tokenizer\": {\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"Whitespace\"},"
  "   {\"type\": \"Digits\", \"individual_digits\": true}]},"
  " \"model\": {\"type\": \"WordPiece\", \"unk_token\": \"[UNK]\","
  "   \"vocab\": {\"[UNK]\": 0, \"abc\": 1, \"...\": 2, \"d\": 3, \"1\": 4, \"2\": 5}}}";

static TriadTokenizer *
load (const char *json)
{
  g_autoptr(GError) error = NULL;
  TriadTokenizer *tok = triad_tokenizer_load_from_data (json, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (tok);
  return tok;
}

static void
assert_encoding (const TriadEncoding *enc,
                 const int           *ids,
                 const int           *start,
                 const int           *end,
                 int                  n)
{
  g_assert_cmpint (enc->n, ==, n);
  for (int i = 0; i < n; i++)
    {
      g_assert_cmpint (enc->ids[i], ==, ids[i]);
      g_assert_cmpint (enc->start[i], ==, start[i]);
      g_assert_cmpint (enc->end[i], ==, end[i]);
    }
}

static void
test_wordpiece_offsets (void)
{
  g_autoptr(TriadTokenizer) tok = load (bert_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadEncoding) enc = NULL;
  g_autoptr(TriadEncoding) accents = NULL;
  g_autoptr(TriadEncoding) post = NULL;
  g_autoptr(TriadEncoding) unknown = NULL;
  g_autofree char *decoded = NULL;

  /* "Café, котЫ" lower-cases and loses its accent to "cafe, коты": "Café" is characters 0–3
   * (the "e" of "é" keeps the span of "é", 3–4), "," is 4, "котЫ" 6–9. */
  enc = triad_tokenizer_encode (tok, "Café, котЫ", -1, TRUE, &error);
  g_assert_no_error (error);
  assert_encoding (enc, (int[]) { 5, 9, 7, 8 }, (int[]) { 0, 4, 6, 9 }, (int[]) { 4, 5, 9, 10 }, 4);
  g_assert_cmpstr (enc->pieces[3], ==, "##ы");

  /* "Déjà vu": d é j à → "deja", 0–4; "vu" 5–7. The text given decomposed, "e" + U+0301,
   * is one more character: "De\u0301ja\u0300 vu" has "deja" over 0–6 and "vu" over 7–9. */
  accents = triad_tokenizer_encode (tok, "De\xcc\x81ja\xcc\x80 vu", -1, TRUE, &error);
  g_assert_no_error (error);
  assert_encoding (accents, (int[]) { 10, 11 }, (int[]) { 0, 7 }, (int[]) { 6, 9 }, 2);

  /* [CLS] before the text at 0–0, [SEP] after it at its end, 10–10. */
  post = triad_tokenizer_post_process (tok, enc);
  assert_encoding (post, (int[]) { 2, 5, 9, 7, 8, 3 }, (int[]) { 0, 0, 4, 6, 9, 10 },
                   (int[]) { 0, 4, 5, 9, 10, 10 }, 6);
  g_assert_cmpstr (post->pieces[0], ==, "[CLS]");

  /* A word that has no pieces is one [UNK] over the whole word, 0–3. */
  unknown = triad_tokenizer_encode (tok, "xyz", -1, TRUE, &error);
  g_assert_no_error (error);
  assert_encoding (unknown, (int[]) { 1 }, (int[]) { 0 }, (int[]) { 3 }, 1);

  /* "cafe" "," "кот" "##ы": the decoder joins with spaces, glues "##" pieces, and cleans up
   * the space before the comma. */
  decoded = triad_tokenizer_decode (tok, enc->ids, enc->n);
  g_assert_cmpstr (decoded, ==, "cafe, коты");
}

static void
test_split (void)
{
  g_autoptr(TriadTokenizer) tok = load (split_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadEncoding) enc = NULL;

  /* "Ábc... D12": NFKD makes "Á" A + U+0301, both over character 0; the accent goes and all is
   * lower case: "abc... d12". Whitespace cuts words from runs of other symbols, "abc" "..."
   * (side by side, still two), and "d12"; Digits cuts "d" "1" "2". */
  enc = triad_tokenizer_encode (tok, "\xc3\x81" "bc... D12", -1, TRUE, &error);
  g_assert_no_error (error);
  assert_encoding (enc, (int[]) { 1, 2, 3, 4, 5 }, (int[]) { 0, 3, 7, 8, 9 },
                   (int[]) { 3, 6, 8, 9, 10 }, 5);
}

static void
test_wordpiece_roles (void)
{
  g_autoptr(TriadTokenizer) tok = load (bert_json);
  g_autofree char *label = triad_tokenizer_display (tok, 6);

  g_assert_cmpint (triad_tokenizer_kind (tok), ==, TRIAD_TOKENIZER_WORDPIECE);
  g_assert_cmpstr (triad_tokenizer_kind_to_string (triad_tokenizer_kind (tok)), ==, "WordPiece");
  /* No tokenizer_config.json: the usual names. BERT has no end-of-text token. */
  g_assert_cmpint (triad_tokenizer_special_id (tok, TRIAD_TOKEN_PAD), ==, 0);
  g_assert_cmpint (triad_tokenizer_special_id (tok, TRIAD_TOKEN_UNK), ==, 1);
  g_assert_cmpint (triad_tokenizer_special_id (tok, TRIAD_TOKEN_BOS), ==, 2);
  g_assert_cmpint (triad_tokenizer_special_id (tok, TRIAD_TOKEN_EOS), ==, -1);
  g_assert_cmpint (triad_tokenizer_special_id (tok, TRIAD_TOKEN_MASK), ==, 4);
  g_assert_cmpint (triad_tokenizer_special_id (tok, TRIAD_TOKEN_SEP), ==, 3);
  g_assert_true (triad_tokenizer_is_special (tok, 2));
  g_assert_false (triad_tokenizer_is_special (tok, 5));
  /* WordPiece keeps its "##": it says the piece continues a word. */
  g_assert_cmpstr (label, ==, "##s");
}

static void
test_roles_from_config (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("triad-hf-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "tokenizer.json", NULL);
  g_autofree char *config = g_build_filename (dir, "tokenizer_config.json", NULL);
  g_autofree char *map = g_build_filename (dir, "special_tokens_map.json", NULL);
  g_autoptr(TriadTokenizer) tok = NULL;

  g_assert_no_error (error);
  g_file_set_contents (path, bert_json, -1, &error);
  g_assert_no_error (error);
  /* tokenizer_config.json names the pad token as an object; special_tokens_map.json names
   * eos, which tokenizer_config.json does not; both win over the usual names. */
  g_file_set_contents (config, "{\"pad_token\": {\"content\": \"[MASK]\"}, \"cls_token\": \"[SEP]\"}",
                       -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (map, "{\"eos_token\": \"[SEP]\", \"pad_token\": \"[UNK]\"}", -1, &error);
  g_assert_no_error (error);

  tok = triad_tokenizer_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (triad_tokenizer_special_id (tok, TRIAD_TOKEN_PAD), ==, 4);
  g_assert_cmpint (triad_tokenizer_special_id (tok, TRIAD_TOKEN_BOS), ==, 3);
  g_assert_cmpint (triad_tokenizer_special_id (tok, TRIAD_TOKEN_EOS), ==, 3);
  g_assert_cmpint (triad_tokenizer_special_id (tok, TRIAD_TOKEN_UNK), ==, 1);

  g_unlink (path);
  g_unlink (config);
  g_unlink (map);
  g_rmdir (dir);
}

static void
test_byte_level (void)
{
  g_autoptr(TriadTokenizer) tok = load (gpt2_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadEncoding) enc = NULL;
  g_autoptr(TriadEncoding) special = NULL;
  g_autoptr(TriadEncoding) plain = NULL;
  g_autofree char *decoded = NULL;
  const char *labels[] = { "ab", "a", "b", "\\n", "к" };

  /* GPT-2's pattern splits "ab ab\nк" into "ab", " ab", "\n", "к". "ab" merges by rank 1;
   * in "Ġab" the pair Ġ+a (rank 0) goes first and leaves "Ġa" "b"; "к" is Ð+º. */
  enc = triad_tokenizer_encode (tok, "ab ab\nк", -1, TRUE, &error);
  g_assert_no_error (error);
  assert_encoding (enc, (int[]) { 4, 3, 1, 5, 8 }, (int[]) { 0, 2, 4, 5, 6 },
                   (int[]) { 2, 4, 5, 6, 7 }, 5);
  g_assert_cmpstr (enc->pieces[1], ==, "Ġa");
  for (int i = 0; i < enc->n; i++)
    {
      g_autofree char *label = triad_tokenizer_display (tok, enc->ids[i]);

      g_assert_cmpstr (label, ==, labels[i]);
    }
  decoded = triad_tokenizer_decode (tok, enc->ids, enc->n);
  g_assert_cmpstr (decoded, ==, "ab ab\nк");

  /* Half a character shows as its byte; a lone space keeps its "Ġ" to be seen at all. */
  {
    g_autofree char *half = triad_tokenizer_display (tok, 6);
    g_autofree char *space = triad_tokenizer_display (tok, 2);

    g_assert_cmpstr (half, ==, "<0xD0>");
    g_assert_cmpstr (space, ==, "Ġ");
  }

  /* The special splits out of the text, over its 13 characters 1–14. Without parse_special its
   * characters are bytes this vocabulary lacks, and with no unknown token they are dropped. */
  special = triad_tokenizer_encode (tok, "a<|endoftext|>b", -1, TRUE, &error);
  g_assert_no_error (error);
  assert_encoding (special, (int[]) { 0, 9, 1 }, (int[]) { 0, 1, 14 }, (int[]) { 1, 14, 15 }, 3);
  plain = triad_tokenizer_encode (tok, "a<|endoftext|>b", -1, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (plain->n, ==, 2);

  g_assert_cmpint (triad_tokenizer_kind (tok), ==, TRIAD_TOKENIZER_BYTE_LEVEL_BPE);
  g_assert_cmpint (triad_tokenizer_special_id (tok, TRIAD_TOKEN_BOS), ==, 9);
  g_assert_cmpint (triad_tokenizer_special_id (tok, TRIAD_TOKEN_EOS), ==, 9);
  g_assert_cmpint (triad_tokenizer_special_id (tok, TRIAD_TOKEN_PAD), ==, -1);
  g_assert_true (triad_tokenizer_is_special (tok, 9));
}

static gpointer
encode_in_thread (gpointer data)
{
  const TriadTokenizer *tok = data;

  for (int i = 0; i < 200; i++)
    {
      int k = i % 7;
      g_autoptr(GString) text = g_string_new ("ab");
      g_autoptr(TriadEncoding) enc = NULL;

      for (int j = 0; j < k; j++)
        g_string_append (text, " ab");
      /* "ab", then "Ġa" "b" for each " ab": 1 + 2k tokens */
      enc = triad_tokenizer_encode (tok, text->str, -1, TRUE, NULL);
      if (enc == NULL || enc->n != 1 + 2 * k || enc->ids[0] != 4
          || (k > 0 && (enc->ids[enc->n - 2] != 3 || enc->ids[enc->n - 1] != 1)))
        return GINT_TO_POINTER (FALSE);
    }
  return GINT_TO_POINTER (TRUE);
}

/* A loaded tokenizer is shared by threads that encode at once (its word cache has a lock, the
 * byte alphabet and the split pattern are made once). */
static void
test_threads (void)
{
  g_autoptr(TriadTokenizer) tok = load (gpt2_json);
  GThread *threads[4];

  for (int i = 0; i < 4; i++)
    threads[i] = g_thread_new ("encode", encode_in_thread, tok);
  for (int i = 0; i < 4; i++)
    g_assert_true (GPOINTER_TO_INT (g_thread_join (threads[i])));
}

/* Added tokens that strip the spaces beside them (lstrip, rstrip), and one that must stand as a
 * word of its own (single_word). Ids: 0 a 1 b 2 Ġ 3 <m> 4 <w>. */
static const char added_json[] =
  "{\"added_tokens\": ["
  "   {\"id\": 3, \"content\": \"<m>\", \"special\": true, \"lstrip\": true, \"rstrip\": true},"
  "   {\"id\": 4, \"content\": \"<w>\", \"special\": true, \"single_word\": true}],"
  " \"pre_tokenizer\": {\"type\": \"ByteLevel\", \"add_prefix_space\": false},"
  " \"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 1, \"Ġ\": 2}, \"merges\": []}}";

static void
test_added_tokens (void)
{
  g_autoptr(TriadTokenizer) tok = load (added_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadEncoding) stripped = NULL;
  g_autoptr(TriadEncoding) word = NULL;
  g_autoptr(TriadEncoding) inside = NULL;

  /* "a <m> b": <m> takes the spaces on both sides away from the text, so "a" and "b" have no
   * "Ġ": a 0–1, <m> 2–5, b 6–7. */
  stripped = triad_tokenizer_encode (tok, "a <m> b", -1, TRUE, &error);
  g_assert_no_error (error);
  assert_encoding (stripped, (int[]) { 0, 3, 1 }, (int[]) { 0, 2, 6 }, (int[]) { 1, 5, 7 }, 3);
  /* "a <w> b": <w> stands alone and strips nothing: a, Ġ (1–2), <w> (2–5), Ġ (5–6), b. */
  word = triad_tokenizer_encode (tok, "a <w> b", -1, TRUE, &error);
  g_assert_no_error (error);
  assert_encoding (word, (int[]) { 0, 2, 4, 2, 1 }, (int[]) { 0, 1, 2, 5, 6 },
                   (int[]) { 1, 2, 5, 6, 7 }, 5);
  /* "a<w>b": inside a word <w> is not the token but text, whose bytes this vocabulary lacks. */
  inside = triad_tokenizer_encode (tok, "a<w>b", -1, TRUE, &error);
  g_assert_no_error (error);
  assert_encoding (inside, (int[]) { 0, 1 }, (int[]) { 0, 4 }, (int[]) { 1, 5 }, 2);
}

static void
test_unigram (void)
{
  g_autoptr(TriadTokenizer) tok = load (t5_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadEncoding) enc = NULL;
  g_autoptr(TriadEncoding) post = NULL;
  g_autoptr(TriadEncoding) unknown = NULL;
  g_autofree char *decoded = NULL;
  g_autofree char *label = NULL;
  g_autofree char *lone = NULL;

  /* "коты  a": the double space becomes one, the words "▁коты" and "▁a". "▁коты" is best as
   * ▁кот + ы = −2.5 − 4 = −6.5 (▁к + от + ы = −10). The "▁" that Metaspace puts before a word
   * covers nothing, so "▁кот" is 0–3; "ы" 3–4; "▁a" is the "a" at 6–7. */
  enc = triad_tokenizer_encode (tok, "коты  a", -1, TRUE, &error);
  g_assert_no_error (error);
  assert_encoding (enc, (int[]) { 6, 7, 8 }, (int[]) { 0, 3, 6 }, (int[]) { 3, 4, 7 }, 3);
  decoded = triad_tokenizer_decode (tok, enc->ids, enc->n);
  g_assert_cmpstr (decoded, ==, "коты a");

  post = triad_tokenizer_post_process (tok, enc);
  assert_encoding (post, (int[]) { 6, 7, 8, 1 }, (int[]) { 0, 3, 6, 7 }, (int[]) { 3, 4, 7, 7 }, 4);

  /* "я" has no piece: "▁" (−2) and one <unk> over it, 0–1. */
  unknown = triad_tokenizer_encode (tok, "я", -1, TRUE, &error);
  g_assert_no_error (error);
  assert_encoding (unknown, (int[]) { 3, 2 }, (int[]) { 0, 0 }, (int[]) { 0, 1 }, 2);

  label = triad_tokenizer_display (tok, 6);
  g_assert_cmpstr (label, ==, "кот");
  lone = triad_tokenizer_display (tok, 3);
  g_assert_cmpstr (lone, ==, "▁");
  g_assert_cmpint (triad_tokenizer_kind (tok), ==, TRIAD_TOKENIZER_UNIGRAM);
  g_assert_cmpint (triad_tokenizer_special_id (tok, TRIAD_TOKEN_EOS), ==, 1);
  g_assert_cmpint (triad_tokenizer_special_id (tok, TRIAD_TOKEN_UNK), ==, 2);
  g_assert_cmpint (triad_tokenizer_special_id (tok, TRIAD_TOKEN_BOS), ==, -1);
}

/* What tokenizers.js leaves out and the tokenizers library defines: a BPE's
 * continuing_subword_prefix and end_of_word_suffix, and Unigram's byte_fallback. */
static void
test_model_options (void)
{
  /* Ids 0 a 1 ##b 2 ab 3 c</w> 4 ##c</w> 5 abc</w>. With the prefix, "abc" starts as a ##b
   * ##c</w>; the merge a + ##b makes "ab" (the prefix of the right side goes), then ab + ##c</w>
   * makes "abc</w>", the whole word, over characters 0–3. */
  static const char prefix_json[] =
    "{\"pre_tokenizer\": {\"type\": \"WhitespaceSplit\"},"
    " \"model\": {\"type\": \"BPE\", \"continuing_subword_prefix\": \"##\","
    "   \"end_of_word_suffix\": \"</w>\","
    "   \"vocab\": {\"a\": 0, \"##b\": 1, \"ab\": 2, \"c</w>\": 3, \"##c</w>\": 4,"
    "     \"abc</w>\": 5},"
    "   \"merges\": [[\"a\", \"##b\"], [\"ab\", \"##c</w>\"]]}}";
  /* Ids 0 <unk> 1 ▁ 2 ▁a 3 <0xD0> 4 <0xB6>: "ж" is D0 B6, not a piece, so its two bytes. */
  static const char unigram_json[] =
    "{\"pre_tokenizer\": {\"type\": \"Metaspace\", \"replacement\": \"▁\","
    "   \"prepend_scheme\": \"always\", \"split\": true},"
    " \"decoder\": {\"type\": \"Sequence\", \"decoders\": [{\"type\": \"ByteFallback\"},"
    "   {\"type\": \"Metaspace\", \"replacement\": \"▁\", \"prepend_scheme\": \"always\"}]},"
    " \"model\": {\"type\": \"Unigram\", \"unk_id\": 0, \"byte_fallback\": true, \"vocab\": ["
    "   [\"<unk>\", 0.0], [\"▁\", -1.0], [\"▁a\", -1.0], [\"<0xD0>\", -5.0], [\"<0xB6>\", -5.0]]}}";
  g_autoptr(TriadTokenizer) bpe = load (prefix_json);
  g_autoptr(TriadTokenizer) unigram = load (unigram_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadEncoding) word = NULL;
  g_autoptr(TriadEncoding) bytes = NULL;
  g_autofree char *decoded = NULL;

  word = triad_tokenizer_encode (bpe, "abc", -1, TRUE, &error);
  g_assert_no_error (error);
  assert_encoding (word, (int[]) { 5 }, (int[]) { 0 }, (int[]) { 3 }, 1);

  /* "a ж": ▁a over "a" (its "▁" is added and covers nothing), 0–1; then "▁ж": the space itself
   * as "▁", 1–2, and the unknown "ж" as its two bytes, each over "ж", 2–3. */
  bytes = triad_tokenizer_encode (unigram, "a ж", -1, TRUE, &error);
  g_assert_no_error (error);
  assert_encoding (bytes, (int[]) { 2, 1, 3, 4 }, (int[]) { 0, 1, 2, 2 }, (int[]) { 1, 2, 3, 3 }, 4);
  decoded = triad_tokenizer_decode (unigram, bytes->ids, bytes->n);
  g_assert_cmpstr (decoded, ==, "a ж");
}

/* A character map of one key, "A" → "a", as darts-clone lays a double-array trie out: 66 units,
 * the root's (unit 0) offset 1 leads to 1 ^ 'A' = 64, whose label is 'A' with a leaf; its
 * offset 1 leads to 65, the leaf, whose value 0 is where "a\0" starts in the pool after them. */
static const char charsmap_json[] =
  "{\"normalizer\": {\"type\": \"Precompiled\", \"precompiled_charsmap\": \"%s\"},"
  " \"pre_tokenizer\": {\"type\": \"WhitespaceSplit\"},"
  " \"model\": {\"type\": \"WordPiece\", \"unk_token\": \"[UNK]\","
  "   \"vocab\": {\"a\": 0, \"##b\": 1, \"[UNK]\": 2}}}";
static const char charsmap_a[] = "CAEAAAAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABBBQAAAAAAgGEA";

static void
test_charsmap (void)
{
  g_autofree char *with = g_strdup_printf (charsmap_json, charsmap_a);
  g_autofree char *without = g_strdup_printf (charsmap_json, "");
  g_autoptr(TriadTokenizer) tok = load (with);
  g_autoptr(TriadTokenizer) plain = load (without);
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadEncoding) enc = NULL;
  g_autoptr(TriadEncoding) unmapped = NULL;
  g_autoptr(GError) broken_error = NULL;
  g_autofree char *broken = g_strdup_printf (charsmap_json, "AAAA");

  /* "Ab": the map makes "A" "a", "b" it has not: "ab", which is "a" "##b" over 0–1 and 1–2. */
  enc = triad_tokenizer_encode (tok, "Ab", -1, TRUE, &error);
  g_assert_no_error (error);
  assert_encoding (enc, (int[]) { 0, 1 }, (int[]) { 0, 1 }, (int[]) { 1, 2 }, 2);
  /* Without a map (NFKC and spaces, as tokenizers.js does) "A" stays, and "Ab" is [UNK]. */
  unmapped = triad_tokenizer_encode (plain, "Ab", -1, TRUE, &error);
  g_assert_no_error (error);
  assert_encoding (unmapped, (int[]) { 2 }, (int[]) { 0 }, (int[]) { 2 }, 1);
  /* "AAAA" is three zero bytes, too few to hold even the size of the trie. */
  g_assert_null (triad_tokenizer_load_from_data (broken, -1, &broken_error));
  g_assert_error (broken_error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER);
}

static void
test_triad_own (void)
{
  static const char * const vocab[] = {
    "<pad>", "<unk>", "<bos>", "<eos>", "<mask>", "<sep>", "▁", "a",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadTokenizer) tok = triad_tokenizer_new (vocab, G_N_ELEMENTS (vocab), NULL, 0,
                                                       &error);
  g_autoptr(TriadEncoding) enc = NULL;
  g_autoptr(TriadEncoding) post = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (triad_tokenizer_kind (tok), ==, TRIAD_TOKENIZER_TRIAD_BPE);
  for (int r = 0; r < TRIAD_N_SPECIAL_TOKENS; r++)
    g_assert_cmpint (triad_tokenizer_special_id (tok, r), ==, r);
  g_assert_true (triad_tokenizer_is_special (tok, 5));
  g_assert_false (triad_tokenizer_is_special (tok, 6));
  /* "a a" is ▁a ▁a with no merges: ▁ a ▁ a; the post-processor adds nothing. */
  enc = triad_tokenizer_encode (tok, "a a", -1, FALSE, &error);
  g_assert_no_error (error);
  post = triad_tokenizer_post_process (tok, enc);
  assert_encoding (post, (int[]) { 6, 7, 6, 7 }, (int[]) { 0, 0, 1, 2 }, (int[]) { 0, 1, 2, 3 }, 4);
}

static void
assert_load_error (const char *json,
                   const char *part1,
                   const char *part2)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadTokenizer) tok = triad_tokenizer_load_from_data (json, -1, &error);

  g_assert_null (tok);
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER);
  if (strstr (error->message, part1) == NULL || (part2 != NULL && strstr (error->message, part2) == NULL))
    g_error ("“%s” does not name “%s” and “%s”", error->message, part1, part2 ? part2 : "");
}

static void
test_errors (void)
{
  g_autofree char *bad_merge = NULL;

  assert_load_error ("{\"model\": {\"type\": \"WordLevel\", \"vocab\": {}}}",
                     "WordLevel", "BPE, WordPiece, Unigram");
  assert_load_error ("{\"normalizer\": {\"type\": \"Fancy\"},"
                     " \"model\": {\"type\": \"WordPiece\", \"vocab\": {\"a\": 0}}}",
                     "Fancy", "BertNormalizer");
  assert_load_error ("{\"pre_tokenizer\": {\"type\": \"Split\", \"pattern\": {\"Regex\": \"(\"},"
                     " \"behavior\": \"Isolated\"},"
                     " \"model\": {\"type\": \"WordPiece\", \"vocab\": {\"a\": 0}}}",
                     "(", NULL);
  assert_load_error ("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 1},"
                     " \"merges\": [\"a b\"]}}", "“a” and “b”", NULL);
  assert_load_error ("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 0},"
                     " \"merges\": []}}", "id 0", NULL);
  assert_load_error ("{\"model\": {\"type\": \"Unigram\", \"vocab\": [[\"a\", \"x\"]]}}",
                     "Unigram vocabulary entry 0", NULL);
  assert_load_error ("{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}", "empty", NULL);
  bad_merge = g_strdup ("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [3]}}");
  assert_load_error (bad_merge, "merge 0", NULL);
}

static void
test_invalid_text (void)
{
  g_autoptr(TriadTokenizer) tok = load (gpt2_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadEncoding) enc = triad_tokenizer_encode (tok, "a\xff", -1, TRUE, &error);

  g_assert_null (enc);
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_TEXT);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/tokenizer-hf/wordpiece-offsets", test_wordpiece_offsets);
  g_test_add_func ("/engine/tokenizer-hf/wordpiece-roles", test_wordpiece_roles);
  g_test_add_func ("/engine/tokenizer-hf/split", test_split);
  g_test_add_func ("/engine/tokenizer-hf/roles-from-config", test_roles_from_config);
  g_test_add_func ("/engine/tokenizer-hf/byte-level", test_byte_level);
  g_test_add_func ("/engine/tokenizer-hf/threads", test_threads);
  g_test_add_func ("/engine/tokenizer-hf/added-tokens", test_added_tokens);
  g_test_add_func ("/engine/tokenizer-hf/unigram", test_unigram);
  g_test_add_func ("/engine/tokenizer-hf/model-options", test_model_options);
  g_test_add_func ("/engine/tokenizer-hf/charsmap", test_charsmap);
  g_test_add_func ("/engine/tokenizer-hf/triad-own", test_triad_own);
  g_test_add_func ("/engine/tokenizer-hf/errors", test_errors);
  g_test_add_func ("/engine/tokenizer-hf/invalid-text", test_invalid_text);

  return g_test_run ();
}
