/* tokenizer-hf.c — a Hugging Face tokenizer.json read into a TriadTokenizer: the normalizers,
 * pre-tokenizers and models (BPE, WordPiece, Unigram), added tokens, and encoding with offsets
 * mapped back to the original text. Post-processing, decoding, display and roles are in
 * tokenizer-hf-decode.c.
 *
 * The text travels as an array of characters, each with the span of original characters it came
 * from, so that every normalizer and pre-tokenizer keeps the offsets as tokenizers does. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"

#include "engine/error.h"
#include "engine/tokenizer.h"
#include "engine/tokenizer-private.h"
#include "engine/tokenizer-hf-private.h"

/* ─── JSON helpers ─── */

const char *
tok_json_string (JsonObject *obj,
                 const char *name)
{
  JsonNode *node = obj != NULL && name != NULL ? json_object_get_member (obj, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
tok_json_bool (JsonObject *obj,
               const char *name,
               gboolean    fallback)
{
  JsonNode *node = obj != NULL && name != NULL ? json_object_get_member (obj, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

gint64
tok_json_int (JsonObject *obj,
              const char *name,
              gint64      fallback)
{
  JsonNode *node = obj != NULL && name != NULL ? json_object_get_member (obj, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return fallback;
  return json_node_get_int (node);
}

/* Element i of array when it is an object, else NULL (json-glib's own complains). */
JsonObject *
tok_json_array_object (JsonArray *array,
                       guint      i)
{
  JsonNode *node = json_array_get_element (array, i);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Element i of array when it is an integer, else fallback. */
gint64
tok_json_array_int (JsonArray *array,
                    guint      i,
                    gint64     fallback)
{
  JsonNode *node = i < json_array_get_length (array) ? json_array_get_element (array, i) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return fallback;
  return json_node_get_int (node);
}

JsonObject *
tok_json_object (JsonObject *obj,
                 const char *name)
{
  JsonNode *node = obj != NULL && name != NULL ? json_object_get_member (obj, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

JsonArray *
tok_json_array (JsonObject *obj,
                const char *name)
{
  JsonNode *node = obj != NULL && name != NULL ? json_object_get_member (obj, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

/* ─── Characters with their spans ─── */

static GArray *
str_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (NChar));
}

static void
str_free (gpointer s)
{
  g_array_unref (s);
}

static void
str_push (GArray   *s,
          gunichar  c,
          int       start,
          int       end)
{
  NChar ch = { c, start, end };

  g_array_append_val (s, ch);
}

/* Appends s[from, to) to out. */
static void
str_append (GArray *out,
            GArray *s,
            guint   from,
            guint   to)
{
  if (to > from)
    g_array_append_vals (out, &g_array_index (s, NChar, from), to - from);
}

/* The characters as UTF-8, with char_of[byte] the index of the character a byte belongs to. */
static char *
str_utf8 (GArray  *s,
          GArray **char_of)
{
  GString *out = g_string_sized_new (s->len + 1);

  if (char_of != NULL)
    *char_of = g_array_new (FALSE, FALSE, sizeof (int));
  for (guint i = 0; i < s->len; i++)
    {
      char buf[6];
      int n = g_unichar_to_utf8 (g_array_index (s, NChar, i).c, buf);

      g_string_append_len (out, buf, n);
      if (char_of != NULL)
        for (int k = 0; k < n; k++)
          g_array_append_val (*char_of, i);
    }
  if (char_of != NULL)
    g_array_append_val (*char_of, s->len);
  return g_string_free (out, FALSE);
}

/* JavaScript's \s, which tokenizers.js (the reference the tests check against) uses. */
static gboolean
is_space (gunichar c)
{
  return c == ' ' || (c >= 0x09 && c <= 0x0d) || c == 0xa0 || c == 0x1680
         || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f
         || c == 0x205f || c == 0x3000 || c == 0xfeff;
}

static gboolean
is_punctuation (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONNECT_PUNCTUATION:
    case G_UNICODE_DASH_PUNCTUATION:
    case G_UNICODE_CLOSE_PUNCTUATION:
    case G_UNICODE_FINAL_PUNCTUATION:
    case G_UNICODE_INITIAL_PUNCTUATION:
    case G_UNICODE_OTHER_PUNCTUATION:
    case G_UNICODE_OPEN_PUNCTUATION:
      return TRUE;
    default:
      /* BERT counts every ASCII non-alphanumeric symbol ($, +, ^, `, …) as punctuation. */
      return (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60)
             || (c >= 0x7b && c <= 0x7e);
    }
}

/* Predicates for split_chars. */
static gboolean
char_is_space (gunichar c,
               gunichar unused)
{
  return is_space (c);
}

static gboolean
char_is_punctuation (gunichar c,
                     gunichar unused)
{
  return is_punctuation (c);
}

static gboolean
char_is_digit (gunichar c,
               gunichar unused)
{
  return g_unichar_isdigit (c);
}

static gboolean
char_is (gunichar c,
         gunichar which)
{
  return c == which;
}

static gboolean
is_chinese (gunichar c)
{
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf)
         || (c >= 0x20000 && c <= 0x2a6df) || (c >= 0x2a700 && c <= 0x2b73f)
         || (c >= 0x2b740 && c <= 0x2b81f) || (c >= 0x2b820 && c <= 0x2ceaf)
         || (c >= 0xf900 && c <= 0xfaff) || (c >= 0x2f800 && c <= 0x2fa1f);
}

/* ─── Normalizers ─── */

enum {
  NORM_SEQUENCE, NORM_NFC, NORM_NFD, NORM_NFKC, NORM_NFKD, NORM_LOWERCASE, NORM_STRIP_ACCENTS,
  NORM_BERT, NORM_PRECOMPILED, NORM_REPLACE, NORM_PREPEND, NORM_STRIP,
};

struct _HfNorm {
  int        type;
  GPtrArray *children;     /* HfNorm * (Sequence) */
  gboolean   clean_text, chinese, strip_accents, lowercase, left, right;
  GRegex    *regex;        /* Replace */
  char      *content;      /* Replace's replacement, Prepend's text */
  /* Precompiled: SentencePiece's character map, a double-array trie of UTF-8 keys (darts-clone)
   * whose values index NUL-terminated replacements in pool; no trie: see norm_precompiled. */
  guint32   *trie;
  gsize      n_units;
  char      *pool;
  gsize      pool_len;
};

static void
norm_free (gpointer data)
{
  HfNorm *n = data;

  if (n == NULL)
    return;
  g_clear_pointer (&n->children, g_ptr_array_unref);
  g_clear_pointer (&n->regex, g_regex_unref);
  g_free (n->content);
  g_free (n->trie);
  g_free (n->pool);
  g_free (n);
}

/* Unicode normalization of each run of a starter and the marks that follow it: what composes or
 * decomposes stays inside such a run, and every output character takes the run's span. */
static GArray *
norm_unicode (GArray         *s,
              GNormalizeMode  mode)
{
  GArray *out = str_new ();
  guint i = 0;

  while (i < s->len)
    {
      guint j = i + 1;
      GString *run = g_string_new (NULL);
      g_autofree char *normal = NULL;
      const NChar *first = &g_array_index (s, NChar, i);

      while (j < s->len && g_unichar_combining_class (g_array_index (s, NChar, j).c) != 0)
        j++;
      if (j == i + 1 && first->c < 0x80)
        {
          g_array_append_val (out, *first);
          g_string_free (run, TRUE);
          i = j;
          continue;
        }
      for (guint k = i; k < j; k++)
        g_string_append_unichar (run, g_array_index (s, NChar, k).c);
      normal = g_utf8_normalize (run->str, run->len, mode);
      for (const char *p = normal; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
        str_push (out, g_utf8_get_char (p), first->start, g_array_index (s, NChar, j - 1).end);
      g_string_free (run, TRUE);
      i = j;
    }
  return out;
}

static GArray *
norm_lowercase (GArray *s)
{
  GArray *out = str_new ();

  for (guint i = 0; i < s->len; i++)
    {
      const NChar *ch = &g_array_index (s, NChar, i);
      char buf[6];
      g_autofree char *lower = NULL;

      if (ch->c < 0x80)
        {
          str_push (out, g_ascii_tolower (ch->c), ch->start, ch->end);
          continue;
        }
      /* Whole-string lower-casing, as JavaScript and Rust do: "İ" becomes "i̇", two characters. */
      lower = g_utf8_strdown (buf, g_unichar_to_utf8 (ch->c, buf));
      for (const char *p = lower; *p != '\0'; p = g_utf8_next_char (p))
        str_push (out, g_utf8_get_char (p), ch->start, ch->end);
    }
  return out;
}

static GArray *
norm_strip_accents (GArray *s)
{
  g_autoptr(GArray) nfd = norm_unicode (s, G_NORMALIZE_NFD);
  GArray *out = str_new ();

  for (guint i = 0; i < nfd->len; i++)
    if (g_unichar_type (g_array_index (nfd, NChar, i).c) != G_UNICODE_NON_SPACING_MARK)
      g_array_append_val (out, g_array_index (nfd, NChar, i));
  return out;
}

static gboolean
is_control (gunichar c)
{
  GUnicodeType type;

  if (c == '\t' || c == '\n' || c == '\r')
    return FALSE;
  type = g_unichar_type (c);
  return type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT
         || type == G_UNICODE_PRIVATE_USE || type == G_UNICODE_SURROGATE;
}

static GArray *
norm_bert (const HfNorm *n,
           GArray       *s)
{
  GArray *out = str_new ();

  for (guint i = 0; i < s->len; i++)
    {
      NChar ch = g_array_index (s, NChar, i);

      if (n->clean_text)
        {
          if (ch.c == 0 || ch.c == 0xfffd || is_control (ch.c))
            continue;
          if (is_space (ch.c))
            ch.c = ' ';
        }
      if (n->chinese && is_chinese (ch.c))
        {
          str_push (out, ' ', ch.start, ch.end);
          g_array_append_val (out, ch);
          str_push (out, ' ', ch.start, ch.end);
        }
      else
        g_array_append_val (out, ch);
    }
  if (n->lowercase)
    {
      GArray *lower = norm_lowercase (out);

      g_array_unref (out);
      out = lower;
    }
  if (n->strip_accents)
    {
      GArray *stripped = norm_strip_accents (out);

      g_array_unref (out);
      out = stripped;
    }
  return out;
}

/* The replacement the character map has for key: the value of its shortest prefix in the trie
 * (the tokenizers library takes the first match, and so does Triad), or NULL. */
static const char *
charsmap_lookup (const HfNorm *n,
                 const guchar *key,
                 gsize         len)
{
  guint32 pos, unit;

  if (n->n_units == 0)
    return NULL;
  unit = n->trie[0];
  pos = (unit >> 10) << ((unit & (1u << 9)) >> 6);
  for (gsize i = 0; i < len && key[i] != 0; i++)
    {
      pos ^= key[i];
      if (pos >= n->n_units)
        return NULL;
      unit = n->trie[pos];
      if ((unit & ((1u << 31) | 0xff)) != key[i])
        return NULL;
      pos ^= (unit >> 10) << ((unit & (1u << 9)) >> 6);
      if ((unit >> 8) & 1)
        {
          guint32 value;

          if (pos >= n->n_units || (value = n->trie[pos] & ~(1u << 31)) >= n->pool_len)
            return NULL;
          return n->pool + value;
        }
    }
  return NULL;
}

/* A character that continues the user-perceived character before it: a mark, a joiner and what
 * it joins, a variation selector, a skin tone. */
static gboolean
continues_cluster (gunichar prev,
                   gunichar c)
{
  return g_unichar_ismark (c) || c == 0x200d || prev == 0x200d || (c >= 0xfe00 && c <= 0xfe0f)
         || (c >= 0x1f3fb && c <= 0x1f3ff) || (c >= 0xe0020 && c <= 0xe007f)
         || (prev == '\r' && c == '\n');
}

/* Appends the replacement of s[from, to) to out if the map has one for those characters as a
 * whole; the replacement takes their span. */
static gboolean
charsmap_apply (const HfNorm *n,
                GArray       *s,
                guint         from,
                guint         to,
                GArray       *out)
{
  GString *key = g_string_new (NULL);
  const char *repl;
  gsize len;

  for (guint i = from; i < to; i++)
    g_string_append_unichar (key, g_array_index (s, NChar, i).c);
  repl = charsmap_lookup (n, (const guchar *) key->str, key->len);
  g_string_free (key, TRUE);
  if (repl == NULL)
    return FALSE;
  len = strnlen (repl, n->pool + n->pool_len - repl);
  if (!g_utf8_validate_len (repl, len, NULL))
    return FALSE;
  for (const char *p = repl; p < repl + len; p = g_utf8_next_char (p))
    str_push (out, g_utf8_get_char (p), g_array_index (s, NChar, from).start,
              g_array_index (s, NChar, to - 1).end);
  return TRUE;
}

/* SentencePiece's character map as the tokenizers library applies it: a user-perceived
 * character of fewer than six bytes is replaced as a whole if the map has it, else each of its
 * characters that the map has. */
static GArray *
norm_charsmap (const HfNorm *n,
               GArray       *s)
{
  GArray *out = str_new ();
  guint i = 0;

  while (i < s->len)
    {
      guint j = i + 1;
      gsize bytes = g_unichar_to_utf8 (g_array_index (s, NChar, i).c, NULL);

      while (j < s->len && continues_cluster (g_array_index (s, NChar, j - 1).c,
                                              g_array_index (s, NChar, j).c))
        bytes += g_unichar_to_utf8 (g_array_index (s, NChar, j++).c, NULL);
      if (bytes >= 6 || !charsmap_apply (n, s, i, j, out))
        for (guint k = i; k < j; k++)
          if (!charsmap_apply (n, s, k, k + 1, out))
            g_array_append_val (out, g_array_index (s, NChar, k));
      i = j;
    }
  return out;
}

/* Without its map (a file that has none), SentencePiece's normalization as tokenizers.js
 * approximates it: controls removed, every kind of space a space, then NFKC. */
static GArray *
norm_precompiled (GArray *s)
{
  g_autoptr(GArray) cleaned = str_new ();

  for (guint i = 0; i < s->len; i++)
    {
      NChar ch = g_array_index (s, NChar, i);
      gunichar c = ch.c;

      if ((c >= 0x01 && c <= 0x08) || c == 0x0b || (c >= 0x0e && c <= 0x1f) || c == 0x7f
          || c == 0x8f || c == 0x9f)
        continue;
      if (c == 0x09 || c == 0x0a || c == 0x0c || c == 0x0d || c == 0xa0 || c == 0x1680
          || (c >= 0x2000 && c <= 0x200f) || c == 0x2028 || c == 0x2029 || c == 0x202f
          || c == 0x205f || c == 0x2581 || c == 0x3000 || c == 0xfeff || c == 0xfffd)
        ch.c = ' ';
      g_array_append_val (cleaned, ch);
    }
  return norm_unicode (cleaned, G_NORMALIZE_NFKC);
}

/* Every match of regex replaced by content; the replacement takes the span of what it replaced. */
static GArray *
str_replace (GArray     *s,
             GRegex     *regex,
             const char *content)
{
  g_autoptr(GArray) char_of = NULL;
  g_autofree char *text = str_utf8 (s, &char_of);
  g_autoptr(GMatchInfo) info = NULL;
  GArray *out = str_new ();
  guint done = 0;

  g_regex_match (regex, text, 0, &info);
  while (g_match_info_matches (info))
    {
      int mb, me;
      guint cs, ce;

      g_match_info_fetch_pos (info, 0, &mb, &me);
      cs = g_array_index (char_of, int, mb);
      ce = g_array_index (char_of, int, me);
      if (ce > cs)
        {
          int start = g_array_index (s, NChar, cs).start;
          int end = g_array_index (s, NChar, ce - 1).end;

          str_append (out, s, done, cs);
          for (const char *p = content; *p != '\0'; p = g_utf8_next_char (p))
            str_push (out, g_utf8_get_char (p), start, end);
          done = ce;
        }
      g_match_info_next (info, NULL);
    }
  str_append (out, s, done, s->len);
  return out;
}

static GArray *
norm_apply (const HfNorm *n,
            GArray       *s)
{
  GArray *out;

  switch (n->type)
    {
    case NORM_SEQUENCE:
      out = g_array_ref (s);
      for (guint i = 0; i < n->children->len; i++)
        {
          GArray *next = norm_apply (n->children->pdata[i], out);

          g_array_unref (out);
          out = next;
        }
      return out;
    case NORM_NFC:
      return norm_unicode (s, G_NORMALIZE_NFC);
    case NORM_NFD:
      return norm_unicode (s, G_NORMALIZE_NFD);
    case NORM_NFKC:
      return norm_unicode (s, G_NORMALIZE_NFKC);
    case NORM_NFKD:
      return norm_unicode (s, G_NORMALIZE_NFKD);
    case NORM_LOWERCASE:
      return norm_lowercase (s);
    case NORM_STRIP_ACCENTS:
      return norm_strip_accents (s);
    case NORM_BERT:
      return norm_bert (n, s);
    case NORM_PRECOMPILED:
      return n->trie != NULL ? norm_charsmap (n, s) : norm_precompiled (s);
    case NORM_REPLACE:
      return str_replace (s, n->regex, n->content);
    case NORM_PREPEND:
      out = str_new ();
      if (s->len > 0)
        {
          int start = g_array_index (s, NChar, 0).start;

          for (const char *p = n->content; *p != '\0'; p = g_utf8_next_char (p))
            str_push (out, g_utf8_get_char (p), start, start);
          str_append (out, s, 0, s->len);
        }
      return out;
    case NORM_STRIP:
      {
        guint a = 0, b = s->len;

        while (n->left && a < b && is_space (g_array_index (s, NChar, a).c))
          a++;
        while (n->right && b > a && is_space (g_array_index (s, NChar, b - 1).c))
          b--;
        out = str_new ();
        str_append (out, s, a, b);
        return out;
      }
    default:
      g_assert_not_reached ();
    }
}

/* ─── Pre-tokenizers ─── */

enum {
  PRE_SEQUENCE, PRE_BYTE_LEVEL, PRE_BERT, PRE_WHITESPACE, PRE_WHITESPACE_SPLIT, PRE_METASPACE,
  PRE_PUNCTUATION, PRE_DIGITS, PRE_SPLIT,
};

enum {
  SPLIT_REMOVED, SPLIT_ISOLATED, SPLIT_MERGED_WITH_PREVIOUS, SPLIT_MERGED_WITH_NEXT,
  SPLIT_CONTIGUOUS,
};

struct _HfPre {
  int        type;
  GPtrArray *children;
  gboolean   add_prefix_space, use_regex, split, invert, individual_digits;
  int        behavior;
  int        prepend;        /* Metaspace: 0 never, 1 first, 2 always */
  gunichar   replacement;
  GRegex    *regex;
};

static void
pre_free (gpointer data)
{
  HfPre *p = data;

  if (p == NULL)
    return;
  g_clear_pointer (&p->children, g_ptr_array_unref);
  g_clear_pointer (&p->regex, g_regex_unref);
  g_free (p);
}

/* Splits s at its delimiters and appends the pieces to out, keeping or dropping the delimiters
 * by behavior. delim[i] > 0 is the number of the delimiter character i belongs to: a run of
 * one number is one delimiter (Contiguous also joins adjacent delimiters). delim[i] <= 0 is
 * text: a run of one number is one stretch, and two stretches side by side stay apart. */
static void
split_delimited (GArray    *s,
                 const int *delim,
                 int        behavior,
                 GPtrArray *out)
{
  GArray *cur = NULL;
  guint i = 0;

  while (i < s->len)
    {
      guint j = i + 1;

      while (j < s->len && (delim[j] == delim[i]
                            || (behavior == SPLIT_CONTIGUOUS && delim[i] > 0 && delim[j] > 0)))
        j++;
      if (delim[i] <= 0)
        {
          /* A stretch right after another (an inverted split's adjacent matches) is its own. */
          if (cur != NULL && i > 0 && delim[i - 1] <= 0)
            g_ptr_array_add (out, g_steal_pointer (&cur));
          if (cur == NULL)
            cur = str_new ();
          str_append (cur, s, i, j);
          i = j;
          continue;
        }
      switch (behavior)
        {
        case SPLIT_REMOVED:
          if (cur != NULL)
            g_ptr_array_add (out, g_steal_pointer (&cur));
          break;
        case SPLIT_ISOLATED:
        case SPLIT_CONTIGUOUS:
          if (cur != NULL)
            g_ptr_array_add (out, g_steal_pointer (&cur));
          cur = str_new ();
          str_append (cur, s, i, j);
          g_ptr_array_add (out, g_steal_pointer (&cur));
          break;
        case SPLIT_MERGED_WITH_PREVIOUS:
          if (cur == NULL)
            cur = str_new ();
          str_append (cur, s, i, j);
          g_ptr_array_add (out, g_steal_pointer (&cur));
          break;
        case SPLIT_MERGED_WITH_NEXT:
          if (cur != NULL)
            g_ptr_array_add (out, g_steal_pointer (&cur));
          cur = str_new ();
          str_append (cur, s, i, j);
          break;
        default:
          g_assert_not_reached ();
        }
      i = j;
    }
  if (cur != NULL)
    g_ptr_array_add (out, cur);
}

/* Each character for which is_delim holds is a delimiter of its own. */
static void
split_chars (GArray    *s,
             gboolean (*is_delim) (gunichar c, gunichar arg),
             gunichar   arg,
             int        behavior,
             GPtrArray *out)
{
  g_autofree int *delim = g_new (int, s->len + 1);

  for (guint i = 0; i < s->len; i++)
    delim[i] = is_delim (g_array_index (s, NChar, i).c, arg) ? (int) i + 1 : 0;
  split_delimited (s, delim, behavior, out);
}

/* Each match of regex is a delimiter (inverted: each stretch between matches is). */
static void
split_regex (GArray    *s,
             GRegex    *regex,
             int        behavior,
             gboolean   invert,
             GPtrArray *out)
{
  g_autoptr(GArray) char_of = NULL;
  g_autofree char *text = str_utf8 (s, &char_of);
  g_autoptr(GMatchInfo) info = NULL;
  g_autofree int *delim = g_new0 (int, s->len + 1);
  int n_matches = 0;

  g_regex_match (regex, text, 0, &info);
  while (g_match_info_matches (info))
    {
      int mb, me;

      g_match_info_fetch_pos (info, 0, &mb, &me);
      n_matches++;
      for (int c = g_array_index (char_of, int, mb); c < g_array_index (char_of, int, me); c++)
        delim[c] = n_matches;
      g_match_info_next (info, NULL);
    }
  /* Inverted, the matches are the text and the stretches between them the delimiters. */
  if (invert)
    {
      int gap = 0;

      for (guint c = 0; c < s->len; c++)
        if (delim[c] != 0)
          delim[c] = -delim[c];
        else
          delim[c] = c > 0 && delim[c - 1] > 0 ? gap : ++gap;
    }
  split_delimited (s, delim, behavior, out);
}

static gunichar byte_to_char[256];
static int char_to_byte[324];  /* the byte-level alphabet ends at U+0143 */

static void
byte_level_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      int n = 0;

      for (int b = 0; b < 256; b++)
        {
          gboolean printable = (b >= '!' && b <= '~') || (b >= 0xa1 && b <= 0xac)
                               || (b >= 0xae && b <= 0xff);

          byte_to_char[b] = printable ? (gunichar) b : (gunichar) (256 + n++);
        }
      for (int c = 0; c < (int) G_N_ELEMENTS (char_to_byte); c++)
        char_to_byte[c] = -1;
      for (int b = 0; b < 256; b++)
        char_to_byte[byte_to_char[b]] = b;
      g_once_init_leave (&done, 1);
    }
}

int
tok_byte_of_char (gunichar c)
{
  byte_level_init ();
  return c < G_N_ELEMENTS (char_to_byte) ? char_to_byte[c] : -1;
}

gunichar
tok_char_of_byte (guint8 b)
{
  byte_level_init ();
  return byte_to_char[b];
}

static GRegex *
gpt2_regex (void)
{
  static GRegex *regex;
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      regex = g_regex_new ("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+"
                           "|\\s+(?!\\S)|\\s+", 0, 0, NULL);
      g_assert (regex != NULL);
      g_once_init_leave (&done, 1);
    }
  return regex;
}

static void pre_apply (const HfPre *p, GPtrArray *pieces, gboolean first_section);

static void
pre_one (const HfPre *p,
         GArray      *s,
         gboolean     first,
         GPtrArray   *out)
{
  switch (p->type)
    {
    case PRE_BYTE_LEVEL:
      {
        g_autoptr(GArray) text = g_array_ref (s);
        g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (str_free);

        if (p->add_prefix_space && (s->len == 0 || g_array_index (s, NChar, 0).c != ' '))
          {
            int start = s->len > 0 ? g_array_index (s, NChar, 0).start : 0;

            g_array_unref (text);
            text = str_new ();
            str_push (text, ' ', start, start);
            str_append (text, s, 0, s->len);
          }
        if (p->use_regex)
          split_regex (text, gpt2_regex (), SPLIT_ISOLATED, FALSE, parts);
        else
          g_ptr_array_add (parts, g_array_ref (text));
        for (guint i = 0; i < parts->len; i++)
          {
            GArray *part = parts->pdata[i];
            GArray *bytes = str_new ();

            for (guint k = 0; k < part->len; k++)
              {
                const NChar *ch = &g_array_index (part, NChar, k);
                guchar buf[6];
                int n = g_unichar_to_utf8 (ch->c, (char *) buf);

                for (int b = 0; b < n; b++)
                  str_push (bytes, tok_char_of_byte (buf[b]), ch->start, ch->end);
              }
            g_ptr_array_add (out, bytes);
          }
        return;
      }
    case PRE_BERT:
      {
        g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (str_free);

        split_chars (s, char_is_space, 0, SPLIT_REMOVED, words);
        for (guint w = 0; w < words->len; w++)
          split_chars (words->pdata[w], char_is_punctuation, 0, SPLIT_ISOLATED, out);
        return;
      }
    case PRE_WHITESPACE_SPLIT:
      split_chars (s, char_is_space, 0, SPLIT_REMOVED, out);
      return;
    case PRE_PUNCTUATION:
      split_chars (s, char_is_punctuation, 0, p->behavior, out);
      return;
    case PRE_DIGITS:
      split_chars (s, char_is_digit, 0,
                   p->individual_digits ? SPLIT_ISOLATED : SPLIT_CONTIGUOUS, out);
      return;
    case PRE_WHITESPACE:
    case PRE_SPLIT:
      split_regex (s, p->regex, p->behavior, p->invert, out);
      return;
    case PRE_METASPACE:
      {
        GArray *text = str_new ();

        if (s->len > 0 && g_array_index (s, NChar, 0).c != ' '
            && g_array_index (s, NChar, 0).c != p->replacement
            && (p->prepend == 2 || (p->prepend == 1 && first)))
          {
            int start = g_array_index (s, NChar, 0).start;

            str_push (text, p->replacement, start, start);
          }
        str_append (text, s, 0, s->len);
        for (guint i = 0; i < text->len; i++)
          if (g_array_index (text, NChar, i).c == ' ')
            g_array_index (text, NChar, i).c = p->replacement;
        if (!p->split)
          {
            g_ptr_array_add (out, text);
            return;
          }
        split_chars (text, char_is, p->replacement, SPLIT_MERGED_WITH_NEXT, out);
        g_array_unref (text);
        return;
      }
    case PRE_SEQUENCE:
      {
        g_autoptr(GPtrArray) pieces = g_ptr_array_new_with_free_func (str_free);

        g_ptr_array_add (pieces, g_array_ref (s));
        pre_apply (p, pieces, first);
        for (guint i = 0; i < pieces->len; i++)
          g_ptr_array_add (out, g_array_ref (pieces->pdata[i]));
        return;
      }
    default:
      g_assert_not_reached ();
    }
}

/* Replaces pieces by what the pre-tokenizer makes of them (a Sequence: each child in turn). */
static void
pre_apply (const HfPre *p,
           GPtrArray   *pieces,
           gboolean     first_section)
{
  const HfPre * const *steps = (const HfPre * const *) &p;
  guint n_steps = 1;

  if (p->type == PRE_SEQUENCE)
    {
      steps = (const HfPre * const *) p->children->pdata;
      n_steps = p->children->len;
    }
  for (guint k = 0; k < n_steps; k++)
    {
      g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (str_free);

      for (guint i = 0; i < pieces->len; i++)
        pre_one (steps[k], pieces->pdata[i], first_section, out);
      g_ptr_array_set_size (pieces, 0);
      for (guint i = 0; i < out->len; i++)
        if (((GArray *) out->pdata[i])->len > 0)
          g_ptr_array_add (pieces, g_array_ref (out->pdata[i]));
    }
}

/* ─── Parsing the components ─── */

int
tok_json_type (JsonObject         *obj,
               const char * const *names)
{
  const char *type = tok_json_string (obj, "type");

  for (int i = 0; type != NULL && names[i] != NULL; i++)
    if (strcmp (type, names[i]) == 0)
      return i;
  return -1;
}

gboolean
tok_hf_unsupported (const char  *source,
             const char  *what,
             const char  *type,
             const char  *supported,
             GError     **error)
{
  /* TRANSLATORS: %s are the file, the part of the tokenizer ("normalizer", …), its type as the
   * file names it, and the list of the types Triad reads. */
  g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
               _("%s: the %s type “%s” is not supported; Triad reads %s"),
               source, what, type != NULL ? type : "?", supported);
  return FALSE;
}

static GRegex *
pattern_regex (const char  *source,
               JsonObject  *obj,
               GError     **error)
{
  JsonObject *pattern = tok_json_object (obj, "pattern");
  const char *string = tok_json_string (pattern, "String");
  const char *regex = tok_json_string (pattern, "Regex");
  g_autoptr(GError) regex_error = NULL;
  g_autofree char *escaped = NULL;
  GRegex *compiled;

  if (string == NULL && regex == NULL)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                   _("%s: a pattern is neither a String nor a Regex"), source);
      return NULL;
    }
  if (string != NULL)
    regex = escaped = g_regex_escape_string (string, -1);
  compiled = g_regex_new (regex, 0, 0, &regex_error);
  if (compiled == NULL)
    g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                 _("%s: the pattern “%s” is not a regular expression Triad can read: %s"),
                 source, regex, regex_error->message);
  return compiled;
}

HfNorm *
tok_hf_parse_normalizer (const char  *source,
                         JsonObject  *obj,
                         GError     **error)
{
  static const char * const names[] = {
    "Sequence", "NFC", "NFD", "NFKC", "NFKD", "Lowercase", "StripAccents", "BertNormalizer",
    "Precompiled", "Replace", "Prepend", "Strip", NULL,
  };
  const char *type = tok_json_string (obj, "type");
  g_autoptr(HfNorm) n = g_new0 (HfNorm, 1);

  n->type = tok_json_type (obj, names);
  if (n->type < 0)
    {
      /* TRANSLATORS: fills the second %s of “%s: the %s type “%s” is not supported”,
       * the part of a tokenizer.json whose type that is. */
      tok_hf_unsupported (source, C_("tokenizer part", "normalizer"), type,
                   "Sequence, NFC, NFD, NFKC, NFKD, Lowercase, StripAccents, BertNormalizer, "
                   "Precompiled, Replace, Prepend, Strip", error);
      return NULL;
    }
  switch (n->type)
    {
    case NORM_SEQUENCE:
      {
        JsonArray *children = tok_json_array (obj, "normalizers");

        n->children = g_ptr_array_new_with_free_func (norm_free);
        for (guint i = 0; children != NULL && i < json_array_get_length (children); i++)
          {
            HfNorm *child = tok_hf_parse_normalizer (source,
                                                     tok_json_array_object (children, i),
                                                     error);
            if (child == NULL)
              return NULL;
            g_ptr_array_add (n->children, child);
          }
        break;
      }
    case NORM_BERT:
      n->clean_text = tok_json_bool (obj, "clean_text", TRUE);
      n->chinese = tok_json_bool (obj, "handle_chinese_chars", TRUE);
      n->lowercase = tok_json_bool (obj, "lowercase", TRUE);
      /* null follows lowercase */
      n->strip_accents = tok_json_bool (obj, "strip_accents", n->lowercase);
      break;
    case NORM_REPLACE:
      if ((n->regex = pattern_regex (source, obj, error)) == NULL)
        return NULL;
      n->content = g_strdup (tok_json_string (obj, "content") ?: "");
      break;
    case NORM_PREPEND:
      n->content = g_strdup (tok_json_string (obj, "prepend") ?: "");
      break;
    case NORM_PRECOMPILED:
      {
        const char *map = tok_json_string (obj, "precompiled_charsmap");
        g_autofree guchar *blob = NULL;
        gsize len = 0;
        guint32 trie_bytes;

        if (map == NULL || *map == '\0')
          break;
        blob = g_base64_decode (map, &len);
        if (len >= 4)
          trie_bytes = GUINT32_FROM_LE (*(guint32 *) blob);
        if (len < 4 || trie_bytes % 4 != 0 || trie_bytes == 0 || trie_bytes > len - 4)
          {
            g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                         _("%s: the Precompiled normalizer's character map is broken"), source);
            return NULL;
          }
        n->n_units = trie_bytes / 4;
        n->trie = g_new (guint32, n->n_units);
        for (gsize i = 0; i < n->n_units; i++)
          n->trie[i] = GUINT32_FROM_LE (((guint32 *) (blob + 4))[i]);
        n->pool_len = len - 4 - trie_bytes;
        n->pool = g_malloc (n->pool_len + 1);
        memcpy (n->pool, blob + 4 + trie_bytes, n->pool_len);
        n->pool[n->pool_len] = '\0';
        break;
      }
    case NORM_STRIP:
      n->left = tok_json_bool (obj, "strip_left", TRUE);
      n->right = tok_json_bool (obj, "strip_right", TRUE);
      break;
    default:
      break;
    }
  return g_steal_pointer (&n);
}

static int
parse_behavior (const char *name)
{
  static const char * const names[] = {
    "Removed", "Isolated", "MergedWithPrevious", "MergedWithNext", "Contiguous",
  };

  for (int i = 0; name != NULL && i < (int) G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (name, names[i]) == 0)
      return i;
  return -1;
}

HfPre *
tok_hf_parse_pre_tokenizer (const char  *source,
                            JsonObject  *obj,
                            GError     **error)
{
  static const char * const names[] = {
    "Sequence", "ByteLevel", "BertPreTokenizer", "Whitespace", "WhitespaceSplit", "Metaspace",
    "Punctuation", "Digits", "Split", NULL,
  };
  const char *type = tok_json_string (obj, "type");
  g_autoptr(HfPre) p = g_new0 (HfPre, 1);

  p->type = tok_json_type (obj, names);
  if (p->type < 0)
    {
      /* TRANSLATORS: fills the second %s of “%s: the %s type “%s” is not supported”,
       * the part of a tokenizer.json whose type that is. */
      tok_hf_unsupported (source, C_("tokenizer part", "pre-tokenizer"), type,
                   "Sequence, ByteLevel, BertPreTokenizer, Whitespace, WhitespaceSplit, "
                   "Metaspace, Punctuation, Digits, Split", error);
      return NULL;
    }
  switch (p->type)
    {
    case PRE_SEQUENCE:
      {
        JsonArray *children = tok_json_array (obj, "pretokenizers");

        p->children = g_ptr_array_new_with_free_func (pre_free);
        for (guint i = 0; children != NULL && i < json_array_get_length (children); i++)
          {
            HfPre *child = tok_hf_parse_pre_tokenizer (source,
                                                       tok_json_array_object (children, i),
                                                       error);
            if (child == NULL)
              return NULL;
            g_ptr_array_add (p->children, child);
          }
        break;
      }
    case PRE_BYTE_LEVEL:
      p->add_prefix_space = tok_json_bool (obj, "add_prefix_space", TRUE);
      p->use_regex = tok_json_bool (obj, "use_regex", TRUE);
      break;
    case PRE_WHITESPACE:
      p->regex = g_regex_new ("\\w+|[^\\w\\s]+", 0, 0, NULL);
      p->behavior = SPLIT_REMOVED;
      p->invert = TRUE;
      break;
    case PRE_METASPACE:
      {
        const char *replacement = tok_json_string (obj, "replacement");
        const char *scheme = tok_json_string (obj, "prepend_scheme");

        p->replacement = replacement != NULL && *replacement != '\0'
                         ? g_utf8_get_char (replacement) : 0x2581;
        p->split = tok_json_bool (obj, "split", TRUE);
        if (scheme != NULL)
          p->prepend = strcmp (scheme, "never") == 0 ? 0 : strcmp (scheme, "first") == 0 ? 1 : 2;
        else
          p->prepend = tok_json_bool (obj, "add_prefix_space", TRUE) ? 2 : 0;
        break;
      }
    case PRE_PUNCTUATION:
      p->behavior = parse_behavior (tok_json_string (obj, "behavior"));
      if (p->behavior < 0)
        p->behavior = SPLIT_ISOLATED;
      break;
    case PRE_DIGITS:
      p->individual_digits = tok_json_bool (obj, "individual_digits", FALSE);
      break;
    case PRE_SPLIT:
      if ((p->regex = pattern_regex (source, obj, error)) == NULL)
        return NULL;
      p->behavior = parse_behavior (tok_json_string (obj, "behavior"));
      if (p->behavior < 0)
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                       _("%s: a Split pre-tokenizer's behavior is not one of Removed, Isolated, "
                         "MergedWithPrevious, MergedWithNext, Contiguous"), source);
          return NULL;
        }
      p->invert = tok_json_bool (obj, "invert", FALSE);
      break;
    default:
      break;
    }
  return g_steal_pointer (&p);
}

void
tok_hf_norm_free (HfNorm *n)
{
  norm_free (n);
}

void
tok_hf_pre_free (HfPre *p)
{
  pre_free (p);
}

/* ─── Models ─── */

void
tok_hf_bpe_symbols (const TriadTokenizer *tok,
                    const char           *word,
                    gsize                 len,
                    GArray               *symbols)
{
  const TokHf *hf = tok->hf;
  GString *buf = g_string_new (NULL);

  for (const char *p = word; p < word + len; p = g_utf8_next_char (p))
    {
      gsize n = g_utf8_next_char (p) - p;
      Symbol sym = { -1, 1, (int) symbols->len - 1, (int) symbols->len + 1 };

      g_string_truncate (buf, 0);
      if (p > word && hf->prefix != NULL)
        g_string_append (buf, hf->prefix);
      g_string_append_len (buf, p, n);
      if (p + n == word + len && hf->suffix != NULL)
        g_string_append (buf, hf->suffix);
      sym.id = tok_lookup_id (tok, buf->str);
      if (sym.id < 0 && hf->byte_fallback)
        {
          int ids[4];
          gboolean all = TRUE;

          for (gsize b = 0; b < n; b++)
            all = all && (ids[b] = hf->byte_ids[(guchar) p[b]]) >= 0;
          if (all)
            {
              /* The first byte takes the character; the others take none of it. */
              for (gsize b = 0; b < n; b++)
                {
                  Symbol bs = { ids[b], b == 0, (int) symbols->len - 1, (int) symbols->len + 1 };

                  g_array_append_val (symbols, bs);
                }
              continue;
            }
        }
      if (sym.id < 0)
        sym.id = tok->unk_id >= 0 ? tok->unk_id : TOK_DROPPED;
      g_array_append_val (symbols, sym);
    }
  g_string_free (buf, TRUE);
}

/* Appends to out (id, first, last character of the piece) for each token of a word. */
typedef struct {
  int id;
  int first;
  int end;
} PieceToken;

static void
model_bpe (const TriadTokenizer *tok,
           GArray               *piece,
           GString              *word,
           Scratch              *scratch,
           GArray               *out)
{
  int k = 0, last = -1;

  if (tok->hf->ignore_merges)
    {
      int id = tok_lookup_id (tok, word->str);

      if (id >= 0)
        {
          PieceToken t = { id, 0, piece->len };

          g_array_append_val (out, t);
          return;
        }
    }
  tok_word_spans (tok, word, scratch);
  for (guint i = 0; i < scratch->spans->len; i++)
    {
      const TokenSpan *span = &g_array_index (scratch->spans, TokenSpan, i);
      PieceToken t = { span->id, k, k + span->n_chars };

      /* A byte after the first of its character covers that character too. */
      if (span->n_chars == 0 && k > 0)
        t.first = k - 1;
      k += span->n_chars;
      if (span->id == TOK_DROPPED)
        continue;
      if (tok->hf->fuse_unk && span->id == tok->unk_id && last == tok->unk_id)
        {
          g_array_index (out, PieceToken, out->len - 1).end = t.end;
          continue;
        }
      g_array_append_val (out, t);
      last = span->id;
    }
}

static void
model_wordpiece (const TriadTokenizer *tok,
                 GArray               *piece,
                 GString              *word,
                 GArray               *out)
{
  const TokHf *hf = tok->hf;
  guint n = piece->len;
  guint before = out->len;
  g_autofree int *offset = g_new (int, n + 1);
  GString *sub = g_string_new (NULL);
  guint start = 0;

  for (guint i = 0, b = 0; i <= n; i++)
    {
      offset[i] = b;
      if (i < n)
        b = g_utf8_next_char (word->str + b) - word->str;
    }
  if ((int) n > hf->max_chars)
    goto unknown;
  while (start < n)
    {
      guint end = n;
      int id = -1;

      while (start < end)
        {
          g_string_truncate (sub, 0);
          if (start > 0 && hf->prefix != NULL)
            g_string_append (sub, hf->prefix);
          g_string_append_len (sub, word->str + offset[start], offset[end] - offset[start]);
          if ((id = tok_lookup_id (tok, sub->str)) >= 0)
            break;
          end--;
        }
      if (id < 0)
        goto unknown;
      {
        PieceToken t = { id, start, end };

        g_array_append_val (out, t);
      }
      start = end;
    }
  g_string_free (sub, TRUE);
  return;

unknown:
  g_string_free (sub, TRUE);
  g_array_set_size (out, before);
  if (tok->unk_id >= 0)
    {
      PieceToken t = { tok->unk_id, 0, n };

      g_array_append_val (out, t);
    }
}

typedef struct {
  double score;
  int    id;
  int    from;
} Best;

static void
model_unigram (const TriadTokenizer *tok,
               GArray               *piece,
               GString              *word,
               GArray               *out)
{
  const TokHf *hf = tok->hf;
  guint n = piece->len;
  g_autofree int *offset = g_new (int, n + 1);
  g_autofree Best *best = g_new (Best, n + 1);
  g_autoptr(GArray) path = g_array_new (FALSE, FALSE, sizeof (PieceToken));
  char *text = word->str;

  for (guint i = 0, b = 0; i <= n; i++)
    {
      offset[i] = b;
      best[i].from = -1;
      if (i < n)
        b = g_utf8_next_char (text + b) - text;
    }
  best[0].score = 0;
  best[0].from = 0;

  /* Forward: the best path to each end; among equal scores the one that came first, starting
   * earliest, as tokenizers.js keeps it. */
  for (guint begin = 0; begin < n; begin++)
    {
      gboolean single = FALSE;

      for (guint end = begin + 1; end <= n && (int) (end - begin) <= hf->max_piece_chars; end++)
        {
          char saved = text[offset[end]];
          int id;
          double score;

          text[offset[end]] = '\0';
          id = tok_lookup_id (tok, text + offset[begin]);
          text[offset[end]] = saved;
          if (id < 0 || id >= (int) hf->n_scores || isnan (hf->scores[id]))
            continue;
          if (end == begin + 1)
            single = TRUE;
          score = best[begin].score + hf->scores[id];
          if (best[end].from < 0 || score > best[end].score)
            best[end] = (Best) { score, id, begin };
        }
      if (!single)
        {
          double score = best[begin].score + hf->unk_score;

          if (best[begin + 1].from < 0 || score > best[begin + 1].score)
            best[begin + 1] = (Best) { score, -1, begin };
        }
    }

  for (int end = n; end > 0; end = best[end].from)
    {
      PieceToken t = { best[end].id, best[end].from, end };

      g_array_append_val (path, t);
    }
  for (int i = path->len - 1; i >= 0; i--)
    {
      PieceToken t = g_array_index (path, PieceToken, i);

      /* Unknown characters in a row make one unknown token. */
      if (t.id < 0 && out->len > 0 && i < (int) path->len - 1
          && g_array_index (path, PieceToken, i + 1).id < 0)
        {
          g_array_index (out, PieceToken, out->len - 1).end = t.end;
          continue;
        }
      g_array_append_val (out, t);
    }

  /* Resolve the unknowns: bytes where the vocabulary has them all, else the unknown token. */
  for (guint i = 0; i < out->len; i++)
    {
      PieceToken t = g_array_index (out, PieceToken, i);
      gboolean all = hf->byte_fallback;

      if (t.id >= 0)
        continue;
      for (int b = offset[t.first]; all && b < offset[t.end]; b++)
        all = hf->byte_ids[(guchar) text[b]] >= 0;
      if (all)
        {
          g_autoptr(GArray) bytes = g_array_new (FALSE, FALSE, sizeof (PieceToken));

          for (int c = t.first; c < t.end; c++)
            for (int b = offset[c]; b < offset[c + 1]; b++)
              {
                PieceToken bt = { hf->byte_ids[(guchar) text[b]], c, c + 1 };

                g_array_append_val (bytes, bt);
              }
          g_array_remove_index (out, i);
          g_array_insert_vals (out, i, bytes->data, bytes->len);
          i += bytes->len - 1;
        }
      else if (tok->unk_id >= 0)
        g_array_index (out, PieceToken, i).id = tok->unk_id;
      else
        g_array_remove_index (out, i--);
    }
}

/* ─── Encoding ─── */

typedef struct {
  GArray    *ids;
  GArray    *starts;
  GArray    *ends;
  GPtrArray *pieces;
} Builder;

static void
builder_add (const TriadTokenizer *tok,
             Builder              *b,
             int                   id,
             int                   start,
             int                   end)
{
  const char *piece = triad_tokenizer_piece (tok, id);

  /* A marker that a pre-tokenizer put before a word (Metaspace's "▁", ByteLevel's space) covers
   * nothing at the word's start; where a normalizer made several words of one stretch of the
   * text, that start can lie before the previous token's end. Offsets stay in order. */
  if (b->ids->len > 0)
    {
      start = MAX (start, g_array_index (b->starts, int, b->starts->len - 1));
      end = MAX (end, g_array_index (b->ends, int, b->ends->len - 1));
    }
  g_array_append_val (b->ids, id);
  g_array_append_val (b->starts, start);
  g_array_append_val (b->ends, end);
  g_ptr_array_add (b->pieces, g_strdup (piece != NULL ? piece : ""));
}

/* Pre-tokenizes and runs the model on normalized text. */
static void
encode_normalized (const TriadTokenizer *tok,
                   GArray               *normal,
                   gboolean              first_section,
                   Scratch              *scratch,
                   Builder              *b)
{
  const TokHf *hf = tok->hf;
  g_autoptr(GPtrArray) pieces = g_ptr_array_new_with_free_func (str_free);
  g_autoptr(GArray) tokens = g_array_new (FALSE, FALSE, sizeof (PieceToken));
  g_autoptr(GString) word = g_string_new (NULL);

  if (normal->len == 0)
    return;
  g_ptr_array_add (pieces, g_array_ref (normal));
  if (hf->pre != NULL)
    pre_apply (hf->pre, pieces, first_section);

  for (guint i = 0; i < pieces->len; i++)
    {
      GArray *piece = pieces->pdata[i];
      g_autofree char *text = str_utf8 (piece, NULL);

      g_string_assign (word, text);
      g_array_set_size (tokens, 0);
      switch (tok->kind)
        {
        case TRIAD_TOKENIZER_WORDPIECE:
          model_wordpiece (tok, piece, word, tokens);
          break;
        case TRIAD_TOKENIZER_UNIGRAM:
          model_unigram (tok, piece, word, tokens);
          break;
        default:
          model_bpe (tok, piece, word, scratch, tokens);
          break;
        }
      for (guint k = 0; k < tokens->len; k++)
        {
          const PieceToken *t = &g_array_index (tokens, PieceToken, k);
          int start = g_array_index (piece, NChar, t->first).start;
          int end = t->end > t->first ? g_array_index (piece, NChar, t->end - 1).end : start;

          builder_add (tok, b, t->id, start, MAX (start, end));
        }
    }
}

void
tok_hf_normalize_added (TokHf *hf)
{
  for (guint i = 0; i < hf->added->len; i++)
    {
      HfAdded *a = hf->added->pdata[i];
      g_autoptr(GArray) chars = NULL;
      g_autoptr(GArray) normal = NULL;

      g_clear_pointer (&a->normal, g_free);
      if (hf->normalizer == NULL || !a->normalized)
        continue;
      chars = str_new ();
      for (const char *p = a->content; *p != '\0'; p = g_utf8_next_char (p))
        str_push (chars, g_utf8_get_char (p), 0, 1);
      normal = norm_apply (hf->normalizer, chars);
      /* A token the normalizer erases can never be found. */
      a->n_normal = normal->len;
      a->normal = g_new (gunichar, normal->len + 1);
      for (guint k = 0; k < normal->len; k++)
        a->normal[k] = g_array_index (normal, NChar, k).c;
    }
}

/* The "normalized" added token whose normalized content starts at s[i], longest first. */
static const HfAdded *
match_normalized (const TokHf *hf,
                  GArray      *s,
                  guint        i,
                  gboolean     parse_special)
{
  const HfAdded *found = NULL;

  for (guint k = 0; k < hf->added->len; k++)
    {
      const HfAdded *a = hf->added->pdata[k];
      glong n;

      if (a->normal == NULL || a->n_normal == 0 || (a->special && !parse_special)
          || (guint) a->n_normal > s->len - i || (found != NULL && a->n_normal <= found->n_normal))
        continue;
      for (n = 0; n < a->n_normal && g_array_index (s, NChar, i + n).c == a->normal[n]; n++)
        ;
      if (n == a->n_normal)
        found = a;
    }
  return found;
}

/* Normalizes a stretch of text between added tokens, splits out the added tokens found in the
 * normalized text, and encodes the rest. */
static void
encode_section (const TriadTokenizer *tok,
                GArray               *chars,
                gboolean              first_section,
                gboolean              parse_special,
                Scratch              *scratch,
                Builder              *b)
{
  const TokHf *hf = tok->hf;
  g_autoptr(GArray) normal = hf->normalizer != NULL ? norm_apply (hf->normalizer, chars)
                                                    : g_array_ref (chars);
  g_autoptr(GArray) stretch = str_new ();
  guint from = 0;

  for (guint i = 0; i <= normal->len; i++)
    {
      const HfAdded *a = i < normal->len ? match_normalized (hf, normal, i, parse_special) : NULL;
      guint stop = i, resume;

      if (a == NULL && i < normal->len)
        continue;
      if (a != NULL && a->lstrip)
        while (stop > from && is_space (g_array_index (normal, NChar, stop - 1).c))
          stop--;
      g_array_set_size (stretch, 0);
      str_append (stretch, normal, from, stop);
      encode_normalized (tok, stretch, first_section, scratch, b);
      if (a == NULL)
        break;
      resume = i + a->n_normal;
      builder_add (tok, b, a->id, g_array_index (normal, NChar, i).start,
                   g_array_index (normal, NChar, resume - 1).end);
      if (a->rstrip)
        while (resume < normal->len && is_space (g_array_index (normal, NChar, resume).c))
          resume++;
      from = resume;
      i = resume - 1;
    }
}

/* The added token that starts at p, longest first, or NULL. */
static const HfAdded *
match_added (const TokHf *hf,
             const char  *p,
             const char  *end,
             gboolean     parse_special)
{
  const HfAdded *found = NULL;

  for (guint i = 0; i < hf->added->len; i++)
    {
      const HfAdded *a = hf->added->pdata[i];

      if (a->normal != NULL || (a->special && !parse_special) || (gsize) (end - p) < a->len
          || memcmp (p, a->content, a->len) != 0)
        continue;
      if (found == NULL || a->len > found->len)
        found = a;
    }
  return found;
}

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || c == '_' || g_unichar_ismark (c);
}

TriadEncoding *
tok_hf_encode (const TriadTokenizer *tok,
               const char           *text,
               gsize                 size,
               gboolean              parse_special)
{
  const TokHf *hf = tok->hf;
  g_autoptr(GArray) chars = str_new ();
  g_autoptr(GArray) section = str_new ();
  g_autoptr(GArray) byte_at = g_array_new (FALSE, FALSE, sizeof (int));
  Builder b;
  Scratch scratch;
  TriadEncoding *enc;
  int pos = 0;
  gboolean first = TRUE;
  guint section_start = 0;

  b.ids = g_array_new (FALSE, FALSE, sizeof (int));
  b.starts = g_array_new (FALSE, FALSE, sizeof (int));
  b.ends = g_array_new (FALSE, FALSE, sizeof (int));
  b.pieces = g_ptr_array_new ();
  tok_scratch_init (&scratch);

  for (const char *p = text; p < text + size; p = g_utf8_next_char (p), pos++)
    {
      int at = p - text;

      str_push (chars, g_utf8_get_char (p), pos, pos + 1);
      g_array_append_val (byte_at, at);
    }
  g_array_append_val (byte_at, size);

  for (guint i = 0; i <= chars->len; i++)
    {
      const HfAdded *a = NULL;
      guint stop = i, resume = i;

      if (i < chars->len && hf->added->len > 0)
        {
          const char *p = text + g_array_index (byte_at, int, i);

          a = match_added (hf, p, text + size, parse_special);
          if (a != NULL)
            {
              guint n = g_utf8_strlen (a->content, a->len);

              resume = i + n;
              if (a->single_word
                  && ((i > 0 && is_word_char (g_array_index (chars, NChar, i - 1).c))
                      || (resume < chars->len
                          && is_word_char (g_array_index (chars, NChar, resume).c))))
                a = NULL;
            }
        }
      if (a == NULL && i < chars->len)
        continue;

      /* The text before the added token, less the spaces it strips. */
      if (a != NULL && a->lstrip)
        while (stop > section_start && is_space (g_array_index (chars, NChar, stop - 1).c))
          stop--;
      g_array_set_size (section, 0);
      str_append (section, chars, section_start, stop);
      if (section->len > 0)
        {
          encode_section (tok, section, first, parse_special, &scratch, &b);
          first = FALSE;
        }
      if (a == NULL)
        break;
      builder_add (tok, &b, a->id, i, resume);
      if (a->rstrip)
        while (resume < chars->len && is_space (g_array_index (chars, NChar, resume).c))
          resume++;
      section_start = resume;
      i = resume - 1;
      first = FALSE;
    }
  tok_scratch_clear (&scratch);

  enc = g_new0 (TriadEncoding, 1);
  enc->n = b.ids->len;
  g_ptr_array_add (b.pieces, NULL);
  enc->pieces = (char **) g_ptr_array_free (b.pieces, FALSE);
  enc->ids = g_array_steal (b.ids, NULL);
  enc->start = g_array_steal (b.starts, NULL);
  enc->end = g_array_steal (b.ends, NULL);
  g_array_unref (b.ids);
  g_array_unref (b.starts);
  g_array_unref (b.ends);
  return enc;
}
