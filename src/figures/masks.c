/* masks.c — matrices with blocked cells drawn as −∞, the grid of masks, scores and weights,
 * and the attention formula as a pipeline of small matrices. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "figures/figures-private.h"
#include "figures/labelled-matrix.h"
#include "engine/numbers.h"
#include "figures/masks.h"

#define LABEL_GAP       4.0
#define LABEL_LIMIT    90.0   /* labels are ellipsised past this */
#define NUMBER_CELL    24.0   /* the least cell that prints its value */
#define TITLE_GAP       4.0
#define ROW_TITLE_W   170.0   /* the mask grid's left column */
#define OPERATOR_W     22.0   /* between the formula's matrices */

void
triad_diverging_rgb (double v,
                     guint8 rgb[3])
{
  /* blue (33, 102, 172) through white to red (178, 24, 43), ColorBrewer's RdBu ends */
  static const double blue[3] = { 33, 102, 172 }, red[3] = { 178, 24, 43 };
  const double *end = v < 0 ? blue : red;
  double t = CLAMP (fabs (v), 0.0, 1.0);

  for (int i = 0; i < 3; i++)
    rgb[i] = (guint8) lround (255.0 + (end[i] - 255.0) * t);
}

/* ---- one matrix ---------------------------------------------------------------------- */

/* The colour the figure sits on: its background, or the window's when that is transparent. */
static void
paper_rgb (const TriadFigureStyle *style,
           double                  rgb[3])
{
  gboolean dark = style->fg[0] + style->fg[1] + style->fg[2] > 1.5;

  for (int i = 0; i < 3; i++)
    rgb[i] = style->bg[3] > 0.0 ? style->bg[i] : dark ? 0x24 / 255.0 : 1.0;
}

typedef struct {
  double   title_h;
  double   mx, my;        /* top-left of the cells */
  double   cell;
  double   label_size;
  int      label_step;    /* every label_step-th label (labelled-matrix.h) */
  gboolean row_labels;
  gboolean col_labels;
} MatrixGeometry;

static gboolean
is_blocked (const TriadMatrix *m,
            int                r,
            int                c)
{
  return m->allowed != NULL && !m->allowed[(size_t) r * m->cols + c];
}

static void
matrix_geometry (TriadText         *text,
                 const TriadMatrix *m,
                 double             x,
                 double             y,
                 double             width,
                 double             height,
                 MatrixGeometry    *g)
{
  double fs = text->fs, gap = LABEL_GAP * fs, aw, ah, cell, block_w, block_h;
  double rw = 0.0, cw = 0.0;

  memset (g, 0, sizeof *g);
  if (m->title != NULL && *m->title != '\0')
    {
      g_autoptr(PangoLayout) layout = triad_text_layout (text, m->title, TRIAD_FIG_TICK_SIZE * fs,
                                                         TRUE, width);
      double tw;

      triad_text_size (layout, &tw, &g->title_h);
      g->title_h += TITLE_GAP * fs;
    }
  aw = width;
  ah = height - g->title_h;
  if (m->rows <= 0 || m->cols <= 0 || aw <= 0 || ah <= 0)
    return;

  cell = MIN (aw / m->cols, ah / m->rows);
  g->label_size = CLAMP (0.7 * cell, TRIAD_FIG_LABEL_MIN * fs, TRIAD_FIG_LABEL_MAX * fs);
  g->label_step = 1;
  if (text->min_size > 0.0)
    {
      /* on a surface: labels no smaller than it allows, and where a cell is shorter than a
       * label, every other one (or every third), by rule rather than smaller */
      double limit = LABEL_LIMIT * fs;

      g->label_size = triad_text_min (text, g->label_size);
      if (m->row_labels != NULL)
        rw = triad_text_max_width (text, m->row_labels, m->rows, g->label_size, limit) + gap;
      if (m->col_labels != NULL)
        cw = triad_text_max_width (text, m->col_labels, m->cols, g->label_size, limit) + gap;
      cell = MIN ((aw - rw) / m->cols, (ah - cw) / m->rows);
      if (cell > 0.0 && cell * 3 >= g->label_size)
        {
          g->label_step = (int) ceil (g->label_size / cell - 1e-9);
          g->row_labels = m->row_labels != NULL;
          g->col_labels = m->col_labels != NULL;
        }
      else
        {
          rw = cw = 0.0;
          cell = MIN (aw / m->cols, ah / m->rows);
        }
    }
  else if (cell >= TRIAD_FIG_LABEL_MIN * fs)
    {
      double limit = LABEL_LIMIT * fs, c2;

      if (m->row_labels != NULL)
        rw = triad_text_max_width (text, m->row_labels, m->rows, g->label_size, limit) + gap;
      if (m->col_labels != NULL)
        cw = triad_text_max_width (text, m->col_labels, m->cols, g->label_size, limit) + gap;
      c2 = MIN ((aw - rw) / m->cols, (ah - cw) / m->rows);
      if (c2 >= 0.9 * TRIAD_FIG_LABEL_MIN * fs)
        {
          cell = c2;
          g->label_size = MIN (g->label_size, 0.8 * cell);
          g->row_labels = m->row_labels != NULL;
          g->col_labels = m->col_labels != NULL;
        }
      else
        rw = cw = 0.0;
    }
  g->cell = MAX (cell, 0.0);
  block_w = rw + g->cell * m->cols;
  block_h = cw + g->cell * m->rows;
  g->mx = x + MAX (0.0, (width - block_w) / 2) + rw;
  g->my = y + g->title_h + MAX (0.0, (ah - block_h) / 2) + cw;
}

/* The largest magnitude of the cells shown and allowed, for a signed matrix's scale. */
static double
signed_max (const TriadMatrix *m,
            int                rows)
{
  double max = 0.0;

  for (int r = 0; r < rows; r++)
    for (int c = 0; c < m->cols; c++)
      if (!is_blocked (m, r, c))
        max = MAX (max, fabs (m->values[(size_t) r * m->cols + c]));
  return max > 0.0 ? max : 1.0;
}

static void
cell_rgb (const TriadMatrix      *m,
          const TriadFigureStyle *style,
          double                  v,
          double                  max,
          double                  rgb[3])
{
  guint8 c[3];

  switch (m->kind)
    {
    case TRIAD_CELLS_MASK:
      /* allowed: the background lifted a little toward the text, a quiet "0" */
      paper_rgb (style, rgb);
      for (int i = 0; i < 3; i++)
        rgb[i] = rgb[i] * 0.88 + style->fg[i] * 0.12;
      return;
    case TRIAD_CELLS_SIGNED:
      triad_diverging_rgb (v / max, c);
      break;
    case TRIAD_CELLS_WEIGHTS:
    default:
      triad_colormap_rgb (m->cmap, CLAMP (v, 0.0, 1.0), c);
      break;
    }
  for (int i = 0; i < 3; i++)
    rgb[i] = c[i] / 255.0;
}

/* A blocked cell: dark, hatched, and "−∞" where there is room. */
static void
draw_blocked (cairo_t                *cr,
              TriadText              *text,
              const TriadFigureStyle *style,
              double                  x,
              double                  y,
              double                  s)
{
  double fs = text->fs;
  gboolean dark = style->fg[0] + style->fg[1] + style->fg[2] > 1.5;

  gboolean contrast = style->masked[3] > 0.0;

  cairo_save (cr);
  cairo_rectangle (cr, x, y, s, s);
  if (contrast)
    cairo_set_source_rgba (cr, style->masked[0], style->masked[1], style->masked[2],
                           style->masked[3]);
  else if (dark)
    cairo_set_source_rgb (cr, 0.08, 0.08, 0.09);
  else
    cairo_set_source_rgb (cr, 0.30, 0.30, 0.32);
  cairo_fill_preserve (cr);
  cairo_clip (cr);
  /* high contrast: the hatch plain white, not a tint */
  cairo_set_source_rgba (cr, 1, 1, 1, contrast ? 0.6 : dark ? 0.10 : 0.14);
  cairo_set_line_width (cr, MAX (0.5, 0.04 * s));
  for (double d = -s; d < s; d += MAX (2.5, s / 5.0))
    {
      cairo_move_to (cr, x + d, y + s);
      cairo_line_to (cr, x + d + s, y);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
  if (contrast)
    triad_figure_outline (cr, style, style->fg, x + 0.5, y + 0.5, s - 1.0, s - 1.0,
                          MAX (0.5, 0.04 * s), FALSE);
  if (s >= 18.0 * fs)
    {
      static const double white[4] = { 1, 1, 1, 0.92 };
      g_autoptr(PangoLayout) layout = triad_text_layout (text, "−∞", MIN (0.36 * s, 14.0 * fs),
                                                         TRUE, -1);

      triad_text_draw (text, layout, x + s / 2, y + s / 2, 0.0, 0.5, 0.5, white);
    }
}

static void
draw_number (TriadText *text,
             double     v,
             gboolean   mask,
             double     rgb[3],
             double     x,
             double     y,
             double     s)
{
  g_autofree char *buf = NULL;
  double lum = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  double ink[4] = { 0, 0, 0, 0.85 };
  g_autoptr(PangoLayout) layout = NULL;

  /* triad_format_double writes no "-0" */
  if (mask)
    buf = g_strdup ("0");
  else
    buf = triad_format_double (v, fabs (v) >= 9.95 ? 0 : 1);
  if (lum < 0.5)
    ink[0] = ink[1] = ink[2] = 1.0;
  layout = triad_text_layout (text, buf, MIN (0.3 * s, 13.0 * text->fs), FALSE, s);
  triad_text_draw (text, layout, x + s / 2, y + s / 2, 0.0, 0.5, 0.5, ink);
}

/* The matrix as the labelled-matrix painter sees it: every row, computed or not. */
static void
matrix_labelled (const TriadMatrix         *m,
                 const MatrixGeometry      *g,
                 double                     fs,
                 TriadLabelledMatrix       *lm)
{
  *lm = (TriadLabelledMatrix) {
    .x = g->mx, .y = g->my, .cell_w = g->cell, .cell_h = g->cell,
    .rows = m->rows, .cols = m->cols,
    .row_labels = g->row_labels ? m->row_labels : NULL,
    .col_labels = g->col_labels ? m->col_labels : NULL,
    .label_size = g->label_size, .label_max_w = LABEL_LIMIT * fs, .gap = LABEL_GAP * fs,
    .label_step = g->label_step,
    .lit_row = m->hover_row, .lit_col = m->hover_col,
  };
}

static void
matrix_draw (cairo_t                *cr,
             TriadText              *text,
             const TriadMatrix      *m,
             const TriadFigureStyle *style,
             double                  x,
             double                  y,
             double                  width,
             double                  height)
{
  MatrixGeometry g;
  TriadLabelledMatrix lm;
  double fs = text->fs, s, max;
  int shown;
  gboolean numbers;

  matrix_geometry (text, m, x, y, width, height, &g);
  if (m->title != NULL && *m->title != '\0')
    {
      g_autoptr(PangoLayout) layout = triad_text_layout (text, m->title, TRIAD_FIG_TICK_SIZE * fs,
                                                         TRUE, width);

      triad_text_draw (text, layout, x + width / 2, y, 0.0, 0.5, 0.0,
                       m->highlight ? style->accent : style->fg);
    }
  s = g.cell;
  if (s <= 0.0)
    return;
  shown = m->visible_rows < 0 ? m->rows : MIN (m->visible_rows, m->rows);
  max = m->kind == TRIAD_CELLS_SIGNED && m->values != NULL ? signed_max (m, shown) : 1.0;
  numbers = s >= NUMBER_CELL * fs;

  for (int r = 0; r < m->rows; r++)
    for (int c = 0; c < m->cols; c++)
      {
        double cx = g.mx + c * s, cy = g.my + r * s, rgb[3];
        double v = m->values != NULL ? m->values[(size_t) r * m->cols + c] : 0.0;

        if (r >= shown)
          {
            /* not computed yet: an empty cell */
            cairo_rectangle (cr, cx + 0.5, cy + 0.5, s - 1.0, s - 1.0);
            cairo_set_source_rgba (cr, style->fg[0], style->fg[1], style->fg[2], 0.12);
            cairo_set_line_width (cr, 1.0);
            cairo_stroke (cr);
            continue;
          }
        if (is_blocked (m, r, c))
          {
            draw_blocked (cr, text, style, cx, cy, s);
            continue;
          }
        cell_rgb (m, style, v, max, rgb);
        cairo_rectangle (cr, cx, cy, s, s);
        cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
        cairo_fill (cr);
        if (numbers)
          draw_number (text, v, m->kind == TRIAD_CELLS_MASK, rgb, cx, cy, s);
      }
  /* thin rules between cells large enough to need them */
  if (s >= 10.0 * fs)
    {
      double paper[3];

      paper_rgb (style, paper);
      cairo_save (cr);
      cairo_set_source_rgba (cr, paper[0], paper[1], paper[2], 0.7);
      cairo_set_line_width (cr, 1.0);
      for (int c = 1; c < m->cols; c++)
        {
          cairo_move_to (cr, g.mx + c * s, g.my);
          cairo_line_to (cr, g.mx + c * s, g.my + shown * s);
        }
      for (int r = 1; r <= shown && r < m->rows; r++)
        {
          cairo_move_to (cr, g.mx, g.my + r * s);
          cairo_line_to (cr, g.mx + m->cols * s, g.my + r * s);
        }
      cairo_stroke (cr);
      cairo_restore (cr);
    }

  matrix_labelled (m, &g, fs, &lm);
  triad_labelled_matrix_outline_lit (cr, style, &lm, 1.5 * fs);
  if (m->highlight)
    triad_figure_outline (cr, style, style->accent, g.mx - 3 * fs, g.my - 3 * fs,
                          m->cols * s + 6 * fs, m->rows * s + 6 * fs, 2.5 * fs, FALSE);

  triad_labelled_matrix_draw_labels (text, style, &lm);
}

void
triad_matrix_draw (cairo_t                *cr,
                   const TriadMatrix      *m,
                   const TriadFigureStyle *style,
                   double                  x,
                   double                  y,
                   double                  width,
                   double                  height)
{
  TriadText text;

  g_return_if_fail (cr != NULL && m != NULL && style != NULL);

  triad_text_init (&text, cr, style);
  matrix_draw (cr, &text, m, style, x, y, width, height);
  triad_text_clear (&text);
}

static gboolean
matrix_hit (TriadText         *text,
            const TriadMatrix *m,
            double             x,
            double             y,
            double             width,
            double             height,
            double             px,
            double             py,
            int               *row,
            int               *col)
{
  MatrixGeometry g;
  TriadLabelledMatrix lm;
  int r, c;

  matrix_geometry (text, m, x, y, width, height, &g);
  matrix_labelled (m, &g, text->fs, &lm);
  /* the cells alone: a label names no cell of a mask */
  if (!triad_labelled_matrix_hit (&lm, 0.0, 0.0, px, py, &r, &c))
    return FALSE;
  if (row != NULL)
    *row = r;
  if (col != NULL)
    *col = c;
  return TRUE;
}

gboolean
triad_matrix_hit (const TriadMatrix      *m,
                  const TriadFigureStyle *style,
                  double                  x,
                  double                  y,
                  double                  width,
                  double                  height,
                  double                  px,
                  double                  py,
                  int                    *row,
                  int                    *col)
{
  TriadText text;
  gboolean hit;

  g_return_val_if_fail (m != NULL && style != NULL, FALSE);

  triad_text_init (&text, NULL, style);
  hit = matrix_hit (&text, m, x, y, width, height, px, py, row, col);
  triad_text_clear (&text);
  return hit;
}

/* ---- the grid of masks, scores and weights ------------------------------------------ */

typedef struct {
  double title_h;
  double left_w;          /* the row titles' column */
  double x0, y0;          /* the first matrix */
  double slot_w, slot_h;  /* one matrix's rectangle */
} GridGeometry;

static void
grid_geometry (TriadText           *text,
               const TriadMaskGrid *grid,
               double               width,
               double               height,
               GridGeometry        *g)
{
  double fs = text->fs, pad = TRIAD_FIG_PAD * fs, gap = 10.0 * fs;
  int rows = MAX (grid->n_rows, 1);

  g->title_h = triad_figure_title_height (text, grid->title);
  if (g->title_h > 0)
    g->title_h += 6.0 * fs;
  g->left_w = MIN (ROW_TITLE_W * fs, 0.22 * width);
  g->x0 = pad + g->left_w + gap;
  g->y0 = pad + g->title_h;
  g->slot_w = MAX (0.0, (width - g->x0 - pad - (TRIAD_MASK_GRID_COLS - 1) * gap) / TRIAD_MASK_GRID_COLS);
  g->slot_h = MAX (0.0, (height - g->y0 - pad - (rows - 1) * gap) / rows);
}

static void
grid_slot (const GridGeometry *g,
           double              fs,
           int                 r,
           int                 c,
           double             *x,
           double             *y)
{
  double gap = 10.0 * fs;

  *x = g->x0 + c * (g->slot_w + gap);
  *y = g->y0 + r * (g->slot_h + gap);
}

/* A row's title or note, wrapped at words to the left column's width. */
static PangoLayout *
row_text (TriadText  *text,
          const char *str,
          double      size,
          gboolean    bold,
          double      width)
{
  PangoLayout *layout = triad_text_layout (text, str, size, bold, -1);

  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
  pango_layout_set_single_paragraph_mode (layout, FALSE);
  return layout;
}

void
triad_mask_grid_draw (cairo_t                *cr,
                      const TriadMaskGrid    *grid,
                      const TriadFigureStyle *style,
                      double                  width,
                      double                  height)
{
  TriadText text;
  GridGeometry g;
  double fs, pad;

  g_return_if_fail (cr != NULL && grid != NULL && style != NULL);

  triad_figure_fill_bg (cr, style, width, height);
  triad_text_init (&text, cr, style);
  fs = text.fs;
  pad = TRIAD_FIG_PAD * fs;
  grid_geometry (&text, grid, width, height, &g);
  triad_figure_draw_title (&text, style, grid->title, pad, pad, width - 2 * pad);

  for (int r = 0; r < grid->n_rows && r < TRIAD_MASK_GRID_MAX_ROWS; r++)
    {
      double x, y, th = 0, tw;

      grid_slot (&g, fs, r, 0, &x, &y);
      {
        g_autoptr(PangoLayout) title = NULL;
        g_autoptr(PangoLayout) note = NULL;
        double muted[4] = { style->fg[0], style->fg[1], style->fg[2], 0.75 };
        double nh = 0.0, top;

        if (grid->row_titles[r] != NULL)
          {
            title = row_text (&text, grid->row_titles[r], TRIAD_FIG_TITLE_SIZE * 0.9 * fs, TRUE,
                              g.left_w);
            triad_text_size (title, &tw, &th);
          }
        if (grid->row_notes[r] != NULL)
          {
            note = row_text (&text, grid->row_notes[r], TRIAD_FIG_TICK_SIZE * fs, FALSE,
                             g.left_w);
            triad_text_size (note, &tw, &nh);
          }
        /* the title ends just above the row's middle and the note starts there; on a
         * surface, where the type is large, the two start no higher than the row's top (a
         * long title in Russian would else rise into the grid's title) */
        top = y + g.slot_h / 2 - 4 * fs - th;
        if (text.min_size > 0.0)
          top = MAX (y, MIN (top, y + g.slot_h - th - 4 * fs - nh));
        if (title != NULL)
          triad_text_draw (&text, title, pad, top, 0.0, 0.0, 0.0, style->fg);
        if (note != NULL)
          triad_text_draw (&text, note, pad, top + th + 4 * fs, 0.0, 0.0, 0.0, muted);
      }
      for (int c = 0; c < TRIAD_MASK_GRID_COLS; c++)
        {
          grid_slot (&g, fs, r, c, &x, &y);
          matrix_draw (cr, &text, &grid->cells[r][c], style, x, y, g.slot_w, g.slot_h);
        }
    }
  triad_text_clear (&text);
}

gboolean
triad_mask_grid_hit (const TriadMaskGrid    *grid,
                     const TriadFigureStyle *style,
                     double                  width,
                     double                  height,
                     double                  px,
                     double                  py,
                     int                    *r,
                     int                    *c,
                     int                    *row,
                     int                    *col)
{
  TriadText text;
  GridGeometry g;
  gboolean hit = FALSE;

  g_return_val_if_fail (grid != NULL && style != NULL, FALSE);

  triad_text_init (&text, NULL, style);
  grid_geometry (&text, grid, width, height, &g);
  for (int i = 0; i < grid->n_rows && !hit; i++)
    for (int j = 0; j < TRIAD_MASK_GRID_COLS && !hit; j++)
      {
        double x, y;

        grid_slot (&g, text.fs, i, j, &x, &y);
        if (px >= x && px < x + g.slot_w && py >= y && py < y + g.slot_h
            && matrix_hit (&text, &grid->cells[i][j], x, y, g.slot_w, g.slot_h, px, py, row, col))
          {
            hit = TRUE;
            if (r != NULL)
              *r = i;
            if (c != NULL)
              *c = j;
          }
      }
  triad_text_clear (&text);
  return hit;
}

/* ---- the formula --------------------------------------------------------------------- */

/* A Pango layout of markup at size. */
static PangoLayout *
markup_layout (TriadText  *text,
               const char *markup,
               double      size)
{
  PangoLayout *layout = triad_text_layout (text, "", size, FALSE, -1);

  pango_layout_set_markup (layout, markup, -1);
  return layout;
}

/* Attention(Q, K, V) = softmax(Q Kᵀ over √d_k) V, the fraction set as a fraction, centred at
 * (cx, top); with rotary, RoPE(Q) RoPE(K)ᵀ over √d_k. Returns its height. */
static double
formula_typeset (cairo_t                *cr,
                 TriadText              *text,
                 const TriadFigureStyle *style,
                 double                  cx,
                 double                  top,
                 double                  size,
                 gboolean                rotary)
{
  g_autoptr(PangoLayout) left = markup_layout (text, "Attention(<i>Q</i>, <i>K</i>, <i>V</i>) = softmax", size);
  g_autoptr(PangoLayout) open = markup_layout (text, "(", size * 1.5);
  g_autoptr(PangoLayout) num = markup_layout (text, rotary
                                              ? "RoPE(<i>Q</i>) RoPE(<i>K</i>)<sup>T</sup>"
                                              : "<i>QK</i><sup>T</sup>", size);
  g_autoptr(PangoLayout) root = markup_layout (text, "√", size);
  g_autoptr(PangoLayout) den = markup_layout (text, "<i>d</i><sub>k</sub>", size);
  g_autoptr(PangoLayout) close = markup_layout (text, ")", size * 1.5);
  g_autoptr(PangoLayout) right = markup_layout (text, " <i>V</i>", size);
  double lw, lh, ow, oh, nw, nh, rw, rh, dw, dh, cw, ch, vw, vh, frac_w, total, x, mid, h;

  triad_text_size (left, &lw, &lh);
  triad_text_size (open, &ow, &oh);
  triad_text_size (num, &nw, &nh);
  triad_text_size (root, &rw, &rh);
  triad_text_size (den, &dw, &dh);
  triad_text_size (close, &cw, &ch);
  triad_text_size (right, &vw, &vh);
  frac_w = MAX (nw, rw + dw) + 0.3 * size;
  total = lw + ow + frac_w + cw + vw;
  h = nh + dh + 0.2 * size;
  mid = top + nh + 0.1 * size;       /* the fraction bar */
  x = cx - total / 2;

  triad_text_draw (text, left, x, mid, 0.0, 0.0, 0.5, style->fg);
  x += lw;
  triad_text_draw (text, open, x, mid, 0.0, 0.0, 0.5, style->fg);
  x += ow;
  triad_text_draw (text, num, x + frac_w / 2, mid - 0.06 * size, 0.0, 0.5, 1.0, style->fg);
  {
    double dx = x + (frac_w - rw - dw) / 2;

    triad_text_draw (text, root, dx, mid + 0.08 * size, 0.0, 0.0, 0.0, style->fg);
    triad_text_draw (text, den, dx + rw, mid + 0.1 * size, 0.0, 0.0, 0.0, style->fg);
    /* the radical's bar over d_k */
    cairo_set_source_rgba (cr, style->fg[0], style->fg[1], style->fg[2], style->fg[3]);
    cairo_set_line_width (cr, MAX (1.0, 0.05 * size));
    cairo_move_to (cr, dx + rw * 0.92, mid + 0.18 * size);
    cairo_line_to (cr, dx + rw + dw, mid + 0.18 * size);
    cairo_stroke (cr);
  }
  cairo_set_line_width (cr, MAX (1.0, 0.06 * size));
  cairo_move_to (cr, x + 0.1 * size, mid);
  cairo_line_to (cr, x + frac_w - 0.1 * size, mid);
  cairo_stroke (cr);
  x += frac_w;
  triad_text_draw (text, close, x, mid, 0.0, 0.0, 0.5, style->fg);
  x += cw;
  triad_text_draw (text, right, x, mid, 0.0, 0.0, 0.5, style->fg);
  return h;
}

/* Attention(Q, K, V) = softmax(Q Kᵀ + B + mask) V on one line, centred at (cx, top): what a
 * model computes that adds a position bias B and does not divide by √d_k (T5); returns its
 * height. The mask's word is the formula's, as the step's label "+ mask" is: notation, not
 * prose, so it is not translated. */
static double
formula_typeset_bias (TriadText              *text,
                      const TriadFigureStyle *style,
                      double                  cx,
                      double                  top,
                      double                  size)
{
  g_autoptr(PangoLayout) line = markup_layout (text, "Attention(<i>Q</i>, <i>K</i>, <i>V</i>) = "
                                               "softmax(<i>QK</i><sup>T</sup> + <i>B</i> + mask) "
                                               "<i>V</i>", size);
  double w, h;

  /* level with where the two-line formula's fraction bar would be */
  triad_text_size (line, &w, &h);
  triad_text_draw (text, line, cx, top + 0.6 * size, 0.0, 0.5, 0.5, style->fg);
  return h;
}

/* The operators between the formula's matrices: Q ⋅ Kᵀ, ÷ (with a position bias: +), +,
 * softmax, × V */
static const char * const operators[TRIAD_FORMULA_STEPS - 1] = { "·", "→", "÷", "+", "→", "×" };

typedef struct {
  gboolean show_equation; /* FALSE: the steps alone, under the title */
  double formula_size;    /* the equation's type */
  double formula_h;
  double row_y, row_h;
  double x[TRIAD_FORMULA_STEPS];
  double w[TRIAD_FORMULA_STEPS];
  double caption_y;
  double caption_size;
} FormulaGeometry;

/* The step's caption under the formula, wrapped at width and centred. */
static PangoLayout *
caption_layout (TriadText  *text,
                const char *caption,
                double      size,
                double      width)
{
  PangoLayout *layout = triad_text_layout (text, caption, size, FALSE, -1);

  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
  pango_layout_set_single_paragraph_mode (layout, FALSE);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  return layout;
}

static void
formula_geometry (TriadText          *text,
                  const TriadFormula *f,
                  double              width,
                  double              height,
                  FormulaGeometry    *g)
{
  double fs = text->fs, pad = TRIAD_FIG_PAD * fs, op = OPERATOR_W * fs, caption_h = 40.0 * fs;
  double avail, title_h = triad_figure_title_height (text, f->title);
  double units = 0.0, x;

  memset (g, 0, sizeof *g);
  /* on a surface the type is already large: the equation at a title's size, and no room
   * kept for a step's caption when there is none */
  g->formula_size = (text->min_size > 0.0 ? TRIAD_FIG_TITLE_SIZE : 20.0) * fs;
  g->caption_size = 14.0 * fs;
  if (text->min_size > 0.0)
    {
      /* and a caption at the body's size, as tall as its lines */
      g->caption_size = TRIAD_FIG_TICK_SIZE * fs;
      caption_h = 0.0;
      if (f->caption != NULL && *f->caption != '\0')
        {
          g_autoptr(PangoLayout) layout = caption_layout (text, f->caption, g->caption_size,
                                                          width - 2 * pad);
          double cw;

          triad_text_size (layout, &cw, &caption_h);
          caption_h += 8.0 * fs;
        }
    }
  g->formula_h = title_h + (text->min_size > 0.0 ? 3.5 : 62.0 / 20.0) * g->formula_size;
  g->show_equation = TRUE;
  /* on a surface short of room (a presentation's window, under its controls), the equation
   * gives way to the steps' matrices, which it only restates, rather than leave them a sliver:
   * they keep at least a step's caption and four lines of body text */
  if (text->min_size > 0.0
      && height - 2 * pad - g->formula_h - caption_h < 5.0 * TRIAD_FIG_TICK_SIZE * fs)
    {
      g->show_equation = FALSE;
      g->formula_h = title_h + 6.0 * fs;
    }
  g->row_y = pad + g->formula_h;
  g->row_h = MAX (0.0, height - g->row_y - caption_h - pad);
  g->caption_y = g->row_y + g->row_h + 8.0 * fs;
  avail = width - 2 * pad - (TRIAD_FORMULA_STEPS - 1) * op;
  /* n × d_k vectors get less room than n × n matrices: their cells are read as a pattern */
  for (int i = 0; i < TRIAD_FORMULA_STEPS; i++)
    units += f->steps[i].cols > f->steps[i].rows ? 0.8 : 1.0;
  x = pad;
  for (int i = 0; i < TRIAD_FORMULA_STEPS; i++)
    {
      g->w[i] = MAX (0.0, avail * (f->steps[i].cols > f->steps[i].rows ? 0.8 : 1.0) / units);
      g->x[i] = x;
      x += g->w[i] + op;
    }
}

void
triad_formula_draw (cairo_t                *cr,
                    const TriadFormula     *f,
                    const TriadFigureStyle *style,
                    double                  width,
                    double                  height)
{
  TriadText text;
  FormulaGeometry g;
  double fs, pad, title_h;

  g_return_if_fail (cr != NULL && f != NULL && style != NULL);

  triad_figure_fill_bg (cr, style, width, height);
  triad_text_init (&text, cr, style);
  fs = text.fs;
  pad = TRIAD_FIG_PAD * fs;
  formula_geometry (&text, f, width, height, &g);
  title_h = triad_figure_title_height (&text, f->title);
  triad_figure_draw_title (&text, style, f->title, pad, pad, width - 2 * pad);
  if (!g.show_equation)
    ;
  else if (f->bias)
    formula_typeset_bias (&text, style, width / 2, pad + title_h + 6 * fs, g.formula_size);
  else
    formula_typeset (cr, &text, style, width / 2, pad + title_h + 6 * fs, g.formula_size,
                     f->rotary);

  for (int i = 0; i < TRIAD_FORMULA_STEPS; i++)
    {
      TriadMatrix m = f->steps[i];

      m.highlight = i == f->current;
      if (f->rotary && i < 2)
        {
          /* the vectors as W_Q and W_K made them above, the same rotated by RoPE below */
          TriadMatrix before = f->unrotated[i];
          double half = g.row_h / 2;

          before.highlight = m.highlight;
          matrix_draw (cr, &text, &before, style, g.x[i], g.row_y, g.w[i], half - 2 * fs);
          matrix_draw (cr, &text, &m, style, g.x[i], g.row_y + half + 2 * fs, g.w[i],
                       half - 2 * fs);
        }
      else
        matrix_draw (cr, &text, &m, style, g.x[i], g.row_y, g.w[i], g.row_h);
      if (i + 1 < TRIAD_FORMULA_STEPS)
        {
          const char *op = f->bias && i == 2 ? "+" : operators[i];
          g_autoptr(PangoLayout) layout = triad_text_layout (&text, op, 18.0 * fs, TRUE, -1);

          triad_text_draw (&text, layout, g.x[i] + g.w[i] + OPERATOR_W * fs / 2,
                           g.row_y + g.row_h / 2, 0.0, 0.5, 0.5, style->fg);
        }
    }
  if (f->caption != NULL)
    {
      g_autoptr(PangoLayout) layout = caption_layout (&text, f->caption, g.caption_size,
                                                      width - 2 * pad);

      triad_text_draw (&text, layout, width / 2, g.caption_y, 0.0, 0.5, 0.0, style->fg);
    }
  triad_text_clear (&text);
}

int
triad_formula_hit (const TriadFormula     *f,
                   const TriadFigureStyle *style,
                   double                  width,
                   double                  height,
                   double                  px,
                   double                  py)
{
  TriadText text;
  FormulaGeometry g;
  int step = -1;

  g_return_val_if_fail (f != NULL && style != NULL, -1);

  triad_text_init (&text, NULL, style);
  formula_geometry (&text, f, width, height, &g);
  for (int i = 0; i < TRIAD_FORMULA_STEPS; i++)
    if (px >= g.x[i] && px < g.x[i] + g.w[i] && py >= g.row_y && py < g.row_y + g.row_h)
      step = i;
  triad_text_clear (&text);
  return step;
}
