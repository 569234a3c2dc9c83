/* scene-describe.c — a view's figure in words for a screen reader, and the keyboard's walk
 * over its cells. Each view is read through its scene's public getters: the matrix the figure
 * shows, its labels and its title, so that the words say what the eye sees. */
#include "config.h"

#include <string.h>

#include "engine/i18n.h"
#include "engine/numbers.h"
#include "scenes/lesson-cost-scene.h"
#include "scenes/scene-describe.h"
#include "scenes/training-scene-live.h"

/* How many of a matrix's strongest cells a description names: enough to tell the pattern,
 * few enough to be listened to. */
#define N_STRONGEST 3

typedef struct {
  int   q, k;
  float w;
} Cell;

/* The n strongest cells of weights (n_q, n_k), strongest first; rows at or past n_rows, and
 * cells allowed marks 0, are not shown and not counted. Returns how many were found. */
static int
strongest_cells (const float  *weights,
                 int           n_q,
                 int           n_k,
                 int           n_rows,
                 const guint8 *allowed,
                 Cell          out[],
                 int           n)
{
  int found = 0;

  for (int q = 0; q < MIN (n_q, n_rows); q++)
    for (int k = 0; k < n_k; k++)
      {
        size_t at = (size_t) q * n_k + k;
        float w = weights[at];
        int i;

        if ((allowed != NULL && !allowed[at]) || !(w == w))
          continue;
        /* ties keep the earlier cell first, as a reader scanning rows would meet it */
        for (i = found; i > 0 && out[i - 1].w < w; i--)
          if (i < n)
            out[i] = out[i - 1];
        if (i < n)
          {
            out[i] = (Cell) { q, k, w };
            found = MIN (found + 1, n);
          }
      }
  return found;
}

/* "the query “a” attends most to “b”, 0.82; “c” to “d”, 0.64" */
static void
append_cells (GString            *out,
              const Cell          cells[],
              int                 n,
              const char * const *q_labels,
              const char * const *k_labels)
{
  for (int i = 0; i < n; i++)
    {
      g_autofree char *w = triad_format_double (cells[i].w, 2);

      if (i == 0)
        /* TRANSLATORS: for a screen reader, a figure's strongest cell: query token, key
         * token, weight (e.g. "0.82"); Russian: «запрос «%s» сильнее всего смотрит на «%s», %s» */
        g_string_append_printf (out, _("the query “%s” attends most to “%s”, %s"),
                                q_labels[cells[i].q], k_labels[cells[i].k], w);
      else
        /* TRANSLATORS: for a screen reader, the next strongest cells after the first:
         * "; query to key, weight" */
        g_string_append_printf (out, _("; “%s” to “%s”, %s"),
                                q_labels[cells[i].q], k_labels[cells[i].k], w);
    }
}

/* ---- Attention ----------------------------------------------------------------------- */

static char *
describe_attention (TriadScene *scene)
{
  TriadAttentionScene *s = triad_scene_get_inner (scene);
  GString *out = g_string_new (NULL);
  const char * const *q_labels = triad_attention_scene_get_labels (s, TRUE);
  const char * const *k_labels = triad_attention_scene_get_labels (s, FALSE);
  const char *title = triad_attention_scene_get_title (s);
  Cell cells[N_STRONGEST];
  int n_q = 0, n_k = 0, n;

  switch (triad_attention_scene_get_figure (s))
    {
    case TRIAD_ATTENTION_FIGURE_HEATMAP:
    case TRIAD_ATTENTION_FIGURE_LINES:
      {
        const float *w = triad_attention_scene_get_weights (s, &n_q, &n_k);

        /* TRANSLATORS: for a screen reader: the figure's title, then how many tokens it shows */
        g_string_append_printf (out, ngettext ("%s, %d token: ", "%s, %d tokens: ", n_q),
                                title, n_q);
        n = w != NULL ? strongest_cells (w, n_q, n_k, n_q, NULL, cells, N_STRONGEST) : 0;
        append_cells (out, cells, n, q_labels, k_labels);
        g_string_append_c (out, '.');
        break;
      }
    case TRIAD_ATTENTION_FIGURE_GRID:
      {
        const TriadAttentionMap *map = triad_attention_scene_get_map (s);
        int n_heads = map->cap.n_heads;

        /* TRANSLATORS: for a screen reader: the grid's title, then how many heads it shows */
        g_string_append_printf (out, ngettext ("%s, %d head. ", "%s, %d heads. ", n_heads),
                                title, n_heads);
        for (int h = 0; h < n_heads; h++)
          {
            const float *w = triad_attention_scene_get_head (s, h);

            if (w == NULL)
              continue;
            n = strongest_cells (w, map->cap.n_q, map->cap.n_k, map->cap.n_q, NULL, cells, 1);
            /* TRANSLATORS: for a screen reader, before a head's strongest cell */
            g_string_append_printf (out, _("Head %d: "), h);
            append_cells (out, cells, n, q_labels, k_labels);
            g_string_append (out, ". ");
          }
        break;
      }
    case TRIAD_ATTENTION_FIGURE_NONE:
    default:
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_strchomp (g_string_free (out, FALSE));
}

/* ---- Masks --------------------------------------------------------------------------- */

char *
triad_masks_scene_describe_cell (TriadMasksScene *scene,
                                 int              r,
                                 int              row,
                                 int              col)
{
  const TriadMaskGrid *grid = triad_masks_scene_grid (scene);
  const float *weights, *scaled;
  const TriadFormulaTrace *t;
  const TriadMatrix *m;
  size_t at;

  if (r < 0 || r >= grid->n_rows)
    return NULL;
  t = triad_masks_scene_trace (scene, r, &weights, &scaled);
  m = &grid->cells[r][2];
  if (row < 0 || col < 0 || row >= t->n || col >= t->n)
    return NULL;
  at = (size_t) row * t->n + col;
  if (m->visible_rows >= 0 && row >= m->visible_rows)
    /* TRANSLATORS: the readout of a row the decoder has not reached while stepping */
    return g_strdup_printf (_("%s · “%s” is not generated yet: its row comes at token %d"),
                            grid->row_titles[r], t->tokens[row], row + 1);
  if (m->allowed != NULL && !m->allowed[at])
    /* TRANSLATORS: the readout of a blocked cell: model, query token, key token */
    return g_strdup_printf (_("%s · query “%s” → key “%s”: blocked, score −∞, weight 0"),
                            grid->row_titles[r], t->tokens[row], t->tokens[col]);
  {
    g_autofree char *score = triad_format_double (scaled[at], 2);
    g_autofree char *weight = triad_format_double (weights[at], 3);

    /* TRANSLATORS: the readout of a cell: model, query token, key token, numbers */
    return g_strdup_printf (_("%s · query “%s” → key “%s”: score %s, weight %s"),
                            grid->row_titles[r], t->tokens[row], t->tokens[col], score, weight);
  }
}

static char *
describe_masks (TriadScene *scene)
{
  TriadMasksScene *s = triad_scene_get_inner (scene);
  const TriadMaskGrid *grid = triad_masks_scene_grid (s);
  GString *out = g_string_new (NULL);

  if (grid == NULL || grid->n_rows <= 0)
    return NULL;
  if (grid->title != NULL)
    g_string_append_printf (out, "%s. ", grid->title);
  for (int r = 0; r < grid->n_rows; r++)
    {
      const TriadMatrix *m = &grid->cells[r][2];
      int rows = m->visible_rows >= 0 ? MIN (m->visible_rows, m->rows) : m->rows;
      int cells = rows * m->cols, blocked = 0;
      Cell best[1];
      int n;

      for (int i = 0; m->allowed != NULL && i < cells; i++)
        blocked += !m->allowed[i];
      /* TRANSLATORS: for a screen reader: a row of the masks' grid ("Decoder · causal"), the
       * cells it blocks of the cells shown */
      g_string_append_printf (out, ngettext ("%s: %d of %d cell blocked; ",
                                             "%s: %d of %d cells blocked; ", cells),
                              grid->row_titles[r], blocked, cells);
      n = m->values != NULL ? strongest_cells (m->values, m->rows, m->cols, rows, m->allowed,
                                               best, 1)
                            : 0;
      append_cells (out, best, n, m->row_labels, m->col_labels);
      g_string_append (out, ". ");
    }
  return g_strchomp (g_string_free (out, FALSE));
}

/* ---- Cross-Attention ----------------------------------------------------------------- */

static char *
describe_cross (TriadScene *scene)
{
  TriadCrossScene *s = triad_scene_get_inner (scene);
  const TriadCrossFigure *fig = triad_cross_scene_figure (s);
  GString *out;
  int shown;

  if (!triad_cross_scene_has_figure (s))
    return NULL;
  out = g_string_new (triad_cross_scene_title (s));
  shown = fig->n_shown >= 0 ? MIN (fig->n_shown, fig->n_tgt) : fig->n_tgt;
  if (fig->cross != NULL && shown > 0)
    {
      /* TRANSLATORS: for a screen reader, before each target token's strongest source token */
      g_string_append (out, _(". Each target token attends most to: "));
      for (int t = 0; t < shown; t++)
        {
          Cell best[1];
          g_autofree char *w = NULL;

          if (strongest_cells (fig->cross + (size_t) t * fig->n_src, 1, fig->n_src, 1, NULL,
                               best, 1) == 0)
            continue;
          w = triad_format_double (best[0].w, 2);
          /* TRANSLATORS: for a screen reader: target token → source token, weight; items
           * of a list */
          g_string_append_printf (out, _("%s“%s” → “%s”, %s"), t > 0 ? "; " : "",
                                  fig->tgt_labels[t], fig->src_labels[best[0].k], w);
        }
    }
  g_string_append_c (out, '.');
  return g_string_free (out, FALSE);
}

/* ---- KV Cache and the Lesson's cost -------------------------------------------------- */

static char *
describe_kv (TriadScene *scene)
{
  TriadKvScene *s = triad_scene_get_inner (scene);
  const char *title = triad_kv_scene_get_title (s);
  const char *readout = triad_kv_scene_get_readout (s, NULL);
  const char *live = triad_kv_scene_get_live_status (s);
  GString *out = g_string_new (NULL);

  if (title != NULL && *title != '\0')
    g_string_append_printf (out, "%s. ", title);
  if (readout != NULL && *readout != '\0')
    g_string_append_printf (out, "%s ", readout);
  if (live != NULL && *live != '\0')
    g_string_append (out, live);
  return g_strchomp (g_string_free (out, FALSE));
}

char *
triad_scene_describe (TriadScene *scene)
{
  const char *name;

  g_return_val_if_fail (scene != NULL, NULL);

  name = triad_scene_get_name (scene);
  if (g_str_equal (name, "attention"))
    return describe_attention (scene);
  if (g_str_equal (name, "masks"))
    return describe_masks (scene);
  if (g_str_equal (name, "cross"))
    return describe_cross (scene);
  if (g_str_equal (name, "kv"))
    return describe_kv (scene);
  if (g_str_equal (name, "training-live"))
    return triad_training_live_scene_describe (triad_scene_get_inner (scene));
  /* the Lesson's cost chart, and any view to come: its title says what it shows */
  return *triad_scene_get_title (scene) != '\0' ? g_strdup (triad_scene_get_title (scene)) : NULL;
}

char *
triad_scene_describe_part (TriadScene           *scene,
                           const TriadScenePart *part)
{
  const char *name;

  g_return_val_if_fail (scene != NULL && part != NULL, NULL);

  if (part->panel < 0)
    return NULL;
  name = triad_scene_get_name (scene);
  if (g_str_equal (name, "attention"))
    return triad_attention_scene_describe (triad_scene_get_inner (scene), part->row, part->col);
  if (g_str_equal (name, "masks"))
    return triad_masks_scene_describe_cell (triad_scene_get_inner (scene), part->panel,
                                            part->row, part->col);
  if (g_str_equal (name, "cross"))
    return triad_cross_scene_describe (triad_scene_get_inner (scene));
  /* the live chart's step: the status tells the step lit */
  if (g_str_equal (name, "kv") && part->panel == 0)
    return g_strdup (triad_kv_scene_get_live_status (triad_scene_get_inner (scene)));
  if (g_str_equal (name, "training-live"))
    return triad_training_live_scene_describe_part (triad_scene_get_inner (scene), part);
  return NULL;
}

/* ---- walking the cells --------------------------------------------------------------- */

/* (row, col) moved in a rows × cols matrix, stopping at its edges. */
static void
move_in (int            *row,
         int            *col,
         int             rows,
         int             cols,
         TriadSceneMove  move)
{
  switch (move)
    {
    case TRIAD_SCENE_MOVE_LEFT: *col = MAX (*col - 1, 0); break;
    case TRIAD_SCENE_MOVE_RIGHT: *col = MIN (*col + 1, cols - 1); break;
    case TRIAD_SCENE_MOVE_UP: *row = MAX (*row - 1, 0); break;
    case TRIAD_SCENE_MOVE_DOWN: *row = MIN (*row + 1, rows - 1); break;
    case TRIAD_SCENE_MOVE_HOME: *col = 0; break;
    case TRIAD_SCENE_MOVE_END: *col = cols - 1; break;
    case TRIAD_SCENE_MOVE_PAGE_UP:
    case TRIAD_SCENE_MOVE_PAGE_DOWN:
    default:
      break;
    }
  *row = CLAMP (*row, 0, rows - 1);
  *col = CLAMP (*col, 0, cols - 1);
}

/* Item i of a line of n moved (i < 0: none yet, the first), stopping at the ends: every
 * arrow goes along the line. */
static int
step_along (int            i,
            int            n,
            TriadSceneMove move)
{
  if (i < 0)
    return 0;
  i += move == TRIAD_SCENE_MOVE_LEFT || move == TRIAD_SCENE_MOVE_UP ? -1
       : move == TRIAD_SCENE_MOVE_RIGHT || move == TRIAD_SCENE_MOVE_DOWN ? 1
       : move == TRIAD_SCENE_MOVE_HOME ? -n : move == TRIAD_SCENE_MOVE_END ? n : 0;
  return CLAMP (i, 0, n - 1);
}

static gboolean
walk_attention (TriadScene           *scene,
                const TriadScenePart *from,
                TriadSceneMove        move,
                TriadScenePart       *to)
{
  TriadAttentionScene *s = triad_scene_get_inner (scene);
  TriadAttentionFigure fig = triad_attention_scene_get_figure (s);
  int n_q = 0, n_k = 0, row = MAX (from->row, 0), col = MAX (from->col, 0);

  switch (fig)
    {
    case TRIAD_ATTENTION_FIGURE_HEATMAP:
      if (triad_attention_scene_get_weights (s, &n_q, &n_k) == NULL || n_q <= 0 || n_k <= 0)
        return FALSE;
      if (from->panel >= 0)
        move_in (&row, &col, n_q, n_k, move);
      else
        row = col = 0;
      *to = (TriadScenePart) { fig, row, col, -1, -1, 0.0 };
      return TRUE;
    case TRIAD_ATTENTION_FIGURE_LINES:
    case TRIAD_ATTENTION_FIGURE_GRID:
      {
        /* one line of queries, or of heads: every arrow goes along it */
        int n = fig == TRIAD_ATTENTION_FIGURE_GRID ? triad_attention_scene_get_map (s)->cap.n_heads
                                                   : (triad_attention_scene_get_weights (s, &n_q, &n_k), n_q);
        if (n <= 0)
          return FALSE;
        *to = (TriadScenePart) { fig, step_along (from->panel >= 0 ? row : -1, n, move),
                                 -1, -1, -1, 0.0 };
        return TRUE;
      }
    case TRIAD_ATTENTION_FIGURE_NONE:
    default:
      return FALSE;
    }
}

static gboolean
walk_masks (TriadScene           *scene,
            const TriadScenePart *from,
            TriadSceneMove        move,
            TriadScenePart       *to)
{
  const TriadMaskGrid *grid = triad_masks_scene_grid (triad_scene_get_inner (scene));
  int r = from->panel >= 0 && from->panel < TRIAD_MASKS_PART_FORMULA ? from->panel : -1;
  int row = MAX (from->row, 0), col = MAX (from->col, 0);
  const TriadMatrix *m;

  if (grid == NULL || grid->n_rows <= 0)
    return FALSE;
  if (r < 0)
    r = row = col = 0;
  else if (move == TRIAD_SCENE_MOVE_PAGE_UP || move == TRIAD_SCENE_MOVE_PAGE_DOWN)
    r = CLAMP (r + (move == TRIAD_SCENE_MOVE_PAGE_UP ? -1 : 1), 0, grid->n_rows - 1);
  m = &grid->cells[r][2];
  if (m->rows <= 0 || m->cols <= 0)
    return FALSE;
  if (from->panel == r)
    move_in (&row, &col, m->rows, m->cols, move);
  row = CLAMP (row, 0, m->rows - 1);
  col = CLAMP (col, 0, m->cols - 1);
  /* the weights' column of the grid, the one the readout tells */
  *to = (TriadScenePart) { r, row, col, 2, -1, 0.0 };
  return TRUE;
}

static gboolean
walk_cross (TriadScene           *scene,
            const TriadScenePart *from,
            TriadSceneMove        move,
            TriadScenePart       *to)
{
  TriadCrossScene *s = triad_scene_get_inner (scene);
  const TriadCrossOptions *opt = triad_scene_get_options (scene);
  const TriadCrossFigure *fig = triad_cross_scene_figure (s);
  int panel = from->panel >= 0 && from->row >= 0 ? from->panel : TRIAD_CROSS_PANEL_CROSS;
  int shown, rows, cols, row = MAX (from->row, 0), col = MAX (from->col, 0);

  /* the heatmaps' cells; the other displays are walked by their tokens' own keys */
  if (opt->display != TRIAD_CROSS_DISPLAY_HEATMAPS || !triad_cross_scene_has_figure (s))
    return FALSE;
  shown = fig->n_shown >= 0 ? MIN (fig->n_shown, fig->n_tgt) : fig->n_tgt;
  if (move == TRIAD_SCENE_MOVE_PAGE_UP || move == TRIAD_SCENE_MOVE_PAGE_DOWN)
    panel = CLAMP (panel + (move == TRIAD_SCENE_MOVE_PAGE_UP ? -1 : 1), 0,
                   TRIAD_CROSS_N_PANELS - 1);
  rows = panel == TRIAD_CROSS_PANEL_ENCODER ? fig->n_src : shown;
  cols = panel == TRIAD_CROSS_PANEL_DECODER ? shown : fig->n_src;
  if (rows <= 0 || cols <= 0)
    return FALSE;
  if (from->panel == panel && from->row >= 0)
    move_in (&row, &col, rows, cols, move);
  row = CLAMP (row, 0, rows - 1);
  col = CLAMP (col, 0, cols - 1);
  /* the tokens a cell lights, as the pointer over it would: its row's and its column's */
  *to = (TriadScenePart) {
    panel, row, col,
    panel == TRIAD_CROSS_PANEL_ENCODER ? row : panel == TRIAD_CROSS_PANEL_CROSS ? col : -1,
    panel == TRIAD_CROSS_PANEL_ENCODER ? -1 : row,
    0.0
  };
  return TRUE;
}

/* The live chart's steps, one line of them: every arrow goes along it. The memory chart's
 * context is set by its own slider and spin button. */
static gboolean
walk_kv (TriadScene           *scene,
         const TriadScenePart *from,
         TriadSceneMove        move,
         TriadScenePart       *to)
{
  int panel = triad_kv_scene_panel_of (scene);
  int n = triad_kv_scene_get_n_steps (triad_scene_get_inner (scene));

  if ((panel != TRIAD_KV_PANEL_GROWTH && panel != -1) || n <= 0)
    return FALSE;
  *to = (TriadScenePart) { 0, step_along (from->panel == 0 ? MAX (from->row, 0) : -1, n, move),
                           -1, -1, -1, 0.0 };
  return TRUE;
}

/* The maps' cells: the arrows within a map, Page Up and Down from one map to the next (the
 * charts' steps are the timeline's, which has its own scale). */
static gboolean
walk_training (TriadScene           *scene,
               const TriadScenePart *from,
               TriadSceneMove        move,
               TriadScenePart       *to)
{
  TriadTrainingLiveScene *s = triad_scene_get_inner (scene);
  int n_q, n_k, panel, row, col;

  if (triad_training_live_scene_get_map (s, TRIAD_TRAINING_LIVE_NOW, &n_q, &n_k) == NULL
      || n_q <= 0 || n_k <= 0)
    return FALSE;
  if (from->panel < TRIAD_TRAINING_LIVE_NOW)
    {
      *to = (TriadScenePart) { TRIAD_TRAINING_LIVE_NOW, 0, 0, -1, -1, 0.0 };
      return TRUE;
    }
  panel = from->panel, row = from->row, col = from->col;
  if (move == TRIAD_SCENE_MOVE_PAGE_UP || move == TRIAD_SCENE_MOVE_PAGE_DOWN)
    panel = CLAMP (panel + (move == TRIAD_SCENE_MOVE_PAGE_DOWN ? 1 : -1),
                   TRIAD_TRAINING_LIVE_NOW, TRIAD_TRAINING_LIVE_DIFFERENCE);
  else
    move_in (&row, &col, n_q, n_k, move);
  *to = (TriadScenePart) { panel, row, col, -1, -1,
                           triad_training_live_scene_get_map (s, panel, NULL, NULL)
                             [(size_t) row * n_k + col] };
  return TRUE;
}

gboolean
triad_scene_walk (TriadScene           *scene,
                  const TriadScenePart *from,
                  TriadSceneMove        move,
                  TriadScenePart       *to)
{
  const char *name;
  gboolean ok = FALSE;

  g_return_val_if_fail (scene != NULL && from != NULL && to != NULL, FALSE);

  name = triad_scene_get_name (scene);
  if (g_str_equal (name, "attention"))
    ok = walk_attention (scene, from, move, to);
  else if (g_str_equal (name, "masks"))
    ok = walk_masks (scene, from, move, to);
  else if (g_str_equal (name, "cross"))
    ok = walk_cross (scene, from, move, to);
  else if (g_str_equal (name, "kv"))
    ok = walk_kv (scene, from, move, to);
  else if (g_str_equal (name, "training-live"))
    ok = walk_training (scene, from, move, to);
  if (!ok)
    *to = TRIAD_SCENE_PART_NONE;
  return ok;
}
