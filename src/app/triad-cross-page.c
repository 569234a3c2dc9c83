/* triad-cross-page.c — the Cross-attention view. The page computes its scene (the translation
 * decoded step by step, and by prompt) through its computation helper, the models loaded in
 * the worker too and a new input cancelling the one before; it keeps the
 * last good scene on screen, and updates it with what the controls ask for: the linked
 * panels, the alignment lines, or the decoder by prompt beside the encoder-decoder. The scene
 * draws the figure, on screen and for export alike. */
#include "config.h"

#include <glib/gi18n.h>

#include "app/triad-application.h"
#include "app/triad-computation.h"
#include "app/triad-cross-page-private.h"
#include "app/triad-scene-view.h"
#include "app/triad-toolbar.h"
#include "app/triad-view.h"
#include "triad-enum-types.h"
#include "app/triad-vocabulary.h"
#include "scenes/scene-adapters.h"

#define TARGET_DEBOUNCE_MS 300

static void triad_cross_page_view_init (TriadViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TriadCrossPage, triad_cross_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (TRIAD_TYPE_VIEW, triad_cross_page_view_init))

GParamSpec *triad_cross_page_properties[N_PROPS];

static void schedule (TriadCrossPage *self);
static void sync_controls (TriadCrossPage *self);
static void update_readout (TriadCrossPage *self);

GtkWidget *
triad_cross_page_new (void)
{
  return g_object_new (TRIAD_TYPE_CROSS_PAGE, NULL);
}

gboolean
triad_cross_page_get_busy (TriadCrossPage *self)
{
  return triad_computation_get_busy (self->computation);
}

TriadCrossScene *
triad_cross_page_get_scene (TriadCrossPage *self)
{
  return self->scene;
}

const TriadCrossView *
triad_cross_page_get_view (TriadCrossPage *self)
{
  return self->scene != NULL ? triad_cross_scene_view (self->scene) : NULL;
}

const TriadPromptView *
triad_cross_page_get_prompt_view (TriadCrossPage *self)
{
  return self->scene != NULL ? triad_cross_scene_prompt (self->scene) : NULL;
}

int
triad_cross_page_get_position (TriadCrossPage *self)
{
  return self->position;
}

int
triad_cross_page_get_n_positions (TriadCrossPage *self)
{
  return self->scene != NULL ? triad_cross_scene_view (self->scene)->tgt->n : 0;
}

TriadCrossDisplay
triad_cross_page_get_display (TriadCrossPage *self)
{
  return self->display;
}

void
triad_cross_page_set_display (TriadCrossPage    *self,
                              TriadCrossDisplay  display)
{
  g_return_if_fail (display < TRIAD_CROSS_N_DISPLAYS);
  g_object_set (self, "display", display, NULL);
}

const TriadCrossFigure *
triad_cross_page_get_figure (TriadCrossPage *self)
{
  return self->scene != NULL ? triad_cross_scene_figure (self->scene) : NULL;
}

const TriadAlignment *
triad_cross_page_get_alignment (TriadCrossPage *self)
{
  return self->scene != NULL ? triad_cross_scene_alignment (self->scene) : NULL;
}

const TriadPanelPair *
triad_cross_page_get_pair (TriadCrossPage *self)
{
  return self->scene != NULL ? triad_cross_scene_pair (self->scene) : NULL;
}

GtkWidget *
triad_cross_page_get_canvas (TriadCrossPage *self)
{
  return GTK_WIDGET (self->canvas);
}

void
triad_cross_page_get_hover (TriadCrossPage  *self,
                            TriadCrossHover *hover)
{
  *hover = self->lit.hover;
}

const char *
triad_cross_page_get_readout (TriadCrossPage *self)
{
  return self->readout_text;
}

/* Nothing lit. */
static void
clear_lit (TriadCrossPage *self)
{
  triad_cross_options_init (&self->lit);
}

/* ---- computing ----------------------------------------------------------------------- */

typedef struct {
  TriadApplication *app;
  TriadModel       *encdec;          /* NULL: loaded in the worker */
  TriadModel       *decoder;         /* NULL: loaded there if it can be */
  char             *encdec_id;       /* NULL: the shipped one */
  char             *text;
  char             *target;
} Request;

typedef struct {
  TriadModel      *encdec;
  TriadModel      *decoder;
  char            *encdec_id;
  TriadCrossScene *scene;
} Result;

static void
request_free (Request *r)
{
  g_clear_object (&r->app);
  g_free (r->encdec_id);
  g_free (r->text);
  g_free (r->target);
  g_free (r);
}

static void
result_free (Result *res)
{
  g_clear_pointer (&res->scene, triad_cross_scene_free);
  g_free (res->encdec_id);
  g_free (res);
}

static gpointer
compute_thread (gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  Request *r = data;
  Result *res = g_new0 (Result, 1);

  res->encdec = r->encdec;
  res->decoder = r->decoder;
  res->encdec_id = g_strdup (r->encdec_id);
  /* the first time, the models: that takes a while, and the page shows it is busy */
  if (res->encdec == NULL)
    res->encdec = triad_application_get_model_by_id (r->app, r->encdec_id, error);
  if (res->encdec == NULL)
    {
      result_free (res);
      return NULL;
    }
  /* without the decoder-only model the view still translates; only the prompt display lacks
   * it. A real encoder-decoder reads its own prompt, which the toy decoder cannot */
  if (res->decoder == NULL && r->app != NULL && triad_model_id_is_shipped (r->encdec_id))
    res->decoder = triad_application_get_model (r->app, TRIAD_ARCH_DECODER, NULL);
  res->scene = triad_cross_scene_compute (res->encdec, res->decoder, r->text, r->target,
                                          cancellable, error);
  if (res->scene == NULL)
    g_clear_pointer (&res, result_free);
  return res;
}

/* The models of a result are now the page's: the encoder-decoder's last layer, the decoder's
 * last layer for the prompt display. */
static void
models_shown (TriadCrossPage *self,
              TriadModel     *encdec,
              TriadModel     *decoder)
{
  if (self->encdec != encdec)
    {
      self->encdec = encdec;
      self->layer = encdec->config.n_dec_layers - 1;
      self->head = MIN (self->head, encdec->config.n_heads - 1);
      g_object_notify_by_pspec (G_OBJECT (self), triad_cross_page_properties[PROP_LAYER]);
    }
  if (self->decoder != decoder)
    {
      self->decoder = decoder;
      if (decoder != NULL)
        {
          self->prompt_layer = decoder->config.n_dec_layers - 1;
          g_object_notify_by_pspec (G_OBJECT (self), triad_cross_page_properties[PROP_PROMPT_LAYER]);
        }
    }
}

static void
compute_done (TriadView *view,
              gpointer   result)
{
  TriadCrossPage *self = TRIAD_CROSS_PAGE (view);
  Result *res = result;
  int n;

  g_free (self->encdec_id);
  self->encdec_id = g_strdup (res->encdec_id);
  models_shown (self, res->encdec, res->decoder);
  triad_cross_page_set_playing (self, FALSE);
  /* the view's scene borrows the old one: let it go first */
  triad_scene_view_set_scene (self->canvas, NULL);
  g_clear_pointer (&self->scene, triad_cross_scene_free);
  self->scene = g_steal_pointer (&res->scene);
  result_free (res);

  /* a new translation shows whole; stepping goes back from there */
  n = triad_cross_scene_view (self->scene)->tgt->n;
  clear_lit (self);
  if (self->position != n)
    {
      self->position = n;
      g_object_notify_by_pspec (G_OBJECT (self), triad_cross_page_properties[PROP_POSITION]);
    }
  sync_controls (self);
  triad_cross_page_refresh (self);
}

static void
schedule (TriadCrossPage *self)
{
  Request *r;

  if ((self->app == NULL && self->encdec == NULL) || self->text == NULL)
    return;
  r = g_new0 (Request, 1);
  r->app = self->app != NULL ? g_object_ref (self->app) : NULL;
  r->encdec_id = g_strdup (self->want_encdec != NULL ? self->want_encdec : "encdec");
  /* the shown models while they are the ones asked for; others load in the worker */
  if (self->app == NULL || g_strcmp0 (self->encdec_id, r->encdec_id) == 0)
    {
      r->encdec = self->encdec;
      r->decoder = self->decoder;
    }
  r->text = g_strdup (self->text);
  r->target = g_strdup (self->target);
  triad_computation_start (self->computation, compute_thread, r, (GDestroyNotify) request_free);
}

void
triad_cross_page_set_input (TriadCrossPage *self,
                            TriadModel     *encdec,
                            TriadModel     *decoder,
                            const char     *text)
{
  g_return_if_fail (TRIAD_IS_CROSS_PAGE (self));
  g_return_if_fail (encdec != NULL);

  if (self->encdec == encdec && self->decoder == decoder && g_strcmp0 (self->text, text) == 0
      && (self->scene != NULL || triad_computation_get_busy (self->computation)))
    return;
  /* models given: no application to load others from */
  self->app = NULL;
  models_shown (self, encdec, decoder);
  g_free (self->text);
  self->text = g_strdup (text);
  sync_controls (self);
  schedule (self);
}

/* ---- the scene ----------------------------------------------------------------------- */

/* The scene's options: the controls, and what is lit. */
static void
scene_options (TriadCrossPage    *self,
               TriadCrossOptions *opt)
{
  TriadColormap cmap = self->cmap;

  *opt = self->lit;
  opt->display = self->display;
  opt->layer = self->layer;
  opt->head = self->head;
  opt->prompt_layer = self->prompt_layer;
  opt->position = self->position;
  opt->cmap = cmap;
}

/* Updates the scene with the options, in the language gettext speaks now. */
static void
update_scene (TriadCrossPage *self)
{
  TriadCrossOptions opt;

  triad_scene_view_set_font_scale (self->canvas, self->font_scale);
  if (self->scene == NULL)
    return;
  scene_options (self, &opt);
  if (triad_scene_view_get_scene (self->canvas) == NULL)
    triad_scene_view_set_scene (self->canvas, triad_cross_scene_as_scene (self->scene, &opt));
  else
    triad_scene_set_options (triad_scene_view_get_scene (self->canvas), &opt);
}

void
triad_cross_page_refresh (TriadCrossPage *self)
{
  update_scene (self);
  triad_cross_page_update_position (self);
  update_readout (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

/* ---- drawing ------------------------------------------------------------------------- */

/* The theme's colours, as the view draws with them. */
static void
get_style (TriadCrossPage   *self,
           TriadFigureStyle *style)
{
  triad_scene_view_get_style (self->canvas, style);
}

gboolean
triad_cross_page_has_figure (TriadCrossPage *self)
{
  return self->scene != NULL && triad_cross_scene_has_figure (self->scene);
}

/* ---- hover and readout --------------------------------------------------------------- */

static void
set_readout (TriadCrossPage *self,
             char           *text)
{
  if (g_strcmp0 (self->readout_text, text) == 0)
    {
      g_free (text);
      return;
    }
  g_free (self->readout_text);
  self->readout_text = text;
  gtk_label_set_text (self->readout, text != NULL ? text : "");
  g_object_notify_by_pspec (G_OBJECT (self), triad_cross_page_properties[PROP_READOUT]);
}

static void
update_readout (TriadCrossPage *self)
{
  set_readout (self, self->scene != NULL ? triad_cross_scene_describe (self->scene) : NULL);
}

/* Lights what lit says (its hover, cell and pair fields). */
void
triad_cross_page_set_lit (TriadCrossPage          *self,
                          const TriadCrossOptions *lit)
{
  self->lit.hover = lit->hover;
  self->lit.cell_panel = lit->cell_panel;
  self->lit.cell_row = lit->cell_row;
  self->lit.cell_col = lit->cell_col;
  self->lit.pair_panel = lit->pair_panel;
  self->lit.pair_row = lit->pair_row;
  self->lit.pair_col = lit->pair_col;
  update_scene (self);
  update_readout (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

/* The view lit what the pointer is over, in its scene's options: the page lights the same. */
static void
canvas_hover_changed (TriadSceneView       *view,
                      const TriadScenePart *part,
                      TriadCrossPage       *self)
{
  TriadScene *scene = triad_scene_view_get_scene (view);

  if (scene != NULL)
    triad_cross_page_set_lit (self, triad_scene_get_options (scene));
}

gboolean
triad_cross_page_hover_at (TriadCrossPage *self,
                           double          x,
                           double          y)
{
  TriadScenePart part;

  g_return_val_if_fail (TRIAD_IS_CROSS_PAGE (self), FALSE);

  if (!triad_cross_page_has_figure (self))
    return FALSE;
  triad_scene_view_hover_at (self->canvas, x, y);
  triad_scene_view_get_hover (self->canvas, &part);
  return part.panel >= 0;
}

/* ---- controls ------------------------------------------------------------------------ */

static void
sync_controls (TriadCrossPage *self)
{
  self->syncing = TRUE;
  if (self->encdec != NULL)
    {
      int n_layers = self->encdec->config.n_dec_layers, n_heads = self->encdec->config.n_heads;

      /* the lists are bound to the layers and the head (triad_cross_page_init) */
      triad_drop_down_set_numbered (self->layer_dropdown, NULL, _("Layer %d"), n_layers);
      /* TRANSLATORS: in the list of heads: the mean of every head of the layer */
      triad_drop_down_set_numbered (self->head_dropdown, _("Mean of heads"), _("Head %d"),
                                    n_heads);
    }
  if (self->decoder != NULL)
    {
      int n_layers = self->decoder->config.n_dec_layers;

      /* TRANSLATORS: in the list of layers of the decoder-only model */
      triad_drop_down_set_numbered (self->prompt_layer_dropdown, NULL, _("Decoder-only layer %d"),
                                    n_layers);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->prompt_layer_dropdown),
                          self->display == TRIAD_CROSS_DISPLAY_PROMPT && self->decoder != NULL);
  /* the display's buttons are view.display (in the template) */
  {
    /* only when it says something else: spaces typed at the end stay while typing */
    const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->target_entry));
    g_autofree char *shown = g_strstrip (g_strdup (typed));

    if (g_strcmp0 (shown, self->target != NULL ? self->target : "") != 0)
      gtk_editable_set_text (GTK_EDITABLE (self->target_entry),
                             self->target != NULL ? self->target : "");
  }
  self->syncing = FALSE;
}

static gboolean
target_debounced (gpointer data)
{
  TriadCrossPage *self = data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->target_entry));

  self->target_id = 0;
  g_object_set (self, "target", text, NULL);
  return G_SOURCE_REMOVE;
}

static void
target_changed (GtkEditable    *editable,
                TriadCrossPage *self)
{
  g_strfreev (triad_vocabulary_mark (self->target_entry));
  if (self->syncing)
    return;
  g_clear_handle_id (&self->target_id, g_source_remove);
  self->target_id = g_timeout_add (TARGET_DEBOUNCE_MS, target_debounced, self);
}

/* ---- GObject ------------------------------------------------------------------------- */

static void
triad_cross_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TriadCrossPage *self = TRIAD_CROSS_PAGE (object);
  gboolean changed = FALSE;

  switch (prop_id)
    {
    case PROP_DISPLAY:
      changed = self->display != (TriadCrossDisplay) g_value_get_enum (value);
      self->display = g_value_get_enum (value);
      break;
    case PROP_LAYER:
      {
        int v = g_value_get_int (value);
        int n = self->encdec != NULL ? self->encdec->config.n_dec_layers : 1;
        if (v >= 0 && v < n && v != self->layer)
          self->layer = v, changed = TRUE;
      }
      break;
    case PROP_HEAD:
      {
        int v = g_value_get_int (value);
        int n = self->encdec != NULL ? self->encdec->config.n_heads : 1;
        if (v >= -1 && v < n && v != self->head)
          self->head = v, changed = TRUE;
      }
      break;
    case PROP_PROMPT_LAYER:
      {
        int v = g_value_get_int (value);
        int n = self->decoder != NULL ? self->decoder->config.n_dec_layers : 1;
        if (v >= 0 && v < n && v != self->prompt_layer)
          self->prompt_layer = v, changed = TRUE;
      }
      break;
    case PROP_POSITION:
      triad_cross_page_set_position (self, g_value_get_int (value));
      return;
    case PROP_PLAYING:
      triad_cross_page_set_playing (self, g_value_get_boolean (value));
      return;
    case PROP_TARGET:
      {
        g_autofree char *t = g_strstrip (g_strdup (g_value_get_string (value) != NULL
                                                   ? g_value_get_string (value) : ""));
        if (*t == '\0')
          g_clear_pointer (&t, g_free);
        if (g_strcmp0 (t, self->target) != 0)
          {
            g_free (self->target);
            self->target = g_steal_pointer (&t);
            g_object_notify_by_pspec (object, pspec);
            sync_controls (self);
            schedule (self);
          }
      }
      return;
    case PROP_COLORMAP:
      changed = self->cmap != (TriadColormap) g_value_get_enum (value);
      self->cmap = g_value_get_enum (value);
      break;
    case PROP_FONT_SCALE:
      if (self->font_scale != g_value_get_double (value))
        {
          self->font_scale = g_value_get_double (value);
          changed = TRUE;
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  if (!changed)
    return;
  g_object_notify_by_pspec (object, pspec);
  sync_controls (self);
  triad_cross_page_refresh (self);
}

static void
triad_cross_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TriadCrossPage *self = TRIAD_CROSS_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, triad_computation_get_busy (self->computation));
      break;
    case PROP_DISPLAY: g_value_set_enum (value, self->display); break;
    case PROP_LAYER: g_value_set_int (value, self->layer); break;
    case PROP_HEAD: g_value_set_int (value, self->head); break;
    case PROP_PROMPT_LAYER: g_value_set_int (value, self->prompt_layer); break;
    case PROP_POSITION: g_value_set_int (value, self->position); break;
    case PROP_TARGET: g_value_set_string (value, self->target); break;
    case PROP_PLAYING: g_value_set_boolean (value, self->playing); break;
    case PROP_COLORMAP: g_value_set_enum (value, self->cmap); break;
    case PROP_FONT_SCALE: g_value_set_double (value, self->font_scale); break;
    case PROP_READOUT: g_value_set_string (value, self->readout_text); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
triad_cross_page_dispose (GObject *object)
{
  TriadCrossPage *self = TRIAD_CROSS_PAGE (object);

  g_clear_pointer (&self->computation, triad_computation_free);
  g_clear_handle_id (&self->target_id, g_source_remove);
  g_clear_handle_id (&self->play_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TRIAD_TYPE_CROSS_PAGE);
  triad_view_unparent_children (GTK_WIDGET (self));
  G_OBJECT_CLASS (triad_cross_page_parent_class)->dispose (object);
}

static void
triad_cross_page_finalize (GObject *object)
{
  TriadCrossPage *self = TRIAD_CROSS_PAGE (object);

  g_clear_pointer (&self->scene, triad_cross_scene_free);
  g_free (self->readout_text);
  g_free (self->text);
  g_free (self->target);
  g_free (self->encdec_id);
  g_free (self->want_encdec);
  G_OBJECT_CLASS (triad_cross_page_parent_class)->finalize (object);
}

/* ---- TriadView ---------------------------------------------------------------------- */

static void
view_set_input (TriadView        *view,
                TriadApplication *app,
                const char       *model,
                const char       *text)
{
  TriadCrossPage *self = TRIAD_CROSS_PAGE (view);
  const char *want = "encdec";
  gboolean same_app, real = model != NULL && !triad_model_id_is_shipped (model);
  TriadArch arch = TRIAD_ARCH_ENCDEC;

  /* this view is an encoder-decoder's: the chosen one if it is one (a real one on its own
   * prompt, alone), else the shipped one with the decoder-only model beside it, and a line
   * that says so when the chosen model is a real one */
  if (real && triad_application_model_arch (app, model, &arch, NULL)
      && arch == TRIAD_ARCH_ENCDEC)
    want = model;
  gtk_widget_set_visible (GTK_WIDGET (self->model_note), real && arch != TRIAD_ARCH_ENCDEC);
  if (!self->settings_bound)
    {
      GSettings *settings = triad_application_get_settings (app);

      self->settings_bound = TRUE;
      if (settings != NULL)
        {
          g_settings_bind (settings, "figure-scale", self, "font-scale", G_SETTINGS_BIND_GET);
          g_settings_bind (settings, "colormap", self, "colormap", G_SETTINGS_BIND_GET);
        }
    }
  /* returns at once: the models are loaded (the first time) in the worker */
  same_app = self->app == app;
  self->app = app;
  if (g_strcmp0 (want, self->want_encdec) != 0)
    {
      same_app = FALSE;
      /* a target typed for one model means nothing to another: the new one translates */
      if (self->want_encdec != NULL && self->target != NULL)
        {
          g_clear_pointer (&self->target, g_free);
          g_object_notify_by_pspec (G_OBJECT (self), triad_cross_page_properties[PROP_TARGET]);
          sync_controls (self);
        }
      g_free (self->want_encdec);
      self->want_encdec = g_strdup (want);
    }
  if (same_app && g_strcmp0 (self->text, text) == 0
      && (self->scene != NULL || triad_computation_get_busy (self->computation)))
    return;
  g_free (self->text);
  self->text = g_strdup (text);
  schedule (self);
}

static gboolean
view_get_figure_size (TriadView *view,
                      double    *width,
                      double    *height)
{
  TriadCrossPage *self = TRIAD_CROSS_PAGE (view);

  *width = gtk_widget_get_width (GTK_WIDGET (self->canvas));
  *height = gtk_widget_get_height (GTK_WIDGET (self->canvas));
  return triad_cross_page_has_figure (self);
}

static void
view_draw_figure (TriadView *view,
                  cairo_t   *cr,
                  double     width,
                  double     height)
{
  TriadCrossPage *self = TRIAD_CROSS_PAGE (view);
  TriadFigureStyle style;

  if (!triad_cross_page_has_figure (self))
    return;
  get_style (self, &style);
  triad_cross_scene_draw (self->scene, cr, &style, width, height);
}

/* An export draws in the style it asks for (dark text on white, say), the lit tokens as on
 * screen but not the focus ring. */
static void
view_draw_figure_with_style (TriadView              *view,
                             cairo_t                *cr,
                             const TriadFigureStyle *style,
                             double                  width,
                             double                  height)
{
  TriadCrossPage *self = TRIAD_CROSS_PAGE (view);

  if (triad_cross_page_has_figure (self))
    triad_cross_scene_draw (self->scene, cr, style, width, height);
}

/* The titles and captions again, in the language gettext speaks now (an export's). */
static void
view_relabel (TriadView *view)
{
  triad_cross_page_refresh (TRIAD_CROSS_PAGE (view));
}

static void
view_step (TriadView *view,
           int        delta)
{
  triad_cross_page_step (TRIAD_CROSS_PAGE (view), delta);
}

static void
triad_cross_page_view_init (TriadViewInterface *iface)
{
  iface->set_input = view_set_input;
  iface->get_figure_size = view_get_figure_size;
  iface->draw_figure = view_draw_figure;
  iface->step = view_step;
  iface->draw_figure_with_style = view_draw_figure_with_style;
  iface->relabel = view_relabel;
}

static void
triad_cross_page_class_init (TriadCrossPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamSpec **properties = triad_cross_page_properties;

  object_class->set_property = triad_cross_page_set_property;
  object_class->get_property = triad_cross_page_get_property;
  object_class->dispose = triad_cross_page_dispose;
  object_class->finalize = triad_cross_page_finalize;

  properties[PROP_DISPLAY] =
    g_param_spec_enum ("display", NULL, NULL, TRIAD_TYPE_CROSS_DISPLAY,
                       TRIAD_CROSS_DISPLAY_HEATMAPS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAYER] =
    g_param_spec_int ("layer", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEAD] =
    g_param_spec_int ("head", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROMPT_LAYER] =
    g_param_spec_int ("prompt-layer", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POSITION] =
    g_param_spec_int ("position", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TARGET] =
    g_param_spec_string ("target", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLORMAP] =
    g_param_spec_enum ("colormap", NULL, NULL, TRIAD_TYPE_COLORMAP, TRIAD_COLORMAP_VIRIDIS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FONT_SCALE] =
    g_param_spec_double ("font-scale", NULL, NULL, 0.5, 4.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READOUT] =
    g_param_spec_string ("readout", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_BUSY, "busy");

  g_type_ensure (TRIAD_TYPE_TOOLBAR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/triad/Triad/triad-cross-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, heatmaps_button);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, alignment_button);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, prompt_button);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, layer_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, head_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, prompt_layer_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, target_entry);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, message);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, model_note);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, canvas);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, play_button);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, forward_button);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, position_label);
  gtk_widget_class_bind_template_child (widget_class, TriadCrossPage, readout);
  gtk_widget_class_bind_template_callback (widget_class, target_changed);

  {
    static const char * const props[] = { "display", "layer", "head", "prompt-layer", "position",
                                           "playing", "colormap" };
    for (guint i = 0; i < G_N_ELEMENTS (props); i++)
      {
        g_autofree char *name = g_strconcat ("view.", props[i], NULL);
        gtk_widget_class_install_property_action (widget_class, name, props[i]);
      }
  }

  triad_cross_stepping_class_init (widget_class);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "crosspage");
}

static void
triad_cross_page_init (TriadCrossPage *self)
{
  self->head = -1;
  self->font_scale = 1.0;
  self->cmap = TRIAD_COLORMAP_VIRIDIS;
  clear_lit (self);
  g_type_ensure (TRIAD_TYPE_SCENE_VIEW);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->computation = triad_computation_new (TRIAD_VIEW (self), self->message, compute_done,
                                             (GDestroyNotify) result_free);
  triad_vocabulary_add_completion (self->target_entry);
  /* the heads' list starts with their mean, -1 */
  triad_bind_numbered_drop_down (self, "layer", self->layer_dropdown, 0);
  triad_bind_numbered_drop_down (self, "head", self->head_dropdown, -1);
  triad_bind_numbered_drop_down (self, "prompt-layer", self->prompt_layer_dropdown, 0);

  g_signal_connect (self->canvas, "hover-changed", G_CALLBACK (canvas_hover_changed), self);
  sync_controls (self);
  triad_cross_page_refresh (self);
}
