/* triad-toolbar.c — a row of controls that never runs past the window's edge.
 *
 * Presentation mode grows the interface's type up to three times over on a projector's
 * 1280 × 720, where no row of a page's controls fits. GNOME's own apps answer a bar too
 * narrow for its controls with a "⋯" menu (Nautilus's and Files' path bar, Text Editor's and
 * Builder's header bars at narrow widths): the controls that do not fit, from the row's end,
 * wait behind it. A bar that hides until the pointer nears it would still be cut off once it
 * shows, and leaves a presenter hunting for it with the room watching. So the row lays out
 * what fits and lends the rest to the "⋯" button's popover while it is open: the very same
 * widgets, so every control keeps its action, its state and its keys. */
#include "config.h"

#include <glib/gi18n.h>

#include "app/triad-toolbar.h"

struct _TriadToolbar {
  GtkWidget  parent_instance;
  GPtrArray *items;      /* the controls in the row's order, a reference each */
  GArray    *overflown;  /* gboolean per item: did not fit at the last allocation */
  GtkWidget *overflow;   /* the "⋯" menu button, always the last child */
  GtkWidget *popover_box;
  int        spacing;
  guint      focus_id;   /* the idle that hands the focus to "⋯" */
};

static GtkBuildableIface *parent_buildable_iface;

static void triad_toolbar_buildable_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TriadToolbar, triad_toolbar, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE,
                                                      triad_toolbar_buildable_init))

enum {
  PROP_0,
  PROP_SPACING,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

GtkWidget *
triad_toolbar_new (void)
{
  return g_object_new (TRIAD_TYPE_TOOLBAR, NULL);
}

void
triad_toolbar_append (TriadToolbar *self,
                      GtkWidget    *child)
{
  gboolean no = FALSE;

  g_return_if_fail (TRIAD_IS_TOOLBAR (self));
  g_return_if_fail (GTK_IS_WIDGET (child) && gtk_widget_get_parent (child) == NULL);

  g_ptr_array_add (self->items, g_object_ref (child));
  g_array_append_val (self->overflown, no);
  gtk_widget_insert_before (child, GTK_WIDGET (self), self->overflow);
}

GtkMenuButton *
triad_toolbar_get_overflow (TriadToolbar *self)
{
  g_return_val_if_fail (TRIAD_IS_TOOLBAR (self), NULL);

  return GTK_MENU_BUTTON (self->overflow);
}

/* An empty box that only pushes the controls after it to the end: nothing to lend. */
static gboolean
is_spacer (GtkWidget *child)
{
  return GTK_IS_BOX (child) && gtk_widget_get_first_child (child) == NULL;
}

static gboolean
item_overflown (TriadToolbar *self,
                guint         i)
{
  return g_array_index (self->overflown, gboolean, i);
}

guint
triad_toolbar_get_n_overflown (TriadToolbar *self)
{
  guint n = 0;

  g_return_val_if_fail (TRIAD_IS_TOOLBAR (self), 0);

  for (guint i = 0; i < self->items->len; i++)
    {
      GtkWidget *child = g_ptr_array_index (self->items, i);

      if (item_overflown (self, i) && gtk_widget_get_visible (child) && !is_spacer (child))
        n++;
    }
  return n;
}

gboolean
triad_toolbar_is_overflown (TriadToolbar *self,
                            GtkWidget    *child)
{
  guint i;

  g_return_val_if_fail (TRIAD_IS_TOOLBAR (self), FALSE);

  return g_ptr_array_find (self->items, child, &i) && item_overflown (self, i);
}

/* The items laid out in the row now: shown, and not lent to the popover. */
static gboolean
in_row (TriadToolbar *self,
        GtkWidget    *child)
{
  return gtk_widget_get_parent (child) == GTK_WIDGET (self) && gtk_widget_get_visible (child);
}

static gboolean
any_lent (TriadToolbar *self)
{
  for (guint i = 0; i < self->items->len; i++)
    if (gtk_widget_get_parent (g_ptr_array_index (self->items, i)) != GTK_WIDGET (self))
      return TRUE;
  return FALSE;
}

static void
triad_toolbar_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  TriadToolbar *self = TRIAD_TOOLBAR (widget);
  int button_min, button_nat, n = 0;

  gtk_widget_measure (self->overflow, orientation, -1, &button_min, &button_nat, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* the least the row needs is the "⋯" button: everything else can wait behind it */
      *minimum = button_min;
      *natural = 0;
      for (guint i = 0; i < self->items->len; i++)
        {
          GtkWidget *child = g_ptr_array_index (self->items, i);
          int nat;

          if (!in_row (self, child))
            continue;
          gtk_widget_measure (child, orientation, -1, NULL, &nat, NULL, NULL);
          *natural += nat + (n++ > 0 ? self->spacing : 0);
        }
      *natural = MAX (*natural, *minimum);
    }
  else
    {
      *minimum = button_min;
      *natural = button_nat;
      for (guint i = 0; i < self->items->len; i++)
        {
          GtkWidget *child = g_ptr_array_index (self->items, i);
          int min, nat;

          if (!in_row (self, child))
            continue;
          gtk_widget_measure (child, orientation, -1, &min, &nat, NULL, NULL);
          *minimum = MAX (*minimum, min);
          *natural = MAX (*natural, nat);
        }
    }
}

static gboolean
holds_focus (GtkWidget *child)
{
  GtkRoot *root = gtk_widget_get_root (child);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == child || gtk_widget_is_ancestor (focus, child));
}

static gboolean
focus_overflow (gpointer data)
{
  TriadToolbar *self = data;

  self->focus_id = 0;
  gtk_widget_grab_focus (self->overflow);
  return G_SOURCE_REMOVE;
}

static void
triad_toolbar_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  TriadToolbar *self = TRIAD_TOOLBAR (widget);
  g_autofree int *widths = g_new0 (int, self->items->len);
  int total = 0, n = 0, button_w, avail, used = 0, n_expand = 0, x = 0;
  guint first_out = self->items->len;
  gboolean show_button, pass_focus = FALSE;

  for (guint i = 0; i < self->items->len; i++)
    {
      GtkWidget *child = g_ptr_array_index (self->items, i);

      if (!in_row (self, child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, height, NULL, &widths[i], NULL, NULL);
      total += widths[i] + (n++ > 0 ? self->spacing : 0);
    }
  gtk_widget_measure (self->overflow, GTK_ORIENTATION_HORIZONTAL, height, NULL, &button_w,
                      NULL, NULL);
  avail = width;
  if (total > width)
    {
      /* the row's order is its order of importance: from the first control that does not
       * fit, the rest wait behind the button, so that none jumps ahead of another */
      avail = width - button_w - self->spacing;
      n = 0;
      for (guint i = 0; i < self->items->len; i++)
        {
          GtkWidget *child = g_ptr_array_index (self->items, i);
          int w;

          if (!in_row (self, child))
            continue;
          w = widths[i] + (n > 0 ? self->spacing : 0);
          if (used + w > avail)
            {
              first_out = i;
              break;
            }
          used += w;
          n++;
        }
    }
  else
    used = total;

  for (guint i = 0; i < self->items->len; i++)
    {
      GtkWidget *child = g_ptr_array_index (self->items, i);

      if (gtk_widget_get_parent (child) != widget)
        continue;   /* lent to the popover: stays overflown until it is back */
      if (i >= first_out && gtk_widget_get_child_visible (child) && holds_focus (child))
        pass_focus = TRUE;
      g_array_index (self->overflown, gboolean, i) = i >= first_out;
      gtk_widget_set_child_visible (child, i < first_out);
      if (i < first_out && in_row (self, child)
          && gtk_widget_compute_expand (child, GTK_ORIENTATION_HORIZONTAL))
        n_expand++;
    }

  n = 0;
  for (guint i = 0; i < first_out; i++)
    {
      GtkWidget *child = g_ptr_array_index (self->items, i);
      int w = widths[i];

      if (!in_row (self, child))
        continue;
      if (n_expand > 0 && gtk_widget_compute_expand (child, GTK_ORIENTATION_HORIZONTAL))
        w += MAX (0, avail - used) / n_expand;
      if (n++ > 0)
        x += self->spacing;
      gtk_widget_size_allocate (child, &(GtkAllocation) { x, 0, w, height }, baseline);
      x += w;
    }

  show_button = first_out < self->items->len || any_lent (self);
  gtk_widget_set_child_visible (self->overflow, show_button);
  if (show_button)
    gtk_widget_size_allocate (self->overflow,
                              &(GtkAllocation) { MAX (0, width - button_w), 0, button_w, height },
                              baseline);
  /* the keyboard was on a control that now waits behind "⋯": it goes to "⋯", not nowhere,
   * once the allocation is over */
  if (pass_focus && self->focus_id == 0)
    self->focus_id = g_idle_add (focus_overflow, self);
}

/* The popover opens: the controls that did not fit move into it, as they are. */
static void
popover_show (GtkWidget    *popover,
              TriadToolbar *self)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      GtkWidget *child = g_ptr_array_index (self->items, i);

      if (!item_overflown (self, i) || is_spacer (child)
          || gtk_widget_get_parent (child) != GTK_WIDGET (self))
        continue;
      gtk_widget_unparent (child);
      gtk_widget_set_child_visible (child, TRUE);
      gtk_box_append (GTK_BOX (self->popover_box), child);
    }
}

/* It closed: they come back to their places in the row. */
static void
popover_closed (GtkPopover   *popover,
                TriadToolbar *self)
{
  GtkWidget *prev = NULL;

  for (guint i = 0; i < self->items->len; i++)
    {
      GtkWidget *child = g_ptr_array_index (self->items, i);

      if (gtk_widget_get_parent (child) != GTK_WIDGET (self))
        {
          gtk_box_remove (GTK_BOX (self->popover_box), child);
          gtk_widget_insert_after (child, GTK_WIDGET (self), prev);
        }
      prev = child;
    }
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static void
triad_toolbar_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TriadToolbar *self = TRIAD_TOOLBAR (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      if (self->spacing != g_value_get_int (value))
        {
          self->spacing = g_value_get_int (value);
          g_object_notify_by_pspec (object, pspec);
          gtk_widget_queue_resize (GTK_WIDGET (self));
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
triad_toolbar_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_SPACING:
      g_value_set_int (value, TRIAD_TOOLBAR (object)->spacing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
triad_toolbar_dispose (GObject *object)
{
  TriadToolbar *self = TRIAD_TOOLBAR (object);

  g_clear_handle_id (&self->focus_id, g_source_remove);
  if (self->items != NULL)
    for (guint i = 0; i < self->items->len; i++)
      {
        GtkWidget *child = g_ptr_array_index (self->items, i);

        if (gtk_widget_get_parent (child) == GTK_WIDGET (self))
          gtk_widget_unparent (child);
      }
  /* the popover goes with its button, and any control lent to it with the popover */
  g_clear_pointer (&self->overflow, gtk_widget_unparent);
  self->popover_box = NULL;
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->overflown, g_array_unref);
  G_OBJECT_CLASS (triad_toolbar_parent_class)->dispose (object);
}

static void
triad_toolbar_buildable_add_child (GtkBuildable *buildable,
                                   GtkBuilder   *builder,
                                   GObject      *child,
                                   const char   *type)
{
  if (type == NULL && GTK_IS_WIDGET (child))
    triad_toolbar_append (TRIAD_TOOLBAR (buildable), GTK_WIDGET (child));
  else
    parent_buildable_iface->add_child (buildable, builder, child, type);
}

static void
triad_toolbar_buildable_init (GtkBuildableIface *iface)
{
  parent_buildable_iface = g_type_interface_peek_parent (iface);
  iface->add_child = triad_toolbar_buildable_add_child;
}

static void
triad_toolbar_class_init (TriadToolbarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = triad_toolbar_set_property;
  object_class->get_property = triad_toolbar_get_property;
  object_class->dispose = triad_toolbar_dispose;
  widget_class->measure = triad_toolbar_measure;
  widget_class->size_allocate = triad_toolbar_size_allocate;
  /* a box to the theme, so that the toolbar style class reads as it did */
  gtk_widget_class_set_css_name (widget_class, "box");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_TOOLBAR);

  props[PROP_SPACING] =
    g_param_spec_int ("spacing", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
triad_toolbar_init (TriadToolbar *self)
{
  GtkWidget *popover = gtk_popover_new ();

  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->overflown = g_array_new (FALSE, FALSE, sizeof (gboolean));
  self->popover_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_popover_set_child (GTK_POPOVER (popover), self->popover_box);
  g_signal_connect (popover, "show", G_CALLBACK (popover_show), self);
  g_signal_connect (popover, "closed", G_CALLBACK (popover_closed), self);
  self->overflow = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->overflow), "view-more-symbolic");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->overflow), popover);
  /* TRANSLATORS: the "⋯" button of a row of controls too narrow for all of them */
  gtk_widget_set_tooltip_text (self->overflow, _("More controls"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->overflow),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("More controls"), -1);
  gtk_widget_set_child_visible (self->overflow, FALSE);
  gtk_widget_set_parent (self->overflow, GTK_WIDGET (self));
}
