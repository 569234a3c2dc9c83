/* tokenizer.c — byte-pair encoding over Unicode characters: tokenizer.json, the word
 * splitter, encoding with character offsets, decoding, and the trainer. */
#include "config.h"

#include <string.h>
#include "engine/i18n.h"
#include <json-glib/json-glib.h>

#include "engine/error.h"
#include "engine/tokenizer.h"

#define SPACE_MARK      "\xe2\x96\x81"  /* U+2581 */
#define SPACE_MARK_LEN  3

/* Long words are rare (a URL, a text without spaces) and would only bloat the cache. */
#define CACHE_MAX_WORD_BYTES  64
#define CACHE_MAX_ENTRIES     65536

static const char * const special_tokens[TRIAD_N_SPECIAL_TOKENS] = {
  "<pad>", "<unk>", "<bos>", "<eos>", "<mask>", "<sep>",
};

typedef struct {
  gint64 key;     /* left id in the high half, right id in the low half */
  int    left;
  int    right;
  int    result;
  int    rank;
} TriadMerge;

/* One token of a merged word: its id and how many of the word's characters it took. */
typedef struct {
  int id;
  int n_chars;
} TokenSpan;

typedef struct {
  int       n;
  TokenSpan spans[];
} CachedWord;

struct _TriadTokenizer {
  GPtrArray  *vocab;        /* char *, indexed by id */
  GHashTable *ids;          /* piece (owned by vocab) → id */
  GPtrArray  *merges;       /* TriadMerge *, in rank order */
  GHashTable *merge_index;  /* &merge->key → the first merge of that pair */

  /* Encoding goes through a const tokenizer, possibly from several threads at once. */
  GMutex      cache_lock;
  GHashTable *cache;        /* word with its "▁" → CachedWord */
};

static gint64
merge_key (int left,
           int right)
{
  return (gint64) (((guint64) (guint32) left << 32) | (guint32) right);
}

/* g_int64_hash folds the halves together with XOR, and so makes pairs (a, b) and (b, a), and
 * many others, collide; a multiplicative hash keeps the pair tables fast. */
static guint
merge_key_hash (gconstpointer key)
{
  guint64 h = (guint64) *(const gint64 *) key * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);

  return (guint) (h >> 32);
}

static int
lookup_id (const TriadTokenizer *tok,
           const char           *piece)
{
  gpointer value;

  if (!g_hash_table_lookup_extended (tok->ids, piece, NULL, &value))
    return -1;
  return GPOINTER_TO_INT (value);
}

/* A binary heap in a GArray; `compare` puts the element to pop first lowest. */
typedef int (*HeapCompare) (gconstpointer a,
                            gconstpointer b,
                            gpointer      data);

static void
heap_swap (GArray *heap,
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

static void
heap_push (GArray        *heap,
           gconstpointer  item,
           HeapCompare    compare,
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
      heap_swap (heap, i, parent);
      i = parent;
    }
}

static gboolean
heap_pop (GArray      *heap,
          gpointer     out,
          HeapCompare  compare,
          gpointer     data)
{
  guint size = g_array_get_element_size (heap);
  guint i = 0;

  if (heap->len == 0)
    return FALSE;
  memcpy (out, heap->data, size);
  heap_swap (heap, 0, heap->len - 1);
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
      heap_swap (heap, i, best);
      i = best;
    }
  return TRUE;
}

/* ─── Building and checking ─── */

static TriadTokenizer *
tokenizer_alloc (void)
{
  TriadTokenizer *tok = g_new0 (TriadTokenizer, 1);

  tok->vocab = g_ptr_array_new_with_free_func (g_free);
  tok->ids = g_hash_table_new (g_str_hash, g_str_equal);
  tok->merges = g_ptr_array_new_with_free_func (g_free);
  tok->merge_index = g_hash_table_new (merge_key_hash, g_int64_equal);
  g_mutex_init (&tok->cache_lock);
  tok->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return tok;
}

void
triad_tokenizer_free (TriadTokenizer *tok)
{
  if (tok == NULL)
    return;
  g_hash_table_unref (tok->cache);
  g_mutex_clear (&tok->cache_lock);
  g_hash_table_unref (tok->merge_index);
  g_ptr_array_unref (tok->merges);
  g_hash_table_unref (tok->ids);
  g_ptr_array_unref (tok->vocab);
  g_free (tok);
}

static gboolean
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
  if ((other = lookup_id (tok, piece)) >= 0)
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
    if (strcmp (tok->vocab->pdata[i], special_tokens[i]) != 0)
      {
        g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                     _("%s: vocabulary entry %d is “%s”, but the vocabulary must start with "
                       "<pad> <unk> <bos> <eos> <mask> <sep>"),
                     source, i, (const char *) tok->vocab->pdata[i]);
        return FALSE;
      }
  return TRUE;
}

static gboolean
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
  TriadMerge *merge;

  for (int i = 0; i < 2; i++)
    {
      if (parts[i] == NULL)
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                       _("%s: merge %d is not a pair of strings"), source, index);
          return FALSE;
        }
      if ((ids[i] = lookup_id (tok, parts[i])) < 0)
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
  if ((result = lookup_id (tok, joined)) < 0)
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

  merge = g_new (TriadMerge, 1);
  merge->key = merge_key (ids[0], ids[1]);
  merge->left = ids[0];
  merge->right = ids[1];
  merge->result = result;
  merge->rank = tok->merges->len;
  g_ptr_array_add (tok->merges, merge);
  /* A repeated pair is harmless: the earlier one, of lower rank, is the one that applies. */
  if (!g_hash_table_contains (tok->merge_index, &merge->key))
    g_hash_table_insert (tok->merge_index, &merge->key, merge);
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

static TriadTokenizer *
tokenizer_parse (const char  *source,
                 const char  *data,
                 gssize       length,
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

  return tokenizer_parse ("tokenizer.json", data, length, error);
}

TriadTokenizer *
triad_tokenizer_load (const char  *path,
                      GError     **error)
{
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
  return tokenizer_parse (shown, data, length, error);
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

  return lookup_id (tok, piece);
}

/* ─── Splitting text into words ─── */

enum {
  NO_SPACE = -2,
  IMPLICIT_SPACE = -1,
};

typedef struct {
  const char *p;
  const char *end;
  int         pos;            /* character offset of p */
  int         pending;        /* the space waiting for a word: NO_SPACE, IMPLICIT_SPACE or its offset */
  gboolean    parse_special;
} Splitter;

typedef struct {
  int         special;        /* a special token's id, or -1 */
  const char *word;           /* the word's characters, without "▁" (or the special's text) */
  gsize       word_len;       /* bytes; 0 for a space with no word after it */
  gboolean    space;          /* the word starts with "▁" */
  gboolean    implicit;       /* that "▁" is the one read before the text, and covers nothing */
  int         start;          /* character offset of word[0] */
  int         n_chars;
} Unit;

static void
splitter_init (Splitter   *s,
               const char *text,
               gsize       size,
               gboolean    parse_special)
{
  s->p = text;
  s->end = text + size;
  s->pos = 0;
  s->pending = IMPLICIT_SPACE;
  s->parse_special = parse_special;
}

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

static int
match_special (const char *p,
               const char *end)
{
  if (*p != '<')
    return -1;
  for (int i = 0; i < TRIAD_N_SPECIAL_TOKENS; i++)
    {
      gsize len = strlen (special_tokens[i]);

      if ((gsize) (end - p) >= len && memcmp (p, special_tokens[i], len) == 0)
        return i;
    }
  return -1;
}

static void
splitter_lone_space (Splitter *s,
                     Unit     *u)
{
  u->special = -1;
  u->word = s->p;
  u->word_len = 0;
  u->space = TRUE;
  u->implicit = s->pending == IMPLICIT_SPACE;
  u->start = u->implicit ? 0 : s->pending + 1;
  u->n_chars = 0;
  s->pending = NO_SPACE;
}

static gboolean
splitter_next (Splitter *s,
               Unit     *u)
{
  while (s->p < s->end)
    {
      int special = s->parse_special ? match_special (s->p, s->end) : -1;
      gunichar c;

      if (special >= 0)
        {
          gsize len = strlen (special_tokens[special]);

          /* <unk> stands in place for one character, so the space before it stays a "▁";
           * before the other specials a space only separates, and is dropped. */
          if (special == TRIAD_TOKEN_UNK && s->pending != NO_SPACE)
            {
              splitter_lone_space (s, u);
              return TRUE;
            }
          s->pending = NO_SPACE;
          u->special = special;
          u->word = s->p;
          u->word_len = len;
          u->space = u->implicit = FALSE;
          u->start = s->pos;
          u->n_chars = len;  /* ASCII */
          s->p += len;
          s->pos += len;
          return TRUE;
        }

      c = g_utf8_get_char (s->p);
      if (c == ' ')
        {
          if (s->pending != NO_SPACE)
            {
              splitter_lone_space (s, u);
              return TRUE;
            }
          s->pending = s->pos;
          s->p++;
          s->pos++;
          continue;
        }

      u->special = -1;
      u->word = s->p;
      u->space = s->pending != NO_SPACE;
      u->implicit = s->pending == IMPLICIT_SPACE;
      u->start = s->pos;
      s->pending = NO_SPACE;
      s->p = g_utf8_next_char (s->p);
      s->pos++;
      if (is_word_char (c))
        while (s->p < s->end && is_word_char (g_utf8_get_char (s->p)))
          {
            s->p = g_utf8_next_char (s->p);
            s->pos++;
          }
      u->word_len = s->p - u->word;
      u->n_chars = s->pos - u->start;
      return TRUE;
    }

  /* A trailing space is a lone "▁". The implicit space still pending here means the text was
   * empty, and an empty text has no tokens. */
  if (s->pending >= 0)
    {
      splitter_lone_space (s, u);
      return TRUE;
    }
  return FALSE;
}

/* ─── Merging a word ─── */

typedef struct {
  int id;       /* -1 once merged into the symbol on its left */
  int n_chars;
  int prev;
  int next;
} Symbol;

typedef struct {
  int rank;
  int left;
  int right;
  int left_id;
  int right_id;
  int result;
} Candidate;

typedef struct {
  GArray *symbols;
  GArray *heap;
  GArray *spans;
} Scratch;

static void
scratch_init (Scratch *scratch)
{
  scratch->symbols = g_array_new (FALSE, FALSE, sizeof (Symbol));
  scratch->heap = g_array_new (FALSE, FALSE, sizeof (Candidate));
  scratch->spans = g_array_new (FALSE, FALSE, sizeof (TokenSpan));
}

static void
scratch_clear (Scratch *scratch)
{
  g_array_unref (scratch->symbols);
  g_array_unref (scratch->heap);
  g_array_unref (scratch->spans);
}

/* Lowest rank first; among equal ranks (the same pair) the leftmost. */
static int
candidate_compare (gconstpointer a,
                   gconstpointer b,
                   gpointer      data)
{
  const Candidate *x = a, *y = b;

  if (x->rank != y->rank)
    return x->rank < y->rank ? -1 : 1;
  return (x->left > y->left) - (x->left < y->left);
}

static void
push_candidate (const TriadTokenizer *tok,
                GArray               *symbols,
                GArray               *heap,
                int                   left,
                int                   right)
{
  const Symbol *l = &g_array_index (symbols, Symbol, left);
  const Symbol *r = &g_array_index (symbols, Symbol, right);
  gint64 key = merge_key (l->id, r->id);
  const TriadMerge *merge = g_hash_table_lookup (tok->merge_index, &key);
  Candidate c;

  if (merge == NULL)
    return;
  c.rank = merge->rank;
  c.left = left;
  c.right = right;
  c.left_id = l->id;
  c.right_id = r->id;
  c.result = merge->result;
  heap_push (heap, &c, candidate_compare, NULL);
}

/* Merges one word (its "▁" included) and appends its tokens to scratch->spans. A heap keeps
 * this O(n log n), since a text without spaces can be a single word of a megabyte. */
static void
bpe_word (const TriadTokenizer *tok,
          const char           *word,
          gsize                 len,
          Scratch              *scratch)
{
  GArray *symbols = scratch->symbols;
  GArray *heap = scratch->heap;
  Candidate c;

  g_array_set_size (symbols, 0);
  g_array_set_size (heap, 0);
  for (const char *p = word; p < word + len; p = g_utf8_next_char (p))
    {
      char buf[8];
      gsize n = g_utf8_next_char (p) - p;
      Symbol sym;

      memcpy (buf, p, n);
      buf[n] = '\0';
      sym.id = lookup_id (tok, buf);
      /* A character whose piece is a special cannot exist: specials are longer than one. */
      if (sym.id < 0)
        sym.id = TRIAD_TOKEN_UNK;
      sym.n_chars = 1;
      sym.prev = (int) symbols->len - 1;
      sym.next = (int) symbols->len + 1;
      g_array_append_val (symbols, sym);
    }
  if (symbols->len == 0)
    return;
  g_array_index (symbols, Symbol, symbols->len - 1).next = -1;

  for (guint i = 0; i + 1 < symbols->len; i++)
    push_candidate (tok, symbols, heap, i, i + 1);

  while (heap_pop (heap, &c, candidate_compare, NULL))
    {
      Symbol *l = &g_array_index (symbols, Symbol, c.left);
      Symbol *r = &g_array_index (symbols, Symbol, c.right);

      /* Stale: one side has merged with something else since. */
      if (l->id != c.left_id || l->next != c.right || r->id != c.right_id)
        continue;
      l->id = c.result;
      l->n_chars += r->n_chars;
      l->next = r->next;
      if (r->next >= 0)
        g_array_index (symbols, Symbol, r->next).prev = c.left;
      r->id = -1;
      if (l->prev >= 0)
        push_candidate (tok, symbols, heap, l->prev, c.left);
      if (l->next >= 0)
        push_candidate (tok, symbols, heap, c.left, l->next);
    }

  /* The first symbol only ever grows, so the chain starts there. */
  for (int i = 0; i >= 0; i = g_array_index (symbols, Symbol, i).next)
    {
      const Symbol *sym = &g_array_index (symbols, Symbol, i);
      TokenSpan span = { sym->id, sym->n_chars };

      g_array_append_val (scratch->spans, span);
    }
}

/* The tokens of a word (with its "▁"), from the cache when it has them. */
static void
word_spans (const TriadTokenizer *tok,
            const GString        *word,
            Scratch              *scratch)
{
  GMutex *lock = (GMutex *) &tok->cache_lock;
  const CachedWord *cached;
  CachedWord *entry;
  gboolean cacheable = word->len <= CACHE_MAX_WORD_BYTES;

  g_array_set_size (scratch->spans, 0);
  if (cacheable)
    {
      g_mutex_lock (lock);
      cached = g_hash_table_lookup (tok->cache, word->str);
      if (cached != NULL)
        g_array_append_vals (scratch->spans, cached->spans, cached->n);
      g_mutex_unlock (lock);
      if (cached != NULL)
        return;
    }

  bpe_word (tok, word->str, word->len, scratch);
  if (!cacheable)
    return;

  entry = g_malloc (sizeof (CachedWord) + scratch->spans->len * sizeof (TokenSpan));
  entry->n = scratch->spans->len;
  memcpy (entry->spans, scratch->spans->data, scratch->spans->len * sizeof (TokenSpan));
  g_mutex_lock (lock);
  if (g_hash_table_size (tok->cache) >= CACHE_MAX_ENTRIES)
    g_hash_table_remove_all (tok->cache);
  g_hash_table_replace (tok->cache, g_strndup (word->str, word->len), entry);
  g_mutex_unlock (lock);
}

static void
unit_key (const Unit *u,
          GString    *key)
{
  g_string_truncate (key, 0);
  if (u->space)
    g_string_append_len (key, SPACE_MARK, SPACE_MARK_LEN);
  g_string_append_len (key, u->word, u->word_len);
}

/* ─── Encoding and decoding ─── */

static gboolean
check_text (const char  *text,
            gssize       length,
            gsize       *size,
            GError     **error)
{
  gsize n = length < 0 ? strlen (text) : (gsize) length;
  const char *bad = NULL;

  if (n > 0 && !g_utf8_validate_len (text, n, &bad))
    {
      gsize offset = bad - text;

      if (offset < n && *bad == '\0')
        g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_TEXT,
                     _("Text contains a NUL byte at byte %lu"), (unsigned long) offset);
      else
        g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_TEXT,
                     _("Text is not valid UTF-8 at byte %lu"), (unsigned long) offset);
      return FALSE;
    }
  /* Offsets are ints. */
  if (n > G_MAXINT)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOO_LONG,
                   _("Text is too long to tokenize (%lu bytes)"), (unsigned long) n);
      return FALSE;
    }
  *size = n;
  return TRUE;
}

TriadEncoding *
triad_tokenizer_encode (const TriadTokenizer  *tok,
                        const char            *text,
                        gssize                 length,
                        gboolean               parse_special,
                        GError               **error)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) starts = NULL;
  g_autoptr(GArray) ends = NULL;
  g_autoptr(GString) key = NULL;
  GPtrArray *pieces;
  TriadEncoding *enc;
  Scratch scratch;
  Splitter splitter;
  Unit u;
  gsize size;

  g_return_val_if_fail (tok != NULL, NULL);
  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (length >= -1, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (text == NULL)
    text = "";
  if (!check_text (text, length, &size, error))
    return NULL;

  ids = g_array_new (FALSE, FALSE, sizeof (int));
  starts = g_array_new (FALSE, FALSE, sizeof (int));
  ends = g_array_new (FALSE, FALSE, sizeof (int));
  pieces = g_ptr_array_new ();
  key = g_string_new (NULL);
  scratch_init (&scratch);

  splitter_init (&splitter, text, size, parse_special);
  while (splitter_next (&splitter, &u))
    {
      /* Characters of the word counted from its "▁", which is character 0 when there is one. */
      int lead = u.space ? 1 : 0;
      int k = 0;

      if (u.special >= 0)
        {
          int end = u.start + u.n_chars;

          g_array_append_val (ids, u.special);
          g_array_append_val (starts, u.start);
          g_array_append_val (ends, end);
          g_ptr_array_add (pieces, g_strdup (special_tokens[u.special]));
          continue;
        }

      unit_key (&u, key);
      word_spans (tok, key, &scratch);
      for (guint i = 0; i < scratch.spans->len; i++)
        {
          const TokenSpan *span = &g_array_index (scratch.spans, TokenSpan, i);
          int start, end;

          /* A leading "▁" covers the space before the word, or nothing for the implicit one. */
          if (u.space && k == 0)
            start = u.implicit ? u.start : u.start - 1;
          else
            start = u.start + k - lead;
          k += span->n_chars;
          end = u.start + k - lead;

          g_array_append_val (ids, span->id);
          g_array_append_val (starts, start);
          g_array_append_val (ends, end);
          g_ptr_array_add (pieces, g_strdup (tok->vocab->pdata[span->id]));
        }
    }
  scratch_clear (&scratch);

  enc = g_new0 (TriadEncoding, 1);
  enc->n = ids->len;
  g_ptr_array_add (pieces, NULL);
  enc->pieces = (char **) g_ptr_array_free (pieces, FALSE);
  enc->ids = g_array_steal (ids, NULL);
  enc->start = g_array_steal (starts, NULL);
  enc->end = g_array_steal (ends, NULL);
  return enc;
}

void
triad_encoding_free (TriadEncoding *enc)
{
  if (enc == NULL)
    return;
  g_free (enc->ids);
  g_strfreev (enc->pieces);
  g_free (enc->start);
  g_free (enc->end);
  g_free (enc);
}

char *
triad_tokenizer_decode (const TriadTokenizer *tok,
                        const int            *ids,
                        int                   n)
{
  GString *s;

  g_return_val_if_fail (tok != NULL, NULL);
  g_return_val_if_fail (ids != NULL || n <= 0, NULL);

  s = g_string_new (NULL);
  for (int i = 0; i < n; i++)
    {
      int id = ids[i];
      const char *p;

      if (id < 0 || (guint) id >= tok->vocab->len)
        id = TRIAD_TOKEN_UNK;

      /* <unk> stands in place for a character, so it takes no space of its own. */
      if (id == TRIAD_TOKEN_UNK)
        {
          g_string_append (s, special_tokens[TRIAD_TOKEN_UNK]);
          continue;
        }
      /* Encoding drops the space before a special, so decoding gives it back. */
      if (id < TRIAD_N_SPECIAL_TOKENS)
        {
          if (s->len > 0)
            g_string_append_c (s, ' ');
          g_string_append (s, special_tokens[id]);
          continue;
        }

      for (p = tok->vocab->pdata[id]; *p != '\0';)
        {
          const char *mark = strstr (p, SPACE_MARK);

          if (mark == NULL)
            {
              g_string_append (s, p);
              break;
            }
          g_string_append_len (s, p, mark - p);
          g_string_append_c (s, ' ');
          p = mark + SPACE_MARK_LEN;
        }
    }

  /* The space read before the text. */
  if (s->len > 0 && s->str[0] == ' ')
    g_string_erase (s, 0, 1);
  return g_string_free (s, FALSE);
}

char *
triad_tokenizer_display (const TriadTokenizer *tok,
                         int                   id)
{
  const char *piece;

  g_return_val_if_fail (tok != NULL, NULL);

  piece = triad_tokenizer_piece (tok, id);
  if (piece == NULL)
    return g_strdup (special_tokens[TRIAD_TOKEN_UNK]);
  /* A lone "▁" would display as nothing at all. */
  if (id >= TRIAD_N_SPECIAL_TOKENS && g_str_has_prefix (piece, SPACE_MARK)
      && piece[SPACE_MARK_LEN] != '\0')
    return g_strdup (piece + SPACE_MARK_LEN);
  return g_strdup (piece);
}

char **
triad_tokenizer_display_ids (const TriadTokenizer *tok,
                             const int            *ids,
                             int                   n)
{
  char **labels;

  g_return_val_if_fail (tok != NULL && n >= 0 && (ids != NULL || n == 0), NULL);

  labels = g_new0 (char *, (size_t) n + 1);
  for (int i = 0; i < n; i++)
    labels[i] = triad_tokenizer_display (tok, ids[i]);
  return labels;
}

/* ─── Training ─── */

typedef struct {
  char   *text;     /* with its "▁" */
  GArray *symbols;  /* int ids */
  gint64  count;
  guint   visit;
} TrainWord;

typedef struct {
  gint64  key;
  int     left;
  int     right;
  gint64  count;
  GArray *words;    /* indices of words that held the pair; may repeat, or no longer hold it */
  guint   touched;
} PairStat;

typedef struct {
  gint64 count;
  int    left;
  int    right;
} PairCandidate;

typedef struct {
  TriadTokenizer *tok;
  TrainWord      *words;
  guint           n_words;
  GHashTable     *pairs;    /* &stat->key → PairStat */
  GArray         *heap;     /* PairCandidate */
  GPtrArray      *touched;  /* PairStat whose count changed in this round */
  guint           stamp;
} Trainer;

static void
pair_stat_free (gpointer data)
{
  PairStat *stat = data;

  g_array_unref (stat->words);
  g_free (stat);
}

/* Most frequent first; ties go to the pair whose strings sort first, for determinism. */
static int
pair_candidate_compare (gconstpointer a,
                        gconstpointer b,
                        gpointer      data)
{
  const PairCandidate *x = a, *y = b;
  GPtrArray *vocab = data;
  int c;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  if ((c = strcmp (vocab->pdata[x->left], vocab->pdata[y->left])) != 0)
    return c;
  return strcmp (vocab->pdata[x->right], vocab->pdata[y->right]);
}

static PairStat *
trainer_pair (Trainer *t,
              int      left,
              int      right)
{
  gint64 key = merge_key (left, right);
  PairStat *stat = g_hash_table_lookup (t->pairs, &key);

  if (stat == NULL)
    {
      stat = g_new0 (PairStat, 1);
      stat->key = key;
      stat->left = left;
      stat->right = right;
      stat->words = g_array_new (FALSE, FALSE, sizeof (int));
      g_hash_table_insert (t->pairs, &stat->key, stat);
    }
  return stat;
}

static void
trainer_count_word (Trainer *t,
                    guint    w,
                    int      sign)
{
  TrainWord *word = &t->words[w];
  const int *s = (const int *) word->symbols->data;

  for (guint i = 0; i + 1 < word->symbols->len; i++)
    {
      PairStat *stat = trainer_pair (t, s[i], s[i + 1]);

      stat->count += sign * word->count;
      if (sign > 0)
        g_array_append_val (stat->words, w);
      if (stat->touched != t->stamp)
        {
          stat->touched = t->stamp;
          g_ptr_array_add (t->touched, stat);
        }
    }
}

static void
trainer_push_touched (Trainer *t)
{
  for (guint i = 0; i < t->touched->len; i++)
    {
      const PairStat *stat = t->touched->pdata[i];
      PairCandidate c = { stat->count, stat->left, stat->right };

      if (c.count > 0)
        heap_push (t->heap, &c, pair_candidate_compare, t->tok->vocab);
    }
  g_ptr_array_set_size (t->touched, 0);
}

static void
trainer_apply (Trainer  *t,
               PairStat *stat,
               int       result)
{
  g_autoptr(GArray) words = stat->words;
  int left = stat->left, right = stat->right;

  /* The merged pair can never form again in these words: result is longer than either side. */
  stat->words = g_array_new (FALSE, FALSE, sizeof (int));
  t->stamp++;
  for (guint k = 0; k < words->len; k++)
    {
      guint w = g_array_index (words, int, k);
      TrainWord *word = &t->words[w];
      int *s = (int *) word->symbols->data;
      guint len = word->symbols->len, j = 0;
      gboolean found = FALSE;

      if (word->visit == t->stamp)
        continue;
      word->visit = t->stamp;
      for (guint i = 0; i + 1 < len && !found; i++)
        found = s[i] == left && s[i + 1] == right;
      if (!found)
        continue;

      trainer_count_word (t, w, -1);
      for (guint i = 0; i < len; i++)
        {
          if (i + 1 < len && s[i] == left && s[i + 1] == right)
            {
              s[j++] = result;
              i++;
            }
          else
            s[j++] = s[i];
        }
      g_array_set_size (word->symbols, j);
      trainer_count_word (t, w, +1);
    }
  trainer_push_touched (t);
}

static gboolean
train_add_joined (TriadTokenizer  *tok,
                  int              left,
                  int              right,
                  int             *result,
                  GError         **error)
{
  g_autofree char *joined = g_strconcat (tok->vocab->pdata[left], tok->vocab->pdata[right], NULL);
  gint64 key = merge_key (left, right);

  if ((*result = lookup_id (tok, joined)) < 0)
    {
      *result = tok->vocab->len;
      if (!tokenizer_add_piece (tok, "tokenizer", joined, error))
        return FALSE;
    }
  if (g_hash_table_contains (tok->merge_index, &key))
    return TRUE;
  return tokenizer_add_merge (tok, "tokenizer", tok->merges->len,
                              tok->vocab->pdata[left], tok->vocab->pdata[right], error);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The table's string keys (still owned by it), sorted by strcmp. */
static GPtrArray *
sorted_keys (GHashTable *table)
{
  GPtrArray *keys = g_ptr_array_sized_new (g_hash_table_size (table));
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_strings);
  return keys;
}

static void
collect_characters (GHashTable *alphabet,
                    const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      char *c = g_strndup (p, g_utf8_next_char (p) - p);

      if (g_hash_table_contains (alphabet, c))
        g_free (c);
      else
        g_hash_table_add (alphabet, c);
    }
}

/* Whether the encoder keeps `word` as one word (and not, say, a word and punctuation). */
static gboolean
is_single_word (const char *word)
{
  Splitter s;
  Unit u;
  gsize len = strlen (word);

  splitter_init (&s, word, len, FALSE);
  return splitter_next (&s, &u) && u.word_len == len && u.space && !splitter_next (&s, &u);
}

TriadTokenizer *
triad_tokenizer_train (const char * const  *texts,
                       int                  n_texts,
                       int                  vocab_size,
                       const char * const  *required_words,
                       int                  n_required,
                       GError             **error)
{
  g_autoptr(TriadTokenizer) tok = NULL;
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) alphabet = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) sorted = NULL;
  g_autoptr(GString) key = g_string_new (NULL);
  Trainer t = { 0 };
  Scratch scratch;
  gboolean failed = FALSE;

  g_return_val_if_fail (texts != NULL || n_texts == 0, NULL);
  g_return_val_if_fail (required_words != NULL || n_required == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Count the words as the encoder splits them. */
  for (int i = 0; i < n_texts; i++)
    {
      Splitter s;
      Unit u;
      gsize size;

      g_return_val_if_fail (texts[i] != NULL, NULL);
      if (!check_text (texts[i], -1, &size, error))
        {
          g_prefix_error (error, _("Training text %d: "), i);
          return NULL;
        }
      splitter_init (&s, texts[i], size, FALSE);
      while (splitter_next (&s, &u))
        {
          gint64 *count;

          unit_key (&u, key);
          if ((count = g_hash_table_lookup (counts, key->str)) == NULL)
            {
              count = g_new0 (gint64, 1);
              g_hash_table_insert (counts, g_strdup (key->str), count);
              collect_characters (alphabet, key->str);
            }
          (*count)++;
        }
    }

  for (int i = 0; i < n_required; i++)
    {
      const char *word = required_words[i];

      if (word == NULL || !g_utf8_validate (word, -1, NULL))
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_TEXT,
                       _("Required word %d is not valid UTF-8"), i);
          return NULL;
        }
      if (!is_single_word (word))
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                       _("“%s” cannot be a single token: the tokenizer splits it into several words"),
                       word);
          return NULL;
        }
      collect_characters (alphabet, SPACE_MARK);
      collect_characters (alphabet, word);
    }

  /* Specials, then every character in code point order (UTF-8 sorts that way). */
  tok = tokenizer_alloc ();
  for (int i = 0; i < TRIAD_N_SPECIAL_TOKENS; i++)
    if (!tokenizer_add_piece (tok, "tokenizer", special_tokens[i], error))
      return NULL;
  sorted = sorted_keys (alphabet);
  for (guint i = 0; i < sorted->len; i++)
    if (!tokenizer_add_piece (tok, "tokenizer", sorted->pdata[i], error))
      return NULL;

  /* Words in a fixed order, so that the pair lists, and so the result, never depend on
   * the hash table's layout. */
  g_clear_pointer (&sorted, g_ptr_array_unref);
  sorted = sorted_keys (counts);
  t.tok = tok;
  t.n_words = sorted->len;
  t.words = g_new0 (TrainWord, t.n_words);
  t.pairs = g_hash_table_new_full (merge_key_hash, g_int64_equal, NULL, pair_stat_free);
  t.heap = g_array_new (FALSE, FALSE, sizeof (PairCandidate));
  t.touched = g_ptr_array_new ();
  t.stamp = 1;
  for (guint w = 0; w < t.n_words; w++)
    {
      TrainWord *word = &t.words[w];

      word->text = sorted->pdata[w];
      word->count = *(gint64 *) g_hash_table_lookup (counts, word->text);
      word->symbols = g_array_new (FALSE, FALSE, sizeof (int));
      for (const char *p = word->text; *p != '\0'; p = g_utf8_next_char (p))
        {
          g_autofree char *c = g_strndup (p, g_utf8_next_char (p) - p);
          int id = lookup_id (tok, c);

          g_array_append_val (word->symbols, id);
        }
      trainer_count_word (&t, w, +1);
    }
  trainer_push_touched (&t);

  while ((int) tok->vocab->len < vocab_size)
    {
      PairCandidate best;
      PairStat *stat = NULL;
      int result;

      while (heap_pop (t.heap, &best, pair_candidate_compare, tok->vocab))
        {
          gint64 pair = merge_key (best.left, best.right);

          stat = g_hash_table_lookup (t.pairs, &pair);
          if (stat->count == best.count)
            break;
          stat = NULL;
        }
      if (stat == NULL)
        break;
      if (!train_add_joined (tok, stat->left, stat->right, &result, error))
        {
          failed = TRUE;
          break;
        }
      trainer_apply (&t, stat, result);
    }

  for (guint w = 0; w < t.n_words; w++)
    g_array_unref (t.words[w].symbols);
  g_free (t.words);
  g_hash_table_unref (t.pairs);
  g_array_unref (t.heap);
  g_ptr_array_unref (t.touched);
  if (failed)
    return NULL;

  /* Each required word becomes one token by joining what is left of it from the left. The
   * new merges rank after all the others, so a word made one token earlier stays one. */
  scratch_init (&scratch);
  for (int i = 0; i < n_required; i++)
    {
      g_string_assign (key, SPACE_MARK);
      g_string_append (key, required_words[i]);
      for (;;)
        {
          guint before = tok->merges->len;
          int left;

          g_array_set_size (scratch.spans, 0);
          bpe_word (tok, key->str, key->len, &scratch);
          if (scratch.spans->len == 1)
            break;

          left = g_array_index (scratch.spans, TokenSpan, 0).id;
          for (guint j = 1; j < scratch.spans->len; j++)
            {
              int right = g_array_index (scratch.spans, TokenSpan, j).id;

              if (!train_add_joined (tok, left, right, &left, error))
                {
                  scratch_clear (&scratch);
                  return NULL;
                }
            }
          /* Cannot happen (the joins always apply), but never loop forever. */
          if (tok->merges->len == before)
            {
              g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                           _("Could not make “%s” a single token"), required_words[i]);
              scratch_clear (&scratch);
              return NULL;
            }
        }
    }
  scratch_clear (&scratch);

  return g_steal_pointer (&tok);
}
