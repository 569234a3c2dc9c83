/* alignment.c — the Cross-attention view's figures: three linked panels with a K/V gauge,
 * alignment lines, and two attentions side by side. The panels are drawn here rather than
 * as three heatmaps so that every cell has one size and one colour scale, and the
 * cross-attention lines up with the encoder's columns and the decoder's rows. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"

#include "figures/alignment.h"
#include "figures/figures-private.h"
#include "figures/labelled-matrix.h"
#include "engine/numbers.h"

#define LABEL_GAP      4.0    /* between a token label and its matrix */
#define PANEL_GAP     22.0    /* between panels */
#define CAPTION_SIZE  11.0
#define CAPTION_GAP    6.0    /* between a caption and the labels under it */
#define CELL_MAX      56.0    /* cells no larger: a short sentence stays a figure, not a wall */
#define LABEL_LIMIT  120.0    /* labels are ellipsised past this, or a fifth of the width */
#define COLORBAR_GAP  16.0
#define COLORBAR_W    12.0
#define GAUGE_MIN_W  230.0
#define GAUGE_MIN_H  150.0
#define SLOT_MAX      24.0    /* a cached position in the gauge, at most this wide */
#define SLOT_H        16.0

/* ---- what a hovered token lights ------------------------------------------------------ */

void
triad_cross_panel_lit (TriadCrossPanel        panel,
                       const TriadCrossHover *hover,
                       int                   *row,
                       int                   *col)
{
  *row = *col = -1;
  g_return_if_fail (hover != NULL);

  switch (panel)
    {
    case TRIAD_CROSS_PANEL_ENCODER:
      *row = *col = hover->src;
      break;
    case TRIAD_CROSS_PANEL_DECODER:
      *row = *col = hover->tgt;
      break;
    case TRIAD_CROSS_PANEL_CROSS:
      *row = hover->tgt;
      *col = hover->src;
      break;
    case TRIAD_CROSS_N_PANELS:
    default:
      break;
    }
  *row = MAX (*row, -1);
  *col = MAX (*col, -1);
}

/* ---- shared parts -------------------------------------------------------------------- */

/* One matrix with its labels, drawn at a given cell size. */
typedef struct {
  const float        *weights;    /* (n_q, n_k) */
  int                 n_q, n_k;
  int                 q_shown;    /* rows and columns drawn */
  int                 k_shown;
  const char * const *q_labels;
  const char * const *k_labels;
  const char         *caption;
  double              x, y;       /* top-left of the matrix */
  double              q_label_w;  /* the row labels' column, gap included */
  double              k_label_h;  /* the column labels' band, gap included */
  double              caption_x;  /* the caption's left; 0: the row labels' left */
  double              caption_w;  /* its room; 0: the labels and the matrix */
  int                 lit_row;
  int                 lit_col;
  int                 cell_row;   /* outlined */
  int                 cell_col;
} Panel;

static double
caption_height (TriadText *text)
{
  g_autoptr(PangoLayout) layout = triad_text_layout (text, "Ag", CAPTION_SIZE * text->fs, TRUE,
                                                     -1);
  double w, h;

  triad_text_size (layout, &w, &h);
  return h;
}

static double
line_height (TriadText *text,
             double     size)
{
  g_autoptr(PangoLayout) layout = triad_text_layout (text, "Ag", size, FALSE, -1);
  double w, h;

  triad_text_size (layout, &w, &h);
  return h;
}

/* The weights of the first rows and columns, (q_shown, k_shown), as one image. */
static cairo_surface_t *
render_part (const float   *weights,
             int            n_k,
             int            q_shown,
             int            k_shown,
             TriadColormap  cmap,
             double         global_max)
{
  g_autofree float *part = g_new (float, (size_t) q_shown * k_shown);

  for (int q = 0; q < q_shown; q++)
    memcpy (part + (size_t) q * k_shown, weights + (size_t) q * n_k, sizeof (float) * k_shown);
  return triad_render_cells (part, q_shown, k_shown, cmap, TRIAD_NORM_GLOBAL, global_max);
}

static void
set_rgba (cairo_t      *cr,
          const double  rgba[4],
          double        alpha)
{
  cairo_set_source_rgba (cr, rgba[0], rgba[1], rgba[2], rgba[3] * alpha);
}

/* The panel's drawn rows and columns as the labelled-matrix painter sees them. */
static void
panel_matrix (const Panel         *p,
              double               cell,
              double               label_size,
              double               label_max_w,
              double               gap,
              TriadLabelledMatrix *m)
{
  *m = (TriadLabelledMatrix) {
    .x = p->x, .y = p->y, .cell_w = cell, .cell_h = cell,
    .rows = p->q_shown, .cols = p->k_shown,
    .row_labels = p->q_labels, .col_labels = p->k_labels,
    .label_size = label_size, .label_max_w = label_max_w, .gap = gap,
    .lit_row = p->lit_row, .lit_col = p->lit_col,
  };
}

static void
draw_panel (TriadText              *text,
            const TriadFigureStyle *style,
            const Panel            *p,
            double                  cell,
            gboolean                show_labels,
            double                  label_size,
            double                  label_max_w,
            TriadColormap           cmap,
            double                  global_max)
{
  cairo_t *cr = text->cr;
  double fs = text->fs, gap = LABEL_GAP * fs;
  double full_w = p->n_k * cell, full_h = p->n_q * cell;
  double lw = CLAMP (0.08 * cell, 1.0, 2.5) * fs;
  TriadLabelledMatrix m;

  if (full_w <= 0.0 || full_h <= 0.0)
    return;

  /* where the rows still to be decoded will go */
  if (p->q_shown < p->n_q || p->k_shown < p->n_k)
    {
      double dash[] = { 3.0 * fs, 3.0 * fs };

      cairo_save (cr);
      set_rgba (cr, style->fg, 0.35);
      cairo_set_line_width (cr, 0.75 * fs);
      cairo_set_dash (cr, dash, 2, 0.0);
      cairo_rectangle (cr, p->x, p->y, full_w, full_h);
      cairo_stroke (cr);
      cairo_restore (cr);
    }

  if (p->q_shown > 0 && p->k_shown > 0 && p->weights != NULL)
    {
      cairo_surface_t *cells = render_part (p->weights, p->n_k, p->q_shown, p->k_shown, cmap,
                                            global_max);

      triad_paint_cells (cr, cells, p->x, p->y, p->k_shown * cell, p->q_shown * cell);
      cairo_surface_destroy (cells);
    }

  /* the lit token's row and column, then the cell under the pointer */
  panel_matrix (p, cell, label_size, label_max_w, gap, &m);
  triad_labelled_matrix_outline_lit (cr, style, &m, lw);
  if (p->cell_row >= 0 && p->cell_row < p->q_shown && p->cell_col >= 0 && p->cell_col < p->k_shown)
    triad_figure_outline (cr, style, style->fg, p->x + p->cell_col * cell,
                          p->y + p->cell_row * cell, cell, cell, 1.6 * lw, TRUE);
  if (show_labels)
    triad_labelled_matrix_draw_labels (text, style, &m);

  if (p->caption != NULL && *p->caption != '\0')
    {
      double left = p->caption_x > 0.0 ? p->caption_x : p->x - p->q_label_w;
      double room = p->caption_w > 0.0 ? p->caption_w : p->q_label_w + full_w;
      g_autoptr(PangoLayout) layout = triad_text_layout (text, p->caption, CAPTION_SIZE * fs, TRUE,
                                                         MAX (room, 40.0 * fs));

      triad_text_draw (text, layout, left, p->y - p->k_label_h - CAPTION_GAP * fs, 0.0, 0.0, 1.0,
                       style->fg);
    }
}

/* The cell, row label or column label of a drawn panel under (x, y). */
static gboolean
panel_hit (const Panel *p,
           double       cell,
           double       x,
           double       y,
           int         *row,
           int         *col)
{
  TriadLabelledMatrix m;

  panel_matrix (p, cell, 0.0, 0.0, 0.0, &m);
  return triad_labelled_matrix_hit (&m, p->q_label_w, p->k_label_h, x, y, row, col);
}

static double
max_of (const float *w,
        size_t       n,
        double       m)
{
  return w != NULL ? MAX (m, triad_weights_max (w, n)) : m;
}

/* ---- the K/V gauge ------------------------------------------------------------------- */

static void
draw_slots (cairo_t                *cr,
            const TriadFigureStyle *style,
            const double            fill[4],
            double                  x,
            double                  y,
            double                  slot_w,
            double                  slot_h,
            int                     filled,
            int                     total,
            double                  fs)
{
  double sgap = slot_w > 5.0 * fs ? 1.5 * fs : 0.0;

  cairo_save (cr);
  for (int i = 0; i < total; i++)
    {
      cairo_rectangle (cr, x + i * slot_w, y, MAX (slot_w - sgap, 0.5), slot_h);
      if (i < filled)
        {
          set_rgba (cr, fill, 1.0);
          cairo_fill (cr);
        }
      else
        {
          set_rgba (cr, style->fg, 0.3);
          cairo_set_line_width (cr, 0.75 * fs);
          cairo_stroke (cr);
        }
    }
  cairo_restore (cr);
}

void
triad_kv_gauge_draw (cairo_t                *cr,
                     const TriadKvGauge     *g,
                     const TriadFigureStyle *style,
                     double                  x,
                     double                  y,
                     double                  width,
                     double                  height)
{
  TriadText text;
  double fs, size, cap_h, line_h, slot_w, slot_h, cy;
  int n_slots;
  g_autofree char *self_bytes = NULL, *cross_bytes = NULL, *per = NULL;
  g_autofree char *self_line = NULL, *cross_line = NULL, *note = NULL;
  double cross_fill[4];
  const char *lines[4];

  g_return_if_fail (cr != NULL && g != NULL && style != NULL);
  if (width <= 0.0 || height <= 0.0)
    return;

  triad_text_init (&text, cr, style);
  fs = text.fs;
  size = TRIAD_FIG_TICK_SIZE * fs;
  cap_h = caption_height (&text);
  line_h = line_height (&text, size);
  n_slots = MAX (MAX (g->self_positions_max, g->cross_positions), 1);
  slot_w = MIN (width / n_slots, SLOT_MAX * fs);
  slot_h = SLOT_H * fs;
  memcpy (cross_fill, style->fg, sizeof cross_fill);
  cross_fill[3] *= 0.55;

  self_bytes = triad_format_size ((double) g->self_bytes, FALSE);
  cross_bytes = triad_format_size ((double) g->cross_bytes, FALSE);
  /* TRANSLATORS: the decoder's K/V cache in the gauge: positions cached so far, of all, and
   * its size in bytes, e.g. "3 of 6 positions · 9.2 kB" */
  self_line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d of %d position · %s",
                                            "%d of %d positions · %s", g->self_positions_max),
                               g->self_positions, g->self_positions_max, self_bytes);
  /* TRANSLATORS: the cross-attention K/V in the gauge: source positions and its size, which
   * the encoder's output gives once, e.g. "8 positions · 24.6 kB, computed once" */
  cross_line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d position · %s, computed once",
                                             "%d positions · %s, computed once",
                                             g->cross_positions),
                                g->cross_positions, cross_bytes);
  if (g->self_positions > 0)
    {
      per = triad_format_size ((double) (g->self_bytes / (size_t) g->self_positions), FALSE);
      /* TRANSLATORS: how much the decoder's K/V cache grows with each token it reads */
      note = g_strdup_printf (_("Each decoding step adds %s to the decoder’s cache"), per);
    }

  cy = y;
  {
    /* TRANSLATORS: the title of the gauge of the key and value cache */
    g_autoptr(PangoLayout) layout = triad_text_layout (&text, _("Key and value cache"),
                                                       CAPTION_SIZE * fs, TRUE, width);
    triad_text_draw (&text, layout, x, cy, 0.0, 0.0, 0.0, style->fg);
    cy += cap_h + 8.0 * fs;
  }

  lines[0] = _("Decoder self-attention K/V");
  lines[1] = self_line;
  lines[2] = _("Cross-attention K/V");
  lines[3] = cross_line;
  for (int i = 0; i < 2; i++)
    {
      for (int j = 0; j < 2; j++)
        {
          g_autoptr(PangoLayout) layout = triad_text_layout (&text, lines[2 * i + j], size,
                                                             FALSE, width);
          double rgba[4] = { style->fg[0], style->fg[1], style->fg[2],
                             style->fg[3] * (j == 0 ? 1.0 : 0.75) };

          triad_text_draw (&text, layout, x, cy, 0.0, 0.0, 0.0, rgba);
          cy += line_h;
        }
      cy += 3.0 * fs;
      if (i == 0)
        draw_slots (cr, style, style->accent, x, cy, slot_w, slot_h, g->self_positions,
                    g->self_positions_max, fs);
      else
        draw_slots (cr, style, cross_fill, x, cy, slot_w, slot_h, g->cross_positions,
                    g->cross_positions, fs);
      cy += slot_h + 10.0 * fs;
    }
  if (note != NULL && cy + line_h <= y + height + 1.0)
    {
      g_autoptr(PangoLayout) layout = triad_text_layout (&text, note, size, FALSE, width);
      double rgba[4] = { style->fg[0], style->fg[1], style->fg[2], style->fg[3] * 0.75 };

      /* the one line that may run long: on two lines at most, as the box allows */
      pango_layout_set_single_paragraph_mode (layout, FALSE);
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
      pango_layout_set_height (layout, (int) (-MIN (2, MAX (1, floor ((y + height - cy) / line_h)))));
      triad_text_draw (&text, layout, x, cy, 0.0, 0.0, 0.0, rgba);
    }
  triad_text_clear (&text);
}

/* ---- the three linked panels --------------------------------------------------------- */

typedef struct {
  TriadCrossLayout pub;
  double  title_y;
  double  src_w, tgt_w;     /* the widest labels, ellipsised; 0 without labels */
  double  label_max_w;
  double  band_top;         /* the encoder's column labels, gap included */
  double  band_bottom;      /* the bottom panels' column labels */
  double  tgt_col;          /* the decoder's row labels, gap included */
  double  mid_col;          /* the row labels between the left and right panels */
  double  global_max;
  double  cb_extra;
  double  fs;
  double  left_x, left_w;   /* the left column: the gauge over the decoder's panel */
} CrossGeometry;

static const char *
default_caption (TriadCrossPanel panel)
{
  switch (panel)
    {
    case TRIAD_CROSS_PANEL_ENCODER:
      /* TRANSLATORS: caption of a panel; the encoder sees the whole source at once */
      return _("Encoder self-attention · bidirectional");
    case TRIAD_CROSS_PANEL_DECODER:
      /* TRANSLATORS: caption of a panel; the decoder's self-attention is masked */
      return _("Decoder self-attention · causal");
    case TRIAD_CROSS_PANEL_CROSS:
    case TRIAD_CROSS_N_PANELS:
    default:
      /* TRANSLATORS: caption of a panel: target tokens (rows) attend to source tokens */
      return _("Cross-attention · target × source");
    }
}

static int
n_shown (const TriadCrossFigure *fig)
{
  return CLAMP (fig->n_shown, 0, fig->n_tgt);
}

static void
cross_geometry (const TriadCrossFigure *fig,
                TriadText              *text,
                double                  width,
                double                  height,
                CrossGeometry          *g)
{
  TriadCrossLayout *l = &g->pub;
  double fs = text->fs, pad = TRIAD_FIG_PAD * fs, gap = LABEL_GAP * fs, pgap = PANEL_GAP * fs;
  double lo = TRIAD_FIG_LABEL_MIN * fs, hi = TRIAD_FIG_LABEL_MAX * fs;
  double title_h, title_gap, cap_block, gw_min, gh_min, ws_hi = 0.0, wt_hi = 0.0, c = 0.0;
  double left_w, top_h, block_w, block_h, ox, oy, top_y;
  int S = fig->n_src, T = fig->n_tgt;
  gboolean show = TRUE;

  memset (g, 0, sizeof *g);
  g->fs = fs;
  g->label_max_w = MIN (LABEL_LIMIT * fs, 0.2 * width);
  title_h = triad_figure_title_height (text, fig->title);
  title_gap = title_h > 0.0 ? 8.0 * fs : 0.0;
  g->title_y = pad;
  if (S <= 0 || T <= 0 || fig->enc_self == NULL || fig->dec_self == NULL || fig->cross == NULL)
    return;

  g->global_max = max_of (fig->enc_self, (size_t) S * S, 0.0);
  g->global_max = max_of (fig->dec_self, (size_t) T * T, g->global_max);
  g->global_max = max_of (fig->cross, (size_t) T * S, g->global_max);
  g->cb_extra = (COLORBAR_GAP + COLORBAR_W) * fs
                + triad_colorbar_extra_width (text, TRIAD_NORM_GLOBAL, g->global_max,
                                              _("attention weight"));
  cap_block = caption_height (text) + CAPTION_GAP * fs;
  gw_min = fig->show_gauge ? GAUGE_MIN_W * fs : 0.0;
  gh_min = fig->show_gauge ? GAUGE_MIN_H * fs : 0.0;
  if (fig->src_labels != NULL)
    ws_hi = triad_text_max_width (text, fig->src_labels, S, hi, -1);
  if (fig->tgt_labels != NULL)
    wt_hi = triad_text_max_width (text, fig->tgt_labels, T, hi, -1);

  /* The cell is what the labels leave, and the labels are 3/4 of a cell within bounds: a few
   * rounds of each settle it (unhinted text widths scale with the size). Without room for
   * the smallest labels, none. */
  for (int attempt = 0; attempt < 2; attempt++)
    {
      c = CELL_MAX * fs;
      for (int i = 0; i < 16; i++)
        {
          double ls = CLAMP (0.75 * c, lo, hi);
          double ws = show ? MIN (ws_hi * ls / hi, g->label_max_w) : 0.0;
          double wt = show ? MIN (wt_hi * ls / hi, g->label_max_w) : 0.0;
          double lab_s = show ? ws + gap : 0.0, lab_t = show ? wt + gap : 0.0;
          double mid = show ? MAX (ws, wt) + gap : 0.0, band_b = mid;
          double avail_w = width - 2 * pad - pgap - mid - g->cb_extra;
          double avail_h = height - 2 * pad - title_h - title_gap - pgap - 2 * cap_block
                           - lab_s - band_b;
          double cw = (avail_w - lab_t) / (T + S), ch = avail_h / (S + T), next;

          if (lab_t + T * cw < gw_min)
            cw = (avail_w - gw_min) / S;
          if (cap_block + lab_s + S * ch < gh_min)
            ch = (height - 2 * pad - title_h - title_gap - pgap - gh_min - cap_block - band_b) / T;
          next = MAX (0.0, MIN (MIN (cw, ch), CELL_MAX * fs));

          g->src_w = ws;
          g->tgt_w = wt;
          l->label_size = ls;
          if (fabs (next - c) < 1e-3)
            break;
          c = next;
        }
      if (!show || c >= l->label_size)
        break;
      show = FALSE;
    }
  if (!show)
    g->src_w = g->tgt_w = 0.0;
  l->show_labels = show && (fig->src_labels != NULL || fig->tgt_labels != NULL);
  l->cell = c;
  g->band_top = show ? g->src_w + gap : 0.0;
  g->tgt_col = show ? g->tgt_w + gap : 0.0;
  g->mid_col = show ? MAX (g->src_w, g->tgt_w) + gap : 0.0;
  g->band_bottom = g->mid_col;

  left_w = MAX (g->tgt_col + T * c, gw_min);
  top_h = MAX (cap_block + g->band_top + S * c, gh_min);
  block_w = left_w + pgap + g->mid_col + S * c + g->cb_extra;
  block_h = title_h + title_gap + top_h + pgap + cap_block + g->band_bottom + T * c;
  ox = pad + MAX (0.0, (width - 2 * pad - block_w) / 2);
  oy = pad + MAX (0.0, (height - 2 * pad - block_h) / 2);
  g->title_y = oy;
  g->left_x = ox;
  g->left_w = left_w;
  top_y = oy + title_h + title_gap;

  l->x[TRIAD_CROSS_PANEL_ENCODER] = ox + left_w + pgap + g->mid_col;
  l->y[TRIAD_CROSS_PANEL_ENCODER] = top_y + top_h - S * c;
  l->x[TRIAD_CROSS_PANEL_DECODER] = ox + left_w - T * c;
  l->y[TRIAD_CROSS_PANEL_DECODER] = top_y + top_h + pgap + cap_block + g->band_bottom;
  l->x[TRIAD_CROSS_PANEL_CROSS] = l->x[TRIAD_CROSS_PANEL_ENCODER];
  l->y[TRIAD_CROSS_PANEL_CROSS] = l->y[TRIAD_CROSS_PANEL_DECODER];
  if (fig->show_gauge)
    {
      l->gauge_x = ox;
      l->gauge_y = top_y;
      l->gauge_w = left_w;
      l->gauge_h = top_h;
    }
  l->colorbar_x = l->x[TRIAD_CROSS_PANEL_ENCODER] + S * c + COLORBAR_GAP * fs;
  l->colorbar_y = l->y[TRIAD_CROSS_PANEL_ENCODER];
  l->colorbar_w = COLORBAR_W * fs;
  l->colorbar_h = l->y[TRIAD_CROSS_PANEL_CROSS] + T * c - l->colorbar_y;
}

void
triad_cross_figure_layout (const TriadCrossFigure *fig,
                           const TriadFigureStyle *style,
                           double                  width,
                           double                  height,
                           TriadCrossLayout       *layout)
{
  TriadText text;
  CrossGeometry g;

  g_return_if_fail (fig != NULL && style != NULL && layout != NULL);

  triad_text_init (&text, NULL, style);
  cross_geometry (fig, &text, width, height, &g);
  triad_text_clear (&text);
  *layout = g.pub;
}

/* The panel as drawn: its matrix, what is shown of it and where its labels go. */
static void
cross_panel (const TriadCrossFigure *fig,
             const CrossGeometry    *g,
             TriadCrossPanel         which,
             Panel                  *p)
{
  int t = n_shown (fig);

  memset (p, 0, sizeof *p);
  p->x = g->pub.x[which];
  p->y = g->pub.y[which];
  p->caption = fig->captions[which] != NULL ? fig->captions[which] : default_caption (which);
  triad_cross_panel_lit (which, &fig->hover, &p->lit_row, &p->lit_col);
  p->cell_row = p->cell_col = -1;
  if (fig->cell_panel == which)
    {
      p->cell_row = fig->cell_row;
      p->cell_col = fig->cell_col;
    }
  switch (which)
    {
    case TRIAD_CROSS_PANEL_ENCODER:
      p->weights = fig->enc_self;
      p->n_q = p->n_k = p->q_shown = p->k_shown = fig->n_src;
      p->q_labels = p->k_labels = fig->src_labels;
      p->q_label_w = g->mid_col;
      p->k_label_h = g->band_top;
      p->caption_w = g->mid_col + p->n_k * g->pub.cell + g->cb_extra;
      break;
    case TRIAD_CROSS_PANEL_DECODER:
      p->weights = fig->dec_self;
      p->n_q = p->n_k = fig->n_tgt;
      p->q_shown = p->k_shown = t;
      p->q_labels = p->k_labels = fig->tgt_labels;
      p->q_label_w = g->tgt_col;
      p->k_label_h = g->band_bottom;
      /* under the gauge, from the same left edge, as wide as the left column */
      p->caption_x = g->left_x;
      p->caption_w = g->left_w + (PANEL_GAP - 6.0) * g->fs;
      break;
    case TRIAD_CROSS_PANEL_CROSS:
    case TRIAD_CROSS_N_PANELS:
    default:
      p->weights = fig->cross;
      p->n_q = fig->n_tgt;
      p->n_k = fig->n_src;
      p->q_shown = t;
      p->k_shown = fig->n_src;
      p->q_labels = fig->tgt_labels;
      p->k_labels = fig->src_labels;
      p->q_label_w = g->mid_col;
      p->k_label_h = g->band_bottom;
      /* the colour bar runs down beside it */
      p->caption_w = g->mid_col + p->n_k * g->pub.cell + (COLORBAR_GAP - 4.0) * g->fs;
      break;
    }
}

void
triad_cross_figure_draw (cairo_t                *cr,
                         const TriadCrossFigure *fig,
                         const TriadFigureStyle *style,
                         double                  width,
                         double                  height)
{
  TriadText text;
  CrossGeometry g;
  const TriadCrossLayout *l = &g.pub;
  double pad;

  g_return_if_fail (cr != NULL && fig != NULL && style != NULL);

  triad_figure_fill_bg (cr, style, width, height);
  triad_text_init (&text, cr, style);
  cross_geometry (fig, &text, width, height, &g);
  pad = TRIAD_FIG_PAD * text.fs;
  triad_figure_draw_title (&text, style, fig->title, pad, g.title_y, width - 2 * pad);
  if (l->cell <= 0.0)
    {
      triad_text_clear (&text);
      return;
    }

  for (int i = 0; i < TRIAD_CROSS_N_PANELS; i++)
    {
      Panel p;

      cross_panel (fig, &g, i, &p);
      draw_panel (&text, style, &p, l->cell, l->show_labels, l->label_size, g.label_max_w,
                  fig->cmap, g.global_max);
    }
  triad_colorbar_draw (&text, style, fig->cmap, TRIAD_NORM_GLOBAL, g.global_max,
                       _("attention weight"), l->colorbar_x, l->colorbar_y, l->colorbar_w,
                       l->colorbar_h);
  triad_text_clear (&text);
  if (fig->show_gauge)
    triad_kv_gauge_draw (cr, &fig->gauge, style, l->gauge_x, l->gauge_y, l->gauge_w, l->gauge_h);
}

gboolean
triad_cross_figure_hit (const TriadCrossFigure *fig,
                        const TriadFigureStyle *style,
                        double                  width,
                        double                  height,
                        double                  x,
                        double                  y,
                        TriadCrossHit          *hit)
{
  TriadText text;
  CrossGeometry g;

  g_return_val_if_fail (fig != NULL && style != NULL && hit != NULL, FALSE);

  hit->panel = TRIAD_CROSS_N_PANELS;
  hit->row = hit->col = -1;
  hit->hover.src = hit->hover.tgt = -1;
  triad_text_init (&text, NULL, style);
  cross_geometry (fig, &text, width, height, &g);
  triad_text_clear (&text);

  for (int i = 0; i < TRIAD_CROSS_N_PANELS; i++)
    {
      Panel p;
      int row, col;

      cross_panel (fig, &g, i, &p);
      if (!panel_hit (&p, g.pub.cell, x, y, &row, &col))
        continue;
      hit->panel = i;
      hit->row = row;
      hit->col = col;
      switch (i)
        {
        case TRIAD_CROSS_PANEL_ENCODER:
          /* a cell: its query; a label: its token */
          hit->hover.src = row >= 0 ? row : col;
          break;
        case TRIAD_CROSS_PANEL_DECODER:
          hit->hover.tgt = row >= 0 ? row : col;
          break;
        case TRIAD_CROSS_PANEL_CROSS:
        default:
          hit->hover.tgt = row;
          hit->hover.src = col;
          break;
        }
      return TRUE;
    }
  return FALSE;
}

/* ---- alignment lines ----------------------------------------------------------------- */

#define ALIGN_SPACING_MAX 120.0   /* tokens no further apart than this */
#define ALIGN_SPAN_MAX    420.0   /* the lines' vertical run, at most */
#define ALIGN_SPAN_MIN     40.0
#define ALIGN_MIN_WEIGHT    0.02  /* lines thinner than this are noise */
#define ALIGN_FAINT         0.12

typedef struct {
  double   title_y;
  double   label_size;
  double   label_max_w;
  double   sp_s, sp_t;        /* spacing of the source and target tokens */
  double   x_s, x_t;          /* x of the first token of each row */
  double   y_s, y_t;          /* y of the dots */
  double   band_s, band_t;    /* the label bands, above the source row and under the target */
  gboolean rot_s, rot_t;      /* labels turned to fit */
  double   cap_s_y, cap_t_y;  /* the captions' baselines: top of the source caption, bottom of
                               * the target caption */
  double   dot_r;
} AlignGeometry;

static void
align_geometry (const TriadAlignment *al,
                TriadText            *text,
                double                width,
                double                height,
                AlignGeometry        *g)
{
  double fs = text->fs, pad = TRIAD_FIG_PAD * fs, gap = LABEL_GAP * fs;
  double title_h, title_gap, aw, ws, wt, lh, cap_h, top, bottom, span, extra;
  int S = al->n_src, T = al->n_tgt;

  memset (g, 0, sizeof *g);
  g->title_y = pad;
  if (S <= 0 || T <= 0)
    return;
  title_h = triad_figure_title_height (text, al->title);
  title_gap = title_h > 0.0 ? 12.0 * fs : 0.0;
  cap_h = caption_height (text);
  g->label_size = TRIAD_FIG_LABEL_MAX * fs;
  g->label_max_w = MIN (LABEL_LIMIT * fs, 0.3 * width);
  g->dot_r = 3.0 * fs;
  aw = width - 2 * pad;
  g->sp_s = MIN (aw / S, ALIGN_SPACING_MAX * fs);
  g->sp_t = MIN (aw / T, ALIGN_SPACING_MAX * fs);
  g->x_s = pad + (aw - S * g->sp_s) / 2 + g->sp_s / 2;
  g->x_t = pad + (aw - T * g->sp_t) / 2 + g->sp_t / 2;

  lh = line_height (text, g->label_size);
  ws = al->src_labels != NULL ? triad_text_max_width (text, al->src_labels, S, g->label_size,
                                                      g->label_max_w) : 0.0;
  wt = al->tgt_labels != NULL ? triad_text_max_width (text, al->tgt_labels, T, g->label_size,
                                                      g->label_max_w) : 0.0;
  /* side by side while they fit, else turned a quarter */
  g->rot_s = ws > 0.92 * g->sp_s;
  g->rot_t = wt > 0.92 * g->sp_t;
  g->band_s = (g->rot_s ? ws : lh) + gap;
  g->band_t = (g->rot_t ? wt : lh) + gap;

  g->cap_s_y = pad + title_h + title_gap;
  top = g->cap_s_y + (al->src_caption != NULL ? cap_h + CAPTION_GAP * fs : 0.0);
  bottom = height - pad - (al->tgt_caption != NULL ? cap_h + CAPTION_GAP * fs : 0.0);
  span = bottom - top - g->band_s - g->band_t - 2 * g->dot_r;
  extra = MAX (0.0, span - ALIGN_SPAN_MAX * fs);
  span = MAX (span - extra, ALIGN_SPAN_MIN * fs);
  /* a tall figure keeps the lines' run and centres it */
  g->title_y = pad + extra / 2;
  g->cap_s_y += extra / 2;
  top += extra / 2;
  g->y_s = top + g->band_s + g->dot_r;
  g->y_t = g->y_s + span;
  g->cap_t_y = g->y_t + g->dot_r + g->band_t + CAPTION_GAP * fs;
}

void
triad_alignment_token_position (const TriadAlignment   *al,
                                const TriadFigureStyle *style,
                                double                  width,
                                double                  height,
                                gboolean                target,
                                int                     i,
                                double                 *x,
                                double                 *y)
{
  TriadText text;
  AlignGeometry g;

  g_return_if_fail (al != NULL && style != NULL && x != NULL && y != NULL);

  triad_text_init (&text, NULL, style);
  align_geometry (al, &text, width, height, &g);
  triad_text_clear (&text);
  *x = target ? g.x_t + i * g.sp_t : g.x_s + i * g.sp_s;
  *y = target ? g.y_t : g.y_s;
}

static void
draw_token_label (TriadText     *text,
                  const AlignGeometry *g,
                  const char    *label,
                  double         x,
                  gboolean       target,
                  gboolean       bold,
                  const double   rgba[4])
{
  double gap = LABEL_GAP * text->fs;
  gboolean rot = target ? g->rot_t : g->rot_s;
  double max_w = rot ? g->label_max_w : MAX ((target ? g->sp_t : g->sp_s) - 2.0 * text->fs, 8.0);
  g_autoptr(PangoLayout) layout = triad_text_layout (text, label, g->label_size, bold, max_w);

  if (!target)
    {
      double y = g->y_s - g->dot_r - gap;
      if (rot)
        triad_text_draw (text, layout, x, y, -G_PI / 2, 0.0, 0.5, rgba);
      else
        triad_text_draw (text, layout, x, y, 0.0, 0.5, 1.0, rgba);
    }
  else
    {
      double y = g->y_t + g->dot_r + gap;
      if (rot)
        triad_text_draw (text, layout, x, y, -G_PI / 2, 1.0, 0.5, rgba);
      else
        triad_text_draw (text, layout, x, y, 0.0, 0.5, 0.0, rgba);
    }
}

void
triad_alignment_draw (cairo_t                *cr,
                      const TriadAlignment   *al,
                      const TriadFigureStyle *style,
                      double                  width,
                      double                  height)
{
  TriadText text;
  AlignGeometry g;
  double fs, pad, max_lw, mid;
  int S = al->n_src, T = al->n_tgt, shown = CLAMP (al->n_shown, 0, al->n_tgt);
  int hs = al->hover.src >= 0 && al->hover.src < S ? al->hover.src : -1;
  int ht = al->hover.tgt >= 0 && al->hover.tgt < shown ? al->hover.tgt : -1;
  gboolean hovering = hs >= 0 || ht >= 0;
  double row_max = 0.0, col_max = 0.0;

  g_return_if_fail (cr != NULL && al != NULL && style != NULL);

  triad_figure_fill_bg (cr, style, width, height);
  triad_text_init (&text, cr, style);
  align_geometry (al, &text, width, height, &g);
  fs = text.fs;
  pad = TRIAD_FIG_PAD * fs;
  triad_figure_draw_title (&text, style, al->title, pad, g.title_y, width - 2 * pad);
  if (S <= 0 || T <= 0 || al->weights == NULL)
    {
      triad_text_clear (&text);
      return;
    }

  max_lw = MIN (8.0 * fs, 0.35 * MIN (g.sp_s, g.sp_t));
  mid = (g.y_s + g.y_t) / 2;
  if (ht >= 0)
    row_max = triad_weights_max (al->weights + (size_t) ht * S, S);
  if (hs >= 0)
    for (int j = 0; j < shown; j++)
      col_max = MAX (col_max, al->weights[(size_t) j * S + hs]);

  /* the lines, the hovered token's last so they lie over the others */
  cairo_save (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (int pass = 0; pass < 2; pass++)
    for (int j = 0; j < shown; j++)
      for (int i = 0; i < S; i++)
        {
          double w = MIN (al->weights[(size_t) j * S + i], 1.0);
          gboolean lit = (ht >= 0 && j == ht) || (hs >= 0 && i == hs);
          double xs = g.x_s + i * g.sp_s, xt = g.x_t + j * g.sp_t, alpha;

          if (!(w >= ALIGN_MIN_WEIGHT) || (pass == 1) != (hovering && lit))
            continue;
          if (!hovering)
            alpha = 0.2 + 0.8 * w;
          else if (!lit)
            alpha = ALIGN_FAINT * (0.2 + 0.8 * w);
          else
            /* on its own, a token's strongest line shows fully however spread it is */
            alpha = 0.25 + 0.75 * w / MAX (ht >= 0 ? row_max : col_max, 1e-6);
          set_rgba (cr, style->accent, MIN (alpha, 1.0));
          cairo_set_line_width (cr, MAX (w * max_lw, 0.5 * fs));
          cairo_move_to (cr, xt, g.y_t);
          cairo_curve_to (cr, xt, mid, xs, mid, xs, g.y_s);
          cairo_stroke (cr);
        }

  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < (pass == 0 ? S : shown); i++)
      {
        gboolean lit = pass == 0 ? i == hs : i == ht;
        double x = pass == 0 ? g.x_s + i * g.sp_s : g.x_t + i * g.sp_t;

        set_rgba (cr, lit ? style->accent : style->fg, lit ? 1.0 : 0.7);
        cairo_arc (cr, x, pass == 0 ? g.y_s : g.y_t, lit ? 1.6 * g.dot_r : g.dot_r, 0, 2 * G_PI);
        cairo_fill (cr);
      }
  cairo_restore (cr);

  /* labels: the hovered token in the accent, the other row as strong as it is attended */
  for (int i = 0; i < S && al->src_labels != NULL; i++)
    {
      double rgba[4];
      gboolean lit = i == hs;

      memcpy (rgba, lit ? style->accent : style->fg, sizeof rgba);
      if (ht >= 0 && row_max > 0.0)
        rgba[3] *= 0.35 + 0.65 * al->weights[(size_t) ht * S + i] / row_max;
      draw_token_label (&text, &g, al->src_labels[i], g.x_s + i * g.sp_s, FALSE, lit, rgba);
    }
  for (int j = 0; j < shown && al->tgt_labels != NULL; j++)
    {
      double rgba[4];
      gboolean lit = j == ht;

      memcpy (rgba, lit ? style->accent : style->fg, sizeof rgba);
      if (hs >= 0 && col_max > 0.0)
        rgba[3] *= 0.35 + 0.65 * al->weights[(size_t) j * S + hs] / col_max;
      draw_token_label (&text, &g, al->tgt_labels[j], g.x_t + j * g.sp_t, TRUE, lit, rgba);
    }

  {
    double rgba[4] = { style->fg[0], style->fg[1], style->fg[2], style->fg[3] * 0.75 };
    double left_s = g.x_s - g.sp_s / 2, left_t = g.x_t - g.sp_t / 2;

    if (al->src_caption != NULL)
      {
        g_autoptr(PangoLayout) layout = triad_text_layout (&text, al->src_caption,
                                                           CAPTION_SIZE * fs, TRUE,
                                                           width - left_s - pad);
        triad_text_draw (&text, layout, left_s, g.cap_s_y, 0.0, 0.0, 0.0, rgba);
      }
    if (al->tgt_caption != NULL)
      {
        g_autoptr(PangoLayout) layout = triad_text_layout (&text, al->tgt_caption,
                                                           CAPTION_SIZE * fs, TRUE,
                                                           width - left_t - pad);
        triad_text_draw (&text, layout, left_t, g.cap_t_y, 0.0, 0.0, 0.0, rgba);
      }
  }
  triad_text_clear (&text);
}

gboolean
triad_alignment_hit (const TriadAlignment   *al,
                     const TriadFigureStyle *style,
                     double                  width,
                     double                  height,
                     double                  x,
                     double                  y,
                     TriadCrossHover        *hover)
{
  TriadText text;
  AlignGeometry g;
  double reach;
  int i;

  g_return_val_if_fail (al != NULL && style != NULL && hover != NULL, FALSE);

  hover->src = hover->tgt = -1;
  triad_text_init (&text, NULL, style);
  align_geometry (al, &text, width, height, &g);
  reach = 2.0 * g.dot_r + LABEL_GAP * text.fs;
  triad_text_clear (&text);
  if (al->n_src <= 0 || al->n_tgt <= 0 || g.sp_s <= 0.0 || g.sp_t <= 0.0)
    return FALSE;

  /* a row: its labels, its dots and a little beyond them */
  if (y >= g.y_s - g.dot_r - g.band_s && y <= g.y_s + reach)
    {
      i = (int) floor ((x - (g.x_s - g.sp_s / 2)) / g.sp_s);
      if (i >= 0 && i < al->n_src)
        {
          hover->src = i;
          return TRUE;
        }
    }
  if (y >= g.y_t - reach && y <= g.y_t + g.dot_r + g.band_t)
    {
      i = (int) floor ((x - (g.x_t - g.sp_t / 2)) / g.sp_t);
      if (i >= 0 && i < CLAMP (al->n_shown, 0, al->n_tgt))
        {
          hover->tgt = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* ---- two attentions side by side ----------------------------------------------------- */

typedef struct {
  TriadPanelPairLayout pub;
  double title_y;
  double q_col[2];          /* row labels' columns, gap included */
  double band;              /* the column labels' band, the same over both */
  double note_y;
  double label_max_w;
  double global_max;
  double cb_extra;
  double colorbar_x, colorbar_y, colorbar_h;
  double fs;
} PairGeometry;

static gboolean
pair_ok (const TriadPanelPair *pair)
{
  for (int i = 0; i < 2; i++)
    if (pair->panels[i].n_q <= 0 || pair->panels[i].n_k <= 0 || pair->panels[i].weights == NULL)
      return FALSE;
  return TRUE;
}

static void
pair_geometry (const TriadPanelPair *pair,
               TriadText            *text,
               double                width,
               double                height,
               PairGeometry         *g)
{
  TriadPanelPairLayout *l = &g->pub;
  double fs = text->fs, pad = TRIAD_FIG_PAD * fs, gap = LABEL_GAP * fs, pgap = 2 * PANEL_GAP * fs;
  double lo = TRIAD_FIG_LABEL_MIN * fs, hi = TRIAD_FIG_LABEL_MAX * fs;
  double title_h, title_gap, cap_block, note_block = 0.0, wq_hi[2], wk_hi[2], c = 0.0;
  double block_w, block_h, ox, oy;
  const TriadPanel *a = &pair->panels[0], *b = &pair->panels[1];
  int rows = MAX (a->n_q, b->n_q), cols = a->n_k + b->n_k;
  gboolean show = TRUE;

  memset (g, 0, sizeof *g);
  g->fs = fs;
  g->label_max_w = MIN (LABEL_LIMIT * fs, 0.15 * width);
  title_h = triad_figure_title_height (text, pair->title);
  title_gap = title_h > 0.0 ? 8.0 * fs : 0.0;
  g->title_y = pad;
  if (!pair_ok (pair))
    return;

  for (int i = 0; i < 2; i++)
    {
      const TriadPanel *p = &pair->panels[i];

      g->global_max = max_of (p->weights, (size_t) p->n_q * p->n_k, g->global_max);
      wq_hi[i] = p->q_labels != NULL ? triad_text_max_width (text, p->q_labels, p->n_q, hi, -1) : 0;
      wk_hi[i] = p->k_labels != NULL ? triad_text_max_width (text, p->k_labels, p->n_k, hi, -1) : 0;
      if (p->note != NULL)
        note_block = 8.0 * fs + line_height (text, TRIAD_FIG_TICK_SIZE * fs);
    }
  g->cb_extra = (COLORBAR_GAP + COLORBAR_W) * fs
                + triad_colorbar_extra_width (text, TRIAD_NORM_GLOBAL, g->global_max,
                                              _("attention weight"));
  cap_block = caption_height (text) + CAPTION_GAP * fs;

  for (int attempt = 0; attempt < 2; attempt++)
    {
      c = CELL_MAX * fs;
      for (int it = 0; it < 16; it++)
        {
          double ls = CLAMP (0.75 * c, lo, hi), qw = 0.0, band = 0.0, cw, ch, next;

          for (int i = 0; i < 2; i++)
            {
              g->q_col[i] = show ? MIN (wq_hi[i] * ls / hi, g->label_max_w) + gap : 0.0;
              qw += g->q_col[i];
              band = MAX (band, show ? MIN (wk_hi[i] * ls / hi, g->label_max_w) + gap : 0.0);
            }
          g->band = band;
          l->label_size = ls;
          cw = (width - 2 * pad - pgap - qw - g->cb_extra) / cols;
          ch = (height - 2 * pad - title_h - title_gap - cap_block - band - note_block) / rows;
          next = MAX (0.0, MIN (MIN (cw, ch), CELL_MAX * fs));
          if (fabs (next - c) < 1e-3)
            break;
          c = next;
        }
      if (!show || c >= l->label_size)
        break;
      show = FALSE;
    }
  l->show_labels = show;
  l->cell = c;

  block_w = g->q_col[0] + a->n_k * c + pgap + g->q_col[1] + b->n_k * c + g->cb_extra;
  block_h = title_h + title_gap + cap_block + g->band + rows * c + note_block;
  ox = pad + MAX (0.0, (width - 2 * pad - block_w) / 2);
  oy = pad + MAX (0.0, (height - 2 * pad - block_h) / 2);
  g->title_y = oy;
  l->x[0] = ox + g->q_col[0];
  l->x[1] = l->x[0] + a->n_k * c + pgap + g->q_col[1];
  l->y[0] = l->y[1] = oy + title_h + title_gap + cap_block + g->band;
  g->note_y = l->y[0] + rows * c + 8.0 * fs;
  g->colorbar_x = l->x[1] + b->n_k * c + COLORBAR_GAP * fs;
  g->colorbar_y = l->y[0];
  g->colorbar_h = rows * c;
}

void
triad_panel_pair_layout (const TriadPanelPair   *pair,
                         const TriadFigureStyle *style,
                         double                  width,
                         double                  height,
                         TriadPanelPairLayout   *layout)
{
  TriadText text;
  PairGeometry g;

  g_return_if_fail (pair != NULL && style != NULL && layout != NULL);

  triad_text_init (&text, NULL, style);
  pair_geometry (pair, &text, width, height, &g);
  triad_text_clear (&text);
  *layout = g.pub;
}

static gboolean
same_label (const char * const *a,
            int                 na,
            const char * const *b,
            int                 nb,
            int                 i)
{
  return a != NULL && b != NULL && i >= 0 && i < na && i < nb && g_strcmp0 (a[i], b[i]) == 0;
}

void
triad_panel_pair_lit (const TriadPanelPair *pair,
                      int                   i,
                      int                  *row,
                      int                  *col)
{
  const TriadPanel *p, *o;
  int r = pair->hover_row, c = pair->hover_col;

  *row = *col = -1;
  g_return_if_fail (i == 0 || i == 1);
  if (pair->hover_panel != 0 && pair->hover_panel != 1)
    return;
  p = &pair->panels[i];
  o = &pair->panels[1 - i];
  if (pair->hover_panel == i)
    {
      *row = r >= 0 && r < p->n_q ? r : -1;
      *col = c >= 0 && c < p->n_k ? c : -1;
      return;
    }
  if (r >= 0 && r < p->n_q && r < o->n_q
      && (r == 0 || same_label (p->q_labels, p->n_q, o->q_labels, o->n_q, r)))
    *row = r;
  if (same_label (p->k_labels, p->n_k, o->k_labels, o->n_k, c))
    *col = c;
}

static void
pair_panel (const TriadPanelPair *pair,
            const PairGeometry   *g,
            int                   i,
            Panel                *p)
{
  const TriadPanel *tp = &pair->panels[i];

  memset (p, 0, sizeof *p);
  p->weights = tp->weights;
  p->n_q = tp->n_q;
  p->n_k = tp->n_k;
  p->q_shown = CLAMP (tp->n_shown, 0, tp->n_q);
  p->k_shown = tp->n_k;
  p->q_labels = tp->q_labels;
  p->k_labels = tp->k_labels;
  p->caption = tp->caption;
  p->x = g->pub.x[i];
  p->y = g->pub.y[i];
  p->q_label_w = g->q_col[i];
  p->k_label_h = g->band;
  p->caption_w = g->q_col[i] + tp->n_k * g->pub.cell
                 + (i == 0 ? 2 * PANEL_GAP * g->fs - 6.0 * g->fs : g->cb_extra);
  triad_panel_pair_lit (pair, i, &p->lit_row, &p->lit_col);
  p->cell_row = p->cell_col = -1;
  if (pair->hover_panel == i)
    {
      p->cell_row = pair->hover_row;
      p->cell_col = pair->hover_col;
    }
}

void
triad_panel_pair_draw (cairo_t                *cr,
                       const TriadPanelPair   *pair,
                       const TriadFigureStyle *style,
                       double                  width,
                       double                  height)
{
  TriadText text;
  PairGeometry g;
  const TriadPanelPairLayout *l = &g.pub;
  double fs, pad;

  g_return_if_fail (cr != NULL && pair != NULL && style != NULL);

  triad_figure_fill_bg (cr, style, width, height);
  triad_text_init (&text, cr, style);
  pair_geometry (pair, &text, width, height, &g);
  fs = text.fs;
  pad = TRIAD_FIG_PAD * fs;
  triad_figure_draw_title (&text, style, pair->title, pad, g.title_y, width - 2 * pad);
  if (l->cell <= 0.0)
    {
      triad_text_clear (&text);
      return;
    }
  for (int i = 0; i < 2; i++)
    {
      Panel p;

      pair_panel (pair, &g, i, &p);
      draw_panel (&text, style, &p, l->cell, l->show_labels, l->label_size, g.label_max_w,
                  pair->cmap, g.global_max);
      if (pair->panels[i].note != NULL)
        {
          double rgba[4] = { style->fg[0], style->fg[1], style->fg[2], style->fg[3] * 0.75 };
          g_autoptr(PangoLayout) layout =
            triad_text_layout (&text, pair->panels[i].note, TRIAD_FIG_TICK_SIZE * fs, FALSE,
                               MAX (p.q_label_w + p.n_k * l->cell, 60.0 * fs));

          triad_text_draw (&text, layout, p.x - p.q_label_w, g.note_y, 0.0, 0.0, 0.0, rgba);
        }
    }
  triad_colorbar_draw (&text, style, pair->cmap, TRIAD_NORM_GLOBAL, g.global_max,
                       _("attention weight"), g.colorbar_x, g.colorbar_y, COLORBAR_W * fs,
                       g.colorbar_h);
  triad_text_clear (&text);
}

gboolean
triad_panel_pair_hit (const TriadPanelPair   *pair,
                      const TriadFigureStyle *style,
                      double                  width,
                      double                  height,
                      double                  x,
                      double                  y,
                      int                    *panel,
                      int                    *row,
                      int                    *col)
{
  TriadText text;
  PairGeometry g;

  g_return_val_if_fail (pair != NULL && style != NULL, FALSE);

  *panel = *row = *col = -1;
  triad_text_init (&text, NULL, style);
  pair_geometry (pair, &text, width, height, &g);
  triad_text_clear (&text);
  for (int i = 0; i < 2; i++)
    {
      Panel p;

      pair_panel (pair, &g, i, &p);
      if (panel_hit (&p, g.pub.cell, x, y, row, col))
        {
          *panel = i;
          return TRUE;
        }
    }
  return FALSE;
}
