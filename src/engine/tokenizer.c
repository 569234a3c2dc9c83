/* tokenizer.c — byte-pair encoding over Unicode characters: building and checking a
 * tokenizer, tokenizer.json, the vocabulary's lookups, and the heap that merging and
 * training share. Encoding and decoding are in tokenizer-encode.c, training in
 * tokenizer-train.c. */
#include "config.h"

#include <string.h>
#include "engine/i18n.h"
#include <json-glib/json-glib.h>

#include "engine/error.h"
#include "engine/tokenizer.h"
#include "engine/tokenizer-private.h"

const char * const tok_special_tokens[TRIAD_N_SPECIAL_TOKENS] = {
  "<pad>", "<unk>", "<bos>", "<eos>", "<mask>", "<sep>",
};

static void
tok_heap_swap (GArray *heap,
               guint   i,
               guint   j)
{
  guint size = g_array_get_element_size (heap);
  char tmp[64];
  char *a = heap->data + (gsize) i * size;
  char *b = heap->data + (gsize) j * size;

  g_assert (size <= sizeof tmp);
  memcpy (tmp, a, size);
  memcpy (a, b, size);
  memcpy (b, tmp, size);
}

void
tok_heap_push (GArray        *heap,
               gconstpointer  item,
               TokHeapCompare    compare,
               gpointer       data)
{
  guint size = g_array_get_element_size (heap);
  guint i = heap->len;

  g_array_append_vals (heap, item, 1);
  while (i > 0)
    {
      guint parent = (i - 1) / 2;

      if (compare (heap->data + (gsize) i * size, heap->data + (gsize) parent * size, data) >= 0)
        break;
      tok_heap_swap (heap, i, parent);
      i = parent;
    }
}

gboolean
tok_heap_pop (GArray      *heap,
              gpointer     out,
              TokHeapCompare  compare,
              gpointer     data)
{
  guint size = g_array_get_element_size (heap);
  guint i = 0;

  if (heap->len == 0)
    return FALSE;
  memcpy (out, heap->data, size);
  tok_heap_swap (heap, 0, heap->len - 1);
  g_array_set_size (heap, heap->len - 1);
  for (;;)
    {
      guint left = 2 * i + 1, right = left + 1, best = i;

      if (left < heap->len
          && compare (heap->data + (gsize) left * size, heap->data + (gsize) best * size, data) < 0)
        best = left;
      if (right < heap->len
          && compare (heap->data + (gsize) right * size, heap->data + (gsize) best * size, data) < 0)
        best = right;
      if (best == i)
        break;
      tok_heap_swap (heap, i, best);
      i = best;
    }
  return TRUE;
}

/* ─── Building and checking ─── */

TriadTokenizer *
tokenizer_alloc (void)
{
  TriadTokenizer *tok = g_new0 (TriadTokenizer, 1);

  tok->vocab = g_ptr_array_new_with_free_func (g_free);
  tok->ids = g_hash_table_new (g_str_hash, g_str_equal);
  tok->merges = g_ptr_array_new_with_free_func (g_free);
  tok->merge_index = g_hash_table_new (tok_merge_key_hash, g_int64_equal);
  g_mutex_init (&tok->cache_lock);
  tok->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  tok->kind = TRIAD_TOKENIZER_TRIAD_BPE;
  tok->unk_id = TRIAD_TOKEN_UNK;
  return tok;
}

void
triad_tokenizer_free (TriadTokenizer *tok)
{
  if (tok == NULL)
    return;
  tok_hf_free (tok->hf);
  g_hash_table_unref (tok->cache);
  g_mutex_clear (&tok->cache_lock);
  g_hash_table_unref (tok->merge_index);
  g_ptr_array_unref (tok->merges);
  g_hash_table_unref (tok->ids);
  g_ptr_array_unref (tok->vocab);
  g_free (tok);
}

gboolean
tokenizer_add_piece (TriadTokenizer  *tok,
                     const char      *source,
                     const char      *piece,
                     GError         **error)
{
  int id = tok->vocab->len;
  int other;
  char *copy;

  if (piece == NULL || !g_utf8_validate (piece, -1, NULL))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                   _("%s: vocabulary entry %d is not a valid UTF-8 string"), source, id);
      return FALSE;
    }
  if (*piece == '\0')
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                   _("%s: vocabulary entry %d is empty"), source, id);
      return FALSE;
    }
  if ((other = tok_lookup_id (tok, piece)) >= 0)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                   _("%s: vocabulary entry %d, “%s”, repeats entry %d"), source, id, piece, other);
      return FALSE;
    }
  copy = g_strdup (piece);
  g_ptr_array_add (tok->vocab, copy);
  g_hash_table_insert (tok->ids, copy, GINT_TO_POINTER (id));
  return TRUE;
}

static gboolean
tokenizer_check_specials (const TriadTokenizer  *tok,
                          const char            *source,
                          GError               **error)
{
  if (tok->vocab->len < TRIAD_N_SPECIAL_TOKENS)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                   _("%s: the vocabulary has %u entries; it must start with the %d special tokens"),
                   source, tok->vocab->len, TRIAD_N_SPECIAL_TOKENS);
      return FALSE;
    }
  for (int i = 0; i < TRIAD_N_SPECIAL_TOKENS; i++)
    if (strcmp (tok->vocab->pdata[i], tok_special_tokens[i]) != 0)
      {
        g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                     _("%s: vocabulary entry %d is “%s”, but the vocabulary must start with "
                       "<pad> <unk> <bos> <eos> <mask> <sep>"),
                     source, i, (const char *) tok->vocab->pdata[i]);
        return FALSE;
      }
  return TRUE;
}

void
tok_push_merge (TriadTokenizer *tok,
                int             left,
                int             right,
                int             result)
{
  TriadMerge *merge = g_new (TriadMerge, 1);

  merge->key = tok_merge_key (left, right);
  merge->left = left;
  merge->right = right;
  merge->result = result;
  merge->rank = tok->merges->len;
  g_ptr_array_add (tok->merges, merge);
  /* A repeated pair is harmless: the earlier one, of lower rank, is the one that applies. */
  if (!g_hash_table_contains (tok->merge_index, &merge->key))
    g_hash_table_insert (tok->merge_index, &merge->key, merge);
}

gboolean
tokenizer_add_merge (TriadTokenizer  *tok,
                     const char      *source,
                     int              index,
                     const char      *left,
                     const char      *right,
                     GError         **error)
{
  const char *parts[2] = { left, right };
  int ids[2];
  g_autofree char *joined = NULL;
  int result;

  for (int i = 0; i < 2; i++)
    {
      if (parts[i] == NULL)
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                       _("%s: merge %d is not a pair of strings"), source, index);
          return FALSE;
        }
      if ((ids[i] = tok_lookup_id (tok, parts[i])) < 0)
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                       _("%s: merge %d uses “%s”, which is not in the vocabulary"),
                       source, index, parts[i]);
          return FALSE;
        }
      /* Specials never come out of plain text, and <unk> must stay one character. */
      if (ids[i] < TRIAD_N_SPECIAL_TOKENS)
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                       _("%s: merge %d uses the special token “%s”"), source, index, parts[i]);
          return FALSE;
        }
    }

  joined = g_strconcat (left, right, NULL);
  if ((result = tok_lookup_id (tok, joined)) < 0)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                   _("%s: merge %d makes “%s”, which is not in the vocabulary"),
                   source, index, joined);
      return FALSE;
    }
  if (result < TRIAD_N_SPECIAL_TOKENS)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                   _("%s: merge %d makes the special token “%s”"), source, index, joined);
      return FALSE;
    }

  tok_push_merge (tok, ids[0], ids[1], result);
  return TRUE;
}

static TriadTokenizer *
tokenizer_build (const char         *source,
                 const char * const *vocab,
                 int                 n_vocab,
                 const char * const *merges,
                 int                 n_merges,
                 GError            **error)
{
  g_autoptr(TriadTokenizer) tok = tokenizer_alloc ();

  for (int i = 0; i < n_vocab; i++)
    if (!tokenizer_add_piece (tok, source, vocab[i], error))
      return NULL;
  if (!tokenizer_check_specials (tok, source, error))
    return NULL;
  for (int i = 0; i < n_merges; i++)
    if (!tokenizer_add_merge (tok, source, i, merges[2 * i], merges[2 * i + 1], error))
      return NULL;
  return g_steal_pointer (&tok);
}

TriadTokenizer *
triad_tokenizer_new (const char * const  *vocab,
                     int                  n_vocab,
                     const char * const  *merges,
                     int                  n_merges,
                     GError             **error)
{
  g_return_val_if_fail (vocab != NULL || n_vocab == 0, NULL);
  g_return_val_if_fail (merges != NULL || n_merges == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return tokenizer_build ("tokenizer", vocab, n_vocab, merges, n_merges, error);
}

static const char *
json_node_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* config and special_map: tokenizer_config.json and special_tokens_map.json beside a Hugging
 * Face tokenizer.json, or NULL. */
static TriadTokenizer *
tokenizer_parse (const char  *source,
                 const char  *data,
                 gssize       length,
                 JsonObject  *config,
                 JsonObject  *special_map,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) json_error = NULL;
  g_autoptr(TriadTokenizer) tok = NULL;
  g_autoptr(GPtrArray) vocab = g_ptr_array_new ();
  g_autoptr(GPtrArray) merges = g_ptr_array_new ();
  JsonNode *root, *node;
  JsonObject *obj;
  JsonArray *array;
  const char *format;

  if (!json_parser_load_from_data (parser, data, length, &json_error))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                   _("%s is not valid JSON: %s"), source, json_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                   _("%s: the top level is not an object"), source);
      return NULL;
    }
  obj = json_node_get_object (root);
  if (tok_hf_is_hf (obj))
    return tok_hf_parse (source, obj, config, special_map, error);

  format = json_node_string (json_object_get_member (obj, "format"));
  if (format == NULL || strcmp (format, "triad-bpe") != 0)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                   _("%s: “format” is not “triad-bpe”; this is not a Triad tokenizer"), source);
      return NULL;
    }
  node = json_object_get_member (obj, "version");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) != 1)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                   _("%s: “version” is missing or not 1"), source);
      return NULL;
    }

  node = json_object_get_member (obj, "vocab");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                   _("%s: “vocab” is missing or not an array"), source);
      return NULL;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *piece = json_node_string (json_array_get_element (array, i));

      if (piece == NULL)
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                       _("%s: vocabulary entry %u is not a string"), source, i);
          return NULL;
        }
      g_ptr_array_add (vocab, (gpointer) piece);
    }

  node = json_object_get_member (obj, "merges");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                   _("%s: “merges” is missing or not an array"), source);
      return NULL;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *pair = json_array_get_element (array, i);
      JsonArray *parts;
      const char *left, *right;

      if (!JSON_NODE_HOLDS_ARRAY (pair)
          || json_array_get_length (parts = json_node_get_array (pair)) != 2
          || (left = json_node_string (json_array_get_element (parts, 0))) == NULL
          || (right = json_node_string (json_array_get_element (parts, 1))) == NULL)
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                       _("%s: merge %u is not a pair of strings"), source, i);
          return NULL;
        }
      g_ptr_array_add (merges, (gpointer) left);
      g_ptr_array_add (merges, (gpointer) right);
    }

  return tokenizer_build (source,
                          (const char * const *) vocab->pdata, vocab->len,
                          (const char * const *) merges->pdata, merges->len / 2,
                          error);
}

TriadTokenizer *
triad_tokenizer_load_from_data (const char  *data,
                                gssize       length,
                                GError     **error)
{
  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return tokenizer_parse ("tokenizer.json", data, length, NULL, NULL, error);
}

/* A JSON object in the file name beside path, or NULL: such files are optional, and one that
 * cannot be read is as good as absent. */
static JsonNode *
read_beside (const char *path,
             const char *name)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *other = g_build_filename (dir, name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!g_file_test (other, G_FILE_TEST_IS_REGULAR)
      || !json_parser_load_from_file (parser, other, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_node_copy (root);
}

TriadTokenizer *
triad_tokenizer_load (const char  *path,
                      GError     **error)
{
  g_autoptr(JsonNode) config = NULL;
  g_autoptr(JsonNode) special_map = NULL;
  g_autoptr(GError) file_error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *shown = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  shown = g_filename_display_name (path);
  if (!g_file_get_contents (path, &data, &length, &file_error))
    {
      if (g_error_matches (file_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_NOT_FOUND,
                     _("There is no tokenizer at %s"), shown);
      else
        g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                     _("Could not read %s: %s"), shown, file_error->message);
      return NULL;
    }
  config = read_beside (path, "tokenizer_config.json");
  special_map = read_beside (path, "special_tokens_map.json");
  return tokenizer_parse (shown, data, length,
                          config != NULL ? json_node_get_object (config) : NULL,
                          special_map != NULL ? json_node_get_object (special_map) : NULL,
                          error);
}

gboolean
triad_tokenizer_save (const TriadTokenizer  *tok,
                      const char            *path,
                      GError               **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (tok != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (tok->hf != NULL)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                   _("Only Triad's own tokenizers can be saved; this one is read from a Hugging "
                     "Face tokenizer.json"));
      return FALSE;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, "triad-bpe");
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "vocab");
  json_builder_begin_array (builder);
  for (guint i = 0; i < tok->vocab->len; i++)
    json_builder_add_string_value (builder, tok->vocab->pdata[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "merges");
  json_builder_begin_array (builder);
  for (guint i = 0; i < tok->merges->len; i++)
    {
      const TriadMerge *merge = tok->merges->pdata[i];

      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, tok->vocab->pdata[merge->left]);
      json_builder_add_string_value (builder, tok->vocab->pdata[merge->right]);
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);
  /* g_file_set_contents writes a temporary file and renames it over path. */
  return g_file_set_contents (path, data, length, error);
}

int
triad_tokenizer_vocab_size (const TriadTokenizer *tok)
{
  g_return_val_if_fail (tok != NULL, 0);

  return tok->vocab->len;
}

const char *
triad_tokenizer_piece (const TriadTokenizer *tok,
                       int                   id)
{
  g_return_val_if_fail (tok != NULL, NULL);

  if (id < 0 || (guint) id >= tok->vocab->len)
    return NULL;
  return tok->vocab->pdata[id];
}

int
triad_tokenizer_lookup (const TriadTokenizer *tok,
                        const char           *piece)
{
  g_return_val_if_fail (tok != NULL, -1);
  g_return_val_if_fail (piece != NULL, -1);

  return tok_lookup_id (tok, piece);
}

TriadEncoding *
triad_tokenizer_post_process (const TriadTokenizer *tok,
                              const TriadEncoding  *enc)
{
  g_return_val_if_fail (tok != NULL, NULL);
  g_return_val_if_fail (enc != NULL, NULL);

  /* Without a post-processor this is a copy. */
  return tok_hf_post_process (tok, enc);
}

int
triad_tokenizer_special_id (const TriadTokenizer *tok,
                            int                   role)
{
  g_return_val_if_fail (tok != NULL, -1);
  g_return_val_if_fail (role >= 0 && role < TRIAD_N_SPECIAL_TOKENS, -1);

  if (tok->hf != NULL)
    return tok_hf_special_id (tok, role);
  return role;
}

gboolean
triad_tokenizer_is_special (const TriadTokenizer *tok,
                            int                   id)
{
  g_return_val_if_fail (tok != NULL, FALSE);

  if (tok->hf != NULL)
    return tok_hf_is_special (tok, id);
  return id >= 0 && id < TRIAD_N_SPECIAL_TOKENS;
}

TriadTokenizerKind
triad_tokenizer_kind (const TriadTokenizer *tok)
{
  g_return_val_if_fail (tok != NULL, TRIAD_TOKENIZER_TRIAD_BPE);

  return tok->kind;
}

const char *
triad_tokenizer_kind_to_string (TriadTokenizerKind kind)
{
  switch (kind)
    {
    case TRIAD_TOKENIZER_TRIAD_BPE:
      return "Triad BPE";
    case TRIAD_TOKENIZER_BYTE_LEVEL_BPE:
      return "byte-level BPE";
    case TRIAD_TOKENIZER_BPE:
      return "BPE";
    case TRIAD_TOKENIZER_WORDPIECE:
      return "WordPiece";
    case TRIAD_TOKENIZER_UNIGRAM:
      return "Unigram";
    default:
      return "?";
    }
}
