/* triad-attention-page-private.h — what the Attention page's two files share: the page's
 * state, and its controls (triad-attention-controls.c), which the page
 * (triad-attention-page.c) puts in step with it. */
#pragma once

#include <gtk/gtk.h>

#include "scenes/attention-scene.h"

#include "app/triad-application.h"
#include "app/triad-attention-page.h"
#include "app/triad-computation.h"
#include "app/triad-gl-heatmap.h"
#include "app/triad-scene-view.h"

G_BEGIN_DECLS

struct _TriadAttentionPage
{
  GtkWidget          parent_instance;

  /* template */
  GtkWidget         *toolbar;
  GtkDropDown       *kind_dropdown;
  GtkDropDown       *layer_dropdown;
  GtkDropDown       *head_dropdown;
  GtkToggleButton   *single_button;
  GtkToggleButton   *average_button;
  GtkToggleButton   *grid_button;
  GtkToggleButton   *lines_button;
  GtkDropDown       *colormap_dropdown;
  GtkDropDown       *norm_dropdown;
  GtkStack          *canvas_stack;
  TriadSceneView    *figure;         /* draws the scene */
  TriadGlHeatmap    *gl_heatmap;
  GtkLabel          *readout;
  GtkGrid           *stats_grid;
  GtkLabel          *message;

  /* input */
  TriadApplication  *app;            /* where the models come from; NULL: only model */
  char              *model_id;       /* the model asked for (triad-application.h), or NULL */
  TriadModel        *model;          /* of the shown scene, owned by the application */
  char              *shown_id;       /* model's id; NULL for a model given */
  gboolean           model_asked;    /* another model is on its way: its kind is chosen */
  char              *text;
  TriadComputation  *computation;

  /* what is shown */
  TriadAttentionScene *scene;
  TriadAttentionFigure shown;        /* the scene's figure at the last refresh */
  char              *readout_text;
  int                n_layers;       /* of the model, for the current kind */
  int                n_heads;

  /* controls */
  char              *kind;           /* "self", "decoder-self", "cross" */
  int                layer;
  int                head;
  TriadAttentionMode mode;
  gboolean           show_lines;
  TriadColormap      cmap;
  TriadNormalization norm;
};

/* the kinds of attention the page shows, as its kind property names them */
#define TRIAD_ATTENTION_N_KINDS 3
extern const char * const triad_attention_kind_ids[TRIAD_ATTENTION_N_KINDS];

/* Puts the controls in step with the state, without their signals feeding back. */
void triad_attention_page_sync_controls  (TriadAttentionPage *self);
/* the lists' callbacks, the step actions and the arrows' key bindings */
void triad_attention_controls_class_init (GtkWidgetClass     *widget_class);

G_END_DECLS
