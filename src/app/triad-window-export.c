/* triad-window-export.c — the window's figure out of it: the export dialog and the export it
 * makes, the copy to the clipboard, and every view of the current input into a folder, computed
 * by the views' pages without showing them. */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "app/triad-scene-view.h"
#include "app/triad-view.h"
#include "app/triad-window-private.h"
#define TRIAD_I18N_NO_MACROS
#include "engine/i18n.h"
#include "figures/figures.h"

typedef struct {
  TriadWindow       *window;
  TriadView         *page;
  TriadExportBackground background;
  double             surface_height;  /* > 0: a slide, its type sized from its height */
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

  triad_scene_view_get_style (triad_attention_page_get_figure (d->window->attention_page), &style);
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
  style.surface_height = d->surface_height;
  if (!triad_view_draw_figure_with_style (d->page, cr, &style, width, height))
    triad_view_draw_figure (d->page, cr, width, height);
}

/* page's figure, width × height as on screen, into path as opt asks. */
static gboolean
export_page (TriadWindow             *self,
             TriadView               *page,
             double                   width,
             double                   height,
             const char              *path,
             const TriadWindowExport *opt,
             GError                 **error)
{
  ExportDraw d = { self, page, opt->background, 0.0 };
  double scale = opt->scale;
  gboolean ok;

  switch (opt->size)
    {
    case TRIAD_EXPORT_SIZE_SLIDE:
      /* 1920 × 1080 pixels: a 16:9 figure drawn at 1280 × 720 and scaled by 1.5, its type
       * sized from the slide's height as `triad export --size slide` sizes it */
      width = 1280, height = 720, scale = 1.5;
      d.surface_height = height;
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
      triad_view_relabel (page);
    }
  ok = triad_figure_export (path, opt->format, width, height, scale, draw_figure, &d, error);
  if (opt->language != NULL)
    {
      triad_i18n_pop_language ();
      triad_view_relabel (page);
    }
  return ok;
}

gboolean
triad_window_export (TriadWindow               *self,
                     const char                *path,
                     const TriadWindowExport   *opt,
                     GError                   **error)
{
  GtkWidget *page = triad_window_get_page (self);
  double width, height;

  if (page == NULL || !TRIAD_IS_VIEW (page)
      || !triad_view_get_figure_size (TRIAD_VIEW (page), &width, &height))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("There is no figure to export yet"));
      return FALSE;
    }
  return export_page (self, TRIAD_VIEW (page), width, height, path, opt, error);
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
  GtkWidget *page = triad_window_get_page (self);
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

void
triad_window_copy_action (GSimpleAction *action,
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
    triad_window_show_toast (self, error->message);
  else
    triad_window_show_toast (self, _("Figure copied: paste it into a slide or a document"));
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
        triad_window_show_toast (self, _("Triad can only export to a local file"));
      else if (!triad_window_export (self, path, &opt, &error))
        triad_window_show_toast (self, error->message);
      else
        {
          g_autofree char *msg = g_strdup_printf (_("Exported to %s"), path);
          triad_window_show_toast (self, msg);
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

void
triad_window_export_action (GSimpleAction *action,
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

/* ---- every view into a folder ---------------------------------------------------------- */

/* How long a view may compute before its file is written with what it has. */
#define VIEW_TIMEOUT_S 30
/* A figure's size when no view has been on screen yet (a window never shown). */
#define UNSHOWN_WIDTH  1200.0
#define UNSHOWN_HEIGHT 900.0

/* The views' pages compute the current input where they are, in the stack but out of sight:
 * nothing on screen changes. The job holds the window without a reference: the window's
 * dispose cancels it first. */
struct _TriadWindowExportJob
{
  TriadWindow      *window;
  GTask            *task;
  GFile            *folder;
  TriadExportFormat format;
  GPtrArray        *pages;       /* every view's page, owned, in the switcher's order */
  GPtrArray        *names;       /* and their names */
  guint             next;        /* the page written next */
  gulong            busy_id;     /* on pages[next] while it computes */
  guint             timeout_id;
  guint             idle_id;     /* the step after pages[next] said it is done */
  gboolean          gave_up;     /* pages[next] computed too long: written as it is */
  guint             done;
  GString          *failures;
};

static void
job_free (TriadWindowExportJob *job)
{
  TriadView *page = job->next < job->pages->len ? g_ptr_array_index (job->pages, job->next) : NULL;

  if (job->busy_id != 0)
    g_signal_handler_disconnect (page, job->busy_id);
  g_clear_handle_id (&job->timeout_id, g_source_remove);
  g_clear_handle_id (&job->idle_id, g_source_remove);
  g_clear_object (&job->task);
  g_object_unref (job->folder);
  g_ptr_array_unref (job->pages);
  g_ptr_array_unref (job->names);
  g_string_free (job->failures, TRUE);
  g_free (job);
}

/* pages[i] into its file, at its size on screen. */
static void
job_write (TriadWindowExportJob *job,
           guint                 i)
{
  static const char * const ext[] = { "png", "svg", "pdf" };
  TriadView *page = g_ptr_array_index (job->pages, i);
  const char *name = g_ptr_array_index (job->names, i);
  g_autofree char *file = g_strdup_printf ("%s.%s", name, ext[job->format]);
  g_autoptr(GFile) target = g_file_get_child (job->folder, file);
  g_autofree char *path = g_file_get_path (target);
  TriadWindowExport opt = { .format = job->format, .scale = 2.0 };
  TriadViewInterface *iface = TRIAD_VIEW_GET_IFACE (page);
  g_autoptr(GError) error = NULL;
  double width = 0, height = 0;

  /* the page's own answer, not triad_view_get_figure_size (): that one says "no figure" for
   * a page that has one but no size yet */
  if (iface->get_figure_size == NULL || !iface->get_figure_size (page, &width, &height))
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                 _("There is no figure to export yet"));
  else
    {
      /* a page never shown has no size: the one it would have, the views' on screen */
      if (width < 1 || height < 1)
        {
          width = gtk_widget_get_width (GTK_WIDGET (job->window->stack));
          height = gtk_widget_get_height (GTK_WIDGET (job->window->stack));
        }
      if (width < 1 || height < 1)
        width = UNSHOWN_WIDTH, height = UNSHOWN_HEIGHT;
      if (path == NULL)
        g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                     _("Triad can only export to a local file"));
      else if (export_page (job->window, page, width, height, path, &opt, &error))
        job->done++;
    }
  if (error != NULL)
    g_string_append_printf (job->failures, "%s%s", job->failures->len ? "; " : "", error->message);
}

static void job_step (TriadWindowExportJob *job);

static gboolean
job_idle (gpointer data)
{
  TriadWindowExportJob *job = data;

  job->idle_id = 0;
  job_step (job);
  return G_SOURCE_REMOVE;
}

/* A page says it is done before it has taken its results in (the Cross-Attention page, for
 * one): the next step waits for the page's handler to end. */
static void
job_page_busy (GObject              *page,
               GParamSpec           *pspec,
               TriadWindowExportJob *job)
{
  if (!triad_view_get_busy (TRIAD_VIEW (page)) && job->idle_id == 0)
    job->idle_id = g_idle_add (job_idle, job);
}

static gboolean
job_timeout (gpointer data)
{
  TriadWindowExportJob *job = data;

  job->timeout_id = 0;
  job->gave_up = TRUE;
  job_step (job);
  return G_SOURCE_REMOVE;
}

/* Writes every page that is done, in order, and waits on the first that computes; at the
 * end, tells. */
static void
job_step (TriadWindowExportJob *job)
{
  TriadWindow *self = job->window;
  GTask *task;

  while (job->next < job->pages->len)
    {
      TriadView *page = g_ptr_array_index (job->pages, job->next);

      if (!job->gave_up && triad_view_get_busy (page))
        {
          if (job->busy_id == 0)
            {
              job->busy_id = g_signal_connect (page, "notify::busy",
                                               G_CALLBACK (job_page_busy), job);
              job->timeout_id = g_timeout_add_seconds (VIEW_TIMEOUT_S, job_timeout, job);
            }
          return;
        }
      if (job->busy_id != 0)
        g_clear_signal_handler (&job->busy_id, page);
      g_clear_handle_id (&job->timeout_id, g_source_remove);
      job->gave_up = FALSE;
      job_write (job, job->next);
      job->next++;
    }

  if (job->failures->len > 0)
    triad_window_show_toast (self, job->failures->str);
  else
    {
      g_autofree char *shown = g_file_get_parse_name (job->folder);
      g_autofree char *msg = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                           "Exported %u figure to %s",
                                                           "Exported %u figures to %s", job->done),
                                              job->done, shown);
      triad_window_show_toast (self, msg);
    }
  self->export_job = NULL;
  task = g_steal_pointer (&job->task);
  if (job->failures->len > 0)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", job->failures->str);
  else
    g_task_return_int (task, job->done);
  g_object_unref (task);
  job_free (job);
}

/* The job stops where it is: no more files, no toast; its task says it was cancelled. */
static void
job_cancel (TriadWindowExportJob *job)
{
  GTask *task = g_steal_pointer (&job->task);

  job->window->export_job = NULL;
  job_free (job);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("The export of every view was cancelled"));
  g_object_unref (task);
}

void
triad_window_export_dispose (TriadWindow *self)
{
  if (self->export_job != NULL)
    job_cancel (self->export_job);
}

void
triad_window_export_all_async (TriadWindow         *self,
                               GFile               *folder,
                               TriadExportFormat    format,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  TriadApplication *app;
  const char *text;
  TriadWindowExportJob *job;

  g_return_if_fail (TRIAD_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (folder));

  app = TRIAD_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  text = gtk_editable_get_text (GTK_EDITABLE (self->text_entry));

  /* one at a time: a new export of every view replaces one still running */
  if (self->export_job != NULL)
    job_cancel (self->export_job);
  job = g_new0 (TriadWindowExportJob, 1);
  job->window = self;
  /* no source object: the task must not keep a window that goes alive */
  job->task = g_task_new (NULL, NULL, callback, user_data);
  g_task_set_source_tag (job->task, triad_window_export_all_async);
  job->folder = g_object_ref (folder);
  job->format = format;
  job->pages = g_ptr_array_new_with_free_func (g_object_unref);
  job->names = g_ptr_array_new_with_free_func (g_free);
  job->failures = g_string_new (NULL);
  self->export_job = job;

  /* the text as it is now, past a debounce still pending, for every view at once: each page
   * computes in its own worker, the visible one as the others */
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->stack)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *page = triad_window_ensure_page (self, c);

      if (page == NULL || !TRIAD_IS_VIEW (page))
        continue;
      g_ptr_array_add (job->pages, g_object_ref (page));
      g_ptr_array_add (job->names,
                       g_strdup (gtk_stack_page_get_name (gtk_stack_get_page (self->stack, c))));
      if (app != NULL)
        triad_view_set_input (TRIAD_VIEW (page), app, self->model_id, text);
    }
  job_step (job);
}

gboolean
triad_window_export_all_finish (GAsyncResult  *result,
                                guint         *n_written,
                                GError       **error)
{
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == triad_window_export_all_async,
                        FALSE);

  n = g_task_propagate_int (G_TASK (result), error);
  if (n_written != NULL)
    *n_written = n < 0 ? 0 : (guint) n;
  return n >= 0;
}

void
triad_window_export_all (TriadWindow       *self,
                         GFile             *folder,
                         TriadExportFormat  format)
{
  triad_window_export_all_async (self, folder, format, NULL, NULL);
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

void
triad_window_export_all_action (GSimpleAction *action,
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

