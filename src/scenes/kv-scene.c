/* kv-scene.c — the KV Cache view's scene: its options, the live run's steps and the chart
 * of the cache growing, and the composite figure with its text. The memory model's
 * projection (the curves, the bars and the readout) is in kv-scene-projection.c. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"
#include <pango/pangocairo.h>

#include "engine/numbers.h"
#include "figures/masks.h"
#include "scenes/kv-scene.h"
#include "scenes/kv-scene-private.h"

/* The composite figure: the space between the panels, the text under them and the panels'
 * shares of the width (the live chart, the memory chart, the bars). */
#define FIGURE_GAP      12.0
#define FIGURE_TEXT     10.0
#define GROWTH_SHARE    0.42
#define GROWTH_OVER_DIFF 0.6   /* with a quantized cache: the growth's share of the panel's
                                * height, the difference heatmap under it */
#define CHART_SHARE     0.40
#define SURFACE_GROWTH_SHARE 0.30   /* on a slide or a presentation's screen */

void
triad_kv_scene_options_init (TriadKvSceneOptions *opt)
{
  memset (opt, 0, sizeof *opt);
  triad_kv_options_init (&opt->kv);
  opt->log_axes = TRUE;
  opt->max_tokens = TRIAD_KV_SCENE_MAX_CONTEXT;
  opt->hover_tokens = -1.0;
  opt->kv_block = 1;
  opt->max_steps = 256;
  opt->growth_hover = -1;
  opt->cmap = TRIAD_COLORMAP_VIRIDIS;
}

TriadKvScene *
triad_kv_scene_new (void)
{
  TriadKvScene *s = g_new0 (TriadKvScene, 1);

  triad_kv_scene_options_init (&s->opt);
  for (int i = 0; i < TRIAD_KV_SCENE_MAX_SERIES; i++)
    {
      s->curves[i].tokens = g_array_new (FALSE, FALSE, sizeof (double));
      s->curves[i].kv = g_array_new (FALSE, FALSE, sizeof (double));
    }
  s->live_bos = TRUE;
  s->steps = g_array_new (FALSE, FALSE, sizeof (TriadKvLiveStep));
  s->s_tokens = g_array_new (FALSE, FALSE, sizeof (double));
  s->s_layer_bytes = g_array_new (FALSE, FALSE, sizeof (double));
  s->s_cached = g_array_new (FALSE, FALSE, sizeof (double));
  s->s_recompute = g_array_new (FALSE, FALSE, sizeof (double));
  return s;
}

void
triad_kv_scene_free (TriadKvScene *s)
{
  if (s == NULL)
    return;
  for (int i = 0; i < TRIAD_KV_SCENE_MAX_SERIES; i++)
    {
      triad_llm_preset_free (s->presets[i]);
      g_array_unref (s->curves[i].tokens);
      g_array_unref (s->curves[i].kv);
    }
  for (int k = 0; k < 2; k++)
    g_free (s->bar_labels[k]);
  for (int i = 0; i < TRIAD_N_GPU_SIZES; i++)
    g_free (s->gpu_labels[i]);
  g_free (s->chart_title);
  g_free (s->bars_title);
  g_free (s->readout);
  g_free (s->live_error);
  g_free (s->live_name);
  g_array_unref (s->steps);
  g_array_unref (s->s_tokens);
  g_array_unref (s->s_layer_bytes);
  g_array_unref (s->s_cached);
  g_array_unref (s->s_recompute);
  g_free (s->growth_title);
  g_free (s->growth_hint);
  g_free (s->live_status);
  triad_llm_preset_free (s->live_preset);
  g_free (s->live_bytes);
  triad_kv_quant_view_free (s->quant);
  g_free (s->quant_title);
  g_free (s->quant_text);
  g_free (s);
}

/* ---- the engine's results ------------------------------------------------------------ */

void
triad_kv_scene_set_presets (TriadKvScene          *s,
                            const TriadLlmPreset **presets,
                            int                    n)
{
  g_return_if_fail (n >= 0 && n <= TRIAD_KV_SCENE_MAX_SERIES);

  for (int i = 0; i < TRIAD_KV_SCENE_MAX_SERIES; i++)
    g_clear_pointer (&s->presets[i], triad_llm_preset_free);
  for (int i = 0; i < n; i++)
    s->presets[i] = triad_llm_preset_copy (presets[i]);
  s->n_presets = n;
}

void
triad_kv_scene_set_live (TriadKvScene *s,
                         int           n_prompt,
                         int           n_layers,
                         const char   *error)
{
  s->n_prompt = MAX (n_prompt, 0);
  s->n_layers = MAX (n_layers, 0);
  g_free (s->live_error);
  s->live_error = g_strdup (error);
  s->exhausted = FALSE;
  g_array_set_size (s->steps, 0);
  g_array_set_size (s->s_tokens, 0);
  g_array_set_size (s->s_layer_bytes, 0);
  g_array_set_size (s->s_cached, 0);
  g_array_set_size (s->s_recompute, 0);
  g_clear_pointer (&s->quant, triad_kv_quant_view_free);
}

void
triad_kv_scene_set_live_format (TriadKvScene *s,
                                TriadDtype    dtype)
{
  g_return_if_fail (triad_kv_dtype_supported (dtype));

  s->live_dtype = dtype;
  g_clear_pointer (&s->quant, triad_kv_quant_view_free);
}

void
triad_kv_scene_set_quant (TriadKvScene     *s,
                          TriadKvQuantView *view)
{
  triad_kv_quant_view_free (s->quant);
  s->quant = view;
}

const TriadKvQuantView *
triad_kv_scene_get_quant (TriadKvScene *s)
{
  return s->quant;
}

void
triad_kv_scene_add_step (TriadKvScene          *s,
                         const TriadKvLiveStep *step)
{
  double tokens = step->tokens, cached = step->cached_seconds;
  double recompute = step->recompute_seconds;

  g_return_if_fail (s->n_layers > 0);

  g_array_append_val (s->steps, *step);
  g_array_append_val (s->s_tokens, tokens);
  /* every layer allocates the same (kvlive.h) */
  for (int l = 0; l < s->n_layers; l++)
    {
      double b = (double) step->layer_bytes;
      g_array_append_val (s->s_layer_bytes, b);
    }
  g_array_append_val (s->s_cached, cached);
  g_array_append_val (s->s_recompute, recompute);
}

void
triad_kv_scene_set_live_error (TriadKvScene *s,
                               const char   *error)
{
  g_free (s->live_error);
  s->live_error = g_strdup (error);
}

void
triad_kv_scene_set_exhausted (TriadKvScene *s,
                              gboolean      exhausted)
{
  s->exhausted = exhausted;
}

/* ---- words ---------------------------------------------------------------------------- */

char *
triad_kv_scene_format_tokens (gint64 n)
{
  g_autofree char *number = triad_format_int (n);

  /* TRANSLATORS: a number of tokens, e.g. "8,192 tokens"; %s is the number, written with
   * the separators of the "number format" strings */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s token", "%s tokens",
                                       (gulong) (n < 1000000 ? n : 1000000 + n % 100)),
                          number);
}

char *
triad_kv_scene_gpu_name (int      size,
                         gboolean gib)
{
  /* TRANSLATORS: a GPU's memory size and its unit, e.g. "24 GB" */
  return g_strdup_printf (C_("gpu", "%d %s"), size,
                          gib ? C_("bytes", "GiB") : C_("bytes", "GB"));
}

TriadMemUnit
triad_kv_scene_mem_unit (const TriadKvSceneOptions *opt)
{
  return opt->gib ? TRIAD_MEM_UNIT_GIB : TRIAD_MEM_UNIT_GB;
}

static char *
milliseconds (double seconds)
{
  g_autofree char *number = triad_format_double (seconds * 1e3, 2);

  /* TRANSLATORS: a time in milliseconds; %s is the number, e.g. "0.25" */
  return g_strdup_printf (_("%s ms"), number);
}

static double
total_of (const GArray *a)
{
  double sum = 0.0;

  for (guint i = 0; i < a->len; i++)
    sum += g_array_index (a, double, i);
  return sum;
}

static char *
live_status_text (TriadKvScene *s)
{
  int n = (int) s->steps->len;
  g_autofree char *first = NULL, *second = NULL;

  if (s->live_error != NULL)
    return g_strdup (s->live_error);
  if (s->n_prompt == 0)
    return g_strdup ("");
  if (n == 0 && s->live_bos)
    /* TRANSLATORS: %d is the prompt's length in tokens */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The prompt is %d token, <bos> included.",
                                         "The prompt is %d tokens, <bos> included.",
                                         s->n_prompt),
                            s->n_prompt);
  if (n == 0)
    /* TRANSLATORS: %d is the prompt's length in tokens, of a model (GPT-2) that adds no <bos> */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The prompt is %d token.",
                                         "The prompt is %d tokens.",
                                         s->n_prompt),
                            s->n_prompt);

  {
    int hover = s->opt.growth_hover;
    const TriadKvLiveStep *st = &g_array_index (s->steps, TriadKvLiveStep,
                                                hover >= 0 && hover < n ? hover : n - 1);
    double bytes = (double) st->layer_bytes * s->n_layers;
    g_autofree char *shown = triad_format_bytes (bytes, triad_kv_scene_mem_unit (&s->opt));
    g_autofree char *exact = triad_format_uint ((guint64) bytes);
    g_autofree char *cached = milliseconds (st->cached_seconds);
    g_autofree char *again = milliseconds (st->recompute_seconds);

    /* TRANSLATORS: a step of the live run: its number, the tokens in the cache, the bytes
     * allocated (short, then exact), the step's time with the cache and recomputed */
    first = g_strdup_printf (_("Step %d: %d tokens in the cache, %s (%s bytes) allocated; "
                               "the step took %s with the cache, %s recomputed."),
                             st->step + 1, st->tokens, shown, exact, cached, again);
  }
  {
    g_autofree char *all_cached = milliseconds (total_of (s->s_cached));
    g_autofree char *all_again = milliseconds (total_of (s->s_recompute));
    const char *end = s->exhausted ? _("The decoder’s positions are full.")
                      : n >= s->opt.max_steps ? _("The limit is reached.") : "";

    /* TRANSLATORS: the steps so far, the time of all of them with the cache and recomputed,
     * then maybe a sentence saying why the run stopped */
    second = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%d step in all: %s with the cache, %s recomputing. %s",
                                           "%d steps in all: %s with the cache, %s recomputing. %s",
                                           n),
                              n, all_cached, all_again, end);
  }
  if (s->live_bytes != NULL)
    return g_strconcat (first, "\n", second, "\n", s->live_bytes, NULL);
  return g_strconcat (first, "\n", second, NULL);
}

/* One more position's bytes in the cache of the live run's last step: what it allocated over
 * the positions it holds (the engine allocates kv_block positions at a time, up to the
 * decoder's positions, as model-forward.c's ensure_cache () does). */
static guint64
measured_per_token (TriadKvScene *s)
{
  const TriadKvLiveStep *st = &g_array_index (s->steps, TriadKvLiveStep, s->steps->len - 1);
  int block = MAX (s->opt.kv_block, 1);
  int capacity = MIN ((st->tokens + block - 1) / block * block, MAX (s->live_max_seq, st->tokens));

  return capacity > 0 ? (guint64) st->kv_bytes / (guint64) capacity : 0;
}

/* "2 × 2 × 2 × 8 × 4 B = 256 B" with the decoder's numbers, and what the run and memory.c
 * say; or, for int8 and int4, the scale of each token and K/V head added to each row. */
static char *
live_bytes_text (TriadKvScene *s)
{
  int L = s->n_layers, H = s->live_kv_heads, d = s->live_head_dim;
  gboolean scaled = s->live_dtype == TRIAD_DTYPE_INT8 || s->live_dtype == TRIAD_DTYPE_INT4;
  /* the value's bytes as a person writes them: 4, 2, 1, ½ */
  const char *value = s->live_dtype == TRIAD_DTYPE_INT4 ? "½" : NULL;
  g_autofree char *value_owned = value == NULL
                                 ? g_strdup_printf ("%d", (int) triad_dtype_bytes (s->live_dtype))
                                 : NULL;
  g_autofree char *formula = NULL, *measured = NULL, *projected = NULL, *line = NULL;
  g_autofree char *total = NULL;
  TriadKvOptions o;
  TriadKvEstimate e;

  if (s->steps->len == 0 || L <= 0 || H <= 0 || d <= 0)
    return NULL;
  s->bytes_formula = (guint64) 2 * L * H * (guint64) triad_kv_row_bytes (s->live_dtype, 1, d);
  s->bytes_measured = measured_per_token (s);
  s->bytes_projected = 0;
  if (s->live_preset != NULL)
    {
      triad_kv_options_init (&o);
      o.tokens = 1;
      o.batch = 1;
      o.kv_dtype = s->live_dtype;
      o.paged = FALSE;
      if (triad_kv_estimate (s->live_preset, &o, &e, NULL))
        s->bytes_projected = e.kv_bytes_per_token;
    }
  total = triad_format_uint (s->bytes_formula);
  formula = scaled
            /* TRANSLATORS: the live cache's bytes per token for int8 and int4: 2 (K and V) ×
             * layers × K/V heads × (head size × the bytes of a value + a float32 scale of 4
             * bytes); e.g. "2 × 2 × 2 × (8 × 1 B + 4 B) = 96 B" */
            ? g_strdup_printf (_("2 × %d layers × %d K/V heads × (%d × %s B + 4 B) = %s B: "
                                 "%s keeps a float32 scale for each token and K/V head"),
                               L, H, d, value != NULL ? value : value_owned, total,
                               triad_dtype_to_string (s->live_dtype))
            /* TRANSLATORS: the live cache's bytes per token: 2 (K and V) × layers × K/V heads
             * × head size × the bytes of a value; e.g. "2 × 2 × 2 × 8 × 4 B = 256 B" */
            : g_strdup_printf (_("2 × %d layers × %d K/V heads × %d × %s B = %s B"),
                               L, H, d, value_owned, total);
  measured = triad_format_uint (s->bytes_measured);
  if (s->bytes_projected > 0 && s->bytes_projected == s->bytes_measured)
    /* TRANSLATORS: the live cache's bytes per token: the formula, then what the run allocated,
     * then that the projection of this model's config gives the same */
    line = g_strdup_printf (_("Bytes per token: %s; measured %s B, as the projection of this "
                              "model’s config."), formula, measured);
  else if (s->bytes_projected > 0)
    {
      projected = triad_format_uint (s->bytes_projected);
      /* TRANSLATORS: as above, when the projection of the model's config differs (it counts
       * int8 and int4 without their scales) */
      line = g_strdup_printf (_("Bytes per token: %s; measured %s B; the projection counts "
                                "no scales: %s B."), formula, measured, projected);
    }
  else
    /* TRANSLATORS: the live cache's bytes per token: the formula, then what the run allocated */
    line = g_strdup_printf (_("Bytes per token: %s; measured %s B."), formula, measured);
  return g_steal_pointer (&line);
}

/* The difference heatmap's title and its sentence: the greedy changes, the largest |Δ|. */
static void
update_quant (TriadKvScene *s)
{
  const TriadKvQuantView *q = s->quant;
  g_autofree char *diff = NULL;

  if (q == NULL)
    {
      g_clear_pointer (&s->quant_title, g_free);
      g_clear_pointer (&s->quant_text, g_free);
      return;
    }
  /* TRANSLATORS: the difference heatmap's title: a format ("int8") minus f32, at a layer and
   * head */
  triad_kv_scene_take_string (&s->quant_title,
                              g_strdup_printf (_("Attention weights, %s − f32 · layer %d · "
                                                 "head %d"),
                                               triad_dtype_to_string (q->dtype),
                                               q->report.worst_layer, q->report.worst_head));
  diff = triad_format_g (q->report.max_weight_diff, 2);
  /* TRANSLATORS: under the difference heatmap: the greedy next token changed at %d of %d
   * steps; then the largest difference of any attention weight */
  triad_kv_scene_take_string (&s->quant_text,
                              g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "Greedy token changed at %d of %d step; largest weight difference %s.",
                                                            "Greedy token changed at %d of %d steps; largest weight difference %s.",
                                                            q->report.steps),
                                               q->report.changed, q->report.steps, diff));
}

const char *
triad_kv_scene_get_live_bytes (TriadKvScene *s,
                               guint64      *formula,
                               guint64      *measured,
                               guint64      *projected)
{
  if (formula != NULL)
    *formula = s->live_bytes != NULL ? s->bytes_formula : 0;
  if (measured != NULL)
    *measured = s->live_bytes != NULL ? s->bytes_measured : 0;
  if (projected != NULL)
    *projected = s->live_bytes != NULL ? s->bytes_projected : 0;
  return s->live_bytes;
}

void
triad_kv_scene_take_string (char **field,
                            char  *value)
{
  g_free (*field);
  *field = value;
}

static void
update_live (TriadKvScene *s)
{
  const TriadKvSceneOptions *opt = &s->opt;
  int n = (int) s->steps->len;

  if (s->live_dtype != TRIAD_DTYPE_F32)
    {
      const char *name = s->live_name != NULL ? s->live_name : _("Shipped decoder");

      triad_kv_scene_take_string (&s->growth_title, opt->kv_block > 1
                                  /* TRANSLATORS: the live chart's title with a cache in
                                   * another format: the model's name, the format ("int8") */
                                  ? g_strdup_printf (_("%s: K and V allocated per layer, "
                                                       "blocks of 16 (%s)"), name,
                                                     triad_dtype_to_string (s->live_dtype))
                                  : g_strdup_printf (_("%s: K and V allocated per layer (%s)"),
                                                     name, triad_dtype_to_string (s->live_dtype)));
    }
  else if (s->live_name != NULL && opt->kv_block > 1)
    /* TRANSLATORS: the live chart's title for a model opened from a folder, %s its name
     * ("gpt2"), when the cache grows 16 positions at a time */
    triad_kv_scene_take_string (&s->growth_title,
                                g_strdup_printf (_("%s: K and V allocated per layer, "
                                                   "blocks of 16 (f32)"), s->live_name));
  else if (s->live_name != NULL)
    /* TRANSLATORS: the live chart's title for a model opened from a folder, %s its name */
    triad_kv_scene_take_string (&s->growth_title,
                                g_strdup_printf (_("%s: K and V allocated per layer (f32)"),
                                                 s->live_name));
  else if (opt->kv_block > 1)
    /* TRANSLATORS: the live chart's title, when the cache grows 16 positions at a time */
    triad_kv_scene_take_string (&s->growth_title,
                                g_strdup (_("Shipped decoder: K and V allocated per layer, "
                                            "blocks of 16 (f32)")));
  else
    /* TRANSLATORS: the live chart's title */
    triad_kv_scene_take_string (&s->growth_title,
                                g_strdup (_("Shipped decoder: K and V allocated per layer "
                                            "(f32)")));
  /* TRANSLATORS: in the live chart before the first step */
  triad_kv_scene_take_string (&s->growth_hint,
                              g_strdup (_("Play or step: the chart grows with every token "
                                          "the decoder generates")));
  triad_kv_scene_take_string (&s->live_bytes, live_bytes_text (s));
  triad_kv_scene_take_string (&s->live_status, live_status_text (s));
  update_quant (s);
  s->growth = (TriadKvGrowth) {
    .tokens = (const double *) s->s_tokens->data,
    .layer_bytes = (const double *) s->s_layer_bytes->data,
    .n_samples = n,
    .n_layers = s->n_layers,
    .step_seconds_cached = n > 0 ? (const double *) s->s_cached->data : NULL,
    .step_seconds_uncached = n > 0 ? (const double *) s->s_recompute->data : NULL,
    .cmap = opt->cmap,
    .gib = opt->gib,
    .title = s->growth_title,
    .hover = opt->growth_hover < n ? opt->growth_hover : -1,
  };
}

void
triad_kv_scene_update (TriadKvScene              *s,
                       const TriadKvSceneOptions *opt)
{
  s->opt = *opt;
  triad_kv_scene_update_projection (s);
  update_live (s);
}

/* ---- accessors ------------------------------------------------------------------------ */

const TriadKvEstimate *
triad_kv_scene_get_estimate (TriadKvScene *s)
{
  return s->has_estimate ? &s->estimate : NULL;
}

const char *
triad_kv_scene_get_readout (TriadKvScene *s,
                            gboolean     *is_error)
{
  if (is_error != NULL)
    *is_error = s->readout_is_error;
  return s->readout;
}

const char *
triad_kv_scene_get_live_status (TriadKvScene *s)
{
  return s->live_status;
}

const char *
triad_kv_scene_get_title (TriadKvScene *s)
{
  return s->chart_title != NULL ? s->chart_title : s->growth_title;
}

const TriadMemoryChart *
triad_kv_scene_get_chart (TriadKvScene *s)
{
  return &s->chart;
}

const TriadMemoryBars *
triad_kv_scene_get_bars (TriadKvScene *s)
{
  return &s->bars;
}

const TriadKvGrowth *
triad_kv_scene_get_growth (TriadKvScene *s)
{
  return &s->growth;
}

int
triad_kv_scene_get_n_steps (TriadKvScene *s)
{
  return (int) s->steps->len;
}

int
triad_kv_scene_get_n_prompt (TriadKvScene *s)
{
  return s->n_prompt;
}

int
triad_kv_scene_get_n_layers (TriadKvScene *s)
{
  return s->n_layers;
}

const TriadKvLiveStep *
triad_kv_scene_get_step (TriadKvScene *s,
                         int           i)
{
  g_return_val_if_fail (i >= 0 && i < (int) s->steps->len, NULL);

  return &g_array_index (s->steps, TriadKvLiveStep, i);
}

/* ---- drawing and pointing --------------------------------------------------------------- */

/* Text of the figure's size that wraps at w. */
static PangoLayout *
text_layout (cairo_t                *cr,
             const TriadFigureStyle *style,
             const char             *text,
             double                  w)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_new ();
  double scale = triad_figure_style_font_scale (style), size;

  pango_font_description_set_family (font, style->font_family != NULL ? style->font_family
                                                                      : "Sans");
  /* the screen's readouts in points; on a slide or a presentation's screen, body text as the
   * panels' ticks are, since the type there is sized from the surface */
  if (triad_figure_style_min_text (style) > 0.0)
    size = MAX (FIGURE_TEXT * scale, triad_figure_style_min_text (style));
  else
    size = FIGURE_TEXT * scale * 96.0 / 72.0;
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (MAX (w, 1.0) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  pango_font_description_free (font);
  return layout;
}

void
triad_kv_scene_draw_growth (TriadKvScene           *s,
                            cairo_t                *cr,
                            const TriadFigureStyle *style,
                            double                  width,
                            double                  height)
{
  triad_kv_growth_draw (cr, &s->growth, style, width, height);
  if (s->growth.n_samples == 0 && s->opt.hint && s->n_prompt > 0)
    {
      g_autoptr(PangoLayout) hint = text_layout (cr, style, s->growth_hint, width * 0.7);
      int h;

      pango_layout_set_alignment (hint, PANGO_ALIGN_CENTER);
      pango_layout_get_pixel_size (hint, NULL, &h);
      cairo_save (cr);
      cairo_set_source_rgba (cr, style->fg[0], style->fg[1], style->fg[2], 0.6);
      cairo_move_to (cr, (width - width * 0.7) / 2, (height - h) / 2);
      pango_cairo_show_layout (cr, hint);
      cairo_restore (cr);
    }
}

static PangoLayout *text_layout (cairo_t                *cr,
                                 const TriadFigureStyle *style,
                                 const char             *text,
                                 double                  width);

void
triad_kv_scene_draw_difference (TriadKvScene           *s,
                                cairo_t                *cr,
                                const TriadFigureStyle *style,
                                double                  width,
                                double                  height)
{
  TriadMatrix m;
  g_autoptr(PangoLayout) layout = NULL;
  int text_h = 0;

  if (s->quant == NULL || s->quant->n == 0)
    return;
  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  if (style->bg[3] > 0.0)
    {
      cairo_set_source_rgba (cr, style->bg[0], style->bg[1], style->bg[2], style->bg[3]);
      cairo_paint (cr);
    }
  layout = text_layout (cr, style, s->quant_text, width - 2 * FIGURE_GAP);
  pango_layout_get_pixel_size (layout, NULL, &text_h);
  /* rows: the positions each step read; blue where the format lowered a weight, red where it
   * raised it, white where it changed nothing */
  m = (TriadMatrix) {
    .values = s->quant->diff, .rows = s->quant->n, .cols = s->quant->n,
    .title = s->quant_title, .kind = TRIAD_CELLS_SIGNED, .cmap = s->opt.cmap,
    .visible_rows = -1, .hover_row = -1, .hover_col = -1,
  };
  triad_matrix_draw (cr, &m, style, FIGURE_GAP, FIGURE_GAP / 2, width - 2 * FIGURE_GAP,
                     MAX (height - text_h - 1.5 * FIGURE_GAP, 0.0));
  cairo_set_source_rgba (cr, style->fg[0], style->fg[1], style->fg[2], style->fg[3]);
  cairo_move_to (cr, FIGURE_GAP, height - text_h - FIGURE_GAP / 2);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

void
triad_kv_scene_draw_chart (TriadKvScene           *s,
                           cairo_t                *cr,
                           const TriadFigureStyle *style,
                           double                  width,
                           double                  height)
{
  triad_memory_chart_draw (cr, &s->chart, style, width, height);
}

void
triad_kv_scene_draw_bars (TriadKvScene           *s,
                          cairo_t                *cr,
                          const TriadFigureStyle *style,
                          double                  width,
                          double                  height)
{
  triad_memory_bars_draw (cr, &s->bars, style, width, height);
}

int
triad_kv_scene_hit_growth (TriadKvScene           *s,
                           const TriadFigureStyle *style,
                           double                  width,
                           double                  height,
                           double                  x,
                           double                  y)
{
  if (x < 0 || y < 0 || s->growth.n_samples == 0)
    return -1;
  return triad_kv_growth_hit (&s->growth, style, width, height, x, y);
}

double
triad_kv_scene_hit_chart (TriadKvScene           *s,
                          const TriadFigureStyle *style,
                          double                  width,
                          double                  height,
                          double                  x,
                          double                  y)
{
  double t;

  if (!s->has_estimate || x < 0 || y < 0)
    return -1.0;
  t = triad_memory_chart_hit (&s->chart, style, width, height, x, y);
  return t > 0.0 ? round (t) : t;
}

typedef struct {
  double growth_w, chart_w, bars_w, plot_h;
} Layout;

static void
panel_widths (TriadKvScene           *s,
              const TriadFigureStyle *style,
              double                  width,
              Layout                 *l)
{
  double inner = MAX (width - 2 * FIGURE_GAP, 3.0);
  gboolean on_surface = triad_figure_style_min_text (style) > 0.0;

  /* on a slide or a presentation's screen, a live chart with no run to show gives its room to
   * the other two, rather than leave a third of the surface empty under its title */
  if (on_surface && s->n_prompt == 0
      && s->growth.n_samples == 0 && s->quant == NULL)
    {
      l->growth_w = 0.0;
      l->chart_w = round (inner * CHART_SHARE / (1.0 - GROWTH_SHARE));
      l->bars_w = inner - l->chart_w;
      return;
    }
  /* there, too, the bars' labels are set at body size: they take almost a third */
  l->growth_w = round (inner * (on_surface ? SURFACE_GROWTH_SHARE : GROWTH_SHARE));
  l->chart_w = round (inner * CHART_SHARE);
  l->bars_w = inner - l->growth_w - l->chart_w;
}

/* The height of the readouts under the panels. */
static double
text_height (TriadKvScene           *s,
             cairo_t                *cr,
             const TriadFigureStyle *style,
             const Layout           *l)
{
  g_autoptr(PangoLayout) left = text_layout (cr, style, l->growth_w > 0.0 ? s->live_status : "",
                                             l->growth_w - 2 * FIGURE_GAP);
  g_autoptr(PangoLayout) right = text_layout (cr, style, s->readout,
                                              l->chart_w + l->bars_w - FIGURE_GAP);
  int lh, rh;

  pango_layout_get_pixel_size (left, NULL, &lh);
  pango_layout_get_pixel_size (right, NULL, &rh);
  return MAX (lh, rh) + FIGURE_GAP;
}

double
triad_kv_scene_natural_height (TriadKvScene           *s,
                               const TriadFigureStyle *style,
                               double                  width,
                               double                  plot_height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);
  Layout l;
  double h;

  panel_widths (s, style, width, &l);
  h = plot_height + text_height (s, cr, style, &l);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return h;
}

static void
draw_text (cairo_t                *cr,
           const TriadFigureStyle *style,
           const char             *text,
           double                  x,
           double                  y,
           double                  w)
{
  g_autoptr(PangoLayout) layout = text_layout (cr, style, text, w);

  cairo_save (cr);
  cairo_set_source_rgba (cr, style->fg[0], style->fg[1], style->fg[2], style->fg[3]);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

static void
draw_panel (cairo_t *cr,
            double   x,
            double   w,
            double   h)
{
  cairo_translate (cr, x, 0);
  cairo_rectangle (cr, 0, 0, w, h);
  cairo_clip (cr);
}

void
triad_kv_scene_draw (TriadKvScene           *s,
                     cairo_t                *cr,
                     const TriadFigureStyle *style,
                     double                  width,
                     double                  height)
{
  Layout l;
  double x;

  /* the background under the gaps and the readouts too, as each chart paints its own */
  if (style->bg[3] > 0.0)
    {
      cairo_save (cr);
      cairo_set_source_rgba (cr, style->bg[0], style->bg[1], style->bg[2], style->bg[3]);
      cairo_rectangle (cr, 0, 0, width, height);
      cairo_fill (cr);
      cairo_restore (cr);
    }
  panel_widths (s, style, width, &l);
  /* the readouts keep what they need; the charts never shrink below half the figure */
  l.plot_h = MAX (height - text_height (s, cr, style, &l), round (height * 0.5));

  cairo_save (cr);
  if (s->quant != NULL)
    {
      /* the growth above, what the format costs under it */
      double top = round (l.plot_h * GROWTH_OVER_DIFF);

      draw_panel (cr, 0, l.growth_w, top);
      triad_kv_growth_draw (cr, &s->growth, style, l.growth_w, top);
      cairo_restore (cr);
      cairo_save (cr);
      cairo_translate (cr, 0, top);
      triad_kv_scene_draw_difference (s, cr, style, l.growth_w, l.plot_h - top);
    }
  else if (l.growth_w > 0.0)
    {
      draw_panel (cr, 0, l.growth_w, l.plot_h);
      triad_kv_growth_draw (cr, &s->growth, style, l.growth_w, l.plot_h);
    }
  cairo_restore (cr);

  x = l.growth_w + FIGURE_GAP;
  cairo_save (cr);
  draw_panel (cr, x, l.chart_w, l.plot_h);
  triad_memory_chart_draw (cr, &s->chart, style, l.chart_w, l.plot_h);
  cairo_restore (cr);

  x += l.chart_w + FIGURE_GAP;
  cairo_save (cr);
  draw_panel (cr, x, l.bars_w, l.plot_h);
  triad_memory_bars_draw (cr, &s->bars, style, l.bars_w, l.plot_h);
  cairo_restore (cr);

  if (l.growth_w > 0.0)
    draw_text (cr, style, s->live_status, FIGURE_GAP, l.plot_h, l.growth_w - 2 * FIGURE_GAP);
  draw_text (cr, style, s->readout, l.growth_w + 2 * FIGURE_GAP, l.plot_h,
             l.chart_w + l.bars_w - FIGURE_GAP);
}

int
triad_kv_scene_hit (TriadKvScene           *s,
                    const TriadFigureStyle *style,
                    double                  width,
                    double                  height,
                    double                  x,
                    double                  y,
                    int                    *step,
                    double                 *tokens)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  Layout l;
  double chart_x;
  int panel = -1;

  g_return_val_if_fail (s != NULL && style != NULL && step != NULL && tokens != NULL, -1);

  *step = -1;
  *tokens = -1.0;
  /* the panels' height as draw () finds it, the readouts measured in a scratch context */
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cr = cairo_create (surface);
  panel_widths (s, style, width, &l);
  l.plot_h = MAX (height - text_height (s, cr, style, &l), round (height * 0.5));
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  if (x < 0 || y < 0 || y >= l.plot_h)
    return -1;

  chart_x = l.growth_w + FIGURE_GAP;
  if (x < l.growth_w)
    {
      *step = triad_kv_scene_hit_growth (s, style, l.growth_w, l.plot_h, x, y);
      panel = *step >= 0 ? 0 : -1;
    }
  else if (x >= chart_x && x < chart_x + l.chart_w)
    {
      *tokens = triad_kv_scene_hit_chart (s, style, l.chart_w, l.plot_h, x - chart_x, y);
      panel = *tokens > 0.0 ? 1 : -1;
    }
  return panel;
}
