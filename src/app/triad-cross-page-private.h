/* triad-cross-page-private.h — what the Cross-attention page's two files share: the page's
 * state and properties, and the functions of its stepping and playback
 * (triad-cross-stepping.c) and of the page (triad-cross-page.c) that the other calls. */
#pragma once

#include <gtk/gtk.h>

#include "scenes/cross-scene.h"

#include "app/triad-application.h"
#include "app/triad-computation.h"
#include "app/triad-cross-page.h"
#include "app/triad-scene-view.h"

G_BEGIN_DECLS

struct _TriadCrossPage
{
  GtkWidget          parent_instance;

  /* template */
  GtkToggleButton   *heatmaps_button;
  GtkToggleButton   *alignment_button;
  GtkToggleButton   *prompt_button;
  GtkDropDown       *layer_dropdown;
  GtkDropDown       *head_dropdown;
  GtkDropDown       *prompt_layer_dropdown;
  GtkEntry          *target_entry;
  GtkLabel          *message;
  GtkLabel          *model_note;     /* the chosen model is no encoder-decoder */
  TriadSceneView    *canvas;         /* draws the scene */
  GtkButton         *back_button;
  GtkToggleButton   *play_button;
  GtkButton         *forward_button;
  GtkLabel          *position_label;
  GtkLabel          *readout;

  /* input */
  TriadApplication  *app;            /* where the models come from; NULL: only those given */
  TriadModel        *encdec;         /* owned by the application, once a result came */
  TriadModel        *decoder;
  char              *encdec_id;      /* encdec's id (triad-application.h) */
  char              *want_encdec;    /* the encoder-decoder asked for: the chosen one if it is */
  char              *text;
  char              *target;         /* NULL: the model's own translation */
  TriadComputation  *computation;
  guint              target_id;      /* the Target entry's debounce */
  guint              play_id;
  gboolean           playing;
  gboolean           settings_bound;

  /* what is shown */
  TriadCrossScene   *scene;

  /* controls */
  TriadCrossDisplay  display;
  int                layer;
  int                head;           /* -1: the mean of the heads */
  int                prompt_layer;
  int                position;       /* target tokens decoded, 1 … n */
  TriadColormap      cmap;
  double             font_scale;
  gboolean           syncing;
  TriadCrossOptions  lit;            /* its hover, cell and pair fields: what is lit */
  char              *readout_text;
};

enum {
  PROP_0,
  PROP_DISPLAY,
  PROP_LAYER,
  PROP_HEAD,
  PROP_PROMPT_LAYER,
  PROP_POSITION,
  PROP_TARGET,
  PROP_PLAYING,
  PROP_COLORMAP,
  PROP_FONT_SCALE,
  PROP_READOUT,
  N_PROPS,
  PROP_BUSY = N_PROPS,      /* TriadView's */
};

extern GParamSpec *triad_cross_page_properties[N_PROPS];

/* triad-cross-page.c */
gboolean triad_cross_page_has_figure      (TriadCrossPage          *self);
/* the scene, the position's label and the readout again, and the canvas drawn */
void     triad_cross_page_refresh         (TriadCrossPage          *self);
/* lights what lit says (its hover, cell and pair fields) */
void     triad_cross_page_set_lit         (TriadCrossPage          *self,
                                           const TriadCrossOptions *lit);

/* triad-cross-stepping.c */
void     triad_cross_page_update_position (TriadCrossPage          *self);
/* to position (1 … n), notified; a target token past it no longer lit */
void     triad_cross_page_set_position    (TriadCrossPage          *self,
                                           int                      position);
void     triad_cross_page_set_playing     (TriadCrossPage          *self,
                                           gboolean                 playing);
/* the buttons' callbacks, the step actions and the key bindings */
void     triad_cross_stepping_class_init  (GtkWidgetClass          *widget_class);

G_END_DECLS
