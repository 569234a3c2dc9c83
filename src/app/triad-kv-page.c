/* triad-kv-page.c — the KV Cache view. On the left the shipped decoder continues the window's
 * text one step at a time in a worker thread, and the chart plots what the engine has really
 * allocated for K and V, layer by layer, with each step's time with the cache and with a full
 * recompute. On the right the memory model projects the cache of real LLMs from their
 * published shapes: against the context, over the weights, under the memory of common GPUs. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "engine/error.h"
#include "engine/kvlive.h"
#include "engine/memory.h"
#include "engine/numbers.h"
#include "engine/tokenizer.h"
#include "figures/figures.h"
#include "figures/memory-chart.h"

#include "app/triad-figure-view.h"
#include "app/triad-kv-page.h"
#include "app/triad-view.h"

/* Sampling, when chosen: this temperature over the whole vocabulary, from a fixed seed so
 * that starting again replays the same text. */
#define SAMPLING_TEMPERATURE 0.8f
#define LIVE_SEED            1
#define DEFAULT_MAX_TOKENS   256
#define ENGINE_KV_BLOCK      16
/* The context axis and slider: 1 k to 1 M tokens, marks at 8 k and 100 k. */
#define MIN_CONTEXT          1000.0
#define MAX_CONTEXT          1000000.0
#define MARK_8K              8192
#define MARK_100K            100000
#define CURVE_SAMPLES        160
#define DEFAULT_PRESET       "llama-3-8b"
/* The export: the space between the figures, and the text under them. */
#define FIGURE_GAP           12.0
#define FIGURE_TEXT_SIZE     10.0

/* Milliseconds between steps while playing: slow, normal, fast (as fast as they compute). */
static const guint speed_ms[] = { 600, 150, 10 };

/* The attention list, in the order shown. */
static const TriadKvAttention attention_order[] = {
  TRIAD_KV_AS_PUBLISHED, TRIAD_KV_MHA, TRIAD_KV_GQA, TRIAD_KV_MQA,
};

struct _TriadKvPage
{
  GtkWidget          parent_instance;

  /* the live run's controls */
  GtkFlowBox        *live_controls;
  GtkButton         *reset_button;
  GtkToggleButton   *play_button;
  GtkButton         *step_button;
  GtkDropDown       *speed_dropdown;
  GtkDropDown       *sampling_dropdown;
  GtkSpinButton     *max_spin;
  GtkToggleButton   *blocks_button;
  GtkLabel          *live_note;
  GtkDrawingArea    *growth_area;
  GtkLabel          *live_status;
  GtkScrolledWindow *text_scroller;
  GtkLabel          *text_label;

  /* the projections' controls */
  GtkFlowBox        *projection_controls;
  GtkDropDown       *preset_dropdown;
  GtkMenuButton     *custom_button;
  GtkDropDown       *custom_arch;
  GtkSpinButton     *custom_layers;
  GtkSpinButton     *custom_heads;
  GtkSpinButton     *custom_kv_heads;
  GtkSpinButton     *custom_head_dim;
  GtkSpinButton     *custom_window;
  GtkSpinButton     *custom_latent;
  GtkSpinButton     *custom_context;
  GtkSpinButton     *custom_params;
  GtkSpinButton     *batch_spin;
  GtkDropDown       *kv_dtype_dropdown;
  GtkDropDown       *weight_dtype_dropdown;
  GtkDropDown       *attention_dropdown;
  GtkSpinButton     *gqa_spin;
  GtkSwitch         *window_switch;
  GtkSwitch         *paged_switch;
  GtkToggleButton   *gb_button;
  GtkToggleButton   *gib_button;
  GtkToggleButton   *log_button;
  GtkToggleButton   *linear_button;
  GtkScale          *context_scale;
  GtkSpinButton     *context_spin;
  GtkDrawingArea    *chart_area;
  GtkDrawingArea    *bars_area;
  GtkLabel          *readout;
  GtkLabel          *message;

  /* the live run */
  TriadModel        *decoder;          /* the application's */
  char              *text;
  TriadKvLive       *live;             /* NULL when the prompt cannot run */
  guint              run_id;           /* a step computed for an older run is dropped */
  int                n_prompt;
  int                n_layers;
  int                kv_block;
  gboolean           sampling;
  int                max_tokens;
  int                pending;          /* steps asked for, the one computing included */
  gboolean           in_flight;
  gboolean           exhausted;        /* the decoder's positions are full */
  gboolean           playing;
  guint              play_id;
  GCancellable      *cancellable;
  double             prefill_seconds;
  GArray            *s_tokens;         /* (double) positions in the cache after each step */
  GArray            *s_layer_bytes;    /* (double) (n_samples, n_layers) */
  GArray            *s_cached;         /* (double) seconds */
  GArray            *s_recompute;      /* (double) seconds */
  GArray            *s_ids;            /* (int) the token of each step */
  GString           *generated;
  int                growth_hover;
  char              *live_error;
  char              *live_status_text;

  /* the projections */
  GPtrArray         *presets;          /* TriadLlmPreset, NULL when they did not load */
  char              *presets_error;
  TriadLlmPreset    *custom;
  guint              preset_index;     /* in presets; presets->len: the custom model */
  TriadKvOptions     options;
  gboolean           gib;
  gboolean           log_axes;
  gboolean           has_estimate;
  TriadKvEstimate    estimate;
  GArray            *curve_tokens;     /* (double) */
  GArray            *curve_kv;         /* (double) */
  double             weights_bytes;
  double             bar_kv[2];
  double             bar_weights[2];
  char              *bar_labels[2];
  double             gpu_bytes[TRIAD_N_GPU_SIZES];
  char              *gpu_labels[TRIAD_N_GPU_SIZES];
  double             hover_tokens;     /* -1: none */
  char              *chart_title;
  char              *bars_title;
  char              *readout_text;

  double             font_scale;
  gboolean           busy;
  gboolean           syncing;
};

static void triad_kv_page_view_init (TriadViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TriadKvPage, triad_kv_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (TRIAD_TYPE_VIEW, triad_kv_page_view_init))

enum {
  PROP_0,
  PROP_PRESET,
  PROP_CONTEXT,
  PROP_BATCH,
  PROP_KV_DTYPE,
  PROP_WEIGHT_DTYPE,
  PROP_ATTENTION,
  PROP_HONOUR_WINDOW,
  PROP_PAGED,
  PROP_GIB,
  PROP_LOG_AXES,
  PROP_KV_BLOCK,
  PROP_SAMPLING,
  PROP_MAX_TOKENS,
  PROP_PLAYING,
  PROP_FONT_SCALE,
  N_PROPS,
  PROP_BUSY = N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static void update_live         (TriadKvPage *self);
static PangoLayout *text_layout (cairo_t                *cr,
                                 const TriadFigureStyle *style,
                                 const char             *text,
                                 double                  w);
static void update_projection   (TriadKvPage *self);
static void sync_projection     (TriadKvPage *self);
static void stop_playing        (TriadKvPage *self);
static void kick                (TriadKvPage *self);

/* ---- small helpers ------------------------------------------------------------------ */

static void
set_busy (TriadKvPage *self,
          gboolean     busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify (G_OBJECT (self), "busy");
}

/* Busy while a step someone waits for computes; playing is its own sign. */
static void
update_busy (TriadKvPage *self)
{
  set_busy (self, self->in_flight && !self->playing);
}

/* The theme's style, on an opaque background: the memory figures draw their legend and
 * readout boxes on the style's background, and on white when it is transparent, where a dark
 * theme's light text cannot be read. On screen the background is the window's own; in an
 * export, the one the window paints under the figure. */
static void
get_style_for (TriadKvPage      *self,
               TriadFigureStyle *style,
               gboolean          export)
{
  GdkRGBA bg;
  gboolean dark;

  triad_figure_style_for_widget (GTK_WIDGET (self), self->font_scale, style);
  dark = style->fg[0] + style->fg[1] + style->fg[2] > 1.5;
  if (export
      || (!gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (self)),
                                           "window_bg_color", &bg)
          && !gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (self)),
                                              "theme_bg_color", &bg)))
    bg = dark ? (GdkRGBA) { 0x24 / 255.0, 0x24 / 255.0, 0x24 / 255.0, 1.0 }
              : (GdkRGBA) { 1.0, 1.0, 1.0, 1.0 };
  style->bg[0] = bg.red;
  style->bg[1] = bg.green;
  style->bg[2] = bg.blue;
  style->bg[3] = 1.0;
}

static void
get_style (TriadKvPage      *self,
           TriadFigureStyle *style)
{
  get_style_for (self, style, FALSE);
}

static TriadMemUnit
unit (TriadKvPage *self)
{
  return self->gib ? TRIAD_MEM_UNIT_GIB : TRIAD_MEM_UNIT_GB;
}

/* "8,192 tokens", with the interface language's digit grouping */
static char *
tokens_text (gint64 n)
{
  g_autofree char *number = triad_format_int (n);

  /* TRANSLATORS: a number of tokens, e.g. "8,192 tokens"; %s is the number, written with
   * the separators of the "number format" strings */
  return g_strdup_printf (ngettext ("%s token", "%s tokens",
                                    (gulong) (n < 1000000 ? n : 1000000 + n % 100)), number);
}

static char *
exact_bytes (guint64 n)
{
  return triad_format_uint (n);
}

static char *
milliseconds (double seconds)
{
  g_autofree char *number = triad_format_double (seconds * 1e3, 2);

  /* TRANSLATORS: a time in milliseconds; %s is the number, e.g. "0.25" */
  return g_strdup_printf (_("%s ms"), number);
}

static char *
gpu_name (int          size,
          TriadMemUnit u)
{
  /* TRANSLATORS: a GPU's memory size and its unit, e.g. "24 GB" */
  return g_strdup_printf (C_("gpu", "%d %s"), size,
                          u == TRIAD_MEM_UNIT_GIB ? C_("bytes", "GiB") : C_("bytes", "GB"));
}

static const char *
dtype_label (TriadDtype dtype)
{
  switch (dtype)
    {
    /* TRANSLATORS: a number type and the bytes of one value */
    case TRIAD_DTYPE_F32: return _("f32 · 4 bytes");
    case TRIAD_DTYPE_F16: return _("f16 · 2 bytes");
    case TRIAD_DTYPE_BF16: return _("bf16 · 2 bytes");
    case TRIAD_DTYPE_FP8: return _("fp8 · 1 byte");
    case TRIAD_DTYPE_INT8: return _("int8 · 1 byte");
    case TRIAD_DTYPE_INT4: return _("int4 · ½ byte");
    case TRIAD_N_DTYPES:
    default: return "";
    }
}

static const TriadLlmPreset *
current_preset (TriadKvPage *self)
{
  if (self->presets != NULL && self->preset_index < self->presets->len)
    return g_ptr_array_index (self->presets, self->preset_index);
  return self->custom;
}

static gboolean
is_custom (TriadKvPage *self)
{
  return self->presets == NULL || self->preset_index >= self->presets->len;
}

/* ---- the live run: computing -------------------------------------------------------- */

typedef struct {
  TriadKvLive *live;
  guint        run_id;
} StepRequest;

typedef struct {
  TriadKvLiveStep step;
  double          prefill_seconds;
  gboolean        can_step;
} StepResult;

static void
step_request_free (StepRequest *r)
{
  triad_kv_live_unref (r->live);
  g_free (r);
}

static void
step_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  StepRequest *r = data;
  StepResult *res = g_new0 (StepResult, 1);
  GError *error = NULL;

  if (!triad_kv_live_step (r->live, TRUE, &res->step, cancellable, &error))
    {
      g_free (res);
      g_task_return_error (task, error);
      return;
    }
  res->prefill_seconds = triad_kv_live_get_prefill_seconds (r->live);
  res->can_step = triad_kv_live_can_step (r->live);
  g_task_return_pointer (task, res, g_free);
}

static int
n_samples (TriadKvPage *self)
{
  return (int) self->s_tokens->len;
}

static gboolean
live_done (TriadKvPage *self)
{
  return self->live == NULL || self->exhausted || n_samples (self) >= self->max_tokens;
}

static void
append_piece (TriadKvPage *self,
              int          token)
{
  const char *piece;

  if (token == TRIAD_TOKEN_EOS)
    {
      /* the toy model ends its sentences soon; the run goes on past the end, as a new line */
      g_string_append (self->generated, " ⏎\n");
      return;
    }
  piece = triad_tokenizer_piece (self->decoder->tokenizer, token);
  if (piece == NULL)
    piece = "<unk>";
  if (token < TRIAD_N_SPECIAL_TOKENS)
    {
      g_string_append_printf (self->generated, " %s", piece);
      return;
    }
  /* "▁" stands for the space before a word */
  for (const char *p = piece; *p != '\0'; p = g_utf8_next_char (p))
    if (g_utf8_get_char (p) == 0x2581)
      g_string_append_c (self->generated, ' ');
    else
      g_string_append_len (self->generated, p, g_utf8_next_char (p) - p);
}

static void
step_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  TriadKvPage *self = TRIAD_KV_PAGE (source);
  StepRequest *r = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree StepResult *res = g_task_propagate_pointer (G_TASK (result), &error);

  self->in_flight = FALSE;
  if (r->run_id != self->run_id)
    {
      /* a step of a run since replaced: the new run may be waiting for the thread */
      kick (self);
      update_busy (self);
      return;
    }
  if (res == NULL)
    {
      self->pending = 0;
      if (g_error_matches (error, TRIAD_ERROR, TRIAD_ERROR_TOO_LONG))
        self->exhausted = TRUE;
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_free (self->live_error);
          self->live_error = g_strdup (error->message);
          triad_view_failed (TRIAD_VIEW (self), error->message);
        }
      stop_playing (self);
      update_live (self);
      update_busy (self);
      return;
    }

  {
    double tokens = res->step.tokens, cached = res->step.cached_seconds;
    double recompute = res->step.recompute_seconds;

    g_array_append_val (self->s_tokens, tokens);
    for (int l = 0; l < self->n_layers; l++)
      {
        double b = (double) res->step.layer_bytes;
        g_array_append_val (self->s_layer_bytes, b);
      }
    g_array_append_val (self->s_cached, cached);
    g_array_append_val (self->s_recompute, recompute);
    g_array_append_val (self->s_ids, res->step.token);
    append_piece (self, res->step.token);
  }
  self->prefill_seconds = res->prefill_seconds;
  self->pending = MAX (self->pending - 1, 0);
  if (!res->can_step)
    self->exhausted = TRUE;
  if (live_done (self))
    {
      self->pending = 0;
      stop_playing (self);
    }
  update_live (self);
  kick (self);
  update_busy (self);
}

/* Starts the next step asked for, when none is computing. */
static void
kick (TriadKvPage *self)
{
  g_autoptr(GTask) task = NULL;
  StepRequest *r;

  if (self->in_flight || self->pending <= 0 || live_done (self))
    return;
  r = g_new0 (StepRequest, 1);
  r->live = triad_kv_live_ref (self->live);
  r->run_id = self->run_id;
  task = g_task_new (self, self->cancellable, step_done, NULL);
  g_task_set_task_data (task, r, (GDestroyNotify) step_request_free);
  self->in_flight = TRUE;
  g_task_run_in_thread (task, step_thread);
  update_busy (self);
}

void
triad_kv_page_step_live (TriadKvPage *self,
                         int          n)
{
  g_return_if_fail (TRIAD_IS_KV_PAGE (self));

  if (n <= 0 || live_done (self))
    return;
  self->pending = MIN (self->pending + n, self->max_tokens - n_samples (self));
  kick (self);
}

/* A new run of the decoder over the window's text: an empty cache, no samples. */
static void
start_run (TriadKvPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadEncoding) enc = NULL;

  self->run_id++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->live, triad_kv_live_unref);
  g_array_set_size (self->s_tokens, 0);
  g_array_set_size (self->s_layer_bytes, 0);
  g_array_set_size (self->s_cached, 0);
  g_array_set_size (self->s_recompute, 0);
  g_array_set_size (self->s_ids, 0);
  g_string_truncate (self->generated, 0);
  g_clear_pointer (&self->live_error, g_free);
  self->pending = 0;
  self->exhausted = FALSE;
  self->growth_hover = -1;
  self->prefill_seconds = -1.0;
  self->n_prompt = 0;

  if (self->decoder != NULL)
    {
      enc = triad_model_encode (self->decoder, self->text != NULL ? self->text : "",
                                TRIAD_ATTN_DECODER_SELF, &error);
      if (enc != NULL)
        self->live = triad_kv_live_new (self->decoder, enc->ids, enc->n, self->kv_block,
                                        self->sampling ? SAMPLING_TEMPERATURE : 0.0f, 0,
                                        LIVE_SEED, &error);
      if (self->live == NULL)
        {
          self->live_error = g_strdup (error->message);
          triad_view_failed (TRIAD_VIEW (self), error->message);
        }
      else
        {
          int room = self->decoder->config.max_seq_len - enc->n;

          self->n_prompt = enc->n;
          self->n_layers = self->decoder->config.n_dec_layers;
          self->syncing = TRUE;
          gtk_adjustment_set_upper (gtk_spin_button_get_adjustment (self->max_spin), room);
          self->syncing = FALSE;
          if (self->max_tokens > room)
            {
              self->max_tokens = room;
              g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_TOKENS]);
            }
        }
    }
  update_live (self);
  update_busy (self);
}

void
triad_kv_page_reset_live (TriadKvPage *self)
{
  g_return_if_fail (TRIAD_IS_KV_PAGE (self));

  stop_playing (self);
  start_run (self);
}

/* ---- the live run: playing ---------------------------------------------------------- */

static gboolean
play_tick (gpointer data)
{
  TriadKvPage *self = data;

  if (live_done (self))
    {
      self->play_id = 0;
      stop_playing (self);
      return G_SOURCE_REMOVE;
    }
  if (!self->in_flight && self->pending == 0)
    triad_kv_page_step_live (self, 1);
  return G_SOURCE_CONTINUE;
}

static void
restart_timer (TriadKvPage *self)
{
  guint speed = gtk_drop_down_get_selected (self->speed_dropdown);

  g_clear_handle_id (&self->play_id, g_source_remove);
  if (self->playing)
    self->play_id = g_timeout_add (speed_ms[MIN (speed, G_N_ELEMENTS (speed_ms) - 1)],
                                   play_tick, self);
}

static void
show_playing (TriadKvPage *self)
{
  self->syncing = TRUE;
  gtk_toggle_button_set_active (self->play_button, self->playing);
  self->syncing = FALSE;
  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            self->playing ? "media-playback-pause-symbolic"
                                          : "media-playback-start-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->playing ? _("Pause") : _("Play"), -1);
}

static void
set_playing (TriadKvPage *self,
             gboolean     playing)
{
  if (playing && self->live == NULL)
    playing = FALSE;
  if (playing == self->playing)
    {
      show_playing (self);
      return;
    }
  if (playing && live_done (self))
    start_run (self);
  self->playing = playing;
  show_playing (self);
  restart_timer (self);
  if (playing)
    play_tick (self);
  update_busy (self);
  update_live (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

static void
stop_playing (TriadKvPage *self)
{
  set_playing (self, FALSE);
}

static void
play_toggled (GtkToggleButton *button,
              TriadKvPage     *self)
{
  if (!self->syncing)
    set_playing (self, gtk_toggle_button_get_active (button));
}

static void
step_clicked (GtkButton   *button,
              TriadKvPage *self)
{
  triad_kv_page_step_live (self, 1);
}

static void
reset_clicked (GtkButton   *button,
               TriadKvPage *self)
{
  triad_kv_page_reset_live (self);
}

static void
speed_selected (GtkDropDown *dd,
                GParamSpec  *pspec,
                TriadKvPage *self)
{
  restart_timer (self);
}

static void
set_sampling (TriadKvPage *self,
              gboolean     sampling)
{
  if (sampling == self->sampling)
    return;
  self->sampling = sampling;
  self->syncing = TRUE;
  gtk_drop_down_set_selected (self->sampling_dropdown, sampling ? 1 : 0);
  self->syncing = FALSE;
  triad_kv_page_reset_live (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAMPLING]);
}

static void
sampling_selected (GtkDropDown *dd,
                   GParamSpec  *pspec,
                   TriadKvPage *self)
{
  if (!self->syncing)
    set_sampling (self, gtk_drop_down_get_selected (dd) == 1);
}

static void
set_kv_block (TriadKvPage *self,
              int          block)
{
  block = block > 1 ? ENGINE_KV_BLOCK : 1;
  if (block == self->kv_block)
    return;
  self->kv_block = block;
  self->syncing = TRUE;
  gtk_toggle_button_set_active (self->blocks_button, block > 1);
  self->syncing = FALSE;
  triad_kv_page_reset_live (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KV_BLOCK]);
}

static void
blocks_toggled (GtkToggleButton *button,
                TriadKvPage     *self)
{
  if (!self->syncing)
    set_kv_block (self, gtk_toggle_button_get_active (button) ? ENGINE_KV_BLOCK : 1);
}

static void
set_max_tokens (TriadKvPage *self,
                int          max_tokens)
{
  max_tokens = MAX (max_tokens, 1);
  if (max_tokens == self->max_tokens)
    return;
  self->max_tokens = max_tokens;
  self->pending = MIN (self->pending, MAX (max_tokens - n_samples (self), 0));
  self->syncing = TRUE;
  gtk_spin_button_set_value (self->max_spin, max_tokens);
  self->syncing = FALSE;
  update_live (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_TOKENS]);
}

static void
max_changed (GtkSpinButton *spin,
             TriadKvPage   *self)
{
  if (!self->syncing)
    set_max_tokens (self, gtk_spin_button_get_value_as_int (spin));
}

/* ---- the live run: showing ---------------------------------------------------------- */

static void
set_live_status (TriadKvPage *self,
                 char        *text)
{
  g_free (self->live_status_text);
  self->live_status_text = text;
  gtk_label_set_text (self->live_status, text != NULL ? text : " ");
}

static char *
live_note_text (TriadKvPage *self)
{
  const TriadConfig *c;
  g_autofree char *per = NULL, *block = NULL;
  size_t per_token;

  if (self->decoder == NULL)
    return g_strdup ("");
  c = &self->decoder->config;
  per_token = triad_kv_live_bytes_per_token (self->decoder);
  per = exact_bytes (per_token);
  if (self->kv_block > 1)
    {
      block = exact_bytes (per_token * self->kv_block);
      /* TRANSLATORS: layers, values a position (the model's width), the bytes of one token,
       * the positions of a block, the bytes of a block */
      return g_strdup_printf (_("A token needs 2 (K and V) × %d layers × %d values × 4 bytes "
                                "(f32) = %s bytes, but the engine allocates %d positions at "
                                "a time, %s bytes a block, as paged attention does."),
                              c->n_dec_layers, c->dim, per, self->kv_block, block);
    }
  /* TRANSLATORS: layers, values a position (the model's width), the bytes of one token */
  return g_strdup_printf (_("Each token adds 2 (K and V) × %d layers × %d values × 4 bytes (f32) "
                            "= %s bytes. The engine usually allocates 16 positions at a time; "
                            "here it allocates one a token (see “Blocks of 16”)."),
                          c->n_dec_layers, c->dim, per);
}

static double
total_of (const GArray *a)
{
  double sum = 0.0;

  for (guint i = 0; i < a->len; i++)
    sum += g_array_index (a, double, i);
  return sum;
}

static char *
live_status_text (TriadKvPage *self)
{
  int n = n_samples (self);
  g_autofree char *first = NULL, *second = NULL;

  if (self->live_error != NULL)
    return g_strdup (self->live_error);
  if (self->live == NULL)
    return g_strdup (" ");
  if (n == 0)
    /* TRANSLATORS: %d is the prompt's length in tokens */
    return g_strdup_printf (ngettext ("The prompt is %d token, <bos> included. Play (Space) "
                                      "or step (→) to generate.",
                                      "The prompt is %d tokens, <bos> included. Play (Space) "
                                      "or step (→) to generate.", self->n_prompt),
                            self->n_prompt);

  {
    int i = self->growth_hover >= 0 && self->growth_hover < n ? self->growth_hover : n - 1;
    double bytes = g_array_index (self->s_layer_bytes, double, (size_t) i * self->n_layers)
                   * self->n_layers;
    g_autofree char *shown = triad_format_bytes (bytes, unit (self));
    g_autofree char *exact = exact_bytes ((guint64) bytes);
    g_autofree char *cached = milliseconds (g_array_index (self->s_cached, double, i));
    g_autofree char *again = milliseconds (g_array_index (self->s_recompute, double, i));
    int tokens = (int) g_array_index (self->s_tokens, double, i);

    /* TRANSLATORS: a step of the live run: its number, the tokens in the cache, the bytes
     * allocated (short, then exact), the step's time with the cache and recomputed */
    first = g_strdup_printf (_("Step %d: %d tokens in the cache, %s (%s bytes) allocated; "
                               "the step took %s with the cache, %s recomputed."),
                             i + 1, tokens, shown, exact, cached, again);
  }
  {
    g_autofree char *all_cached = milliseconds (total_of (self->s_cached));
    g_autofree char *all_again = milliseconds (total_of (self->s_recompute));
    const char *end = self->exhausted ? _("The decoder’s positions are full.")
                      : n >= self->max_tokens ? _("The limit is reached.") : "";

    /* TRANSLATORS: the steps so far, the time of all of them with the cache and recomputed,
     * then maybe a sentence saying why the run stopped */
    second = g_strdup_printf (ngettext ("%d step in all: %s with the cache, %s recomputing. %s",
                                        "%d steps in all: %s with the cache, %s recomputing. %s",
                                        n),
                              n, all_cached, all_again, end);
  }
  return g_strconcat (first, "\n", second, NULL);
}

static void
update_text (TriadKvPage *self)
{
  g_autofree char *prompt = g_markup_escape_text (self->text != NULL ? self->text : "", -1);
  g_autofree char *more = g_markup_escape_text (self->generated->str, -1);
  g_autofree char *markup = g_strdup_printf ("<span alpha=\"60%%\">%s</span><b>%s</b>",
                                             prompt, more);

  gtk_label_set_markup (self->text_label, markup);
}

static void
update_live (TriadKvPage *self)
{
  g_autofree char *note = live_note_text (self);

  gtk_label_set_text (self->live_note, note);
  set_live_status (self, live_status_text (self));
  update_text (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->step_button), !live_done (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->play_button), self->live != NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self->growth_area));
}

static void
scroll_to_end (GtkAdjustment *adj,
               TriadKvPage   *self)
{
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj)
                                 - gtk_adjustment_get_page_size (adj));
}

/* ---- the projections: computing ----------------------------------------------------- */

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Context lengths for the curve: even on a log axis and on a linear one, both sides of a
 * window's edge, and the marks. */
static void
curve_tokens (const TriadLlmPreset *p,
              GArray               *out)
{
  g_autoptr(GArray) t = g_array_new (FALSE, FALSE, sizeof (double));
  double extra[] = { MIN_CONTEXT, MARK_8K, MARK_100K, (double) p->sliding_window,
                     (double) p->sliding_window + 1.0, MAX_CONTEXT };

  for (int i = 0; i <= CURVE_SAMPLES; i++)
    {
      double v = round (MIN_CONTEXT * pow (MAX_CONTEXT / MIN_CONTEXT, (double) i / CURVE_SAMPLES));
      g_array_append_val (t, v);
      v = round (MAX (1.0, MAX_CONTEXT * i / CURVE_SAMPLES));
      g_array_append_val (t, v);
    }
  for (guint i = 0; i < G_N_ELEMENTS (extra); i++)
    if (extra[i] >= 1.0 && extra[i] <= MAX_CONTEXT)
      g_array_append_val (t, extra[i]);
  g_array_sort (t, compare_double);
  g_array_set_size (out, 0);
  for (guint i = 0; i < t->len; i++)
    if (out->len == 0
        || g_array_index (t, double, i) > g_array_index (out, double, out->len - 1))
      g_array_append_val (out, g_array_index (t, double, i));
}

static void
set_readout (TriadKvPage *self,
             char        *text,
             gboolean     is_error)
{
  g_free (self->readout_text);
  self->readout_text = text;
  gtk_label_set_text (self->readout, text != NULL ? text : " ");
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->readout), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->readout), "error");
}

static void
join (GString    *s,
      const char *part)
{
  if (part == NULL || *part == '\0')
    return;
  if (s->len > 0)
    g_string_append (s, " · ");
  g_string_append (s, part);
}

/* The readout: the cache, the weights and the total; how a token's worth is made; which GPUs
 * hold it; and the longest context each holds. */
static char *
readout_text (TriadKvPage           *self,
              const TriadLlmPreset  *p,
              const TriadKvOptions  *o,
              const TriadKvEstimate *e)
{
  TriadMemUnit u = unit (self);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) details = g_string_new (NULL);
  g_autoptr(GString) fits = g_string_new (NULL);
  g_autoptr(GString) too_small = g_string_new (NULL);
  g_autoptr(GString) longest = g_string_new (NULL);
  g_autofree char *weights = triad_format_bytes (e->weights_bytes_f, u);
  g_autofree char *tokens = tokens_text (o->tokens);
  const char *unit_note = self->gib ? _("1 GiB = 2³⁰ bytes") : _("1 GB = 10⁹ bytes");

  if (!e->cached)
    {
      /* TRANSLATORS: the readout of an encoder-only model such as BERT; %s are its name and
       * its weights */
      g_string_append_printf (out, _("%s is an encoder: it reads the whole text in one pass "
                                     "and generates nothing token by token, so nothing is "
                                     "cached: no keys, no values, 0 bytes at any length. "
                                     "Weights %s."), p->name, weights);
    }
  else
    {
      g_autofree char *kv = triad_format_bytes (e->kv_bytes_f, u);
      g_autofree char *kv_exact = e->overflow ? triad_format_g (e->kv_bytes_f, 4)
                                              : exact_bytes (e->kv_bytes);
      g_autofree char *total = triad_format_bytes (e->total_bytes_f, u);
      g_autofree char *per = triad_format_bytes ((double) e->kv_bytes_per_token, u);
      g_autofree char *per_exact = exact_bytes (e->kv_bytes_per_token);
      g_autofree char *line = NULL;

      if (p->arch == TRIAD_ARCH_ENCDEC)
        {
          g_autofree char *self_kv = triad_format_bytes (e->self_kv_bytes_f, u);
          g_autofree char *cross_kv = triad_format_bytes (e->cross_kv_bytes_f, u);

          /* TRANSLATORS: the readout of an encoder-decoder such as T5: model, tokens, batch,
           * the cache (short and exact), its self-attention and cross-attention parts, the
           * weights, the total */
          line = g_strdup_printf (_("%s at %s of source and of target × batch %d: KV cache %s "
                                    "(%s bytes) = self-attention %s + cross-attention %s; "
                                    "+ weights %s = %s"),
                                  p->name, tokens, (int) o->batch, kv, kv_exact, self_kv,
                                  cross_kv, weights, total);
        }
      else
        /* TRANSLATORS: the readout: model, tokens, batch, the cache (short and exact), the
         * weights, the total */
        line = g_strdup_printf (_("%s at %s × batch %d: KV cache %s (%s bytes) + weights %s "
                                  "= %s"),
                                p->name, tokens, (int) o->batch, kv, kv_exact, weights, total);
      g_string_append (out, line);

      {
        g_autofree char *part = NULL;

        if (e->n_groups > 0 && e->groups[0].kind == TRIAD_KV_LAYER_LATENT)
          /* TRANSLATORS: bytes (short, exact) of one token over all layers, the layers, the
           * values of the latent and of the rotary key, the number type */
          part = g_strdup_printf (_("a token: %s (%s bytes) over %d layers, a latent of %d and "
                                    "a rotary key of %d in %s"),
                                  per, per_exact, p->n_layers, p->kv_lora_rank,
                                  p->qk_rope_head_dim, triad_dtype_to_string (o->kv_dtype));
        else
          /* TRANSLATORS: bytes (short, exact) of one token over all layers, the layers, the
           * key/value heads and their size, the number type */
          part = g_strdup_printf (_("a token: %s (%s bytes) over %d layers, 2 × %d key/value "
                                    "heads of %d in %s"),
                                  per, per_exact, p->n_layers, e->kv_heads, p->head_dim,
                                  triad_dtype_to_string (o->kv_dtype));
        join (details, part);
      }
      if (o->paged)
        {
          g_autofree char *part = NULL;

          if (e->tokens != o->tokens)
            {
              g_autofree char *rounded = tokens_text (e->tokens);
              /* TRANSLATORS: the paged cache's rounding: the tokens allocated, the blocks */
              part = g_strdup_printf (_("paged: rounded up to %s, %d blocks of 16"), rounded,
                                      (int) (e->tokens / TRIAD_KV_PAGE_TOKENS));
            }
          else
            part = g_strdup_printf (_("paged: %d whole blocks of 16"),
                                    (int) (e->tokens / TRIAD_KV_PAGE_TOKENS));
          join (details, part);
        }
      if (e->window_honoured)
        {
          g_autofree char *w = tokens_text (MIN (o->tokens, p->sliding_window));
          /* TRANSLATORS: layers with a sliding window, all the layers, the window's tokens */
          g_autofree char *part = g_strdup_printf (_("%d of %d layers keep only the last %s "
                                                     "(sliding window)"),
                                                   triad_llm_preset_n_local (p), p->n_layers, w);
          join (details, part);
        }
      else if (p->sliding_window > 0 && o->ignore_window)
        join (details, _("the sliding window ignored: every layer keeps every token"));
      if (e->beyond_context)
        {
          g_autofree char *made = tokens_text (p->max_context);
          /* TRANSLATORS: the longest context a model was made for, and the model */
          g_autofree char *part = g_strdup_printf (_("beyond the %s %s was made for"), made,
                                                   p->name);
          join (details, part);
        }
      g_string_append_c (out, '\n');
      g_string_append (out, details->str);
    }

  for (int i = 0; i < TRIAD_N_GPU_SIZES; i++)
    {
      double bytes = triad_gpu_bytes (triad_gpu_sizes[i], u);
      g_autofree char *gpu = gpu_name (triad_gpu_sizes[i], u);
      gint64 at = triad_kv_max_context (p, o, bytes);
      g_autofree char *where = NULL, *entry = NULL;

      if (triad_kv_estimate_fits (e, bytes))
        g_string_append_printf (fits, "%s%s", fits->len > 0 ? ", " : "", gpu);
      else
        g_string_append_printf (too_small, "%s%s", too_small->len > 0 ? ", " : "", gpu);
      if (!e->cached)
        continue;
      if (at < 0)
        where = g_strdup (_("any length"));
      else if (at == 0)
        where = g_strdup (_("none"));
      else
        where = triad_format_int (at);
      /* TRANSLATORS: a GPU and the longest context that fits in it */
      entry = g_strdup_printf (C_("longest context", "%s: %s"), gpu, where);
      join (longest, entry);
    }
  g_string_append_c (out, '\n');
  if (too_small->len == 0)
    /* TRANSLATORS: the GPUs, and the unit's definition */
    g_string_append_printf (out, _("Fits on every GPU here: %s (%s)."), fits->str, unit_note);
  else if (fits->len == 0)
    g_string_append_printf (out, _("Fits on none of %s (%s)."), too_small->str, unit_note);
  else
    /* TRANSLATORS: the GPUs it fits on, those too small, and the unit's definition */
    g_string_append_printf (out, _("Fits on %s; too small: %s (%s)."), fits->str,
                            too_small->str, unit_note);
  if (e->cached)
    {
      g_string_append_c (out, '\n');
      /* TRANSLATORS: followed by a list of GPUs, each with the longest context (in tokens)
       * whose weights and cache fit in it */
      g_string_append_printf (out, _("Longest context that fits, in tokens: %s"), longest->str);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
update_projection (TriadKvPage *self)
{
  const TriadLlmPreset *p = current_preset (self);
  g_autoptr(GError) error = NULL;
  TriadKvOptions o = self->options;
  TriadKvEstimate e;
  const int at[2] = { MARK_8K, MARK_100K };

  self->has_estimate = FALSE;
  g_array_set_size (self->curve_tokens, 0);
  g_array_set_size (self->curve_kv, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self->chart_area));
  gtk_widget_queue_draw (GTK_WIDGET (self->bars_area));
  for (int i = 0; i < TRIAD_N_GPU_SIZES; i++)
    {
      g_free (self->gpu_labels[i]);
      self->gpu_labels[i] = gpu_name (triad_gpu_sizes[i], unit (self));
      self->gpu_bytes[i] = triad_gpu_bytes (triad_gpu_sizes[i], unit (self));
    }
  if (p == NULL)
    return;
  if (!triad_kv_estimate (p, &o, &e, &error))
    {
      set_readout (self, g_strdup (error->message), TRUE);
      return;
    }
  self->estimate = e;
  self->has_estimate = TRUE;
  self->weights_bytes = e.weights_bytes_f;

  curve_tokens (p, self->curve_tokens);
  for (guint i = 0; i < self->curve_tokens->len; i++)
    {
      TriadKvEstimate at_e;

      o.tokens = (gint64) g_array_index (self->curve_tokens, double, i);
      if (!triad_kv_estimate (p, &o, &at_e, NULL))
        at_e.kv_bytes_f = 0.0;
      g_array_append_val (self->curve_kv, at_e.kv_bytes_f);
    }
  for (int k = 0; k < 2; k++)
    {
      TriadKvEstimate at_e;

      o.tokens = at[k];
      if (!triad_kv_estimate (p, &o, &at_e, NULL))
        at_e.kv_bytes_f = at_e.weights_bytes_f = 0.0;
      self->bar_kv[k] = at_e.kv_bytes_f;
      self->bar_weights[k] = at_e.weights_bytes_f;
      g_free (self->bar_labels[k]);
      {
        g_autofree char *shortened = triad_figure_format_tokens (at[k]);
        /* TRANSLATORS: under a bar: a context length written short, e.g. "8 k tokens" */
        self->bar_labels[k] = g_strdup_printf (_("%s tokens"), shortened);
      }
    }
  o.tokens = self->options.tokens;

  g_free (self->chart_title);
  /* TRANSLATORS: the chart's title: the model, the cache's number type and the batch */
  self->chart_title = g_strdup_printf (_("%s · KV cache on its weights (%s, batch %d)"),
                                       p->name, triad_dtype_to_string (o.kv_dtype),
                                       (int) o.batch);
  g_free (self->bars_title);
  /* TRANSLATORS: the title of the two bars: the cache at 8 k and at 100 k tokens */
  self->bars_title = g_strdup (_("8 k against 100 k"));
  set_readout (self, readout_text (self, p, &o, &e), FALSE);
}

/* ---- the projections: controls ------------------------------------------------------ */

static void
fill_dtypes (GtkDropDown *dd)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  for (int i = 0; i < TRIAD_N_DTYPES; i++)
    gtk_string_list_append (list, dtype_label (i));
  gtk_drop_down_set_model (dd, G_LIST_MODEL (list));
}

static void
fill_presets (TriadKvPage *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  if (self->presets != NULL)
    for (guint i = 0; i < self->presets->len; i++)
      gtk_string_list_append (list, ((TriadLlmPreset *) g_ptr_array_index (self->presets, i))->name);
  /* TRANSLATORS: the last entry of the model list: a model of the user's own numbers */
  gtk_string_list_append (list, _("Custom model"));
  self->syncing = TRUE;
  gtk_drop_down_set_model (self->preset_dropdown, G_LIST_MODEL (list));
  self->syncing = FALSE;
}

static guint
attention_index (TriadKvAttention attention)
{
  for (guint i = 0; i < G_N_ELEMENTS (attention_order); i++)
    if (attention_order[i] == attention)
      return i;
  return 0;
}

/* The widgets, from the state. */
static void
sync_projection (TriadKvPage *self)
{
  const TriadLlmPreset *p = current_preset (self);
  GtkAdjustment *gqa = gtk_spin_button_get_adjustment (self->gqa_spin);

  self->syncing = TRUE;
  gtk_drop_down_set_selected (self->preset_dropdown, self->preset_index);
  gtk_range_set_value (GTK_RANGE (self->context_scale),
                       log10 (CLAMP ((double) self->options.tokens, MIN_CONTEXT, MAX_CONTEXT)));
  gtk_spin_button_set_value (self->context_spin, (double) self->options.tokens);
  gtk_spin_button_set_value (self->batch_spin, (double) self->options.batch);
  gtk_drop_down_set_selected (self->kv_dtype_dropdown, self->options.kv_dtype);
  gtk_drop_down_set_selected (self->weight_dtype_dropdown, self->options.weight_dtype);
  gtk_drop_down_set_selected (self->attention_dropdown, attention_index (self->options.attention));
  gtk_widget_set_visible (GTK_WIDGET (self->gqa_spin), self->options.attention == TRIAD_KV_GQA);
  if (p != NULL)
    gtk_adjustment_set_upper (gqa, p->n_heads);
  gtk_spin_button_set_value (self->gqa_spin, self->options.gqa_groups);
  gtk_switch_set_active (self->window_switch, !self->options.ignore_window);
  gtk_widget_set_sensitive (GTK_WIDGET (self->window_switch),
                            p != NULL && p->sliding_window > 0);
  gtk_switch_set_active (self->paged_switch, self->options.paged);
  gtk_toggle_button_set_active (self->gib ? self->gib_button : self->gb_button, TRUE);
  gtk_toggle_button_set_active (self->log_axes ? self->log_button : self->linear_button, TRUE);
  self->syncing = FALSE;
}

static void
projection_changed (TriadKvPage *self,
                    guint        prop)
{
  sync_projection (self);
  update_projection (self);
  if (prop > PROP_0 && prop < N_PROPS)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_preset_index (TriadKvPage *self,
                  guint        index)
{
  const TriadLlmPreset *p;
  guint n = self->presets != NULL ? self->presets->len : 0;

  index = MIN (index, n);
  if (index == self->preset_index)
    return;
  self->preset_index = index;
  p = current_preset (self);
  /* a what-if of grouped heads must divide this model's heads */
  if (self->options.attention == TRIAD_KV_GQA && p != NULL
      && (self->options.gqa_groups > p->n_heads || p->n_heads % self->options.gqa_groups != 0))
    self->options.gqa_groups = p->n_kv_heads;
  projection_changed (self, PROP_PRESET);
}

static gboolean
set_preset_id (TriadKvPage *self,
               const char  *id)
{
  if (g_strcmp0 (id, "custom") == 0)
    {
      set_preset_index (self, self->presets != NULL ? self->presets->len : 0);
      return TRUE;
    }
  for (guint i = 0; self->presets != NULL && i < self->presets->len; i++)
    if (g_strcmp0 (((TriadLlmPreset *) g_ptr_array_index (self->presets, i))->id, id) == 0)
      {
        set_preset_index (self, i);
        return TRUE;
      }
  return FALSE;
}

static void
preset_selected (GtkDropDown *dd,
                 GParamSpec  *pspec,
                 TriadKvPage *self)
{
  if (!self->syncing && gtk_drop_down_get_selected (dd) != GTK_INVALID_LIST_POSITION)
    set_preset_index (self, gtk_drop_down_get_selected (dd));
}

static void
set_context (TriadKvPage *self,
             gint64       tokens)
{
  tokens = CLAMP (tokens, 1, (gint64) MAX_CONTEXT);
  if (tokens == self->options.tokens)
    {
      sync_projection (self);
      return;
    }
  self->options.tokens = tokens;
  projection_changed (self, PROP_CONTEXT);
}

/* A slider position as a context worth reading: the marks and powers of two when near, else
 * three significant digits. */
static gint64
snap_context (double log_tokens)
{
  static const double nice[] = {
    1000, 1024, 2048, 4096, 8192, 10000, 16384, 32768, 65536, 100000, 131072, 200000, 262144,
    500000, 524288, 1000000,
  };
  double t = pow (10.0, log_tokens), mag;

  for (guint i = 0; i < G_N_ELEMENTS (nice); i++)
    if (fabs (log_tokens - log10 (nice[i])) < 0.008)
      return (gint64) nice[i];
  mag = pow (10.0, floor (log10 (t)) - 2);
  return (gint64) (round (t / mag) * mag);
}

static void
context_scale_changed (GtkRange    *range,
                       TriadKvPage *self)
{
  if (!self->syncing)
    set_context (self, snap_context (gtk_range_get_value (range)));
}

static void
context_spin_changed (GtkSpinButton *spin,
                      TriadKvPage   *self)
{
  if (!self->syncing)
    set_context (self, (gint64) gtk_spin_button_get_value (spin));
}

static void
batch_changed (GtkSpinButton *spin,
               TriadKvPage   *self)
{
  gint64 batch = gtk_spin_button_get_value_as_int (spin);

  if (self->syncing || batch == self->options.batch)
    return;
  self->options.batch = batch;
  projection_changed (self, PROP_BATCH);
}

static void
kv_dtype_selected (GtkDropDown *dd,
                   GParamSpec  *pspec,
                   TriadKvPage *self)
{
  guint i = gtk_drop_down_get_selected (dd);

  if (self->syncing || i >= TRIAD_N_DTYPES || (TriadDtype) i == self->options.kv_dtype)
    return;
  self->options.kv_dtype = i;
  projection_changed (self, PROP_KV_DTYPE);
}

static void
weight_dtype_selected (GtkDropDown *dd,
                       GParamSpec  *pspec,
                       TriadKvPage *self)
{
  guint i = gtk_drop_down_get_selected (dd);

  if (self->syncing || i >= TRIAD_N_DTYPES || (TriadDtype) i == self->options.weight_dtype)
    return;
  self->options.weight_dtype = i;
  projection_changed (self, PROP_WEIGHT_DTYPE);
}

static void
set_attention (TriadKvPage      *self,
               TriadKvAttention  attention,
               int               groups)
{
  const TriadLlmPreset *p = current_preset (self);

  if (attention == TRIAD_KV_GQA && groups <= 0)
    {
      /* the published grouping when it is one, else 8 heads, else one per 4 query heads */
      groups = p != NULL && p->n_kv_heads < p->n_heads && p->n_kv_heads > 1 ? p->n_kv_heads
               : p != NULL && p->n_heads % 8 == 0 && p->n_heads > 8 ? 8
               : p != NULL ? MAX (p->n_heads / 4, 1) : 8;
    }
  if (attention == self->options.attention
      && (attention != TRIAD_KV_GQA || groups == self->options.gqa_groups))
    return;
  self->options.attention = attention;
  if (attention == TRIAD_KV_GQA)
    self->options.gqa_groups = groups;
  projection_changed (self, PROP_ATTENTION);
}

static void
attention_selected (GtkDropDown *dd,
                    GParamSpec  *pspec,
                    TriadKvPage *self)
{
  guint i = gtk_drop_down_get_selected (dd);

  if (!self->syncing && i < G_N_ELEMENTS (attention_order))
    set_attention (self, attention_order[i], -1);
}

static void
gqa_changed (GtkSpinButton *spin,
             TriadKvPage   *self)
{
  if (!self->syncing)
    set_attention (self, TRIAD_KV_GQA, gtk_spin_button_get_value_as_int (spin));
}

static void
window_toggled (GtkSwitch   *sw,
                GParamSpec  *pspec,
                TriadKvPage *self)
{
  gboolean ignore = !gtk_switch_get_active (sw);

  if (self->syncing || ignore == self->options.ignore_window)
    return;
  self->options.ignore_window = ignore;
  projection_changed (self, PROP_HONOUR_WINDOW);
}

static void
paged_toggled (GtkSwitch   *sw,
               GParamSpec  *pspec,
               TriadKvPage *self)
{
  gboolean paged = gtk_switch_get_active (sw);

  if (self->syncing || paged == self->options.paged)
    return;
  self->options.paged = paged;
  projection_changed (self, PROP_PAGED);
}

static void
set_gib (TriadKvPage *self,
         gboolean     gib)
{
  if (gib == self->gib)
    return;
  self->gib = gib;
  projection_changed (self, PROP_GIB);
  update_live (self);
}

static void
unit_toggled (GtkToggleButton *button,
              TriadKvPage     *self)
{
  if (!self->syncing && gtk_toggle_button_get_active (button))
    set_gib (self, button == self->gib_button);
}

static void
set_log_axes (TriadKvPage *self,
              gboolean     log_axes)
{
  if (log_axes == self->log_axes)
    return;
  self->log_axes = log_axes;
  projection_changed (self, PROP_LOG_AXES);
}

static void
axes_toggled (GtkToggleButton *button,
              TriadKvPage     *self)
{
  if (!self->syncing && gtk_toggle_button_get_active (button))
    set_log_axes (self, button == self->log_button);
}

/* The custom model's fields, from the shown model when the popover opens. */
static void
custom_popover_shown (GtkWidget   *popover,
                      TriadKvPage *self)
{
  const TriadLlmPreset *p = current_preset (self);

  if (p == NULL)
    return;
  self->syncing = TRUE;
  gtk_drop_down_set_selected (self->custom_arch, p->arch);
  gtk_spin_button_set_value (self->custom_layers, p->n_layers);
  gtk_spin_button_set_value (self->custom_heads, p->n_heads);
  gtk_adjustment_set_upper (gtk_spin_button_get_adjustment (self->custom_kv_heads), p->n_heads);
  gtk_spin_button_set_value (self->custom_kv_heads, p->n_kv_heads);
  gtk_spin_button_set_value (self->custom_head_dim, p->head_dim);
  gtk_spin_button_set_value (self->custom_window, (double) p->sliding_window);
  gtk_spin_button_set_value (self->custom_latent, p->kv_lora_rank);
  gtk_spin_button_set_value (self->custom_context, (double) p->max_context);
  gtk_spin_button_set_value (self->custom_params, p->params / 1e9);
  self->syncing = FALSE;
}

/* An edit makes the shown model the custom one, with the edit. */
static void
apply_custom (TriadKvPage *self)
{
  TriadLlmPreset *c;
  int heads;

  if (self->syncing || current_preset (self) == NULL)
    return;
  if (!is_custom (self))
    {
      TriadLlmPreset *copy = triad_llm_preset_copy (current_preset (self));

      g_free (copy->id);
      copy->id = g_strdup ("custom");
      g_free (copy->name);
      copy->name = g_strdup (_("Custom model"));
      g_free (copy->source);
      copy->source = g_strdup ("");
      g_clear_pointer (&copy->note, g_free);
      triad_llm_preset_free (self->custom);
      self->custom = copy;
      self->preset_index = self->presets != NULL ? self->presets->len : 0;
    }
  c = self->custom;
  c->arch = MIN (gtk_drop_down_get_selected (self->custom_arch), TRIAD_ARCH_ENCDEC);
  c->n_layers = gtk_spin_button_get_value_as_int (self->custom_layers);
  c->n_enc_layers = c->arch == TRIAD_ARCH_ENCDEC ? MAX (c->n_enc_layers, c->n_layers) : 0;
  heads = gtk_spin_button_get_value_as_int (self->custom_heads);
  c->n_heads = heads;
  self->syncing = TRUE;
  gtk_adjustment_set_upper (gtk_spin_button_get_adjustment (self->custom_kv_heads), heads);
  self->syncing = FALSE;
  c->n_kv_heads = MIN (gtk_spin_button_get_value_as_int (self->custom_kv_heads), heads);
  c->head_dim = gtk_spin_button_get_value_as_int (self->custom_head_dim);
  c->d_model = c->n_heads * c->head_dim;
  c->sliding_window = (gint64) gtk_spin_button_get_value (self->custom_window);
  if (c->sliding_window == 0)
    c->pattern_len = 0;
  c->kv_lora_rank = gtk_spin_button_get_value_as_int (self->custom_latent);
  if (c->kv_lora_rank > 0 && c->qk_rope_head_dim == 0)
    c->qk_rope_head_dim = 64;
  c->max_context = (gint64) gtk_spin_button_get_value (self->custom_context);
  c->params = gtk_spin_button_get_value (self->custom_params) * 1e9;
  projection_changed (self, PROP_PRESET);
}

static void
custom_changed (GtkSpinButton *spin,
                TriadKvPage   *self)
{
  apply_custom (self);
}

static void
custom_arch_selected (GtkDropDown *dd,
                      GParamSpec  *pspec,
                      TriadKvPage *self)
{
  apply_custom (self);
}

/* ---- drawing and pointing ----------------------------------------------------------- */

static void
build_growth (TriadKvPage   *self,
              TriadKvGrowth *g)
{
  int n = n_samples (self);

  *g = (TriadKvGrowth) {
    .tokens = (const double *) self->s_tokens->data,
    .layer_bytes = (const double *) self->s_layer_bytes->data,
    .n_samples = n,
    .n_layers = self->n_layers,
    .step_seconds_cached = n > 0 ? (const double *) self->s_cached->data : NULL,
    .step_seconds_uncached = n > 0 ? (const double *) self->s_recompute->data : NULL,
    .cmap = TRIAD_COLORMAP_VIRIDIS,
    .gib = self->gib,
    .title = self->kv_block > 1
             /* TRANSLATORS: the live chart's title, when the cache grows 16 positions at a time */
             ? _("Shipped decoder: K and V allocated per layer, blocks of 16 (f32)")
             /* TRANSLATORS: the live chart's title */
             : _("Shipped decoder: K and V allocated per layer (f32)"),
    .hover = self->growth_hover,
  };
}

static void
build_chart (TriadKvPage       *self,
             TriadMemorySeries *series,
             TriadMemoryChart  *chart)
{
  const TriadLlmPreset *p = current_preset (self);

  *series = (TriadMemorySeries) {
    .label = p != NULL ? p->name : "",
    .tokens = (const double *) self->curve_tokens->data,
    .kv_bytes = (const double *) self->curve_kv->data,
    .n = self->has_estimate ? (int) self->curve_tokens->len : 0,
    .weights_bytes = self->weights_bytes,
  };
  *chart = (TriadMemoryChart) {
    .series = series,
    .n_series = self->has_estimate ? 1 : 0,
    .gpu_bytes = self->gpu_bytes,
    .gpu_labels = (const char * const *) self->gpu_labels,
    .n_gpus = TRIAD_N_GPU_SIZES,
    .min_tokens = MIN_CONTEXT,
    .max_tokens = MAX_CONTEXT,
    .log_x = self->log_axes,
    .log_y = self->log_axes,
    .stack_weights = TRUE,
    .gib = self->gib,
    .title = self->has_estimate ? self->chart_title : NULL,
    .hover_tokens = self->has_estimate ? triad_kv_page_get_chart_readout_tokens (self) : -1.0,
  };
}

static void
build_bars (TriadKvPage     *self,
            TriadMemoryBars *bars)
{
  *bars = (TriadMemoryBars) {
    .kv_bytes = self->bar_kv,
    .weights_bytes = self->bar_weights,
    .labels = (const char * const *) self->bar_labels,
    .n = self->has_estimate ? 2 : 0,
    .gib = self->gib,
    .title = self->bars_title,
  };
}

static void
draw_growth (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        data)
{
  TriadKvPage *self = data;
  TriadFigureStyle style;
  TriadKvGrowth g;

  get_style (self, &style);
  build_growth (self, &g);
  triad_kv_growth_draw (cr, &g, &style, width, height);
  if (g.n_samples == 0 && self->live != NULL)
    {
      /* TRANSLATORS: in the live chart before the first step */
      PangoLayout *hint = text_layout (cr, &style, _("Play or step: the chart grows with every "
                                                     "token the decoder generates"),
                                       width * 0.7);
      int w, h;

      pango_layout_set_alignment (hint, PANGO_ALIGN_CENTER);
      pango_layout_get_pixel_size (hint, &w, &h);
      cairo_set_source_rgba (cr, style.fg[0], style.fg[1], style.fg[2], 0.6);
      cairo_move_to (cr, (width - width * 0.7) / 2, (height - h) / 2);
      pango_cairo_show_layout (cr, hint);
      g_object_unref (hint);
    }
}

static void
draw_chart (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        data)
{
  TriadKvPage *self = data;
  TriadFigureStyle style;
  TriadMemorySeries series;
  TriadMemoryChart chart;

  get_style (self, &style);
  build_chart (self, &series, &chart);
  triad_memory_chart_draw (cr, &chart, &style, width, height);
}

static void
draw_bars (GtkDrawingArea *area,
           cairo_t        *cr,
           int             width,
           int             height,
           gpointer        data)
{
  TriadKvPage *self = data;
  TriadFigureStyle style;
  TriadMemoryBars bars;

  get_style (self, &style);
  build_bars (self, &bars);
  triad_memory_bars_draw (cr, &bars, &style, width, height);
}

double
triad_kv_page_hover_chart (TriadKvPage *self,
                           double       x,
                           double       y)
{
  TriadFigureStyle style;
  TriadMemorySeries series;
  TriadMemoryChart chart;
  double t = -1.0;

  g_return_val_if_fail (TRIAD_IS_KV_PAGE (self), -1.0);

  if (self->has_estimate && x >= 0 && y >= 0)
    {
      get_style (self, &style);
      build_chart (self, &series, &chart);
      t = triad_memory_chart_hit (&chart, &style,
                                  gtk_widget_get_width (GTK_WIDGET (self->chart_area)),
                                  gtk_widget_get_height (GTK_WIDGET (self->chart_area)), x, y);
      if (t > 0.0)
        t = round (t);
    }
  if (t != self->hover_tokens)
    {
      self->hover_tokens = t;
      gtk_widget_queue_draw (GTK_WIDGET (self->chart_area));
    }
  return t;
}

double
triad_kv_page_get_chart_readout_tokens (TriadKvPage *self)
{
  g_return_val_if_fail (TRIAD_IS_KV_PAGE (self), -1.0);

  return self->hover_tokens > 0.0 ? self->hover_tokens : (double) self->options.tokens;
}

static void
chart_motion (GtkEventControllerMotion *motion,
              double                    x,
              double                    y,
              TriadKvPage              *self)
{
  triad_kv_page_hover_chart (self, x, y);
}

static void
chart_leave (GtkEventControllerMotion *motion,
             TriadKvPage              *self)
{
  triad_kv_page_hover_chart (self, -1, -1);
}

static void
growth_hover (TriadKvPage *self,
              double       x,
              double       y)
{
  TriadFigureStyle style;
  TriadKvGrowth g;
  int hover = -1;

  if (x >= 0 && y >= 0 && n_samples (self) > 0)
    {
      get_style (self, &style);
      build_growth (self, &g);
      hover = triad_kv_growth_hit (&g, &style,
                                   gtk_widget_get_width (GTK_WIDGET (self->growth_area)),
                                   gtk_widget_get_height (GTK_WIDGET (self->growth_area)), x, y);
    }
  if (hover == self->growth_hover)
    return;
  self->growth_hover = hover;
  update_live (self);
}

static void
growth_motion (GtkEventControllerMotion *motion,
               double                    x,
               double                    y,
               TriadKvPage              *self)
{
  growth_hover (self, x, y);
}

static void
growth_leave (GtkEventControllerMotion *motion,
              TriadKvPage              *self)
{
  growth_hover (self, -1, -1);
}

/* A click on a chart takes the keyboard there, for Space and the arrows. */
static void
area_pressed (GtkGestureClick *click,
              int              n_press,
              double           x,
              double           y,
              TriadKvPage     *self)
{
  gtk_widget_grab_focus (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (click)));
}

static gboolean
key_binding (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  TriadKvPage *self = TRIAD_KV_PAGE (widget);
  const char *what = g_variant_get_string (args, NULL);

  if (g_str_equal (what, "play"))
    set_playing (self, !self->playing);
  else if (g_str_equal (what, "step"))
    triad_kv_page_step_live (self, 1);
  else
    triad_kv_page_reset_live (self);
  return TRUE;
}

/* ---- the figure for export ---------------------------------------------------------- */

/* Text under a figure of width w: its layout, and height. */
static PangoLayout *
text_layout (cairo_t                *cr,
             const TriadFigureStyle *style,
             const char             *text,
             double                  w)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_new ();

  pango_font_description_set_family (font, style->font_family != NULL ? style->font_family
                                                                      : "Sans");
  pango_font_description_set_absolute_size (font, FIGURE_TEXT_SIZE * style->font_scale
                                                  * PANGO_SCALE * 96.0 / 72.0);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (MAX (w, 1.0) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  pango_font_description_free (font);
  return layout;
}

typedef struct {
  double growth_w, chart_w, bars_w, plot_h, text_h, width, height;
} FigureLayout;

static double
area_size (GtkDrawingArea *area,
           gboolean        width,
           double          fallback)
{
  int v = width ? gtk_widget_get_width (GTK_WIDGET (area)) : gtk_widget_get_height (GTK_WIDGET (area));

  return v > 16 ? v : fallback;
}

static void
figure_layout (TriadKvPage            *self,
               const TriadFigureStyle *style,
               FigureLayout           *f)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);
  PangoLayout *left, *right;
  int lh, rh;

  f->growth_w = area_size (self->growth_area, TRUE, 560);
  f->chart_w = area_size (self->chart_area, TRUE, 520);
  f->bars_w = area_size (self->bars_area, TRUE, 220);
  f->plot_h = MAX (area_size (self->growth_area, FALSE, 420), area_size (self->chart_area, FALSE, 420));
  left = text_layout (cr, style, self->live_status_text, f->growth_w - 2 * FIGURE_GAP);
  right = text_layout (cr, style, self->readout_text,
                       f->chart_w + f->bars_w + FIGURE_GAP - 2 * FIGURE_GAP);
  pango_layout_get_pixel_size (left, NULL, &lh);
  pango_layout_get_pixel_size (right, NULL, &rh);
  f->text_h = MAX (lh, rh) + FIGURE_GAP;
  f->width = f->growth_w + FIGURE_GAP + f->chart_w + FIGURE_GAP + f->bars_w;
  f->height = f->plot_h + f->text_h;
  g_object_unref (left);
  g_object_unref (right);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static gboolean
view_get_figure_size (TriadView *view,
                      double    *width,
                      double    *height)
{
  TriadKvPage *self = TRIAD_KV_PAGE (view);
  TriadFigureStyle style;
  FigureLayout f;

  get_style_for (self, &style, TRUE);
  figure_layout (self, &style, &f);
  *width = f.width;
  *height = f.height;
  return self->has_estimate || n_samples (self) > 0;
}

static void
draw_text (cairo_t                *cr,
           const TriadFigureStyle *style,
           const char             *text,
           double                  x,
           double                  y,
           double                  w)
{
  PangoLayout *layout = text_layout (cr, style, text, w);

  cairo_save (cr);
  cairo_set_source_rgba (cr, style->fg[0], style->fg[1], style->fg[2], style->fg[3]);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
  g_object_unref (layout);
}

/* Both halves as one figure: the live chart, the projection and its bars, and under them
 * what the page's two readouts say. */
static void
view_draw_figure (TriadView *view,
                  cairo_t   *cr,
                  double     width,
                  double     height)
{
  TriadKvPage *self = TRIAD_KV_PAGE (view);
  TriadFigureStyle style;
  FigureLayout f;
  TriadKvGrowth growth;
  TriadMemorySeries series;
  TriadMemoryChart chart;
  TriadMemoryBars bars;
  double sx, sy, x;

  get_style_for (self, &style, TRUE);
  figure_layout (self, &style, &f);
  build_growth (self, &growth);
  build_chart (self, &series, &chart);
  build_bars (self, &bars);

  cairo_save (cr);
  sx = width / f.width;
  sy = height / f.height;
  cairo_scale (cr, sx, sy);

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, f.growth_w, f.plot_h);
  cairo_clip (cr);
  triad_kv_growth_draw (cr, &growth, &style, f.growth_w, f.plot_h);
  cairo_restore (cr);

  x = f.growth_w + FIGURE_GAP;
  cairo_save (cr);
  cairo_translate (cr, x, 0);
  cairo_rectangle (cr, 0, 0, f.chart_w, f.plot_h);
  cairo_clip (cr);
  triad_memory_chart_draw (cr, &chart, &style, f.chart_w, f.plot_h);
  cairo_restore (cr);

  x += f.chart_w + FIGURE_GAP;
  cairo_save (cr);
  cairo_translate (cr, x, 0);
  cairo_rectangle (cr, 0, 0, f.bars_w, f.plot_h);
  cairo_clip (cr);
  triad_memory_bars_draw (cr, &bars, &style, f.bars_w, f.plot_h);
  cairo_restore (cr);

  draw_text (cr, &style, self->live_status_text, FIGURE_GAP, f.plot_h,
             f.growth_w - 2 * FIGURE_GAP);
  draw_text (cr, &style, self->readout_text, f.growth_w + 2 * FIGURE_GAP, f.plot_h,
             f.chart_w + f.bars_w - FIGURE_GAP);
  cairo_restore (cr);
}

/* ---- TriadView ---------------------------------------------------------------------- */

static void
view_set_input (TriadView        *view,
                TriadApplication *app,
                TriadArch         arch,
                const char       *text)
{
  TriadKvPage *self = TRIAD_KV_PAGE (view);
  g_autoptr(GError) error = NULL;
  TriadModel *decoder = triad_application_get_model (app, TRIAD_ARCH_DECODER, &error);

  /* the live run is the decoder-only model's, whatever the header bar shows */
  if (decoder == NULL)
    {
      triad_view_failed (view, error->message);
      return;
    }
  if (self->presets_error != NULL)
    triad_view_failed (view, self->presets_error);
  if (decoder == self->decoder && g_strcmp0 (text, self->text) == 0)
    return;
  self->decoder = decoder;
  g_free (self->text);
  self->text = g_strdup (text);
  triad_kv_page_reset_live (self);
}

static void
view_step (TriadView *view,
           int        delta)
{
  TriadKvPage *self = TRIAD_KV_PAGE (view);

  if (delta > 0)
    triad_kv_page_step_live (self, delta);
  else if (delta < 0)
    triad_kv_page_reset_live (self);
}

static void
triad_kv_page_view_init (TriadViewInterface *iface)
{
  iface->set_input = view_set_input;
  iface->get_figure_size = view_get_figure_size;
  iface->draw_figure = view_draw_figure;
  iface->step = view_step;
}

/* ---- the accessors ------------------------------------------------------------------ */

int
triad_kv_page_get_pending (TriadKvPage *self)
{
  g_return_val_if_fail (TRIAD_IS_KV_PAGE (self), 0);

  return self->pending;
}

int
triad_kv_page_get_n_samples (TriadKvPage *self)
{
  g_return_val_if_fail (TRIAD_IS_KV_PAGE (self), 0);

  return n_samples (self);
}

void
triad_kv_page_get_sample (TriadKvPage *self,
                          int          i,
                          int         *tokens,
                          guint64     *kv_bytes,
                          guint64     *layer_bytes,
                          double      *cached_seconds,
                          double      *recompute_seconds)
{
  double layer;

  g_return_if_fail (TRIAD_IS_KV_PAGE (self));
  g_return_if_fail (i >= 0 && i < n_samples (self));

  layer = g_array_index (self->s_layer_bytes, double, (size_t) i * self->n_layers);
  if (tokens != NULL)
    *tokens = (int) g_array_index (self->s_tokens, double, i);
  if (layer_bytes != NULL)
    *layer_bytes = (guint64) layer;
  if (kv_bytes != NULL)
    {
      double sum = 0.0;

      for (int l = 0; l < self->n_layers; l++)
        sum += g_array_index (self->s_layer_bytes, double, (size_t) i * self->n_layers + l);
      *kv_bytes = (guint64) sum;
    }
  if (cached_seconds != NULL)
    *cached_seconds = g_array_index (self->s_cached, double, i);
  if (recompute_seconds != NULL)
    *recompute_seconds = g_array_index (self->s_recompute, double, i);
}

int
triad_kv_page_get_n_prompt (TriadKvPage *self)
{
  g_return_val_if_fail (TRIAD_IS_KV_PAGE (self), 0);

  return self->n_prompt;
}

int
triad_kv_page_get_n_layers (TriadKvPage *self)
{
  g_return_val_if_fail (TRIAD_IS_KV_PAGE (self), 0);

  return self->n_layers;
}

const char *
triad_kv_page_get_generated (TriadKvPage *self)
{
  g_return_val_if_fail (TRIAD_IS_KV_PAGE (self), NULL);

  return self->generated->str;
}

const char *
triad_kv_page_get_live_status (TriadKvPage *self)
{
  g_return_val_if_fail (TRIAD_IS_KV_PAGE (self), NULL);

  return self->live_status_text;
}

const char *
triad_kv_page_get_readout (TriadKvPage *self)
{
  g_return_val_if_fail (TRIAD_IS_KV_PAGE (self), NULL);

  return self->readout_text;
}

const TriadKvEstimate *
triad_kv_page_get_estimate (TriadKvPage *self)
{
  g_return_val_if_fail (TRIAD_IS_KV_PAGE (self), NULL);

  return self->has_estimate ? &self->estimate : NULL;
}

/* ---- GObject ------------------------------------------------------------------------ */

static void
triad_kv_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TriadKvPage *self = TRIAD_KV_PAGE (object);

  switch (prop_id)
    {
    case PROP_PRESET:
      if (!set_preset_id (self, g_value_get_string (value)))
        g_warning ("No preset “%s”", g_value_get_string (value));
      break;
    case PROP_CONTEXT:
      set_context (self, g_value_get_int (value));
      break;
    case PROP_BATCH:
      if (g_value_get_int (value) != self->options.batch)
        {
          self->options.batch = g_value_get_int (value);
          projection_changed (self, PROP_BATCH);
        }
      break;
    case PROP_KV_DTYPE:
    case PROP_WEIGHT_DTYPE:
      {
        TriadDtype d;
        TriadDtype *field = prop_id == PROP_KV_DTYPE ? &self->options.kv_dtype
                                                     : &self->options.weight_dtype;

        if (!triad_dtype_from_string (g_value_get_string (value), &d))
          g_warning ("No number type “%s”", g_value_get_string (value));
        else if (d != *field)
          {
            *field = d;
            projection_changed (self, prop_id);
          }
      }
      break;
    case PROP_ATTENTION:
      {
        TriadKvAttention a;
        int groups = -1;

        if (!triad_kv_attention_parse (g_value_get_string (value), &a, &groups))
          g_warning ("No attention “%s”", g_value_get_string (value));
        else
          set_attention (self, a, a == TRIAD_KV_GQA ? groups : -1);
      }
      break;
    case PROP_HONOUR_WINDOW:
      if (g_value_get_boolean (value) == self->options.ignore_window)
        {
          self->options.ignore_window = !g_value_get_boolean (value);
          projection_changed (self, PROP_HONOUR_WINDOW);
        }
      break;
    case PROP_PAGED:
      if (g_value_get_boolean (value) != self->options.paged)
        {
          self->options.paged = g_value_get_boolean (value);
          projection_changed (self, PROP_PAGED);
        }
      break;
    case PROP_GIB:
      set_gib (self, g_value_get_boolean (value));
      break;
    case PROP_LOG_AXES:
      set_log_axes (self, g_value_get_boolean (value));
      break;
    case PROP_KV_BLOCK:
      set_kv_block (self, g_value_get_int (value));
      break;
    case PROP_SAMPLING:
      set_sampling (self, g_value_get_boolean (value));
      break;
    case PROP_MAX_TOKENS:
      set_max_tokens (self, g_value_get_int (value));
      break;
    case PROP_PLAYING:
      set_playing (self, g_value_get_boolean (value));
      break;
    case PROP_FONT_SCALE:
      if (g_value_get_double (value) != self->font_scale)
        {
          self->font_scale = g_value_get_double (value);
          gtk_widget_queue_draw (GTK_WIDGET (self->growth_area));
          gtk_widget_queue_draw (GTK_WIDGET (self->chart_area));
          gtk_widget_queue_draw (GTK_WIDGET (self->bars_area));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
triad_kv_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TriadKvPage *self = TRIAD_KV_PAGE (object);
  const TriadLlmPreset *p = current_preset (self);

  switch (prop_id)
    {
    case PROP_BUSY: g_value_set_boolean (value, self->busy); break;
    case PROP_PRESET: g_value_set_string (value, is_custom (self) ? "custom"
                                                 : p != NULL ? p->id : NULL); break;
    case PROP_CONTEXT: g_value_set_int (value, (int) self->options.tokens); break;
    case PROP_BATCH: g_value_set_int (value, (int) self->options.batch); break;
    case PROP_KV_DTYPE: g_value_set_string (value, triad_dtype_to_string (self->options.kv_dtype)); break;
    case PROP_WEIGHT_DTYPE:
      g_value_set_string (value, triad_dtype_to_string (self->options.weight_dtype));
      break;
    case PROP_ATTENTION:
      if (self->options.attention == TRIAD_KV_GQA)
        g_value_take_string (value, g_strdup_printf ("gqa:%d", self->options.gqa_groups));
      else
        g_value_set_string (value, triad_kv_attention_to_string (self->options.attention));
      break;
    case PROP_HONOUR_WINDOW: g_value_set_boolean (value, !self->options.ignore_window); break;
    case PROP_PAGED: g_value_set_boolean (value, self->options.paged); break;
    case PROP_GIB: g_value_set_boolean (value, self->gib); break;
    case PROP_LOG_AXES: g_value_set_boolean (value, self->log_axes); break;
    case PROP_KV_BLOCK: g_value_set_int (value, self->kv_block); break;
    case PROP_SAMPLING: g_value_set_boolean (value, self->sampling); break;
    case PROP_MAX_TOKENS: g_value_set_int (value, self->max_tokens); break;
    case PROP_PLAYING: g_value_set_boolean (value, self->playing); break;
    case PROP_FONT_SCALE: g_value_set_double (value, self->font_scale); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
triad_kv_page_unmap (GtkWidget *widget)
{
  /* nobody watches a hidden page play */
  stop_playing (TRIAD_KV_PAGE (widget));
  GTK_WIDGET_CLASS (triad_kv_page_parent_class)->unmap (widget);
}

static void
triad_kv_page_dispose (GObject *object)
{
  TriadKvPage *self = TRIAD_KV_PAGE (object);

  g_clear_handle_id (&self->play_id, g_source_remove);
  self->playing = FALSE;
  self->run_id++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->live, triad_kv_live_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TRIAD_TYPE_KV_PAGE);
  triad_view_unparent_children (GTK_WIDGET (self));
  G_OBJECT_CLASS (triad_kv_page_parent_class)->dispose (object);
}

static void
triad_kv_page_finalize (GObject *object)
{
  TriadKvPage *self = TRIAD_KV_PAGE (object);

  g_free (self->text);
  g_array_unref (self->s_tokens);
  g_array_unref (self->s_layer_bytes);
  g_array_unref (self->s_cached);
  g_array_unref (self->s_recompute);
  g_array_unref (self->s_ids);
  g_string_free (self->generated, TRUE);
  g_free (self->live_error);
  g_free (self->live_status_text);
  g_clear_pointer (&self->presets, g_ptr_array_unref);
  g_free (self->presets_error);
  triad_llm_preset_free (self->custom);
  g_array_unref (self->curve_tokens);
  g_array_unref (self->curve_kv);
  for (int k = 0; k < 2; k++)
    g_free (self->bar_labels[k]);
  for (int i = 0; i < TRIAD_N_GPU_SIZES; i++)
    g_free (self->gpu_labels[i]);
  g_free (self->chart_title);
  g_free (self->bars_title);
  g_free (self->readout_text);
  G_OBJECT_CLASS (triad_kv_page_parent_class)->finalize (object);
}

static void
triad_kv_page_class_init (TriadKvPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->set_property = triad_kv_page_set_property;
  object_class->get_property = triad_kv_page_get_property;
  object_class->dispose = triad_kv_page_dispose;
  object_class->finalize = triad_kv_page_finalize;
  widget_class->unmap = triad_kv_page_unmap;

  /* the projection: a preset id (or "custom") and the options, as `triad kv` takes them */
  properties[PROP_PRESET] = g_param_spec_string ("preset", NULL, NULL, DEFAULT_PRESET, rw);
  properties[PROP_CONTEXT] = g_param_spec_int ("context", NULL, NULL, 1, (int) MAX_CONTEXT,
                                               8192, rw);
  properties[PROP_BATCH] = g_param_spec_int ("batch", NULL, NULL, 1, 1024, 1, rw);
  properties[PROP_KV_DTYPE] = g_param_spec_string ("kv-dtype", NULL, NULL, "f16", rw);
  properties[PROP_WEIGHT_DTYPE] = g_param_spec_string ("weight-dtype", NULL, NULL, "f16", rw);
  properties[PROP_ATTENTION] = g_param_spec_string ("attention", NULL, NULL, "published", rw);
  properties[PROP_HONOUR_WINDOW] = g_param_spec_boolean ("honour-window", NULL, NULL, TRUE, rw);
  properties[PROP_PAGED] = g_param_spec_boolean ("paged", NULL, NULL, FALSE, rw);
  properties[PROP_GIB] = g_param_spec_boolean ("gib", NULL, NULL, FALSE, rw);
  properties[PROP_LOG_AXES] = g_param_spec_boolean ("log-axes", NULL, NULL, TRUE, rw);
  /* the live run: positions the cache grows by (1, or the engine's 16), and its decoding */
  properties[PROP_KV_BLOCK] = g_param_spec_int ("kv-block", NULL, NULL, 1, ENGINE_KV_BLOCK, 1,
                                                rw);
  properties[PROP_SAMPLING] = g_param_spec_boolean ("sampling", NULL, NULL, FALSE, rw);
  properties[PROP_MAX_TOKENS] = g_param_spec_int ("max-tokens", NULL, NULL, 1, G_MAXINT,
                                                  DEFAULT_MAX_TOKENS, rw);
  properties[PROP_PLAYING] = g_param_spec_boolean ("playing", NULL, NULL, FALSE, rw);
  properties[PROP_FONT_SCALE] = g_param_spec_double ("font-scale", NULL, NULL, 0.5, 4.0, 1.0, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_BUSY, "busy");

  gtk_widget_class_set_template_from_resource (widget_class, "/org/triad/Triad/triad-kv-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, live_controls);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, reset_button);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, play_button);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, step_button);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, speed_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, sampling_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, max_spin);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, blocks_button);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, live_note);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, growth_area);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, live_status);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, text_scroller);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, text_label);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, projection_controls);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, preset_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, custom_button);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, custom_arch);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, custom_layers);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, custom_heads);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, custom_kv_heads);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, custom_head_dim);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, custom_window);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, custom_latent);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, custom_context);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, custom_params);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, batch_spin);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, kv_dtype_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, weight_dtype_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, attention_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, gqa_spin);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, window_switch);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, paged_switch);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, gb_button);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, gib_button);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, log_button);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, linear_button);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, context_scale);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, context_spin);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, chart_area);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, bars_area);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, readout);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, message);
  gtk_widget_class_bind_template_callback (widget_class, reset_clicked);
  gtk_widget_class_bind_template_callback (widget_class, play_toggled);
  gtk_widget_class_bind_template_callback (widget_class, step_clicked);
  gtk_widget_class_bind_template_callback (widget_class, speed_selected);
  gtk_widget_class_bind_template_callback (widget_class, sampling_selected);
  gtk_widget_class_bind_template_callback (widget_class, max_changed);
  gtk_widget_class_bind_template_callback (widget_class, blocks_toggled);
  gtk_widget_class_bind_template_callback (widget_class, preset_selected);
  gtk_widget_class_bind_template_callback (widget_class, custom_popover_shown);
  gtk_widget_class_bind_template_callback (widget_class, custom_changed);
  gtk_widget_class_bind_template_callback (widget_class, custom_arch_selected);
  gtk_widget_class_bind_template_callback (widget_class, batch_changed);
  gtk_widget_class_bind_template_callback (widget_class, kv_dtype_selected);
  gtk_widget_class_bind_template_callback (widget_class, weight_dtype_selected);
  gtk_widget_class_bind_template_callback (widget_class, attention_selected);
  gtk_widget_class_bind_template_callback (widget_class, gqa_changed);
  gtk_widget_class_bind_template_callback (widget_class, window_toggled);
  gtk_widget_class_bind_template_callback (widget_class, paged_toggled);
  gtk_widget_class_bind_template_callback (widget_class, unit_toggled);
  gtk_widget_class_bind_template_callback (widget_class, axes_toggled);
  gtk_widget_class_bind_template_callback (widget_class, context_scale_changed);
  gtk_widget_class_bind_template_callback (widget_class, context_spin_changed);

  /* Space plays and pauses, → steps, ← starts again (where the focused control does not
   * take the key itself) */
  gtk_widget_class_add_binding (widget_class, GDK_KEY_space, 0, key_binding, "s", "play");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Right, 0, key_binding, "s", "step");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Left, 0, key_binding, "s", "reset");

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "kvpage");
}

/* Flow box children take no focus of their own: the controls in them do. */
static void
unfocus_children (GtkFlowBox *box)
{
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (box)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    gtk_widget_set_focusable (c, FALSE);
}

static void
add_marks (TriadKvPage *self)
{
  const double marks[] = { MIN_CONTEXT, MARK_8K, MARK_100K, MAX_CONTEXT };

  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    {
      g_autofree char *label = triad_figure_format_tokens (marks[i]);

      gtk_scale_add_mark (self->context_scale, log10 (marks[i]), GTK_POS_BOTTOM, label);
    }
}

static void
triad_kv_page_init (TriadKvPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkExpression) name = NULL;
  GtkEventController *motion;

  self->kv_block = 1;
  self->max_tokens = DEFAULT_MAX_TOKENS;
  self->font_scale = 1.0;
  self->log_axes = TRUE;
  self->growth_hover = -1;
  self->hover_tokens = -1.0;
  self->prefill_seconds = -1.0;
  self->s_tokens = g_array_new (FALSE, FALSE, sizeof (double));
  self->s_layer_bytes = g_array_new (FALSE, FALSE, sizeof (double));
  self->s_cached = g_array_new (FALSE, FALSE, sizeof (double));
  self->s_recompute = g_array_new (FALSE, FALSE, sizeof (double));
  self->s_ids = g_array_new (FALSE, FALSE, sizeof (int));
  self->generated = g_string_new (NULL);
  self->curve_tokens = g_array_new (FALSE, FALSE, sizeof (double));
  self->curve_kv = g_array_new (FALSE, FALSE, sizeof (double));
  self->cancellable = g_cancellable_new ();
  triad_kv_options_init (&self->options);
  self->options.gqa_groups = 8;
  self->custom = triad_llm_preset_new_custom ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->presets = triad_llm_presets_shared (&error);
  if (self->presets == NULL)
    self->presets_error = g_strdup (error->message);
  /* the model list searches the names as typed */
  name = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->preset_dropdown, name);
  fill_presets (self);
  /* a new list selects its first entry: that is no choice of the user's */
  self->syncing = TRUE;
  fill_dtypes (self->kv_dtype_dropdown);
  fill_dtypes (self->weight_dtype_dropdown);
  self->syncing = FALSE;
  unfocus_children (self->live_controls);
  unfocus_children (self->projection_controls);
  add_marks (self);
  self->preset_index = self->presets != NULL ? self->presets->len : 0;
  if (!set_preset_id (self, DEFAULT_PRESET))
    projection_changed (self, PROP_0);

  gtk_drawing_area_set_draw_func (self->growth_area, draw_growth, self, NULL);
  gtk_drawing_area_set_draw_func (self->chart_area, draw_chart, self, NULL);
  gtk_drawing_area_set_draw_func (self->bars_area, draw_bars, self, NULL);
  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (chart_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (chart_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self->chart_area), motion);
  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (growth_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (growth_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self->growth_area), motion);
  for (guint i = 0; i < 2; i++)
    {
      GtkGesture *click = gtk_gesture_click_new ();

      g_signal_connect (click, "pressed", G_CALLBACK (area_pressed), self);
      gtk_widget_add_controller (GTK_WIDGET (i == 0 ? self->growth_area : self->chart_area),
                                 GTK_EVENT_CONTROLLER (click));
    }
  g_signal_connect (gtk_scrolled_window_get_vadjustment (self->text_scroller), "changed",
                    G_CALLBACK (scroll_to_end), self);
  if (self->presets_error != NULL)
    {
      gtk_label_set_text (self->message, self->presets_error);
      gtk_widget_set_visible (GTK_WIDGET (self->message), TRUE);
    }
  update_live (self);
}
