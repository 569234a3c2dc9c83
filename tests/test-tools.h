/* test-tools.h — what tests of every layer share: the programs they run, and the build
 * tree's message catalogue. Each program comes from a Debian package that build-aux/deps.sh
 * installs; a missing one is named with its package. Under build-aux/test.sh
 * (TRIAD_TEST_STRICT=1) it fails the test; elsewhere the test is skipped, saying why. */
#pragma once

#include "config.h"

#include <locale.h>
#include <math.h>
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

typedef struct {
  char   *text;
  double  x0, y0, x1, y1;
} TestWord;

static inline void
test_word_clear (gpointer data)
{
  g_free (((TestWord *) data)->text);
}

/* Runs argv (NULL-terminated), its standard output returned; NULL when the program is missing. */
static inline char *
test_run_tool (const char *const *argv,
               const char        *package)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status;

  if (!test_have_program (argv[0], package))
    return NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static inline double
test_match_double (GMatchInfo *m,
                   int         n)
{
  g_autofree char *s = g_match_info_fetch (m, n);

  return g_ascii_strtod (s, NULL);
}

static inline int
test_cmp_double (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The words of a PDF page measured as a reader sees them: the smallest word's height and the
 * median, in points, with the page's height; min_word is the smallest's text (g_free it). */
typedef struct {
  double min, median, page_h;
  char  *min_word;
  guint  n;
} TestWordHeights;

/* Every word's height across its line, and whether any is cut off the page. pdftotext -bbox gives each
 * word's box on the page; a word set turned a quarter (a column's token, an axis title) has
 * its line's height as the box's width, and pdftohtml -xml tells those apart: it reports their
 * text with a width of 0 and its left edge on them, and their type's height. */
static inline gboolean
test_pdf_word_heights (const char      *path,
                       TestWordHeights *out)
{
  const char *bbox_argv[] = { "pdftotext", "-bbox", path, "-", NULL };
  const char *xml_argv[] = { "pdftohtml", "-xml", "-i", "-zoom", "1", "-stdout", path, NULL };
  g_autofree char *bbox = test_run_tool (bbox_argv, "poppler-utils");
  g_autofree char *xml = NULL;
  g_autoptr(GRegex) page_re = g_regex_new ("<page width=\"([0-9.]+)\" height=\"([0-9.]+)\"",
                                           0, 0, NULL);
  g_autoptr(GRegex) word_re = g_regex_new ("<word xMin=\"([0-9.-]+)\" yMin=\"([0-9.-]+)\" "
                                           "xMax=\"([0-9.-]+)\" yMax=\"([0-9.-]+)\">([^<]*)<",
                                           0, 0, NULL);
  g_autoptr(GRegex) turned_re = g_regex_new ("<text top=\"(-?[0-9]+)\" left=\"(-?[0-9]+)\" "
                                             "width=\"0\" height=\"([0-9]+)\"", 0, 0, NULL);
  g_autoptr(GArray) words = g_array_new (FALSE, FALSE, sizeof (TestWord));
  g_autoptr(GArray) turned = g_array_new (FALSE, FALSE, sizeof (double) * 2);
  g_autoptr(GArray) heights = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GMatchInfo) m = NULL;
  double page_w = 0.0, page_h = 0.0;

  if (bbox == NULL || (xml = test_run_tool (xml_argv, "poppler-utils")) == NULL)
    return FALSE;
  g_array_set_clear_func (words, test_word_clear);
  g_assert_true (g_regex_match (page_re, bbox, 0, &m));
  page_w = test_match_double (m, 1);
  page_h = test_match_double (m, 2);
  g_clear_pointer (&m, g_match_info_free);
  for (g_regex_match (word_re, bbox, 0, &m); g_match_info_matches (m);
       g_match_info_next (m, NULL))
    {
      TestWord w = { g_match_info_fetch (m, 5), test_match_double (m, 1),
                     test_match_double (m, 2), test_match_double (m, 3),
                     test_match_double (m, 4) };

      g_array_append_val (words, w);
    }
  g_clear_pointer (&m, g_match_info_free);
  for (g_regex_match (turned_re, xml, 0, &m); g_match_info_matches (m);
       g_match_info_next (m, NULL))
    {
      /* its left edge and its type's height */
      double t[2] = { test_match_double (m, 2), test_match_double (m, 3) };

      g_array_append_vals (turned, t, 1);
    }

  g_assert_cmpuint (words->len, >, 0);
  out->page_h = page_h;
  out->n = words->len;
  out->min = G_MAXDOUBLE;
  for (guint i = 0; i < words->len; i++)
    {
      TestWord *w = &g_array_index (words, TestWord, i);
      double h = w->y1 - w->y0, across = w->x1 - w->x0;

      /* a word turned a quarter: pdftohtml's turned text stands on it, as tall as it is wide
       * (pdftohtml rounds to whole points) */
      for (guint t = 0; t < turned->len; t++)
        {
          double *tt = (double *) turned->data + 2 * t;

          if (tt[0] >= w->x0 - 2.0 && tt[0] <= w->x1 + 2.0 && fabs (tt[1] - across) <= 1.5)
            {
              h = across;
              break;
            }
        }
      g_array_append_val (heights, h);
      if (h < out->min)
        {
          out->min = h;
          g_free (out->min_word);
          out->min_word = g_strdup (w->text);
        }
      /* nothing cut off at the page's edges */
      if (w->x0 < -0.5 || w->y0 < -0.5 || w->x1 > page_w + 0.5 || w->y1 > page_h + 0.5)
        g_error ("%s: “%s” at %.1f, %.1f … %.1f, %.1f is cut off the %.0f × %.0f page", path,
                 w->text, w->x0, w->y0, w->x1, w->y1, page_w, page_h);
    }
  g_array_sort (heights, test_cmp_double);
  out->median = heights->len % 2 ? g_array_index (heights, double, heights->len / 2)
                                 : (g_array_index (heights, double, heights->len / 2 - 1)
                                    + g_array_index (heights, double, heights->len / 2)) / 2;
  return TRUE;
}
