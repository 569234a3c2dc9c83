/* triad-window-actions.c — the window's win.* actions: the model, the text and its examples and
 * Vocabulary, the layer, head and step of the view in sight, the view shown, and the shortcuts
 * window (export, copy and presentation come from their own files). */
#include "config.h"

#include <glib/gi18n.h>

#include "app/triad-view.h"
#include "app/triad-vocabulary.h"
#include "app/triad-window-private.h"

static void
model_action (GSimpleAction *action,
              GVariant      *state,
              gpointer       user_data)
{
  triad_window_select_model (TRIAD_WINDOW (user_data), g_variant_get_string (state, NULL));
}

static void
example_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  TriadWindow *self = user_data;

  gtk_editable_set_text (GTK_EDITABLE (self->text_entry), g_variant_get_string (param, NULL));
}

static void
vocabulary_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  TriadWindow *self = user_data;

  gtk_menu_button_popup (self->vocabulary_button);
}

/* A word of the Vocabulary, put where the cursor is, spaced from the words around it. */
static void
insert_word_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  TriadWindow *self = user_data;
  GtkEditable *entry = GTK_EDITABLE (self->text_entry);
  int at = 0;
  g_autofree char *text = triad_vocabulary_insert_word (gtk_editable_get_text (entry),
                                                        gtk_editable_get_position (entry),
                                                        g_variant_get_string (param, NULL), &at);

  gtk_editable_set_text (entry, text);
  gtk_editable_set_position (entry, at);
}

void
triad_window_make_vocabulary (GtkMenuButton *button,
                              gpointer       user_data)
{
  gtk_menu_button_set_popover (button, triad_vocabulary_popover_new ("win.insert-word"));
}

static void
focus_text_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  TriadWindow *self = user_data;

  gtk_widget_grab_focus (GTK_WIDGET (self->text_entry));
}

/* The page in sight's own actions under the window's name, for the accelerators and the
 * Lesson's demos: win.mode, win.show-lines, win.colormap, win.normalization, win.kind,
 * win.layer, win.head, and the steps win.next-layer, win.previous-layer, win.next-head and
 * win.previous-head, each activates the page's view.* action of the same name with the same
 * parameter; a page that has no such action ignores it. */
static void
forward_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  TriadWindow *self = user_data;
  GtkWidget *page = triad_window_get_page (self);
  g_autofree char *name = g_strconcat ("view.", g_action_get_name (G_ACTION (action)), NULL);

  if (page != NULL)
    gtk_widget_activate_action_variant (page, name, param);
}

static void
view_action (GSimpleAction *action,
             GVariant      *state,
             gpointer       user_data)
{
  TriadWindow *self = user_data;
  const char *name = g_variant_get_string (state, NULL);

  if (gtk_stack_get_child_by_name (self->stack, name) != NULL)
    gtk_stack_set_visible_child_name (self->stack, name);
}

static void
step_view_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  TriadWindow *self = user_data;
  GtkWidget *page = triad_window_get_page (self);

  if (page != NULL && TRIAD_IS_VIEW (page))
    triad_view_step (TRIAD_VIEW (page), g_variant_get_int32 (param));
}

/* The keyboard shortcuts window. Not named gtk/help-overlay.ui, which GtkApplication would
 * build with every window, before its first frame; set as the window's help overlay, so that
 * its shortcuts show the application's accelerators. */
static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  GtkApplicationWindow *self = user_data;
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (self);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/org/triad/Triad/triad-shortcuts.ui");

      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (self, overlay);
    }
  gtk_window_present (GTK_WINDOW (overlay));
}

/* win.close (Ctrl+W): the window goes, the application with its last one. */
static void
close_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
}

static const GActionEntry win_actions[] = {
  { "close", close_action },
  { "model", NULL, "s", "'decoder'", model_action },
  { "open-model", triad_window_open_model_action },
  { "example", example_action, "s" },
  { "focus-text", focus_text_action },
  { "vocabulary", vocabulary_action },
  { "insert-word", insert_word_action, "s" },
  { "export", triad_window_export_action },
  { "copy-figure", triad_window_copy_action },
  { "export-all", triad_window_export_all_action },
  { "next-layer", forward_action },
  { "previous-layer", forward_action },
  { "next-head", forward_action },
  { "previous-head", forward_action },
  { "mode", forward_action, "s" },
  { "show-lines", forward_action },
  { "colormap", forward_action, "s" },
  { "normalization", forward_action, "s" },
  { "kind", forward_action, "s" },
  { "layer", forward_action, "i" },
  { "head", forward_action, "i" },
  { "view", NULL, "s", "'attention'", view_action },
  { "step", step_view_action, "i" },
  { "present", NULL, NULL, "false", triad_window_present_action },
  { "next-view", triad_window_view_step_action },
  { "previous-view", triad_window_view_step_action },
  { "first-view", triad_window_view_step_action },
  { "last-view", triad_window_view_step_action },
  { "blank", triad_window_blank_action },
  { "show-help-overlay", shortcuts_action },
};

void
triad_window_add_actions (TriadWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions),
                                   self);
}
