/* test-kvlive.c — the live decoding run: the bytes its cache allocates a step, one position
 * or a block of 16 at a time, and the cached step's logits against a full recompute. */
#include "config.h"

#include <math.h>

#include "engine/error.h"
#include "engine/kvlive.h"
#include "test-common.h"

/* A random decoder with room for 100 positions: 2 layers of dim 16. */
static TriadModel *
small_decoder (void)
{
  TriadConfig c = test_config (TRIAD_ARCH_DECODER);
  g_autoptr(GError) error = NULL;
  TriadModel *m;

  c.max_seq_len = 100;
  m = triad_model_new_random (&c, 11, &error);
  g_assert_no_error (error);
  return m;
}

static const int prompt[] = { TRIAD_TOKEN_BOS, 7, 9, 12, 8 };

/* With kv_block = 1 every step allocates one position in every layer, for K and for V. */
static void
test_grows_by_one_position (void)
{
  g_autoptr(TriadModel) m = small_decoder ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadKvLive) live = triad_kv_live_new (m, prompt, G_N_ELEMENTS (prompt), 1, 0.0f,
                                                   0, 1, &error);
  /* by hand: 2 (K and V) × 2 layers × dim 16 × 4 bytes a float */
  const size_t per_token = 2 * 2 * 16 * 4;
  size_t before;

  g_assert_no_error (error);
  g_assert_cmpuint (per_token, ==, 256);
  g_assert_cmpuint (triad_kv_live_bytes_per_token (m), ==, per_token);
  g_assert_cmpfloat (triad_kv_live_get_prefill_seconds (live), <, 0.0);
  before = G_N_ELEMENTS (prompt) * per_token;   /* the prompt's positions, after the prefill */
  for (int i = 0; i < 30; i++)
    {
      TriadKvLiveStep step;

      g_assert_true (triad_kv_live_step (live, FALSE, &step, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (step.step, ==, i);
      g_assert_cmpint (step.tokens, ==, (int) G_N_ELEMENTS (prompt) + i + 1);
      g_assert_cmpuint (step.kv_bytes, ==, before + per_token);
      g_assert_cmpuint (step.kv_bytes, ==, triad_state_kv_bytes (triad_kv_live_get_state (live)));
      g_assert_cmpint (step.n_layers, ==, 2);
      g_assert_cmpuint (step.layer_bytes * 2, ==, step.kv_bytes);
      g_assert_cmpfloat (step.cached_seconds, >, 0.0);
      g_assert_cmpfloat (step.recompute_seconds, <, 0.0);
      before = step.kv_bytes;
    }
  g_assert_cmpfloat (triad_kv_live_get_prefill_seconds (live), >=, 0.0);
  g_assert_cmpint (triad_kv_live_get_n_steps (live), ==, 30);
  g_assert_cmpint (triad_kv_live_get_position (live), ==, (int) G_N_ELEMENTS (prompt) + 30);
}

/* The engine's usual allocation: a block of 16 positions whenever the cache is full, so the
 * bytes stay flat for 16 steps and then jump by 16 positions' worth. */
static void
test_grows_by_blocks (void)
{
  g_autoptr(TriadModel) m = small_decoder ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadKvLive) live = triad_kv_live_new (m, prompt, G_N_ELEMENTS (prompt), 16, 0.0f,
                                                   0, 1, &error);
  const size_t per_token = 2 * 2 * 16 * 4;

  g_assert_no_error (error);
  for (int i = 0; i < 60; i++)
    {
      TriadKvLiveStep step;
      int tokens = (int) G_N_ELEMENTS (prompt) + i + 1;
      /* positions 1 … 16 take one block, 17 … 32 two, and so on */
      size_t blocks = (size_t) (tokens + 15) / 16;

      g_assert_true (triad_kv_live_step (live, FALSE, &step, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (step.tokens, ==, tokens);
      g_assert_cmpuint (step.kv_bytes, ==, blocks * 16 * per_token);
      if (step.tokens % 16 == 1)
        /* the step that opened a block: 16 positions more than the step before */
        g_assert_cmpuint (step.kv_bytes, ==, (step.tokens - 1) * per_token + 16 * per_token);
    }
}

/* The cached step computes the same logits as the whole sequence run again without a cache,
 * and the greedy choice is the argmax of the step before. */
static void
test_cached_equals_recompute (void)
{
  g_autoptr(TriadModel) m = small_decoder ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadKvLive) live = triad_kv_live_new (m, prompt, G_N_ELEMENTS (prompt), 1, 0.0f,
                                                   0, 1, &error);
  g_autoptr(TriadState) fresh = triad_state_new (m);
  g_autofree float *previous = g_new (float, m->config.vocab_size);
  const int vocab = m->config.vocab_size;

  g_assert_no_error (error);
  g_assert_null (triad_kv_live_get_logits (live));
  for (int i = 0; i < 20; i++)
    {
      TriadKvLiveStep step;
      const float *cached, *again;
      const int *ids;
      int n;

      g_assert_true (triad_kv_live_step (live, TRUE, &step, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat (step.recompute_seconds, >, 0.0);
      cached = triad_kv_live_get_logits (live);
      again = triad_kv_live_get_recompute_logits (live);
      g_assert_nonnull (cached);
      g_assert_nonnull (again);
      for (int v = 0; v < vocab; v++)
        g_assert_cmpfloat_with_epsilon (cached[v], again[v], 1e-5);

      /* and against a run of our own over the same ids on an empty state */
      ids = triad_kv_live_get_ids (live, &n);
      g_assert_cmpint (n, ==, (int) G_N_ELEMENTS (prompt) + i + 1);
      g_assert_cmpint (ids[n - 1], ==, step.token);
      triad_state_reset (fresh);
      g_assert_true (triad_decoder_forward (fresh, ids, n, NULL, 0, &error));
      for (int v = 0; v < vocab; v++)
        g_assert_cmpfloat_with_epsilon (cached[v], fresh->logits[(size_t) (n - 1) * vocab + v],
                                        1e-5);

      if (i > 0)
        {
          int best = 0;

          for (int v = 1; v < vocab; v++)
            if (previous[v] > previous[best])
              best = v;
          g_assert_cmpint (step.token, ==, best);
        }
      memcpy (previous, cached, vocab * sizeof (float));
    }
}

/* The shipped decoder: 4 layers of dim 128, so 2 × 4 × 128 × 4 = 4096 bytes a token. */
static void
test_shipped_decoder (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = triad_model_resolve ("decoder", &error);
  g_autoptr(TriadModel) m = NULL;
  g_autoptr(TriadKvLive) live = NULL;
  g_autoptr(TriadEncoding) enc = NULL;
  size_t per_token;

  g_assert_no_error (error);
  m = triad_model_load (dir, &error);
  g_assert_no_error (error);
  per_token = 2 * (size_t) m->config.n_dec_layers * m->config.dim * 4;
  if (m->config.n_dec_layers == 4 && m->config.dim == 128)
    g_assert_cmpuint (per_token, ==, 4096);
  g_assert_cmpuint (triad_kv_live_bytes_per_token (m), ==, per_token);

  enc = triad_model_encode (m, "the big cat saw a small dog", TRIAD_ATTN_DECODER_SELF, &error);
  g_assert_no_error (error);
  live = triad_kv_live_new (m, enc->ids, enc->n, 1, 0.8f, 0, 7, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 12; i++)
    {
      TriadKvLiveStep step;

      g_assert_true (triad_kv_live_step (live, TRUE, &step, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (step.tokens, ==, enc->n + i + 1);
      g_assert_cmpuint (step.kv_bytes, ==, (size_t) step.tokens * per_token);
      g_assert_cmpuint (step.layer_bytes, ==, (size_t) step.tokens * 2 * m->config.dim * 4);
      g_assert_cmpint (step.token, >=, 0);
      g_assert_cmpint (step.token, <, m->config.vocab_size);
    }
}

/* The run stops where the model's positions end, and says so. */
static void
test_stops_at_max_seq_len (void)
{
  g_autoptr(TriadModel) m = small_decoder ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadKvLive) live = triad_kv_live_new (m, prompt, G_N_ELEMENTS (prompt), 1, 1.0f,
                                                   5, 3, &error);
  TriadKvLiveStep step;
  int steps = 0;

  g_assert_no_error (error);
  while (triad_kv_live_can_step (live))
    {
      g_assert_true (triad_kv_live_step (live, FALSE, &step, NULL, &error));
      g_assert_no_error (error);
      steps++;
    }
  /* 100 positions, 5 of them the prompt's */
  g_assert_cmpint (steps, ==, 95);
  g_assert_cmpuint (step.kv_bytes, ==, 100 * 256);
  g_assert_false (triad_kv_live_step (live, FALSE, &step, NULL, &error));
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_TOO_LONG);
}

static void
test_rejects (void)
{
  g_autoptr(TriadModel) m = small_decoder ();
  g_autoptr(TriadModel) enc = test_model (TRIAD_ARCH_ENCODER, 2);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree int *long_prompt = g_new0 (int, 100);
  g_autoptr(TriadKvLive) live = NULL;
  TriadKvLiveStep step;
  GError *error = NULL;

  g_assert_null (triad_kv_live_new (enc, prompt, G_N_ELEMENTS (prompt), 1, 0, 0, 1, &error));
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* a prompt that fills every position leaves none to generate */
  g_assert_null (triad_kv_live_new (m, long_prompt, 100, 1, 0, 0, 1, &error));
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_TOO_LONG);
  g_clear_error (&error);
  g_assert_null (triad_kv_live_new (m, prompt, 0, 1, 0, 0, 1, &error));
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_TOO_LONG);
  g_clear_error (&error);
  g_assert_null (triad_kv_live_new (m, prompt, G_N_ELEMENTS (prompt), 0, 0, 0, 1, &error));
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  live = triad_kv_live_new (m, prompt, G_N_ELEMENTS (prompt), 1, 0, 0, 1, &error);
  g_assert_no_error (error);
  g_cancellable_cancel (cancellable);
  g_assert_false (triad_kv_live_step (live, TRUE, &step, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpint (triad_kv_live_get_n_steps (live), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/kvlive/one-position-a-step", test_grows_by_one_position);
  g_test_add_func ("/engine/kvlive/blocks-of-16", test_grows_by_blocks);
  g_test_add_func ("/engine/kvlive/cached-equals-recompute", test_cached_equals_recompute);
  g_test_add_func ("/engine/kvlive/shipped-decoder", test_shipped_decoder);
  g_test_add_func ("/engine/kvlive/stops-at-max-seq-len", test_stops_at_max_seq_len);
  g_test_add_func ("/engine/kvlive/rejects", test_rejects);
  return g_test_run ();
}
