/* triad-window.c — the main window. Typing is debounced; the pages compute in worker threads,
 * so the window never waits on the engine. */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <glib/gi18n.h>

#include "app/triad-attention-page.h"
#include "app/triad-cross-page.h"
#include "app/triad-kv-page.h"
#include "app/triad-lesson-page.h"
#include "app/triad-masks-page.h"
#include "app/triad-view.h"
#include "app/triad-vocabulary.h"
#include "app/triad-window.h"
#define TRIAD_I18N_NO_MACROS
#include "engine/i18n.h"
#include "figures/figures.h"

#define DEBOUNCE_MS 250

struct _TriadWindow
{
  GtkApplicationWindow  parent_instance;

  GtkDropDown          *model_dropdown;
  GtkEntry             *text_entry;
  GtkMenuButton        *examples_button;
  GtkMenuButton        *vocabulary_button;
  GtkRevealer          *edge_bar;
  GtkLabel             *edge_label;
  GtkSpinner           *spinner;
  GtkStack             *stack;
  TriadAttentionPage   *attention_page;   /* built with the window: its state backs actions */
  GtkRevealer          *toast;
  GtkLabel             *toast_label;
  GtkDrawingArea       *spotlight;
  GtkWidget            *blank;
  GtkRevealer          *present_hint;

  GSettings            *settings;
  gboolean              layer_head_restored;  /* "layer" and "head" applied to the page */
  gboolean              restoring;
  TriadArch             arch;
  guint                 debounce_id;
  guint                 toast_id;
  guint                 hint_id;
  gboolean              presenting;
  double                pointer_x;
  double                pointer_y;
  GtkCssProvider       *present_css;
};

G_DEFINE_FINAL_TYPE (TriadWindow, triad_window, GTK_TYPE_APPLICATION_WINDOW)

/* Sentences of the toy world the models were trained on, a translation prompt for the decoder,
 * sentence pairs with a masked word for the encoder, one sentence beyond the toy world, and a
 * repeated sequence. */
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
  /* a sequence said twice: the decoder's induction head (layer 3, head 1) reads the second
   * saying by looking at the token after each word's first occurrence */
  "bear ball wolf green house bear ball wolf green house",
};

static const char * const arch_ids[] = { "encoder", "decoder", "encdec" };

/* The views, in the order of the header's switcher. The stack holds a slot for each; a view
 * is built in its slot the first time it is needed (shown, exported, presented), so that the
 * window opens with the view in sight only. */
static const struct {
  const char *name;
  const char *title;
  GType     (*get_type) (void);
} views[] = {
  /* TRANSLATORS: The lesson: a page to read about the three architectures, with buttons that open the other views */
  { "lesson", N_("Lesson"), triad_lesson_page_get_type },
  /* TRANSLATORS: The view of attention heatmaps */
  { "attention", N_("Attention"), triad_attention_page_get_type },
  /* TRANSLATORS: The view comparing attention masks */
  { "masks", N_("Masks"), triad_masks_page_get_type },
  /* TRANSLATORS: The view of the encoder-decoder's cross-attention between the English source and the Russian target */
  { "cross", N_("Cross-Attention"), triad_cross_page_get_type },
  /* TRANSLATORS: The view of the key/value cache: the decoder's cache growing live, and the cache of real LLMs projected */
  { "kv", N_("KV Cache"), triad_kv_page_get_type },
};

static void setup (TriadWindow *self, TriadApplication *app);

TriadWindow *
triad_window_new (TriadApplication *app)
{
  TriadWindow *self = g_object_new (TRIAD_TYPE_WINDOW, "application", app, NULL);

  /* the application is set after construction: set up from it here */
  setup (self, app);
  return self;
}

static void page_failed (TriadView *page, const char *message, TriadWindow *self);
static void page_busy (GObject *page, GParamSpec *pspec, TriadWindow *self);

/* The view in a slot of the stack, or NULL while it has not been built. */
static GtkWidget *
slot_page (GtkWidget *slot)
{
  return slot != NULL ? gtk_widget_get_first_child (slot) : NULL;
}

/* The view in a slot, built now if it has not been. */
static GtkWidget *
ensure_page (TriadWindow *self,
             GtkWidget   *slot)
{
  GtkWidget *page = slot_page (slot);
  const char *name;

  if (page != NULL || slot == NULL)
    return page;
  name = gtk_stack_page_get_name (gtk_stack_get_page (self->stack, slot));
  for (guint i = 0; i < G_N_ELEMENTS (views) && page == NULL; i++)
    if (g_str_equal (name, views[i].name))
      page = g_object_new (views[i].get_type (), NULL);
  g_return_val_if_fail (page != NULL, NULL);
  g_signal_connect (page, "failed", G_CALLBACK (page_failed), self);
  g_signal_connect (page, "notify::busy", G_CALLBACK (page_busy), self);
  if (self->settings != NULL
      && g_object_class_find_property (G_OBJECT_GET_CLASS (page), "font-scale") != NULL)
    g_settings_bind (self->settings, "figure-scale", page, "font-scale", G_SETTINGS_BIND_GET);
  /* one colour-map preference for every view that draws weights (the Attention page's own
   * list writes it back: bound both ways in setup ()) */
  if (self->settings != NULL
      && g_object_class_find_property (G_OBJECT_GET_CLASS (page), "colormap") != NULL)
    g_settings_bind (self->settings, "colormap", page, "colormap", G_SETTINGS_BIND_GET);
  gtk_widget_set_hexpand (page, TRUE);
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (slot), page);
  return page;
}

static GtkWidget *
visible_page (TriadWindow *self)
{
  return ensure_page (self, gtk_stack_get_visible_child (self->stack));
}

GtkWidget *
triad_window_get_page (TriadWindow *self)
{
  return visible_page (self);
}

GtkWidget *
triad_window_get_view (TriadWindow *self,
                       const char  *name)
{
  return ensure_page (self, gtk_stack_get_child_by_name (self->stack, name));
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

  GtkWidget *page = visible_page (self);

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

/* The words of the text the shipped models never saw: underlined in the entry, named in its
 * tooltip and in the bar above the figure, since what the models make of them means little. */
static void
mark_edges (TriadWindow *self)
{
  g_auto(GStrv) words = triad_vocabulary_mark (self->text_entry);

  if (words[0] != NULL)
    {
      g_autofree char *list = triad_vocabulary_quote_words (words);
      g_autofree char *text = g_strdup_printf (
          /* TRANSLATORS: shown above the figure; %s is a list of quoted words */
          _("Outside what the shipped models learned: %s. They never saw these words and read "
            "them letter by letter, so the results on them mean little."), list);

      gtk_label_set_text (self->edge_label, text);
    }
  gtk_revealer_set_reveal_child (self->edge_bar, words[0] != NULL);
}

static void
text_changed (GtkEditable *editable,
              TriadWindow *self)
{
  mark_edges (self);
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
  if (GTK_WIDGET (page) == slot_page (gtk_stack_get_visible_child (self->stack)))
    show_toast (self, message);
}

static void
update_spinner (TriadWindow *self)
{
  GtkWidget *page = slot_page (gtk_stack_get_visible_child (self->stack));
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
  GtkWidget *page = self->settings != NULL ? visible_page (self) : NULL;

  if (page != NULL)
    {
      const char *name = gtk_stack_get_visible_child_name (stack);
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "view");

      g_settings_set_string (self->settings, "view", name);
      g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (name));
    }
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

static void
make_vocabulary (GtkMenuButton *button,
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

static void
step_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  TriadWindow *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));

  GtkWidget *page = visible_page (self);
  int delta = g_str_has_prefix (name, "next-") ? 1 : -1;
  gboolean layer = g_str_has_suffix (name, "-layer");

  if (TRIAD_IS_MASKS_PAGE (page))
    {
      if (layer)
        triad_masks_page_step_layer (TRIAD_MASKS_PAGE (page), delta);
      else
        triad_masks_page_step_head (TRIAD_MASKS_PAGE (page), delta);
    }
  else if (layer)
    triad_attention_page_step_layer (self->attention_page, delta);
  else
    triad_attention_page_step_head (self->attention_page, delta);
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
  GtkWidget *page = visible_page (self);

  if (page != NULL && TRIAD_IS_VIEW (page))
    triad_view_step (TRIAD_VIEW (page), g_variant_get_int32 (param));
}

typedef struct {
  TriadWindow       *window;
  TriadView         *page;
  TriadExportBackground background;
} ExportDraw;

static void
draw_figure (cairo_t *cr,
             double   width,
             double   height,
             gpointer user_data)
{
  ExportDraw *d = user_data;
  TriadFigureStyle style;
  gboolean dark;

  triad_figure_view_get_style (triad_attention_page_get_figure (d->window->attention_page), &style);
  dark = style.fg[0] + style.fg[1] + style.fg[2] > 1.5;
  switch (d->background)
    {
    case TRIAD_EXPORT_BACKGROUND_WHITE:
      {
        /* dark text on white, whatever the theme */
        double scale = style.font_scale;

        triad_figure_style_init (&style, FALSE);
        style.font_scale = scale;
        cairo_set_source_rgb (cr, 1, 1, 1);
        cairo_paint (cr);
      }
      break;
    case TRIAD_EXPORT_BACKGROUND_TRANSPARENT:
      break;
    case TRIAD_EXPORT_BACKGROUND_THEME:
    default:
      /* a solid background in the theme's own colour, so the file reads the same outside
       * the window */
      if (dark)
        cairo_set_source_rgb (cr, 0x24 / 255.0, 0x24 / 255.0, 0x24 / 255.0);
      else
        cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      break;
    }
  if (!triad_view_draw_figure_with_style (d->page, cr, &style, width, height))
    triad_view_draw_figure (d->page, cr, width, height);
}

gboolean
triad_window_export (TriadWindow               *self,
                     const char                *path,
                     const TriadWindowExport   *opt,
                     GError                   **error)
{
  GtkWidget *page = visible_page (self);
  ExportDraw d = { self, NULL, opt->background };
  double width, height, scale = opt->scale;
  TriadExportFormat format = opt->format;
  gboolean ok;

  if (page == NULL || !TRIAD_IS_VIEW (page)
      || !triad_view_get_figure_size (TRIAD_VIEW (page), &width, &height))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("There is no figure to export yet"));
      return FALSE;
    }
  d.page = TRIAD_VIEW (page);
  switch (opt->size)
    {
    case TRIAD_EXPORT_SIZE_SLIDE:
      /* 1920 × 1080 pixels: a 16:9 figure drawn at 1280 × 720 and scaled by 1.5, so its text
       * reads from the back of a room */
      width = 1280, height = 720, scale = 1.5;
      break;
    case TRIAD_EXPORT_SIZE_COLUMN:
      /* one column of a paper, 3.5 in wide at 300 dpi, in the screen's proportions */
      height = 252.0 * height / width, width = 252.0, scale = 300.0 / 72.0;
      break;
    case TRIAD_EXPORT_SIZE_CUSTOM:
      width = opt->width, height = opt->height;
      break;
    case TRIAD_EXPORT_SIZE_SCREEN:
    default:
      break;
    }
  /* the figure's words in the language asked for, named for this thread alone: the process's
   * locale, which worker threads read, stays as it is */
  if (opt->language != NULL)
    {
      triad_i18n_push_language (opt->language);
      triad_view_relabel (d.page);
    }
  ok = triad_figure_export (path, format, width, height, scale, draw_figure, &d, error);
  if (opt->language != NULL)
    {
      triad_i18n_pop_language ();
      triad_view_relabel (d.page);
    }
  return ok;
}

gboolean
triad_window_export_png (TriadWindow *self,
                         const char  *path,
                         double       scale,
                         GError     **error)
{
  TriadWindowExport opt = { .format = TRIAD_EXPORT_PNG, .scale = scale };

  return triad_window_export (self, path, &opt, error);
}

gboolean
triad_window_copy_figure (TriadWindow *self,
                          GError     **error)
{
  GtkWidget *page = visible_page (self);
  ExportDraw d = { self, NULL, TRIAD_EXPORT_BACKGROUND_THEME };
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) bytes = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  double width, height, scale = 2.0;
  int pw, ph;

  if (page == NULL || !TRIAD_IS_VIEW (page)
      || !triad_view_get_figure_size (TRIAD_VIEW (page), &width, &height))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("There is no figure to copy yet"));
      return FALSE;
    }
  d.page = TRIAD_VIEW (page);
  /* twice the screen's size: sharp when pasted into a slide */
  pw = (int) ceil (width * scale);
  ph = (int) ceil (height * scale);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pw, ph);
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  draw_figure (cr, width, height, &d);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not draw the figure: %s"),
                   cairo_status_to_string (cairo_surface_status (surface)));
      cairo_surface_destroy (surface);
      return FALSE;
    }
  /* cairo's ARGB32 is premultiplied BGRA in memory on little-endian machines, which is what
   * GDK_MEMORY_DEFAULT names */
  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * ph);
  texture = gdk_memory_texture_new (pw, ph, GDK_MEMORY_DEFAULT, bytes,
                                    cairo_image_surface_get_stride (surface));
  cairo_surface_destroy (surface);
  gdk_clipboard_set_texture (gtk_widget_get_clipboard (GTK_WIDGET (self)), texture);
  return TRUE;
}

static void
copy_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  TriadWindow *self = user_data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  g_autoptr(GError) error = NULL;

  /* in the text entry, Ctrl+C copies text as usual */
  if (focus != NULL && (GTK_IS_TEXT (focus) || GTK_IS_EDITABLE (focus)))
    {
      gtk_widget_activate_action (focus, "clipboard.copy", NULL);
      return;
    }
  if (!triad_window_copy_figure (self, &error))
    show_toast (self, error->message);
  else
    show_toast (self, _("Figure copied: paste it into a slide or a document"));
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
      GtkFileChooser *chooser = GTK_FILE_CHOOSER (dialog);
      const char *size = gtk_file_chooser_get_choice (chooser, "size");
      const char *background = gtk_file_chooser_get_choice (chooser, "background");
      const char *language = gtk_file_chooser_get_choice (chooser, "language");
      GtkFileFilter *filter = gtk_file_chooser_get_filter (chooser);
      TriadWindowExport opt = { .format = TRIAD_EXPORT_PNG, .scale = 2.0 };
      g_autoptr(GError) error = NULL;

      if (path != NULL && !triad_export_format_from_path (path, &opt.format))
        {
          /* no extension: the chosen filter's format, and its extension added */
          const char *name = filter != NULL ? g_object_get_data (G_OBJECT (filter), "format") : NULL;
          char *with_ext;

          if (name == NULL || !triad_export_format_from_string (name, &opt.format))
            name = "png";
          with_ext = g_strconcat (path, ".", name, NULL);
          g_free (path);
          path = with_ext;
        }
      if (g_strcmp0 (size, "slide") == 0)
        opt.size = TRIAD_EXPORT_SIZE_SLIDE;
      else if (g_strcmp0 (size, "column") == 0)
        opt.size = TRIAD_EXPORT_SIZE_COLUMN;
      else if (size != NULL)
        opt.scale = g_ascii_strtod (size, NULL);
      if (!(opt.scale > 0))
        opt.scale = 2.0;
      if (g_strcmp0 (background, "white") == 0)
        opt.background = TRIAD_EXPORT_BACKGROUND_WHITE;
      else if (g_strcmp0 (background, "transparent") == 0)
        opt.background = TRIAD_EXPORT_BACKGROUND_TRANSPARENT;
      if (g_strcmp0 (language, "en") == 0 || g_strcmp0 (language, "ru") == 0)
        opt.language = language;

      if (path == NULL)
        show_toast (self, _("Triad can only export to a local file"));
      else if (!triad_window_export (self, path, &opt, &error))
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
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *mime,
            const char     *format)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_mime_type (filter, mime);
  g_object_set_data (G_OBJECT (filter), "format", (gpointer) format);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
export_action (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  TriadWindow *self = user_data;
  GtkFileChooserNative *dialog;
  GtkFileChooser *chooser;
  const char *size_ids[] = { "1", "2", "4", "slide", "column", NULL };
  const char *size_labels[] = { N_("1× (as on screen)"), N_("2× (sharp on slides)"), N_("4× (print)"),
                                N_("Slide, 1920 × 1080"), N_("Paper column, 3.5 in at 300 dpi"), NULL };
  const char *bg_ids[] = { "theme", "white", "transparent", NULL };
  const char *bg_labels[] = { N_("As the theme"), N_("White"), N_("Transparent"), NULL };
  const char *lang_ids[] = { "ui", "en", "ru", NULL };
  const char *lang_labels[] = { N_("As the window"), N_("English"), N_("Russian"), NULL };
  const char *shown[3][6] = { { NULL } };

  for (int i = 0; size_labels[i] != NULL; i++)
    shown[0][i] = _(size_labels[i]);
  for (int i = 0; bg_labels[i] != NULL; i++)
    shown[1][i] = _(bg_labels[i]);
  for (int i = 0; lang_labels[i] != NULL; i++)
    shown[2][i] = _(lang_labels[i]);
  dialog = gtk_file_chooser_native_new (_("Export Figure"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  chooser = GTK_FILE_CHOOSER (dialog);
  add_filter (chooser, _("PNG image"), "image/png", "png");
  add_filter (chooser, _("SVG drawing"), "image/svg+xml", "svg");
  add_filter (chooser, _("PDF document"), "application/pdf", "pdf");
  {
    /* TRANSLATORS: the file name offered for an export; %s is the view's name */
    g_autofree char *name = g_strdup_printf (_("%s.png"),
                                             gtk_stack_get_visible_child_name (self->stack));
    gtk_file_chooser_set_current_name (chooser, name);
  }
  /* TRANSLATORS: the export dialog's choices */
  gtk_file_chooser_add_choice (chooser, "size", _("Size"), size_ids, shown[0]);
  gtk_file_chooser_set_choice (chooser, "size", "2");
  gtk_file_chooser_add_choice (chooser, "background", _("Background"), bg_ids, shown[1]);
  gtk_file_chooser_set_choice (chooser, "background", "theme");
  gtk_file_chooser_add_choice (chooser, "language", _("Labels"), lang_ids, shown[2]);
  gtk_file_chooser_set_choice (chooser, "language", "ui");
  g_signal_connect (dialog, "response", G_CALLBACK (export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- presentation -------------------------------------------------------------------- */

/* The figures' text at scale on every page that has it. */
static void
set_pages_font_scale (TriadWindow *self,
                      double       scale)
{
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->stack)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *page = ensure_page (self, c);

      if (g_object_class_find_property (G_OBJECT_GET_CLASS (page), "font-scale") != NULL)
        g_object_set (page, "font-scale", scale, NULL);
    }
}

static gboolean
hide_hint (gpointer data)
{
  TriadWindow *self = data;

  gtk_revealer_set_reveal_child (self->present_hint, FALSE);
  self->hint_id = 0;
  return G_SOURCE_REMOVE;
}

static void
presentation_scale_changed (TriadWindow *self)
{
  double scale = g_settings_get_double (self->settings, "presentation-scale");
  g_autofree char *css = NULL;

  if (!self->presenting)
    return;
  /* the interface's type and the figures' grow together */
  css = g_strdup_printf ("window.presentation * { font-size: %.1fpt; }", 11.0 * scale);
#if GTK_CHECK_VERSION (4, 12, 0)
  gtk_css_provider_load_from_string (self->present_css, css);
#else
  gtk_css_provider_load_from_data (self->present_css, css, -1);
#endif
  set_pages_font_scale (self, scale);
}

void
triad_window_set_presenting (TriadWindow *self,
                             gboolean     presenting)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "present");

  if (self->presenting == presenting)
    return;
  self->presenting = presenting;
  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (presenting));
  /* the title bar is the window's, not the template's to keep: no pointer to it is held */
  gtk_widget_set_visible (gtk_window_get_titlebar (GTK_WINDOW (self)), !presenting);
  gtk_widget_set_visible (GTK_WIDGET (self->spotlight), presenting);
  gtk_widget_set_visible (self->blank, FALSE);
  if (presenting)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "presentation");
      gtk_window_fullscreen (GTK_WINDOW (self));
      presentation_scale_changed (self);
      gtk_revealer_set_reveal_child (self->present_hint, TRUE);
      g_clear_handle_id (&self->hint_id, g_source_remove);
      self->hint_id = g_timeout_add_seconds (4, hide_hint, self);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "presentation");
      gtk_window_unfullscreen (GTK_WINDOW (self));
#if GTK_CHECK_VERSION (4, 12, 0)
      gtk_css_provider_load_from_string (self->present_css, "");
#else
      gtk_css_provider_load_from_data (self->present_css, "", -1);
#endif
      set_pages_font_scale (self, g_settings_get_double (self->settings, "figure-scale"));
      gtk_revealer_set_reveal_child (self->present_hint, FALSE);
    }
}

gboolean
triad_window_get_presenting (TriadWindow *self)
{
  return self->presenting;
}

static void
present_action (GSimpleAction *action,
                GVariant      *state,
                gpointer       user_data)
{
  triad_window_set_presenting (TRIAD_WINDOW (user_data), g_variant_get_boolean (state));
}

/* The next or previous view, as the next or previous slide; ends hold. */
void
triad_window_step_view (TriadWindow *self,
                        int          delta)
{
  GtkWidget *current = gtk_stack_get_visible_child (self->stack), *target = current;

  if (delta == G_MAXINT || delta == G_MININT)
    target = delta > 0 ? gtk_widget_get_last_child (GTK_WIDGET (self->stack))
                       : gtk_widget_get_first_child (GTK_WIDGET (self->stack));
  else
    for (int i = 0; i < ABS (delta) && target != NULL; i++)
      {
        GtkWidget *next = delta > 0 ? gtk_widget_get_next_sibling (target)
                                    : gtk_widget_get_prev_sibling (target);
        if (next == NULL)
          break;
        target = next;
      }
  if (target != NULL && target != current)
    gtk_stack_set_visible_child (self->stack, target);
}

/* The talk's keys, ahead of whatever has the focus while presenting. */
static gboolean
present_key (GtkEventControllerKey *controller,
             guint                  keyval,
             guint                  keycode,
             GdkModifierType        state,
             TriadWindow           *self)
{
  gboolean blanked = gtk_widget_get_visible (self->blank);

  if (keyval == GDK_KEY_F5)
    {
      triad_window_set_presenting (self, !self->presenting);
      return TRUE;
    }
  if (!self->presenting || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Escape:
      if (blanked)
        gtk_widget_activate_action (GTK_WIDGET (self), "win.blank", NULL);
      else
        triad_window_set_presenting (self, FALSE);
      return TRUE;
    case GDK_KEY_b:
    case GDK_KEY_B:
    case GDK_KEY_period:
      gtk_widget_activate_action (GTK_WIDGET (self), "win.blank", NULL);
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_Left:
    case GDK_KEY_space:
      gtk_widget_activate_action (GTK_WIDGET (self), "win.step", "i", keyval == GDK_KEY_Left ? -1 : 1);
      return TRUE;
    case GDK_KEY_Page_Down:
      gtk_widget_activate_action (GTK_WIDGET (self), "win.next-view", NULL);
      return TRUE;
    case GDK_KEY_Page_Up:
      gtk_widget_activate_action (GTK_WIDGET (self), "win.previous-view", NULL);
      return TRUE;
    case GDK_KEY_Home:
      gtk_widget_activate_action (GTK_WIDGET (self), "win.first-view", NULL);
      return TRUE;
    case GDK_KEY_End:
      gtk_widget_activate_action (GTK_WIDGET (self), "win.last-view", NULL);
      return TRUE;
    default:
      return FALSE;
    }
}

static void
view_step_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  TriadWindow *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));

  if (g_str_equal (name, "next-view"))
    triad_window_step_view (self, 1);
  else if (g_str_equal (name, "previous-view"))
    triad_window_step_view (self, -1);
  else if (g_str_equal (name, "first-view"))
    triad_window_step_view (self, G_MININT);
  else
    triad_window_step_view (self, G_MAXINT);
}

static void
blank_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  TriadWindow *self = user_data;

  gtk_widget_set_visible (self->blank, !gtk_widget_get_visible (self->blank));
}

gboolean
triad_window_get_blanked (TriadWindow *self)
{
  return gtk_widget_get_visible (self->blank);
}

static void
pointer_moved (GtkEventControllerMotion *motion,
               double                    x,
               double                    y,
               TriadWindow              *self)
{
  graphene_point_t in, out;

  if (!self->presenting)
    return;
  /* the window's coordinates, in the overlay's */
  in = GRAPHENE_POINT_INIT (x, y);
  if (!gtk_widget_compute_point (GTK_WIDGET (self), GTK_WIDGET (self->spotlight), &in, &out))
    out = in;
  self->pointer_x = out.x;
  self->pointer_y = out.y;
  gtk_widget_queue_draw (GTK_WIDGET (self->spotlight));
}

/* A ring of light where the pointer is, so that the back of the room sees what is shown. */
static void
draw_spotlight (GtkDrawingArea *area,
                cairo_t        *cr,
                int             width,
                int             height,
                gpointer        data)
{
  TriadWindow *self = data;
  double r = 44.0 * g_settings_get_double (self->settings, "presentation-scale");
  cairo_pattern_t *glow;

  if (self->pointer_x < 0 || self->pointer_y < 0)
    return;
  glow = cairo_pattern_create_radial (self->pointer_x, self->pointer_y, 0,
                                      self->pointer_x, self->pointer_y, r);
  cairo_pattern_add_color_stop_rgba (glow, 0.0, 1.0, 0.85, 0.0, 0.0);
  cairo_pattern_add_color_stop_rgba (glow, 0.7, 1.0, 0.85, 0.0, 0.18);
  cairo_pattern_add_color_stop_rgba (glow, 1.0, 1.0, 0.6, 0.0, 0.0);
  cairo_set_source (cr, glow);
  cairo_arc (cr, self->pointer_x, self->pointer_y, r, 0, 2 * G_PI);
  cairo_fill (cr);
  cairo_pattern_destroy (glow);
  cairo_set_source_rgba (cr, 0.95, 0.45, 0.0, 0.9);
  cairo_set_line_width (cr, 3.0);
  cairo_arc (cr, self->pointer_x, self->pointer_y, r * 0.7, 0, 2 * G_PI);
  cairo_stroke (cr);
}

/* ---- every view into a folder --------------------------------------------------------- */

typedef struct {
  TriadWindow      *window;
  GFile            *folder;
  GPtrArray        *names;      /* the views still to export */
  char             *back_to;    /* the view shown before */
  TriadExportFormat format;
  guint             done;
  guint             waited;
  GString          *failures;
} Batch;

static void
batch_free (Batch *b)
{
  g_object_unref (b->folder);
  g_ptr_array_unref (b->names);
  g_free (b->back_to);
  g_string_free (b->failures, TRUE);
  g_free (b);
}

/* One tick: once the view in sight has its figure, writes it and moves to the next. */
static gboolean
batch_tick (gpointer data)
{
  Batch *b = data;
  TriadWindow *self = b->window;
  GtkWidget *page = visible_page (self);
  double w, h;

  if (b->names->len > 0 && page != NULL && TRIAD_IS_VIEW (page)
      && (triad_view_get_busy (TRIAD_VIEW (page)) || !triad_view_get_figure_size (TRIAD_VIEW (page), &w, &h))
      && ++b->waited < 300)
    return G_SOURCE_CONTINUE;      /* still computing: up to 30 s a view */
  if (b->names->len > 0)
    {
      const char *name = g_ptr_array_index (b->names, 0);
      static const char * const ext[] = { "png", "svg", "pdf" };
      g_autofree char *file = g_strdup_printf ("%s.%s", name, ext[b->format]);
      g_autoptr(GFile) target = g_file_get_child (b->folder, file);
      g_autofree char *path = g_file_get_path (target);
      TriadWindowExport opt = { .format = b->format, .scale = 2.0 };
      g_autoptr(GError) error = NULL;

      if (triad_window_export (self, path, &opt, &error))
        b->done++;
      else
        g_string_append_printf (b->failures, "%s%s", b->failures->len ? "; " : "", error->message);
      g_ptr_array_remove_index (b->names, 0);
    }
  if (b->names->len > 0)
    {
      b->waited = 0;
      gtk_stack_set_visible_child_name (self->stack, g_ptr_array_index (b->names, 0));
      return G_SOURCE_CONTINUE;
    }
  gtk_stack_set_visible_child_name (self->stack, b->back_to);
  if (b->failures->len > 0)
    show_toast (self, b->failures->str);
  else
    {
      g_autofree char *shown = g_file_get_parse_name (b->folder);
      g_autofree char *msg = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u figure to %s",
                                                           "Exported %u figures to %s", b->done),
                                              b->done, shown);
      show_toast (self, msg);
    }
  return G_SOURCE_REMOVE;
}

void
triad_window_export_all (TriadWindow       *self,
                         GFile             *folder,
                         TriadExportFormat  format)
{
  Batch *b = g_new0 (Batch, 1);

  b->window = self;
  b->folder = g_object_ref (folder);
  b->format = format;
  b->names = g_ptr_array_new_with_free_func (g_free);
  b->failures = g_string_new (NULL);
  b->back_to = g_strdup (gtk_stack_get_visible_child_name (self->stack));
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->stack)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkStackPage *sp = gtk_stack_get_page (self->stack, c);

      g_ptr_array_add (b->names, g_strdup (gtk_stack_page_get_name (sp)));
    }
  gtk_stack_set_visible_child_name (self->stack, g_ptr_array_index (b->names, 0));
  g_timeout_add_full (G_PRIORITY_DEFAULT, 100, batch_tick, b, (GDestroyNotify) batch_free);
}

static void
export_all_response (GtkNativeDialog *dialog,
                     int              response,
                     TriadWindow     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      const char *format = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "format");
      TriadExportFormat f = TRIAD_EXPORT_PNG;

      if (format != NULL)
        triad_export_format_from_string (format, &f);
      triad_window_export_all (self, folder, f);
    }
  g_object_unref (dialog);
}

static void
export_all_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  TriadWindow *self = user_data;
  GtkFileChooserNative *dialog;
  const char *ids[] = { "png", "svg", "pdf", NULL };
  const char *labels[] = { "PNG", "SVG", "PDF", NULL };

  dialog = gtk_file_chooser_native_new (_("Export Every View"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Export"),
                                        _("_Cancel"));
  /* TRANSLATORS: the file format of a batch export */
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (dialog), "format", _("Format"), ids, labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (dialog), "format", "png");
  g_signal_connect (dialog, "response", G_CALLBACK (export_all_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
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

static const GActionEntry win_actions[] = {
  { "model", NULL, "s", "'decoder'", model_action },
  { "example", example_action, "s" },
  { "focus-text", focus_text_action },
  { "vocabulary", vocabulary_action },
  { "insert-word", insert_word_action, "s" },
  { "export", export_action },
  { "copy-figure", copy_action },
  { "export-all", export_all_action },
  { "next-layer", step_action },
  { "previous-layer", step_action },
  { "next-head", step_action },
  { "previous-head", step_action },
  { "view", NULL, "s", "'attention'", view_action },
  { "step", step_view_action, "i" },
  { "present", NULL, NULL, "false", present_action },
  { "next-view", view_step_action },
  { "previous-view", view_step_action },
  { "first-view", view_step_action },
  { "last-view", view_step_action },
  { "blank", blank_action },
  { "show-help-overlay", shortcuts_action },
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

/* The Attention view's layer and head are kept in the keys "layer" and "head" (-1: the last
 * layer). The page knows how many layers there are only once it has a model, and it tells
 * so by announcing its layer then: the keys are applied at that first announcement, and
 * every change after it is written back. */
static void
attention_layer_head_changed (GObject     *page,
                              GParamSpec  *pspec,
                              TriadWindow *self)
{
  int layer, head;

  if (self->restoring)
    return;
  if (!self->layer_head_restored)
    {
      int want_layer = g_settings_get_int (self->settings, "layer");
      int want_head = g_settings_get_int (self->settings, "head");

      self->layer_head_restored = TRUE;
      /* the page ignores what its model does not have: those keys are rewritten below */
      self->restoring = TRUE;
      if (want_layer >= 0)
        g_object_set (page, "layer", want_layer, NULL);
      if (want_head >= 0)
        g_object_set (page, "head", want_head, NULL);
      self->restoring = FALSE;
      if (want_layer < 0)
        {
          /* -1 stays the last layer, whatever the model: only the head may need writing */
          g_object_get (page, "head", &head, NULL);
          if (head != want_head)
            g_settings_set_int (self->settings, "head", head);
          return;
        }
    }
  g_object_get (page, "layer", &layer, "head", &head, NULL);
  if (g_settings_get_int (self->settings, "layer") != layer)
    g_settings_set_int (self->settings, "layer", layer);
  if (g_settings_get_int (self->settings, "head") != head)
    g_settings_set_int (self->settings, "head", head);
}

static void
setup (TriadWindow      *self,
       TriadApplication *app)
{
  g_autofree char *model = NULL, *text = NULL, *view = NULL;
  GMenu *menu = g_menu_new ();
  const char *page_props[] = { "mode", "show-lines", "colormap", "normalization", "kind",
                               "layer", "head" };

  self->settings = g_object_ref (triad_application_get_settings (app));
  self->attention_page = TRIAD_ATTENTION_PAGE (triad_window_get_view (self, "attention"));
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
  g_signal_connect_object (self->attention_page, "notify::layer",
                           G_CALLBACK (attention_layer_head_changed), self, 0);
  g_signal_connect_object (self->attention_page, "notify::head",
                           G_CALLBACK (attention_layer_head_changed), self, 0);

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
  /* the Vocabulary is built the first time it opens */
  gtk_menu_button_set_create_popup_func (self->vocabulary_button, make_vocabulary, self, NULL);
  triad_vocabulary_add_completion (self->text_entry);
  mark_edges (self);
  {
    GtkEventController *keys = gtk_event_controller_key_new ();
    GtkEventController *motion = gtk_event_controller_motion_new ();

    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    g_signal_connect (keys, "key-pressed", G_CALLBACK (present_key), self);
    gtk_widget_add_controller (GTK_WIDGET (self), keys);
    gtk_event_controller_set_propagation_phase (motion, GTK_PHASE_CAPTURE);
    g_signal_connect (motion, "motion", G_CALLBACK (pointer_moved), self);
    gtk_widget_add_controller (GTK_WIDGET (self), motion);
    gtk_drawing_area_set_draw_func (self->spotlight, draw_spotlight, self, NULL);
    self->pointer_x = self->pointer_y = -1;
    self->present_css = gtk_css_provider_new ();
    gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                GTK_STYLE_PROVIDER (self->present_css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
    g_signal_connect_swapped (self->settings, "changed::presentation-scale",
                              G_CALLBACK (presentation_scale_changed), self);
  }
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
  g_clear_handle_id (&self->hint_id, g_source_remove);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  if (self->present_css != NULL)
    {
      gtk_style_context_remove_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                     GTK_STYLE_PROVIDER (self->present_css));
      g_clear_object (&self->present_css);
    }
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
  g_type_ensure (TRIAD_TYPE_CROSS_PAGE);
  g_type_ensure (TRIAD_TYPE_MASKS_PAGE);
  g_type_ensure (TRIAD_TYPE_KV_PAGE);
  g_type_ensure (TRIAD_TYPE_LESSON_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/triad/Triad/triad-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, model_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, text_entry);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, examples_button);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, vocabulary_button);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, edge_bar);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, edge_label);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, toast);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, toast_label);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, spotlight);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, blank);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, present_hint);
  gtk_widget_class_bind_template_callback (widget_class, text_changed);
  gtk_widget_class_bind_template_callback (widget_class, model_selected);
  gtk_widget_class_bind_template_callback (widget_class, page_shown);
}

static void
triad_window_init (TriadWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      GtkWidget *slot = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

      gtk_stack_add_titled (self->stack, slot, views[i].name, _(views[i].title));
    }
}
