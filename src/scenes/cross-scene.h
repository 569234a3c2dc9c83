/* cross-scene.h — the Cross-attention view's figures built from the engine's results: one
 * translation by the encoder-decoder with its three attentions linked and its K/V gauge, the
 * same cross-attention as alignment lines, and the decoder-only model translating the same
 * sentence by prompt beside it. The window and `triad export --view cross` draw the same
 * scene, with the same titles. */
#pragma once

#include <gio/gio.h>

#include "engine/crossview.h"
#include "figures/alignment.h"

G_BEGIN_DECLS

/* What the view shows. */
typedef enum {
  TRIAD_CROSS_DISPLAY_HEATMAPS,    /* the three linked panels and the K/V gauge */
  TRIAD_CROSS_DISPLAY_ALIGNMENT,   /* the cross-attention as lines */
  TRIAD_CROSS_DISPLAY_PROMPT,      /* the decoder by prompt beside the cross-attention */
  TRIAD_CROSS_N_DISPLAYS /*< skip >*/
} TriadCrossDisplay;

typedef struct {
  TriadCrossDisplay display;
  int               layer;         /* the encoder-decoder's decoder layer; -1: the last */
  int               head;          /* -1: the mean of the layer's heads */
  int               prompt_layer;  /* the decoder-only model's layer; -1: the last */
  int               position;      /* target tokens decoded, 0 … n; -1: all of them */
  TriadColormap     cmap;
  /* what is lit: tokens (linked in every panel), a cell outlined in the heatmaps, a cell of
   * the by-prompt pair (its panel, row and column, -1 for none) */
  TriadCrossHover   hover;
  TriadCrossPanel   cell_panel;    /* TRIAD_CROSS_N_PANELS: no cell */
  int               cell_row;
  int               cell_col;
  int               pair_panel;
  int               pair_row;
  int               pair_col;
} TriadCrossOptions;

typedef struct _TriadCrossScene TriadCrossScene;

/* Options that show everything and light nothing: the last layer, the mean of the heads, every
 * target token, viridis. */
void             triad_cross_options_init (TriadCrossOptions *opt);

/* Takes view and prompt (prompt may be NULL: no by-prompt display); the tokenizers name their
 * tokens (either may be NULL: a model built in memory). */
TriadCrossScene *triad_cross_scene_new     (TriadCrossView          *view,
                                            const TriadTokenizer    *tokenizer,
                                            TriadPromptView         *prompt,
                                            const TriadTokenizer    *prompt_tokenizer);
/* In a worker thread: encdec translates text (or reads target, when not NULL); decoder, when
 * not NULL, translates it by prompt. */
TriadCrossScene *triad_cross_scene_compute (TriadModel              *encdec,
                                            TriadModel              *decoder,
                                            const char              *text,
                                            const char              *target,
                                            GCancellable            *cancellable,
                                            GError                 **error);
void             triad_cross_scene_free    (TriadCrossScene         *scene);

/* Rebuilds the figures for opt: matrices, what is lit, and the titles in the language gettext
 * speaks now (so relabelling is updating again). */
void             triad_cross_scene_update  (TriadCrossScene         *scene,
                                            const TriadCrossOptions *opt);
/* The options of the last update, clamped to the results (layer and position as shown). */
const TriadCrossOptions *triad_cross_scene_options (TriadCrossScene *scene);

const TriadCrossView  *triad_cross_scene_view   (TriadCrossScene *scene);
/* NULL without a decoder-only model. */
const TriadPromptView *triad_cross_scene_prompt (TriadCrossScene *scene);
/* The source and the target tokens as the figures label them. */
const char * const    *triad_cross_scene_src_labels (TriadCrossScene *scene);
const char * const    *triad_cross_scene_tgt_labels (TriadCrossScene *scene);

/* The figures as the last update made them: each is valid, and stays at its address, until
 * the scene is freed. */
const TriadCrossFigure *triad_cross_scene_figure    (TriadCrossScene *scene);
const TriadAlignment   *triad_cross_scene_alignment (TriadCrossScene *scene);
const TriadPanelPair   *triad_cross_scene_pair      (TriadCrossScene *scene);

/* FALSE when the display asks for what the scene lacks (the by-prompt display without a
 * decoder-only model). */
gboolean         triad_cross_scene_has_figure (TriadCrossScene *scene);
/* The title of the figure the display draws. */
const char      *triad_cross_scene_title   (TriadCrossScene         *scene);
/* The whole display's figure into cr, in style, at width × height. */
void             triad_cross_scene_draw    (TriadCrossScene         *scene,
                                            cairo_t                 *cr,
                                            const TriadFigureStyle  *style,
                                            double                   width,
                                            double                   height);
/* What the pointer at (x, y) of a figure of that size and style lights: opt's hover, cell and
 * pair fields are set (to none over nothing); TRUE when it is over something. Update with
 * opt to draw it. */
gboolean         triad_cross_scene_hit     (TriadCrossScene         *scene,
                                            const TriadFigureStyle  *style,
                                            double                   width,
                                            double                   height,
                                            double                   x,
                                            double                   y,
                                            TriadCrossOptions       *opt);
/* The lit cell or token, else the decoding step, as a sentence; NULL for nothing to say. */
char            *triad_cross_scene_describe (TriadCrossScene        *scene);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadCrossScene, triad_cross_scene_free)

G_END_DECLS
