/* train.c — the backward pass of the three architectures and AdamW.
 *
 * The batch is packed: every linear map runs once over all tokens of all sequences (large
 * matrix products), and attention runs per sequence and head. Activations are kept in one
 * arena per stack, carved by the sizes of the batch, in the llm.c manner. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <cblas.h>
#include "engine/i18n.h"

#include "engine/attention.h"
#include "engine/error.h"
#include "engine/ops.h"
#include "engine/train.h"

/* ---- batches ------------------------------------------------------------------------- */

TriadBatch *
triad_batch_new (void)
{
  TriadBatch *b = g_new0 (TriadBatch, 1);
  int zero = 0;

  b->src_ids = g_array_new (FALSE, FALSE, sizeof (int));
  b->src_off = g_array_new (FALSE, FALSE, sizeof (int));
  b->tgt_ids = g_array_new (FALSE, FALSE, sizeof (int));
  b->tgt_off = g_array_new (FALSE, FALSE, sizeof (int));
  b->labels = g_array_new (FALSE, FALSE, sizeof (int));
  g_array_append_val (b->src_off, zero);
  g_array_append_val (b->tgt_off, zero);
  return b;
}

void
triad_batch_clear (TriadBatch *b)
{
  int zero = 0;

  b->n_seq = 0;
  g_array_set_size (b->src_ids, 0);
  g_array_set_size (b->tgt_ids, 0);
  g_array_set_size (b->labels, 0);
  g_array_set_size (b->src_off, 0);
  g_array_set_size (b->tgt_off, 0);
  g_array_append_val (b->src_off, zero);
  g_array_append_val (b->tgt_off, zero);
}

void
triad_batch_free (TriadBatch *b)
{
  if (b == NULL)
    return;
  g_array_unref (b->src_ids);
  g_array_unref (b->src_off);
  g_array_unref (b->tgt_ids);
  g_array_unref (b->tgt_off);
  g_array_unref (b->labels);
  g_free (b);
}

void
triad_batch_add (TriadBatch *b,
                 const int  *src,
                 int         n_src,
                 const int  *tgt,
                 int         n_tgt,
                 const int  *labels)
{
  int end;

  if (n_src > 0)
    g_array_append_vals (b->src_ids, src, n_src);
  end = b->src_ids->len;
  g_array_append_val (b->src_off, end);
  if (n_tgt > 0)
    g_array_append_vals (b->tgt_ids, tgt, n_tgt);
  end = b->tgt_ids->len;
  g_array_append_val (b->tgt_off, end);
  g_array_append_vals (b->labels, labels, n_tgt > 0 ? n_tgt : n_src);
  b->n_seq++;
}

/* ---- options and schedule ------------------------------------------------------------ */

void
triad_train_options_init (TriadTrainOptions *o)
{
  o->steps = 1000;
  o->lr = 1e-3f;
  o->min_lr = 1e-4f;
  o->warmup = 100;
  o->beta1 = 0.9f;
  o->beta2 = 0.98f;
  o->eps = 1e-8f;
  o->weight_decay = 0.01f;
  o->clip = 1.0f;
}

float
triad_train_lr_at (const TriadTrainOptions *o,
                   int                      step)
{
  double progress;

  if (step < o->warmup)
    return o->lr * (step + 1) / (float) o->warmup;
  if (o->steps <= o->warmup)
    return o->lr;
  progress = MIN (1.0, (double) (step - o->warmup) / (o->steps - o->warmup));
  /* cosine from lr down to min_lr */
  return (float) (o->min_lr + 0.5 * (o->lr - o->min_lr) * (1.0 + cos (G_PI * progress)));
}

/* ---- activations --------------------------------------------------------------------- */

typedef struct {
  float *x_in;                     /* (N, D) the residual stream entering the layer */
  float *ln1, *ln1_mean, *ln1_rstd;
  float *q, *k, *v;                /* (N, D) */
  float *p;                        /* softmax weights, per sequence and head */
  float *ao;                       /* (N, D) heads concatenated, before W_o */
  float *x_mid;                    /* (N, D) after self-attention */
  float *lnx, *lnx_mean, *lnx_rstd;
  float *xq;                       /* (N, D) */
  float *xk, *xv;                  /* (M, D) from the memory */
  float *xp;
  float *xao;
  float *x_mid2;                   /* (N, D) after cross-attention (= x_mid without it) */
  float *ln2, *ln2_mean, *ln2_rstd;
  float *up;                       /* (N, F) before GELU */
  float *act;                      /* (N, F) after GELU */
} LayerActs;

typedef struct {
  int          n_layers;
  gboolean     causal;
  gboolean     cross;
  const int   *ids;                /* (N) */
  const int   *off;                /* (n_seq + 1) */
  const int   *mem_off;            /* (n_seq + 1) for cross-attention */
  int          n_seq, N, M;
  int         *pos;                /* (N) each token's position in its sequence */
  size_t      *p_off;              /* (n_seq + 1) offsets of each sequence's weights */
  size_t      *xp_off;
  LayerActs   *layers;
  float       *x_final;            /* (N, D) before the final LayerNorm */
  float       *out, *out_mean, *out_rstd;   /* after it */
  float       *arena;
  size_t       arena_size;
} Stack;

struct _TriadTrainer {
  TriadModel        *model;
  TriadTrainOptions  opt;
  TriadWeights       grads;
  float             *grad_mem;
  float             *m, *v;         /* AdamW moments, laid out as grad_mem */
  size_t             n_params;
  TriadTensorSpec   *specs;         /* of the model's weights */
  TriadTensorSpec   *grad_specs;
  int                n_specs;
  int                t;             /* AdamW steps taken */
  Stack              enc, dec;
  /* backward scratch */
  float             *dx, *dmid, *dq, *dk, *dv, *dxk, *dxv, *dmem, *dln, *dff, *ds;
  size_t             scratch_n, scratch_m, scratch_s;
  float             *logits;
  size_t             logits_size;
  int               *rows;          /* labelled positions */
};

static void
stack_free (Stack *st)
{
  g_free (st->layers);
  g_free (st->pos);
  g_free (st->p_off);
  g_free (st->xp_off);
  g_free (st->arena);
  memset (st, 0, sizeof *st);
}

/* Carves the arena for a batch of N tokens (M memory tokens). */
static void
stack_prepare (Stack             *st,
               const TriadConfig *c,
               int                n_layers,
               gboolean           causal,
               gboolean           cross,
               gboolean           segments,
               const int         *ids,
               const int         *off,
               const int         *mem_off,
               int                n_seq)
{
  size_t D = c->dim, F = c->ffn_dim, H = c->n_heads;
  size_t N = off[n_seq], M = cross ? (size_t) mem_off[n_seq] : 0;
  size_t per_layer, total, psize = 0, xpsize = 0;
  float *p;

  st->n_layers = n_layers;
  st->causal = causal;
  st->cross = cross;
  st->ids = ids;
  st->off = off;
  st->mem_off = mem_off;
  st->n_seq = n_seq;
  st->N = N;
  st->M = M;

  /* positions count from 0 in each sequence; with segments a <sep> starts them over, as the
   * forward pass of model.c does */
  st->pos = g_renew (int, st->pos, MAX (N, 1));
  for (int s = 0; s < n_seq; s++)
    for (int i = off[s], p = 0; i < off[s + 1]; i++, p++)
      {
        if (segments && ids[i] == TRIAD_TOKEN_SEP)
          p = 0;
        st->pos[i] = p;
      }
  st->p_off = g_renew (size_t, st->p_off, n_seq + 1);
  st->xp_off = g_renew (size_t, st->xp_off, n_seq + 1);
  for (int s = 0; s < n_seq; s++)
    {
      size_t n = off[s + 1] - off[s];
      st->p_off[s] = psize;
      psize += H * n * n;
      st->xp_off[s] = xpsize;
      if (cross)
        xpsize += H * n * (size_t) (mem_off[s + 1] - mem_off[s]);
    }
  st->p_off[n_seq] = psize;
  st->xp_off[n_seq] = xpsize;

  per_layer = N * D * 8 + N * 4 + psize + N * F * 2;
  if (cross)
    per_layer += N * D * 4 + N * 2 + M * D * 2 + xpsize;
  total = per_layer * n_layers + N * D * 2 + N * 2;
  if (total > st->arena_size)
    {
      g_free (st->arena);
      st->arena = g_new (float, total);
      st->arena_size = total;
    }
  st->layers = g_renew (LayerActs, st->layers, MAX (n_layers, 1));

  p = st->arena;
#define TAKE(ptr, count) do { (ptr) = p; p += (count); } while (0)
  for (int l = 0; l < n_layers; l++)
    {
      LayerActs *a = &st->layers[l];

      memset (a, 0, sizeof *a);
      TAKE (a->x_in, N * D);
      TAKE (a->ln1, N * D);
      TAKE (a->ln1_mean, N);
      TAKE (a->ln1_rstd, N);
      TAKE (a->q, N * D);
      TAKE (a->k, N * D);
      TAKE (a->v, N * D);
      TAKE (a->p, psize);
      TAKE (a->ao, N * D);
      TAKE (a->x_mid, N * D);
      if (cross)
        {
          TAKE (a->lnx, N * D);
          TAKE (a->lnx_mean, N);
          TAKE (a->lnx_rstd, N);
          TAKE (a->xq, N * D);
          TAKE (a->xk, M * D);
          TAKE (a->xv, M * D);
          TAKE (a->xp, xpsize);
          TAKE (a->xao, N * D);
          TAKE (a->x_mid2, N * D);
        }
      else
        a->x_mid2 = a->x_mid;
      TAKE (a->ln2, N * D);
      TAKE (a->ln2_mean, N);
      TAKE (a->ln2_rstd, N);
      TAKE (a->up, N * F);
      TAKE (a->act, N * F);
    }
  TAKE (st->x_final, N * D);
  TAKE (st->out, N * D);
  TAKE (st->out_mean, N);
  TAKE (st->out_rstd, N);
#undef TAKE
  g_assert ((size_t) (p - st->arena) <= st->arena_size);
}

/* ---- forward ------------------------------------------------------------------------- */

static void
heads_forward (float           *out,
               float           *p,
               const size_t    *p_off,
               const float     *q,
               const float     *k,
               const float     *v,
               const int       *q_off,
               const int       *k_off,
               int              n_seq,
               const TriadConfig *c,
               TriadMaskKind    kind)
{
  int D = c->dim, hd = c->dim / c->n_heads;
  TriadMask mask = { .kind = kind };

  for (int s = 0; s < n_seq; s++)
    {
      int n = q_off[s + 1] - q_off[s], m = k_off[s + 1] - k_off[s];

      for (int h = 0; h < c->n_heads; h++)
        triad_attention_forward (out + (size_t) q_off[s] * D + h * hd,
                                 p + p_off[s] + (size_t) h * n * m,
                                 q + (size_t) q_off[s] * D + h * hd,
                                 k + (size_t) k_off[s] * D + h * hd,
                                 v + (size_t) k_off[s] * D + h * hd,
                                 n, m, hd, hd, D, D, D, D, &mask);
    }
}

/* Rotary positions, in the decoder's self-attention as the engine's forward has them: turns
 * each head of token i's row x (D wide) by its position's angles,
 * forward (sign 1) as the engine's forward does (element j paired with j + head_dim / 2), or
 * back (sign -1): the rotation is orthogonal, so a gradient goes back through its inverse. */
static void
rope_turn (const Stack       *st,
           const TriadConfig *c,
           float             *x,
           float              sign)
{
  int hd = c->dim / c->n_heads, half = hd / 2;
  g_autofree float *inv_freq = g_new (float, half);

  triad_rope_frequencies (c, inv_freq);
  for (size_t i = 0; i < (size_t) st->N; i++)
    for (int j = 0; j < half; j++)
      {
        float angle = (float) st->pos[i] * inv_freq[j];
        float cs = cosf (angle), sn = sign * sinf (angle);

        for (int h = 0; h < c->n_heads; h++)
          {
            float *v = x + i * c->dim + (size_t) h * hd;
            float a = v[j], b = v[j + half];

            v[j] = a * cs - b * sn;
            v[j + half] = b * cs + a * sn;
          }
      }
}

static void
stack_forward (Stack             *st,
               const TriadConfig *c,
               const float       *tok_emb,
               const float       *pos_emb,
               const TriadBlock  *blocks,
               const TriadNorm   *final_norm,
               const float       *mem)
{
  size_t D = c->dim, N = st->N;

  /* x = tok_emb[id] + pos_emb[position in its sequence] */
  for (int s = 0; s < st->n_seq; s++)
    for (int i = st->off[s]; i < st->off[s + 1]; i++)
      {
        const float *te = tok_emb + (size_t) st->ids[i] * D;
        const float *pe = pos_emb + (size_t) st->pos[i] * D;
        float *x = (st->n_layers > 0 ? st->layers[0].x_in : st->x_final) + (size_t) i * D;
        for (size_t j = 0; j < D; j++)
          x[j] = te[j] + (c->positions == TRIAD_POS_LEARNED ? pe[j] : 0.0f);
      }

  for (int l = 0; l < st->n_layers; l++)
    {
      const TriadBlock *blk = &blocks[l];
      LayerActs *a = &st->layers[l];
      float *x_out = l + 1 < st->n_layers ? st->layers[l + 1].x_in : st->x_final;

      triad_layernorm_forward (a->ln1, a->ln1_mean, a->ln1_rstd, a->x_in, &blk->ln_attn,
                               N, D, c->norm_eps);
      triad_linear_forward (a->q, a->ln1, &blk->attn.q, N, D, D);
      triad_linear_forward (a->k, a->ln1, &blk->attn.k, N, D, D);
      triad_linear_forward (a->v, a->ln1, &blk->attn.v, N, D, D);
      if (c->positions == TRIAD_POS_ROTARY && st->causal)
        {
          rope_turn (st, c, a->q, 1.0f);
          rope_turn (st, c, a->k, 1.0f);
        }
      heads_forward (a->ao, a->p, st->p_off, a->q, a->k, a->v, st->off, st->off, st->n_seq, c,
                     st->causal ? TRIAD_MASK_CAUSAL : TRIAD_MASK_BIDIRECTIONAL);
      triad_linear_forward (a->x_mid, a->ao, &blk->attn.o, N, D, D);
      for (size_t i = 0; i < N * D; i++)
        a->x_mid[i] += a->x_in[i];

      if (st->cross)
        {
          triad_layernorm_forward (a->lnx, a->lnx_mean, a->lnx_rstd, a->x_mid, &blk->ln_cross,
                                   N, D, c->norm_eps);
          triad_linear_forward (a->xq, a->lnx, &blk->cross.q, N, D, D);
          triad_linear_forward (a->xk, mem, &blk->cross.k, st->M, D, D);
          triad_linear_forward (a->xv, mem, &blk->cross.v, st->M, D, D);
          heads_forward (a->xao, a->xp, st->xp_off, a->xq, a->xk, a->xv, st->off, st->mem_off,
                         st->n_seq, c, TRIAD_MASK_CROSS);
          triad_linear_forward (a->x_mid2, a->xao, &blk->cross.o, N, D, D);
          for (size_t i = 0; i < N * D; i++)
            a->x_mid2[i] += a->x_mid[i];
        }

      triad_layernorm_forward (a->ln2, a->ln2_mean, a->ln2_rstd, a->x_mid2, &blk->ln_ffn,
                               N, D, c->norm_eps);
      triad_linear_forward (a->up, a->ln2, &blk->up, N, D, c->ffn_dim);
      triad_gelu_forward (a->act, a->up, N * c->ffn_dim);
      triad_linear_forward (x_out, a->act, &blk->down, N, c->ffn_dim, D);
      for (size_t i = 0; i < N * D; i++)
        x_out[i] += a->x_mid2[i];
    }
  triad_layernorm_forward (st->out, st->out_mean, st->out_rstd, st->x_final, final_norm,
                           N, D, c->norm_eps);
}

/* ---- backward ------------------------------------------------------------------------ */

static void
ensure_scratch (TriadTrainer *t,
                size_t        N,
                size_t        M,
                size_t        S)
{
  const TriadConfig *c = &t->model->config;
  size_t D = c->dim, F = c->ffn_dim;

  if (N > t->scratch_n)
    {
      t->dx = g_renew (float, t->dx, N * D);
      t->dmid = g_renew (float, t->dmid, N * D);
      t->dq = g_renew (float, t->dq, N * D);
      t->dk = g_renew (float, t->dk, N * D);
      t->dv = g_renew (float, t->dv, N * D);
      t->dln = g_renew (float, t->dln, N * D);
      t->dff = g_renew (float, t->dff, N * F);
      t->scratch_n = N;
    }
  if (M > t->scratch_m)
    {
      t->dxk = g_renew (float, t->dxk, M * D);
      t->dxv = g_renew (float, t->dxv, M * D);
      t->dmem = g_renew (float, t->dmem, M * D);
      t->scratch_m = M;
    }
  if (S > t->scratch_s)
    {
      t->ds = g_renew (float, t->ds, S);
      t->scratch_s = S;
    }
}

static void
heads_backward (TriadTrainer    *t,
                float           *dq,
                float           *dk,
                float           *dv,
                const float     *dout,
                const float     *p,
                const size_t    *p_off,
                const float     *q,
                const float     *k,
                const float     *v,
                const int       *q_off,
                const int       *k_off,
                int              n_seq)
{
  const TriadConfig *c = &t->model->config;
  int D = c->dim, hd = c->dim / c->n_heads;

  for (int s = 0; s < n_seq; s++)
    {
      int n = q_off[s + 1] - q_off[s], m = k_off[s + 1] - k_off[s];
      size_t qo = (size_t) q_off[s] * D, ko = (size_t) k_off[s] * D;

      for (int h = 0; h < c->n_heads; h++)
        triad_attention_backward (dq + qo + h * hd, dk + ko + h * hd, dv + ko + h * hd, t->ds,
                                  dout + qo + h * hd, p + p_off[s] + (size_t) h * n * m,
                                  q + qo + h * hd, k + ko + h * hd, v + ko + h * hd,
                                  n, m, hd, D);
    }
}

/* dout (N, D) is the gradient of the stack's output (after its final LayerNorm); the
 * gradient reaching the memory (cross-attention) is added to t->dmem. */
static void
stack_backward (TriadTrainer      *t,
                Stack             *st,
                const float       *dout,
                const TriadBlock  *blocks,
                TriadBlock        *gblocks,
                const TriadNorm   *final_norm,
                TriadNorm         *gfinal,
                float             *g_tok,
                float             *g_pos,
                const float       *mem)
{
  const TriadConfig *c = &t->model->config;
  size_t D = c->dim, F = c->ffn_dim, N = st->N;
  float *dx = t->dx;

  memset (dx, 0, sizeof (float) * N * D);
  triad_layernorm_backward (dx, gfinal, dout, st->x_final, st->out_mean, st->out_rstd,
                            final_norm, N, D);

  for (int l = st->n_layers - 1; l >= 0; l--)
    {
      const TriadBlock *blk = &blocks[l];
      TriadBlock *g = &gblocks[l];
      LayerActs *a = &st->layers[l];

      /* x_out = x_mid2 + W_down GELU (W_up LN (x_mid2)): dx flows on through the residual */
      triad_linear_backward (t->dff, &g->down, dx, a->act, &blk->down, N, F, D, FALSE);
      triad_gelu_backward (t->dff, t->dff, a->up, N * F);
      triad_linear_backward (t->dln, &g->up, t->dff, a->ln2, &blk->up, N, D, F, FALSE);
      triad_layernorm_backward (dx, &g->ln_ffn, t->dln, a->x_mid2, a->ln2_mean, a->ln2_rstd,
                                &blk->ln_ffn, N, D);

      if (st->cross)
        {
          size_t M = st->M;

          /* x_mid2 = x_mid + W_o CrossAttention (LN (x_mid), memory) */
          triad_linear_backward (t->dmid, &g->cross.o, dx, a->xao, &blk->cross.o, N, D, D, FALSE);
          memset (t->dq, 0, sizeof (float) * N * D);
          memset (t->dxk, 0, sizeof (float) * M * D);
          memset (t->dxv, 0, sizeof (float) * M * D);
          heads_backward (t, t->dq, t->dxk, t->dxv, t->dmid, a->xp, st->xp_off, a->xq, a->xk,
                          a->xv, st->off, st->mem_off, st->n_seq);
          triad_linear_backward (t->dln, &g->cross.q, t->dq, a->lnx, &blk->cross.q, N, D, D, FALSE);
          triad_linear_backward (t->dmem, &g->cross.k, t->dxk, mem, &blk->cross.k, M, D, D, TRUE);
          triad_linear_backward (t->dmem, &g->cross.v, t->dxv, mem, &blk->cross.v, M, D, D, TRUE);
          triad_layernorm_backward (dx, &g->ln_cross, t->dln, a->x_mid, a->lnx_mean, a->lnx_rstd,
                                    &blk->ln_cross, N, D);
        }

      /* x_mid = x_in + W_o SelfAttention (LN (x_in)) */
      triad_linear_backward (t->dmid, &g->attn.o, dx, a->ao, &blk->attn.o, N, D, D, FALSE);
      memset (t->dq, 0, sizeof (float) * N * D);
      memset (t->dk, 0, sizeof (float) * N * D);
      memset (t->dv, 0, sizeof (float) * N * D);
      heads_backward (t, t->dq, t->dk, t->dv, t->dmid, a->p, st->p_off, a->q, a->k, a->v,
                      st->off, st->off, st->n_seq);
      if (c->positions == TRIAD_POS_ROTARY && st->causal)
        {
          rope_turn (st, c, t->dq, -1.0f);
          rope_turn (st, c, t->dk, -1.0f);
        }
      triad_linear_backward (t->dln, &g->attn.q, t->dq, a->ln1, &blk->attn.q, N, D, D, FALSE);
      triad_linear_backward (t->dln, &g->attn.k, t->dk, a->ln1, &blk->attn.k, N, D, D, TRUE);
      triad_linear_backward (t->dln, &g->attn.v, t->dv, a->ln1, &blk->attn.v, N, D, D, TRUE);
      triad_layernorm_backward (dx, &g->ln_attn, t->dln, a->x_in, a->ln1_mean, a->ln1_rstd,
                                &blk->ln_attn, N, D);
    }

  /* embeddings: each token's row and its position's row receive the stream's gradient (with
   * rotary positions the rows are not read and get none) */
  for (int s = 0; s < st->n_seq; s++)
    for (int i = st->off[s]; i < st->off[s + 1]; i++)
      {
        float *gt = g_tok + (size_t) st->ids[i] * D;
        float *gp = c->positions == TRIAD_POS_LEARNED ? g_pos + (size_t) st->pos[i] * D : NULL;
        const float *d = dx + (size_t) i * D;
        for (size_t j = 0; j < D; j++)
          {
            gt[j] += d[j];
            if (gp != NULL)
              gp[j] += d[j];
          }
      }
}

/* ---- the whole pass ------------------------------------------------------------------ */

static gboolean
check_batch (TriadTrainer     *t,
             const TriadBatch *b,
             GError          **error)
{
  const TriadConfig *c = &t->model->config;
  gboolean enc = c->n_enc_layers > 0, dec = c->n_dec_layers > 0;
  const GArray *out_ids = dec ? b->tgt_ids : b->src_ids;

  if (b->n_seq == 0 || b->labels->len != out_ids->len)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                   _("The batch is empty or its labels do not match its tokens"));
      return FALSE;
    }
  for (int s = 0; s < b->n_seq; s++)
    {
      int ns = g_array_index (b->src_off, int, s + 1) - g_array_index (b->src_off, int, s);
      int nt = g_array_index (b->tgt_off, int, s + 1) - g_array_index (b->tgt_off, int, s);

      if ((enc && (ns <= 0 || ns > c->max_seq_len)) || (!enc && ns != 0)
          || (dec && (nt <= 0 || nt > c->max_seq_len)) || (!dec && nt != 0))
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOO_LONG,
                       _("Sequence %d of the batch has a length the model cannot take"), s);
          return FALSE;
        }
    }
  for (guint i = 0; i < b->src_ids->len; i++)
    if (g_array_index (b->src_ids, int, i) < 0 || g_array_index (b->src_ids, int, i) >= c->vocab_size)
      goto bad_id;
  for (guint i = 0; i < b->tgt_ids->len; i++)
    if (g_array_index (b->tgt_ids, int, i) < 0 || g_array_index (b->tgt_ids, int, i) >= c->vocab_size)
      goto bad_id;
  for (guint i = 0; i < b->labels->len; i++)
    if (g_array_index (b->labels, int, i) < -1 || g_array_index (b->labels, int, i) >= c->vocab_size)
      goto bad_id;
  return TRUE;

bad_id:
  g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
               _("The batch holds a token id outside the vocabulary"));
  return FALSE;
}

static float
run (TriadTrainer     *t,
     const TriadBatch *b,
     gboolean          backward,
     GError          **error)
{
  TriadModel *model = t->model;
  const TriadConfig *c = &model->config;
  const TriadWeights *w = &model->weights;
  TriadWeights *g = &t->grads;
  gboolean enc = c->n_enc_layers > 0, dec = c->n_dec_layers > 0;
  Stack *out_stack;
  size_t D = c->dim, V = c->vocab_size, K = 0, S = 0;
  double loss = 0.0;
  g_autofree float *dout = NULL;
  float *h;

  if (!check_batch (t, b, error))
    return NAN;

  if (enc)
    {
      stack_prepare (&t->enc, c, c->n_enc_layers, FALSE, FALSE, c->segment_positions,
                     (const int *) b->src_ids->data,
                     (const int *) b->src_off->data, NULL, b->n_seq);
      stack_forward (&t->enc, c, w->tok_emb, w->enc_pos, w->enc, &w->enc_norm, NULL);
    }
  if (dec)
    {
      stack_prepare (&t->dec, c, c->n_dec_layers, TRUE, enc, FALSE, (const int *) b->tgt_ids->data,
                     (const int *) b->tgt_off->data, (const int *) b->src_off->data, b->n_seq);
      stack_forward (&t->dec, c, w->tok_emb, w->dec_pos, w->dec, &w->dec_norm,
                     enc ? t->enc.out : NULL);
    }
  out_stack = dec ? &t->dec : &t->enc;

  /* the tied head, on the labelled rows only: logits (K, V) = h E^T */
  t->rows = g_renew (int, t->rows, b->labels->len + 1);
  for (guint i = 0; i < b->labels->len; i++)
    if (g_array_index (b->labels, int, i) >= 0)
      t->rows[K++] = i;
  if (K == 0)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                   _("The batch has nothing to predict"));
      return NAN;
    }
  if (K * (V + D) > t->logits_size)
    {
      t->logits = g_renew (float, t->logits, K * (V + D));
      t->logits_size = K * (V + D);
    }
  h = t->logits + K * V;
  for (size_t r = 0; r < K; r++)
    memcpy (h + r * D, out_stack->out + (size_t) t->rows[r] * D, sizeof (float) * D);
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, K, V, D,
               1.0f, h, D, w->tok_emb, D, 0.0f, t->logits, V);

  /* loss = mean over rows of -log softmax (logits)[label]; dlogits = (softmax - onehot) / K */
  for (size_t r = 0; r < K; r++)
    {
      float *row = t->logits + r * V;
      int label = g_array_index (b->labels, int, t->rows[r]);
      float max = row[0];
      double sum = 0.0;

      for (size_t j = 1; j < V; j++)
        max = MAX (max, row[j]);
      for (size_t j = 0; j < V; j++)
        sum += exp (row[j] - max);
      loss += log (sum) - (row[label] - max);
      if (backward)
        {
          for (size_t j = 0; j < V; j++)
            row[j] = (float) (exp (row[j] - max) / sum / K);
          row[label] -= 1.0f / K;
        }
    }
  loss /= K;
  if (!backward)
    return (float) loss;

  memset (t->grad_mem, 0, sizeof (float) * t->n_params);
  /* the largest attention matrix of any sequence: self-attention of either stack, or
   * cross-attention */
  for (int s = 0; s < b->n_seq; s++)
    {
      const int *so = (const int *) b->src_off->data, *to = (const int *) b->tgt_off->data;
      size_t ns = so[s + 1] - so[s], nt = to[s + 1] - to[s];
      S = MAX (S, MAX (ns * ns, nt * MAX (nt, ns)));
    }
  ensure_scratch (t, MAX (t->dec.N, t->enc.N), enc ? t->enc.N : 0, S);

  /* dE += dlogits^T h;  dh = dlogits E, scattered back to the labelled rows */
  cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, V, D, K,
               1.0f, t->logits, V, h, D, 1.0f, g->tok_emb, D);
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, K, D, V,
               1.0f, t->logits, V, w->tok_emb, D, 0.0f, t->dq, D);
  dout = g_new0 (float, out_stack->N * D);
  for (size_t r = 0; r < K; r++)
    memcpy (dout + (size_t) t->rows[r] * D, t->dq + r * D, sizeof (float) * D);

  if (dec && enc)
    {
      /* the decoder's backward collects the gradient reaching the encoder's output through
       * every layer's cross-attention; the encoder's backward then starts from it */
      g_autofree float *dmem = NULL;

      memset (t->dmem, 0, sizeof (float) * t->enc.N * D);
      stack_backward (t, &t->dec, dout, w->dec, g->dec, &w->dec_norm, &g->dec_norm,
                      g->tok_emb, g->dec_pos, t->enc.out);
      dmem = g_memdup2 (t->dmem, sizeof (float) * t->enc.N * D);
      stack_backward (t, &t->enc, dmem, w->enc, g->enc, &w->enc_norm, &g->enc_norm,
                      g->tok_emb, g->enc_pos, NULL);
    }
  else if (dec)
    stack_backward (t, &t->dec, dout, w->dec, g->dec, &w->dec_norm, &g->dec_norm,
                    g->tok_emb, g->dec_pos, NULL);
  else
    stack_backward (t, &t->enc, dout, w->enc, g->enc, &w->enc_norm, &g->enc_norm,
                    g->tok_emb, g->enc_pos, NULL);
  return (float) loss;
}

float
triad_trainer_forward_backward (TriadTrainer     *t,
                                const TriadBatch *b,
                                GError          **error)
{
  return run (t, b, TRUE, error);
}

float
triad_trainer_loss (TriadTrainer     *t,
                    const TriadBatch *b,
                    GError          **error)
{
  return run (t, b, FALSE, error);
}

TriadWeights *
triad_trainer_grads (TriadTrainer *t)
{
  return &t->grads;
}

/* ---- trainer ------------------------------------------------------------------------- */

TriadTrainer *
triad_trainer_new (TriadModel              *model,
                   const TriadTrainOptions *opt)
{
  TriadTrainer *t;
  float *p;

  g_return_val_if_fail (model->owned != NULL, NULL);

  t = g_new0 (TriadTrainer, 1);
  t->model = model;
  t->opt = *opt;
  t->specs = triad_tensor_table (&model->config, &model->weights, &t->n_specs);
  triad_weights_alloc (&model->config, &t->grads);
  t->grad_specs = triad_tensor_table (&model->config, &t->grads, &t->n_specs);
  t->n_params = 0;
  for (int i = 0; i < t->n_specs; i++)
    t->n_params += t->specs[i].numel;
  t->grad_mem = g_new0 (float, t->n_params);
  t->m = g_new0 (float, t->n_params);
  t->v = g_new0 (float, t->n_params);
  p = t->grad_mem;
  for (int i = 0; i < t->n_specs; i++)
    {
      *t->grad_specs[i].slot = p;
      p += t->grad_specs[i].numel;
    }
  return t;
}

void
triad_trainer_free (TriadTrainer *t)
{
  if (t == NULL)
    return;
  stack_free (&t->enc);
  stack_free (&t->dec);
  triad_weights_clear (&t->grads);
  g_free (t->specs);
  g_free (t->grad_specs);
  g_free (t->grad_mem);
  g_free (t->m);
  g_free (t->v);
  g_free (t->dx);
  g_free (t->dmid);
  g_free (t->dq);
  g_free (t->dk);
  g_free (t->dv);
  g_free (t->dln);
  g_free (t->dff);
  g_free (t->dxk);
  g_free (t->dxv);
  g_free (t->dmem);
  g_free (t->ds);
  g_free (t->logits);
  g_free (t->rows);
  g_free (t);
}

float
triad_trainer_update (TriadTrainer *t,
                      int           step)
{
  const TriadTrainOptions *o = &t->opt;
  float lr = triad_train_lr_at (o, step);
  double norm2 = 0.0;
  float norm, scale = 1.0f, bc1, bc2;

  for (size_t i = 0; i < t->n_params; i++)
    norm2 += (double) t->grad_mem[i] * t->grad_mem[i];
  norm = (float) sqrt (norm2);
  if (o->clip > 0.0f && norm > o->clip)
    scale = o->clip / norm;

  t->t++;
  bc1 = 1.0f - powf (o->beta1, t->t);
  bc2 = 1.0f - powf (o->beta2, t->t);
  for (int s = 0; s < t->n_specs; s++)
    {
      float *w = *t->specs[s].slot;
      const float *g = *t->grad_specs[s].slot;
      size_t base = g - t->grad_mem;
      /* decoupled weight decay on matrices, not on biases, LayerNorm or positions */
      float wd = t->specs[s].ndim == 2 && strstr (t->specs[s].name, "pos_emb") == NULL
                 ? o->weight_decay : 0.0f;

      for (size_t i = 0; i < t->specs[s].numel; i++)
        {
          float gi = g[i] * scale;
          float *m = &t->m[base + i], *v = &t->v[base + i];

          *m = o->beta1 * *m + (1.0f - o->beta1) * gi;
          *v = o->beta2 * *v + (1.0f - o->beta2) * gi * gi;
          w[i] -= lr * ((*m / bc1) / (sqrtf (*v / bc2) + o->eps) + wd * w[i]);
        }
    }
  return norm;
}
