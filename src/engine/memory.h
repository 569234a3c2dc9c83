/* memory.h — the memory of real LLMs at inference: their published shapes (presets), the
 * KV cache they keep for a context, their weights, and which GPUs hold both.
 *
 * The KV cache of a decoder layer holds, for every cached position of every sequence,
 *   kv_heads × (k_dim + v_dim) values             k_dim = v_dim = head_dim, as published
 *   kv_lora_rank + qk_rope_head_dim values         multi-head latent attention (DeepSeek)
 * at kv_dtype bytes each. A layer with a sliding window caches min (tokens, window)
 * positions, the others every position. An encoder-decoder's decoder also keeps, in every
 * decoder layer, the cross-attention K and V of every source position, computed once from the
 * encoder's output. An encoder-only model caches nothing.
 *
 * Sizes are bytes. GB is 10⁹ bytes and GiB 2³⁰ bytes; a "24 GB" GPU is 24 × 10⁹ bytes unless
 * the GiB unit is asked for. Nothing here counts activations, the framework or fragmentation:
 * "fits" means the weights and the cache alone fit. */
#pragma once

#include <glib.h>

#include "engine/model.h"

G_BEGIN_DECLS

/* Positions a paged cache allocates at a time, per sequence (vLLM's default block). */
#define TRIAD_KV_PAGE_TOKENS   16
/* Bounds on the options, far from any overflow of the double results. */
#define TRIAD_KV_MAX_TOKENS    G_GINT64_CONSTANT (1000000000)
#define TRIAD_KV_MAX_BATCH     G_GINT64_CONSTANT (1000000)
/* Bounds on a preset's numbers: far beyond any published model, far from overflow. */
/* The two contexts Triad compares everywhere (the lesson, the KV figures, the cost figure, the
 * defaults of `triad kv`): a common 8 k context and a long document's 100 k tokens. */
#define TRIAD_CONTEXT_SHORT  8192
#define TRIAD_CONTEXT_LONG   100000

#define TRIAD_LLM_MAX_LAYERS   100000
#define TRIAD_LLM_MAX_HEADS    100000
#define TRIAD_LLM_MAX_HEAD_DIM 65536
#define TRIAD_LLM_MAX_PARAMS   1e16
/* The layer pattern of a preset repeats every at most this many layers. */
#define TRIAD_LLM_MAX_PATTERN  16

typedef struct {
  char      *id;                /* "llama-3-8b" */
  char      *name;              /* "Llama 3 8B" */
  char      *source;            /* the published configuration or paper */
  char      *note;              /* one sentence, may be NULL */
  double     params;            /* total parameters, as published */
  TriadArch  arch;
  int        n_layers;          /* decoder layers; an encoder-only model's encoder layers */
  int        n_enc_layers;      /* encoder layers of an encoder-decoder, 0 otherwise */
  int        n_heads;           /* query heads */
  int        n_kv_heads;        /* key/value heads as published */
  int        head_dim;
  int        d_model;
  gint64     max_context;       /* the longest context the model was made for */
  gint64     sliding_window;    /* positions a local layer attends to; 0: none */
  /* Which layers are local (use the window): layer i is local when
   * pattern_local[i % pattern_len]. pattern_len 0: every layer, when there is a window. */
  int        pattern_len;
  gboolean   pattern_local[TRIAD_LLM_MAX_PATTERN];
  /* Multi-head latent attention: kv_lora_rank > 0 caches the latent and the rotary key. */
  int        kv_lora_rank;
  int        qk_rope_head_dim;
  int        qk_nope_head_dim;  /* for the what-ifs: a head's key is nope + rope wide … */
  int        v_head_dim;        /* … and its value this wide */
} TriadLlmPreset;

typedef enum {
  TRIAD_DTYPE_F32,
  TRIAD_DTYPE_F16,
  TRIAD_DTYPE_BF16,
  TRIAD_DTYPE_FP8,
  TRIAD_DTYPE_INT8,
  TRIAD_DTYPE_INT4,
  TRIAD_N_DTYPES /*< skip >*/
} TriadDtype;

typedef enum {
  TRIAD_KV_AS_PUBLISHED,        /*< nick=published >*/ /* the preset's own attention */
  TRIAD_KV_MHA,                 /* what if: a key/value head per query head */
  TRIAD_KV_MQA,                 /* what if: one key/value head */
  TRIAD_KV_GQA,                 /* what if: gqa_groups key/value heads */
} TriadKvAttention;

typedef enum {
  TRIAD_MEM_UNIT_GB,            /* 10⁹ bytes */
  TRIAD_MEM_UNIT_GIB,           /* 2³⁰ bytes */
} TriadMemUnit;

typedef struct {
  gint64           tokens;         /* context per sequence: the decoder's (target) tokens */
  gint64           source_tokens;  /* encoder-decoder: source tokens; 0: the same as tokens */
  gint64           batch;          /* sequences */
  TriadDtype       kv_dtype;
  TriadDtype       weight_dtype;
  TriadKvAttention attention;
  int              gqa_groups;     /* TRIAD_KV_GQA: key/value heads, dividing n_heads */
  gboolean         ignore_window;  /* cache every position even in windowed layers */
  gboolean         paged;          /* allocate per sequence in blocks of TRIAD_KV_PAGE_TOKENS */
} TriadKvOptions;

typedef enum {
  TRIAD_KV_LAYER_GLOBAL,        /* self-attention over the whole context */
  TRIAD_KV_LAYER_LOCAL,         /* self-attention over a sliding window */
  TRIAD_KV_LAYER_LATENT,        /* multi-head latent attention */
  TRIAD_KV_LAYER_CROSS,         /* cross-attention K/V of the source (encoder-decoder) */
  TRIAD_KV_N_LAYER_KINDS /*< skip >*/
} TriadKvLayerKind;

typedef struct {
  TriadKvLayerKind kind;
  int              n_layers;
  gint64           tokens;           /* positions each of these layers holds per sequence */
  guint64          bytes_per_token;  /* one position of one sequence in one layer */
  guint64          bytes;            /* all these layers, every sequence */
  double           bytes_f;          /* the same as a double */
} TriadKvLayerGroup;

typedef struct {
  gboolean          cached;          /* FALSE: encoder-only, nothing is cached */
  gint64            tokens;          /* target tokens per sequence, after paging */
  gint64            source_tokens;   /* encoder-decoder: source tokens, after paging; else 0 */
  int               kv_heads;        /* after the what-if */
  double            kv_dtype_bytes;
  double            weight_dtype_bytes;
  gboolean          window_honoured; /* some layer's cache is bounded by a window */
  gboolean          beyond_context;  /* more tokens than the model's max_context */
  /* Exact totals; saturated at G_MAXUINT64 (and `overflow` set) past 2⁶⁴ − 1 bytes. The
   * _f doubles never saturate. */
  guint64           kv_bytes;        /* self + cross, every layer, every sequence */
  guint64           self_kv_bytes;
  guint64           cross_kv_bytes;
  guint64           weights_bytes;   /* params × weight dtype */
  guint64           total_bytes;     /* kv + weights */
  double            kv_bytes_f;
  double            self_kv_bytes_f;
  double            cross_kv_bytes_f;
  double            weights_bytes_f;
  double            total_bytes_f;
  gboolean          overflow;
  /* One more position of one sequence in every decoder layer, windows aside (the cache's
   * growth rate before any window fills); for the encoder-decoder, per target token. */
  guint64           kv_bytes_per_token;
  /* Encoder-decoder: the cross K/V of one source position over every decoder layer. */
  guint64           cross_bytes_per_token;
  int               n_groups;
  TriadKvLayerGroup groups[TRIAD_KV_N_LAYER_KINDS];
} TriadKvEstimate;

/* ---- presets --------------------------------------------------------------------------- */

/* The folder of the shipped presets: $TRIAD_PRESETS_DIR, the source tree (running from the
 * build tree: the models folder's sibling), then PKGDATADIR/presets. The first that holds
 * llms.json; the installed one when none does. */
char           *triad_presets_dir         (void);
/* The path of llms.json in that folder. */
char           *triad_presets_file        (void);

/* Loads an array of presets (TriadLlmPreset, freed with the array). Fails with
 * TRIAD_ERROR_NOT_FOUND for a missing file, TRIAD_ERROR_CONFIG for a file that is not a valid
 * presets file; the message names the preset and the field. */
GPtrArray      *triad_llm_presets_load    (const char       *path,
                                           GError          **error);
/* triad_presets_file (), loaded. */
GPtrArray      *triad_llm_presets_load_default (GError     **error);
/* The default presets, loaded once for the whole process and shared, read-only; a new
 * reference, or NULL and the error. */
GPtrArray      *triad_llm_presets_shared  (GError          **error);
const TriadLlmPreset *triad_llm_presets_find (GPtrArray     *presets,
                                              const char    *id);

/* A preset with id "custom" whose every field the caller sets: a 32-layer multi-head decoder
 * of head size 128 (a Llama-2-7B-like shape) until then. */
TriadLlmPreset *triad_llm_preset_new_custom (void);
TriadLlmPreset *triad_llm_preset_copy     (const TriadLlmPreset *preset);
void            triad_llm_preset_free     (TriadLlmPreset   *preset);
/* Checks a preset's numbers (positive, kv heads ≤ heads, …): TRIAD_ERROR_CONFIG. */
gboolean        triad_llm_preset_validate (const TriadLlmPreset *preset,
                                           GError          **error);
/* Layers of this preset that are local (windowed); 0 without a window. */
int             triad_llm_preset_n_local  (const TriadLlmPreset *preset);
gboolean        triad_llm_preset_layer_is_local (const TriadLlmPreset *preset,
                                                 int               layer);

/* ---- data types, units, GPUs --------------------------------------------------------- */

const char *triad_dtype_to_string   (TriadDtype   dtype);
gboolean    triad_dtype_from_string (const char  *name,
                                     TriadDtype  *dtype);
/* Bytes per element: 4, 2, 2, 1, 1, 0.5. */
double      triad_dtype_bytes       (TriadDtype   dtype);
/* Bits per element: 32, 16, 16, 8, 8, 4. */
int         triad_dtype_bits        (TriadDtype   dtype);

const char *triad_kv_attention_to_string (TriadKvAttention attention);
/* "published", "mha", "mqa" or "gqa:G" (G > 0; divisibility is checked by the estimate). */
gboolean    triad_kv_attention_parse     (const char       *text,
                                          TriadKvAttention *attention,
                                          int              *gqa_groups);

/* The GPU memory sizes the estimate answers for, in units: 12, 16, 24, 48, 80, 141. */
#define TRIAD_N_GPU_SIZES 6
extern const int triad_gpu_sizes[TRIAD_N_GPU_SIZES];

const char *triad_mem_unit_to_string   (TriadMemUnit unit);   /* "GB", "GiB" */
gboolean    triad_mem_unit_from_string (const char   *name,   /* "gb", "gib" */
                                        TriadMemUnit *unit);
double      triad_mem_unit_bytes       (TriadMemUnit unit);   /* 1e9, 2³⁰ */
double      triad_bytes_to_gb          (double       bytes);
double      triad_bytes_to_gib         (double       bytes);
double      triad_bytes_in_unit        (double       bytes,
                                        TriadMemUnit unit);
/* A GPU of `size` units, in bytes. */
double      triad_gpu_bytes            (int          size,
                                        TriadMemUnit unit);
/* "1.1 GB" (decimal) or "1.0 GiB" (binary), as g_format_size writes them, in the interface's
 * language and past 2⁶⁴ bytes too ("1.0 ZB"): triad_format_size. */
char       *triad_format_bytes         (double       bytes,
                                        TriadMemUnit unit);

/* ---- the estimate -------------------------------------------------------------------- */

/* 8192 tokens, batch 1, f16 cache and weights, attention as published, windows honoured,
 * not paged. */
void     triad_kv_options_init (TriadKvOptions       *options);
/* Checks the options against the bounds and the preset: TRIAD_ERROR_INVALID_ARGUMENT. */
gboolean triad_kv_options_validate (const TriadLlmPreset *preset,
                                    const TriadKvOptions *options,
                                    GError              **error);
/* The memory of preset under options; a pure function of its arguments. */
gboolean triad_kv_estimate     (const TriadLlmPreset *preset,
                                const TriadKvOptions *options,
                                TriadKvEstimate      *estimate,
                                GError              **error);
/* Weights and cache together within gpu_bytes. */
gboolean triad_kv_estimate_fits (const TriadKvEstimate *estimate,
                                 double                 gpu_bytes);
/* The longest context (tokens per sequence, the other options as given) whose weights and
 * cache fit in gpu_bytes: it stops fitting at one token more. 0 when not even one token
 * fits; -1 when it still fits at TRIAD_KV_MAX_TOKENS (nothing cached, or every layer bounded
 * by a window). */
gint64   triad_kv_max_context  (const TriadLlmPreset *preset,
                                const TriadKvOptions *options,
                                double                gpu_bytes);

const char *triad_kv_layer_kind_to_string (TriadKvLayerKind kind);

G_END_DECLS
