/* test-real-models.c — the scenes on real models' folders (tests/reference/hf-tiny): the Masks
 * view's formula as T5 computes it, an encoder and a decoder with tokenizers, layers and heads
 * of their own, token labels as people read them, the cross-attention of T5 on a translation
 * prompt with its greedy output, and the Attention view at the model's whole context. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "../engine/test-common.h"
#include "../test-hf.h"
#include "engine/error.h"
#include "engine/formula.h"
#include "scenes/attention-scene.h"
#include "scenes/cross-scene.h"
#include "scenes/kv-scene.h"
#include "scenes/masks-scene.h"

static TriadModel *gpt2, *bert, *t5, *llama, *mistral;

static TriadModel *
load (const char *name)
{
  g_autofree char *dir = test_hf_dir (name);
  g_autoptr(GError) error = NULL;
  TriadModel *m = triad_model_load (dir, &error);

  g_assert_no_error (error);
  return m;
}

static void
assert_no_prefix (const char * const *labels,
                  int                 n,
                  const char         *mark)
{
  for (int i = 0; i < n; i++)
    if (g_str_has_prefix (labels[i], mark))
      g_error ("label %d is “%s”: the tokenizer's %s shows", i, labels[i], mark);
}

static void
masks_opt_init (TriadMasksOptions *opt,
                gboolean           formula_decoder)
{
  *opt = (TriadMasksOptions) {
    .position = -1, .formula_decoder = formula_decoder, .formula_step = 3, .hover_model = -1,
    .hover_row = -1, .hover_col = -1, .cmap = TRIAD_COLORMAP_VIRIDIS,
  };
}

/* T5 does not divide its scores by √d_k and adds a learned bias per head and distance: the
 * formula's fourth step is + B, its matrix Q Kᵀ + B summed here from the trace's own q, k and
 * bias, and each softmax row sums to 1. The decoder beside it (GPT-2) keeps ÷ √d_k. */
static void
test_masks_t5_formula (void)
{
  g_autoptr(GError) error = NULL;
  const char *text = "the cat sat on the mat";
  TriadFormulaTrace *enc = triad_formula_trace (t5, text, 1, 4, 0, NULL, &error);
  TriadFormulaTrace *dec;
  g_autoptr(TriadMasksScene) scene = NULL;
  const TriadFormula *f;
  const TriadMaskGrid *grid;
  TriadMasksOptions opt;
  double max_bias = 0.0;
  int n, d;

  g_assert_no_error (error);
  dec = triad_formula_trace (gpt2, text, 1, 2, 0, NULL, &error);
  g_assert_no_error (error);
  /* the fixture's T5: d_kv = 8 (not d_model / heads = 32 / 6); "the cat sat on the mat" is
   * six pieces of its vocabulary ("▁the", "▁cat", "▁sat", "▁on", "▁the", "▁mat") and </s> */
  n = enc->n;
  d = enc->d_k;
  g_assert_cmpint (d, ==, 8);
  g_assert_cmpint (n, ==, 7);
  g_assert_nonnull (enc->bias);
  scene = triad_masks_scene_new (enc, dec, NULL);
  masks_opt_init (&opt, FALSE);
  triad_masks_scene_update (scene, &opt);
  f = triad_masks_scene_formula (scene);
  grid = triad_masks_scene_grid (scene);

  g_assert_true (f->bias);
  g_assert_cmpstr (f->steps[3].title, ==, "+ B");
  for (int i = 0; i < TRIAD_FORMULA_STEPS; i++)
    g_assert_null (strstr (f->steps[i].title, "√"));
  g_assert_true (g_str_has_prefix (f->caption, "+ B:"));
  g_assert_cmpstr (grid->cells[0][1].title, ==, "Scores Q Kᵀ + B + mask");
  g_assert_cmpstr (grid->cells[1][1].title, ==, "Scores Q Kᵀ / √d_k + mask");

  for (int i = 0; i < n; i++)
    {
      double row = 0.0;

      for (int j = 0; j < n; j++)
        {
          double qk = 0.0, b = enc->bias[i * n + j];

          for (int c = 0; c < d; c++)
            qk += (double) enc->q[i * d + c] * enc->k[j * d + c];
          max_bias = MAX (max_bias, fabs (b));
          g_assert_cmpfloat_with_epsilon (f->steps[3].values[i * n + j], qk + b,
                                          1e-4 * MAX (1.0, fabs (qk + b)));
          row += f->steps[5].values[i * n + j];
        }
      g_assert_cmpfloat_with_epsilon (row, 1.0, 1e-5);
    }
  /* a bias of zeros would make the sum above prove nothing */
  g_assert_cmpfloat (max_bias, >, 0.01);

  /* the decoder's formula: GPT-2 scales and has no bias */
  masks_opt_init (&opt, TRUE);
  triad_masks_scene_update (scene, &opt);
  f = triad_masks_scene_formula (scene);
  g_assert_false (f->bias);
  g_assert_cmpstr (f->steps[3].title, ==, "÷ √d_k");
  g_assert_true (g_str_has_prefix (f->caption, "÷ √d_k:"));
}

/* BERT beside GPT-2: each reads the text with its own tokenizer, so the rows have their own
 * tokens and lengths, labelled as people read them; the title names each one's layer and head. */
static void
test_masks_two_tokenizers (void)
{
  g_autoptr(GError) error = NULL;
  /* BERT's WordPiece: [CLS] the cat ##s sat [SEP] (the fixture's vocabulary has "cat" and
   * "##s"); GPT-2's byte-level BPE: "t" "he" (no unprefixed "the" in its vocabulary), "Ġcat",
   * "s", "Ġsat" */
  const char *text = "the cats sat";
  static const char * const bert_tokens[] = { "[CLS]", "the", "cat", "##s", "sat", "[SEP]" };
  static const char * const gpt2_tokens[] = { "t", "he", "cat", "s", "sat" };
  TriadFormulaTrace *enc = triad_formula_trace (bert, text, 1, 3, 0, NULL, &error);
  TriadFormulaTrace *dec;
  g_autoptr(TriadMasksScene) scene = NULL;
  const TriadMaskGrid *grid;
  TriadMasksOptions opt;

  g_assert_no_error (error);
  dec = triad_formula_trace (gpt2, text, 0, 1, 0, NULL, &error);
  g_assert_no_error (error);
  scene = triad_masks_scene_new (enc, dec, NULL);
  masks_opt_init (&opt, TRUE);
  triad_masks_scene_update (scene, &opt);
  grid = triad_masks_scene_grid (scene);

  g_assert_cmpint (grid->cells[0][0].rows, ==, G_N_ELEMENTS (bert_tokens));
  g_assert_cmpint (grid->cells[1][0].rows, ==, G_N_ELEMENTS (gpt2_tokens));
  for (guint i = 0; i < G_N_ELEMENTS (bert_tokens); i++)
    g_assert_cmpstr (grid->cells[0][2].row_labels[i], ==, bert_tokens[i]);
  for (guint i = 0; i < G_N_ELEMENTS (gpt2_tokens); i++)
    g_assert_cmpstr (grid->cells[1][2].col_labels[i], ==, gpt2_tokens[i]);
  g_assert_cmpstr (grid->title, ==,
                   "The same text, two masks · encoder: layer 1, head 3 · decoder: layer 0, head 1");
  g_assert_cmpint (triad_masks_scene_n_decoder (scene), ==, 5);
}

/* T5 on its own prompt: the encoder reads the words of the prompt (the pieces' "▁" dropped,
 * </s> shown as such), the decoder starts from <pad> (decoder_start_token_id 0) and writes its
 * greedy output: every token the argmax of the logits that a pass over the whole target
 * (teacher forcing, no cache) gives at the position before. */
static void
test_cross_t5_prompt (void)
{
  static const char * const words[] = {
    "translate", "English", "to", "German", ":", "The", "house", "is", "wonderful", ".", "</s>",
  };
  g_autofree char *tmp = test_tmpdir ();
  g_autofree char *dir = test_hf_t5_with_words (tmp);
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadModel) model = triad_model_load (dir, &error);
  g_autoptr(TriadCrossScene) scene = NULL;
  g_autoptr(TriadState) state = NULL;
  const TriadCrossView *v;
  const char * const *src, * const *tgt;
  int vocab;

  g_assert_no_error (error);
  scene = triad_cross_scene_compute (model, NULL, "translate English to German: The house is wonderful.",
                                     NULL, NULL, &error);
  g_assert_no_error (error);
  v = triad_cross_scene_view (scene);
  src = triad_cross_scene_src_labels (scene);
  tgt = triad_cross_scene_tgt_labels (scene);
  g_assert_cmpint (v->src->n, ==, G_N_ELEMENTS (words));
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    g_assert_cmpstr (src[i], ==, words[i]);
  g_assert_true (v->generated);
  g_assert_cmpint (v->tgt->ids[0], ==, 0);
  g_assert_cmpstr (tgt[0], ==, "<pad>");
  assert_no_prefix (tgt, v->tgt->n, "▁");
  /* random weights never choose </s>: the decoder writes to the end of its 64 positions */
  g_assert_cmpint (v->tgt->n, ==, 64);

  state = triad_state_new (model);
  g_assert_true (triad_encoder_forward (state, v->src->ids, v->src->n, NULL, 0, &error));
  g_assert_true (triad_decoder_forward (state, v->tgt->ids, v->tgt->n, NULL, 0, &error));
  g_assert_no_error (error);
  vocab = model->config.vocab_size;
  g_assert_cmpint (state->n_logits, ==, v->tgt->n);
  for (int t = 0; t + 1 < v->tgt->n; t++)
    {
      const float *row = state->logits + (size_t) t * vocab;
      int best = 0;

      for (int j = 1; j < vocab; j++)
        if (row[j] > row[best])
          best = j;
      g_assert_cmpint (v->tgt->ids[t + 1], ==, best);
    }
  test_rmdir (tmp);
}

/* The Attention view at GPT-2's whole context (the fixture's n_positions, 64): "the" is "t"
 * "he" and each " cat" one piece "Ġcat", so "the" and 62 × " cat" is 64 tokens and one more
 * is too many. Labels show "cat", not "Ġcat". */
static void
test_attention_context (void)
{
  g_autoptr(GString) text = g_string_new ("the");
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadAttentionScene) scene = NULL;
  g_autoptr(TriadAttentionScene) over = NULL;
  TriadAttentionOptions opt;
  const float *w;
  int n_q, n_k;

  for (int i = 0; i < 62; i++)
    g_string_append (text, " cat");
  scene = triad_attention_scene_compute (gpt2, text->str, NULL, TRIAD_ATTN_DECODER_SELF, 1, -1,
                                         NULL, &error);
  g_assert_no_error (error);
  triad_attention_options_init (&opt);
  opt.layer = 1;
  opt.head = 3;
  g_assert_true (triad_attention_scene_update (scene, &opt));
  w = triad_attention_scene_get_weights (scene, &n_q, &n_k);
  g_assert_cmpint (n_q, ==, 64);
  g_assert_cmpint (n_k, ==, 64);
  /* causal: the last row spreads over all 64 keys and sums to 1 */
  {
    double sum = 0.0;

    for (int j = 0; j < 64; j++)
      sum += w[63 * 64 + j];
    g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-5);
  }
  g_assert_cmpstr (triad_attention_scene_get_labels (scene, TRUE)[63], ==, "cat");
  assert_no_prefix (triad_attention_scene_get_labels (scene, FALSE), 64, "Ġ");
  {
    cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 800, 800);
    cairo_t *cr = cairo_create (s);
    TriadFigureStyle style;

    triad_figure_style_init (&style, FALSE);
    triad_attention_scene_draw (scene, cr, &style, 800, 800);
    g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
    cairo_destroy (cr);
    cairo_surface_destroy (s);
  }

  g_string_append (text, " cat");
  over = triad_attention_scene_compute (gpt2, text->str, NULL, TRIAD_ATTN_DECODER_SELF, 1, -1,
                                        NULL, &error);
  g_assert_null (over);
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_TOO_LONG);
}

/* A decoder of GPT-2's context, 1,024 positions, built in memory (random weights, one layer):
 * <bos>, the word's "▁" and 1,022 letters fill it, and the scene holds and draws all 1,024
 * rows. */
static void
test_attention_1024 (void)
{
  TriadConfig c = test_config (TRIAD_ARCH_DECODER);
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadModel) m = NULL;
  g_autoptr(TriadAttentionScene) scene = NULL;
  g_autofree char *text = g_new0 (char, 1023);
  TriadAttentionOptions opt;
  const float *w;
  int n_q, n_k;

  c.max_seq_len = 1024;
  c.n_dec_layers = 1;
  m = triad_model_new_random (&c, 5, &error);
  g_assert_no_error (error);
  m->tokenizer = test_tokenizer (c.vocab_size);
  /* "▁" and single letters are pieces of the test tokenizer: one token each */
  for (int i = 0; i < 1022; i++)
    text[i] = "abc"[i % 3];
  scene = triad_attention_scene_compute (m, text, NULL, TRIAD_ATTN_DECODER_SELF, 0, -1, NULL,
                                         &error);
  g_assert_no_error (error);
  triad_attention_options_init (&opt);
  opt.mode = TRIAD_ATTENTION_MEAN;
  g_assert_true (triad_attention_scene_update (scene, &opt));
  w = triad_attention_scene_get_weights (scene, &n_q, &n_k);
  g_assert_cmpint (n_q, ==, 1024);
  g_assert_cmpint (n_k, ==, 1024);
  {
    double sum = 0.0;

    for (int j = 0; j < 1024; j++)
      sum += w[1023 * 1024 + j];
    g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-4);
  }
  /* the mean's heatmap, its lines and the grid of every head */
  for (int i = 0; i < 3; i++)
    {
      cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 600, 600);
      cairo_t *cr = cairo_create (s);
      TriadFigureStyle style;

      opt.mode = i < 2 ? TRIAD_ATTENTION_MEAN : TRIAD_ATTENTION_GRID;
      opt.lines = i == 1;
      g_assert_true (triad_attention_scene_update (scene, &opt));
      triad_figure_style_init (&style, FALSE);
      g_test_timer_start ();
      triad_attention_scene_draw (scene, cr, &style, 600, 600);
      g_test_message ("figure %d drawn in %.3f s", i, g_test_timer_elapsed ());
      g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
      cairo_destroy (cr);
      cairo_surface_destroy (s);
    }
}

/* Llama rotates q and k by their positions before Q Kᵀ. The formula's Q and K steps show both:
 * the rotated vectors equal the unrotated ones turned here, pair (j, j + d/2) by the angle
 * position × inv_freq[j] as Llama's rotate_half pairs them; the scores are those rotated
 * vectors' dot products over √d_k summed here, and their causal softmax is the attention the
 * engine's kernel computed — so the unrotated q and k are the ones the model ran with. */
static void
test_masks_llama_rope (void)
{
  g_autoptr(GError) error = NULL;
  const char *text = "the cat sat on the mat";
  TriadFormulaTrace *dec = triad_formula_trace (llama, text, 1, 3, 0, NULL, &error);
  TriadFormulaTrace *enc;
  g_autoptr(TriadMasksScene) scene = NULL;
  g_autofree float *inv_freq = NULL;
  g_autofree double *rq = NULL, *rk = NULL;
  const TriadFormula *f;
  TriadMasksOptions opt;
  double max_turn = 0.0;
  int n, d, half;

  g_assert_no_error (error);
  g_assert_nonnull (dec);
  enc = triad_formula_trace (bert, text, 0, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dec->rotary);
  g_assert_false (enc->rotary);
  g_assert_null (enc->q_unrotated);
  n = dec->n;
  d = dec->d_k;
  half = d / 2;
  /* hidden 32 over 4 heads */
  g_assert_cmpint (d, ==, 8);
  g_assert_cmpint (n, >=, 4);
  inv_freq = g_new (float, half);
  triad_rope_frequencies (&llama->config, inv_freq);
  /* θ_j = 10000^(-2j/8): 1, 0.1, 0.01, 0.001 */
  g_assert_cmpfloat_with_epsilon (inv_freq[1], 0.1, 1e-6);
  rq = g_new (double, (size_t) n * d);
  rk = g_new (double, (size_t) n * d);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < half; j++)
      {
        double angle = (double) i * inv_freq[j], c = cos (angle), sn = sin (angle);
        const float *q = dec->q_unrotated + (size_t) i * d, *k = dec->k_unrotated + (size_t) i * d;

        rq[i * d + j] = q[j] * c - q[j + half] * sn;
        rq[i * d + j + half] = q[j + half] * c + q[j] * sn;
        rk[i * d + j] = k[j] * c - k[j + half] * sn;
        rk[i * d + j + half] = k[j + half] * c + k[j] * sn;
      }
  for (int x = 0; x < n * d; x++)
    {
      g_assert_cmpfloat_with_epsilon (dec->q[x], rq[x], 1e-5);
      g_assert_cmpfloat_with_epsilon (dec->k[x], rk[x], 1e-5);
      max_turn = MAX (max_turn, fabs (dec->q[x] - dec->q_unrotated[x]));
    }
  /* position 0 is not turned at all; later ones are */
  for (int x = 0; x < d; x++)
    g_assert_cmpfloat (dec->q[x], ==, dec->q_unrotated[x]);
  g_assert_cmpfloat (max_turn, >, 1e-3);

  scene = triad_masks_scene_new (enc, dec, NULL);
  masks_opt_init (&opt, TRUE);
  opt.formula_step = 0;
  triad_masks_scene_update (scene, &opt);
  f = triad_masks_scene_formula (scene);
  g_assert_true (f->rotary);
  g_assert_true (f->steps[0].values == dec->q && f->unrotated[0].values == dec->q_unrotated);
  g_assert_true (f->steps[1].values == dec->k && f->unrotated[1].values == dec->k_unrotated);
  g_assert_true (g_str_has_prefix (f->caption, "RoPE (Q): "));
  g_assert_cmpstr (f->steps[0].title, ==, "RoPE(Q)");
  for (int i = 0; i < n; i++)
    {
      double row[64], max = -INFINITY, sum = 0.0;

      g_assert_cmpint (n, <=, 64);
      for (int j = 0; j < n; j++)
        {
          double dot = 0.0;

          for (int x = 0; x < d; x++)
            dot += rq[i * d + x] * rk[j * d + x];
          g_assert_cmpfloat_with_epsilon (f->steps[3].values[i * n + j], dot / sqrt (d), 1e-4);
          row[j] = dot / sqrt (d);
          if (j <= i)
            max = MAX (max, row[j]);
        }
      for (int j = 0; j <= i; j++)
        sum += exp (row[j] - max);
      for (int j = 0; j < n; j++)
        g_assert_cmpfloat_with_epsilon (dec->weights[i * n + j],
                                        j <= i ? exp (row[j] - max) / sum : 0.0, 1e-5);
    }
  /* a model without rotary positions keeps its plain Q and K */
  masks_opt_init (&opt, FALSE);
  opt.formula_step = 0;
  triad_masks_scene_update (scene, &opt);
  f = triad_masks_scene_formula (scene);
  g_assert_false (f->rotary);
  g_assert_cmpstr (f->steps[0].title, ==, "Q");
  g_assert_true (g_str_has_prefix (f->caption, "Q: "));
}

/* Grouped-query attention: hf-tiny/llama has 4 query heads over 2 K/V heads (its config.json),
 * so its grid draws 2 groups of 2 (heads 0, 1 read K/V head 0; heads 2, 3 K/V head 1); GPT-2's
 * 4 heads each have their own K/V and are not grouped. */
static void
test_attention_gqa_groups (void)
{
  const char *text = "the cat sat on the mat";
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadAttentionScene) scene = NULL;
  g_autoptr(TriadAttentionScene) mha = NULL;
  TriadAttentionOptions opt;
  const TriadHeadGrid *grid;

  scene = triad_attention_scene_compute (llama, text, NULL, TRIAD_ATTN_DECODER_SELF, 0, -1,
                                         NULL, &error);
  g_assert_no_error (error);
  triad_attention_options_init (&opt);
  opt.mode = TRIAD_ATTENTION_GRID;
  g_assert_true (triad_attention_scene_update (scene, &opt));
  grid = triad_attention_scene_get_grid (scene);
  g_assert_nonnull (grid);
  g_assert_cmpint (grid->n_heads, ==, 4);
  g_assert_cmpint (grid->kv_group, ==, 2);
  g_assert_cmpint (triad_head_grid_n_groups (grid), ==, 2);
  g_assert_cmpint (triad_attention_scene_get_kv_group (scene), ==, 2);

  mha = triad_attention_scene_compute (gpt2, text, NULL, TRIAD_ATTN_DECODER_SELF, 0, -1,
                                       NULL, &error);
  g_assert_no_error (error);
  g_assert_true (triad_attention_scene_update (mha, &opt));
  grid = triad_attention_scene_get_grid (mha);
  g_assert_cmpint (grid->n_heads, ==, 4);
  g_assert_cmpint (triad_head_grid_n_groups (grid), ==, 0);
  g_assert_cmpint (triad_attention_scene_get_kv_group (mha), ==, 1);
}

/* hf-tiny/mistral runs with a sliding window of 8 (config.json): over a text longer than 8
 * tokens query i sees keys i - 7 … i. In the Attention view every weight outside that band is
 * exactly 0 and every row sums to 1 inside it; in the Masks view the decoder's own row shows
 * the band as its mask, and its weights are 0 outside it too. */
static void
test_sliding_window_band (void)
{
  const char *text = "the cat sat on the mat and the dog sat on the log";
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadAttentionScene) scene = NULL;
  g_autoptr(TriadMasksScene) masks = NULL;
  TriadFormulaTrace *dec, *enc;
  TriadAttentionOptions opt;
  TriadMasksOptions mopt;
  const TriadMaskGrid *grid;
  int n_q, n_k, outside = 0;

  scene = triad_attention_scene_compute (mistral, text, NULL, TRIAD_ATTN_DECODER_SELF, 1, -1,
                                         NULL, &error);
  g_assert_no_error (error);
  triad_attention_options_init (&opt);
  opt.layer = 1;
  for (int h = 0; h < 4; h++)
    {
      const float *w;

      opt.head = h;
      g_assert_true (triad_attention_scene_update (scene, &opt));
      w = triad_attention_scene_get_weights (scene, &n_q, &n_k);
      g_assert_cmpint (n_q, >, 8 + 4);
      for (int i = 0; i < n_q; i++)
        {
          double sum = 0.0;

          for (int j = 0; j < n_k; j++)
            if (j > i || j <= i - 8)
              {
                g_assert_cmpfloat (w[i * n_k + j], ==, 0.0f);
                outside++;
              }
            else
              sum += w[i * n_k + j];
          g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-5);
        }
    }
  /* some keys were outside the band: older than the window, not only later */
  g_assert_cmpint (outside, >, 4 * n_q * (n_q - 1) / 2);

  dec = triad_formula_trace (mistral, text, 1, 2, 0, NULL, &error);
  g_assert_no_error (error);
  enc = triad_formula_trace (bert, text, 0, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dec->mask.kind, ==, TRIAD_MASK_SLIDING);
  g_assert_cmpint (dec->mask.window, ==, 8);
  masks = triad_masks_scene_new (enc, dec, NULL);
  masks_opt_init (&mopt, TRUE);
  triad_masks_scene_update (masks, &mopt);
  grid = triad_masks_scene_grid (masks);
  g_assert_cmpstr (grid->row_titles[1], ==, "Decoder · sliding window, W = 8");
  mopt.formula_step = 4;
  triad_masks_scene_update (masks, &mopt);
  g_assert_true (g_str_has_prefix (triad_masks_scene_formula (masks)->caption,
                                   "+ mask: −∞ wherever a query would see a later token or one "
                                   "more than W tokens back"));
  for (int i = 0; i < dec->n; i++)
    for (int j = 0; j < dec->n; j++)
      {
        gboolean band = j <= i && j > i - 8;

        g_assert_cmpint (grid->cells[1][0].allowed[i * dec->n + j], ==, band);
        if (!band)
          g_assert_cmpfloat (grid->cells[1][2].values[i * dec->n + j], ==, 0.0f);
      }
}

/* The live run of hf-tiny/llama (2 layers, 2 K/V heads of 8, config.json) with blocks of
 * `block` positions, `steps` steps, its cache stored as dtype; the scene updated. */
static TriadKvScene *
kv_live (TriadDtype dtype,
         int        block,
         int        steps)
{
  TriadKvScene *scene = triad_kv_scene_new ();
  TriadKvLiveRequest request = { .kv_block = block, .kv_dtype = dtype };
  TriadKvSceneOptions opt;
  g_autoptr(GError) error = NULL;

  g_assert_true (triad_kv_scene_run_live (scene, llama, "the cat sat on the mat", &request,
                                          steps, &error));
  g_assert_no_error (error);
  triad_kv_scene_options_init (&opt);
  opt.kv_block = block;
  triad_kv_scene_update (scene, &opt);
  return scene;
}

/* Bytes per token of hf-tiny/llama's cache, by hand: 2 (K, V) × 2 layers × 2 K/V heads × 8
 * values × 4 B = 256 B in f32, × 2 B = 128 B in f16; in int8 each head's row is 8 bytes and
 * a float32 scale, 2 × 2 × 2 × (8 + 4) = 96 B; in int4 2 × 2 × 2 × (4 + 4) = 64 B. What the run
 * allocates per position is the same, with blocks of 1 and of 16; memory.c's projection of
 * the model's own config agrees to the byte in every format, scales included. */
static void
test_kv_live_bytes (void)
{
  const struct { TriadDtype dtype; guint64 bytes, projected; const char *text; } cases[] = {
    { TRIAD_DTYPE_F32, 256, 256, "2 × 2 layers × 2 K/V heads × 8 × 4 B = 256 B; measured 256 B, as the projection" },
    { TRIAD_DTYPE_F16, 128, 128, "2 × 2 layers × 2 K/V heads × 8 × 2 B = 128 B; measured 128 B, as the projection" },
    { TRIAD_DTYPE_INT8, 96, 96, "2 × 2 layers × 2 K/V heads × (8 × 1 B + 4 B) = 96 B: int8 keeps a float32 scale" },
    { TRIAD_DTYPE_INT4, 64, 64, "2 × 2 layers × 2 K/V heads × (8 × ½ B + 4 B) = 64 B" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (int block = 1; block <= 16; block += 15)
      {
        g_autoptr(TriadKvScene) scene = kv_live (cases[i].dtype, block, 3);
        guint64 formula, measured, projected;
        const char *text = triad_kv_scene_get_live_bytes (scene, &formula, &measured, &projected);
        const TriadKvLiveStep *last = triad_kv_scene_get_step (scene, 2);

        g_assert_nonnull (text);
        g_assert_cmpuint (formula, ==, cases[i].bytes);
        g_assert_cmpuint (measured, ==, cases[i].bytes);
        g_assert_cmpuint (projected, ==, cases[i].projected);
        if (strstr (text, cases[i].text) == NULL)
          g_error ("“%s” does not say “%s”", text, cases[i].text);
        g_assert_nonnull (strstr (triad_kv_scene_get_live_status (scene), text));
        /* with blocks of 1 the cache holds exactly its tokens: the bytes are per token × tokens */
        if (block == 1)
          g_assert_cmpuint (last->kv_bytes, ==, cases[i].bytes * (guint64) last->tokens);
      }
}

/* The greedy line and the difference heatmap of an int4 cache over 12 steps: the changes and
 * the steps are `triad generate --kv-dtype int4 --max-tokens 12`'s on the same prompt; the
 * heatmap has ink (cells that are not the background) and an f32 run has none. */
static void
test_kv_live_quant (void)
{
  g_autoptr(TriadKvScene) scene = kv_live (TRIAD_DTYPE_INT4, 1, 12);
  g_autoptr(TriadKvScene) plain = kv_live (TRIAD_DTYPE_F32, 1, 12);
  g_autofree char *dir = test_hf_dir ("llama");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const TriadKvQuantView *q = triad_kv_scene_get_quant (scene);
  TriadFigureStyle style;
  TestRun r;
  const char *last;
  JsonObject *report;
  cairo_surface_t *surface;
  cairo_t *cr;
  int ink = 0;
  double max = 0.0;

  r = test_run_cli ("generate", "--model", dir, "--max-tokens", "12", "--kv-dtype", "int4",
                    "-p", "the cat sat on the mat", NULL);
  g_assert_cmpint (r.status, ==, 0);
  last = strrchr (g_strchomp (r.out), '\n') + 1;
  g_assert_true (json_parser_load_from_data (parser, last, -1, &error));
  g_assert_no_error (error);
  report = json_node_get_object (json_parser_get_root (parser));
  g_assert_nonnull (q);
  g_assert_null (triad_kv_scene_get_quant (plain));
  g_assert_cmpint (q->report.steps, ==, json_object_get_int_member (report, "predictions"));
  g_assert_cmpint (q->report.changed, ==, json_object_get_int_member (report, "greedy_changes"));
  g_assert_cmpint (q->report.worst_layer, ==, json_object_get_int_member (report, "at_layer"));
  g_assert_cmpint (q->report.worst_head, ==, json_object_get_int_member (report, "at_head"));
  g_assert_cmpint (q->report.steps, ==, 12);
  test_run_clear (&r);

  /* the prompt's tokens and the 12 generated, the last not yet read back */
  g_assert_cmpint (q->n, >=, 12);
  for (int i = 0; i < q->n * q->n; i++)
    max = MAX (max, fabs (q->diff[i]));
  g_assert_cmpfloat (max, >, 1e-3);

  triad_figure_style_init (&style, FALSE);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 300);
  cr = cairo_create (surface);
  triad_kv_scene_draw_difference (plain, cr, &style, 400, 300);
  cairo_surface_flush (surface);
  for (int y = 0; y < 300; y++)
    for (int x = 0; x < 400; x++)
      g_assert_cmpuint (((guint32 *) (cairo_image_surface_get_data (surface)
                                      + y * cairo_image_surface_get_stride (surface)))[x], ==, 0);
  style.bg[0] = style.bg[1] = style.bg[2] = style.bg[3] = 1.0;
  triad_kv_scene_draw_difference (scene, cr, &style, 400, 300);
  cairo_surface_flush (surface);
  for (int y = 0; y < 300; y++)
    for (int x = 0; x < 400; x++)
      {
        guint32 px = ((guint32 *) (cairo_image_surface_get_data (surface)
                                   + y * cairo_image_surface_get_stride (surface)))[x];
        guint8 r8 = (px >> 16) & 0xff, b8 = px & 0xff;

        /* a cell clearly red or blue, not the white of no difference nor grey text */
        if (ABS ((int) r8 - (int) b8) > 60)
          ink++;
      }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  g_test_message ("%d coloured pixels", ink);
  g_assert_cmpint (ink, >, 100);
}

int
main (int argc, char **argv)
{
  int status;

  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_init (&argc, &argv, NULL);
  gpt2 = load ("gpt2");
  bert = load ("bert");
  t5 = load ("t5");
  llama = load ("llama");
  mistral = load ("mistral");
  g_test_add_func ("/scenes/real/masks-llama-rope", test_masks_llama_rope);
  g_test_add_func ("/scenes/real/attention-gqa-groups", test_attention_gqa_groups);
  g_test_add_func ("/scenes/real/sliding-window-band", test_sliding_window_band);
  g_test_add_func ("/scenes/real/kv-live-bytes", test_kv_live_bytes);
  g_test_add_func ("/scenes/real/kv-live-quant", test_kv_live_quant);
  g_test_add_func ("/scenes/real/masks-t5-formula", test_masks_t5_formula);
  g_test_add_func ("/scenes/real/masks-two-tokenizers", test_masks_two_tokenizers);
  g_test_add_func ("/scenes/real/cross-t5-prompt", test_cross_t5_prompt);
  g_test_add_func ("/scenes/real/attention-context", test_attention_context);
  g_test_add_func ("/scenes/real/attention-1024", test_attention_1024);
  status = g_test_run ();
  triad_model_free (gpt2);
  triad_model_free (bert);
  triad_model_free (t5);
  triad_model_free (llama);
  triad_model_free (mistral);
  return status;
}
