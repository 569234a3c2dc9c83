/* test-attention.c — the attention kernel against hand computations and a naive reference. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "engine/attention.h"

/* d_k = 4 (scale 1/2), q (3, 4), k (3, 4), v (3, 2):
 *   q = [[2,0,0,0], [0,0,0,0], [2,2,0,0]]   k = I (first three rows of the 4×4 identity)
 *   q k^T / 2 = [[1,0,0], [0,0,0], [1,1,0]]
 * bidirectional softmax, e = 2.718281828:
 *   row 0: [e, 1, 1] / (e + 2)   = [0.5761169, 0.2119416, 0.2119416]
 *   row 1: [1, 1, 1] / 3         = [1/3, 1/3, 1/3]
 *   row 2: [e, e, 1] / (2e + 1)  = [0.4223188, 0.4223188, 0.1553624]
 * v = [[1,0], [0,1], [1,1]]: out row = [w0 + w2, w1 + w2]
 *   row 0: [0.7880585, 0.4238832]   row 1: [2/3, 2/3]   row 2: [0.5776812, 0.5776812]
 * causal:
 *   row 0 sees key 0 only: [1, 0, 0], out [1, 0]
 *   row 1 sees keys 0, 1 with equal scores: [0.5, 0.5, 0], out [0.5, 0.5]
 *   row 2 sees everything: as bidirectional. */
static const float hand_q[] = { 2, 0, 0, 0, 0, 0, 0, 0, 2, 2, 0, 0 };
static const float hand_k[] = { 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0 };
static const float hand_v[] = { 1, 0, 0, 1, 1, 1 };

static void
assert_close (const float *got,
              const float *want,
              int          n,
              float        tol)
{
  for (int i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (got[i], want[i], tol);
}

static void
test_hand_bidirectional (void)
{
  TriadMask mask = { .kind = TRIAD_MASK_BIDIRECTIONAL };
  float w[9], out[6];
  const float want_w[] = { 0.5761169f, 0.2119416f, 0.2119416f,
                           1.0f / 3, 1.0f / 3, 1.0f / 3,
                           0.4223188f, 0.4223188f, 0.1553624f };
  const float want_out[] = { 0.7880585f, 0.4238832f, 2.0f / 3, 2.0f / 3, 0.5776812f, 0.5776812f };

  triad_attention_forward (out, w, hand_q, hand_k, hand_v, 3, 3, 4, 2, 4, 4, 2, 2, &mask);
  assert_close (w, want_w, 9, 1e-6f);
  assert_close (out, want_out, 6, 1e-6f);
}

static void
test_hand_causal (void)
{
  TriadMask mask = { .kind = TRIAD_MASK_CAUSAL };
  float w[9], out[6];
  const float want_w[] = { 1, 0, 0, 0.5f, 0.5f, 0, 0.4223188f, 0.4223188f, 0.1553624f };
  const float want_out[] = { 1, 0, 0.5f, 0.5f, 0.5776812f, 0.5776812f };

  triad_attention_forward (out, w, hand_q, hand_k, hand_v, 3, 3, 4, 2, 4, 4, 2, 2, &mask);
  assert_close (w, want_w, 9, 1e-6f);
  assert_close (out, want_out, 6, 1e-6f);
  /* blocked cells are exactly zero, not merely small */
  g_assert_true (w[1] == 0.0f && w[2] == 0.0f && w[5] == 0.0f);
}

/* A naive double-precision reference written independently of the kernel: every cell's
 * permission spelled out from the mask's definition. */
static gboolean
naive_allows (TriadMaskKind kind, int i, int j, int window, int prefix, int q_offset,
              const guint8 *valid)
{
  int p = i + q_offset;

  if (valid != NULL && !valid[j])
    return FALSE;
  switch (kind)
    {
    case TRIAD_MASK_BIDIRECTIONAL:
    case TRIAD_MASK_CROSS:
      return TRUE;
    case TRIAD_MASK_CAUSAL:
      return j <= p;
    case TRIAD_MASK_SLIDING:
      return j <= p && p - j < window;
    case TRIAD_MASK_PREFIX_LM:
      return j <= p || j < prefix;
    }
  return FALSE;
}

static void
naive_attention (double *w, double *out, const float *q, const float *k, const float *v,
                 int n_q, int n_k, int d, const TriadMask *m)
{
  for (int i = 0; i < n_q; i++)
    {
      double max = -INFINITY, sum = 0;
      for (int j = 0; j < n_k; j++)
        {
          double s = 0;
          for (int c = 0; c < d; c++)
            s += (double) q[i * d + c] * k[j * d + c];
          s /= sqrt (d);
          w[i * n_k + j] = naive_allows (m->kind, i, j, m->window, m->prefix_len, m->q_offset,
                                         m->key_valid) ? s : -INFINITY;
          max = MAX (max, w[i * n_k + j]);
        }
      for (int j = 0; j < n_k; j++)
        {
          w[i * n_k + j] = max == -INFINITY ? 0 : exp (w[i * n_k + j] - max);
          sum += w[i * n_k + j];
        }
      for (int j = 0; j < n_k; j++)
        w[i * n_k + j] = sum > 0 ? w[i * n_k + j] / sum : 0;
      for (int c = 0; c < d; c++)
        {
          out[i * d + c] = 0;
          for (int j = 0; j < n_k; j++)
            out[i * d + c] += w[i * n_k + j] * v[j * d + c];
        }
    }
}

static void
fill_random (float *x, int n, GRand *rng, double scale)
{
  for (int i = 0; i < n; i++)
    x[i] = (float) (scale * g_rand_double_range (rng, -1, 1));
}

/* Runs the kernel and the naive reference on random data; checks they agree, that blocked
 * cells are exactly 0, that rows with any allowed key sum to 1 and rows with none are 0. */
static void
check_against_naive (const TriadMask *mask,
                     int              n_q,
                     int              n_k)
{
  const int d = 8;
  g_autoptr(GRand) rng = g_rand_new_with_seed (1234 + mask->kind);
  g_autofree float *q = g_new (float, n_q * d), *k = g_new (float, n_k * d);
  g_autofree float *v = g_new (float, n_k * d);
  g_autofree float *w = g_new (float, n_q * n_k), *out = g_new (float, n_q * d);
  g_autofree double *rw = g_new (double, n_q * n_k), *rout = g_new (double, n_q * d);

  fill_random (q, n_q * d, rng, 2.0);
  fill_random (k, n_k * d, rng, 2.0);
  fill_random (v, n_k * d, rng, 1.0);
  triad_attention_forward (out, w, q, k, v, n_q, n_k, d, d, d, d, d, d, mask);
  naive_attention (rw, rout, q, k, v, n_q, n_k, d, mask);

  for (int i = 0; i < n_q; i++)
    {
      double sum = 0;
      gboolean any = FALSE;

      for (int j = 0; j < n_k; j++)
        {
          gboolean allowed = naive_allows (mask->kind, i, j, mask->window, mask->prefix_len,
                                           mask->q_offset, mask->key_valid);
          g_assert_cmpint (triad_mask_allows (mask, i, j), ==, allowed);
          if (!allowed)
            g_assert_true (w[i * n_k + j] == 0.0f);
          any |= allowed;
          sum += w[i * n_k + j];
          g_assert_cmpfloat_with_epsilon (w[i * n_k + j], rw[i * n_k + j], 1e-6);
        }
      g_assert_cmpfloat_with_epsilon (sum, any ? 1.0 : 0.0, 1e-5);
      for (int c = 0; c < d; c++)
        {
          g_assert_true (isfinite (out[i * d + c]));
          g_assert_cmpfloat_with_epsilon (out[i * d + c], rout[i * d + c], 1e-5);
        }
    }
}

static void
test_bidirectional (void)
{
  TriadMask mask = { .kind = TRIAD_MASK_BIDIRECTIONAL };
  check_against_naive (&mask, 7, 7);
}

static void
test_causal (void)
{
  TriadMask mask = { .kind = TRIAD_MASK_CAUSAL };
  check_against_naive (&mask, 9, 9);
}

static void
test_cross (void)
{
  /* rectangular: 3 target queries over 6 source keys */
  TriadMask mask = { .kind = TRIAD_MASK_CROSS };
  check_against_naive (&mask, 3, 6);
}

static void
test_sliding (void)
{
  /* W = 3: row 5 sees keys 3, 4, 5 and nothing else */
  TriadMask mask = { .kind = TRIAD_MASK_SLIDING, .window = 3 };
  float w[64], out[64], q[64], k[64], v[64];

  check_against_naive (&mask, 8, 8);
  for (int i = 0; i < 64; i++)
    q[i] = k[i] = v[i] = 0.1f * (i % 5);
  triad_attention_forward (out, w, q, k, v, 8, 8, 1, 1, 1, 1, 1, 1, &mask);
  for (int j = 0; j < 8; j++)
    g_assert_cmpint (w[5 * 8 + j] > 0.0f, ==, j >= 3 && j <= 5);
}

static void
test_prefix_lm (void)
{
  /* prefix of 3: rows 0–2 see keys 0–2 (row 0 sees ahead), row 4 sees keys 0–4 */
  TriadMask mask = { .kind = TRIAD_MASK_PREFIX_LM, .prefix_len = 3 };
  check_against_naive (&mask, 6, 6);
  g_assert_true (triad_mask_allows (&mask, 0, 2));
  g_assert_false (triad_mask_allows (&mask, 0, 3));
  g_assert_true (triad_mask_allows (&mask, 4, 4));
  g_assert_false (triad_mask_allows (&mask, 4, 5));
}

static void
test_key_padding (void)
{
  const guint8 valid[] = { 1, 1, 0, 1, 0 };
  TriadMask bidi = { .kind = TRIAD_MASK_BIDIRECTIONAL, .key_valid = valid };
  TriadMask causal = { .kind = TRIAD_MASK_CAUSAL, .key_valid = valid };

  check_against_naive (&bidi, 5, 5);
  check_against_naive (&causal, 5, 5);
}

static void
test_q_offset (void)
{
  /* a decoding step: 2 new queries at positions 5 and 6 over 7 cached keys */
  TriadMask mask = { .kind = TRIAD_MASK_CAUSAL, .q_offset = 5 };
  check_against_naive (&mask, 2, 7);
  g_assert_true (triad_mask_allows (&mask, 0, 5));
  g_assert_false (triad_mask_allows (&mask, 0, 6));
}

static void
test_fully_masked (void)
{
  const guint8 none[] = { 0, 0, 0 };
  TriadMask mask = { .kind = TRIAD_MASK_BIDIRECTIONAL, .key_valid = none };
  float w[9], out[6];

  triad_attention_forward (out, w, hand_q, hand_k, hand_v, 3, 3, 4, 2, 4, 4, 2, 2, &mask);
  for (int i = 0; i < 9; i++)
    g_assert_true (w[i] == 0.0f);
  for (int i = 0; i < 6; i++)
    g_assert_true (out[i] == 0.0f);

  /* a sliding window of 0 blocks everything too */
  {
    TriadMask empty = { .kind = TRIAD_MASK_SLIDING, .window = 0 };
    triad_attention_forward (out, w, hand_q, hand_k, hand_v, 3, 3, 4, 2, 4, 4, 2, 2, &empty);
    for (int i = 0; i < 9; i++)
      g_assert_true (w[i] == 0.0f);
  }
}

static void
test_large_scores (void)
{
  /* d_k = 1, q = ±100, k = ±100: scores ±1e4. Row 0 (q = 100) puts all weight on key 0
   * (score 1e4 against -1e4): exactly [1, 0]; row 1 (q = -100) the reverse. Nothing overflows. */
  const float q[] = { 100, -100 }, k[] = { 100, -100 }, v[] = { 3, 7 };
  TriadMask mask = { .kind = TRIAD_MASK_BIDIRECTIONAL };
  float w[4], out[2];

  triad_attention_forward (out, w, q, k, v, 2, 2, 1, 1, 1, 1, 1, 1, &mask);
  g_assert_cmpfloat_with_epsilon (w[0], 1.0, 1e-7);
  g_assert_cmpfloat_with_epsilon (w[1], 0.0, 1e-7);
  g_assert_cmpfloat_with_epsilon (w[2], 0.0, 1e-7);
  g_assert_cmpfloat_with_epsilon (w[3], 1.0, 1e-7);
  g_assert_cmpfloat_with_epsilon (out[0], 3.0, 1e-5);
  g_assert_cmpfloat_with_epsilon (out[1], 7.0, 1e-5);

  /* equal huge scores: uniform, not NaN */
  {
    const float q2[] = { 100 }, k2[] = { 100, 100, 100, 100 }, v2[] = { 1, 2, 3, 4 };
    float w2[4], out2[1];
    triad_attention_forward (out2, w2, q2, k2, v2, 1, 4, 1, 1, 1, 1, 1, 1, &mask);
    for (int j = 0; j < 4; j++)
      g_assert_cmpfloat_with_epsilon (w2[j], 0.25, 1e-6);
    g_assert_cmpfloat_with_epsilon (out2[0], 2.5, 1e-5);
  }
}

static void
test_mask_names (void)
{
  TriadMaskKind kind;

  g_assert_true (triad_mask_kind_from_string ("prefix-lm", &kind));
  g_assert_cmpint (kind, ==, TRIAD_MASK_PREFIX_LM);
  g_assert_cmpstr (triad_mask_kind_to_string (TRIAD_MASK_SLIDING), ==, "sliding");
  g_assert_false (triad_mask_kind_from_string ("diagonal", &kind));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/attention/hand-3x3-bidirectional", test_hand_bidirectional);
  g_test_add_func ("/engine/attention/hand-3x3-causal", test_hand_causal);
  g_test_add_func ("/engine/attention/bidirectional", test_bidirectional);
  g_test_add_func ("/engine/attention/causal-mask", test_causal);
  g_test_add_func ("/engine/attention/cross", test_cross);
  g_test_add_func ("/engine/attention/sliding-window", test_sliding);
  g_test_add_func ("/engine/attention/prefix-lm", test_prefix_lm);
  g_test_add_func ("/engine/attention/key-padding", test_key_padding);
  g_test_add_func ("/engine/attention/query-offset", test_q_offset);
  g_test_add_func ("/engine/attention/fully-masked-row", test_fully_masked);
  g_test_add_func ("/engine/attention/large-scores", test_large_scores);
  g_test_add_func ("/engine/attention/mask-names", test_mask_names);
  return g_test_run ();
}
