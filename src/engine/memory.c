/* memory.c — presets of real LLMs, and the memory of their KV cache and weights. */
#include "config.h"

#include <math.h>
#include <inttypes.h>
#include <string.h>
#include "engine/i18n.h"
#include <json-glib/json-glib.h>

#include "engine/error.h"
#include "engine/memory.h"
#include "engine/numbers.h"

#define PRESETS_FILE "llms.json"

#define MAX_LAYERS      TRIAD_LLM_MAX_LAYERS
#define MAX_HEADS       TRIAD_LLM_MAX_HEADS
#define MAX_HEAD_DIM    TRIAD_LLM_MAX_HEAD_DIM
#define MAX_PARAMS      TRIAD_LLM_MAX_PARAMS

const int triad_gpu_sizes[TRIAD_N_GPU_SIZES] = { 12, 16, 24, 48, 80, 141 };

/* ---- presets: where they are ------------------------------------------------------- */

char *
triad_presets_dir (void)
{
  g_autoptr(GPtrArray) dirs = g_ptr_array_new_with_free_func (g_free);
  const char *env = g_getenv ("TRIAD_PRESETS_DIR");
  g_autofree char *models_parent = g_path_get_dirname (TRIAD_SOURCE_MODELS_DIR);

  /* as the shipped models are found: the environment, the source tree (data/presets beside
   * data/models), then the installed data */
  if (env != NULL && *env != '\0')
    g_ptr_array_add (dirs, g_strdup (env));
  g_ptr_array_add (dirs, g_build_filename (models_parent, "presets", NULL));
  g_ptr_array_add (dirs, g_build_filename (PKGDATADIR, "presets", NULL));
  for (guint i = 0; i < dirs->len; i++)
    {
      g_autofree char *file = g_build_filename (g_ptr_array_index (dirs, i), PRESETS_FILE, NULL);

      if (g_file_test (file, G_FILE_TEST_IS_REGULAR))
        return g_strdup (g_ptr_array_index (dirs, i));
    }
  return g_strdup (g_ptr_array_index (dirs, dirs->len - 1));
}

char *
triad_presets_file (void)
{
  g_autofree char *dir = triad_presets_dir ();

  return g_build_filename (dir, PRESETS_FILE, NULL);
}

/* ---- presets: one ------------------------------------------------------------------- */

void
triad_llm_preset_free (TriadLlmPreset *preset)
{
  if (preset == NULL)
    return;
  g_free (preset->id);
  g_free (preset->name);
  g_free (preset->source);
  g_free (preset->note);
  g_free (preset);
}

TriadLlmPreset *
triad_llm_preset_copy (const TriadLlmPreset *preset)
{
  TriadLlmPreset *copy;

  g_return_val_if_fail (preset != NULL, NULL);

  copy = g_memdup2 (preset, sizeof *preset);
  copy->id = g_strdup (preset->id);
  copy->name = g_strdup (preset->name);
  copy->source = g_strdup (preset->source);
  copy->note = g_strdup (preset->note);
  return copy;
}

TriadLlmPreset *
triad_llm_preset_new_custom (void)
{
  TriadLlmPreset *p = g_new0 (TriadLlmPreset, 1);

  p->id = g_strdup ("custom");
  p->name = g_strdup (_("Custom model"));
  p->source = g_strdup ("");
  p->params = 7e9;
  p->arch = TRIAD_ARCH_DECODER;
  p->n_layers = 32;
  p->n_heads = 32;
  p->n_kv_heads = 32;
  p->head_dim = 128;
  p->d_model = 4096;
  p->max_context = 4096;
  return p;
}

gboolean
triad_llm_preset_layer_is_local (const TriadLlmPreset *preset,
                                 int                   layer)
{
  if (preset->sliding_window <= 0)
    return FALSE;
  if (preset->pattern_len <= 0)
    return TRUE;
  return preset->pattern_local[layer % preset->pattern_len];
}

int
triad_llm_preset_n_local (const TriadLlmPreset *preset)
{
  int n = 0;

  for (int i = 0; i < preset->n_layers; i++)
    n += triad_llm_preset_layer_is_local (preset, i);
  return n;
}

static gboolean
preset_fail (GError              **error,
             const TriadLlmPreset *p,
             const char           *field,
             const char           *rule)
{
  g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
               /* TRANSLATORS: e.g. "Preset “gpt2”: “n_kv_heads” must be between 1 and n_heads" */
               _("Preset “%s”: “%s” %s"), p->id != NULL ? p->id : "?", field, rule);
  return FALSE;
}

gboolean
triad_llm_preset_validate (const TriadLlmPreset *p,
                           GError              **error)
{
  g_return_val_if_fail (p != NULL, FALSE);

  if (p->id == NULL || *p->id == '\0')
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG, _("A preset has no “id”"));
      return FALSE;
    }
  if (p->name == NULL || *p->name == '\0')
    return preset_fail (error, p, "name", _("must not be empty"));
  if (!(p->params > 0.0 && p->params <= MAX_PARAMS))
    return preset_fail (error, p, "params", _("must be a positive number of parameters"));
  if ((unsigned) p->arch > TRIAD_ARCH_ENCDEC)
    return preset_fail (error, p, "arch", _("must be “encoder”, “decoder” or “encdec”"));
  if (p->n_layers < 1 || p->n_layers > MAX_LAYERS)
    return preset_fail (error, p, "n_layers", _("must be a positive number of layers"));
  if (p->arch == TRIAD_ARCH_ENCDEC && (p->n_enc_layers < 1 || p->n_enc_layers > MAX_LAYERS))
    return preset_fail (error, p, "n_enc_layers",
                        _("must be a positive number of layers for an encoder-decoder"));
  if (p->arch != TRIAD_ARCH_ENCDEC && p->n_enc_layers != 0)
    return preset_fail (error, p, "n_enc_layers", _("belongs to encoder-decoders only"));
  if (p->n_heads < 1 || p->n_heads > MAX_HEADS)
    return preset_fail (error, p, "n_heads", _("must be a positive number of heads"));
  if (p->n_kv_heads < 1 || p->n_kv_heads > p->n_heads)
    return preset_fail (error, p, "n_kv_heads", _("must be between 1 and n_heads"));
  if (p->head_dim < 1 || p->head_dim > MAX_HEAD_DIM)
    return preset_fail (error, p, "head_dim", _("must be a positive size"));
  if (p->d_model < 1)
    return preset_fail (error, p, "d_model", _("must be a positive size"));
  if (p->max_context < 1 || p->max_context > TRIAD_KV_MAX_TOKENS)
    return preset_fail (error, p, "max_context", _("must be a positive number of tokens"));
  if (p->sliding_window < 0 || p->sliding_window > TRIAD_KV_MAX_TOKENS)
    return preset_fail (error, p, "sliding_window", _("must be 0 (none) or a number of tokens"));
  if (p->pattern_len < 0 || p->pattern_len > TRIAD_LLM_MAX_PATTERN)
    return preset_fail (error, p, "layer_pattern", _("must have 1 to 16 entries"));
  if (p->pattern_len > 0 && p->sliding_window == 0)
    return preset_fail (error, p, "layer_pattern", _("needs a sliding_window"));
  if (p->kv_lora_rank < 0 || p->kv_lora_rank > MAX_HEAD_DIM
      || p->qk_rope_head_dim < 0 || p->qk_rope_head_dim > MAX_HEAD_DIM
      || p->qk_nope_head_dim < 0 || p->qk_nope_head_dim > MAX_HEAD_DIM
      || p->v_head_dim < 0 || p->v_head_dim > MAX_HEAD_DIM)
    return preset_fail (error, p, "kv_lora_rank", _("and the latent head sizes must be sizes"));
  if (p->kv_lora_rank > 0 && p->sliding_window > 0)
    return preset_fail (error, p, "kv_lora_rank",
                        _("with a sliding window is not modelled: give one or the other"));
  if (p->kv_lora_rank > 0 && p->arch != TRIAD_ARCH_DECODER)
    return preset_fail (error, p, "kv_lora_rank", _("is modelled for decoders only"));
  return TRUE;
}

/* ---- presets: the file ------------------------------------------------------------- */

/* A member that is an integer (or a whole double, as 7.0e9 is written) in [min, max]; absent
 * members and null give `absent` when `optional`. */
static gboolean
member_int (JsonObject  *obj,
            const char  *id,
            const char  *name,
            gboolean     optional,
            gint64       absent,
            gint64       min,
            gint64       max,
            gint64      *out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (obj, name);
  double v;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (optional)
        {
          *out = absent;
          return TRUE;
        }
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                   _("Preset “%s”: “%s” is missing"), id, name);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node)
      || (json_node_get_value_type (node) != G_TYPE_INT64
          && json_node_get_value_type (node) != G_TYPE_DOUBLE))
    goto bad;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      gint64 i = json_node_get_int (node);
      if (i < min || i > max)
        goto bad;
      *out = i;
      return TRUE;
    }
  v = json_node_get_double (node);
  if (!(v >= (double) min && v <= (double) max) || v != floor (v))
    goto bad;
  *out = (gint64) v;
  return TRUE;

bad:
  g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
               _("Preset “%s”: “%s” must be a whole number from %" PRId64
                 " to %" PRId64), id, name, min, max);
  return FALSE;
}

static gboolean
member_string (JsonObject  *obj,
               const char  *id,
               const char  *name,
               gboolean     optional,
               char       **out,
               GError     **error)
{
  JsonNode *node = json_object_get_member (obj, name);

  if ((node == NULL || JSON_NODE_HOLDS_NULL (node)) && optional)
    return TRUE;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                   _("Preset “%s”: “%s” is missing or not a string"), id, name);
      return FALSE;
    }
  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
member_pattern (JsonObject     *obj,
                TriadLlmPreset *p,
                GError        **error)
{
  JsonNode *node = json_object_get_member (obj, "layer_pattern");
  JsonArray *array;
  guint n;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    goto bad;
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n < 1 || n > TRIAD_LLM_MAX_PATTERN)
    goto bad;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      const char *kind;

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
        goto bad;
      kind = json_node_get_string (e);
      if (g_strcmp0 (kind, "local") == 0)
        p->pattern_local[i] = TRUE;
      else if (g_strcmp0 (kind, "global") == 0)
        p->pattern_local[i] = FALSE;
      else
        goto bad;
    }
  p->pattern_len = n;
  return TRUE;

bad:
  g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
               _("Preset “%s”: “layer_pattern” must be a list of 1 to %d “local” or “global”"),
               p->id, TRIAD_LLM_MAX_PATTERN);
  return FALSE;
}

static TriadLlmPreset *
preset_from_json (JsonNode *node,
                  guint     index,
                  GError  **error)
{
  TriadLlmPreset *p = g_new0 (TriadLlmPreset, 1);
  JsonObject *obj;
  JsonNode *params;
  const char *arch;
  gint64 v;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                   _("Preset %u is not a JSON object"), index + 1);
      goto fail;
    }
  obj = json_node_get_object (node);
  {
    g_autofree char *where = g_strdup_printf ("#%u", index + 1);

    if (!member_string (obj, where, "id", FALSE, &p->id, error))
      goto fail;
  }
  if (!member_string (obj, p->id, "name", FALSE, &p->name, error)
      || !member_string (obj, p->id, "source", FALSE, &p->source, error)
      || !member_string (obj, p->id, "note", TRUE, &p->note, error))
    goto fail;

  arch = json_object_has_member (obj, "arch")
         && JSON_NODE_HOLDS_VALUE (json_object_get_member (obj, "arch"))
         && json_node_get_value_type (json_object_get_member (obj, "arch")) == G_TYPE_STRING
         ? json_object_get_string_member (obj, "arch") : NULL;
  if (arch == NULL || !triad_arch_from_string (arch, &p->arch))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                   _("Preset “%s”: “arch” must be “encoder”, “decoder” or “encdec”"), p->id);
      goto fail;
    }

  params = json_object_get_member (obj, "params");
  if (params == NULL || !JSON_NODE_HOLDS_VALUE (params)
      || (json_node_get_value_type (params) != G_TYPE_INT64
          && json_node_get_value_type (params) != G_TYPE_DOUBLE))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                   _("Preset “%s”: “params” is missing or not a number"), p->id);
      goto fail;
    }
  p->params = json_node_get_value_type (params) == G_TYPE_INT64
              ? (double) json_node_get_int (params) : json_node_get_double (params);

#define INT_FIELD(field, optional, lo, hi) \
  if (!member_int (obj, p->id, #field, optional, 0, lo, hi, &v, error)) \
    goto fail; \
  p->field = (int) v;
  INT_FIELD (n_layers, FALSE, 1, MAX_LAYERS)
  INT_FIELD (n_enc_layers, p->arch != TRIAD_ARCH_ENCDEC, 0, MAX_LAYERS)
  INT_FIELD (n_heads, FALSE, 1, MAX_HEADS)
  INT_FIELD (n_kv_heads, FALSE, 1, MAX_HEADS)
  INT_FIELD (head_dim, FALSE, 1, MAX_HEAD_DIM)
  INT_FIELD (d_model, FALSE, 1, G_MAXINT)
  INT_FIELD (kv_lora_rank, TRUE, 0, MAX_HEAD_DIM)
  INT_FIELD (qk_rope_head_dim, TRUE, 0, MAX_HEAD_DIM)
  INT_FIELD (qk_nope_head_dim, TRUE, 0, MAX_HEAD_DIM)
  INT_FIELD (v_head_dim, TRUE, 0, MAX_HEAD_DIM)
#undef INT_FIELD
  if (!member_int (obj, p->id, "max_context", FALSE, 0, 1, TRIAD_KV_MAX_TOKENS,
                   &p->max_context, error)
      || !member_int (obj, p->id, "sliding_window", TRUE, 0, 0, TRIAD_KV_MAX_TOKENS,
                      &p->sliding_window, error)
      || !member_pattern (obj, p, error)
      || !triad_llm_preset_validate (p, error))
    goto fail;
  return p;

fail:
  triad_llm_preset_free (p);
  return NULL;
}

GPtrArray *
triad_llm_presets_load (const char *path,
                        GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  g_autoptr(GPtrArray) presets = NULL;
  g_autofree char *shown = NULL;
  JsonNode *root;
  JsonArray *array;

  g_return_val_if_fail (path != NULL, NULL);

  shown = g_filename_display_name (path);
  if (!json_parser_load_from_mapped_file (parser, path, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_NOT_FOUND,
                     _("There is no presets file “%s”"), shown);
      else
        g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                     _("The presets file “%s” cannot be read: %s"), shown, local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                   _("The presets file “%s” is not a JSON array of presets"), shown);
      return NULL;
    }
  array = json_node_get_array (root);
  presets = g_ptr_array_new_with_free_func ((GDestroyNotify) triad_llm_preset_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      TriadLlmPreset *p = preset_from_json (json_array_get_element (array, i), i, &local);

      if (p == NULL)
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG, "%s: %s", shown, local->message);
          return NULL;
        }
      if (triad_llm_presets_find (presets, p->id) != NULL)
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                       _("%s: the id “%s” is used twice"), shown, p->id);
          triad_llm_preset_free (p);
          return NULL;
        }
      g_ptr_array_add (presets, p);
    }
  if (presets->len == 0)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                   _("The presets file “%s” holds no preset"), shown);
      return NULL;
    }
  return g_steal_pointer (&presets);
}

GPtrArray *
triad_llm_presets_load_default (GError **error)
{
  g_autofree char *path = triad_presets_file ();

  return triad_llm_presets_load (path, error);
}

GPtrArray *
triad_llm_presets_shared (GError **error)
{
  static GMutex lock;
  static GPtrArray *shared;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lock);

  /* loaded once: every view that shows the presets, and every window built again for a new
   * language, reads the same; a failed load is tried again next time */
  if (shared == NULL)
    shared = triad_llm_presets_load_default (error);
  return shared != NULL ? g_ptr_array_ref (shared) : NULL;
}

const TriadLlmPreset *
triad_llm_presets_find (GPtrArray  *presets,
                        const char *id)
{
  g_return_val_if_fail (presets != NULL, NULL);

  for (guint i = 0; i < presets->len; i++)
    {
      const TriadLlmPreset *p = g_ptr_array_index (presets, i);
      if (g_strcmp0 (p->id, id) == 0)
        return p;
    }
  return NULL;
}

/* ---- data types, units, GPUs --------------------------------------------------------- */

static const struct {
  const char *name;
  int         bits;
} dtypes[] = {
  [TRIAD_DTYPE_F32] = { "f32", 32 },
  [TRIAD_DTYPE_F16] = { "f16", 16 },
  [TRIAD_DTYPE_BF16] = { "bf16", 16 },
  [TRIAD_DTYPE_FP8] = { "fp8", 8 },
  [TRIAD_DTYPE_INT8] = { "int8", 8 },
  [TRIAD_DTYPE_INT4] = { "int4", 4 },
};

const char *
triad_dtype_to_string (TriadDtype dtype)
{
  return (unsigned) dtype < TRIAD_N_DTYPES ? dtypes[dtype].name : "unknown";
}

gboolean
triad_dtype_from_string (const char *name,
                         TriadDtype *dtype)
{
  for (int i = 0; i < TRIAD_N_DTYPES; i++)
    if (g_strcmp0 (name, dtypes[i].name) == 0)
      {
        if (dtype != NULL)
          *dtype = i;
        return TRUE;
      }
  return FALSE;
}

int
triad_dtype_bits (TriadDtype dtype)
{
  return (unsigned) dtype < TRIAD_N_DTYPES ? dtypes[dtype].bits : 0;
}

double
triad_dtype_bytes (TriadDtype dtype)
{
  return triad_dtype_bits (dtype) / 8.0;
}

const char *
triad_kv_attention_to_string (TriadKvAttention attention)
{
  switch (attention)
    {
    case TRIAD_KV_MHA: return "mha";
    case TRIAD_KV_MQA: return "mqa";
    case TRIAD_KV_GQA: return "gqa";
    case TRIAD_KV_AS_PUBLISHED:
    default: return "published";
    }
}

gboolean
triad_kv_attention_parse (const char       *text,
                          TriadKvAttention *attention,
                          int              *gqa_groups)
{
  TriadKvAttention a;
  gint64 groups = 0;

  if (text == NULL)
    return FALSE;
  if (strcmp (text, "published") == 0)
    a = TRIAD_KV_AS_PUBLISHED;
  else if (strcmp (text, "mha") == 0)
    a = TRIAD_KV_MHA;
  else if (strcmp (text, "mqa") == 0)
    a = TRIAD_KV_MQA;
  else if (g_str_has_prefix (text, "gqa:"))
    {
      char *end = NULL;

      if (!g_ascii_isdigit (text[4]))
        return FALSE;
      groups = g_ascii_strtoll (text + 4, &end, 10);
      if (end == NULL || *end != '\0' || groups < 1 || groups > MAX_HEADS)
        return FALSE;
      a = TRIAD_KV_GQA;
    }
  else
    return FALSE;
  if (attention != NULL)
    *attention = a;
  if (gqa_groups != NULL)
    *gqa_groups = (int) groups;
  return TRUE;
}

const char *
triad_mem_unit_to_string (TriadMemUnit unit)
{
  return unit == TRIAD_MEM_UNIT_GIB ? "GiB" : "GB";
}

gboolean
triad_mem_unit_from_string (const char   *name,
                            TriadMemUnit *unit)
{
  TriadMemUnit u;

  if (g_ascii_strcasecmp (name != NULL ? name : "", "gb") == 0)
    u = TRIAD_MEM_UNIT_GB;
  else if (g_ascii_strcasecmp (name != NULL ? name : "", "gib") == 0)
    u = TRIAD_MEM_UNIT_GIB;
  else
    return FALSE;
  if (unit != NULL)
    *unit = u;
  return TRUE;
}

double
triad_mem_unit_bytes (TriadMemUnit unit)
{
  return unit == TRIAD_MEM_UNIT_GIB ? 1073741824.0 : 1e9;
}

double
triad_bytes_to_gb (double bytes)
{
  return bytes / 1e9;
}

double
triad_bytes_to_gib (double bytes)
{
  return bytes / 1073741824.0;
}

double
triad_bytes_in_unit (double       bytes,
                     TriadMemUnit unit)
{
  return bytes / triad_mem_unit_bytes (unit);
}

double
triad_gpu_bytes (int          size,
                 TriadMemUnit unit)
{
  return size * triad_mem_unit_bytes (unit);
}

char *
triad_format_bytes (double       bytes,
                    TriadMemUnit unit)
{
  /* not g_format_size: it stops at 2⁶⁴ − 1 bytes (18.4 EB) and writes its decimals by
   * LC_NUMERIC, not by the interface's language */
  return triad_format_size (bytes, unit == TRIAD_MEM_UNIT_GIB);
}

/* ---- the estimate -------------------------------------------------------------------- */

void
triad_kv_options_init (TriadKvOptions *o)
{
  g_return_if_fail (o != NULL);

  memset (o, 0, sizeof *o);
  o->tokens = TRIAD_CONTEXT_SHORT;
  o->batch = 1;
  o->kv_dtype = TRIAD_DTYPE_F16;
  o->weight_dtype = TRIAD_DTYPE_F16;
  o->attention = TRIAD_KV_AS_PUBLISHED;
}

gboolean
triad_kv_options_validate (const TriadLlmPreset *preset,
                           const TriadKvOptions *o,
                           GError              **error)
{
  g_return_val_if_fail (preset != NULL && o != NULL, FALSE);

  if (o->tokens < 1 || o->tokens > TRIAD_KV_MAX_TOKENS)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                   _("The number of tokens must be between 1 and %" PRId64
                     ", not %" PRId64), TRIAD_KV_MAX_TOKENS, o->tokens);
      return FALSE;
    }
  if (o->source_tokens < 0 || o->source_tokens > TRIAD_KV_MAX_TOKENS)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                   _("The number of source tokens must be between 1 and %" PRId64
                     ", not %" PRId64), TRIAD_KV_MAX_TOKENS, o->source_tokens);
      return FALSE;
    }
  if (o->batch < 1 || o->batch > TRIAD_KV_MAX_BATCH)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                   _("The batch must be between 1 and %" PRId64
                     " sequences, not %" PRId64), TRIAD_KV_MAX_BATCH, o->batch);
      return FALSE;
    }
  if ((unsigned) o->kv_dtype >= TRIAD_N_DTYPES || (unsigned) o->weight_dtype >= TRIAD_N_DTYPES)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT, _("Unknown data type"));
      return FALSE;
    }
  if (o->attention == TRIAD_KV_GQA
      && (o->gqa_groups < 1 || o->gqa_groups > preset->n_heads
          || preset->n_heads % o->gqa_groups != 0))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                   _("Grouped-query attention needs a number of key/value heads that divides "
                     "the %d query heads of %s, not %d"),
                   preset->n_heads, preset->name, o->gqa_groups);
      return FALSE;
    }
  if ((unsigned) o->attention > TRIAD_KV_GQA)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                   _("Unknown kind of attention"));
      return FALSE;
    }
  return TRUE;
}

static gint64
page_round (gint64   tokens,
            gboolean paged)
{
  return paged ? (tokens + TRIAD_KV_PAGE_TOKENS - 1) / TRIAD_KV_PAGE_TOKENS
                 * TRIAD_KV_PAGE_TOKENS : tokens;
}

/* *out = a + b, saturating; FALSE on overflow. */
static gboolean
add_sat (guint64  a,
         guint64  b,
         guint64 *out)
{
  if (!g_uint64_checked_add (out, a, b))
    {
      *out = G_MAXUINT64;
      return FALSE;
    }
  return TRUE;
}

/* *out = ceil (bits × n / 8) bytes, saturating; FALSE on overflow. bits × n itself may pass
 * 2⁶⁴ where the bytes do not, so the whole bytes and the leftover bits go apart. */
static gboolean
bits_to_bytes (guint64  bits,
               guint64  n,
               guint64 *out)
{
  guint64 whole, rest;

  if (!g_uint64_checked_mul (&whole, bits / 8, n)
      || !g_uint64_checked_mul (&rest, bits % 8, n))
    {
      *out = G_MAXUINT64;
      return FALSE;
    }
  return add_sat (whole, (rest + 7) / 8, out);
}

/* One group of layers: n_layers layers caching `tokens` positions for each of batch
 * sequences, `elems` values a position at `bits` bits a value. */
static void
add_group (TriadKvEstimate  *e,
           TriadKvLayerKind  kind,
           int               n_layers,
           gint64            tokens,
           gint64            batch,
           guint64           elems,
           int               bits)
{
  TriadKvLayerGroup *g;
  guint64 positions = 0;
  gboolean ok;

  if (n_layers <= 0)
    return;
  g = &e->groups[e->n_groups++];
  g->kind = kind;
  g->n_layers = n_layers;
  g->tokens = tokens;
  bits_to_bytes (elems * bits, 1, &g->bytes_per_token);
  ok = g_uint64_checked_mul (&positions, (guint64) tokens, (guint64) batch)
       && g_uint64_checked_mul (&positions, positions, (guint64) n_layers)
       && bits_to_bytes (elems * bits, positions, &g->bytes);
  if (!ok)
    {
      g->bytes = G_MAXUINT64;
      e->overflow = TRUE;
    }
  g->bytes_f = (double) elems * bits / 8.0 * (double) tokens * (double) batch * n_layers;
}

gboolean
triad_kv_estimate (const TriadLlmPreset *p,
                   const TriadKvOptions *o,
                   TriadKvEstimate      *e,
                   GError              **error)
{
  int bits, n_local = 0, k_dim, v_dim;
  gboolean latent;
  guint64 elems;
  gint64 window;

  g_return_val_if_fail (p != NULL && o != NULL && e != NULL, FALSE);

  memset (e, 0, sizeof *e);
  if (!triad_llm_preset_validate (p, error) || !triad_kv_options_validate (p, o, error))
    return FALSE;

  bits = triad_dtype_bits (o->kv_dtype);
  e->kv_dtype_bytes = triad_dtype_bytes (o->kv_dtype);
  e->weight_dtype_bytes = triad_dtype_bytes (o->weight_dtype);
  e->weights_bytes_f = ceil (p->params * triad_dtype_bits (o->weight_dtype) / 8.0);
  e->weights_bytes = (guint64) e->weights_bytes_f;   /* params ≤ 1e16: exact below 2⁶⁴ */
  e->tokens = page_round (o->tokens, o->paged);
  e->beyond_context = o->tokens > p->max_context;

  switch (o->attention)
    {
    case TRIAD_KV_MHA: e->kv_heads = p->n_heads; break;
    case TRIAD_KV_MQA: e->kv_heads = 1; break;
    case TRIAD_KV_GQA: e->kv_heads = o->gqa_groups; break;
    case TRIAD_KV_AS_PUBLISHED:
    default: e->kv_heads = p->n_kv_heads; break;
    }

  e->cached = p->arch != TRIAD_ARCH_ENCODER;
  if (e->cached)
    {
      /* what a position holds in one layer: the latent and the rotary key as published, or
       * a key and a value per key/value head (a latent model's heads are nope + rope wide
       * in the key and v_head_dim wide in the value) */
      latent = p->kv_lora_rank > 0 && o->attention == TRIAD_KV_AS_PUBLISHED;
      k_dim = p->kv_lora_rank > 0 && p->qk_nope_head_dim + p->qk_rope_head_dim > 0
              ? p->qk_nope_head_dim + p->qk_rope_head_dim : p->head_dim;
      v_dim = p->kv_lora_rank > 0 && p->v_head_dim > 0 ? p->v_head_dim : p->head_dim;
      elems = latent ? (guint64) p->kv_lora_rank + p->qk_rope_head_dim
                     : (guint64) e->kv_heads * (guint64) (k_dim + v_dim);

      /* int8 and int4 keep a float32 scale beside each token's values, one per K/V head for K
       * and for V (a latent row: one), as Triad's own quantized cache does (kvquant.h): the
       * live run and the projection count the same bytes */
      if (o->kv_dtype == TRIAD_DTYPE_INT8 || o->kv_dtype == TRIAD_DTYPE_INT4)
        elems = elems * (guint64) bits + 32 * (latent ? 1 : 2 * (guint64) e->kv_heads);
      else
        elems *= (guint64) bits;
      bits = 1;

      if (!o->ignore_window && p->sliding_window > 0)
        n_local = triad_llm_preset_n_local (p);
      e->window_honoured = n_local > 0;
      window = page_round (MIN (o->tokens, p->sliding_window), o->paged);

      if (latent)
        add_group (e, TRIAD_KV_LAYER_LATENT, p->n_layers, e->tokens, o->batch, elems, bits);
      else
        {
          add_group (e, TRIAD_KV_LAYER_GLOBAL, p->n_layers - n_local, e->tokens, o->batch,
                     elems, bits);
          add_group (e, TRIAD_KV_LAYER_LOCAL, n_local, window, o->batch, elems, bits);
        }
      bits_to_bytes (elems * bits, (guint64) p->n_layers, &e->kv_bytes_per_token);

      if (p->arch == TRIAD_ARCH_ENCDEC)
        {
          /* every decoder layer keeps the K/V of every source position, computed once */
          e->source_tokens = page_round (o->source_tokens > 0 ? o->source_tokens : o->tokens,
                                         o->paged);
          e->beyond_context |= (o->source_tokens > 0 ? o->source_tokens : o->tokens)
                               > p->max_context;
          add_group (e, TRIAD_KV_LAYER_CROSS, p->n_layers, e->source_tokens, o->batch,
                     elems, bits);
          e->cross_bytes_per_token = e->kv_bytes_per_token;
        }
    }

  for (int i = 0; i < e->n_groups; i++)
    {
      const TriadKvLayerGroup *g = &e->groups[i];

      if (g->kind == TRIAD_KV_LAYER_CROSS)
        {
          e->overflow |= !add_sat (e->cross_kv_bytes, g->bytes, &e->cross_kv_bytes);
          e->cross_kv_bytes_f += g->bytes_f;
        }
      else
        {
          e->overflow |= !add_sat (e->self_kv_bytes, g->bytes, &e->self_kv_bytes);
          e->self_kv_bytes_f += g->bytes_f;
        }
    }
  e->overflow |= !add_sat (e->self_kv_bytes, e->cross_kv_bytes, &e->kv_bytes);
  e->overflow |= !add_sat (e->kv_bytes, e->weights_bytes, &e->total_bytes);
  e->kv_bytes_f = e->self_kv_bytes_f + e->cross_kv_bytes_f;
  e->total_bytes_f = e->kv_bytes_f + e->weights_bytes_f;
  return TRUE;
}

gboolean
triad_kv_estimate_fits (const TriadKvEstimate *e,
                        double                 gpu_bytes)
{
  g_return_val_if_fail (e != NULL, FALSE);

  /* the exact count while it lasts: a double of it is exact to the byte below 2⁵³ */
  return e->overflow ? e->total_bytes_f <= gpu_bytes : (double) e->total_bytes <= gpu_bytes;
}

static gboolean
fits_at (const TriadLlmPreset *p,
         const TriadKvOptions *o,
         gint64                tokens,
         double                gpu_bytes)
{
  TriadKvOptions at = *o;
  TriadKvEstimate e;

  at.tokens = tokens;
  return triad_kv_estimate (p, &at, &e, NULL) && triad_kv_estimate_fits (&e, gpu_bytes);
}

gint64
triad_kv_max_context (const TriadLlmPreset *p,
                      const TriadKvOptions *o,
                      double                gpu_bytes)
{
  gint64 lo = 1, hi = TRIAD_KV_MAX_TOKENS;

  g_return_val_if_fail (p != NULL && o != NULL, 0);

  if (!fits_at (p, o, lo, gpu_bytes))
    return 0;
  if (fits_at (p, o, hi, gpu_bytes))
    return -1;
  /* the memory never shrinks as the context grows: fits at lo, not at hi */
  while (hi - lo > 1)
    {
      gint64 mid = lo + (hi - lo) / 2;

      if (fits_at (p, o, mid, gpu_bytes))
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

const char *
triad_kv_layer_kind_to_string (TriadKvLayerKind kind)
{
  switch (kind)
    {
    case TRIAD_KV_LAYER_LOCAL: return "local";
    case TRIAD_KV_LAYER_LATENT: return "latent";
    case TRIAD_KV_LAYER_CROSS: return "cross";
    case TRIAD_KV_LAYER_GLOBAL:
    default: return "global";
    }
}
