/* i18n.c — a language named explicitly: Triad's .mo catalogues read once, looked up here. */
#include "config.h"

#define TRIAD_I18N_NO_MACROS
#include "engine/i18n.h"

#include <libintl.h>

#define MO_MAGIC         0x950412deu
#define MO_MAGIC_SWAPPED 0xde120495u

typedef struct {
  char       *lang;
  GMappedFile *file;       /* NULL when the language has no catalogue: its words are the msgids */
  GHashTable *strings;     /* original (context\004msgid) → translation, in the mapped file */
  GHashTable *lengths;     /* original → the translation's length (plural forms NUL-separated) */
  gboolean    slavic;      /* Russian's three plural forms */
} Catalogue;

static GMutex lock;
static GHashTable *catalogues;  /* lang → Catalogue, kept for the process */
static char *default_lang;      /* under lock */
static GPrivate thread_langs = G_PRIVATE_INIT ((GDestroyNotify) g_ptr_array_unref);

static guint32
read_u32 (const guint8 *p,
          gboolean      swapped)
{
  guint32 v;

  memcpy (&v, p, 4);
  return swapped ? GUINT32_SWAP_LE_BE (v) : v;
}

/* The catalogue's table of strings, read where the file says; FALSE when it is not a .mo file. */
static gboolean
read_mo (Catalogue *c)
{
  const guint8 *data = (const guint8 *) g_mapped_file_get_contents (c->file);
  gsize size = g_mapped_file_get_length (c->file);
  guint32 magic, n, orig, trans;
  gboolean swapped;

  if (size < 28)
    return FALSE;
  magic = read_u32 (data, FALSE);
  if (magic != MO_MAGIC && magic != MO_MAGIC_SWAPPED)
    return FALSE;
  swapped = magic == MO_MAGIC_SWAPPED;
  n = read_u32 (data + 8, swapped);
  orig = read_u32 (data + 12, swapped);
  trans = read_u32 (data + 16, swapped);
  if ((guint64) orig + 8ull * n > size || (guint64) trans + 8ull * n > size)
    return FALSE;
  for (guint32 i = 0; i < n; i++)
    {
      guint32 olen = read_u32 (data + orig + 8 * i, swapped);
      guint32 ooff = read_u32 (data + orig + 8 * i + 4, swapped);
      guint32 tlen = read_u32 (data + trans + 8 * i, swapped);
      guint32 toff = read_u32 (data + trans + 8 * i + 4, swapped);

      /* each string is NUL-terminated in the file; a plural original is "msgid\0plural", and
       * its key is the msgid */
      if ((guint64) ooff + olen >= size || (guint64) toff + tlen >= size
          || data[ooff + olen] != '\0' || data[toff + tlen] != '\0')
        return FALSE;
      if (olen == 0)
        continue;  /* the header */
      g_hash_table_insert (c->strings, (gpointer) (data + ooff), (gpointer) (data + toff));
      g_hash_table_insert (c->lengths, (gpointer) (data + ooff), GUINT_TO_POINTER (tlen));
    }
  return TRUE;
}

static void
catalogue_free (Catalogue *c)
{
  g_hash_table_unref (c->strings);
  g_hash_table_unref (c->lengths);
  g_clear_pointer (&c->file, g_mapped_file_unref);
  g_free (c->lang);
  g_free (c);
}

/* The catalogue of lang, read the first time it is asked for. Under lock. */
static Catalogue *
catalogue_for (const char *lang)
{
  Catalogue *c;

  if (catalogues == NULL)
    catalogues = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                        (GDestroyNotify) catalogue_free);
  c = g_hash_table_lookup (catalogues, lang);
  if (c == NULL)
    {
      const char *dir = bindtextdomain (GETTEXT_PACKAGE, NULL);
      g_autofree char *path = g_build_filename (dir != NULL ? dir : LOCALEDIR, lang,
                                                "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);

      c = g_new0 (Catalogue, 1);
      c->lang = g_strdup (lang);
      c->strings = g_hash_table_new (g_str_hash, g_str_equal);
      c->lengths = g_hash_table_new (g_str_hash, g_str_equal);
      c->slavic = g_str_equal (lang, "ru") || g_str_equal (lang, "uk") || g_str_equal (lang, "be");
      c->file = g_mapped_file_new (path, FALSE, NULL);
      if (c->file != NULL && !read_mo (c))
        {
          g_hash_table_remove_all (c->strings);
          g_hash_table_remove_all (c->lengths);
          g_clear_pointer (&c->file, g_mapped_file_unref);
        }
      g_hash_table_insert (catalogues, c->lang, c);
    }
  return c;
}

void
triad_i18n_set_default_language (const char *lang)
{
  g_mutex_lock (&lock);
  g_clear_pointer (&default_lang, g_free);
  /* as LANGUAGE writes it too: "ru:en" and "ru_RU.UTF-8" are "ru" */
  if (lang != NULL && *lang != '\0' && *lang != ':')
    default_lang = g_strndup (lang, strcspn (lang, ":_.@"));
  g_mutex_unlock (&lock);
}

void
triad_i18n_push_language (const char *lang)
{
  GPtrArray *stack = g_private_get (&thread_langs);

  if (stack == NULL)
    {
      stack = g_ptr_array_new_with_free_func (g_free);
      g_private_set (&thread_langs, stack);
    }
  g_ptr_array_add (stack, g_strdup (lang != NULL && *lang != '\0' ? lang : NULL));
}

void
triad_i18n_pop_language (void)
{
  GPtrArray *stack = g_private_get (&thread_langs);

  g_return_if_fail (stack != NULL && stack->len > 0);
  g_ptr_array_remove_index (stack, stack->len - 1);
}

const char *
triad_i18n_language (void)
{
  GPtrArray *stack = g_private_get (&thread_langs);
  const char *lang = NULL;

  for (guint i = stack != NULL ? stack->len : 0; i > 0 && lang == NULL; i--)
    lang = stack->pdata[i - 1];
  if (lang == NULL)
    {
      g_mutex_lock (&lock);
      /* the default is replaced only by a new one, never freed while threads run: an
       * interned copy outlives the lock */
      lang = default_lang != NULL ? g_intern_string (default_lang) : NULL;
      g_mutex_unlock (&lock);
    }
  return lang;
}

/* The translation of key in the language in force, or NULL for gettext's answer (no language
 * named) — msgid itself when the language has none. */
static const char *
lookup (const char  *key,
        Catalogue  **out)
{
  const char *lang = triad_i18n_language ();
  Catalogue *c;
  const char *found;

  if (lang == NULL)
    return NULL;
  g_mutex_lock (&lock);
  c = catalogue_for (lang);
  found = g_hash_table_lookup (c->strings, key);
  g_mutex_unlock (&lock);
  if (out != NULL)
    *out = c;
  return found != NULL && *found != '\0' ? found : key;
}

const char *
triad_i18n_gettext (const char *msgid)
{
  const char *s = lookup (msgid, NULL);

  return s != NULL ? s : g_dgettext (GETTEXT_PACKAGE, msgid);
}

const char *
triad_i18n_pgettext (const char *msgctxt_id,
                     gsize       ctxt_len)
{
  const char *s = lookup (msgctxt_id, NULL);

  if (s == NULL)
    return g_dpgettext (GETTEXT_PACKAGE, msgctxt_id, ctxt_len);
  /* untranslated: the msgid, after the context */
  return s == msgctxt_id ? msgctxt_id + ctxt_len : s;
}

const char *
triad_i18n_pgettext2 (const char *msgctxt,
                      const char *msgid)
{
  g_autofree char *key = NULL;
  const char *s;

  if (triad_i18n_language () == NULL)
    return g_dpgettext2 (GETTEXT_PACKAGE, msgctxt, msgid);
  key = g_strconcat (msgctxt, "\004", msgid, NULL);
  s = lookup (key, NULL);
  /* the translation lives in the mapped file; the key does not outlive this call */
  return s == key ? msgid : s;
}

/* The plural form n takes: English's two, or Russian's three (1, 21 …; 2–4, 22–24 …; the rest). */
static int
plural_form (const Catalogue *c,
             gulong           n)
{
  if (!c->slavic)
    return n == 1 ? 0 : 1;
  if (n % 10 == 1 && n % 100 != 11)
    return 0;
  if (n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 10 || n % 100 >= 20))
    return 1;
  return 2;
}

const char *
triad_i18n_ngettext (const char *msgid,
                     const char *msgid_plural,
                     gulong      n)
{
  Catalogue *c = NULL;
  const char *s = lookup (msgid, &c);
  guint len;
  int form;

  if (s == NULL)
    return g_dngettext (GETTEXT_PACKAGE, msgid, msgid_plural, n);
  if (s == msgid)
    return n == 1 ? msgid : msgid_plural;
  /* the forms, NUL-separated: the one n takes, if the catalogue has it */
  g_mutex_lock (&lock);
  len = GPOINTER_TO_UINT (g_hash_table_lookup (c->lengths, msgid));
  g_mutex_unlock (&lock);
  form = plural_form (c, n);
  for (const char *p = s; p < s + len; p += strlen (p) + 1, form--)
    if (form == 0)
      return p;
  return s;
}
