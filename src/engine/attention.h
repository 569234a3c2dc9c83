/* attention.h — one head of scaled dot-product attention, and the masks that tell
 * BERT, GPT and T5 apart. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TRIAD_MASK_BIDIRECTIONAL,  /* every query sees every key (BERT, the T5 encoder) */
  TRIAD_MASK_CAUSAL,         /* a query sees keys at or before its own position (GPT) */
  TRIAD_MASK_CROSS,          /* rectangular: target queries see every source key (T5) */
  TRIAD_MASK_SLIDING,        /* causal, and only the last `window` keys (Mistral) */
  TRIAD_MASK_PREFIX_LM,      /* bidirectional over the first `prefix_len` keys, causal after */
} TriadMaskKind;

typedef struct {
  TriadMaskKind kind;
  int           window;      /* SLIDING: query at i sees keys j with i - window < j <= i */
  int           prefix_len;  /* PREFIX_LM */
  int           q_offset;    /* position of query row 0 among the keys: with a KV cache,
                              * n_k - n_q; 0 for a full pass */
  const guint8 *key_valid;   /* key padding: n_k flags, 0 = padding; NULL = all valid */
  /* What a model adds to the plain formula (zero for Triad's own models): */
  float         scale;       /* the scores' factor; 0: 1 / sqrt (d_k). T5 uses 1 */
  const float  *bias;        /* (n_q, n_k) added to the scaled scores (T5's relative
                              * positions), or NULL */
} TriadMask;

/* Whether the query at row `qi` may attend to the key at column `kj`. */
gboolean triad_mask_allows (const TriadMask *mask,
                            int              qi,
                            int              kj);

/* out (n_q, d_v) = softmax (q k^T / sqrt (d_k) + bias + mask) v   (mask->scale in place of
 * 1 / sqrt (d_k) when set)
 * q (n_q, d_k) with row stride ldq, k (n_k, d_k) stride ldk, v (n_k, d_v) stride ldv,
 * out stride ldo. weights (n_q, n_k), dense, receives the softmax; it must not be NULL
 * (the kernel uses it for the scores). Blocked cells get exactly 0; a row with every key
 * blocked gets all zeros in weights and in out. */
void triad_attention_forward (float           *out,
                              float           *weights,
                              const float     *q,
                              const float     *k,
                              const float     *v,
                              int              n_q,
                              int              n_k,
                              int              d_k,
                              int              d_v,
                              int              ldq,
                              int              ldk,
                              int              ldv,
                              int              ldo,
                              const TriadMask *mask);

const char *triad_mask_kind_to_string (TriadMaskKind kind);
gboolean    triad_mask_kind_from_string (const char    *name,
                                         TriadMaskKind *kind);

G_END_DECLS
