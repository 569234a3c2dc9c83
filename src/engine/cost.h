/* cost.h — what attention costs an encoder-decoder and a decoder-only model reading an input
 * of n tokens and writing an output of m, in FLOPs and in values kept: the numbers the
 * lesson's cost figure is drawn from.
 *
 * The counts are for one layer of each stack, attention of width d (every head together),
 * a multiply-add counted as 2 FLOPs. Attention between q queries and k keys costs
 * 2·q·k·d for Q Kᵀ and 2·q·k·d for the weights times V; softmax, the projections and the MLP
 * are left out. One encoder layer plus one decoder layer is paired with one decoder-only
 * layer: each token then passes through the same projections and MLP in both, so attention
 * is where they differ. Both generate with a KV cache: a new token attends to the cache and
 * computes nothing again. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  /* FLOPs of attention */
  double encoder_self;    /* encoder, bidirectional over n:          4·n²·d */
  double decoder_self;    /* its decoder, causal over the m outputs:  2·m·(m + 1)·d */
  double cross;           /* cross-attention, m queries × n keys:     4·m·n·d */
  double encdec;          /* the three together */
  double prefill;         /* decoder-only, causal over the n inputs:  2·n·(n + 1)·d */
  double generate;        /* m steps, step j over n + j keys:         4·m·n·d + 2·m·(m + 1)·d */
  double decoder;         /* prefill + generate = 2·(n + m)·(n + m + 1)·d */
  /* memory, in values (times the bytes of one value for bytes) */
  double encdec_kv;       /* cross K and V of n sources + self K and V of m: 2·n·d + 2·m·d */
  double decoder_kv;      /* K and V of n + m positions:              2·(n + m)·d */
  double scores;          /* the n × n scores of one head, if stored: n² (in either model) */
} TriadAttentionCost;

/* The costs of one layer for n input tokens, m output tokens and width d. */
void triad_attention_cost (double              n,
                           double              m,
                           double              d,
                           TriadAttentionCost *cost);

G_END_DECLS
