/* kv-scene.c — the KV Cache view's figures and words, from the live run's steps and the
 * memory model's estimates. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"
#include <pango/pangocairo.h>

#include "engine/numbers.h"
#include "scenes/kv-scene.h"

#define CURVE_SAMPLES   160
/* The composite figure: the space between the panels, the text under them and the panels'
 * shares of the width (the live chart, the memory chart, the bars). */
#define FIGURE_GAP      12.0
#define FIGURE_TEXT     10.0
#define GROWTH_SHARE    0.42
#define CHART_SHARE     0.40

static const double bar_marks[2] = { TRIAD_KV_SCENE_MARK_8K, TRIAD_KV_SCENE_MARK_100K };

typedef struct {
  GArray *tokens;   /* (double) */
  GArray *kv;       /* (double) */
} Curve;

struct _TriadKvScene
{
  TriadKvSceneOptions opt;

  /* the projection */
  TriadLlmPreset    *presets[TRIAD_KV_SCENE_MAX_SERIES];
  int                n_presets;
  gboolean           has_estimate;
  TriadKvEstimate    estimate;
  Curve              curves[TRIAD_KV_SCENE_MAX_SERIES];
  TriadMemorySeries  series[TRIAD_KV_SCENE_MAX_SERIES];
  double             bar_kv[2];
  double             bar_weights[2];
  char              *bar_labels[2];
  double             gpu_bytes[TRIAD_N_GPU_SIZES];
  char              *gpu_labels[TRIAD_N_GPU_SIZES];
  char              *chart_title;
  char              *bars_title;
  char              *readout;
  gboolean           readout_is_error;
  TriadMemoryChart   chart;
  TriadMemoryBars    bars;

  /* the live run */
  int                n_prompt;
  int                n_layers;
  char              *live_error;
  gboolean           exhausted;
  GArray            *steps;            /* (TriadKvLiveStep) */
  GArray            *s_tokens;         /* (double) positions in the cache after each step */
  GArray            *s_layer_bytes;    /* (double) (n_steps, n_layers) */
  GArray            *s_cached;         /* (double) seconds */
  GArray            *s_recompute;      /* (double) seconds */
  char              *growth_title;
  char              *growth_hint;
  char              *live_status;
  TriadKvGrowth      growth;
};

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
  g_array_unref (s->steps);
  g_array_unref (s->s_tokens);
  g_array_unref (s->s_layer_bytes);
  g_array_unref (s->s_cached);
  g_array_unref (s->s_recompute);
  g_free (s->growth_title);
  g_free (s->growth_hint);
  g_free (s->live_status);
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

static TriadMemUnit
unit_of (const TriadKvSceneOptions *opt)
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

static void
join (GString    *s,
      const char *part)
{
  if (part == NULL || *part == '\0')
    return;
  if (s->len > 0)
    g_string_append (s, " · ");
  g_string_append (s, part);
}

/* The first lines of the readout: the cache, the weights and the total, and how a token's
 * worth is made. */
static void
readout_estimate (GString                   *out,
                  const TriadLlmPreset      *p,
                  const TriadKvSceneOptions *opt,
                  const TriadKvEstimate     *e)
{
  const TriadKvOptions *o = &opt->kv;
  TriadMemUnit u = unit_of (opt);
  g_autoptr(GString) details = g_string_new (NULL);
  g_autofree char *weights = triad_format_bytes (e->weights_bytes_f, u);
  g_autofree char *tokens = triad_kv_scene_format_tokens (o->tokens);
  g_autofree char *kv = triad_format_bytes (e->kv_bytes_f, u);
  g_autofree char *kv_exact = e->overflow ? triad_format_g (e->kv_bytes_f, 4)
                                          : triad_format_uint (e->kv_bytes);
  g_autofree char *total = triad_format_bytes (e->total_bytes_f, u);
  g_autofree char *per = triad_format_bytes ((double) e->kv_bytes_per_token, u);
  g_autofree char *per_exact = triad_format_uint (e->kv_bytes_per_token);
  g_autofree char *line = NULL, *part = NULL;

  if (!e->cached)
    {
      /* TRANSLATORS: the readout of an encoder-only model such as BERT; %s are its name and
       * its weights */
      g_string_append_printf (out, _("%s is an encoder: it reads the whole text in one pass "
                                     "and generates nothing token by token, so nothing is "
                                     "cached: no keys, no values, 0 bytes at any length. "
                                     "Weights %s."), p->name, weights);
      return;
    }
  if (p->arch == TRIAD_ARCH_ENCDEC)
    {
      g_autofree char *self_kv = triad_format_bytes (e->self_kv_bytes_f, u);
      g_autofree char *cross_kv = triad_format_bytes (e->cross_kv_bytes_f, u);

      /* TRANSLATORS: the readout of an encoder-decoder such as T5: model, tokens, batch,
       * the cache (short and exact), its self-attention and cross-attention parts, the
       * weights, the total */
      line = g_strdup_printf (_("%s at %s of source and of target × batch %d: KV cache %s "
                                "(%s bytes) = self-attention %s + cross-attention %s; "
                                "+ weights %s = %s"),
                              p->name, tokens, (int) o->batch, kv, kv_exact, self_kv,
                              cross_kv, weights, total);
    }
  else
    /* TRANSLATORS: the readout: model, tokens, batch, the cache (short and exact), the
     * weights, the total */
    line = g_strdup_printf (_("%s at %s × batch %d: KV cache %s (%s bytes) + weights %s "
                              "= %s"),
                            p->name, tokens, (int) o->batch, kv, kv_exact, weights, total);
  g_string_append (out, line);

  if (e->n_groups > 0 && e->groups[0].kind == TRIAD_KV_LAYER_LATENT)
    /* TRANSLATORS: bytes (short, exact) of one token over all layers, the layers, the
     * values of the latent and of the rotary key, the number type */
    part = g_strdup_printf (_("a token: %s (%s bytes) over %d layers, a latent of %d and "
                              "a rotary key of %d in %s"),
                            per, per_exact, p->n_layers, p->kv_lora_rank,
                            p->qk_rope_head_dim, triad_dtype_to_string (o->kv_dtype));
  else
    /* TRANSLATORS: bytes (short, exact) of one token over all layers, the layers, the
     * key/value heads and their size, the number type */
    part = g_strdup_printf (_("a token: %s (%s bytes) over %d layers, 2 × %d key/value "
                              "heads of %d in %s"),
                            per, per_exact, p->n_layers, e->kv_heads, p->head_dim,
                            triad_dtype_to_string (o->kv_dtype));
  join (details, part);
  if (o->paged)
    {
      g_autofree char *paged = NULL;

      if (e->tokens != o->tokens)
        {
          g_autofree char *rounded = triad_kv_scene_format_tokens (e->tokens);
          /* TRANSLATORS: the paged cache's rounding: the tokens allocated, the blocks */
          paged = g_strdup_printf (_("paged: rounded up to %s, %d blocks of 16"), rounded,
                                   (int) (e->tokens / TRIAD_KV_PAGE_TOKENS));
        }
      else
        paged = g_strdup_printf (_("paged: %d whole blocks of 16"),
                                 (int) (e->tokens / TRIAD_KV_PAGE_TOKENS));
      join (details, paged);
    }
  if (e->window_honoured)
    {
      g_autofree char *w = triad_kv_scene_format_tokens (MIN (o->tokens, p->sliding_window));
      /* TRANSLATORS: layers with a sliding window, all the layers, the window's tokens */
      g_autofree char *window = g_strdup_printf (_("%d of %d layers keep only the last %s "
                                                   "(sliding window)"),
                                                 triad_llm_preset_n_local (p), p->n_layers, w);
      join (details, window);
    }
  else if (p->sliding_window > 0 && o->ignore_window)
    join (details, _("the sliding window ignored: every layer keeps every token"));
  if (e->beyond_context)
    {
      g_autofree char *made = triad_kv_scene_format_tokens (p->max_context);
      /* TRANSLATORS: the longest context a model was made for, and the model */
      g_autofree char *beyond = g_strdup_printf (_("beyond the %s %s was made for"), made,
                                                 p->name);
      join (details, beyond);
    }
  g_string_append_c (out, '\n');
  g_string_append (out, details->str);
}

/* The readout: the estimate's lines, which GPUs hold it, and the longest context each holds. */
static char *
readout_text (const TriadLlmPreset      *p,
              const TriadKvSceneOptions *opt,
              const TriadKvEstimate     *e)
{
  TriadMemUnit u = unit_of (opt);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) fits = g_string_new (NULL);
  g_autoptr(GString) too_small = g_string_new (NULL);
  g_autoptr(GString) longest = g_string_new (NULL);
  const char *unit_note = opt->gib ? _("1 GiB = 2³⁰ bytes") : _("1 GB = 10⁹ bytes");

  readout_estimate (out, p, opt, e);
  for (int i = 0; i < TRIAD_N_GPU_SIZES; i++)
    {
      double bytes = triad_gpu_bytes (triad_gpu_sizes[i], u);
      g_autofree char *gpu = triad_kv_scene_gpu_name (triad_gpu_sizes[i], opt->gib);
      gint64 at = triad_kv_max_context (p, &opt->kv, bytes);
      g_autofree char *where = NULL, *entry = NULL;

      if (triad_kv_estimate_fits (e, bytes))
        g_string_append_printf (fits, "%s%s", fits->len > 0 ? ", " : "", gpu);
      else
        g_string_append_printf (too_small, "%s%s", too_small->len > 0 ? ", " : "", gpu);
      if (!e->cached)
        continue;
      if (at < 0)
        where = g_strdup (_("any length"));
      else if (at == 0)
        where = g_strdup (_("none"));
      else
        where = triad_format_int (at);
      /* TRANSLATORS: a GPU and the longest context that fits in it */
      entry = g_strdup_printf (C_("longest context", "%s: %s"), gpu, where);
      join (longest, entry);
    }
  g_string_append_c (out, '\n');
  if (too_small->len == 0)
    /* TRANSLATORS: the GPUs, and the unit's definition */
    g_string_append_printf (out, _("Fits on every GPU here: %s (%s)."), fits->str, unit_note);
  else if (fits->len == 0)
    g_string_append_printf (out, _("Fits on none of %s (%s)."), too_small->str, unit_note);
  else
    /* TRANSLATORS: the GPUs it fits on, those too small, and the unit's definition */
    g_string_append_printf (out, _("Fits on %s; too small: %s (%s)."), fits->str,
                            too_small->str, unit_note);
  if (e->cached)
    {
      g_string_append_c (out, '\n');
      /* TRANSLATORS: followed by a list of GPUs, each with the longest context (in tokens)
       * whose weights and cache fit in it */
      g_string_append_printf (out, _("Longest context that fits, in tokens: %s"), longest->str);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
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
  if (n == 0)
    /* TRANSLATORS: %d is the prompt's length in tokens */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The prompt is %d token, <bos> included.",
                                         "The prompt is %d tokens, <bos> included.",
                                         s->n_prompt),
                            s->n_prompt);

  {
    int hover = s->opt.growth_hover;
    const TriadKvLiveStep *st = &g_array_index (s->steps, TriadKvLiveStep,
                                                hover >= 0 && hover < n ? hover : n - 1);
    double bytes = (double) st->layer_bytes * s->n_layers;
    g_autofree char *shown = triad_format_bytes (bytes, unit_of (&s->opt));
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
  return g_strconcat (first, "\n", second, NULL);
}

/* ---- options to figures --------------------------------------------------------------- */

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Context lengths for a curve: even on a log axis and on a linear one, both sides of a
 * window's edge, and the marks. */
static void
curve_tokens (const TriadLlmPreset *p,
              double                max_tokens,
              GArray               *out)
{
  g_autoptr(GArray) t = g_array_new (FALSE, FALSE, sizeof (double));
  double min_tokens = MIN (TRIAD_KV_SCENE_MIN_CONTEXT, max_tokens);
  double extra[] = { min_tokens, bar_marks[0], bar_marks[1], (double) p->sliding_window,
                     (double) p->sliding_window + 1.0, max_tokens };

  for (int i = 0; i <= CURVE_SAMPLES; i++)
    {
      double v = round (min_tokens * pow (max_tokens / min_tokens, (double) i / CURVE_SAMPLES));
      g_array_append_val (t, v);
      v = round (MAX (1.0, max_tokens * i / CURVE_SAMPLES));
      g_array_append_val (t, v);
    }
  for (guint i = 0; i < G_N_ELEMENTS (extra); i++)
    if (extra[i] >= 1.0 && extra[i] <= max_tokens)
      g_array_append_val (t, extra[i]);
  g_array_sort (t, compare_double);
  g_array_set_size (out, 0);
  for (guint i = 0; i < t->len; i++)
    if (out->len == 0
        || g_array_index (t, double, i) > g_array_index (out, double, out->len - 1))
      g_array_append_val (out, g_array_index (t, double, i));
}

static void
set_string (char **field,
            char  *value)
{
  g_free (*field);
  *field = value;
}

static void
update_projection (TriadKvScene *s)
{
  const TriadKvSceneOptions *opt = &s->opt;
  const TriadLlmPreset *p = s->n_presets > 0 ? s->presets[0] : NULL;
  g_autoptr(GError) error = NULL;
  TriadKvOptions o = opt->kv;
  double max_tokens = opt->max_tokens > 0.0 ? opt->max_tokens : TRIAD_KV_SCENE_MAX_CONTEXT;
  int n_series = 0;

  s->has_estimate = FALSE;
  for (int i = 0; i < TRIAD_N_GPU_SIZES; i++)
    {
      set_string (&s->gpu_labels[i], triad_kv_scene_gpu_name (triad_gpu_sizes[i], opt->gib));
      s->gpu_bytes[i] = triad_gpu_bytes (triad_gpu_sizes[i], unit_of (opt));
    }
  for (int k = 0; k < 2; k++)
    set_string (&s->bar_labels[k], triad_kv_scene_format_tokens ((gint64) bar_marks[k]));
  /* TRANSLATORS: the title of the two bars: the cache at 8 k and at 100 k tokens */
  set_string (&s->bars_title, g_strdup (_("8 k against 100 k")));
  set_string (&s->chart_title, NULL);
  set_string (&s->readout, NULL);
  s->readout_is_error = FALSE;

  if (p != NULL && triad_kv_estimate (p, &o, &s->estimate, &error))
    {
      s->has_estimate = TRUE;
      set_string (&s->readout, readout_text (p, opt, &s->estimate));
      for (int k = 0; k < 2; k++)
        {
          TriadKvEstimate at;

          o.tokens = (gint64) bar_marks[k];
          if (!triad_kv_estimate (p, &o, &at, NULL))
            at.kv_bytes_f = at.weights_bytes_f = 0.0;
          s->bar_kv[k] = at.kv_bytes_f;
          s->bar_weights[k] = at.weights_bytes_f;
        }
      for (int i = 0; i < s->n_presets; i++)
        {
          Curve *c = &s->curves[i];
          TriadKvEstimate at;

          curve_tokens (s->presets[i], max_tokens, c->tokens);
          g_array_set_size (c->kv, 0);
          for (guint k = 0; k < c->tokens->len; k++)
            {
              o.tokens = (gint64) g_array_index (c->tokens, double, k);
              if (!triad_kv_estimate (s->presets[i], &o, &at, NULL))
                at.kv_bytes_f = 0.0;
              g_array_append_val (c->kv, at.kv_bytes_f);
            }
          o.tokens = opt->kv.tokens;
          if (!triad_kv_estimate (s->presets[i], &o, &at, NULL))
            at.weights_bytes_f = 0.0;
          s->series[i] = (TriadMemorySeries) {
            .label = s->presets[i]->name,
            .tokens = (const double *) c->tokens->data,
            .kv_bytes = (const double *) c->kv->data,
            .n = (int) c->tokens->len,
            .weights_bytes = opt->no_weights ? 0.0 : at.weights_bytes_f,
          };
        }
      n_series = s->n_presets;
      if (s->n_presets > 1)
        /* TRANSLATORS: the memory chart's title when it compares models: the cache's number
         * type and the batch */
        set_string (&s->chart_title,
                    g_strdup_printf (opt->no_weights
                                     ? _("KV cache against context (%s, batch %d)")
                                     : _("KV cache on the weights against context (%s, batch %d)"),
                                     triad_dtype_to_string (opt->kv.kv_dtype),
                                     (int) opt->kv.batch));
      else
        /* TRANSLATORS: the chart's title: the model, the cache's number type and the batch */
        set_string (&s->chart_title,
                    g_strdup_printf (opt->no_weights
                                     ? _("%s · KV cache against context (%s, batch %d)")
                                     : _("%s · KV cache on its weights (%s, batch %d)"),
                                     p->name, triad_dtype_to_string (opt->kv.kv_dtype),
                                     (int) opt->kv.batch));
    }
  else if (error != NULL)
    {
      set_string (&s->readout, g_strdup (error->message));
      s->readout_is_error = TRUE;
    }

  s->chart = (TriadMemoryChart) {
    .series = s->series,
    .n_series = n_series,
    .gpu_bytes = s->gpu_bytes,
    .gpu_labels = (const char * const *) s->gpu_labels,
    .n_gpus = TRIAD_N_GPU_SIZES,
    .min_tokens = MIN (TRIAD_KV_SCENE_MIN_CONTEXT, max_tokens),
    .max_tokens = max_tokens,
    .log_x = opt->log_axes,
    .log_y = opt->log_axes,
    .stack_weights = !opt->no_weights,
    .gib = opt->gib,
    .title = s->chart_title,
    .hover_tokens = !s->has_estimate ? -1.0
                    : opt->hover_tokens > 0.0 ? opt->hover_tokens : (double) opt->kv.tokens,
  };
  s->bars = (TriadMemoryBars) {
    .kv_bytes = s->bar_kv,
    .weights_bytes = opt->no_weights ? NULL : s->bar_weights,
    .labels = (const char * const *) s->bar_labels,
    .n = s->has_estimate ? 2 : 0,
    .gib = opt->gib,
    .title = s->bars_title,
  };
}

static void
update_live (TriadKvScene *s)
{
  const TriadKvSceneOptions *opt = &s->opt;
  int n = (int) s->steps->len;

  if (opt->kv_block > 1)
    /* TRANSLATORS: the live chart's title, when the cache grows 16 positions at a time */
    set_string (&s->growth_title,
                g_strdup (_("Shipped decoder: K and V allocated per layer, blocks of 16 (f32)")));
  else
    /* TRANSLATORS: the live chart's title */
    set_string (&s->growth_title,
                g_strdup (_("Shipped decoder: K and V allocated per layer (f32)")));
  /* TRANSLATORS: in the live chart before the first step */
  set_string (&s->growth_hint, g_strdup (_("Play or step: the chart grows with every token "
                                           "the decoder generates")));
  set_string (&s->live_status, live_status_text (s));
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
  update_projection (s);
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
  double scale = style->font_scale > 0.0 ? style->font_scale : 1.0;

  pango_font_description_set_family (font, style->font_family != NULL ? style->font_family
                                                                      : "Sans");
  pango_font_description_set_absolute_size (font, FIGURE_TEXT * scale * PANGO_SCALE * 96.0 / 72.0);
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
panel_widths (double  width,
              Layout *l)
{
  double inner = MAX (width - 2 * FIGURE_GAP, 3.0);

  l->growth_w = round (inner * GROWTH_SHARE);
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
  g_autoptr(PangoLayout) left = text_layout (cr, style, s->live_status,
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

  panel_widths (width, &l);
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
  panel_widths (width, &l);
  /* the readouts keep what they need; the charts never shrink below half the figure */
  l.plot_h = MAX (height - text_height (s, cr, style, &l), round (height * 0.5));

  cairo_save (cr);
  draw_panel (cr, 0, l.growth_w, l.plot_h);
  triad_kv_growth_draw (cr, &s->growth, style, l.growth_w, l.plot_h);
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
  panel_widths (width, &l);
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
