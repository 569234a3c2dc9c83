/* alignment.c — alignment lines: the source tokens above, the target tokens below, a line
 * from each target token to the source tokens it attends to, as thick as the weight. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"

#include "engine/numbers.h"
#include "figures/alignment.h"
#include "figures/weights-panel.h"

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
  cap_h = triad_cross_caption_height (text);
  g->label_size = TRIAD_FIG_LABEL_MAX * fs;
  g->label_max_w = MIN (LABEL_LIMIT * fs, 0.3 * width);
  g->dot_r = 3.0 * fs;
  aw = width - 2 * pad;
  g->sp_s = MIN (aw / S, ALIGN_SPACING_MAX * fs);
  g->sp_t = MIN (aw / T, ALIGN_SPACING_MAX * fs);
  g->x_s = pad + (aw - S * g->sp_s) / 2 + g->sp_s / 2;
  g->x_t = pad + (aw - T * g->sp_t) / 2 + g->sp_t / 2;

  lh = triad_chart_line_height (text, g->label_size);
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
draw_token_label (TriadText           *text,
                  const AlignGeometry *g,
                  const char          *label,
                  double               x,
                  gboolean             target,
                  gboolean             bold,
                  const double         rgba[4])
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
          triad_chart_set_source (cr, style->accent, MIN (alpha, 1.0));
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

        triad_chart_set_source (cr, lit ? style->accent : style->fg, lit ? 1.0 : 0.7);
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
