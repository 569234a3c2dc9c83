/* lines.c — one head as lines from each query on the left to each key on the right. */
#include <math.h>
#include <string.h>

#include "figures/figures-private.h"

#define MAX_SPACING  28.0     /* tokens spread no further apart than this */
#define DOT_GAP       6.0     /* between a label and the end of its lines */
#define MIN_SPAN    240.0     /* the lines' horizontal run, at least */
#define LABEL_LIMIT 140.0
#define MIN_WEIGHT    0.01    /* lines thinner than this are noise */
#define FAINT         0.12    /* the other queries' lines while one is hovered */

typedef struct {
  double   title_y;
  double   spacing;           /* between neighbouring tokens in a column */
  double   label_size;
  gboolean show_labels;
  double   label_max_w;
  double   q_w, k_w;          /* the label columns */
  double   q_dot, k_dot;      /* x where the lines end */
  double   q_top, k_top;      /* y of each column's first token */
} LinesGeometry;

static void
lines_geometry (const TriadLineView *view,
                TriadText           *text,
                double               width,
                double               height,
                LinesGeometry       *g)
{
  double fs = text->fs, pad = TRIAD_FIG_PAD * fs, gap = DOT_GAP * fs;
  double title_h, title_gap, ah, aw, span, x0, y0;
  int n = MAX (view->n_q, view->n_k);

  memset (g, 0, sizeof *g);
  title_h = triad_figure_title_height (text, view->title);
  title_gap = title_h > 0.0 ? 8.0 * fs : 0.0;
  y0 = pad + title_h + title_gap;
  ah = height - y0 - pad;
  g->title_y = pad;
  g->label_max_w = MIN (LABEL_LIMIT * fs, 0.3 * width);
  if (n <= 0 || ah <= 0.0)
    return;

  /* on a surface the tokens spread over its height, twice as far apart at most: the lines
   * grow into the room rather than leave it empty */
  g->spacing = MIN (ah / n, MAX_SPACING * fs * (text->min_size > 0.0 ? 2.0 : 1.0));
  g->label_size = triad_text_min (text, CLAMP (0.75 * g->spacing, TRIAD_FIG_LABEL_MIN * fs,
                                               TRIAD_FIG_LABEL_MAX * fs));
  g->show_labels = g->spacing >= g->label_size;
  if (g->show_labels)
    {
      g->q_w = triad_text_max_width (text, view->q_labels, view->n_q, g->label_size,
                                     g->label_max_w);
      g->k_w = triad_text_max_width (text, view->k_labels, view->n_k, g->label_size,
                                     g->label_max_w);
    }
  aw = width - 2 * pad - g->q_w - g->k_w - 2 * gap;
  span = MAX (0.0, MIN (aw, MAX (MIN_SPAN * fs, 0.4 * width)));
  x0 = pad + MAX (0.0, (aw - span) / 2);
  g->q_dot = x0 + g->q_w + gap;
  g->k_dot = g->q_dot + span;

  /* each column centred on the same middle line */
  g->title_y = pad + MAX (0.0, (ah - n * g->spacing) / 2);
  g->q_top = g->title_y + title_h + title_gap + (n - view->n_q) * g->spacing / 2
             + g->spacing / 2;
  g->k_top = g->title_y + title_h + title_gap + (n - view->n_k) * g->spacing / 2
             + g->spacing / 2;
}

/* Lines of one query, as wide as their weights and as opaque times `opacity`; a query's
 * lines on their own (hovered) are as opaque as their weights over the row's largest, so the
 * strongest shows fully even where attention is spread thin. */
static void
draw_query_lines (cairo_t             *cr,
                  const TriadLineView *view,
                  const LinesGeometry *g,
                  const double         rgba[4],
                  double               max_width,
                  double               opacity,
                  gboolean             alone,
                  int                  q)
{
  const float *row = view->weights + (size_t) q * view->n_k;
  double qy = g->q_top + q * g->spacing;
  double row_max = alone ? triad_weights_max (row, view->n_k) : 1.0;

  for (int k = 0; k < view->n_k; k++)
    {
      double w = row[k];

      if (!(w >= MIN_WEIGHT))
        continue;
      w = MIN (w, 1.0);
      cairo_set_source_rgba (cr, rgba[0], rgba[1], rgba[2],
                             rgba[3] * MIN (w / row_max, 1.0) * opacity);
      cairo_set_line_width (cr, w * max_width);
      cairo_move_to (cr, g->q_dot, qy);
      cairo_line_to (cr, g->k_dot, g->k_top + k * g->spacing);
      cairo_stroke (cr);
    }
}

void
triad_lines_draw (cairo_t                *cr,
                  const TriadLineView    *view,
                  const TriadFigureStyle *style,
                  double                  width,
                  double                  height)
{
  TriadText text;
  LinesGeometry g;
  double fs, pad, gap, max_width, dot_r, row_max = 0.0;
  gboolean hovering;

  g_return_if_fail (cr != NULL && view != NULL && style != NULL);

  triad_figure_fill_bg (cr, style, width, height);
  triad_text_init (&text, cr, style);
  lines_geometry (view, &text, width, height, &g);
  fs = text.fs;
  pad = TRIAD_FIG_PAD * fs;
  gap = DOT_GAP * fs;
  triad_figure_draw_title (&text, style, view->title, pad, g.title_y, width - 2 * pad);
  if (g.spacing <= 0.0 || view->weights == NULL)
    {
      triad_text_clear (&text);
      return;
    }

  hovering = view->hover_q >= 0 && view->hover_q < view->n_q;
  max_width = MIN (0.8 * g.spacing, 8.0 * fs);
  dot_r = MIN (2.5 * fs, 0.3 * g.spacing);

  cairo_save (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (int q = 0; q < view->n_q; q++)
    if (!hovering || q != view->hover_q)
      draw_query_lines (cr, view, &g, style->accent, max_width, hovering ? FAINT : 1.0, FALSE,
                        q);
  /* the hovered query's lines last, over the others */
  if (hovering)
    draw_query_lines (cr, view, &g, style->accent, max_width, 1.0, TRUE, view->hover_q);

  cairo_set_source_rgba (cr, style->fg[0], style->fg[1], style->fg[2], style->fg[3] * 0.6);
  for (int q = 0; q < view->n_q; q++)
    cairo_arc (cr, g.q_dot, g.q_top + q * g.spacing, dot_r, 0, 2 * G_PI), cairo_fill (cr);
  for (int k = 0; k < view->n_k; k++)
    cairo_arc (cr, g.k_dot, g.k_top + k * g.spacing, dot_r, 0, 2 * G_PI), cairo_fill (cr);
  if (hovering)
    {
      cairo_set_source_rgba (cr, style->accent[0], style->accent[1], style->accent[2],
                             style->accent[3]);
      cairo_arc (cr, g.q_dot, g.q_top + view->hover_q * g.spacing, dot_r * 1.5, 0, 2 * G_PI);
      cairo_fill (cr);
      row_max = triad_weights_max (view->weights + (size_t) view->hover_q * view->n_k,
                                   view->n_k);
    }
  cairo_restore (cr);

  if (!g.show_labels)
    {
      triad_text_clear (&text);
      return;
    }
  for (int q = 0; q < view->n_q && view->q_labels != NULL; q++)
    {
      gboolean lit = hovering && q == view->hover_q;
      g_autoptr(PangoLayout) layout = triad_text_layout (&text, view->q_labels[q], g.label_size,
                                                         lit, g.label_max_w);

      triad_text_draw (&text, layout, g.q_dot - gap, g.q_top + q * g.spacing, 0.0, 1.0, 0.5,
                       lit ? style->accent : style->fg);
    }
  for (int k = 0; k < view->n_k && view->k_labels != NULL; k++)
    {
      g_autoptr(PangoLayout) layout = triad_text_layout (&text, view->k_labels[k], g.label_size,
                                                         FALSE, g.label_max_w);
      double rgba[4] = { style->fg[0], style->fg[1], style->fg[2], style->fg[3] };

      /* while one query is hovered, its keys stand out as much as it attends to them */
      if (hovering && row_max > 0.0)
        rgba[3] *= 0.35 + 0.65 * view->weights[(size_t) view->hover_q * view->n_k + k] / row_max;
      triad_text_draw (&text, layout, g.k_dot + gap, g.k_top + k * g.spacing, 0.0, 0.0, 0.5,
                       rgba);
    }
  triad_text_clear (&text);
}

int
triad_lines_hit (const TriadLineView    *view,
                 const TriadFigureStyle *style,
                 double                  width,
                 double                  height,
                 double                  x,
                 double                  y)
{
  TriadText text;
  LinesGeometry g;
  double gap;
  int q;

  g_return_val_if_fail (view != NULL && style != NULL, -1);

  triad_text_init (&text, NULL, style);
  lines_geometry (view, &text, width, height, &g);
  gap = DOT_GAP * text.fs;
  triad_text_clear (&text);
  if (g.spacing <= 0.0 || view->n_q <= 0)
    return -1;
  /* the left column: the labels, the dots and a little beyond them */
  if (x < g.q_dot - gap - g.q_w - gap || x > g.q_dot + gap)
    return -1;
  q = (int) floor ((y - (g.q_top - g.spacing / 2)) / g.spacing);
  return q >= 0 && q < view->n_q ? q : -1;
}
