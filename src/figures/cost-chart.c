/* cost-chart.c — attention FLOPs and memory of an encoder-decoder against a decoder-only
 * model as the input grows, the formulas under them. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"

#include "figures/cost-chart.h"
#include "figures/figures-private.h"
#include "engine/memory.h"
#include "engine/numbers.h"
#include "figures/memory-chart.h"

#define N_SAMPLES    160
#define GAP            6.0
#define LINE_WIDTH     2.0
#define MIN_PLOT      24.0     /* a plot narrower or shorter than this is not drawn */
#define SIDE_BY_SIDE 560.0     /* the least width, before the font scale, for two panels abreast */
#define MAX_CURVES     3

/* Only decades are labelled; the faint lines between them have no mark on the axis. */
#define Y_TICKS (TRIAD_AXIS_TICKS_DECADES_ONLY | TRIAD_AXIS_TICKS_BARE_MINOR \
                 | TRIAD_AXIS_TICKS_DENSE_LABELS)
#define X_TICKS (TRIAD_AXIS_TICKS_DECADES_ONLY | TRIAD_AXIS_TICKS_BARE_MINOR \
                 | TRIAD_AXIS_TICKS_LABEL_END)

/* The decoder-only model's colour: the first of Okabe and Ito's, beside the accent. */
static const double orange[4] = { 0xe6 / 255.0, 0x9f / 255.0, 0x00 / 255.0, 1.0 };

/* The two context lengths the lesson compares. */
static const double marks[] = { TRIAD_CONTEXT_SHORT, TRIAD_CONTEXT_LONG };

/* ---- the chart's numbers ------------------------------------------------------------- */

typedef struct {
  double m, d, lo, hi, bpv;
} Params;

static void
params_of (const TriadCostChart *chart,
           Params               *p)
{
  p->m = chart->output_tokens > 0 ? chart->output_tokens : TRIAD_COST_DEFAULT_OUTPUT;
  p->d = chart->width > 0 ? chart->width : TRIAD_COST_DEFAULT_WIDTH;
  p->lo = chart->min_input > 0 ? chart->min_input : TRIAD_COST_DEFAULT_MIN;
  p->hi = chart->max_input > 0 ? chart->max_input : TRIAD_COST_DEFAULT_MAX;
  if (p->hi <= p->lo)
    p->hi = p->lo * 1000.0;
  p->bpv = chart->bytes_per_value > 0 ? chart->bytes_per_value : 2.0;
}

char *
triad_cost_chart_title (const TriadCostChart *chart)
{
  if (chart != NULL && chart->title != NULL)
    return g_strdup (chart->title);
  /* TRANSLATORS: the title of the lesson's cost figure */
  return g_strdup (_("What attention costs as the input grows"));
}

GStrv
triad_cost_chart_caption (const TriadCostChart *chart)
{
  GStrvBuilder *b = g_strv_builder_new ();
  GStrv lines;

  /* TRANSLATORS: the cost figure's caption: the assumptions behind its numbers */
  g_strv_builder_add (b, _("One layer of each model, attention of width d, a multiply-add "
                           "counted as 2 FLOPs; softmax, projections and MLP left out."));
  /* TRANSLATORS: the cost figure's caption; n input tokens, m output tokens, width d */
  g_strv_builder_add (b, _("Encoder-decoder: 4·n²·d (encoder) + 4·m·n·d (cross-attention) "
                           "+ 2·m·(m + 1)·d (decoder)"));
  /* TRANSLATORS: the cost figure's caption; n input tokens, m output tokens, width d */
  g_strv_builder_add (b, _("Decoder-only: 2·(n + m)·(n + m + 1)·d (causal attention over "
                           "input and output, with a KV cache)"));
  /* TRANSLATORS: the cost figure's caption; n input tokens, m output tokens, width d */
  g_strv_builder_add (b, _("Memory: a KV cache of 2·(n + m)·d values in both; n² scores per "
                           "head if the score matrix is stored whole rather than in tiles"));
  lines = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return lines;
}

/* ---- axes ---------------------------------------------------------------------------- */

/* A paragraph wrapped at width. */
static PangoLayout *
wrapped_layout (TriadText  *text,
                const char *str,
                double      size,
                gboolean    bold,
                double      width)
{
  PangoLayout *layout = triad_text_layout (text, str, size, bold, -1);

  pango_layout_set_width (layout, (int) (MAX (width, 1.0) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  return layout;
}

/* ---- one panel ----------------------------------------------------------------------- */

typedef struct {
  const char   *label;
  const double *ys;          /* (N_SAMPLES) */
  const double *rgba;
  gboolean      dashed;
  double        width;       /* times LINE_WIDTH: wider under a curve that is drawn over it */
} Curve;

typedef struct {
  const char   *title;
  TriadAxisUnit          y_unit;
  const double *xs;          /* (N_SAMPLES) */
  Curve         curves[MAX_CURVES];
  int           n_curves;
  double        x_lo, x_hi;
} Panel;

static void
y_range (const Panel *p,
         TriadAxis   *ay)
{
  double lo = G_MAXDOUBLE, hi = 0.0;

  for (int c = 0; c < p->n_curves; c++)
    for (int i = 0; i < N_SAMPLES; i++)
      if (p->curves[c].ys[i] > 0.0)
        {
          lo = MIN (lo, p->curves[c].ys[i]);
          hi = MAX (hi, p->curves[c].ys[i]);
        }
  if (!(hi > 0.0))
    lo = 1.0, hi = 10.0;
  ay->lo = pow (10.0, floor (log10 (lo)));
  ay->hi = pow (10.0, ceil (log10 (hi)));
  if (ay->hi <= ay->lo)
    ay->hi = ay->lo * 10.0;
}

static void
draw_panel (TriadText              *text,
            const TriadFigureStyle *style,
            const Panel            *p,
            double                  x,
            double                  y,
            double                  w,
            double                  h)
{
  cairo_t *cr = text->cr;
  double fs = text->fs, size = TRIAD_FIG_TICK_SIZE * fs, lh = triad_chart_line_height (text, size);
  double x0, x1, y0, y1, yw;
  g_autofree char *hi_label = triad_axis_label (p->x_hi, TRIAD_AXIS_TOKENS);
  /* values under a thousandth of the axis' start (a zero) fall below the plot, clipped */
  TriadAxis ax = { .log = TRUE, .floor = 1e-3 }, ay = { .log = TRUE, .floor = 1e-3 };
  const double dash[] = { 6.0 * fs, 4.0 * fs }, dot[] = { 1.5 * fs, 3.0 * fs };

  y_range (p, &ay);
  yw = triad_axis_labels_width (text, &ay, p->y_unit, Y_TICKS, size);
  x0 = x + yw + (TRIAD_AXIS_TICK_LEN + 2.0) * fs;
  x1 = x + w - triad_chart_text_width (text, hi_label, size, FALSE) / 2;
  y0 = y + lh + GAP * fs;
  y1 = y + h - 2 * lh - (TRIAD_AXIS_TICK_LEN + 2.0 + GAP) * fs;
  triad_chart_label (text, p->title, size, TRUE, x0, y, 0.0, 0.0, 0.0, style->fg);
  if (x1 - x0 < MIN_PLOT * fs || y1 - y0 < MIN_PLOT * fs)
    return;
  ax.lo = p->x_lo;
  ax.hi = p->x_hi;
  ax.p0 = x0;
  ax.p1 = x1;
  ay.p0 = y1;
  ay.p1 = y0;

  cairo_save (cr);
  cairo_set_line_width (cr, MAX (0.5, 0.75 * fs));
  /* the y axis: decades, with 2 … 9 as faint lines; the x axis: decades of tokens and its
   * end labelled, the others faint */
  triad_axis_draw_y (text, style, &ay, p->y_unit, Y_TICKS, x0, x1);
  triad_axis_draw_x (text, style, &ax, TRIAD_AXIS_TOKENS, X_TICKS, y1, y0);
  /* TRANSLATORS: the cost figure's x axis: the length of the input, n */
  triad_chart_label (text, _("input tokens n"), size, FALSE, (x0 + x1) / 2, y + h, 0.0, 0.5, 1.0,
                     style->fg);

  triad_chart_frame (cr, style, x0, y0, x1, y1, fs);

  /* 8 k and 100 k, the lesson's two contexts */
  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    {
      double mx = round (triad_axis_map (&ax, marks[i])) + 0.5;

      if (marks[i] < ax.lo || marks[i] > ax.hi)
        continue;
      triad_chart_set_source (cr, style->fg, 0.45);
      cairo_set_dash (cr, dot, 2, 0);
      cairo_move_to (cr, mx, y0);
      cairo_line_to (cr, mx, y1);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      if (marks[i] < ax.hi * 0.9)
        {
          g_autofree char *label = triad_figure_format_tokens (marks[i]);

          triad_chart_label (text, label, size, FALSE, mx - 3.0 * fs, y1 - 3.0 * fs, 0.0, 1.0, 1.0,
                             style->fg);
        }
    }

  /* the curves, clipped to the plot */
  cairo_save (cr);
  cairo_rectangle (cr, x0, y0 - LINE_WIDTH * fs, x1 - x0, y1 - y0 + LINE_WIDTH * fs);
  cairo_clip (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (int c = 0; c < p->n_curves; c++)
    {
      const Curve *cv = &p->curves[c];

      cairo_new_path (cr);
      for (int i = 0; i < N_SAMPLES; i++)
        cairo_line_to (cr, triad_axis_map (&ax, p->xs[i]), triad_axis_map (&ay, cv->ys[i]));
      triad_chart_set_source (cr, cv->rgba, 1.0);
      cairo_set_line_width (cr, LINE_WIDTH * fs * cv->width);
      cairo_set_dash (cr, cv->dashed ? dash : NULL, cv->dashed ? 2 : 0, 0);
      cairo_stroke (cr);
    }
  cairo_restore (cr);

  /* the legend, top left inside the plot */
  {
    double lx = x0 + 8.0 * fs, ly = y0 + 6.0 * fs, sw = 18.0 * fs, lw = 0.0, inner = 4.0 * fs;
    double bg[4] = { 1, 1, 1, 1 };

    if (style->bg[3] > 0.0)
      memcpy (bg, style->bg, sizeof bg);
    else if (style->fg[0] + style->fg[1] + style->fg[2] > 1.5)
      bg[0] = bg[1] = bg[2] = 0x24 / 255.0;
    for (int c = 0; c < p->n_curves; c++)
      lw = MAX (lw, triad_chart_text_width (text, p->curves[c].label, size, FALSE));
    triad_chart_set_source (cr, bg, 0.85);
    cairo_rectangle (cr, lx - inner, ly - inner, sw + GAP * fs + lw + 2 * inner,
                     p->n_curves * lh + 2 * inner);
    cairo_fill (cr);
    for (int c = 0; c < p->n_curves; c++)
      {
        double cy = ly + (c + 0.5) * lh;

        triad_chart_set_source (cr, p->curves[c].rgba, 1.0);
        cairo_set_line_width (cr, LINE_WIDTH * fs * p->curves[c].width);
        cairo_set_dash (cr, p->curves[c].dashed ? dash : NULL, p->curves[c].dashed ? 2 : 0, 0);
        cairo_move_to (cr, lx, cy);
        cairo_line_to (cr, lx + sw, cy);
        cairo_stroke (cr);
        cairo_set_dash (cr, NULL, 0, 0);
        triad_chart_label (text, p->curves[c].label, size, FALSE, lx + sw + GAP * fs, cy, 0.0, 0.0,
                           0.5, style->fg);
      }
  }
  cairo_restore (cr);
}

/* ---- the figure ---------------------------------------------------------------------- */

/* Lays the figure out and, when paint, draws it; panels gets where the two panels fall
 * (x, y, width, height each; zero when there is no room for them). */
static void
cost_chart_lay_out (cairo_t                *cr,
                    const TriadCostChart   *chart,
                    const TriadFigureStyle *style,
                    double                  width,
                    double                  height,
                    gboolean                paint,
                    double                  panels[2][4])
{
  TriadText text;
  Params p;
  TriadAttentionCost end;
  double fs, pad, size, lh, inner_w, y, caption_h = 0.0, note_h, panels_h;
  double xs[N_SAMPLES], ed_flops[N_SAMPLES], do_flops[N_SAMPLES];
  double ed_kv[N_SAMPLES], do_kv[N_SAMPLES], scores[N_SAMPLES];
  double muted[4], grey[4];
  g_autofree char *title = NULL, *subtitle = NULL, *note = NULL, *d_str = NULL, *m_str = NULL;
  g_autofree char *n_str = NULL, *ratio = NULL, *kv_str = NULL;
  g_auto(GStrv) caption = NULL;
  g_autoptr(GPtrArray) caption_layouts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(PangoLayout) note_layout = NULL;
  gboolean abreast;
  Panel flops = { 0 }, memory = { 0 };

  memset (panels, 0, 2 * sizeof panels[0]);
  if (paint)
    triad_figure_fill_bg (cr, style, width, height);
  if (width <= 0 || height <= 0)
    return;
  params_of (chart, &p);
  triad_text_init (&text, cr, style);
  fs = text.fs;
  pad = TRIAD_FIG_PAD * fs;
  size = TRIAD_FIG_TICK_SIZE * fs;
  lh = triad_chart_line_height (&text, size);
  inner_w = width - 2 * pad;

  for (int i = 0; i < N_SAMPLES; i++)
    {
      TriadAttentionCost c;

      xs[i] = p.lo * pow (p.hi / p.lo, (double) i / (N_SAMPLES - 1));
      triad_attention_cost (xs[i], p.m, p.d, &c);
      ed_flops[i] = c.encdec;
      do_flops[i] = c.decoder;
      ed_kv[i] = c.encdec_kv * p.bpv;
      do_kv[i] = c.decoder_kv * p.bpv;
      scores[i] = c.scores * p.bpv;
    }
  triad_attention_cost (p.hi, p.m, p.d, &end);

  title = triad_cost_chart_title (chart);
  d_str = triad_format_double (p.d, 0);
  m_str = triad_format_double (p.m, 0);
  /* TRANSLATORS: under the cost figure's title: the model's width d, the output's length m
   * and the size of a stored value in bits */
  subtitle = g_strdup_printf (_("d = %s · output m = %s tokens · %d-bit values"), d_str, m_str,
                              (int) lround (p.bpv * 8));
  n_str = triad_figure_format_tokens (p.hi);
  ratio = triad_format_double (end.encdec / end.decoder, 2);
  kv_str = triad_format_size_short (end.decoder_kv * p.bpv, FALSE, -1);
  /* TRANSLATORS: a sentence under the cost figure's panels: the input length, how many
   * times the decoder-only's FLOPs the encoder-decoder does, and the KV cache of a layer */
  note = g_strdup_printf (_("At n = %s the encoder-decoder does %s times the attention FLOPs "
                            "of the decoder-only model; both keep %s of KV cache per layer."),
                          n_str, ratio, kv_str);

  caption = triad_cost_chart_caption (chart);
  for (int i = 0; caption[i] != NULL; i++)
    {
      PangoLayout *layout = wrapped_layout (&text, caption[i], size, FALSE, inner_w);
      double w, h;

      triad_text_size (layout, &w, &h);
      caption_h += h;
      g_ptr_array_add (caption_layouts, layout);
    }
  note_layout = wrapped_layout (&text, note, size, TRUE, inner_w);
  {
    double w;

    triad_text_size (note_layout, &w, &note_h);
  }

  y = pad;
  if (paint)
    triad_figure_draw_title (&text, style, title, pad, y, inner_w);
  y += triad_figure_title_height (&text, title) + 2.0 * fs;
  memcpy (muted, style->fg, sizeof muted);
  muted[3] *= 0.75;
  if (paint)
    triad_chart_label (&text, subtitle, size, FALSE, width / 2, y, 0.0, 0.5, 0.0, muted);
  y += lh + GAP * fs;

  panels_h = height - y - pad - note_h - caption_h - 2 * GAP * fs;
  abreast = width >= SIDE_BY_SIDE * fs;

  memcpy (grey, style->fg, sizeof grey);
  grey[3] *= 0.55;
  flops.xs = memory.xs = xs;
  flops.x_lo = memory.x_lo = p.lo;
  flops.x_hi = memory.x_hi = p.hi;
  /* TRANSLATORS: the title of the cost figure's first panel */
  flops.title = _("Attention FLOPs per layer");
  flops.y_unit = TRIAD_AXIS_POWERS_OF_TEN;
  flops.curves[0] = (Curve) { _("encoder-decoder"), ed_flops, style->accent, FALSE, 1.0 };
  flops.curves[1] = (Curve) { _("decoder-only"), do_flops, orange, FALSE, 1.0 };
  flops.n_curves = 2;
  /* TRANSLATORS: the title of the cost figure's second panel */
  memory.title = _("Memory per layer");
  memory.y_unit = TRIAD_AXIS_BYTES;
  /* TRANSLATORS: a legend entry of the cost figure's memory panel */
  memory.curves[0] = (Curve) { _("KV cache, encoder-decoder"), ed_kv, style->accent, FALSE, 2.2 };
  /* TRANSLATORS: a legend entry: the decoder-only's cache, drawn over the other's */
  memory.curves[1] = (Curve) { _("KV cache, decoder-only (the same)"), do_kv, orange, TRUE, 1.0 };
  /* TRANSLATORS: a legend entry: an n × n score matrix of one head, kept whole */
  memory.curves[2] = (Curve) { _("n × n scores of one head, stored whole"), scores, grey, FALSE,
                               1.0 };
  memory.n_curves = 3;

  if (panels_h >= MIN_PLOT * fs)
    {
      if (abreast)
        {
          double gap = 3 * GAP * fs, pw = (inner_w - gap) / 2;

          memcpy (panels[0], (double[4]) { pad, y, pw, panels_h }, sizeof panels[0]);
          memcpy (panels[1], (double[4]) { pad + pw + gap, y, pw, panels_h }, sizeof panels[1]);
        }
      else
        {
          double gap = 2 * GAP * fs, ph = (panels_h - gap) / 2;

          memcpy (panels[0], (double[4]) { pad, y, inner_w, ph }, sizeof panels[0]);
          memcpy (panels[1], (double[4]) { pad, y + ph + gap, inner_w, ph }, sizeof panels[1]);
        }
      if (paint)
        {
          draw_panel (&text, style, &flops, panels[0][0], panels[0][1], panels[0][2],
                      panels[0][3]);
          draw_panel (&text, style, &memory, panels[1][0], panels[1][1], panels[1][2],
                      panels[1][3]);
        }
      y += panels_h + GAP * fs;
    }
  if (!paint)
    {
      triad_text_clear (&text);
      return;
    }
  triad_text_draw (&text, note_layout, pad, y, 0.0, 0.0, 0.0, style->fg);
  y += note_h + GAP * fs;
  for (guint i = 0; i < caption_layouts->len; i++)
    {
      PangoLayout *layout = g_ptr_array_index (caption_layouts, i);
      double w, h;

      triad_text_draw (&text, layout, pad, y, 0.0, 0.0, 0.0, muted);
      triad_text_size (layout, &w, &h);
      y += h;
    }
  triad_text_clear (&text);
}

void
triad_cost_chart_draw (cairo_t                *cr,
                       const TriadCostChart   *chart,
                       const TriadFigureStyle *style,
                       double                  width,
                       double                  height)
{
  double panels[2][4];

  g_return_if_fail (cr != NULL && chart != NULL && style != NULL);

  cost_chart_lay_out (cr, chart, style, width, height, TRUE, panels);
}

int
triad_cost_chart_hit (const TriadCostChart   *chart,
                      const TriadFigureStyle *style,
                      double                  width,
                      double                  height,
                      double                  x,
                      double                  y)
{
  /* the layout measures text: a cairo_t of the figure's font options, drawing nowhere */
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);
  double panels[2][4];
  int hit = -1;

  g_return_val_if_fail (chart != NULL && style != NULL, -1);

  cost_chart_lay_out (cr, chart, style, width, height, FALSE, panels);
  for (int i = 0; i < 2; i++)
    if (panels[i][2] > 0 && x >= panels[i][0] && x < panels[i][0] + panels[i][2]
        && y >= panels[i][1] && y < panels[i][1] + panels[i][3])
      hit = i;
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return hit;
}
