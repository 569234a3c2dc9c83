/* triad-kv-projection.c — the KV Cache page's projection panel: which real LLM, at what
 * context, batch, number types, attention what-if, window and paging, in which unit and on
 * which axes; and the preset editor that makes the shown model a custom one. The page's
 * scene turns the choice into the memory chart, the bars and the readout. */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "app/triad-kv-page-private.h"
#include "app/triad-view.h"

const TriadLlmPreset *
triad_kv_projection_current (TriadKvPage *self)
{
  if (self->presets != NULL && self->preset_index < self->presets->len)
    return g_ptr_array_index (self->presets, self->preset_index);
  return self->custom;
}

gboolean
triad_kv_projection_is_custom (TriadKvPage *self)
{
  return self->presets == NULL || self->preset_index >= self->presets->len;
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

/* The widgets, from the state. */
static void
sync_projection (TriadKvPage *self)
{
  const TriadLlmPreset *p = triad_kv_projection_current (self);
  GtkAdjustment *gqa = gtk_spin_button_get_adjustment (self->gqa_spin);

  /* the model list, the context's slider and spin button and the batch are bound to their
   * properties (triad_kv_projection_init) */
  self->syncing = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->gqa_spin), self->options.attention == TRIAD_KV_GQA);
  if (p != NULL)
    gtk_adjustment_set_upper (gqa, p->n_heads);
  gtk_widget_set_sensitive (GTK_WIDGET (self->window_switch),
                            p != NULL && p->sliding_window > 0);
  self->syncing = FALSE;
}

void
triad_kv_projection_changed (TriadKvPage *self,
                             guint        prop)
{
  sync_projection (self);
  triad_kv_page_update_scene (self);
  if (prop > PROP_0 && prop < N_PROPS)
    g_object_notify_by_pspec (G_OBJECT (self), triad_kv_page_properties[prop]);
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
  p = triad_kv_projection_current (self);
  /* a what-if of grouped heads must divide this model's heads */
  if (self->options.attention == TRIAD_KV_GQA && p != NULL
      && (self->options.gqa_groups > p->n_heads || p->n_heads % self->options.gqa_groups != 0))
    self->options.gqa_groups = p->n_kv_heads;
  triad_kv_projection_changed (self, PROP_PRESET);
}

/* The model list's entry of a preset id: the presets in their order, then "custom", the
 * custom model; G_MAXUINT for an id of none. */
static guint
preset_entry (TriadKvPage *self,
              const char  *id)
{
  guint n = self->presets != NULL ? self->presets->len : 0;

  if (g_strcmp0 (id, "custom") == 0)
    return n;
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (((TriadLlmPreset *) g_ptr_array_index (self->presets, i))->id, id) == 0)
      return i;
  return G_MAXUINT;
}

void
triad_kv_projection_set_live_model (TriadKvPage      *self,
                                    const TriadModel *decoder)
{
  const TriadLlmPreset *shown = triad_kv_projection_current (self);
  g_autofree char *shown_id = NULL;
  gboolean custom = triad_kv_projection_is_custom (self);
  guint entry;

  if (self->presets == NULL)
    return;
  shown_id = shown != NULL && !custom ? g_strdup (shown->id) : NULL;
  /* the live decoder, when it is a real model, joins the list as a projection of its own
   * config (id "model", the last preset), so that the live bytes and the projection's stand
   * side by side; a shipped decoder has none */
  entry = preset_entry (self, "model");
  if (entry != G_MAXUINT && entry < self->presets->len)
    g_ptr_array_remove_index (self->presets, entry);
  if (decoder != NULL && !triad_config_is_triad (&decoder->config))
    g_ptr_array_add (self->presets, triad_kv_scene_model_preset (decoder));
  fill_presets (self);
  entry = custom ? self->presets->len : preset_entry (self, shown_id);
  /* the entry shown before, where it now stands; the first when it was the model's own */
  self->preset_index = G_MAXUINT;
  set_preset_index (self, entry != G_MAXUINT ? entry : 0);
}

gboolean
triad_kv_projection_set_preset_id (TriadKvPage *self,
                                   const char  *id)
{
  guint entry = preset_entry (self, id);

  if (entry == G_MAXUINT)
    return FALSE;
  set_preset_index (self, entry);
  return TRUE;
}

static gboolean
preset_to_selected (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  guint entry = preset_entry (user_data, g_value_get_string (from));

  if (entry == G_MAXUINT)
    return FALSE;
  g_value_set_uint (to, entry);
  return TRUE;
}

/* Nothing while the list has no selection, nor while it takes its entries. */
static gboolean
selected_to_preset (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  TriadKvPage *self = user_data;
  guint selected = g_value_get_uint (from), n = self->presets != NULL ? self->presets->len : 0;

  if (self->syncing || selected == GTK_INVALID_LIST_POSITION || selected > n)
    return FALSE;
  g_value_set_string (to, selected == n ? "custom"
                          : ((TriadLlmPreset *) g_ptr_array_index (self->presets, selected))->id);
  return TRUE;
}

void
triad_kv_projection_set_context (TriadKvPage *self,
             gint64       tokens)
{
  tokens = CLAMP (tokens, 1, (gint64) TRIAD_KV_SCENE_MAX_CONTEXT);
  if (tokens == self->options.tokens)
    return;
  self->options.tokens = tokens;
  triad_kv_projection_changed (self, PROP_CONTEXT);
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

/* The slider is the context's logarithm, within the chart's axis. */
static gboolean
context_to_slider (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      user_data)
{
  g_value_set_double (to, log10 (CLAMP ((double) g_value_get_int (from),
                                        TRIAD_KV_SCENE_MIN_CONTEXT, TRIAD_KV_SCENE_MAX_CONTEXT)));
  return TRUE;
}

static gboolean
slider_to_context (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      user_data)
{
  g_value_set_int (to, (int) snap_context (g_value_get_double (from)));
  return TRUE;
}

void
triad_kv_projection_set_attention (TriadKvPage      *self,
               TriadKvAttention  attention,
               int               groups)
{
  const TriadLlmPreset *p = triad_kv_projection_current (self);

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
  if (attention == TRIAD_KV_GQA && groups != self->options.gqa_groups)
    {
      self->options.gqa_groups = groups;
      g_object_notify_by_pspec (G_OBJECT (self), triad_kv_page_properties[PROP_GQA_GROUPS]);
    }
  if (attention == self->options.attention)
    triad_kv_projection_changed (self, PROP_0);
  else
    {
      self->options.attention = attention;
      triad_kv_projection_changed (self, PROP_ATTENTION);
    }
}

/* The spin button's value to the groups, but not while the page sets its bounds. */
static gboolean
gqa_from_spin (GBinding     *binding,
               const GValue *from,
               GValue       *to,
               gpointer      user_data)
{
  TriadKvPage *self = user_data;

  if (self->syncing)
    return FALSE;
  g_value_set_int (to, (int) lround (g_value_get_double (from)));
  return TRUE;
}

static gboolean
gqa_to_spin (GBinding     *binding,
             const GValue *from,
             GValue       *to,
             gpointer      user_data)
{
  g_value_set_double (to, g_value_get_int (from));
  return TRUE;
}

void
triad_kv_projection_set_gib (TriadKvPage *self,
         gboolean     gib)
{
  if (gib == self->gib)
    return;
  self->gib = gib;
  triad_kv_projection_changed (self, PROP_GIB);
}

void
triad_kv_projection_set_log_axes (TriadKvPage *self,
              gboolean     log_axes)
{
  if (log_axes == self->log_axes)
    return;
  self->log_axes = log_axes;
  triad_kv_projection_changed (self, PROP_LOG_AXES);
}

/* The custom model's fields, from the shown model when the popover opens. */
static void
custom_popover_shown (GtkWidget   *popover,
                      TriadKvPage *self)
{
  const TriadLlmPreset *p = triad_kv_projection_current (self);

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

  if (self->syncing || triad_kv_projection_current (self) == NULL)
    return;
  if (!triad_kv_projection_is_custom (self))
    {
      TriadLlmPreset *copy = triad_llm_preset_copy (triad_kv_projection_current (self));

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
  triad_kv_projection_changed (self, PROP_PRESET);
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
  const double marks[] = { TRIAD_KV_SCENE_MIN_CONTEXT, TRIAD_KV_SCENE_MARK_8K,
                           TRIAD_KV_SCENE_MARK_100K, TRIAD_KV_SCENE_MAX_CONTEXT };

  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    {
      g_autofree char *label = triad_figure_format_tokens (marks[i]);

      gtk_scale_add_mark (self->context_scale, log10 (marks[i]), GTK_POS_BOTTOM, label);
    }
}

void
triad_kv_projection_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, custom_popover_shown);
  gtk_widget_class_bind_template_callback (widget_class, custom_changed);
  gtk_widget_class_bind_template_callback (widget_class, custom_arch_selected);
}

void
triad_kv_projection_init (TriadKvPage *self)
{
  g_autoptr(GtkExpression) name = NULL;

  /* the model list searches the names as typed */
  name = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->preset_dropdown, name);
  fill_presets (self);
  /* a new list selects its first entry: that is no choice of the user's */
  self->syncing = TRUE;
  fill_dtypes (self->kv_dtype_dropdown);
  fill_dtypes (self->weight_dtype_dropdown);
  self->syncing = FALSE;
  /* the lists hold the enums' values in their order (fill_dtypes, ui/triad-kv-page.ui) */
  triad_bind_enum_drop_down (self, "kv-dtype", self->kv_dtype_dropdown);
  triad_bind_enum_drop_down (self, "weight-dtype", self->weight_dtype_dropdown);
  triad_bind_enum_drop_down (self, "attention", self->attention_dropdown);
  g_object_bind_property_full (self, "preset", self->preset_dropdown, "selected",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               preset_to_selected, selected_to_preset, self, NULL);
  g_object_bind_property_full (self, "context",
                               gtk_range_get_adjustment (GTK_RANGE (self->context_scale)), "value",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               context_to_slider, slider_to_context, NULL, NULL);
  g_object_bind_property (self, "context", self->context_spin, "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "batch", self->batch_spin, "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "honour-window", self->window_switch, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "paged", self->paged_switch, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  /* each pair of grouped buttons: one is the property, the other its opposite */
  g_object_bind_property (self, "gib", self->gib_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "gib", self->gb_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE
                          | G_BINDING_INVERT_BOOLEAN);
  g_object_bind_property (self, "log-axes", self->log_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "log-axes", self->linear_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE
                          | G_BINDING_INVERT_BOOLEAN);
  g_object_bind_property_full (self, "gqa-groups", self->gqa_spin, "value",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               gqa_to_spin, gqa_from_spin, self, NULL);
  unfocus_children (self->live_controls);
  unfocus_children (self->projection_controls);
  add_marks (self);
  self->preset_index = self->presets != NULL ? self->presets->len : 0;
  if (!triad_kv_projection_set_preset_id (self, TRIAD_KV_PAGE_PRESET))
    triad_kv_projection_changed (self, PROP_0);
}
