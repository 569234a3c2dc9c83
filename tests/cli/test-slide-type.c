/* test-slide-type.c — `triad export --size slide` sets type a lecture hall can read: every view
 * exported as a PDF slide, in English and Russian, and every word on it measured as a PDF
 * reader measures it. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "../engine/test-common.h"
#include "../test-tools.h"

static char *dir;

typedef struct {
  char   *text;
  double  x0, y0, x1, y1;
} Word;

static void
word_clear (gpointer data)
{
  g_free (((Word *) data)->text);
}

/* Runs argv (NULL-terminated), its standard output returned; NULL when the program is missing. */
static char *
run_tool (const char *const *argv,
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

static double
attr (GMatchInfo *m,
      int         n)
{
  g_autofree char *s = g_match_info_fetch (m, n);

  return g_ascii_strtod (s, NULL);
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

typedef struct {
  double min, median, page_h;
  char  *min_word;
  guint  n;
} Measure;

/* Every word's height across its line, over the page's height. pdftotext -bbox gives each
 * word's box on the page; a word set turned a quarter (a column's token, an axis title) has
 * its line's height as the box's width, and pdftohtml -xml tells those apart: it reports their
 * text with a width of 0 and its left edge on them, and their type's height. */
static gboolean
measure_pdf (const char *path,
             Measure    *out)
{
  const char *bbox_argv[] = { "pdftotext", "-bbox", path, "-", NULL };
  const char *xml_argv[] = { "pdftohtml", "-xml", "-i", "-zoom", "1", "-stdout", path, NULL };
  g_autofree char *bbox = run_tool (bbox_argv, "poppler-utils");
  g_autofree char *xml = NULL;
  g_autoptr(GRegex) page_re = g_regex_new ("<page width=\"([0-9.]+)\" height=\"([0-9.]+)\"",
                                           0, 0, NULL);
  g_autoptr(GRegex) word_re = g_regex_new ("<word xMin=\"([0-9.-]+)\" yMin=\"([0-9.-]+)\" "
                                           "xMax=\"([0-9.-]+)\" yMax=\"([0-9.-]+)\">([^<]*)<",
                                           0, 0, NULL);
  g_autoptr(GRegex) turned_re = g_regex_new ("<text top=\"(-?[0-9]+)\" left=\"(-?[0-9]+)\" "
                                             "width=\"0\" height=\"([0-9]+)\"", 0, 0, NULL);
  g_autoptr(GArray) words = g_array_new (FALSE, FALSE, sizeof (Word));
  g_autoptr(GArray) turned = g_array_new (FALSE, FALSE, sizeof (double) * 2);
  g_autoptr(GArray) heights = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GMatchInfo) m = NULL;
  double page_w = 0.0, page_h = 0.0;

  if (bbox == NULL || (xml = run_tool (xml_argv, "poppler-utils")) == NULL)
    return FALSE;
  g_array_set_clear_func (words, word_clear);
  g_assert_true (g_regex_match (page_re, bbox, 0, &m));
  page_w = attr (m, 1);
  page_h = attr (m, 2);
  g_clear_pointer (&m, g_match_info_free);
  for (g_regex_match (word_re, bbox, 0, &m); g_match_info_matches (m); g_match_info_next (m, NULL))
    {
      Word w = { g_match_info_fetch (m, 5), attr (m, 1), attr (m, 2), attr (m, 3), attr (m, 4) };

      g_array_append_val (words, w);
    }
  g_clear_pointer (&m, g_match_info_free);
  for (g_regex_match (turned_re, xml, 0, &m); g_match_info_matches (m); g_match_info_next (m, NULL))
    {
      double t[2] = { attr (m, 2), attr (m, 3) };   /* its left edge and its type's height */

      g_array_append_vals (turned, t, 1);
    }

  g_assert_cmpuint (words->len, >, 0);
  out->page_h = page_h;
  out->n = words->len;
  out->min = G_MAXDOUBLE;
  for (guint i = 0; i < words->len; i++)
    {
      Word *w = &g_array_index (words, Word, i);
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
      /* nothing cut off at the slide's edges */
      if (w->x0 < -0.5 || w->y0 < -0.5 || w->x1 > page_w + 0.5 || w->y1 > page_h + 0.5)
        g_error ("%s: “%s” at %.1f, %.1f … %.1f, %.1f is cut off the %.0f × %.0f page", path,
                 w->text, w->x0, w->y0, w->x1, w->y1, page_w, page_h);
    }
  g_array_sort (heights, cmp_double);
  out->median = heights->len % 2 ? g_array_index (heights, double, heights->len / 2)
                                 : (g_array_index (heights, double, heights->len / 2 - 1)
                                    + g_array_index (heights, double, heights->len / 2)) / 2;
  return TRUE;
}

/* Every view, as a lecture shows it, at --size slide in both languages: the smallest word at
 * least 2 % of the slide's height and the median at least 2.5 %, which is what the back row of a
 * lecture hall reads on a 1080-pixel projector (22 and 27 pixels). Before the type was sized
 * from the slide, words measured 0.7 % (the masks' token labels) to 1.6 %. */
static void
test_slide_type (void)
{
  static const char *text = "the big cat saw a small dog";
  g_autofree char *snaps = g_build_filename (dir, "snapshots", NULL);
  const struct {
    const char *name;
    const char *args[8];
  } views[] = {
    { "one head", { "--view=attention", "--model", "decoder", "--text", text } },
    { "mean of heads", { "--view=attention", "--model", "decoder", "--text", text, "--average" } },
    { "every head", { "--view=attention", "--model", "decoder", "--text", text, "--grid" } },
    { "lines", { "--view=attention", "--model", "decoder", "--text", text, "--lines" } },
    { "masks", { "--view=masks", "--text", text } },
    { "cross-attention", { "--view=cross", "--text", text } },
    { "KV cache", { "--view=kv", "--preset", "llama-3-8b" } },
    { "KV cache, live", { "--view=kv", "--preset", "model", "--text", text, "--steps", "8" } },
    { "KV cache, curve", { "--view=kv", "--preset", "llama-3-8b", "--chart", "curve" } },
    { "lesson cost", { "--view=lesson-cost" } },
    { "training", { "--view=training", "--snapshots", snaps } },
  };
  static const char *langs[] = { "en", "ru" };
  g_autofree char *pdf = g_build_filename (dir, "slide.pdf", NULL);
  TestRun r;

  /* a small run's snapshots for the filmstrip: steps 0, 20, 40 and 60 */
  r = test_run_cli ("train", "--task", "induction", "--snapshots", snaps, "--every", "20",
                    "--steps", "60", "--dim", "32", "--heads", "2", "--batch", "4", NULL);
  g_assert_cmpint (r.status, ==, 0);
  test_run_clear (&r);

  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    for (guint l = 0; l < G_N_ELEMENTS (langs); l++)
      {
        const char * const *a = views[v].args;
        Measure mm = { 0 };

        /* the view's own options last: the first NULL among them ends the list */
        r = test_run_cli ("export", "--size", "slide", "--lang", langs[l], "--out", pdf,
                          a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], NULL);
        if (r.status != 0)
          g_error ("%s (%s): %s", views[v].name, langs[l], r.err);
        test_run_clear (&r);

        if (!measure_pdf (pdf, &mm))
          return;
        g_test_message ("%-16s %s: %3u words, smallest %.2f %% (“%s”), median %.2f %% of the "
                        "slide's height", views[v].name, langs[l], mm.n,
                        100.0 * mm.min / mm.page_h, mm.min_word, 100.0 * mm.median / mm.page_h);
        if (mm.min < 0.02 * mm.page_h || mm.median < 0.025 * mm.page_h)
          g_error ("%s (%s): the smallest word (“%s”) is %.2f %% and the median %.2f %% of the "
                   "slide's height, under 2 %% and 2.5 %%", views[v].name, langs[l],
                   mm.min_word, 100.0 * mm.min / mm.page_h, 100.0 * mm.median / mm.page_h);
        g_free (mm.min_word);
      }
}

int
main (int argc, char **argv)
{
  int status;

  test_bind_translations ();
  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("triad-slide-XXXXXX", NULL);
  g_test_add_func ("/cli/export/slide-type", test_slide_type);
  status = g_test_run ();
  test_rmdir (dir);
  g_free (dir);
  return status;
}
