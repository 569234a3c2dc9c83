/* test-masks.c — the Masks view under Xvfb: the masks on screen against the engine's
 * weights, stepping the decoder, the formula's numbers, a third mask, hover and export. */
#include "config.h"

#include "app-test.h"
#include "../test-pixels.h"

#include <math.h>
#include <string.h>
#include <gtk/gtk.h>
#include <glib/gstdio.h>

#include "app/triad-application.h"
#include "app/triad-masks-page.h"
#include "app/triad-scene-view.h"
#include "scenes/scene-adapters.h"
#include "app/triad-view.h"
#include "app/triad-window.h"
#include "engine/analysis.h"

static TriadApplication *app;
static TriadWindow *window;

static TriadMasksPage *
page (void)
{
  GtkWidget *w = triad_window_get_page (window);

  g_assert_true (TRIAD_IS_MASKS_PAGE (w));
  return TRIAD_MASKS_PAGE (w);
}

static void
activate (const char *action,
          GVariant   *param)
{
  app_test_activate (GTK_WIDGET (window), action, param);
}

/* Runs the main loop until the page has a result and is idle (or 20 s pass). */
static void
wait_idle (void)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      if (!triad_view_get_busy (TRIAD_VIEW (page ())) && triad_masks_page_get_scene (page ()) != NULL)
        {
          app_test_iterate (400);   /* the debounce, then check again */
          if (!triad_view_get_busy (TRIAD_VIEW (page ())))
            return;
        }
    }
  g_error ("the page did not finish in time");
}

static void
show_sentence (const char *text)
{
  activate ("win.view", g_variant_new_string ("masks"));
  activate ("win.example", g_variant_new_string (text));
  app_test_iterate (300);
  wait_idle ();
}

/* Every shown row sums to 1 and every blocked cell is exactly 0, in the weights on screen. */
static void
check_matrix (const TriadMatrix *m)
{
  int rows = m->visible_rows < 0 ? m->rows : m->visible_rows;

  g_assert_nonnull (m->allowed);
  for (int i = 0; i < rows; i++)
    {
      double sum = 0;

      for (int j = 0; j < m->cols; j++)
        {
          float w = m->values[i * m->cols + j];

          if (!m->allowed[i * m->cols + j])
            g_assert_true (w == 0.0f);
          sum += w;
        }
      g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-5);
    }
}

static void
test_masks_side_by_side (void)
{
  const TriadMaskGrid *grid;
  const TriadMatrix *enc, *dec;

  show_sentence ("the big cat saw a small dog");
  grid = triad_masks_scene_grid (triad_masks_page_get_scene (page ()));
  g_assert_cmpint (grid->n_rows, ==, 2);
  enc = &grid->cells[0][2];
  dec = &grid->cells[1][2];
  /* the encoder reads <bos> seven words <eos>, the decoder <bos> seven words */
  g_assert_cmpint (enc->rows, ==, 9);
  g_assert_cmpint (dec->rows, ==, 8);
  check_matrix (enc);
  check_matrix (dec);
  /* bidirectional: nothing blocked; causal: exactly the upper triangle */
  for (int i = 0; i < enc->rows * enc->cols; i++)
    g_assert_true (enc->allowed[i]);
  for (int i = 0; i < dec->rows; i++)
    for (int j = 0; j < dec->cols; j++)
      g_assert_cmpint (dec->allowed[i * dec->cols + j], ==, j <= i);
  /* the masks column draws the model's mask: the encoder's all open, the decoder's the lower
   * triangle with its diagonal (a query sees itself and what came before) */
  g_assert_cmpint (grid->cells[0][0].kind, ==, TRIAD_CELLS_MASK);
  g_assert_cmpint (grid->cells[1][0].kind, ==, TRIAD_CELLS_MASK);
  g_assert_cmpint (grid->cells[0][0].rows, ==, 9);
  g_assert_cmpint (grid->cells[1][0].rows, ==, 8);
  for (int i = 0; i < 9 * 9; i++)
    g_assert_true (grid->cells[0][0].allowed[i]);
  for (int i = 0; i < 8; i++)
    for (int j = 0; j < 8; j++)
      g_assert_cmpint (grid->cells[1][0].allowed[i * 8 + j], ==, j <= i);
}

/* The formula's numbers are the engine's: its softmax step against the attention that the
 * analysis layer computes on its own for the same layer and head. */
static void
test_formula_matches_engine (void)
{
  TriadModel *decoder = triad_application_get_model (app, TRIAD_ARCH_DECODER, NULL);
  g_autoptr(TriadAttentionMap) map = NULL;
  const TriadFormula *f;
  int step;

  show_sentence ("the big cat saw a small dog");
  f = triad_masks_scene_formula (triad_masks_page_get_scene (page ()));
  map = triad_attention_map_compute (decoder, "the big cat saw a small dog", NULL,
                                     TRIAD_ATTN_DECODER_SELF, 0, 0, NULL, NULL);
  g_assert_nonnull (map);
  g_assert_cmpint (f->steps[5].rows, ==, map->cap.n_q);
  for (int i = 0; i < map->cap.n_q * map->cap.n_k; i++)
    g_assert_cmpfloat_with_epsilon (f->steps[5].values[i], map->cap.weights[i], 1e-6);
  /* Q Kᵀ ÷ √d_k: step 3 is step 2 over √32 */
  g_assert_cmpfloat (f->d_k, ==, 32);
  for (int i = 0; i < f->steps[2].rows * f->steps[2].cols; i++)
    g_assert_cmpfloat_with_epsilon (f->steps[3].values[i], f->steps[2].values[i] / sqrt (32.0), 1e-4);

  /* Space / → through the window's step action moves the highlight and names the step */
  g_object_set (page (), "formula-step", -1, NULL);
  for (int i = 0; i < 3; i++)
    activate ("win.step", g_variant_new_int32 (1));
  g_object_get (page (), "formula-step", &step, NULL);
  g_assert_cmpint (step, ==, 2);
  f = triad_masks_scene_formula (triad_masks_page_get_scene (page ()));
  g_assert_cmpint (f->current, ==, 2);
  /* the sentence for Q Kᵀ, as the view's text says it (these tests run in English) */
  g_assert_cmpstr (f->caption, ==,
                   "Q Kᵀ: every query meets every key; the dot product scores how well they match.");
  for (int i = 0; i < 10; i++)
    activate ("win.step", g_variant_new_int32 (1));
  g_object_get (page (), "formula-step", &step, NULL);
  g_assert_cmpint (step, ==, TRIAD_FORMULA_STEPS - 1);
}

static void
test_stepping (void)
{
  const TriadMaskGrid *grid;

  show_sentence ("the big cat saw a small dog");
  g_assert_cmpint (triad_masks_page_get_position (page ()), ==, -1);
  /* position t shows rows 0 … t of the decoder, the encoder stays whole */
  for (int t = 0; t < 7; t++)
    {
      triad_masks_page_step_position (page (), 1);
      g_assert_cmpint (triad_masks_page_get_position (page ()), ==, t);
      grid = triad_masks_scene_grid (triad_masks_page_get_scene (page ()));
      for (int c = 0; c < TRIAD_MASK_GRID_COLS; c++)
        g_assert_cmpint (grid->cells[1][c].visible_rows, ==, t + 1);
      g_assert_cmpint (grid->cells[0][2].visible_rows, ==, -1);
      check_matrix (&grid->cells[1][2]);
      /* the row just shown sees itself and what came before: later cells stay blocked */
      for (int j = t + 1; j < grid->cells[1][2].cols; j++)
        g_assert_false (grid->cells[1][2].allowed[t * grid->cells[1][2].cols + j]);
    }
  /* past the last token every row shows again */
  triad_masks_page_step_position (page (), 1);
  g_assert_cmpint (triad_masks_page_get_position (page ()), ==, -1);
}

static void
test_compare (void)
{
  const TriadMaskGrid *grid;
  const TriadMatrix *m;

  show_sentence ("the big cat saw a small dog");
  /* the "Compare with" list of the toolbar: sliding window, W = 3 by default */
  {
    GtkWidget *toolbar = gtk_widget_get_first_child (gtk_widget_get_first_child (GTK_WIDGET (page ())));
    GtkWidget *child;
    GtkDropDown *compare = NULL;

    for (child = gtk_widget_get_first_child (toolbar); child; child = gtk_widget_get_next_sibling (child))
      if (GTK_IS_DROP_DOWN (child)
          && g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (child))) == TRIAD_N_COMPARES)
        compare = GTK_DROP_DOWN (child);
    g_assert_nonnull (compare);

    gtk_drop_down_set_selected (compare, TRIAD_COMPARE_SLIDING);
    grid = triad_masks_scene_grid (triad_masks_page_get_scene (page ()));
    g_assert_cmpint (grid->n_rows, ==, 3);
    m = &grid->cells[2][2];
    check_matrix (m);
    for (int i = 0; i < m->rows; i++)
      for (int j = 0; j < m->cols; j++)
        g_assert_cmpint (m->allowed[i * m->cols + j], ==, j <= i && j > i - 3);

    gtk_drop_down_set_selected (compare, TRIAD_COMPARE_PREFIX_LM);
    grid = triad_masks_scene_grid (triad_masks_page_get_scene (page ()));
    m = &grid->cells[2][2];
    check_matrix (m);
    for (int i = 0; i < m->rows; i++)
      for (int j = 0; j < m->cols; j++)
        g_assert_cmpint (m->allowed[i * m->cols + j], ==, j < 4 || j <= i);

    /* key padding: two <pad> after the encoder's sentence, blocked as keys; the sentence's
     * own weights are those of the sentence alone */
    gtk_drop_down_set_selected (compare, TRIAD_COMPARE_PADDING);
    grid = triad_masks_scene_grid (triad_masks_page_get_scene (page ()));
    m = &grid->cells[2][2];
    check_matrix (m);
    g_assert_cmpint (m->rows, ==, grid->cells[0][2].rows + 2);
    for (int i = 0; i < grid->cells[0][2].rows; i++)
      for (int j = 0; j < grid->cells[0][2].cols; j++)
        g_assert_cmpfloat_with_epsilon (m->values[i * m->cols + j],
                                        grid->cells[0][2].values[i * grid->cells[0][2].cols + j], 1e-5);

    /* the spin button beside the list is bound to the window or the prefix, whichever the
     * comparison uses: W = 2 typed in lets a query see itself and the token before; the
     * prefix set through view.prefix shows in it once the prefix-LM is chosen */
    {
      GtkSpinButton *spin = GTK_SPIN_BUTTON (gtk_widget_get_template_child (
          GTK_WIDGET (page ()), TRIAD_TYPE_MASKS_PAGE, "compare_spin"));
      int w, p;

      gtk_drop_down_set_selected (compare, TRIAD_COMPARE_SLIDING);
      g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 3);
      gtk_spin_button_set_value (spin, 2);
      g_object_get (page (), "window", &w, "prefix", &p, NULL);
      g_assert_cmpint (w, ==, 2);
      g_assert_cmpint (p, ==, 4);
      m = &triad_masks_scene_grid (triad_masks_page_get_scene (page ()))->cells[2][2];
      for (int i = 0; i < m->rows; i++)
        for (int j = 0; j < m->cols; j++)
          g_assert_cmpint (m->allowed[i * m->cols + j], ==, j <= i && j > i - 2);
      gtk_widget_activate_action (GTK_WIDGET (page ()), "view.prefix", "i", 5);
      gtk_drop_down_set_selected (compare, TRIAD_COMPARE_PREFIX_LM);
      g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 5);
      g_object_get (page (), "window", &w, NULL);
      g_assert_cmpint (w, ==, 2);
      g_object_set (page (), "window", 3, "prefix", 4, NULL);
    }

    gtk_drop_down_set_selected (compare, TRIAD_COMPARE_NONE);
    grid = triad_masks_scene_grid (triad_masks_page_get_scene (page ()));
    g_assert_cmpint (grid->n_rows, ==, 2);
  }
}

/* The page's figure: the scene view drawing the grid and the formula. */
static GtkWidget *
figure_view (void)
{
  g_autoptr(GPtrArray) queue = g_ptr_array_new ();

  g_ptr_array_add (queue, page ());
  for (guint i = 0; i < queue->len; i++)
    {
      if (TRIAD_IS_SCENE_VIEW (queue->pdata[i]))
        return queue->pdata[i];
      for (GtkWidget *c = gtk_widget_get_first_child (queue->pdata[i]); c;
           c = gtk_widget_get_next_sibling (c))
        g_ptr_array_add (queue, c);
    }
  g_error ("the page has no scene view");
}

/* Pointing at a blocked cell of the decoder's weights names it −∞. */
static void
test_hover (void)
{
  GtkWidget *area;
  int width, height;
  gboolean found = FALSE;

  show_sentence ("the big cat saw a small dog");
  app_test_iterate (200);
  /* the grid is the figure's upper part */
  area = figure_view ();
  width = gtk_widget_get_width (area);
  height = gtk_widget_get_height (area);
  g_assert_cmpint (width, >, 200);
  for (int y = 0; y < height && !found; y += 3)
    for (int x = width / 2; x < width && !found; x += 3)
      {
        const char *readout;

        triad_masks_page_hover (page (), x, y);
        readout = triad_masks_page_get_readout (page ());
        if (readout != NULL && strstr (readout, "−∞") != NULL)
          found = TRUE;
      }
  g_assert_true (found);
  triad_masks_page_hover (page (), -1, -1);
  g_assert_null (triad_masks_page_get_readout (page ()));
}

/* The figure takes the keyboard's focus (its ring is figureview's, ui/style.css), and a click
 * on the formula's third step chooses that step: the formula's seven boxes sit abreast below
 * the grid, so some point of the figure's lower part is over step 2. */
static void
test_figure_click (void)
{
  GtkWidget *view;
  TriadScene *scene;
  TriadFigureStyle style;
  TriadScenePart part = TRIAD_SCENE_PART_NONE;
  int width, height, step = -1;
  gboolean found = FALSE;

  show_sentence ("the big cat saw a small dog");
  g_object_set (page (), "formula-step", -1, NULL);
  app_test_iterate (100);
  view = figure_view ();
  g_assert_true (gtk_widget_get_focusable (view));
  g_assert_cmpstr (gtk_widget_get_css_name (view), ==, "figureview");
  scene = triad_scene_view_get_scene (TRIAD_SCENE_VIEW (view));
  g_assert_nonnull (scene);
  triad_scene_view_get_style (TRIAD_SCENE_VIEW (view), &style);
  width = gtk_widget_get_width (view);
  height = gtk_widget_get_height (view);
  for (int y = height / 2; y < height && !found; y += 4)
    for (int x = 0; x < width && !found; x += 4)
      found = triad_scene_hit (scene, &style, width, height, x, y, &part)
              && part.panel == TRIAD_MASKS_PART_FORMULA && part.row == 2;
  g_assert_true (found);
  /* the ring: the figure leaves its edges blank (its titles and cells sit inside margins),
   * so the frame has ink only while the keyboard's focus is on it */
  gtk_window_set_focus_visible (GTK_WINDOW (window), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (page ()));
  app_test_iterate (50);
  g_assert_cmpint (app_test_edge_ink (view), ==, 0);
  g_assert_true (gtk_widget_grab_focus (view));
  app_test_iterate (50);
  g_test_message ("the ring: %d pixels", app_test_edge_ink (view));
  /* 2 px all round a figure over 400 × 300 px: well over 1,000 pixels */
  g_assert_cmpint (app_test_edge_ink (view), >, 1000);
  /* the formula is chosen, not hovered: the readout stays empty over it */
  triad_masks_page_hover (page (), width / 2.0, height - 2);
  g_assert_null (triad_masks_page_get_readout (page ()));
  g_signal_emit_by_name (view, "activated", &part);
  g_object_get (page (), "formula-step", &step, NULL);
  g_assert_cmpint (step, ==, 2);
  g_object_set (page (), "formula-step", -1, NULL);
}

static void
test_export (void)
{
  g_autofree char *dir = g_dir_make_tmp ("triad-masks-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "masks.png", NULL);
  g_autofree char *pdf = g_build_filename (dir, "masks.pdf", NULL);
  g_autofree char *text = NULL, *screen = NULL;
  g_autoptr(GError) error = NULL;
  TriadWindowExport opt = { .format = TRIAD_EXPORT_PDF, .scale = 1.0 };
  cairo_surface_t *png;
  int width, height, ink;

  show_sentence ("the big cat saw a small dog");
  g_object_set (page (), "formula-step", -1, NULL);
  g_assert_true (triad_window_export_png (window, path, 1.0, &error));
  g_assert_no_error (error);
  png = test_png_load (path);
  width = cairo_image_surface_get_width (png);
  height = cairo_image_surface_get_height (png);
  cairo_surface_destroy (png);
  g_assert_cmpint (width, >, 400);
  g_assert_cmpint (height, >, 300);
  /* the grid's six matrices and the formula's seven are solid cells: more than a tenth of
   * the picture is ink (15 % at 1,400 × 770) */
  ink = test_png_ink (path);
  g_test_message ("ink: %d of %d pixels", ink, width * height);
  g_assert_cmpint (ink, >, width * height / 10);

  /* the figure's words, and not the keyboard's: the hint is for the screen only */
  g_assert_true (triad_window_export (window, pdf, &opt, &error));
  g_assert_no_error (error);
  text = test_pdf_text (pdf);
  if (text == NULL)
    return;
  g_assert_nonnull (strstr (text, "Encoder (BERT-style)"));
  g_assert_nonnull (strstr (text, "Decoder (GPT-style)"));
  g_assert_nonnull (strstr (text, "Weights after softmax"));
  g_assert_null (strstr (text, "Press"));
  g_assert_null (strstr (text, "Space"));
  /* … which the screen still shows under the formula, until a step is chosen */
  app_test_iterate (100);
  screen = app_test_screen_text (figure_view ());
  g_test_message ("on screen: %s", screen);
  g_assert_nonnull (strstr (screen, "Press Space"));
  g_clear_pointer (&screen, g_free);
  g_object_set (page (), "formula-step", 2, NULL);
  app_test_iterate (100);
  screen = app_test_screen_text (figure_view ());
  g_assert_null (strstr (screen, "Press"));
  g_assert_nonnull (strstr (screen, "every query meets every key"));
  g_object_set (page (), "formula-step", -1, NULL);
  g_unlink (path);
  g_unlink (pdf);
  g_rmdir (dir);
}

/* The window's export at 1,400 × 1,000 on white, in English, into path. */
static void
export_white (const char *path)
{
  TriadWindowExport opt = {
    .format = TRIAD_EXPORT_PNG, .size = TRIAD_EXPORT_SIZE_CUSTOM, .width = 1400, .height = 1000,
    .scale = 1.0, .background = TRIAD_EXPORT_BACKGROUND_WHITE, .language = "en",
  };
  g_autoptr(GError) error = NULL;

  g_assert_true (triad_window_export (window, path, &opt, &error));
  g_assert_no_error (error);
}

/* The colour-map preference reaches the Masks view's weights, on screen, in the window's
 * export and in `triad export --view masks --colormap`. The decoder's first query sees only
 * itself, so its weight is exactly 1 and its cells (in the grid and in the formula's
 * softmax) take the colour map's last colour: matplotlib's viridis(1.0) = #fde725,
 * magma(1.0) = #fcfdbf. Each cell is over 20 px a side here, so hundreds of pixels. */
static void
test_colormap (void)
{
  GSettings *settings = triad_application_get_settings (app);
  g_autofree char *dir = g_dir_make_tmp ("triad-masks-XXXXXX", NULL);
  g_autofree char *win_png = g_build_filename (dir, "window.png", NULL);
  g_autofree char *cli_png = g_build_filename (dir, "cli.png", NULL);
  char *argv[] = {
    "export", "--view", "masks", "--text", "the big cat saw a small dog", "--width", "1400",
    "--height", "1000", "--background", "white", "--lang", "en", "--colormap", "magma",
    "--out", cli_png, NULL
  };
  g_autofree char *out_text = NULL, *err_text = NULL;
  size_t out_len, err_len;
  FILE *out, *err;
  int viridis, magma;

  show_sentence ("the big cat saw a small dog");
  g_object_set (page (), "formula-step", -1, NULL);
  g_settings_set_string (settings, "colormap", "viridis");
  export_white (win_png);
  viridis = test_png_count_rgb (win_png, 0xfde725);
  magma = test_png_count_rgb (win_png, 0xfcfdbf);
  g_test_message ("viridis: %d pixels of #fde725, %d of #fcfdbf", viridis, magma);
  g_assert_cmpint (viridis, >, 400);
  g_assert_cmpint (magma, ==, 0);

  g_settings_set_string (settings, "colormap", "magma");
  app_test_iterate (50);
  export_white (win_png);
  viridis = test_png_count_rgb (win_png, 0xfde725);
  magma = test_png_count_rgb (win_png, 0xfcfdbf);
  g_test_message ("magma: %d pixels of #fde725, %d of #fcfdbf", viridis, magma);
  g_assert_cmpint (magma, >, 400);
  g_assert_cmpint (viridis, ==, 0);

  /* the command line with the same options draws the same picture */
  out = open_memstream (&out_text, &out_len);
  err = open_memstream (&err_text, &err_len);
  g_assert_cmpint (triad_cli_run (G_N_ELEMENTS (argv) - 1, argv, out, err), ==, 0);
  fclose (out);
  fclose (err);
  g_assert_cmpstr (err_text, ==, "");
  g_assert_cmpint (test_png_count_rgb (cli_png, 0xfcfdbf), ==, magma);
  g_assert_cmpint (test_png_diff (win_png, cli_png), ==, 0);

  g_settings_set_string (settings, "colormap", "viridis");
  g_unlink (win_png);
  g_unlink (cli_png);
  g_rmdir (dir);
}

static void
test_too_long_keeps_figure (void)
{
  TriadMasksScene *before;
  GString *s = g_string_new (NULL);

  show_sentence ("the big cat saw a small dog");
  before = triad_masks_page_get_scene (page ());
  for (int i = 0; i < 100; i++)
    g_string_append (s, "cat ");
  activate ("win.example", g_variant_new_string (s->str));
  g_string_free (s, TRUE);
  app_test_iterate (300);
  wait_idle ();
  g_assert_true (triad_masks_page_get_scene (page ()) == before);
}

/* A text of two tokens, <bos> and "dog", under the sliding window of 3: the spin button
 * reaches 2 at most and shows it, while the window keeps 3 for a longer text (a window past
 * the text is the whole text); a width chosen in the spin button reaches the window. */
static void
test_short_window (void)
{
  GtkSpinButton *spin;
  int w;

  show_sentence ("dog");
  g_assert_cmpint (triad_masks_scene_n_decoder (triad_masks_page_get_scene (page ())), ==, 2);
  spin = GTK_SPIN_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (page ()),
                                                         TRIAD_TYPE_MASKS_PAGE, "compare_spin"));
  g_object_set (page (), "window", 3, NULL);
  g_object_set (page (), "compare", TRIAD_COMPARE_SLIDING, NULL);
  g_object_get (page (), "window", &w, NULL);
  g_assert_cmpint (w, ==, 3);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 2);
  gtk_spin_button_set_value (spin, 1);
  g_object_get (page (), "window", &w, NULL);
  g_assert_cmpint (w, ==, 1);
  /* a window of 3 kept through a text shorter than it: the longer text shows it again */
  g_object_set (page (), "window", 3, NULL);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 2);
  show_sentence ("the big cat saw a small dog");
  g_object_get (page (), "window", &w, NULL);
  g_assert_cmpint (w, ==, 3);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 3);
  g_object_set (page (), "compare", TRIAD_COMPARE_NONE, NULL);
}

int
main (int argc, char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  app = triad_application_new ();
  window = app_test_open_window (app, 1400, 900);

  g_test_add_func ("/app/masks/side-by-side", test_masks_side_by_side);
  g_test_add_func ("/app/masks/formula", test_formula_matches_engine);
  g_test_add_func ("/app/masks/stepping", test_stepping);
  g_test_add_func ("/app/masks/compare", test_compare);
  g_test_add_func ("/app/masks/hover", test_hover);
  g_test_add_func ("/app/masks/figure-click", test_figure_click);
  g_test_add_func ("/app/masks/export", test_export);
  g_test_add_func ("/app/masks/colormap", test_colormap);
  g_test_add_func ("/app/masks/too-long", test_too_long_keeps_figure);
  g_test_add_func ("/app/masks/short-window", test_short_window);
  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  return status;
}
