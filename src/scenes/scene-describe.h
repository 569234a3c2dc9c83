/* scene-describe.h — a view's figure in words, for those who do not see it: what it shows and
 * its strongest cells, what a cell holds, and the cell the keyboard goes to next. Built from
 * the views' scenes through their public getters, in the language gettext speaks now. */
#pragma once

#include "scenes/scene-adapters.h"
#include "scenes/scene.h"

G_BEGIN_DECLS

/* A move of the keyboard's cell. */
typedef enum {
  TRIAD_SCENE_MOVE_LEFT,
  TRIAD_SCENE_MOVE_RIGHT,
  TRIAD_SCENE_MOVE_UP,
  TRIAD_SCENE_MOVE_DOWN,
  TRIAD_SCENE_MOVE_HOME,       /* the row's first cell */
  TRIAD_SCENE_MOVE_END,        /* the row's last cell */
  TRIAD_SCENE_MOVE_PAGE_UP,    /* the previous panel (Masks: grid row; Cross: heatmap) */
  TRIAD_SCENE_MOVE_PAGE_DOWN,  /* the next panel */
} TriadSceneMove;

/* What the figure shows and its strongest cells, in sentences a screen reader reads ("Decoder ·
 * layer 3 · head 1, 7 tokens. The query “кошка” attends most to “cat”, 0.82; …"); NULL when
 * nothing is drawn. */
char     *triad_scene_describe      (TriadScene           *scene);
/* What part (as the scene's hit test gives it) holds, as the hover readout says it; NULL for
 * nothing. Cross-Attention tells what the scene lights now: hover part first. */
char     *triad_scene_describe_part (TriadScene           *scene,
                                     const TriadScenePart *part);
/* The cell the keyboard goes to from `from` (panel -1: the figure's first cell); FALSE, and
 * to TRIAD_SCENE_PART_NONE, when the figure has no cells to walk. Moves stop at the edges. */
gboolean  triad_scene_walk          (TriadScene           *scene,
                                     const TriadScenePart *from,
                                     TriadSceneMove        move,
                                     TriadScenePart       *to);

/* The Masks readout of cell (row, col) of grid row r's weights: blocked, not generated yet, or
 * its score and weight. */
char     *triad_masks_scene_describe_cell (TriadMasksScene *scene,
                                           int              r,
                                           int              row,
                                           int              col);

G_END_DECLS
