/* triad-masks-page.h — the Masks view: the same tokens under the encoder's bidirectional and
 * the decoder's causal mask, side by side, a third mask to compare, the decoder played token
 * by token, and the attention formula as a pipeline of the engine's own numbers. */
#pragma once

#include <gtk/gtk.h>

#include "scenes/masks-scene.h"

G_BEGIN_DECLS

#define TRIAD_TYPE_MASKS_PAGE (triad_masks_page_get_type ())

G_DECLARE_FINAL_TYPE (TriadMasksPage, triad_masks_page, TRIAD, MASKS_PAGE, GtkWidget)

/* The scene shown: NULL before the first result. */
TriadMasksScene *triad_masks_page_get_scene    (TriadMasksPage *self);
/* The decoder's rows shown: 0 … n - 1 while stepping, -1 for all. */
int              triad_masks_page_get_position (TriadMasksPage *self);
void             triad_masks_page_step_position (TriadMasksPage *self,
                                                 int             delta);
void             triad_masks_page_step_layer   (TriadMasksPage *self,
                                                int             delta);
void             triad_masks_page_step_head    (TriadMasksPage *self,
                                                int             delta);
/* The hovered cell as a sentence, or NULL. */
const char      *triad_masks_page_get_readout  (TriadMasksPage *self);
/* What the pointer at (x, y) of the figure (the grid above, the formula below) is over, as
 * hovering there would show it; x < 0: the pointer left. */
void             triad_masks_page_hover        (TriadMasksPage *self,
                                                double          x,
                                                double          y);

G_END_DECLS
