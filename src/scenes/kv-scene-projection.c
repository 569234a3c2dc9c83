/* kv-scene-projection.c — the KV Cache view's projection: the memory model's estimates for
 * real LLMs as the memory curves, the 8 k against 100 k bars, and the readout under them. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"

#include "engine/numbers.h"
#include "scenes/kv-scene.h"
#include "scenes/kv-scene-private.h"

#define CURVE_SAMPLES   160

static const double bar_marks[2] = { TRIAD_KV_SCENE_MARK_8K, TRIAD_KV_SCENE_MARK_100K };

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
  TriadMemUnit u = triad_kv_scene_mem_unit (opt);
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
  TriadMemUnit u = triad_kv_scene_mem_unit (opt);
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

void
triad_kv_scene_update_projection (TriadKvScene *s)
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
      triad_kv_scene_take_string (&s->gpu_labels[i],
                                  triad_kv_scene_gpu_name (triad_gpu_sizes[i], opt->gib));
      s->gpu_bytes[i] = triad_gpu_bytes (triad_gpu_sizes[i], triad_kv_scene_mem_unit (opt));
    }
  for (int k = 0; k < 2; k++)
    triad_kv_scene_take_string (&s->bar_labels[k],
                                triad_kv_scene_format_tokens ((gint64) bar_marks[k]));
  /* TRANSLATORS: the title of the two bars: the cache at 8 k and at 100 k tokens */
  triad_kv_scene_take_string (&s->bars_title, g_strdup (_("8 k against 100 k")));
  triad_kv_scene_take_string (&s->chart_title, NULL);
  triad_kv_scene_take_string (&s->readout, NULL);
  s->readout_is_error = FALSE;

  if (p != NULL && triad_kv_estimate (p, &o, &s->estimate, &error))
    {
      s->has_estimate = TRUE;
      triad_kv_scene_take_string (&s->readout, readout_text (p, opt, &s->estimate));
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
        triad_kv_scene_take_string (&s->chart_title,
                    g_strdup_printf (opt->no_weights
                                     ? _("KV cache against context (%s, batch %d)")
                                     : _("KV cache on the weights against context (%s, batch %d)"),
                                     triad_dtype_to_string (opt->kv.kv_dtype),
                                     (int) opt->kv.batch));
      else
        /* TRANSLATORS: the chart's title: the model, the cache's number type and the batch */
        triad_kv_scene_take_string (&s->chart_title,
                    g_strdup_printf (opt->no_weights
                                     ? _("%s · KV cache against context (%s, batch %d)")
                                     : _("%s · KV cache on its weights (%s, batch %d)"),
                                     p->name, triad_dtype_to_string (opt->kv.kv_dtype),
                                     (int) opt->kv.batch));
    }
  else if (error != NULL)
    {
      triad_kv_scene_take_string (&s->readout, g_strdup (error->message));
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
