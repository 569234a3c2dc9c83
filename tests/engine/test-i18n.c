/* test-i18n.c — a language named explicitly: threads that translate into different languages
 * at once, plural forms and contexts, the default, and the process's locale left alone. The
 * Russian words are po/ru.po's, written out here. */
#include "config.h"

#include "test-common.h"

#include "engine/i18n.h"

#define ROUNDS 20000
#define NBSP   "\xc2\xa0"   /* U+00A0: Russian keeps a number with its noun */

typedef struct {
  const char *lang;
  const char *want;   /* what "Decoder" reads in it */
  int         wrong;
} Worker;

static gpointer
translate_many (gpointer data)
{
  Worker *w = data;

  triad_i18n_push_language (w->lang);
  for (int i = 0; i < ROUNDS; i++)
    if (g_strcmp0 (_("Decoder"), w->want) != 0)
      w->wrong++;
  triad_i18n_pop_language ();
  return NULL;
}

/* Four threads, two in Russian and two in English, all at once: each reads its own language,
 * and the process's LANGUAGE is never touched. */
static void
test_threads (void)
{
  Worker workers[4] = {
    { "ru", "Декодировщик", 0 }, { "en", "Decoder", 0 },
    { "ru", "Декодировщик", 0 }, { "en", "Decoder", 0 },
  };
  GThread *threads[4];
  const char *language = g_getenv ("LANGUAGE");
  g_autofree char *before = g_strdup (language);

  for (int i = 0; i < 4; i++)
    threads[i] = g_thread_new ("translate", translate_many, &workers[i]);
  for (int i = 0; i < 4; i++)
    g_thread_join (threads[i]);
  for (int i = 0; i < 4; i++)
    g_assert_cmpint (workers[i].wrong, ==, 0);
  g_assert_cmpstr (g_getenv ("LANGUAGE"), ==, before);
  /* this thread named none: gettext's own answer, English here (LANGUAGE=C) */
  g_assert_null (triad_i18n_language ());
  g_assert_cmpstr (_("Decoder"), ==, "Decoder");
}

/* Russian's three forms: 1, 21, 101 take the first; 2–4, 22–24 the second; 5–20, 11–14, 25 …
 * the third. */
static void
test_plurals (void)
{
  const struct { gulong n; const char *want; } cases[] = {
    { 1, "%s" NBSP "токен" }, { 21, "%s" NBSP "токен" }, { 101, "%s" NBSP "токен" },
    { 2, "%s" NBSP "токена" }, { 4, "%s" NBSP "токена" }, { 22, "%s" NBSP "токена" },
    { 5, "%s" NBSP "токенов" }, { 11, "%s" NBSP "токенов" }, { 12, "%s" NBSP "токенов" }, { 14, "%s" NBSP "токенов" },
    { 25, "%s" NBSP "токенов" }, { 0, "%s" NBSP "токенов" },
  };

  triad_i18n_push_language ("ru");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (ngettext ("%s token", "%s tokens", cases[i].n), ==, cases[i].want);
  triad_i18n_pop_language ();
  triad_i18n_push_language ("en");
  g_assert_cmpstr (ngettext ("%s token", "%s tokens", 1), ==, "%s token");
  g_assert_cmpstr (ngettext ("%s token", "%s tokens", 2), ==, "%s tokens");
  triad_i18n_pop_language ();
}

static void
test_contexts (void)
{
  triad_i18n_push_language ("ru");
  /* the decimal separator and the unit, from the catalogue's "number format" and "bytes" */
  g_assert_cmpstr (C_("number format", "."), ==, ",");
  g_assert_cmpstr (g_dpgettext2 (GETTEXT_PACKAGE, "bytes", "kB"), ==, "кБ");
  /* a message the catalogue lacks reads as written, its context dropped */
  g_assert_cmpstr (C_("no such context", "no such message"), ==, "no such message");
  g_assert_cmpstr (_("no such message"), ==, "no such message");
  /* a language without a catalogue reads as written */
  triad_i18n_push_language ("de");
  g_assert_cmpstr (_("Decoder"), ==, "Decoder");
  g_assert_cmpstr (C_("number format", "."), ==, ".");
  triad_i18n_pop_language ();
  triad_i18n_pop_language ();
}

/* The default, as LANGUAGE writes it ("ru:en"), for every thread that names none; a thread's
 * own language goes over it. */
static void
test_default (void)
{
  triad_i18n_set_default_language ("ru:en");
  g_assert_cmpstr (triad_i18n_language (), ==, "ru");
  g_assert_cmpstr (_("Decoder"), ==, "Декодировщик");
  triad_i18n_push_language ("en");
  g_assert_cmpstr (_("Decoder"), ==, "Decoder");
  triad_i18n_pop_language ();
  triad_i18n_set_default_language ("ru_RU.UTF-8");
  g_assert_cmpstr (triad_i18n_language (), ==, "ru");
  triad_i18n_set_default_language (NULL);
  g_assert_null (triad_i18n_language ());
  g_assert_cmpstr (_("Decoder"), ==, "Decoder");
}

int
main (int argc, char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  test_bind_translations ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/i18n/threads", test_threads);
  g_test_add_func ("/engine/i18n/plurals", test_plurals);
  g_test_add_func ("/engine/i18n/contexts", test_contexts);
  g_test_add_func ("/engine/i18n/default", test_default);
  return g_test_run ();
}
