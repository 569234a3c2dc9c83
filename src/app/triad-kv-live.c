/* triad-kv-live.c — the KV Cache page's live panel: the shipped decoder continues the
 * window's text one step at a time in a worker thread, played, stepped or started again,
 * each step handed to the page's scene, which charts what the engine allocated for K and V. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "engine/error.h"
#include "engine/numbers.h"
#include "engine/tokenizer.h"

#include "app/triad-kv-page-private.h"
#include "engine/kvquant.h"
#include "app/triad-model-list.h"
#include "app/triad-view.h"

/* Milliseconds between steps while playing: slow, normal, fast (as fast as they compute). */
static const guint speed_ms[] = { 600, 150, 10 };

static void kick (TriadKvPage *self);

/* ---- the live run: computing -------------------------------------------------------- */

/* The worker: the scene's next step of the run data (a TriadKvLive, which the computation
 * holds a reference on). */
static gpointer
step_thread (gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  return triad_kv_scene_compute_live (data, 1, cancellable, error);
}

gboolean
triad_kv_live_done (TriadKvPage *self)
{
  return self->live == NULL || self->exhausted
         || triad_kv_scene_get_n_steps (self->scene) >= self->max_tokens;
}

/* The text the run generated, as the model's tokenizer decodes it (GPT-2's "Ġ" and the
 * shipped models' "▁" become spaces): the prompt and what follows decoded together, less the
 * prompt, so that the space before the first new word stays. An end of text (the toy model
 * ends its sentences soon) starts a new line, and the run goes on past it. */
static void
update_generated (TriadKvPage *self)
{
  const TriadTokenizer *tok;
  const int *ids;
  int n, eos, start, from;

  g_string_truncate (self->generated, 0);
  if (self->live == NULL || self->decoder == NULL)
    return;
  tok = self->decoder->tokenizer;
  ids = triad_kv_live_get_ids (self->live, &n);
  eos = triad_model_special (self->decoder, TRIAD_TOKEN_EOS);
  start = 0;
  from = MIN (self->n_prompt, n);
  for (int i = from; i <= n; i++)
    if (i == n || ids[i] == eos)
      {
        g_autofree char *whole = triad_tokenizer_decode (tok, ids + start, i - start);
        g_autofree char *before = triad_tokenizer_decode (tok, ids + start, from - start);

        if (g_str_has_prefix (whole, before))
          g_string_append (self->generated, whole + strlen (before));
        else
          {
            g_autofree char *own = triad_tokenizer_decode (tok, ids + from, i - from);

            g_string_append (self->generated, own);
          }
        if (i < n)
          g_string_append (self->generated, " ⏎\n");
        start = from = i + 1;
      }
}

/* A step of the current run failed (the end of the decoder's positions is no failure but
 * the trace's exhausted): the run's status says why. */
static void
step_failed (TriadView    *view,
             const GError *error)
{
  TriadKvPage *self = TRIAD_KV_PAGE (view);

  self->pending = 0;
  triad_kv_scene_set_live_error (self->scene, error->message);
  triad_view_failed (TRIAD_VIEW (self), error->message);
  triad_kv_live_set_playing (self, FALSE);
  triad_kv_page_update_scene (self);
  triad_kv_page_update_busy (self);
}

/* What the live cache's format changes, computed on a copy of the run's tokens so that the
 * run may go on meanwhile. */
typedef struct {
  const TriadModel *decoder;
  int              *ids;
  int               n;
  int               n_prompt;
  TriadDtype        dtype;
} CompareJob;

static void
compare_job_free (gpointer data)
{
  CompareJob *job = data;

  g_free (job->ids);
  g_free (job);
}

static gpointer
compare_thread (gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  CompareJob *job = data;

  return triad_kv_scene_compare_ids (job->decoder, job->ids, job->n, job->n_prompt, job->dtype,
                                     cancellable, error);
}

static void
compare_done (TriadView *view,
              gpointer   result)
{
  TriadKvPage *self = TRIAD_KV_PAGE (view);

  triad_kv_scene_set_quant (self->scene, result);
  gtk_widget_set_visible (GTK_WIDGET (self->difference_area), TRUE);
  triad_kv_page_update_scene (self);
  triad_kv_page_update_busy (self);
}

/* Once a run in another format than f32 stops (paused, finished, or a single step taken):
 * what that format changed over its tokens, in a worker. */
static void
compare_when_stopped (TriadKvPage *self)
{
  CompareJob *job;
  const int *ids;
  int n;

  if (self->live == NULL || self->live_dtype == TRIAD_DTYPE_F32 || self->pending > 0
      || self->playing || triad_kv_scene_get_n_steps (self->scene) == 0)
    return;
  ids = triad_kv_live_get_ids (self->live, &n);
  job = g_new0 (CompareJob, 1);
  job->decoder = self->decoder;
  job->ids = g_memdup2 (ids, sizeof (int) * n);
  job->n = n;
  job->n_prompt = self->n_prompt;
  job->dtype = self->live_dtype;
  triad_computation_start (self->comparing, compare_thread, job, compare_job_free);
}

/* A step of the current run (one of a run since replaced never comes here). */
static void
step_done (TriadView *view,
           gpointer   result)
{
  TriadKvPage *self = TRIAD_KV_PAGE (view);
  g_autoptr(TriadKvTrace) trace = result;

  triad_kv_scene_add_trace (self->scene, trace);
  update_generated (self);
  self->pending = MAX (self->pending - (int) trace->steps->len, 0);
  if (trace->exhausted)
    self->exhausted = TRUE;
  if (triad_kv_live_done (self))
    {
      self->pending = 0;
      triad_kv_live_set_playing (self, FALSE);
    }
  triad_kv_page_update_scene (self);
  kick (self);
  compare_when_stopped (self);
  triad_kv_page_update_busy (self);
}

/* Starts the next step asked for, when none is computing. */
static void
kick (TriadKvPage *self)
{
  if (triad_computation_get_busy (self->stepping) || self->pending <= 0
      || triad_kv_live_done (self))
    return;
  triad_computation_start (self->stepping, step_thread, triad_kv_live_ref (self->live),
                           (GDestroyNotify) triad_kv_live_unref);
  triad_kv_page_update_busy (self);
}

void
triad_kv_page_step_live (TriadKvPage *self,
                         int          n)
{
  g_return_if_fail (TRIAD_IS_KV_PAGE (self));

  if (n <= 0 || triad_kv_live_done (self))
    return;
  self->pending = MIN (self->pending + n,
                       self->max_tokens - triad_kv_scene_get_n_steps (self->scene));
  kick (self);
}

/* A new run of the decoder over the window's text: an empty cache, no samples. */
void
triad_kv_live_start_run (TriadKvPage *self)
{
  g_autoptr(GError) error = NULL;
  const TriadKvLiveRequest request = { .kv_block = self->kv_block, .sampling = self->sampling,
                                       .kv_dtype = self->live_dtype };
  int n_prompt = 0;

  /* a step of the run before is dropped when it comes, and what its format changed */
  triad_computation_cancel (self->stepping);
  triad_computation_cancel (self->comparing);
  triad_kv_scene_set_quant (self->scene, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->difference_area), FALSE);
  g_clear_pointer (&self->live, triad_kv_live_unref);
  g_string_truncate (self->generated, 0);
  self->pending = 0;
  self->exhausted = FALSE;
  self->growth_hover = -1;
  triad_kv_scene_set_live (self->scene, 0, 0, NULL);

  if (self->decoder != NULL)
    {
      self->live = triad_kv_scene_live_new (self->decoder, self->text, &request, &n_prompt,
                                            &error);
      self->n_prompt = n_prompt;
      if (self->live == NULL)
        {
          triad_kv_scene_set_live (self->scene, 0, 0, error->message);
          triad_view_failed (TRIAD_VIEW (self), error->message);
        }
      else
        {
          int room = self->decoder->config.max_seq_len - n_prompt;

          triad_kv_scene_set_live (self->scene, n_prompt, self->decoder->config.n_dec_layers,
                                   NULL);
          /* the chart's title and the prompt's line name a real model as the export does */
          triad_kv_scene_set_live_decoder (self->scene, self->decoder);
          triad_kv_scene_set_live_format (self->scene, self->live_dtype);
          /* the spin button, bound to max-tokens, clamps it to the room too */
          gtk_adjustment_set_upper (gtk_spin_button_get_adjustment (self->max_spin), room);
          if (self->max_tokens > room)
            {
              self->max_tokens = room;
              g_object_notify_by_pspec (G_OBJECT (self), triad_kv_page_properties[PROP_MAX_TOKENS]);
            }
        }
    }
  triad_kv_page_update_scene (self);
  triad_kv_page_update_busy (self);
}

void
triad_kv_page_reset_live (TriadKvPage *self)
{
  g_return_if_fail (TRIAD_IS_KV_PAGE (self));

  triad_kv_live_set_playing (self, FALSE);
  triad_kv_live_start_run (self);
}

/* ---- the live run: playing ---------------------------------------------------------- */

static gboolean
play_tick (gpointer data)
{
  TriadKvPage *self = data;

  if (triad_kv_live_done (self))
    {
      self->play_id = 0;
      triad_kv_live_set_playing (self, FALSE);
      return G_SOURCE_REMOVE;
    }
  if (!triad_computation_get_busy (self->stepping) && self->pending == 0)
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

void
triad_kv_live_set_playing (TriadKvPage *self,
             gboolean     playing)
{
  if (playing && self->live == NULL)
    playing = FALSE;
  if (playing == self->playing)
    {
      show_playing (self);
      return;
    }
  if (playing && triad_kv_live_done (self))
    triad_kv_live_start_run (self);
  self->playing = playing;
  show_playing (self);
  restart_timer (self);
  if (playing)
    {
      /* what a comparison had found no longer holds for the run going on */
      triad_computation_cancel (self->comparing);
      play_tick (self);
    }
  else
    compare_when_stopped (self);
  triad_kv_page_update_busy (self);
  triad_kv_page_update_scene (self);
  g_object_notify_by_pspec (G_OBJECT (self), triad_kv_page_properties[PROP_PLAYING]);
}

static void
play_toggled (GtkToggleButton *button,
              TriadKvPage     *self)
{
  if (!self->syncing)
    triad_kv_live_set_playing (self, gtk_toggle_button_get_active (button));
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

void
triad_kv_live_set_dtype (TriadKvPage *self,
                         TriadDtype   dtype)
{
  if (dtype == self->live_dtype || !triad_kv_dtype_supported (dtype))
    return;
  self->live_dtype = dtype;
  g_object_notify_by_pspec (G_OBJECT (self), triad_kv_page_properties[PROP_LIVE_DTYPE]);
  /* another format is another cache: the run starts again */
  triad_kv_live_start_run (self);
  triad_kv_page_update_scene (self);
}

void
triad_kv_live_set_sampling (TriadKvPage *self,
              gboolean     sampling)
{
  if (sampling == self->sampling)
    return;
  self->sampling = sampling;
  triad_kv_page_reset_live (self);
  g_object_notify_by_pspec (G_OBJECT (self), triad_kv_page_properties[PROP_SAMPLING]);
}

void
triad_kv_live_set_kv_block (TriadKvPage *self,
              int          block)
{
  block = block > 1 ? TRIAD_KV_PAGE_ENGINE_BLOCK : 1;
  if (block == self->kv_block)
    return;
  self->kv_block = block;
  triad_kv_page_reset_live (self);
  g_object_notify_by_pspec (G_OBJECT (self), triad_kv_page_properties[PROP_KV_BLOCK]);
}

void
triad_kv_live_set_max_tokens (TriadKvPage *self,
                int          max_tokens)
{
  max_tokens = MAX (max_tokens, 1);
  if (max_tokens == self->max_tokens)
    return;
  self->max_tokens = max_tokens;
  self->pending = MIN (self->pending,
                       MAX (max_tokens - triad_kv_scene_get_n_steps (self->scene), 0));
  triad_kv_page_update_scene (self);
  g_object_notify_by_pspec (G_OBJECT (self), triad_kv_page_properties[PROP_MAX_TOKENS]);
}

/* ---- the live run: showing ---------------------------------------------------------- */

static char *
live_note_text (TriadKvPage *self)
{
  const TriadConfig *c;
  g_autofree char *per = NULL, *block = NULL;
  size_t per_token;

  if (self->decoder == NULL)
    return g_strdup ("");
  c = &self->decoder->config;
  per_token = 2 * (size_t) c->n_dec_layers
              * triad_kv_row_bytes (self->live_dtype, triad_config_kv_heads (c),
                                    triad_config_head_dim (c));
  per = triad_format_uint (per_token);
  if (self->live_dtype != TRIAD_DTYPE_F32)
    {
      const char *format = triad_dtype_to_string (self->live_dtype);

      if (self->kv_block > 1)
        {
          block = triad_format_uint (per_token * self->kv_block);
          /* TRANSLATORS: the bytes of one token, the cache's number format ("int8"), the
           * positions of a block, the bytes of a block */
          return g_strdup_printf (_("A token needs %s bytes with the cache in %s (worked out "
                                    "under the chart), but the engine allocates %d positions "
                                    "at a time, %s bytes a block, as paged attention does."),
                                  per, format, self->kv_block, block);
        }
      /* TRANSLATORS: the bytes of one token, the cache's number format ("int8") */
      return g_strdup_printf (_("Each token adds %s bytes with the cache in %s (worked out under "
                                "the chart). The engine usually allocates 16 positions at a "
                                "time; here it allocates one a token (see “Blocks of 16”)."),
                              per, format);
    }
  if (self->kv_block > 1)
    {
      block = triad_format_uint (per_token * self->kv_block);
      /* TRANSLATORS: layers, values a position (K/V heads × head size), the bytes of one
       * token, the positions of a block, the bytes of a block */
      return g_strdup_printf (_("A token needs 2 (K and V) × %d layers × %d values × 4 bytes "
                                "(f32) = %s bytes, but the engine allocates %d positions at "
                                "a time, %s bytes a block, as paged attention does."),
                              c->n_dec_layers, triad_config_kv_dim (c), per, self->kv_block,
                              block);
    }
  /* TRANSLATORS: layers, values a position (K/V heads × head size), the bytes of one token */
  return g_strdup_printf (_("Each token adds 2 (K and V) × %d layers × %d values × 4 bytes (f32) "
                            "= %s bytes. The engine usually allocates 16 positions at a time; "
                            "here it allocates one a token (see “Blocks of 16”)."),
                          c->n_dec_layers, triad_config_kv_dim (c), per);
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

void
triad_kv_live_update_labels (TriadKvPage *self)
{
  g_autofree char *note = live_note_text (self);
  const char *status = triad_kv_scene_get_live_status (self->scene);

  gtk_label_set_text (self->live_note, note);
  if (self->decoder != NULL && self->decoder->path != NULL
      && !triad_config_is_triad (&self->decoder->config))
    {
      g_autofree char *name = triad_model_display_name (self->decoder->path);
      /* TRANSLATORS: heading of the live half of the KV Cache view; %s is a model's name */
      g_autofree char *heading = g_strdup_printf (_("Live: %s"), name);

      gtk_label_set_text (self->live_heading, heading);
    }
  else
    gtk_label_set_text (self->live_heading, _("Live: the shipped decoder"));
  if (self->live != NULL && triad_kv_scene_get_n_steps (self->scene) == 0)
    {
      /* on screen the keys that start the run; the exported figure has no keyboard */
      g_autofree char *shown = g_strdup_printf ("%s %s", status,
                                                /* TRANSLATORS: after "The prompt is 8 tokens,
                                                 * <bos> included." */
                                                _("Play (Space) or step (→) to generate."));
      gtk_label_set_text (self->live_status, shown);
    }
  else
    gtk_label_set_text (self->live_status, status != NULL && *status != '\0' ? status : " ");
  update_text (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->step_button), !triad_kv_live_done (self));
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

static gboolean
key_binding (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  TriadKvPage *self = TRIAD_KV_PAGE (widget);
  const char *what = g_variant_get_string (args, NULL);

  if (g_str_equal (what, "play"))
    triad_kv_live_set_playing (self, !self->playing);
  else if (g_str_equal (what, "step"))
    triad_kv_page_step_live (self, 1);
  else
    triad_kv_page_reset_live (self);
  return TRUE;
}

void
triad_kv_live_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, reset_clicked);
  gtk_widget_class_bind_template_callback (widget_class, play_toggled);
  gtk_widget_class_bind_template_callback (widget_class, step_clicked);
  gtk_widget_class_bind_template_callback (widget_class, speed_selected);

  /* Space plays and pauses, → steps, ← starts again (where the focused control does not
   * take the key itself) */
  gtk_widget_class_add_binding (widget_class, GDK_KEY_space, 0, key_binding, "s", "play");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Right, 0, key_binding, "s", "step");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Left, 0, key_binding, "s", "reset");
}

/* The blocks button is on for the engine's blocks, off for one position at a time. */
static gboolean
block_to_active (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      user_data)
{
  g_value_set_boolean (to, g_value_get_int (from) > 1);
  return TRUE;
}

static gboolean
active_to_block (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      user_data)
{
  g_value_set_int (to, g_value_get_boolean (from) ? TRIAD_KV_PAGE_ENGINE_BLOCK : 1);
  return TRUE;
}

/* The live cache's formats, in the list's order. */
static const TriadDtype live_dtypes[] = { TRIAD_DTYPE_F32, TRIAD_DTYPE_F16, TRIAD_DTYPE_BF16,
                                          TRIAD_DTYPE_INT8, TRIAD_DTYPE_INT4 };

static gboolean
dtype_to_selected (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      user_data)
{
  for (guint i = 0; i < G_N_ELEMENTS (live_dtypes); i++)
    if (live_dtypes[i] == (TriadDtype) g_value_get_enum (from))
      {
        g_value_set_uint (to, i);
        return TRUE;
      }
  return FALSE;
}

static gboolean
selected_to_dtype (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      user_data)
{
  guint selected = g_value_get_uint (from);

  if (selected >= G_N_ELEMENTS (live_dtypes))
    return FALSE;
  g_value_set_enum (to, live_dtypes[selected]);
  return TRUE;
}

/* The sampling list: greedy, then sampling. */
static gboolean
sampling_to_selected (GBinding     *binding,
                      const GValue *from,
                      GValue       *to,
                      gpointer      user_data)
{
  g_value_set_uint (to, g_value_get_boolean (from) ? 1 : 0);
  return TRUE;
}

static gboolean
selected_to_sampling (GBinding     *binding,
                      const GValue *from,
                      GValue       *to,
                      gpointer      user_data)
{
  guint selected = g_value_get_uint (from);

  if (selected > 1)
    return FALSE;
  g_value_set_boolean (to, selected == 1);
  return TRUE;
}

void
triad_kv_live_init (TriadKvPage *self)
{
  g_object_bind_property_full (self, "kv-block", self->blocks_button, "active",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               block_to_active, active_to_block, NULL, NULL);
  g_object_bind_property_full (self, "sampling", self->sampling_dropdown, "selected",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               sampling_to_selected, selected_to_sampling, NULL, NULL);
  g_object_bind_property (self, "max-tokens", self->max_spin, "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  self->stepping = triad_computation_new (TRIAD_VIEW (self), NULL, step_done,
                                          (GDestroyNotify) triad_kv_trace_free);
  self->comparing = triad_computation_new (TRIAD_VIEW (self), NULL, compare_done,
                                           (GDestroyNotify) triad_kv_quant_view_free);
  g_object_bind_property_full (self, "live-dtype", self->live_dtype_dropdown, "selected",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               dtype_to_selected, selected_to_dtype, NULL, NULL);
  triad_computation_set_failed_func (self->stepping, step_failed);
  g_signal_connect (gtk_scrolled_window_get_vadjustment (self->text_scroller), "changed",
                    G_CALLBACK (scroll_to_end), self);
}
