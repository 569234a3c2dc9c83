/* triad-kv-page.c — the KV Cache view. On the left the shipped decoder continues the window's
 * text one step at a time (triad-kv-live.c), and the chart plots what the engine has really
 * allocated for K and V, layer by layer, with each step's time with the cache and with a full
 * recompute. On the right the memory model projects the cache of real LLMs from their
 * published shapes (triad-kv-projection.c): against the context, over the weights, under the
 * memory of common GPUs. This file holds the page together: its scene (scenes/kv-scene.h),
 * which draws the three charts on screen and the whole figure for export, as `triad export
 * --view kv` does; pointing; the view's interface; properties. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "figures/figures.h"

#include "app/triad-kv-page-private.h"
#include "app/triad-view.h"
#include "triad-enum-types.h"
#include "scenes/scene-adapters.h"

/* The exported figure's size when the charts are not laid out yet. */
#define FIGURE_GAP      12.0
#define FALLBACK_WIDTH  1300.0
#define FALLBACK_HEIGHT 420.0

static void triad_kv_page_view_init (TriadViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TriadKvPage, triad_kv_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (TRIAD_TYPE_VIEW, triad_kv_page_view_init))

GParamSpec *triad_kv_page_properties[N_PROPS];

/* ---- the scene ---------------------------------------------------------------------- */

gboolean
triad_kv_page_is_busy (TriadKvPage *self)
{
  return triad_computation_get_busy (self->loading)
         || (triad_computation_get_busy (self->stepping) && !self->playing)
         || triad_computation_get_busy (self->comparing);
}

void
triad_kv_page_update_busy (TriadKvPage *self)
{
  gboolean busy = triad_kv_page_is_busy (self);

  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify (G_OBJECT (self), "busy");
}

static TriadSceneView *
panel_view (TriadKvPage  *self,
            TriadKvPanel  panel)
{
  return panel == TRIAD_KV_PANEL_GROWTH ? self->growth_area
         : panel == TRIAD_KV_PANEL_CHART ? self->chart_area
         : panel == TRIAD_KV_PANEL_DIFFERENCE ? self->difference_area : self->bars_area;
}

void
triad_kv_page_update_scene (TriadKvPage *self)
{
  const TriadLlmPreset *p = triad_kv_projection_current (self);
  TriadKvSceneOptions opt;
  const char *readout;
  gboolean is_error;

  if (self->scene == NULL || self->readout == NULL)
    return;   /* the template is not built yet */
  triad_kv_scene_options_init (&opt);
  opt.kv = self->options;
  opt.gib = self->gib;
  opt.log_axes = self->log_axes;
  opt.hover_tokens = self->hover_tokens;
  opt.kv_block = self->kv_block;
  opt.max_steps = self->max_tokens;
  opt.growth_hover = self->growth_hover;
  opt.cmap = self->cmap;
  opt.hint = self->live != NULL;
  triad_kv_scene_set_presets (self->scene, &p, p != NULL ? 1 : 0);
  /* each panel's view keeps the options it draws with; any of them updates the one scene */
  for (TriadKvPanel panel = TRIAD_KV_PANEL_GROWTH; panel <= TRIAD_KV_PANEL_DIFFERENCE; panel++)
    {
      TriadSceneView *view = panel_view (self, panel);

      triad_scene_view_set_font_scale (view, self->font_scale);
      if (triad_scene_view_get_scene (view) == NULL)
        triad_scene_view_set_scene (view, triad_kv_scene_panel_as_scene (self->scene, panel,
                                                                          &opt));
      else
        triad_scene_set_options (triad_scene_view_get_scene (view), &opt);
    }

  readout = triad_kv_scene_get_readout (self->scene, &is_error);
  gtk_label_set_text (self->readout, readout != NULL ? readout : " ");
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->readout), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->readout), "error");
  triad_kv_live_update_labels (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->growth_area));
  gtk_widget_queue_draw (GTK_WIDGET (self->chart_area));
  gtk_widget_queue_draw (GTK_WIDGET (self->bars_area));
}

/* The theme's style, on the window's background (the views are opaque, ui/triad-kv-page.ui):
 * the memory figures draw their legend and readout boxes on the style's background, and on
 * white when it is transparent, where a dark theme's light text cannot be read. */
static void
get_style (TriadKvPage      *self,
           TriadFigureStyle *style)
{
  triad_scene_view_get_style (self->chart_area, style);
}

/* ---- pointing ------------------------------------------------------------------------ */

double
triad_kv_page_hover_chart (TriadKvPage *self,
                           double       x,
                           double       y)
{
  TriadScenePart part;

  g_return_val_if_fail (TRIAD_IS_KV_PAGE (self), -1.0);

  triad_scene_view_hover_at (self->chart_area, x, y);
  triad_scene_view_get_hover (self->chart_area, &part);
  return part.panel == 1 ? part.value : -1.0;
}

double
triad_kv_page_get_chart_readout_tokens (TriadKvPage *self)
{
  g_return_val_if_fail (TRIAD_IS_KV_PAGE (self), -1.0);

  return self->hover_tokens > 0.0 ? self->hover_tokens : (double) self->options.tokens;
}

/* The pointer moved over the memory chart: its readout box goes to the context there. */
static void
chart_hover_changed (TriadSceneView       *view,
                     const TriadScenePart *part,
                     TriadKvPage          *self)
{
  double t = part->panel == 1 ? part->value : -1.0;

  if (t == self->hover_tokens)
    return;
  self->hover_tokens = t;
  triad_kv_page_update_scene (self);
}

/* The pointer moved over the live chart: the status tells the step there. */
static void
growth_hover_changed (TriadSceneView       *view,
                      const TriadScenePart *part,
                      TriadKvPage          *self)
{
  int hover = part->panel == 0 ? part->row : -1;

  if (hover == self->growth_hover)
    return;
  self->growth_hover = hover;
  triad_kv_page_update_scene (self);
}

/* ---- TriadView ---------------------------------------------------------------------- */

static double
area_size (TriadSceneView *area,
           gboolean        width,
           double          fallback)
{
  int v = width ? gtk_widget_get_width (GTK_WIDGET (area))
                : gtk_widget_get_height (GTK_WIDGET (area));

  return v > 16 ? v : fallback;
}

/* The figure as wide as the three charts on screen and the gaps between them, as high as they
 * are and the readouts under them. */
static gboolean
view_get_figure_size (TriadView *view,
                      double    *width,
                      double    *height)
{
  TriadKvPage *self = TRIAD_KV_PAGE (view);
  TriadFigureStyle style;
  double w = gtk_widget_get_width (GTK_WIDGET (self->growth_area))
             + gtk_widget_get_width (GTK_WIDGET (self->chart_area))
             + gtk_widget_get_width (GTK_WIDGET (self->bars_area)) + 2 * FIGURE_GAP;
  double plot_h = MAX (area_size (self->growth_area, FALSE, FALLBACK_HEIGHT),
                       area_size (self->chart_area, FALSE, FALLBACK_HEIGHT));

  if (w < 100)
    w = FALLBACK_WIDTH;
  get_style (self, &style);
  *width = w;
  *height = triad_kv_scene_natural_height (self->scene, &style, w, plot_h);
  return triad_kv_scene_get_estimate (self->scene) != NULL
         || triad_kv_scene_get_n_steps (self->scene) > 0;
}

/* What the export draws: no hover, no hint, as `triad export --view kv` draws it. */
static void
view_draw_figure_with_style (TriadView              *view,
                             cairo_t                *cr,
                             const TriadFigureStyle *style,
                             double                  width,
                             double                  height)
{
  TriadKvPage *self = TRIAD_KV_PAGE (view);
  TriadFigureStyle s = *style;
  double hover_tokens = self->hover_tokens;
  int growth = self->growth_hover;

  /* the theme's style comes with the window's background left out; the legend boxes need
   * one to stand on */
  if (s.bg[3] <= 0.0)
    {
      TriadFigureStyle opaque;

      get_style (self, &opaque);
      memcpy (s.bg, opaque.bg, sizeof s.bg);
    }
  self->hover_tokens = -1.0;
  self->growth_hover = -1;
  triad_kv_page_update_scene (self);
  triad_kv_scene_draw (self->scene, cr, &s, width, height);
  self->hover_tokens = hover_tokens;
  self->growth_hover = growth;
  triad_kv_page_update_scene (self);
}

static void
view_draw_figure (TriadView *view,
                  cairo_t   *cr,
                  double     width,
                  double     height)
{
  TriadKvPage *self = TRIAD_KV_PAGE (view);
  TriadFigureStyle style;

  get_style (self, &style);
  view_draw_figure_with_style (view, cr, &style, width, height);
}

static void
view_relabel (TriadView *view)
{
  triad_kv_page_update_scene (TRIAD_KV_PAGE (view));
}

typedef struct {
  TriadApplication *app;
  char             *id;
} LoadRequest;

static void
load_request_free (LoadRequest *r)
{
  g_object_unref (r->app);
  g_free (r->id);
  g_free (r);
}

static gpointer
load_thread (gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  LoadRequest *r = data;

  return triad_application_get_model_by_id (r->app, r->id, error);
}

static void
decoder_loaded (TriadView *view,
                gpointer   result)
{
  TriadKvPage *self = TRIAD_KV_PAGE (view);

  self->decoder = result;
  triad_kv_projection_set_live_model (self, self->decoder);
  triad_kv_page_reset_live (self);
}

/* The model the live run takes: the chosen one when it is decoder-only (the engine's live
 * cache runs those alone), else the shipped decoder. */
static const char *
live_model_id (TriadApplication *app,
               const char       *model)
{
  TriadArch arch;

  if (model != NULL && triad_application_model_arch (app, model, &arch, NULL)
      && arch == TRIAD_ARCH_DECODER)
    return model;
  return "decoder";
}

static void
view_set_input (TriadView        *view,
                TriadApplication *app,
                const char       *model,
                const char       *text)
{
  TriadKvPage *self = TRIAD_KV_PAGE (view);
  const char *id = live_model_id (app, model);
  TriadModel *decoder = triad_application_peek_model_by_id (app, id);

  if (self->presets_error != NULL)
    triad_view_failed (view, self->presets_error);
  /* until the model is loaded (the first time, in a worker) set_input returns at once, and
   * the run starts when it is; once loaded, a new run starts here (it steps only when
   * asked). The run before stays while another model loads, and if it fails to. */
  if (decoder == NULL)
    {
      LoadRequest *r = g_new0 (LoadRequest, 1);

      r->app = g_object_ref (app);
      r->id = g_strdup (id);
      g_free (self->text);
      self->text = g_strdup (text);
      triad_computation_start (self->loading, load_thread, r, (GDestroyNotify) load_request_free);
      triad_kv_page_update_busy (self);
      return;
    }
  triad_computation_cancel (self->loading);
  triad_kv_page_update_busy (self);
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
  iface->draw_figure_with_style = view_draw_figure_with_style;
  iface->relabel = view_relabel;
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

  return triad_kv_scene_get_n_steps (self->scene);
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
  const TriadKvLiveStep *st;

  g_return_if_fail (TRIAD_IS_KV_PAGE (self));
  g_return_if_fail (i >= 0 && i < triad_kv_scene_get_n_steps (self->scene));

  st = triad_kv_scene_get_step (self->scene, i);
  if (tokens != NULL)
    *tokens = st->tokens;
  if (layer_bytes != NULL)
    *layer_bytes = st->layer_bytes;
  if (kv_bytes != NULL)
    *kv_bytes = (guint64) st->layer_bytes * triad_kv_scene_get_n_layers (self->scene);
  if (cached_seconds != NULL)
    *cached_seconds = st->cached_seconds;
  if (recompute_seconds != NULL)
    *recompute_seconds = st->recompute_seconds;
}

int
triad_kv_page_get_n_prompt (TriadKvPage *self)
{
  g_return_val_if_fail (TRIAD_IS_KV_PAGE (self), 0);

  return triad_kv_scene_get_n_prompt (self->scene);
}

int
triad_kv_page_get_n_layers (TriadKvPage *self)
{
  g_return_val_if_fail (TRIAD_IS_KV_PAGE (self), 0);

  return triad_kv_scene_get_n_layers (self->scene);
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

  return triad_kv_scene_get_live_status (self->scene);
}

const char *
triad_kv_page_get_readout (TriadKvPage *self)
{
  g_return_val_if_fail (TRIAD_IS_KV_PAGE (self), NULL);

  return triad_kv_scene_get_readout (self->scene, NULL);
}

const TriadKvEstimate *
triad_kv_page_get_estimate (TriadKvPage *self)
{
  g_return_val_if_fail (TRIAD_IS_KV_PAGE (self), NULL);

  return triad_kv_scene_get_estimate (self->scene);
}

TriadKvScene *
triad_kv_page_get_scene (TriadKvPage *self)
{
  g_return_val_if_fail (TRIAD_IS_KV_PAGE (self), NULL);

  return self->scene;
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
      /* with no presets (the page says why they did not load) the saved one is none of them */
      if (!triad_kv_projection_set_preset_id (self, g_value_get_string (value))
          && self->presets != NULL)
        g_warning ("No preset “%s”", g_value_get_string (value));
      break;
    case PROP_CONTEXT:
      triad_kv_projection_set_context (self, g_value_get_int (value));
      break;
    case PROP_BATCH:
      if (g_value_get_int (value) != self->options.batch)
        {
          self->options.batch = g_value_get_int (value);
          triad_kv_projection_changed (self, PROP_BATCH);
        }
      break;
    case PROP_KV_DTYPE:
    case PROP_WEIGHT_DTYPE:
      {
        TriadDtype d = g_value_get_enum (value);
        TriadDtype *field = prop_id == PROP_KV_DTYPE ? &self->options.kv_dtype
                                                     : &self->options.weight_dtype;

        if (d != *field)
          {
            *field = d;
            triad_kv_projection_changed (self, prop_id);
          }
      }
      break;
    case PROP_ATTENTION:
      /* to grouped heads: the preset's own grouping, or a grouping that divides its heads */
      if ((TriadKvAttention) g_value_get_enum (value) != self->options.attention)
        triad_kv_projection_set_attention (self, g_value_get_enum (value), -1);
      break;
    case PROP_GQA_GROUPS:
      if (self->options.attention == TRIAD_KV_GQA)
        triad_kv_projection_set_attention (self, TRIAD_KV_GQA, g_value_get_int (value));
      else if (g_value_get_int (value) != self->options.gqa_groups)
        {
          self->options.gqa_groups = g_value_get_int (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_HONOUR_WINDOW:
      if (g_value_get_boolean (value) == self->options.ignore_window)
        {
          self->options.ignore_window = !g_value_get_boolean (value);
          triad_kv_projection_changed (self, PROP_HONOUR_WINDOW);
        }
      break;
    case PROP_PAGED:
      if (g_value_get_boolean (value) != self->options.paged)
        {
          self->options.paged = g_value_get_boolean (value);
          triad_kv_projection_changed (self, PROP_PAGED);
        }
      break;
    case PROP_GIB:
      triad_kv_projection_set_gib (self, g_value_get_boolean (value));
      break;
    case PROP_LOG_AXES:
      triad_kv_projection_set_log_axes (self, g_value_get_boolean (value));
      break;
    case PROP_KV_BLOCK:
      triad_kv_live_set_kv_block (self, g_value_get_int (value));
      break;
    case PROP_SAMPLING:
      triad_kv_live_set_sampling (self, g_value_get_boolean (value));
      break;
    case PROP_LIVE_DTYPE:
      triad_kv_live_set_dtype (self, g_value_get_enum (value));
      break;
    case PROP_MAX_TOKENS:
      triad_kv_live_set_max_tokens (self, g_value_get_int (value));
      break;
    case PROP_PLAYING:
      triad_kv_live_set_playing (self, g_value_get_boolean (value));
      break;
    case PROP_FONT_SCALE:
      if (g_value_get_double (value) != self->font_scale)
        {
          self->font_scale = g_value_get_double (value);
          triad_kv_page_update_scene (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_COLORMAP:
      {
        TriadColormap c = g_value_get_enum (value);

        if (c != self->cmap)
          {
            self->cmap = c;
            triad_kv_page_update_scene (self);
            g_object_notify_by_pspec (object, pspec);
          }
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
  const TriadLlmPreset *p = triad_kv_projection_current (self);

  switch (prop_id)
    {
    case PROP_BUSY: g_value_set_boolean (value, triad_kv_page_is_busy (self)); break;
    case PROP_PRESET: g_value_set_string (value, triad_kv_projection_is_custom (self) ? "custom"
                                                 : p != NULL ? p->id : NULL); break;
    case PROP_CONTEXT: g_value_set_int (value, (int) self->options.tokens); break;
    case PROP_BATCH: g_value_set_int (value, (int) self->options.batch); break;
    case PROP_KV_DTYPE: g_value_set_enum (value, self->options.kv_dtype); break;
    case PROP_WEIGHT_DTYPE: g_value_set_enum (value, self->options.weight_dtype); break;
    case PROP_ATTENTION: g_value_set_enum (value, self->options.attention); break;
    case PROP_GQA_GROUPS: g_value_set_int (value, self->options.gqa_groups); break;
    case PROP_HONOUR_WINDOW: g_value_set_boolean (value, !self->options.ignore_window); break;
    case PROP_PAGED: g_value_set_boolean (value, self->options.paged); break;
    case PROP_GIB: g_value_set_boolean (value, self->gib); break;
    case PROP_LOG_AXES: g_value_set_boolean (value, self->log_axes); break;
    case PROP_KV_BLOCK: g_value_set_int (value, self->kv_block); break;
    case PROP_SAMPLING: g_value_set_boolean (value, self->sampling); break;
    case PROP_LIVE_DTYPE: g_value_set_enum (value, self->live_dtype); break;
    case PROP_MAX_TOKENS: g_value_set_int (value, self->max_tokens); break;
    case PROP_PLAYING: g_value_set_boolean (value, self->playing); break;
    case PROP_FONT_SCALE: g_value_set_double (value, self->font_scale); break;
    case PROP_COLORMAP: g_value_set_enum (value, self->cmap); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
triad_kv_page_unmap (GtkWidget *widget)
{
  /* nobody watches a hidden page play */
  triad_kv_live_set_playing (TRIAD_KV_PAGE (widget), FALSE);
  GTK_WIDGET_CLASS (triad_kv_page_parent_class)->unmap (widget);
}

static void
triad_kv_page_dispose (GObject *object)
{
  TriadKvPage *self = TRIAD_KV_PAGE (object);

  g_clear_handle_id (&self->play_id, g_source_remove);
  self->playing = FALSE;
  g_clear_pointer (&self->loading, triad_computation_free);
  g_clear_pointer (&self->stepping, triad_computation_free);
  g_clear_pointer (&self->comparing, triad_computation_free);
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
  g_string_free (self->generated, TRUE);
  g_clear_pointer (&self->presets, g_ptr_array_unref);
  g_free (self->presets_error);
  triad_llm_preset_free (self->custom);
  triad_kv_scene_free (self->scene);
  G_OBJECT_CLASS (triad_kv_page_parent_class)->finalize (object);
}

static void
triad_kv_page_class_init (TriadKvPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamSpec **properties = triad_kv_page_properties;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->set_property = triad_kv_page_set_property;
  object_class->get_property = triad_kv_page_get_property;
  object_class->dispose = triad_kv_page_dispose;
  object_class->finalize = triad_kv_page_finalize;
  widget_class->unmap = triad_kv_page_unmap;

  /* the projection: a preset id (or "custom") and the options, as `triad kv` takes them */
  properties[PROP_PRESET] = g_param_spec_string ("preset", NULL, NULL, TRIAD_KV_PAGE_PRESET, rw);
  properties[PROP_CONTEXT] = g_param_spec_int ("context", NULL, NULL, 1, (int) TRIAD_KV_SCENE_MAX_CONTEXT,
                                               8192, rw);
  properties[PROP_BATCH] = g_param_spec_int ("batch", NULL, NULL, 1, 1024, 1, rw);
  properties[PROP_KV_DTYPE] = g_param_spec_enum ("kv-dtype", NULL, NULL, TRIAD_TYPE_DTYPE,
                                                 TRIAD_DTYPE_F16, rw);
  properties[PROP_WEIGHT_DTYPE] = g_param_spec_enum ("weight-dtype", NULL, NULL, TRIAD_TYPE_DTYPE,
                                                     TRIAD_DTYPE_F16, rw);
  properties[PROP_ATTENTION] = g_param_spec_enum ("attention", NULL, NULL, TRIAD_TYPE_KV_ATTENTION,
                                                  TRIAD_KV_AS_PUBLISHED, rw);
  /* the key/value heads of the grouped-query what-if, kept while another attention is shown */
  properties[PROP_GQA_GROUPS] = g_param_spec_int ("gqa-groups", NULL, NULL, 1, 1024, 8, rw);
  properties[PROP_HONOUR_WINDOW] = g_param_spec_boolean ("honour-window", NULL, NULL, TRUE, rw);
  properties[PROP_PAGED] = g_param_spec_boolean ("paged", NULL, NULL, FALSE, rw);
  properties[PROP_GIB] = g_param_spec_boolean ("gib", NULL, NULL, FALSE, rw);
  properties[PROP_LOG_AXES] = g_param_spec_boolean ("log-axes", NULL, NULL, TRUE, rw);
  /* the live run: positions the cache grows by (1, or the engine's 16), and its decoding */
  properties[PROP_KV_BLOCK] = g_param_spec_int ("kv-block", NULL, NULL, 1, TRIAD_KV_PAGE_ENGINE_BLOCK, 1,
                                                rw);
  properties[PROP_SAMPLING] = g_param_spec_boolean ("sampling", NULL, NULL, FALSE, rw);
  /* the live cache's format: f32, f16, bf16, int8 or int4 (kvquant.h; not fp8) */
  properties[PROP_LIVE_DTYPE] = g_param_spec_enum ("live-dtype", NULL, NULL, TRIAD_TYPE_DTYPE,
                                                   TRIAD_DTYPE_F32, rw);
  properties[PROP_MAX_TOKENS] = g_param_spec_int ("max-tokens", NULL, NULL, 1, G_MAXINT,
                                                  TRIAD_KV_PAGE_MAX_TOKENS, rw);
  properties[PROP_PLAYING] = g_param_spec_boolean ("playing", NULL, NULL, FALSE, rw);
  properties[PROP_COLORMAP] = g_param_spec_enum ("colormap", NULL, NULL, TRIAD_TYPE_COLORMAP,
                                                              TRIAD_COLORMAP_VIRIDIS, rw);
  properties[PROP_FONT_SCALE] = g_param_spec_double ("font-scale", NULL, NULL, 0.5, 4.0, 1.0, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_BUSY, "busy");
  /* the number types and the attention what-if, for menus and shortcuts as for the lists */
  gtk_widget_class_install_property_action (widget_class, "view.kv-dtype", "kv-dtype");
  gtk_widget_class_install_property_action (widget_class, "view.weight-dtype", "weight-dtype");
  gtk_widget_class_install_property_action (widget_class, "view.attention", "attention");
  gtk_widget_class_install_property_action (widget_class, "view.gqa-groups", "gqa-groups");
  gtk_widget_class_install_property_action (widget_class, "view.live-dtype", "live-dtype");

  gtk_widget_class_set_template_from_resource (widget_class, "/org/triad/Triad/triad-kv-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, live_controls);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, reset_button);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, play_button);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, step_button);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, speed_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, sampling_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, live_dtype_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, difference_area);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, max_spin);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, blocks_button);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, live_note);
  gtk_widget_class_bind_template_child (widget_class, TriadKvPage, live_heading);
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
  triad_kv_live_class_init (widget_class);
  triad_kv_projection_class_init (widget_class);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "kvpage");
}

static void
triad_kv_page_init (TriadKvPage *self)
{
  g_autoptr(GError) error = NULL;

  self->scene = triad_kv_scene_new ();
  self->kv_block = 1;
  self->max_tokens = TRIAD_KV_PAGE_MAX_TOKENS;
  self->growth_hover = -1;
  self->generated = g_string_new (NULL);
  self->font_scale = 1.0;
  self->cmap = TRIAD_COLORMAP_VIRIDIS;
  self->log_axes = TRUE;
  self->hover_tokens = -1.0;
  triad_kv_options_init (&self->options);
  self->options.gqa_groups = 8;
  self->custom = triad_llm_preset_new_custom ();
  self->presets = triad_llm_presets_shared (&error);
  if (self->presets == NULL)
    self->presets_error = g_strdup (error->message);

  g_type_ensure (TRIAD_TYPE_SCENE_VIEW);
  gtk_widget_init_template (GTK_WIDGET (self));
  /* no message under the figure for a model that fails to load: that label tells of the
   * presets, and the window shows the error */
  self->loading = triad_computation_new (TRIAD_VIEW (self), NULL, decoder_loaded, NULL);

  triad_kv_live_init (self);
  triad_kv_projection_init (self);

  g_signal_connect (self->growth_area, "hover-changed", G_CALLBACK (growth_hover_changed), self);
  g_signal_connect (self->chart_area, "hover-changed", G_CALLBACK (chart_hover_changed), self);
  if (self->presets_error != NULL)
    {
      gtk_label_set_text (self->message, self->presets_error);
      gtk_widget_set_visible (GTK_WIDGET (self->message), TRUE);
    }
  triad_kv_page_update_scene (self);
}
