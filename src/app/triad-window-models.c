/* triad-window-models.c — the model chooser in the header bar: the shipped three, the models
 * of the local Hugging Face cache, the recent folders, and "Open Model Folder…" (win.open-model,
 * a native folder chooser). The list is read again each time it opens, so that a model added to
 * the cache or a folder deleted shows at once. */
#include "config.h"

#include <glib/gi18n.h>

#include "app/triad-model-list.h"
#include "app/triad-window-private.h"
#include "engine/model-catalog.h"

GtkWidget *
triad_window_get_model_label (TriadWindow *self)
{
  return gtk_menu_button_get_child (self->model_button);
}

GPtrArray *
triad_window_list_models (TriadWindow *self)
{
  TriadApplication *app = TRIAD_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  GPtrArray *entries = triad_model_catalog ();
  g_auto(GStrv) recent = triad_recent_models_list (self->settings);

  for (guint i = 0; recent[i] != NULL; i++)
    {
      gboolean listed = FALSE;
      TriadModelEntry *entry;
      TriadArch arch;

      for (guint j = 0; j < entries->len && !listed; j++)
        listed = g_str_equal (((TriadModelEntry *) g_ptr_array_index (entries, j))->id, recent[i]);
      /* a folder that no longer opens is left out, as a vanished one */
      if (listed || !triad_application_model_arch (app, recent[i], &arch, NULL))
        continue;
      entry = g_new0 (TriadModelEntry, 1);
      entry->id = g_strdup (recent[i]);
      entry->name = triad_model_display_name (recent[i]);
      entry->arch = arch;
      g_ptr_array_add (entries, entry);
    }
  return entries;
}

void
triad_window_update_model_button (TriadWindow *self)
{
  g_autofree char *name = triad_model_display_name (self->model_id);
  g_autofree char *title = NULL;
  g_autofree char *tip = NULL;

  GtkLabel *label = GTK_LABEL (gtk_menu_button_get_child (self->model_button));

  /* the name alone, the header bar being full; the tooltip and the list say its kind */
  gtk_label_set_text (label, name);
  /* TRANSLATORS: the window's title: the model in use */
  title = g_strdup_printf (_("Triad — %s"), name);
  gtk_window_set_title (GTK_WINDOW (self), title);
  if (!triad_model_id_is_shipped (self->model_id))
    {
      /* TRANSLATORS: the model chooser's tooltip: a model folder's path and its kind
       * ("decoder-only") */
      tip = g_strdup_printf (_("Model: %s, %s (Alt+1, Alt+2, Alt+3; Ctrl+O opens a model "
                               "folder)"), self->model_id, triad_model_kind_label (self->arch));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->model_button), tip);
    }
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->model_button),
                                 _("Model (Alt+1, Alt+2, Alt+3; Ctrl+O opens a model folder)"));
}

/* ---- the list ------------------------------------------------------------------------ */

static void
row_activated (GtkListBox    *box,
               GtkListBoxRow *row,
               TriadWindow   *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "model-id");

  gtk_menu_button_popdown (self->model_button);
  if (id != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (self), "model", g_variant_new_string (id));
  else
    g_action_group_activate_action (G_ACTION_GROUP (self), "open-model", NULL);
}

/* The heading of a group of rows: shipped, cache, recent. */
static void
add_heading (GtkListBox *box,
             const char *text)
{
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_top (label, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_append (box, row);
}

static void
add_model_row (GtkListBox            *box,
               const TriadModelEntry *entry,
               gboolean               current)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *name = gtk_label_new (entry->shipped ? NULL : entry->name);
  GtkWidget *kind = gtk_label_new (triad_model_kind_label (entry->arch));
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  if (entry->shipped)
    {
      g_autofree char *shown = triad_model_display_name (entry->id);

      gtk_label_set_text (GTK_LABEL (name), shown);
    }
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (kind, "dim-label");
  gtk_widget_set_opacity (check, current ? 1 : 0);
  gtk_box_append (GTK_BOX (hbox), name);
  gtk_box_append (GTK_BOX (hbox), kind);
  gtk_box_append (GTK_BOX (hbox), check);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), hbox);
  /* a folder's path where the name is short */
  if (!entry->shipped)
    gtk_widget_set_tooltip_text (row, entry->id);
  g_object_set_data_full (G_OBJECT (row), "model-id", g_strdup (entry->id), g_free);
  gtk_list_box_append (box, row);
}

static void
make_popover (GtkMenuButton *button,
              gpointer       user_data)
{
  TriadWindow *self = user_data;
  g_autoptr(GPtrArray) entries = triad_window_list_models (self);
  g_autofree char *cache = triad_hf_cache_dir ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *box = gtk_list_box_new ();
  GtkWidget *open_row = gtk_list_box_row_new ();
  GtkWidget *open_label = gtk_label_new_with_mnemonic (_("_Open Model Folder…"));
  const char *group = NULL;

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (box), GTK_SELECTION_NONE);
  for (guint i = 0; i < entries->len; i++)
    {
      TriadModelEntry *entry = g_ptr_array_index (entries, i);
      const char *here;

      if (entry->shipped)
        /* TRANSLATORS: a heading of the model chooser: the three models Triad comes with */
        here = _("Shipped with Triad");
      else if (cache != NULL && g_str_has_prefix (entry->id, cache))
        /* TRANSLATORS: a heading of the model chooser: the models of ~/.cache/huggingface */
        here = _("Hugging Face cache");
      else
        /* TRANSLATORS: a heading of the model chooser: model folders opened before */
        here = _("Recent folders");
      if (here != group)
        add_heading (GTK_LIST_BOX (box), here);
      group = here;
      add_model_row (GTK_LIST_BOX (box), entry, g_strcmp0 (entry->id, self->model_id) == 0);
    }
  gtk_label_set_xalign (GTK_LABEL (open_label), 0);
  gtk_widget_set_margin_top (open_label, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (open_row), open_label);
  gtk_widget_set_tooltip_text (open_row, _("A folder with config.json, the weights and "
                                           "tokenizer.json, as the Hugging Face Hub serves it "
                                           "(Ctrl+O)"));
  gtk_list_box_append (GTK_LIST_BOX (box), open_row);
  g_signal_connect (box, "row-activated", G_CALLBACK (row_activated), self);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 560);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), box);
  gtk_popover_set_child (GTK_POPOVER (popover), scroller);
  gtk_menu_button_set_popover (button, popover);
}

void
triad_window_models_setup (TriadWindow *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  /* a long folder name must not widen the header bar past the screen: the tooltip and the
   * list have it whole */
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (label), 14);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_menu_button_set_child (self->model_button, label);
  gtk_menu_button_set_create_popup_func (self->model_button, make_popover, self, NULL);
}

/* ---- Open Model Folder… ---------------------------------------------------------------- */

static void
folder_chosen (GtkNativeDialog *dialog,
               int              response,
               gpointer         user_data)
{
  TriadWindow *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = folder != NULL ? g_file_get_path (folder) : NULL;

      if (path != NULL)
        triad_window_select_model (self, path);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

void
triad_window_open_model_action (GSimpleAction *action,
                                GVariant      *param,
                                gpointer       user_data)
{
  TriadWindow *self = user_data;
  GtkFileChooserNative *dialog =
    gtk_file_chooser_native_new (_("Open Model Folder"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                 /* TRANSLATORS: the folder chooser's button */
                                 _("_Open"), _("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (folder_chosen), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}
