/* test-kv.c — the KV Cache view under Xvfb: live steps that allocate exactly what the formula
 * says, one position or a block of 16 at a time; playing; the projections' readout against
 * figures worked out by hand from published configurations; hover; export. */
#include "config.h"

#include "app-test.h"

#include <string.h>
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <stdio.h>

#include "app/triad-application.h"
#include "app/triad-kv-page.h"
#include "app/triad-view.h"
#include "app/triad-window.h"
#include "cli/cli.h"

#define SENTENCE "the big cat saw a small dog"

static TriadApplication *app;
static TriadWindow *window;

static TriadKvPage *
page (void)
{
  GtkWidget *w = triad_window_get_page (window);

  g_assert_true (TRIAD_IS_KV_PAGE (w));
  return TRIAD_KV_PAGE (w);
}

static gpointer
child (const char *name)
{
  GObject *o = gtk_widget_get_template_child (GTK_WIDGET (page ()), TRIAD_TYPE_KV_PAGE, name);

  g_assert_nonnull (o);
  return o;
}

static void
activate (const char *action,
          GVariant   *param)
{
  app_test_activate (GTK_WIDGET (window), action, param);
}

/* Runs the main loop until every step asked for is done (or 60 s pass). */
static void
wait_steps (void)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      if (triad_kv_page_get_pending (page ()) == 0 && !triad_view_get_busy (TRIAD_VIEW (page ())))
        return;
    }
  g_error ("the steps did not finish in time");
}

/* The KV Cache view on the sentence, with an empty cache. */
static void
show_sentence (void)
{
  activate ("win.view", g_variant_new_string ("kv"));
  activate ("win.example", g_variant_new_string (SENTENCE));
  app_test_iterate (400);   /* the window's debounce, then the page takes the text */
  g_object_set (page (), "kv-block", 1, "playing", FALSE, NULL);
  triad_kv_page_reset_live (page ());
  wait_steps ();
  /* <bos> and seven words, each a single token of the toy world */
  g_assert_cmpint (triad_kv_page_get_n_prompt (page ()), ==, 8);
  g_assert_cmpint (triad_kv_page_get_n_samples (page ()), ==, 0);
}

/* 2 (K and V) × layers × dim × 4 bytes, from the shipped decoder's config.json. */
static guint64
bytes_per_token (void)
{
  TriadModel *decoder = triad_application_get_model (app, TRIAD_ARCH_DECODER, NULL);
  guint64 per;

  g_assert_nonnull (decoder);
  per = 2 * (guint64) decoder->config.n_dec_layers * decoder->config.dim * 4;
  /* the shipped model: 4 layers of dim 128, 2 × 4 × 128 × 4 = 4096 */
  if (decoder->config.n_dec_layers == 4 && decoder->config.dim == 128)
    g_assert_cmpuint (per, ==, 4096);
  return per;
}

static void
test_live_steps (void)
{
  const guint64 per = bytes_per_token ();
  const int n = 10;
  int prompt;

  show_sentence ();
  prompt = triad_kv_page_get_n_prompt (page ());
  for (int i = 0; i < n; i++)
    triad_view_step (TRIAD_VIEW (page ()), 1);
  wait_steps ();
  g_assert_cmpint (triad_kv_page_get_n_samples (page ()), ==, n);
  for (int i = 0; i < n; i++)
    {
      int tokens;
      guint64 kv, layer, previous;
      double cached, again;

      triad_kv_page_get_sample (page (), i, &tokens, &kv, &layer, &cached, &again);
      /* the prompt's positions, then one more a step */
      g_assert_cmpint (tokens, ==, prompt + i + 1);
      g_assert_cmpuint (kv, ==, (guint64) tokens * per);
      g_assert_cmpuint (layer * triad_kv_page_get_n_layers (page ()), ==, kv);
      g_assert_cmpfloat (cached, >, 0.0);
      g_assert_cmpfloat (again, >, 0.0);
      if (i > 0)
        {
          triad_kv_page_get_sample (page (), i - 1, NULL, &previous, NULL, NULL, NULL);
          g_assert_cmpuint (kv - previous, ==, per);
        }
    }
  g_assert_cmpstr (triad_kv_page_get_generated (page ()), !=, "");

  /* the window's step action takes one more; a step back starts again */
  activate ("win.step", g_variant_new_int32 (1));
  wait_steps ();
  g_assert_cmpint (triad_kv_page_get_n_samples (page ()), ==, n + 1);
  activate ("win.step", g_variant_new_int32 (-1));
  wait_steps ();
  g_assert_cmpint (triad_kv_page_get_n_samples (page ()), ==, 0);
  g_assert_cmpstr (triad_kv_page_get_generated (page ()), ==, "");
}

/* The engine's usual blocks: flat for 16 positions, then 16 positions' worth at once. */
static void
test_live_blocks (void)
{
  const guint64 per = bytes_per_token ();
  int prompt;

  show_sentence ();
  prompt = triad_kv_page_get_n_prompt (page ());
  g_object_set (page (), "kv-block", 16, NULL);
  triad_kv_page_step_live (page (), 30);
  wait_steps ();
  g_assert_cmpint (triad_kv_page_get_n_samples (page ()), ==, 30);
  for (int i = 0; i < 30; i++)
    {
      int tokens;
      guint64 kv;

      triad_kv_page_get_sample (page (), i, &tokens, &kv, NULL, NULL, NULL);
      g_assert_cmpint (tokens, ==, prompt + i + 1);
      /* 8 + 30 = 38 positions at most: blocks of 16 hold them in 1, 2 or 3 */
      g_assert_cmpuint (kv, ==, (guint64) ((tokens + 15) / 16) * 16 * per);
    }
  g_object_set (page (), "kv-block", 1, NULL);
  g_assert_cmpint (triad_kv_page_get_n_samples (page ()), ==, 0);
}

static void
test_live_play (void)
{
  gint64 deadline;
  gboolean playing;

  show_sentence ();
  g_object_set (page (), "max-tokens", 5, NULL);
  g_object_set (page (), "playing", TRUE, NULL);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  do
    {
      g_main_context_iteration (NULL, FALSE);
      g_object_get (page (), "playing", &playing, NULL);
    }
  while (playing && g_get_monotonic_time () < deadline);
  /* it stops by itself at the limit */
  g_assert_false (playing);
  wait_steps ();
  g_assert_cmpint (triad_kv_page_get_n_samples (page ()), ==, 5);
  g_assert_nonnull (strstr (triad_kv_page_get_live_status (page ()), "5 steps"));
  g_object_set (page (), "max-tokens", 256, NULL);
}

/* Amounts of bytes come from g_format_size (), which joins number and unit with a no-break
 * space (U+00A0); the GPUs' sizes are written with a plain one. */
static void
assert_readout_has (const char *text)
{
  const char *readout = triad_kv_page_get_readout (page ());

  if (strstr (readout, text) == NULL)
    g_error ("the readout “%s” does not say “%s”", readout, text);
}

static void
select_projection (const char *preset,
                   int         context)
{
  activate ("win.view", g_variant_new_string ("kv"));
  g_object_set (page (), "preset", preset, "context", context, "batch", 1,
                "kv-dtype", TRIAD_DTYPE_F16, "weight-dtype", TRIAD_DTYPE_F16,
                "attention", TRIAD_KV_AS_PUBLISHED, "honour-window", TRUE,
                "paged", FALSE, "gib", FALSE, NULL);
}

/* Llama 3 8B (32 layers, 8 key/value heads of 128; 8,030,261,248 parameters, as published)
 * at 8192 tokens in f16, batch 1:
 *   KV      2 × 32 × 8 × 128 × 2 bytes × 8192 = 1,073,741,824 bytes = 1.07 GB = 1.0 GiB
 *   weights 8,030,261,248 × 2                 = 16,060,522,496 bytes = 16.1 GB
 *   total                                       17,134,264,320 bytes = 17.1 GB
 * which fits 24, 48, 80 and 141 GB but not 12 or 16; on 24 GB the cache may grow to
 * (24e9 − 16,060,522,496) / 131,072 = 60,573.7, so 60,573 tokens. */
static void
test_readout_llama (void)
{
  const TriadKvEstimate *e;

  select_projection ("llama-3-8b", 8192);
  e = triad_kv_page_get_estimate (page ());
  g_assert_nonnull (e);
  g_assert_cmpuint (e->kv_bytes, ==, G_GUINT64_CONSTANT (1073741824));
  assert_readout_has ("Llama 3 8B");
  /* English groups thousands with commas whatever LC_NUMERIC (here C, which groups none) */
  assert_readout_has ("(1,073,741,824 bytes)");
  assert_readout_has ("KV cache 1.1\u00a0GB");
  assert_readout_has ("weights 16.1\u00a0GB = 17.1\u00a0GB");
  assert_readout_has ("Fits on 24 GB, 48 GB, 80 GB, 141 GB; too small: 12 GB, 16 GB");
  assert_readout_has ("1 GB = 10⁹ bytes");
  assert_readout_has ("24 GB: 60,573");

  /* GiB: 1,073,741,824 bytes is exactly 1 GiB; the GPUs are 24 GiB and so on */
  g_object_set (page (), "gib", TRUE, NULL);
  assert_readout_has ("KV cache 1.0\u00a0GiB");
  assert_readout_has ("1 GiB = 2³⁰ bytes");
  assert_readout_has ("24 GiB");
  g_assert_null (strstr (triad_kv_page_get_readout (page ()), " GB"));
  g_object_set (page (), "gib", FALSE, NULL);

  /* the cache's number type through its list: int4 is a quarter of f16, 268,435,456 bytes,
   * and a 4-byte scale beside each head's 64 bytes: × 68 / 64 = 285,212,672 bytes */
  gtk_drop_down_set_selected (child ("kv_dtype_dropdown"), TRIAD_DTYPE_INT4);
  e = triad_kv_page_get_estimate (page ());
  g_assert_cmpuint (e->kv_bytes, ==, G_GUINT64_CONSTANT (285212672));
  assert_readout_has ("285,212,672");
  gtk_drop_down_set_selected (child ("kv_dtype_dropdown"), TRIAD_DTYPE_F16);

  /* the context through its spin button: 100,000 tokens, 2 × 32 × 8 × 128 × 2 × 100,000 */
  gtk_spin_button_set_value (child ("context_spin"), 100000);
  e = triad_kv_page_get_estimate (page ());
  g_assert_cmpuint (e->kv_bytes, ==, G_GUINT64_CONSTANT (13107200000));
  assert_readout_has ("KV cache 13.1\u00a0GB");
  /* and its slider follows, on a log scale */
  g_assert_cmpfloat_with_epsilon (gtk_range_get_value (child ("context_scale")), 5.0, 1e-9);

  /* batch 4: four caches */
  gtk_spin_button_set_value (child ("batch_spin"), 4);
  e = triad_kv_page_get_estimate (page ());
  g_assert_cmpuint (e->kv_bytes, ==, G_GUINT64_CONSTANT (52428800000));

  /* the 8 k against 100 k bars at batch 4: 2 × 32 × 8 × 128 × 2 bytes = 131,072 bytes a
   * token, × 8192 × 4 = 4,294,967,296 and × 100,000 × 4 = 52,428,800,000 bytes of cache, each
   * on the same weights, 8,030,261,248 × 2 = 16,060,522,496 bytes */
  {
    const TriadMemoryBars *bars = triad_kv_scene_get_bars (triad_kv_page_get_scene (page ()));

    g_assert_cmpint (bars->n, ==, 2);
    g_assert_cmpfloat (bars->kv_bytes[0], ==, 4294967296.0);
    g_assert_cmpfloat (bars->kv_bytes[1], ==, 52428800000.0);
    g_assert_nonnull (bars->weights_bytes);
    g_assert_cmpfloat (bars->weights_bytes[0], ==, 16060522496.0);
    g_assert_cmpfloat (bars->weights_bytes[1], ==, 16060522496.0);
    /* the marks written out, as the command line and the readout write a context */
    g_assert_cmpstr (bars->labels[0], ==, "8,192 tokens");
    g_assert_cmpstr (bars->labels[1], ==, "100,000 tokens");
  }
  select_projection ("llama-3-8b", 8192);
}

/* What if Llama 3 8B had multi-head attention: 32 key/value heads, four times the cache,
 * 4,294,967,296 bytes at 8192 tokens; multi-query: one head, 134,217,728. */
static void
test_attention_whatif (void)
{
  const TriadKvEstimate *e;

  select_projection ("llama-3-8b", 8192);
  gtk_drop_down_set_selected (child ("attention_dropdown"), 1);   /* MHA */
  e = triad_kv_page_get_estimate (page ());
  g_assert_cmpuint (e->kv_bytes, ==, G_GUINT64_CONSTANT (4294967296));
  gtk_drop_down_set_selected (child ("attention_dropdown"), 2);   /* MQA */
  e = triad_kv_page_get_estimate (page ());
  g_assert_cmpuint (e->kv_bytes, ==, G_GUINT64_CONSTANT (134217728));
  g_object_set (page (), "attention", TRIAD_KV_GQA, "gqa-groups", 4, NULL);
  e = triad_kv_page_get_estimate (page ());
  g_assert_cmpuint (e->kv_bytes, ==, G_GUINT64_CONSTANT (536870912));
  g_assert_true (gtk_widget_get_visible (child ("gqa_spin")));
  g_object_set (page (), "attention", TRIAD_KV_AS_PUBLISHED, NULL);
  g_assert_false (gtk_widget_get_visible (child ("gqa_spin")));
}

/* The selected entry's words, which the drop-down shows. */
static const char *
selected_label (const char *name)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (child (name));

  g_assert_nonnull (item);
  return gtk_string_object_get_string (item);
}

static guint64
kv_bytes (void)
{
  return triad_kv_page_get_estimate (page ())->kv_bytes;
}

static int
get_enum (const char *property)
{
  int v = -1;

  g_object_get (page (), property, &v, NULL);
  return v;
}

/* The number types and the attention what-if are enum properties that the lists follow and
 * set, and that the page's view.* actions set by the enums' nicks. Llama 3 8B at 8192 tokens
 * (2 × 32 layers × 8 key/value heads × 128 × 8192 positions): f16, 2 bytes a value,
 * 1,073,741,824 bytes of cache; int8, 1 byte, 536,870,912, and int4, half a byte, 268,435,456,
 * each with a 4-byte scale per token, layer and key/value head for K and V (2 × 32 × 8 × 4 ×
 * 8192 = 16,777,216): 553,648,128 and 285,212,672; MHA, 32 heads, 4,294,967,296 in f16; GQA
 * with 4 heads 536,870,912, with 2 268,435,456. */
static int
get_int (const char *name)
{
  int v = 0;

  g_object_get (page (), name, &v, NULL);
  return v;
}

static void
test_projection_properties (void)
{
  GtkWidget *p;

  select_projection ("llama-3-8b", 8192);
  p = GTK_WIDGET (page ());
  g_assert_cmpuint (kv_bytes (), ==, G_GUINT64_CONSTANT (1073741824));

  /* property → list */
  g_object_set (p, "kv-dtype", TRIAD_DTYPE_INT8, NULL);
  g_assert_cmpstr (selected_label ("kv_dtype_dropdown"), ==, "int8 · 1 byte");
  g_assert_cmpuint (kv_bytes (), ==, G_GUINT64_CONSTANT (553648128));
  /* action → property and list */
  g_assert_true (gtk_widget_activate_action (p, "view.kv-dtype", "s", "int4"));
  g_assert_cmpint (get_enum ("kv-dtype"), ==, TRIAD_DTYPE_INT4);
  g_assert_cmpstr (selected_label ("kv_dtype_dropdown"), ==, "int4 · ½ byte");
  g_assert_cmpuint (kv_bytes (), ==, G_GUINT64_CONSTANT (285212672));
  /* list → property: the third entry is bf16 */
  gtk_drop_down_set_selected (child ("kv_dtype_dropdown"), 2);
  g_assert_cmpint (get_enum ("kv-dtype"), ==, TRIAD_DTYPE_BF16);
  g_assert_cmpuint (kv_bytes (), ==, G_GUINT64_CONSTANT (1073741824));

  g_assert_true (gtk_widget_activate_action (p, "view.weight-dtype", "s", "f32"));
  g_assert_cmpint (get_enum ("weight-dtype"), ==, TRIAD_DTYPE_F32);
  g_assert_cmpstr (selected_label ("weight_dtype_dropdown"), ==, "f32 · 4 bytes");
  gtk_drop_down_set_selected (child ("weight_dtype_dropdown"), 3);
  g_assert_cmpint (get_enum ("weight-dtype"), ==, TRIAD_DTYPE_FP8);
  g_object_set (p, "kv-dtype", TRIAD_DTYPE_F16, "weight-dtype", TRIAD_DTYPE_F16, NULL);

  g_assert_true (gtk_widget_activate_action (p, "view.attention", "s", "mha"));
  g_assert_cmpint (get_enum ("attention"), ==, TRIAD_KV_MHA);
  g_assert_cmpstr (selected_label ("attention_dropdown"), ==, "MHA");
  g_assert_cmpuint (kv_bytes (), ==, G_GUINT64_CONSTANT (4294967296));
  gtk_drop_down_set_selected (child ("attention_dropdown"), 3);
  g_assert_cmpint (get_enum ("attention"), ==, TRIAD_KV_GQA);
  g_assert_true (gtk_widget_get_visible (child ("gqa_spin")));
  g_assert_true (gtk_widget_activate_action (p, "view.gqa-groups", "i", 4));
  g_assert_cmpfloat (gtk_spin_button_get_value (child ("gqa_spin")), ==, 4.0);
  g_assert_cmpuint (kv_bytes (), ==, G_GUINT64_CONSTANT (536870912));
  gtk_spin_button_set_value (child ("gqa_spin"), 2);
  {
    int groups = 0;

    g_object_get (p, "gqa-groups", &groups, NULL);
    g_assert_cmpint (groups, ==, 2);
  }
  g_assert_cmpuint (kv_bytes (), ==, G_GUINT64_CONSTANT (268435456));
  g_assert_true (gtk_widget_activate_action (p, "view.attention", "s", "published"));
  g_assert_cmpstr (selected_label ("attention_dropdown"), ==, "As published");
  g_assert_false (gtk_widget_get_visible (child ("gqa_spin")));
  g_assert_cmpuint (kv_bytes (), ==, G_GUINT64_CONSTANT (1073741824));

  /* the context's spin button and slider, the batch and the model list are bound to their
   * properties: 16,384 tokens are twice the cache, the slider at log10 16384 = 4.2144; the
   * slider at 5 is 100,000 tokens; a batch of 3 is three caches, 3 × 2^30 bytes */
  g_object_set (p, "context", 16384, NULL);
  g_assert_cmpfloat (gtk_spin_button_get_value (child ("context_spin")), ==, 16384.0);
  g_assert_cmpfloat_with_epsilon (gtk_range_get_value (child ("context_scale")), 4.2144, 1e-4);
  g_assert_cmpuint (kv_bytes (), ==, G_GUINT64_CONSTANT (2147483648));
  gtk_range_set_value (child ("context_scale"), 5.0);
  g_assert_cmpint (get_int ("context"), ==, 100000);
  gtk_spin_button_set_value (child ("context_spin"), 8192);
  g_assert_cmpint (get_int ("context"), ==, 8192);
  gtk_spin_button_set_value (child ("batch_spin"), 3);
  g_assert_cmpint (get_int ("batch"), ==, 3);
  g_assert_cmpuint (kv_bytes (), ==, G_GUINT64_CONSTANT (3221225472));
  g_object_set (p, "batch", 1, NULL);
  g_assert_cmpfloat (gtk_spin_button_get_value (child ("batch_spin")), ==, 1.0);
  {
    g_autofree char *id = NULL;
    guint custom = triad_drop_down_n_items (child ("preset_dropdown")) - 1;

    /* the last entry is the custom model */
    gtk_drop_down_set_selected (child ("preset_dropdown"), custom);
    g_object_get (p, "preset", &id, NULL);
    g_assert_cmpstr (id, ==, "custom");
    g_object_set (p, "preset", "llama-3-8b", NULL);
    g_assert_cmpuint (gtk_drop_down_get_selected (child ("preset_dropdown")), <, custom);
    g_assert_cmpuint (kv_bytes (), ==, G_GUINT64_CONSTANT (1073741824));
  }
}

static gboolean
get_bool (const char *name)
{
  gboolean v = FALSE;

  g_object_get (page (), name, &v, NULL);
  return v;
}

/* The switches, the pairs of unit and axis buttons and the live run's blocks button, sampling
 * list and limit are bound to their properties, each way. */
static void
test_controls_bound (void)
{
  select_projection ("llama-3-8b", 8192);
  gtk_toggle_button_set_active (child ("gib_button"), TRUE);
  g_assert_true (get_bool ("gib"));
  g_assert_false (gtk_toggle_button_get_active (child ("gb_button")));
  g_object_set (page (), "gib", FALSE, NULL);
  g_assert_true (gtk_toggle_button_get_active (child ("gb_button")));
  g_assert_false (gtk_toggle_button_get_active (child ("gib_button")));

  gtk_toggle_button_set_active (child ("linear_button"), TRUE);
  g_assert_false (get_bool ("log-axes"));
  g_object_set (page (), "log-axes", TRUE, NULL);
  g_assert_true (gtk_toggle_button_get_active (child ("log_button")));
  g_assert_false (gtk_toggle_button_get_active (child ("linear_button")));

  gtk_switch_set_active (child ("paged_switch"), TRUE);
  g_assert_true (get_bool ("paged"));
  g_object_set (page (), "paged", FALSE, NULL);
  g_assert_false (gtk_switch_get_active (child ("paged_switch")));
  g_object_set (page (), "honour-window", FALSE, NULL);
  g_assert_false (gtk_switch_get_active (child ("window_switch")));
  g_object_set (page (), "honour-window", TRUE, NULL);
  g_assert_true (gtk_switch_get_active (child ("window_switch")));

  gtk_toggle_button_set_active (child ("blocks_button"), TRUE);
  g_assert_cmpint (get_int ("kv-block"), ==, 16);
  g_object_set (page (), "kv-block", 1, NULL);
  g_assert_false (gtk_toggle_button_get_active (child ("blocks_button")));
  gtk_drop_down_set_selected (child ("sampling_dropdown"), 1);
  g_assert_true (get_bool ("sampling"));
  g_object_set (page (), "sampling", FALSE, NULL);
  g_assert_cmpuint (gtk_drop_down_get_selected (child ("sampling_dropdown")), ==, 0);
  gtk_spin_button_set_value (child ("max_spin"), 20);
  g_assert_cmpint (get_int ("max-tokens"), ==, 20);
  g_object_set (page (), "max-tokens", 256, NULL);
  g_assert_cmpfloat (gtk_spin_button_get_value (child ("max_spin")), ==, 256.0);
}

/* Mistral 7B v0.1 keeps a window of 4096 tokens in every layer: at 32,768 tokens the cache
 * holds 4096, 32 × 2 × 8 × 128 × 2 × 4096 = 536,870,912 bytes; without the window all of
 * them, 4,294,967,296. Paged, 8200 tokens round up to 8208 = 513 blocks of 16. */
static void
test_window_and_paging (void)
{
  const TriadKvEstimate *e;

  select_projection ("mistral-7b-v0.1", 32768);
  e = triad_kv_page_get_estimate (page ());
  g_assert_cmpuint (e->kv_bytes, ==, G_GUINT64_CONSTANT (536870912));
  assert_readout_has ("sliding window");
  gtk_switch_set_active (child ("window_switch"), FALSE);
  e = triad_kv_page_get_estimate (page ());
  g_assert_cmpuint (e->kv_bytes, ==, G_GUINT64_CONSTANT (4294967296));

  select_projection ("llama-3-8b", 8200);
  gtk_switch_set_active (child ("paged_switch"), TRUE);
  e = triad_kv_page_get_estimate (page ());
  g_assert_cmpuint (e->kv_bytes, ==, G_GUINT64_CONSTANT (8208) * 131072);
  assert_readout_has ("rounded up to 8,208 tokens, 513 blocks of 16");
}

/* BERT caches nothing; T5-small caches self-attention K/V per target token and
 * cross-attention K/V per source token: at 1024 tokens of each, in f16,
 *   6 layers × 2 × 8 heads × 64 × 2 bytes × 1024 = 12,582,912 bytes, twice. */
static void
test_encoder_and_encdec (void)
{
  const TriadKvEstimate *e;

  select_projection ("bert-base", 8192);
  e = triad_kv_page_get_estimate (page ());
  g_assert_false (e->cached);
  g_assert_cmpuint (e->kv_bytes, ==, 0);
  assert_readout_has ("nothing is cached");

  select_projection ("t5-small", 1024);
  e = triad_kv_page_get_estimate (page ());
  g_assert_cmpuint (e->self_kv_bytes, ==, G_GUINT64_CONSTANT (12582912));
  g_assert_cmpuint (e->cross_kv_bytes, ==, G_GUINT64_CONSTANT (12582912));
  assert_readout_has ("self-attention 12.6\u00a0MB + cross-attention 12.6\u00a0MB");
}

/* An edit of the model's numbers makes a custom model: Llama 3 8B with 16 layers caches half,
 * 536,870,912 bytes at 8192 tokens. */
static void
test_custom (void)
{
  const TriadKvEstimate *e;
  g_autofree char *preset = NULL;

  select_projection ("llama-3-8b", 8192);
  /* the popover opens on the shown model's numbers */
  gtk_menu_button_popup (child ("custom_button"));
  app_test_iterate (100);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (child ("custom_kv_heads")), ==, 8);
  gtk_spin_button_set_value (child ("custom_layers"), 16);
  gtk_menu_button_popdown (child ("custom_button"));
  g_object_get (page (), "preset", &preset, NULL);
  g_assert_cmpstr (preset, ==, "custom");
  e = triad_kv_page_get_estimate (page ());
  g_assert_cmpuint (e->kv_bytes, ==, G_GUINT64_CONSTANT (536870912));
  /* the weights stay the 8B's: only the cache's shape changed */
  g_assert_cmpfloat_with_epsilon (e->weights_bytes_f, 16060522496.0, 2e7);
}

static void
test_hover (void)
{
  GtkWidget *chart;
  double t;

  select_projection ("llama-3-8b", 8192);
  app_test_iterate (200);
  chart = child ("chart_area");
  g_assert_cmpint (gtk_widget_get_width (chart), >, 200);
  g_assert_cmpfloat (triad_kv_page_get_chart_readout_tokens (page ()), ==, 8192);
  t = triad_kv_page_hover_chart (page (), gtk_widget_get_width (chart) / 2.0,
                                 gtk_widget_get_height (chart) / 2.0);
  /* the middle of a log axis from 1 k to 1 M is about √(10³ × 10⁶) ≈ 31.6 k; the plot's
   * margins move it a little */
  g_assert_cmpfloat (t, >, 10000);
  g_assert_cmpfloat (t, <, 100000);
  g_assert_cmpfloat (triad_kv_page_get_chart_readout_tokens (page ()), ==, t);
  triad_kv_page_hover_chart (page (), -1, -1);
  g_assert_cmpfloat (triad_kv_page_get_chart_readout_tokens (page ()), ==, 8192);
}

/* Runs `triad ARGS…` (NULL-terminated) in this process; its status. */
static int
run_cli (const char *first,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  char *out_text = NULL, *err_text = NULL;
  size_t out_len, err_len;
  FILE *out = open_memstream (&out_text, &out_len);
  FILE *err = open_memstream (&err_text, &err_len);
  va_list ap;
  int status;

  g_ptr_array_add (args, (char *) first);
  va_start (ap, first);
  for (const char *a = va_arg (ap, const char *); a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  status = triad_cli_run (args->len - 1, (char **) args->pdata, out, err);
  fclose (out);
  fclose (err);
  if (status != 0)
    g_test_message ("triad export: %s", err_text);
  g_free (out_text);
  g_free (err_text);
  return status;
}

/* A PNG's pixels, ARGB32. */
static cairo_surface_t *
load_png (const char *path)
{
  cairo_surface_t *png = cairo_image_surface_create_from_png (path);

  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_flush (png);
  return png;
}

static void
pixel (cairo_surface_t *png,
       int              x,
       int              y,
       int              rgb[3])
{
  const guint8 *row = cairo_image_surface_get_data (png)
                      + (size_t) y * cairo_image_surface_get_stride (png);
  guint32 v = ((const guint32 *) row)[x];

  rgb[0] = (v >> 16) & 0xff;
  rgb[1] = (v >> 8) & 0xff;
  rgb[2] = v & 0xff;
}

/* Pixels of the rectangle (fractions of the image) that are dark grey, as text is in the
 * light style (#1e1e1e, antialiased), or that have a colour (channels apart by more than 40). */
static int
count_pixels (cairo_surface_t *png,
              double           x0,
              double           y0,
              double           x1,
              double           y1,
              gboolean         chromatic)
{
  int w = cairo_image_surface_get_width (png), h = cairo_image_surface_get_height (png);
  int n = 0;

  for (int y = (int) (y0 * h); y < (int) (y1 * h); y++)
    for (int x = (int) (x0 * w); x < (int) (x1 * w); x++)
      {
        int c[3], hi, lo;

        pixel (png, x, y, c);
        hi = MAX (c[0], MAX (c[1], c[2]));
        lo = MIN (c[0], MIN (c[1], c[2]));
        if (chromatic ? hi - lo > 40 : hi < 96 && hi - lo < 16)
          n++;
      }
  return n;
}

/* The pixels where two images of the same size differ, right of x0 (a fraction of the
 * width). */
static int
count_differences_from (cairo_surface_t *a,
                        cairo_surface_t *b,
                        double           x0)
{
  int w = cairo_image_surface_get_width (a), h = cairo_image_surface_get_height (a);
  int n = 0;

  g_assert_cmpint (cairo_image_surface_get_width (b), ==, w);
  g_assert_cmpint (cairo_image_surface_get_height (b), ==, h);
  for (int y = 0; y < h; y++)
    for (int x = (int) (x0 * w); x < w; x++)
      {
        int p[3], q[3];

        pixel (a, x, y, p);
        pixel (b, x, y, q);
        if (p[0] != q[0] || p[1] != q[1] || p[2] != q[2])
          n++;
      }
  return n;
}

/* The window's export of the KV Cache view on white, 1300 × 700, in lang (NULL: the
 * window's) and format. */
static void
export_window (const char        *path,
               TriadExportFormat  format,
               const char        *lang)
{
  g_autoptr(GError) error = NULL;
  TriadWindowExport opt = {
    .format = format, .size = TRIAD_EXPORT_SIZE_CUSTOM, .scale = 1.0,
    .width = 1300, .height = 700, .background = TRIAD_EXPORT_BACKGROUND_WHITE,
    .language = lang,
  };

  g_assert_true (triad_window_export (window, path, &opt, &error));
  g_assert_no_error (error);
}

static void
test_export (void)
{
  g_autofree char *dir = g_dir_make_tmp ("triad-kv-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "kv.png", NULL);
  g_autoptr(GError) error = NULL;
  cairo_surface_t *png;

  show_sentence ();
  triad_kv_page_step_live (page (), 4);
  wait_steps ();
  g_assert_true (triad_window_export_png (window, path, 1.0, &error));
  g_assert_no_error (error);
  png = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  /* both halves side by side */
  g_assert_cmpint (cairo_image_surface_get_width (png), >, 900);
  g_assert_cmpint (cairo_image_surface_get_height (png), >, 300);
  cairo_surface_destroy (png);
  g_unlink (path);
  g_rmdir (dir);
}

/* The export dialog's White background in the dark style: the theme's text is light, the
 * export's dark — and the figure is the one `triad export --view kv` draws with the same
 * model, context, prompt and size, pixel for pixel. */
static void
test_export_white_in_dark (void)
{
  GSettings *settings = triad_application_get_settings (app);
  g_autofree char *dir = g_dir_make_tmp ("triad-kv-XXXXXX", NULL);
  g_autofree char *win_path = g_build_filename (dir, "window.png", NULL);
  g_autofree char *cli_path = g_build_filename (dir, "cli.png", NULL);
  cairo_surface_t *win, *cli;
  GdkRGBA fg;
  int ink, differ;

  g_settings_set_string (settings, "style", "dark");
  app_test_iterate (200);
  show_sentence ();
  select_projection ("llama-3-8b", 8192);
  app_test_iterate (200);
  /* the premise: in the dark style the page's text is light */
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (page ())), &fg);
  g_assert_cmpfloat (fg.red + fg.green + fg.blue, >, 2.0);

  export_window (win_path, TRIAD_EXPORT_PNG, NULL);
  win = load_png (win_path);
  /* the readouts under the charts, the bottom eighth of the figure: dark text on white (the
   * theme's light text there would leave no dark pixel) */
  ink = count_pixels (win, 0.0, 0.875, 1.0, 1.0, FALSE);
  g_test_message ("dark text pixels in the readouts: %d", ink);
  g_assert_cmpint (ink, >, 500);

  g_assert_cmpint (run_cli ("export", "--view", "kv", "--preset", "llama-3-8b", "--tokens",
                            "8192", "--text", SENTENCE, "--width", "1300", "--height", "700",
                            "--theme", "dark", "--background", "white", "--out", cli_path,
                            NULL), ==, 0);
  cli = load_png (cli_path);
  differ = count_differences_from (win, cli, 0.0);
  g_test_message ("pixels that differ from triad export: %d", differ);
  g_assert_cmpint (differ, ==, 0);
  cairo_surface_destroy (win);
  cairo_surface_destroy (cli);
  g_settings_reset (settings, "style");
  app_test_iterate (100);
  g_unlink (win_path);
  g_unlink (cli_path);
  g_rmdir (dir);
}

/* The line of the live status that tells step n (1-based), up to its times, which are
 * measured and differ from run to run; NULL when the text has none. */
static char *
step_line (const char *text,
           int         n)
{
  g_autofree char *head = g_strdup_printf ("Step %d:", n);
  const char *start = strstr (text, head), *end;

  if (start == NULL || (end = strstr (start, "; the step took")) == NULL)
    return NULL;
  return g_strndup (start, end - start);
}

/* The live part of the export: four greedy steps of the decoder in the window, and
 * `triad export --view kv --text … --steps 4` with the same model, context and size, tell
 * the same steps — the prompt's 8 tokens and one more a step, 12 in the cache after the
 * fourth, 12 × 4096 = 49,152 bytes — and draw the same memory chart, bars and readout (the
 * right part of the figure; the live chart beside them shows the times, measured anew by
 * each run, so its pixels may differ). */
static void
test_export_live_same (void)
{
  g_autofree char *dir = g_dir_make_tmp ("triad-kv-XXXXXX", NULL);
  g_autofree char *win_png = g_build_filename (dir, "window.png", NULL);
  g_autofree char *cli_png = g_build_filename (dir, "cli.png", NULL);
  g_autofree char *win_pdf = g_build_filename (dir, "window.pdf", NULL);
  g_autofree char *cli_pdf = g_build_filename (dir, "cli.pdf", NULL);
  g_autofree char *win_text = NULL, *cli_text = NULL;
  cairo_surface_t *win, *cli;
  int differ, ink;

  g_assert_cmpuint (bytes_per_token (), ==, 4096);
  show_sentence ();
  select_projection ("llama-3-8b", 8192);
  triad_kv_page_step_live (page (), 4);
  wait_steps ();
  g_assert_cmpint (triad_kv_page_get_n_samples (page ()), ==, 4);
  export_window (win_png, TRIAD_EXPORT_PNG, "en");
  export_window (win_pdf, TRIAD_EXPORT_PDF, "en");
  for (int i = 0; i < 2; i++)
    g_assert_cmpint (run_cli ("export", "--view", "kv", "--preset", "llama-3-8b", "--tokens",
                              "8192", "--text", SENTENCE, "--steps", "4", "--width", "1300",
                              "--height", "700", "--background", "white", "--lang", "en",
                              "--out", i == 0 ? cli_png : cli_pdf, NULL), ==, 0);

  win_text = test_pdf_text (win_pdf);
  cli_text = test_pdf_text (cli_pdf);
  if (win_text != NULL && cli_text != NULL)
    {
      const char *texts[] = { win_text, cli_text };

      for (int i = 0; i < 2; i++)
        {
          g_autofree char *line = step_line (texts[i], 4);

          g_test_message ("%s", texts[i]);
          /* (pdftotext writes the no-break space before the unit as a plain one) */
          g_assert_cmpstr (line, ==, "Step 4: 12 tokens in the cache, 49.2 kB (49,152 bytes) "
                                     "allocated");
          g_assert_nonnull (strstr (texts[i], "4 steps in all"));
        }
    }

  win = load_png (win_png);
  cli = load_png (cli_png);
  /* the live chart's layers in colour in both: the steps are drawn, not only told */
  ink = count_pixels (cli, 0.0, 0.0, 0.4, 0.6, TRUE);
  g_test_message ("coloured pixels in the exported live chart: %d", ink);
  g_assert_cmpint (ink, >, 1000);
  g_assert_cmpint (count_pixels (win, 0.0, 0.0, 0.4, 0.6, TRUE), >, 1000);
  /* the memory chart starts at 12 + 536 + 12 of 1300 px (kv-scene.c's shares), 0.43 */
  differ = count_differences_from (win, cli, 0.45);
  g_test_message ("pixels right of the live chart that differ from triad export: %d", differ);
  g_assert_cmpint (differ, ==, 0);
  cairo_surface_destroy (win);
  cairo_surface_destroy (cli);
  for (guint i = 0; i < 4; i++)
    g_unlink ((const char *[]) { win_png, cli_png, win_pdf, cli_pdf }[i]);
  g_rmdir (dir);
}

/* The bars' labels are the same words in the window's export and in `triad export`: the
 * marks written out, 8,192 and 100,000 tokens; and the export's Labels choice is heeded:
 * in Russian the bars read «8 192 токена» and «100 000 токенов» (8192 ends in 2, so the
 * «токена» form). */
static void
test_bar_labels (void)
{
  g_autofree char *dir = g_dir_make_tmp ("triad-kv-XXXXXX", NULL);
  g_autofree char *win_path = g_build_filename (dir, "window.pdf", NULL);
  g_autofree char *cli_path = g_build_filename (dir, "cli.pdf", NULL);
  g_autofree char *win_text = NULL, *cli_text = NULL, *ru_text = NULL;

  test_bind_translations ();
  show_sentence ();
  select_projection ("llama-3-8b", 8192);
  export_window (win_path, TRIAD_EXPORT_PDF, "en");
  g_assert_cmpint (run_cli ("export", "--view", "kv", "--preset", "llama-3-8b", "--chart",
                            "bars", "--lang", "en", "--out", cli_path, NULL), ==, 0);
  win_text = test_pdf_text (win_path);
  cli_text = test_pdf_text (cli_path);
  if (win_text == NULL || cli_text == NULL)
    return;
  for (guint i = 0; i < 2; i++)
    {
      const char *text = i == 0 ? win_text : cli_text;

      g_assert_nonnull (strstr (text, "8,192 tokens"));
      g_assert_nonnull (strstr (text, "100,000 tokens"));
      g_assert_null (strstr (text, "8 k tokens"));
    }
  export_window (win_path, TRIAD_EXPORT_PDF, "ru");
  ru_text = test_pdf_text (win_path);
  g_test_message ("%s", ru_text);
  /* (pdftotext writes the thousands' space as a plain one) */
  g_assert_nonnull (strstr (ru_text, "192 токена"));
  g_assert_nonnull (strstr (ru_text, "000 токенов"));
  g_assert_null (strstr (ru_text, "8,192 tokens"));
  g_unlink (win_path);
  g_unlink (cli_path);
  g_rmdir (dir);
}

/* The colour-map preference colours the live chart's layers: under grey (r = g = b by its
 * definition) the growth chart, the figure's upper left, has next to no coloured pixel,
 * under viridis (purple to yellow) thousands. */
static void
test_growth_colormap (void)
{
  GSettings *settings = triad_application_get_settings (app);
  g_autofree char *dir = g_dir_make_tmp ("triad-kv-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "kv.png", NULL);
  int coloured[2];

  show_sentence ();
  triad_kv_page_step_live (page (), 8);
  wait_steps ();
  for (int i = 0; i < 2; i++)
    {
      cairo_surface_t *png;

      g_settings_set_string (settings, "colormap", i == 0 ? "viridis" : "grey");
      app_test_iterate (50);
      export_window (path, TRIAD_EXPORT_PNG, NULL);
      png = load_png (path);
      coloured[i] = count_pixels (png, 0.0, 0.05, 0.4, 0.45, TRUE);
      cairo_surface_destroy (png);
    }
  g_test_message ("coloured pixels: viridis %d, grey %d", coloured[0], coloured[1]);
  g_assert_cmpint (coloured[0], >, 2000);
  g_assert_cmpint (coloured[1], <, 200);
  g_settings_reset (settings, "colormap");
  g_unlink (path);
  g_rmdir (dir);
}

/* A page destroyed while its worker computes a step: the step's end finds it disposed and
 * leaves it be, and the page goes without leaving a child behind (a warning, fatal here). */
static void
test_dispose_while_stepping (void)
{
  GtkWidget *host = gtk_window_new ();
  TriadKvPage *p = g_object_new (TRIAD_TYPE_KV_PAGE, NULL);
  gpointer alive = p;
  gint64 deadline;

  gtk_window_set_child (GTK_WINDOW (host), GTK_WIDGET (p));
  gtk_window_present (GTK_WINDOW (host));
  triad_view_set_input (TRIAD_VIEW (p), app, "decoder", SENTENCE);
  g_object_add_weak_pointer (G_OBJECT (p), &alive);
  triad_kv_page_step_live (p, 50);
  app_test_iterate (30);
  g_assert_cmpint (triad_kv_page_get_pending (p), >, 0);
  gtk_window_destroy (GTK_WINDOW (host));
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (alive != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (alive);
}

int
main (int argc, char *argv[])
{
  int status;

  /* the interface in English (untranslated), numbers by it: the C locale groups no digits */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  app = triad_application_new ();
  window = app_test_open_window (app, 1400, 900);

  g_test_add_func ("/app/kv/live-steps", test_live_steps);
  g_test_add_func ("/app/kv/live-blocks", test_live_blocks);
  g_test_add_func ("/app/kv/live-play", test_live_play);
  g_test_add_func ("/app/kv/readout-llama", test_readout_llama);
  g_test_add_func ("/app/kv/attention-whatif", test_attention_whatif);
  g_test_add_func ("/app/kv/projection-properties", test_projection_properties);
  g_test_add_func ("/app/kv/controls-bound", test_controls_bound);
  g_test_add_func ("/app/kv/window-and-paging", test_window_and_paging);
  g_test_add_func ("/app/kv/encoder-and-encdec", test_encoder_and_encdec);
  g_test_add_func ("/app/kv/custom", test_custom);
  g_test_add_func ("/app/kv/hover", test_hover);
  g_test_add_func ("/app/kv/export", test_export);
  g_test_add_func ("/app/kv/export-white-in-dark", test_export_white_in_dark);
  g_test_add_func ("/app/kv/export-live-same", test_export_live_same);
  g_test_add_func ("/app/kv/bar-labels", test_bar_labels);
  g_test_add_func ("/app/kv/growth-colormap", test_growth_colormap);
  g_test_add_func ("/app/kv/dispose-while-stepping", test_dispose_while_stepping);
  status = g_test_run ();
  /* The window is left to the process's end: its Masks page keeps its template's root box
   * under GTK 4.8 and warns when finalized, which test-masks is the place to catch. This
   * page's own teardown is /app/kv/dispose-while-stepping. */
  g_object_unref (app);
  return status;
}
