/* analysis.h — attention of a model over a text, ready to show: the tokens on both axes and
 * the weights of the layers and heads asked for; and the statistics of one head. */
#pragma once

#include <gio/gio.h>

#include "engine/model.h"

G_BEGIN_DECLS

typedef struct {
  TriadArch      arch;
  TriadAttnKind  kind;
  TriadEncoding *src;       /* the encoder's input, or a decoder-only model's */
  TriadEncoding *tgt;       /* an encoder-decoder's decoder input; NULL otherwise */
  TriadEncoding *queries;   /* src or tgt, by kind (not owned) */
  TriadEncoding *keys;      /* src or tgt, by kind (not owned) */
  gboolean       generated; /* the target came from greedy decoding, not from the caller */
  TriadCapture   cap;       /* the weights: (layers, heads, queries, keys) */
} TriadAttentionMap;

/* "self" is the model's own self-attention: the encoder's, or a decoder-only model's. */
TriadAttnKind      triad_attention_default_kind (const TriadModel *model);
/* Layers of that kind of attention in the model (0 when it has none). */
int                triad_attention_n_layers     (const TriadModel *model,
                                                 TriadAttnKind     kind);

/* Runs the model over text (and, for an encoder-decoder, over target, or over its own greedy
 * translation when target is NULL) and captures layer and head (-1 for all). */
TriadAttentionMap *triad_attention_map_compute  (TriadModel       *model,
                                                 const char       *text,
                                                 const char       *target,
                                                 TriadAttnKind     kind,
                                                 int               layer,
                                                 int               head,
                                                 GCancellable     *cancellable,
                                                 GError          **error);
void               triad_attention_map_free     (TriadAttentionMap *map);

/* The mean of the heads of captured layer i, (n_q, n_k), into out. */
void               triad_attention_map_average  (const TriadAttentionMap *map,
                                                 int                      i,
                                                 float                   *out);

typedef struct {
  double entropy;        /* mean over queries of -Σ p ln p, in nats */
  double mean_distance;  /* mean over queries of Σ p |i - j|, in tokens */
  double sink;           /* mean over queries of the weight on the first key */
} TriadHeadStats;

/* Statistics of one (n_q, n_k) head; for self-attention query i sits at position i. */
void               triad_head_stats             (const float      *weights,
                                                 int               n_q,
                                                 int               n_k,
                                                 TriadHeadStats   *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadAttentionMap, triad_attention_map_free)

G_END_DECLS
