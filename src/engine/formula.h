/* formula.h — one head of a trained model taken apart along the attention formula,
 * softmax (Q Kᵀ / √d_k + mask) V — on a model with rotary positions (Llama, Mistral, Qwen2)
 * softmax (RoPE (Q) RoPE (K)ᵀ / √d_k + mask) V: its queries, keys and values as the engine
 * computed them,
 * the scores before and after scaling, the mask, the weights and the output; and the same
 * head under another mask. */
#pragma once

#include <gio/gio.h>

#include "engine/attention.h"
#include "engine/model.h"

G_BEGIN_DECLS

typedef struct {
  TriadArch   arch;
  int         layer;
  int         head;
  int         n;          /* tokens: queries and keys alike (self-attention) */
  int         d_k;        /* head size, d_k = d_v */
  int         n_pad;      /* trailing <pad> tokens, blocked as keys by key padding */
  char      **tokens;     /* (n) as a person reads them, NULL-terminated */
  TriadMask   mask;       /* the mask the model ran with */
  guint8     *key_valid;  /* (n) with n_pad > 0: 0 for the pads; else NULL */
  float      *q;          /* (n, d_k) as the kernel received them: on a rotary model RoPE (Q) */
  float      *k;          /* (n, d_k) and RoPE (K) */
  gboolean    rotary;     /* the model rotates q and k by their positions (RoPE) */
  float      *q_unrotated;  /* (n, d_k) with rotary: the queries and keys before the rotation, */
  float      *k_unrotated;  /* else NULL */
  float      *v;          /* (n, d_k) */
  float      *scores;     /* (n, n) Q Kᵀ */
  float      *scaled;     /* (n, n) Q Kᵀ / √d_k, or for a model that does not scale (T5)
                           * Q Kᵀ + bias */
  gboolean    unscaled;   /* the model does not divide by √d_k (T5) */
  float      *bias;       /* (n, n) the head's relative position bias (T5), or NULL */
  float      *weights;    /* (n, n) the engine's softmax under mask: blocked cells exactly 0 */
  float      *out;        /* (n, d_k) weights V */
} TriadFormulaTrace;

/* Runs model over text and takes layer, head of its self-attention (the encoder's, or a
 * decoder-only model's) apart. n_pad > 0 appends that many <pad> tokens to an encoder's
 * input and runs with key padding, as a padded batch does. */
TriadFormulaTrace *triad_formula_trace (TriadModel        *model,
                                        const char        *text,
                                        int                layer,
                                        int                head,
                                        int                n_pad,
                                        GCancellable      *cancellable,
                                        GError           **error);
void               triad_formula_trace_free (TriadFormulaTrace *trace);

/* The trace's head with its own Q, K and V under another mask, through the engine's kernel:
 * weights (n, n) and out (n, d_k), either may be NULL. */
void               triad_formula_remask (const TriadFormulaTrace *trace,
                                         const TriadMask         *mask,
                                         float                   *weights,
                                         float                   *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadFormulaTrace, triad_formula_trace_free)

G_END_DECLS
