/* triad-preferences.c — colour map, normalisation, text size and style, each a GSettings key
 * that the views follow as it changes. */
#include "config.h"

#include <glib/gi18n.h>

#include "app/triad-preferences.h"
#include "figures/figures.h"

struct _TriadPreferences
{
  GtkWindow    parent_instance;
  GSettings   *settings;
  GtkDropDown *colormap;
  GtkDropDown *normalization;
  GtkDropDown *style;
  GtkSpinButton *scale;
};

G_DEFINE_FINAL_TYPE (TriadPreferences, triad_preferences, GTK_TYPE_WINDOW)

static const char * const style_ids[] = { "system", "light", "dark" };

/* A drop-down's position ↔ a string key, through a table of ids. */
typedef struct {
  const char *key;
  const char * const *ids;
  guint n;
} Binding;

static const char *colormap_ids[TRIAD_N_COLORMAPS];
static const char *norm_ids[TRIAD_N_NORMS];

static void
dropdown_changed (GtkDropDown *dd,
                  GParamSpec  *pspec,
                  TriadPreferences *self)
{
  const Binding *b = g_object_get_data (G_OBJECT (dd), "binding");
  guint i = gtk_drop_down_get_selected (dd);

  if (i < b->n)
    g_settings_set_string (self->settings, b->key, b->ids[i]);
}

static void
bind_dropdown (TriadPreferences *self,
               GtkDropDown      *dd,
               const Binding    *b)
{
  g_autofree char *value = g_settings_get_string (self->settings, b->key);

  for (guint i = 0; i < b->n; i++)
    if (g_strcmp0 (value, b->ids[i]) == 0)
      gtk_drop_down_set_selected (dd, i);
  g_object_set_data (G_OBJECT (dd), "binding", (gpointer) b);
  g_signal_connect (dd, "notify::selected", G_CALLBACK (dropdown_changed), self);
}

static GtkWidget *
row (GtkGrid    *grid,
     int         y,
     const char *label,
     const char *tooltip,
     GtkWidget  *control)
{
  GtkWidget *l = gtk_label_new_with_mnemonic (label);

  gtk_label_set_xalign (GTK_LABEL (l), 0.0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (l), control);
  gtk_widget_set_tooltip_text (control, tooltip);
  gtk_widget_set_hexpand (control, TRUE);
  gtk_grid_attach (grid, l, 0, y, 1, 1);
  gtk_grid_attach (grid, control, 1, y, 1, 1);
  return control;
}

GtkWidget *
triad_preferences_new (GtkWindow *parent,
                       GSettings *settings)
{
  static Binding cmap_binding = { "colormap", colormap_ids, TRIAD_N_COLORMAPS };
  static Binding norm_binding = { "normalization", norm_ids, TRIAD_N_NORMS };
  static Binding style_binding = { "style", style_ids, G_N_ELEMENTS (style_ids) };
  TriadPreferences *self = g_object_new (TRIAD_TYPE_PREFERENCES,
                                         "transient-for", parent,
                                         "modal", TRUE,
                                         "title", _("Preferences"),
                                         "default-width", 420,
                                         NULL);
  const char *cmaps[] = { N_("Viridis"), N_("Magma"), N_("Cividis (colour-blind safe)"), N_("Grey"), NULL };
  const char *norms[] = { N_("Global scale"), N_("Per row"), N_("Logarithmic"), NULL };
  const char *styles[] = { N_("Follow the system"), N_("Light"), N_("Dark"), NULL };
  GtkWidget *grid = gtk_grid_new ();
  GtkStringList *list;

  for (guint i = 0; i < TRIAD_N_COLORMAPS; i++)
    colormap_ids[i] = triad_colormap_to_string (i);
  for (guint i = 0; i < TRIAD_N_NORMS; i++)
    norm_ids[i] = triad_norm_to_string (i);

  self->settings = g_object_ref (settings);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_widget_set_margin_start (grid, 24);
  gtk_widget_set_margin_end (grid, 24);
  gtk_widget_set_margin_top (grid, 24);
  gtk_widget_set_margin_bottom (grid, 24);

  list = gtk_string_list_new (NULL);
  for (int i = 0; cmaps[i]; i++)
    gtk_string_list_append (list, _(cmaps[i]));
  self->colormap = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (list), NULL));
  row (GTK_GRID (grid), 0, _("_Colour map"), _("The colours attention weights are drawn in"),
       GTK_WIDGET (self->colormap));

  list = gtk_string_list_new (NULL);
  for (int i = 0; norms[i]; i++)
    gtk_string_list_append (list, _(norms[i]));
  self->normalization = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (list), NULL));
  row (GTK_GRID (grid), 1, _("_Normalisation"),
       _("Global: one scale for the matrix; per row: each query by its own strongest key; "
         "logarithmic: small weights made visible"),
       GTK_WIDGET (self->normalization));

  self->scale = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0.75, 3.0, 0.25));
  row (GTK_GRID (grid), 2, _("_Text size in figures"),
       _("Labels of the figures, on screen and in exports, this many times the normal size"),
       GTK_WIDGET (self->scale));
  g_settings_bind (settings, "figure-scale", self->scale, "value", G_SETTINGS_BIND_DEFAULT);

  list = gtk_string_list_new (NULL);
  for (int i = 0; styles[i]; i++)
    gtk_string_list_append (list, _(styles[i]));
  self->style = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (list), NULL));
  row (GTK_GRID (grid), 3, _("_Style"), _("Light or dark window and figures"), GTK_WIDGET (self->style));

  {
    GtkWidget *present = gtk_spin_button_new_with_range (1.0, 3.0, 0.25);

    row (GTK_GRID (grid), 4, _("_Presentation scale"),
         _("In presentation mode (F5), the interface’s text and the figures this many times larger"),
         present);
    g_settings_bind (settings, "presentation-scale", present, "value", G_SETTINGS_BIND_DEFAULT);
  }

  bind_dropdown (self, self->colormap, &cmap_binding);
  bind_dropdown (self, self->normalization, &norm_binding);
  bind_dropdown (self, self->style, &style_binding);
  gtk_window_set_child (GTK_WINDOW (self), grid);
  return GTK_WIDGET (self);
}

static void
triad_preferences_finalize (GObject *object)
{
  TriadPreferences *self = TRIAD_PREFERENCES (object);

  g_clear_object (&self->settings);
  G_OBJECT_CLASS (triad_preferences_parent_class)->finalize (object);
}

static void
triad_preferences_class_init (TriadPreferencesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = triad_preferences_finalize;
  gtk_widget_class_add_binding_action (GTK_WIDGET_CLASS (klass), GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
triad_preferences_init (TriadPreferences *self)
{
}
