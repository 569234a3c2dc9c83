/* tokenizer-train.c — training a byte-pair tokenizer on texts: counting pairs, merging the
 * most frequent, and keeping whole words the encoder would split. */
#include "config.h"

#include <string.h>
#include "engine/i18n.h"

#include "engine/error.h"
#include "engine/tokenizer.h"
#include "engine/tokenizer-private.h"

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
  gint64 key = tok_merge_key (left, right);
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
        tok_heap_push (t->heap, &c, pair_candidate_compare, t->tok->vocab);
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
  gint64 key = tok_merge_key (left, right);

  if ((*result = tok_lookup_id (tok, joined)) < 0)
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

  tok_splitter_init (&s, word, len, FALSE);
  return tok_splitter_next (&s, &u) && u.word_len == len && u.space && !tok_splitter_next (&s, &u);
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
      if (!tok_check_text (texts[i], -1, &size, error))
        {
          g_prefix_error (error, _("Training text %d: "), i);
          return NULL;
        }
      tok_splitter_init (&s, texts[i], size, FALSE);
      while (tok_splitter_next (&s, &u))
        {
          gint64 *count;

          tok_unit_key (&u, key);
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
    if (!tokenizer_add_piece (tok, "tokenizer", tok_special_tokens[i], error))
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
  t.pairs = g_hash_table_new_full (tok_merge_key_hash, g_int64_equal, NULL, pair_stat_free);
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
          int id = tok_lookup_id (tok, c);

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

      while (tok_heap_pop (t.heap, &best, pair_candidate_compare, tok->vocab))
        {
          gint64 pair = tok_merge_key (best.left, best.right);

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
  tok_scratch_init (&scratch);
  for (int i = 0; i < n_required; i++)
    {
      g_string_assign (key, SPACE_MARK);
      g_string_append (key, required_words[i]);
      for (;;)
        {
          guint before = tok->merges->len;
          int left;

          g_array_set_size (scratch.spans, 0);
          tok_bpe_word (tok, key->str, key->len, &scratch);
          if (scratch.spans->len == 1)
            break;

          left = g_array_index (scratch.spans, TokenSpan, 0).id;
          for (guint j = 1; j < scratch.spans->len; j++)
            {
              int right = g_array_index (scratch.spans, TokenSpan, j).id;

              if (!train_add_joined (tok, left, right, &left, error))
                {
                  tok_scratch_clear (&scratch);
                  return NULL;
                }
            }
          /* Cannot happen (the joins always apply), but never loop forever. */
          if (tok->merges->len == before)
            {
              g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                           _("Could not make “%s” a single token"), required_words[i]);
              tok_scratch_clear (&scratch);
              return NULL;
            }
        }
    }
  tok_scratch_clear (&scratch);

  return g_steal_pointer (&tok);
}
