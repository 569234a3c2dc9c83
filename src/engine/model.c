/* model.c — architecture names, configuration, the tensor table, and models: random
 * initialisation, loading and saving, finding a model by name, and encoding a text for it.
 * The forward pass is in model-forward.c. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include "engine/i18n.h"
#include <json-glib/json-glib.h>

#include "engine/checkpoint.h"
#include "engine/error.h"
#include "engine/hf-model.h"
#include "engine/model.h"

/* ---- architecture names ------------------------------------------------------------- */

static const char *arch_names[] = {
  [TRIAD_ARCH_ENCODER] = "encoder",
  [TRIAD_ARCH_DECODER] = "decoder",
  [TRIAD_ARCH_ENCDEC] = "encdec",
};

const char *
triad_arch_to_string (TriadArch arch)
{
  if ((unsigned) arch >= G_N_ELEMENTS (arch_names))
    return "unknown";
  return arch_names[arch];
}

gboolean
triad_arch_from_string (const char *name,
                        TriadArch  *arch)
{
  for (guint i = 0; i < G_N_ELEMENTS (arch_names); i++)
    if (g_strcmp0 (name, arch_names[i]) == 0)
      {
        *arch = i;
        return TRUE;
      }
  return FALSE;
}

/* ---- configuration ------------------------------------------------------------------- */

/* Bounds that keep every size computation far from overflow; the shipped models are far
 * inside them. */
#define MAX_VOCAB   (1 << 20)
#define MAX_DIM     (1 << 14)
#define MAX_SEQ     (1 << 16)
#define MAX_LAYERS  256

gboolean
triad_config_validate (const TriadConfig *c,
                       GError           **error)
{
  const char *problem = NULL;

  if ((unsigned) c->arch >= G_N_ELEMENTS (arch_names))
    problem = _("the architecture is unknown");
  else if (c->vocab_size <= TRIAD_N_SPECIAL_TOKENS || c->vocab_size > MAX_VOCAB)
    problem = _("vocab_size is out of range");
  else if (c->dim <= 0 || c->dim > MAX_DIM)
    problem = _("dim is out of range");
  else if (c->n_heads <= 0 || c->n_heads > MAX_DIM
           || (c->head_dim == 0 && (c->n_heads > c->dim || c->dim % c->n_heads != 0)))
    problem = _("n_heads must divide dim");
  else if (c->head_dim < 0 || (size_t) c->head_dim * c->n_heads > 4 * MAX_DIM)
    problem = _("the heads’ width is out of range");
  else if (c->positions == TRIAD_POS_RELATIVE && (c->rel_buckets < 2 || c->rel_buckets > 4096))
    problem = _("the relative position buckets are out of range");
  else if (c->type_vocab_size < 0 || c->type_vocab_size > MAX_VOCAB)
    problem = _("type_vocab_size is out of range");
  else if (c->ffn_dim <= 0 || c->ffn_dim > 4 * MAX_DIM)
    problem = _("ffn_dim is out of range");
  else if (c->max_seq_len <= 0 || c->max_seq_len > MAX_SEQ)
    problem = _("max_seq_len is out of range");
  else if (c->n_enc_layers < 0 || c->n_enc_layers > MAX_LAYERS
           || c->n_dec_layers < 0 || c->n_dec_layers > MAX_LAYERS)
    problem = _("a layer count is out of range");
  else if (c->arch == TRIAD_ARCH_ENCODER && (c->n_enc_layers == 0 || c->n_dec_layers != 0))
    problem = _("an encoder-only model has encoder layers and no decoder layers");
  else if (c->arch == TRIAD_ARCH_DECODER && (c->n_dec_layers == 0 || c->n_enc_layers != 0))
    problem = _("a decoder-only model has decoder layers and no encoder layers");
  else if (c->arch == TRIAD_ARCH_ENCDEC && (c->n_dec_layers == 0 || c->n_enc_layers == 0))
    problem = _("an encoder-decoder model has both encoder and decoder layers");
  else if (!(c->norm_eps > 0.0f && c->norm_eps < 1.0f))
    problem = _("norm_eps is out of range");

  if (problem != NULL)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                   _("The model configuration is invalid: %s"), problem);
      return FALSE;
    }
  return TRUE;
}

static gboolean
config_int (JsonObject *obj,
            const char *name,
            int        *out,
            GError    **error)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) < G_MININT || json_node_get_int (node) > G_MAXINT)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                   _("config.json: “%s” is missing or not an integer"), name);
      return FALSE;
    }
  *out = (int) json_node_get_int (node);
  return TRUE;
}

static gboolean
config_load (const char  *path,
             TriadConfig *c,
             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  JsonObject *obj;
  JsonNode *node;
  const char *arch;

  if (!json_parser_load_from_mapped_file (parser, path, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_NOT_FOUND,
                     _("The model has no config.json (looked for “%s”)"), path);
      else
        g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                     _("config.json cannot be read: %s"), local->message);
      return FALSE;
    }
  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG, _("config.json is not a JSON object"));
      return FALSE;
    }
  obj = json_node_get_object (node);

  arch = json_object_has_member (obj, "arch")
         && JSON_NODE_HOLDS_VALUE (json_object_get_member (obj, "arch"))
         ? json_object_get_string_member (obj, "arch") : NULL;
  if (arch == NULL || !triad_arch_from_string (arch, &c->arch))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                   _("config.json: “arch” must be “encoder”, “decoder” or “encdec”"));
      return FALSE;
    }
  if (!config_int (obj, "vocab_size", &c->vocab_size, error)
      || !config_int (obj, "dim", &c->dim, error)
      || !config_int (obj, "n_heads", &c->n_heads, error)
      || !config_int (obj, "ffn_dim", &c->ffn_dim, error)
      || !config_int (obj, "max_seq_len", &c->max_seq_len, error)
      || !config_int (obj, "n_enc_layers", &c->n_enc_layers, error)
      || !config_int (obj, "n_dec_layers", &c->n_dec_layers, error))
    return FALSE;
  node = json_object_get_member (obj, "segment_positions");
  c->segment_positions = node != NULL && JSON_NODE_HOLDS_VALUE (node)
                         && json_node_get_value_type (node) == G_TYPE_BOOLEAN
                         && json_node_get_boolean (node);
  node = json_object_get_member (obj, "norm_eps");
  c->norm_eps = node != NULL && JSON_NODE_HOLDS_VALUE (node)
                ? (float) json_node_get_double (node) : 1e-5f;

  return triad_config_validate (c, error);
}

static gboolean
config_save (const TriadConfig *c,
             const char        *path,
             GError           **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "triad-model");
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "arch");
  json_builder_add_string_value (b, triad_arch_to_string (c->arch));
#define ADD_INT(field) \
  json_builder_set_member_name (b, #field); \
  json_builder_add_int_value (b, c->field);
  ADD_INT (vocab_size)
  ADD_INT (dim)
  ADD_INT (n_heads)
  ADD_INT (ffn_dim)
  ADD_INT (max_seq_len)
  ADD_INT (n_enc_layers)
  ADD_INT (n_dec_layers)
#undef ADD_INT
  json_builder_set_member_name (b, "norm_eps");
  json_builder_add_double_value (b, c->norm_eps);
  json_builder_set_member_name (b, "segment_positions");
  json_builder_add_boolean_value (b, c->segment_positions);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  return g_file_set_contents (path, text, -1, error);
}

/* ---- the tensor table ---------------------------------------------------------------- */

static void
add_spec (GArray     *specs,
          float     **slot,
          size_t      rows,
          size_t      cols,
          const char *fmt,
          ...) G_GNUC_PRINTF (5, 6);

static void
add_spec (GArray     *specs,
          float     **slot,
          size_t      rows,
          size_t      cols,
          const char *fmt,
          ...)
{
  TriadTensorSpec spec = { 0 };
  va_list args;

  va_start (args, fmt);
  g_vsnprintf (spec.name, sizeof spec.name, fmt, args);
  va_end (args);
  spec.ndim = cols > 0 ? 2 : 1;
  spec.shape[0] = rows;
  spec.shape[1] = cols;
  spec.numel = rows * MAX (cols, 1);
  spec.slot = slot;
  g_array_append_val (specs, spec);
}

static void
add_linear (GArray      *specs,
            TriadLinear *lin,
            size_t       out,
            size_t       in,
            const char  *prefix)
{
  add_spec (specs, &lin->w, out, in, "%s.weight", prefix);
  add_spec (specs, &lin->b, out, 0, "%s.bias", prefix);
}

static void
add_norm (GArray     *specs,
          TriadNorm  *norm,
          size_t      dim,
          const char *prefix)
{
  add_spec (specs, &norm->w, dim, 0, "%s.weight", prefix);
  add_spec (specs, &norm->b, dim, 0, "%s.bias", prefix);
}

static void
add_attn (GArray           *specs,
          TriadAttnWeights *a,
          size_t            dim,
          const char       *prefix)
{
  const char *names[] = { "q", "k", "v", "o" };
  TriadLinear *lins[] = { &a->q, &a->k, &a->v, &a->o };

  for (int i = 0; i < 4; i++)
    {
      g_autofree char *p = g_strdup_printf ("%s.%s", prefix, names[i]);
      add_linear (specs, lins[i], dim, dim, p);
    }
}

static void
add_stack (GArray            *specs,
           const TriadConfig *c,
           TriadBlock        *blocks,
           int                n_layers,
           gboolean           cross,
           const char        *stack)
{
  for (int l = 0; l < n_layers; l++)
    {
      TriadBlock *blk = &blocks[l];
      g_autofree char *p = g_strdup_printf ("%s.layers.%d", stack, l);
      g_autofree char *ln_attn = g_strconcat (p, ".ln_attn", NULL);
      g_autofree char *attn = g_strconcat (p, ".attn", NULL);
      g_autofree char *ln_cross = g_strconcat (p, ".ln_cross", NULL);
      g_autofree char *xattn = g_strconcat (p, ".cross", NULL);
      g_autofree char *ln_ffn = g_strconcat (p, ".ln_ffn", NULL);
      g_autofree char *up = g_strconcat (p, ".ffn.up", NULL);
      g_autofree char *down = g_strconcat (p, ".ffn.down", NULL);

      add_norm (specs, &blk->ln_attn, c->dim, ln_attn);
      add_attn (specs, &blk->attn, c->dim, attn);
      if (cross)
        {
          add_norm (specs, &blk->ln_cross, c->dim, ln_cross);
          add_attn (specs, &blk->cross, c->dim, xattn);
        }
      add_norm (specs, &blk->ln_ffn, c->dim, ln_ffn);
      add_linear (specs, &blk->up, c->ffn_dim, c->dim, up);
      add_linear (specs, &blk->down, c->dim, c->ffn_dim, down);
    }
}

TriadTensorSpec *
triad_tensor_table (const TriadConfig *c,
                    TriadWeights      *w,
                    int               *n_specs)
{
  GArray *specs = g_array_new (FALSE, TRUE, sizeof (TriadTensorSpec));

  add_spec (specs, &w->tok_emb, c->vocab_size, c->dim, "tok_emb");
  if (c->n_enc_layers > 0)
    {
      add_spec (specs, &w->enc_pos, c->max_seq_len, c->dim, "enc.pos_emb");
      add_stack (specs, c, w->enc, c->n_enc_layers, FALSE, "enc");
      add_norm (specs, &w->enc_norm, c->dim, "enc.norm");
    }
  if (c->n_dec_layers > 0)
    {
      add_spec (specs, &w->dec_pos, c->max_seq_len, c->dim, "dec.pos_emb");
      add_stack (specs, c, w->dec, c->n_dec_layers, c->arch == TRIAD_ARCH_ENCDEC, "dec");
      add_norm (specs, &w->dec_norm, c->dim, "dec.norm");
    }

  *n_specs = specs->len;
  return (TriadTensorSpec *) g_array_free (specs, FALSE);
}

/* Allocates the block arrays (not the tensors): the table needs them to exist. */
void
triad_weights_alloc (const TriadConfig *c,
                     TriadWeights      *w)
{
  memset (w, 0, sizeof *w);
  w->enc = g_new0 (TriadBlock, MAX (c->n_enc_layers, 1));
  w->dec = g_new0 (TriadBlock, MAX (c->n_dec_layers, 1));
}

void
triad_weights_clear (TriadWeights *w)
{
  g_clear_pointer (&w->enc, g_free);
  g_clear_pointer (&w->dec, g_free);
}

size_t
triad_config_n_params (const TriadConfig *c)
{
  TriadWeights w;
  g_autofree TriadTensorSpec *specs = NULL;
  size_t total = 0;
  int n;

  triad_weights_alloc (c, &w);
  specs = triad_tensor_table (c, &w, &n);
  for (int i = 0; i < n; i++)
    total += specs[i].numel;
  triad_weights_clear (&w);
  return total;
}

/* ---- models -------------------------------------------------------------------------- */

void
triad_model_free (TriadModel *model)
{
  if (model == NULL)
    return;
  triad_weights_clear (&model->weights);
  g_clear_pointer (&model->tokenizer, triad_tokenizer_free);
  g_clear_pointer (&model->mapped, g_mapped_file_unref);
  g_clear_pointer (&model->owned, g_free);
  g_clear_pointer (&model->buffers, g_ptr_array_unref);
  g_clear_pointer (&model->maps, g_ptr_array_unref);
  g_free (model->dtype);
  g_free (model->path);
  g_free (model);
}

/* One allocation carved by the table, in the llm.c manner. */
static void
carve_owned (TriadModel *model)
{
  g_autofree TriadTensorSpec *specs = NULL;
  float *p;
  int n;

  specs = triad_tensor_table (&model->config, &model->weights, &n);
  model->n_params = 0;
  for (int i = 0; i < n; i++)
    model->n_params += specs[i].numel;
  model->owned = g_new0 (float, model->n_params);
  p = model->owned;
  for (int i = 0; i < n; i++)
    {
      *specs[i].slot = p;
      p += specs[i].numel;
    }
}

/* Normal deviates by Box–Muller from a seeded GRand, so a seed gives the same model on
 * every machine. */
static float
rand_normal (GRand *rng)
{
  double u1 = g_rand_double (rng), u2 = g_rand_double (rng);

  if (u1 < 1e-300)
    u1 = 1e-300;
  return (float) (sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2));
}

TriadModel *
triad_model_new_random (const TriadConfig *config,
                        guint64            seed,
                        GError           **error)
{
  g_autoptr(TriadModel) model = NULL;
  g_autoptr(GRand) rng = NULL;
  g_autofree TriadTensorSpec *specs = NULL;
  guint32 seed_words[2] = { (guint32) seed, (guint32) (seed >> 32) };
  int n;

  if (!triad_config_validate (config, error))
    return NULL;

  model = g_new0 (TriadModel, 1);
  model->config = *config;
  triad_weights_alloc (config, &model->weights);
  carve_owned (model);

  /* GPT-2's initialisation: N(0, 0.02) for matrices and embeddings, LayerNorm at identity,
   * biases at zero. */
  rng = g_rand_new_with_seed_array (seed_words, 2);
  specs = triad_tensor_table (config, &model->weights, &n);
  for (int i = 0; i < n; i++)
    {
      float *t = *specs[i].slot;
      const char *name = specs[i].name;

      if (g_str_has_suffix (name, ".bias"))
        continue;
      if (strstr (name, "ln_") != NULL || strstr (name, ".norm.") != NULL)
        for (size_t j = 0; j < specs[i].numel; j++)
          t[j] = 1.0f;
      else
        for (size_t j = 0; j < specs[i].numel; j++)
          t[j] = 0.02f * rand_normal (rng);
    }
  return g_steal_pointer (&model);
}

static gboolean
bind_tensors (TriadModel       *model,
              TriadSafetensors *st,
              GError          **error)
{
  g_autofree TriadTensorSpec *specs = NULL;
  gboolean aligned = TRUE;
  int n;

  specs = triad_tensor_table (&model->config, &model->weights, &n);
  for (int i = 0; i < n; i++)
    {
      const TriadTensorInfo *info = triad_safetensors_lookup (st, specs[i].name);
      gboolean same = info != NULL && info->ndim == specs[i].ndim;

      for (int d = 0; same && d < specs[i].ndim; d++)
        same = info->shape[d] == specs[i].shape[d];
      if (info == NULL)
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                       _("The weights have no tensor “%s”, which config.json calls for"),
                       specs[i].name);
          return FALSE;
        }
      if (info->dtype != TRIAD_ST_F32)
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                       _("Tensor “%s” has dtype %s; a Triad model folder holds F32 only"),
                       specs[i].name, triad_st_dtype_name (info->dtype));
          return FALSE;
        }
      if (!same)
        {
          g_autofree char *want = specs[i].ndim == 2
            ? g_strdup_printf ("%zu × %zu", specs[i].shape[0], specs[i].shape[1])
            : g_strdup_printf ("%zu", specs[i].shape[0]);
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                       _("Tensor “%s” does not have the shape config.json gives (%s)"),
                       specs[i].name, want);
          return FALSE;
        }
      if (((guintptr) triad_safetensors_data (st, info)) % G_ALIGNOF (float) != 0)
        aligned = FALSE;
    }
  if (triad_safetensors_n_tensors (st) != n)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                   _("The weights hold %d tensors, but config.json calls for %d"),
                   triad_safetensors_n_tensors (st), n);
      return FALSE;
    }

  model->n_params = 0;
  for (int i = 0; i < n; i++)
    model->n_params += specs[i].numel;

  if (aligned)
    {
      /* read straight from the mapping */
      for (int i = 0; i < n; i++)
        *specs[i].slot = (float *) triad_safetensors_data (st, triad_safetensors_lookup (st, specs[i].name));
    }
  else
    {
      /* a writer that did not pad its header: copy into aligned memory */
      carve_owned (model);
      for (int i = 0; i < n; i++)
        memcpy (*specs[i].slot,
                triad_safetensors_data (st, triad_safetensors_lookup (st, specs[i].name)),
                specs[i].numel * sizeof (float));
    }

  /* A NaN or an infinity would spread through every result: name the tensor instead. */
  for (int i = 0; i < n; i++)
    {
      const float *t = *specs[i].slot;
      gboolean finite = TRUE;

      for (size_t j = 0; j < specs[i].numel; j++)
        finite &= isfinite (t[j]) != 0;
      if (!finite)
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                       _("Tensor “%s” holds a value that is not a finite number (NaN or "
                         "infinity)"), specs[i].name);
          return FALSE;
        }
    }
  return TRUE;
}

TriadModel *
triad_model_load (const char *dir,
                  GError    **error)
{
  g_autoptr(TriadModel) model = NULL;
  g_autoptr(TriadSafetensors) st = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *config_path = g_build_filename (dir, "config.json", NULL);
  g_autofree char *weights_path = g_build_filename (dir, "model.safetensors", NULL);
  g_autofree char *tok_path = g_build_filename (dir, "tokenizer.json", NULL);

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_NOT_FOUND,
                   _("There is no model folder “%s”"), dir);
      return NULL;
    }

  {
    /* a Hub model's config.json names its model_type */
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonNode *root;

    if (json_parser_load_from_mapped_file (parser, config_path, NULL)
        && (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root)
        && triad_hf_is_model_dir (json_node_get_object (root)))
      return triad_hf_model_load (dir, json_node_get_object (root), error);
  }

  model = g_new0 (TriadModel, 1);
  model->path = g_strdup (dir);
  if (!config_load (config_path, &model->config, error))
    return NULL;
  triad_weights_alloc (&model->config, &model->weights);

  model->mapped = g_mapped_file_new (weights_path, FALSE, &local);
  if (model->mapped == NULL)
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_NOT_FOUND,
                     _("The model has no model.safetensors (looked for “%s”)"), weights_path);
      else
        g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                     _("model.safetensors cannot be read: %s"), local->message);
      return NULL;
    }
  st = triad_safetensors_parse ((const guint8 *) g_mapped_file_get_contents (model->mapped),
                                g_mapped_file_get_length (model->mapped), error);
  if (st == NULL || !bind_tensors (model, st, error))
    return NULL;

  model->tokenizer = triad_tokenizer_load (tok_path, error);
  if (model->tokenizer == NULL)
    return NULL;
  if (triad_tokenizer_vocab_size (model->tokenizer) != model->config.vocab_size)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                   _("The tokenizer has %d tokens, but config.json gives vocab_size %d"),
                   triad_tokenizer_vocab_size (model->tokenizer), model->config.vocab_size);
      return NULL;
    }
  return g_steal_pointer (&model);
}

gboolean
triad_model_save (const TriadModel *model,
                  const char       *dir,
                  GError          **error)
{
  g_autofree TriadTensorSpec *specs = NULL;
  g_autofree const char **names = NULL;
  g_autofree int *ndims = NULL;
  g_autofree size_t (*shapes)[4] = NULL;
  g_autofree const float **data = NULL;
  g_autofree char *config_path = g_build_filename (dir, "config.json", NULL);
  g_autofree char *weights_path = g_build_filename (dir, "model.safetensors", NULL);
  g_autofree char *tok_path = g_build_filename (dir, "tokenizer.json", NULL);
  TriadWeights w = model->weights;
  int n;

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  specs = triad_tensor_table (&model->config, &w, &n);
  names = g_new0 (const char *, n);
  ndims = g_new0 (int, n);
  shapes = g_malloc0_n (n, sizeof *shapes);
  data = g_new0 (const float *, n);
  for (int i = 0; i < n; i++)
    {
      names[i] = specs[i].name;
      ndims[i] = specs[i].ndim;
      shapes[i][0] = specs[i].shape[0];
      shapes[i][1] = specs[i].shape[1];
      data[i] = *specs[i].slot;
    }

  if (!triad_safetensors_write (weights_path, n, names, ndims, (const size_t (*)[4]) shapes,
                                data, error))
    return FALSE;
  if (!config_save (&model->config, config_path, error))
    return FALSE;
  if (model->tokenizer != NULL && !triad_tokenizer_save (model->tokenizer, tok_path, error))
    return FALSE;
  return TRUE;
}

char *
triad_model_resolve (const char *name_or_dir,
                     GError    **error)
{
  g_autoptr(GPtrArray) dirs = g_ptr_array_new_with_free_func (g_free);
  const char *env = g_getenv ("TRIAD_MODELS_DIR");

  if (name_or_dir == NULL || *name_or_dir == '\0')
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_NOT_FOUND, _("No model was named"));
      return NULL;
    }
  if (strchr (name_or_dir, G_DIR_SEPARATOR) != NULL
      || g_file_test (name_or_dir, G_FILE_TEST_IS_DIR))
    {
      if (!g_file_test (name_or_dir, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_NOT_FOUND,
                       _("There is no model folder “%s”"), name_or_dir);
          return NULL;
        }
      return g_strdup (name_or_dir);
    }

  /* a shipped model: the folder named by the environment, the source tree (running from
   * the build tree), then the installed data */
  if (env != NULL && *env != '\0')
    g_ptr_array_add (dirs, g_strdup (env));
  g_ptr_array_add (dirs, g_strdup (TRIAD_SOURCE_MODELS_DIR));
  g_ptr_array_add (dirs, g_build_filename (PKGDATADIR, "models", NULL));
  for (guint i = 0; i < dirs->len; i++)
    {
      g_autofree char *dir = g_build_filename (g_ptr_array_index (dirs, i), name_or_dir, NULL);
      g_autofree char *config = g_build_filename (dir, "config.json", NULL);

      if (g_file_test (config, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&dir);
    }
  g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_NOT_FOUND,
               _("There is no model “%s”: name a model folder, or one of encoder, decoder, encdec"),
               name_or_dir);
  return NULL;
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

int
triad_model_special (const TriadModel *model,
                     int               role)
{
  if (triad_config_is_triad (&model->config))
    return role;
  if (role == TRIAD_TOKEN_BOS && model->config.arch == TRIAD_ARCH_ENCDEC)
    return model->config.decoder_start_id;
  return model->tokenizer != NULL ? triad_tokenizer_special_id (model->tokenizer, role) : -1;
}

/* A real model's input, as its tokenizer's post-processor frames it ("[CLS] … [SEP]" for
 * BERT, "… </s>" for T5's encoder, nothing for GPT-2); a T5 decoder's target starts from
 * decoder_start_token_id instead. */
static TriadEncoding *
encode_real (const TriadModel    *model,
             const TriadEncoding *enc,
             TriadAttnKind        role,
             GError             **error)
{
  TriadEncoding *out;

  if (role == TRIAD_ATTN_ENCODER_SELF || model->config.arch == TRIAD_ARCH_DECODER)
    out = triad_tokenizer_post_process (model->tokenizer, enc);
  else
    {
      int start = model->config.decoder_start_id;

      out = g_new0 (TriadEncoding, 1);
      out->n = enc->n + 1;
      out->ids = g_new (int, out->n);
      out->start = g_new0 (int, out->n);
      out->end = g_new0 (int, out->n);
      out->pieces = g_new0 (char *, out->n + 1);
      out->ids[0] = start;
      out->pieces[0] = g_strdup (triad_tokenizer_piece (model->tokenizer, start) ?: "<unk>");
      memcpy (out->ids + 1, enc->ids, sizeof (int) * enc->n);
      memcpy (out->start + 1, enc->start, sizeof (int) * enc->n);
      memcpy (out->end + 1, enc->end, sizeof (int) * enc->n);
      for (int i = 0; i < enc->n; i++)
        out->pieces[i + 1] = g_strdup (enc->pieces[i]);
    }
  if (out->n > model->config.max_seq_len)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOO_LONG,
                   _("The text is %d tokens long; this model reads at most %d"),
                   enc->n, model->config.max_seq_len - (out->n - enc->n));
      triad_encoding_free (out);
      return NULL;
    }
  return out;
}

TriadEncoding *
triad_model_encode (const TriadModel *model,
                    const char       *text,
                    TriadAttnKind     role,
                    GError          **error)
{
  g_autoptr(TriadEncoding) enc = NULL;
  TriadEncoding *out;
  int before = 0, after = 0, bos_or_eos_before = -1, eos_after = -1;

  if (model->tokenizer == NULL)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT, _("The model has no tokenizer"));
      return NULL;
    }
  enc = triad_tokenizer_encode (model->tokenizer, text, -1, TRUE, error);
  if (enc == NULL)
    return NULL;
  if (is_blank (text))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_TEXT, _("The text is empty"));
      return NULL;
    }
  if (!triad_config_is_triad (&model->config))
    return encode_real (model, enc, role, error);

  if (role == TRIAD_ATTN_ENCODER_SELF && model->config.arch == TRIAD_ARCH_ENCODER)
    {
      before = 1; bos_or_eos_before = TRIAD_TOKEN_BOS;
      after = 1; eos_after = TRIAD_TOKEN_EOS;
    }
  else if (role == TRIAD_ATTN_ENCODER_SELF)
    {
      after = 1; eos_after = TRIAD_TOKEN_EOS;
    }
  else
    {
      before = 1; bos_or_eos_before = TRIAD_TOKEN_BOS;
    }

  if (enc->n + before + after > model->config.max_seq_len)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOO_LONG,
                   _("The text is %d tokens long; this model reads at most %d"),
                   enc->n, model->config.max_seq_len - before - after);
      return NULL;
    }

  out = g_new0 (TriadEncoding, 1);
  out->n = enc->n + before + after;
  out->ids = g_new (int, out->n);
  out->start = g_new (int, out->n);
  out->end = g_new (int, out->n);
  out->pieces = g_new0 (char *, out->n + 1);
  for (int i = 0; i < out->n; i++)
    {
      int src = i - before;
      if (src < 0 || src >= enc->n)
        {
          int id = src < 0 ? bos_or_eos_before : eos_after;
          int at = src < 0 ? 0 : (enc->n > 0 ? enc->end[enc->n - 1] : 0);
          out->ids[i] = id;
          out->start[i] = out->end[i] = at;
          out->pieces[i] = g_strdup (triad_tokenizer_piece (model->tokenizer, id));
        }
      else
        {
          out->ids[i] = enc->ids[src];
          out->start[i] = enc->start[src];
          out->end[i] = enc->end[src];
          out->pieces[i] = g_strdup (enc->pieces[src]);
        }
    }
  return out;
}
