/* triad-training-filmstrip.c — the Training page's filmstrip export: the chosen head at a few
 * steps of the run as `triad export --view training` draws it, into a file the user chooses. */
#include "config.h"

#include <glib/gi18n.h>

#include "app/triad-training-page-private.h"
#include "app/triad-view.h"
#include "scenes/training-scene.h"

typedef struct {
  TriadScene             *scene;
  const TriadFigureStyle *style;
} FilmstripDraw;

static void
draw_filmstrip (cairo_t *cr,
                double   width,
                double   height,
                gpointer data)
{
  FilmstripDraw *d = data;

  triad_scene_draw (d->scene, cr, d->style, width, height);
}

gboolean
triad_training_page_export_filmstrip (TriadTrainingPage  *self,
                                      const char         *path,
                                      GError            **error)
{
  g_autoptr(TriadTrainingScene) strip = NULL;
  g_autoptr(TriadScene) scene = NULL;
  TriadTrainingOptions opt;
  TriadFigureStyle style;
  TriadExportFormat format;
  FilmstripDraw d;
  const TriadWatchRecord *record;

  g_return_val_if_fail (TRIAD_IS_TRAINING_PAGE (self), FALSE);

  record = triad_training_page_get_record (self);
  if (record == NULL || record->snapshots->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                   _("There is no figure to export yet"));
      return FALSE;
    }
  if (!triad_export_format_from_path (path, &format))
    format = TRIAD_EXPORT_PNG;
  strip = triad_training_scene_new (record);
  triad_training_options_init (&opt);
  g_object_get (self, "layer", &opt.layer, "head", &opt.head, "colormap", &opt.cmap, NULL);
  scene = triad_training_scene_as_scene (strip, &opt);
  /* on white, as `triad export --view training` draws it by default */
  triad_figure_style_init (&style, FALSE);
  style.font_scale = 1.0;
  d = (FilmstripDraw) { scene, &style };
  return triad_figure_export (path, format, 1200.0, 620.0, 2.0, draw_filmstrip, &d, error);
}

static void
filmstrip_response (GtkNativeDialog   *dialog,
                    int                response,
                    TriadTrainingPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (path == NULL)
        triad_view_failed (TRIAD_VIEW (self), _("Triad can only export to a local file"));
      else if (!triad_training_page_export_filmstrip (self, path, &error))
        triad_view_failed (TRIAD_VIEW (self), error->message);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

void
triad_training_page_choose_filmstrip (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *param)
{
  GtkFileChooserNative *dialog;
  GtkRoot *root = gtk_widget_get_root (widget);

  dialog = gtk_file_chooser_native_new (_("Export Filmstrip"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  /* TRANSLATORS: the file name offered for the training filmstrip; keep the extension */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), _("training-filmstrip.png"));
  g_signal_connect (dialog, "response", G_CALLBACK (filmstrip_response), g_object_ref (widget));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}
