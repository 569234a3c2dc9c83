/* scene-adapters.h — the Masks, Attention, Cross-Attention and KV Cache scenes as a
 * TriadScene (scene.h). Each borrows the view's scene, which must outlive it, and keeps a
 * copy of the options it is drawn with. What a hit part means in each: */
#pragma once

#include "scenes/attention-scene.h"
#include "scenes/cross-scene.h"
#include "scenes/kv-scene.h"
#include "scenes/masks-scene.h"
#include "scenes/scene.h"

G_BEGIN_DECLS

/* Masks: panel 0 … 2, a row of the grid (encoder, decoder, comparison), with row and col the
 * query and the key and a the grid's column (mask, scores, weights); or
 * TRIAD_MASKS_PART_FORMULA, the formula below, with row its step. Hovering a grid cell lights
 * it; the formula's steps are chosen, not hovered. */
#define TRIAD_MASKS_PART_FORMULA 3
TriadScene *triad_masks_scene_as_scene     (TriadMasksScene             *scene,
                                            const TriadMasksOptions     *opt);
/* The same for the window: while no step of the formula is chosen, its caption is the
 * keyboard's hint (triad_masks_scene_hint), which a figure exported never holds. */
TriadScene *triad_masks_scene_as_screen    (TriadMasksScene             *scene,
                                            const TriadMasksOptions     *opt);

/* Attention: panel, the TriadAttentionFigure drawn; row and col as the scene's hit gives a
 * and b (a query and a key, or a head of the grid, or a token of the lines). */
TriadScene *triad_attention_scene_as_scene (TriadAttentionScene         *scene,
                                            const TriadAttentionOptions *opt);

/* Cross-Attention: a and b the source and the target token lit; panel, row and col the cell
 * (the heatmaps: a TriadCrossPanel; by prompt: the pair's panel), -1 over a label. */
TriadScene *triad_cross_scene_as_scene     (TriadCrossScene             *scene,
                                            const TriadCrossOptions     *opt);

/* KV Cache, the whole view's figure: panel 0, the live chart, row its step; panel 1, the
 * memory chart, value the context in tokens. */
TriadScene *triad_kv_scene_as_scene        (TriadKvScene                *scene,
                                            const TriadKvSceneOptions   *opt);

/* One panel of it, as the window's page shows them apart, with the same parts: the live chart
 * (panel 0), the memory chart (panel 1) and the bars (no parts). Each panel's adapter keeps
 * its own copy of the options, and updating any of them updates the one scene. */
typedef enum {
  TRIAD_KV_PANEL_GROWTH,
  TRIAD_KV_PANEL_CHART,
  TRIAD_KV_PANEL_BARS,
  TRIAD_KV_PANEL_DIFFERENCE,  /* a quantized live cache's difference heatmap (no parts) */
} TriadKvPanel;

TriadScene *triad_kv_scene_panel_as_scene  (TriadKvScene                *scene,
                                            TriadKvPanel                 panel,
                                            const TriadKvSceneOptions   *opt);
/* Which panel a KV scene made by triad_kv_scene_panel_as_scene draws; -1 for the whole
 * figure (triad_kv_scene_as_scene). */
int         triad_kv_scene_panel_of        (TriadScene                  *scene);

G_END_DECLS
