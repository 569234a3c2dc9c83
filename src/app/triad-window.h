/* triad-window.h — the main window: model chooser, input text, views, export. */
#pragma once

#include <gtk/gtk.h>

#include "app/triad-application.h"
#include "figures/figures.h"

G_BEGIN_DECLS

#define TRIAD_TYPE_WINDOW (triad_window_get_type ())

G_DECLARE_FINAL_TYPE (TriadWindow, triad_window, TRIAD, WINDOW, GtkApplicationWindow)

TriadWindow *triad_window_new             (TriadApplication *app);
/* The current view's page widget. */
GtkWidget   *triad_window_get_page        (TriadWindow      *self);
/* The view of that name ("lesson", "attention", "masks", "cross", "kv"), built if it has not
 * been yet; NULL for another name. */
GtkWidget   *triad_window_get_view        (TriadWindow      *self,
                                           const char       *name);
/* Writes the current figure as a PNG at scale × its size on screen; FALSE and an error when it
 * cannot. */
typedef enum {
  TRIAD_EXPORT_SIZE_SCREEN,     /* the size on screen, times scale */
  TRIAD_EXPORT_SIZE_SLIDE,      /* 1920 × 1080 pixels */
  TRIAD_EXPORT_SIZE_COLUMN,     /* 3.5 in wide at 300 dpi */
  TRIAD_EXPORT_SIZE_CUSTOM,     /* width × height, times scale */
} TriadExportSize;

typedef enum {
  TRIAD_EXPORT_BACKGROUND_THEME,
  TRIAD_EXPORT_BACKGROUND_WHITE,
  TRIAD_EXPORT_BACKGROUND_TRANSPARENT,
} TriadExportBackground;

typedef struct {
  TriadExportFormat     format;
  TriadExportSize       size;
  double                scale;      /* pixels per point for PNG */
  double                width;      /* TRIAD_EXPORT_SIZE_CUSTOM */
  double                height;
  TriadExportBackground background;
  const char           *language;   /* "en", "ru", or NULL for the window's */
} TriadWindowExport;

/* The visible view's figure into path, as opt asks. */
gboolean     triad_window_export          (TriadWindow             *self,
                                           const char              *path,
                                           const TriadWindowExport *opt,
                                           GError                 **error);
/* Every view of the current input into folder, one file each (attention.png, masks.png, …),
 * in the background; a toast tells when it is done. The views compute out of sight: the view
 * shown stays. A second call replaces a first still running; the window's dispose cancels it
 * (callback then has G_IO_ERROR_CANCELLED). */
void         triad_window_export_all      (TriadWindow             *self,
                                           GFile                   *folder,
                                           TriadExportFormat        format);
void         triad_window_export_all_async  (TriadWindow           *self,
                                             GFile                 *folder,
                                             TriadExportFormat      format,
                                             GAsyncReadyCallback    callback,
                                             gpointer               user_data);
/* TRUE and the files written when every view was; FALSE and why (the views that failed, or
 * cancelled) otherwise. The callback's source object is NULL: the export keeps no hold on a
 * window that closes. */
gboolean     triad_window_export_all_finish (GAsyncResult          *result,
                                             guint                 *n_written,
                                             GError               **error);
/* The visible view's figure on the clipboard, as an image at twice the screen's size. */
gboolean     triad_window_copy_figure     (TriadWindow      *self,
                                           GError          **error);
/* Presentation mode: full screen, reduced chrome, large type, the keyboard runs the talk. */
void         triad_window_set_presenting  (TriadWindow      *self,
                                           gboolean          presenting);
gboolean     triad_window_get_presenting  (TriadWindow      *self);
/* Whether B has blanked the screen. */
gboolean     triad_window_get_blanked     (TriadWindow      *self);
/* The next (delta > 0) or previous view; G_MAXINT and G_MININT: the last and the first. */
void         triad_window_step_view       (TriadWindow      *self,
                                           int               delta);
/* The models the chooser lists, in its order (TriadModelEntry of engine/model-catalog.h): the
 * shipped three, the Hugging Face cache's, the recent folders still there. */
GPtrArray   *triad_window_list_models     (TriadWindow      *self);
/* The chooser's label: the model in use, with its kind for a folder. */
GtkWidget   *triad_window_get_model_label (TriadWindow      *self);
/* The model id in use (see triad-application.h). */
const char  *triad_window_get_model       (TriadWindow      *self);
gboolean     triad_window_export_png      (TriadWindow      *self,
                                           const char       *path,
                                           double            scale,
                                           GError          **error);

G_END_DECLS
