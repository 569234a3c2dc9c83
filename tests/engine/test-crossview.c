/* test-crossview.c — step-by-step decoding for the Cross-attention view against full passes,
 * the shapes and sums of what it captures, the decoder translating by prompt, and the
 * view's export command. */
#include "config.h"

#include <math.h>
#include <cairo.h>

#include "cli/cli-private.h"
#include "engine/analysis.h"
#include "engine/crossview.h"
#include "engine/error.h"
#include "test-common.h"

static const int src_ids[] = { 10, 4, 17, 8, 21, 3 };
static const int tgt_ids[] = { 2, 9, 14, 7, 7, 20, 11, 6, 18 };
#define N_SRC ((int) G_N_ELEMENTS (src_ids))
#define N_TGT ((int) G_N_ELEMENTS (tgt_ids))

static float
max_abs_diff (const float *a,
              const float *b,
              size_t       n)
{
  float m = 0;
  for (size_t i = 0; i < n; i++)
    m = MAX (m, fabsf (a[i] - b[i]));
  return m;
}

/* Step t of the view holds, for every layer and head, the rows a full teacher-forced pass over
 * the first t target tokens computes (tolerance 1e-5): the decoder's causal self-attention
 * (t × t) and the cross-attention (t × source). The decoder's K/V after step t is t positions
 * of every layer's K and V: t · layers · 2 · dim · 4 bytes; the cross K/V is the source's,
 * the same at every step. */
static void
test_steps_match_full_pass (void)
{
  g_autoptr(TriadModel) m = test_model (TRIAD_ARCH_ENCDEC, 7);
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadCrossView) v = NULL;
  const TriadConfig *c = &m->config;
  int L = c->n_dec_layers, H = c->n_heads;
  size_t position_bytes = (size_t) L * 2 * c->dim * sizeof (float);
  float worst_self = 0, worst_cross = 0, worst_enc;

  v = triad_cross_view_compute_ids (m, src_ids, N_SRC, tgt_ids, N_TGT, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (v);
  g_assert_false (v->generated);
  g_assert_cmpint (v->src->n, ==, N_SRC);
  g_assert_cmpint (v->tgt->n, ==, N_TGT);

  /* the encoder's self-attention: one pass over the source */
  {
    g_autoptr(TriadState) s = triad_state_new (m);
    TriadCapture cap = { .kind = TRIAD_ATTN_ENCODER_SELF, .layer = -1, .head = -1 };

    g_assert_true (triad_encoder_forward (s, src_ids, N_SRC, &cap, 1, &error));
    g_assert_no_error (error);
    worst_enc = max_abs_diff (cap.weights, v->enc_self,
                              (size_t) c->n_enc_layers * H * N_SRC * N_SRC);
    g_assert_cmpfloat (worst_enc, <, 1e-6);
    triad_capture_clear (&cap);
  }

  for (int t = 1; t <= N_TGT; t++)
    {
      g_autoptr(TriadState) s = triad_state_new (m);
      TriadCapture caps[2] = {
        { .kind = TRIAD_ATTN_DECODER_SELF, .layer = -1, .head = -1 },
        { .kind = TRIAD_ATTN_CROSS, .layer = -1, .head = -1 },
      };

      s->kv_block = 1;
      g_assert_true (triad_encoder_forward (s, src_ids, N_SRC, NULL, 0, &error));
      g_assert_true (triad_decoder_forward (s, tgt_ids, t, caps, 2, &error));
      g_assert_no_error (error);
      g_assert_cmpint (caps[0].n_q, ==, t);
      g_assert_cmpint (caps[0].n_k, ==, t);
      g_assert_cmpint (caps[1].n_k, ==, N_SRC);

      for (int l = 0; l < L; l++)
        for (int h = 0; h < H; h++)
          {
            const float *full_self = triad_capture_matrix (&caps[0], l, h);
            const float *full_cross = triad_capture_matrix (&caps[1], l, h);
            const float *step_self = triad_cross_view_matrix (v, TRIAD_ATTN_DECODER_SELF, l, h,
                                                              NULL);
            const float *step_cross = triad_cross_view_matrix (v, TRIAD_ATTN_CROSS, l, h, NULL);

            /* the first t rows and columns of the view's (T, T) matrix */
            for (int r = 0; r < t; r++)
              worst_self = MAX (worst_self, max_abs_diff (full_self + (size_t) r * t,
                                                          step_self + (size_t) r * N_TGT, t));
            worst_cross = MAX (worst_cross, max_abs_diff (full_cross, step_cross,
                                                          (size_t) t * N_SRC));
          }
      g_assert_cmpuint (v->kv_bytes[t - 1], ==, triad_state_kv_bytes (s));
      g_assert_cmpuint (v->kv_bytes[t - 1], ==, (size_t) t * position_bytes);
      g_assert_cmpuint (v->cross_bytes[t - 1], ==, (size_t) N_SRC * position_bytes);
      triad_capture_clear (&caps[0]);
      triad_capture_clear (&caps[1]);
    }
  g_test_message ("largest difference, step by step vs full pass: self %g, cross %g",
                  worst_self, worst_cross);
  g_assert_cmpfloat (worst_self, <, 1e-5);
  g_assert_cmpfloat (worst_cross, <, 1e-5);
}

/* Every row of every attention is a distribution (sums to 1 within 1e-5); the
 * cross-attention is target × source; the decoder's is zero right of the diagonal; the mean of
 * the heads is a distribution too. */
static void
test_shapes_and_sums (void)
{
  g_autoptr(TriadModel) m = test_model (TRIAD_ARCH_ENCDEC, 11);
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadCrossView) v = NULL;
  /* the largest mean: the encoder's (source × source) or the decoder's (target × target) */
  g_autofree float *mean = g_new (float, MAX (N_SRC, N_TGT) * MAX (N_SRC, N_TGT));
  TriadAttnKind kinds[] = { TRIAD_ATTN_ENCODER_SELF, TRIAD_ATTN_DECODER_SELF, TRIAD_ATTN_CROSS };
  int n_q, n_k;

  v = triad_cross_view_compute_ids (m, src_ids, N_SRC, tgt_ids, N_TGT, NULL, &error);
  g_assert_no_error (error);
  triad_cross_view_shape (v, TRIAD_ATTN_CROSS, &n_q, &n_k);
  g_assert_cmpint (n_q, ==, N_TGT);
  g_assert_cmpint (n_k, ==, N_SRC);
  triad_cross_view_shape (v, TRIAD_ATTN_DECODER_SELF, &n_q, &n_k);
  g_assert_cmpint (n_q, ==, N_TGT);
  g_assert_cmpint (n_k, ==, N_TGT);
  triad_cross_view_shape (v, TRIAD_ATTN_ENCODER_SELF, &n_q, &n_k);
  g_assert_cmpint (n_q, ==, N_SRC);
  g_assert_cmpint (n_k, ==, N_SRC);

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    for (int l = 0; l < triad_cross_view_n_layers (v, kinds[k]); l++)
      for (int h = -1; h < v->n_heads; h++)
        {
          const float *w;

          triad_cross_view_shape (v, kinds[k], &n_q, &n_k);
          w = triad_cross_view_matrix (v, kinds[k], l, h, mean);
          if (h < 0)
            g_assert_true (w == mean);
          for (int r = 0; r < n_q; r++)
            {
              double sum = 0;

              for (int j = 0; j < n_k; j++)
                {
                  g_assert_cmpfloat (w[r * n_k + j], >=, 0.0f);
                  if (kinds[k] == TRIAD_ATTN_DECODER_SELF && j > r)
                    g_assert_cmpfloat (w[r * n_k + j], ==, 0.0f);
                  sum += w[r * n_k + j];
                }
              g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-5);
            }
        }
}

/* With no target the view decodes greedily as it goes: the target is <bos> and what the model
 * wrote, each step's prediction is the next target token, the last one's is <eos>, and it is
 * the same translation as the attention map's. The shipped model translates the toy world's
 * "the big cat saw a small dog" as its grammar says: "большая кошка видела маленькую собаку". */
static void
test_greedy_translation (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = triad_model_resolve ("encdec", &error);
  g_autoptr(TriadModel) m = NULL;
  g_autoptr(TriadCrossView) v = NULL;
  g_autoptr(TriadAttentionMap) map = NULL;
  g_autofree char *text = NULL;
  const char *english = "the big cat saw a small dog";
  int T;

  g_assert_no_error (error);
  m = triad_model_load (dir, &error);
  g_assert_no_error (error);
  v = triad_cross_view_compute (m, english, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (v->generated);
  T = v->tgt->n;
  g_assert_cmpint (v->tgt->ids[0], ==, TRIAD_TOKEN_BOS);
  for (int t = 0; t + 1 < T; t++)
    g_assert_cmpint (v->predicted[t], ==, v->tgt->ids[t + 1]);
  g_assert_cmpint (v->predicted[T - 1], ==, TRIAD_TOKEN_EOS);
  text = triad_tokenizer_decode (m->tokenizer, v->tgt->ids + 1, T - 1);
  g_assert_cmpstr (g_strstrip (text), ==, "большая кошка видела маленькую собаку");
  /* the source: seven words and <eos> */
  g_assert_cmpint (v->src->n, ==, 8);

  map = triad_attention_map_compute (m, english, NULL, TRIAD_ATTN_CROSS, -1, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (map->tgt->n, ==, T);
  for (int t = 0; t < T; t++)
    g_assert_cmpint (map->tgt->ids[t], ==, v->tgt->ids[t]);
  /* and the same weights as that full pass, to 1e-5 */
  g_assert_cmpfloat (max_abs_diff (map->cap.weights, v->cross,
                                   (size_t) v->n_dec_layers * v->n_heads * T * v->src->n),
                     <, 1e-5);
}

/* A typed target is read as it is: <bos> and its tokens, no generation. */
static void
test_teacher_forcing (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = triad_model_resolve ("encdec", &error);
  g_autoptr(TriadModel) m = triad_model_load (dir, &error);
  g_autoptr(TriadCrossView) v = NULL;

  g_assert_no_error (error);
  v = triad_cross_view_compute (m, "the cat slept", "кошка спала на столе", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (v->generated);
  /* <bos> кошка спала на столе */
  g_assert_cmpint (v->tgt->n, ==, 5);
  g_assert_cmpint (v->tgt->ids[0], ==, TRIAD_TOKEN_BOS);
  g_assert_cmpstr (v->tgt->pieces[1], ==, "▁кошка");
}

/* The decoder-only model by prompt: its English tokens are the seven words, its query rows
 * the prompt's last token (":") and the Russian ones; the block is the map's weights at those
 * rows and columns, the mean of the heads is the heads' mean, and the share on the English
 * lies in [0, 1]. */
static void
test_prompt (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = triad_model_resolve ("decoder", &error);
  g_autoptr(TriadModel) m = triad_model_load (dir, &error);
  g_autoptr(TriadPromptView) p = NULL;
  g_autoptr(TriadPromptView) own = NULL;
  g_autoptr(TriadAttentionMap) map = NULL;
  g_autofree float *block = NULL, *mean = NULL, *h0 = NULL;
  const char *english = "the big cat saw a small dog";
  const char *russian = "большая кошка видела маленькую собаку";
  g_autofree char *full = g_strdup_printf ("EN: %s RU: %s", english, russian);
  int rows, cols, n;
  double share;

  g_assert_no_error (error);
  p = triad_prompt_view_compute (m, english, russian, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (p->generated);
  cols = p->en_end - p->en_start;
  rows = p->ru_end - p->ru_start;
  g_assert_cmpint (cols, ==, 7);
  g_assert_cmpstr (p->tokens->pieces[p->en_start], ==, "▁the");
  g_assert_cmpstr (p->tokens->pieces[p->en_end - 1], ==, "▁dog");
  g_assert_cmpint (rows, ==, 1 + 5);
  g_assert_cmpstr (p->tokens->pieces[p->ru_start], ==, ":");
  g_assert_cmpstr (p->tokens->pieces[p->ru_start + 1], ==, "▁большая");

  map = triad_attention_map_compute (m, full, NULL, TRIAD_ATTN_DECODER_SELF, -1, -1, NULL,
                                     &error);
  g_assert_no_error (error);
  n = map->cap.n_q;
  g_assert_cmpint (n, ==, p->tokens->n);
  block = g_new (float, rows * cols);
  h0 = g_new (float, rows * cols);
  mean = g_new0 (float, rows * cols);
  triad_prompt_view_block (p, 2, 1, block);
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++)
      g_assert_cmpfloat_with_epsilon (block[r * cols + c],
                                      triad_capture_matrix (&map->cap, 2, 1)
                                        [(p->ru_start + r) * n + p->en_start + c], 1e-6);
  for (int h = 0; h < p->n_heads; h++)
    {
      triad_prompt_view_block (p, 1, h, h0);
      for (int i = 0; i < rows * cols; i++)
        mean[i] += h0[i] / p->n_heads;
    }
  triad_prompt_view_block (p, 1, -1, block);
  g_assert_cmpfloat (max_abs_diff (block, mean, rows * cols), <, 1e-6);
  share = triad_prompt_view_english_share (p, 1, -1);
  g_assert_cmpfloat (share, >, 0.0);
  g_assert_cmpfloat (share, <=, 1.0 + 1e-6);

  /* its own continuation: the prompt, then what it wrote */
  own = triad_prompt_view_compute (m, english, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (own->generated);
  g_assert_cmpint (own->en_end - own->en_start, ==, 7);
  g_assert_cmpstr (own->tokens->pieces[own->ru_start], ==, ":");
  g_assert_cmpint (own->ru_end, ==, own->tokens->n);
  g_assert_cmpint (own->ru_end - own->ru_start, >=, 2);
}

static void
test_errors (void)
{
  g_autoptr(TriadModel) dec = test_model (TRIAD_ARCH_DECODER, 3);
  g_autoptr(TriadModel) encdec = test_model (TRIAD_ARCH_ENCDEC, 3);
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  TriadCrossView *v;

  v = triad_cross_view_compute_ids (dec, src_ids, N_SRC, NULL, 0, NULL, &error);
  g_assert_null (v);
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_null (triad_prompt_view_compute (encdec, "cat", NULL, NULL, &error));
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_cancellable_cancel (cancelled);
  v = triad_cross_view_compute_ids (encdec, src_ids, N_SRC, NULL, 0, cancelled, &error);
  g_assert_null (v);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* ---- export --view cross ------------------------------------------------------------- */

/* Runs the export as `triad export ARGS…` would once it dispatches --view cross here. */
static TestRun
run_export_cross (const char *first,
                  ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  TestRun r = { 0 };
  size_t out_len, err_len;
  FILE *out = open_memstream (&r.out, &out_len);
  FILE *err = open_memstream (&r.err, &err_len);
  va_list ap;

  g_ptr_array_add (args, (char *) "export");
  g_ptr_array_add (args, (char *) first);
  va_start (ap, first);
  for (const char *a = va_arg (ap, const char *); a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  r.status = triad_cli_export_cross (args->len - 1, (char **) args->pdata, out, err);
  fclose (out);
  fclose (err);
  return r;
}

static void
assert_png (const char *path,
            int         width,
            int         height)
{
  cairo_surface_t *png = cairo_image_surface_create_from_png (path);

  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, width);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, height);
  cairo_surface_destroy (png);
}

static void
test_cli_export (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *png = g_build_filename (dir, "cross.png", NULL);
  const char *displays[] = { "heatmaps", "alignment", "prompt" };

  for (guint i = 0; i < G_N_ELEMENTS (displays); i++)
    {
      TestRun r = run_export_cross ("--view", "cross", "--text", "the big cat saw a small dog",
                                    "--out", png, "--display", displays[i], "--width", "600",
                                    "--height", "400", "--scale", "2", NULL);

      g_assert_cmpstr (r.err, ==, "");
      g_assert_cmpint (r.status, ==, 0);
      g_assert_nonnull (strstr (r.out, "\"width\":1200"));
      assert_png (png, 1200, 800);
      g_unlink (png);
      test_run_clear (&r);
    }
  {
    TestRun r = run_export_cross ("--text", "the cat slept", "--target", "кошка спала",
                                  "--out", png, "--layer", "0", "--head", "1", "--step", "2",
                                  "--theme", "dark", NULL);

    g_assert_cmpstr (r.err, ==, "");
    g_assert_cmpint (r.status, ==, 0);
    assert_png (png, 1400, 900);
    g_unlink (png);
    test_run_clear (&r);
  }
  test_rmdir (dir);
}

static void
test_cli_export_errors (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *png = g_build_filename (dir, "cross.png", NULL);
  g_autofree char *missing = g_build_filename (dir, "no", "cross.png", NULL);
  struct { int status; const char *args[6]; } cases[] = {
    { 2, { "--display", "lines" } },
    { 2, { "--view", "attention" } },
    { 2, { "--head", "1", "--mean" } },
    { 2, { "--step", "0" } },
    { 2, { "--step", "99" } },
    { 2, { "--layer", "9" } },
    { 2, { "--width", "2" } },
    { 1, { "--model", "/nonexistent/model" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TestRun r = run_export_cross ("--text", "the cat slept", "--out", png,
                                    cases[i].args[0], cases[i].args[1], cases[i].args[2],
                                    NULL);

      g_assert_cmpint (r.status, ==, cases[i].status);
      /* one line that names the command */
      g_assert_true (g_str_has_prefix (r.err, "triad export: "));
      g_assert_cmpint (strchr (r.err, '\n') - r.err, ==, strlen (r.err) - 1);
      g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
      test_run_clear (&r);
    }
  {
    /* no --out, an empty text, a folder that is not there */
    TestRun r = run_export_cross ("--text", "the cat", NULL);
    g_assert_cmpint (r.status, ==, 2);
    test_run_clear (&r);
    r = run_export_cross ("--text", "  ", "--out", png, NULL);
    g_assert_cmpint (r.status, ==, 1);
    test_run_clear (&r);
    r = run_export_cross ("--text", "the cat", "--out", missing, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
    test_run_clear (&r);
  }
  test_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/crossview/steps-match-full-pass", test_steps_match_full_pass);
  g_test_add_func ("/engine/crossview/shapes-and-sums", test_shapes_and_sums);
  g_test_add_func ("/engine/crossview/greedy-translation", test_greedy_translation);
  g_test_add_func ("/engine/crossview/teacher-forcing", test_teacher_forcing);
  g_test_add_func ("/engine/crossview/prompt", test_prompt);
  g_test_add_func ("/engine/crossview/errors", test_errors);
  g_test_add_func ("/engine/crossview/cli-export", test_cli_export);
  g_test_add_func ("/engine/crossview/cli-export-errors", test_cli_export_errors);
  return g_test_run ();
}
