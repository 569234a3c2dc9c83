/* test-attention-scene.c — the Attention view's scene without a display: its titles in each
 * mode and language, what it holds of a long input's partial capture, its hit test and the
 * readout of a cell, and that a hover is drawn. The shipped decoder over the toy world's
 * "the big cat saw a small dog": <bos> and seven words, one token each. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "../test-tools.h"
#include "scenes/attention-scene.h"

static TriadModel *decoder;
static const char *text = "the big cat saw a small dog";

static void
set_language (const char *lang)
{
  g_setenv ("LANGUAGE", lang, TRUE);
  setlocale (LC_MESSAGES, "C");
  g_assert_nonnull (setlocale (LC_MESSAGES, "C.UTF-8"));
}

static TriadAttentionScene *
compute (int layer,
         int head)
{
  g_autoptr(GError) error = NULL;
  TriadAttentionScene *scene = triad_attention_scene_compute (decoder, text, NULL,
                                                              TRIAD_ATTN_DECODER_SELF, layer,
                                                              head, NULL, &error);

  g_assert_no_error (error);
  return scene;
}

/* The title names the model, the layer and the head or heads; "head" and "heads" follow the
 * number, and a relabel (update again) speaks the language gettext speaks then. */
static void
test_titles (void)
{
  g_autoptr(TriadAttentionScene) scene = compute (-1, -1);
  TriadAttentionOptions opt;

  set_language ("en");
  triad_attention_options_init (&opt);
  opt.layer = 3;
  opt.head = 2;
  g_assert_true (triad_attention_scene_update (scene, &opt));
  g_assert_cmpstr (triad_attention_scene_get_title (scene), ==, "Decoder · layer 3 · head 2");
  opt.mode = TRIAD_ATTENTION_MEAN;
  opt.layer = 1;
  g_assert_true (triad_attention_scene_update (scene, &opt));
  g_assert_cmpstr (triad_attention_scene_get_title (scene), ==, "Decoder · layer 1 · mean of 4 heads");
  opt.mode = TRIAD_ATTENTION_GRID;
  g_assert_true (triad_attention_scene_update (scene, &opt));
  g_assert_cmpint (triad_attention_scene_get_figure (scene), ==, TRIAD_ATTENTION_FIGURE_GRID);
  g_assert_cmpstr (triad_attention_scene_get_title (scene), ==, "Decoder · layer 1 · every head");

  /* the catalogue's words: «Декодировщик», «слой», and the plural for 4 («головам») */
  set_language ("ru");
  opt.mode = TRIAD_ATTENTION_MEAN;
  g_assert_true (triad_attention_scene_update (scene, &opt));
  g_assert_cmpstr (triad_attention_scene_get_title (scene), ==,
                   "Декодировщик · слой 1 · среднее по 4 головам");
  set_language ("en");
}

/* A long input's map holds one layer (or one head) only: the scene says so, and draws
 * nothing for the rest rather than another layer's weights. */
static void
test_holds (void)
{
  g_autoptr(TriadAttentionScene) layer2 = compute (2, -1);
  g_autoptr(TriadAttentionScene) head1 = compute (2, 1);
  TriadAttentionOptions opt;

  triad_attention_options_init (&opt);
  opt.layer = 2;
  opt.head = 1;
  g_assert_true (triad_attention_scene_holds (layer2, &opt));
  g_assert_true (triad_attention_scene_holds (head1, &opt));
  opt.mode = TRIAD_ATTENTION_MEAN;
  g_assert_true (triad_attention_scene_holds (layer2, &opt));
  g_assert_false (triad_attention_scene_holds (head1, &opt));
  opt.mode = TRIAD_ATTENTION_SINGLE;
  opt.head = 0;
  g_assert_false (triad_attention_scene_holds (head1, &opt));
  opt.layer = 3;
  g_assert_false (triad_attention_scene_holds (layer2, &opt));
  g_assert_false (triad_attention_scene_update (layer2, &opt));
  g_assert_cmpint (triad_attention_scene_get_figure (layer2), ==, TRIAD_ATTENTION_FIGURE_NONE);
  g_assert_null (triad_attention_scene_get_title (layer2));
}

/* The middle of the heatmap's cell (3, 1), as the figures layer lays it out, is query "cat"
 * at 3 and key "the" at 1; a point left of the matrix is nothing. */
static void
test_hit (void)
{
  g_autoptr(TriadAttentionScene) scene = compute (-1, -1);
  g_autofree char *readout = NULL;
  TriadAttentionOptions opt;
  TriadFigureStyle style;
  TriadHeatmapLayout layout;
  TriadHeatmap hm = { 0 };
  int a, b, n_q, n_k;

  set_language ("en");
  triad_figure_style_init (&style, FALSE);
  triad_attention_options_init (&opt);
  opt.layer = 3;
  g_assert_true (triad_attention_scene_update (scene, &opt));
  hm.weights = triad_attention_scene_get_weights (scene, &n_q, &n_k);
  g_assert_cmpint (n_q, ==, 8);
  g_assert_cmpint (n_k, ==, 8);
  hm.n_q = n_q;
  hm.n_k = n_k;
  hm.q_labels = triad_attention_scene_get_labels (scene, TRUE);
  hm.k_labels = triad_attention_scene_get_labels (scene, FALSE);
  hm.title = triad_attention_scene_get_title (scene);
  hm.colorbar_label = "attention weight";
  hm.show_colorbar = TRUE;
  hm.hover_q = hm.hover_k = -1;
  triad_heatmap_layout (&hm, &style, 600, 500, &layout);

  g_assert_true (triad_attention_scene_hit (scene, &style, 600, 500,
                                            layout.x + 1.5 * layout.cell_w,
                                            layout.y + 3.5 * layout.cell_h, &a, &b));
  g_assert_cmpint (a, ==, 3);
  g_assert_cmpint (b, ==, 1);
  readout = triad_attention_scene_describe (scene, a, b);
  g_assert_true (g_str_has_prefix (readout, "Query “cat” (3) → key “the” (1): weight 0"));
  g_assert_false (triad_attention_scene_hit (scene, &style, 600, 500, layout.x - 2,
                                             layout.y + 3.5 * layout.cell_h, &a, &b));
  g_assert_cmpint (a, ==, -1);
  g_assert_null (triad_attention_scene_describe (scene, a, b));
}

static cairo_surface_t *
draw (TriadAttentionScene *scene)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 300);
  cairo_t *cr = cairo_create (surface);
  TriadFigureStyle style;

  triad_figure_style_init (&style, FALSE);
  triad_attention_scene_draw (scene, cr, &style, 400, 300);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

/* The hovered cell is drawn lit: the figure with a hover is not the figure without. */
static void
test_hover_drawn (void)
{
  g_autoptr(TriadAttentionScene) scene = compute (-1, -1);
  TriadAttentionOptions opt;
  cairo_surface_t *plain, *lit;
  int differ = 0;

  triad_attention_options_init (&opt);
  opt.layer = 3;
  triad_attention_scene_update (scene, &opt);
  plain = draw (scene);
  opt.hover_a = 3;
  opt.hover_b = 1;
  triad_attention_scene_update (scene, &opt);
  lit = draw (scene);
  for (int i = 0; i < 300 * cairo_image_surface_get_stride (plain); i++)
    differ += cairo_image_surface_get_data (plain)[i] != cairo_image_surface_get_data (lit)[i];
  g_assert_cmpint (differ, >, 0);
  cairo_surface_destroy (plain);
  cairo_surface_destroy (lit);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  int status;

  test_bind_translations ();
  g_test_init (&argc, &argv, NULL);
  dir = triad_model_resolve ("decoder", &error);
  g_assert_no_error (error);
  decoder = triad_model_load (dir, &error);
  g_assert_no_error (error);
  g_test_add_func ("/scenes/attention/titles", test_titles);
  g_test_add_func ("/scenes/attention/holds", test_holds);
  g_test_add_func ("/scenes/attention/hit", test_hit);
  g_test_add_func ("/scenes/attention/hover-drawn", test_hover_drawn);
  status = g_test_run ();
  triad_model_free (decoder);
  return status;
}
