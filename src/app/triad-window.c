/* triad-window.c — the main window. Typing is debounced; the pages compute in worker threads,
 * so the window never waits on the engine. */
#include "config.h"

#include <glib/gi18n.h>

#include "app/triad-attention-page.h"
#include "app/triad-view.h"
#include "app/triad-window.h"
#include "figures/figures.h"

#define DEBOUNCE_MS 250

struct _TriadWindow
{
  GtkApplicationWindow  parent_instance;

  GtkDropDown          *model_dropdown;
  GtkEntry             *text_entry;
  GtkMenuButton        *examples_button;
  GtkSpinner           *spinner;
  GtkStack             *stack;
  TriadAttentionPage   *attention_page;
  GtkRevealer          *toast;
  GtkLabel             *toast_label;

  GSettings            *settings;
  TriadArch             arch;
  guint                 debounce_id;
  guint                 toast_id;
};

G_DEFINE_FINAL_TYPE (TriadWindow, triad_window, GTK_TYPE_APPLICATION_WINDOW)

/* Sentences of the toy world the models were trained on, a translation prompt for the decoder,
 * sentence pairs with a masked word for the encoder, and one sentence beyond the toy world. */
static const char * const examples[] = {
  "the big cat saw a small dog",
  "the big tom saw a small dog",
  "the dog saw a cat near the house",
  "the cat slept on the table",
  "the cat that saw a dog slept",
  "большая кошка видела маленькую собаку",
  "кошка спала на столе",
  "EN: the big cat saw a small dog RU:",
  "the big cat saw a small dog <sep> большая кошка <mask> маленькую собаку",
  "the big cat saw a small <mask> <sep> большая кошка видела маленькую собаку",
  "the old bear took a green ball and the wolf saw the bear",
};

static const char * const arch_ids[] = { "encoder", "decoder", "encdec" };

static void setup (TriadWindow *self, TriadApplication *app);

TriadWindow *
triad_window_new (TriadApplication *app)
{
  TriadWindow *self = g_object_new (TRIAD_TYPE_WINDOW, "application", app, NULL);

  /* the application is set after construction: set up from it here */
  setup (self, app);
  return self;
}

GtkWidget *
triad_window_get_page (TriadWindow *self)
{
  return gtk_stack_get_visible_child (self->stack);
}

static void
show_toast (TriadWindow *self,
            const char  *text);

static gboolean
hide_toast (gpointer data)
{
  TriadWindow *self = data;

  gtk_revealer_set_reveal_child (self->toast, FALSE);
  self->toast_id = 0;
  return G_SOURCE_REMOVE;
}

static void
show_toast (TriadWindow *self,
            const char  *text)
{
  gtk_label_set_text (self->toast_label, text);
  gtk_revealer_set_reveal_child (self->toast, TRUE);
  g_clear_handle_id (&self->toast_id, g_source_remove);
  self->toast_id = g_timeout_add_seconds (5, hide_toast, self);
}

/* Loads the chosen model (the application keeps it) and hands model and text to the page. */
static void
compute_now (TriadWindow *self)
{
  TriadApplication *app = TRIAD_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->text_entry));

  GtkWidget *page = gtk_stack_get_visible_child (self->stack);

  /* only the page in view computes; the others catch up when they are shown */
  if (page != NULL && TRIAD_IS_VIEW (page))
    triad_view_set_input (TRIAD_VIEW (page), app, self->arch, text);
}

static gboolean
debounce_done (gpointer data)
{
  TriadWindow *self = data;

  self->debounce_id = 0;
  compute_now (self);
  return G_SOURCE_REMOVE;
}

static void
text_changed (GtkEditable *editable,
              TriadWindow *self)
{
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  self->debounce_id = g_timeout_add (DEBOUNCE_MS, debounce_done, self);
  g_settings_set_string (self->settings, "text", gtk_editable_get_text (editable));
}

static void
set_arch (TriadWindow *self,
          TriadArch    arch)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "model");

  self->arch = arch;
  if (gtk_drop_down_get_selected (self->model_dropdown) != (guint) arch)
    gtk_drop_down_set_selected (self->model_dropdown, arch);
  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (arch_ids[arch]));
  g_settings_set_string (self->settings, "model", arch_ids[arch]);
  compute_now (self);
}

static void
model_selected (GtkDropDown *dd,
                GParamSpec  *pspec,
                TriadWindow *self)
{
  guint i = gtk_drop_down_get_selected (dd);

  if (i < G_N_ELEMENTS (arch_ids) && (TriadArch) i != self->arch)
    set_arch (self, i);
}

static void
page_failed (TriadView   *page,
             const char  *message,
             TriadWindow *self)
{
  if (GTK_WIDGET (page) == gtk_stack_get_visible_child (self->stack))
    show_toast (self, message);
}

static void
update_spinner (TriadWindow *self)
{
  GtkWidget *page = gtk_stack_get_visible_child (self->stack);
  gboolean busy = page != NULL && TRIAD_IS_VIEW (page) && triad_view_get_busy (TRIAD_VIEW (page));

  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
}

static void
page_busy (GObject     *page,
           GParamSpec  *pspec,
           TriadWindow *self)
{
  update_spinner (self);
}

static void
page_shown (GtkStack    *stack,
            GParamSpec  *pspec,
            TriadWindow *self)
{
  GtkWidget *page = gtk_stack_get_visible_child (stack);

  if (self->settings != NULL && page != NULL)
    g_settings_set_string (self->settings, "view", gtk_stack_get_visible_child_name (stack));
  update_spinner (self);
  if (self->settings != NULL)
    compute_now (self);
}

/* ---- actions ------------------------------------------------------------------------- */

static void
model_action (GSimpleAction *action,
              GVariant      *state,
              gpointer       user_data)
{
  TriadWindow *self = user_data;
  const char *id = g_variant_get_string (state, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (arch_ids); i++)
    if (g_str_equal (id, arch_ids[i]))
      set_arch (self, i);
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
focus_text_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  TriadWindow *self = user_data;

  gtk_widget_grab_focus (GTK_WIDGET (self->text_entry));
}

static void
step_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  TriadWindow *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));

  if (g_str_equal (name, "next-layer"))
    triad_attention_page_step_layer (self->attention_page, 1);
  else if (g_str_equal (name, "previous-layer"))
    triad_attention_page_step_layer (self->attention_page, -1);
  else if (g_str_equal (name, "next-head"))
    triad_attention_page_step_head (self->attention_page, 1);
  else
    triad_attention_page_step_head (self->attention_page, -1);
}

static void
draw_figure (cairo_t *cr,
             double   width,
             double   height,
             gpointer user_data)
{
  TriadWindow *self = user_data;
  GtkWidget *page = gtk_stack_get_visible_child (self->stack);
  TriadFigureStyle style;
  gboolean dark;

  /* the export gets a solid background in the theme's own colour, so the PNG reads the same
   * outside the window */
  triad_figure_view_get_style (triad_attention_page_get_figure (self->attention_page), &style);
  dark = style.fg[0] + style.fg[1] + style.fg[2] > 1.5;
  if (dark)
    cairo_set_source_rgb (cr, 0x24 / 255.0, 0x24 / 255.0, 0x24 / 255.0);
  else
    cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  triad_view_draw_figure (TRIAD_VIEW (page), cr, width, height);
}

gboolean
triad_window_export_png (TriadWindow *self,
                         const char  *path,
                         double       scale,
                         GError     **error)
{
  GtkWidget *page = gtk_stack_get_visible_child (self->stack);
  double width, height;

  if (page == NULL || !TRIAD_IS_VIEW (page)
      || !triad_view_get_figure_size (TRIAD_VIEW (page), &width, &height))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("There is no figure to export yet"));
      return FALSE;
    }
  return triad_figure_export_png (path, width, height, scale, draw_figure, self, error);
}

static void
export_response (GtkNativeDialog *dialog,
                 int              response,
                 TriadWindow     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      const char *choice = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "scale");
      double scale = choice != NULL ? g_ascii_strtod (choice, NULL) : 2.0;
      g_autoptr(GError) error = NULL;

      if (path == NULL)
        show_toast (self, _("Triad can only export to a local file"));
      else if (!triad_window_export_png (self, path, scale, &error))
        show_toast (self, error->message);
      else
        {
          g_autofree char *msg = g_strdup_printf (_("Exported to %s"), path);
          show_toast (self, msg);
        }
    }
  g_object_unref (dialog);
}

static void
export_action (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  TriadWindow *self = user_data;
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  const char *ids[] = { "1", "2", "4", NULL };
  const char *labels[] = { N_("1× (as on screen)"), N_("2× (sharp on slides)"), N_("4× (print)"), NULL };
  const char *shown[4] = { NULL };

  for (int i = 0; i < 3; i++)
    shown[i] = _(labels[i]);
  dialog = gtk_file_chooser_native_new (_("Export Figure"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("PNG images"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  {
    /* TRANSLATORS: the file name offered for an export; %s is the view's name */
    g_autofree char *name = g_strdup_printf (_("%s.png"),
                                             gtk_stack_get_visible_child_name (self->stack));
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  }
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (dialog), "scale", _("Size"), ids, shown);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (dialog), "scale", "2");
  g_signal_connect (dialog, "response", G_CALLBACK (export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static const GActionEntry win_actions[] = {
  { "model", NULL, "s", "'decoder'", model_action },
  { "example", example_action, "s" },
  { "focus-text", focus_text_action },
  { "export", export_action },
  { "next-layer", step_action },
  { "previous-layer", step_action },
  { "next-head", step_action },
  { "previous-head", step_action },
};

/* ---- life ---------------------------------------------------------------------------- */

static gboolean
close_request (GtkWindow *window)
{
  TriadWindow *self = TRIAD_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  return GTK_WINDOW_CLASS (triad_window_parent_class)->close_request (window);
}

static void
setup (TriadWindow      *self,
       TriadApplication *app)
{
  g_autofree char *model = NULL, *text = NULL, *view = NULL;
  GMenu *menu = g_menu_new ();
  const char *page_props[] = { "mode", "show-lines", "colormap", "normalization", "kind" };

  self->settings = g_object_ref (triad_application_get_settings (app));
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions), self);
  /* the page's state as window actions, so the accelerators and menus reach them */
  for (guint i = 0; i < G_N_ELEMENTS (page_props); i++)
    {
      g_autoptr(GPropertyAction) a = g_property_action_new (page_props[i], self->attention_page,
                                                            page_props[i]);
      g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (a));
    }
  g_settings_bind (self->settings, "colormap", self->attention_page, "colormap", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "normalization", self->attention_page, "normalization",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "head-mode", self->attention_page, "mode", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "figure-scale", self->attention_page, "font-scale",
                   G_SETTINGS_BIND_GET);

  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (examples[i], NULL);
      g_menu_item_set_action_and_target_value (item, "win.example", g_variant_new_string (examples[i]));
      g_menu_append_item (menu, item);
    }
  gtk_menu_button_set_menu_model (self->examples_button, G_MENU_MODEL (menu));
  g_object_unref (menu);

  model = g_settings_get_string (self->settings, "model");
  text = g_settings_get_string (self->settings, "text");
  self->arch = TRIAD_ARCH_DECODER;
  for (guint i = 0; i < G_N_ELEMENTS (arch_ids); i++)
    if (g_str_equal (model, arch_ids[i]))
      self->arch = i;
  g_signal_handlers_block_by_func (self->text_entry, text_changed, self);
  gtk_editable_set_text (GTK_EDITABLE (self->text_entry), text);
  g_signal_handlers_unblock_by_func (self->text_entry, text_changed, self);
  view = g_settings_get_string (self->settings, "view");
  if (gtk_stack_get_child_by_name (self->stack, view) != NULL)
    gtk_stack_set_visible_child_name (self->stack, view);
  set_arch (self, self->arch);
}

static void
triad_window_dispose (GObject *object)
{
  TriadWindow *self = TRIAD_WINDOW (object);

  g_clear_handle_id (&self->debounce_id, g_source_remove);
  g_clear_handle_id (&self->toast_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TRIAD_TYPE_WINDOW);
  G_OBJECT_CLASS (triad_window_parent_class)->dispose (object);
}

static void
triad_window_finalize (GObject *object)
{
  TriadWindow *self = TRIAD_WINDOW (object);

  g_clear_object (&self->settings);
  G_OBJECT_CLASS (triad_window_parent_class)->finalize (object);
}

static void
triad_window_class_init (TriadWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = triad_window_dispose;
  object_class->finalize = triad_window_finalize;
  window_class->close_request = close_request;

  g_type_ensure (TRIAD_TYPE_ATTENTION_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/triad/Triad/triad-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, model_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, text_entry);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, examples_button);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, attention_page);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, toast);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, toast_label);
  gtk_widget_class_bind_template_callback (widget_class, text_changed);
  gtk_widget_class_bind_template_callback (widget_class, model_selected);
  gtk_widget_class_bind_template_callback (widget_class, page_failed);
  gtk_widget_class_bind_template_callback (widget_class, page_busy);
  gtk_widget_class_bind_template_callback (widget_class, page_shown);
}

static void
triad_window_init (TriadWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
