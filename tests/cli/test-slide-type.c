/* test-slide-type.c — `triad export --size slide` sets type a lecture hall can read: every view
 * exported as a PDF slide, in English and Russian, and every word on it measured as a PDF
 * reader measures it. */
#include "config.h"

#include "../engine/test-common.h"
#include "../test-tools.h"

static char *dir;

/* Every view, as a lecture shows it, at --size slide in both languages: the smallest word at
 * least 2 % of the slide's height and the median at least 2.5 %, which is what the back row of a
 * lecture hall reads on a 1080-pixel projector (22 and 27 pixels). Before the type was sized
 * from the slide, words measured 0.7 % (the masks' token labels) to 1.6 %. */
static void
test_slide_type (void)
{
  static const char *text = "the big cat saw a small dog";
  /* 35 words: rows shorter than the smallest type, so every other token label shows */
  static const char *long_text = "the big cat saw a small dog and the small dog saw the big cat "
                                 "near the old house while a young girl gave the red ball to her "
                                 "little brother in the green park";
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
    { "cross, long", { "--view=cross", "--text", long_text } },
    { "KV cache", { "--view=kv", "--preset", "llama-3-8b" } },
    { "KV cache, live", { "--view=kv", "--preset", "model", "--text", text, "--steps", "8" } },
    { "KV cache, curve", { "--view=kv", "--preset", "llama-3-8b", "--chart", "curve" } },
    { "lesson cost", { "--view=lesson-cost" } },
    { "training", { "--view=training", "--snapshots", snaps } },
    { "training, live", { "--view=training", "--snapshots", snaps, "--figure", "live" } },
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
        TestWordHeights mm = { 0 };

        /* the view's own options last: the first NULL among them ends the list */
        r = test_run_cli ("export", "--size", "slide", "--lang", langs[l], "--out", pdf,
                          a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], NULL);
        if (r.status != 0)
          g_error ("%s (%s): %s", views[v].name, langs[l], r.err);
        test_run_clear (&r);

        if (!test_pdf_word_heights (pdf, &mm))
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
