/* tokenizer-encode.c — the word splitter, merging a word, encoding with character offsets,
 * and decoding. */
#include "config.h"

#include <string.h>
#include "engine/i18n.h"

#include "engine/error.h"
#include "engine/tokenizer.h"
#include "engine/tokenizer-private.h"

void
tok_splitter_init (Splitter   *s,
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
      gsize len = strlen (tok_special_tokens[i]);

      if ((gsize) (end - p) >= len && memcmp (p, tok_special_tokens[i], len) == 0)
        return i;
    }
  return -1;
}

static void
tok_splitter_lone_space (Splitter *s,
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

gboolean
tok_splitter_next (Splitter *s,
                   Unit     *u)
{
  while (s->p < s->end)
    {
      int special = s->parse_special ? match_special (s->p, s->end) : -1;
      gunichar c;

      if (special >= 0)
        {
          gsize len = strlen (tok_special_tokens[special]);

          /* <unk> stands in place for one character, so the space before it stays a "▁";
           * before the other specials a space only separates, and is dropped. */
          if (special == TRIAD_TOKEN_UNK && s->pending != NO_SPACE)
            {
              tok_splitter_lone_space (s, u);
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
              tok_splitter_lone_space (s, u);
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
      tok_splitter_lone_space (s, u);
      return TRUE;
    }
  return FALSE;
}

void
tok_scratch_init (Scratch *scratch)
{
  scratch->symbols = g_array_new (FALSE, FALSE, sizeof (Symbol));
  scratch->heap = g_array_new (FALSE, FALSE, sizeof (Candidate));
  scratch->spans = g_array_new (FALSE, FALSE, sizeof (TokenSpan));
}

void
tok_scratch_clear (Scratch *scratch)
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
  gint64 key = tok_merge_key (l->id, r->id);
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
  tok_heap_push (heap, &c, candidate_compare, NULL);
}

/* Merges one word (its "▁" included) and appends its tokens to scratch->spans. A heap keeps
 * this O(n log n), since a text without spaces can be a single word of a megabyte. */
void
tok_bpe_word (const TriadTokenizer *tok,
              const char           *word,
              gsize                 len,
              Scratch              *scratch)
{
  GArray *symbols = scratch->symbols;
  GArray *heap = scratch->heap;
  Candidate c;

  g_array_set_size (symbols, 0);
  g_array_set_size (heap, 0);
  /* A Hugging Face BPE starts its words its own way: prefixes, a suffix, byte fallback. */
  if (tok->hf != NULL)
    tok_hf_bpe_symbols (tok, word, len, symbols);
  else
    for (const char *p = word; p < word + len; p = g_utf8_next_char (p))
      {
        char buf[8];
        gsize n = g_utf8_next_char (p) - p;
        Symbol sym;

        memcpy (buf, p, n);
        buf[n] = '\0';
        sym.id = tok_lookup_id (tok, buf);
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

  while (tok_heap_pop (heap, &c, candidate_compare, NULL))
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
void
tok_word_spans (const TriadTokenizer *tok,
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

  tok_bpe_word (tok, word->str, word->len, scratch);
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

void
tok_unit_key (const Unit *u,
              GString    *key)
{
  g_string_truncate (key, 0);
  if (u->space)
    g_string_append_len (key, SPACE_MARK, SPACE_MARK_LEN);
  g_string_append_len (key, u->word, u->word_len);
}

/* ─── Encoding and decoding ─── */

gboolean
tok_check_text (const char  *text,
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
  if (!tok_check_text (text, length, &size, error))
    return NULL;
  if (tok->hf != NULL)
    return tok_hf_encode (tok, text, size, parse_special);

  ids = g_array_new (FALSE, FALSE, sizeof (int));
  starts = g_array_new (FALSE, FALSE, sizeof (int));
  ends = g_array_new (FALSE, FALSE, sizeof (int));
  pieces = g_ptr_array_new ();
  key = g_string_new (NULL);
  tok_scratch_init (&scratch);

  tok_splitter_init (&splitter, text, size, parse_special);
  while (tok_splitter_next (&splitter, &u))
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
          g_ptr_array_add (pieces, g_strdup (tok_special_tokens[u.special]));
          continue;
        }

      tok_unit_key (&u, key);
      tok_word_spans (tok, key, &scratch);
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
  tok_scratch_clear (&scratch);

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

  if (tok->hf != NULL)
    return tok_hf_decode (tok, ids, n);

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
          g_string_append (s, tok_special_tokens[TRIAD_TOKEN_UNK]);
          continue;
        }
      /* Encoding drops the space before a special, so decoding gives it back. */
      if (id < TRIAD_N_SPECIAL_TOKENS)
        {
          if (s->len > 0)
            g_string_append_c (s, ' ');
          g_string_append (s, tok_special_tokens[id]);
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

  if (tok->hf != NULL)
    return tok_hf_display (tok, id);
  piece = triad_tokenizer_piece (tok, id);
  if (piece == NULL)
    return g_strdup (tok_special_tokens[TRIAD_TOKEN_UNK]);
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
