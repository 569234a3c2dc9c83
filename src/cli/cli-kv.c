/* cli-kv.c — kv: the KV cache and weights of a real LLM at a context, and the GPUs they fit;
 * and the options it shares with export --view kv (cli-export-kv.c). */
#include "config.h"

#include <math.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "engine/i18n.h"

#include "cli/cli-private.h"
#include "engine/memory.h"
#include "engine/numbers.h"
#include "figures/figures.h"
#include "figures/memory-chart.h"
#include "scenes/kv-scene.h"

#define NOT_GIVEN      G_MININT64


void
triad_cli_estimate_args_init (TriadCliEstimateArgs *a)
{
  memset (a, 0, sizeof *a);
  a->batch = 1;
  a->layers = a->heads = a->kv_heads = a->head_dim = a->window = a->max_context = NOT_GIVEN;
  a->params = NAN;
}

void
triad_cli_estimate_args_clear (TriadCliEstimateArgs *a)
{
  g_free (a->presets_path);
  g_free (a->kv_dtype);
  g_free (a->weight_dtype);
  g_free (a->attention);
  g_free (a->gpu_unit);
  g_free (a->batch_text);
  g_free (a->layers_text);
  g_free (a->heads_text);
  g_free (a->kv_heads_text);
  g_free (a->head_dim_text);
  g_free (a->window_text);
  g_free (a->max_context_text);
  g_free (a->params_text);
}

GOptionGroup *
triad_cli_estimate_group (TriadCliEstimateArgs *a)
{
  GOptionEntry entries[] = {
    { "batch", 'b', 0, G_OPTION_ARG_STRING, &a->batch_text,
      N_("Sequences held at once (default 1)"), N_("B") },
    { "kv-dtype", 0, 0, G_OPTION_ARG_STRING, &a->kv_dtype,
      N_("The cache’s number type: f32, f16 (default), bf16, fp8, int8 or int4"), N_("TYPE") },
    { "weight-dtype", 0, 0, G_OPTION_ARG_STRING, &a->weight_dtype,
      N_("The weights’ number type: f32, f16 (default), bf16, fp8, int8 or int4"), N_("TYPE") },
    { "attention", 0, 0, G_OPTION_ARG_STRING, &a->attention,
      N_("What if the model had mha (a key/value head per query head), mqa (one) or gqa:G "
         "(G key/value heads) attention; default: as published"), N_("KIND") },
    { "no-window", 0, 0, G_OPTION_ARG_NONE, &a->no_window,
      N_("Cache every position even in sliding-window layers"), NULL },
    { "paged", 0, 0, G_OPTION_ARG_NONE, &a->paged,
      N_("Allocate the cache in blocks of 16 tokens per sequence, as a paged cache does"),
      NULL },
    { "gpu-unit", 0, 0, G_OPTION_ARG_STRING, &a->gpu_unit,
      N_("gb (10⁹ bytes, default) or gib (2³⁰ bytes): the unit of GPU sizes and of the "
         "amounts shown"), N_("UNIT") },
    { "presets", 0, 0, G_OPTION_ARG_FILENAME, &a->presets_path,
      N_("Read the presets from this file instead of the shipped llms.json"), N_("FILE") },
    { "layers", 0, 0, G_OPTION_ARG_STRING, &a->layers_text,
      N_("Set the preset’s (decoder) layers"), N_("N") },
    { "heads", 0, 0, G_OPTION_ARG_STRING, &a->heads_text, N_("Set the query heads"), N_("N") },
    { "kv-heads", 0, 0, G_OPTION_ARG_STRING, &a->kv_heads_text, N_("Set the key/value heads"),
      N_("N") },
    { "head-dim", 0, 0, G_OPTION_ARG_STRING, &a->head_dim_text, N_("Set the size of a head"),
      N_("N") },
    { "window", 0, 0, G_OPTION_ARG_STRING, &a->window_text,
      N_("Set the sliding window of the windowed layers (0: none)"), N_("N") },
    { "max-context", 0, 0, G_OPTION_ARG_STRING, &a->max_context_text,
      N_("Set the longest context the model was made for"), N_("N") },
    { "params", 0, 0, G_OPTION_ARG_STRING, &a->params_text,
      N_("Set the number of parameters (e.g. 7e9)"), N_("N") },
    { NULL }
  };
  GOptionGroup *group = g_option_group_new ("estimate", _("Estimate options:"),
                                            _("Show the estimate’s options"), NULL, NULL);

  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  return group;
}

/* A plain decimal integer — an optional minus and digits, nothing else — into *value; beyond
 * gint64 it saturates, for the range check to call it too large. */
static gboolean
parse_decimal (const char *text,
               gint64     *value)
{
  const char *p = text;
  gboolean negative = *p == '-';
  guint64 v = 0;

  if (negative)
    p++;
  if (*p == '\0')
    return FALSE;
  for (; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      v = v > (G_MAXINT64 - 9) / 10 ? G_MAXINT64 : v * 10 + (guint64) (*p - '0');
    }
  *value = negative ? -(gint64) v : (gint64) v;
  return TRUE;
}

/* value (typed as text) within [min, max], or a usage error naming the option and the bound
 * it crosses. */
static gboolean
check_range (const char *command,
             FILE       *err,
             const char *option,
             const char *text,
             gint64      value,
             gint64      min,
             gint64      max,
             int        *status)
{
  g_autofree char *bound = NULL;

  if (value > max)
    {
      bound = triad_format_int (max);
      /* TRANSLATORS: an option, its largest value and the value given, e.g. "--layers is too
       * large: at most 100,000, not 2147483648" */
      *status = triad_cli_usage_error (err, command, _("%s is too large: at most %s, not %s"),
                                       option, bound, text);
      return FALSE;
    }
  if (value < min)
    {
      bound = triad_format_int (min);
      /* TRANSLATORS: an option, its smallest value and the value given */
      *status = triad_cli_usage_error (err, command, _("%s must be at least %s, not %s"),
                                       option, bound, text);
      return FALSE;
    }
  return TRUE;
}

/* An integer option as typed (NULL: not given, *value unchanged) into *value, in decimal
 * digits only — GOption's own G_OPTION_ARG_INT64 reads "010" as octal 8 and "0x10" as 16 —
 * and within [min, max]. */
static gboolean
read_int (const char *command,
          FILE       *err,
          const char *option,
          const char *text,
          gint64      min,
          gint64      max,
          gint64     *value,
          int        *status)
{
  gint64 v;

  if (text == NULL)
    return TRUE;
  if (!parse_decimal (text, &v))
    {
      /* TRANSLATORS: an option and what was given for it, e.g. "--tokens takes a whole
       * number in decimal digits, not “0x10”" */
      *status = triad_cli_usage_error (err, command, _("%s takes a whole number in decimal "
                                                       "digits, not “%s”"), option, text);
      return FALSE;
    }
  if (!check_range (command, err, option, text, v, min, max, status))
    return FALSE;
  *value = v;
  return TRUE;
}

gboolean
triad_cli_read_int (const char *command,
                    FILE       *err,
                    const char *option,
                    const char *text,
                    gint64      min,
                    gint64      max,
                    gint64     *value,
                    int        *status)
{
  return read_int (command, err, option, text, min, max, value, status);
}

/* The estimate's numbers as typed, read and bounded; on failure prints one line and sets
 * *status. */
static gboolean
read_numbers (const char   *command,
              TriadCliEstimateArgs *a,
              FILE         *err,
              int          *status)
{
  if (!read_int (command, err, "--batch", a->batch_text, 1, TRIAD_KV_MAX_BATCH, &a->batch,
                 status)
      || !read_int (command, err, "--layers", a->layers_text, 1, TRIAD_LLM_MAX_LAYERS,
                    &a->layers, status)
      || !read_int (command, err, "--heads", a->heads_text, 1, TRIAD_LLM_MAX_HEADS, &a->heads,
                    status)
      || !read_int (command, err, "--kv-heads", a->kv_heads_text, 1, TRIAD_LLM_MAX_HEADS,
                    &a->kv_heads, status)
      || !read_int (command, err, "--head-dim", a->head_dim_text, 1, TRIAD_LLM_MAX_HEAD_DIM,
                    &a->head_dim, status)
      || !read_int (command, err, "--window", a->window_text, 0, TRIAD_KV_MAX_TOKENS,
                    &a->window, status)
      || !read_int (command, err, "--max-context", a->max_context_text, 1, TRIAD_KV_MAX_TOKENS,
                    &a->max_context, status))
    return FALSE;
  if (a->params_text != NULL)
    {
      char *end = NULL;
      double v = g_ascii_strtod (a->params_text, &end);

      /* NaN is what "not given" is inside, and strtod reads "nan", "inf" and hex: a count of
       * parameters is a finite decimal number above zero */
      if (end == a->params_text || *end != '\0' || !isfinite (v)
          || strpbrk (a->params_text, "xXnN") != NULL)
        {
          *status = triad_cli_usage_error (err, command, _("--params takes a decimal number "
                                                           "such as 7e9 or 7000000000, not "
                                                           "“%s”"), a->params_text);
          return FALSE;
        }
      if (!(v > 0.0 && v <= TRIAD_LLM_MAX_PARAMS))
        {
          *status = triad_cli_usage_error (err, command, _("--params must be above 0 and at "
                                                           "most 10¹⁶, not “%s”"),
                                           a->params_text);
          return FALSE;
        }
      a->params = v;
    }
  return TRUE;
}

static void
set_int (gint64  value,
         int    *field)
{
  if (value != NOT_GIVEN)
    *field = (int) value;
}

/* The presets, and the options shared by kv and export --view kv, checked; on failure prints
 * one line and sets *status. */
gboolean
triad_cli_read_estimate_args (const char           *command,
                              TriadCliEstimateArgs *a,
                              FILE                 *err,
                              GPtrArray           **presets,
                              TriadKvOptions       *o,
                              TriadMemUnit         *unit,
                              int                  *status)
{
  g_autoptr(GError) error = NULL;

  triad_kv_options_init (o);
  *unit = TRIAD_MEM_UNIT_GB;
  if (!read_numbers (command, a, err, status))
    return FALSE;
  if (a->kv_dtype != NULL && !triad_dtype_from_string (a->kv_dtype, &o->kv_dtype))
    {
      *status = triad_cli_usage_error (err, command, _("Unknown --kv-dtype “%s”: use f32, f16, "
                                                       "bf16, fp8, int8 or int4"), a->kv_dtype);
      return FALSE;
    }
  if (a->weight_dtype != NULL && !triad_dtype_from_string (a->weight_dtype, &o->weight_dtype))
    {
      *status = triad_cli_usage_error (err, command, _("Unknown --weight-dtype “%s”: use f32, "
                                                       "f16, bf16, fp8, int8 or int4"),
                                       a->weight_dtype);
      return FALSE;
    }
  if (a->attention != NULL
      && !triad_kv_attention_parse (a->attention, &o->attention, &o->gqa_groups))
    {
      *status = triad_cli_usage_error (err, command, _("--attention must be mha, mqa or gqa:G "
                                                       "(G key/value heads), not “%s”"),
                                       a->attention);
      return FALSE;
    }
  if (a->gpu_unit != NULL && !triad_mem_unit_from_string (a->gpu_unit, unit))
    {
      *status = triad_cli_usage_error (err, command, _("--gpu-unit must be gb or gib, not “%s”"),
                                       a->gpu_unit);
      return FALSE;
    }
  o->batch = a->batch;
  o->ignore_window = a->no_window;
  o->paged = a->paged;

  *presets = a->presets_path != NULL ? triad_llm_presets_load (a->presets_path, &error)
                                     : triad_llm_presets_load_default (&error);
  if (*presets == NULL)
    {
      *status = triad_cli_fail (err, command, error);
      return FALSE;
    }
  return TRUE;
}

/* The preset named id (or "custom"), with the numbers the command line sets. */
TriadLlmPreset *
triad_cli_resolve_preset (const char                 *command,
                          GPtrArray                  *presets,
                          const char                 *id,
                          const TriadCliEstimateArgs *a,
                          FILE                       *err,
                          int                        *status)
{
  g_autoptr(GError) error = NULL;
  const TriadLlmPreset *found = triad_llm_presets_find (presets, id);
  TriadLlmPreset *p;

  if (found == NULL && g_strcmp0 (id, "custom") != 0)
    {
      g_autoptr(GString) ids = g_string_new (NULL);

      for (guint i = 0; i < presets->len; i++)
        g_string_append_printf (ids, "%s%s", i > 0 ? ", " : "",
                                ((TriadLlmPreset *) g_ptr_array_index (presets, i))->id);
      *status = triad_cli_usage_error (err, command,
                                       _("Unknown preset “%s”: use custom or one of %s"),
                                       id, ids->str);
      return NULL;
    }
  p = found != NULL ? triad_llm_preset_copy (found) : triad_llm_preset_new_custom ();
  /* read_numbers bounded them */
  set_int (a->layers, &p->n_layers);
  set_int (a->heads, &p->n_heads);
  set_int (a->kv_heads, &p->n_kv_heads);
  set_int (a->head_dim, &p->head_dim);
  if (a->window != NOT_GIVEN)
    {
      p->sliding_window = a->window;
      if (a->window == 0)
        p->pattern_len = 0;
    }
  if (a->max_context != NOT_GIVEN)
    p->max_context = a->max_context;
  if (!isnan (a->params))
    p->params = a->params;
  /* what the command line made of the preset must still hold together */
  if (!triad_llm_preset_validate (p, &error))
    {
      *status = triad_cli_usage_error (err, command, "%s", error->message);
      goto fail;
    }
  return p;

fail:
  triad_llm_preset_free (p);
  return NULL;
}

GPtrArray *
triad_cli_resolve_presets (const char                 *command,
                           GPtrArray                  *presets,
                           const char                 *list,
                           int                         max,
                           const TriadCliEstimateArgs *a,
                           FILE                       *err,
                           int                        *status)
{
  g_auto(GStrv) ids = g_strsplit (list, ",", -1);
  g_autoptr(GPtrArray) chosen = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                triad_llm_preset_free);

  if (g_strv_length (ids) < 1 || g_strv_length (ids) > (guint) max)
    {
      *status = triad_cli_usage_error (err, command, _("--preset names 1 to %d models"), max);
      return NULL;
    }
  for (guint i = 0; ids[i] != NULL; i++)
    {
      TriadLlmPreset *p = triad_cli_resolve_preset (command, presets, g_strstrip (ids[i]), a,
                                                    err, status);

      if (p == NULL)
        return NULL;
      g_ptr_array_add (chosen, p);
    }
  return g_steal_pointer (&chosen);
}

/* ---- output ------------------------------------------------------------------------ */

static void
json_bytes (TriadJson *j,
            guint64    exact,
            double     approx,
            gboolean   overflow)
{
  if (!overflow && exact <= (guint64) G_MAXINT64)
    triad_json_int (j, (gint64) exact);
  else
    triad_json_double (j, approx);
}

static const char *
arch_text (TriadArch arch)
{
  switch (arch)
    {
    case TRIAD_ARCH_ENCODER: return _("encoder");
    case TRIAD_ARCH_ENCDEC: return _("encoder-decoder");
    case TRIAD_ARCH_DECODER:
    default: return _("decoder");
    }
}

static const char *
layer_kind_text (TriadKvLayerKind kind)
{
  switch (kind)
    {
    case TRIAD_KV_LAYER_LOCAL: return _("local (sliding window)");
    case TRIAD_KV_LAYER_LATENT: return _("latent (MLA)");
    case TRIAD_KV_LAYER_CROSS: return _("cross-attention");
    case TRIAD_KV_LAYER_GLOBAL:
    default: return _("global");
    }
}

/* A row "label  value": the label padded to `width` characters (not bytes: Cyrillic takes
 * two a letter). */
static void
row (FILE       *out,
     const char *label,
     const char *value)
{
  glong n = g_utf8_strlen (label, -1);

  fprintf (out, "  %s%*s  %s\n", label, (int) MAX (0, 22 - n), "", value);
}

/* The digits of a size past 2⁶⁴ − 1 bytes, whose count only the double holds: its first 15
 * significant digits (all a double vouches for), then zeros. */
static char *
approximate_digits (double bytes)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_autoptr(GString) digits = g_string_new (NULL);
  const char *e;
  int exponent;

  g_ascii_formatd (buf, sizeof buf, "%.14e", bytes);     /* "1.03219200081171e+21" */
  e = strchr (buf, 'e');
  exponent = atoi (e + 1);
  for (const char *c = buf; c < e; c++)
    if (g_ascii_isdigit (*c))
      g_string_append_c (digits, *c);
  while ((int) digits->len < exponent + 1)
    g_string_append_c (digits, '0');
  g_string_truncate (digits, exponent + 1);
  return triad_number_localize (digits->str);
}

/* "1.1 GB (1,073,741,824 bytes)": the size, then every byte; exact is the count when it did
 * not overflow 64 bits. */
static char *
amount (double       bytes,
        guint64      exact,
        gboolean     overflow,
        TriadMemUnit unit)
{
  g_autofree char *shown = triad_format_bytes (bytes, unit);
  g_autofree char *digits = NULL;
  gulong n;

  if (overflow)
    {
      digits = approximate_digits (bytes);
      /* TRANSLATORS: a size past 2⁶⁴ bytes, then its bytes, of which only the first 15
       * digits are known, e.g. "1.0 ZB (about 1,032,192,000,811,710,000,000 bytes)" */
      return g_strdup_printf (_("%s (about %s bytes)"), shown, digits);
    }
  digits = triad_format_uint (exact);
  /* the plural form depends on the last two digits (Russian) or on n ≠ 1 (English) */
  n = exact < 1000000 ? (gulong) exact : 1000000 + (gulong) (exact % 100);
  /* TRANSLATORS: a size, then its bytes in full, e.g. "1.1 GB (1,073,741,824 bytes)" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (%s byte)", "%s (%s bytes)", n),
                          shown, digits);
}

/* "8,192 tokens", as the KV Cache view writes a context */
static char *
tokens_text (gint64 tokens)
{
  return triad_kv_scene_format_tokens (tokens);
}

static const char *encoder_only_explanation =
  N_("An encoder-only model reads the whole text in one bidirectional pass and generates "
     "nothing token by token, so it keeps no KV cache: 0 bytes at any length.");
static const char *encdec_tokens_rule =
  N_("--tokens counts both the source (read by the encoder) and the generated target; "
     "--source-tokens sets the source apart. The decoder caches self-attention K/V per target "
     "token and, in every decoder layer, cross-attention K/V per source token, computed once.");

static void
print_text (FILE                  *out,
            const TriadLlmPreset  *p,
            const TriadKvOptions  *o,
            const TriadKvEstimate *e,
            TriadMemUnit           unit)
{
  g_autofree char *heading = NULL, *v = NULL;

  if (p->kv_lora_rank > 0)
    /* TRANSLATORS: a model with multi-head latent attention (DeepSeek): its cache holds, per
     * token and layer, a latent of kv_lora_rank values and a rotary (RoPE) key, not a key
     * and a value per head */
    heading = g_strdup_printf (_("%s (%s): %s, %d layers, %d query heads, multi-head latent "
                                 "attention caching a latent of %d values and a rotary key "
                                 "of %d per token and layer"), p->name, p->id,
                               arch_text (p->arch), p->n_layers, p->n_heads, p->kv_lora_rank,
                               p->qk_rope_head_dim);
  else
    heading = g_strdup_printf (_("%s (%s): %s, %d layers, %d query heads, %d key/value heads "
                                 "of %d"), p->name, p->id, arch_text (p->arch), p->n_layers,
                               p->n_heads, p->n_kv_heads, p->head_dim);
  fprintf (out, "%s\n", heading);
  if (p->source != NULL && *p->source != '\0')
    fprintf (out, "%s %s\n", _("Source:"), p->source);
  if (p->note != NULL)
    fprintf (out, "%s\n", p->note);
  fputc ('\n', out);

  if (!e->cached)
    {
      fprintf (out, "  %s\n\n", _(encoder_only_explanation));
      v = amount (e->weights_bytes_f, e->weights_bytes, FALSE, unit);
      row (out, _("Weights"), v);
    }
  else
    {
      g_autofree char *t = tokens_text (o->tokens), *ctx = NULL, *per = NULL, *kv = NULL;
      g_autofree char *weights = NULL, *total = NULL, *dtype = NULL, *pt = NULL;
      g_autofree char *value_bytes = NULL;

      if (p->arch == TRIAD_ARCH_ENCDEC)
        {
          g_autofree char *src = tokens_text (e->source_tokens), *tgt = tokens_text (e->tokens);

          ctx = g_strdup_printf (_("%s of source, %s of target, × batch %" PRId64),
                                 src, tgt, o->batch);
        }
      else
        ctx = g_strdup_printf (_("%s per sequence × batch %" PRId64), t, o->batch);
      row (out, _("Context"), ctx);
      if (o->paged)
        {
          g_autofree char *paged = tokens_text (e->tokens);
          g_autofree char *r = g_strdup_printf (_("%s (rounded up to blocks of %d)"), paged,
                                                TRIAD_KV_PAGE_TOKENS);
          row (out, _("Paged"), r);
        }
      if (e->beyond_context)
        {
          g_autofree char *ctx_max = triad_format_int (p->max_context);
          /* TRANSLATORS: %s is the longest context the model was made for, in tokens */
          g_autofree char *m = g_strdup_printf (_("longer than the context the model was made "
                                                  "for (%s tokens)"), ctx_max);
          row (out, _("Warning"), m);
        }
      value_bytes = triad_format_g (e->kv_dtype_bytes, 3);
      if (p->kv_lora_rank > 0 && o->attention == TRIAD_KV_AS_PUBLISHED)
        /* TRANSLATORS: multi-head latent attention's cache: the number type, its bytes a
         * value, then the latent's values and the rotary key's per token and layer */
        dtype = g_strdup_printf (_("%s (%s bytes a value), a latent of %d values + a rotary key "
                                   "of %d per token and layer (multi-head latent attention, "
                                   "as published)"),
                                 triad_dtype_to_string (o->kv_dtype), value_bytes,
                                 p->kv_lora_rank, p->qk_rope_head_dim);
      else
        dtype = g_strdup_printf (_("%s (%s bytes a value), %d key/value heads (%s)"),
                                 triad_dtype_to_string (o->kv_dtype), value_bytes,
                                 e->kv_heads, triad_kv_attention_to_string (o->attention));
      row (out, _("Cache values"), dtype);
      pt = amount ((double) e->kv_bytes_per_token, e->kv_bytes_per_token, FALSE,
                   TRIAD_MEM_UNIT_GIB);
      per = g_strdup_printf (_("%s in all %d layers"), pt, p->n_layers);
      row (out, p->arch == TRIAD_ARCH_ENCDEC ? _("Per target token") : _("Per token"), per);
      for (int i = 0; i < e->n_groups; i++)
        {
          const TriadKvLayerGroup *g = &e->groups[i];
          g_autofree char *gt = tokens_text (g->tokens);
          g_autofree char *gb = triad_format_bytes (g->bytes_f, unit);
          g_autofree char *line = g_strdup_printf (_("%d × %s, %s each: %s"), g->n_layers,
                                                   layer_kind_text (g->kind), gt, gb);
          row (out, i == 0 ? _("Layers") : "", line);
        }
      if (p->arch == TRIAD_ARCH_ENCDEC)
        {
          g_autofree char *s = amount (e->self_kv_bytes_f, e->self_kv_bytes, e->overflow, unit);
          g_autofree char *c = amount (e->cross_kv_bytes_f, e->cross_kv_bytes, e->overflow,
                                       unit);
          row (out, _("Self-attention K/V"), s);
          row (out, _("Cross-attention K/V"), c);
        }
      kv = amount (e->kv_bytes_f, e->kv_bytes, e->overflow, unit);
      row (out, _("KV cache"), kv);
      weights = amount (e->weights_bytes_f, e->weights_bytes, FALSE, unit);
      {
        g_autofree char *label = g_strdup_printf (_("Weights (%s)"),
                                                  triad_dtype_to_string (o->weight_dtype));
        row (out, label, weights);
      }
      total = amount (e->total_bytes_f, e->total_bytes, e->overflow, unit);
      row (out, _("Total"), total);
    }
}

static void
print_gpus_text (FILE                 *out,
                 const TriadLlmPreset *p,
                 const TriadKvOptions *o,
                 const TriadKvEstimate *e,
                 TriadMemUnit          unit)
{
  const char *u = triad_mem_unit_to_string (unit);

  fprintf (out, "\n  %-8s  %-5s  %s\n", _("GPU"), _("fits"), _("longest context that fits"));
  for (int i = 0; i < TRIAD_N_GPU_SIZES; i++)
    {
      double bytes = triad_gpu_bytes (triad_gpu_sizes[i], unit);
      gint64 longest = triad_kv_max_context (p, o, bytes);
      g_autofree char *size = g_strdup_printf ("%d %s", triad_gpu_sizes[i], u);
      g_autofree char *context = NULL;
      const char *fits = triad_kv_estimate_fits (e, bytes) ? _("yes") : _("no");

      if (!e->cached)
        context = g_strdup (e->weights_bytes_f <= bytes ? _("any: nothing is cached")
                                                         : _("none: the weights alone do not fit"));
      else if (longest < 0)
        context = g_strdup (_("any: the cache stops growing"));
      else if (longest == 0)
        context = g_strdup (e->weights_bytes_f > bytes ? _("none: the weights alone do not fit")
                                                       : _("none"));
      else
        context = tokens_text (longest);
      fprintf (out, "  %-8s  %-*s  %s\n", size,
               (int) (5 + strlen (fits) - g_utf8_strlen (fits, -1)), fits, context);
    }
  fprintf (out, "\n%s\n", unit == TRIAD_MEM_UNIT_GIB
           ? _("GiB = 2³⁰ bytes. Only the weights and the KV cache are counted: not the "
               "activations, the framework or fragmentation.")
           : _("GB = 10⁹ bytes. Only the weights and the KV cache are counted: not the "
               "activations, the framework or fragmentation."));
}

static void
print_json (FILE                  *out,
            const TriadLlmPreset  *p,
            const TriadKvOptions  *o,
            const TriadKvEstimate *e,
            TriadMemUnit           unit)
{
  g_autoptr(GString) json = g_string_new (NULL);
  const char *u = triad_mem_unit_to_string (unit);
  TriadJson j;

  triad_json_init (&j, json);
  triad_json_begin_object (&j);
  triad_json_key (&j, "preset");
  triad_json_string (&j, p->id);
  triad_json_key (&j, "name");
  triad_json_string (&j, p->name);
  triad_json_key (&j, "arch");
  triad_json_string (&j, triad_arch_to_string (p->arch));
  triad_json_key (&j, "source");
  triad_json_string (&j, p->source);
  triad_json_key (&j, "params");
  triad_json_double (&j, p->params);
  triad_json_key (&j, "n_layers");
  triad_json_int (&j, p->n_layers);
  if (p->arch == TRIAD_ARCH_ENCDEC)
    {
      triad_json_key (&j, "n_enc_layers");
      triad_json_int (&j, p->n_enc_layers);
    }
  triad_json_key (&j, "n_heads");
  triad_json_int (&j, p->n_heads);
  triad_json_key (&j, "n_kv_heads");
  triad_json_int (&j, p->n_kv_heads);
  triad_json_key (&j, "head_dim");
  triad_json_int (&j, p->head_dim);
  triad_json_key (&j, "max_context");
  triad_json_int (&j, p->max_context);
  triad_json_key (&j, "sliding_window");
  triad_json_int (&j, p->sliding_window);
  /* multi-head latent attention (0: none): a position caches, per layer, the latent and the
   * rotary key, not n_kv_heads keys and values */
  triad_json_key (&j, "kv_lora_rank");
  triad_json_int (&j, p->kv_lora_rank);
  triad_json_key (&j, "qk_rope_head_dim");
  triad_json_int (&j, p->qk_rope_head_dim);

  triad_json_key (&j, "cached");
  triad_json_bool (&j, e->cached);
  triad_json_key (&j, "explanation");
  if (!e->cached)
    triad_json_string (&j, _(encoder_only_explanation));
  else if (p->arch == TRIAD_ARCH_ENCDEC)
    triad_json_string (&j, _(encdec_tokens_rule));
  else
    triad_json_null (&j);
  triad_json_key (&j, "tokens");
  triad_json_int (&j, o->tokens);
  triad_json_key (&j, "tokens_cached");
  triad_json_int (&j, e->tokens);
  if (p->arch == TRIAD_ARCH_ENCDEC)
    {
      triad_json_key (&j, "source_tokens");
      triad_json_int (&j, e->source_tokens);
      triad_json_key (&j, "target_tokens");
      triad_json_int (&j, e->tokens);
    }
  triad_json_key (&j, "paged");
  triad_json_bool (&j, o->paged);
  triad_json_key (&j, "page_tokens");
  triad_json_int (&j, TRIAD_KV_PAGE_TOKENS);
  triad_json_key (&j, "batch");
  triad_json_int (&j, o->batch);
  triad_json_key (&j, "kv_dtype");
  triad_json_string (&j, triad_dtype_to_string (o->kv_dtype));
  triad_json_key (&j, "kv_dtype_bytes");
  triad_json_double (&j, e->kv_dtype_bytes);
  triad_json_key (&j, "weight_dtype");
  triad_json_string (&j, triad_dtype_to_string (o->weight_dtype));
  triad_json_key (&j, "weight_dtype_bytes");
  triad_json_double (&j, e->weight_dtype_bytes);
  triad_json_key (&j, "attention");
  triad_json_string (&j, triad_kv_attention_to_string (o->attention));
  triad_json_key (&j, "kv_heads");
  triad_json_int (&j, e->kv_heads);
  /* the cache holds the latent (as published), not the heads (a what-if) */
  triad_json_key (&j, "latent");
  triad_json_bool (&j, p->kv_lora_rank > 0 && o->attention == TRIAD_KV_AS_PUBLISHED);
  triad_json_key (&j, "window_honoured");
  triad_json_bool (&j, e->window_honoured);
  triad_json_key (&j, "beyond_max_context");
  triad_json_bool (&j, e->beyond_context);

  triad_json_key (&j, "kv_bytes");
  json_bytes (&j, e->kv_bytes, e->kv_bytes_f, e->overflow);
  triad_json_key (&j, "kv_bytes_per_token");
  triad_json_int (&j, (gint64) e->kv_bytes_per_token);
  triad_json_key (&j, "self_kv_bytes");
  json_bytes (&j, e->self_kv_bytes, e->self_kv_bytes_f, e->overflow);
  triad_json_key (&j, "cross_kv_bytes");
  json_bytes (&j, e->cross_kv_bytes, e->cross_kv_bytes_f, e->overflow);
  if (p->arch == TRIAD_ARCH_ENCDEC)
    {
      triad_json_key (&j, "cross_kv_bytes_per_token");
      triad_json_int (&j, (gint64) e->cross_bytes_per_token);
    }
  triad_json_key (&j, "layers");
  triad_json_begin_array (&j);
  for (int i = 0; i < e->n_groups; i++)
    {
      const TriadKvLayerGroup *g = &e->groups[i];

      triad_json_begin_object (&j);
      triad_json_key (&j, "kind");
      triad_json_string (&j, triad_kv_layer_kind_to_string (g->kind));
      triad_json_key (&j, "layers");
      triad_json_int (&j, g->n_layers);
      triad_json_key (&j, "tokens");
      triad_json_int (&j, g->tokens);
      triad_json_key (&j, "bytes_per_token");
      triad_json_int (&j, (gint64) g->bytes_per_token);
      triad_json_key (&j, "bytes");
      json_bytes (&j, g->bytes, g->bytes_f, e->overflow);
      triad_json_end_object (&j);
    }
  triad_json_end_array (&j);
  triad_json_key (&j, "weights_bytes");
  json_bytes (&j, e->weights_bytes, e->weights_bytes_f, FALSE);
  triad_json_key (&j, "total_bytes");
  json_bytes (&j, e->total_bytes, e->total_bytes_f, e->overflow);
  triad_json_key (&j, "overflow");
  triad_json_bool (&j, e->overflow);

  triad_json_key (&j, "unit");
  triad_json_string (&j, u);
  triad_json_key (&j, "unit_bytes");
  triad_json_double (&j, triad_mem_unit_bytes (unit));
  triad_json_key (&j, "kv");
  triad_json_double (&j, triad_bytes_in_unit (e->kv_bytes_f, unit));
  triad_json_key (&j, "weights");
  triad_json_double (&j, triad_bytes_in_unit (e->weights_bytes_f, unit));
  triad_json_key (&j, "total");
  triad_json_double (&j, triad_bytes_in_unit (e->total_bytes_f, unit));

  triad_json_key (&j, "fits");
  triad_json_begin_array (&j);
  for (int i = 0; i < TRIAD_N_GPU_SIZES; i++)
    if (triad_kv_estimate_fits (e, triad_gpu_bytes (triad_gpu_sizes[i], unit)))
      {
        triad_json_begin_object (&j);
        triad_json_key (&j, "size");
        triad_json_int (&j, triad_gpu_sizes[i]);
        triad_json_key (&j, "unit");
        triad_json_string (&j, u);
        triad_json_key (&j, "bytes");
        triad_json_int (&j, (gint64) triad_gpu_bytes (triad_gpu_sizes[i], unit));
        triad_json_end_object (&j);
      }
  triad_json_end_array (&j);
  triad_json_key (&j, "gpus");
  triad_json_begin_array (&j);
  for (int i = 0; i < TRIAD_N_GPU_SIZES; i++)
    {
      double bytes = triad_gpu_bytes (triad_gpu_sizes[i], unit);
      gint64 longest = triad_kv_max_context (p, o, bytes);

      triad_json_begin_object (&j);
      triad_json_key (&j, "size");
      triad_json_int (&j, triad_gpu_sizes[i]);
      triad_json_key (&j, "unit");
      triad_json_string (&j, u);
      triad_json_key (&j, "bytes");
      triad_json_int (&j, (gint64) bytes);
      triad_json_key (&j, "fits");
      triad_json_bool (&j, triad_kv_estimate_fits (e, bytes));
      /* the longest context that fits; null: any length does */
      triad_json_key (&j, "longest_context");
      if (longest < 0)
        triad_json_null (&j);
      else
        triad_json_int (&j, longest);
      triad_json_end_object (&j);
    }
  triad_json_end_array (&j);
  triad_json_end_object (&j);
  triad_cli_emit (out, json);
}

static void
print_list (FILE      *out,
            GPtrArray *presets,
            gboolean   as_json)
{
  if (as_json)
    {
      g_autoptr(GString) json = g_string_new (NULL);
      TriadJson j;

      triad_json_init (&j, json);
      triad_json_begin_array (&j);
      for (guint i = 0; i < presets->len; i++)
        {
          const TriadLlmPreset *p = g_ptr_array_index (presets, i);

          triad_json_begin_object (&j);
          triad_json_key (&j, "id");
          triad_json_string (&j, p->id);
          triad_json_key (&j, "name");
          triad_json_string (&j, p->name);
          triad_json_key (&j, "arch");
          triad_json_string (&j, triad_arch_to_string (p->arch));
          triad_json_key (&j, "params");
          triad_json_double (&j, p->params);
          triad_json_key (&j, "n_layers");
          triad_json_int (&j, p->n_layers);
          triad_json_key (&j, "n_heads");
          triad_json_int (&j, p->n_heads);
          triad_json_key (&j, "n_kv_heads");
          triad_json_int (&j, p->n_kv_heads);
          triad_json_key (&j, "head_dim");
          triad_json_int (&j, p->head_dim);
          triad_json_key (&j, "max_context");
          triad_json_int (&j, p->max_context);
          triad_json_key (&j, "sliding_window");
          triad_json_int (&j, p->sliding_window);
          triad_json_key (&j, "kv_lora_rank");
          triad_json_int (&j, p->kv_lora_rank);
          triad_json_key (&j, "qk_rope_head_dim");
          triad_json_int (&j, p->qk_rope_head_dim);
          triad_json_key (&j, "source");
          triad_json_string (&j, p->source);
          triad_json_end_object (&j);
        }
      triad_json_end_array (&j);
      triad_cli_emit (out, json);
      return;
    }
  fprintf (out, "%-16s %-22s %-8s %7s %7s %9s %9s\n", "id", _("name"), _("arch"), _("params"),
           _("layers"), _("K/V heads"), _("window"));
  for (guint i = 0; i < presets->len; i++)
    {
      const TriadLlmPreset *p = g_ptr_array_index (presets, i);
      /* a latent cache has no heads to count: its width a position and layer instead */
      g_autofree char *heads = p->kv_lora_rank > 0
                               ? g_strdup_printf ("MLA %d", p->kv_lora_rank + p->qk_rope_head_dim)
                               : g_strdup_printf ("%d×%d", p->n_kv_heads, p->head_dim);
      g_autofree char *count = triad_format_g (p->params < 1e9 ? p->params / 1e6
                                                               : p->params / 1e9, 3);
      g_autofree char *params = g_strconcat (count, p->params < 1e9 ? "M" : "B", NULL);
      g_autofree char *window = p->sliding_window > 0
                                ? g_strdup_printf ("%" PRId64, p->sliding_window)
                                : g_strdup ("—");

      fprintf (out, "%-16s %-22s %-8s %7s %7d %*s %*s\n", p->id, p->name,
               triad_arch_to_string (p->arch), params, p->n_layers,
               (int) (9 + strlen (heads) - g_utf8_strlen (heads, -1)), heads,
               (int) (9 + strlen (window) - g_utf8_strlen (window, -1)), window);
    }
}

/* What `triad kv` takes: every option is optional but --preset (or --list); --tokens is 8192
 * unless given. */
#define KV_SYNOPSIS_PRESET \
  "triad kv --preset ID|custom [--tokens N] [--source-tokens N] [--batch B] " \
  "[--kv-dtype TYPE] [--weight-dtype TYPE] [--attention mha|mqa|gqa:G] [--no-window] " \
  "[--paged] [--gpu-unit gb|gib] [--layers N] [--heads N] [--kv-heads N] [--head-dim N] " \
  "[--window N] [--max-context N] [--params N] [--presets FILE] [--json]"
static const char *kv_synopsis_preset = KV_SYNOPSIS_PRESET;
static const char *kv_synopsis = KV_SYNOPSIS_PRESET "\n"
                                 "triad kv --list [--presets FILE] [--json]";

int
triad_cli_kv (int    argc,
              char **argv,
              FILE  *out,
              FILE  *err)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new (_("— the KV cache of a real LLM"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) presets = NULL;
  g_auto(TriadCliEstimateArgs) args = { 0 };
  g_autofree char *preset_id = NULL;
  TriadLlmPreset *preset = NULL;
  g_autofree char *tokens_text = NULL, *source_tokens_text = NULL;
  gint64 tokens = NOT_GIVEN, source_tokens = NOT_GIVEN;
  gboolean as_json = FALSE, list = FALSE;
  TriadKvOptions o;
  TriadKvEstimate e;
  TriadMemUnit unit;
  int status = TRIAD_EXIT_OK;
  GOptionEntry entries[] = {
    { "preset", 'p', 0, G_OPTION_ARG_STRING, &preset_id,
      N_("The model: an id from --list, or custom"), N_("ID") },
    { "tokens", 'n', 0, G_OPTION_ARG_STRING, &tokens_text,
      N_("Tokens of context per sequence, 1 to 10⁹ (default 8192); for an encoder-decoder, "
         "source and target tokens each"), N_("N") },
    { "source-tokens", 0, 0, G_OPTION_ARG_STRING, &source_tokens_text,
      N_("An encoder-decoder’s source tokens, when not --tokens"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Write JSON"), NULL },
    { "list", 0, 0, G_OPTION_ARG_NONE, &list, N_("List the presets"), NULL },
    { NULL }
  };

  triad_cli_estimate_args_init (&args);
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (ctx, triad_cli_estimate_group (&args));
  g_option_context_set_summary (ctx, kv_synopsis);
  if (!triad_cli_parse (ctx, &argc, &argv, err))
    return TRIAD_EXIT_USAGE;

  if (!list && preset_id == NULL)
    /* TRANSLATORS: %s is the command's synopsis, "triad kv --preset ID|custom [--tokens N] …" */
    return triad_cli_usage_error (err, "kv", _("--preset is required (--list shows the ids): %s"),
                                  kv_synopsis_preset);
  if (!read_int ("kv", err, "--tokens", tokens_text, 1, TRIAD_KV_MAX_TOKENS, &tokens, &status)
      || !read_int ("kv", err, "--source-tokens", source_tokens_text, 1, TRIAD_KV_MAX_TOKENS,
                    &source_tokens, &status))
    return status;
  if (!triad_cli_read_estimate_args ("kv", &args, err, &presets, &o, &unit, &status))
    return status;
  if (list)
    {
      print_list (out, presets, as_json);
      return TRIAD_EXIT_OK;
    }

  preset = triad_cli_resolve_preset ("kv", presets, preset_id, &args, err, &status);
  if (preset == NULL)
    return status;
  if (source_tokens != NOT_GIVEN && preset->arch != TRIAD_ARCH_ENCDEC)
    {
      triad_llm_preset_free (preset);
      return triad_cli_usage_error (err, "kv",
                                    _("--source-tokens is for encoder-decoders such as t5-small"));
    }
  o.tokens = tokens != NOT_GIVEN ? tokens : TRIAD_CONTEXT_SHORT;
  o.source_tokens = source_tokens != NOT_GIVEN ? source_tokens : 0;
  if (!triad_kv_estimate (preset, &o, &e, &error))
    status = triad_cli_fail (err, "kv", error);
  else if (as_json)
    print_json (out, preset, &o, &e, unit);
  else
    {
      print_text (out, preset, &o, &e, unit);
      print_gpus_text (out, preset, &o, &e, unit);
    }
  triad_llm_preset_free (preset);
  return status;
}
