/* test-accessibility.c — the figures for every viewer, under Xvfb: each view's figure has a
 * description a screen reader reads, naming its strongest cells as the engine's matrices say;
 * Shift with the arrows walks the cells with the hover's readout; high contrast keeps masked
 * cells and highlights apart from the rest. */
#include "config.h"

#include "app-test.h"

#include <string.h>
#include <gtk/gtk.h>

#include "app/triad-attention-page.h"
#include "app/triad-cross-page.h"
#include "app/triad-kv-page.h"
#include "app/triad-masks-page.h"
#include "app/triad-gl-heatmap.h"
#include "app/triad-scene-view.h"
#include "app/triad-view.h"
#include "app/triad-window.h"
#include "scenes/scene-describe.h"

static TriadApplication *app;

static TriadWindow *
window (void)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (TRIAD_IS_WINDOW (l->data))
      return l->data;
  g_error ("no window");
}

/* The view named, shown, with its figure computed. */
static GtkWidget *
show_view (const char *name)
{
  GtkWidget *page = triad_window_get_page (window ());
  GtkStack *stack = GTK_STACK (gtk_widget_get_ancestor (page, GTK_TYPE_STACK));
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  gtk_stack_set_visible_child_name (stack, name);
  while (g_get_monotonic_time () < deadline)
    {
      double w, h;

      app_test_iterate (100);
      page = triad_window_get_page (window ());
      if (TRIAD_IS_VIEW (page) && !triad_view_get_busy (TRIAD_VIEW (page))
          && triad_view_get_figure_size (TRIAD_VIEW (page), &w, &h))
        {
          app_test_iterate (400);
          return page;
        }
    }
  g_error ("no %s figure in time", name);
}

static TriadSceneView *
find_scene_view (GtkWidget *widget)
{
  if (TRIAD_IS_SCENE_VIEW (widget) && gtk_widget_get_mapped (widget)
      && triad_scene_view_get_scene (TRIAD_SCENE_VIEW (widget)) != NULL)
    return TRIAD_SCENE_VIEW (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      TriadSceneView *found = find_scene_view (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The largest cell of (n_q, n_k) w over its first rows, where allowed (may be NULL) lets it;
 * the first met on a tie, row by row. */
static void
argmax (const float  *w,
        int           rows,
        int           n_k,
        const guint8 *allowed,
        int          *q,
        int          *k)
{
  float best = -1.0f;

  *q = *k = -1;
  for (int i = 0; i < rows; i++)
    for (int j = 0; j < n_k; j++)
      if ((allowed == NULL || allowed[(size_t) i * n_k + j]) && w[(size_t) i * n_k + j] > best)
        {
          best = w[(size_t) i * n_k + j];
          *q = i;
          *k = j;
        }
}

/* The description the view gives, and the one GTK's accessible holds for a screen reader. */
static const char *
checked_description (TriadSceneView *view)
{
  const char *text = triad_scene_view_get_description (view);

  g_assert_nonnull (text);
  g_assert_cmpuint (strlen (text), >, 20);
  /* what the accessibility layer reads, through GTK's test AT context */
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       text);
  return text;
}

static void
test_attention (void)
{
  TriadAttentionPage *page = TRIAD_ATTENTION_PAGE (show_view ("attention"));
  TriadSceneView *view = triad_attention_page_get_figure (page);
  TriadAttentionScene *scene = triad_attention_page_get_scene (page);
  const TriadAttentionMap *map = triad_attention_page_get_map (page);
  const char * const *ql = triad_attention_scene_get_labels (scene, TRUE);
  const char * const *kl = triad_attention_scene_get_labels (scene, FALSE);
  int layer, head, q, k;
  const float *w;
  g_autofree char *expected = NULL;
  g_autofree char *weight = NULL;

  g_assert_cmpint (triad_attention_scene_get_figure (scene), ==, TRIAD_ATTENTION_FIGURE_HEATMAP);
  g_object_get (page, "layer", &layer, "head", &head, NULL);
  /* the engine's own capture of the layer and head shown */
  w = triad_capture_matrix (&map->cap, map->cap.layer < 0 ? layer : 0,
                            map->cap.head < 0 ? head : 0);
  argmax (w, map->cap.n_q, map->cap.n_k, NULL, &q, &k);
  weight = g_strdup_printf ("%.2f", w[(size_t) q * map->cap.n_k + k]);
  expected = g_strdup_printf ("the query “%s” attends most to “%s”, %s", ql[q], kl[k], weight);
  g_test_message ("%s", checked_description (view));
  g_assert_nonnull (strstr (checked_description (view), expected));
  /* and the figure's title first: which layer and head */
  g_assert_true (g_str_has_prefix (checked_description (view),
                                   triad_attention_scene_get_title (scene)));
}

/* Shift with the arrows walks the heatmap's cells: the cell lit, the page's readout, and the
 * description a screen reader is given all follow, as hover would. */
static void
test_attention_walk (void)
{
  TriadAttentionPage *page = TRIAD_ATTENTION_PAGE (show_view ("attention"));
  TriadSceneView *view = triad_attention_page_get_figure (page);
  const TriadAttentionMap *map = triad_attention_page_get_map (page);
  TriadAttentionScene *scene = triad_attention_page_get_scene (page);
  const char * const *ql = triad_attention_scene_get_labels (scene, TRUE);
  const char * const *kl = triad_attention_scene_get_labels (scene, FALSE);
  GtkEventController *keys = NULL;
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (view));
  const TriadAttentionOptions *opt;
  TriadScenePart part;
  g_autofree char *readout = NULL;
  g_autofree char *weight = NULL;
  int layer, head, n_k = map->cap.n_k;
  gboolean handled = FALSE;
  const float *w;

  g_assert_cmpint (map->cap.n_q, >=, 3);
  g_object_get (page, "layer", &layer, "head", &head, NULL);
  w = triad_capture_matrix (&map->cap, map->cap.layer < 0 ? layer : 0,
                            map->cap.head < 0 ? head : 0);
  gtk_widget_grab_focus (GTK_WIDGET (view));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (c))
        keys = GTK_EVENT_CONTROLLER (c);
    }
  g_assert_nonnull (keys);

  /* the first Shift+→ lights the first cell; three more go along the first row, then ↓ */
  for (int i = 0; i < 4; i++)
    {
      g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Right, 0, GDK_SHIFT_MASK, &handled);
      g_assert_true (handled);
    }
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Down, 0, GDK_SHIFT_MASK, &handled);
  app_test_iterate (100);
  triad_scene_view_get_hover (view, &part);
  g_assert_cmpint (part.row, ==, 1);
  g_assert_cmpint (part.col, ==, MIN (3, n_k - 1));
  /* lit in the scene, where the heatmap outlines it */
  opt = triad_scene_get_options (triad_scene_view_get_scene (view));
  g_assert_cmpint (opt->hover_a, ==, 1);
  g_assert_cmpint (opt->hover_b, ==, MIN (3, n_k - 1));
  /* the hover's readout, its weight the engine's to three decimals */
  weight = g_strdup_printf ("%.3f", w[(size_t) 1 * n_k + MIN (3, n_k - 1)]);
  readout = g_strdup_printf ("Query “%s” (1) → key “%s” (%d): weight %s", ql[1],
                             kl[MIN (3, n_k - 1)], MIN (3, n_k - 1), weight);
  g_assert_cmpstr (triad_attention_page_get_readout (page), ==, readout);
  g_assert_cmpstr (checked_description (view), ==, readout);

  /* Home and End: the row's ends */
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_End, 0, GDK_SHIFT_MASK, &handled);
  triad_scene_view_get_hover (view, &part);
  g_assert_cmpint (part.col, ==, n_k - 1);
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Home, 0, GDK_SHIFT_MASK, &handled);
  triad_scene_view_get_hover (view, &part);
  g_assert_cmpint (part.row, ==, 1);
  g_assert_cmpint (part.col, ==, 0);
  /* a plain arrow is not the walk's: the page steps heads with it */
  handled = TRUE;
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Right, 0, 0, &handled);
  g_assert_false (handled);
  /* Escape puts the cell out, and the whole figure is described again */
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Escape, 0, 0, &handled);
  g_assert_true (handled);
  triad_scene_view_get_hover (view, &part);
  g_assert_cmpint (part.panel, ==, -1);
  g_assert_nonnull (strstr (checked_description (view), "attends most to"));
}

static void
count_cell (TriadGlHeatmap *gl,
            int             q,
            int             k,
            int            *last)
{
  last[0] = q;
  last[1] = k;
  last[2]++;
}

/* The GL heatmap of long inputs (64 k cells and more) walks its cells with the same keys as
 * the Cairo figure, says each change with its "cell" signal (the page's readout follows it) and
 * gives a screen reader the description it is handed. A 3 × 4 matrix: the first Shift+→
 * lights (0, 0), two more reach (0, 2), ↓ (1, 2), End (1, 3), → at the edge stays, Home (1, 0),
 * a plain arrow is not the walk's, Escape puts the cell out. */
static void
test_gl_walk (void)
{
  static const float w[12] = { 0 };
  static const char *ql[] = { "a", "b", "c", NULL }, *kl[] = { "w", "x", "y", "z", NULL };
  GtkWidget *gl = triad_gl_heatmap_new ();
  GtkEventController *keys = NULL;
  g_autoptr(GListModel) controllers = NULL;
  gboolean handled = FALSE;
  int last[3] = { -2, -2, 0 }, q, k;
  struct { guint key; GdkModifierType mods; int q, k; } steps[] = {
    { GDK_KEY_Right, GDK_SHIFT_MASK, 0, 0 }, { GDK_KEY_Right, GDK_SHIFT_MASK, 0, 1 },
    { GDK_KEY_Right, GDK_SHIFT_MASK, 0, 2 }, { GDK_KEY_Down, GDK_SHIFT_MASK, 1, 2 },
    { GDK_KEY_End, GDK_SHIFT_MASK, 1, 3 }, { GDK_KEY_Right, GDK_SHIFT_MASK, 1, 3 },
    { GDK_KEY_Home, GDK_SHIFT_MASK, 1, 0 },
  };

  g_object_ref_sink (gl);
  triad_gl_heatmap_set_matrix (TRIAD_GL_HEATMAP (gl), w, 3, 4, ql, kl, TRIAD_COLORMAP_VIRIDIS,
                               TRIAD_NORM_GLOBAL);
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (gl)), ==,
                   GTK_ACCESSIBLE_ROLE_IMG);
  g_assert_true (gtk_widget_get_focusable (gl));
  g_signal_connect (gl, "cell", G_CALLBACK (count_cell), last);
  controllers = gtk_widget_observe_controllers (gl);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) c = g_list_model_get_item (controllers, i);
      if (GTK_IS_EVENT_CONTROLLER_KEY (c))
        keys = GTK_EVENT_CONTROLLER (c);
    }
  g_assert_nonnull (keys);
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_signal_emit_by_name (keys, "key-pressed", steps[i].key, 0, steps[i].mods, &handled);
      g_assert_true (handled);
      triad_gl_heatmap_get_cell (TRIAD_GL_HEATMAP (gl), &q, &k);
      g_assert_cmpint (q, ==, steps[i].q);
      g_assert_cmpint (k, ==, steps[i].k);
      g_assert_cmpint (last[0], ==, q);
      g_assert_cmpint (last[1], ==, k);
    }
  /* → at the row's end changed nothing: one signal fewer than presses */
  g_assert_cmpint (last[2], ==, (int) G_N_ELEMENTS (steps) - 1);
  handled = TRUE;
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Right, 0, 0, &handled);
  g_assert_false (handled);
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Escape, 0, 0, &handled);
  g_assert_true (handled);
  g_assert_cmpint (last[0], ==, -1);
  g_assert_cmpint (last[1], ==, -1);

  triad_gl_heatmap_set_description (TRIAD_GL_HEATMAP (gl), "Query “b” (1) → key “z” (3)");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (gl), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Query “b” (1) → key “z” (3)");
  g_object_unref (gl);
}

static void
test_masks (void)
{
  TriadMasksPage *page = TRIAD_MASKS_PAGE (show_view ("masks"));
  TriadSceneView *view = find_scene_view (GTK_WIDGET (page));
  TriadMasksScene *scene = triad_masks_page_get_scene (page);
  const TriadMaskGrid *grid = triad_masks_scene_grid (scene);
  const char *text;
  TriadScenePart part;

  g_assert_nonnull (view);
  text = checked_description (view);
  g_test_message ("%s", text);
  for (int r = 0; r < grid->n_rows; r++)
    {
      const float *weights, *scaled;
      const TriadFormulaTrace *t = triad_masks_scene_trace (scene, r, &weights, &scaled);
      const TriadMatrix *m = &grid->cells[r][2];
      int rows = m->visible_rows >= 0 ? m->visible_rows : t->n, q, k;
      g_autofree char *expected = NULL;

      argmax (weights, rows, t->n, m->allowed, &q, &k);
      g_assert_cmpint (q, >=, 0);
      expected = g_strdup_printf ("%s: ", grid->row_titles[r]);
      g_assert_nonnull (strstr (text, expected));
      g_free (expected);
      expected = g_strdup_printf ("attends most to “%s”", t->tokens[k]);
      g_assert_nonnull (strstr (text, expected));
    }
  /* the decoder's row (1) blocks the future: n (n − 1) / 2 of its n² cells when every row is
   * shown */
  {
    const TriadMatrix *m = &grid->cells[1][2];
    int n = m->cols;
    g_autofree char *blocked = NULL;

    if (m->visible_rows < 0 || m->visible_rows >= n)
      {
        blocked = g_strdup_printf ("%d of %d cells blocked", n * (n - 1) / 2, n * n);
        g_assert_nonnull (strstr (text, blocked));
      }
  }

  /* the walk: the first cell of the encoder's weights, then Page Down to the decoder's,
   * → to its cell (0, 1), which the causal mask blocks */
  gtk_widget_grab_focus (GTK_WIDGET (view));
  g_assert_true (triad_scene_view_walk (view, TRIAD_SCENE_MOVE_RIGHT));
  triad_scene_view_get_hover (view, &part);
  g_assert_cmpint (part.panel, ==, 0);
  g_assert_true (triad_scene_view_walk (view, TRIAD_SCENE_MOVE_PAGE_DOWN));
  g_assert_true (triad_scene_view_walk (view, TRIAD_SCENE_MOVE_RIGHT));
  triad_scene_view_get_hover (view, &part);
  g_assert_cmpint (part.panel, ==, 1);
  g_assert_cmpint (part.row, ==, 0);
  g_assert_cmpint (part.col, ==, 1);
  g_assert_nonnull (strstr (triad_scene_view_get_description (view), "blocked, score −∞, weight 0"));
  g_assert_true (triad_scene_view_walk (view, TRIAD_SCENE_MOVE_PAGE_UP));
  triad_scene_view_get_hover (view, &part);
  g_assert_cmpint (part.panel, ==, 0);
  gtk_widget_grab_focus (GTK_WIDGET (window ()));
}

static void
test_cross (void)
{
  TriadCrossPage *page = TRIAD_CROSS_PAGE (show_view ("cross"));
  TriadSceneView *view = find_scene_view (GTK_WIDGET (page));
  TriadCrossScene *scene = triad_cross_page_get_scene (page);
  const TriadCrossView *cv = triad_cross_scene_view (scene);
  const TriadCrossOptions *opt = triad_cross_scene_options (scene);
  const char * const *src = triad_cross_scene_src_labels (scene);
  const char * const *tgt = triad_cross_scene_tgt_labels (scene);
  int S = cv->src->n, T = cv->tgt->n, H = cv->n_heads;
  int layer = opt->layer < 0 ? cv->n_dec_layers - 1 : opt->layer;
  const char *text;

  g_assert_nonnull (view);
  text = checked_description (view);
  g_test_message ("%s", text);
  /* each target token decoded: its strongest source by the engine's cross-attention, the
   * mean of the heads when no head is chosen */
  for (int t = 0; t < MIN (T, opt->position < 0 ? T : opt->position); t++)
    {
      g_autofree float *row = g_new0 (float, S);
      g_autofree char *expected = NULL;
      int q, k;

      for (int h = 0; h < H; h++)
        if (opt->head < 0 || h == opt->head)
          for (int s = 0; s < S; s++)
            row[s] += cv->cross[(((size_t) layer * H + h) * T + t) * S + s]
                      / (opt->head < 0 ? H : 1);
      argmax (row, 1, S, NULL, &q, &k);
      expected = g_strdup_printf ("“%s” → “%s”", tgt[t], src[k]);
      g_assert_nonnull (strstr (text, expected));
    }

  /* the walk: the cross-attention's first cell, → to (0, 1), Page Up to the decoder's own
   * panel; the page's readout and the description say the cell as hover does */
  gtk_widget_grab_focus (GTK_WIDGET (view));
  g_assert_true (triad_scene_view_walk (view, TRIAD_SCENE_MOVE_RIGHT));
  g_assert_true (triad_scene_view_walk (view, TRIAD_SCENE_MOVE_RIGHT));
  {
    g_autofree char *cell = g_strdup_printf ("Cross-attention: query “%s” (0) → key “%s” (1)",
                                             tgt[0], src[1]);
    TriadScenePart part;

    triad_scene_view_get_hover (view, &part);
    g_assert_cmpint (part.panel, ==, TRIAD_CROSS_PANEL_CROSS);
    g_assert_cmpint (part.row, ==, 0);
    g_assert_cmpint (part.col, ==, 1);
    g_assert_true (g_str_has_prefix (triad_cross_page_get_readout (page), cell));
    g_assert_cmpstr (checked_description (view), ==, triad_cross_page_get_readout (page));
  }
  g_assert_true (triad_scene_view_walk (view, TRIAD_SCENE_MOVE_PAGE_UP));
  g_assert_true (g_str_has_prefix (triad_scene_view_get_description (view),
                                   "Decoder self-attention: "));
  gtk_widget_grab_focus (GTK_WIDGET (window ()));
}

static void
test_kv (void)
{
  TriadKvPage *page = TRIAD_KV_PAGE (show_view ("kv"));
  TriadSceneView *view = find_scene_view (GTK_WIDGET (page));
  const char *title = triad_kv_scene_get_title (triad_kv_page_get_scene (page));

  g_assert_nonnull (view);
  g_assert_nonnull (strstr (checked_description (view), title));

  /* three steps of the live run, one position each, then the walk along its chart: the
   * first step, the next, the last, each read out as the status tells a step hovered, with
   * the tokens the engine's run holds after it */
  {
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
    TriadScenePart part;

    g_object_set (page, "kv-block", 1, "playing", FALSE, NULL);
    triad_kv_page_reset_live (page);
    app_test_iterate (300);
    for (int i = 0; i < 3; i++)
      triad_view_step (TRIAD_VIEW (page), 1);
    while (triad_kv_page_get_n_samples (page) < 3 && g_get_monotonic_time () < deadline)
      app_test_iterate (100);
    app_test_iterate (300);
    g_assert_cmpint (triad_kv_page_get_n_samples (page), ==, 3);
    view = find_scene_view (GTK_WIDGET (page));
    gtk_widget_grab_focus (GTK_WIDGET (view));
    for (int i = 0; i < 4; i++)
      {
        int tokens, step = MIN (i, 2);
        g_autofree char *expected = NULL;

        g_assert_true (triad_scene_view_walk (view, TRIAD_SCENE_MOVE_RIGHT));
        triad_scene_view_get_hover (view, &part);
        g_assert_cmpint (part.panel, ==, 0);
        g_assert_cmpint (part.row, ==, step);
        triad_kv_page_get_sample (page, step, &tokens, NULL, NULL, NULL, NULL);
        expected = g_strdup_printf ("Step %d: %d tokens in the cache", step + 1, tokens);
        g_assert_true (g_str_has_prefix (checked_description (view), expected));
      }
    gtk_widget_grab_focus (GTK_WIDGET (window ()));
  }
}

/* The same scene view's style under GTK's HighContrast theme: masked cells solid black, not
 * the normal style's none (the figures' own grey hatch), and highlight outlines twice as thick
 * in the text's colour, not the accent. */
static void
test_high_contrast (void)
{
  TriadMasksPage *page = TRIAD_MASKS_PAGE (show_view ("masks"));
  TriadSceneView *view = find_scene_view (GTK_WIDGET (page));
  GtkSettings *settings = gtk_widget_get_settings (GTK_WIDGET (view));
  g_autofree char *old = NULL;
  TriadFigureStyle normal, contrast;

  g_object_get (settings, "gtk-theme-name", &old, NULL);
  g_object_set (settings, "gtk-theme-name", "Adwaita", NULL);
  app_test_iterate (200);
  g_assert_false (triad_scene_view_is_high_contrast (view));
  triad_scene_view_get_style (view, &normal);
  g_object_set (settings, "gtk-theme-name", "HighContrast", NULL);
  app_test_iterate (200);
  g_assert_true (triad_scene_view_is_high_contrast (view));
  triad_scene_view_get_style (view, &contrast);
  g_object_set (settings, "gtk-theme-name", old, NULL);
  app_test_iterate (200);

  g_assert_cmpfloat (normal.masked[3], ==, 0.0);
  g_assert_cmpfloat (contrast.masked[3], ==, 1.0);
  g_assert_cmpfloat (contrast.masked[0] + contrast.masked[1] + contrast.masked[2], ==, 0.0);
  g_assert_cmpfloat (normal.outline_scale, ==, 1.0);
  g_assert_cmpfloat (contrast.outline_scale, ==, 2.0);
  g_assert_cmpfloat (triad_figure_outline_width (&contrast, 1.5), ==, 3.0);
  /* HighContrast is a light theme: black text, and highlights in it */
  for (int i = 0; i < 3; i++)
    {
      g_assert_cmpfloat (contrast.fg[i], ==, 0.0);
      g_assert_cmpfloat (contrast.accent[i], ==, 0.0);
    }
}

/* The masks figure drawn in the high-contrast style holds solid black where the normal one has
 * none: its blocked cells (the decoder's upper triangle). */
static void
test_high_contrast_pixels (void)
{
  TriadMasksPage *page = TRIAD_MASKS_PAGE (show_view ("masks"));
  TriadSceneView *view = find_scene_view (GTK_WIDGET (page));
  TriadScene *scene = triad_scene_view_get_scene (view);
  int black[2] = { 0, 0 };

  for (int c = 0; c < 2; c++)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 900, 700);
      cairo_t *cr = cairo_create (surface);
      TriadFigureStyle style;

      triad_figure_style_init (&style, FALSE);
      if (c == 1)
        triad_figure_style_make_high_contrast (&style);
      triad_scene_draw (scene, cr, &style, 900, 700);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      for (int y = 0; y < 700; y++)
        for (int x = 0; x < 900; x++)
          {
            guint32 px = ((guint32 *) (cairo_image_surface_get_data (surface)
                                       + y * cairo_image_surface_get_stride (surface)))[x];

            black[c] += (px & 0xffffff) == 0;
          }
      cairo_surface_destroy (surface);
    }
  g_test_message ("black pixels: normal %d, high contrast %d", black[0], black[1]);
  /* at least a few hundred pixels of solid black cells more */
  g_assert_cmpint (black[1], >, black[0] + 500);
}

int
main (int argc, char *argv[])
{
  /* GTK's test AT context, which keeps the accessible properties for the checks */
  g_setenv ("GTK_A11Y", "test", TRUE);
  test_bind_translations ();
  g_setenv ("LANGUAGE", "en", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  app = triad_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_application_activate (G_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (window ()), 1400, 900);
  app_test_iterate (200);

  g_test_add_func ("/app/accessibility/attention", test_attention);
  g_test_add_func ("/app/accessibility/attention-walk", test_attention_walk);
  g_test_add_func ("/app/accessibility/gl-walk", test_gl_walk);
  g_test_add_func ("/app/accessibility/masks", test_masks);
  g_test_add_func ("/app/accessibility/cross", test_cross);
  g_test_add_func ("/app/accessibility/kv", test_kv);
  g_test_add_func ("/app/accessibility/high-contrast", test_high_contrast);
  g_test_add_func ("/app/accessibility/high-contrast-pixels", test_high_contrast_pixels);
  return g_test_run ();
}
