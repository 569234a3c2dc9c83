/* model.h — the three transformer architectures: configuration, weights, run state and
 * the forward pass, with attention capture and the KV cache.
 *
 * One block serves all three (pre-LayerNorm, GELU MLP):
 *   x = x + SelfAttention (LN_attn (x))            bidirectional in the encoder, causal in a decoder
 *   x = x + CrossAttention (LN_cross (x), memory)  decoder of the encoder-decoder only
 *   x = x + W_down GELU (W_up LN_ffn (x) + b_up) + b_down
 * The input is tok_emb[id] + pos_emb[position] (learned positions, no scaling); after the last
 * block comes a final LayerNorm, and the output head is tied to the token embedding:
 *   logits = LN_final (x) tok_emb^T          (no bias)
 * The encoder-decoder shares tok_emb between encoder, decoder and head; the memory the decoder
 * cross-attends to is the encoder's output after its final LayerNorm. GELU is the exact erf form,
 * LayerNorm uses the biased variance and config.norm_eps. Every linear map is y = x W^T + b with
 * W stored (out, in), as torch.nn.Linear does. Attention is multi-head: head h uses columns
 * [h * head_dim, (h + 1) * head_dim) of q, k and v, with head_dim = dim / n_heads.
 *
 * Tensors in model.safetensors (all F32), for L = n_enc_layers or n_dec_layers:
 *   tok_emb                                  (vocab_size, dim)
 *   enc.pos_emb, dec.pos_emb                 (max_seq_len, dim)
 *   {enc,dec}.layers.{i}.ln_attn.{weight,bias}    (dim)
 *   {enc,dec}.layers.{i}.attn.{q,k,v,o}.weight    (dim, dim)
 *   {enc,dec}.layers.{i}.attn.{q,k,v,o}.bias      (dim)
 *   dec.layers.{i}.ln_cross.{weight,bias}          (dim)         encoder-decoder only
 *   dec.layers.{i}.cross.{q,k,v,o}.{weight,bias}   as attn        encoder-decoder only
 *   {enc,dec}.layers.{i}.ln_ffn.{weight,bias}     (dim)
 *   {enc,dec}.layers.{i}.ffn.up.weight            (ffn_dim, dim)
 *   {enc,dec}.layers.{i}.ffn.up.bias              (ffn_dim)
 *   {enc,dec}.layers.{i}.ffn.down.weight          (dim, ffn_dim)
 *   {enc,dec}.layers.{i}.ffn.down.bias            (dim)
 *   {enc,dec}.norm.{weight,bias}                  (dim)
 * The encoder-only model has the enc.* tensors, the decoder-only model the dec.* ones, the
 * encoder-decoder both.
 *
 * config.json:
 *   { "format": "triad-model", "version": 1, "arch": "encoder" | "decoder" | "encdec",
 *     "vocab_size": V, "dim": D, "n_heads": H, "ffn_dim": F, "max_seq_len": T,
 *     "n_enc_layers": Le, "n_dec_layers": Ld, "norm_eps": 1e-5,
 *     "segment_positions": false }                 (optional, false when absent)
 *
 * Real models (src/engine/hf-model.c) use the same block with the choices their published
 * modeling code makes, held in the config below: the norm's kind and place, the positions, the
 * MLP's activation and gate, whether scores are scaled by 1/√d_k, the embedding norm, the
 * masked-LM transform and the output head. Every choice's zero value is the Triad model's.
 */
#pragma once

#include <glib.h>
#include <gio/gio.h>

#include "engine/attention.h"
#include "engine/tokenizer.h"

G_BEGIN_DECLS

typedef enum {
  TRIAD_ARCH_ENCODER,  /* encoder-only, BERT-style: masked-token prediction */
  TRIAD_ARCH_DECODER,  /* decoder-only, GPT-style: next-token prediction */
  TRIAD_ARCH_ENCDEC,   /* encoder-decoder, T5-style: translation */
} TriadArch;

typedef enum {
  TRIAD_NORM_LAYER,    /* (x - mean) / sqrt (var + eps) * w + b */
  TRIAD_NORM_RMS,      /* x / sqrt (mean (x²) + eps) * w: no mean, no bias (T5, Llama) */
} TriadNormKind;

typedef enum {
  TRIAD_POS_LEARNED,   /* a learned vector per position, added to the token's (GPT-2, BERT) */
  TRIAD_POS_RELATIVE,  /* a learned bias per head and distance bucket, added to the scores (T5) */
  TRIAD_POS_ROTARY,    /* q and k rotated by angles that grow with the position (Llama, RoPE) */
} TriadPositionKind;

typedef enum {
  TRIAD_ROPE_PLAIN,    /* θ_j = base^(-2j/d) */
  TRIAD_ROPE_LINEAR,   /* θ_j / factor */
  TRIAD_ROPE_LLAMA3,   /* Llama 3.1's: low frequencies / factor, high kept, a ramp between */
} TriadRopeScaling;

typedef enum {
  TRIAD_ACT_GELU,      /* 0.5 x (1 + erf (x / √2)) */
  TRIAD_ACT_GELU_TANH, /* 0.5 x (1 + tanh (√(2/π) (x + 0.044715 x³))): GPT-2's gelu_new */
  TRIAD_ACT_RELU,
  TRIAD_ACT_SILU,      /* x σ(x): with a gate, Llama's SwiGLU */
} TriadActivation;

typedef struct {
  TriadArch arch;
  int       vocab_size;
  int       dim;
  int       n_heads;
  int       ffn_dim;
  int       max_seq_len;
  int       n_enc_layers;
  int       n_dec_layers;
  float     norm_eps;
  gboolean  segment_positions;  /* the encoder's positions restart at each <sep>, which takes
                                 * position 0, so that the aligned words of a sentence pair
                                 * share positions, as cross-lingual masked models do */
  /* The choices of a real model; all zero for Triad's own. */
  char              model_type[24];   /* "" for Triad's own, else config.json's model_type */
  int               head_dim;         /* d_k = d_v; 0: dim / n_heads (T5 gives d_kv) */
  TriadNormKind     norm;
  gboolean          post_norm;        /* x = Norm (x + f (x)), as BERT; else x + f (Norm (x)) */
  gboolean          no_final_norm;    /* no norm after the last block (BERT: post-norm) */
  TriadPositionKind positions;
  int               rel_buckets;      /* TRIAD_POS_RELATIVE: buckets and the distance where the */
  int               rel_max_distance; /* last one starts */
  TriadActivation   act;
  gboolean          gated;            /* MLP: down (act (gate x) ⊙ up x) (T5 v1.1) */
  gboolean          unscaled;         /* scores are q·k, not q·k / √d_k (T5) */
  int               type_vocab_size;  /* BERT's token types: type 0 is added to every token */
  gboolean          emb_norm;         /* a LayerNorm after the embeddings (BERT) */
  gboolean          mlm_transform;    /* the encoder's head: dense → act → LayerNorm first */
  gboolean          no_lm_head;       /* the file has no masked-LM head (a bare BertModel) */
  float             head_scale;       /* logits of x · head_scale (T5 v1: d_model^-½); 0: 1 */
  int               decoder_start_id; /* the id a real decoder starts from (T5: <pad>) */
  int               n_kv_heads;       /* K/V heads (GQA: fewer than n_heads); 0: n_heads */
  int               sliding_window;   /* a decoder query sees this many keys, itself included
                                       * (Mistral); 0: all before it */
  float             rope_theta;       /* TRIAD_POS_ROTARY: the base, and the scaling */
  TriadRopeScaling  rope_scaling;
  float             rope_factor;
  float             rope_low_freq_factor, rope_high_freq_factor;
  int               rope_original_context;
} TriadConfig;

/* d_k of one head, and the width of all heads side by side (dim, except in T5 v1.1). */
static inline int
triad_config_head_dim (const TriadConfig *c)
{
  return c->head_dim > 0 ? c->head_dim : c->dim / c->n_heads;
}

static inline int
triad_config_inner_dim (const TriadConfig *c)
{
  return c->n_heads * triad_config_head_dim (c);
}

/* K/V heads, and the width of a K or a V row: what a decoder caches per layer and token. */
static inline int
triad_config_kv_heads (const TriadConfig *c)
{
  return c->n_kv_heads > 0 ? c->n_kv_heads : c->n_heads;
}

static inline int
triad_config_kv_dim (const TriadConfig *c)
{
  return triad_config_kv_heads (c) * triad_config_head_dim (c);
}

/* Whether the model is Triad's own (one of the shipped three, or trained by Triad). */
static inline gboolean
triad_config_is_triad (const TriadConfig *c)
{
  return c->model_type[0] == '\0';
}

/* w (out, in), b (out) or NULL. A GPT-2 Conv1D stores its weight (in, out): in_out is set and
 * ld is the row length, which for a slice of the fused c_attn is the whole 3 × dim row. */
typedef struct {
  float   *w;
  float   *b;
  gboolean in_out;
  int      ld;        /* 0: the natural row length */
} TriadLinear;
typedef struct { float *w; float *b; } TriadNorm;    /* (dim), (dim) or NULL */

typedef struct {
  TriadLinear q, k, v, o;                            /* (dim, dim), (dim); k and v (kv_dim, dim)
                                                      * with GQA */
} TriadAttnWeights;

typedef struct {
  TriadNorm        ln_attn;
  TriadAttnWeights attn;
  TriadNorm        ln_cross;                         /* encoder-decoder decoder only */
  TriadAttnWeights cross;
  TriadNorm        ln_ffn;
  TriadLinear      gate;                             /* gated MLPs only: (ffn_dim, dim) */
  TriadLinear      up;                               /* (ffn_dim, dim), (ffn_dim) */
  TriadLinear      down;                             /* (dim, ffn_dim), (dim) */
} TriadBlock;

typedef struct {
  float      *tok_emb;                               /* (vocab_size, dim) */
  float      *enc_pos;                               /* (max_seq_len, dim) */
  float      *dec_pos;                               /* (max_seq_len, dim) */
  TriadBlock *enc;                                   /* (n_enc_layers) */
  TriadBlock *dec;                                   /* (n_dec_layers) */
  TriadNorm   enc_norm;
  TriadNorm   dec_norm;
  /* real models only */
  float      *type_emb;                              /* (type_vocab_size, dim) */
  TriadNorm   emb_norm;
  float      *enc_rel;                               /* (rel_buckets, n_heads) */
  float      *dec_rel;
  TriadLinear mlm_dense;                             /* (dim, dim) */
  TriadNorm   mlm_norm;
  float      *mlm_bias;                              /* (vocab_size) */
  float      *head;                                  /* (vocab_size, dim); NULL: tok_emb */
} TriadWeights;

/* One row of the tensor table: a name, a shape and where its pointer lives. The table
 * drives loading, saving, initialisation and (for the trainer) gradients and moments. */
typedef struct {
  char    name[64];
  int     ndim;
  size_t  shape[2];
  size_t  numel;
  float **slot;
} TriadTensorSpec;

typedef struct {
  TriadConfig     config;
  TriadWeights    weights;
  TriadTokenizer *tokenizer;      /* may be NULL for a model built in memory */
  char           *path;           /* the folder it came from, or NULL */
  /* private */
  GMappedFile    *mapped;         /* the weights are mapped from the file … */
  float          *owned;          /* … or owned, one allocation carved by the table */
  GPtrArray      *maps;           /* a real model's files (GMappedFile), one per shard */
  GPtrArray      *buffers;        /* … and its tensors widened to F32 or copied to align */
  char           *dtype;          /* a real model's weights as stored ("BF16"), else NULL */
  size_t          file_bytes;     /* the weights' files, all shards */
  size_t          n_params;
} TriadModel;

/* Attention weights the caller asks the forward pass for. layer and head may be -1 for
 * every one; the forward pass fills n_layers, n_heads, n_q, n_k and weights. */
typedef enum {
  TRIAD_ATTN_ENCODER_SELF,
  TRIAD_ATTN_DECODER_SELF,
  TRIAD_ATTN_CROSS,
} TriadAttnKind;

typedef struct {
  TriadAttnKind kind;
  int           layer;            /* -1: every layer */
  int           head;             /* -1: every head */
  int           n_layers;         /* filled: layers captured */
  int           n_heads;          /* filled: heads captured */
  int           n_q;              /* filled: query rows of the last pass */
  int           n_k;              /* filled: keys */
  float        *weights;          /* filled: (n_layers, n_heads, n_q, n_k), g_free'd by
                                   * triad_capture_clear () */
  gboolean      qkv;              /* ask for the heads' queries, keys and values too */
  int           head_dim;         /* filled with them: d_k = d_v */
  float        *q;                /* filled: (n_layers, n_heads, n_q, head_dim) */
  float        *k;                /* filled: (n_layers, n_heads, n_k, head_dim) */
  float        *v;                /* filled: (n_layers, n_heads, n_k, head_dim) */
  float        *q_pre;            /* filled with qkv on a rotary model's decoder: the queries and */
  float        *k_pre;            /* the keys before the rotation, shaped as q and k; keys held in
                                   * the cache from earlier passes are 0 here (they were rotated
                                   * when they were computed) */
} TriadCapture;

void         triad_capture_clear (TriadCapture *cap);
/* The (n_q, n_k) matrix of the i-th captured layer and j-th captured head. */
const float *triad_capture_matrix (const TriadCapture *cap,
                                   int                 i,
                                   int                 j);
/* With qkv: the queries (n_q, head_dim), keys or values (n_k, head_dim) of layer i, head j,
 * as the kernel received them. `which` is 'q', 'k' or 'v'; on a rotary model 'Q' and 'K' for
 * the queries and keys before the rotation (NULL when not captured). */
const float *triad_capture_qkv    (const TriadCapture *cap,
                                   char                which,
                                   int                 i,
                                   int                 j);

/* The run state of one model: the encoder's output, the decoder's KV cache (grown in blocks
 * of `kv_block` positions, every byte counted), the cross-attention K/V computed once from
 * the encoder output, and scratch. */
typedef struct {
  const TriadModel *model;
  int     n_src;                  /* encoder positions in enc_out */
  float  *enc_out;                /* (n_src, dim), after enc.norm */
  int     pos;                    /* decoder positions held in the cache */
  int     capacity;               /* cache positions allocated per layer */
  int     kv_block;               /* positions added at a time; 16 by default */
  float **key_cache;              /* (n_dec_layers) × (capacity, dim) */
  int      kv_dtype;              /* a TriadDtype (memory.h): how K and V are cached, f32 by
                                   * default; see triad_state_set_kv_dtype () */
  guint8 **key_q, **value_q;      /* the cache in another format: (n_dec_layers) × (capacity,
                                   * row bytes), read back into k_work / v_work for each layer */
  float   *k_work, *v_work;       /* (capacity, kv_dim) */
  int      n_work;
  float **value_cache;            /* (n_dec_layers) × (capacity, dim) */
  int     n_cross;                /* source positions in the cross K/V, 0 when none */
  float **cross_k;                /* (n_dec_layers) × (n_src, dim) */
  float **cross_v;                /* (n_dec_layers) × (n_src, dim) */
  const guint8 *src_valid;        /* key padding of the encoder's input: n_src flags, 0 for
                                   * a <pad> no query may see (encoder self-attention and
                                   * cross-attention); NULL: every token valid. The caller's,
                                   * kept across resets */
  int     n_logits;               /* rows in logits */
  float  *logits;                 /* (n_logits, vocab_size) of the last pass */
  /* scratch, grown on demand */
  int     n_scratch;
  float  *x, *h, *q, *k, *v, *att, *ffn;  /* (n, dim) … ffn (n, ffn_dim) */
  int     n_rope;
  float  *rope_cos, *rope_sin;   /* (n, head_dim / 2): the angles of the last positions */
  float  *gate;                   /* (n, ffn_dim), gated MLPs */
  size_t  n_bias;
  float  *bias;                   /* (n_heads, n_q, n_k): relative position biases */
  size_t  n_scores;
  float  *scores;                 /* (n_q, n_k) */
} TriadState;

/* Models */
TriadModel *triad_model_new_random (const TriadConfig *config,
                                    guint64            seed,
                                    GError           **error);
TriadModel *triad_model_load       (const char        *dir,
                                    GError           **error);
gboolean    triad_model_save       (const TriadModel  *model,
                                    const char        *dir,
                                    GError           **error);
void        triad_model_free       (TriadModel        *model);

/* A model folder, or the name of a shipped model ("encoder", "decoder", "encdec"). */
char       *triad_model_resolve    (const char        *name_or_dir,
                                    GError           **error);

gboolean         triad_config_validate  (const TriadConfig *config,
                                         GError           **error);
TriadTensorSpec *triad_tensor_table     (const TriadConfig *config,
                                         TriadWeights      *weights,
                                         int               *n_specs);
size_t           triad_config_n_params  (const TriadConfig *config);
void             triad_weights_alloc    (const TriadConfig *config,
                                         TriadWeights      *weights);
void             triad_weights_clear    (TriadWeights      *weights);

const char *triad_arch_to_string   (TriadArch arch);
gboolean    triad_arch_from_string (const char *name,
                                    TriadArch  *arch);

/* The token ids a model reads, with the special tokens its architecture expects:
 *   encoder-only      <bos> text <eos>
 *   decoder-only      <bos> text
 *   encoder source    text <eos>
 *   decoder target    <bos> text
 * A real model's as its tokenizer's post-processor says (BERT: [CLS] text [SEP], GPT-2: text,
 * T5's encoder: text </s>), a T5 target after decoder_start_token_id.
 * role is TRIAD_ATTN_ENCODER_SELF for the encoder's input and TRIAD_ATTN_DECODER_SELF for a
 * decoder's. Fails with TRIAD_ERROR_TOO_LONG past max_seq_len. */
TriadEncoding *triad_model_encode  (const TriadModel *model,
                                    const char       *text,
                                    TriadAttnKind     role,
                                    GError          **error);

/* The id of a role (TRIAD_TOKEN_PAD … TRIAD_TOKEN_SEP) for this model: Triad's own ids, or
 * the tokenizer's for a real model, with TRIAD_TOKEN_BOS meaning the id a decoder starts from
 * (T5: decoder_start_token_id). -1 when the model has none (GPT-2 has no <mask>). */
int         triad_model_special    (const TriadModel *model,
                                    int               role);

/* Run state */
TriadState *triad_state_new          (const TriadModel *model);
void        triad_state_free         (TriadState       *state);
void        triad_state_reset        (TriadState       *state);
/* Stores the decoder's K and V as dtype (a TriadDtype: f32, f16, bf16, int8 or int4, see
 * kvquant.h) from now on; empties the state. FALSE for a format the cache cannot take. */
gboolean    triad_state_set_kv_dtype (TriadState       *state,
                                      int               dtype);
/* Bytes allocated for the decoder's self-attention K and V, and for the cross-attention K/V. */
size_t      triad_state_kv_bytes     (const TriadState *state);
size_t      triad_state_cross_bytes  (const TriadState *state);

/* The rotary frequencies of a model, head_dim / 2 of them, as its config scales them. */
void        triad_rope_frequencies   (const TriadConfig *config,
                                      float             *inv_freq);

/* T5's relative position bucket of a key at distance relative_position (key - query) from its
 * query: bidirectional in an encoder, causal in a decoder. */
int         triad_relative_bucket    (int               relative_position,
                                      gboolean          bidirectional,
                                      int               num_buckets,
                                      int               max_distance);

/* Runs the encoder over ids (n) and keeps its output in state->enc_out; for the
 * encoder-decoder it then computes every decoder layer's cross K/V from it, once. */
gboolean triad_encoder_forward (TriadState   *state,
                                const int    *ids,
                                int           n,
                                TriadCapture *captures,
                                int           n_captures,
                                GError      **error);
/* Logits of the encoder-only model's masked-token head over the encoder output. */
void     triad_encoder_logits  (TriadState   *state);
/* Runs the decoder over n more tokens at positions pos … pos + n - 1, appending their K/V
 * to the cache; fills state->logits (n, vocab_size) and advances pos. A prefill is one call
 * with the whole prompt; a decoding step is a call with n = 1. */
gboolean triad_decoder_forward (TriadState   *state,
                                const int    *ids,
                                int           n,
                                TriadCapture *captures,
                                int           n_captures,
                                GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadModel, triad_model_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadState, triad_state_free)

G_END_DECLS
