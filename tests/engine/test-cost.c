/* test-cost.c — what attention costs an encoder-decoder and a decoder-only model, against
 * numbers worked by hand from the formulas in engine/cost.h. */
#include "config.h"

#include <glib.h>

#include "engine/cost.h"

/* n = 1000 input tokens, m = 100 output tokens, d = 512, a multiply-add = 2 FLOPs:
 *   encoder self-attention   4·n²·d         = 4 · 1 000 000 · 512          = 2 048 000 000
 *   decoder self-attention   2·m·(m + 1)·d  = 2 · 100 · 101 · 512          =    10 342 400
 *   cross-attention          4·m·n·d        = 4 · 100 · 1000 · 512         =   204 800 000
 *   encoder-decoder                                                        = 2 263 142 400
 *   decoder-only prefill     2·n·(n + 1)·d  = 2 · 1000 · 1001 · 512        = 1 025 024 000
 *   decoder-only generation  4·m·n·d + 2·m·(m + 1)·d = 204 800 000 + 10 342 400 = 215 142 400
 *   decoder-only             2·(n + m)·(n + m + 1)·d = 2 · 1100 · 1101 · 512 = 1 240 166 400
 *   KV cache (either)        2·(n + m)·d    = 2 · 1100 · 512               =     1 126 400
 *   scores of one head       n²                                           =     1 000 000 */
static void
test_cost_formulas (void)
{
  TriadAttentionCost c;

  triad_attention_cost (1000, 100, 512, &c);
  g_assert_cmpfloat (c.encoder_self, ==, 2048000000.0);
  g_assert_cmpfloat (c.decoder_self, ==, 10342400.0);
  g_assert_cmpfloat (c.cross, ==, 204800000.0);
  g_assert_cmpfloat (c.encdec, ==, 2263142400.0);
  g_assert_cmpfloat (c.prefill, ==, 1025024000.0);
  g_assert_cmpfloat (c.generate, ==, 215142400.0);
  g_assert_cmpfloat (c.decoder, ==, 1240166400.0);
  g_assert_cmpfloat (c.encdec_kv, ==, 1126400.0);
  g_assert_cmpfloat (c.decoder_kv, ==, 1126400.0);
  g_assert_cmpfloat (c.scores, ==, 1000000.0);

  /* one token in, one out, d = 1: the encoder-decoder scores 3 pairs (source–source,
   * target–source, target–target), the decoder-only 3 pairs of its 2 tokens (1 + 2), so both
   * spend 3 · 4 = 12 FLOPs */
  triad_attention_cost (1, 1, 1, &c);
  g_assert_cmpfloat (c.encdec, ==, 12.0);
  g_assert_cmpfloat (c.decoder, ==, 12.0);

  /* a long input: the bidirectional encoder's n² against the causal n²/2 makes the ratio
   * tend to 2; at n = 100 000, m = 500, d = 4096 it is
   * (4·10¹⁰ + 2·10⁸ + 501 000) / (2 · 100 500 · 100 501) = 40 200 501 000 / 20 200 701 000 */
  triad_attention_cost (100000, 500, 4096, &c);
  g_assert_cmpfloat_with_epsilon (c.encdec / c.decoder, 40200501000.0 / 20200701000.0, 1e-12);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/cost/formulas", test_cost_formulas);
  return g_test_run ();
}
