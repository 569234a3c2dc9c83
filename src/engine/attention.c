/* attention.c — scaled dot-product attention for one head, with every mask kind. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <cblas.h>

#include "engine/attention.h"
#include "engine/vecmath.h"

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

/* Eight partial sums: the compiler vectorises this where a single running sum would have
 * to stay in order. */
static inline __attribute__ ((always_inline)) float
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

/* x[j] = e^(x[j] - max) for each j, and their sum, in one pass: eight partial sums again. */
static inline __attribute__ ((always_inline)) float
exp_sum (float *x,
         int    n,
         float  max)
{
  float part[8] = { 0 };
  float total = 0.0f;
  int j = 0;

  for (; j + 8 <= n; j += 8)
    for (int u = 0; u < 8; u++)
      {
        x[j + u] = triad_exp_approx (x[j + u] - max);
        part[u] += x[j + u];
      }
  for (; j < n; j++)
    {
      x[j] = triad_exp_approx (x[j] - max);
      total += x[j];
    }
  for (int u = 0; u < 8; u++)
    total += part[u];
  return total;
}

/* The same for the maximum; -inf for an empty range. */
static inline __attribute__ ((always_inline)) float
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

/* Rows i0 … i0 + nb - 1 of the scores, in w (nb, n_k), become the softmax weights under the
 * mask (and the model's bias): blocked cells exactly 0, a row with every key blocked all 0.
 * The softmax is most of the kernel's time besides the two products: on x86-64 it is also
 * compiled for AVX2 and FMA, chosen at run time where the processor has them. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__ ((target_clones ("arch=x86-64-v3", "default")))
#endif
static void
softmax_rows (float           *w,
              int              i0,
              int              nb,
              int              n_k,
              const TriadMask *mask)
{
  for (int r = 0; r < nb; r++)
    {
      int i = i0 + r;
      float *row = w + (size_t) r * n_k;
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
      if (mask->key_valid == NULL)
        sum = exp_sum (row + lo, hi - lo, max);
      else
        {
          for (int j = lo; j < hi; j++)
            row[j] = mask->key_valid[j] ? triad_exp_approx (row[j] - max) : 0.0f;
          sum = sum_floats (row + lo, hi - lo);
        }
      memset (row + hi, 0, sizeof (float) * (n_k - hi));

      {
        float inv = 1.0f / sum;
        for (int j = lo; j < hi; j++)
          row[j] *= inv;
      }
    }
}

/* With OpenBLAS running its products on several threads, the softmax between them would be
 * the one part left on one: a block's rows are shared with a pool of as many threads. */
typedef struct {
  float           *w;
  int              i0, nb, n_k;
  const TriadMask *mask;
  GMutex          *lock;
  GCond           *cond;
  int             *pending;
} SoftmaxJob;

static void
softmax_job (gpointer data,
             gpointer user_data)
{
  SoftmaxJob *job = data;

  softmax_rows (job->w, job->i0, job->nb, job->n_k, job->mask);
  g_mutex_lock (job->lock);
  if (--*job->pending == 0)
    g_cond_signal (job->cond);
  g_mutex_unlock (job->lock);
}

static GThreadPool *
softmax_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (softmax_job, NULL, 7, FALSE, NULL));
  return pool;
}

/* softmax_rows over the block, split between this thread and threads - 1 of the pool. */
static void
softmax_block (float           *w,
               int              i0,
               int              nb,
               int              n_k,
               const TriadMask *mask,
               int              threads)
{
  SoftmaxJob jobs[8];
  GMutex lock;
  GCond cond;
  int pending, per;

  threads = CLAMP (threads, 1, 8);
  /* below some 64 k cells the hand-over costs more than it saves */
  if (threads == 1 || (size_t) nb * n_k < 65536)
    {
      softmax_rows (w, i0, nb, n_k, mask);
      return;
    }
  g_mutex_init (&lock);
  g_cond_init (&cond);
  per = (nb + threads - 1) / threads;
  pending = threads - 1;
  for (int t = 1; t < threads; t++)
    {
      int a = MIN (t * per, nb), b = MIN (a + per, nb);

      jobs[t] = (SoftmaxJob) { w + (size_t) a * n_k, i0 + a, b - a, n_k, mask,
                               &lock, &cond, &pending };
      g_thread_pool_push (softmax_pool (), &jobs[t], NULL);
    }
  softmax_rows (w, i0, MIN (per, nb), n_k, mask);
  g_mutex_lock (&lock);
  while (pending > 0)
    g_cond_wait (&cond, &lock);
  g_mutex_unlock (&lock);
  g_mutex_clear (&lock);
  g_cond_clear (&cond);
}

/* Scores held per block of query rows: 1 M floats, 4 MB, well inside the shared L3 (a block
 * of 16 rows in L2 leaves the products too thin for OpenBLAS to run at full speed). */
#define BLOCK_FLOATS (1024 * 1024)

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
  int block, threads;

  if (n_q <= 0)
    return;
  if (n_k <= 0)
    {
      for (int i = 0; i < n_q; i++)
        memset (out + (size_t) i * ldo, 0, sizeof (float) * d_v);
      return;
    }

  /* A block of query rows at a time: its scores (block, n_k) are written by the first product,
   * turned into weights by the softmax and read by the second while they are still in the
   * cache, instead of the whole n_q × n_k matrix going out to memory and back three times.
   * Up to 1,024 keys that is the whole matrix at once: the products are then at their
   * fastest, and the scores still fit the cache. */
  block = (int) CLAMP (BLOCK_FLOATS / n_k, 16, 1024);
  threads = openblas_get_num_threads ();
  for (int i0 = 0; i0 < n_q; i0 += block)
    {
      int nb = MIN (block, n_q - i0);
      float *w = weights + (size_t) i0 * n_k;
      int lo, cols;

      /* every mask's rows end at a column that does not decrease down the rows: the block's
       * last row says how many columns it needs at all (a causal block, half of them) */
      row_range (mask, i0 + nb - 1, n_k, &lo, &cols);
      cols = MAX (cols, 1);
      /* w (nb, cols) = scale * q k^T; the softmax zeroes the columns past each row's end */
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, nb, cols, d_k,
                   scale, q + (size_t) i0 * ldq, ldq, k, ldk, 0.0f, w, n_k);
      softmax_block (w, i0, nb, n_k, mask, threads);
      /* out (nb, d_v) = w v */
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, nb, d_v, cols,
                   1.0f, w, n_k, v, ldv, 0.0f, out + (size_t) i0 * ldo, ldo);
    }
}
