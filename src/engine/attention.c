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
  const float scale = 1.0f / sqrtf ((float) d_k);

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
      double sum = 0.0;
      int lo, hi;

      row_range (mask, i, n_k, &lo, &hi);
      for (int j = lo; j < hi; j++)
        if ((mask->key_valid == NULL || mask->key_valid[j]) && row[j] > max)
          max = row[j];

      if (max == -INFINITY)
        {
          /* every key blocked: the row attends to nothing, rather than NaN */
          memset (row, 0, sizeof (float) * n_k);
          continue;
        }

      for (int j = 0; j < lo; j++)
        row[j] = 0.0f;
      for (int j = lo; j < hi; j++)
        {
          if (mask->key_valid != NULL && !mask->key_valid[j])
            row[j] = 0.0f;
          else
            {
              row[j] = expf (row[j] - max);
              sum += row[j];
            }
        }
      for (int j = hi; j < n_k; j++)
        row[j] = 0.0f;

      {
        float inv = (float) (1.0 / sum);
        for (int j = lo; j < hi; j++)
          row[j] *= inv;
      }
    }

  /* out (n_q, d_v) = weights v */
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, n_q, d_v, n_k,
               1.0f, weights, n_k, v, ldv, 0.0f, out, ldo);
}
