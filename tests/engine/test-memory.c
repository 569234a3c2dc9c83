/* test-memory.c — the KV cache and weights of real LLMs: every preset against its published
 * shape, the bytes worked out by hand, the what-ifs, the GPUs, the presets file, `triad kv`
 * and its figure. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <cairo.h>
#include <json-glib/json-glib.h>

#include "cli/cli-private.h"
#include "engine/error.h"
#include "engine/memory.h"
#include "figures/memory-chart.h"
#include "test-common.h"

/* ---- the published numbers, written down here -------------------------------------- */

/* Each preset's shape as its configuration publishes it, and its KV cache at 8192 and at
 * 100 000 tokens (f16: 2 bytes a value, batch 1) worked out by hand in the comment. A
 * decoder layer caches a key and a value per key/value head per position:
 *   2 × kv_heads × head_dim × 2 bytes per position and layer. */
typedef struct {
  const char *id;
  int         layers;       /* decoder layers */
  int         kv_heads;
  int         head_dim;
  gint64      window;       /* 0: none */
  int         local_layers; /* layers that use the window */
  int         latent;       /* MLA: values cached per position and layer; 0: none */
  double      params;
  guint64     kv_8k;        /* f16, batch 1 */
  guint64     kv_100k;
} Published;

static const Published published[] = {
  /* https://huggingface.co/openai-community/gpt2/blob/main/config.json: n_layer 12, n_head 12,
   * n_embd 768 (head 64), n_positions 1024. 124 439 808 parameters.
   * 2 × 12 × 64 × 2 = 3072 bytes a layer; × 12 layers = 36 864 a token.
   * 8192: 36 864 × 8192 = 301 989 888; 100 000: 3 686 400 000. */
  { "gpt2", 12, 12, 64, 0, 0, 0, 124439808.0, 301989888ull, 3686400000ull },
  /* https://huggingface.co/google-bert/bert-base-uncased/blob/main/config.json: 12 layers,
   * 12 heads, hidden 768. An encoder caches nothing: 0 at any length. */
  { "bert-base", 12, 12, 64, 0, 0, 0, 109482240.0, 0, 0 },
  /* https://huggingface.co/google-t5/t5-small/blob/main/config.json: num_decoder_layers 6,
   * num_heads 8, d_kv 64. Per position and decoder layer 2 × 8 × 64 × 2 = 2048 bytes;
   * × 6 = 12 288 a token, both for self-attention (target) and cross-attention (source).
   * 8192 source + 8192 target: 2 × 12 288 × 8192 = 201 326 592;
   * 100 000 + 100 000: 2 × 12 288 × 100 000 = 2 457 600 000. */
  { "t5-small", 6, 8, 64, 0, 0, 0, 60506624.0, 201326592ull, 2457600000ull },
  /* https://huggingface.co/google-t5/t5-base/blob/main/config.json: 12 decoder layers,
   * 12 heads, d_kv 64: 2 × 12 × 64 × 2 × 12 = 36 864 a token, twice (self + cross).
   * 8192: 2 × 36 864 × 8192 = 603 979 776; 100 000: 7 372 800 000. */
  { "t5-base", 12, 12, 64, 0, 0, 0, 222903552.0, 603979776ull, 7372800000ull },
  /* https://huggingface.co/meta-llama/Llama-2-7b-hf/blob/main/config.json: 32 layers,
   * 32 key/value heads (no GQA), head 4096 / 32 = 128.
   * 2 × 32 × 128 × 2 × 32 = 524 288 a token. 8192: 4 294 967 296; 100 000: 52 428 800 000. */
  { "llama-2-7b", 32, 32, 128, 0, 0, 0, 6738415616.0, 4294967296ull, 52428800000ull },
  /* https://huggingface.co/meta-llama/Meta-Llama-3-8B/blob/main/config.json: 32 layers,
   * num_key_value_heads 8, head 128. 2 × 8 × 128 × 2 × 32 = 131 072 a token.
   * 8192: 1 073 741 824; 100 000: 13 107 200 000. */
  { "llama-3-8b", 32, 8, 128, 0, 0, 0, 8030261248.0, 1073741824ull, 13107200000ull },
  /* https://huggingface.co/meta-llama/Llama-3.1-8B/blob/main/config.json: Llama 3 8B's shape
   * (32 layers, num_key_value_heads 8, head 4096 / 32 = 128, 8 030 261 248 parameters) with
   * max_position_embeddings 131 072. 2 × 8 × 128 × 2 × 32 = 131 072 a token.
   * 8192: 1 073 741 824; 100 000: 13 107 200 000. */
  { "llama-3.1-8b", 32, 8, 128, 0, 0, 0, 8030261248.0, 1073741824ull, 13107200000ull },
  /* https://huggingface.co/meta-llama/Meta-Llama-3-70B/blob/main/config.json: 80 layers,
   * 8 key/value heads, head 8192 / 64 = 128. 2 × 8 × 128 × 2 × 80 = 327 680 a token.
   * 8192: 2 684 354 560; 100 000: 32 768 000 000. */
  { "llama-3-70b", 80, 8, 128, 0, 0, 0, 70553706496.0, 2684354560ull, 32768000000ull },
  /* https://huggingface.co/meta-llama/Llama-3.1-405B/blob/main/config.json and the Llama 3
   * paper, Table 3: 126 layers, 8 key/value heads, head 16384 / 128 = 128.
   * 2 × 8 × 128 × 2 × 126 = 516 096 a token. 8192: 4 227 858 432; 100 000: 51 609 600 000. */
  { "llama-3.1-405b", 126, 8, 128, 0, 0, 0, 405853388800.0, 4227858432ull, 51609600000ull },
  /* https://huggingface.co/mistralai/Mistral-7B-v0.1/blob/main/config.json: 32 layers,
   * 8 key/value heads, head 128, sliding_window 4096 on every layer.
   * 131 072 a token, at most 4096 positions: 8192 and 100 000 both 131 072 × 4096
   * = 536 870 912. */
  { "mistral-7b-v0.1", 32, 8, 128, 4096, 32, 0, 7241732096.0, 536870912ull, 536870912ull },
  /* https://huggingface.co/mistralai/Mixtral-8x7B-v0.1/blob/main/config.json: 32 layers,
   * 8 key/value heads, head 128, sliding_window null. 131 072 a token.
   * 8192: 1 073 741 824; 100 000: 13 107 200 000. */
  { "mixtral-8x7b", 32, 8, 128, 0, 0, 0, 46702792704.0, 1073741824ull, 13107200000ull },
  /* https://huggingface.co/Qwen/Qwen2.5-7B/blob/main/config.json: 28 layers, 4 key/value
   * heads, head 3584 / 28 = 128, use_sliding_window false. 2 × 4 × 128 × 2 × 28 = 57 344
   * a token. 8192: 469 762 048; 100 000: 5 734 400 000. */
  { "qwen2.5-7b", 28, 4, 128, 0, 0, 0, 7615616512.0, 469762048ull, 5734400000ull },
  /* https://huggingface.co/google/gemma-2-9b/blob/main/config.json and the Gemma 2 paper:
   * 42 layers, 8 key/value heads, head_dim 256, sliding_window 4096 on every other layer
   * (21 local, 21 global). 2 × 8 × 256 × 2 = 8192 bytes a position and layer.
   * 8192: 21 × 8192 × 8192 + 21 × 8192 × 4096 = 1 409 286 144 + 704 643 072
   *     = 2 113 929 216;
   * 100 000: 21 × 8192 × 100 000 + 704 643 072 = 17 203 200 000 + 704 643 072
   *     = 17 907 843 072.
   * Parameters: the published checkpoint, not the Gemma 2 report. Its
   * model.safetensors.index.json says total_size 18 483 411 968 bytes of bfloat16, so
   * 9 241 705 984 parameters, which its config.json gives by hand (hidden 3584, 16 heads and
   * 8 key/value heads of 256, intermediate 14 336, vocabulary 256 000, tied embedding):
   *   embedding 256 000 × 3584                                   =   917 504 000
   *   a layer: q 3584 × 4096 + k, v 2 × 3584 × 2048 + o 4096 × 3584 = 44 040 192
   *            gate, up 2 × 3584 × 14 336 + down 14 336 × 3584   =   154 140 672
   *            four RMSNorms 4 × 3584                            =        14 336
   *            together                                          =   198 195 200
   *   42 layers 8 324 198 400 + embedding + final norm 3584      = 9 241 705 984.
   * The report's 9 242 164 736 counts 256 128 embedding rows: 128 × 3584 = 458 752 more,
   * 917 504 more bytes of 16-bit weights. */
  { "gemma-2-9b", 42, 8, 256, 4096, 21, 0, 9241705984.0, 2113929216ull, 17907843072ull },
  /* https://huggingface.co/microsoft/Phi-3-mini-4k-instruct/blob/main/config.json: 32 layers,
   * 32 key/value heads, head 3072 / 32 = 96, sliding_window 2047.
   * 2 × 32 × 96 × 2 = 12 288 a position and layer; 8192 and 100 000 both
   * 32 × 12 288 × 2047 = 804 913 152. */
  { "phi-3-mini-4k", 32, 32, 96, 2047, 32, 0, 3821079552.0, 804913152ull, 804913152ull },
  /* https://huggingface.co/deepseek-ai/DeepSeek-V3/blob/main/config.json: 61 layers,
   * kv_lora_rank 512, qk_rope_head_dim 64: 576 values a position and layer, 1152 bytes;
   * × 61 = 70 272 a token. 8192: 575 668 224; 100 000: 7 027 200 000. 671 B parameters
   * (the paper; the repository adds the 14 B of the multi-token-prediction module). */
  { "deepseek-v3", 61, 128, 128, 0, 0, 576, 671e9, 575668224ull, 7027200000ull },
};

/* The cache by the formula, from the numbers above alone: bytes a value × values a position
 * and layer × positions, over the global and local layers (× 2 for an encoder-decoder's
 * cross-attention over as many source positions). */
static double
by_hand (const Published *pub,
         gint64           tokens,
         gint64           batch,
         double           bytes)
{
  double values = pub->latent > 0 ? pub->latent : 2.0 * pub->kv_heads * pub->head_dim;
  double windowed = pub->window > 0 ? MIN (tokens, pub->window) : tokens;
  double positions = (pub->layers - pub->local_layers) * (double) tokens
                     + pub->local_layers * windowed;

  if (g_str_equal (pub->id, "bert-base"))
    return 0.0;
  if (g_str_has_prefix (pub->id, "t5-"))
    positions *= 2;
  return bytes * values * positions * batch;
}

/* The float32 scales an int8 or int4 cache keeps beside its values (kvquant.h): 4 bytes per
 * row of a K/V head, for K and for V (a latent row: one), over the same positions. */
static double
scale_bytes (const Published *pub,
             gint64           tokens,
             gint64           batch)
{
  double rows = pub->latent > 0 ? 1.0 : 2.0 * pub->kv_heads;

  /* by_hand with a row's values replaced by its scales, at 4 bytes each */
  return by_hand (pub, tokens, batch, 4.0) * rows
         / (pub->latent > 0 ? pub->latent : 2.0 * pub->kv_heads * pub->head_dim);
}

static GPtrArray *
load_presets (void)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *presets = triad_llm_presets_load_default (&error);

  g_assert_no_error (error);
  g_assert_nonnull (presets);
  return presets;
}

static void
estimate (const TriadLlmPreset *p,
          const TriadKvOptions *o,
          TriadKvEstimate      *e)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (triad_kv_estimate (p, o, e, &error));
  g_assert_no_error (error);
}

static void
test_preset (gconstpointer data)
{
  const Published *pub = data;
  g_autoptr(GPtrArray) presets = load_presets ();
  const TriadLlmPreset *p = triad_llm_presets_find (presets, pub->id);
  TriadKvOptions o;
  TriadKvEstimate e;

  g_assert_nonnull (p);
  g_assert_cmpint (p->n_layers, ==, pub->layers);
  g_assert_cmpint (p->n_kv_heads, ==, pub->kv_heads);
  g_assert_cmpint (p->head_dim, ==, pub->head_dim);
  g_assert_cmpint (p->sliding_window, ==, pub->window);
  g_assert_cmpint (triad_llm_preset_n_local (p), ==, pub->local_layers);
  g_assert_cmpint (p->kv_lora_rank > 0 ? p->kv_lora_rank + p->qk_rope_head_dim : 0, ==,
                   pub->latent);
  g_assert_cmpfloat (p->params, ==, pub->params);
  g_assert_true (g_str_has_prefix (p->source, "https://"));

  /* the hand figures agree with the formula … */
  g_assert_cmpfloat (by_hand (pub, 8192, 1, 2.0), ==, (double) pub->kv_8k);
  g_assert_cmpfloat (by_hand (pub, 100000, 1, 2.0), ==, (double) pub->kv_100k);

  /* … and the model with both: f16, batch 1 */
  triad_kv_options_init (&o);
  o.tokens = 8192;
  estimate (p, &o, &e);
  g_assert_cmpuint (e.kv_bytes, ==, pub->kv_8k);
  g_assert_cmpfloat_with_epsilon (e.kv_bytes_f, (double) pub->kv_8k, 0.5);
  g_assert_cmpuint (e.weights_bytes, ==, (guint64) (pub->params * 2));
  g_assert_cmpuint (e.total_bytes, ==, pub->kv_8k + (guint64) (pub->params * 2));
  g_assert_false (e.overflow);
  o.tokens = 100000;
  estimate (p, &o, &e);
  g_assert_cmpuint (e.kv_bytes, ==, pub->kv_100k);

  /* batch 4 of int8 values (1 byte): twice the f16 figure at batch 1, and a 4-byte float32
   * scale per token, layer and K/V head for K and for V (kvquant.h) */
  o.tokens = 8192;
  o.batch = 4;
  o.kv_dtype = TRIAD_DTYPE_INT8;
  estimate (p, &o, &e);
  g_assert_cmpuint (e.kv_bytes, ==, pub->kv_8k * 4 / 2 + (guint64) scale_bytes (pub, 8192, 4));
  g_assert_cmpfloat (e.kv_bytes_f, ==, by_hand (pub, 8192, 4, 1.0) + scale_bytes (pub, 8192, 4));
  /* batch 3 of f32 (4 bytes) at 100 000 tokens, int4 weights (half a byte a parameter) */
  o.tokens = 100000;
  o.batch = 3;
  o.kv_dtype = TRIAD_DTYPE_F32;
  o.weight_dtype = TRIAD_DTYPE_INT4;
  estimate (p, &o, &e);
  g_assert_cmpuint (e.kv_bytes, ==, pub->kv_100k * 3 * 2);
  g_assert_cmpfloat (e.kv_bytes_f, ==, by_hand (pub, 100000, 3, 4.0));
  g_assert_cmpfloat (e.weights_bytes_f, ==, ceil (pub->params / 2));
}

/* ---- the kinds of attention --------------------------------------------------------- */

static void
test_window (void)
{
  g_autoptr(GPtrArray) presets = load_presets ();
  const TriadLlmPreset *p = triad_llm_presets_find (presets, "mistral-7b-v0.1");
  TriadKvOptions o;
  TriadKvEstimate e;

  triad_kv_options_init (&o);
  o.tokens = 100000;
  estimate (p, &o, &e);
  /* honoured: 32 layers × 131 072 / 32 bytes × 4096 positions */
  g_assert_true (e.window_honoured);
  g_assert_cmpuint (e.kv_bytes, ==, 536870912ull);
  g_assert_cmpint (e.n_groups, ==, 1);
  g_assert_cmpint (e.groups[0].kind, ==, TRIAD_KV_LAYER_LOCAL);
  g_assert_cmpint (e.groups[0].tokens, ==, 4096);
  /* --no-window: every position, 131 072 × 100 000 = 13 107 200 000 */
  o.ignore_window = TRUE;
  estimate (p, &o, &e);
  g_assert_false (e.window_honoured);
  g_assert_cmpuint (e.kv_bytes, ==, 13107200000ull);
  /* below the window the window changes nothing: 131 072 × 3000 = 393 216 000 */
  o.ignore_window = FALSE;
  o.tokens = 3000;
  estimate (p, &o, &e);
  g_assert_cmpuint (e.kv_bytes, ==, 393216000ull);
}

static void
test_gemma_alternating (void)
{
  g_autoptr(GPtrArray) presets = load_presets ();
  const TriadLlmPreset *p = triad_llm_presets_find (presets, "gemma-2-9b");
  TriadKvOptions o;
  TriadKvEstimate e;

  /* layer 0 slides, layer 1 sees everything, and so on (Gemma2DecoderLayer: is_sliding =
   * not layer_idx % 2) */
  g_assert_true (triad_llm_preset_layer_is_local (p, 0));
  g_assert_false (triad_llm_preset_layer_is_local (p, 1));
  g_assert_true (triad_llm_preset_layer_is_local (p, 40));
  g_assert_false (triad_llm_preset_layer_is_local (p, 41));

  triad_kv_options_init (&o);
  o.tokens = 100000;
  estimate (p, &o, &e);
  g_assert_cmpint (e.n_groups, ==, 2);
  g_assert_cmpint (e.groups[0].kind, ==, TRIAD_KV_LAYER_GLOBAL);
  g_assert_cmpint (e.groups[0].n_layers, ==, 21);
  g_assert_cmpint (e.groups[0].tokens, ==, 100000);
  g_assert_cmpuint (e.groups[0].bytes_per_token, ==, 8192);
  g_assert_cmpuint (e.groups[0].bytes, ==, 17203200000ull);   /* 21 × 8192 × 100 000 */
  g_assert_cmpint (e.groups[1].kind, ==, TRIAD_KV_LAYER_LOCAL);
  g_assert_cmpint (e.groups[1].n_layers, ==, 21);
  g_assert_cmpint (e.groups[1].tokens, ==, 4096);
  g_assert_cmpuint (e.groups[1].bytes, ==, 704643072ull);     /* 21 × 8192 × 4096 */
  /* the weights of the published checkpoint: 2 × 9 241 705 984 = 18 483 411 968 bytes, its
   * index's total_size (the report's count would give 18 484 329 472) */
  g_assert_cmpuint (e.weights_bytes, ==, 18483411968ull);
  /* under the window every layer holds everything: 42 × 8192 × 4000 = 1 376 256 000 */
  o.tokens = 4000;
  estimate (p, &o, &e);
  g_assert_cmpuint (e.kv_bytes, ==, 1376256000ull);
  /* without the window: 42 × 8192 × 100 000 = 34 406 400 000 */
  o.tokens = 100000;
  o.ignore_window = TRUE;
  estimate (p, &o, &e);
  g_assert_cmpuint (e.kv_bytes, ==, 34406400000ull);
}

static void
test_mla (void)
{
  g_autoptr(GPtrArray) presets = load_presets ();
  const TriadLlmPreset *p = triad_llm_presets_find (presets, "deepseek-v3");
  TriadKvOptions o;
  TriadKvEstimate e;

  triad_kv_options_init (&o);
  o.tokens = 1;
  estimate (p, &o, &e);
  /* 61 layers × (512 + 64) values × 2 bytes = 70 272 a token */
  g_assert_cmpuint (e.kv_bytes_per_token, ==, 70272);
  g_assert_cmpuint (e.kv_bytes, ==, 70272);
  g_assert_cmpint (e.groups[0].kind, ==, TRIAD_KV_LAYER_LATENT);
  g_assert_cmpuint (e.groups[0].bytes_per_token, ==, 1152);

  /* what if its 128 heads cached keys of 128 + 64 and values of 128, as plain multi-head
   * attention: 61 × 128 × (192 + 128) × 2 = 4 997 120 a token, 71 times more */
  o.attention = TRIAD_KV_MHA;
  estimate (p, &o, &e);
  g_assert_cmpuint (e.kv_bytes_per_token, ==, 4997120);
  g_assert_cmpint (e.groups[0].kind, ==, TRIAD_KV_LAYER_GLOBAL);
}

static void
test_encoder (void)
{
  g_autoptr(GPtrArray) presets = load_presets ();
  const TriadLlmPreset *p = triad_llm_presets_find (presets, "bert-base");
  TriadKvOptions o;
  TriadKvEstimate e;

  triad_kv_options_init (&o);
  o.tokens = 512;
  o.batch = 32;
  estimate (p, &o, &e);
  g_assert_false (e.cached);
  g_assert_cmpuint (e.kv_bytes, ==, 0);
  g_assert_cmpint (e.n_groups, ==, 0);
  /* 109 482 240 parameters × 2 bytes */
  g_assert_cmpuint (e.weights_bytes, ==, 218964480ull);
  g_assert_cmpuint (e.total_bytes, ==, 218964480ull);
  /* nothing grows: it fits a 12 GB GPU at any length */
  g_assert_cmpint (triad_kv_max_context (p, &o, 12e9), ==, -1);
}

static void
test_encdec (void)
{
  g_autoptr(GPtrArray) presets = load_presets ();
  const TriadLlmPreset *p = triad_llm_presets_find (presets, "t5-small");
  TriadKvOptions o;
  TriadKvEstimate e;

  /* 6 decoder layers × 2 × 8 × 64 × 2 bytes = 12 288 bytes a token, self and cross */
  triad_kv_options_init (&o);
  o.tokens = 1000;
  estimate (p, &o, &e);
  g_assert_cmpint (e.tokens, ==, 1000);
  g_assert_cmpint (e.source_tokens, ==, 1000);
  g_assert_cmpuint (e.self_kv_bytes, ==, 12288000ull);
  g_assert_cmpuint (e.cross_kv_bytes, ==, 12288000ull);
  g_assert_cmpuint (e.kv_bytes, ==, 24576000ull);
  g_assert_cmpuint (e.cross_bytes_per_token, ==, 12288);
  /* 300 source tokens: the cross K/V shrink to 12 288 × 300 = 3 686 400 */
  o.source_tokens = 300;
  estimate (p, &o, &e);
  g_assert_cmpuint (e.self_kv_bytes, ==, 12288000ull);
  g_assert_cmpuint (e.cross_kv_bytes, ==, 3686400ull);
  g_assert_cmpint (e.groups[e.n_groups - 1].kind, ==, TRIAD_KV_LAYER_CROSS);
  g_assert_cmpint (e.groups[e.n_groups - 1].tokens, ==, 300);
}

static void
test_paging (void)
{
  g_autoptr(GPtrArray) presets = load_presets ();
  TriadKvOptions o;
  TriadKvEstimate e;

  triad_kv_options_init (&o);
  o.paged = TRUE;
  /* 8193 tokens take 513 blocks of 16: 8208 positions × 131 072 = 1 075 838 976 */
  o.tokens = 8193;
  estimate (triad_llm_presets_find (presets, "llama-3-8b"), &o, &e);
  g_assert_cmpint (e.tokens, ==, 8208);
  g_assert_cmpuint (e.kv_bytes, ==, 1075838976ull);
  /* a whole number of blocks stays as it is */
  o.tokens = 8192;
  estimate (triad_llm_presets_find (presets, "llama-3-8b"), &o, &e);
  g_assert_cmpint (e.tokens, ==, 8192);
  /* per sequence: 17 tokens × 3 sequences take 3 × 32 positions, 131 072 × 96 = 12 582 912 */
  o.tokens = 17;
  o.batch = 3;
  estimate (triad_llm_presets_find (presets, "llama-3-8b"), &o, &e);
  g_assert_cmpuint (e.kv_bytes, ==, 12582912ull);
  /* Phi-3's 2047-token window fills 128 blocks, 2048 positions: 32 × 12 288 × 2048 */
  o.tokens = 8192;
  o.batch = 1;
  estimate (triad_llm_presets_find (presets, "phi-3-mini-4k"), &o, &e);
  g_assert_cmpint (e.groups[0].tokens, ==, 2048);
  g_assert_cmpuint (e.kv_bytes, ==, 805306368ull);
  /* the encoder-decoder rounds the source too: 20 → 32 */
  o.tokens = 20;
  estimate (triad_llm_presets_find (presets, "t5-small"), &o, &e);
  g_assert_cmpint (e.source_tokens, ==, 32);
  g_assert_cmpuint (e.kv_bytes, ==, 2ull * 12288 * 32);
}

static void
test_what_if (void)
{
  g_autoptr(GPtrArray) presets = load_presets ();
  const TriadLlmPreset *p = triad_llm_presets_find (presets, "llama-3-8b");
  g_autoptr(GError) error = NULL;
  TriadKvOptions o;
  TriadKvEstimate e;

  triad_kv_options_init (&o);
  o.tokens = 8192;
  /* MHA: 32 key/value heads, 2 × 32 × 128 × 2 × 32 = 524 288 a token, × 8192 */
  o.attention = TRIAD_KV_MHA;
  estimate (p, &o, &e);
  g_assert_cmpint (e.kv_heads, ==, 32);
  g_assert_cmpuint (e.kv_bytes, ==, 4294967296ull);
  /* MQA: one, 2 × 128 × 2 × 32 = 16 384 a token */
  o.attention = TRIAD_KV_MQA;
  estimate (p, &o, &e);
  g_assert_cmpint (e.kv_heads, ==, 1);
  g_assert_cmpuint (e.kv_bytes, ==, 134217728ull);
  /* GQA with 2 groups: 32 768 a token */
  o.attention = TRIAD_KV_GQA;
  o.gqa_groups = 2;
  estimate (p, &o, &e);
  g_assert_cmpuint (e.kv_bytes, ==, 268435456ull);
  /* 3 groups do not divide 32 heads */
  o.gqa_groups = 3;
  g_assert_false (triad_kv_estimate (p, &o, &e, &error));
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT);

  {
    TriadKvAttention a;
    int g = 0;

    g_assert_true (triad_kv_attention_parse ("gqa:4", &a, &g));
    g_assert_cmpint (a, ==, TRIAD_KV_GQA);
    g_assert_cmpint (g, ==, 4);
    g_assert_true (triad_kv_attention_parse ("mqa", &a, NULL));
    g_assert_cmpint (a, ==, TRIAD_KV_MQA);
    g_assert_false (triad_kv_attention_parse ("gqa:", &a, &g));
    g_assert_false (triad_kv_attention_parse ("gqa:0", &a, &g));
    g_assert_false (triad_kv_attention_parse ("gqa:4x", &a, &g));
    g_assert_false (triad_kv_attention_parse ("flash", &a, &g));
  }
}

/* ---- units and GPUs ---------------------------------------------------------------- */

static void
test_units (void)
{
  g_autoptr(GPtrArray) presets = load_presets ();
  const TriadLlmPreset *p = triad_llm_presets_find (presets, "llama-3-8b");
  g_autofree char *gb = triad_format_bytes (1073741824.0, TRIAD_MEM_UNIT_GB);
  g_autofree char *gib = triad_format_bytes (1073741824.0, TRIAD_MEM_UNIT_GIB);
  TriadKvOptions o;
  TriadKvEstimate e;
  TriadDtype d;

  g_assert_cmpfloat (triad_mem_unit_bytes (TRIAD_MEM_UNIT_GB), ==, 1e9);
  g_assert_cmpfloat (triad_mem_unit_bytes (TRIAD_MEM_UNIT_GIB), ==, 1073741824.0);
  g_assert_cmpfloat (triad_bytes_to_gib (1073741824.0), ==, 1.0);
  g_assert_cmpfloat (triad_bytes_to_gb (1073741824.0), ==, 1.073741824);
  g_assert_cmpfloat (triad_gpu_bytes (24, TRIAD_MEM_UNIT_GB), ==, 24e9);
  g_assert_cmpfloat (triad_gpu_bytes (24, TRIAD_MEM_UNIT_GIB), ==, 25769803776.0);
  /* 2³⁰ bytes are 1.1 GB and 1.0 GiB (g_format_size puts a no-break space before the unit) */
  g_assert_cmpstr (gb, ==, "1.1\u00a0GB");
  g_assert_cmpstr (gib, ==, "1.0\u00a0GiB");
  /* past 2⁶⁴ bytes (where g_format_size stops at 18.4 EB): the bounds' own f32 cache,
   * 1 032 192 × 10⁹ × 10⁶ = 1.032192 × 10²¹ bytes = 1.0 ZB; 10²⁴ = 1.0 YB; and beyond the
   * largest unit, 5 242 880 × 10²⁴ bytes = 5,242,880.0 YB; in binary units
   * 2⁸⁰ = 1.0 YiB and 3 × 2⁷⁰ = 3.0 ZiB */
  {
    g_autofree char *zb = triad_format_bytes (1.032192e21, TRIAD_MEM_UNIT_GB);
    g_autofree char *yb = triad_format_bytes (1e24, TRIAD_MEM_UNIT_GB);
    g_autofree char *many = triad_format_bytes (5.24288e30, TRIAD_MEM_UNIT_GB);
    g_autofree char *yib = triad_format_bytes (ldexp (1.0, 80), TRIAD_MEM_UNIT_GIB);
    g_autofree char *zib = triad_format_bytes (3.0 * ldexp (1.0, 70), TRIAD_MEM_UNIT_GIB);

    g_assert_cmpstr (zb, ==, "1.0\u00a0ZB");
    g_assert_cmpstr (yb, ==, "1.0\u00a0YB");
    g_assert_cmpstr (many, ==, "5,242,880.0\u00a0YB");
    g_assert_cmpstr (yib, ==, "1.0\u00a0YiB");
    g_assert_cmpstr (zib, ==, "3.0\u00a0ZiB");
  }

  g_assert_true (triad_dtype_from_string ("bf16", &d));
  g_assert_cmpfloat (triad_dtype_bytes (d), ==, 2.0);
  g_assert_cmpfloat (triad_dtype_bytes (TRIAD_DTYPE_INT4), ==, 0.5);
  g_assert_cmpfloat (triad_dtype_bytes (TRIAD_DTYPE_FP8), ==, 1.0);
  g_assert_false (triad_dtype_from_string ("f64", &d));

  /* 65 536 tokens: 16 060 522 496 + 131 072 × 65 536 = 24 650 457 088 bytes, over
   * 24 GB = 24 000 000 000 but under 24 GiB = 25 769 803 776 */
  triad_kv_options_init (&o);
  o.tokens = 65536;
  estimate (p, &o, &e);
  g_assert_cmpuint (e.total_bytes, ==, 24650457088ull);
  g_assert_false (triad_kv_estimate_fits (&e, triad_gpu_bytes (24, TRIAD_MEM_UNIT_GB)));
  g_assert_true (triad_kv_estimate_fits (&e, triad_gpu_bytes (24, TRIAD_MEM_UNIT_GIB)));
}

static void
test_fits (void)
{
  g_autoptr(GPtrArray) presets = load_presets ();
  const TriadLlmPreset *p = triad_llm_presets_find (presets, "llama-3-8b");
  const gboolean at_8k[] = { FALSE, FALSE, TRUE, TRUE, TRUE, TRUE };
  const gboolean at_100k[] = { FALSE, FALSE, FALSE, TRUE, TRUE, TRUE };
  TriadKvOptions o;
  TriadKvEstimate e;

  g_assert_cmpint (triad_gpu_sizes[2], ==, 24);
  triad_kv_options_init (&o);
  /* 8 k: 16 060 522 496 weights + 1 073 741 824 cache = 17 134 264 320: 24 GB and up */
  o.tokens = 8192;
  estimate (p, &o, &e);
  g_assert_cmpuint (e.total_bytes, ==, 17134264320ull);
  for (int i = 0; i < TRIAD_N_GPU_SIZES; i++)
    g_assert_cmpint (triad_kv_estimate_fits (&e, triad_gpu_sizes[i] * 1e9), ==, at_8k[i]);
  /* 100 k: + 13 107 200 000 = 29 167 722 496: no longer 24 GB, still 48 GB */
  o.tokens = 100000;
  estimate (p, &o, &e);
  g_assert_cmpuint (e.total_bytes, ==, 29167722496ull);
  for (int i = 0; i < TRIAD_N_GPU_SIZES; i++)
    g_assert_cmpint (triad_kv_estimate_fits (&e, triad_gpu_sizes[i] * 1e9), ==, at_100k[i]);

  /* where it stops fitting 24 GB: (24e9 − 16 060 522 496) / 131 072 = 60 573.4 tokens */
  g_assert_cmpint (triad_kv_max_context (p, &o, 24e9), ==, 60573);
  /* and 48 GB: (48e9 − 16 060 522 496) / 131 072 = 243 678.4 */
  g_assert_cmpint (triad_kv_max_context (p, &o, 48e9), ==, 243678);
  /* 16 GB cannot hold the 16.06 GB of weights */
  g_assert_cmpint (triad_kv_max_context (p, &o, 16e9), ==, 0);
  /* Mistral's window caps its cache at 536 870 912: with 14 483 464 192 of weights it fits
   * 16 GB at any length */
  g_assert_cmpint (triad_kv_max_context (triad_llm_presets_find (presets, "mistral-7b-v0.1"),
                                         &o, 16e9), ==, -1);
}

static void
test_no_overflow (void)
{
  g_autoptr(GPtrArray) presets = load_presets ();
  const TriadLlmPreset *p = triad_llm_presets_find (presets, "llama-3.1-405b");
  TriadKvOptions o;
  TriadKvEstimate e;

  /* 1 M tokens × 64 sequences × 516 096 bytes = 33 030 144 000 000 */
  triad_kv_options_init (&o);
  o.tokens = 1000000;
  o.batch = 64;
  estimate (p, &o, &e);
  g_assert_false (e.overflow);
  g_assert_cmpuint (e.kv_bytes, ==, 33030144000000ull);
  g_assert_cmpfloat_with_epsilon (e.kv_bytes_f / 33030144000000.0, 1.0, 1e-12);
  /* weights: 405 853 388 800 × 2 */
  g_assert_cmpuint (e.total_bytes, ==, 33030144000000ull + 811706777600ull);
  g_assert_true (e.beyond_context);

  /* the bounds themselves, in f32: 1 032 192 × 10⁹ × 10⁶ ≈ 1.03 × 10²¹ bytes, past 2⁶⁴:
   * the exact count saturates and says so, the double does not */
  o.tokens = TRIAD_KV_MAX_TOKENS;
  o.batch = TRIAD_KV_MAX_BATCH;
  o.kv_dtype = TRIAD_DTYPE_F32;
  estimate (p, &o, &e);
  g_assert_true (e.overflow);
  g_assert_cmpuint (e.kv_bytes, ==, G_MAXUINT64);
  g_assert_cmpfloat_with_epsilon (e.kv_bytes_f / 1.032192e21, 1.0, 1e-12);
  g_assert_false (triad_kv_estimate_fits (&e, 141e9));
}

static void
test_options (void)
{
  g_autoptr(GPtrArray) presets = load_presets ();
  const TriadLlmPreset *p = triad_llm_presets_find (presets, "gpt2");
  const gint64 bad_tokens[] = { 0, -5, TRIAD_KV_MAX_TOKENS + 1 };
  TriadKvOptions o;
  TriadKvEstimate e;

  for (guint i = 0; i < G_N_ELEMENTS (bad_tokens); i++)
    {
      g_autoptr(GError) error = NULL;

      triad_kv_options_init (&o);
      o.tokens = bad_tokens[i];
      g_assert_false (triad_kv_estimate (p, &o, &e, &error));
      g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT);
    }
  {
    g_autoptr(GError) error = NULL;

    triad_kv_options_init (&o);
    o.batch = 0;
    g_assert_false (triad_kv_estimate (p, &o, &e, &error));
    g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT);
  }
  /* GPT-2 was made for 1024 positions: 8192 is past them, and said to be */
  triad_kv_options_init (&o);
  estimate (p, &o, &e);
  g_assert_true (e.beyond_context);
  o.tokens = 1024;
  estimate (p, &o, &e);
  g_assert_false (e.beyond_context);
}

static void
test_custom (void)
{
  TriadLlmPreset *p = triad_llm_preset_new_custom ();
  g_autoptr(GError) error = NULL;
  TriadKvOptions o;
  TriadKvEstimate e;

  g_assert_cmpstr (p->id, ==, "custom");
  g_assert_true (triad_llm_preset_validate (p, &error));
  /* 10 layers, 4 key/value heads of 64, a 512-token window on every third layer (0, 3, 6, 9),
   * f32: 2 × 4 × 64 × 4 = 2048 bytes a position and layer;
   * 1000 tokens: 6 × 2048 × 1000 + 4 × 2048 × 512 = 12 288 000 + 4 194 304 = 16 482 304 */
  p->n_layers = 10;
  p->n_heads = 8;
  p->n_kv_heads = 4;
  p->head_dim = 64;
  p->sliding_window = 512;
  p->pattern_len = 3;
  p->pattern_local[0] = TRUE;
  p->pattern_local[1] = p->pattern_local[2] = FALSE;
  p->params = 1e9;
  triad_kv_options_init (&o);
  o.tokens = 1000;
  o.kv_dtype = TRIAD_DTYPE_F32;
  estimate (p, &o, &e);
  g_assert_cmpint (triad_llm_preset_n_local (p), ==, 4);
  g_assert_cmpuint (e.kv_bytes, ==, 16482304ull);
  g_assert_cmpuint (e.weights_bytes, ==, 2000000000ull);

  /* a preset that does not hold together is refused */
  p->n_kv_heads = 16;
  g_assert_false (triad_llm_preset_validate (p, &error));
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "n_kv_heads"));
  triad_llm_preset_free (p);
}

/* ---- the presets file -------------------------------------------------------------- */

static void
test_presets_file (void)
{
  g_autoptr(GPtrArray) presets = load_presets ();
  g_autofree char *file = triad_presets_file ();
  const char *ids[] = {
    "gpt2", "bert-base", "t5-small", "t5-base", "llama-2-7b", "llama-3-8b", "llama-3.1-8b",
    "llama-3-70b", "llama-3.1-405b", "mistral-7b-v0.1", "mixtral-8x7b", "qwen2.5-7b",
    "gemma-2-9b", "phi-3-mini-4k", "deepseek-v3",
  };

  g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (presets->len, ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      const TriadLlmPreset *p = g_ptr_array_index (presets, i);

      g_assert_cmpstr (p->id, ==, ids[i]);
      g_assert_nonnull (p->note);
    }
  g_assert_null (triad_llm_presets_find (presets, "gpt-5"));
  /* the contexts the configurations publish (max_position_embeddings): Llama 3 8B shipped
   * with 8192 tokens, Llama 3.1 8B with 131 072 */
  g_assert_cmpint (triad_llm_presets_find (presets, "llama-3-8b")->max_context, ==, 8192);
  g_assert_cmpint (triad_llm_presets_find (presets, "llama-3.1-8b")->max_context, ==, 131072);
}

static char *
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
  return path;
}

#define GOOD_FIELDS "\"name\": \"A\", \"source\": \"https://example.org\", \"params\": 1e9, " \
                    "\"arch\": \"decoder\", \"n_layers\": 2, \"n_heads\": 4, "             \
                    "\"head_dim\": 8, \"d_model\": 32, \"max_context\": 64"

static void
test_presets_broken (void)
{
  g_autofree char *dir = test_tmpdir ();
  struct {
    const char *contents;
    const char *says;
  } cases[] = {
    { "[{\"id\": \"a\", ", "cannot be read" },
    { "{\"id\": \"a\"}", "not a JSON array" },
    { "[]", "no preset" },
    { "[42]", "Preset 1" },
    { "[{\"id\": \"a\", " GOOD_FIELDS "}]", "n_kv_heads" },
    { "[{\"id\": \"a\", " GOOD_FIELDS ", \"n_kv_heads\": 8}]", "n_kv_heads" },
    { "[{\"id\": \"a\", " GOOD_FIELDS ", \"n_kv_heads\": \"four\"}]", "n_kv_heads" },
    { "[{\"id\": \"a\", " GOOD_FIELDS ", \"n_kv_heads\": 2.5}]", "n_kv_heads" },
    { "[{\"id\": \"a\", " GOOD_FIELDS ", \"n_kv_heads\": 2, \"sliding_window\": -1}]",
      "sliding_window" },
    { "[{\"id\": \"a\", " GOOD_FIELDS ", \"n_kv_heads\": 2, \"layer_pattern\": [\"local\"]}]",
      "layer_pattern" },
    { "[{\"id\": \"a\", " GOOD_FIELDS ", \"n_kv_heads\": 2, \"sliding_window\": 8, "
      "\"layer_pattern\": [\"near\"]}]", "layer_pattern" },
    { "[{\"id\": \"a\", " GOOD_FIELDS ", \"n_kv_heads\": 2}, {\"id\": \"a\", " GOOD_FIELDS
      ", \"n_kv_heads\": 2}]", "used twice" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("broken-%u.json", i);
      g_autofree char *path = write_file (dir, name, cases[i].contents);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) presets = triad_llm_presets_load (path, &error);

      g_test_message ("case %u: %s", i, error != NULL ? error->message : "(loaded)");
      g_assert_null (presets);
      g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG);
      g_assert_nonnull (strstr (error->message, cases[i].says));
    }

  /* the good one of them loads */
  {
    g_autofree char *path = write_file (dir, "good.json",
                                        "[{\"id\": \"a\", " GOOD_FIELDS ", \"n_kv_heads\": 2}]");
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) presets = triad_llm_presets_load (path, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (presets->len, ==, 1);
  }
  /* a missing file is not found, not broken */
  {
    g_autofree char *path = g_build_filename (dir, "missing.json", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_null (triad_llm_presets_load (path, &error));
    g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_NOT_FOUND);
  }
  test_rmdir (dir);
}

/* ---- triad kv ------------------------------------------------------------------------ */

static JsonObject *
parse_object (const char *text,
              JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

/* The sizes in the "fits" list, as "24 48 80 141", each checked to carry the unit. */
static char *
fits_sizes (JsonObject *o,
            const char *unit)
{
  JsonArray *fits = json_object_get_array_member (o, "fits");
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (fits); i++)
    {
      JsonObject *f = json_array_get_object_element (fits, i);

      g_assert_cmpstr (json_object_get_string_member (f, "unit"), ==, unit);
      g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i > 0 ? " " : "",
                              json_object_get_int_member (f, "size"));
    }
  return g_string_free (s, FALSE);
}

static void
test_cli_json (void)
{
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    TestRun r = test_run_cli ("kv", "--preset", "llama-3-8b", "--tokens", "8192", "--json",
                              NULL);
    JsonObject *o;
    g_autofree char *fits = NULL;

    g_assert_cmpstr (r.err, ==, "");
    g_assert_cmpint (r.status, ==, 0);
    o = parse_object (r.out, parser);
    g_assert_cmpint (json_object_get_int_member (o, "kv_bytes"), ==, 1073741824);
    g_assert_cmpint (json_object_get_int_member (o, "kv_bytes_per_token"), ==, 131072);
    g_assert_cmpint (json_object_get_int_member (o, "weights_bytes"), ==, 16060522496);
    g_assert_cmpint (json_object_get_int_member (o, "total_bytes"), ==, 17134264320);
    g_assert_cmpint (json_object_get_int_member (o, "tokens_cached"), ==, 8192);
    g_assert_true (json_object_get_boolean_member (o, "cached"));
    g_assert_cmpstr (json_object_get_string_member (o, "unit"), ==, "GB");
    fits = fits_sizes (o, "GB");
    g_assert_cmpstr (fits, ==, "24 48 80 141");
    test_run_clear (&r);
  }
  {
    /* 100 k: 29.2 GB, out of 24 GB */
    g_autoptr(JsonParser) parser = json_parser_new ();
    TestRun r = test_run_cli ("kv", "--preset", "llama-3-8b", "--tokens", "100000", "--json",
                              NULL);
    g_autofree char *fits = NULL;

    g_assert_cmpint (r.status, ==, 0);
    fits = fits_sizes (parse_object (r.out, parser), "GB");
    g_assert_cmpstr (fits, ==, "48 80 141");
    test_run_clear (&r);
  }
  {
    /* 65 536 tokens: 24.65 × 10⁹ bytes fit 24 GiB */
    g_autoptr(JsonParser) parser = json_parser_new ();
    TestRun r = test_run_cli ("kv", "--preset", "llama-3-8b", "--tokens", "65536",
                              "--gpu-unit", "gib", "--json", NULL);
    JsonObject *o;
    g_autofree char *fits = NULL;

    g_assert_cmpint (r.status, ==, 0);
    o = parse_object (r.out, parser);
    fits = fits_sizes (o, "GiB");
    g_assert_cmpstr (fits, ==, "24 48 80 141");
    g_assert_cmpfloat (json_object_get_double_member (o, "unit_bytes"), ==, 1073741824.0);
    test_run_clear (&r);
  }
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    TestRun r = test_run_cli ("kv", "--preset", "t5-small", "--tokens", "1000", "--json", NULL);
    JsonObject *o;

    g_assert_cmpint (r.status, ==, 0);
    o = parse_object (r.out, parser);
    g_assert_cmpint (json_object_get_int_member (o, "self_kv_bytes"), ==, 12288000);
    g_assert_cmpint (json_object_get_int_member (o, "cross_kv_bytes"), ==, 12288000);
    g_assert_cmpint (json_object_get_int_member (o, "source_tokens"), ==, 1000);
    g_assert_cmpint (json_object_get_int_member (o, "target_tokens"), ==, 1000);
    g_assert_nonnull (strstr (json_object_get_string_member (o, "explanation"),
                              "--source-tokens"));
    test_run_clear (&r);
  }
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    TestRun r = test_run_cli ("kv", "--preset", "t5-small", "--tokens", "1000",
                              "--source-tokens", "300", "--json", NULL);
    JsonObject *o;

    g_assert_cmpint (r.status, ==, 0);
    o = parse_object (r.out, parser);
    g_assert_cmpint (json_object_get_int_member (o, "cross_kv_bytes"), ==, 3686400);
    g_assert_cmpint (json_object_get_int_member (o, "kv_bytes"), ==, 12288000 + 3686400);
    test_run_clear (&r);
  }
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    TestRun r = test_run_cli ("kv", "--preset", "bert-base", "--tokens", "512", "--json", NULL);
    JsonObject *o;

    g_assert_cmpint (r.status, ==, 0);
    o = parse_object (r.out, parser);
    g_assert_false (json_object_get_boolean_member (o, "cached"));
    g_assert_cmpint (json_object_get_int_member (o, "kv_bytes"), ==, 0);
    g_assert_nonnull (strstr (json_object_get_string_member (o, "explanation"),
                              "no KV cache"));
    test_run_clear (&r);
  }
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    TestRun r = test_run_cli ("kv", "--preset", "llama-3-8b", "--tokens", "8193", "--paged",
                              "--kv-dtype", "fp8", "--batch", "2", "--json", NULL);
    JsonObject *o;

    g_assert_cmpint (r.status, ==, 0);
    o = parse_object (r.out, parser);
    /* 8208 positions × 2 sequences × 65 536 bytes (fp8) = 1 075 838 976 */
    g_assert_cmpint (json_object_get_int_member (o, "tokens"), ==, 8193);
    g_assert_cmpint (json_object_get_int_member (o, "tokens_cached"), ==, 8208);
    g_assert_cmpint (json_object_get_int_member (o, "kv_bytes"), ==, 1075838976);
    test_run_clear (&r);
  }
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    TestRun r = test_run_cli ("kv", "--preset", "mistral-7b-v0.1", "--tokens", "100000",
                              "--no-window", "--attention", "mqa", "--json", NULL);
    JsonObject *o;

    g_assert_cmpint (r.status, ==, 0);
    o = parse_object (r.out, parser);
    /* one key/value head, every position: 2 × 128 × 2 × 32 × 100 000 = 1 638 400 000 */
    g_assert_cmpint (json_object_get_int_member (o, "kv_bytes"), ==, 1638400000);
    g_assert_false (json_object_get_boolean_member (o, "window_honoured"));
    test_run_clear (&r);
  }
  {
    /* the custom preset: 4 layers of 2 key/value heads of 16, f32, 10 tokens:
     * 2 × 2 × 16 × 4 × 4 × 10 = 10 240 */
    g_autoptr(JsonParser) parser = json_parser_new ();
    TestRun r = test_run_cli ("kv", "--preset", "custom", "--layers", "4", "--heads", "4",
                              "--kv-heads", "2", "--head-dim", "16", "--params", "1e6",
                              "--tokens", "10", "--kv-dtype", "f32", "--json", NULL);
    JsonObject *o;

    g_assert_cmpstr (r.err, ==, "");
    g_assert_cmpint (r.status, ==, 0);
    o = parse_object (r.out, parser);
    g_assert_cmpint (json_object_get_int_member (o, "kv_bytes"), ==, 10240);
    g_assert_cmpint (json_object_get_int_member (o, "weights_bytes"), ==, 2000000);
    test_run_clear (&r);
  }
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    TestRun r = test_run_cli ("kv", "--list", "--json", NULL);

    g_assert_cmpint (r.status, ==, 0);
    json_parser_load_from_data (parser, r.out, -1, NULL);
    g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
    /* one entry per preset of llms.json, 15 */
    g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))),
                      ==, 15);
    test_run_clear (&r);
  }
}

static void
test_cli_text (void)
{
  TestRun r = test_run_cli ("kv", "--preset", "llama-3-8b", "--tokens", "8192", NULL);

  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "Llama 3 8B"));
  /* English groups thousands with commas whatever the process locale (the tests run in C,
   * whose printf "%'d" groups nothing): 131 072 × 8192 = 1 073 741 824 bytes */
  g_assert_nonnull (strstr (r.out, "(1,073,741,824 bytes)"));
  g_assert_nonnull (strstr (r.out, "24 GB"));
  g_assert_nonnull (strstr (r.out, "60,573 tokens"));
  g_assert_nonnull (strstr (r.out, "GB = 10⁹ bytes"));
  test_run_clear (&r);

  r = test_run_cli ("kv", "--preset", "bert-base", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "no KV cache"));
  test_run_clear (&r);

  r = test_run_cli ("kv", "--list", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "deepseek-v3"));
  test_run_clear (&r);
}

static void
test_cli_errors (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *broken = write_file (dir, "broken.json", "[{\"id\": 3}]");
  g_autofree char *missing = g_build_filename (dir, "missing.json", NULL);
  struct {
    const char *args[8];
    int         status;
    const char *says;
  } cases[] = {
    { { "--preset", "gpt-5" }, 2, "gpt-5" },
    { { "--tokens", "100" }, 2, "--preset" },
    { { "--preset", "gpt2", "--tokens", "0" }, 2, "--tokens" },
    { { "--preset", "gpt2", "--tokens", "-4" }, 2, "--tokens" },
    { { "--preset", "gpt2", "--tokens", "1000000001" }, 2, "--tokens" },
    { { "--preset", "gpt2", "--tokens", "many" }, 2, "many" },
    { { "--preset", "gpt2", "--kv-dtype", "f64" }, 2, "f64" },
    { { "--preset", "gpt2", "--weight-dtype", "int2" }, 2, "int2" },
    { { "--preset", "gpt2", "--attention", "flash" }, 2, "flash" },
    { { "--preset", "llama-3-8b", "--attention", "gqa:3" }, 2, "divides" },
    { { "--preset", "gpt2", "--gpu-unit", "tb" }, 2, "tb" },
    { { "--preset", "gpt2", "--batch", "0" }, 2, "--batch" },
    { { "--preset", "gpt2", "--source-tokens", "10" }, 2, "encoder-decoder" },
    { { "--preset", "gpt2", "--kv-heads", "24" }, 2, "n_kv_heads" },
    /* numbers are decimal: GOption's own parsing read 0x10 as 16 (and 010 as 8) */
    { { "--preset", "gpt2", "--tokens", "0x10" }, 2,
      "--tokens takes a whole number in decimal digits, not “0x10”" },
    { { "--preset", "gpt2", "--batch", "0x2" }, 2, "--batch takes a whole number" },
    { { "--preset", "gpt2", "--window", "1e3" }, 2, "--window takes a whole number" },
    { { "--preset", "gpt2", "--source-tokens", "+5" }, 2, "--source-tokens takes" },
    /* NaN was "not given" inside, and went unseen; infinity and negatives are no counts */
    { { "--preset", "gpt2", "--params", "nan" }, 2, "--params takes a decimal number" },
    { { "--preset", "gpt2", "--params", "inf" }, 2, "--params takes a decimal number" },
    { { "--preset", "gpt2", "--params", "0x1p30" }, 2, "--params takes a decimal number" },
    { { "--preset", "gpt2", "--params", "-7e9" }, 2, "--params must be above 0" },
    /* 2³¹ said "must be at least 1": it is too large, and the bound is named (the limits
     * the presets file has: 100 000 layers and heads, heads of 65 536) */
    { { "--preset", "gpt2", "--layers", "2147483648" }, 2,
      "--layers is too large: at most 100,000, not 2147483648" },
    { { "--preset", "gpt2", "--heads", "2147483648" }, 2,
      "--heads is too large: at most 100,000" },
    { { "--preset", "gpt2", "--kv-heads", "2147483648" }, 2,
      "--kv-heads is too large: at most 100,000" },
    { { "--preset", "gpt2", "--head-dim", "2147483648" }, 2,
      "--head-dim is too large: at most 65,536" },
    { { "--preset", "gpt2", "--max-context", "99999999999999999999" }, 2,
      "--max-context is too large: at most 1,000,000,000" },
    { { "--preset", "gpt2", "--layers", "0" }, 2, "--layers must be at least 1, not 0" },
    { { "--preset", "gpt2", "--presets", broken }, 1, "broken.json" },
    { { "--preset", "gpt2", "--presets", missing }, 1, "missing.json" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      TestRun r = { 0 };
      size_t out_len, err_len;
      FILE *out = open_memstream (&r.out, &out_len);
      FILE *err = open_memstream (&r.err, &err_len);
      const char *newline;

      g_ptr_array_add (args, (char *) "kv");
      for (guint a = 0; cases[i].args[a] != NULL; a++)
        g_ptr_array_add (args, (char *) cases[i].args[a]);
      g_ptr_array_add (args, NULL);
      r.status = triad_cli_run (args->len - 1, (char **) args->pdata, out, err);
      fclose (out);
      fclose (err);
      g_test_message ("case %u: %s", i, r.err);
      g_assert_cmpint (r.status, ==, cases[i].status);
      g_assert_nonnull (strstr (r.err, cases[i].says));
      g_assert_true (g_str_has_prefix (r.err, "triad kv: "));
      /* one line, and nothing on standard output */
      newline = strchr (r.err, '\n');
      g_assert_nonnull (newline);
      g_assert_cmpstr (newline + 1, ==, "");
      g_assert_cmpstr (r.out, ==, "");
      test_run_clear (&r);
    }
  test_rmdir (dir);
}

/* `triad kv`'s numbers: decimal, past 2⁶⁴ bytes, the latent cache, the usage line. */
static void
test_cli_numbers (void)
{
  {
    /* "010" is ten tokens, not octal 8: GPT-2 caches 2 × 12 heads × 64 × 2 bytes × 12 layers
     * = 36 864 bytes a token, so 368 640 bytes (it was 294 912) */
    g_autoptr(JsonParser) parser = json_parser_new ();
    TestRun r = test_run_cli ("kv", "--preset", "gpt2", "--tokens", "010", "--json", NULL);
    JsonObject *o;

    g_assert_cmpstr (r.err, ==, "");
    g_assert_cmpint (r.status, ==, 0);
    o = parse_object (r.out, parser);
    g_assert_cmpint (json_object_get_int_member (o, "tokens"), ==, 10);
    g_assert_cmpint (json_object_get_int_member (o, "kv_bytes"), ==, 368640);
    test_run_clear (&r);
  }
  {
    /* the bounds in f32: Llama 3.1 405B caches 2 × 8 heads × 128 × 4 bytes × 126 layers
     * = 1 032 192 bytes a token; × 10⁹ tokens × 10⁶ sequences = 1 032 192 × 10¹⁵ bytes,
     * 1.0 ZB, which was clamped to 18.4 EB. The weights, 2 × 405 853 388 800 =
     * 811 706 777 600 bytes, make 1 032 192 000 811 706 777 600 in all: its first 15
     * digits 103 219 200 081 171 (rounded), then zeros. */
    g_autoptr(JsonParser) parser = json_parser_new ();
    TestRun r = test_run_cli ("kv", "--preset", "llama-3.1-405b", "--tokens", "1000000000",
                              "--batch", "1000000", "--kv-dtype", "f32", NULL);
    JsonObject *o;

    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "1.0\u00a0ZB (about 1,032,192,000,000,000,000,000 bytes)"));
    g_assert_nonnull (strstr (r.out,
                              "1.0\u00a0ZB (about 1,032,192,000,811,710,000,000 bytes)"));
    g_assert_null (strstr (r.out, "EB"));
    test_run_clear (&r);

    r = test_run_cli ("kv", "--preset", "llama-3.1-405b", "--tokens", "1000000000",
                      "--batch", "1000000", "--kv-dtype", "f32", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    o = parse_object (r.out, parser);
    g_assert_true (json_object_get_boolean_member (o, "overflow"));
    g_assert_cmpfloat (json_object_get_double_member (o, "kv_bytes"), ==, 1.032192e21);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "total_bytes")
                                    / 1.0321920008117068e21, 1.0, 1e-15);
    /* in GB: 1 032 192 × 10⁶ */
    g_assert_cmpfloat (json_object_get_double_member (o, "kv"), ==, 1.032192e12);
    test_run_clear (&r);
  }
}

static void
test_cli_latent (void)
{
  {
    /* DeepSeek-V3's config.json: kv_lora_rank 512, qk_rope_head_dim 64, 61 layers: a token
     * caches 2 bytes × 61 × (512 + 64) = 70 272 bytes, not 128 heads' keys and values */
    g_autoptr(JsonParser) parser = json_parser_new ();
    TestRun r = test_run_cli ("kv", "--preset", "deepseek-v3", "--json", NULL);
    JsonObject *o;

    g_assert_cmpint (r.status, ==, 0);
    o = parse_object (r.out, parser);
    g_assert_cmpint (json_object_get_int_member (o, "kv_lora_rank"), ==, 512);
    g_assert_cmpint (json_object_get_int_member (o, "qk_rope_head_dim"), ==, 64);
    g_assert_true (json_object_get_boolean_member (o, "latent"));
    g_assert_cmpint (json_object_get_int_member (o, "kv_bytes_per_token"), ==, 70272);
    test_run_clear (&r);

    /* a what-if is no longer latent */
    r = test_run_cli ("kv", "--preset", "deepseek-v3", "--attention", "mha", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_clear_object (&parser);
    parser = json_parser_new ();
    o = parse_object (r.out, parser);
    g_assert_false (json_object_get_boolean_member (o, "latent"));
    test_run_clear (&r);
  }
  {
    TestRun r = test_run_cli ("kv", "--preset", "deepseek-v3", NULL);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "multi-head latent attention caching a latent of 512 "
                                     "values and a rotary key of 64 per token and layer"));
    g_assert_nonnull (strstr (r.out, "a latent of 512 values + a rotary key of 64 per token "
                                     "and layer"));
    /* 70 272 bytes = 68.6 KiB */
    g_assert_nonnull (strstr (r.out, "68.6\u00a0KiB (70,272 bytes) in all 61 layers"));
    g_assert_null (strstr (r.out, "128 key/value heads"));
    test_run_clear (&r);
  }
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    TestRun r = test_run_cli ("kv", "--list", "--json", NULL);
    JsonArray *list;
    gboolean seen = FALSE;

    g_assert_cmpint (r.status, ==, 0);
    json_parser_load_from_data (parser, r.out, -1, NULL);
    list = json_node_get_array (json_parser_get_root (parser));
    for (guint i = 0; i < json_array_get_length (list); i++)
      {
        JsonObject *p = json_array_get_object_element (list, i);
        gboolean mla = g_str_equal (json_object_get_string_member (p, "id"), "deepseek-v3");

        g_assert_cmpint (json_object_get_int_member (p, "kv_lora_rank"), ==, mla ? 512 : 0);
        g_assert_cmpint (json_object_get_int_member (p, "qk_rope_head_dim"), ==, mla ? 64 : 0);
        seen |= mla;
      }
    g_assert_true (seen);
    test_run_clear (&r);
  }
}

static void
test_cli_usage (void)
{
  /* --tokens is optional (8192) and the overrides are there */
  const char *shown[] = { "triad kv --preset ID|custom [--tokens N]", "[--source-tokens N]",
                          "[--layers N]", "[--heads N]", "[--kv-heads N]", "[--head-dim N]",
                          "[--window N]", "[--max-context N]", "[--params N]",
                          "triad kv --list" };
  g_autofree char *help = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { TRIAD_BUILD_DIR "/src/triad", "kv", "--help", NULL };
  int wait_status;
  TestRun r = test_run_cli ("kv", NULL);

  g_assert_cmpint (r.status, ==, 2);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &help,
                               NULL, &wait_status, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    {
      g_assert_nonnull (strstr (help, shown[i]));
      /* the error's one line gives the --preset form */
      if (i + 1 < G_N_ELEMENTS (shown))
        g_assert_nonnull (strstr (r.err, shown[i]));
    }
  g_assert_null (strstr (help, "--tokens N ["));
  test_run_clear (&r);
}

/* ---- the figures -------------------------------------------------------------------- */

/* The PNG at path is width × height and not a blank page: some pixels differ from the
 * top-left one (the background). */
static void
assert_png_drawn (const char *path,
                  int         width,
                  int         height)
{
  cairo_surface_t *png = cairo_image_surface_create_from_png (path);
  const guint8 *data;
  int stride, differing = 0;
  guint32 bg;

  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, width);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, height);
  data = cairo_image_surface_get_data (png);
  stride = cairo_image_surface_get_stride (png);
  bg = *(const guint32 *) data;
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      differing += *(const guint32 *) (data + (size_t) y * stride + 4 * x) != bg;
  /* axes, curves, bands and labels cover far more than 1 % of the figure */
  g_assert_cmpint (differing, >, width * height / 100);
  cairo_surface_destroy (png);
}

static void
test_export (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *png = g_build_filename (dir, "kv.png", NULL);

  /* what `triad export --view kv` runs: two models, at twice the size in pixels */
  {
    const char *argv[] = { "export", "--view", "kv", "--preset", "llama-3-8b,mistral-7b-v0.1",
                           "--out", png, "--width", "600", "--height", "400", "--scale", "2",
                           NULL };
    char *out_text = NULL, *err_text = NULL;
    size_t out_len, err_len;
    FILE *out = open_memstream (&out_text, &out_len);
    FILE *err = open_memstream (&err_text, &err_len);
    int status = triad_cli_export_kv (G_N_ELEMENTS (argv) - 1, (char **) argv, out, err);

    fclose (out);
    fclose (err);
    g_assert_cmpstr (err_text, ==, "");
    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (out_text, "\"width\":1200"));
    assert_png_drawn (png, 1200, 800);
    g_free (out_text);
    g_free (err_text);
  }
  {
    const char *argv[] = { "export", "--preset", "gemma-2-9b", "--chart", "bars", "--out", png,
                           "--width", "300", "--height", "240", "--theme", "dark",
                           "--font-scale", "2", "--gpu-unit", "gib", NULL };
    char *out_text = NULL, *err_text = NULL;
    size_t out_len, err_len;
    FILE *out = open_memstream (&out_text, &out_len);
    FILE *err = open_memstream (&err_text, &err_len);
    int status = triad_cli_export_kv (G_N_ELEMENTS (argv) - 1, (char **) argv, out, err);

    fclose (out);
    fclose (err);
    g_assert_cmpstr (err_text, ==, "");
    g_assert_cmpint (status, ==, 0);
    assert_png_drawn (png, 300, 240);
    g_free (out_text);
    g_free (err_text);
  }
  {
    /* a bad preset writes nothing */
    const char *argv[] = { "export", "--view", "kv", "--preset", "nope", "--out", png, NULL };
    char *out_text = NULL, *err_text = NULL;
    size_t out_len, err_len;
    FILE *out = open_memstream (&out_text, &out_len);
    FILE *err = open_memstream (&err_text, &err_len);
    int status;

    g_unlink (png);
    status = triad_cli_export_kv (G_N_ELEMENTS (argv) - 1, (char **) argv, out, err);
    fclose (out);
    fclose (err);
    g_assert_cmpint (status, ==, 2);
    g_assert_nonnull (strstr (err_text, "nope"));
    g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
    g_free (out_text);
    g_free (err_text);
  }
  test_rmdir (dir);
}

static void
test_chart_hit (void)
{
  const double tokens[] = { 1000, 10000, 100000, 1000000 };
  const double kv[] = { 131072e3, 131072e4, 131072e5, 131072e6 };
  const double gpus[] = { 24e9, 80e9 };
  TriadMemorySeries s = { "Llama 3 8B", tokens, kv, 4, 16060522496.0 };
  TriadMemoryChart c = {
    .series = &s, .n_series = 1, .gpu_bytes = gpus, .n_gpus = 2, .log_x = TRUE,
    .log_y = TRUE, .stack_weights = TRUE, .title = "KV", .hover_tokens = 100000,
  };
  TriadFigureStyle style;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 640, 400);
  cairo_t *cr = cairo_create (surface);
  double left, mid, right;

  triad_figure_style_init (&style, FALSE);
  /* the whole plot spans 1 k to 1 M tokens, log: further right is longer */
  left = triad_memory_chart_hit (&c, &style, 640, 400, 120, 200);
  mid = triad_memory_chart_hit (&c, &style, 640, 400, 380, 200);
  right = triad_memory_chart_hit (&c, &style, 640, 400, 600, 200);
  g_assert_cmpfloat (left, >=, 1000.0);
  g_assert_cmpfloat (left, <, mid);
  g_assert_cmpfloat (mid, <, right);
  g_assert_cmpfloat (right, <=, 1e6);
  /* outside the plot: the title, the margin */
  g_assert_cmpfloat (triad_memory_chart_hit (&c, &style, 640, 400, 320, 2), ==, -1.0);
  g_assert_cmpfloat (triad_memory_chart_hit (&c, &style, 640, 400, 1, 200), ==, -1.0);
  /* the readout draws, in any font scale */
  style.font_scale = 2.0;
  triad_memory_chart_draw (cr, &c, &style, 640, 400);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);

  /* the live panel's growth: 2 layers over 3 samples, with timings; a tiny size draws
   * nothing and hits nothing */
  {
    const double t[] = { 16, 32, 48 };
    const double bytes[] = { 100, 100, 200, 200, 300, 300 };
    const double with[] = { 0.01, 0.01, 0.01 }, without[] = { 0.01, 0.02, 0.03 };
    TriadKvGrowth gr = {
      .tokens = t, .layer_bytes = bytes, .n_samples = 3, .n_layers = 2,
      .step_seconds_cached = with, .step_seconds_uncached = without,
      .cmap = TRIAD_COLORMAP_VIRIDIS, .title = "cache", .hover = 1,
    };

    style.font_scale = 1.0;
    triad_kv_growth_draw (cr, &gr, &style, 640, 400);
    g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
    g_assert_cmpint (triad_kv_growth_hit (&gr, &style, 640, 400, 630, 200), ==, -1);
    g_assert_cmpint (triad_kv_growth_hit (&gr, &style, 20, 20, 10, 10), ==, -1);
    triad_kv_growth_draw (cr, &gr, &style, 20, 20);
  }
  {
    g_autofree char *a = triad_format_size_short (1.0e9, FALSE, 1);
    g_autofree char *b = triad_format_size_short (12.5e9, FALSE, 1);
    g_autofree char *k8 = triad_figure_format_tokens (8192);
    g_autofree char *k100 = triad_figure_format_tokens (100000);
    g_autofree char *m1 = triad_figure_format_tokens (1e6);

    g_assert_cmpstr (a, ==, "1.0 GB");
    g_assert_cmpstr (b, ==, "12.5 GB");
    g_assert_cmpstr (k8, ==, "8 k");
    g_assert_cmpstr (k100, ==, "100 k");
    g_assert_cmpstr (m1, ==, "1 M");
  }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (published); i++)
    {
      g_autofree char *path = g_strdup_printf ("/engine/memory/preset/%s", published[i].id);
      g_test_add_data_func (path, &published[i], test_preset);
    }
  g_test_add_func ("/engine/memory/window", test_window);
  g_test_add_func ("/engine/memory/gemma-alternating", test_gemma_alternating);
  g_test_add_func ("/engine/memory/mla", test_mla);
  g_test_add_func ("/engine/memory/encoder", test_encoder);
  g_test_add_func ("/engine/memory/encdec", test_encdec);
  g_test_add_func ("/engine/memory/paging", test_paging);
  g_test_add_func ("/engine/memory/what-if", test_what_if);
  g_test_add_func ("/engine/memory/units", test_units);
  g_test_add_func ("/engine/memory/fits", test_fits);
  g_test_add_func ("/engine/memory/no-overflow", test_no_overflow);
  g_test_add_func ("/engine/memory/options", test_options);
  g_test_add_func ("/engine/memory/custom", test_custom);
  g_test_add_func ("/engine/memory/presets-file", test_presets_file);
  g_test_add_func ("/engine/memory/presets-broken", test_presets_broken);
  g_test_add_func ("/engine/memory/cli/json", test_cli_json);
  g_test_add_func ("/engine/memory/cli/text", test_cli_text);
  g_test_add_func ("/engine/memory/cli/errors", test_cli_errors);
  g_test_add_func ("/engine/memory/cli/numbers", test_cli_numbers);
  g_test_add_func ("/engine/memory/cli/latent", test_cli_latent);
  g_test_add_func ("/engine/memory/cli/usage", test_cli_usage);
  g_test_add_func ("/engine/memory/figure/export", test_export);
  g_test_add_func ("/engine/memory/figure/chart", test_chart_hit);
  return g_test_run ();
}
