/* test-cross-scene.c — the Cross-attention scene without a display: options to figures (the
 * step, the gauge's bytes, what is lit), titles made again in the language of the moment,
 * hit-testing, and drawing in any style. */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <cairo.h>

#include "../engine/test-common.h"
#include "engine/crossview.h"
#include "engine/numbers.h"
#include "scenes/cross-scene.h"

/* A random encoder-decoder (2 + 2 layers, 4 heads, dim 16) over 6 source tokens and 9 target
 * tokens, teacher forcing. */
static const int src_ids[] = { 10, 4, 17, 8, 21, 3 };
static const int tgt_ids[] = { 2, 9, 14, 7, 7, 20, 11, 6, 18 };
#define N_SRC ((int) G_N_ELEMENTS (src_ids))
#define N_TGT ((int) G_N_ELEMENTS (tgt_ids))

static TriadCrossScene *
make_scene (void)
{
  g_autoptr(TriadModel) m = test_model (TRIAD_ARCH_ENCDEC, 11);
  g_autoptr(TriadTokenizer) tok = test_tokenizer (m->config.vocab_size);
  g_autoptr(GError) error = NULL;
  TriadCrossView *v = triad_cross_view_compute_ids (m, src_ids, N_SRC, tgt_ids, N_TGT, NULL,
                                                    &error);

  g_assert_no_error (error);
  /* the labels are made here: the tokenizer need not outlive the scene */
  return triad_cross_scene_new (v, tok, NULL, NULL);
}

/* Switches gettext's language as the window does for an export. */
static void
speak (const char *lang)
{
  const char *set;

  g_setenv ("LANGUAGE", lang, TRUE);
  setlocale (LC_MESSAGES, "C");
  set = setlocale (LC_MESSAGES, "");
  if (set == NULL || g_str_equal (set, "C") || g_str_equal (set, "POSIX")
      || g_str_has_prefix (set, "C."))
    setlocale (LC_MESSAGES, "C.UTF-8");
}

/* The defaults show everything: the last layer (1), every one of the 9 target tokens. A step
 * shows t rows, and the gauge holds t positions of the decoder's K and V in each of its 2
 * layers, 2 · 16 floats of 4 bytes each: 256 bytes a position; the cross-attention's K/V is
 * the 6 source positions from the first step, 1,536 bytes. */
static void
test_steps (void)
{
  g_autoptr(TriadCrossScene) s = make_scene ();
  const TriadCrossFigure *fig = triad_cross_scene_figure (s);
  TriadCrossOptions opt;

  g_assert_cmpint (triad_cross_scene_options (s)->layer, ==, 1);
  g_assert_cmpint (fig->n_shown, ==, 9);
  g_assert_cmpint (fig->gauge.self_positions, ==, 9);
  g_assert_cmpuint (fig->gauge.self_bytes, ==, 9 * 256);

  triad_cross_options_init (&opt);
  opt.position = 3;
  opt.layer = 7;   /* past the last: the last */
  triad_cross_scene_update (s, &opt);
  g_assert_cmpint (triad_cross_scene_options (s)->layer, ==, 1);
  g_assert_true (triad_cross_scene_figure (s) == fig);
  g_assert_cmpint (fig->n_shown, ==, 3);
  g_assert_cmpint (triad_cross_scene_alignment (s)->n_shown, ==, 3);
  g_assert_cmpint (fig->gauge.self_positions, ==, 3);
  g_assert_cmpint (fig->gauge.self_positions_max, ==, 9);
  g_assert_cmpuint (fig->gauge.self_bytes, ==, 3 * 256);
  g_assert_cmpint (fig->gauge.cross_positions, ==, 6);
  g_assert_cmpuint (fig->gauge.cross_bytes, ==, 6 * 256);

  /* a target token not decoded yet cannot be lit */
  opt.hover.tgt = 5;
  opt.hover.src = 2;
  triad_cross_scene_update (s, &opt);
  g_assert_cmpint (fig->hover.tgt, ==, -1);
  g_assert_cmpint (fig->hover.src, ==, 2);

  /* without a decoder-only model there is no by-prompt figure */
  g_assert_true (triad_cross_scene_has_figure (s));
  opt.display = TRIAD_CROSS_DISPLAY_PROMPT;
  triad_cross_scene_update (s, &opt);
  g_assert_false (triad_cross_scene_has_figure (s));
}

/* The title, written out by hand, and made again in Russian by updating while gettext speaks
 * Russian (po/ru.po: «Кодировщик-декодировщик · %s · слой %d · %s», «ваш целевой текст
 * (teacher forcing)», «голова %d», «среднее по %d головам»). */
static void
test_titles (void)
{
  g_autoptr(TriadCrossScene) s = make_scene ();
  TriadCrossOptions opt;

  triad_cross_options_init (&opt);
  opt.head = 0;
  opt.layer = 0;
  speak ("en");
  triad_cross_scene_update (s, &opt);
  g_assert_cmpstr (triad_cross_scene_title (s), ==,
                   "Encoder-decoder · your target, teacher forcing · layer 0 · head 0");
  g_assert_cmpstr (triad_cross_scene_figure (s)->title, ==, triad_cross_scene_title (s));
  g_assert_cmpstr (triad_cross_scene_alignment (s)->title, ==, triad_cross_scene_title (s));

  speak ("ru");
  triad_cross_scene_update (s, &opt);
  g_assert_cmpstr (triad_cross_scene_title (s), ==,
                   "Кодировщик-декодировщик · ваш целевой текст (teacher forcing) · слой 0 · "
                   "голова 0");
  opt.head = -1;
  triad_cross_scene_update (s, &opt);
  g_assert_cmpstr (triad_cross_scene_title (s), ==,
                   "Кодировщик-декодировщик · ваш целевой текст (teacher forcing) · слой 0 · "
                   "среднее по 4 головам");

  speak ("en");
  triad_cross_scene_update (s, &opt);
  g_assert_cmpstr (triad_cross_scene_title (s), ==,
                   "Encoder-decoder · your target, teacher forcing · layer 0 · mean of 4 heads");
}

/* Pointing at the cross-attention's cell (target 2, source 3) lights both tokens and outlines
 * the cell; the description names it with its weight; a row not decoded answers nothing. */
static void
test_hit (void)
{
  g_autoptr(TriadCrossScene) s = make_scene ();
  g_autofree char *said = NULL, *weight = NULL;
  TriadFigureStyle style;
  TriadCrossLayout l;
  TriadCrossOptions opt;
  const TriadCrossFigure *fig = triad_cross_scene_figure (s);
  double cx, cy;

  speak ("en");
  triad_figure_style_init (&style, FALSE);
  triad_cross_options_init (&opt);
  opt.position = 4;
  triad_cross_scene_update (s, &opt);
  triad_cross_figure_layout (fig, &style, 900, 600, &l);
  g_assert_cmpfloat (l.cell_w, >, 4);
  g_assert_cmpfloat (l.cell_h, >, 4);
  cx = l.x[TRIAD_CROSS_PANEL_CROSS] + 3.5 * l.cell_w;
  cy = l.y[TRIAD_CROSS_PANEL_CROSS] + 2.5 * l.cell_h;
  g_assert_true (triad_cross_scene_hit (s, &style, 900, 600, cx, cy, &opt));
  g_assert_cmpint (opt.hover.tgt, ==, 2);
  g_assert_cmpint (opt.hover.src, ==, 3);
  g_assert_cmpint (opt.cell_panel, ==, TRIAD_CROSS_PANEL_CROSS);
  g_assert_cmpint (opt.cell_row, ==, 2);
  g_assert_cmpint (opt.cell_col, ==, 3);
  triad_cross_scene_update (s, &opt);
  g_assert_cmpint (fig->hover.tgt, ==, 2);
  g_assert_cmpint (fig->cell_panel, ==, TRIAD_CROSS_PANEL_CROSS);
  said = triad_cross_scene_describe (s);
  weight = triad_format_double (fig->cross[2 * N_SRC + 3], 3);
  g_assert_true (g_str_has_prefix (said, "Cross-attention: query"));
  g_assert_true (g_str_has_suffix (said, weight));

  /* row 5 is past step 4 */
  g_assert_false (triad_cross_scene_hit (s, &style, 900, 600, cx,
                                         l.y[TRIAD_CROSS_PANEL_CROSS] + 5.5 * l.cell_h, &opt));
  g_assert_cmpint (opt.hover.tgt, ==, -1);
  g_assert_cmpint (opt.cell_panel, ==, TRIAD_CROSS_N_PANELS);
}

/* Pixels that differ from the background by more than a tenth in some channel. */
static int
ink (cairo_surface_t *surface,
     guint32          bg)
{
  int n = 0;

  cairo_surface_flush (surface);
  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    {
      const guint32 *row = (const guint32 *) (cairo_image_surface_get_data (surface)
                                              + (size_t) y * cairo_image_surface_get_stride (surface));
      for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
        for (int c = 0; c < 24; c += 8)
          if (ABS ((int) ((row[x] >> c) & 0xff) - (int) ((bg >> c) & 0xff)) > 25)
            {
              n++;
              break;
            }
    }
  return n;
}

/* Each display draws into a plain image surface in the light and the dark style: at least a
 * twentieth of a 700 × 450 figure is ink (the heatmaps' three panels of cells cover more
 * alone; the alignment's 6 × 9 lines and labels too; titles and labels alone, under a
 * hundredth). */
static void
test_draw (void)
{
  g_autoptr(TriadCrossScene) s = make_scene ();
  TriadCrossOptions opt;

  triad_cross_options_init (&opt);
  for (int dark = 0; dark <= 1; dark++)
    for (int d = TRIAD_CROSS_DISPLAY_HEATMAPS; d <= TRIAD_CROSS_DISPLAY_ALIGNMENT; d++)
      {
        cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 700, 450);
        cairo_t *cr = cairo_create (surface);
        TriadFigureStyle style;
        guint32 bg;

        triad_figure_style_init (&style, dark);
        opt.display = d;
        triad_cross_scene_update (s, &opt);
        cairo_set_source_rgb (cr, style.bg[0], style.bg[1], style.bg[2]);
        cairo_paint (cr);
        triad_cross_scene_draw (s, cr, &style, 700, 450);
        cairo_destroy (cr);
        bg = ((guint32) (style.bg[0] * 255 + 0.5) << 16) | ((guint32) (style.bg[1] * 255 + 0.5) << 8)
             | (guint32) (style.bg[2] * 255 + 0.5);
        g_assert_cmpint (ink (surface, bg), >, 700 * 450 / 20);
        cairo_surface_destroy (surface);
      }
}

int
main (int argc, char *argv[])
{
  test_bind_translations ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scenes/cross/steps", test_steps);
  g_test_add_func ("/scenes/cross/titles", test_titles);
  g_test_add_func ("/scenes/cross/hit", test_hit);
  g_test_add_func ("/scenes/cross/draw", test_draw);
  return g_test_run ();
}
