/* test-scenes.c — every view's scene through the TriadScene interface alone, as the window's
 * scene widget uses it: a title, ink at two sizes, a point of the figure hit and a point off
 * it not, the hit part lit and unlit again, the words rebuilt in another language. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "../engine/test-common.h"
#include "../test-tools.h"
#include "engine/formula.h"
#include "scenes/lesson-cost-scene.h"
#include "scenes/scene-adapters.h"

static TriadModel *encoder, *decoder;

static void
set_language (const char *lang)
{
  g_setenv ("LANGUAGE", lang, TRUE);
  setlocale (LC_MESSAGES, "C");
  g_assert_nonnull (setlocale (LC_MESSAGES, "C.UTF-8"));
}

/* The scene drawn at width × height on a light style, as an image. */
static cairo_surface_t *
render (TriadScene *scene,
        int         width,
        int         height)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (s);
  TriadFigureStyle style;

  triad_figure_style_init (&style, FALSE);
  triad_scene_draw (scene, cr, &style, width, height);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  return s;
}

/* Pixels unlike the top-left corner's (the background) by more than 32 in a channel. */
static int
ink (cairo_surface_t *s)
{
  int w = cairo_image_surface_get_width (s), h = cairo_image_surface_get_height (s), n = 0;
  int stride = cairo_image_surface_get_stride (s) / 4;
  const guint32 *px = (const guint32 *) cairo_image_surface_get_data (s);
  guint32 bg = px[0];

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      for (int shift = 0; shift < 32; shift += 8)
        if (ABS ((int) ((px[y * stride + x] >> shift) & 0xff) - (int) ((bg >> shift) & 0xff)) > 32)
          {
            n++;
            break;
          }
  return n;
}

static int
differing (cairo_surface_t *a,
           cairo_surface_t *b)
{
  int w = cairo_image_surface_get_width (a), h = cairo_image_surface_get_height (a), n = 0;
  int stride = cairo_image_surface_get_stride (a) / 4;
  const guint32 *pa = (const guint32 *) cairo_image_surface_get_data (a);
  const guint32 *pb = (const guint32 *) cairo_image_surface_get_data (b);

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      n += pa[y * stride + x] != pb[y * stride + x];
  return n;
}

typedef struct {
  const char *name;
  int         width, height;        /* the size hit and hover are tried at */
  double      in_x, in_y;           /* a point over a part of the figure */
  int         in_panel;             /* the part's panel there */
  double      out_x, out_y;         /* a point of the figure over nothing */
  gboolean    lights;               /* whether hovering the part changes the figure */
} Expect;

/* What every scene must do, through the interface only. */
static void
check_scene (TriadScene   *scene,
             const Expect *e)
{
  TriadFigureStyle style;
  TriadScenePart part, none;
  cairo_surface_t *plain, *lit, *unlit;

  triad_figure_style_init (&style, FALSE);
  g_assert_cmpstr (triad_scene_get_name (scene), ==, e->name);
  g_assert_cmpuint (strlen (triad_scene_get_title (scene)), >, 0);

  /* ink at two sizes: text, axes and cells, over a hundredth of the figure, under 3/4 of it */
  for (int i = 0; i < 2; i++)
    {
      int w = i == 0 ? 1200 : 640;
      int h = (int) triad_scene_natural_height (scene, &style, w);
      cairo_surface_t *s;
      int n;

      /* a figure is neither a line nor a tower: the export's sizes are 1.1 to 2.1 wide to 1 */
      g_assert_cmpint (h, >, w / 3);
      g_assert_cmpint (h, <, w * 2);
      s = render (scene, w, h);
      n = ink (s);
      g_assert_cmpint (n, >, w * h / 100);
      g_assert_cmpint (n, <, w * h * 3 / 4);
      cairo_surface_destroy (s);
    }

  /* the point inside is over something of the panel expected, the point outside over
   * nothing, and so is a point off the figure */
  g_assert_true (triad_scene_hit (scene, &style, e->width, e->height, e->in_x, e->in_y, &part));
  g_assert_cmpint (part.panel, ==, e->in_panel);
  g_assert_false (triad_scene_hit (scene, &style, e->width, e->height, e->out_x, e->out_y,
                                   &none));
  g_assert_cmpint (none.panel, ==, -1);
  g_assert_false (triad_scene_hit (scene, &style, e->width, e->height, e->width + 5,
                                   e->in_y, &none));
  g_assert_cmpint (none.panel, ==, -1);

  /* hovering the part lights it in the drawing; hovering nothing draws the plain figure */
  plain = render (scene, e->width, e->height);
  triad_scene_hover (scene, &part);
  lit = render (scene, e->width, e->height);
  triad_scene_hover (scene, NULL);
  unlit = render (scene, e->width, e->height);
  if (e->lights)
    g_assert_cmpint (differing (plain, lit), >, 0);
  else
    g_assert_cmpint (differing (plain, lit), ==, 0);
  g_assert_cmpint (differing (plain, unlit), ==, 0);
  cairo_surface_destroy (plain);
  cairo_surface_destroy (lit);
  cairo_surface_destroy (unlit);
}

/* The title follows the language of the moment once relabelled. */
static void
check_relabel (TriadScene *scene,
               const char *ru_title)
{
  g_autofree char *en = NULL;

  set_language ("ru");
  triad_scene_relabel (scene);
  if (ru_title != NULL)
    g_assert_cmpstr (triad_scene_get_title (scene), ==, ru_title);
  en = g_strdup (triad_scene_get_title (scene));
  set_language ("en");
  triad_scene_relabel (scene);
  g_assert_cmpstr (triad_scene_get_title (scene), !=, en);
}

static void
test_lesson_cost (void)
{
  g_autoptr(TriadLessonCostScene) inner = triad_lesson_cost_scene_new ();
  TriadLessonCostOptions opt;
  g_autoptr(TriadScene) scene = NULL;
  /* 1100 × 640, the export's size: the two panels abreast, the FLOPs on the left half and the
   * memory on the right, under a title band at the top */
  Expect e = { "lesson-cost", 1100, 640, 825, 320, TRIAD_LESSON_COST_MEMORY, 550, 8, FALSE };
  TriadFigureStyle style;
  TriadScenePart part;

  triad_lesson_cost_options_init (&opt);
  scene = triad_lesson_cost_scene_as_scene (inner, &opt);
  g_assert_cmpstr (triad_scene_get_title (scene), ==, "What attention costs as the input grows");
  check_scene (scene, &e);
  triad_figure_style_init (&style, FALSE);
  g_assert_true (triad_scene_hit (scene, &style, 1100, 640, 275, 320, &part));
  g_assert_cmpint (part.panel, ==, TRIAD_LESSON_COST_FLOPS);
  /* 420 wide: stacked, the FLOPs above the memory, both across the figure */
  g_assert_true (triad_scene_hit (scene, &style, 420, 760, 210, 250, &part));
  g_assert_cmpint (part.panel, ==, TRIAD_LESSON_COST_FLOPS);
  g_assert_true (triad_scene_hit (scene, &style, 420, 760, 210, 480, &part));
  g_assert_cmpint (part.panel, ==, TRIAD_LESSON_COST_MEMORY);
  check_relabel (scene, "Во что обходится внимание с ростом входа");
}

static void
test_attention (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadAttentionScene) inner =
    triad_attention_scene_compute (decoder, "the big cat saw a small dog", NULL,
                                   TRIAD_ATTN_DECODER_SELF, -1, -1, NULL, &error);
  TriadAttentionOptions opt;
  g_autoptr(TriadScene) scene = NULL;
  /* one head's heatmap, 800 × 667: its centre is a cell; the top-left corner is the title's
   * margin */
  Expect e = { "attention", 800, 667, 420, 360, TRIAD_ATTENTION_FIGURE_HEATMAP, 2, 2, TRUE };

  g_assert_no_error (error);
  triad_attention_options_init (&opt);
  scene = triad_attention_scene_as_scene (inner, &opt);
  check_scene (scene, &e);
  check_relabel (scene, NULL);
}

static void
test_masks (void)
{
  g_autoptr(GError) error = NULL;
  const char *text = "the big cat saw a small dog";
  TriadFormulaTrace *enc = triad_formula_trace (encoder, text, 0, 0, 0, NULL, &error);
  TriadFormulaTrace *dec = triad_formula_trace (decoder, text, 0, 0, 0, NULL, &error);
  g_autoptr(TriadMasksScene) inner = NULL;
  TriadMasksOptions opt = { .position = -1, .formula_step = -1, .hover_model = -1,
                            .hover_row = -1, .hover_col = -1, .cmap = TRIAD_COLORMAP_VIRIDIS };
  g_autoptr(TriadScene) scene = NULL;
  /* 1400 × 1000: the grid takes the top 500 pixels (half), two rows of three matrices, the
   * first from about y = 90 to 270 with its middle matrix about x = 730 to 880; (800, 175)
   * is a cell of the encoder's scores. The figure's top-left corner is its margin. */
  Expect e = { "masks", 1400, 1000, 800, 175, 0, 2, 2, TRUE };

  g_assert_no_error (error);
  inner = triad_masks_scene_new (enc, dec, NULL);
  scene = triad_masks_scene_as_scene (inner, &opt);
  check_scene (scene, &e);
  check_relabel (scene, NULL);
}

static void
test_cross (void)
{
  static const int src_ids[] = { 10, 4, 17, 8, 21, 3 };
  static const int tgt_ids[] = { 2, 9, 14, 7, 7, 20, 11, 6, 18 };
  g_autoptr(TriadModel) m = test_model (TRIAD_ARCH_ENCDEC, 11);
  g_autoptr(TriadTokenizer) tok = test_tokenizer (m->config.vocab_size);
  g_autoptr(GError) error = NULL;
  TriadCrossView *v = triad_cross_view_compute_ids (m, src_ids, G_N_ELEMENTS (src_ids), tgt_ids,
                                                    G_N_ELEMENTS (tgt_ids), NULL, &error);
  g_autoptr(TriadCrossScene) inner = NULL;
  TriadCrossOptions opt;
  g_autoptr(TriadScene) scene = NULL;
  /* 1400 × 900: the encoder's panel above, the decoder's and the cross-attention below it
   * side by side, the cross-attention right of the middle from about y = 490 to 860;
   * (1000, 650) is one of its cells. The top-left corner is the margin. */
  Expect e = { "cross", 1400, 900, 1000, 650, TRIAD_CROSS_PANEL_CROSS, 2, 2, TRUE };

  g_assert_no_error (error);
  inner = triad_cross_scene_new (v, tok, NULL, NULL);
  triad_cross_options_init (&opt);
  scene = triad_cross_scene_as_scene (inner, &opt);
  check_scene (scene, &e);
  check_relabel (scene, NULL);
}

static void
test_kv (void)
{
  g_autoptr(TriadKvScene) inner = triad_kv_scene_new ();
  TriadLlmPreset *preset = triad_llm_preset_new_custom ();
  const TriadLlmPreset *presets[] = { preset };
  TriadKvSceneOptions opt;
  g_autoptr(TriadScene) scene = NULL;
  /* 1400 × 640: the live chart, the memory chart and the bars side by side above the
   * readouts; the middle of the figure is in the memory chart, the bottom-left corner is the
   * readouts' */
  Expect e = { "kv", 1400, 640, 700, 250, 1, 2, 630, TRUE };

  triad_kv_scene_set_presets (inner, presets, 1);
  /* a run of 4 steps of a 2-layer decoder over a prompt of 3 tokens */
  triad_kv_scene_set_live (inner, 3, 2, NULL);
  for (int i = 0; i < 4; i++)
    {
      TriadKvLiveStep step = {
        .step = i, .token = 5, .tokens = 4 + i, .kv_bytes = (4 + i) * 2 * 256,
        .layer_bytes = (4 + i) * 256, .n_layers = 2,
        .cached_seconds = 0.001, .recompute_seconds = 0.002 * (i + 1),
      };

      triad_kv_scene_add_step (inner, &step);
    }
  triad_kv_scene_options_init (&opt);
  scene = triad_kv_scene_as_scene (inner, &opt);
  check_scene (scene, &e);
  check_relabel (scene, NULL);
  triad_llm_preset_free (preset);
}

/* The live run's compute step, as the page's worker and `triad export --view kv` call it,
 * at the end of the shipped decoder's 1024 positions (data/models/decoder/config.json):
 * <bos> and 145 times the sentence's 7 words (one token each in the toy world) make a prompt
 * of 1016 tokens, so of 20 steps asked only 1024 − 1016 = 8 fit, the last leaving 1024
 * tokens in the cache, 1024 × 2 (K and V) × 4 layers × 128 × 4 bytes = 4,194,304 bytes;
 * the run is then exhausted, which the status says, and is not an error. */
static void
test_kv_live_compute (void)
{
  const TriadKvLiveRequest request = { .kv_block = 1, .sampling = FALSE };
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadKvLive) live = NULL;
  g_autoptr(TriadKvTrace) trace = NULL;
  g_autoptr(TriadKvScene) scene = triad_kv_scene_new ();
  TriadKvSceneOptions opt;
  const TriadKvLiveStep *last;
  int n_prompt = 0;

  g_assert_cmpint (decoder->config.max_seq_len, ==, 1024);
  g_assert_cmpint (decoder->config.n_dec_layers, ==, 4);
  g_assert_cmpint (decoder->config.dim, ==, 128);
  for (int i = 0; i < 145; i++)
    g_string_append (text, i == 0 ? "the big cat saw a small dog" : " the big cat saw a small dog");
  live = triad_kv_scene_live_new (decoder, text->str, &request, &n_prompt, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n_prompt, ==, 1016);
  trace = triad_kv_scene_compute_live (live, 20, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (trace);
  g_assert_cmpuint (trace->steps->len, ==, 8);
  g_assert_true (trace->exhausted);
  last = &g_array_index (trace->steps, TriadKvLiveStep, 7);
  g_assert_cmpint (last->tokens, ==, 1024);
  g_assert_cmpuint (last->kv_bytes, ==, 4194304);

  triad_kv_scene_set_live (scene, n_prompt, decoder->config.n_dec_layers, NULL);
  triad_kv_scene_add_trace (scene, trace);
  triad_kv_scene_options_init (&opt);
  triad_kv_scene_update (scene, &opt);
  g_assert_cmpint (triad_kv_scene_get_n_steps (scene), ==, 8);
  g_assert_nonnull (strstr (triad_kv_scene_get_live_status (scene),
                            "The decoder’s positions are full."));
  g_assert_nonnull (strstr (triad_kv_scene_get_live_status (scene),
                            "Step 8: 1024 tokens in the cache"));

  /* the whole run at once, as triad export takes it, replaces the run before: the same
   * prompt and 3 steps, 1019 tokens in the cache after the third */
  g_assert_true (triad_kv_scene_run_live (scene, decoder, text->str, &request, 3, &error));
  g_assert_no_error (error);
  g_assert_cmpint (triad_kv_scene_get_n_steps (scene), ==, 3);
  g_assert_cmpint (triad_kv_scene_get_n_prompt (scene), ==, 1016);
  g_assert_cmpint (triad_kv_scene_get_step (scene, 2)->tokens, ==, 1019);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *enc_dir = NULL, *dec_dir = NULL;
  int status;

  test_bind_translations ();
  g_test_init (&argc, &argv, NULL);
  set_language ("en");
  dec_dir = triad_model_resolve ("decoder", &error);
  g_assert_no_error (error);
  decoder = triad_model_load (dec_dir, &error);
  g_assert_no_error (error);
  enc_dir = triad_model_resolve ("encoder", &error);
  g_assert_no_error (error);
  encoder = triad_model_load (enc_dir, &error);
  g_assert_no_error (error);
  g_test_add_func ("/scenes/scene/lesson-cost", test_lesson_cost);
  g_test_add_func ("/scenes/scene/attention", test_attention);
  g_test_add_func ("/scenes/scene/masks", test_masks);
  g_test_add_func ("/scenes/scene/cross", test_cross);
  g_test_add_func ("/scenes/scene/kv", test_kv);
  g_test_add_func ("/scenes/scene/kv-live-compute", test_kv_live_compute);
  status = g_test_run ();
  triad_model_free (encoder);
  triad_model_free (decoder);
  return status;
}
