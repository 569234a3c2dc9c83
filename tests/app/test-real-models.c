/* test-real-models.c — real models in the window under Xvfb: the tiny GPT-2, BERT and T5 folders of
 * tests/reference/hf-tiny chosen as a person chooses them (win.model with a folder), in every
 * view where their architecture fits; folders that are no model, or a broken one; the recent
 * folders; the Hugging Face cache in the chooser. */
#include "config.h"

#include "app-test.h"

#include <string.h>
#include <glib/gstdio.h>

#include "engine/kvquant.h"
#include "app/triad-cross-page.h"
#include "app/triad-kv-page.h"
#include "app/triad-masks-page.h"
#include "app/triad-model-list.h"
#include "app/triad-view.h"
#include "engine/model-catalog.h"
#include "scenes/attention-scene.h"
#include "scenes/cross-scene.h"
#include "scenes/masks-scene.h"

#define GPT2 TRIAD_HF_TINY_DIR "/gpt2"
#define BERT TRIAD_HF_TINY_DIR "/bert"
#define T5 TRIAD_HF_TINY_DIR "/t5"
#define LLAMA TRIAD_HF_TINY_DIR "/llama"

static TriadApplication *app;
static TriadWindow *window;
static char *cache_dir;    /* HF_HUB_CACHE: empty unless a test fills it */

static void
activate (const char *action,
          GVariant   *param)
{
  app_test_activate (GTK_WIDGET (window), action, param);
}

static GtkWidget *
show_view (const char *name)
{
  activate ("win.view", g_variant_new_string (name));
  return triad_window_get_page (window);
}

/* Runs the main loop past the window's debounce until page has computed (or 60 s pass). */
static void
wait_page (GtkWidget *page)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  app_test_iterate (400);
  while (g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      if (!triad_view_get_busy (TRIAD_VIEW (page)))
        {
          app_test_iterate (100);
          if (!triad_view_get_busy (TRIAD_VIEW (page)))
            return;
        }
    }
  g_error ("the page did not finish in time");
}

static gpointer
template_child (GtkWidget  *widget,
                const char *name)
{
  GObject *o = gtk_widget_get_template_child (widget, G_OBJECT_TYPE (widget), name);

  g_assert_nonnull (o);
  return o;
}

static const char *
model_state (void)
{
  static char *last;
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (window), "model");

  g_free (last);
  last = g_variant_dup_string (state, NULL);
  return last;
}

/* A copy of a fixture folder in a new temporary folder; with truncate, its weights cut to
 * their first 100 bytes (the safetensors header says more). */
static char *
copy_fixture (const char *from,
              gboolean    truncate)
{
  const char *files[] = { "config.json", "model.safetensors", "tokenizer.json" };
  char *dir = g_dir_make_tmp ("triad-hf-XXXXXX", NULL);

  g_assert_nonnull (dir);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *src = g_build_filename (from, files[i], NULL);
      g_autofree char *dst = g_build_filename (dir, files[i], NULL);
      g_autofree char *contents = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (src, &contents, &len, NULL));
      if (truncate && g_str_equal (files[i], "model.safetensors"))
        len = 100;
      g_assert_true (g_file_set_contents (dst, contents, len, NULL));
    }
  return dir;
}

static void
remove_fixture (const char *dir)
{
  const char *files[] = { "config.json", "model.safetensors", "tokenizer.json" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* GPT-2 in Attention: its own tokens and its 2 layers × 4 heads. "the cat sat" by hand from
 * the fixture's tokenizer.json: the byte-level pre-tokenizer splits "the", " cat", " sat"
 * (Ġ for the space); the merges "h e", "Ġ c", "Ġc a", "Ġca t", "Ġ s", "Ġs a", "Ġsa t" make
 * t he Ġcat Ġsat (no merge joins "t" and "he": only "Ġt he" is listed), ids 116, 257, 261,
 * 264 in its vocabulary; labels drop the Ġ. */
static void
test_gpt2_attention (void)
{
  static const int ids[] = { 116, 257, 261, 264 };
  static const char * const labels[] = { "t", "he", "cat", "sat" };
  GtkWidget *page = show_view ("attention");
  const TriadAttentionMap *map;
  const char * const *shown;

  activate ("win.model", g_variant_new_string (GPT2));
  activate ("win.example", g_variant_new_string ("the cat sat"));
  app_test_wait_attention (TRIAD_ATTENTION_PAGE (page));
  g_assert_cmpstr (model_state (), ==, GPT2);
  g_assert_cmpstr (triad_window_get_model (window), ==, GPT2);
  map = triad_attention_page_get_map (TRIAD_ATTENTION_PAGE (page));
  g_assert_nonnull (map);
  g_assert_cmpint (map->kind, ==, TRIAD_ATTN_DECODER_SELF);
  g_assert_cmpint (map->src->n, ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_assert_cmpint (map->src->ids[i], ==, ids[i]);
  shown = triad_attention_scene_get_labels (triad_attention_page_get_scene (TRIAD_ATTENTION_PAGE (page)),
                                            TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    g_assert_cmpstr (shown[i], ==, labels[i]);
  /* config.json: n_layer 2, n_head 4 */
  g_assert_cmpuint (triad_drop_down_n_items (template_child (page, "layer_dropdown")), ==, 2);
  g_assert_cmpuint (triad_drop_down_n_items (template_child (page, "head_dropdown")), ==, 4);
  /* the chooser and the title name the folder, the tooltip its path and kind */
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (triad_window_get_model_label (window))), ==,
                   "gpt2");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (template_child (GTK_WIDGET (window),
                                                                         "model_button")),
                            "/gpt2, decoder-only"));
  g_assert_nonnull (strstr (gtk_window_get_title (GTK_WINDOW (window)), "gpt2"));
  /* a real model's words are its tokenizer's: "zebra", outside the toy world, is marked for
   * the shipped models only */
  activate ("win.example", g_variant_new_string ("the zebra sat"));
  g_assert_false (gtk_revealer_get_reveal_child (template_child (GTK_WIDGET (window), "edge_bar")));
  activate ("win.model", g_variant_new_string ("decoder"));
  g_assert_true (gtk_revealer_get_reveal_child (template_child (GTK_WIDGET (window), "edge_bar")));
  activate ("win.model", g_variant_new_string (GPT2));
  g_assert_false (gtk_revealer_get_reveal_child (template_child (GTK_WIDGET (window), "edge_bar")));
  app_test_wait_attention (TRIAD_ATTENTION_PAGE (page));
}

/* BERT fills the Masks view's encoder side, each model on its own tokens: BERT's template
 * [CLS] $A [SEP] around the WordPiece vocabulary's whole words "the", "cat", "sat" (ids 2, 5,
 * 6, 7, 3 in the fixture's tokenizer.json), beside the shipped decoder's <bos> the cat sat
 * (4 tokens, each word one token of the toy world). */
static void
test_bert_masks (void)
{
  static const char * const tokens[] = { "[CLS]", "the", "cat", "sat", "[SEP]" };
  GtkWidget *page = show_view ("masks");
  const TriadFormulaTrace *enc, *dec;
  TriadMasksScene *scene;
  const char *heading;

  activate ("win.example", g_variant_new_string ("the cat sat"));
  activate ("win.model", g_variant_new_string (BERT));
  wait_page (page);
  scene = triad_masks_page_get_scene (TRIAD_MASKS_PAGE (page));
  g_assert_nonnull (scene);
  enc = triad_masks_scene_trace (scene, 0, NULL, NULL);
  dec = triad_masks_scene_trace (scene, 1, NULL, NULL);
  g_assert_cmpint (enc->n, ==, G_N_ELEMENTS (tokens));
  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    g_assert_cmpstr (enc->tokens[i], ==, tokens[i]);
  g_assert_cmpint (enc->mask.kind, ==, TRIAD_MASK_BIDIRECTIONAL);
  g_assert_cmpint (dec->n, ==, 4);
  g_assert_cmpint (dec->mask.kind, ==, TRIAD_MASK_CAUSAL);
  g_assert_true (gtk_widget_get_visible (template_child (page, "models_label")));
  heading = gtk_label_get_text (template_child (page, "models_label"));
  g_assert_nonnull (strstr (heading, "Encoder: bert"));
  g_assert_nonnull (strstr (heading, "decoder: Decoder · GPT-style"));
  /* the shipped pair again: the rows name them, no heading */
  activate ("win.model", g_variant_new_string ("encoder"));
  wait_page (page);
  g_assert_false (gtk_widget_get_visible (template_child (page, "models_label")));
}

/* T5 in Cross-Attention, on its own prompt: choosing it while the text is an example puts
 * T5's translation prompt in the entry, and a target typed for another model is dropped; the source ends with T5's </s>, the target starts from
 * decoder_start_token_id 0 (<pad>) and is the model's own greedy output. GPT-2 there instead:
 * the shipped encoder-decoder, and the line that says why. */
static void
test_t5_cross (void)
{
  GtkWidget *page = show_view ("cross");
  const TriadCrossView *view;
  const char * const *src, * const *tgt;
  TriadModel *t5;
  int n;

  /* the shipped encoder-decoder with a target of the person's own first: that target is
   * not T5's to read, which translates on its own */
  activate ("win.model", g_variant_new_string ("encdec"));
  activate ("win.example", g_variant_new_string ("the big cat saw a small dog"));
  wait_page (page);
  g_object_set (page, "target", "большая кошка видела маленькую собаку", NULL);
  wait_page (page);
  g_assert_false (triad_cross_page_get_view (TRIAD_CROSS_PAGE (page))->generated);

  activate ("win.model", g_variant_new_string (T5));
  wait_page (page);
  g_assert_cmpstr (gtk_editable_get_text (template_child (GTK_WIDGET (window), "text_entry")), ==,
                   "translate English to German: The house is wonderful.");
  view = triad_cross_page_get_view (TRIAD_CROSS_PAGE (page));
  g_assert_nonnull (view);
  t5 = triad_application_peek_model_by_id (app, T5);
  g_assert_nonnull (t5);
  g_assert_cmpstr (t5->config.model_type, ==, "t5");
  g_assert_true (view->generated);
  src = triad_cross_scene_src_labels (triad_cross_page_get_scene (TRIAD_CROSS_PAGE (page)));
  tgt = triad_cross_scene_tgt_labels (triad_cross_page_get_scene (TRIAD_CROSS_PAGE (page)));
  n = view->src->n;
  /* `triad attention -m tests/reference/hf-tiny/t5 --kind cross` on the prompt: 52 source
   * tokens (the fixture's 123-piece vocabulary spells most words letter by letter) */
  g_assert_cmpint (n, ==, 52);
  g_assert_cmpstr (src[n - 1], ==, "</s>");
  g_assert_cmpint (view->tgt->ids[0], ==, 0);
  g_assert_cmpstr (tgt[0], ==, "<pad>");
  g_assert_false (gtk_widget_get_visible (template_child (page, "model_note")));

  activate ("win.model", g_variant_new_string (GPT2));
  wait_page (page);
  view = triad_cross_page_get_view (TRIAD_CROSS_PAGE (page));
  g_assert_true (gtk_widget_get_visible (template_child (page, "model_note")));
  /* the shipped encoder-decoder: Triad's own (no model_type), 4 + 4 layers */
  g_assert_true (triad_config_is_triad (&triad_application_peek_model (app, TRIAD_ARCH_ENCDEC)->config));
  g_assert_true (view->src->n != 52);
}

/* GPT-2 in the live KV cache: 2 (K and V) × 2 layers × 32 values × 4 bytes = 512 bytes a token
 * (config.json: n_layer 2, n_embd 32), and the text decoded with spaces, never a "Ġ". */
static void
test_gpt2_kv (void)
{
  GtkWidget *page = show_view ("kv");
  guint64 previous = 0;
  int n;

  activate ("win.model", g_variant_new_string (GPT2));
  activate ("win.example", g_variant_new_string ("the cat sat"));
  wait_page (page);
  g_object_set (page, "kv-block", 1, "playing", FALSE, NULL);
  triad_kv_page_reset_live (TRIAD_KV_PAGE (page));
  wait_page (page);
  /* GPT-2 adds no token: t he Ġcat Ġsat */
  g_assert_cmpint (triad_kv_page_get_n_prompt (TRIAD_KV_PAGE (page)), ==, 4);
  g_assert_cmpint (triad_kv_page_get_n_layers (TRIAD_KV_PAGE (page)), ==, 2);
  g_assert_cmpstr (gtk_label_get_text (template_child (page, "live_heading")), ==, "Live: gpt2");
  for (int i = 0; i < 6; i++)
    triad_view_step (TRIAD_VIEW (page), 1);
  wait_page (page);
  n = triad_kv_page_get_n_samples (TRIAD_KV_PAGE (page));
  g_assert_cmpint (n, ==, 6);
  for (int i = 0; i < n; i++)
    {
      int tokens;
      guint64 kv, layer;
      double a, b;

      triad_kv_page_get_sample (TRIAD_KV_PAGE (page), i, &tokens, &kv, &layer, &a, &b);
      g_assert_cmpuint (kv, ==, (guint64) tokens * 512);
      if (i > 0)
        g_assert_cmpuint (kv - previous, ==, 512);
      previous = kv;
    }
  g_assert_cmpstr (triad_kv_page_get_generated (TRIAD_KV_PAGE (page)), !=, "");
  g_assert_null (strstr (triad_kv_page_get_generated (TRIAD_KV_PAGE (page)), "Ġ"));
}

/* The head statistics' K/V group rows: one over each pair of hf-tiny/llama's query heads (4
 * heads, 2 K/V heads), none for GPT-2's own K/V per head. */
static int
count_kv_rows (GtkWidget *grid)
{
  int n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (grid); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += GTK_IS_LABEL (c) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (c)), "K/V head ");
  return n;
}

static void
test_gqa_stats (void)
{
  GtkWidget *page = show_view ("attention");

  activate ("win.model", g_variant_new_string (LLAMA));
  activate ("win.example", g_variant_new_string ("the cat sat"));
  app_test_wait_attention (TRIAD_ATTENTION_PAGE (page));
  g_object_set (page, "mode", TRIAD_ATTENTION_GRID, NULL);
  app_test_wait_attention (TRIAD_ATTENTION_PAGE (page));
  g_assert_cmpint (count_kv_rows (GTK_WIDGET (template_child (page, "stats_grid"))), ==, 2);
  activate ("win.model", g_variant_new_string (GPT2));
  app_test_wait_attention (TRIAD_ATTENTION_PAGE (page));
  g_assert_cmpint (count_kv_rows (GTK_WIDGET (template_child (page, "stats_grid"))), ==, 0);
  g_object_set (page, "mode", TRIAD_ATTENTION_SINGLE, NULL);
}

/* A Llama-shaped decoder's live cache in int8, chosen through its action: each token adds
 * 2 (K and V) × 2 layers × 2 K/V heads × (8 values of 1 byte + a 4-byte scale) = 96 bytes,
 * worked out by hand; once the steps stop, the difference heatmap shows, with the engine's
 * comparison against an f32 cache over the run's tokens. */
static void
test_llama_kv_int8 (void)
{
  GtkWidget *page = show_view ("kv");
  const TriadKvQuantView *q;
  TriadKvQuantReport r;
  g_autoptr(TriadModel) llama = NULL;
  g_autoptr(TriadEncoding) prompt = NULL;
  int n;

  activate ("win.model", g_variant_new_string (LLAMA));
  activate ("win.example", g_variant_new_string ("the cat sat"));
  wait_page (page);
  g_object_set (page, "kv-block", 1, "playing", FALSE, NULL);
  g_assert_true (gtk_widget_activate_action (page, "view.live-dtype", "s", "int8"));
  wait_page (page);
  for (int i = 0; i < 5; i++)
    triad_view_step (TRIAD_VIEW (page), 1);
  wait_page (page);
  n = triad_kv_page_get_n_samples (TRIAD_KV_PAGE (page));
  g_assert_cmpint (n, ==, 5);
  for (int i = 0; i < n; i++)
    {
      int tokens;
      guint64 kv, layer;
      double a, b;

      triad_kv_page_get_sample (TRIAD_KV_PAGE (page), i, &tokens, &kv, &layer, &a, &b);
      g_assert_cmpuint (kv, ==, (guint64) tokens * 96);
    }
  g_assert_true (gtk_widget_get_visible (template_child (page, "difference_area")));
  q = triad_kv_scene_get_quant (triad_kv_page_get_scene (TRIAD_KV_PAGE (page)));
  g_assert_nonnull (q);
  g_assert_cmpint (q->dtype, ==, TRIAD_DTYPE_INT8);
  g_assert_cmpint (q->report.steps, ==, 5);
  /* the engine's report over the same prompt, as `triad generate --kv-dtype int8` gives it */
  llama = triad_model_load (LLAMA, NULL);
  prompt = triad_model_encode (llama, "the cat sat", TRIAD_ATTN_DECODER_SELF, NULL);
  g_assert_true (triad_kv_quant_compare (llama, prompt->ids, prompt->n, 5, TRIAD_DTYPE_INT8, &r,
                                         NULL, NULL));
  g_assert_cmpfloat (q->report.max_weight_diff, ==, r.max_weight_diff);
  g_assert_cmpint (q->report.changed, ==, r.changed);
  g_assert_cmpfloat (r.max_weight_diff, >, 0);
  /* the live decoder's own config stands in the projection's model list: in int8 there, its
   * bytes per token are the live run's, 96 */
  g_assert_true (gtk_widget_activate_action (page, "view.kv-dtype", "s", "int8"));
  g_object_set (page, "preset", "model", NULL);
  g_assert_cmpuint (triad_kv_page_get_estimate (TRIAD_KV_PAGE (page))->kv_bytes_per_token, ==, 96);
  g_object_set (page, "preset", "llama-3-8b", NULL);
  g_assert_true (gtk_widget_activate_action (page, "view.kv-dtype", "s", "f16"));
  /* back to f32: no difference to show */
  g_assert_true (gtk_widget_activate_action (page, "view.live-dtype", "s", "f32"));
  wait_page (page);
  g_assert_false (gtk_widget_get_visible (template_child (page, "difference_area")));
}

/* A folder that is no model is refused at once with the catalogue's sentence: the model and
 * the figure stay. */
static void
test_not_a_model (void)
{
  GtkWidget *page = show_view ("attention");
  g_autofree char *empty = g_dir_make_tmp ("triad-empty-XXXXXX", NULL);
  TriadAttentionScene *before;
  const char *toast;

  activate ("win.model", g_variant_new_string ("decoder"));
  activate ("win.example", g_variant_new_string ("the big cat saw a small dog"));
  app_test_wait_attention (TRIAD_ATTENTION_PAGE (page));
  before = triad_attention_page_get_scene (TRIAD_ATTENTION_PAGE (page));
  activate ("win.model", g_variant_new_string (empty));
  app_test_iterate (500);
  toast = gtk_label_get_text (template_child (GTK_WIDGET (window), "toast_label"));
  g_assert_nonnull (strstr (toast, "config.json"));
  g_assert_cmpstr (model_state (), ==, "decoder");
  g_assert_cmpstr (triad_window_get_model (window), ==, "decoder");
  g_assert_true (triad_attention_page_get_scene (TRIAD_ATTENTION_PAGE (page)) == before);
  g_rmdir (empty);
}

/* A model whose config.json reads but whose weights are cut short: chosen, it fails in the
 * page's worker, the engine's sentence shows under the toolbar, the previous figure and
 * model stay. */
static void
test_broken_weights (void)
{
  GtkWidget *page = show_view ("attention");
  g_autofree char *broken = copy_fixture (GPT2, TRUE);
  TriadAttentionScene *before;
  GtkLabel *message = template_child (page, "message");

  activate ("win.model", g_variant_new_string ("decoder"));
  activate ("win.example", g_variant_new_string ("the big cat saw a small dog"));
  app_test_wait_attention (TRIAD_ATTENTION_PAGE (page));
  before = triad_attention_page_get_scene (TRIAD_ATTENTION_PAGE (page));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (message)));
  activate ("win.model", g_variant_new_string (broken));
  wait_page (page);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (message)));
  g_assert_cmpstr (gtk_label_get_text (message), !=, "");
  g_test_message ("broken weights: %s", gtk_label_get_text (message));
  g_assert_null (triad_application_peek_model_by_id (app, broken));
  g_assert_true (triad_attention_page_get_scene (TRIAD_ATTENTION_PAGE (page)) == before);
  /* the model before is the window's again, which the next text computes with */
  g_assert_cmpstr (model_state (), ==, "decoder");
  g_assert_cmpstr (triad_window_get_model (window), ==, "decoder");
  activate ("win.example", g_variant_new_string ("the cat sat"));
  app_test_wait_attention (TRIAD_ATTENTION_PAGE (page));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (message)));
  g_assert_true (triad_attention_page_get_scene (TRIAD_ATTENTION_PAGE (page)) != before);
  g_assert_true (triad_attention_page_get_map (TRIAD_ATTENTION_PAGE (page))->arch
                 == TRIAD_ARCH_DECODER);
  remove_fixture (broken);
}

/* The recent folders, most recent first; one deleted drops out of the list and the key. */
static void
test_recent (void)
{
  GSettings *settings = triad_application_get_settings (app);
  g_autofree char *a = copy_fixture (GPT2, FALSE);
  g_autofree char *b = copy_fixture (BERT, FALSE);
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_auto(GStrv) kept = NULL;
  TriadModelEntry *e;

  g_settings_set_strv (settings, "recent-models", NULL);
  activate ("win.model", g_variant_new_string (a));
  activate ("win.model", g_variant_new_string (b));
  first = triad_window_list_models (window);
  /* the shipped three, no cache model (HF_HUB_CACHE is empty), then b and a */
  g_assert_cmpuint (first->len, ==, 5);
  e = g_ptr_array_index (first, 3);
  g_assert_cmpstr (e->id, ==, b);
  g_assert_cmpint (e->arch, ==, TRIAD_ARCH_ENCODER);
  e = g_ptr_array_index (first, 4);
  g_assert_cmpstr (e->id, ==, a);
  g_assert_cmpint (e->arch, ==, TRIAD_ARCH_DECODER);

  activate ("win.model", g_variant_new_string ("decoder"));
  remove_fixture (b);
  second = triad_window_list_models (window);
  g_assert_cmpuint (second->len, ==, 4);
  g_assert_cmpstr (((TriadModelEntry *) g_ptr_array_index (second, 3))->id, ==, a);
  kept = triad_recent_models_list (settings);
  g_assert_cmpuint (g_strv_length (kept), ==, 1);
  remove_fixture (a);
}

/* A model in the Hugging Face cache's layout is listed by the Hub's name, marked
 * decoder-only; the shipped three stay first. */
static void
test_hf_cache (void)
{
  g_autofree char *snapshots = g_build_filename (cache_dir, "models--org--tiny-gpt2",
                                                 "snapshots", NULL);
  g_autofree char *rev = g_build_filename (snapshots, "r1", NULL);
  g_autofree char *copy = copy_fixture (GPT2, FALSE);
  g_autoptr(GPtrArray) entries = NULL;
  g_auto(GStrv) recent = NULL;
  TriadModelEntry *e;

  g_assert_cmpint (g_mkdir_with_parents (snapshots, 0755), ==, 0);
  g_assert_cmpint (g_rename (copy, rev), ==, 0);
  g_settings_set_strv (triad_application_get_settings (app), "recent-models", NULL);
  entries = triad_window_list_models (window);
  g_assert_cmpuint (entries->len, ==, 4);
  g_assert_cmpstr (((TriadModelEntry *) g_ptr_array_index (entries, 0))->id, ==, "encoder");
  g_assert_cmpstr (((TriadModelEntry *) g_ptr_array_index (entries, 1))->id, ==, "decoder");
  g_assert_cmpstr (((TriadModelEntry *) g_ptr_array_index (entries, 2))->id, ==, "encdec");
  e = g_ptr_array_index (entries, 3);
  g_assert_cmpstr (e->name, ==, "org/tiny-gpt2");
  g_assert_cmpint (e->arch, ==, TRIAD_ARCH_DECODER);
  g_assert_cmpstr (triad_model_kind_label (e->arch), ==, "decoder-only");
  /* what the chooser calls it once chosen */
  activate ("win.model", g_variant_new_string (e->id));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (triad_window_get_model_label (window))), ==,
                   "org/tiny-gpt2");
  /* the cache's models keep out of the recent folders, which the chooser lists apart */
  recent = g_settings_get_strv (triad_application_get_settings (app), "recent-models");
  g_assert_cmpuint (g_strv_length (recent), ==, 0);
  activate ("win.model", g_variant_new_string ("decoder"));
  remove_fixture (rev);
  g_rmdir (snapshots);
}

int
main (int argc, char *argv[])
{
  int status;

  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);
  /* a cache of this test's own, whatever the machine's holds */
  cache_dir = g_dir_make_tmp ("triad-hub-XXXXXX", NULL);
  g_setenv ("HF_HUB_CACHE", cache_dir, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  app = triad_application_new ();
  window = app_test_open_window (app, 1400, 900);

  g_test_add_func ("/app/models/gpt2-attention", test_gpt2_attention);
  g_test_add_func ("/app/models/bert-masks", test_bert_masks);
  g_test_add_func ("/app/models/t5-cross", test_t5_cross);
  g_test_add_func ("/app/models/gpt2-kv", test_gpt2_kv);
  g_test_add_func ("/app/models/llama-kv-int8", test_llama_kv_int8);
  g_test_add_func ("/app/models/gqa-stats", test_gqa_stats);
  g_test_add_func ("/app/models/not-a-model", test_not_a_model);
  g_test_add_func ("/app/models/broken-weights", test_broken_weights);
  g_test_add_func ("/app/models/recent", test_recent);
  g_test_add_func ("/app/models/hf-cache", test_hf_cache);
  status = g_test_run ();
  g_rmdir (cache_dir);
  g_free (cache_dir);
  return status;
}
