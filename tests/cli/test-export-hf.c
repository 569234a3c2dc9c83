/* test-export-hf.c — `triad export` of the Attention, Masks, Cross-attention and KV Cache views
 * with --model (and --encoder, --decoder) on folders in the Hugging Face Hub's layout
 * (tests/reference/hf-tiny): each PDF's text holds the model's own tokens, as people read them,
 * and its own words. */
#include "config.h"

#include <string.h>

#include "../engine/test-common.h"
#include "../test-hf.h"

static char *dir;

/* `triad export ARGS… --out dir/NAME --lang en`, which must succeed; the PDF's text, or NULL
 * when pdftotext is missing (the test then skipped or failed). */
static char *
export_text (const char *name,
             const char *first,
             ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *path = g_build_filename (dir, name, NULL);
  TestRun r = { 0 };
  size_t out_len, err_len;
  FILE *out = open_memstream (&r.out, &out_len);
  FILE *err = open_memstream (&r.err, &err_len);
  char *text;
  va_list ap;

  g_ptr_array_add (args, "export");
  g_ptr_array_add (args, (char *) first);
  va_start (ap, first);
  for (const char *a = va_arg (ap, const char *); a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) a);
  va_end (ap);
  g_ptr_array_add (args, "--out");
  g_ptr_array_add (args, path);
  g_ptr_array_add (args, "--lang");
  g_ptr_array_add (args, "en");
  g_ptr_array_add (args, NULL);
  r.status = triad_cli_run (args->len - 1, (char **) args->pdata, out, err);
  fclose (out);
  fclose (err);
  g_test_message ("%s%s", r.out, r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  test_run_clear (&r);
  text = test_pdf_text (path);
  g_unlink (path);
  return text;
}

static void
assert_words (const char         *text,
              const char * const *words)
{
  for (int i = 0; words[i] != NULL; i++)
    if (strstr (text, words[i]) == NULL)
      g_error ("no “%s” in the figure's text:\n%s", words[i], text);
}

/* The tokenizers' marks never show: GPT-2's "Ġ", T5's "▁". */
static void
assert_no_marks (const char *text)
{
  g_assert_null (strstr (text, "Ġ"));
  g_assert_null (strstr (text, "▁"));
}

/* "the cats sat" through each model, its tokens as people read them: GPT-2's byte-level pieces
 * "t" "he" "Ġcat" "s" "Ġsat" without "Ġ"; BERT's [CLS] the cat ##s sat [SEP], "##" kept; T5's
 * "▁the" "▁cat" "s" "▁sat" "</s>" without "▁" (the fixtures' vocabularies have these pieces). */
static void
test_attention (void)
{
  static const struct {
    const char *model;
    const char *words[5];
  } rows[] = {
    { "gpt2", { "Decoder · layer 1 · head 0", "cat", "sat", "he" } },
    { "bert", { "Encoder · layer 1 · head 0", "[CLS]", "##s", "[SEP]" } },
    { "t5", { "encoder self-attention · layer 1 · head 0", "</s>", "cat", "sat" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *model = test_hf_dir (rows[i].model);
      g_autofree char *text = export_text ("attention.pdf", "--view=attention", "--model", model,
                                           "--text", "the cats sat", NULL);

      if (text == NULL)
        return;
      assert_words (text, rows[i].words);
      assert_no_marks (text);
    }
}

/* GPT-2 reads up to its context, the fixture's 64: "the" ("t" "he") and 62 × " cat" ("Ġcat")
 * is 64 tokens and draws; one " cat" more is refused in one sentence that says so. */
static void
test_attention_context (void)
{
  g_autofree char *model = test_hf_dir ("gpt2");
  g_autofree char *path = g_build_filename (dir, "long.png", NULL);
  g_autoptr(GString) text = g_string_new ("the");
  TestRun r;

  for (int i = 0; i < 62; i++)
    g_string_append (text, " cat");
  r = test_run_cli ("export", "--view=attention", "--model", model, "--text", text->str,
                    "--out", path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_unlink (path);
  test_run_clear (&r);

  g_string_append (text, " cat");
  r = test_run_cli ("export", "--view=attention", "--model", model, "--text", text->str,
                    "--out", path, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.err, ==, "triad export: The text is 65 tokens long; this model reads at most 64\n");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  test_run_clear (&r);
}

/* T5's encoder beside GPT-2, each on its own tokens: T5's formula is the one it computes, with
 * its position bias B and no √d_k; --head 5 is T5's (six heads) and GPT-2's last, 3 (four);
 * a layer neither has (both have two) is refused. */
static void
test_masks (void)
{
  g_autofree char *t5 = test_hf_dir ("t5");
  g_autofree char *gpt2 = test_hf_dir ("gpt2");
  g_autofree char *path = g_build_filename (dir, "masks.png", NULL);
  g_autofree char *text = export_text ("masks.pdf", "--view=masks", "--encoder", t5,
                                       "--decoder", gpt2, "--text", "the cats sat",
                                       "--formula", "encoder", "--head", "5", "--step", "3", NULL);
  static const char * const words[] = {
    "encoder: layer 0, head 5 · decoder: layer 0, head 3",
    "Scores Q Kᵀ + B + mask",            /* T5's row */
    "Scores Q Kᵀ / √d_k + mask",         /* GPT-2's */
    "+ B + mask) V",                     /* the formula */
    "+ B: each head adds a learned bias",
    "</s>", NULL,
  };
  TestRun r;

  if (text == NULL)
    return;
  assert_words (text, words);
  assert_no_marks (text);
  g_assert_null (strstr (text, "÷"));

  r = test_run_cli ("export", "--view=masks", "--encoder", t5, "--decoder", gpt2, "--text",
                    "the cat", "--layer", "2", "--out", path, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.err, ==, "triad export: The models have layers 0 to 1 and heads 0 to 5\n");
  test_run_clear (&r);
}

/* T5 on its own prompt: the encoder's tokens are the prompt's words (the folder's tokenizer
 * has them whole), the target starts from <pad>, and the captions name no language. */
static void
test_cross (void)
{
  g_autofree char *t5 = test_hf_t5_with_words (dir);
  g_autofree char *text = export_text ("cross.pdf", "--view=cross", "--model", t5, "--text",
                                       "translate English to German: The house is wonderful.",
                                       "--display", "alignment", NULL);

  if (text == NULL)
    return;
  assert_words (text, (const char * const []) { "translate", "German", ":", "wonderful", "</s>",
                                                "<pad>", "Source · the encoder", "Target · the decoder",
                                                NULL });
  assert_no_marks (text);
  g_assert_null (strstr (text, "Russian"));
}

/* GPT-2 generating 5 tokens after "the cat sat" ("t" "he" "Ġcat" "Ġsat", 4 tokens and no
 * <bos>: GPT-2 adds none), its cache growing one position a step: each position holds K and V
 * of 2 layers × 32 floats × 4 bytes = 512 bytes, so after 5 steps 9 × 512 = 4,608 bytes. */
static void
test_kv (void)
{
  g_autofree char *gpt2 = test_hf_dir ("gpt2");
  g_autofree char *text = export_text ("kv.pdf", "--view=kv", "--preset", "gpt2", "--model", gpt2,
                                       "--text", "the cat sat", "--steps", "5", NULL);
  g_autofree char *model_name = g_path_get_basename (gpt2);
  g_autofree char *title = g_strdup_printf ("%s: K and V allocated per layer (f32)", model_name);

  if (text == NULL)
    return;
  assert_words (text, (const char * const []) { "Step 5: 9 tokens in the cache",
                                                "(4,608 bytes) allocated", title, NULL });
  g_assert_null (strstr (text, "Shipped decoder"));
}

/* A live run takes a decoder-only model: BERT is refused in one sentence. */
static void
test_kv_not_decoder (void)
{
  g_autofree char *bert = test_hf_dir ("bert");
  g_autofree char *path = g_build_filename (dir, "kv.png", NULL);
  TestRun r = test_run_cli ("export", "--view=kv", "--preset", "gpt2", "--model", bert,
                            "--text", "the cat", "--steps", "2", "--out", path, NULL);

  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.err, ==, "triad export: The live run takes a decoder-only model\n");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  test_run_clear (&r);
}

/* The grid of every head of hf-tiny/llama (4 query heads, 2 K/V heads) labels its two groups,
 * "K/V head 0" and "K/V head 1", and no third; GPT-2's grid (multi-head) labels none. */
static void
test_attention_gqa (void)
{
  g_autofree char *llama = test_hf_dir ("llama");
  g_autofree char *gpt2 = test_hf_dir ("gpt2");
  g_autofree char *text = export_text ("gqa.pdf", "--view=attention", "--model", llama,
                                       "--text", "the cat sat on the mat", "--grid", NULL);
  g_autofree char *mha = NULL;

  if (text == NULL)
    return;
  g_assert_nonnull (strstr (text, "K/V head 0"));
  g_assert_nonnull (strstr (text, "K/V head 1"));
  g_assert_null (strstr (text, "K/V head 2"));
  g_assert_nonnull (strstr (text, "Head 3"));
  mha = export_text ("mha.pdf", "--view=attention", "--model", gpt2,
                     "--text", "the cat sat on the mat", "--grid", NULL);
  g_assert_null (strstr (mha, "K/V head"));
  g_assert_nonnull (strstr (mha, "Head 3"));
}

/* `triad export --view kv --model llama --steps 12 --kv-dtype int8` draws the live cache in
 * int8: its bytes per token as the formula with hf-tiny/llama's numbers (2 layers, 2 K/V heads
 * of 8: 2 × 2 × 2 × (8 + 4) = 96 B), the difference heatmap's title at the worst head
 * `triad generate --kv-dtype int8 --max-tokens 12` reports (layer 1, head 3) and its greedy
 * line (no change over 12 steps); fp8, which the projection knows, the live cache refuses. */
static void
test_kv_int8 (void)
{
  g_autofree char *llama = test_hf_dir ("llama");
  g_autofree char *path = g_build_filename (dir, "kv.png", NULL);
  g_autofree char *text = export_text ("kv-int8.pdf", "--view=kv", "--preset", "llama-3-8b",
                                       "--model", llama, "--text", "the cat sat on the mat",
                                       "--steps", "12", "--kv-dtype", "int8", NULL);
  const char * const words[] = {
    "llama: K and V allocated per layer (int8)", "= 96 B", "measured 96 B",
    "Attention weights, int8 − f32 · layer 1 · head 3", "Greedy token changed at 0 of 12 steps",
    NULL,
  };
  TestRun r;

  if (text == NULL)
    return;
  /* the PDF's lines break where the figure wraps them: one line of words */
  g_strdelimit (text, "\n", ' ');
  assert_words (text, words);
  r = test_run_cli ("export", "--view=kv", "--preset", "llama-3-8b", "--model", llama, "--text",
                    "the cat", "--steps", "2", "--kv-dtype", "fp8", "--out", path, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.err, ==, "triad export: The live cache is stored as f32, f16, bf16, int8 "
                   "or int4, not fp8\n");
  test_run_clear (&r);
}

/* --preset model projects the live run's own decoder: hf-tiny/llama's 256 bytes a token in
 * f32 (2 × 2 layers × 2 K/V heads × 8 × 4 B) on the projection's side and the live side
 * alike; without --text there is no decoder to project. */
static void
test_kv_model_preset (void)
{
  g_autofree char *llama = test_hf_dir ("llama");
  g_autofree char *path = g_build_filename (dir, "kv.png", NULL);
  g_autofree char *text = export_text ("kv-model.pdf", "--view=kv", "--preset", "model",
                                       "--model", llama, "--text", "the cat sat on the mat",
                                       "--steps", "4", NULL);
  const char * const words[] = {
    "llama · KV cache on its weights (f32, batch 1)", "a token: 256 bytes (256 bytes) over 2 layers",
    "= 256 B; measured 256 B, as the projection of this model’s config", NULL,
  };
  TestRun r;

  if (text == NULL)
    return;
  g_strdelimit (text, "\n", ' ');
  assert_words (text, words);
  r = test_run_cli ("export", "--view=kv", "--preset", "model", "--model", llama, "--out", path,
                    NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.err, ==, "triad export: --preset model projects the live run’s decoder: "
                   "give --text\n");
  test_run_clear (&r);
}

int
main (int argc, char **argv)
{
  int status;

  test_bind_translations ();
  g_test_init (&argc, &argv, NULL);
  dir = test_tmpdir ();
  g_test_add_func ("/export-hf/attention", test_attention);
  g_test_add_func ("/export-hf/attention-context", test_attention_context);
  g_test_add_func ("/export-hf/attention-gqa", test_attention_gqa);
  g_test_add_func ("/export-hf/masks", test_masks);
  g_test_add_func ("/export-hf/cross", test_cross);
  g_test_add_func ("/export-hf/kv", test_kv);
  g_test_add_func ("/export-hf/kv-int8", test_kv_int8);
  g_test_add_func ("/export-hf/kv-model-preset", test_kv_model_preset);
  g_test_add_func ("/export-hf/kv-not-decoder", test_kv_not_decoder);
  status = g_test_run ();
  test_rmdir (dir);
  g_free (dir);
  return status;
}
