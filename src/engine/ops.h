/* ops.h — the layer kernels the forward pass and the trainer share, each with its backward.
 * Shapes: x (n, in), W (out, in) as torch.nn.Linear stores it, rows of length dim. */
#pragma once

#include <stddef.h>

#include "engine/model.h"

G_BEGIN_DECLS

/* out (n, out_dim) = x (n, in_dim) W^T + b (W as lin stores it; no b when NULL) */
void triad_linear_forward     (float             *out,
                               const float       *x,
                               const TriadLinear *lin,
                               int                n,
                               int                in_dim,
                               int                out_dim);
/* dx (n, in_dim) (+)= dout W; dW += dout^T x; db += Σ_rows dout. dx may be NULL; with
 * accumulate the result is added to dx instead of stored. */
void triad_linear_backward    (float             *dx,
                               TriadLinear       *grad,
                               const float       *dout,
                               const float       *x,
                               const TriadLinear *lin,
                               int                n,
                               int                in_dim,
                               int                out_dim,
                               gboolean           accumulate);

/* out (n, dim) = (x - mean) / sqrt (var + eps) * w + b; mean and rstd (n) may be NULL */
void triad_layernorm_forward  (float             *out,
                               float             *mean,
                               float             *rstd,
                               const float       *x,
                               const TriadNorm   *norm,
                               int                n,
                               int                dim,
                               float              eps);
/* dx (n, dim) += the input gradient; dw, db += the parameter gradients */
void triad_layernorm_backward (float             *dx,
                               TriadNorm         *grad,
                               const float       *dout,
                               const float       *x,
                               const float       *mean,
                               const float       *rstd,
                               const TriadNorm   *norm,
                               int                n,
                               int                dim);

/* out (n, dim) = x / sqrt (mean (x²) + eps) * w (T5's and Llama's RMSNorm) */
void triad_rmsnorm_forward    (float             *out,
                               const float       *x,
                               const TriadNorm   *norm,
                               int                n,
                               int                dim,
                               float              eps);
/* The norm the model's config names, over rows of config->dim; out may not be x. */
void triad_norm_forward       (float             *out,
                               const float       *x,
                               const TriadNorm   *norm,
                               const TriadConfig *config,
                               int                n);
/* x = act (x), in place */
void triad_activation_forward (TriadActivation    act,
                               float             *x,
                               size_t             n);

/* out = 0.5 x (1 + erf (x / sqrt 2)); out may be x */
void triad_gelu_forward       (float             *out,
                               const float       *x,
                               size_t             n);
/* dx = dout (0.5 (1 + erf (x / sqrt 2)) + x φ(x)); dx may be dout */
void triad_gelu_backward      (float             *dx,
                               const float       *dout,
                               const float       *x,
                               size_t             n);

/* For one head, given the softmax weights p (n_q, n_k) and dout (n_q, d):
 *   dv (n_k, d) += p^T dout;  dp = dout v^T;  ds = p ⊙ (dp - rowsum (dp ⊙ p));
 *   dq (n_q, d) += scale ds k;  dk (n_k, d) += scale ds^T q
 * Strides as in triad_attention_forward; scratch holds n_q × n_k floats. */
void triad_attention_backward (float             *dq,
                               float             *dk,
                               float             *dv,
                               float             *scratch,
                               const float       *dout,
                               const float       *p,
                               const float       *q,
                               const float       *k,
                               const float       *v,
                               int                n_q,
                               int                n_k,
                               int                d,
                               int                ld);

G_END_DECLS
