/* test-kvquant.c — the KV cache in f16, bf16, int8 and int4: the bytes of a row, values read
 * back within the bound each format promises, and a decoder whose cache is quantized against
 * the same decoder with an f32 cache. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "engine/error.h"
#include "engine/kvquant.h"
#include "test-common.h"

/* By hand: 2 heads of 4 values. f32 8 × 4 = 32 bytes, f16 and bf16 8 × 2 = 16; int8 8 values
 * and a 4-byte scale per head, 8 + 8 = 16; int4 two values a byte, 4 + 8 = 12. */
static void
test_row_bytes (void)
{
  g_assert_cmpuint (triad_kv_row_bytes (TRIAD_DTYPE_F32, 2, 4), ==, 32);
  g_assert_cmpuint (triad_kv_row_bytes (TRIAD_DTYPE_F16, 2, 4), ==, 16);
  g_assert_cmpuint (triad_kv_row_bytes (TRIAD_DTYPE_BF16, 2, 4), ==, 16);
  g_assert_cmpuint (triad_kv_row_bytes (TRIAD_DTYPE_INT8, 2, 4), ==, 16);
  g_assert_cmpuint (triad_kv_row_bytes (TRIAD_DTYPE_INT4, 2, 4), ==, 12);
  g_assert_false (triad_kv_dtype_supported (TRIAD_DTYPE_FP8));
}

/* Values the formats hold exactly come back exactly; the bytes are the formats' own. */
static void
test_exact_values (void)
{
  /* int8: head 0's largest magnitude is 127, so its scale is 1 and the integers are exact */
  const float x8[8] = { 1, -2, 0, 127, 0.5f, -0.25f, 0.125f, 1 };
  /* int4: head 0's largest is 7 (scale 1); head 1's is 14 (scale 2); 3.5 rounds to 4, even */
  const float x4[8] = { 7, -7, 3.5f, 0, 14, -2, 4, 6 };
  const float one[2] = { 1.0f, -2.0f };
  guint8 buf[64];
  float back[8];

  triad_kv_quantize_row (TRIAD_DTYPE_INT8, x8, buf, 2, 4);
  g_assert_cmpfloat (*(float *) buf, ==, 1.0f);
  g_assert_cmpint ((gint8) buf[4 + 1], ==, -2);
  g_assert_cmpint ((gint8) buf[4 + 3], ==, 127);
  /* head 1: scale 1 / 127; 1 → 127 */
  triad_kv_dequantize_row (TRIAD_DTYPE_INT8, buf, back, 2, 4);
  for (int i = 0; i < 4; i++)
    g_assert_cmpfloat (back[i], ==, x8[i]);
  g_assert_cmpfloat_with_epsilon (back[7], 1.0f, 1e-6);

  triad_kv_quantize_row (TRIAD_DTYPE_INT4, x4, buf, 2, 4);
  triad_kv_dequantize_row (TRIAD_DTYPE_INT4, buf, back, 2, 4);
  g_assert_cmpfloat (back[0], ==, 7.0f);
  g_assert_cmpfloat (back[1], ==, -7.0f);
  g_assert_cmpfloat (back[2], ==, 4.0f);
  g_assert_cmpfloat (back[3], ==, 0.0f);
  g_assert_cmpfloat (back[4], ==, 14.0f);
  g_assert_cmpfloat (back[5], ==, -2.0f);
  g_assert_cmpfloat (back[6], ==, 4.0f);
  g_assert_cmpfloat (back[7], ==, 6.0f);

  /* f16 1.0 is 0x3c00 and -2.0 0xc000; bf16 1.0 is 0x3f80, -2.0 0xc000 (little-endian) */
  triad_kv_quantize_row (TRIAD_DTYPE_F16, one, buf, 1, 2);
  g_assert_cmpint (buf[0], ==, 0x00);
  g_assert_cmpint (buf[1], ==, 0x3c);
  g_assert_cmpint (buf[3], ==, 0xc0);
  triad_kv_quantize_row (TRIAD_DTYPE_BF16, one, buf, 1, 2);
  g_assert_cmpint (buf[0], ==, 0x80);
  g_assert_cmpint (buf[1], ==, 0x3f);
  g_assert_cmpint (buf[3], ==, 0xc0);
}

/* Random rows: every value read back within its format's bound, and the bound is reached
 * closely enough that a looser scale would be noticed. */
static void
test_bounds (void)
{
  g_autoptr(GRand) rng = g_rand_new_with_seed (3);
  const int heads = 3, hd = 16, n = heads * hd;
  float x[48], back[48];
  guint8 buf[256];
  double worst8 = 0, worst4 = 0;

  for (int trial = 0; trial < 200; trial++)
    {
      for (int i = 0; i < n; i++)
        x[i] = (float) g_rand_double_range (rng, -3, 3) * (i % hd == 0 ? 2.0f : 1.0f);
      for (int d = 0; d < 4; d++)
        {
          static const TriadDtype kinds[] = { TRIAD_DTYPE_F16, TRIAD_DTYPE_BF16,
                                              TRIAD_DTYPE_INT8, TRIAD_DTYPE_INT4 };
          TriadDtype k = kinds[d];

          triad_kv_quantize_row (k, x, buf, heads, hd);
          triad_kv_dequantize_row (k, buf, back, heads, hd);
          for (int h = 0; h < heads; h++)
            {
              float max = 0;

              for (int j = 0; j < hd; j++)
                max = fmaxf (max, fabsf (x[h * hd + j]));
              for (int j = 0; j < hd; j++)
                {
                  float v = x[h * hd + j], err = fabsf (back[h * hd + j] - v);

                  if (k == TRIAD_DTYPE_F16)          /* half an ulp: 2⁻¹¹ relative */
                    g_assert_cmpfloat (err, <=, fabsf (v) * 0x1p-11f + 1e-7f);
                  else if (k == TRIAD_DTYPE_BF16)    /* 2⁻⁸ relative */
                    g_assert_cmpfloat (err, <=, fabsf (v) * 0x1p-8f);
                  else if (k == TRIAD_DTYPE_INT8)    /* half a step of max / 127 */
                    {
                      g_assert_cmpfloat (err, <=, max / 254.0f * 1.0001f);
                      worst8 = MAX (worst8, err / (max / 254.0f));
                    }
                  else                               /* half a step of max / 7 */
                    {
                      g_assert_cmpfloat (err, <=, max / 14.0f * 1.0001f);
                      worst4 = MAX (worst4, err / (max / 14.0f));
                    }
                }
            }
        }
    }
  /* uniform values land near half a step from a level now and then */
  g_assert_cmpfloat (worst8, >, 0.9);
  g_assert_cmpfloat (worst4, >, 0.9);
}

/* A decoder prefills the same tokens with an f32 and a quantized cache. The cache's bytes are
 * the row bytes times positions; and in layer 0, where the queries and keys are the same in
 * both runs before the keys are stored, each attention weight differs by at most e^(2δ) − 1
 * for its row, with δ = Σ|q| · max|k| / (2 · 127 · √d) (int8; 2 · 7 for int4): a key value
 * moves by at most max|k| / 254 of its head and token, a score by ‖q‖₁ times that / √d, and
 * softmax by a factor within e^(±2δ). max|k| is taken over the whole head here, a looser but
 * still derived bound. */
static void
check_against_f32 (TriadDtype dtype,
                   double     levels)
{
  g_autoptr(TriadModel) m = test_model (TRIAD_ARCH_DECODER, 5);
  g_autoptr(TriadState) f = triad_state_new (m);
  g_autoptr(TriadState) q = triad_state_new (m);
  g_autoptr(GError) error = NULL;
  const int ids[] = { TRIAD_TOKEN_BOS, 7, 9, 12, 8, 21, 6, 6, 7, 13, 15, 20, 9 };
  const int n = G_N_ELEMENTS (ids);
  const TriadConfig *c = &m->config;
  int hd = triad_config_head_dim (c);
  TriadCapture cf = { .kind = TRIAD_ATTN_DECODER_SELF, .layer = 0, .head = -1, .qkv = TRUE };
  TriadCapture cq = { .kind = TRIAD_ATTN_DECODER_SELF, .layer = 0, .head = -1 };
  double worst = 0, tightest = G_MAXDOUBLE;

  g_assert_true (triad_state_set_kv_dtype (q, dtype));
  q->kv_block = 1;
  g_assert_true (triad_decoder_forward (f, ids, n, &cf, 1, &error));
  g_assert_true (triad_decoder_forward (q, ids, n, &cq, 1, &error));
  g_assert_no_error (error);
  /* by hand: 2 layers × (K and V) × 13 positions × row bytes */
  g_assert_cmpuint (triad_state_kv_bytes (q), ==,
                    2 * 2 * 13 * triad_kv_row_bytes (dtype, c->n_heads, hd));

  for (int h = 0; h < c->n_heads; h++)
    {
      const float *wf = triad_capture_matrix (&cf, 0, h), *wq = triad_capture_matrix (&cq, 0, h);
      const float *qv = triad_capture_qkv (&cf, 'q', 0, h), *kv = triad_capture_qkv (&cf, 'k', 0, h);
      float kmax = 0;

      for (int t = 0; t < n * hd; t++)
        kmax = fmaxf (kmax, fabsf (kv[t]));
      for (int i = 0; i < n; i++)
        {
          double l1 = 0, delta, bound;

          for (int j = 0; j < hd; j++)
            l1 += fabs (qv[i * hd + j]);
          delta = l1 * kmax / (2 * levels) / sqrt (hd);
          bound = exp (2 * delta) - 1;
          tightest = MIN (tightest, bound);
          for (int j = 0; j < n; j++)
            {
              double d = fabs (wf[i * n + j] - wq[i * n + j]);

              g_assert_cmpfloat (d, <=, bound + 1e-6);
              worst = MAX (worst, d);
            }
        }
    }
  /* the cache changed something: the comparison is not of two equal runs */
  g_assert_cmpfloat (worst, >, 0);
  g_test_message ("largest difference %.3g; the bounds from %.3g", worst, tightest);
  triad_capture_clear (&cf);
  triad_capture_clear (&cq);
}

static void
test_int8_against_f32 (void)
{
  check_against_f32 (TRIAD_DTYPE_INT8, 127);
}

static void
test_int4_against_f32 (void)
{
  check_against_f32 (TRIAD_DTYPE_INT4, 7);
}

/* Decoding one token at a time through an int8 cache equals one pass over them all with the
 * same cache: each step reads back what the pass reads back. */
static void
test_steps_equal_pass (void)
{
  g_autoptr(TriadModel) m = test_model (TRIAD_ARCH_DECODER, 9);
  g_autoptr(TriadState) a = triad_state_new (m);
  g_autoptr(TriadState) b = triad_state_new (m);
  const int ids[] = { TRIAD_TOKEN_BOS, 7, 9, 12, 8, 21 };
  const int n = G_N_ELEMENTS (ids), V = m->config.vocab_size;
  g_autofree float *full = NULL;

  g_assert_true (triad_state_set_kv_dtype (a, TRIAD_DTYPE_INT8));
  g_assert_true (triad_state_set_kv_dtype (b, TRIAD_DTYPE_INT8));
  g_assert_true (triad_decoder_forward (a, ids, n, NULL, 0, NULL));
  full = g_memdup2 (a->logits, sizeof (float) * n * V);
  for (int i = 0; i < n; i++)
    {
      g_assert_true (triad_decoder_forward (b, ids + i, 1, NULL, 0, NULL));
      for (int v = 0; v < V; v++)
        g_assert_cmpfloat_with_epsilon (b->logits[v], full[i * V + v], 1e-4);
    }
}

/* The report against f32: an f32 "quantized" cache changes nothing; int8 keeps the bytes
 * its rows take, and changes the weights a little. */
static void
test_compare_report (void)
{
  g_autoptr(TriadModel) m = test_model (TRIAD_ARCH_DECODER, 5);
  g_autoptr(GError) error = NULL;
  const int ids[] = { TRIAD_TOKEN_BOS, 7, 9, 12, 8 };
  int hd = triad_config_head_dim (&m->config), H = m->config.n_heads;
  TriadKvQuantReport r;

  g_assert_true (triad_kv_quant_compare (m, ids, 5, 6, TRIAD_DTYPE_F32, &r, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (r.steps, ==, 6);
  g_assert_cmpint (r.changed, ==, 0);
  g_assert_cmpfloat (r.max_weight_diff, ==, 0.0);
  g_assert_cmpuint (r.bytes, ==, r.bytes_f32);

  g_assert_true (triad_kv_quant_compare (m, ids, 5, 6, TRIAD_DTYPE_INT8, &r, NULL, &error));
  g_assert_cmpint (r.steps, ==, 6);
  g_assert_cmpfloat (r.max_weight_diff, >, 0.0);
  g_assert_cmpfloat (r.max_weight_diff, <, 0.5);
  /* both caches hold the same positions: the bytes are in the rows' ratio, by hand
   * (4 heads × 4 + 4 × 4 scale bytes) / (16 × 4) = 32 / 64 */
  g_assert_cmpuint (triad_kv_row_bytes (TRIAD_DTYPE_INT8, H, hd), ==, 32);
  g_assert_cmpuint (r.bytes * 64, ==, r.bytes_f32 * 32);

  g_assert_false (triad_kv_quant_compare (m, ids, 5, 6, TRIAD_DTYPE_FP8, &r, NULL, &error));
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/kvquant/row-bytes", test_row_bytes);
  g_test_add_func ("/engine/kvquant/exact-values", test_exact_values);
  g_test_add_func ("/engine/kvquant/bounds", test_bounds);
  g_test_add_func ("/engine/kvquant/int8-against-f32", test_int8_against_f32);
  g_test_add_func ("/engine/kvquant/int4-against-f32", test_int4_against_f32);
  g_test_add_func ("/engine/kvquant/steps-equal-pass", test_steps_equal_pass);
  g_test_add_func ("/engine/kvquant/compare-report", test_compare_report);
  return g_test_run ();
}
