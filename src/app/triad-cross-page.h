/* triad-cross-page.h — the Cross-attention view: one English → Russian translation by the
 * encoder-decoder, its three attentions linked, decoded step by step with its KV cache; the
 * same cross-attention as alignment lines; and the decoder-only model translating the same
 * sentence by prompt beside it. */
#pragma once

#include <gtk/gtk.h>

#include "scenes/cross-scene.h"

G_BEGIN_DECLS

#define TRIAD_TYPE_CROSS_PAGE (triad_cross_page_get_type ())

G_DECLARE_FINAL_TYPE (TriadCrossPage, triad_cross_page, TRIAD, CROSS_PAGE, GtkWidget)

GtkWidget       *triad_cross_page_new          (void);
/* Translates text with encdec (and, for the prompt display, with decoder, which may be NULL)
 * in a worker thread, over the "target" property's text when it is not empty. The page keeps
 * showing the previous result until then, and if it fails. (The window's triad_view_set_input
 * names no model: the application's are loaded in the worker.) */
void             triad_cross_page_set_input    (TriadCrossPage   *self,
                                                TriadModel       *encdec,
                                                TriadModel       *decoder,
                                                const char       *text);
gboolean         triad_cross_page_get_busy     (TriadCrossPage   *self);
/* The scene shown, NULL before the first result. */
TriadCrossScene *triad_cross_page_get_scene    (TriadCrossPage   *self);
/* The translation shown, NULL before the first result; the prompt's may be NULL without a
 * decoder-only model. */
const TriadCrossView  *triad_cross_page_get_view        (TriadCrossPage *self);
const TriadPromptView *triad_cross_page_get_prompt_view (TriadCrossPage *self);

/* Decoding steps: position is the number of target tokens decoded, 1 … n_positions. */
int              triad_cross_page_get_position    (TriadCrossPage *self);
int              triad_cross_page_get_n_positions (TriadCrossPage *self);
void             triad_cross_page_step            (TriadCrossPage *self,
                                                   int             delta);

TriadCrossDisplay triad_cross_page_get_display (TriadCrossPage   *self);
void             triad_cross_page_set_display  (TriadCrossPage   *self,
                                                TriadCrossDisplay display);
/* The figures as the page draws them now, NULL before the first result (valid until the next
 * result). */
const TriadCrossFigure *triad_cross_page_get_figure    (TriadCrossPage *self);
const TriadAlignment   *triad_cross_page_get_alignment (TriadCrossPage *self);
const TriadPanelPair   *triad_cross_page_get_pair      (TriadCrossPage *self);
/* The drawing area the figures go to, in whose coordinates hover_at takes its point. */
GtkWidget       *triad_cross_page_get_canvas   (TriadCrossPage   *self);
/* Does what the pointer at (x, y) of the canvas does: lights the tokens under it, in every
 * panel; FALSE when it is over none. */
gboolean         triad_cross_page_hover_at     (TriadCrossPage   *self,
                                                double            x,
                                                double            y);
void             triad_cross_page_get_hover    (TriadCrossPage   *self,
                                                TriadCrossHover  *hover);
/* The hovered cell or the current step as a sentence. */
const char      *triad_cross_page_get_readout  (TriadCrossPage   *self);

G_END_DECLS
