/* kv-scene-private.h — what the KV scene's files share: the scene's fields and the helpers
 * its live half (kv-scene.c) and its projection half (kv-scene-projection.c) both use. Not
 * for use outside src/scenes/kv-scene*.c. */
#pragma once

#include <glib.h>

#include "scenes/kv-scene.h"

G_BEGIN_DECLS

typedef struct {
  GArray *tokens;   /* (double) */
  GArray *kv;       /* (double) */
} Curve;

struct _TriadKvScene
{
  TriadKvSceneOptions opt;

  /* the projection */
  TriadLlmPreset    *presets[TRIAD_KV_SCENE_MAX_SERIES];
  int                n_presets;
  gboolean           has_estimate;
  TriadKvEstimate    estimate;
  Curve              curves[TRIAD_KV_SCENE_MAX_SERIES];
  TriadMemorySeries  series[TRIAD_KV_SCENE_MAX_SERIES];
  double             bar_kv[2];
  double             bar_weights[2];
  char              *bar_labels[2];
  double             gpu_bytes[TRIAD_N_GPU_SIZES];
  char              *gpu_labels[TRIAD_N_GPU_SIZES];
  char              *chart_title;
  char              *bars_title;
  char              *readout;
  gboolean           readout_is_error;
  TriadMemoryChart   chart;
  TriadMemoryBars    bars;

  /* the live run */
  int                n_prompt;
  int                n_layers;
  char              *live_name;        /* a real decoder's name; NULL: the shipped one */
  gboolean           live_bos;         /* its prompt begins with a <bos> it added */
  char              *live_error;
  gboolean           exhausted;
  GArray            *steps;            /* (TriadKvLiveStep) */
  GArray            *s_tokens;         /* (double) positions in the cache after each step */
  GArray            *s_layer_bytes;    /* (double) (n_steps, n_layers) */
  GArray            *s_cached;         /* (double) seconds */
  GArray            *s_recompute;      /* (double) seconds */
  char              *growth_title;
  char              *growth_hint;
  char              *live_status;
  TriadKvGrowth      growth;
  /* the live cache's format and the decoder's numbers for its bytes per token */
  TriadDtype         live_dtype;
  int                live_kv_heads, live_head_dim, live_max_seq;
  TriadLlmPreset    *live_preset;      /* the decoder's own config as memory.c projects it */
  char              *live_bytes;
  guint64            bytes_formula, bytes_measured, bytes_projected;
  TriadKvQuantView  *quant;
  char              *quant_title;
  char              *quant_text;
};

/* kv-scene.c: the unit opt's amounts are in; *field freed and value put in its place */
TriadMemUnit triad_kv_scene_mem_unit          (const TriadKvSceneOptions *opt);
void         triad_kv_scene_take_string       (char                     **field,
                                               char                      *value);

/* kv-scene-live.c: the decoder's own config as a preset memory.c projects, named name (NULL:
 * the shipped decoder) */
TriadLlmPreset *triad_kv_scene_preset_of      (const TriadModel          *decoder,
                                               const char                *name);

/* kv-scene-projection.c: the estimates, the curves, the bars and the readout */
void         triad_kv_scene_update_projection (TriadKvScene              *s);

G_END_DECLS
