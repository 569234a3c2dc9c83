/* head-grid.c — every head of a layer as small multiples, on one colour scale. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"

#include "figures/figures-private.h"
#include "figures/labelled-matrix.h"

#define GAP_X          16.0
#define GAP_Y          12.0
#define CAPTION_GAP     3.0
#define OUTLINE_OFFSET  3.0
#define COLORBAR_GAP   16.0
#define COLORBAR_W     12.0
#define COLORBAR_MIN  120.0
#define GROUP_GAP      14.0   /* more room between K/V groups than between their heads */
#define BRACKET_GAP     5.0   /* between a group's matrices and its bracket */
#define BRACKET_TICK    4.0
#define LABEL_GAP       4.0   /* between a token label and the cells */
#define LABEL_LIMIT    90.0   /* token labels are ellipsised past this */
#define LABEL_STEP_MAX  3     /* token labels every third at most, else none */

typedef struct {
  int    cols, rows;
  double title_y;
  double x0, y0;          /* top-left of the first panel */
  double panel_w, panel_h;  /* a panel: its caption above its matrix */
  double caption_h;
  double cell;            /* one attention cell */
  int    group;           /* query heads per K/V head; 1: no grouping */
  double group_gap;       /* extra room before each group after a row's first */
  double group_h;         /* the bracket and its label under each row of matrices */
  double global_max;
  double cb_x, cb_y, cb_w, cb_h;
  /* the token labels on the grid's outer edges: queries left of the first column, keys above
   * the first row's maps (under its captions), every label_step-th where cells are short */
  double label_size;
  double q_margin, k_band;   /* their room, gap included; 0 without them */
  int    label_step;
} GridGeometry;

/* Whether the grid draws K/V groups: more than one query head to a K/V head, groups whole. */
static gboolean
grouped (const TriadHeadGrid *grid)
{
  return grid->kv_group > 1 && grid->n_heads % grid->kv_group == 0;
}

/* The largest cell that n_heads maps take in aw × ah, and the columns (g->cols, g->rows) that
 * give it: near-square for square matrices in a square figure, wider or taller as the figure
 * and the matrices are. The first row is taller by the key labels' band. */
static double
best_cell (const TriadHeadGrid *grid,
           GridGeometry        *g,
           double               aw,
           double               ah,
           double               gap_x,
           double               gap_y,
           double               fs)
{
  double best = -1.0;

  for (int cols = 1; cols <= grid->n_heads; cols++)
    {
      int rows = (grid->n_heads + cols - 1) / cols;
      /* grouped: whole groups to a row, so that a bracket spans each */
      double pw = (aw - (cols - 1) * gap_x - (cols / g->group - 1) * g->group_gap) / cols;
      double ph = (ah - (rows - 1) * gap_y) / rows - g->caption_h - CAPTION_GAP * fs - g->group_h;
      double cell;

      if (cols % g->group != 0)
        continue;
      cell = MIN (pw / grid->n_k, ph / grid->n_q);
      if (cell > best)
        {
          best = cell;
          g->cols = cols;
          g->rows = rows;
        }
    }
  return best;
}

static void
grid_geometry (const TriadHeadGrid *grid,
               TriadText           *text,
               double               width,
               double               height,
               GridGeometry        *g)
{
  double fs = text->fs, pad = TRIAD_FIG_PAD * fs, gap_x = GAP_X * fs, gap_y = GAP_Y * fs;
  double title_h, title_gap, cb_extra = 0.0, aw, ah, best = -1.0, block_w, block_h, ox, oy;
  gboolean have_cells = grid->n_heads > 0 && grid->n_q > 0 && grid->n_k > 0
                        && grid->weights != NULL;

  memset (g, 0, sizeof *g);
  g->group = grouped (grid) ? grid->kv_group : 1;
  g->global_max = have_cells
                  ? triad_weights_max (grid->weights,
                                       (size_t) grid->n_heads * grid->n_q * grid->n_k)
                  : 0.0;
  {
    g_autoptr(PangoLayout) probe = triad_text_layout (text, "0", TRIAD_FIG_TICK_SIZE * fs,
                                                      FALSE, -1);
    double w;

    triad_text_size (probe, &w, &g->caption_h);
  }
  if (g->group > 1)
    {
      g->group_gap = GROUP_GAP * fs;
      g->group_h = (BRACKET_GAP + BRACKET_TICK) * fs + CAPTION_GAP * fs + g->caption_h;
    }
  title_h = triad_figure_title_height (text, grid->title);
  title_gap = title_h > 0.0 ? 8.0 * fs : 0.0;
  if (grid->show_colorbar)
    cb_extra = (COLORBAR_GAP + COLORBAR_W) * fs
               + triad_colorbar_extra_width (text, grid->norm, g->global_max,
                                             grid->colorbar_label);
  aw = width - 2 * pad - cb_extra;
  ah = height - 2 * pad - title_h - title_gap;
  g->title_y = pad;
  g->x0 = pad;
  g->y0 = pad + title_h + title_gap;
  if (!have_cells || aw <= 0.0 || ah <= 0.0)
    return;

  /* the token labels at the body's size (or the surface's smallest), if their cells leave
   * them room at every LABEL_STEP_MAX-th at least */
  g->label_size = triad_text_min (text, TRIAD_FIG_TICK_SIZE * fs);
  if (grid->q_labels != NULL && grid->k_labels != NULL)
    {
      double limit = LABEL_LIMIT * fs, gap = LABEL_GAP * fs;

      g->q_margin = triad_text_max_width (text, grid->q_labels, grid->n_q, g->label_size, limit)
                    + gap;
      g->k_band = triad_text_max_width (text, grid->k_labels, grid->n_k, g->label_size, limit)
                  + gap;
      best = best_cell (grid, g, aw - g->q_margin, ah - g->k_band, gap_x, gap_y, fs);
      if (best * LABEL_STEP_MAX < g->label_size)
        g->q_margin = g->k_band = 0.0;
      else
        g->label_step = MAX (1, (int) ceil (g->label_size / best - 1e-9));
    }
  if (g->q_margin <= 0.0)
    best = best_cell (grid, g, aw, ah, gap_x, gap_y, fs);
  g->cell = MAX (best, 0.0);
  g->panel_w = g->cell * grid->n_k;
  g->panel_h = g->caption_h + CAPTION_GAP * fs + g->cell * grid->n_q + g->group_h;

  block_w = g->q_margin + g->cols * g->panel_w + (g->cols - 1) * gap_x
            + (g->cols / g->group - 1) * g->group_gap;
  block_h = g->k_band + g->rows * g->panel_h + (g->rows - 1) * gap_y;
  if (grid->show_colorbar)
    {
      g->cb_h = MAX (block_h - g->caption_h - CAPTION_GAP * fs - g->k_band,
                     MIN (ah, COLORBAR_MIN * fs));
      block_h = MAX (block_h, g->cb_h + g->caption_h + CAPTION_GAP * fs + g->k_band);
    }
  ox = pad + MAX (0.0, (width - 2 * pad - block_w - cb_extra) / 2);
  oy = pad + MAX (0.0, (height - 2 * pad - title_h - title_gap - block_h) / 2);
  g->title_y = oy;
  g->x0 = ox + g->q_margin;
  g->y0 = oy + title_h + title_gap;
  if (grid->show_colorbar)
    {
      g->cb_x = ox + block_w + COLORBAR_GAP * fs;
      g->cb_y = g->y0 + g->caption_h + CAPTION_GAP * fs + g->k_band;
      g->cb_w = COLORBAR_W * fs;
    }
}

/* The top of row r's panels (their captions), and the height of that row's panel: the first
 * row holds the key labels' band between its captions and its maps. */
static double
row_top (const GridGeometry *g,
         double              fs,
         int                 r)
{
  return g->y0 + r * (g->panel_h + GAP_Y * fs) + (r > 0 ? g->k_band : 0.0);
}

static double
row_height (const GridGeometry *g,
            int                 r)
{
  return g->panel_h + (r == 0 ? g->k_band : 0.0);
}

/* The left of column c's panels. */
static double
column_x (const GridGeometry *g,
          double              fs,
          int                 c)
{
  return g->x0 + c * (g->panel_w + GAP_X * fs) + (c / g->group) * g->group_gap;
}

/* The top-left of head h's panel. */
static void
panel_origin (const GridGeometry *g,
              double              fs,
              int                 h,
              double             *x,
              double             *y)
{
  *x = column_x (g, fs, h % g->cols);
  *y = row_top (g, fs, h / g->cols);
}

/* Under a K/V group's matrices, from x0 to x1 at y: a bracket and "K/V head g". */
static void
draw_group_bracket (cairo_t                *cr,
                    TriadText              *text,
                    const TriadFigureStyle *style,
                    int                     group,
                    double                  x0,
                    double                  x1,
                    double                  y)
{
  double fs = text->fs, tick = BRACKET_TICK * fs;
  /* TRANSLATORS: under the query heads of a grouped-query attention layer that share one key
   * and value head; %d counts from 0 */
  g_autofree char *label = g_strdup_printf (_("K/V head %d"), group);
  g_autoptr(PangoLayout) layout = triad_text_layout (text, label, TRIAD_FIG_TICK_SIZE * fs,
                                                     FALSE, x1 - x0 + GAP_X * fs);

  y += BRACKET_GAP * fs;
  cairo_set_source_rgba (cr, style->fg[0], style->fg[1], style->fg[2], style->fg[3] * 0.7);
  cairo_set_line_width (cr, MAX (1.0, 1.2 * fs));
  cairo_move_to (cr, x0, y);
  cairo_line_to (cr, x0, y + tick);
  cairo_line_to (cr, x1, y + tick);
  cairo_line_to (cr, x1, y);
  cairo_stroke (cr);
  triad_text_draw (text, layout, (x0 + x1) / 2, y + tick + CAPTION_GAP * fs, 0.0, 0.5, 0.0,
                   style->fg);
}

void
triad_head_grid_draw (cairo_t                *cr,
                      const TriadHeadGrid    *grid,
                      const TriadFigureStyle *style,
                      double                  width,
                      double                  height)
{
  TriadText text;
  GridGeometry g;
  double fs, pad, matrix_h;
  size_t stride;

  g_return_if_fail (cr != NULL && grid != NULL && style != NULL);

  triad_figure_fill_bg (cr, style, width, height);
  triad_text_init (&text, cr, style);
  grid_geometry (grid, &text, width, height, &g);
  fs = text.fs;
  pad = TRIAD_FIG_PAD * fs;
  triad_figure_draw_title (&text, style, grid->title, pad, g.title_y, width - 2 * pad);
  if (g.cols == 0 || g.cell <= 0.0)
    {
      triad_text_clear (&text);
      return;
    }

  stride = (size_t) grid->n_q * grid->n_k;
  matrix_h = g.cell * grid->n_q;
  for (int h = 0; h < grid->n_heads; h++)
    {
      gboolean selected = h == grid->selected, hovered = h == grid->hover;
      /* TRANSLATORS: the caption of one attention head in the grid of a layer's heads */
      g_autofree char *caption = g_strdup_printf (_("Head %d"), h);
      g_autoptr(PangoLayout) layout = triad_text_layout (&text, caption,
                                                         TRIAD_FIG_TICK_SIZE * fs, selected,
                                                         g.panel_w + GAP_X * fs);
      cairo_surface_t *cells;
      double px, py, my, off = OUTLINE_OFFSET * fs;

      panel_origin (&g, fs, h, &px, &py);
      my = py + g.caption_h + CAPTION_GAP * fs + (h < g.cols ? g.k_band : 0.0);
      if (g.q_margin > 0.0 && (h % g.cols == 0 || h < g.cols))
        {
          /* the tokens on the grid's outer edges: queries left of the first column, keys
           * above the first row */
          TriadLabelledMatrix lm = {
            .x = px, .y = my, .cell_w = g.cell, .cell_h = g.cell,
            .rows = grid->n_q, .cols = grid->n_k,
            .row_labels = h % g.cols == 0 ? grid->q_labels : NULL,
            .col_labels = h < g.cols ? grid->k_labels : NULL,
            .label_size = g.label_size, .label_max_w = LABEL_LIMIT * fs,
            .gap = LABEL_GAP * fs, .label_step = g.label_step, .lit_row = -1, .lit_col = -1,
          };

          triad_labelled_matrix_draw_labels (&text, style, &lm);
        }
      triad_text_draw (&text, layout, px + g.panel_w / 2, py, 0.0, 0.5, 0.0,
                       selected ? style->accent : style->fg);
      cells = triad_render_cells (grid->weights + h * stride, grid->n_q, grid->n_k, grid->cmap,
                                  grid->norm, g.global_max);
      triad_paint_cells (cr, cells, px, my, g.panel_w, matrix_h);
      cairo_surface_destroy (cells);

      if (selected)
        triad_figure_outline (cr, style, style->accent, px - off, my - off,
                              g.panel_w + 2 * off, matrix_h + 2 * off, 2.0 * fs, FALSE);
      else if (hovered)
        {
          double light[4] = { style->fg[0], style->fg[1], style->fg[2], style->fg[3] * 0.4 };

          triad_figure_outline (cr, style, light, px - off, my - off,
                                g.panel_w + 2 * off, matrix_h + 2 * off, 1.5 * fs, FALSE);
        }
      /* the group's last head closes its bracket, from the group's first head's panel */
      if (g.group > 1 && (h % g.group == g.group - 1 || h == grid->n_heads - 1))
        {
          double first_x, first_y;

          panel_origin (&g, fs, h - h % g.group, &first_x, &first_y);
          draw_group_bracket (cr, &text, style, h / g.group, first_x, px + g.panel_w,
                              my + matrix_h);
        }
    }

  if (grid->show_colorbar)
    triad_colorbar_draw (&text, style, grid->cmap, grid->norm, g.global_max,
                         grid->colorbar_label, g.cb_x, g.cb_y, g.cb_w, g.cb_h);
  triad_text_clear (&text);
}

int
triad_head_grid_hit (const TriadHeadGrid    *grid,
                     const TriadFigureStyle *style,
                     double                  width,
                     double                  height,
                     double                  x,
                     double                  y)
{
  TriadText text;
  GridGeometry g;
  double fs;
  int col, row, h;

  g_return_val_if_fail (grid != NULL && style != NULL, -1);

  triad_text_init (&text, NULL, style);
  grid_geometry (grid, &text, width, height, &g);
  fs = text.fs;
  triad_text_clear (&text);
  if (g.cols == 0 || g.cell <= 0.0 || x < g.x0 || y < g.y0)
    return -1;

  /* the panel whose caption or matrix holds the point; the gaps between belong to none */
  col = -1;
  for (int c = 0; c < g.cols; c++)
    if (x >= column_x (&g, fs, c) && x < column_x (&g, fs, c) + g.panel_w)
      col = c;
  row = -1;
  for (int r = 0; r < g.rows; r++)
    if (y >= row_top (&g, fs, r) && y < row_top (&g, fs, r) + row_height (&g, r))
      row = r;
  if (col < 0 || row < 0)
    return -1;
  h = row * g.cols + col;
  return h < grid->n_heads ? h : -1;
}

int
triad_head_grid_n_groups (const TriadHeadGrid *grid)
{
  g_return_val_if_fail (grid != NULL, 0);

  return grouped (grid) ? grid->n_heads / grid->kv_group : 0;
}
