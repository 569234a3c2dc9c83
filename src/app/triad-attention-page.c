/* triad-attention-page.c — the Attention view. The page computes through its computation
 * helper (the model loaded in the worker too; a new input cancels the one before), keeps the
 * last good result on screen, and updates its
 * scene with what the controls ask for: the Cairo figure and the export draw the scene, the
 * GL canvas shows long inputs' heatmaps on screen. */
#include "config.h"

#include <glib/gi18n.h>

#include "app/triad-attention-page-private.h"
#include "app/triad-computation.h"
#include "app/triad-gl-heatmap.h"
#include "app/triad-scene-view.h"
#include "app/triad-toolbar.h"
#include "app/triad-view.h"
#include "scenes/scene-describe.h"
#include "triad-enum-types.h"
#include "engine/analysis.h"
#include "engine/numbers.h"
#include "scenes/attention-scene.h"
#include "scenes/scene-adapters.h"

/* Below this many tokens every layer and head is captured at once, so that moving between
 * them is instant (4 × 4 × 512² floats = 16 MB); above it, only what is shown. */
#define CAPTURE_ALL_TOKENS 512
#define CAPTURE_LAYER_TOKENS 1024
/* From this many cells on, the heatmap is drawn by the GL canvas, which zooms and pans. */
#define GL_CELLS (256 * 256)

static void triad_attention_page_view_init (TriadViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TriadAttentionPage, triad_attention_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (TRIAD_TYPE_VIEW, triad_attention_page_view_init))

enum {
  PROP_0,
  PROP_KIND,
  PROP_LAYER,
  PROP_HEAD,
  PROP_MODE,
  PROP_SHOW_LINES,
  PROP_COLORMAP,
  PROP_NORMALIZATION,
  PROP_READOUT,
  PROP_FONT_SCALE,
  N_PROPS,
  PROP_BUSY = N_PROPS,      /* TriadView's */
};

static GParamSpec *properties[N_PROPS];

const char * const triad_attention_kind_ids[TRIAD_ATTENTION_N_KINDS] = {
  "self", "decoder-self", "cross"
};

static void refresh (TriadAttentionPage *self);
static void schedule (TriadAttentionPage *self);

GtkWidget *
triad_attention_page_new (void)
{
  return g_object_new (TRIAD_TYPE_ATTENTION_PAGE, NULL);
}

gboolean
triad_attention_page_get_busy (TriadAttentionPage *self)
{
  return triad_computation_get_busy (self->computation);
}

TriadSceneView *
triad_attention_page_get_figure (TriadAttentionPage *self)
{
  return self->figure;
}

TriadAttentionScene *
triad_attention_page_get_scene (TriadAttentionPage *self)
{
  return self->scene;
}

const TriadAttentionMap *
triad_attention_page_get_map (TriadAttentionPage *self)
{
  return self->scene != NULL ? triad_attention_scene_get_map (self->scene) : NULL;
}

const char *
triad_attention_page_get_readout (TriadAttentionPage *self)
{
  return self->readout_text;
}

/* The kind of attention kind names ("self", "decoder-self", "cross") in model. */
static TriadAttnKind
kind_in (TriadModel *model,
         const char *kind)
{
  if (model == NULL || g_strcmp0 (kind, "self") == 0)
    return model != NULL ? triad_attention_default_kind (model) : TRIAD_ATTN_ENCODER_SELF;
  return g_strcmp0 (kind, "cross") == 0 ? TRIAD_ATTN_CROSS : TRIAD_ATTN_DECODER_SELF;
}

static TriadAttnKind
current_kind (TriadAttentionPage *self)
{
  return kind_in (self->model, self->kind);
}

/* ---- computing ----------------------------------------------------------------------- */

typedef struct {
  TriadApplication *app;
  char             *model_id;
  TriadModel       *model;           /* the shown one when it is still asked for, or NULL */
  char             *text;
  char             *kind;
  int               layer;
  int               head;
} Request;

typedef struct {
  TriadModel          *model;
  char                *model_id;
  TriadAttentionScene *scene;
} Result;

static void
request_free (Request *r)
{
  g_clear_object (&r->app);
  g_free (r->model_id);
  g_free (r->text);
  g_free (r->kind);
  g_free (r);
}

static void
result_free (Result *res)
{
  g_clear_pointer (&res->scene, triad_attention_scene_free);
  g_free (res->model_id);
  g_free (res);
}

/* The worker: the model first (its first load takes a while), then the attention. */
static gpointer
compute_thread (gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  Request *r = data;
  g_autoptr(TriadEncoding) probe = NULL;
  TriadModel *model = r->model;
  TriadAttnKind kind;
  int layer = r->layer, head = r->head;
  int capture_layer = -1, capture_head = -1;
  Result *res;

  if (model == NULL)
    {
      model = triad_application_get_model_by_id (r->app, r->model_id, error);
      if (model == NULL)
        return NULL;
    }
  kind = kind_in (model, r->kind);
  if (r->model == NULL)
    {
      /* a new model opens at its last layer, as model_shown does */
      layer = triad_attention_n_layers (model, kind) - 1;
      head = MIN (head, model->config.n_heads - 1);
    }
  /* how much to capture depends on the length: count the tokens first */
  probe = triad_tokenizer_encode (model->tokenizer, r->text, -1, TRUE, error);
  if (probe == NULL)
    return NULL;
  if (probe->n > CAPTURE_ALL_TOKENS)
    {
      capture_layer = layer;
      capture_head = probe->n > CAPTURE_LAYER_TOKENS ? head : -1;
    }
  res = g_new0 (Result, 1);
  res->model = model;
  res->model_id = g_strdup (r->model_id);
  /* the map's capture records which layer and head it holds (-1: all) */
  res->scene = triad_attention_scene_compute (model, r->text, NULL, kind, capture_layer,
                                              capture_head, cancellable, error);
  if (res->scene == NULL)
    g_clear_pointer (&res, result_free);
  return res;
}

/* Another model is asked for: it opens on its own attention, which its kind says at once, so
 * that a kind chosen while it loads ("cross" right after the encoder-decoder) is kept. */
static void
model_asked (TriadAttentionPage *self)
{
  self->model_asked = TRUE;
  if (g_strcmp0 (self->kind, "self") == 0)
    return;
  g_free (self->kind);
  self->kind = g_strdup ("self");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
  triad_attention_page_sync_controls (self);
}

/* The model of a result is now the page's: its layers and heads, from the last layer (the
 * worker computed that one). */
static void
model_shown (TriadAttentionPage *self,
             TriadModel         *model,
             const char         *id)
{
  if (self->model == model)
    return;
  self->model = model;
  g_free (self->shown_id);
  self->shown_id = g_strdup (id);
  self->model_asked = FALSE;
  self->n_layers = triad_attention_n_layers (model, current_kind (self));
  self->n_heads = model->config.n_heads;
  self->layer = self->n_layers - 1;
  self->head = MIN (self->head, self->n_heads - 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYER]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEAD]);
  triad_attention_page_sync_controls (self);
}

static void
compute_done (TriadView *view,
              gpointer   result)
{
  TriadAttentionPage *self = TRIAD_ATTENTION_PAGE (view);
  Result *res = result;

  model_shown (self, res->model, res->model_id);
  /* the view's scene borrows the old one: let it go first */
  triad_scene_view_set_scene (self->figure, NULL);
  g_clear_pointer (&self->scene, triad_attention_scene_free);
  self->scene = g_steal_pointer (&res->scene);
  result_free (res);
  refresh (self);
}

/* The scene's options from the controls, and the pointer over the figure. */
static void
options_of (TriadAttentionPage    *self,
            TriadAttentionOptions *opt)
{
  triad_attention_options_init (opt);
  opt->mode = self->mode;
  opt->lines = self->show_lines;
  opt->layer = self->layer;
  opt->head = self->head;
  opt->cmap = self->cmap;
  opt->norm = self->norm;
  opt->hover_a = opt->hover_b = -1;
  if (triad_scene_view_get_scene (self->figure) != NULL)
    {
      TriadScenePart part;

      triad_scene_view_get_hover (self->figure, &part);
      if (part.panel >= 0)
        {
          opt->hover_a = part.row;
          opt->hover_b = part.col;
        }
    }
}

/* Whether the shown map holds the attention, layer and head the controls ask for. */
static gboolean
map_covers (TriadAttentionPage *self)
{
  TriadAttentionOptions opt;

  if (self->scene == NULL
      || triad_attention_scene_get_map (self->scene)->kind != current_kind (self))
    return FALSE;
  options_of (self, &opt);
  return triad_attention_scene_holds (self->scene, &opt);
}

static void
schedule (TriadAttentionPage *self)
{
  Request *r;

  if ((self->app == NULL && self->model == NULL) || self->text == NULL)
    return;
  r = g_new0 (Request, 1);
  r->app = self->app != NULL ? g_object_ref (self->app) : NULL;
  r->model_id = g_strdup (self->model_id);
  /* the shown model while it is the one asked for; another is loaded in the worker */
  if (self->model != NULL && (self->app == NULL || g_strcmp0 (self->shown_id, self->model_id) == 0))
    r->model = self->model;
  r->text = g_strdup (self->text);
  r->kind = g_strdup (self->kind);
  r->layer = self->layer;
  r->head = self->head;
  triad_computation_start (self->computation, compute_thread, r, (GDestroyNotify) request_free);
}

void
triad_attention_page_set_input (TriadAttentionPage *self,
                                TriadModel         *model,
                                const char         *text)
{
  g_return_if_fail (TRIAD_IS_ATTENTION_PAGE (self));
  g_return_if_fail (model != NULL);

  /* a model given: no application to load one from */
  self->app = NULL;
  g_clear_pointer (&self->model_id, g_free);
  g_free (self->text);
  self->text = g_strdup (text);
  if (model != self->model)
    model_asked (self);
  model_shown (self, model, NULL);
  schedule (self);
}

/* ---- drawing ------------------------------------------------------------------------- */

static void
update_stats (TriadAttentionPage *self)
{
  GtkWidget *child;
  const char *headers[] = { N_("Head"), N_("Entropy"), N_("Distance"), N_("First token") };
  const char *tips[] = {
    N_("The head"),
    N_("Mean entropy of a query’s weights, in nats: low when each token looks at few others"),
    N_("Mean distance in tokens between a query and the keys it looks at"),
    N_("Mean share of attention on the first token, the “attention sink”"),
  };
  const TriadCapture *cap = &triad_attention_scene_get_map (self->scene)->cap;
  int rows = cap->head >= 0 ? 1 : cap->n_heads;
  /* grouped-query attention: the heads that share a K/V head listed under it */
  int group = triad_attention_scene_get_kv_group (self->scene), line = 1;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->stats_grid))) != NULL)
    gtk_grid_remove (self->stats_grid, child);

  for (int c = 0; c < 4; c++)
    {
      GtkWidget *label = gtk_label_new (_(headers[c]));
      gtk_widget_add_css_class (label, "heading");
      gtk_widget_set_tooltip_text (label, _(tips[c]));
      gtk_label_set_xalign (GTK_LABEL (label), c == 0 ? 0.0 : 1.0);
      gtk_grid_attach (self->stats_grid, label, c, 0, 1, 1);
    }
  for (int r = 0; r < rows; r++)
    {
      int head = cap->head >= 0 ? cap->head : r;
      TriadHeadStats st;
      g_autofree char *cells[4] = { NULL };

      if (group > 1 && (r == 0 || head % group == 0))
        {
          /* TRANSLATORS: a row over the query heads that read one key/value head */
          g_autofree char *title = g_strdup_printf (_("K/V head %d"), head / group);
          GtkWidget *label = gtk_label_new (title);

          gtk_label_set_xalign (GTK_LABEL (label), 0.0);
          gtk_widget_add_css_class (label, "dim-label");
          gtk_widget_add_css_class (label, "caption-heading");
          gtk_grid_attach (self->stats_grid, label, 0, line++, 4, 1);
        }

      triad_head_stats (triad_attention_scene_get_head (self->scene, head), cap->n_q, cap->n_k,
                        &st);
      cells[0] = g_strdup_printf ("%d", head);
      cells[1] = triad_format_double (st.entropy, 2);
      cells[2] = triad_format_double (st.mean_distance, 1);
      cells[3] = g_strdup_printf ("%.0f %%", 100 * st.sink);
      for (int c = 0; c < 4; c++)
        {
          GtkWidget *label = gtk_label_new (cells[c]);
          gtk_label_set_xalign (GTK_LABEL (label), c == 0 ? 0.0 : 1.0);
          gtk_widget_add_css_class (label, "numeric");
          if (head == self->head && self->mode == TRIAD_ATTENTION_SINGLE)
            gtk_widget_add_css_class (label, "accent");
          gtk_grid_attach (self->stats_grid, label, c, line, 1, 1);
        }
      line++;
    }
}

/* Updates the scene with the controls and the pointer; FALSE when it holds no figure for them. */
static gboolean
update_scene (TriadAttentionPage *self)
{
  TriadScene *adapter = triad_scene_view_get_scene (self->figure);
  TriadAttentionOptions opt;
  gboolean ok;

  options_of (self, &opt);
  /* the view keeps the options it hit-tests and lights with */
  if (adapter != NULL)
    triad_scene_set_options (adapter, &opt);
  else
    triad_attention_scene_update (self->scene, &opt);
  if (triad_attention_scene_get_figure (self->scene) != self->shown || adapter == NULL)
    {
      /* another kind of figure: what the pointer was over means something else there, and a
       * new adapter in the view forgets it */
      self->shown = triad_attention_scene_get_figure (self->scene);
      triad_scene_view_set_scene (self->figure, NULL);
      options_of (self, &opt);
      triad_scene_view_set_scene (self->figure, triad_attention_scene_as_scene (self->scene, &opt));
    }
  ok = triad_attention_scene_get_figure (self->scene) != TRIAD_ATTENTION_FIGURE_NONE;
  gtk_widget_queue_draw (GTK_WIDGET (self->figure));
  return ok;
}

static void gl_describe (TriadAttentionPage *self);

static void
refresh_figure (TriadAttentionPage *self)
{
  TriadAttentionOptions opt;
  const float *weights;
  int n_q, n_k;

  if (self->scene == NULL)
    {
      triad_scene_view_set_scene (self->figure, NULL);
      return;
    }
  if (!map_covers (self))
    {
      /* a long input holds only what was shown: fetch the rest */
      schedule (self);
      return;
    }
  /* the scene is the figure, whatever draws the screen: export draws it */
  update_scene (self);
  options_of (self, &opt);
  weights = triad_attention_scene_get_weights (self->scene, &n_q, &n_k);
  if (triad_attention_scene_get_figure (self->scene) == TRIAD_ATTENTION_FIGURE_HEATMAP
      && (size_t) n_q * n_k >= GL_CELLS && triad_gl_heatmap_is_usable (self->gl_heatmap))
    {
      triad_gl_heatmap_set_matrix (self->gl_heatmap, weights, n_q, n_k,
                                   triad_attention_scene_get_labels (self->scene, TRUE),
                                   triad_attention_scene_get_labels (self->scene, FALSE),
                                   opt.cmap, opt.norm);
      gl_describe (self);
      gtk_stack_set_visible_child_name (self->canvas_stack, "gl");
    }
  else
    gtk_stack_set_visible_child_name (self->canvas_stack, "figure");
  update_stats (self);
}

static void set_readout (TriadAttentionPage *self, char *text);

/* Draws what the controls ask for, and says again what the pointer is over: the cell under it
 * may hold another token and weight now. */
static void
refresh (TriadAttentionPage *self)
{
  TriadAttentionOptions opt;

  refresh_figure (self);
  options_of (self, &opt);
  if (self->scene != NULL && map_covers (self))
    set_readout (self, triad_attention_scene_describe (self->scene, opt.hover_a, opt.hover_b));
}

static void
set_readout (TriadAttentionPage *self,
             char               *text)
{
  g_free (self->readout_text);
  self->readout_text = text;
  gtk_label_set_text (self->readout, text != NULL ? text : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READOUT]);
}

static void
figure_hover (TriadSceneView       *figure,
              const TriadScenePart *part,
              TriadAttentionPage   *self)
{
  int a = part->panel >= 0 ? part->row : -1, b = part->panel >= 0 ? part->col : -1;

  if (self->scene == NULL || !map_covers (self))
    {
      set_readout (self, NULL);
      return;
    }
  update_scene (self);
  set_readout (self, triad_attention_scene_describe (self->scene, a, b));
}

/* What a screen reader says of the GL heatmap: the cell lit, as the readout says it, or the
 * whole figure, as the Cairo figure describes it. */
static void
gl_describe (TriadAttentionPage *self)
{
  TriadScene *scene = triad_scene_view_get_scene (self->figure);
  g_autofree char *text = NULL;
  int q, k;

  triad_gl_heatmap_get_cell (self->gl_heatmap, &q, &k);
  if (q >= 0 && self->scene != NULL)
    text = triad_attention_scene_describe (self->scene, q, k);
  else if (scene != NULL)
    text = triad_scene_describe (scene);
  triad_gl_heatmap_set_description (self->gl_heatmap, text);
}

static void
gl_cell (TriadGlHeatmap     *gl,
         int                 q,
         int                 k,
         TriadAttentionPage *self)
{
  if (self->scene == NULL || !map_covers (self))
    return;
  set_readout (self, q >= 0 ? triad_attention_scene_describe (self->scene, q, k) : NULL);
  gl_describe (self);
}

static void
gl_failed (TriadGlHeatmap     *gl,
           TriadAttentionPage *self)
{
  /* no GL here: the same matrix in the Cairo figure */
  refresh (self);
}

static void
figure_activated (TriadSceneView       *figure,
                  const TriadScenePart *part,
                  TriadAttentionPage   *self)
{
  int a = part->row;

  if (self->scene == NULL
      || triad_attention_scene_get_figure (self->scene) != TRIAD_ATTENTION_FIGURE_GRID)
    return;
  /* a small multiple opens its head */
  g_object_set (self, "head", a, "mode", TRIAD_ATTENTION_SINGLE, NULL);
}

/* ---- GObject ------------------------------------------------------------------------- */

static gboolean
in_list (const char         *value,
         const char * const *ids,
         guint               n)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (value, ids[i]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
triad_attention_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  TriadAttentionPage *self = TRIAD_ATTENTION_PAGE (object);
  gboolean changed = FALSE;

  switch (prop_id)
    {
    case PROP_KIND:
      if (in_list (g_value_get_string (value), triad_attention_kind_ids, G_N_ELEMENTS (triad_attention_kind_ids))
          && (changed = set_string (&self->kind, g_value_get_string (value))) && self->model != NULL)
        {
          self->n_layers = triad_attention_n_layers (self->model, current_kind (self));
          self->layer = CLAMP (self->layer, 0, MAX (self->n_layers - 1, 0));
        }
      break;
    case PROP_LAYER:
      {
        int v = g_value_get_int (value);
        if (v >= 0 && v < MAX (self->n_layers, 1) && v != self->layer)
          self->layer = v, changed = TRUE;
      }
      break;
    case PROP_HEAD:
      {
        int v = g_value_get_int (value);
        if (v >= 0 && v < MAX (self->n_heads, 1) && v != self->head)
          self->head = v, changed = TRUE;
      }
      break;
    case PROP_MODE:
      changed = self->mode != (TriadAttentionMode) g_value_get_enum (value);
      self->mode = g_value_get_enum (value);
      break;
    case PROP_FONT_SCALE:
      /* only the drawing changes: no recomputation */
      triad_scene_view_set_font_scale (self->figure, g_value_get_double (value));
      g_object_notify_by_pspec (object, pspec);
      return;
    case PROP_SHOW_LINES:
      changed = self->show_lines != g_value_get_boolean (value);
      self->show_lines = g_value_get_boolean (value);
      break;
    case PROP_COLORMAP:
      changed = self->cmap != (TriadColormap) g_value_get_enum (value);
      self->cmap = g_value_get_enum (value);
      break;
    case PROP_NORMALIZATION:
      changed = self->norm != (TriadNormalization) g_value_get_enum (value);
      self->norm = g_value_get_enum (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  if (!changed)
    return;
  g_object_notify_by_pspec (object, pspec);
  triad_attention_page_sync_controls (self);
  refresh (self);
}

static void
triad_attention_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TriadAttentionPage *self = TRIAD_ATTENTION_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, triad_computation_get_busy (self->computation));
      break;
    case PROP_KIND: g_value_set_string (value, self->kind); break;
    case PROP_LAYER: g_value_set_int (value, self->layer); break;
    case PROP_HEAD: g_value_set_int (value, self->head); break;
    case PROP_MODE: g_value_set_enum (value, self->mode); break;
    case PROP_SHOW_LINES: g_value_set_boolean (value, self->show_lines); break;
    case PROP_COLORMAP: g_value_set_enum (value, self->cmap); break;
    case PROP_NORMALIZATION: g_value_set_enum (value, self->norm); break;
    case PROP_READOUT: g_value_set_string (value, self->readout_text); break;
    case PROP_FONT_SCALE:
      g_value_set_double (value, triad_scene_view_get_font_scale (self->figure));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
triad_attention_page_dispose (GObject *object)
{
  TriadAttentionPage *self = TRIAD_ATTENTION_PAGE (object);

  g_clear_pointer (&self->computation, triad_computation_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), TRIAD_TYPE_ATTENTION_PAGE);
  triad_view_unparent_children (GTK_WIDGET (self));
  G_OBJECT_CLASS (triad_attention_page_parent_class)->dispose (object);
}

static void
triad_attention_page_finalize (GObject *object)
{
  TriadAttentionPage *self = TRIAD_ATTENTION_PAGE (object);

  g_clear_pointer (&self->scene, triad_attention_scene_free);
  g_free (self->readout_text);
  g_free (self->text);
  g_free (self->kind);
  g_free (self->model_id);
  g_free (self->shown_id);
  G_OBJECT_CLASS (triad_attention_page_parent_class)->finalize (object);
}

/* ---- TriadView ---------------------------------------------------------------------- */

static void
view_set_input (TriadView        *view,
                TriadApplication *app,
                const char       *model,
                const char       *text)
{
  TriadAttentionPage *self = TRIAD_ATTENTION_PAGE (view);

  /* returns at once: the model is loaded (the first time) and the attention computed in the
   * worker, and the page takes the model's layers and heads when the result comes */
  if (self->model == NULL || g_strcmp0 (self->shown_id, model) != 0)
    {
      if (!self->model_asked || g_strcmp0 (model, self->model_id) != 0)
        model_asked (self);
    }
  else
    self->model_asked = FALSE;
  self->app = app;
  g_free (self->model_id);
  self->model_id = g_strdup (model);
  g_free (self->text);
  self->text = g_strdup (text);
  schedule (self);
}

static gboolean
view_get_figure_size (TriadView *view,
                      double    *width,
                      double    *height)
{
  TriadAttentionPage *self = TRIAD_ATTENTION_PAGE (view);
  /* the canvas on screen, the Cairo figure or the GL one: the export is the scene at its size */
  GtkWidget *shown = gtk_stack_get_visible_child (self->canvas_stack);

  *width = gtk_widget_get_width (shown);
  *height = gtk_widget_get_height (shown);
  return self->scene != NULL
         && triad_attention_scene_get_figure (self->scene) != TRIAD_ATTENTION_FIGURE_NONE;
}

static void
view_draw_figure (TriadView *view,
                  cairo_t   *cr,
                  double     width,
                  double     height)
{
  TriadAttentionPage *self = TRIAD_ATTENTION_PAGE (view);
  TriadFigureStyle style;

  triad_scene_view_get_style (self->figure, &style);
  if (self->scene != NULL)
    triad_attention_scene_draw (self->scene, cr, &style, width, height);
}

static void
view_step (TriadView *view,
           int        delta)
{
  triad_attention_page_step_head (TRIAD_ATTENTION_PAGE (view), delta);
}

static void
view_draw_figure_with_style (TriadView              *view,
                             cairo_t                *cr,
                             const TriadFigureStyle *style,
                             double                  width,
                             double                  height)
{
  TriadAttentionPage *self = TRIAD_ATTENTION_PAGE (view);

  if (self->scene != NULL)
    triad_attention_scene_draw (self->scene, cr, style, width, height);
}

static void
view_relabel (TriadView *view)
{
  refresh (TRIAD_ATTENTION_PAGE (view));
}

static void
triad_attention_page_view_init (TriadViewInterface *iface)
{
  iface->set_input = view_set_input;
  iface->get_figure_size = view_get_figure_size;
  iface->draw_figure = view_draw_figure;
  iface->step = view_step;
  iface->draw_figure_with_style = view_draw_figure_with_style;
  iface->relabel = view_relabel;
}

static void
triad_attention_page_class_init (TriadAttentionPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = triad_attention_page_set_property;
  object_class->get_property = triad_attention_page_get_property;
  object_class->dispose = triad_attention_page_dispose;
  object_class->finalize = triad_attention_page_finalize;

  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, "self",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAYER] =
    g_param_spec_int ("layer", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEAD] =
    g_param_spec_int ("head", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, TRIAD_TYPE_ATTENTION_MODE, TRIAD_ATTENTION_SINGLE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_LINES] =
    g_param_spec_boolean ("show-lines", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLORMAP] =
    g_param_spec_enum ("colormap", NULL, NULL, TRIAD_TYPE_COLORMAP, TRIAD_COLORMAP_VIRIDIS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NORMALIZATION] =
    g_param_spec_enum ("normalization", NULL, NULL, TRIAD_TYPE_NORMALIZATION, TRIAD_NORM_GLOBAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READOUT] =
    g_param_spec_string ("readout", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FONT_SCALE] =
    g_param_spec_double ("font-scale", NULL, NULL, 0.5, 4.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_BUSY, "busy");

  g_type_ensure (TRIAD_TYPE_SCENE_VIEW);
  g_type_ensure (TRIAD_TYPE_GL_HEATMAP);
  g_type_ensure (TRIAD_TYPE_TOOLBAR);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/triad/Triad/triad-attention-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TriadAttentionPage, toolbar);
  gtk_widget_class_bind_template_child (widget_class, TriadAttentionPage, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadAttentionPage, layer_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadAttentionPage, head_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadAttentionPage, single_button);
  gtk_widget_class_bind_template_child (widget_class, TriadAttentionPage, average_button);
  gtk_widget_class_bind_template_child (widget_class, TriadAttentionPage, grid_button);
  gtk_widget_class_bind_template_child (widget_class, TriadAttentionPage, lines_button);
  gtk_widget_class_bind_template_child (widget_class, TriadAttentionPage, colormap_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadAttentionPage, norm_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadAttentionPage, canvas_stack);
  gtk_widget_class_bind_template_child (widget_class, TriadAttentionPage, figure);
  gtk_widget_class_bind_template_child (widget_class, TriadAttentionPage, gl_heatmap);
  gtk_widget_class_bind_template_child (widget_class, TriadAttentionPage, readout);
  gtk_widget_class_bind_template_child (widget_class, TriadAttentionPage, stats_grid);
  gtk_widget_class_bind_template_child (widget_class, TriadAttentionPage, message);
  gtk_widget_class_bind_template_callback (widget_class, figure_hover);
  gtk_widget_class_bind_template_callback (widget_class, figure_activated);
  gtk_widget_class_bind_template_callback (widget_class, gl_failed);
  gtk_widget_class_bind_template_callback (widget_class, gl_cell);

  /* the page's state as actions (the window's win.mode, win.layer, … forward to these while
   * the page is in sight, for the accelerators and the Lesson's demos) */
  {
    static const char * const props[] = { "kind", "layer", "head", "mode", "show-lines",
                                           "colormap", "normalization" };
    for (guint i = 0; i < G_N_ELEMENTS (props); i++)
      {
        g_autofree char *name = g_strconcat ("view.", props[i], NULL);
        gtk_widget_class_install_property_action (widget_class, name, props[i]);
      }
  }

  triad_attention_controls_class_init (widget_class);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "attentionpage");
}

static void
triad_attention_page_init (TriadAttentionPage *self)
{
  g_autoptr(GtkStringList) cmaps = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) norms = gtk_string_list_new (NULL);
  /* the names shown for colour maps and normalisations, in their enum order */
  const char *cmap_names[] = { N_("Viridis"), N_("Magma"), N_("Cividis (colour-blind safe)"), N_("Grey") };
  const char *norm_names[] = { N_("Global scale"), N_("Per row"), N_("Logarithmic") };

  self->kind = g_strdup ("self");
  self->mode = TRIAD_ATTENTION_SINGLE;
  self->cmap = TRIAD_COLORMAP_VIRIDIS;
  self->norm = TRIAD_NORM_GLOBAL;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->computation = triad_computation_new (TRIAD_VIEW (self), self->message, compute_done,
                                             (GDestroyNotify) result_free);

  for (guint i = 0; i < G_N_ELEMENTS (cmap_names); i++)
    gtk_string_list_append (cmaps, _(cmap_names[i]));
  for (guint i = 0; i < G_N_ELEMENTS (norm_names); i++)
    gtk_string_list_append (norms, _(norm_names[i]));
  gtk_drop_down_set_model (self->colormap_dropdown, G_LIST_MODEL (cmaps));
  gtk_drop_down_set_model (self->norm_dropdown, G_LIST_MODEL (norms));
  /* the mode and lines buttons are view.mode and view.show-lines (in the template) */
  triad_bind_enum_drop_down (self, "colormap", self->colormap_dropdown);
  triad_bind_enum_drop_down (self, "normalization", self->norm_dropdown);
  triad_bind_choice_drop_down (self, "kind", self->kind_dropdown, triad_attention_kind_ids,
                               G_N_ELEMENTS (triad_attention_kind_ids));
  triad_bind_numbered_drop_down (self, "layer", self->layer_dropdown, 0);
  triad_bind_numbered_drop_down (self, "head", self->head_dropdown, 0);
  triad_attention_page_sync_controls (self);
}
