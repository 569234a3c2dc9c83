/* triad-attention-page.h — the Attention view: one head, the mean over heads, or every head
 * of a layer; as a heatmap or as lines; with each head's statistics. */
#pragma once

#include <gtk/gtk.h>

#include "engine/analysis.h"
#include "app/triad-scene-view.h"
#include "scenes/attention-scene.h"

G_BEGIN_DECLS

#define TRIAD_TYPE_ATTENTION_PAGE (triad_attention_page_get_type ())

G_DECLARE_FINAL_TYPE (TriadAttentionPage, triad_attention_page, TRIAD, ATTENTION_PAGE, GtkWidget)

GtkWidget *triad_attention_page_new          (void);
/* Computes the attention of model over text, in a worker thread, and shows it when done.
 * The page keeps showing the previous figure until then, and if it fails. (The window's
 * triad_view_set_input names an architecture instead: the model is loaded in the worker.) */
void       triad_attention_page_set_input    (TriadAttentionPage *self,
                                              TriadModel         *model,
                                              const char         *text);
void       triad_attention_page_step_layer   (TriadAttentionPage *self,
                                              int                 delta);
void       triad_attention_page_step_head    (TriadAttentionPage *self,
                                              int                 delta);
gboolean   triad_attention_page_get_busy     (TriadAttentionPage *self);
/* The view that draws the scene on screen (while the GL canvas does not). */
TriadSceneView *triad_attention_page_get_figure (TriadAttentionPage *self);
/* What is shown: NULL before the first result. */
const TriadAttentionMap *triad_attention_page_get_map (TriadAttentionPage *self);
/* The scene the figure and the export draw, updated with the controls; NULL before the first
 * result. */
TriadAttentionScene *triad_attention_page_get_scene (TriadAttentionPage *self);
/* The hovered cell as a sentence, or NULL. */
const char *triad_attention_page_get_readout (TriadAttentionPage *self);

G_END_DECLS
