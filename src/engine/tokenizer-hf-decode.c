/* tokenizer-hf-decode.c — a Hugging Face tokenizer.json: reading the whole file (model, added
 * tokens, post-processor, decoder, the roles from tokenizer_config.json), and post-processing,
 * decoding and display. The normalizers, pre-tokenizers and models are in tokenizer-hf.c. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"

#include "engine/error.h"
#include "engine/tokenizer.h"
#include "engine/tokenizer-private.h"
#include "engine/tokenizer-hf-private.h"

/* ─── Post-processors ─── */

enum { POST_SEQUENCE, POST_TEMPLATE, POST_BERT, POST_ROBERTA, POST_BYTE_LEVEL };

struct _HfPost {
  int        type;
  GPtrArray *children;
  GArray    *before;   /* ids put before the text */
  GArray    *after;    /* and after it */
};

static void
post_free (gpointer data)
{
  HfPost *p = data;

  if (p == NULL)
    return;
  g_clear_pointer (&p->children, g_ptr_array_unref);
  g_clear_pointer (&p->before, g_array_unref);
  g_clear_pointer (&p->after, g_array_unref);
  g_free (p);
}

/* The id of a special named in a post-processor: from the template's own table, else the
 * vocabulary. */
static gboolean
special_ids (const TriadTokenizer  *tok,
             const char            *source,
             JsonObject            *table,
             const char            *name,
             GArray                *out,
             GError               **error)
{
  JsonArray *ids = tok_json_array (tok_json_object (table, name), "ids");
  int id;

  if (ids != NULL && json_array_get_length (ids) > 0)
    {
      for (guint i = 0; i < json_array_get_length (ids); i++)
        {
          id = tok_json_array_int (ids, i, -1);
          if (triad_tokenizer_piece (tok, id) == NULL)
            {
              g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                           _("%s: the post-processor adds an id that is not in the vocabulary"),
                           source);
              return FALSE;
            }
          g_array_append_val (out, id);
        }
      return TRUE;
    }
  if (name == NULL || (id = tok_lookup_id (tok, name)) < 0)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                   _("%s: the post-processor adds “%s”, which is not in the vocabulary"),
                   source, name != NULL ? name : "?");
      return FALSE;
    }
  g_array_append_val (out, id);
  return TRUE;
}

static HfPost *
parse_post (const TriadTokenizer  *tok,
            const char            *source,
            JsonObject            *obj,
            GError               **error)
{
  static const char * const names[] = {
    "Sequence", "TemplateProcessing", "BertProcessing", "RobertaProcessing", "ByteLevel", NULL,
  };
  const char *type = tok_json_string (obj, "type");
  HfPost *p = g_new0 (HfPost, 1);

  p->type = tok_json_type (obj, names);
  p->before = g_array_new (FALSE, FALSE, sizeof (int));
  p->after = g_array_new (FALSE, FALSE, sizeof (int));
  switch (p->type)
    {
    case POST_SEQUENCE:
      {
        JsonArray *children = tok_json_array (obj, "processors");

        p->children = g_ptr_array_new_with_free_func (post_free);
        for (guint i = 0; children != NULL && i < json_array_get_length (children); i++)
          {
            HfPost *child = parse_post (tok, source,
                                        tok_json_array_object (children, i), error);
            if (child == NULL)
              goto fail;
            g_ptr_array_add (p->children, child);
          }
        return p;
      }
    case POST_TEMPLATE:
      {
        JsonArray *single = tok_json_array (obj, "single");
        JsonObject *table = tok_json_object (obj, "special_tokens");
        gboolean seen = FALSE;

        for (guint i = 0; single != NULL && i < json_array_get_length (single); i++)
          {
            JsonObject *item = tok_json_array_object (single, i);
            JsonObject *special = tok_json_object (item, "SpecialToken");

            if (special == NULL)
              {
                seen = seen || tok_json_object (item, "Sequence") != NULL;
                continue;
              }
            if (!special_ids (tok, source, table, tok_json_string (special, "id"),
                              seen ? p->after : p->before, error))
              goto fail;
          }
        return p;
      }
    case POST_BERT:
    case POST_ROBERTA:
      {
        JsonArray *cls = tok_json_array (obj, "cls");
        JsonArray *sep = tok_json_array (obj, "sep");
        int id;

        if (cls == NULL || sep == NULL || json_array_get_length (cls) != 2
            || json_array_get_length (sep) != 2)
          {
            g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                         _("%s: the post-processor's “cls” or “sep” is not a pair of a token "
                           "and its id"), source);
            goto fail;
          }
        id = tok_json_array_int (cls, 1, -1);
        g_array_append_val (p->before, id);
        id = tok_json_array_int (sep, 1, -1);
        g_array_append_val (p->after, id);
        if (triad_tokenizer_piece (tok, g_array_index (p->before, int, 0)) == NULL
            || triad_tokenizer_piece (tok, id) == NULL)
          {
            g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                         _("%s: the post-processor adds an id that is not in the vocabulary"),
                         source);
            goto fail;
          }
        return p;
      }
    case POST_BYTE_LEVEL:
      return p;
    default:
      /* TRANSLATORS: fills the second %s of “%s: the %s type “%s” is not supported”,
       * the part of a tokenizer.json whose type that is. */
      tok_hf_unsupported (source, C_("tokenizer part", "post-processor"), type,
                          "Sequence, TemplateProcessing, BertProcessing, RobertaProcessing, "
                          "ByteLevel", error);
      goto fail;
    }
fail:
  post_free (p);
  return NULL;
}

static void
post_apply (const HfPost *p,
            GArray       *before,
            GArray       *after)
{
  if (p->type == POST_SEQUENCE)
    {
      for (guint i = 0; i < p->children->len; i++)
        post_apply (p->children->pdata[i], before, after);
      return;
    }
  g_array_prepend_vals (before, p->before->data, p->before->len);
  g_array_append_vals (after, p->after->data, p->after->len);
}

TriadEncoding *
tok_hf_post_process (const TriadTokenizer *tok,
                     const TriadEncoding  *enc)
{
  g_autoptr(GArray) before = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) after = g_array_new (FALSE, FALSE, sizeof (int));
  TriadEncoding *out = g_new0 (TriadEncoding, 1);
  int end = enc->n > 0 ? enc->end[enc->n - 1] : 0;
  int k = 0;

  if (tok->hf != NULL && tok->hf->post != NULL)
    post_apply (tok->hf->post, before, after);
  out->n = before->len + enc->n + after->len;
  out->ids = g_new (int, out->n);
  out->start = g_new (int, out->n);
  out->end = g_new (int, out->n);
  out->pieces = g_new0 (char *, out->n + 1);
  for (guint i = 0; i < before->len; i++, k++)
    {
      out->ids[k] = g_array_index (before, int, i);
      out->start[k] = out->end[k] = 0;
    }
  for (int i = 0; i < enc->n; i++, k++)
    {
      out->ids[k] = enc->ids[i];
      out->start[k] = enc->start[i];
      out->end[k] = enc->end[i];
      out->pieces[k] = g_strdup (enc->pieces[i]);
    }
  for (guint i = 0; i < after->len; i++, k++)
    {
      out->ids[k] = g_array_index (after, int, i);
      out->start[k] = out->end[k] = end;
    }
  for (k = 0; k < out->n; k++)
    if (out->pieces[k] == NULL)
      out->pieces[k] = g_strdup (triad_tokenizer_piece (tok, out->ids[k]) ?: "");
  return out;
}

/* ─── Decoders ─── */

enum {
  DEC_SEQUENCE, DEC_BYTE_LEVEL, DEC_WORDPIECE, DEC_METASPACE, DEC_REPLACE, DEC_BYTE_FALLBACK,
  DEC_FUSE, DEC_STRIP, DEC_BPE,
};

struct _HfDec {
  int        type;
  GPtrArray *children;
  char      *prefix;       /* WordPiece */
  gboolean   cleanup;
  char      *replacement;  /* Metaspace */
  gboolean   prepend;
  GRegex    *regex;        /* Replace */
  char      *content;      /* Replace, Strip; BPEDecoder's suffix */
  int        start, stop;  /* Strip */
};

static void
dec_free (gpointer data)
{
  HfDec *d = data;

  if (d == NULL)
    return;
  g_clear_pointer (&d->children, g_ptr_array_unref);
  g_clear_pointer (&d->regex, g_regex_unref);
  g_free (d->prefix);
  g_free (d->replacement);
  g_free (d->content);
  g_free (d);
}

static HfDec *
parse_decoder (const char  *source,
               JsonObject  *obj,
               GError     **error)
{
  static const char * const names[] = {
    "Sequence", "ByteLevel", "WordPiece", "Metaspace", "Replace", "ByteFallback", "Fuse", "Strip",
    "BPEDecoder", NULL,
  };
  const char *type = tok_json_string (obj, "type");
  HfDec *d = g_new0 (HfDec, 1);

  d->type = tok_json_type (obj, names);
  switch (d->type)
    {
    case DEC_SEQUENCE:
      {
        JsonArray *children = tok_json_array (obj, "decoders");

        d->children = g_ptr_array_new_with_free_func (dec_free);
        for (guint i = 0; children != NULL && i < json_array_get_length (children); i++)
          {
            HfDec *child = parse_decoder (source, tok_json_array_object (children, i),
                                          error);
            if (child == NULL)
              goto fail;
            g_ptr_array_add (d->children, child);
          }
        return d;
      }
    case DEC_WORDPIECE:
      d->prefix = g_strdup (tok_json_string (obj, "prefix") ?: "##");
      d->cleanup = tok_json_bool (obj, "cleanup", TRUE);
      return d;
    case DEC_METASPACE:
      {
        const char *scheme = tok_json_string (obj, "prepend_scheme");

        d->replacement = g_strdup (tok_json_string (obj, "replacement") ?: "\xe2\x96\x81");
        d->prepend = scheme != NULL ? strcmp (scheme, "never") != 0
                                    : tok_json_bool (obj, "add_prefix_space", TRUE);
        return d;
      }
    case DEC_REPLACE:
      {
        JsonObject *pattern = tok_json_object (obj, "pattern");
        const char *string = tok_json_string (pattern, "String");
        const char *regex = tok_json_string (pattern, "Regex");
        g_autofree char *escaped = string != NULL ? g_regex_escape_string (string, -1) : NULL;

        d->content = g_strdup (tok_json_string (obj, "content") ?: "");
        d->regex = g_regex_new (escaped != NULL ? escaped : regex != NULL ? regex : "(?!)",
                                0, 0, NULL);
        if (d->regex == NULL)
          {
            g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                         _("%s: a Replace decoder's pattern is not a regular expression Triad "
                           "can read"), source);
            goto fail;
          }
        return d;
      }
    case DEC_STRIP:
      d->content = g_strdup (tok_json_string (obj, "content") ?: " ");
      d->start = CLAMP (tok_json_int (obj, "start", 0), 0, G_MAXINT);
      d->stop = CLAMP (tok_json_int (obj, "stop", 0), 0, G_MAXINT);
      return d;
    case DEC_BPE:
      d->content = g_strdup (tok_json_string (obj, "suffix") ?: "</w>");
      return d;
    case DEC_BYTE_LEVEL:
    case DEC_BYTE_FALLBACK:
    case DEC_FUSE:
      return d;
    default:
      /* TRANSLATORS: fills the second %s of “%s: the %s type “%s” is not supported”,
       * the part of a tokenizer.json whose type that is. */
      tok_hf_unsupported (source, C_("tokenizer part", "decoder"), type,
                          "Sequence, ByteLevel, WordPiece, Metaspace, Replace, ByteFallback, "
                          "Fuse, Strip, BPEDecoder", error);
      goto fail;
    }
fail:
  dec_free (d);
  return NULL;
}

/* Bytes to text as a browser's TextDecoder does it: each maximal invalid stretch one U+FFFD. */
static void
append_lossy (GString      *out,
              const guchar *s,
              gsize         n)
{
  gsize i = 0;

  while (i < n)
    {
      guchar c = s[i];
      int need;
      guchar lo = 0x80, hi = 0xbf;
      gsize j;

      if (c < 0x80)
        {
          g_string_append_c (out, c);
          i++;
          continue;
        }
      if (c >= 0xc2 && c <= 0xdf)
        need = 1;
      else if (c >= 0xe0 && c <= 0xef)
        {
          need = 2;
          if (c == 0xe0)
            lo = 0xa0;
          if (c == 0xed)
            hi = 0x9f;
        }
      else if (c >= 0xf0 && c <= 0xf4)
        {
          need = 3;
          if (c == 0xf0)
            lo = 0x90;
          if (c == 0xf4)
            hi = 0x8f;
        }
      else
        {
          g_string_append (out, "\xef\xbf\xbd");
          i++;
          continue;
        }
      for (j = 1; j <= (gsize) need && i + j < n; j++)
        {
          guchar b = s[i + j];

          if (b < lo || b > hi)
            break;
          lo = 0x80;
          hi = 0xbf;
        }
      if (j == (gsize) need + 1)
        g_string_append_len (out, (const char *) s + i, j);
      else
        g_string_append (out, "\xef\xbf\xbd");
      i += j;
    }
}

/* The bytes that byte-level pieces stand for; a character outside the byte alphabet (an added
 * token's) stands for its own UTF-8. */
static GByteArray *
byte_level_bytes (const char *pieces)
{
  GByteArray *bytes = g_byte_array_new ();

  for (const char *p = pieces; *p != '\0'; p = g_utf8_next_char (p))
    {
      int b = tok_byte_of_char (g_utf8_get_char (p));

      if (b >= 0)
        {
          guint8 byte = b;

          g_byte_array_append (bytes, &byte, 1);
        }
      else
        g_byte_array_append (bytes, (const guint8 *) p, g_utf8_next_char (p) - p);
    }
  return bytes;
}

static char *
byte_level_text (const char *pieces)
{
  GByteArray *bytes = byte_level_bytes (pieces);
  GString *out = g_string_new (NULL);

  append_lossy (out, bytes->data, bytes->len);
  g_byte_array_unref (bytes);
  return g_string_free (out, FALSE);
}

static gboolean
is_added (const TokHf *hf,
          const char  *token)
{
  for (guint i = 0; i < hf->added->len; i++)
    if (strcmp (((const HfAdded *) hf->added->pdata[i])->content, token) == 0)
      return TRUE;
  return FALSE;
}

static void
replace_all (GString    *s,
             const char *from,
             const char *to)
{
  g_string_replace (s, from, to, 0);
}

static void
clean_up_tokenization (GString *s)
{
  static const char * const pairs[] = {
    " .", ".", " ?", "?", " !", "!", " ,", ",", " ' ", "'", " n't", "n't", " 'm", "'m",
    " 's", "'s", " 've", "'ve", " 're", "'re",
  };

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i += 2)
    replace_all (s, pairs[i], pairs[i + 1]);
}

/* Each decoder turns the list of token strings into another, as tokenizers' decode_chain. */
static void
dec_apply (const TokHf *hf,
           const HfDec *d,
           GPtrArray   *tokens)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);

  switch (d->type)
    {
    case DEC_SEQUENCE:
      for (guint i = 0; i < d->children->len; i++)
        dec_apply (hf, d->children->pdata[i], tokens);
      return;
    case DEC_BYTE_LEVEL:
      {
        GString *run = g_string_new (NULL);

        /* Added tokens stand as they are written; the runs between them are bytes. */
        for (guint i = 0; i <= tokens->len; i++)
          {
            const char *t = i < tokens->len ? tokens->pdata[i] : NULL;

            if (t != NULL && !is_added (hf, t))
              {
                g_string_append (run, t);
                continue;
              }
            if (run->len > 0)
              {
                g_ptr_array_add (out, byte_level_text (run->str));
                g_string_truncate (run, 0);
              }
            if (t != NULL)
              g_ptr_array_add (out, g_strdup (t));
          }
        g_string_free (run, TRUE);
        break;
      }
    case DEC_WORDPIECE:
      for (guint i = 0; i < tokens->len; i++)
        {
          const char *t = tokens->pdata[i];
          GString *s = g_string_new (NULL);

          if (i > 0 && *d->prefix != '\0' && g_str_has_prefix (t, d->prefix))
            g_string_append (s, t + strlen (d->prefix));
          else
            {
              if (i > 0)
                g_string_append_c (s, ' ');
              g_string_append (s, t);
            }
          if (d->cleanup)
            clean_up_tokenization (s);
          g_ptr_array_add (out, g_string_free (s, FALSE));
        }
      break;
    case DEC_METASPACE:
      for (guint i = 0; i < tokens->len; i++)
        {
          GString *s = g_string_new (tokens->pdata[i]);

          replace_all (s, d->replacement, " ");
          if (i == 0 && d->prepend && s->str[0] == ' ')
            g_string_erase (s, 0, 1);
          g_ptr_array_add (out, g_string_free (s, FALSE));
        }
      break;
    case DEC_REPLACE:
      for (guint i = 0; i < tokens->len; i++)
        g_ptr_array_add (out, g_regex_replace_literal (d->regex, tokens->pdata[i], -1, 0,
                                                       d->content, 0, NULL));
      break;
    case DEC_BYTE_FALLBACK:
      {
        GByteArray *bytes = g_byte_array_new ();

        for (guint i = 0; i <= tokens->len; i++)
          {
            const char *t = i < tokens->len ? tokens->pdata[i] : NULL;

            if (t != NULL && strlen (t) == 6 && g_str_has_prefix (t, "<0x") && t[5] == '>'
                && g_ascii_isxdigit (t[3]) && g_ascii_isxdigit (t[4]))
              {
                guint8 b = g_ascii_xdigit_value (t[3]) * 16 + g_ascii_xdigit_value (t[4]);

                g_byte_array_append (bytes, &b, 1);
                continue;
              }
            if (bytes->len > 0)
              {
                GString *s = g_string_new (NULL);

                append_lossy (s, bytes->data, bytes->len);
                g_ptr_array_add (out, g_string_free (s, FALSE));
                g_byte_array_set_size (bytes, 0);
              }
            if (t != NULL)
              g_ptr_array_add (out, g_strdup (t));
          }
        g_byte_array_unref (bytes);
        break;
      }
    case DEC_FUSE:
      g_ptr_array_add (tokens, NULL);
      g_ptr_array_add (out, g_strjoinv ("", (char **) tokens->pdata));
      g_ptr_array_set_size (tokens, tokens->len - 1);
      break;
    case DEC_STRIP:
      for (guint i = 0; i < tokens->len; i++)
        {
          const char *t = tokens->pdata[i];
          gsize clen = strlen (d->content), len = strlen (t), a = 0, b = len;

          for (int k = 0; k < d->start && clen > 0 && a + clen <= b
               && memcmp (t + a, d->content, clen) == 0; k++)
            a += clen;
          for (int k = 0; k < d->stop && clen > 0 && b >= a + clen
               && memcmp (t + b - clen, d->content, clen) == 0; k++)
            b -= clen;
          g_ptr_array_add (out, g_strndup (t + a, b - a));
        }
      break;
    case DEC_BPE:
      for (guint i = 0; i < tokens->len; i++)
        {
          GString *s = g_string_new (tokens->pdata[i]);

          replace_all (s, d->content, i + 1 == tokens->len ? "" : " ");
          g_ptr_array_add (out, g_string_free (s, FALSE));
        }
      break;
    default:
      g_assert_not_reached ();
    }
  g_ptr_array_set_size (tokens, 0);
  for (guint i = 0; i < out->len; i++)
    g_ptr_array_add (tokens, g_steal_pointer (&out->pdata[i]));
}

char *
tok_hf_decode (const TriadTokenizer *tok,
               const int            *ids,
               int                   n)
{
  const TokHf *hf = tok->hf;
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  GString *s;

  for (int i = 0; i < n; i++)
    {
      const char *piece = triad_tokenizer_piece (tok, ids[i]);

      if (piece == NULL)
        piece = triad_tokenizer_piece (tok, tok->unk_id);
      if (piece != NULL)
        g_ptr_array_add (tokens, g_strdup (piece));
    }
  if (hf->decoder != NULL)
    dec_apply (hf, hf->decoder, tokens);
  g_ptr_array_add (tokens, NULL);
  s = g_string_new (NULL);
  for (guint i = 0; tokens->pdata[i] != NULL; i++)
    {
      /* Without a decoder, tokenizers joins the tokens with spaces. */
      if (hf->decoder == NULL && i > 0)
        g_string_append_c (s, ' ');
      g_string_append (s, tokens->pdata[i]);
    }
  if (hf->clean_up)
    clean_up_tokenization (s);
  return g_string_free (s, FALSE);
}

/* ─── Display ─── */

char *
tok_hf_display (const TriadTokenizer *tok,
                int                   id)
{
  const char *piece = triad_tokenizer_piece (tok, id);
  GString *out;

  if (piece == NULL)
    return g_strdup (triad_tokenizer_piece (tok, tok->unk_id) ?: "<unk>");
  if (is_added (tok->hf, piece))
    return g_strdup (piece);

  switch (tok->kind)
    {
    case TRIAD_TOKENIZER_BYTE_LEVEL_BPE:
      {
        GByteArray *bytes = byte_level_bytes (piece);
        const char *p, *end, *bad;
        gboolean blank = TRUE;

        out = g_string_new (NULL);
        p = (const char *) bytes->data;
        end = p + bytes->len;
        for (const char *q = p; q < end; q++)
          blank = blank && g_ascii_isspace (*q);
        /* A token of spaces alone keeps its "Ġ" to be seen; new lines and tabs read as "\n", "\t". */
        if (blank)
          {
            for (const char *q = p; q < end; q++)
              g_string_append (out, *q == '\n' ? "\\n" : *q == '\t' ? "\\t" : *q == '\r' ? "\\r"
                                    : *q == ' ' ? "\xc4\xa0" : "\\f");
            g_byte_array_unref (bytes);
            return g_string_free (out, FALSE);
          }
        if (p < end && *p == ' ')
          p++;
        /* Bytes that are part of a character, not a whole one, show as <0xNN>. */
        while (p < end)
          {
            if (g_utf8_validate_len (p, end - p, &bad))
              bad = end;
            g_string_append_len (out, p, bad - p);
            p = bad;
            if (p < end)
              {
                g_string_append_printf (out, "<0x%02X>", (guchar) *p);
                p++;
              }
          }
        g_byte_array_unref (bytes);
        return g_string_free (out, FALSE);
      }
    case TRIAD_TOKENIZER_BPE:
    case TRIAD_TOKENIZER_UNIGRAM:
      /* As Triad's own: a leading "▁" dropped, a lone one kept. */
      if (g_str_has_prefix (piece, SPACE_MARK) && piece[SPACE_MARK_LEN] != '\0')
        return g_strdup (piece + SPACE_MARK_LEN);
      return g_strdup (piece);
    default:
      return g_strdup (piece);
    }
}

/* ─── Roles ─── */

int
tok_hf_special_id (const TriadTokenizer *tok,
                   int                   role)
{
  return tok->hf->roles[role];
}

gboolean
tok_hf_is_special (const TriadTokenizer *tok,
                   int                   id)
{
  const TokHf *hf = tok->hf;

  for (guint i = 0; i < hf->added->len; i++)
    {
      const HfAdded *a = hf->added->pdata[i];

      if (a->id == id && a->special)
        return TRUE;
    }
  for (int r = 0; r < TRIAD_N_SPECIAL_TOKENS; r++)
    if (hf->roles[r] == id && id >= 0)
      return TRUE;
  return FALSE;
}

/* A role's token as tokenizer_config.json writes it: a string or an object with "content". */
static const char *
config_token (JsonObject *config,
              const char *key)
{
  JsonObject *obj;

  if (config == NULL)
    return NULL;
  if ((obj = tok_json_object (config, key)) != NULL)
    return tok_json_string (obj, "content");
  return tok_json_string (config, key);
}

static void
find_roles (TriadTokenizer *tok,
            JsonObject     *config,
            JsonObject     *special_map)
{
  static const char * const keys[TRIAD_N_SPECIAL_TOKENS][2] = {
    { "pad_token", NULL }, { "unk_token", NULL }, { "bos_token", "cls_token" },
    { "eos_token", NULL }, { "mask_token", NULL }, { "sep_token", NULL },
  };
  static const char * const names[TRIAD_N_SPECIAL_TOKENS][4] = {
    { "[PAD]", "<pad>", NULL }, { "[UNK]", "<unk>", NULL },
    { "[CLS]", "<s>", "<|endoftext|>", NULL }, { "</s>", "<|endoftext|>", NULL },
    { "[MASK]", "<mask>", NULL }, { "[SEP]", "</s>", NULL },
  };

  for (int r = 0; r < TRIAD_N_SPECIAL_TOKENS; r++)
    {
      int id = -1;

      for (int k = 0; id < 0 && k < 2 && keys[r][k] != NULL; k++)
        {
          const char *name = config_token (config, keys[r][k]);

          if (name == NULL)
            name = config_token (special_map, keys[r][k]);
          if (name != NULL)
            id = tok_lookup_id (tok, name);
        }
      for (int k = 0; id < 0 && names[r][k] != NULL; k++)
        id = tok_lookup_id (tok, names[r][k]);
      if (r == TRIAD_TOKEN_UNK && id < 0)
        id = tok->unk_id;
      tok->hf->roles[r] = id;
    }
}

/* ─── Reading the file ─── */

void
tok_hf_free (TokHf *hf)
{
  if (hf == NULL)
    return;
  tok_hf_norm_free (hf->normalizer);
  tok_hf_pre_free (hf->pre);
  post_free (hf->post);
  dec_free (hf->decoder);
  for (guint i = 0; hf->added != NULL && i < hf->added->len; i++)
    {
      g_free (((HfAdded *) hf->added->pdata[i])->content);
      g_free (((HfAdded *) hf->added->pdata[i])->normal);
    }
  g_clear_pointer (&hf->added, g_ptr_array_unref);
  g_free (hf->prefix);
  g_free (hf->suffix);
  g_free (hf->scores);
  g_free (hf);
}

gboolean
tok_hf_is_hf (JsonObject *root)
{
  return tok_json_string (tok_json_object (root, "model"), "type") != NULL;
}

/* Puts piece at id; the vocabulary grows to reach it. */
static gboolean
set_piece (TriadTokenizer  *tok,
           const char      *source,
           const char      *piece,
           gint64           id,
           GError         **error)
{
  char *copy;

  /* The largest vocabularies have a quarter of a million tokens; ids are dense. */
  if (id < 0 || id >= (1 << 21))
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                   _("%s: the token “%s” has the id %lld, out of range"),
                   source, piece, (long long) id);
      return FALSE;
    }
  if (*piece == '\0')
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                   _("%s: the vocabulary has an empty token"), source);
      return FALSE;
    }
  if (id >= tok->vocab->len)
    g_ptr_array_set_size (tok->vocab, id + 1);
  if (tok->vocab->pdata[id] != NULL)
    {
      if (strcmp (tok->vocab->pdata[id], piece) == 0)
        return TRUE;
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                   _("%s: the id %d is both “%s” and “%s”"),
                   source, (int) id, (const char *) tok->vocab->pdata[id], piece);
      return FALSE;
    }
  copy = g_strdup (piece);
  tok->vocab->pdata[id] = copy;
  if (!g_hash_table_contains (tok->ids, copy))
    g_hash_table_insert (tok->ids, copy, GINT_TO_POINTER ((int) id));
  return TRUE;
}

static gboolean
add_merge (TriadTokenizer  *tok,
           const char      *source,
           guint            index,
           const char      *left,
           const char      *right,
           GError         **error)
{
  const char *tail = right;
  g_autofree char *joined = NULL;
  int l, r, result;

  if (tok->hf->prefix != NULL && g_str_has_prefix (right, tok->hf->prefix))
    tail = right + strlen (tok->hf->prefix);
  joined = g_strconcat (left, tail, NULL);
  l = tok_lookup_id (tok, left);
  r = tok_lookup_id (tok, right);
  result = tok_lookup_id (tok, joined);
  if (l < 0 || r < 0 || result < 0)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                   _("%s: merge %u, “%s” and “%s”, uses or makes a token that is not in the "
                     "vocabulary"), source, index, left, right);
      return FALSE;
    }
  tok_push_merge (tok, l, r, result);
  return TRUE;
}

static gboolean
parse_vocab_map (TriadTokenizer  *tok,
                 const char      *source,
                 JsonObject      *model,
                 GError         **error)
{
  JsonObject *vocab = tok_json_object (model, "vocab");
  JsonObjectIter iter;
  const char *piece;
  JsonNode *node;

  if (vocab == NULL)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                   _("%s: the model's “vocab” is missing or not an object"), source);
      return FALSE;
    }
  json_object_iter_init (&iter, vocab);
  while (json_object_iter_next (&iter, &piece, &node))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                       _("%s: the id of “%s” is not a number"), source, piece);
          return FALSE;
        }
      if (!set_piece (tok, source, piece, json_node_get_int (node), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_model (TriadTokenizer  *tok,
             const char      *source,
             JsonObject      *model,
             GError         **error)
{
  TokHf *hf = tok->hf;
  const char *type = tok_json_string (model, "type");
  const char *unk = tok_json_string (model, "unk_token");

  hf->prefix = g_strdup (tok_json_string (model, "continuing_subword_prefix"));
  if (strcmp (type, "BPE") == 0)
    {
      JsonArray *merges = tok_json_array (model, "merges");

      tok->kind = TRIAD_TOKENIZER_BPE;
      hf->suffix = g_strdup (tok_json_string (model, "end_of_word_suffix"));
      hf->byte_fallback = tok_json_bool (model, "byte_fallback", FALSE);
      hf->ignore_merges = tok_json_bool (model, "ignore_merges", FALSE);
      hf->fuse_unk = tok_json_bool (model, "fuse_unk", FALSE);
      if (!parse_vocab_map (tok, source, model, error))
        return FALSE;
      if (merges == NULL)
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                       _("%s: the BPE model's “merges” is missing or not an array"), source);
          return FALSE;
        }
      for (guint i = 0; i < json_array_get_length (merges); i++)
        {
          JsonNode *node = json_array_get_element (merges, i);
          g_auto(GStrv) parts = NULL;
          const char *left = NULL, *right = NULL;

          /* "a b" as older files write a merge, or ["a", "b"] as newer ones do. */
          if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
            {
              parts = g_strsplit (json_node_get_string (node), " ", 2);
              if (parts[0] != NULL && parts[1] != NULL)
                left = parts[0], right = parts[1];
            }
          else if (JSON_NODE_HOLDS_ARRAY (node)
                   && json_array_get_length (json_node_get_array (node)) == 2)
            {
              JsonArray *pair = json_node_get_array (node);
              JsonNode *a = json_array_get_element (pair, 0), *b = json_array_get_element (pair, 1);

              if (JSON_NODE_HOLDS_VALUE (a) && json_node_get_value_type (a) == G_TYPE_STRING
                  && JSON_NODE_HOLDS_VALUE (b) && json_node_get_value_type (b) == G_TYPE_STRING)
                left = json_node_get_string (a), right = json_node_get_string (b);
            }
          if (left == NULL)
            {
              g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                           _("%s: merge %u is not a pair of strings"), source, i);
              return FALSE;
            }
          if (!add_merge (tok, source, i, left, right, error))
            return FALSE;
        }
    }
  else if (strcmp (type, "WordPiece") == 0)
    {
      tok->kind = TRIAD_TOKENIZER_WORDPIECE;
      if (hf->prefix == NULL)
        hf->prefix = g_strdup ("##");
      hf->max_chars = CLAMP (tok_json_int (model, "max_input_chars_per_word", 100), 0, G_MAXINT);
      if (!parse_vocab_map (tok, source, model, error))
        return FALSE;
    }
  else if (strcmp (type, "Unigram") == 0)
    {
      JsonArray *vocab = tok_json_array (model, "vocab");
      double min_score = 0;
      gint64 unk_id;

      tok->kind = TRIAD_TOKENIZER_UNIGRAM;
      hf->byte_fallback = tok_json_bool (model, "byte_fallback", FALSE);
      if (vocab == NULL)
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                       _("%s: the Unigram model's “vocab” is missing or not an array"), source);
          return FALSE;
        }
      hf->n_scores = json_array_get_length (vocab);
      hf->scores = g_new (double, hf->n_scores);
      for (guint i = 0; i < hf->n_scores; i++)
        {
          JsonNode *node = json_array_get_element (vocab, i);
          JsonArray *pair = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
          JsonNode *p = pair != NULL && json_array_get_length (pair) == 2
                        ? json_array_get_element (pair, 0) : NULL;
          JsonNode *s = pair != NULL && json_array_get_length (pair) == 2
                        ? json_array_get_element (pair, 1) : NULL;

          if (p == NULL || !JSON_NODE_HOLDS_VALUE (p) || json_node_get_value_type (p) != G_TYPE_STRING
              || s == NULL || !JSON_NODE_HOLDS_VALUE (s)
              || (json_node_get_value_type (s) != G_TYPE_DOUBLE
                  && json_node_get_value_type (s) != G_TYPE_INT64))
            {
              g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                           _("%s: Unigram vocabulary entry %u is not a token and its score"),
                           source, i);
              return FALSE;
            }
          if (!set_piece (tok, source, json_node_get_string (p), i, error))
            return FALSE;
          hf->scores[i] = json_node_get_double (s);
          if (i == 0 || hf->scores[i] < min_score)
            min_score = hf->scores[i];
          hf->max_piece_chars = MAX (hf->max_piece_chars,
                                     (int) g_utf8_strlen (json_node_get_string (p), -1));
        }
      unk_id = tok_json_int (model, "unk_id", -1);
      if (unk_id < -1 || unk_id >= (gint64) hf->n_scores)
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                       _("%s: the Unigram model's “unk_id” is past its vocabulary"), source);
          return FALSE;
        }
      tok->unk_id = unk_id;
      /* An unknown character costs ten more than the rarest piece, as SentencePiece has it;
       * the unknown token itself is never chosen for its own text. */
      hf->unk_score = min_score - 10;
      if (unk_id >= 0)
        hf->scores[unk_id] = hf->unk_score;
      return TRUE;
    }
  else
    {
      /* TRANSLATORS: fills the second %s of “%s: the %s type “%s” is not supported”,
       * the part of a tokenizer.json whose type that is. */
      tok_hf_unsupported (source, C_("tokenizer part", "model"), type,
                          "BPE, WordPiece, Unigram", error);
      return FALSE;
    }
  tok->unk_id = unk != NULL ? tok_lookup_id (tok, unk) : -1;
  return TRUE;
}

static gboolean
parse_added (TriadTokenizer  *tok,
             const char      *source,
             JsonArray       *added,
             GError         **error)
{
  for (guint i = 0; added != NULL && i < json_array_get_length (added); i++)
    {
      JsonObject *obj = tok_json_array_object (added, i);
      const char *content = tok_json_string (obj, "content");
      gint64 id = tok_json_int (obj, "id", -1);
      HfAdded *a;

      if (content == NULL || id < 0)
        {
          g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                       _("%s: added token %u has no “content” or no “id”"), source, i);
          return FALSE;
        }
      if (!set_piece (tok, source, content, id, error))
        return FALSE;
      a = g_new0 (HfAdded, 1);
      a->content = g_strdup (content);
      a->len = strlen (content);
      a->id = id;
      a->special = tok_json_bool (obj, "special", FALSE);
      a->lstrip = tok_json_bool (obj, "lstrip", FALSE);
      a->rstrip = tok_json_bool (obj, "rstrip", FALSE);
      a->single_word = tok_json_bool (obj, "single_word", FALSE);
      a->normalized = tok_json_bool (obj, "normalized", !a->special);
      g_ptr_array_add (tok->hf->added, a);
    }
  return TRUE;
}

static gboolean
has_byte_level (JsonObject *obj)
{
  const char *type = tok_json_string (obj, "type");
  JsonArray *children = tok_json_array (obj, "pretokenizers");

  if (type != NULL && strcmp (type, "ByteLevel") == 0)
    return TRUE;
  for (guint i = 0; children != NULL && i < json_array_get_length (children); i++)
    if (has_byte_level (tok_json_array_object (children, i)))
      return TRUE;
  return FALSE;
}

TriadTokenizer *
tok_hf_parse (const char  *source,
              JsonObject  *root,
              JsonObject  *config,
              JsonObject  *special_map,
              GError     **error)
{
  g_autoptr(TriadTokenizer) tok = tokenizer_alloc ();
  JsonObject *model = tok_json_object (root, "model");
  JsonObject *part;
  TokHf *hf;

  hf = tok->hf = g_new0 (TokHf, 1);
  hf->added = g_ptr_array_new_with_free_func (g_free);
  if (!parse_model (tok, source, model, error))
    return NULL;
  if (!parse_added (tok, source, tok_json_array (root, "added_tokens"), error))
    return NULL;
  if (tok->vocab->len == 0)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOKENIZER,
                   _("%s: the vocabulary is empty"), source);
      return NULL;
    }
  if (tok->kind == TRIAD_TOKENIZER_BPE && has_byte_level (tok_json_object (root, "pre_tokenizer")))
    tok->kind = TRIAD_TOKENIZER_BYTE_LEVEL_BPE;
  for (int b = 0; b < 256; b++)
    {
      char name[8];

      g_snprintf (name, sizeof name, "<0x%02X>", b);
      hf->byte_ids[b] = tok_lookup_id (tok, name);
    }

  if ((part = tok_json_object (root, "normalizer")) != NULL
      && (hf->normalizer = tok_hf_parse_normalizer (source, part, error)) == NULL)
    return NULL;
  if ((part = tok_json_object (root, "pre_tokenizer")) != NULL
      && (hf->pre = tok_hf_parse_pre_tokenizer (source, part, error)) == NULL)
    return NULL;
  if ((part = tok_json_object (root, "post_processor")) != NULL
      && (hf->post = parse_post (tok, source, part, error)) == NULL)
    return NULL;
  if ((part = tok_json_object (root, "decoder")) != NULL
      && (hf->decoder = parse_decoder (source, part, error)) == NULL)
    return NULL;
  tok_hf_normalize_added (hf);
  hf->clean_up = tok_json_bool (config, "clean_up_tokenization_spaces", FALSE);
  find_roles (tok, config, special_map);
  return g_steal_pointer (&tok);
}
