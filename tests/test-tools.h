/* test-tools.h — the programs that tests run. Each comes from a Debian package that
 * build-aux/deps.sh installs; a missing one is named with its package. Under build-aux/test.sh
 * (TRIAD_TEST_STRICT=1) it fails the test; elsewhere the test is skipped, saying why. */
#pragma once

#include <glib.h>

static inline gboolean
test_have_program (const char *program,
                   const char *package)
{
  g_autofree char *path = g_find_program_in_path (program);

  if (path != NULL)
    return TRUE;
  if (g_strcmp0 (g_getenv ("TRIAD_TEST_STRICT"), "1") == 0)
    g_test_fail_printf ("%s is missing: install the Debian package %s (build-aux/deps.sh test)",
                        program, package);
  else
    g_test_skip_printf ("%s is missing (Debian package %s)", program, package);
  return FALSE;
}

/* The text of a PDF, through pdftotext (poppler-utils); NULL when the program is missing, the
 * test then failed or skipped. */
static inline char *
test_pdf_text (const char *path)
{
  const char *argv[] = { "pdftotext", path, "-", NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status;

  if (!test_have_program ("pdftotext", "poppler-utils"))
    return NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}
