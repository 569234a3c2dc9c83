/* test-numbers.c — numbers follow the interface's language, not the process locale: an
 * English system showing the Russian interface writes «12,2» and «524 288», a Russian system
 * showing the English interface writes "12.2" and "524,288". */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <glib/gi18n-lib.h>

#include "cli/cli.h"
#include "engine/memory.h"
#include "engine/numbers.h"
#include "figures/memory-chart.h"
#include "test-common.h"

#define NBSP "\u00a0"

/* The interface's language as the window's Language menu and `export --lang` set it:
 * LANGUAGE, and LC_MESSAGES through "C" so that gettext drops what it cached (gettext ignores
 * LANGUAGE under the plain C locale, hence C.UTF-8). LC_NUMERIC is left alone. */
static void
set_language (const char *lang)
{
  g_setenv ("LANGUAGE", lang, TRUE);
  setlocale (LC_MESSAGES, "C");
  g_assert_nonnull (setlocale (LC_MESSAGES, "C.UTF-8"));
}

static void
assert_formats (char       *got,
                const char *expected)
{
  g_assert_cmpstr (got, ==, expected);
  g_free (got);
}

/* Under the Russian interface and the "C" number locale, whose printf writes "12.2". */
static void
test_russian_on_english_system (void)
{
  char c_printf[32];

  g_assert_nonnull (setlocale (LC_NUMERIC, "C"));
  g_snprintf (c_printf, sizeof c_printf, "%.1f", 12.25);
  g_assert_cmpstr (c_printf, ==, "12.2");
  set_language ("ru");

  /* the separators po/ru.po gives: a decimal comma, a no-break space between thousands */
  g_assert_cmpstr (triad_number_decimal_separator (), ==, ",");
  g_assert_cmpstr (triad_number_thousands_separator (), ==, NBSP);
  /* 12.25 is exact in binary and rounds half to even, as printf: 12,2 */
  assert_formats (triad_format_double (12.25, 1), "12,2");
  /* Llama 2 7B's bytes a token, 2 × 32 × 128 × 2 × 32 */
  assert_formats (triad_format_uint (524288), "524" NBSP "288");
  assert_formats (triad_format_int (-1234567), "-1" NBSP "234" NBSP "567");
  assert_formats (triad_format_int (999), "999");
  assert_formats (triad_format_double (1234.5, 2), "1" NBSP "234,50");
  assert_formats (triad_format_double (-0.04, 1), "0,0");
  assert_formats (triad_format_g (0.125, 3), "0,125");
  assert_formats (triad_format_g (4.0, 3), "4");
  assert_formats (triad_format_g (12.2143, 3), "12,2");
  /* 2³⁰ bytes: 1.073741824 GB, 1 GiB; units from po/ru.po */
  assert_formats (triad_format_size (1073741824.0, FALSE), "1,1" NBSP "ГБ");
  assert_formats (triad_format_size (1073741824.0, TRUE), "1,0" NBSP "ГиБ");
  /* 1 032 192 × 10¹⁵ bytes, past 2⁶⁴ */
  assert_formats (triad_format_size (1.032192e21, FALSE), "1,0" NBSP "ЗБ");
  /* under a kilobyte, the Russian plural: 1 байт, 2 байта, 5 байт */
  assert_formats (triad_format_size (2.0, FALSE), "2" NBSP "байта");
  assert_formats (triad_format_size (512.0, FALSE), "512" NBSP "байт");
  /* the figures' own forms: 13 107 200 000 bytes (Llama 3 8B at 100 000 tokens) = 13.1 GB,
   * and 131 072 tokens = 128 k */
  assert_formats (triad_format_size_short (13107200000.0, FALSE, 1), "13,1" NBSP "ГБ");
  assert_formats (triad_figure_format_tokens (1500.0), "1,5" NBSP "тыс.");
  /* the short sizes of a figure's ticks: 1.25 × 10⁹ bytes to three significant digits,
   * 2 × 1024³ bytes = 2 GiB exactly, 512 bytes whole with the short unit */
  assert_formats (triad_format_size_short (1.25e9, FALSE, -1), "1,25" NBSP "ГБ");
  assert_formats (triad_format_size_short (2147483648.0, TRUE, -1), "2" NBSP "ГиБ");
  assert_formats (triad_format_size_short (512.0, FALSE, -1), "512" NBSP "Б");
  /* the engine's size of a KV cache, as the window and `triad kv` show it */
  assert_formats (triad_format_bytes (13107200000.0, TRIAD_MEM_UNIT_GB), "13,1" NBSP "ГБ");
}

/* The glibc locale data of ru_RU, compiled into dir (no root needed) for LOCPATH: the test
 * machine need not have generated it. */
static gboolean
compile_russian_locale (const char *dir)
{
  g_autofree char *out = g_build_filename (dir, "ru_RU.UTF-8", NULL);
  const char *argv[] = { "localedef", "-i", "ru_RU", "-f", "UTF-8", out, NULL };
  g_autoptr(GError) error = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH
                     | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, &error))
    g_error ("localedef (Debian package libc-bin, locales for ru_RU's sources) did not "
             "run: %s", error->message);
  return g_spawn_check_wait_status (status, NULL);
}

/* Under the English interface and a Russian number locale, whose printf writes "12,2". */
static void
test_english_on_russian_system (void)
{
  g_autofree char *dir = test_tmpdir ();
  char ru_printf[32];

  g_assert_true (compile_russian_locale (dir));
  g_setenv ("LOCPATH", dir, TRUE);
  g_assert_nonnull (setlocale (LC_NUMERIC, "ru_RU.UTF-8"));
  g_snprintf (ru_printf, sizeof ru_printf, "%.1f", 12.25);
  g_assert_cmpstr (ru_printf, ==, "12,2");
  set_language ("en");

  assert_formats (triad_format_double (12.25, 1), "12.2");
  assert_formats (triad_format_uint (524288), "524,288");
  assert_formats (triad_format_size (1073741824.0, FALSE), "1.1" NBSP "GB");
  assert_formats (triad_format_size (1.0, FALSE), "1 byte");
  assert_formats (triad_format_size (512.0, FALSE), "512 bytes");
  assert_formats (triad_format_g (0.5, 3), "0.5");
  assert_formats (triad_format_size_short (13107200000.0, FALSE, 1), "13.1 GB");

  setlocale (LC_NUMERIC, "C");
  g_unsetenv ("LOCPATH");
  test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  test_bind_translations ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/numbers/russian-on-english-system", test_russian_on_english_system);
  g_test_add_func ("/engine/numbers/english-on-russian-system", test_english_on_russian_system);
  return g_test_run ();
}
