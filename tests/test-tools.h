/* test-tools.h — what tests of every layer share: the programs they run, and the build
 * tree's message catalogue. Each program comes from a Debian package that build-aux/deps.sh
 * installs; a missing one is named with its package. Under build-aux/test.sh
 * (TRIAD_TEST_STRICT=1) it fails the test; elsewhere the test is skipped, saying why. */
#pragma once

#include "config.h"

#include <locale.h>
#include <glib.h>
#include <libintl.h>

#include "cli/cli.h"

/* The build tree's catalogues, as `triad` run from the build tree uses them. */
static inline void
test_bind_translations (void)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, TRIAD_BUILD_DIR G_DIR_SEPARATOR_S "po");
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  triad_cli_settle_translation ();
}

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
