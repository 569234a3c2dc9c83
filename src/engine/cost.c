/* cost.c — the attention FLOPs and the values kept by an encoder-decoder and a decoder-only
 * model, counted as cost.h states. */
#include "config.h"

#include <string.h>

#include "engine/cost.h"

void
triad_attention_cost (double              n,
                      double              m,
                      double              d,
                      TriadAttentionCost *c)
{
  g_return_if_fail (c != NULL);

  memset (c, 0, sizeof *c);
  /* q queries against k keys: 2·q·k·d for Q Kᵀ and 2·q·k·d for the weights times V */
  c->encoder_self = 4.0 * n * n * d;              /* every source against every source */
  c->decoder_self = 2.0 * m * (m + 1.0) * d;      /* output j against outputs 1 … j */
  c->cross = 4.0 * m * n * d;                     /* every output against every source */
  c->encdec = c->encoder_self + c->decoder_self + c->cross;
  c->prefill = 2.0 * n * (n + 1.0) * d;           /* input i against inputs 1 … i */
  c->generate = 4.0 * m * n * d + 2.0 * m * (m + 1.0) * d;  /* output j against n + j */
  c->decoder = c->prefill + c->generate;
  c->encdec_kv = 2.0 * n * d + 2.0 * m * d;
  c->decoder_kv = 2.0 * (n + m) * d;
  c->scores = n * n;
}
