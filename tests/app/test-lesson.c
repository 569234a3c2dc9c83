/* test-lesson.c — the Lesson view under Xvfb: its buttons open the right view with the right
 * model and text, the quiz answers each option, the challenge reveals its solutions, the
 * KV cache numbers against hand computation, stepping through the sections, and the cost
 * figure exported from the window and from `triad export`. */
#include "config.h"

#include "app-test.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <gtk/gtk.h>
#include <glib/gstdio.h>

#include "app/triad-application.h"
#include "app/triad-attention-page.h"
#include "app/triad-lesson-page.h"
#include "app/triad-view.h"
#include "app/triad-window.h"
#include "cli/cli.h"
#include "engine/memory.h"
#include "figures/cost-chart.h"
#include "app/triad-scene-view.h"
#include "../test-pixels.h"

/* how the lesson writes "8 k" and "100 k": never broken across lines */
#define NBSP "\u00a0"

static TriadApplication *app;
static TriadWindow *window;
static TriadLessonPage *lesson;

static void
activate (const char *action,
          GVariant   *param)
{
  app_test_activate (GTK_WIDGET (window), action, param);
}

static const char *
view_name (void)
{
  GtkWidget *page = triad_window_get_page (window);

  return gtk_stack_get_visible_child_name (GTK_STACK (gtk_widget_get_ancestor (page, GTK_TYPE_STACK)));
}

static void
show_lesson (void)
{
  activate ("win.view", g_variant_new_string ("lesson"));
  app_test_iterate (200);
  g_assert_cmpstr (view_name (), ==, "lesson");
  g_assert_true (triad_window_get_page (window) == GTK_WIDGET (lesson));
}

/* The button of the page whose action opens `demo`. */
static GtkWidget *
find_demo_button (const char *demo)
{
  g_autoptr(GPtrArray) queue = g_ptr_array_new ();
  GtkWidget *found = NULL;

  g_ptr_array_add (queue, lesson);
  for (guint i = 0; i < queue->len; i++)
    {
      GtkWidget *w = queue->pdata[i];

      if (GTK_IS_BUTTON (w) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (w)),
                                          "lesson.open") == 0)
        {
          GVariant *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (w));

          if (target != NULL && g_str_equal (g_variant_get_string (target, NULL), demo))
            {
              g_assert_null (found);   /* one button per demo */
              found = w;
            }
        }
      for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
        g_ptr_array_add (queue, c);
    }
  g_assert_nonnull (found);
  return found;
}

/* What each button must set up, written out here rather than read from the page. */
static const struct {
  const char *demo;
  const char *view;
  const char *model;   /* NULL: as it was */
  const char *text;    /* NULL: as it was */
} expected_demos[] = {
  { "masked-word", "attention", "encoder",
    "the big cat saw a small dog <sep> большая кошка <mask> маленькую собаку" },
  { "left-to-right", "attention", "decoder", "the cat that saw a dog slept" },
  { "induction", "attention", "decoder", "bear ball wolf green house bear ball wolf green house" },
  { "cross-align", "cross", "encdec", "the big cat saw a small dog" },
  { "masks", "masks", NULL, "the big cat saw a small dog" },
  { "prompt-translate", "attention", "decoder", "EN: the big cat saw a small dog RU:" },
  { "kv-grow", "kv", "decoder", NULL },
  { "cross-source", "cross", "encdec", "the dog saw a cat near the house" },
  { "training", "training", NULL, NULL },
};

static void
test_buttons (void)
{
  GSettings *settings = triad_application_get_settings (app);

  for (guint i = 0; i < G_N_ELEMENTS (expected_demos); i++)
    {
      g_autofree char *model_before = NULL, *text_before = NULL, *model = NULL, *text = NULL;
      g_autoptr(GVariant) state = NULL;

      show_lesson ();
      /* a model and a text the button must replace, where it sets them */
      activate ("win.model", g_variant_new_string ("encdec"));
      if (g_strcmp0 (expected_demos[i].model, "encdec") == 0)
        activate ("win.model", g_variant_new_string ("decoder"));
      activate ("win.example", g_variant_new_string ("кошка спала на столе"));
      state = g_action_group_get_action_state (G_ACTION_GROUP (window), "model");
      model_before = g_variant_dup_string (state, NULL);
      g_clear_pointer (&state, g_variant_unref);
      text_before = g_settings_get_string (settings, "text");

      g_signal_emit_by_name (find_demo_button (expected_demos[i].demo), "clicked");
      app_test_iterate (100);

      g_assert_cmpstr (view_name (), ==, expected_demos[i].view);
      state = g_action_group_get_action_state (G_ACTION_GROUP (window), "model");
      model = g_variant_dup_string (state, NULL);
      text = g_settings_get_string (settings, "text");
      g_assert_cmpstr (model, ==, expected_demos[i].model != NULL ? expected_demos[i].model
                                                                  : model_before);
      g_assert_cmpstr (text, ==, expected_demos[i].text != NULL ? expected_demos[i].text
                                                                : text_before);
    }
  /* let the views shown finish or cancel before the next test */
  show_lesson ();
  app_test_iterate (500);
}

/* The induction button: one head, layer 3 head 1 of the decoder, kept once the figure is in;
 * on the second saying the head's strongest key is the word after the first occurrence. */
static void
test_induction_demo (void)
{
  TriadAttentionPage *page;
  const TriadAttentionMap *map;
  TriadAttentionMode mode;
  int layer, head;

  show_lesson ();
  activate ("win.model", g_variant_new_string ("encoder"));
  g_signal_emit_by_name (find_demo_button ("induction"), "clicked");
  page = TRIAD_ATTENTION_PAGE (triad_window_get_page (window));
  g_assert_true (TRIAD_IS_ATTENTION_PAGE (page));
  app_test_wait_attention (page);
  g_object_get (page, "layer", &layer, "head", &head, "mode", &mode, NULL);
  g_assert_cmpint (layer, ==, 3);
  g_assert_cmpint (head, ==, 1);
  g_assert_cmpint (mode, ==, TRIAD_ATTENTION_SINGLE);
  map = triad_attention_page_get_map (page);
  g_assert_cmpint (map->arch, ==, TRIAD_ARCH_DECODER);
  g_assert_cmpint (map->cap.n_q, ==, 11);
  {
    const float *a = triad_capture_matrix (&map->cap, 3, 1);
    int n = map->cap.n_q, best = 0;

    /* query: the second "bear" (6); the word after the first "bear" is "ball" (2) */
    for (int k = 1; k <= 6; k++)
      if (a[6 * n + k] > a[6 * n + best])
        best = k;
    g_assert_cmpint (best, ==, 2);
  }
  show_lesson ();
  app_test_iterate (300);
}

/* The feedback row under a question's options: its revealer is the question box's last child. */
static GtkRevealer *
feedback_revealer (int question)
{
  GtkWidget *option = triad_lesson_page_get_quiz_option (lesson, question, 0);
  GtkWidget *box = gtk_widget_get_parent (gtk_widget_get_parent (option));
  GtkWidget *last = gtk_widget_get_last_child (box);

  g_assert_true (GTK_IS_REVEALER (last));
  return GTK_REVEALER (last);
}

static void
answer (int question,
        int option)
{
  GtkWidget *check = triad_lesson_page_get_quiz_option (lesson, question, option);

  g_assert_true (GTK_IS_CHECK_BUTTON (check));
  /* as a click or Space would: activating a radio button selects it */
  g_assert_true (gtk_widget_activate (check));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
}

static void
test_quiz (void)
{
  /* The right option of each question (the course's answers: scaling and emergent abilities;
   * T5, each in a different place so that the right answer is not always the same button),
   * a wrong one, and how each one's feedback begins. */
  static const struct {
    int         right;
    const char *right_feedback;
    int         wrong;
    const char *wrong_feedback;
  } cases[TRIAD_LESSON_N_QUESTIONS] = {
    { 2, "Scaling laws made bigger decoders a safe bet", 0, "That describes the encoder." },
    { 0, "T5, the Text-to-Text Transfer Transformer", 2, "A decoder can be prompted" },
  };

  show_lesson ();
  for (int q = 0; q < TRIAD_LESSON_N_QUESTIONS; q++)
    {
      GtkRevealer *revealer = feedback_revealer (q);
      GtkWidget *feedback = gtk_revealer_get_child (revealer);

      /* nothing answered, nothing shown */
      g_assert_cmpint (triad_lesson_page_get_answer (lesson, q), ==, -1);
      g_assert_null (triad_lesson_page_get_feedback (lesson, q));
      g_assert_false (gtk_revealer_get_reveal_child (revealer));

      answer (q, cases[q].wrong);
      g_assert_cmpint (triad_lesson_page_get_answer (lesson, q), ==, cases[q].wrong);
      g_assert_false (triad_lesson_page_answer_is_right (lesson, q));
      g_assert_true (g_str_has_prefix (triad_lesson_page_get_feedback (lesson, q),
                                       cases[q].wrong_feedback));
      g_assert_true (gtk_revealer_get_reveal_child (revealer));
      g_assert_true (gtk_widget_has_css_class (feedback, "wrong"));
      g_assert_false (gtk_widget_has_css_class (feedback, "right"));

      answer (q, cases[q].right);
      g_assert_cmpint (triad_lesson_page_get_answer (lesson, q), ==, cases[q].right);
      g_assert_true (triad_lesson_page_answer_is_right (lesson, q));
      g_assert_true (g_str_has_prefix (triad_lesson_page_get_feedback (lesson, q),
                                       cases[q].right_feedback));
      g_assert_true (gtk_widget_has_css_class (feedback, "right"));
      g_assert_false (gtk_widget_has_css_class (feedback, "wrong"));
      /* one answer at a time: the radio group let go of the wrong one */
      g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (
        triad_lesson_page_get_quiz_option (lesson, q, cases[q].wrong))));

      /* every option has its own feedback, and they differ */
      {
        g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);

        for (int o = 0; o < TRIAD_LESSON_N_OPTIONS; o++)
          {
            const char *f;

            answer (q, o);
            f = triad_lesson_page_get_feedback (lesson, q);
            g_assert_nonnull (f);
            g_assert_cmpuint (strlen (f), >, 20);
            for (guint k = 0; k < seen->len; k++)
              g_assert_cmpstr (f, !=, seen->pdata[k]);
            g_ptr_array_add (seen, g_strdup (f));
            g_assert_cmpint (triad_lesson_page_answer_is_right (lesson, q), ==,
                             o == cases[q].right);
          }
      }
    }

  /* Question 1's "no cache" option: a decoder keeps a KV cache, the decoder of an
   * encoder-decoder too, and only an encoder-only model keeps none (test_claims checks this
   * against the memory model) */
  answer (0, 1);
  g_assert_nonnull (strstr (triad_lesson_page_get_feedback (lesson, 0),
                            "the decoder of an encoder-decoder keeps one too, and only an "
                            "encoder-only model keeps none"));
}

static void
test_solutions (void)
{
  const char *buttons[] = { "solution1_button", "solution2_button" };
  const char *revealers[] = { "solution1_revealer", "solution2_revealer" };

  show_lesson ();
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      GObject *button = gtk_widget_get_template_child (GTK_WIDGET (lesson),
                                                       TRIAD_TYPE_LESSON_PAGE, buttons[i]);
      GObject *revealer = gtk_widget_get_template_child (GTK_WIDGET (lesson),
                                                         TRIAD_TYPE_LESSON_PAGE, revealers[i]);

      g_assert_true (GTK_IS_TOGGLE_BUTTON (button));
      g_assert_true (GTK_IS_REVEALER (revealer));
      g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
      g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "Show Solution");
      g_signal_emit_by_name (button, "clicked");
      g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
      g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "Hide Solution");
      g_signal_emit_by_name (button, "clicked");
      g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
      g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "Show Solution");
    }
}

/* The cost figure draws something in light and dark, wide (panels abreast) and narrow
 * (stacked), and at a lecture's font scale. */
static void
test_cost_figure_draws (void)
{
  static const struct { int w, h; gboolean dark; double fs; } sizes[] = {
    { 1100, 640, FALSE, 1.0 }, { 420, 760, TRUE, 1.0 }, { 1280, 720, FALSE, 2.0 },
  };
  TriadCostChart chart = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, sizes[i].w, sizes[i].h);
      cairo_t *cr = cairo_create (s);
      TriadFigureStyle style;
      guint32 *px, bg;
      int stride, inked = 0;

      triad_figure_style_init (&style, sizes[i].dark);
      style.font_scale = sizes[i].fs;
      triad_cost_chart_draw (cr, &chart, &style, sizes[i].w, sizes[i].h);
      g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
      cairo_surface_flush (s);
      px = (guint32 *) cairo_image_surface_get_data (s);
      stride = cairo_image_surface_get_stride (s) / 4;
      bg = px[0];
      for (int y = 0; y < sizes[i].h; y++)
        for (int x = 0; x < sizes[i].w; x++)
          inked += px[y * stride + x] != bg;
      /* text, axes and curves: well over a percent of the figure, well under half */
      g_assert_cmpint (inked, >, sizes[i].w * sizes[i].h / 100);
      g_assert_cmpint (inked, <, sizes[i].w * sizes[i].h / 2);
      cairo_destroy (cr);
      cairo_surface_destroy (s);
    }
}

/* Llama 3.1 8B (Llama 3 8B's shape, with a context of 131 072 tokens where Llama 3 8B's is
 * 8192, so that 100 000 tokens are within it): 32 layers, 8 key/value heads of 128, 16-bit:
 *   2 × 32 × 8 × 128 × 2 = 131 072 bytes a token
 *   × 8192 tokens   = 1 073 741 824 bytes  → "1.1 GB"
 *   × 100 000       = 13 107 200 000 bytes → "13.1 GB"
 * Llama 2 7B: 32 key/value heads: 2 × 32 × 32 × 128 × 2 = 524 288 bytes a token
 *   × 8192 = 4 294 967 296 → "4.3 GB", × 100 000 = 52 428 800 000 → "52.4 GB", both past
 *   its 4096-token context
 * Quantization at 100 000 tokens, Llama 3.1 8B's 8 030 261 248 parameters:
 *   16-bit weights 16 060 522 496 + 16-bit cache 13 107 200 000 = 29 167 722 496 → "29.2 GB",
 *     over a 24 GB GPU
 *   an 8- or 4-bit cache keeps a 4-byte scale per token, layer and key/value head, for K and
 *   for V: 2 × 32 × 8 × 4 = 2048 bytes a token, 204 800 000 at 100 000 tokens
 *   16-bit weights + 8-bit cache 6 553 600 000 + 204 800 000 = 6 758 400 000
 *     = 22 818 922 496 → "22.8 GB", under it
 *   4-bit weights 4 015 130 624 + 4-bit cache 3 276 800 000 + 204 800 000 = 3 481 600 000
 *     = 7 496 730 624 → "7.5 GB" */
/* A hand-computed byte count as the page writes it (GLib's units, a no-break space). */
static const char *
size (guint64 bytes)
{
  static char buf[8][32];
  static int next;
  g_autofree char *s = g_format_size (bytes);

  next = (next + 1) % G_N_ELEMENTS (buf);
  g_strlcpy (buf[next], s, sizeof buf[next]);
  return buf[next];
}

static void
assert_contains (const char *text,
                 const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("“%s” is not in “%s”", part, text);
}

static void
test_kv_numbers (void)
{
  const char *text = triad_lesson_page_get_kv_text (lesson);
  GObject *quant = gtk_widget_get_template_child (GTK_WIDGET (lesson), TRIAD_TYPE_LESSON_PAGE,
                                                  "quant_label");
  GObject *kv_label = gtk_widget_get_template_child (GTK_WIDGET (lesson), TRIAD_TYPE_LESSON_PAGE,
                                                     "kv_label");
  g_autofree char *l3 = NULL, *l2 = NULL, *q16 = NULL, *q8 = NULL, *q4 = NULL;
  const char *q;

  g_assert_nonnull (text);
  /* what the page shows is what it reports */
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (kv_label)), ==, text);
  /* English groups thousands with commas whatever the process locale (C here) */
  assert_contains (text, "2 × 32 × 8 × 128 × 2 bytes = 131,072 bytes");
  {
    /* 131 072 bytes are exactly 128 KiB */
    g_autofree char *kib = g_format_size_full (131072, G_FORMAT_SIZE_IEC_UNITS);
    g_autofree char *paren = g_strdup_printf ("(%s) in 16 bits", kib);

    assert_contains (text, paren);
  }
  l3 = g_strdup_printf ("At 8" NBSP "k tokens (8192) its cache holds %s; "
                        "at 100" NBSP "k tokens it holds %s, "
                        "12.2 times as much, on top of %s of weights.",
                        size (G_GUINT64_CONSTANT (1073741824)),
                        size (G_GUINT64_CONSTANT (13107200000)),
                        size (G_GUINT64_CONSTANT (16060522496)));
  assert_contains (text, l3);
  l2 = g_strdup_printf ("524,288 bytes per token, %s at 8" NBSP "k tokens and "
                        "%s at 100" NBSP "k, were its context stretched that far — "
                        "4 times the cache of Llama 3.1 8B.",
                        size (G_GUINT64_CONSTANT (4294967296)),
                        size (G_GUINT64_CONSTANT (52428800000)));
  assert_contains (text, l2);

  q = gtk_label_get_text (GTK_LABEL (quant));
  /* the GPU's size as the figures write sizes: whole gigabytes, a plain space */
  assert_contains (q, "Llama 3.1 8B reading 100" NBSP "k tokens on a GPU with 24 GB:");
  q16 = g_strdup_printf ("16-bit weights, 16-bit cache: %s in all, %s of it the cache — "
                         "does not fit",
                         size (G_GUINT64_CONSTANT (29167722496)),
                         size (G_GUINT64_CONSTANT (13107200000)));
  q8 = g_strdup_printf ("16-bit weights, 8-bit cache: %s in all, %s of it the cache — fits",
                        size (G_GUINT64_CONSTANT (22818922496)),
                        size (G_GUINT64_CONSTANT (6758400000)));
  q4 = g_strdup_printf ("4-bit weights, 4-bit cache: %s in all, %s of it the cache — fits",
                        size (G_GUINT64_CONSTANT (7496730624)),
                        size (G_GUINT64_CONSTANT (3481600000)));
  assert_contains (q, q16);
  assert_contains (q, q8);
  assert_contains (q, q4);
}

/* The preset the lesson names, found by the name it prints. */
static const TriadLlmPreset *
preset_named (GPtrArray  *presets,
              const char *name)
{
  for (guint i = 0; i < presets->len; i++)
    {
      const TriadLlmPreset *p = g_ptr_array_index (presets, i);

      if (g_str_equal (p->name, name))
        return p;
    }
  g_error ("No preset is named “%s”", name);
  return NULL;
}

/* What the lesson says about real models, against their published configurations in the
 * presets file. */
static void
test_claims (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) presets = triad_llm_presets_shared (&error);
  GObject *quant = gtk_widget_get_template_child (GTK_WIDGET (lesson), TRIAD_TYPE_LESSON_PAGE,
                                                  "quant_label");
  GObject *width = gtk_widget_get_template_child (GTK_WIDGET (lesson), TRIAD_TYPE_LESSON_PAGE,
                                                  "width_spin");
  const char *q = gtk_label_get_text (GTK_LABEL (quant));
  const char *reading = strstr (q, " reading 100" NBSP "k tokens");
  g_autofree char *name = NULL, *t5 = NULL, *l2_width = NULL, *gqa = NULL;
  const TriadLlmPreset *example, *small, *l2, *l3;
  const char *tip;

  g_assert_no_error (error);
  g_assert_nonnull (presets);

  /* the model that reads 100 000 tokens in the quantization example, and whose cache the
   * section works out, was released to read that many: Llama 3.1 8B's 131 072, not Llama 3
   * 8B's 8192 */
  g_assert_nonnull (reading);
  name = g_strndup (q, reading - q);
  example = preset_named (presets, name);
  g_assert_cmpint (example->max_context, >=, 100000);
  g_assert_true (g_str_has_prefix (triad_lesson_page_get_kv_text (lesson), name));

  /* the cost figure's width: T5-small's and Llama 2 7B's d_model; the figure's cache,
   * 2·(n + m)·d numbers a layer, is a model's whose every query head has its own key/value
   * head, as Llama 2 7B's 32 do; Llama 3 8B's 32 query heads share 8, 8 / 32 = ¼ of that */
  tip = gtk_widget_get_tooltip_text (GTK_WIDGET (width));
  small = triad_llm_presets_find (presets, "t5-small");
  l2 = triad_llm_presets_find (presets, "llama-2-7b");
  l3 = triad_llm_presets_find (presets, "llama-3-8b");
  g_assert_nonnull (small);
  g_assert_nonnull (l2);
  g_assert_nonnull (l3);
  g_assert_cmpint (l2->n_kv_heads, ==, l2->n_heads);
  g_assert_cmpint (l3->n_kv_heads * 4, ==, l3->n_heads);
  t5 = g_strdup_printf ("%d in %s,", small->d_model, small->name);
  l2_width = g_strdup_printf ("%d in %s.", l2->d_model, l2->name);
  gqa = g_strdup_printf ("cuts it to ¼ in %s, whose %d query heads share %d key/value heads",
                         l3->name, l3->n_heads, l3->n_kv_heads);
  assert_contains (tip, t5);
  assert_contains (tip, l2_width);
  assert_contains (tip, "as Llama 2 7B keeps it, every head with its own keys and values");
  assert_contains (tip, gqa);
  /* the figure's width starts at Llama 2 7B's */
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (width)), ==, l2->d_model);

  /* Llama 2 7B's cache at 8 k and 100 k is what it would take were its context stretched:
   * it was released with 4096 tokens */
  g_assert_cmpint (l2->max_context, <, 8192);

  /* the quiz's feedback on "no cache": at 512 tokens, 16-bit, BERT-base (encoder-only) keeps
   * nothing; T5-small's decoder keeps 2 × 6 layers × 8 heads × 64 × 2 bytes = 12 288 bytes a
   * target token, and as much a source token for cross-attention: 2 × 12 288 × 512 =
   * 12 582 912 bytes */
  {
    const TriadLlmPreset *bert = triad_llm_presets_find (presets, "bert-base");
    TriadKvOptions o;
    TriadKvEstimate e;

    g_assert_nonnull (bert);
    triad_kv_options_init (&o);
    o.tokens = 512;
    g_assert_true (triad_kv_estimate (bert, &o, &e, NULL));
    g_assert_cmpuint (e.kv_bytes, ==, 0);
    g_assert_true (triad_kv_estimate (small, &o, &e, NULL));
    g_assert_cmpuint (e.kv_bytes, ==, G_GUINT64_CONSTANT (12582912));
  }
}

static void
test_step (void)
{
  GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (
    gtk_widget_get_template_child (GTK_WIDGET (lesson), TRIAD_TYPE_LESSON_PAGE, "scroller"));
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (scroller);
  double last;

  show_lesson ();
  triad_lesson_page_show_section (lesson, 0);
  app_test_iterate (100);
  g_assert_cmpint (triad_lesson_page_get_section (lesson), ==, 0);
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), <, 40);
  last = gtk_adjustment_get_value (adj);
  /* → goes down a section at a time, the view scrolling with it */
  for (int i = 1; i < TRIAD_LESSON_N_SECTIONS; i++)
    {
      activate ("win.step", g_variant_new_int32 (1));
      app_test_iterate (50);
      g_assert_cmpint (triad_lesson_page_get_section (lesson), ==, i);
      g_assert_cmpfloat (gtk_adjustment_get_value (adj), >, last);
      last = gtk_adjustment_get_value (adj);
    }
  /* the ends hold */
  activate ("win.step", g_variant_new_int32 (1));
  g_assert_cmpint (triad_lesson_page_get_section (lesson), ==, TRIAD_LESSON_N_SECTIONS - 1);
  activate ("win.step", g_variant_new_int32 (-10));
  app_test_iterate (50);
  g_assert_cmpint (triad_lesson_page_get_section (lesson), ==, 0);
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), <, 40);
}

static void
check_png (const char *path,
           int         width,
           int         height)
{
  cairo_surface_t *png = cairo_image_surface_create_from_png (path);

  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  if (width > 0)
    {
      g_assert_cmpint (cairo_image_surface_get_width (png), ==, width);
      g_assert_cmpint (cairo_image_surface_get_height (png), ==, height);
    }
  else
    {
      g_assert_cmpint (cairo_image_surface_get_width (png), >, 400);
      g_assert_cmpint (cairo_image_surface_get_height (png), >, 300);
    }
  cairo_surface_destroy (png);
}

static void
test_window_export (void)
{
  g_autofree char *dir = g_dir_make_tmp ("triad-lesson-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "lesson.png", NULL);
  g_autoptr(GError) error = NULL;

  show_lesson ();
  g_assert_true (triad_window_export_png (window, path, 1.0, &error));
  g_assert_no_error (error);
  check_png (path, -1, -1);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_cli_export (void)
{
  g_autofree char *dir = g_dir_make_tmp ("triad-lesson-cli-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "x.png", NULL);
  char *argv[] = { "export", "--view", "lesson-cost", "--out", path, "--width", "800",
                   "--height", "500", "--output", "200", "--input-max", "32000", NULL };
  char *bad[] = { "export", "--view", "lesson-cost", "--out", path, "--output", "0", NULL };
  FILE *out = tmpfile (), *err = tmpfile ();
  char report[4096] = { 0 };
  size_t n;

  g_assert_nonnull (out);
  g_assert_nonnull (err);
  g_assert_cmpint (triad_cli_run (G_N_ELEMENTS (argv) - 1, argv, out, err), ==, 0);
  check_png (path, 800, 500);
  rewind (out);
  n = fread (report, 1, sizeof report - 1, out);
  report[n] = '\0';
  /* the report names the file and the pixels written */
  assert_contains (report, "\"format\":\"png\",\"width\":800,\"height\":500");
  g_unlink (path);

  /* a usage error: status 2, one line, no file */
  g_assert_cmpint (triad_cli_run (G_N_ELEMENTS (bad) - 1, bad, out, err), ==, 2);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  fclose (out);
  fclose (err);
  g_rmdir (dir);
}

/* The cost figure exported from the window and by `triad export --view lesson-cost` with the
 * same options (900 × 560 on white, m = 200, d = 1024) is the same picture, pixel for pixel:
 * both draw the lesson-cost scene. A different m (the command line's default, 500) is a
 * different picture, so the comparison can tell. */
static void
test_export_same_pixels (void)
{
  g_autofree char *dir = g_dir_make_tmp ("triad-lesson-same-XXXXXX", NULL);
  g_autofree char *win_png = g_build_filename (dir, "window.png", NULL);
  g_autofree char *cli_png = g_build_filename (dir, "cli.png", NULL);
  g_autofree char *other_png = g_build_filename (dir, "other.png", NULL);
  char *argv[] = { "export", "--view", "lesson-cost", "--out", cli_png, "--width", "900",
                   "--height", "560", "--background", "white", "--output", "200", "--dim",
                   "1024", NULL };
  char *other[] = { "export", "--view", "lesson-cost", "--out", other_png, "--width", "900",
                    "--height", "560", "--background", "white", "--dim", "1024", NULL };
  TriadWindowExport opt = { .format = TRIAD_EXPORT_PNG, .size = TRIAD_EXPORT_SIZE_CUSTOM,
                            .scale = 1.0, .width = 900, .height = 560,
                            .background = TRIAD_EXPORT_BACKGROUND_WHITE };
  GtkSpinButton *output = GTK_SPIN_BUTTON (
    gtk_widget_get_template_child (GTK_WIDGET (lesson), TRIAD_TYPE_LESSON_PAGE, "output_spin"));
  GtkSpinButton *width = GTK_SPIN_BUTTON (
    gtk_widget_get_template_child (GTK_WIDGET (lesson), TRIAD_TYPE_LESSON_PAGE, "width_spin"));
  g_autoptr(GError) error = NULL;
  FILE *out = tmpfile (), *err = tmpfile ();
  double old_output = gtk_spin_button_get_value (output);
  double old_width = gtk_spin_button_get_value (width);

  show_lesson ();
  gtk_spin_button_set_value (output, 200);
  gtk_spin_button_set_value (width, 1024);
  g_assert_true (triad_window_export (window, win_png, &opt, &error));
  g_assert_no_error (error);
  g_assert_cmpint (triad_cli_run (G_N_ELEMENTS (argv) - 1, argv, out, err), ==, 0);
  g_assert_cmpint (triad_cli_run (G_N_ELEMENTS (other) - 1, other, out, err), ==, 0);

  /* text, axes and curves: over a hundredth of the picture */
  g_assert_cmpint (test_png_ink (win_png), >, 900 * 560 / 100);
  g_assert_cmpint (test_png_diff (win_png, cli_png), ==, 0);
  g_assert_cmpint (test_png_diff (win_png, other_png), >, 0);

  gtk_spin_button_set_value (output, old_output);
  gtk_spin_button_set_value (width, old_width);
  fclose (out);
  fclose (err);
  g_unlink (win_png);
  g_unlink (cli_png);
  g_unlink (other_png);
  g_rmdir (dir);
}

static void
hover_changed (TriadSceneView       *view,
               const TriadScenePart *part,
               int                  *panel)
{
  *panel = part->panel;
}

/* The page's cost figure is a scene view: as high as the scene asks at its width (the
 * export's 1100 × 640 shape when the panels stand abreast), at the page's font scale, and
 * the pointer over the left panel's middle is over the FLOPs, told by hover-changed; leaving
 * tells nothing is lit. */
static void
test_scene_view (void)
{
  TriadSceneView *view = TRIAD_SCENE_VIEW (
    gtk_widget_get_template_child (GTK_WIDGET (lesson), TRIAD_TYPE_LESSON_PAGE, "cost_area"));
  int w, h, min, nat, panel = -2;
  gulong id;

  show_lesson ();
  triad_lesson_page_show_section (lesson, TRIAD_LESSON_N_SECTIONS - 1);
  app_test_iterate (100);
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (view)));
  w = gtk_widget_get_width (GTK_WIDGET (view));
  h = gtk_widget_get_height (GTK_WIDGET (view));
  g_assert_cmpint (w, >=, 560);
  /* 640 / 1100 of the width, rounded */
  g_assert_cmpint (abs (h - (int) round (w * 640.0 / 1100.0)), <=, 1);
  gtk_widget_measure (GTK_WIDGET (view), GTK_ORIENTATION_VERTICAL, 1100, &min, &nat, NULL, NULL);
  /* and the template's margin of 6 above it */
  g_assert_cmpint (nat, ==, 640 + 6);

  g_object_set (lesson, "font-scale", 1.5, NULL);
  g_assert_cmpfloat (triad_scene_view_get_font_scale (view), ==, 1.5);
  g_object_set (lesson, "font-scale", 1.0, NULL);

  id = g_signal_connect (view, "hover-changed", G_CALLBACK (hover_changed), &panel);
  triad_scene_view_hover_at (view, w / 4.0, h / 2.0);
  g_assert_cmpint (panel, ==, 0);
  triad_scene_view_hover_at (view, -1, -1);
  g_assert_cmpint (panel, ==, -1);
  g_signal_handler_disconnect (view, id);
}

int
main (int argc, char *argv[])
{
  GtkWidget *stack;
  int status;

  /* the numbers are checked as the C locale writes them, whatever the machine's language */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_unsetenv ("LANGUAGE");
  gtk_test_init (&argc, &argv, NULL);
  app = triad_application_new ();
  window = app_test_open_window (app, 1400, 900);
  stack = gtk_widget_get_ancestor (triad_window_get_page (window), GTK_TYPE_STACK);
  lesson = TRIAD_LESSON_PAGE (triad_window_get_view (window, "lesson"));
  g_assert_true (TRIAD_IS_LESSON_PAGE (lesson));
  g_assert_null (triad_window_get_view (window, "no-such-view"));
  /* the lesson comes first among the views */
  g_assert_true (gtk_widget_get_first_child (stack) == gtk_widget_get_parent (GTK_WIDGET (lesson)));

  g_test_add_func ("/app/lesson/induction-demo", test_induction_demo);
  g_test_add_func ("/app/lesson/cost-figure", test_cost_figure_draws);
  g_test_add_func ("/app/lesson/kv-numbers", test_kv_numbers);
  g_test_add_func ("/app/lesson/claims", test_claims);
  g_test_add_func ("/app/lesson/buttons", test_buttons);
  g_test_add_func ("/app/lesson/quiz", test_quiz);
  g_test_add_func ("/app/lesson/solutions", test_solutions);
  g_test_add_func ("/app/lesson/step", test_step);
  g_test_add_func ("/app/lesson/window-export", test_window_export);
  g_test_add_func ("/app/lesson/cli-export", test_cli_export);
  g_test_add_func ("/app/lesson/export-same-pixels", test_export_same_pixels);
  g_test_add_func ("/app/lesson/scene-view", test_scene_view);
  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  return status;
}
