/* masks-scene.h — the Masks view's figures built from the engine's traces: the grid of
 * masks, scores and weights of the encoder, the decoder and a mask to compare, and the
 * formula pipeline. The window and `triad export --view masks` draw the same scene. */
#pragma once

#include "engine/formula.h"
#include "figures/masks.h"

G_BEGIN_DECLS

typedef enum {
  TRIAD_COMPARE_NONE,
  TRIAD_COMPARE_SLIDING,     /* the decoder's head under a sliding window (Mistral) */
  TRIAD_COMPARE_PREFIX_LM,   /*< nick=prefix >*/ /* the decoder's head under a prefix-LM mask (some T5 variants) */
  TRIAD_COMPARE_PADDING,     /* the encoder with <pad> tokens, blocked as keys */
  TRIAD_N_COMPARES /*< skip >*/
} TriadCompare;

typedef struct {
  TriadCompare  compare;
  int           window;          /* TRIAD_COMPARE_SLIDING: W */
  int           prefix;          /* TRIAD_COMPARE_PREFIX_LM: the prefix's length */
  int           position;        /* the decoder's rows shown so far, 0 … n - 1; -1: every row */
  gboolean      formula_decoder; /* the pipeline of the decoder's head, else the encoder's */
  int           formula_step;    /* -1 … TRIAD_FORMULA_STEPS - 1 */
  int           hover_model;     /* grid row under the pointer, -1 none */
  int           hover_row;
  int           hover_col;
  TriadColormap cmap;
} TriadMasksOptions;

typedef struct _TriadMasksScene TriadMasksScene;

/* Takes the traces (padded may be NULL: no key-padding comparison). */
TriadMasksScene   *triad_masks_scene_new       (TriadFormulaTrace       *encoder,
                                                TriadFormulaTrace       *decoder,
                                                TriadFormulaTrace       *padded);
void               triad_masks_scene_free      (TriadMasksScene         *scene);
/* Rebuilds the figures for opt (masks, remasked weights, titles in the current language). */
void               triad_masks_scene_update    (TriadMasksScene         *scene,
                                                const TriadMasksOptions *opt);
const TriadMaskGrid *triad_masks_scene_grid    (TriadMasksScene         *scene);
const TriadFormula  *triad_masks_scene_formula (TriadMasksScene         *scene);
/* The trace of grid row r (encoder, decoder, comparison), and the weights it shows. */
const TriadFormulaTrace *triad_masks_scene_trace (TriadMasksScene       *scene,
                                                  int                    r,
                                                  const float          **weights,
                                                  const float          **scaled);
/* The number of the decoder's tokens, the last position. */
int                triad_masks_scene_n_decoder (TriadMasksScene         *scene);
/* What step of the formula does, one sentence; NULL for none (-1). bias: the model adds a
 * position bias and does not scale (T5), so that step 3 is + B; rotary: the model rotates q
 * and k by their positions (RoPE), which steps 0 and 1 show. */
const char        *triad_masks_step_caption    (int                      step,
                                                gboolean                 decoder,
                                                gboolean                 bias,
                                                gboolean                 rotary);
/* The keyboard hint the screen shows where the caption goes while no step is chosen, or
 * NULL once one is. A hint belongs on screen only: the scene's figure never holds it. */
const char        *triad_masks_scene_hint      (TriadMasksScene         *scene);
/* The whole view as one figure: the grid above, the formula below. */
void               triad_masks_scene_draw      (TriadMasksScene         *scene,
                                                cairo_t                 *cr,
                                                const TriadFigureStyle  *style,
                                                double                   width,
                                                double                   height);
/* Where the grid ends in a figure of that height. */
double             triad_masks_scene_split     (const TriadFigureStyle  *style,
                                                double                   height);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TriadMasksScene, triad_masks_scene_free)

G_END_DECLS
