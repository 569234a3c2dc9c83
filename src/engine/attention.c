/* attention.c — scaled dot-product attention for one head, with every mask kind. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <cblas.h>

#include "engine/attention.h"

static const char *mask_names[] = {
  [TRIAD_MASK_BIDIRECTIONAL] = "bidirectional",
  [TRIAD_MASK_CAUSAL] = "causal",
  [TRIAD_MASK_CROSS] = "cross",
  [TRIAD_MASK_SLIDING] = "sliding",
  [TRIAD_MASK_PREFIX_LM] = "prefix-lm",
};

const char *
triad_mask_kind_to_string (TriadMaskKind kind)
{
  if ((unsigned) kind >= G_N_ELEMENTS (mask_names))
    return "unknown";
  return mask_names[kind];
}

gboolean
triad_mask_kind_from_string (const char    *name,
                             TriadMaskKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (mask_names); i++)
    if (g_strcmp0 (name, mask_names[i]) == 0)
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
triad_mask_allows (const TriadMask *mask,
                   int              qi,
                   int              kj)
{
  int qpos = qi + mask->q_offset;

  if (mask->key_valid != NULL && !mask->key_valid[kj])
    return FALSE;

  switch (mask->kind)
    {
    case TRIAD_MASK_BIDIRECTIONAL:
    case TRIAD_MASK_CROSS:
      return TRUE;
    case TRIAD_MASK_CAUSAL:
      return kj <= qpos;
    case TRIAD_MASK_SLIDING:
      return kj <= qpos && kj > qpos - mask->window;
    case TRIAD_MASK_PREFIX_LM:
      return kj < mask->prefix_len || kj <= qpos;
    default:
      return FALSE;
    }
}

/* The columns a row may see, as one range [lo, hi): every kind but padding is an interval,
 * which keeps the inner loops free of per-cell branching. */
static void
row_range (const TriadMask *mask,
           int              qi,
           int              n_k,
           int             *lo,
           int             *hi)
{
  int qpos = qi + mask->q_offset;

  *lo = 0;
  *hi = n_k;
  switch (mask->kind)
    {
    case TRIAD_MASK_CAUSAL:
      *hi = MIN (n_k, qpos + 1);
      break;
    case TRIAD_MASK_SLIDING:
      *hi = MIN (n_k, qpos + 1);
      *lo = MAX (0, qpos - mask->window + 1);
      break;
    case TRIAD_MASK_PREFIX_LM:
      *hi = MIN (n_k, MAX (qpos + 1, mask->prefix_len));
      break;
    case TRIAD_MASK_BIDIRECTIONAL:
    case TRIAD_MASK_CROSS:
    default:
      break;
    }
  if (*hi < *lo)
    *hi = *lo;
}

/* e^x for x <= 0, to within 2 ulp, written so the compiler can vectorise the softmax loop
 * (glibc's expf is a call per element): x = n ln 2 + r with |r| <= ln 2 / 2, e^r by its
 * Taylor polynomial to degree 7, 2^n put straight into the exponent bits. x is clamped at
 * -87, where e^x is 1.6e-38: a cell that far below the row's maximum weighs nothing. */
static inline float
exp_approx (float x)
{
  float t, n, r, p;
  union { float f; guint32 u; } scale, bits;

  /* x = max (x, -87) without a branch, which would keep the loop scalar */
  x += (-87.0f - x) * (float) __builtin_isless (x, -87.0f);
  /* round to nearest by the 1.5 × 2^23 trick: no call, vectorisable. n is read from t's
   * bits rather than converted to int, a conversion that is undefined for the NaN a model
   * whose activations overflowed can bring here (the result is then NaN, as it should be). */
  t = x * 1.44269504f + 12582912.0f;
  n = t - 12582912.0f;
  bits.f = t;
  r = x - n * 0.693145752f;       /* ln 2, split in two for an exact product */
  r = r - n * 1.42860677e-6f;
  p = 1.0f + r * (1.0f + r * (0.5f + r * (1.66666672e-1f + r * (4.16666679e-2f
        + r * (8.33333377e-3f + r * (1.38888892e-3f + r * 1.98412701e-4f))))));
  /* t's bits are 0x4b400000 + n; 2^n is (n + 127) << 23 */
  scale.u = (bits.u - 0x4b400000u + 127u) << 23;
  return p * scale.f;
}

/* Eight partial sums: the compiler vectorises this where a single running sum would have
 * to stay in order. */
static inline float
sum_floats (const float *x,
            int          n)
{
  float part[8] = { 0 };
  float total = 0.0f;
  int j = 0;

  for (; j + 8 <= n; j += 8)
    for (int u = 0; u < 8; u++)
      part[u] += x[j + u];
  for (; j < n; j++)
    total += x[j];
  for (int u = 0; u < 8; u++)
    total += part[u];
  return total;
}

/* The same for the maximum; -inf for an empty range. */
static inline float
max_floats (const float *x,
            int          n)
{
  float part[8] = { -INFINITY, -INFINITY, -INFINITY, -INFINITY,
                    -INFINITY, -INFINITY, -INFINITY, -INFINITY };
  float best = -INFINITY;
  int j = 0;

  for (; j + 8 <= n; j += 8)
    for (int u = 0; u < 8; u++)
      part[u] = __builtin_isgreater (x[j + u], part[u]) ? x[j + u] : part[u];
  for (; j < n; j++)
    best = __builtin_isgreater (x[j], best) ? x[j] : best;
  for (int u = 0; u < 8; u++)
    best = __builtin_isgreater (part[u], best) ? part[u] : best;
  return best;
}

void
triad_attention_forward (float           *out,
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
                         const TriadMask *mask)
{
  const float scale = mask->scale > 0.0f ? mask->scale : 1.0f / sqrtf ((float) d_k);

  if (n_q <= 0)
    return;
  if (n_k <= 0)
    {
      for (int i = 0; i < n_q; i++)
        memset (out + (size_t) i * ldo, 0, sizeof (float) * d_v);
      return;
    }

  /* weights (n_q, n_k) = scale * q k^T */
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, n_q, n_k, d_k,
               scale, q, ldq, k, ldk, 0.0f, weights, n_k);

  for (int i = 0; i < n_q; i++)
    {
      float *row = weights + (size_t) i * n_k;
      float max = -INFINITY;
      float sum = 0.0f;
      int lo, hi;

      row_range (mask, i, n_k, &lo, &hi);
      if (mask->bias != NULL)
        {
          const float *b = mask->bias + (size_t) i * n_k;
          for (int j = lo; j < hi; j++)
            row[j] += b[j];
        }
      if (mask->key_valid == NULL)
        max = max_floats (row + lo, hi - lo);
      else
        for (int j = lo; j < hi; j++)
          if (mask->key_valid[j])
            max = row[j] > max ? row[j] : max;

      if (max == -INFINITY)
        {
          /* every key blocked: the row attends to nothing, rather than NaN */
          memset (row, 0, sizeof (float) * n_k);
          continue;
        }

      memset (row, 0, sizeof (float) * lo);
      for (int j = lo; j < hi; j++)
        row[j] = exp_approx (row[j] - max);
      if (mask->key_valid != NULL)
        for (int j = lo; j < hi; j++)
          if (!mask->key_valid[j])
            row[j] = 0.0f;
      sum = sum_floats (row + lo, hi - lo);
      memset (row + hi, 0, sizeof (float) * (n_k - hi));

      {
        float inv = 1.0f / sum;
        for (int j = lo; j < hi; j++)
          row[j] *= inv;
      }
    }

  /* out (n_q, d_v) = weights v */
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, n_q, d_v, n_k,
               1.0f, weights, n_k, v, ldv, 0.0f, out, ldo);
}
