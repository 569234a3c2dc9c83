/* triad-kv-page-private.h — what the KV Cache page's three files share: the page's state,
 * and the functions of its live panel (triad-kv-live.c) and projection panel with its preset
 * editor (triad-kv-projection.c) that the page itself (triad-kv-page.c) calls. The figures
 * and their words come from one TriadKvScene, which `triad export --view kv` draws too. */
#pragma once

#include <gtk/gtk.h>

#include "engine/kvlive.h"
#include "engine/memory.h"
#include "engine/model.h"
#include "scenes/kv-scene.h"

#include "app/triad-computation.h"
#include "app/triad-kv-page.h"
#include "app/triad-scene-view.h"

G_BEGIN_DECLS

#define TRIAD_KV_PAGE_MAX_TOKENS    256   /* the live run's default limit */
#define TRIAD_KV_PAGE_ENGINE_BLOCK  16    /* the engine's usual block of positions */
#define TRIAD_KV_PAGE_PRESET        "llama-3-8b"

struct _TriadKvPage
{
  GtkWidget          parent_instance;

  /* the live run's controls */
  GtkFlowBox        *live_controls;
  GtkButton         *reset_button;
  GtkToggleButton   *play_button;
  GtkButton         *step_button;
  GtkDropDown       *speed_dropdown;
  GtkDropDown       *sampling_dropdown;
  GtkDropDown       *live_dtype_dropdown;
  TriadSceneView    *difference_area;  /* a quantized cache's difference heatmap */
  GtkSpinButton     *max_spin;
  GtkToggleButton   *blocks_button;
  GtkLabel          *live_note;
  GtkLabel          *live_heading;     /* names a real model when one runs */
  TriadSceneView    *growth_area;      /* the scene's panels: the live chart */
  GtkLabel          *live_status;
  GtkScrolledWindow *text_scroller;
  GtkLabel          *text_label;

  /* the projections' controls */
  GtkFlowBox        *projection_controls;
  GtkDropDown       *preset_dropdown;
  GtkMenuButton     *custom_button;
  GtkDropDown       *custom_arch;
  GtkSpinButton     *custom_layers;
  GtkSpinButton     *custom_heads;
  GtkSpinButton     *custom_kv_heads;
  GtkSpinButton     *custom_head_dim;
  GtkSpinButton     *custom_window;
  GtkSpinButton     *custom_latent;
  GtkSpinButton     *custom_context;
  GtkSpinButton     *custom_params;
  GtkSpinButton     *batch_spin;
  GtkDropDown       *kv_dtype_dropdown;
  GtkDropDown       *weight_dtype_dropdown;
  GtkDropDown       *attention_dropdown;
  GtkSpinButton     *gqa_spin;
  GtkSwitch         *window_switch;
  GtkSwitch         *paged_switch;
  GtkToggleButton   *gb_button;
  GtkToggleButton   *gib_button;
  GtkToggleButton   *log_button;
  GtkToggleButton   *linear_button;
  GtkScale          *context_scale;
  GtkSpinButton     *context_spin;
  TriadSceneView    *chart_area;       /* the memory chart */
  TriadSceneView    *bars_area;        /* 8 k against 100 k */
  GtkLabel          *readout;
  GtkLabel          *message;

  /* what the figures show, built from the state below */
  TriadKvScene      *scene;

  /* the live run */
  TriadModel        *decoder;          /* the application's, once loaded */
  char              *text;
  TriadComputation  *loading;          /* the decoder, loaded in a worker the first time */
  TriadKvLive       *live;             /* NULL when the prompt cannot run */
  int                n_prompt;         /* the run's prompt tokens, before what it generated */
  TriadComputation  *stepping;         /* one step at a time; a new run drops the old one's */
  TriadComputation  *comparing;        /* what the live cache's format changes, once a run
                                        * stops: against an f32 cache on the same tokens */
  int                kv_block;
  gboolean           sampling;
  TriadDtype         live_dtype;       /* how the live run's cache stores K and V */
  int                max_tokens;
  int                pending;          /* steps asked for, the one computing included */
  gboolean           exhausted;        /* the decoder's positions are full */
  gboolean           playing;
  guint              play_id;
  GString           *generated;
  int                growth_hover;

  /* the projections */
  GPtrArray         *presets;          /* TriadLlmPreset, NULL when they did not load */
  char              *presets_error;
  TriadLlmPreset    *custom;
  guint              preset_index;     /* in presets; presets->len: the custom model */
  TriadKvOptions     options;
  gboolean           gib;
  gboolean           log_axes;
  double             hover_tokens;     /* -1: none */

  TriadColormap      cmap;             /* the live chart's layers */
  double             font_scale;
  gboolean           busy;             /* as last notified */
  gboolean           syncing;
};

enum {
  PROP_0,
  PROP_PRESET,
  PROP_CONTEXT,
  PROP_BATCH,
  PROP_KV_DTYPE,
  PROP_WEIGHT_DTYPE,
  PROP_ATTENTION,
  PROP_GQA_GROUPS,
  PROP_HONOUR_WINDOW,
  PROP_PAGED,
  PROP_GIB,
  PROP_LOG_AXES,
  PROP_KV_BLOCK,
  PROP_SAMPLING,
  PROP_LIVE_DTYPE,
  PROP_MAX_TOKENS,
  PROP_PLAYING,
  PROP_FONT_SCALE,
  PROP_COLORMAP,
  N_PROPS,
  PROP_BUSY = N_PROPS,
};

extern GParamSpec *triad_kv_page_properties[N_PROPS];

/* ---- triad-kv-page.c ---------------------------------------------------------------- */

/* The scene again from the state (in the language gettext speaks now), then the labels that
 * show its words and the charts. */
void     triad_kv_page_update_scene      (TriadKvPage *self);
/* Busy while the decoder loads, or a step someone waits for computes (playing is its own
 * sign); notifies "busy" when that changed. */
gboolean triad_kv_page_is_busy           (TriadKvPage *self);
void     triad_kv_page_update_busy       (TriadKvPage *self);

/* ---- triad-kv-live.c: the live panel ------------------------------------------------- */

void     triad_kv_live_class_init        (GtkWidgetClass *widget_class);
/* After the template: what the live panel's widgets signal. */
void     triad_kv_live_init              (TriadKvPage *self);
/* A new run of the decoder over the page's text: an empty cache, no steps. */
void     triad_kv_live_start_run         (TriadKvPage *self);
gboolean triad_kv_live_done              (TriadKvPage *self);
void     triad_kv_live_set_playing       (TriadKvPage *self,
                                          gboolean     playing);
/* The live decoder's own config as the model list's last preset ("model"), or none. */
void     triad_kv_projection_set_live_model (TriadKvPage      *self,
                                             const TriadModel *decoder);
void     triad_kv_live_set_dtype         (TriadKvPage *self,
                                          TriadDtype   dtype);
void     triad_kv_live_set_sampling      (TriadKvPage *self,
                                          gboolean     sampling);
void     triad_kv_live_set_kv_block      (TriadKvPage *self,
                                          int          block);
void     triad_kv_live_set_max_tokens    (TriadKvPage *self,
                                          int          max_tokens);
/* The labels beside the live chart: the note on a token's bytes, the status, the text. */
void     triad_kv_live_update_labels     (TriadKvPage *self);

/* ---- triad-kv-projection.c: the projection panel and the preset editor --------------- */

void     triad_kv_projection_class_init  (GtkWidgetClass *widget_class);
/* After the template: the lists, the marks and the default model. */
void     triad_kv_projection_init        (TriadKvPage *self);
const TriadLlmPreset *triad_kv_projection_current (TriadKvPage *self);
gboolean triad_kv_projection_is_custom   (TriadKvPage *self);
/* The controls from the state, the scene again, and prop notified (PROP_0: none). */
void     triad_kv_projection_changed     (TriadKvPage *self,
                                          guint        prop);
gboolean triad_kv_projection_set_preset_id (TriadKvPage *self,
                                            const char  *id);
void     triad_kv_projection_set_context (TriadKvPage *self,
                                          gint64       tokens);
void     triad_kv_projection_set_attention (TriadKvPage      *self,
                                            TriadKvAttention  attention,
                                            int               groups);
void     triad_kv_projection_set_gib     (TriadKvPage *self,
                                          gboolean     gib);
void     triad_kv_projection_set_log_axes (TriadKvPage *self,
                                           gboolean     log_axes);

G_END_DECLS
