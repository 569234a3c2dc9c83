/* ops.c — linear, LayerNorm, GELU and attention: forward and backward. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <cblas.h>

#include "engine/ops.h"
#include "engine/vecmath.h"

void
triad_linear_forward (float             *out,
                      const float       *x,
                      const TriadLinear *lin,
                      int                n,
                      int                in_dim,
                      int                out_dim)
{
  float beta = lin->b != NULL ? 1.0f : 0.0f;

  if (lin->b != NULL)
    for (int i = 0; i < n; i++)
      memcpy (out + (size_t) i * out_dim, lin->b, sizeof (float) * out_dim);
  /* a decoding step's single row: a matrix-vector product, which reads W once at memory
   * speed where the matrix-matrix kernel packs it first */
  if (n == 1)
    {
      if (lin->in_out)
        cblas_sgemv (CblasRowMajor, CblasTrans, in_dim, out_dim, 1.0f, lin->w,
                     lin->ld > 0 ? lin->ld : out_dim, x, 1, beta, out, 1);
      else
        cblas_sgemv (CblasRowMajor, CblasNoTrans, out_dim, in_dim, 1.0f, lin->w,
                     lin->ld > 0 ? lin->ld : in_dim, x, 1, beta, out, 1);
      return;
    }
  if (lin->in_out)
    /* a Conv1D: W (in, out), rows ld apart */
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, n, out_dim, in_dim,
                 1.0f, x, in_dim, lin->w, lin->ld > 0 ? lin->ld : out_dim, beta, out, out_dim);
  else
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, n, out_dim, in_dim,
                 1.0f, x, in_dim, lin->w, lin->ld > 0 ? lin->ld : in_dim, beta, out, out_dim);
}

void
triad_linear_backward (float             *dx,
                       TriadLinear       *grad,
                       const float       *dout,
                       const float       *x,
                       const TriadLinear *lin,
                       int                n,
                       int                in_dim,
                       int                out_dim,
                       gboolean           accumulate)
{
  /* dW (out, in) += dout^T (out, n) x (n, in) */
  cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, out_dim, in_dim, n,
               1.0f, dout, out_dim, x, in_dim, 1.0f, grad->w, in_dim);
  for (int i = 0; i < n; i++)
    {
      const float *row = dout + (size_t) i * out_dim;
      for (int j = 0; j < out_dim; j++)
        grad->b[j] += row[j];
    }
  /* dx (n, in) = dout (n, out) W (out, in) */
  if (dx != NULL)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, n, in_dim, out_dim,
                 1.0f, dout, out_dim, lin->w, in_dim, accumulate ? 1.0f : 0.0f, dx, in_dim);
}

void
triad_layernorm_forward (float           *out,
                         float           *mean_out,
                         float           *rstd_out,
                         const float     *x,
                         const TriadNorm *norm,
                         int              n,
                         int              dim,
                         float            eps)
{
  for (int i = 0; i < n; i++)
    {
      const float *row = x + (size_t) i * dim;
      float *o = out + (size_t) i * dim;
      double mean = 0.0, var = 0.0;
      float m, rstd;

      for (int j = 0; j < dim; j++)
        mean += row[j];
      mean /= dim;
      for (int j = 0; j < dim; j++)
        var += (row[j] - mean) * (row[j] - mean);
      var /= dim;
      m = (float) mean;
      rstd = (float) (1.0 / sqrt (var + eps));
      for (int j = 0; j < dim; j++)
        o[j] = (row[j] - m) * rstd * norm->w[j] + (norm->b != NULL ? norm->b[j] : 0.0f);
      if (mean_out != NULL)
        mean_out[i] = m;
      if (rstd_out != NULL)
        rstd_out[i] = rstd;
    }
}

void
triad_layernorm_backward (float           *dx,
                          TriadNorm       *grad,
                          const float     *dout,
                          const float     *x,
                          const float     *mean,
                          const float     *rstd,
                          const TriadNorm *norm,
                          int              n,
                          int              dim)
{
  for (int i = 0; i < n; i++)
    {
      const float *dy = dout + (size_t) i * dim;
      const float *row = x + (size_t) i * dim;
      float *d = dx + (size_t) i * dim;
      double sum_dxhat = 0.0, sum_dxhat_xhat = 0.0;
      float a, b;

      /* xhat = (x - mean) rstd;  dxhat = dy w
       * dx = rstd (dxhat - mean (dxhat) - xhat mean (dxhat xhat)) */
      for (int j = 0; j < dim; j++)
        {
          float xhat = (row[j] - mean[i]) * rstd[i];
          float dxhat = dy[j] * norm->w[j];
          sum_dxhat += dxhat;
          sum_dxhat_xhat += dxhat * xhat;
          grad->w[j] += dy[j] * xhat;
          grad->b[j] += dy[j];
        }
      a = (float) (sum_dxhat / dim);
      b = (float) (sum_dxhat_xhat / dim);
      for (int j = 0; j < dim; j++)
        {
          float xhat = (row[j] - mean[i]) * rstd[i];
          d[j] += rstd[i] * (dy[j] * norm->w[j] - a - xhat * b);
        }
    }
}

void
triad_gelu_forward (float       *out,
                    const float *x,
                    size_t       n)
{
  for (size_t i = 0; i < n; i++)
    out[i] = 0.5f * x[i] * (1.0f + erff (x[i] * (float) M_SQRT1_2));
}

void
triad_gelu_backward (float       *dx,
                     const float *dout,
                     const float *x,
                     size_t       n)
{
  const float inv_sqrt_2pi = 0.3989422804f;

  for (size_t i = 0; i < n; i++)
    {
      float cdf = 0.5f * (1.0f + erff (x[i] * (float) M_SQRT1_2));
      float pdf = inv_sqrt_2pi * expf (-0.5f * x[i] * x[i]);
      dx[i] = dout[i] * (cdf + x[i] * pdf);
    }
}

void
triad_attention_backward (float       *dq,
                          float       *dk,
                          float       *dv,
                          float       *ds,
                          const float *dout,
                          const float *p,
                          const float *q,
                          const float *k,
                          const float *v,
                          int          n_q,
                          int          n_k,
                          int          d,
                          int          ld)
{
  const float scale = 1.0f / sqrtf ((float) d);

  /* dv (n_k, d) += p^T (n_k, n_q) dout (n_q, d) */
  cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, n_k, d, n_q,
               1.0f, p, n_k, dout, ld, 1.0f, dv, ld);
  /* dp (n_q, n_k) = dout (n_q, d) v^T */
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, n_q, n_k, d,
               1.0f, dout, ld, v, ld, 0.0f, ds, n_k);
  /* ds = p ⊙ (dp - Σ_j p dp) */
  for (int i = 0; i < n_q; i++)
    {
      const float *pr = p + (size_t) i * n_k;
      float *r = ds + (size_t) i * n_k;
      double dot = 0.0;

      for (int j = 0; j < n_k; j++)
        dot += pr[j] * r[j];
      for (int j = 0; j < n_k; j++)
        r[j] = pr[j] * (r[j] - (float) dot);
    }
  /* dq (n_q, d) += scale ds k;  dk (n_k, d) += scale ds^T q */
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, n_q, d, n_k,
               scale, ds, n_k, k, ld, 1.0f, dq, ld);
  cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, n_k, d, n_q,
               scale, ds, n_k, q, ld, 1.0f, dk, ld);
}

void
triad_rmsnorm_forward (float           *out,
                       const float     *x,
                       const TriadNorm *norm,
                       int              n,
                       int              dim,
                       float            eps)
{
  for (int i = 0; i < n; i++)
    {
      const float *row = x + (size_t) i * dim;
      float *o = out + (size_t) i * dim;
      double ms = 0.0;
      float rrms;

      for (int j = 0; j < dim; j++)
        ms += (double) row[j] * row[j];
      rrms = (float) (1.0 / sqrt (ms / dim + eps));
      for (int j = 0; j < dim; j++)
        o[j] = row[j] * rrms * norm->w[j];
    }
}

void
triad_norm_forward (float             *out,
                    const float       *x,
                    const TriadNorm   *norm,
                    const TriadConfig *config,
                    int                n)
{
  if (config->norm == TRIAD_NORM_RMS)
    triad_rmsnorm_forward (out, x, norm, n, config->dim, config->norm_eps);
  else
    triad_layernorm_forward (out, NULL, NULL, x, norm, n, config->dim, config->norm_eps);
}

/* GPT-2's gelu_new over a whole MLP's activations (a sixth of its forward pass with tanhf),
 * compiled for AVX2 and FMA too, chosen at run time. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__ ((target_clones ("arch=x86-64-v3", "default")))
#endif
static void
gelu_tanh (float  *x,
           size_t  n)
{
  for (size_t i = 0; i < n; i++)
    {
      float v = x[i];
      x[i] = 0.5f * v * (1.0f + triad_tanh_approx (0.7978845608028654f * (v + 0.044715f * v * v * v)));
    }
}

/* x σ(x) = x / (1 + e^-x), through the same vectorised e^x (for x > 0, e^-x ≤ 1 is what it
 * takes; for x < 0, x e^x / (1 + e^x)) */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__ ((target_clones ("arch=x86-64-v3", "default")))
#endif
static void
silu (float  *x,
      size_t  n)
{
  for (size_t i = 0; i < n; i++)
    {
      float v = x[i];
      float e = triad_exp_approx (v < 0.0f ? v : -v);

      x[i] = v < 0.0f ? v * e / (1.0f + e) : v / (1.0f + e);
    }
}

void
triad_activation_forward (TriadActivation act,
                          float          *x,
                          size_t          n)
{
  switch (act)
    {
    case TRIAD_ACT_GELU:
      triad_gelu_forward (x, x, n);
      break;
    case TRIAD_ACT_GELU_TANH:
      gelu_tanh (x, n);
      break;
    case TRIAD_ACT_RELU:
      for (size_t i = 0; i < n; i++)
        x[i] = x[i] > 0.0f ? x[i] : 0.0f;
      break;
    case TRIAD_ACT_SILU:
      silu (x, n);
      break;
    }
}
