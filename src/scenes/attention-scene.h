/* attention-scene.h — the Attention view's figure built from the engine's attention map: one
 * head's heatmap, the mean of a layer's heads, every head as small multiples, or the lines of
 * one head or the mean, with its title. The window (its Cairo figure and its export) and
 * `triad export --view attention` draw the same scene; the GL canvas only shows it. */
#pragma once

#include <gio/gio.h>

#include "engine/analysis.h"
#include "figures/figures.h"

G_BEGIN_DECLS

typedef enum {
  TRIAD_ATTENTION_SINGLE,    /* one head */
  TRIAD_ATTENTION_MEAN,      /*< nick=average >*/ /* the mean of the layer's heads */
  TRIAD_ATTENTION_GRID,      /* every head of the layer side by side */
  TRIAD_N_ATTENTION_MODES /*< skip >*/
} TriadAttentionMode;

typedef enum {
  TRIAD_ATTENTION_FIGURE_NONE,
  TRIAD_ATTENTION_FIGURE_HEATMAP,
  TRIAD_ATTENTION_FIGURE_GRID,
  TRIAD_ATTENTION_FIGURE_LINES,
} TriadAttentionFigure;

typedef struct {
  TriadAttentionMode  mode;
  gboolean            lines;    /* lines instead of a heatmap; the grid has none */
  int                 layer;    /* the model's layer, 0 … */
  int                 head;     /* SINGLE: the head shown; GRID: the head marked, -1 none */
  TriadColormap       cmap;
  TriadNormalization  norm;
  int                 hover_a;  /* under the pointer: a query (heatmap, lines) or a head (grid), -1 none */
  int                 hover_b;  /* the key (heatmap), -1 none */
} TriadAttentionOptions;

typedef struct _TriadAttentionScene TriadAttentionScene;

/* SINGLE, no lines, the first head of layer 0, viridis, global, no hover. */
void                 triad_attention_options_init  (TriadAttentionOptions       *opt);

/* Worker thread: runs model over text (target: an encoder-decoder's decoder text, NULL for
 * its own translation) and captures layer and head of kind (-1: all), with the tokens'
 * labels. */
TriadAttentionScene *triad_attention_scene_compute (TriadModel                  *model,
                                                    const char                  *text,
                                                    const char                  *target,
                                                    TriadAttnKind                kind,
                                                    int                          layer,
                                                    int                          head,
                                                    GCancellable                *cancellable,
                                                    GError                     **error);
/* Takes map; tok labels its tokens. */
TriadAttentionScene *triad_attention_scene_new     (TriadAttentionMap           *map,
                                                    const TriadTokenizer        *tok);
void                 triad_attention_scene_free    (TriadAttentionScene         *scene);
const TriadAttentionMap *triad_attention_scene_get_map (TriadAttentionScene     *scene);
/* Query heads per K/V head (grouped-query attention: query head h reads K/V head h / group);
 * 1 when each head has its own, as in multi-head attention and cross-attention. */
int                  triad_attention_scene_get_kv_group (TriadAttentionScene    *scene);
/* Whether the map holds what opt asks for (a long input's map holds one layer, or one
 * head, only); update () draws nothing otherwise. */
gboolean             triad_attention_scene_holds   (TriadAttentionScene         *scene,
                                                    const TriadAttentionOptions *opt);
/* Rebuilds the figure and its title for opt, in the language gettext speaks now; FALSE, and
 * no figure, when the map does not hold it. */
gboolean             triad_attention_scene_update  (TriadAttentionScene         *scene,
                                                    const TriadAttentionOptions *opt);
TriadAttentionFigure triad_attention_scene_get_figure (TriadAttentionScene      *scene);
/* The grid of every head the scene draws; NULL unless its figure is the grid. */
const TriadHeadGrid *triad_attention_scene_get_grid   (TriadAttentionScene      *scene);
/* "Decoder · layer 3 · head 1"; NULL before update (). */
const char          *triad_attention_scene_get_title  (TriadAttentionScene      *scene);
/* The (n_q, n_k) weights a heatmap or the lines show (one head, or the mean), NULL for the
 * grid; and the tokens along each axis. */
const float         *triad_attention_scene_get_weights (TriadAttentionScene     *scene,
                                                        int                     *n_q,
                                                        int                     *n_k);
const char * const  *triad_attention_scene_get_labels  (TriadAttentionScene     *scene,
                                                        gboolean                 queries);
/* The (n_q, n_k) weights of head of the shown layer, NULL when not captured. */
const float         *triad_attention_scene_get_head    (TriadAttentionScene     *scene,
                                                        int                      head);
/* The whole figure into cr at width × height, in style. */
void                 triad_attention_scene_draw    (TriadAttentionScene         *scene,
                                                    cairo_t                     *cr,
                                                    const TriadFigureStyle      *style,
                                                    double                       width,
                                                    double                       height);
/* What is under (x, y) in that figure, as hover_a and hover_b count; FALSE over nothing. */
gboolean             triad_attention_scene_hit     (TriadAttentionScene         *scene,
                                                    const TriadFigureStyle      *style,
                                                    double                       width,
                                                    double                       height,
                                                    double                       x,
                                                    double                       y,
                                                    int                         *a,
                                                    int                         *b);
/* What (a, b), as hit () gives them, are, in a sentence for the readout; NULL for nothing. */
char                *triad_attention_scene_describe (TriadAttentionScene        *scene,
                                                     int                         a,
                                                     int                         b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadAttentionScene, triad_attention_scene_free)

G_END_DECLS
