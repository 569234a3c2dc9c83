/* triad-masks-page.c — the Masks view. The encoder and the decoder are loaded and read the
 * same text in the page's computation (a worker thread); the grid and the formula are drawn
 * from what their heads computed. */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "engine/error.h"
#include "engine/numbers.h"
#include "engine/tokenizer.h"
#include "scenes/scene-adapters.h"

#include "app/triad-computation.h"
#include "app/triad-masks-page.h"
#include "app/triad-model-list.h"
#include "app/triad-scene-view.h"
#include "app/triad-toolbar.h"
#include "scenes/scene-describe.h"
#include "app/triad-view.h"
#include "triad-enum-types.h"

/* The most tokens the view shows: past that, cells are too small to read as a lesson. */
#define MAX_TOKENS   64
#define DEFAULT_PADS  2

struct _TriadMasksPage
{
  GtkWidget          parent_instance;

  GtkDropDown       *layer_dropdown;
  GtkDropDown       *head_dropdown;
  GtkDropDown       *compare_dropdown;
  GtkSpinButton     *compare_spin;
  GtkLabel          *position_label;
  GtkToggleButton   *play_button;
  GtkDropDown       *speed_dropdown;
  TriadSceneView    *figure;         /* draws the scene: the grid above, the formula below */
  GtkToggleButton   *formula_decoder_button;
  GtkLabel          *readout;
  GtkLabel          *message;
  GtkLabel          *models_label;   /* which two models are shown */

  TriadApplication  *app;            /* where the models come from */
  TriadModel        *encoder;        /* the application's, once a result came */
  TriadModel        *decoder;
  char              *encoder_id;     /* their ids (triad-application.h) */
  char              *decoder_id;
  char              *want_encoder;   /* the ids the chosen model asks for */
  char              *want_decoder;
  char              *text;
  int                layer;
  int                head;
  int                n_layers;
  int                n_heads;
  TriadCompare       compare;
  int                window;
  int                prefix;
  int                position;
  gboolean           formula_decoder;
  int                formula_step;
  double             font_scale;
  TriadColormap      cmap;           /* of the weights, as the preference says */
  int                hover_model;
  int                hover_row;
  int                hover_col;
  char              *readout_text;

  TriadMasksScene   *scene;
  TriadComputation  *computation;
  guint              play_id;
  GBinding          *compare_binding; /* the spin button to window or prefix, as compare says */
  TriadCompare       compare_bound;   /* which of them it is bound to */
  gboolean           limiting;        /* the spin button's range being set: no feedback */
};

static void triad_masks_page_view_init (TriadViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TriadMasksPage, triad_masks_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (TRIAD_TYPE_VIEW, triad_masks_page_view_init))

enum {
  PROP_0,
  PROP_POSITION,
  PROP_FORMULA_STEP,
  PROP_FONT_SCALE,
  PROP_COLORMAP,
  PROP_LAYER,
  PROP_HEAD,
  PROP_COMPARE,
  PROP_WINDOW,
  PROP_PREFIX,
  N_PROPS,
  PROP_BUSY = N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static void update (TriadMasksPage *self);
static void schedule (TriadMasksPage *self);
static void stop_playing (TriadMasksPage *self);

TriadMasksScene *
triad_masks_page_get_scene (TriadMasksPage *self)
{
  return self->scene;
}

int
triad_masks_page_get_position (TriadMasksPage *self)
{
  return self->position;
}

const char *
triad_masks_page_get_readout (TriadMasksPage *self)
{
  return self->readout_text;
}

/* ---- computing ----------------------------------------------------------------------- */

typedef struct {
  TriadApplication *app;
  TriadModel       *encoder;         /* NULL: loaded in the worker */
  TriadModel       *decoder;
  char             *encoder_id;
  char             *decoder_id;
  char             *text;
  int               layer;
  int               head;
} Request;

typedef struct {
  TriadModel      *encoder;
  TriadModel      *decoder;
  char            *encoder_id;
  char            *decoder_id;
  TriadMasksScene *scene;
} Result;

static void
request_free (Request *r)
{
  g_clear_object (&r->app);
  g_free (r->encoder_id);
  g_free (r->decoder_id);
  g_free (r->text);
  g_free (r);
}

static void
result_free (Result *res)
{
  g_clear_pointer (&res->scene, triad_masks_scene_free);
  g_free (res->encoder_id);
  g_free (res->decoder_id);
  g_free (res);
}

static gpointer
compute_thread (gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  Request *r = data;
  TriadModel *encoder = r->encoder, *decoder = r->decoder;
  g_autoptr(TriadFormulaTrace) enc = NULL, dec = NULL, padded = NULL;
  g_autoptr(TriadEncoding) probe = NULL;
  g_autoptr(TriadEncoding) probe_enc = NULL;
  int layer, head;
  Result *res;

  /* the first time, the models: that takes a while, and the page shows it is busy */
  if (encoder == NULL)
    encoder = triad_application_get_model_by_id (r->app, r->encoder_id, error);
  if (encoder != NULL && decoder == NULL)
    decoder = triad_application_get_model_by_id (r->app, r->decoder_id, error);
  if (decoder == NULL)
    return NULL;
  /* new models keep the layer and head where they have them, as models_shown does */
  layer = CLAMP (r->layer, 0, MIN (encoder->config.n_enc_layers, decoder->config.n_dec_layers) - 1);
  head = CLAMP (r->head, 0, MIN (encoder->config.n_heads, decoder->config.n_heads) - 1);

  /* each model on its own tokens: the longer of the two decides */
  probe = triad_tokenizer_encode (decoder->tokenizer, r->text, -1, TRUE, error);
  if (probe == NULL)
    return NULL;
  probe_enc = triad_tokenizer_encode (encoder->tokenizer, r->text, -1, TRUE, error);
  if (probe_enc == NULL)
    return NULL;
  if (MAX (probe->n, probe_enc->n) + 2 > MAX_TOKENS)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_TOO_LONG,
                   /* TRANSLATORS: %d are token counts */
                   _("The Masks view shows at most %d tokens; this text has %d"),
                   MAX_TOKENS - 2, MAX (probe->n, probe_enc->n));
      return NULL;
    }
  enc = triad_formula_trace (encoder, r->text, layer, head, 0, cancellable, error);
  if (enc != NULL)
    dec = triad_formula_trace (decoder, r->text, layer, head, 0, cancellable, error);
  if (dec != NULL)
    padded = triad_formula_trace (encoder, r->text, layer, head, DEFAULT_PADS, cancellable, error);
  if (padded == NULL)
    return NULL;
  res = g_new0 (Result, 1);
  res->encoder = encoder;
  res->decoder = decoder;
  res->encoder_id = g_strdup (r->encoder_id);
  res->decoder_id = g_strdup (r->decoder_id);
  res->scene = triad_masks_scene_new (g_steal_pointer (&enc), g_steal_pointer (&dec),
                                      g_steal_pointer (&padded));
  return res;
}

static void sync_controls (TriadMasksPage *self);

/* The models of a result are now the page's: their layers and heads in the drop-downs. */
static void
models_shown (TriadMasksPage *self,
              TriadModel     *encoder,
              TriadModel     *decoder,
              const char     *encoder_id,
              const char     *decoder_id)
{
  g_autofree char *enc_name = NULL, *dec_name = NULL, *heading = NULL;

  if (encoder == self->encoder && decoder == self->decoder)
    return;
  self->encoder = encoder;
  self->decoder = decoder;
  g_free (self->encoder_id);
  self->encoder_id = g_strdup (encoder_id);
  g_free (self->decoder_id);
  self->decoder_id = g_strdup (decoder_id);
  enc_name = triad_model_display_name (encoder_id);
  dec_name = triad_model_display_name (decoder_id);
  /* TRANSLATORS: the Masks view's heading: the model on the encoder's side, the one on the
   * decoder's side */
  heading = g_strdup_printf (_("Encoder: %s · decoder: %s"), enc_name, dec_name);
  gtk_label_set_text (self->models_label, heading);
  /* the shipped pair needs no heading: the rows name them */
  gtk_widget_set_visible (GTK_WIDGET (self->models_label),
                          !triad_model_id_is_shipped (encoder_id)
                          || !triad_model_id_is_shipped (decoder_id));
  self->n_layers = MIN (encoder->config.n_enc_layers, decoder->config.n_dec_layers);
  self->n_heads = MIN (encoder->config.n_heads, decoder->config.n_heads);
  if (self->layer != CLAMP (self->layer, 0, self->n_layers - 1))
    {
      self->layer = CLAMP (self->layer, 0, self->n_layers - 1);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYER]);
    }
  if (self->head != CLAMP (self->head, 0, self->n_heads - 1))
    {
      self->head = CLAMP (self->head, 0, self->n_heads - 1);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEAD]);
    }
  sync_controls (self);
}

static void
compute_done (TriadView *view,
              gpointer   result)
{
  TriadMasksPage *self = TRIAD_MASKS_PAGE (view);
  Result *res = result;

  models_shown (self, res->encoder, res->decoder, res->encoder_id, res->decoder_id);
  /* the view's scene borrows the old one: let it go first */
  triad_scene_view_set_scene (self->figure, NULL);
  g_clear_pointer (&self->scene, triad_masks_scene_free);
  self->scene = g_steal_pointer (&res->scene);
  result_free (res);
  if (self->position >= triad_masks_scene_n_decoder (self->scene))
    self->position = -1;
  self->hover_model = self->hover_row = self->hover_col = -1;
  update (self);
}

static void
schedule (TriadMasksPage *self)
{
  Request *r;

  if (self->app == NULL || self->text == NULL)
    return;
  r = g_new0 (Request, 1);
  r->app = g_object_ref (self->app);
  r->encoder_id = g_strdup (self->want_encoder);
  r->decoder_id = g_strdup (self->want_decoder);
  /* the shown models where they are still the ones asked for; others load in the worker */
  if (g_strcmp0 (self->encoder_id, self->want_encoder) == 0
      && g_strcmp0 (self->decoder_id, self->want_decoder) == 0)
    {
      r->encoder = self->encoder;
      r->decoder = self->decoder;
    }
  r->text = g_strdup (self->text);
  r->layer = self->layer;
  r->head = self->head;
  triad_computation_start (self->computation, compute_thread, r, (GDestroyNotify) request_free);
}

/* ---- the controls -------------------------------------------------------------------- */

/* The spin button's number to the window or prefix, but not while the page sets its range. */
static gboolean
spin_to_number (GBinding     *binding,
                const GValue *from,
                GValue       *to,
                gpointer      user_data)
{
  TriadMasksPage *self = user_data;

  if (self->limiting)
    return FALSE;
  g_value_set_int (to, (int) g_value_get_double (from));
  return TRUE;
}

static void
sync_controls (TriadMasksPage *self)
{
  GtkAdjustment *adj = gtk_spin_button_get_adjustment (self->compare_spin);
  int n = self->scene != NULL ? triad_masks_scene_n_decoder (self->scene) : 0;
  gboolean sliding = self->compare == TRIAD_COMPARE_SLIDING;

  /* TRANSLATORS: an entry of the layer list */
  triad_drop_down_set_numbered (self->layer_dropdown, NULL, _("Layer %d"), self->n_layers);
  /* TRANSLATORS: an entry of the head list */
  triad_drop_down_set_numbered (self->head_dropdown, NULL, _("Head %d"), self->n_heads);
  gtk_widget_set_visible (GTK_WIDGET (self->compare_spin),
                          sliding || self->compare == TRIAD_COMPARE_PREFIX_LM);
  /* the one spin button is the window's or the prefix's, as the comparison is: bound to the
   * property it shows, the range first so that binding clamps nothing it should not */
  if (sliding || self->compare == TRIAD_COMPARE_PREFIX_LM)
    {
      /* a text shorter than the number shows its length, and the number stays for a
       * longer text (spin_to_number) */
      self->limiting = TRUE;
      gtk_adjustment_set_upper (adj, MAX (n, 1));
      if (self->compare_binding == NULL || self->compare_bound != self->compare)
        {
          g_clear_pointer (&self->compare_binding, g_binding_unbind);
          self->compare_binding =
            g_object_bind_property_full (self, sliding ? "window" : "prefix",
                                         self->compare_spin, "value",
                                         G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                         NULL, spin_to_number, self, NULL);
          self->compare_bound = self->compare;
        }
      gtk_spin_button_set_value (self->compare_spin,
                                 sliding ? self->window : self->prefix);
      self->limiting = FALSE;
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->compare_spin),
                                   sliding ? _("W: how many tokens back a query may see, itself "
                                               "included")
                                           : _("The prefix’s length: tokens read in both "
                                               "directions"));
    }
}

static void
update (TriadMasksPage *self)
{
  TriadMasksOptions opt = {
    .compare = self->compare, .window = self->window, .prefix = self->prefix,
    .position = self->position, .formula_decoder = self->formula_decoder,
    .formula_step = self->formula_step, .hover_model = self->hover_model,
    .hover_row = self->hover_row, .hover_col = self->hover_col,
    .cmap = self->cmap,
  };
  int n = self->scene != NULL ? triad_masks_scene_n_decoder (self->scene) : 0;

  if (self->scene == NULL)
    ;
  else if (triad_scene_view_get_scene (self->figure) == NULL)
    triad_scene_view_set_scene (self->figure, triad_masks_scene_as_screen (self->scene, &opt));
  else
    triad_scene_set_options (triad_scene_view_get_scene (self->figure), &opt);
  triad_scene_view_set_font_scale (self->figure, self->font_scale);
  if (self->position < 0)
    /* TRANSLATORS: the decoder's position while stepping: all of its n tokens shown */
    {
      g_autofree char *s = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "All %d token",
                                                         "All %d tokens", n), n);
      gtk_label_set_text (self->position_label, s);
    }
  else
    {
      /* TRANSLATORS: the decoder's position while stepping, e.g. "Token 3 of 9" */
      g_autofree char *s = g_strdup_printf (_("Token %d of %d"), self->position + 1, n);
      gtk_label_set_text (self->position_label, s);
    }
  sync_controls (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->figure));
}

void
triad_masks_page_step_position (TriadMasksPage *self,
                                int             delta)
{
  int n;

  if (self->scene == NULL)
    return;
  n = triad_masks_scene_n_decoder (self->scene);
  /* from "all rows" a step forward starts over at the first token, a step back shows all
   * but the last */
  if (self->position < 0)
    self->position = delta > 0 ? 0 : n - 2;
  else
    self->position += delta;
  if (self->position >= n - 1 || self->position < 0)
    self->position = self->position < 0 ? 0 : -1;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  update (self);
}

static gboolean
play_tick (gpointer data)
{
  TriadMasksPage *self = data;

  triad_masks_page_step_position (self, 1);
  if (self->position < 0)
    {
      self->play_id = 0;
      stop_playing (self);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
stop_playing (TriadMasksPage *self)
{
  g_clear_handle_id (&self->play_id, g_source_remove);
  if (gtk_toggle_button_get_active (self->play_button))
    gtk_toggle_button_set_active (self->play_button, FALSE);
}

static void
play_toggled (GtkToggleButton *button,
              TriadMasksPage  *self)
{
  static const guint intervals[] = { 1400, 700, 300 };

  if (gtk_toggle_button_get_active (button))
    {
      guint speed = MIN (gtk_drop_down_get_selected (self->speed_dropdown), 2);

      gtk_button_set_icon_name (GTK_BUTTON (button), "media-playback-pause-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (button), _("Pause (Ctrl+Space)"));
      if (self->position < 0 && self->scene != NULL)
        {
          self->position = 0;
          update (self);
        }
      g_clear_handle_id (&self->play_id, g_source_remove);
      self->play_id = g_timeout_add (intervals[speed], play_tick, self);
    }
  else
    {
      gtk_button_set_icon_name (GTK_BUTTON (button), "media-playback-start-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (button), _("Play the decoder token by token (Ctrl+Space)"));
      g_clear_handle_id (&self->play_id, g_source_remove);
    }
}

static void
back_clicked (GtkButton      *button,
              TriadMasksPage *self)
{
  stop_playing (self);
  triad_masks_page_step_position (self, -1);
}

static void
forward_clicked (GtkButton      *button,
                 TriadMasksPage *self)
{
  stop_playing (self);
  triad_masks_page_step_position (self, 1);
}

void
triad_masks_page_step_layer (TriadMasksPage *self,
                             int             delta)
{
  if (self->n_layers > 0)
    g_object_set (self, "layer", CLAMP (self->layer + delta, 0, self->n_layers - 1), NULL);
}

void
triad_masks_page_step_head (TriadMasksPage *self,
                            int             delta)
{
  if (self->n_heads > 0)
    g_object_set (self, "head", (self->head + delta + self->n_heads) % self->n_heads, NULL);
}

static void
set_compare (TriadMasksPage *self,
             TriadCompare    compare)
{
  if (compare == self->compare || compare >= TRIAD_N_COMPARES)
    return;
  self->compare = compare;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPARE]);
  update (self);
}

static void
formula_model_toggled (GtkToggleButton *button,
                       TriadMasksPage  *self)
{
  gboolean decoder = gtk_toggle_button_get_active (self->formula_decoder_button);

  if (decoder == self->formula_decoder)
    return;
  self->formula_decoder = decoder;
  update (self);
}

static void
set_formula_step (TriadMasksPage *self,
                  int             step)
{
  step = CLAMP (step, -1, TRIAD_FORMULA_STEPS - 1);
  if (step == self->formula_step)
    return;
  self->formula_step = step;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORMULA_STEP]);
  update (self);
}

static void
step_back_clicked (GtkButton      *button,
                   TriadMasksPage *self)
{
  set_formula_step (self, self->formula_step - 1);
}

static void
step_next_clicked (GtkButton      *button,
                   TriadMasksPage *self)
{
  set_formula_step (self, self->formula_step + 1);
}

/* ---- pointing ------------------------------------------------------------------------ */

static void
get_style (TriadMasksPage   *self,
           TriadFigureStyle *style)
{
  triad_scene_view_get_style (self->figure, style);
}

static void
set_readout (TriadMasksPage *self,
             char           *text)
{
  g_free (self->readout_text);
  self->readout_text = text;
  gtk_label_set_text (self->readout, text != NULL ? text : " ");
}

/* The figure's hover moved to part: the readout says what the cell holds. */
static void
figure_hover_changed (TriadSceneView       *view,
                      const TriadScenePart *part,
                      TriadMasksPage       *self)
{
  gboolean cell = part->panel >= 0 && part->panel < TRIAD_MASKS_PART_FORMULA;
  int r = cell ? part->panel : -1, row = cell ? part->row : -1, col = cell ? part->col : -1;

  if (self->scene == NULL
      || (r == self->hover_model && row == self->hover_row && col == self->hover_col))
    return;
  self->hover_model = r;
  self->hover_row = row;
  self->hover_col = col;
  set_readout (self, r >= 0 ? triad_masks_scene_describe_cell (self->scene, r, row, col) : NULL);
  update (self);
}

void
triad_masks_page_hover (TriadMasksPage *self,
                        double          x,
                        double          y)
{
  triad_scene_view_hover_at (self->figure, x, y);
}

/* A click on a step of the formula chooses it. */
static void
figure_activated (TriadSceneView       *view,
                  const TriadScenePart *part,
                  TriadMasksPage       *self)
{
  if (part->panel == TRIAD_MASKS_PART_FORMULA)
    set_formula_step (self, part->row);
}

static gboolean
key_binding (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  TriadMasksPage *self = TRIAD_MASKS_PAGE (widget);
  const char *what;
  int delta;

  g_variant_get (args, "(&si)", &what, &delta);
  if (g_str_equal (what, "step"))
    set_formula_step (self, self->formula_step + delta);
  else if (g_str_equal (what, "position"))
    {
      stop_playing (self);
      triad_masks_page_step_position (self, delta);
    }
  else if (g_str_equal (what, "play"))
    gtk_toggle_button_set_active (self->play_button, !gtk_toggle_button_get_active (self->play_button));
  else if (g_str_equal (what, "layer"))
    triad_masks_page_step_layer (self, delta);
  else
    triad_masks_page_step_head (self, delta);
  return TRUE;
}

/* view.next-layer, view.previous-layer, view.next-head and view.previous-head: the window's
 * win.* of the same names forward here, to whichever page is in sight. */
static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TriadMasksPage *self = TRIAD_MASKS_PAGE (widget);
  int delta = g_str_has_prefix (action_name, "view.next-") ? 1 : -1;

  if (g_str_has_suffix (action_name, "-layer"))
    triad_masks_page_step_layer (self, delta);
  else
    triad_masks_page_step_head (self, delta);
}

/* ---- TriadView ----------------------------------------------------------------------- */

static void
view_set_input (TriadView        *view,
                TriadApplication *app,
                const char       *model,
                const char       *text)
{
  TriadMasksPage *self = TRIAD_MASKS_PAGE (view);
  const char *want_encoder = "encoder", *want_decoder = "decoder";
  TriadArch arch;

  /* the chosen model fills its side (T5 its encoder's: the formula takes an encoder's or a
   * decoder-only model's self-attention apart), the shipped one the other */
  if (model != NULL && triad_application_model_arch (app, model, &arch, NULL))
    {
      if (arch == TRIAD_ARCH_DECODER)
        want_decoder = model;
      else if (!triad_model_id_is_shipped (model))
        want_encoder = model;
    }
  /* returns at once: the models are loaded (the first time) in the worker */
  self->app = app;
  if (g_strcmp0 (text, self->text) == 0 && self->scene != NULL
      && g_strcmp0 (want_encoder, self->want_encoder) == 0
      && g_strcmp0 (want_decoder, self->want_decoder) == 0)
    return;
  g_free (self->want_encoder);
  self->want_encoder = g_strdup (want_encoder);
  g_free (self->want_decoder);
  self->want_decoder = g_strdup (want_decoder);
  g_free (self->text);
  self->text = g_strdup (text);
  schedule (self);
}

static gboolean
view_get_figure_size (TriadView *view,
                      double    *width,
                      double    *height)
{
  TriadMasksPage *self = TRIAD_MASKS_PAGE (view);

  *width = gtk_widget_get_width (GTK_WIDGET (self->figure));
  *height = gtk_widget_get_height (GTK_WIDGET (self->figure));
  return self->scene != NULL;
}

static void
view_draw_figure (TriadView *view,
                  cairo_t   *cr,
                  double     width,
                  double     height)
{
  TriadMasksPage *self = TRIAD_MASKS_PAGE (view);
  TriadFigureStyle style;

  get_style (self, &style);
  triad_masks_scene_draw (self->scene, cr, &style, width, height);
}

static void
view_step (TriadView *view,
           int        delta)
{
  TriadMasksPage *self = TRIAD_MASKS_PAGE (view);

  set_formula_step (self, self->formula_step + delta);
}

static void
view_draw_figure_with_style (TriadView              *view,
                             cairo_t                *cr,
                             const TriadFigureStyle *style,
                             double                  width,
                             double                  height)
{
  triad_masks_scene_draw (TRIAD_MASKS_PAGE (view)->scene, cr, style, width, height);
}

static void
view_relabel (TriadView *view)
{
  update (TRIAD_MASKS_PAGE (view));
}

static void
triad_masks_page_view_init (TriadViewInterface *iface)
{
  iface->set_input = view_set_input;
  iface->get_figure_size = view_get_figure_size;
  iface->draw_figure = view_draw_figure;
  iface->step = view_step;
  iface->draw_figure_with_style = view_draw_figure_with_style;
  iface->relabel = view_relabel;
}

/* ---- GObject ------------------------------------------------------------------------- */

static void
triad_masks_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TriadMasksPage *self = TRIAD_MASKS_PAGE (object);

  switch (prop_id)
    {
    case PROP_LAYER:
    case PROP_HEAD:
      {
        int v = g_value_get_int (value);
        int *field = prop_id == PROP_LAYER ? &self->layer : &self->head;

        /* the lists follow through their bindings (triad_masks_page_init) */
        if (v >= (prop_id == PROP_LAYER ? self->n_layers : self->n_heads) || v == *field)
          break;
        *field = v;
        g_object_notify_by_pspec (object, pspec);
        schedule (self);
      }
      break;
    case PROP_POSITION:
      self->position = g_value_get_int (value);
      update (self);
      break;
    case PROP_FORMULA_STEP:
      set_formula_step (self, g_value_get_int (value));
      break;
    case PROP_FONT_SCALE:
      self->font_scale = g_value_get_double (value);
      update (self);
      break;
    case PROP_COMPARE:
      set_compare (self, g_value_get_enum (value));
      break;
    case PROP_WINDOW:
    case PROP_PREFIX:
      {
        int *field = prop_id == PROP_WINDOW ? &self->window : &self->prefix;

        if (g_value_get_int (value) == *field)
          break;
        *field = g_value_get_int (value);
        g_object_notify_by_pspec (object, pspec);
        update (self);
      }
      break;
    case PROP_COLORMAP:
      if ((TriadColormap) g_value_get_enum (value) == self->cmap)
        break;
      self->cmap = g_value_get_enum (value);
      g_object_notify_by_pspec (object, pspec);
      update (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
triad_masks_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TriadMasksPage *self = TRIAD_MASKS_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, triad_computation_get_busy (self->computation));
      break;
    case PROP_POSITION: g_value_set_int (value, self->position); break;
    case PROP_LAYER: g_value_set_int (value, self->layer); break;
    case PROP_HEAD: g_value_set_int (value, self->head); break;
    case PROP_FORMULA_STEP: g_value_set_int (value, self->formula_step); break;
    case PROP_FONT_SCALE: g_value_set_double (value, self->font_scale); break;
    case PROP_COLORMAP: g_value_set_enum (value, self->cmap); break;
    case PROP_COMPARE: g_value_set_enum (value, self->compare); break;
    case PROP_WINDOW: g_value_set_int (value, self->window); break;
    case PROP_PREFIX: g_value_set_int (value, self->prefix); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
triad_masks_page_dispose (GObject *object)
{
  TriadMasksPage *self = TRIAD_MASKS_PAGE (object);

  g_clear_handle_id (&self->play_id, g_source_remove);
  g_clear_pointer (&self->computation, triad_computation_free);
  g_clear_pointer (&self->compare_binding, g_binding_unbind);
  gtk_widget_dispose_template (GTK_WIDGET (self), TRIAD_TYPE_MASKS_PAGE);
  /* no named child sits directly in a GtkPaned, which would keep a stale pointer to it */
  triad_view_unparent_children (GTK_WIDGET (self));
  G_OBJECT_CLASS (triad_masks_page_parent_class)->dispose (object);
}

static void
triad_masks_page_finalize (GObject *object)
{
  TriadMasksPage *self = TRIAD_MASKS_PAGE (object);

  g_clear_pointer (&self->scene, triad_masks_scene_free);
  g_free (self->encoder_id);
  g_free (self->decoder_id);
  g_free (self->want_encoder);
  g_free (self->want_decoder);
  g_free (self->text);
  g_free (self->readout_text);
  G_OBJECT_CLASS (triad_masks_page_parent_class)->finalize (object);
}

static void
triad_masks_page_class_init (TriadMasksPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = triad_masks_page_set_property;
  object_class->get_property = triad_masks_page_get_property;
  object_class->dispose = triad_masks_page_dispose;
  object_class->finalize = triad_masks_page_finalize;

  properties[PROP_POSITION] =
    g_param_spec_int ("position", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FORMULA_STEP] =
    g_param_spec_int ("formula-step", NULL, NULL, -1, TRIAD_FORMULA_STEPS - 1, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FONT_SCALE] =
    g_param_spec_double ("font-scale", NULL, NULL, 0.5, 4.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* the weights' colour map, as the window's preference (GSettings "colormap") names it */
  properties[PROP_COLORMAP] =
    g_param_spec_enum ("colormap", NULL, NULL, TRIAD_TYPE_COLORMAP, TRIAD_COLORMAP_VIRIDIS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* the layer and head of both models shown (of as many as the smaller has) */
  properties[PROP_LAYER] =
    g_param_spec_int ("layer", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEAD] =
    g_param_spec_int ("head", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* the third mask on the grid, after the encoder and the decoder */
  properties[PROP_COMPARE] =
    g_param_spec_enum ("compare", NULL, NULL, TRIAD_TYPE_COMPARE, TRIAD_COMPARE_NONE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* the sliding window's width and the prefix-LM's prefix, in tokens (triad export's --window
   * and --prefix) */
  properties[PROP_WINDOW] =
    g_param_spec_int ("window", NULL, NULL, 1, MAX_TOKENS, 3,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PREFIX] =
    g_param_spec_int ("prefix", NULL, NULL, 1, MAX_TOKENS, 4,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_BUSY, "busy");

  g_type_ensure (TRIAD_TYPE_TOOLBAR);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/triad/Triad/triad-masks-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TriadMasksPage, layer_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadMasksPage, models_label);
  gtk_widget_class_bind_template_child (widget_class, TriadMasksPage, head_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadMasksPage, compare_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadMasksPage, compare_spin);
  gtk_widget_class_bind_template_child (widget_class, TriadMasksPage, position_label);
  gtk_widget_class_bind_template_child (widget_class, TriadMasksPage, play_button);
  gtk_widget_class_bind_template_child (widget_class, TriadMasksPage, speed_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadMasksPage, figure);
  gtk_widget_class_bind_template_child (widget_class, TriadMasksPage, formula_decoder_button);
  gtk_widget_class_bind_template_child (widget_class, TriadMasksPage, readout);
  gtk_widget_class_bind_template_child (widget_class, TriadMasksPage, message);
  gtk_widget_class_bind_template_callback (widget_class, play_toggled);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, forward_clicked);
  gtk_widget_class_bind_template_callback (widget_class, formula_model_toggled);
  gtk_widget_class_bind_template_callback (widget_class, step_back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, step_next_clicked);

  gtk_widget_class_install_property_action (widget_class, "view.colormap", "colormap");
  gtk_widget_class_install_property_action (widget_class, "view.layer", "layer");
  gtk_widget_class_install_property_action (widget_class, "view.head", "head");
  gtk_widget_class_install_property_action (widget_class, "view.formula-step", "formula-step");
  gtk_widget_class_install_property_action (widget_class, "view.position", "position");
  gtk_widget_class_install_property_action (widget_class, "view.compare", "compare");
  gtk_widget_class_install_property_action (widget_class, "view.window", "window");
  gtk_widget_class_install_property_action (widget_class, "view.prefix", "prefix");
  gtk_widget_class_install_action (widget_class, "view.next-layer", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "view.previous-layer", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "view.next-head", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "view.previous-head", NULL, step_action);

  /* Space and the arrows go through the formula; Ctrl+arrows step the decoder */
  gtk_widget_class_add_binding (widget_class, GDK_KEY_space, 0, key_binding, "(si)", "step", 1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Right, 0, key_binding, "(si)", "step", 1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Left, 0, key_binding, "(si)", "step", -1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Right, GDK_CONTROL_MASK, key_binding, "(si)", "position", 1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Left, GDK_CONTROL_MASK, key_binding, "(si)", "position", -1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_space, GDK_CONTROL_MASK, key_binding, "(si)", "play", 0);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Down, 0, key_binding, "(si)", "layer", 1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Up, 0, key_binding, "(si)", "layer", -1);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "maskspage");
}

static void
triad_masks_page_init (TriadMasksPage *self)
{
  self->layer = 0;
  self->head = 0;
  self->window = 3;
  self->prefix = 4;
  self->position = -1;
  self->formula_decoder = TRUE;
  self->formula_step = -1;
  self->font_scale = 1.0;
  self->cmap = TRIAD_COLORMAP_VIRIDIS;
  self->hover_model = self->hover_row = self->hover_col = -1;
  g_type_ensure (TRIAD_TYPE_SCENE_VIEW);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->computation = triad_computation_new (TRIAD_VIEW (self), self->message, compute_done,
                                             (GDestroyNotify) result_free);

  triad_bind_numbered_drop_down (self, "layer", self->layer_dropdown, 0);
  triad_bind_numbered_drop_down (self, "head", self->head_dropdown, 0);
  /* the list holds the enum's values in its order (ui/triad-masks-page.ui) */
  triad_bind_enum_drop_down (self, "compare", self->compare_dropdown);
  g_signal_connect (self->figure, "hover-changed", G_CALLBACK (figure_hover_changed), self);
  g_signal_connect (self->figure, "activated", G_CALLBACK (figure_activated), self);
  update (self);
}
