/* test-set-input.c — the pages' set_input under Xvfb: it returns at once, before the model is
 * loaded (that happens in the page's worker, while the page says it is busy); a second input
 * while the first computes is the one shown; and a model that cannot be loaded is reported
 * once, under the figure and to the window, with the figure before kept.
 *
 * Each test takes a fresh application, so that no model is loaded before it starts. The
 * models come from a folder of this program's own (TRIAD_MODELS_DIR): the shipped decoder
 * and encoder, and an encoder-decoder whose model.safetensors is cut in half. */
#include "config.h"

#include <string.h>
#include <gtk/gtk.h>
#include <glib/gstdio.h>

#include "app-test.h"
#include "app/triad-application.h"
#include "app/triad-attention-page.h"
#include "app/triad-cross-page.h"
#include "app/triad-kv-page.h"
#include "app/triad-masks-page.h"
#include "app/triad-view.h"
#include "scenes/masks-scene.h"

/* The default sentence: the shipped decoder reads <bos> and its seven words (8 tokens), the
 * encoder adds <eos> (9); see tests/app/test-window.c, which counts them the same way. */
#define SENTENCE "the big cat saw a small dog"
/* <bos> a small dog: 4 tokens for the decoder */
#define SHORT    "a small dog"

static char *models_dir;

typedef struct {
  int   failures;
  char *last;
} Failures;

static void
on_failed (TriadView  *view,
           const char *message,
           Failures   *f)
{
  f->failures++;
  g_free (f->last);
  f->last = g_strdup (message);
}

/* A page of type in a window of its own, shown, with its "failed" counted into f. */
static TriadView *
host_page (GType      type,
           Failures  *f)
{
  GtkWidget *host = gtk_window_new ();
  GtkWidget *page = g_object_new (type, NULL);

  gtk_window_set_default_size (GTK_WINDOW (host), 1000, 700);
  gtk_window_set_child (GTK_WINDOW (host), page);
  gtk_window_present (GTK_WINDOW (host));
  g_signal_connect (page, "failed", G_CALLBACK (on_failed), f);
  return TRIAD_VIEW (page);
}

static void
close_page (TriadView *page)
{
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (page))));
  app_test_iterate (50);
}

/* Runs the main loop until page is no longer busy (or 30 s pass), then a little more, so that
 * anything late would have come. */
static void
wait_idle (TriadView *page)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (triad_view_get_busy (page))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the page is still busy after 30 s");
      g_main_context_iteration (NULL, FALSE);
    }
  app_test_iterate (300);
}

/* The visible label under page that says text, if any: the page's message. */
static gboolean
label_shows (GtkWidget  *w,
             const char *text)
{
  if (GTK_IS_LABEL (w) && gtk_widget_get_visible (w)
      && g_strcmp0 (gtk_label_get_text (GTK_LABEL (w)), text) == 0)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_get_visible (c) && label_shows (c, text))
      return TRUE;
  return FALSE;
}

/* set_input on a fresh application returns before any model is loaded, with the page busy;
 * the figure comes later, computed by the model loaded then. Fails where set_input loads the
 * model on the main thread first: the model would be loaded when it returns. */
static void
test_attention_returns_at_once (void)
{
  g_autoptr(TriadApplication) app = triad_application_new ();
  Failures f = { 0 };
  TriadView *page = host_page (TRIAD_TYPE_ATTENTION_PAGE, &f);
  TriadAttentionPage *p = TRIAD_ATTENTION_PAGE (page);
  const TriadAttentionMap *map;
  gint64 t0;

  g_assert_null (triad_application_peek_model (app, TRIAD_ARCH_DECODER));
  /* the model cache held, as a slow disk would hold it: a set_input that loaded the model on
   * this thread would wait here for ever (the test then fails by its time-out) */
  triad_application_hold_models (app, TRUE);
  t0 = g_get_monotonic_time ();
  triad_view_set_input (page, app, "decoder", SENTENCE);
  /* no model yet, no figure yet: the worker has them to do, and the page says it is busy */
  g_assert_null (triad_application_peek_model (app, TRIAD_ARCH_DECODER));
  g_assert_true (triad_view_get_busy (page));
  g_assert_null (triad_attention_page_get_map (p));
  g_test_message ("set_input returned in %.1f ms",
                  (g_get_monotonic_time () - t0) / 1000.0);
  triad_application_hold_models (app, FALSE);

  wait_idle (page);
  g_assert_false (triad_view_get_busy (page));
  g_assert_nonnull (triad_application_peek_model (app, TRIAD_ARCH_DECODER));
  map = triad_attention_page_get_map (p);
  g_assert_nonnull (map);
  g_assert_cmpint (map->arch, ==, TRIAD_ARCH_DECODER);
  g_assert_cmpint (map->cap.n_q, ==, 8);
  g_assert_cmpint (f.failures, ==, 0);
  /* the page took the loaded model's layers: the shipped decoder has four, it opens on the
   * last */
  {
    int layer;

    g_object_get (p, "layer", &layer, NULL);
    g_assert_cmpint (layer, ==, 3);
  }
  close_page (page);
  g_free (f.last);
}

/* The same for the Masks (encoder and decoder), Cross-Attention (encoder-decoder, here the
 * broken one) and KV Cache (decoder) pages: none loads a model in set_input. */
static void
test_others_return_at_once (void)
{
  struct {
    GType     type;
    TriadArch arch;      /* a model the page needs */
  } pages[] = {
    { TRIAD_TYPE_MASKS_PAGE, TRIAD_ARCH_ENCODER },
    { TRIAD_TYPE_CROSS_PAGE, TRIAD_ARCH_ENCDEC },
    { TRIAD_TYPE_KV_PAGE, TRIAD_ARCH_DECODER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autoptr(TriadApplication) app = triad_application_new ();
      Failures f = { 0 };
      TriadView *page = host_page (pages[i].type, &f);

      g_test_message ("%s", g_type_name (pages[i].type));
      triad_application_hold_models (app, TRUE);
      triad_view_set_input (page, app, "decoder", SENTENCE);
      g_assert_null (triad_application_peek_model (app, pages[i].arch));
      g_assert_true (triad_view_get_busy (page));
      triad_application_hold_models (app, FALSE);
      wait_idle (page);
      g_assert_false (triad_view_get_busy (page));
      if (pages[i].type == TRIAD_TYPE_MASKS_PAGE)
        {
          TriadMasksScene *scene = triad_masks_page_get_scene (TRIAD_MASKS_PAGE (page));

          /* the decoder's 8 tokens, computed once both models loaded */
          g_assert_nonnull (triad_application_peek_model (app, TRIAD_ARCH_ENCODER));
          g_assert_nonnull (triad_application_peek_model (app, TRIAD_ARCH_DECODER));
          g_assert_nonnull (scene);
          g_assert_cmpint (triad_masks_scene_n_decoder (scene), ==, 8);
          g_assert_cmpint (f.failures, ==, 0);
        }
      else if (pages[i].type == TRIAD_TYPE_KV_PAGE)
        {
          /* the live run starts once the decoder is loaded: its prompt is the 8 tokens */
          g_assert_nonnull (triad_application_peek_model (app, TRIAD_ARCH_DECODER));
          g_assert_cmpint (triad_kv_page_get_n_prompt (TRIAD_KV_PAGE (page)), ==, 8);
          g_assert_cmpint (f.failures, ==, 0);
        }
      else
        {
          /* this folder's encoder-decoder is broken: one message, and no figure */
          g_assert_null (triad_application_peek_model (app, TRIAD_ARCH_ENCDEC));
          g_assert_null (triad_cross_page_get_view (TRIAD_CROSS_PAGE (page)));
          g_assert_cmpint (f.failures, ==, 1);
          g_assert_nonnull (strstr (f.last, "lies outside the"));
          g_assert_true (label_shows (GTK_WIDGET (page), f.last));
        }
      close_page (page);
      g_free (f.last);
    }
}

/* A second input while the first computes (here while the first's model still loads) is the
 * one shown: the decoder's map of the short text, and never the encoder's of the long one,
 * not even for a moment. */
static void
test_second_input_wins (void)
{
  g_autoptr(TriadApplication) app = triad_application_new ();
  Failures f = { 0 };
  TriadView *page = host_page (TRIAD_TYPE_ATTENTION_PAGE, &f);
  TriadAttentionPage *p = TRIAD_ATTENTION_PAGE (page);
  const TriadAttentionMap *map;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  int maps_seen = 0;
  const TriadAttentionMap *last = NULL;

  triad_view_set_input (page, app, "encoder", SENTENCE);
  triad_view_set_input (page, app, "decoder", SHORT);
  g_assert_true (triad_view_get_busy (page));
  /* every figure the page shows on the way: only the second input's */
  while (g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      map = triad_attention_page_get_map (p);
      if (map != NULL && map != last)
        {
          maps_seen++;
          last = map;
          g_assert_cmpint (map->arch, ==, TRIAD_ARCH_DECODER);
          g_assert_cmpint (map->cap.n_q, ==, 4);
        }
      if (!triad_view_get_busy (page) && map != NULL)
        break;
    }
  app_test_iterate (500);
  map = triad_attention_page_get_map (p);
  g_assert_nonnull (map);
  /* <bos> ▁a ▁small ▁dog */
  g_assert_cmpint (map->cap.n_q, ==, 4);
  g_assert_cmpstr (map->src->pieces[3], ==, "▁dog");
  g_assert_true (map == last);
  g_assert_cmpint (maps_seen, ==, 1);
  g_assert_false (triad_view_get_busy (page));
  g_assert_cmpint (f.failures, ==, 0);
  close_page (page);
  g_free (f.last);
}

/* A model that cannot be loaded, asked for while a figure is shown: reported once (the
 * "failed" signal, and the message under the figure), the page no longer busy, and the
 * figure before still the one shown. Then the good model again: a figure again. */
static void
test_broken_model_reported_once (void)
{
  g_autoptr(TriadApplication) app = triad_application_new ();
  Failures f = { 0 };
  TriadView *page = host_page (TRIAD_TYPE_ATTENTION_PAGE, &f);
  TriadAttentionPage *p = TRIAD_ATTENTION_PAGE (page);
  const TriadAttentionMap *before;
  int busy_seen = 0;
  gint64 deadline;

  triad_view_set_input (page, app, "decoder", SENTENCE);
  wait_idle (page);
  before = triad_attention_page_get_map (p);
  g_assert_nonnull (before);
  g_assert_cmpint (f.failures, ==, 0);

  triad_view_set_input (page, app, "encdec", SENTENCE);
  /* busy while the broken model is tried, and not after */
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (triad_view_get_busy (page) && g_get_monotonic_time () < deadline)
    {
      busy_seen++;
      g_main_context_iteration (NULL, FALSE);
    }
  g_assert_cmpint (busy_seen, >, 0);
  app_test_iterate (300);
  g_assert_false (triad_view_get_busy (page));
  g_assert_cmpint (f.failures, ==, 1);
  g_test_message ("the message: %s", f.last);
  /* the safetensors header names more bytes than half a file holds */
  g_assert_nonnull (strstr (f.last, "lies outside the"));
  g_assert_true (label_shows (GTK_WIDGET (page), f.last));
  g_assert_true (triad_attention_page_get_map (p) == before);
  g_assert_null (triad_application_peek_model (app, TRIAD_ARCH_ENCDEC));

  /* the good model again, another text: its figure, and the message gone */
  triad_view_set_input (page, app, "decoder", SHORT);
  wait_idle (page);
  g_assert_true (triad_attention_page_get_map (p) != before);
  g_assert_cmpint (triad_attention_page_get_map (p)->cap.n_q, ==, 4);
  g_assert_false (label_shows (GTK_WIDGET (page), f.last));
  g_assert_cmpint (f.failures, ==, 1);
  close_page (page);
  g_free (f.last);
}

/* The model folders: the shipped decoder and encoder, and the encoder-decoder with its weights
 * cut in half. */
static void
make_models (void)
{
  const char *halved[] = { "encdec/model.safetensors", NULL };

  models_dir = app_test_copy_models (halved);
}

static void
remove_models (void)
{
  app_test_remove_models (g_steal_pointer (&models_dir));
}

int
main (int argc, char *argv[])
{
  int status;

  /* before any application looks for its models; messages in English */
  make_models ();
  g_setenv ("TRIAD_MODELS_DIR", models_dir, TRUE);
  g_setenv ("LANGUAGE", "en", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/set-input/attention-returns-at-once", test_attention_returns_at_once);
  g_test_add_func ("/app/set-input/others-return-at-once", test_others_return_at_once);
  g_test_add_func ("/app/set-input/second-input-wins", test_second_input_wins);
  g_test_add_func ("/app/set-input/broken-model-reported-once", test_broken_model_reported_once);
  status = g_test_run ();
  remove_models ();
  return status;
}
