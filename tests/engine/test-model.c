/* test-model.c — the forward pass: KV cache against full recompute, byte accounting,
 * attention capture, generation. */
#include "config.h"

#include <math.h>

#include "engine/analysis.h"
#include "engine/error.h"
#include "engine/generate.h"
#include "test-common.h"

static const int ids[] = { 2, 9, 14, 7, 7, 20, 11, 6, 18, 12, 9, 14, 3, 22, 15, 8, 10, 19 };
#define N_IDS ((int) G_N_ELEMENTS (ids))

static float
max_abs_diff (const float *a,
              const float *b,
              int          n)
{
  float m = 0;
  for (int i = 0; i < n; i++)
    m = MAX (m, fabsf (a[i] - b[i]));
  return m;
}

/* Decoding one token at a time over the cache gives, at every step, the logits of a full
 * pass over the whole prefix in a fresh state (tolerance 1e-5). For the encoder-decoder the
 * source is read once, and the cross K/V it produced are reused by every step. */
static void
check_cache_matches_recompute (TriadArch arch)
{
  g_autoptr(TriadModel) m = test_model (arch, 42);
  g_autoptr(TriadState) step = triad_state_new (m);
  g_autoptr(TriadState) full = triad_state_new (m);
  g_autoptr(GError) error = NULL;
  const int src[] = { 10, 4, 17, 8, 3 };
  int V = m->config.vocab_size;
  float worst = 0;

  if (arch == TRIAD_ARCH_ENCDEC)
    {
      g_assert_true (triad_encoder_forward (step, src, 5, NULL, 0, &error));
      g_assert_no_error (error);
    }
  for (int t = 1; t <= N_IDS; t++)
    {
      g_assert_true (triad_decoder_forward (step, &ids[t - 1], 1, NULL, 0, &error));
      g_assert_no_error (error);
      g_assert_cmpint (step->pos, ==, t);

      triad_state_reset (full);
      if (arch == TRIAD_ARCH_ENCDEC)
        g_assert_true (triad_encoder_forward (full, src, 5, NULL, 0, &error));
      g_assert_true (triad_decoder_forward (full, ids, t, NULL, 0, &error));
      g_assert_no_error (error);
      g_assert_cmpint (full->n_logits, ==, t);
      worst = MAX (worst, max_abs_diff (step->logits, full->logits + (size_t) (t - 1) * V, V));
    }
  g_test_message ("largest logit difference, cached vs recomputed: %g", worst);
  g_assert_cmpfloat (worst, <, 1e-5);
}

static void
test_cache_decoder (void)
{
  check_cache_matches_recompute (TRIAD_ARCH_DECODER);
}

static void
test_cache_encdec (void)
{
  check_cache_matches_recompute (TRIAD_ARCH_ENCDEC);
}

/* A prefill of 7 then single steps agrees with one pass over everything. */
static void
test_prefill_then_steps (void)
{
  g_autoptr(TriadModel) m = test_model (TRIAD_ARCH_DECODER, 5);
  g_autoptr(TriadState) a = triad_state_new (m);
  g_autoptr(TriadState) b = triad_state_new (m);
  g_autoptr(GError) error = NULL;
  int V = m->config.vocab_size;

  g_assert_true (triad_decoder_forward (a, ids, 7, NULL, 0, &error));
  for (int t = 7; t < 12; t++)
    g_assert_true (triad_decoder_forward (a, &ids[t], 1, NULL, 0, &error));
  g_assert_true (triad_decoder_forward (b, ids, 12, NULL, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (max_abs_diff (a->logits, b->logits + 11 * V, V), <, 1e-5);
}

/* Bytes are what the cache allocated: 2 layers × (K and V) × positions × dim 16 × 4 bytes,
 * positions rounded up to the block. With blocks of 16: 1 token → 16 positions → 4,096 bytes;
 * 17 tokens → 32 positions → 8,192. With blocks of 1 it grows by 256 bytes a token. */
static void
test_kv_bytes (void)
{
  g_autoptr(TriadModel) m = test_model (TRIAD_ARCH_ENCDEC, 3);
  g_autoptr(TriadState) s = triad_state_new (m);
  g_autoptr(GError) error = NULL;
  const int src[] = { 10, 4, 17, 8, 3, 9, 9 };

  g_assert_cmpuint (triad_state_kv_bytes (s), ==, 0);
  g_assert_true (triad_encoder_forward (s, src, 7, NULL, 0, &error));
  /* cross K/V: 2 layers × 2 × 7 source positions × 16 × 4 = 1,792 bytes, fixed */
  g_assert_cmpuint (triad_state_cross_bytes (s), ==, 1792);
  g_assert_cmpuint (triad_state_kv_bytes (s), ==, 0);
  g_assert_true (triad_decoder_forward (s, ids, 1, NULL, 0, &error));
  g_assert_cmpuint (triad_state_kv_bytes (s), ==, 4096);
  for (int t = 1; t < 16; t++)
    g_assert_true (triad_decoder_forward (s, &ids[t], 1, NULL, 0, &error));
  g_assert_cmpuint (triad_state_kv_bytes (s), ==, 4096);
  g_assert_true (triad_decoder_forward (s, &ids[16], 1, NULL, 0, &error));
  g_assert_cmpuint (triad_state_kv_bytes (s), ==, 8192);
  g_assert_cmpuint (triad_state_cross_bytes (s), ==, 1792);
  g_assert_no_error (error);

  {
    g_autoptr(TriadModel) d = test_model (TRIAD_ARCH_DECODER, 3);
    g_autoptr(TriadState) t = triad_state_new (d);
    t->kv_block = 1;
    for (int i = 0; i < 5; i++)
      {
        g_assert_true (triad_decoder_forward (t, &ids[i], 1, NULL, 0, &error));
        g_assert_cmpuint (triad_state_kv_bytes (t), ==, 256u * (i + 1));
      }
    g_assert_cmpuint (triad_state_cross_bytes (t), ==, 0);
  }
}

static void
assert_rows_sum_to_one (const float *w,
                        int          n_q,
                        int          n_k)
{
  for (int i = 0; i < n_q; i++)
    {
      double sum = 0;
      for (int j = 0; j < n_k; j++)
        {
          g_assert_cmpfloat (w[i * n_k + j], >=, 0.0f);
          sum += w[i * n_k + j];
        }
      g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-5);
    }
}

static void
test_capture (void)
{
  g_autoptr(TriadModel) m = test_model (TRIAD_ARCH_ENCDEC, 11);
  g_autoptr(TriadState) s = triad_state_new (m);
  g_autoptr(GError) error = NULL;
  const int src[] = { 10, 4, 17, 8, 3 };
  TriadCapture all[3] = {
    { .kind = TRIAD_ATTN_ENCODER_SELF, .layer = -1, .head = -1 },
    { .kind = TRIAD_ATTN_DECODER_SELF, .layer = -1, .head = -1 },
    { .kind = TRIAD_ATTN_CROSS, .layer = -1, .head = -1 },
  };
  TriadCapture one = { .kind = TRIAD_ATTN_CROSS, .layer = 1, .head = 2 };

  g_assert_true (triad_encoder_forward (s, src, 5, all, 3, &error));
  g_assert_true (triad_decoder_forward (s, ids, 6, all, 3, &error));
  g_assert_no_error (error);

  /* encoder self: (2 layers, 4 heads, 5, 5), bidirectional: no zeros forced anywhere */
  g_assert_cmpint (all[0].n_layers, ==, 2);
  g_assert_cmpint (all[0].n_heads, ==, 4);
  g_assert_cmpint (all[0].n_q, ==, 5);
  g_assert_cmpint (all[0].n_k, ==, 5);
  /* decoder self: causal, so the upper triangle is exactly zero */
  g_assert_cmpint (all[1].n_q, ==, 6);
  g_assert_cmpint (all[1].n_k, ==, 6);
  /* cross: target rows × source columns */
  g_assert_cmpint (all[2].n_q, ==, 6);
  g_assert_cmpint (all[2].n_k, ==, 5);
  for (int l = 0; l < 2; l++)
    for (int h = 0; h < 4; h++)
      {
        const float *dec = triad_capture_matrix (&all[1], l, h);
        assert_rows_sum_to_one (triad_capture_matrix (&all[0], l, h), 5, 5);
        assert_rows_sum_to_one (dec, 6, 6);
        assert_rows_sum_to_one (triad_capture_matrix (&all[2], l, h), 6, 5);
        for (int i = 0; i < 6; i++)
          for (int j = i + 1; j < 6; j++)
            g_assert_true (dec[i * 6 + j] == 0.0f);
      }

  /* asking for one head gives that head alone, equal to the same head among all */
  triad_state_reset (s);
  g_assert_true (triad_encoder_forward (s, src, 5, &one, 1, &error));
  g_assert_true (triad_decoder_forward (s, ids, 6, &one, 1, &error));
  g_assert_cmpint (one.n_layers, ==, 1);
  g_assert_cmpint (one.n_heads, ==, 1);
  g_assert_cmpfloat (max_abs_diff (one.weights, triad_capture_matrix (&all[2], 1, 2), 30), ==, 0);

  for (int i = 0; i < 3; i++)
    triad_capture_clear (&all[i]);
  triad_capture_clear (&one);
  g_assert_null (one.weights);
}

static void
test_errors (void)
{
  g_autoptr(TriadModel) m = test_model (TRIAD_ARCH_DECODER, 1);
  g_autoptr(TriadModel) e = test_model (TRIAD_ARCH_ENCODER, 1);
  g_autoptr(TriadModel) ed = test_model (TRIAD_ARCH_ENCDEC, 1);
  g_autoptr(TriadState) s = triad_state_new (m);
  g_autoptr(TriadState) es = triad_state_new (e);
  g_autoptr(TriadState) eds = triad_state_new (ed);
  g_autoptr(GError) error = NULL;
  TriadCapture bad_layer = { .kind = TRIAD_ATTN_DECODER_SELF, .layer = 2, .head = 0 };
  TriadCapture bad_head = { .kind = TRIAD_ATTN_DECODER_SELF, .layer = 0, .head = 4 };
  int long_ids[41] = { 0 };
  const int bad_id[] = { 2, 24 };

  g_assert_false (triad_decoder_forward (s, ids, 3, &bad_layer, 1, &error));
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (triad_decoder_forward (s, ids, 3, &bad_head, 1, &error));
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* max_seq_len is 40 */
  g_assert_false (triad_decoder_forward (s, long_ids, 41, NULL, 0, &error));
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_TOO_LONG);
  g_clear_error (&error);
  g_assert_false (triad_decoder_forward (s, bad_id, 2, NULL, 0, &error));
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (triad_decoder_forward (s, ids, 0, NULL, 0, &error));
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_TEXT);
  g_clear_error (&error);
  g_assert_false (triad_decoder_forward (es, ids, 3, NULL, 0, &error));
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* the encoder-decoder's decoder needs the source first */
  g_assert_false (triad_decoder_forward (eds, ids, 3, NULL, 0, &error));
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* and a capture of cross-attention in a decoder-only model names no layer that exists */
  {
    TriadCapture cross = { .kind = TRIAD_ATTN_CROSS, .layer = -1, .head = -1 };
    TriadState *fresh = triad_state_new (m);
    g_assert_false (triad_decoder_forward (fresh, ids, 3, &cross, 1, &error));
    g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT);
    triad_state_free (fresh);
  }
}

typedef struct {
  GArray *kv;
  GArray *tokens;
  int     rows_n_k_ok;
} Collected;

static gboolean
collect (const TriadStepEvent *ev,
         gpointer              user_data)
{
  Collected *c = user_data;
  size_t kv = ev->kv_bytes;

  g_array_append_val (c->kv, kv);
  g_array_append_val (c->tokens, ev->token);
  /* the step's self-attention rows reach every key so far */
  if (ev->self_rows != NULL && ev->self_rows->n_k == ev->position + 1)
    c->rows_n_k_ok++;
  return TRUE;
}

/* Greedy generation picks, at every step, the argmax of a full recompute over the prompt
 * and the tokens generated so far. */
static void
test_greedy_generation (void)
{
  g_autoptr(TriadModel) m = test_model (TRIAD_ARCH_DECODER, 8);
  g_autoptr(TriadState) s = triad_state_new (m);
  g_autoptr(TriadState) full = triad_state_new (m);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) out = NULL;
  g_autoptr(GArray) seq = g_array_new (FALSE, FALSE, sizeof (int));
  Collected c = { g_array_new (FALSE, FALSE, sizeof (size_t)),
                  g_array_new (FALSE, FALSE, sizeof (int)), 0 };
  TriadGenerateOptions opt = { .max_tokens = 10, .capture = TRUE };
  const int prompt[] = { 2, 9, 14, 7 };
  int V = m->config.vocab_size;

  g_assert_true (triad_generate (s, prompt, 4, &opt, collect, &c, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (out->len, ==, c.tokens->len);
  g_assert_cmpint (c.rows_n_k_ok, ==, (int) out->len);

  g_array_append_vals (seq, prompt, 4);
  for (guint i = 0; i < out->len; i++)
    {
      const float *last;
      int best = 0;

      triad_state_reset (full);
      g_assert_true (triad_decoder_forward (full, (int *) seq->data, seq->len, NULL, 0, &error));
      last = full->logits + (size_t) (seq->len - 1) * V;
      for (int v = 1; v < V; v++)
        if (last[v] > last[best])
          best = v;
      g_assert_cmpint (g_array_index (out, int, i), ==, best);
      g_array_append_val (seq, best);
    }
  /* the cache never shrinks */
  for (guint i = 1; i < c.kv->len; i++)
    g_assert_cmpuint (g_array_index (c.kv, size_t, i), >=, g_array_index (c.kv, size_t, i - 1));
  g_array_unref (c.kv);
  g_array_unref (c.tokens);
}

static void
test_sampling (void)
{
  g_autoptr(TriadModel) m = test_model (TRIAD_ARCH_DECODER, 8);
  g_autoptr(TriadState) s = triad_state_new (m);
  g_autoptr(GArray) a = NULL, b = NULL, greedy = NULL, top1 = NULL;
  TriadGenerateOptions opt = { .max_tokens = 12, .temperature = 1.5f, .top_k = 5, .seed = 99 };
  TriadGenerateOptions g = { .max_tokens = 12 };
  TriadGenerateOptions k1 = { .max_tokens = 12, .temperature = 1.0f, .top_k = 1, .seed = 3 };
  const int prompt[] = { 2, 9 };

  g_assert_true (triad_generate (s, prompt, 2, &opt, NULL, NULL, &a, NULL, NULL));
  g_assert_true (triad_generate (s, prompt, 2, &opt, NULL, NULL, &b, NULL, NULL));
  g_assert_cmpuint (a->len, ==, b->len);
  g_assert_cmpmem (a->data, a->len * sizeof (int), b->data, b->len * sizeof (int));
  /* top-k of 1 is greedy */
  g_assert_true (triad_generate (s, prompt, 2, &g, NULL, NULL, &greedy, NULL, NULL));
  g_assert_true (triad_generate (s, prompt, 2, &k1, NULL, NULL, &top1, NULL, NULL));
  g_assert_cmpmem (greedy->data, greedy->len * sizeof (int), top1->data, top1->len * sizeof (int));
}

static void
test_sample_distribution (void)
{
  /* logits ln 1, ln 3, ln 6 (and a very unlikely fourth): sampled at T = 1 the frequencies
   * approach 0.1, 0.3, 0.6; with top-k 2 only ids 1 and 2 appear, in ratio 3 : 6. */
  const float logits[] = { 0.0f, 1.0986123f, 1.7917595f, -30.0f };
  g_autoptr(GRand) rng = g_rand_new_with_seed (7);
  int counts[4] = { 0 }, k2[4] = { 0 };
  const int N = 60000;

  for (int i = 0; i < N; i++)
    counts[triad_sample (logits, 4, 1.0f, 0, rng)]++;
  g_assert_cmpfloat_with_epsilon (counts[0] / (double) N, 0.1, 0.01);
  g_assert_cmpfloat_with_epsilon (counts[1] / (double) N, 0.3, 0.01);
  g_assert_cmpfloat_with_epsilon (counts[2] / (double) N, 0.6, 0.01);
  for (int i = 0; i < N; i++)
    k2[triad_sample (logits, 4, 1.0f, 2, rng)]++;
  g_assert_cmpint (k2[0], ==, 0);
  g_assert_cmpint (k2[3], ==, 0);
  g_assert_cmpfloat_with_epsilon (k2[2] / (double) N, 2.0 / 3, 0.01);
  g_assert_cmpint (triad_sample (logits, 4, 0.0f, 0, rng), ==, 2);
}

static void
test_cancel (void)
{
  g_autoptr(TriadModel) m = test_model (TRIAD_ARCH_DECODER, 8);
  g_autoptr(TriadState) s = triad_state_new (m);
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  TriadGenerateOptions opt = { .max_tokens = 5 };
  const int prompt[] = { 2 };

  g_cancellable_cancel (cancel);
  g_assert_false (triad_generate (s, prompt, 1, &opt, NULL, NULL, NULL, cancel, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_encoder_does_not_generate (void)
{
  g_autoptr(TriadModel) m = test_model (TRIAD_ARCH_ENCODER, 8);
  g_autoptr(TriadState) s = triad_state_new (m);
  g_autoptr(GError) error = NULL;
  TriadGenerateOptions opt = { .max_tokens = 5 };
  const int prompt[] = { 2, 7, 3 };

  g_assert_false (triad_generate (s, prompt, 3, &opt, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT);

  /* its masked-token head: logits (n, vocab) */
  g_clear_error (&error);
  g_assert_true (triad_encoder_forward (s, prompt, 3, NULL, 0, &error));
  triad_encoder_logits (s);
  g_assert_cmpint (s->n_logits, ==, 3);
  for (int i = 0; i < 3 * 24; i++)
    g_assert_true (isfinite (s->logits[i]));
}

static void
test_config_validation (void)
{
  g_autoptr(GError) error = NULL;
  TriadConfig c = test_config (TRIAD_ARCH_DECODER);

  c.n_heads = 3;   /* does not divide 16 */
  g_assert_false (triad_config_validate (&c, &error));
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG);
  g_clear_error (&error);
  c = test_config (TRIAD_ARCH_DECODER);
  c.n_enc_layers = 1;
  g_assert_false (triad_config_validate (&c, &error));
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG);
  g_clear_error (&error);
  /* parameter count by hand for the tiny decoder: tok_emb 24×16 = 384, pos 40×16 = 640,
   * per layer 2 LN (64) + 4 × (256 + 16) attention (1088) + up 32×16+32 (544)
   * + down 16×32+16 (528) = 2224, two layers 4448, final norm 32: total 5504 */
  c = test_config (TRIAD_ARCH_DECODER);
  g_assert_cmpuint (triad_config_n_params (&c), ==, 5504);
}

static void
test_head_stats (void)
{
  /* rows [1, 0] and [0.5, 0.5]:
   *   entropy  (0 + ln 2) / 2 = 0.3465736 nats
   *   distance (0 + 0.5 · 1 + 0.5 · 0) / 2 = 0.25 tokens
   *   sink     (1 + 0.5) / 2 = 0.75 */
  const float w[] = { 1, 0, 0.5f, 0.5f };
  TriadHeadStats st;

  triad_head_stats (w, 2, 2, &st);
  g_assert_cmpfloat_with_epsilon (st.entropy, 0.3465736, 1e-6);
  g_assert_cmpfloat_with_epsilon (st.mean_distance, 0.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (st.sink, 0.75, 1e-9);
}

/* The map of a decoder-only model's text: <bos> and its tokens on both axes, the average of
 * the heads equal to their mean by hand. */
static void
test_attention_map (void)
{
  g_autoptr(TriadModel) m = test_model (TRIAD_ARCH_DECODER, 2);
  g_autoptr(TriadAttentionMap) map = NULL;
  g_autoptr(GError) error = NULL;
  float avg[64];
  const float *h0, *h3;

  m->tokenizer = test_tokenizer (m->config.vocab_size);
  map = triad_attention_map_compute (m, "abc", NULL, TRIAD_ATTN_DECODER_SELF, 1, -1, NULL, &error);
  g_assert_no_error (error);
  /* <bos> ▁ a b c */
  g_assert_cmpint (map->queries->n, ==, 5);
  g_assert_true (map->queries == map->keys);
  g_assert_cmpint (map->cap.n_layers, ==, 1);
  g_assert_cmpint (map->cap.n_heads, ==, 4);
  triad_attention_map_average (map, 0, avg);
  h0 = triad_capture_matrix (&map->cap, 0, 0);
  h3 = triad_capture_matrix (&map->cap, 0, 3);
  {
    const float *h1 = triad_capture_matrix (&map->cap, 0, 1), *h2 = triad_capture_matrix (&map->cap, 0, 2);
    for (int c = 0; c < 25; c++)
      g_assert_cmpfloat_with_epsilon (avg[c], (h0[c] + h1[c] + h2[c] + h3[c]) / 4, 1e-6);
  }
  g_clear_pointer (&map, triad_attention_map_free);
  map = triad_attention_map_compute (m, "abc", NULL, TRIAD_ATTN_CROSS, 0, 0, NULL, &error);
  g_assert_null (map);
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/model/kv-cache-decoder", test_cache_decoder);
  g_test_add_func ("/engine/model/kv-cache-encdec", test_cache_encdec);
  g_test_add_func ("/engine/model/prefill-then-steps", test_prefill_then_steps);
  g_test_add_func ("/engine/model/kv-bytes", test_kv_bytes);
  g_test_add_func ("/engine/model/capture", test_capture);
  g_test_add_func ("/engine/model/errors", test_errors);
  g_test_add_func ("/engine/model/config-validation", test_config_validation);
  g_test_add_func ("/engine/generate/greedy", test_greedy_generation);
  g_test_add_func ("/engine/generate/sampling", test_sampling);
  g_test_add_func ("/engine/generate/sample-distribution", test_sample_distribution);
  g_test_add_func ("/engine/generate/cancel", test_cancel);
  g_test_add_func ("/engine/generate/encoder-only", test_encoder_does_not_generate);
  g_test_add_func ("/engine/analysis/head-stats", test_head_stats);
  g_test_add_func ("/engine/analysis/attention-map", test_attention_map);
  return g_test_run ();
}
