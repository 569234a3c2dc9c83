/* heatmap.c — one attention matrix: cells as one scaled image, token labels, a colour bar. */
#include <math.h>
#include <string.h>

#include "figures/figures-private.h"
#include "figures/labelled-matrix.h"

#define LABEL_GAP      4.0    /* between a token label and the matrix */
#define COLORBAR_GAP  12.0
#define COLORBAR_W    12.0
#define COLORBAR_MIN 120.0    /* the bar's least height, for a matrix of few rows */
#define LABEL_LIMIT  140.0    /* labels are ellipsised past this, or a quarter of the width */
#define SURFACE_LABEL_STEP_MAX 3  /* token labels every third at most on a surface */

/* Everything draw needs, of which the public layout is the part hit-testing uses. */
typedef struct {
  TriadHeatmapLayout pub;
  double title_y;
  double label_max_w;
  double global_max;
} HeatmapGeometry;

/* The cell size that labels of `size` leave: the matrix keeps square cells. */
static double
cell_for_size (const TriadHeatmap *hm,
               double              aw,
               double              ah,
               double              q_w,
               double              k_w,
               double              limit,
               double              gap,
               double              size,
               double              ref,
               double             *q_margin,
               double             *k_margin)
{
  *q_margin = hm->q_labels != NULL ? MIN (q_w * size / ref, limit) + gap : 0.0;
  *k_margin = hm->k_labels != NULL ? MIN (k_w * size / ref, limit) + gap : 0.0;
  return MAX (0.0, MIN ((aw - *q_margin) / hm->n_k, (ah - *k_margin) / hm->n_q));
}

static void
heatmap_geometry (const TriadHeatmap     *hm,
                  TriadText              *text,
                  double                  width,
                  double                  height,
                  HeatmapGeometry        *g)
{
  TriadHeatmapLayout *l = &g->pub;
  gboolean show_colorbar = hm->show_colorbar;
  double fs = text->fs, pad = TRIAD_FIG_PAD * fs, gap = LABEL_GAP * fs;
  double title_h, title_gap, cb_extra = 0.0, aw, ah, cell, q_margin = 0.0, k_margin = 0.0;
  double matrix_w, matrix_h, cb_h, block_w, block_h, ox, oy;
  /* on a surface, never under its smallest type */
  double lo = triad_text_min (text, TRIAD_FIG_LABEL_MIN * fs);
  double hi = MAX (TRIAD_FIG_LABEL_MAX * fs, lo);
  gboolean have_cells = hm->n_q > 0 && hm->n_k > 0 && hm->weights != NULL;

  memset (g, 0, sizeof *g);
  g->global_max = have_cells ? triad_weights_max (hm->weights, (size_t) hm->n_q * hm->n_k) : 0.0;
  g->label_max_w = MIN (LABEL_LIMIT * fs, 0.25 * width);

  title_h = triad_figure_title_height (text, hm->title);
  title_gap = title_h > 0.0 ? 8.0 * fs : 0.0;
  if (show_colorbar)
    cb_extra = (COLORBAR_GAP + COLORBAR_W) * fs
               + triad_colorbar_extra_width (text, hm->norm, g->global_max, hm->colorbar_label);
  aw = width - 2 * pad - cb_extra;
  ah = height - 2 * pad - title_h - title_gap;
  l->label_size = lo;
  if (!have_cells || aw <= 0.0 || ah <= 0.0)
    {
      l->x = pad;
      l->y = pad + title_h + title_gap;
      g->title_y = pad;
      return;
    }

  cell = MIN (aw / hm->n_k, ah / hm->n_q);
  l->label_step = 1;
  /* Labels only if cells could be as tall as the smallest label (on a surface, as a third of
   * it: every third label): measuring thousands of labels that would not show is wasted
   * work. */
  if (cell * (text->min_size > 0.0 ? SURFACE_LABEL_STEP_MAX : 1) >= lo
      && (hm->q_labels != NULL || hm->k_labels != NULL))
    {
      double q_w = triad_text_max_width (text, hm->q_labels, hm->n_q, hi, -1);
      double k_w = triad_text_max_width (text, hm->k_labels, hm->n_k, hi, -1);
      double size = hi;

      /* The label size is 3/4 of the cell, within bounds, and the cell is what the labels
       * leave: the one size that agrees with both, by bisection (the cell shrinks as the
       * labels grow, since unhinted text widths scale with the size). */
      if (0.75 * cell_for_size (hm, aw, ah, q_w, k_w, g->label_max_w, gap, hi, hi,
                                &q_margin, &k_margin) < hi)
        {
          double a = lo, b = hi;

          for (int i = 0; i < 40; i++)
            {
              double mid = (a + b) / 2;

              if (0.75 * cell_for_size (hm, aw, ah, q_w, k_w, g->label_max_w, gap, mid, hi,
                                        &q_margin, &k_margin) >= mid)
                a = mid;
              else
                b = mid;
            }
          size = a;
        }
      cell = cell_for_size (hm, aw, ah, q_w, k_w, g->label_max_w, gap, size, hi,
                            &q_margin, &k_margin);
      l->label_size = size;
      if (cell >= size
          || (text->min_size > 0.0 && cell > 0.0 && cell * SURFACE_LABEL_STEP_MAX >= size))
        {
          /* on a surface, where cells are shorter than its smallest type, every other label
           * (or every third) rather than smaller ones */
          l->label_step = cell >= size ? 1 : (int) ceil (size / cell - 1e-9);
          l->show_q_labels = hm->q_labels != NULL;
          l->show_k_labels = hm->k_labels != NULL;
        }
      else
        {
          q_margin = k_margin = 0.0;
          cell = MIN (aw / hm->n_k, ah / hm->n_q);
        }
    }

  matrix_w = cell * hm->n_k;
  matrix_h = cell * hm->n_q;
  cb_h = show_colorbar ? MAX (matrix_h, MIN (ah - k_margin, COLORBAR_MIN * fs)) : 0.0;
  block_w = q_margin + matrix_w + cb_extra;
  block_h = title_h + title_gap + k_margin + MAX (matrix_h, cb_h);
  ox = pad + MAX (0.0, (width - 2 * pad - block_w) / 2);
  oy = pad + MAX (0.0, (height - 2 * pad - block_h) / 2);

  g->title_y = oy;
  l->x = ox + q_margin;
  l->y = oy + title_h + title_gap + k_margin;
  l->cell_w = l->cell_h = cell;
  l->width = matrix_w;
  l->height = matrix_h;
  if (show_colorbar)
    {
      l->colorbar_x = l->x + matrix_w + COLORBAR_GAP * fs;
      l->colorbar_y = l->y;
      l->colorbar_w = COLORBAR_W * fs;
      l->colorbar_h = cb_h;
    }
}

void
triad_heatmap_layout (const TriadHeatmap     *hm,
                      const TriadFigureStyle *style,
                      double                  width,
                      double                  height,
                      TriadHeatmapLayout     *layout)
{
  TriadText text;
  HeatmapGeometry g;

  g_return_if_fail (hm != NULL && style != NULL && layout != NULL);

  triad_text_init (&text, NULL, style);
  heatmap_geometry (hm, &text, width, height, &g);
  triad_text_clear (&text);
  *layout = g.pub;
}

cairo_surface_t *
triad_heatmap_render_cells (const TriadHeatmap *hm)
{
  g_return_val_if_fail (hm != NULL && hm->weights != NULL && hm->n_q > 0 && hm->n_k > 0, NULL);

  return triad_render_cells (hm->weights, hm->n_q, hm->n_k, hm->cmap, hm->norm,
                             triad_weights_max (hm->weights, (size_t) hm->n_q * hm->n_k));
}

/* The cells as an image no larger than the pixels they cover. Where a pixel spans several
 * cells the nearest one is taken, as painting the full image without smoothing would show
 * it — without mapping and holding millions of cells that no pixel shows (a 4096 × 4096
 * matrix in a 1000-pixel square). Per-row normalisation needs whole rows: it keeps them. */
static cairo_surface_t *
render_visible_cells (cairo_t                  *cr,
                      const TriadHeatmap       *hm,
                      const TriadHeatmapLayout *l,
                      double                    global_max)
{
  double pw = l->width, ph = l->height;
  int cols, rows;
  g_autofree float *sample = NULL;
  g_autofree int *ks = NULL;
  cairo_surface_t *cells;

  cairo_user_to_device_distance (cr, &pw, &ph);
  cols = (int) MIN ((double) hm->n_k, ceil (fabs (pw)));
  rows = (int) MIN ((double) hm->n_q, ceil (fabs (ph)));
  if (hm->norm == TRIAD_NORM_ROW || cols < 1 || rows < 1
      || ((size_t) cols * rows) * 2 > (size_t) hm->n_k * hm->n_q)
    return triad_render_cells (hm->weights, hm->n_q, hm->n_k, hm->cmap, hm->norm, global_max);

  sample = g_new (float, (size_t) rows * cols);
  ks = g_new (int, cols);
  for (int c = 0; c < cols; c++)
    ks[c] = MIN (hm->n_k - 1, (int) (((double) c + 0.5) * hm->n_k / cols));
  for (int r = 0; r < rows; r++)
    {
      const float *row = hm->weights + (size_t) MIN (hm->n_q - 1, (int) (((double) r + 0.5) * hm->n_q / rows)) * hm->n_k;
      float *out = sample + (size_t) r * cols;

      for (int c = 0; c < cols; c++)
        out[c] = row[ks[c]];
    }
  cells = triad_render_cells (sample, rows, cols, hm->cmap, hm->norm, global_max);
  return cells;
}

void
triad_heatmap_draw (cairo_t                *cr,
                    const TriadHeatmap     *hm,
                    const TriadFigureStyle *style,
                    double                  width,
                    double                  height)
{
  TriadText text;
  HeatmapGeometry g;
  const TriadHeatmapLayout *l = &g.pub;
  double fs, pad, gap;
  gboolean hovered;

  g_return_if_fail (cr != NULL && hm != NULL && style != NULL);

  triad_figure_fill_bg (cr, style, width, height);
  triad_text_init (&text, cr, style);
  heatmap_geometry (hm, &text, width, height, &g);
  fs = text.fs;
  pad = TRIAD_FIG_PAD * fs;
  gap = LABEL_GAP * fs;
  triad_figure_draw_title (&text, style, hm->title, pad, g.title_y, width - 2 * pad);

  if (l->width <= 0.0 || l->height <= 0.0)
    {
      triad_text_clear (&text);
      return;
    }

  if (hm->cells != NULL && cairo_image_surface_get_width (hm->cells) == hm->n_k
      && cairo_image_surface_get_height (hm->cells) == hm->n_q)
    triad_paint_cells (cr, hm->cells, l->x, l->y, l->width, l->height);
  else
    {
      cairo_surface_t *cells = render_visible_cells (cr, hm, l, g.global_max);

      triad_paint_cells (cr, cells, l->x, l->y, l->width, l->height);
      cairo_surface_destroy (cells);
    }

  hovered = hm->hover_q >= 0 && hm->hover_q < hm->n_q && hm->hover_k >= 0 && hm->hover_k < hm->n_k;
  if (hovered)
    {
      double cx = l->x + (hm->hover_k + 0.5) * l->cell_w;
      double cy = l->y + (hm->hover_q + 0.5) * l->cell_h;
      /* never smaller than a few units, so one cell of thousands still shows */
      double side_w = MAX (l->cell_w, 4.0 * fs), side_h = MAX (l->cell_h, 4.0 * fs);
      double lw = CLAMP (0.12 * MIN (l->cell_w, l->cell_h), 1.0, 2.5) * fs;

      triad_figure_outline (cr, style, style->accent, cx - side_w / 2, cy - side_h / 2,
                            side_w, side_h, lw, TRUE);
      /* without labels, marks at the edges say which row and column */
      cairo_save (cr);
      cairo_set_source_rgba (cr, style->accent[0], style->accent[1], style->accent[2],
                             style->accent[3]);
      cairo_set_line_width (cr, 2.0 * fs);
      if (!l->show_q_labels)
        {
          cairo_move_to (cr, l->x - gap - 4.0 * fs, cy);
          cairo_line_to (cr, l->x - gap, cy);
        }
      if (!l->show_k_labels)
        {
          cairo_move_to (cr, cx, l->y - gap - 4.0 * fs);
          cairo_line_to (cr, cx, l->y - gap);
        }
      cairo_stroke (cr);
      cairo_restore (cr);
    }

  {
    TriadLabelledMatrix m = {
      .x = l->x, .y = l->y, .cell_w = l->cell_w, .cell_h = l->cell_h,
      .rows = hm->n_q, .cols = hm->n_k,
      .row_labels = l->show_q_labels ? hm->q_labels : NULL,
      .col_labels = l->show_k_labels ? hm->k_labels : NULL,
      .label_size = l->label_size, .label_max_w = g.label_max_w, .gap = gap,
      .label_step = l->label_step,
      .lit_row = hovered ? hm->hover_q : -1, .lit_col = hovered ? hm->hover_k : -1,
    };

    triad_labelled_matrix_draw_labels (&text, style, &m);
  }

  if (hm->show_colorbar)
    triad_colorbar_draw (&text, style, hm->cmap, hm->norm, g.global_max, hm->colorbar_label,
                         l->colorbar_x, l->colorbar_y, l->colorbar_w, l->colorbar_h);
  triad_text_clear (&text);
}

gboolean
triad_heatmap_hit (const TriadHeatmapLayout *layout,
                   const TriadHeatmap       *hm,
                   double                    x,
                   double                    y,
                   int                      *q,
                   int                      *k)
{
  int qi, ki;

  g_return_val_if_fail (layout != NULL && hm != NULL, FALSE);

  if (hm->n_q <= 0 || hm->n_k <= 0 || layout->cell_w <= 0.0 || layout->cell_h <= 0.0
      || !(x >= layout->x && x < layout->x + layout->width
           && y >= layout->y && y < layout->y + layout->height))
    return FALSE;
  ki = CLAMP ((int) floor ((x - layout->x) / layout->cell_w), 0, hm->n_k - 1);
  qi = CLAMP ((int) floor ((y - layout->y) / layout->cell_h), 0, hm->n_q - 1);
  if (q != NULL)
    *q = qi;
  if (k != NULL)
    *k = ki;
  return TRUE;
}
