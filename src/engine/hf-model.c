/* hf-model.c — model folders as the Hugging Face Hub serves them and save_pretrained writes
 * them: config.json with its model_type, model.safetensors or shards named by
 * model.safetensors.index.json, tokenizer.json beside them.
 *
 * Each family's tensors are mapped onto the engine's one block, following the published
 * modeling code (transformers' modeling_gpt2.py, modeling_bert.py, modeling_distilbert.py,
 * modeling_t5.py):
 *   gpt2        pre-LayerNorm, learned positions, gelu_new, Conv1D weights stored (in, out)
 *               with q, k and v fused in c_attn, the head tied to wte. Names with or without
 *               "transformer."; the h.N.attn.bias / masked_bias buffers are not weights.
 *   bert        post-LayerNorm, learned positions and token types, a LayerNorm on the
 *               embeddings, exact GELU; the masked-LM head cls.predictions.* (dense → GELU →
 *               LayerNorm → the tied decoder + bias). Older files name LayerNorm's
 *               parameters gamma and beta.
 *   distilbert  as BERT without token types; the head is vocab_transform / vocab_layer_norm /
 *               vocab_projector.
 *   t5          RMSNorm (no mean, no bias), relative position buckets held by each stack's
 *               block 0 and shared by its layers, scores not scaled by 1/√d_k, no biases,
 *               ReLU (v1) or gated gelu_new (v1.1, Flan-T5), heads of d_kv; v1's head is tied
 *               and scaled by d_model^-½, v1.1's is lm_head.
 *   llama       (and mistral, qwen2) RMSNorm before each sublayer, rotary positions (rope_theta,
 *               Llama 3.1's and linear rope scaling), SwiGLU, num_key_value_heads K/V heads
 *               shared by groups of query heads, names under "model."; Mistral's sliding window,
 *               Qwen2's biases on q, k and v; the head tied or lm_head.
 * F32 tensors are read in place from the mapping when aligned; F16, BF16 and unaligned ones
 * are widened into buffers of the model's own. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "engine/i18n.h"
#include <json-glib/json-glib.h>

#include "engine/checkpoint.h"
#include "engine/error.h"
#include "engine/hf-model.h"
#include "engine/numbers.h"

typedef struct {
  const TriadTensorInfo *info;
  const guint8          *data;
} HfTensor;

typedef struct {
  TriadModel *model;
  GPtrArray  *sts;          /* TriadSafetensors per file */
  GHashTable *tensors;      /* name → HfTensor */
  const char *prefix;       /* the family's name prefix when the file has it, else "" */
  const char *family;       /* for messages: "GPT-2" */
} HfLoader;

static void
hf_loader_clear (HfLoader *L)
{
  g_clear_pointer (&L->tensors, g_hash_table_unref);
  g_clear_pointer (&L->sts, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HfLoader, hf_loader_clear)

/* ---- config.json ------------------------------------------------------------------- */

static gboolean
json_int (JsonObject *obj,
          const char *name,
          int         fallback,
          int        *out,
          GError    **error)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (fallback == G_MININT)
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                       _("config.json: “%s” is missing or not an integer"), name);
          return FALSE;
        }
      *out = fallback;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) < 0 || json_node_get_int (node) > G_MAXINT)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                   _("config.json: “%s” is missing or not an integer"), name);
      return FALSE;
    }
  *out = (int) json_node_get_int (node);
  return TRUE;
}

#define REQUIRED G_MININT

static double
json_double (JsonObject *obj,
             const char *name,
             double      fallback)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double) json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return json_node_get_double (node);
  return fallback;
}

static gboolean
json_bool (JsonObject *obj,
           const char *name,
           gboolean    fallback)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

static const char *
json_string (JsonObject *obj,
             const char *name,
             const char *fallback)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return fallback;
  return json_node_get_string (node);
}

static gboolean
activation_from_name (const char      *name,
                      TriadActivation *act,
                      GError         **error)
{
  if (g_strcmp0 (name, "gelu") == 0)
    *act = TRIAD_ACT_GELU;
  else if (g_strcmp0 (name, "gelu_new") == 0 || g_strcmp0 (name, "gelu_pytorch_tanh") == 0)
    *act = TRIAD_ACT_GELU_TANH;
  else if (g_strcmp0 (name, "relu") == 0)
    *act = TRIAD_ACT_RELU;
  else if (g_strcmp0 (name, "silu") == 0)
    *act = TRIAD_ACT_SILU;
  else
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                   _("config.json: the activation “%s” is not supported (Triad supports gelu, "
                     "gelu_new, relu and silu)"), name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
config_gpt2 (JsonObject  *obj,
             TriadConfig *c,
             GError     **error)
{
  int n_inner;

  c->arch = TRIAD_ARCH_DECODER;
  if (!json_int (obj, "vocab_size", 50257, &c->vocab_size, error)
      || !json_int (obj, "n_embd", 768, &c->dim, error)
      || !json_int (obj, "n_head", 12, &c->n_heads, error)
      || !json_int (obj, "n_layer", 12, &c->n_dec_layers, error)
      || !json_int (obj, "n_positions", 1024, &c->max_seq_len, error)
      || !json_int (obj, "n_inner", 0, &n_inner, error)
      || !activation_from_name (json_string (obj, "activation_function", "gelu_new"), &c->act, error))
    return FALSE;
  c->ffn_dim = n_inner > 0 ? n_inner : 4 * c->dim;
  c->norm_eps = (float) json_double (obj, "layer_norm_epsilon", 1e-5);
  c->unscaled = !json_bool (obj, "scale_attn_weights", TRUE);
  if (json_bool (obj, "scale_attn_by_inverse_layer_idx", FALSE))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                   _("config.json: scale_attn_by_inverse_layer_idx is not supported"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
config_bert (JsonObject  *obj,
             TriadConfig *c,
             GError     **error)
{
  const char *pos = json_string (obj, "position_embedding_type", "absolute");

  c->arch = TRIAD_ARCH_ENCODER;
  if (!json_int (obj, "vocab_size", REQUIRED, &c->vocab_size, error)
      || !json_int (obj, "hidden_size", 768, &c->dim, error)
      || !json_int (obj, "num_attention_heads", 12, &c->n_heads, error)
      || !json_int (obj, "num_hidden_layers", 12, &c->n_enc_layers, error)
      || !json_int (obj, "intermediate_size", 3072, &c->ffn_dim, error)
      || !json_int (obj, "max_position_embeddings", 512, &c->max_seq_len, error)
      || !json_int (obj, "type_vocab_size", 2, &c->type_vocab_size, error)
      || !activation_from_name (json_string (obj, "hidden_act", "gelu"), &c->act, error))
    return FALSE;
  if (strcmp (pos, "absolute") != 0)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                   _("config.json: the position embedding “%s” is not supported (Triad "
                     "supports absolute)"), pos);
      return FALSE;
    }
  c->norm_eps = (float) json_double (obj, "layer_norm_eps", 1e-12);
  c->post_norm = TRUE;
  c->no_final_norm = TRUE;
  c->emb_norm = TRUE;
  c->mlm_transform = TRUE;
  return TRUE;
}

static gboolean
config_distilbert (JsonObject  *obj,
                   TriadConfig *c,
                   GError     **error)
{
  c->arch = TRIAD_ARCH_ENCODER;
  if (!json_int (obj, "vocab_size", REQUIRED, &c->vocab_size, error)
      || !json_int (obj, "dim", 768, &c->dim, error)
      || !json_int (obj, "n_heads", 12, &c->n_heads, error)
      || !json_int (obj, "n_layers", 6, &c->n_enc_layers, error)
      || !json_int (obj, "hidden_dim", 3072, &c->ffn_dim, error)
      || !json_int (obj, "max_position_embeddings", 512, &c->max_seq_len, error)
      || !activation_from_name (json_string (obj, "activation", "gelu"), &c->act, error))
    return FALSE;
  /* modeling_distilbert.py fixes the LayerNorms' eps */
  c->norm_eps = 1e-12f;
  c->post_norm = TRUE;
  c->no_final_norm = TRUE;
  c->emb_norm = TRUE;
  c->mlm_transform = TRUE;
  return TRUE;
}

static gboolean
config_t5 (JsonObject  *obj,
           TriadConfig *c,
           GError     **error)
{
  const char *proj = json_string (obj, "feed_forward_proj", "relu");
  g_auto(GStrv) parts = g_strsplit (proj, "-", 2);
  const char *act;

  c->arch = TRIAD_ARCH_ENCDEC;
  if (!json_int (obj, "vocab_size", 32128, &c->vocab_size, error)
      || !json_int (obj, "d_model", 512, &c->dim, error)
      || !json_int (obj, "d_kv", 64, &c->head_dim, error)
      || !json_int (obj, "d_ff", 2048, &c->ffn_dim, error)
      || !json_int (obj, "num_layers", 6, &c->n_enc_layers, error)
      || !json_int (obj, "num_decoder_layers", c->n_enc_layers, &c->n_dec_layers, error)
      || !json_int (obj, "num_heads", 8, &c->n_heads, error)
      || !json_int (obj, "relative_attention_num_buckets", 32, &c->rel_buckets, error)
      || !json_int (obj, "relative_attention_max_distance", 128, &c->rel_max_distance, error)
      || !json_int (obj, "n_positions", 512, &c->max_seq_len, error)
      || !json_int (obj, "decoder_start_token_id", 0, &c->decoder_start_id, error))
    return FALSE;
  /* "relu", "gelu", "gated-gelu" (gelu_new, as T5Config maps it), "gated-relu", … */
  c->gated = parts[1] != NULL && strcmp (parts[0], "gated") == 0;
  act = parts[1] != NULL ? parts[1] : parts[0];
  if (c->gated && strcmp (act, "gelu") == 0)
    act = "gelu_new";
  if ((parts[1] != NULL && !c->gated) || !activation_from_name (act, &c->act, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                     _("config.json: feed_forward_proj “%s” is not supported"), proj);
      return FALSE;
    }
  c->norm_eps = (float) json_double (obj, "layer_norm_epsilon", 1e-6);
  c->norm = TRIAD_NORM_RMS;
  c->positions = TRIAD_POS_RELATIVE;
  c->unscaled = TRUE;
  if (json_bool (obj, "tie_word_embeddings", TRUE))
    c->head_scale = 1.0f / sqrtf ((float) c->dim);
  if (c->rel_buckets < 2 || c->rel_max_distance < 2)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                   _("config.json: the relative attention needs at least 2 buckets and a "
                     "distance of 2"));
      return FALSE;
    }
  return TRUE;
}

/* llama, mistral and qwen2: one decoder, as modeling_llama.py, modeling_mistral.py and
 * modeling_qwen2.py define it — RMSNorm before each sublayer, rotary positions, SwiGLU, K/V
 * heads shared by groups of query heads; Mistral's sliding window; Qwen2's biases on q, k, v. */
static gboolean
config_llama (JsonObject  *obj,
              TriadConfig *c,
              GError     **error)
{
  const char *type = json_string (obj, "model_type", "llama");
  JsonNode *scaling = json_object_get_member (obj, "rope_scaling");
  int head_dim;

  c->arch = TRIAD_ARCH_DECODER;
  if (!json_int (obj, "vocab_size", 32000, &c->vocab_size, error)
      || !json_int (obj, "hidden_size", 4096, &c->dim, error)
      || !json_int (obj, "intermediate_size", 11008, &c->ffn_dim, error)
      || !json_int (obj, "num_hidden_layers", 32, &c->n_dec_layers, error)
      || !json_int (obj, "num_attention_heads", 32, &c->n_heads, error)
      || !json_int (obj, "num_key_value_heads", c->n_heads, &c->n_kv_heads, error)
      || !json_int (obj, "head_dim", 0, &head_dim, error)
      || !json_int (obj, "max_position_embeddings", 2048, &c->max_seq_len, error)
      || !activation_from_name (json_string (obj, "hidden_act", "silu"), &c->act, error))
    return FALSE;
  if (head_dim > 0 && c->n_heads > 0 && head_dim * c->n_heads != c->dim)
    c->head_dim = head_dim;
  if (c->n_kv_heads <= 0 || c->n_heads % c->n_kv_heads != 0)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                   _("config.json: num_key_value_heads must divide num_attention_heads"));
      return FALSE;
    }
  c->norm = TRIAD_NORM_RMS;
  c->norm_eps = (float) json_double (obj, "rms_norm_eps", 1e-6);
  c->positions = TRIAD_POS_ROTARY;
  c->rope_theta = (float) json_double (obj, "rope_theta", 10000.0);
  c->gated = TRUE;
  if (strcmp (type, "mistral") == 0)
    json_int (obj, "sliding_window", 0, &c->sliding_window, NULL);
  if (strcmp (type, "qwen2") == 0 && json_bool (obj, "use_sliding_window", FALSE))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                   _("config.json: Qwen2’s use_sliding_window is not supported"));
      return FALSE;
    }
  if (scaling != NULL && JSON_NODE_HOLDS_OBJECT (scaling))
    {
      JsonObject *r = json_node_get_object (scaling);
      const char *kind = json_string (r, "rope_type", json_string (r, "type", "default"));

      c->rope_factor = (float) json_double (r, "factor", 1.0);
      if (strcmp (kind, "llama3") == 0)
        {
          c->rope_scaling = TRIAD_ROPE_LLAMA3;
          c->rope_low_freq_factor = (float) json_double (r, "low_freq_factor", 1.0);
          c->rope_high_freq_factor = (float) json_double (r, "high_freq_factor", 4.0);
          if (!json_int (r, "original_max_position_embeddings", 8192,
                         &c->rope_original_context, error))
            return FALSE;
        }
      else if (strcmp (kind, "linear") == 0)
        c->rope_scaling = TRIAD_ROPE_LINEAR;
      else if (strcmp (kind, "default") != 0)
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                       _("config.json: the rope scaling “%s” is not supported (Triad supports "
                         "llama3 and linear)"), kind);
          return FALSE;
        }
      if ((c->rope_scaling != TRIAD_ROPE_PLAIN && !(c->rope_factor > 0.0f))
          || (c->rope_scaling == TRIAD_ROPE_LLAMA3
              && !(c->rope_low_freq_factor > 0.0f && c->rope_high_freq_factor > 0.0f
                   && c->rope_high_freq_factor != c->rope_low_freq_factor
                   && c->rope_original_context > 0)))
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                       _("config.json: the rope scaling’s factors are out of range"));
          return FALSE;
        }
    }
  return TRUE;
}

static const struct {
  const char *model_type;
  const char *family;
  gboolean  (*config) (JsonObject *, TriadConfig *, GError **);
} families[] = {
  { "gpt2", "GPT-2", config_gpt2 },
  { "bert", "BERT", config_bert },
  { "distilbert", "DistilBERT", config_distilbert },
  { "t5", "T5", config_t5 },
  { "llama", "Llama", config_llama },
  { "mistral", "Mistral", config_llama },
  { "qwen2", "Qwen2", config_llama },
};

gboolean
triad_hf_arch_of (const char *model_type,
                  TriadArch  *arch)
{
  static const TriadArch archs[] = { TRIAD_ARCH_DECODER, TRIAD_ARCH_ENCODER, TRIAD_ARCH_ENCODER,
                                     TRIAD_ARCH_ENCDEC, TRIAD_ARCH_DECODER, TRIAD_ARCH_DECODER,
                                     TRIAD_ARCH_DECODER };

  G_STATIC_ASSERT (G_N_ELEMENTS (archs) == G_N_ELEMENTS (families));
  for (guint f = 0; f < G_N_ELEMENTS (families); f++)
    if (g_strcmp0 (model_type, families[f].model_type) == 0)
      {
        *arch = archs[f];
        return TRUE;
      }
  return FALSE;
}

const char *
triad_hf_supported_types (void)
{
  return "gpt2, bert, distilbert, t5, llama, mistral, qwen2";
}

/* ---- weights ----------------------------------------------------------------------- */

static gboolean
add_file (HfLoader   *L,
          const char *path,
          GError    **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *base = g_path_get_basename (path);
  GMappedFile *map = g_mapped_file_new (path, FALSE, &local);
  TriadSafetensors *st;

  if (map == NULL)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                   _("%s cannot be read: %s"), base, local->message);
      return FALSE;
    }
  g_ptr_array_add (L->model->maps, map);
  st = triad_safetensors_parse ((const guint8 *) g_mapped_file_get_contents (map),
                                g_mapped_file_get_length (map), &local);
  if (st == NULL)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT, "%s: %s", base, local->message);
      return FALSE;
    }
  g_ptr_array_add (L->sts, st);
  L->model->file_bytes += g_mapped_file_get_length (map);

  for (int i = 0; i < triad_safetensors_n_tensors (st); i++)
    {
      const TriadTensorInfo *info = triad_safetensors_nth (st, i);
      HfTensor *t = g_new (HfTensor, 1);

      t->info = info;
      t->data = triad_safetensors_data (st, info);
      g_hash_table_replace (L->tensors, info->name, t);
    }
  return TRUE;
}

/* model.safetensors, or the shards model.safetensors.index.json names in its weight_map. */
static gboolean
open_weights (HfLoader   *L,
              const char *dir,
              GError    **error)
{
  g_autofree char *single = g_build_filename (dir, "model.safetensors", NULL);
  g_autofree char *index = g_build_filename (dir, "model.safetensors.index.json", NULL);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GHashTable) files = NULL;
  g_autoptr(GList) names = NULL;
  JsonNode *root;
  JsonObject *map;

  L->sts = g_ptr_array_new_with_free_func ((GDestroyNotify) triad_safetensors_free);
  L->tensors = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  if (g_file_test (single, G_FILE_TEST_EXISTS))
    return add_file (L, single, error);
  if (!g_file_test (index, G_FILE_TEST_EXISTS))
    {
      g_autofree char *bin = g_build_filename (dir, "pytorch_model.bin", NULL);

      if (g_file_test (bin, G_FILE_TEST_EXISTS))
        g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_NOT_FOUND,
                     _("The folder has its weights in pytorch_model.bin only; Triad reads "
                       "model.safetensors (the Hub serves it for most models)"));
      else
        g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_NOT_FOUND,
                     _("The folder has no model.safetensors and no model.safetensors.index.json"));
      return FALSE;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_mapped_file (parser, index, &local))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                   _("model.safetensors.index.json cannot be read: %s"), local->message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)
      || !json_object_has_member (json_node_get_object (root), "weight_map")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_node_get_object (root), "weight_map")))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                   _("model.safetensors.index.json has no weight_map"));
      return FALSE;
    }
  map = json_object_get_object_member (json_node_get_object (root), "weight_map");
  files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  names = json_object_get_members (map);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *file = json_string (map, l->data, NULL);

      if (file == NULL || strchr (file, '/') != NULL || strchr (file, '\\') != NULL
          || strcmp (file, "..") == 0)
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                       _("model.safetensors.index.json: the file of “%s” is not a file name"),
                       (const char *) l->data);
          return FALSE;
        }
      if (!g_hash_table_contains (files, file))
        {
          g_autofree char *path = g_build_filename (dir, file, NULL);

          if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
            {
              g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_NOT_FOUND,
                           _("The index names the shard “%s”, which the folder lacks"), file);
              return FALSE;
            }
          g_hash_table_add (files, g_strdup (file));
          if (!add_file (L, path, error))
            return FALSE;
        }
      if (!g_hash_table_contains (L->tensors, l->data))
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                       _("The index puts “%s” in %s, which does not hold it"),
                       (const char *) l->data, file);
          return FALSE;
        }
    }
  return TRUE;
}

static const HfTensor *
find (HfLoader   *L,
      const char *name)
{
  g_autofree char *full = g_strconcat (L->prefix, name, NULL);
  const HfTensor *t = g_hash_table_lookup (L->tensors, full);

  return t != NULL ? t : g_hash_table_lookup (L->tensors, name);
}

static gboolean
is_float (TriadStDtype d)
{
  return d == TRIAD_ST_F32 || d == TRIAD_ST_F16 || d == TRIAD_ST_BF16
         || d == TRIAD_ST_F64;
}

/* Once a tensor is widened, the file's pages it was read from are dropped from memory (they
 * are clean, and read again from the file if ever touched): without this a BF16 model would
 * hold its file beside the F32 copy, three times the file instead of two. */
static void
release_pages (const guint8 *data,
               size_t        bytes)
{
  guintptr page = (guintptr) sysconf (_SC_PAGESIZE);
  guintptr lo = ((guintptr) data + page - 1) / page * page;
  guintptr hi = ((guintptr) data + bytes) / page * page;

  if (hi > lo)
    madvise ((void *) lo, hi - lo, MADV_DONTNEED);
}

/* The tensor `name` (with or without the family's prefix) of shape (d0) or (d0, d1), as F32:
 * the mapping itself, or a widened copy. NULL with an error when missing, unless optional. */
static float *
tensor (HfLoader   *L,
        const char *name,
        size_t      d0,
        size_t      d1,
        gboolean    optional,
        GError    **error)
{
  const HfTensor *t = find (L, name);
  int ndim = d1 > 0 ? 2 : 1;
  float *out;

  if (t == NULL)
    {
      if (!optional)
        g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                     _("The weights have no tensor “%s”, which a %s model has"),
                     name, L->family);
      return NULL;
    }
  if (!is_float (t->info->dtype))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT,
                   _("Tensor “%s” has dtype %s; weights are F32, F16 or BF16"),
                   t->info->name, triad_st_dtype_name (t->info->dtype));
      return NULL;
    }
  if (t->info->ndim != ndim || t->info->shape[0] != d0 || (ndim == 2 && t->info->shape[1] != d1))
    {
      g_autofree char *want = ndim == 2 ? g_strdup_printf ("%zu × %zu", d0, d1)
                                        : g_strdup_printf ("%zu", d0);
      g_autofree char *have = t->info->ndim == 2
        ? g_strdup_printf ("%zu × %zu", t->info->shape[0], t->info->shape[1])
        : t->info->ndim == 1 ? g_strdup_printf ("%zu", t->info->shape[0])
                             : g_strdup_printf (_("%d dimensions"), t->info->ndim);
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                   _("Tensor “%s” is %s, but config.json makes it %s"), t->info->name, have, want);
      return NULL;
    }
  L->model->n_params += t->info->numel;
  if (t->info->dtype == TRIAD_ST_F32 && (guintptr) t->data % G_ALIGNOF (float) == 0)
    return (float *) t->data;
  out = g_try_new (float, t->info->numel);
  if (out == NULL)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOO_LONG,
                   _("Not enough memory to read tensor “%s”"), t->info->name);
      return NULL;
    }
  triad_st_to_f32 (t->info->dtype, t->data, t->info->numel, out);
  g_ptr_array_add (L->model->buffers, out);
  release_pages (t->data, t->info->end - t->info->begin);
  return out;
}

/* Shorthands for the binders: `ok` collects the first error. */
#define T(dst, name, d0, d1) \
  G_STMT_START { if (ok && ((dst) = tensor (L, (name), (d0), (d1), FALSE, error)) == NULL) ok = FALSE; } G_STMT_END
#define T_OPT(dst, name, d0, d1) \
  G_STMT_START { if (ok) { (dst) = tensor (L, (name), (d0), (d1), TRUE, error); \
                           if (error != NULL && *error != NULL) ok = FALSE; } } G_STMT_END

/* base.weight and base.bias, or the older base.gamma and base.beta; no bias when `rms`. */
static gboolean
norm (HfLoader   *L,
      TriadNorm  *n,
      const char *base,
      gboolean    rms,
      GError    **error)
{
  int dim = L->model->config.dim;
  g_autofree char *w = g_strconcat (base, ".weight", NULL);
  g_autofree char *g = g_strconcat (base, ".gamma", NULL);
  g_autofree char *b = g_strconcat (base, ".bias", NULL);
  g_autofree char *beta = g_strconcat (base, ".beta", NULL);
  gboolean old = find (L, w) == NULL && find (L, g) != NULL;
  gboolean ok = TRUE;

  T (n->w, old ? g : w, dim, 0);
  if (!rms)
    T (n->b, old ? beta : b, dim, 0);
  return ok;
}

static gboolean
linear (HfLoader    *L,
        TriadLinear *lin,
        const char  *base,
        int          out,
        int          in,
        gboolean     bias,
        GError     **error)
{
  g_autofree char *w = g_strconcat (base, ".weight", NULL);
  g_autofree char *b = g_strconcat (base, ".bias", NULL);
  gboolean ok = TRUE;

  T (lin->w, w, out, in);
  if (bias)
    T (lin->b, b, out, 0);
  return ok;
}

static gboolean
bind_gpt2 (HfLoader *L,
           GError  **error)
{
  TriadConfig *c = &L->model->config;
  TriadWeights *w = &L->model->weights;
  int D = c->dim, F = c->ffn_dim;
  gboolean ok = TRUE;

  L->prefix = "transformer.";
  T (w->tok_emb, "wte.weight", c->vocab_size, D);
  T (w->dec_pos, "wpe.weight", c->max_seq_len, D);
  for (int l = 0; ok && l < c->n_dec_layers; l++)
    {
      TriadBlock *blk = &w->dec[l];
      g_autofree char *p = g_strdup_printf ("h.%d.", l);
      g_autofree char *ln1 = g_strconcat (p, "ln_1", NULL);
      g_autofree char *ln2 = g_strconcat (p, "ln_2", NULL);
      g_autofree char *qkv_w = g_strconcat (p, "attn.c_attn.weight", NULL);
      g_autofree char *qkv_b = g_strconcat (p, "attn.c_attn.bias", NULL);
      g_autofree char *o_w = g_strconcat (p, "attn.c_proj.weight", NULL);
      g_autofree char *o_b = g_strconcat (p, "attn.c_proj.bias", NULL);
      g_autofree char *fc_w = g_strconcat (p, "mlp.c_fc.weight", NULL);
      g_autofree char *fc_b = g_strconcat (p, "mlp.c_fc.bias", NULL);
      g_autofree char *pr_w = g_strconcat (p, "mlp.c_proj.weight", NULL);
      g_autofree char *pr_b = g_strconcat (p, "mlp.c_proj.bias", NULL);
      float *qkv = NULL, *qkv_bias = NULL;

      ok = norm (L, &blk->ln_attn, ln1, FALSE, error) && norm (L, &blk->ln_ffn, ln2, FALSE, error);
      /* Conv1D: (in, out); c_attn's columns are q, then k, then v */
      T (qkv, qkv_w, D, 3 * D);
      T (qkv_bias, qkv_b, 3 * D, 0);
      T (blk->attn.o.w, o_w, D, D);
      T (blk->attn.o.b, o_b, D, 0);
      T (blk->up.w, fc_w, D, F);
      T (blk->up.b, fc_b, F, 0);
      T (blk->down.w, pr_w, F, D);
      T (blk->down.b, pr_b, D, 0);
      if (!ok)
        break;
      blk->attn.q = (TriadLinear) { qkv, qkv_bias, TRUE, 3 * D };
      blk->attn.k = (TriadLinear) { qkv + D, qkv_bias + D, TRUE, 3 * D };
      blk->attn.v = (TriadLinear) { qkv + 2 * D, qkv_bias + 2 * D, TRUE, 3 * D };
      blk->attn.o.in_out = blk->up.in_out = blk->down.in_out = TRUE;
    }
  ok = ok && norm (L, &w->dec_norm, "ln_f", FALSE, error);
  return ok;
}

/* BERT and DistilBERT differ in names only (and token types). */
typedef struct {
  const char *prefix, *word, *pos, *types, *emb_ln, *layer;
  const char *q, *k, *v, *o, *ln_attn, *up, *down, *ln_ffn;
  const char *mlm_dense, *mlm_ln, *mlm_bias, *mlm_bias_alt;
} BertNames;

static const BertNames bert_names = {
  "bert.", "embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
  "embeddings.token_type_embeddings.weight", "embeddings.LayerNorm", "encoder.layer.%d.",
  "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
  "attention.output.LayerNorm", "intermediate.dense", "output.dense", "output.LayerNorm",
  "cls.predictions.transform.dense", "cls.predictions.transform.LayerNorm",
  "cls.predictions.bias", "cls.predictions.decoder.bias",
};

static const BertNames distilbert_names = {
  "distilbert.", "embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
  NULL, "embeddings.LayerNorm", "transformer.layer.%d.",
  "attention.q_lin", "attention.k_lin", "attention.v_lin", "attention.out_lin",
  "sa_layer_norm", "ffn.lin1", "ffn.lin2", "output_layer_norm",
  "vocab_transform", "vocab_layer_norm", "vocab_projector.bias", NULL,
};

static gboolean
bind_bert (HfLoader        *L,
           const BertNames *N,
           GError         **error)
{
  TriadConfig *c = &L->model->config;
  TriadWeights *w = &L->model->weights;
  int D = c->dim, F = c->ffn_dim, V = c->vocab_size;
  gboolean ok = TRUE;

  L->prefix = N->prefix;
  T (w->tok_emb, N->word, V, D);
  T (w->enc_pos, N->pos, c->max_seq_len, D);
  if (N->types != NULL)
    T (w->type_emb, N->types, c->type_vocab_size, D);
  ok = ok && norm (L, &w->emb_norm, N->emb_ln, FALSE, error);
  for (int l = 0; ok && l < c->n_enc_layers; l++)
    {
      TriadBlock *blk = &w->enc[l];
      g_autofree char *p = g_strdup_printf (N->layer, l);
#define NAME(x) g_autofree char *x = g_strconcat (p, N->x, NULL)
      NAME (q); NAME (k); NAME (v); NAME (o); NAME (ln_attn); NAME (up); NAME (down); NAME (ln_ffn);
#undef NAME

      ok = linear (L, &blk->attn.q, q, D, D, TRUE, error)
           && linear (L, &blk->attn.k, k, D, D, TRUE, error)
           && linear (L, &blk->attn.v, v, D, D, TRUE, error)
           && linear (L, &blk->attn.o, o, D, D, TRUE, error)
           && norm (L, &blk->ln_attn, ln_attn, FALSE, error)
           && linear (L, &blk->up, up, F, D, TRUE, error)
           && linear (L, &blk->down, down, D, F, TRUE, error)
           && norm (L, &blk->ln_ffn, ln_ffn, FALSE, error);
    }
  if (!ok)
    return FALSE;

  /* the masked-LM head, when the file has one (a bare BertModel has none) */
  {
    g_autofree char *dense = g_strconcat (N->mlm_dense, ".weight", NULL);

    if (find (L, dense) == NULL)
      {
        c->mlm_transform = FALSE;
        c->no_lm_head = TRUE;
        return TRUE;
      }
  }
  ok = linear (L, &w->mlm_dense, N->mlm_dense, D, D, TRUE, error)
       && norm (L, &w->mlm_norm, N->mlm_ln, FALSE, error);
  T_OPT (w->mlm_bias, N->mlm_bias, V, 0);
  if (ok && w->mlm_bias == NULL && N->mlm_bias_alt != NULL)
    T_OPT (w->mlm_bias, N->mlm_bias_alt, V, 0);
  if (ok && w->mlm_bias == NULL)
    T (w->mlm_bias, N->mlm_bias, V, 0);
  /* the decoder's weight is tied to the word embeddings; the copy a file may carry is not
   * read twice */
  return ok;
}

static gboolean
t5_attention (HfLoader         *L,
              TriadAttnWeights *a,
              const char       *base,
              GError          **error)
{
  int D = L->model->config.dim, I = triad_config_inner_dim (&L->model->config);
  g_autofree char *q = g_strconcat (base, ".q", NULL);
  g_autofree char *k = g_strconcat (base, ".k", NULL);
  g_autofree char *v = g_strconcat (base, ".v", NULL);
  g_autofree char *o = g_strconcat (base, ".o", NULL);

  return linear (L, &a->q, q, I, D, FALSE, error) && linear (L, &a->k, k, I, D, FALSE, error)
         && linear (L, &a->v, v, I, D, FALSE, error) && linear (L, &a->o, o, D, I, FALSE, error);
}

static gboolean
t5_ffn (HfLoader   *L,
        TriadBlock *blk,
        const char *base,
        GError    **error)
{
  const TriadConfig *c = &L->model->config;
  g_autofree char *wi = g_strconcat (base, ".DenseReluDense.wi", NULL);
  g_autofree char *wi0 = g_strconcat (base, ".DenseReluDense.wi_0", NULL);
  g_autofree char *wi1 = g_strconcat (base, ".DenseReluDense.wi_1", NULL);
  g_autofree char *wo = g_strconcat (base, ".DenseReluDense.wo", NULL);
  g_autofree char *ln = g_strconcat (base, ".layer_norm", NULL);

  /* gated: act (wi_0 x) ⊙ wi_1 x */
  if (c->gated && !(linear (L, &blk->gate, wi0, c->ffn_dim, c->dim, FALSE, error)
                    && linear (L, &blk->up, wi1, c->ffn_dim, c->dim, FALSE, error)))
    return FALSE;
  if (!c->gated && !linear (L, &blk->up, wi, c->ffn_dim, c->dim, FALSE, error))
    return FALSE;
  return linear (L, &blk->down, wo, c->dim, c->ffn_dim, FALSE, error)
         && norm (L, &blk->ln_ffn, ln, TRUE, error);
}

static gboolean
bind_t5 (HfLoader *L,
         GError  **error)
{
  TriadConfig *c = &L->model->config;
  TriadWeights *w = &L->model->weights;
  gboolean ok = TRUE;

  L->prefix = "";
  T_OPT (w->tok_emb, "shared.weight", c->vocab_size, c->dim);
  if (ok && w->tok_emb == NULL)
    T (w->tok_emb, "encoder.embed_tokens.weight", c->vocab_size, c->dim);
  T (w->enc_rel, "encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight",
     c->rel_buckets, c->n_heads);
  T (w->dec_rel, "decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight",
     c->rel_buckets, c->n_heads);
  for (int l = 0; ok && l < c->n_enc_layers; l++)
    {
      TriadBlock *blk = &w->enc[l];
      g_autofree char *att = g_strdup_printf ("encoder.block.%d.layer.0.SelfAttention", l);
      g_autofree char *ln = g_strdup_printf ("encoder.block.%d.layer.0.layer_norm", l);
      g_autofree char *ff = g_strdup_printf ("encoder.block.%d.layer.1", l);

      ok = t5_attention (L, &blk->attn, att, error) && norm (L, &blk->ln_attn, ln, TRUE, error)
           && t5_ffn (L, blk, ff, error);
    }
  for (int l = 0; ok && l < c->n_dec_layers; l++)
    {
      TriadBlock *blk = &w->dec[l];
      g_autofree char *att = g_strdup_printf ("decoder.block.%d.layer.0.SelfAttention", l);
      g_autofree char *ln = g_strdup_printf ("decoder.block.%d.layer.0.layer_norm", l);
      g_autofree char *x = g_strdup_printf ("decoder.block.%d.layer.1.EncDecAttention", l);
      g_autofree char *lnx = g_strdup_printf ("decoder.block.%d.layer.1.layer_norm", l);
      g_autofree char *ff = g_strdup_printf ("decoder.block.%d.layer.2", l);

      ok = t5_attention (L, &blk->attn, att, error) && norm (L, &blk->ln_attn, ln, TRUE, error)
           && t5_attention (L, &blk->cross, x, error) && norm (L, &blk->ln_cross, lnx, TRUE, error)
           && t5_ffn (L, blk, ff, error);
    }
  ok = ok && norm (L, &w->enc_norm, "encoder.final_layer_norm", TRUE, error)
       && norm (L, &w->dec_norm, "decoder.final_layer_norm", TRUE, error);
  /* v1.1 and Flan-T5 have a head of their own */
  if (ok && c->head_scale == 0.0f)
    T (w->head, "lm_head.weight", c->vocab_size, c->dim);
  return ok;
}

static gboolean
bind_llama (HfLoader   *L,
            JsonObject *obj,
            GError    **error)
{
  TriadConfig *c = &L->model->config;
  TriadWeights *w = &L->model->weights;
  int D = c->dim, I = triad_config_inner_dim (c), KV = triad_config_kv_dim (c), F = c->ffn_dim;
  gboolean qwen2 = strcmp (c->model_type, "qwen2") == 0;
  gboolean qkv_bias = qwen2 || json_bool (obj, "attention_bias", FALSE);
  gboolean o_bias = !qwen2 && json_bool (obj, "attention_bias", FALSE);
  gboolean mlp_bias = json_bool (obj, "mlp_bias", FALSE);
  gboolean tied = json_bool (obj, "tie_word_embeddings", FALSE);
  gboolean ok = TRUE;

  L->prefix = "model.";
  T (w->tok_emb, "embed_tokens.weight", c->vocab_size, D);
  for (int l = 0; ok && l < c->n_dec_layers; l++)
    {
      TriadBlock *blk = &w->dec[l];
#define NAME(var, part) g_autofree char *var = g_strdup_printf ("layers.%d." part, l)
      NAME (ln1, "input_layernorm");
      NAME (ln2, "post_attention_layernorm");
      NAME (q, "self_attn.q_proj");
      NAME (k, "self_attn.k_proj");
      NAME (v, "self_attn.v_proj");
      NAME (o, "self_attn.o_proj");
      NAME (gate, "mlp.gate_proj");
      NAME (up, "mlp.up_proj");
      NAME (down, "mlp.down_proj");
#undef NAME

      ok = norm (L, &blk->ln_attn, ln1, TRUE, error) && norm (L, &blk->ln_ffn, ln2, TRUE, error)
           && linear (L, &blk->attn.q, q, I, D, qkv_bias, error)
           && linear (L, &blk->attn.k, k, KV, D, qkv_bias, error)
           && linear (L, &blk->attn.v, v, KV, D, qkv_bias, error)
           && linear (L, &blk->attn.o, o, D, I, o_bias, error)
           && linear (L, &blk->gate, gate, F, D, mlp_bias, error)
           && linear (L, &blk->up, up, F, D, mlp_bias, error)
           && linear (L, &blk->down, down, D, F, mlp_bias, error);
    }
  ok = ok && norm (L, &w->dec_norm, "norm", TRUE, error);
  if (ok && !tied)
    T (w->head, "lm_head.weight", c->vocab_size, D);
  return ok;
}

/* ---- memory ------------------------------------------------------------------------ */

static size_t
available_memory (void)
{
  g_autofree char *text = NULL;
  const char *test = g_getenv ("TRIAD_MEMORY_AVAILABLE");
  const char *line;

  /* a test can stand in for a small machine */
  if (test != NULL && *test != '\0')
    return (size_t) g_ascii_strtoull (test, NULL, 10);
  if (!g_file_get_contents ("/proc/meminfo", &text, NULL, NULL)
      || (line = strstr (text, "MemAvailable:")) == NULL)
    return 0;
  return (size_t) g_ascii_strtoull (line + strlen ("MemAvailable:"), NULL, 10) * 1024;
}

/* What opening the model will hold: every float tensor as F32 (mapped in place or widened),
 * and the F16/BF16 files' pages as they are read. */
static gboolean
check_memory (HfLoader *L,
              GError  **error)
{
  GHashTableIter iter;
  gpointer value;
  size_t need = 0, avail = available_memory ();

  g_hash_table_iter_init (&iter, L->tensors);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const HfTensor *t = value;

      if (is_float (t->info->dtype))
        need += t->info->numel * sizeof (float);
    }
  if (avail > 0 && need > avail)
    {
      g_autofree char *n = triad_format_size ((double) need, FALSE);
      g_autofree char *a = triad_format_size ((double) avail, FALSE);

      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOO_LONG,
                   _("The model needs about %s of memory as 32-bit floats, but only %s is "
                     "free"), n, a);
      return FALSE;
    }
  return TRUE;
}

/* ---- the model --------------------------------------------------------------------- */

static const char *
dominant_dtype (HfLoader *L)
{
  size_t bytes[TRIAD_ST_BOOL + 1] = { 0 };
  GHashTableIter iter;
  gpointer value;
  TriadStDtype best = TRIAD_ST_F32;

  g_hash_table_iter_init (&iter, L->tensors);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const HfTensor *t = value;
      if (is_float (t->info->dtype))
        bytes[t->info->dtype] += t->info->end - t->info->begin;
    }
  for (int d = 0; d <= TRIAD_ST_BOOL; d++)
    if (bytes[d] > bytes[best])
      best = d;
  return triad_st_dtype_name (best);
}

gboolean
triad_hf_is_model_dir (JsonObject *config)
{
  return json_object_has_member (config, "model_type")
         && !json_object_has_member (config, "format");
}

TriadModel *
triad_hf_model_load (const char *dir,
                     JsonObject *obj,
                     GError    **error)
{
  g_autoptr(TriadModel) model = g_new0 (TriadModel, 1);
  g_auto(HfLoader) L = { 0 };
  g_autofree char *tok_path = g_build_filename (dir, "tokenizer.json", NULL);
  const char *type = json_string (obj, "model_type", "");
  gboolean ok = FALSE;
  guint f;

  for (f = 0; f < G_N_ELEMENTS (families); f++)
    if (strcmp (type, families[f].model_type) == 0)
      break;
  if (f == G_N_ELEMENTS (families))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                   _("The model type “%s” is not supported; Triad opens %s"),
                   type, triad_hf_supported_types ());
      return NULL;
    }

  model->path = g_strdup (dir);
  model->maps = g_ptr_array_new_with_free_func ((GDestroyNotify) g_mapped_file_unref);
  model->buffers = g_ptr_array_new_with_free_func (g_free);
  g_strlcpy (model->config.model_type, type, sizeof model->config.model_type);
  if (!families[f].config (obj, &model->config, error)
      || !triad_config_validate (&model->config, error))
    return NULL;
  triad_weights_alloc (&model->config, &model->weights);

  L.model = model;
  L.family = families[f].family;
  if (!open_weights (&L, dir, error) || !check_memory (&L, error))
    return NULL;
  model->dtype = g_strdup (dominant_dtype (&L));

  if (strcmp (type, "gpt2") == 0)
    ok = bind_gpt2 (&L, error);
  else if (strcmp (type, "bert") == 0)
    ok = bind_bert (&L, &bert_names, error);
  else if (strcmp (type, "distilbert") == 0)
    ok = bind_bert (&L, &distilbert_names, error);
  else if (strcmp (type, "t5") == 0)
    ok = bind_t5 (&L, error);
  else
    ok = bind_llama (&L, obj, error);
  if (!ok)
    return NULL;

  /* every view and command reads text, so a model without its tokenizer is refused whole */
  if (!g_file_test (tok_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_NOT_FOUND,
                   _("The folder has no tokenizer.json, from which Triad reads the model’s "
                     "tokens"));
      return NULL;
    }
    {
      model->tokenizer = triad_tokenizer_load (tok_path, error);
      if (model->tokenizer == NULL)
        return NULL;
      /* the embedding matrix is often padded past the tokenizer (T5: 32,128 rows for
       * 32,100 tokens), never short of it */
      if (triad_tokenizer_vocab_size (model->tokenizer) > model->config.vocab_size)
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_CONFIG,
                       _("The tokenizer has %d tokens, but the model only %d"),
                       triad_tokenizer_vocab_size (model->tokenizer), model->config.vocab_size);
          return NULL;
        }
    }
  return g_steal_pointer (&model);
}
