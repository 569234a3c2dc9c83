/* triad-view.c — the interface the window's pages share. */
#include "config.h"

#include "app/triad-view.h"

G_DEFINE_INTERFACE (TriadView, triad_view, GTK_TYPE_WIDGET)

enum {
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
triad_view_default_init (TriadViewInterface *iface)
{
  /* TRUE while the view computes; the window shows its spinner */
  g_object_interface_install_property (iface,
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  /* a computation failed: the message says why, for a person to read */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

void
triad_view_set_input (TriadView        *self,
                      TriadApplication *app,
                      const char       *model,
                      const char       *text)
{
  g_return_if_fail (TRIAD_IS_VIEW (self));

  TRIAD_VIEW_GET_IFACE (self)->set_input (self, app, model, text);
}

gboolean
triad_view_get_figure_size (TriadView *self,
                            double    *width,
                            double    *height)
{
  TriadViewInterface *iface;

  g_return_val_if_fail (TRIAD_IS_VIEW (self), FALSE);

  iface = TRIAD_VIEW_GET_IFACE (self);
  *width = *height = 0;
  return iface->get_figure_size != NULL && iface->get_figure_size (self, width, height)
         && *width >= 1 && *height >= 1;
}

void
triad_view_draw_figure (TriadView *self,
                        cairo_t   *cr,
                        double     width,
                        double     height)
{
  g_return_if_fail (TRIAD_IS_VIEW (self));

  if (TRIAD_VIEW_GET_IFACE (self)->draw_figure != NULL)
    TRIAD_VIEW_GET_IFACE (self)->draw_figure (self, cr, width, height);
}

void
triad_view_step (TriadView *self,
                 int        delta)
{
  g_return_if_fail (TRIAD_IS_VIEW (self));

  if (TRIAD_VIEW_GET_IFACE (self)->step != NULL)
    TRIAD_VIEW_GET_IFACE (self)->step (self, delta);
}

gboolean
triad_view_get_busy (TriadView *self)
{
  gboolean busy = FALSE;

  g_return_val_if_fail (TRIAD_IS_VIEW (self), FALSE);

  g_object_get (self, "busy", &busy, NULL);
  return busy;
}

void
triad_view_failed (TriadView  *self,
                   const char *message)
{
  g_return_if_fail (TRIAD_IS_VIEW (self));

  g_signal_emit (self, signals[FAILED], 0, message);
}

gboolean
triad_view_draw_figure_with_style (TriadView              *self,
                                   cairo_t                *cr,
                                   const TriadFigureStyle *style,
                                   double                  width,
                                   double                  height)
{
  g_return_val_if_fail (TRIAD_IS_VIEW (self), FALSE);

  if (TRIAD_VIEW_GET_IFACE (self)->draw_figure_with_style == NULL)
    return FALSE;
  TRIAD_VIEW_GET_IFACE (self)->draw_figure_with_style (self, cr, style, width, height);
  return TRUE;
}

void
triad_view_relabel (TriadView *self)
{
  g_return_if_fail (TRIAD_IS_VIEW (self));

  if (TRIAD_VIEW_GET_IFACE (self)->relabel != NULL)
    TRIAD_VIEW_GET_IFACE (self)->relabel (self);
}

GtkStringList *
triad_numbered_list (const char *first,
                     const char *format,
                     int         n)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  if (first != NULL)
    gtk_string_list_append (list, first);
  for (int i = 0; i < n; i++)
    {
      g_autofree char *s = g_strdup_printf (format, i);
      gtk_string_list_append (list, s);
    }
  return list;
}

guint
triad_drop_down_n_items (GtkDropDown *dropdown)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);

  return model != NULL ? g_list_model_get_n_items (model) : 0;
}

void
triad_view_unparent_children (GtkWidget *widget)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    gtk_widget_unparent (child);
}

void
triad_view_report (TriadView  *view,
                   GtkLabel   *message,
                   const char *text)
{
  gtk_widget_set_visible (GTK_WIDGET (message), text != NULL);
  if (text == NULL)
    return;
  gtk_label_set_text (message, text);
  triad_view_failed (view, text);
}

static gboolean
enum_to_selected (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  g_value_set_uint (to, (guint) g_value_get_enum (from));
  return TRUE;
}

/* Nothing while the drop-down has no selection (between models), nor past the enum's last. */
static gboolean
selected_to_enum (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  guint selected = g_value_get_uint (from);
  GEnumClass *klass = g_type_class_peek (G_VALUE_TYPE (to));

  if (selected > G_MAXINT || g_enum_get_value (klass, (int) selected) == NULL)
    return FALSE;
  g_value_set_enum (to, (int) selected);
  return TRUE;
}

GBinding *
triad_bind_enum_drop_down (gpointer     object,
                           const char  *property,
                           GtkDropDown *dropdown)
{
  return g_object_bind_property_full (object, property, dropdown, "selected",
                                      G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                      enum_to_selected, selected_to_enum, NULL, NULL);
}

typedef struct {
  const char * const *ids;
  guint               n;
} Choices;

static gboolean
string_to_selected (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  const Choices *c = user_data;
  const char *value = g_value_get_string (from);

  g_value_set_uint (to, GTK_INVALID_LIST_POSITION);
  for (guint i = 0; i < c->n; i++)
    if (g_strcmp0 (value, c->ids[i]) == 0)
      g_value_set_uint (to, i);
  return TRUE;
}

static gboolean
selected_to_string (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  const Choices *c = user_data;
  guint selected = g_value_get_uint (from);

  if (selected >= c->n)
    return FALSE;
  g_value_set_string (to, c->ids[selected]);
  return TRUE;
}

GBinding *
triad_bind_choice_drop_down (gpointer            object,
                             const char         *property,
                             GtkDropDown        *dropdown,
                             const char * const *ids,
                             guint               n)
{
  Choices *c = g_new (Choices, 1);

  c->ids = ids;
  c->n = n;
  return g_object_bind_property_full (object, property, dropdown, "selected",
                                      G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                      string_to_selected, selected_to_string, c, g_free);
}

#define NUMBERED_BINDING   "triad-numbered-binding"
#define NUMBERED_OFFSET    "triad-numbered-offset"
#define NUMBERED_REFILLING "triad-numbered-refilling"

/* A value before the list's first entry (or none) selects nothing. */
static guint
numbered_selected (int value,
                   int offset)
{
  return value - offset >= 0 ? (guint) (value - offset) : GTK_INVALID_LIST_POSITION;
}

static gboolean
int_to_selected (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      user_data)
{
  g_value_set_uint (to, numbered_selected (g_value_get_int (from), GPOINTER_TO_INT (user_data)));
  return TRUE;
}

/* Nothing while the drop-down has no selection, nor while it takes a new list. */
static gboolean
selected_to_int (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      user_data)
{
  g_autoptr(GObject) dropdown = g_binding_dup_target (binding);
  guint selected = g_value_get_uint (from);

  if (dropdown == NULL || g_object_get_data (dropdown, NUMBERED_REFILLING) != NULL
      || selected == GTK_INVALID_LIST_POSITION || selected > G_MAXINT)
    return FALSE;
  g_value_set_int (to, (int) selected + GPOINTER_TO_INT (user_data));
  return TRUE;
}

GBinding *
triad_bind_numbered_drop_down (gpointer     object,
                               const char  *property,
                               GtkDropDown *dropdown,
                               int          offset)
{
  GBinding *binding;

  binding = g_object_bind_property_full (object, property, dropdown, "selected",
                                         G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                         int_to_selected, selected_to_int,
                                         GINT_TO_POINTER (offset), NULL);
  g_object_set_data (G_OBJECT (dropdown), NUMBERED_BINDING, binding);
  g_object_set_data (G_OBJECT (dropdown), NUMBERED_OFFSET, GINT_TO_POINTER (offset));
  return binding;
}

void
triad_drop_down_set_numbered (GtkDropDown *dropdown,
                              const char  *first,
                              const char  *format,
                              int          n)
{
  GBinding *binding = g_object_get_data (G_OBJECT (dropdown), NUMBERED_BINDING);
  guint count = (guint) MAX (n, 0) + (first != NULL ? 1 : 0);
  g_autoptr(GObject) source = NULL;
  int value = 0;

  if (triad_drop_down_n_items (dropdown) != count)
    {
      g_autoptr(GtkStringList) list = triad_numbered_list (first, format, n);

      g_object_set_data (G_OBJECT (dropdown), NUMBERED_REFILLING, GINT_TO_POINTER (TRUE));
      gtk_drop_down_set_model (dropdown, G_LIST_MODEL (list));
      g_object_set_data (G_OBJECT (dropdown), NUMBERED_REFILLING, NULL);
    }
  if (binding == NULL || (source = g_binding_dup_source (binding)) == NULL)
    return;
  g_object_get (source, g_binding_get_source_property (binding), &value, NULL);
  gtk_drop_down_set_selected (dropdown,
                              numbered_selected (value, GPOINTER_TO_INT (
                                g_object_get_data (G_OBJECT (dropdown), NUMBERED_OFFSET))));
}
