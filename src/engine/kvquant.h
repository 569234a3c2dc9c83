/* kvquant.h — the decoder's KV cache stored in fewer bits: f16, bf16, int8 and int4.
 *
 * A cached row is one position's K (or V) in one layer: kv_heads heads of head_dim values.
 *   f32, f16, bf16  the values, 4 or 2 bytes each (f16 and bf16 rounded to nearest, ties even)
 *   int8            per head: a float32 scale s = max |x| / 127, then round (x / s) as int8
 *   int4            per head: a float32 scale s = max |x| / 7, then round (x / s) in −7 … 7,
 *                   two to a byte (low nibble first)
 * so int8 and int4 scales are per token and per head, and a value read back is off by at most
 * s / 2: max |x| / 254 for int8, max |x| / 14 for int4, the max taken over its head's row. */
#pragma once

#include <glib.h>

#include <gio/gio.h>

#include "engine/memory.h"
#include "engine/model.h"

G_BEGIN_DECLS

/* Whether the live cache can store in this format (f32, f16, bf16, int8, int4; not fp8). */
gboolean triad_kv_dtype_supported  (TriadDtype    dtype);
/* Bytes of one cached row; head_dim even for int4. */
size_t   triad_kv_row_bytes        (TriadDtype    dtype,
                                    int           kv_heads,
                                    int           head_dim);
void     triad_kv_quantize_row     (TriadDtype    dtype,
                                    const float  *x,
                                    guint8       *out,
                                    int           kv_heads,
                                    int           head_dim);
void     triad_kv_dequantize_row   (TriadDtype    dtype,
                                    const guint8 *in,
                                    float        *x,
                                    int           kv_heads,
                                    int           head_dim);

G_END_DECLS

G_BEGIN_DECLS

/* What storing the cache in a format costs, measured against the f32 cache on the same text:
 * both caches read the prompt, then the tokens the f32 cache's greedy decoding chooses. */
typedef struct {
  int    steps;             /* next-token predictions compared: after the prompt, then after
                             * each token fed */
  int    changed;           /* those where the quantized cache's greedy token differs */
  double max_weight_diff;   /* the largest |Δ| of any attention weight, any layer and head,
                             * over the prompt's pass and every step */
  int    worst_layer;       /* where it is */
  int    worst_head;
  size_t bytes;             /* the caches' bytes at the end */
  size_t bytes_f32;
} TriadKvQuantReport;

/* For a decoder-only model the prompt is the decoder's; for an encoder-decoder the source,
 * the target starting from the model's start token. */
gboolean triad_kv_quant_compare (const TriadModel   *model,
                                 const int          *prompt,
                                 int                 n_prompt,
                                 int                 n_steps,
                                 TriadDtype          dtype,
                                 TriadKvQuantReport *report,
                                 GCancellable       *cancellable,
                                 GError            **error);

G_END_DECLS
