/* model-forward.c — the run state with its KV cache, attention capture, and the forward
 * pass of the three architectures. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <cblas.h>
#include "engine/i18n.h"

#include "engine/error.h"
#include "engine/kvquant.h"
#include "engine/model.h"
#include "engine/ops.h"

#define DEFAULT_KV_BLOCK 16

/* ---- run state ----------------------------------------------------------------------- */

TriadState *
triad_state_new (const TriadModel *model)
{
  TriadState *s = g_new0 (TriadState, 1);
  int L = MAX (model->config.n_dec_layers, 1);

  s->model = model;
  s->kv_block = DEFAULT_KV_BLOCK;
  s->key_cache = g_new0 (float *, L);
  s->value_cache = g_new0 (float *, L);
  s->key_q = g_new0 (guint8 *, L);
  s->value_q = g_new0 (guint8 *, L);
  s->cross_k = g_new0 (float *, L);
  s->cross_v = g_new0 (float *, L);
  return s;
}

static void
free_layers (float **arr,
             int     n)
{
  for (int l = 0; l < n; l++)
    g_clear_pointer (&arr[l], g_free);
}

void
triad_state_reset (TriadState *s)
{
  int L = s->model->config.n_dec_layers;

  free_layers (s->key_cache, L);
  free_layers (s->value_cache, L);
  for (int l = 0; l < L; l++)
    {
      g_clear_pointer (&s->key_q[l], g_free);
      g_clear_pointer (&s->value_q[l], g_free);
    }
  free_layers (s->cross_k, L);
  free_layers (s->cross_v, L);
  g_clear_pointer (&s->enc_out, g_free);
  s->n_src = 0;
  s->n_cross = 0;
  s->pos = 0;
  s->capacity = 0;
}

void
triad_state_free (TriadState *s)
{
  if (s == NULL)
    return;
  triad_state_reset (s);
  g_free (s->key_cache);
  g_free (s->value_cache);
  g_free (s->key_q);
  g_free (s->value_q);
  g_free (s->k_work);
  g_free (s->v_work);
  g_free (s->cross_k);
  g_free (s->cross_v);
  g_free (s->logits);
  g_free (s->x);
  g_free (s->h);
  g_free (s->q);
  g_free (s->k);
  g_free (s->v);
  g_free (s->att);
  g_free (s->ffn);
  g_free (s->gate);
  g_free (s->rope_cos);
  g_free (s->rope_sin);
  g_free (s->bias);
  g_free (s->scores);
  g_free (s);
}

gboolean
triad_state_set_kv_dtype (TriadState *s,
                          int         dtype)
{
  if (!triad_kv_dtype_supported (dtype)
      || (dtype == TRIAD_DTYPE_INT4 && triad_config_head_dim (&s->model->config) % 2 != 0))
    return FALSE;
  triad_state_reset (s);
  s->kv_dtype = dtype;
  return TRUE;
}

static size_t
kv_row_bytes (const TriadState *s)
{
  const TriadConfig *c = &s->model->config;

  return triad_kv_row_bytes (s->kv_dtype, triad_config_kv_heads (c), triad_config_head_dim (c));
}

size_t
triad_state_kv_bytes (const TriadState *s)
{
  return (size_t) s->model->config.n_dec_layers * 2 * (size_t) s->capacity * kv_row_bytes (s);
}

size_t
triad_state_cross_bytes (const TriadState *s)
{
  return (size_t) s->model->config.n_dec_layers * 2 * (size_t) s->n_cross
         * (size_t) triad_config_inner_dim (&s->model->config) * sizeof (float);
}

static void
ensure_scratch (TriadState *s,
                int         n)
{
  const TriadConfig *c = &s->model->config;
  size_t nd = (size_t) n * c->dim;
  size_t ni = (size_t) n * triad_config_inner_dim (c);

  if (n <= s->n_scratch)
    return;
  s->x = g_renew (float, s->x, nd);
  s->h = g_renew (float, s->h, nd);
  s->q = g_renew (float, s->q, ni);
  s->k = g_renew (float, s->k, ni);
  s->v = g_renew (float, s->v, ni);
  if (c->positions == TRIAD_POS_ROTARY)
    {
      s->rope_cos = g_renew (float, s->rope_cos, (size_t) n * triad_config_head_dim (c) / 2);
      s->rope_sin = g_renew (float, s->rope_sin, (size_t) n * triad_config_head_dim (c) / 2);
    }
  s->att = g_renew (float, s->att, ni);
  s->ffn = g_renew (float, s->ffn, (size_t) n * c->ffn_dim);
  if (c->gated)
    s->gate = g_renew (float, s->gate, (size_t) n * c->ffn_dim);
  s->n_scratch = n;
}

static void
ensure_scores (TriadState *s,
               size_t      n)
{
  if (n <= s->n_scores)
    return;
  s->scores = g_renew (float, s->scores, n);
  s->n_scores = n;
}

static void
ensure_logits (TriadState *s,
               int         n)
{
  g_free (s->logits);
  s->logits = g_new (float, (size_t) n * s->model->config.vocab_size);
  s->n_logits = n;
}

/* Grows every layer's K and V to hold `need` positions, a whole block at a time, as paged
 * attention allocates. */
static void
ensure_cache (TriadState *s,
              int         need)
{
  const TriadConfig *c = &s->model->config;
  int block = MAX (s->kv_block, 1);
  size_t inner = triad_config_kv_dim (c);
  int cap;

  if (need <= s->capacity)
    return;
  cap = (need + block - 1) / block * block;
  cap = MIN (cap, MAX (c->max_seq_len, need));
  if (s->kv_dtype != TRIAD_DTYPE_F32)
    {
      size_t row = kv_row_bytes (s);

      for (int l = 0; l < c->n_dec_layers; l++)
        {
          s->key_q[l] = g_realloc (s->key_q[l], (size_t) cap * row);
          s->value_q[l] = g_realloc (s->value_q[l], (size_t) cap * row);
        }
      s->k_work = g_renew (float, s->k_work, (size_t) cap * inner);
      s->v_work = g_renew (float, s->v_work, (size_t) cap * inner);
      s->capacity = cap;
      return;
    }
  for (int l = 0; l < c->n_dec_layers; l++)
    {
      s->key_cache[l] = g_renew (float, s->key_cache[l], (size_t) cap * inner);
      s->value_cache[l] = g_renew (float, s->value_cache[l], (size_t) cap * inner);
    }
  s->capacity = cap;
}

/* ---- kernels ------------------------------------------------------------------------- */

static void
add_inplace (float       *x,
             const float *y,
             size_t       n)
{
  for (size_t i = 0; i < n; i++)
    x[i] += y[i];
}

/* ---- capture ------------------------------------------------------------------------- */

void
triad_capture_clear (TriadCapture *cap)
{
  g_clear_pointer (&cap->weights, g_free);
  g_clear_pointer (&cap->q, g_free);
  g_clear_pointer (&cap->k, g_free);
  g_clear_pointer (&cap->v, g_free);
  g_clear_pointer (&cap->q_pre, g_free);
  g_clear_pointer (&cap->k_pre, g_free);
  cap->n_layers = cap->n_heads = cap->n_q = cap->n_k = cap->head_dim = 0;
}

const float *
triad_capture_matrix (const TriadCapture *cap,
                      int                 i,
                      int                 j)
{
  g_return_val_if_fail (cap->weights != NULL, NULL);
  g_return_val_if_fail (i >= 0 && i < cap->n_layers && j >= 0 && j < cap->n_heads, NULL);
  return cap->weights + ((size_t) i * cap->n_heads + j) * cap->n_q * cap->n_k;
}

const float *
triad_capture_qkv (const TriadCapture *cap,
                   char                which,
                   int                 i,
                   int                 j)
{
  const float *base = which == 'q' ? cap->q : which == 'k' ? cap->k : which == 'v' ? cap->v
                      : which == 'Q' ? cap->q_pre : cap->k_pre;
  int rows = which == 'q' || which == 'Q' ? cap->n_q : cap->n_k;

  g_return_val_if_fail (which == 'q' || which == 'k' || which == 'v' || which == 'Q'
                        || which == 'K', NULL);
  if (base == NULL && (which == 'Q' || which == 'K'))
    return NULL;
  g_return_val_if_fail (base != NULL, NULL);
  g_return_val_if_fail (i >= 0 && i < cap->n_layers && j >= 0 && j < cap->n_heads, NULL);
  return base + ((size_t) i * cap->n_heads + j) * rows * cap->head_dim;
}

static gboolean
captures_prepare (TriadState   *s,
                  TriadCapture *caps,
                  int           n_caps,
                  TriadAttnKind kind,
                  int           n_layers,
                  int           n_q,
                  int           n_k,
                  GError      **error)
{
  int H = s->model->config.n_heads;

  for (int i = 0; i < n_caps; i++)
    {
      TriadCapture *cap = &caps[i];
      size_t size;

      if (cap->kind != kind)
        continue;
      if (cap->layer < -1 || cap->layer >= n_layers || n_layers == 0)
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                       _("Layer %d does not exist: this attention has layers 0 to %d"),
                       cap->layer, n_layers - 1);
          return FALSE;
        }
      if (cap->head < -1 || cap->head >= H)
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                       _("Head %d does not exist: this model has heads 0 to %d"),
                       cap->head, H - 1);
          return FALSE;
        }
      triad_capture_clear (cap);
      cap->n_layers = cap->layer < 0 ? n_layers : 1;
      cap->n_heads = cap->head < 0 ? H : 1;
      cap->n_q = n_q;
      cap->n_k = n_k;
      size = (size_t) cap->n_layers * cap->n_heads * n_q * n_k;
      cap->weights = g_try_new (float, MAX (size, 1));
      if (cap->qkv)
        {
          size_t heads = (size_t) cap->n_layers * cap->n_heads;

          cap->head_dim = triad_config_head_dim (&s->model->config);
          cap->q = g_try_new (float, MAX (heads * n_q * cap->head_dim, 1));
          cap->k = g_try_new (float, MAX (heads * n_k * cap->head_dim, 1));
          cap->v = g_try_new (float, MAX (heads * n_k * cap->head_dim, 1));
          if (kind == TRIAD_ATTN_DECODER_SELF && s->model->config.positions == TRIAD_POS_ROTARY)
            {
              cap->q_pre = g_try_new0 (float, MAX (heads * n_q * cap->head_dim, 1));
              cap->k_pre = g_try_new0 (float, MAX (heads * n_k * cap->head_dim, 1));
              if (cap->q_pre == NULL || cap->k_pre == NULL)
                g_clear_pointer (&cap->q, g_free);
            }
        }
      if (cap->weights == NULL || (cap->qkv && (cap->q == NULL || cap->k == NULL || cap->v == NULL)))
        {
          triad_capture_clear (cap);
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOO_LONG,
                       _("Not enough memory for %zu attention weights"), size);
          return FALSE;
        }
    }
  return TRUE;
}

/* Rows of one head's slice of a (rows, dim) matrix, packed into (rows, hd) at dst. */
static void
copy_head (float       *dst,
           const float *src,
           int          rows,
           int          dim,
           int          hd,
           int          head)
{
  for (int r = 0; r < rows; r++)
    memcpy (dst + (size_t) r * hd, src + (size_t) r * dim + (size_t) head * hd, sizeof (float) * hd);
}

static void
captures_store (TriadCapture *caps,
                int           n_caps,
                TriadAttnKind kind,
                int           layer,
                int           head,
                const float  *weights,
                const float  *q,
                const float  *keys,
                const float  *values,
                int           q_dim,
                int           kv_dim,
                int           kv_head)
{
  for (int i = 0; i < n_caps; i++)
    {
      TriadCapture *cap = &caps[i];
      int li, hi;

      if (cap->kind != kind || (cap->layer >= 0 && cap->layer != layer)
          || (cap->head >= 0 && cap->head != head))
        continue;
      li = cap->layer < 0 ? layer : 0;
      hi = cap->head < 0 ? head : 0;
      memcpy (cap->weights + ((size_t) li * cap->n_heads + hi) * cap->n_q * cap->n_k,
              weights, sizeof (float) * cap->n_q * cap->n_k);
      if (cap->qkv)
        {
          size_t at = (size_t) li * cap->n_heads + hi, hd = cap->head_dim;

          copy_head (cap->q + at * cap->n_q * hd, q, cap->n_q, q_dim, hd, head);
          copy_head (cap->k + at * cap->n_k * hd, keys, cap->n_k, kv_dim, hd, kv_head);
          copy_head (cap->v + at * cap->n_k * hd, values, cap->n_k, kv_dim, hd, kv_head);
        }
    }
}

/* The queries q (n, inner) and keys k (n, kv_dim) of a rotary decoder's layer before their
 * rotation, rows k_row0 … of each capture's keys: what the Masks view's formula shows turning. */
static void
captures_store_unrotated (TriadCapture *caps,
                          int           n_caps,
                          int           layer,
                          const float  *q,
                          const float  *k,
                          int           n,
                          int           k_row0,
                          int           inner,
                          int           kv_dim,
                          int           group)
{
  for (int i = 0; i < n_caps; i++)
    {
      TriadCapture *cap = &caps[i];

      if (cap->kind != TRIAD_ATTN_DECODER_SELF || cap->q_pre == NULL
          || (cap->layer >= 0 && cap->layer != layer))
        continue;
      for (int h = 0; h < cap->n_heads; h++)
        {
          int head = cap->head < 0 ? h : cap->head;
          size_t at = (size_t) (cap->layer < 0 ? layer : 0) * cap->n_heads + h, hd = cap->head_dim;

          copy_head (cap->q_pre + at * cap->n_q * hd, q, n, inner, hd, head);
          copy_head (cap->k_pre + (at * cap->n_k + k_row0) * hd, k, n, kv_dim, hd, head / group);
        }
    }
}

/* ---- positions ----------------------------------------------------------------------- */

int
triad_relative_bucket (int      relative_position,
                       gboolean bidirectional,
                       int      num_buckets,
                       int      max_distance)
{
  int bucket = 0, max_exact, large;

  if (bidirectional)
    {
      num_buckets /= 2;
      if (relative_position > 0)
        bucket += num_buckets;
      relative_position = ABS (relative_position);
    }
  else
    relative_position = -MIN (relative_position, 0);
  /* half the buckets for exact distances, the other half for logarithmically wider bins up
   * to max_distance; computed in single precision and truncated, as T5's modeling code does */
  max_exact = num_buckets / 2;
  if (relative_position < max_exact)
    return bucket + relative_position;
  large = max_exact + (int) (logf ((float) relative_position / (float) max_exact)
                             / (float) log ((double) max_distance / max_exact)
                             * (float) (num_buckets - max_exact));
  return bucket + MIN (large, num_buckets - 1);
}

/* s->bias (n_heads, n_q, n_k) from a relative-attention table (buckets, n_heads), for query
 * row i at position q_offset + i and key j at position j. */
static void
relative_bias (TriadState  *s,
               const float *table,
               gboolean     bidirectional,
               int          n_q,
               int          n_k,
               int          q_offset)
{
  const TriadConfig *c = &s->model->config;
  size_t cells = (size_t) n_q * n_k;
  g_autofree int *bucket = g_new (int, cells);

  if (cells * c->n_heads > s->n_bias)
    {
      s->bias = g_renew (float, s->bias, cells * c->n_heads);
      s->n_bias = cells * c->n_heads;
    }
  for (int i = 0; i < n_q; i++)
    for (int j = 0; j < n_k; j++)
      bucket[(size_t) i * n_k + j] = triad_relative_bucket (j - (q_offset + i), bidirectional,
                                                            c->rel_buckets, c->rel_max_distance);
  for (int h = 0; h < c->n_heads; h++)
    {
      float *b = s->bias + (size_t) h * cells;
      for (size_t x = 0; x < cells; x++)
        b[x] = table[(size_t) bucket[x] * c->n_heads + h];
    }
}

void
triad_rope_frequencies (const TriadConfig *c,
                        float             *inv_freq)
{
  int hd = triad_config_head_dim (c);
  float base = c->rope_theta > 0.0f ? c->rope_theta : 10000.0f;

  for (int j = 0; j < hd / 2; j++)
    {
      /* in single precision, as modeling_rope_utils.py computes them */
      float f = 1.0f / powf (base, (float) (2 * j) / (float) hd);

      if (c->rope_scaling == TRIAD_ROPE_LINEAR)
        f /= c->rope_factor;
      else if (c->rope_scaling == TRIAD_ROPE_LLAMA3)
        {
          float old = (float) c->rope_original_context;
          float low_wavelen = old / c->rope_low_freq_factor;
          float high_wavelen = old / c->rope_high_freq_factor;
          float wavelen = 2.0f * (float) G_PI / f;

          if (wavelen > low_wavelen)
            f /= c->rope_factor;
          else if (!(wavelen < high_wavelen))
            {
              float smooth = (old / wavelen - c->rope_low_freq_factor)
                             / (c->rope_high_freq_factor - c->rope_low_freq_factor);
              f = (1.0f - smooth) * f / c->rope_factor + smooth * f;
            }
        }
      inv_freq[j] = f;
    }
}

/* The cosines and sines of positions pos0 … pos0 + n - 1 for each frequency. */
static void
rope_angles (TriadState *s,
             int         n,
             int         pos0)
{
  const TriadConfig *c = &s->model->config;
  int half = triad_config_head_dim (c) / 2;
  g_autofree float *inv_freq = g_new (float, half);

  triad_rope_frequencies (c, inv_freq);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < half; j++)
      {
        float angle = (float) (pos0 + i) * inv_freq[j];

        s->rope_cos[(size_t) i * half + j] = cosf (angle);
        s->rope_sin[(size_t) i * half + j] = sinf (angle);
      }
}

/* Rotates each head of rows x (n, heads × head_dim) by its position's angles, pairing element j
 * with j + head_dim / 2 as Llama's rotate_half does: (a, b) → (a cos − b sin, b cos + a sin). */
static void
rope_rotate (TriadState *s,
             float      *x,
             int         n,
             int         heads)
{
  int hd = triad_config_head_dim (&s->model->config), half = hd / 2;

  for (int i = 0; i < n; i++)
    {
      const float *cs = s->rope_cos + (size_t) i * half, *sn = s->rope_sin + (size_t) i * half;

      for (int h = 0; h < heads; h++)
        {
          float *v = x + ((size_t) i * heads + h) * hd;

          for (int j = 0; j < half; j++)
            {
              float a = v[j], b = v[j + half];

              v[j] = a * cs[j] - b * sn[j];
              v[j + half] = b * cs[j] + a * sn[j];
            }
        }
    }
}

/* ---- blocks -------------------------------------------------------------------------- */

/* Multi-head attention of s->q (n_q, inner) over keys and values (n_k, inner), each head
 * through the kernel, then the output projection into s->h (n_q, dim). With `biased`, head h
 * adds s->bias's h-th (n_q, n_k) plane to its scores. */
static void
attention_heads (TriadState             *s,
                 const TriadAttnWeights *a,
                 const float            *keys,
                 const float            *values,
                 int                     n_q,
                 int                     n_k,
                 TriadMask              *mask,
                 gboolean                biased,
                 TriadCapture           *caps,
                 int                     n_caps,
                 TriadAttnKind           kind,
                 int                     layer)
{
  const TriadConfig *c = &s->model->config;
  int hd = triad_config_head_dim (c), inner = triad_config_inner_dim (c);
  /* grouped-query attention: query heads h … h + group - 1 share K/V head h / group */
  int kv_dim = kind == TRIAD_ATTN_CROSS ? inner : triad_config_kv_dim (c);
  int group = kind == TRIAD_ATTN_CROSS ? 1 : c->n_heads / triad_config_kv_heads (c);

  ensure_scores (s, (size_t) n_q * n_k);
  mask->scale = c->unscaled ? 1.0f : 0.0f;
  for (int h = 0; h < c->n_heads; h++)
    {
      int g = h / group;

      mask->bias = biased ? s->bias + (size_t) h * n_q * n_k : NULL;
      triad_attention_forward (s->att + h * hd, s->scores,
                               s->q + h * hd, keys + g * hd, values + g * hd,
                               n_q, n_k, hd, hd, inner, kv_dim, kv_dim, inner, mask);
      captures_store (caps, n_caps, kind, layer, h, s->scores, s->q, keys, values, inner,
                      kv_dim, g);
    }
  mask->bias = NULL;
  triad_linear_forward (s->h, s->att, &a->o, n_q, inner, c->dim);
}

/* The norm that goes before a sublayer (pre-norm): h = Norm (x); with post-norm the sublayer
 * reads x itself. Returns what the sublayer reads. */
static const float *
sublayer_input (TriadState      *s,
                const TriadNorm *norm,
                int              n)
{
  if (s->model->config.post_norm)
    return s->x;
  triad_norm_forward (s->h, s->x, norm, &s->model->config, n);
  return s->h;
}

/* x += the sublayer's output in s->h; with post-norm, x = Norm (x + h). */
static void
sublayer_output (TriadState      *s,
                 const TriadNorm *norm,
                 int              n)
{
  const TriadConfig *c = &s->model->config;

  add_inplace (s->x, s->h, (size_t) n * c->dim);
  if (c->post_norm)
    {
      triad_norm_forward (s->h, s->x, norm, c, n);
      memcpy (s->x, s->h, sizeof (float) * n * c->dim);
    }
}

static void
ffn_block (TriadState       *s,
           const TriadBlock *blk,
           int               n)
{
  const TriadConfig *c = &s->model->config;
  const float *in = sublayer_input (s, &blk->ln_ffn, n);
  size_t nf = (size_t) n * c->ffn_dim;

  triad_linear_forward (s->ffn, in, &blk->up, n, c->dim, c->ffn_dim);
  if (c->gated)
    {
      triad_linear_forward (s->gate, in, &blk->gate, n, c->dim, c->ffn_dim);
      triad_activation_forward (c->act, s->gate, nf);
      for (size_t i = 0; i < nf; i++)
        s->ffn[i] *= s->gate[i];
    }
  else
    triad_activation_forward (c->act, s->ffn, nf);
  triad_linear_forward (s->h, s->ffn, &blk->down, n, c->ffn_dim, c->dim);
  sublayer_output (s, &blk->ln_ffn, n);
}

static void
embed (TriadState  *s,
       const int   *ids,
       int          n,
       const float *pos_emb,
       int          pos0,
       gboolean     segments)
{
  const TriadConfig *c = &s->model->config;
  const TriadWeights *w = &s->model->weights;
  int p = pos0;

  for (int i = 0; i < n; i++, p++)
    {
      const float *te = w->tok_emb + (size_t) ids[i] * c->dim;
      float *x = s->x + (size_t) i * c->dim;

      memcpy (x, te, sizeof (float) * c->dim);
      /* a <sep> starts the next segment's positions over */
      if (segments && ids[i] == TRIAD_TOKEN_SEP)
        p = 0;
      if (c->positions == TRIAD_POS_LEARNED)
        {
          const float *pe = pos_emb + (size_t) p * c->dim;
          for (int j = 0; j < c->dim; j++)
            x[j] += pe[j];
        }
      if (w->type_emb != NULL)
        for (int j = 0; j < c->dim; j++)
          x[j] += w->type_emb[j];
    }
  if (c->emb_norm)
    {
      triad_norm_forward (s->h, s->x, &w->emb_norm, c, n);
      memcpy (s->x, s->h, sizeof (float) * n * c->dim);
    }
}

static gboolean
check_ids (const TriadConfig *c,
           const int         *ids,
           int                n,
           int                pos0,
           GError           **error)
{
  if (n <= 0)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_TEXT, _("There are no tokens to read"));
      return FALSE;
    }
  if (pos0 + n > c->max_seq_len)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOO_LONG,
                   _("%d tokens do not fit: this model reads at most %d"),
                   pos0 + n, c->max_seq_len);
      return FALSE;
    }
  for (int i = 0; i < n; i++)
    if (ids[i] < 0 || ids[i] >= c->vocab_size)
      {
        g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                     _("Token id %d is outside the vocabulary of %d"), ids[i], c->vocab_size);
        return FALSE;
      }
  return TRUE;
}

/* Stores rows k, v (n, kv_dim) at positions pos0 … in layer l's quantized cache, then reads
 * the layer's whole cache back into k_work and v_work: the attention sees what was stored. */
static void
store_quantized (TriadState  *s,
                 int          l,
                 const float *k,
                 const float *v,
                 int          pos0,
                 int          n)
{
  const TriadConfig *c = &s->model->config;
  int heads = triad_config_kv_heads (c), hd = triad_config_head_dim (c);
  size_t row = kv_row_bytes (s), kv_dim = triad_config_kv_dim (c);

  for (int i = 0; i < n; i++)
    {
      triad_kv_quantize_row (s->kv_dtype, k + i * kv_dim, s->key_q[l] + (pos0 + i) * row, heads, hd);
      triad_kv_quantize_row (s->kv_dtype, v + i * kv_dim, s->value_q[l] + (pos0 + i) * row, heads, hd);
    }
  for (int i = 0; i < pos0 + n; i++)
    {
      triad_kv_dequantize_row (s->kv_dtype, s->key_q[l] + i * row, s->k_work + i * kv_dim, heads, hd);
      triad_kv_dequantize_row (s->kv_dtype, s->value_q[l] + i * row, s->v_work + i * kv_dim, heads, hd);
    }
}

/* The last norm of a stack into out (n, dim), or a copy where the model has none. */
static void
final_norm (TriadState      *s,
            float           *out,
            const TriadNorm *norm,
            int              n)
{
  const TriadConfig *c = &s->model->config;

  if (c->no_final_norm)
    memcpy (out, s->x, sizeof (float) * n * c->dim);
  else
    triad_norm_forward (out, s->x, norm, c, n);
}

gboolean
triad_encoder_forward (TriadState   *s,
                       const int    *ids,
                       int           n,
                       TriadCapture *caps,
                       int           n_caps,
                       GError      **error)
{
  const TriadModel *m = s->model;
  const TriadConfig *c = &m->config;
  int inner = triad_config_inner_dim (c);
  gboolean relative = c->positions == TRIAD_POS_RELATIVE;
  TriadMask mask = { .kind = TRIAD_MASK_BIDIRECTIONAL, .key_valid = s->src_valid };

  if (c->n_enc_layers == 0)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                   _("A decoder-only model has no encoder"));
      return FALSE;
    }
  if (!check_ids (c, ids, n, 0, error)
      || !captures_prepare (s, caps, n_caps, TRIAD_ATTN_ENCODER_SELF, c->n_enc_layers, n, n, error))
    return FALSE;

  triad_state_reset (s);
  ensure_scratch (s, n);
  embed (s, ids, n, m->weights.enc_pos, 0, c->segment_positions);
  if (relative)
    relative_bias (s, m->weights.enc_rel, TRUE, n, n, 0);
  for (int l = 0; l < c->n_enc_layers; l++)
    {
      const TriadBlock *blk = &m->weights.enc[l];
      const float *in = sublayer_input (s, &blk->ln_attn, n);

      triad_linear_forward (s->q, in, &blk->attn.q, n, c->dim, inner);
      triad_linear_forward (s->k, in, &blk->attn.k, n, c->dim, inner);
      triad_linear_forward (s->v, in, &blk->attn.v, n, c->dim, inner);
      attention_heads (s, &blk->attn, s->k, s->v, n, n, &mask, relative, caps, n_caps,
                       TRIAD_ATTN_ENCODER_SELF, l);
      sublayer_output (s, &blk->ln_attn, n);
      ffn_block (s, blk, n);
    }

  s->enc_out = g_new (float, (size_t) n * c->dim);
  final_norm (s, s->enc_out, &m->weights.enc_norm, n);
  s->n_src = n;

  if (c->arch == TRIAD_ARCH_ENCDEC)
    {
      /* the cross-attention keys and values depend on the source alone: computed once here,
       * kept for every decoding step */
      for (int l = 0; l < c->n_dec_layers; l++)
        {
          const TriadAttnWeights *x = &m->weights.dec[l].cross;

          s->cross_k[l] = g_new (float, (size_t) n * inner);
          s->cross_v[l] = g_new (float, (size_t) n * inner);
          triad_linear_forward (s->cross_k[l], s->enc_out, &x->k, n, c->dim, inner);
          triad_linear_forward (s->cross_v[l], s->enc_out, &x->v, n, c->dim, inner);
        }
      s->n_cross = n;
    }
  return TRUE;
}

/* logits (n, vocab) = x (n, dim) head^T · scale (+ bias), the head tied to tok_emb unless the
 * model has its own */
static void
output_head (TriadState  *s,
             const float *x,
             int          n,
             const float *bias)
{
  const TriadConfig *c = &s->model->config;
  const TriadWeights *w = &s->model->weights;
  const float *head = w->head != NULL ? w->head : w->tok_emb;

  ensure_logits (s, n);
  if (bias != NULL)
    for (int i = 0; i < n; i++)
      memcpy (s->logits + (size_t) i * c->vocab_size, bias, sizeof (float) * c->vocab_size);
  if (n == 1)
    cblas_sgemv (CblasRowMajor, CblasNoTrans, c->vocab_size, c->dim,
                 c->head_scale > 0.0f ? c->head_scale : 1.0f, head, c->dim, x, 1,
                 bias != NULL ? 1.0f : 0.0f, s->logits, 1);
  else
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, n, c->vocab_size, c->dim,
                 c->head_scale > 0.0f ? c->head_scale : 1.0f, x, c->dim, head, c->dim,
                 bias != NULL ? 1.0f : 0.0f, s->logits, c->vocab_size);
}

void
triad_encoder_logits (TriadState *s)
{
  const TriadConfig *c = &s->model->config;
  const TriadWeights *w = &s->model->weights;

  g_return_if_fail (s->enc_out != NULL);
  if (c->mlm_transform)
    {
      /* BERT's head: dense → activation → LayerNorm, then the tied decoder and its bias */
      g_autofree float *t = g_new (float, (size_t) s->n_src * c->dim);
      g_autofree float *u = g_new (float, (size_t) s->n_src * c->dim);

      triad_linear_forward (t, s->enc_out, &w->mlm_dense, s->n_src, c->dim, c->dim);
      triad_activation_forward (c->act, t, (size_t) s->n_src * c->dim);
      triad_norm_forward (u, t, &w->mlm_norm, c, s->n_src);
      output_head (s, u, s->n_src, w->mlm_bias);
    }
  else
    output_head (s, s->enc_out, s->n_src, w->mlm_bias);
}

gboolean
triad_decoder_forward (TriadState   *s,
                       const int    *ids,
                       int           n,
                       TriadCapture *caps,
                       int           n_caps,
                       GError      **error)
{
  const TriadModel *m = s->model;
  const TriadConfig *c = &m->config;
  gboolean cross = c->arch == TRIAD_ARCH_ENCDEC;
  gboolean relative = c->positions == TRIAD_POS_RELATIVE;
  int inner = triad_config_inner_dim (c), kv_dim = triad_config_kv_dim (c);
  int pos0 = s->pos;
  int n_k = pos0 + n;
  TriadMask self_mask = { .kind = c->sliding_window > 0 ? TRIAD_MASK_SLIDING : TRIAD_MASK_CAUSAL,
                          .window = c->sliding_window, .q_offset = pos0 };
  TriadMask cross_mask = { .kind = TRIAD_MASK_CROSS, .key_valid = s->src_valid };

  if (c->n_dec_layers == 0)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                   _("An encoder-only model has no decoder"));
      return FALSE;
    }
  if (cross && s->n_cross == 0)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                   _("The encoder must read the source before the decoder runs"));
      return FALSE;
    }
  if (!check_ids (c, ids, n, pos0, error)
      || !captures_prepare (s, caps, n_caps, TRIAD_ATTN_DECODER_SELF, c->n_dec_layers, n, n_k, error)
      || !captures_prepare (s, caps, n_caps, TRIAD_ATTN_CROSS, cross ? c->n_dec_layers : 0,
                            n, s->n_cross, error))
    return FALSE;

  ensure_scratch (s, n);
  ensure_cache (s, n_k);
  embed (s, ids, n, m->weights.dec_pos, pos0, FALSE);
  if (relative)
    relative_bias (s, m->weights.dec_rel, FALSE, n, n_k, pos0);
  if (c->positions == TRIAD_POS_ROTARY)
    rope_angles (s, n, pos0);
  for (int l = 0; l < c->n_dec_layers; l++)
    {
      const TriadBlock *blk = &m->weights.dec[l];
      gboolean quantized = s->kv_dtype != TRIAD_DTYPE_F32;
      /* f32: written into the cache in place; else into scratch, then stored in the format */
      float *kc = quantized ? s->k : s->key_cache[l] + (size_t) pos0 * kv_dim;
      float *vc = quantized ? s->v : s->value_cache[l] + (size_t) pos0 * kv_dim;
      const float *keys = quantized ? s->k_work : s->key_cache[l];
      const float *values = quantized ? s->v_work : s->value_cache[l];
      const float *in = sublayer_input (s, &blk->ln_attn, n);

      /* masked self-attention: this chunk's K and V are written into the cache in place,
       * K already rotated to its position where the model uses rotary positions */
      triad_linear_forward (s->q, in, &blk->attn.q, n, c->dim, inner);
      triad_linear_forward (kc, in, &blk->attn.k, n, c->dim, kv_dim);
      triad_linear_forward (vc, in, &blk->attn.v, n, c->dim, kv_dim);
      if (c->positions == TRIAD_POS_ROTARY)
        {
          captures_store_unrotated (caps, n_caps, l, s->q, kc, n, pos0, inner, kv_dim,
                                    c->n_heads / triad_config_kv_heads (c));
          rope_rotate (s, s->q, n, c->n_heads);
          rope_rotate (s, kc, n, triad_config_kv_heads (c));
        }
      if (quantized)
        store_quantized (s, l, kc, vc, pos0, n);
      attention_heads (s, &blk->attn, keys, values, n, n_k, &self_mask,
                       relative, caps, n_caps, TRIAD_ATTN_DECODER_SELF, l);
      sublayer_output (s, &blk->ln_attn, n);

      if (cross)
        {
          in = sublayer_input (s, &blk->ln_cross, n);
          triad_linear_forward (s->q, in, &blk->cross.q, n, c->dim, inner);
          attention_heads (s, &blk->cross, s->cross_k[l], s->cross_v[l], n, s->n_cross,
                           &cross_mask, FALSE, caps, n_caps, TRIAD_ATTN_CROSS, l);
          sublayer_output (s, &blk->ln_cross, n);
        }
      ffn_block (s, blk, n);
    }
  s->pos = n_k;

  final_norm (s, s->h, &m->weights.dec_norm, n);
  output_head (s, s->h, n, NULL);
  return TRUE;
}
