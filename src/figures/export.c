/* export.c — a figure to a PNG file, written whole or not at all. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/stat.h>
#include "engine/i18n.h"
#include <glib/gstdio.h>
#include <string.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "figures/figures-private.h"

/* cairo's own limit on either side of an image surface */
#define MAX_SIDE 32767

typedef struct {
  FILE *file;
  int   saved_errno;
} PngSink;

static cairo_status_t
write_png_chunk (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  PngSink *sink = closure;

  if (fwrite (data, 1, length, sink->file) != length)
    {
      sink->saved_errno = errno != 0 ? errno : EIO;
      return CAIRO_STATUS_WRITE_ERROR;
    }
  return CAIRO_STATUS_SUCCESS;
}

static void
set_file_error (GError    **error,
                const char *path,
                int         saved_errno)
{
  g_autofree char *shown = g_filename_display_name (path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *dir_shown = g_filename_display_name (dir);
  GFileError code = g_file_error_from_errno (saved_errno);

  /* The temporary file is ours; the user knows the path and its folder. A folder that exists
   * and still gives ENOENT (/proc, say) gets the system's words. */
  if ((saved_errno == ENOENT || saved_errno == ENOTDIR) && !g_file_test (dir, G_FILE_TEST_IS_DIR))
    g_set_error (error, G_FILE_ERROR, code,
                 _("Could not save “%s”: the folder “%s” does not exist"), shown, dir_shown);
  else if (saved_errno == EACCES || saved_errno == EPERM || saved_errno == EROFS)
    g_set_error (error, G_FILE_ERROR, code,
                 _("Could not save “%s”: the folder “%s” is not writable"), shown, dir_shown);
  else
    g_set_error (error, G_FILE_ERROR, code,
                 _("Could not save “%s”: %s"), shown, g_strerror (saved_errno));
}

/* Opens a temporary file beside path for writing; NULL and the error on failure. When path
 * is a device or a pipe (/dev/full, /dev/stdout), the figure goes straight into it, *tmp is
 * NULL, and nothing is ever put in its place. */
static FILE *
open_temporary (const char  *path,
                char       **tmp,
                GError     **error)
{
  FILE *file;
  GStatBuf st;
  int fd, saved;

  if (g_stat (path, &st) == 0 && S_ISDIR (st.st_mode))
    {
      g_autofree char *shown = g_filename_display_name (path);

      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
                   _("Could not save “%s”: it is a folder"), shown);
      return NULL;
    }
  if (g_stat (path, &st) == 0 && !S_ISREG (st.st_mode))
    {
      *tmp = NULL;
      fd = g_open (path, O_WRONLY | O_CLOEXEC, 0);
      file = fd >= 0 ? fdopen (fd, "wb") : NULL;
      if (file == NULL)
        {
          saved = errno;
          if (fd >= 0)
            close (fd);
          set_file_error (error, path, saved);
        }
      return file;
    }

  *tmp = g_strconcat (path, ".XXXXXX", NULL);
  /* 0666 through the umask, as an ordinary new file would be */
  fd = g_mkstemp_full (*tmp, O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      saved = errno;
      set_file_error (error, path, saved);
      g_clear_pointer (tmp, g_free);
      return NULL;
    }
  file = fdopen (fd, "wb");
  if (file == NULL)
    {
      saved = errno;
      close (fd);
      g_unlink (*tmp);
      g_clear_pointer (tmp, g_free);
      set_file_error (error, path, saved);
      return NULL;
    }
  return file;
}

/* Closes the temporary file and gives it path's name if everything was written (saved is
 * the first error seen, 0 for none); on any failure removes it. */
static gboolean
publish_temporary (const char  *path,
                   char        *tmp,
                   FILE        *file,
                   int          saved,
                   GError     **error)
{
  if (tmp == NULL)
    {
      /* a device or a pipe: written in place, its errors (ENOSPC from /dev/full) reported */
      if (saved == 0 && fflush (file) != 0)
        saved = errno;
      if (fclose (file) != 0 && saved == 0)
        saved = errno;
      if (saved != 0)
        set_file_error (error, path, saved);
      return saved == 0;
    }
  /* the data is on the disk before the name points at it, or the rename could publish an
   * empty file after a crash */
  if (saved == 0 && (fflush (file) != 0 || fsync (fileno (file)) != 0))
    saved = errno;
  if (fclose (file) != 0 && saved == 0)
    saved = errno;
  if (saved == 0 && g_rename (tmp, path) != 0)
    saved = errno;
  if (saved != 0)
    {
      g_unlink (tmp);
      set_file_error (error, path, saved);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_drawn (cairo_t     *cr,
             const char  *shown,
             GError     **error)
{
  cairo_status_t status = cairo_status (cr);

  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (cairo_get_target (cr));
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_FILE_ERROR,
                   status == CAIRO_STATUS_NO_MEMORY ? G_FILE_ERROR_NOMEM : G_FILE_ERROR_FAILED,
                   _("Could not draw “%s”: %s"), shown, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

gboolean
triad_figure_export_png (const char    *path,
                         double         width,
                         double         height,
                         double         scale,
                         TriadDrawFunc  draw,
                         gpointer       user_data,
                         GError       **error)
{
  g_autofree char *tmp = NULL;
  g_autofree char *shown = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  PngSink sink = { NULL, 0 };
  double pw, ph;
  int saved;

  g_return_val_if_fail (path != NULL && draw != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  shown = g_filename_display_name (path);
  pw = ceil (width * scale);
  ph = ceil (height * scale);
  if (!(width > 0.0 && height > 0.0 && scale > 0.0) || !(pw <= MAX_SIDE && ph <= MAX_SIDE))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("Could not save “%s”: an image of %g × %g at scale %g is not possible "
                     "(at most %d pixels a side)"), shown, width, height, scale, MAX_SIDE);
      return FALSE;
    }

  /* draw first: a figure that cannot be drawn leaves the folder untouched */
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) pw, (int) ph);
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  draw (cr, width, height, user_data);
  if (!check_drawn (cr, shown, error))
    {
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
      return FALSE;
    }
  cairo_destroy (cr);

  sink.file = open_temporary (path, &tmp, error);
  if (sink.file == NULL)
    {
      cairo_surface_destroy (surface);
      return FALSE;
    }
  status = triad_write_png (surface, write_png_chunk, &sink);
  cairo_surface_destroy (surface);
  saved = sink.saved_errno;
  if (status != CAIRO_STATUS_SUCCESS && saved == 0)
    saved = status == CAIRO_STATUS_NO_MEMORY ? ENOMEM : EIO;
  return publish_temporary (path, tmp, sink.file, saved, error);
}

/* SVG and PDF: vector surfaces of width × height points, streamed into the temporary file. */
static gboolean
export_vector (const char        *path,
               TriadExportFormat  format,
               double             width,
               double             height,
               TriadDrawFunc      draw,
               gpointer           user_data,
               GError           **error)
{
  g_autofree char *tmp = NULL;
  g_autofree char *shown = g_filename_display_name (path);
  cairo_surface_t *surface;
  cairo_t *cr;
  PngSink sink = { NULL, 0 };
  cairo_status_t status;
  gboolean drawn;
  int saved;

  if (!(width > 0.0 && height > 0.0 && width <= 16384.0 && height <= 16384.0))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("Could not save “%s”: a page of %g × %g points is not possible"),
                   shown, width, height);
      return FALSE;
    }
  sink.file = open_temporary (path, &tmp, error);
  if (sink.file == NULL)
    return FALSE;
  if (format == TRIAD_EXPORT_SVG)
    surface = cairo_svg_surface_create_for_stream (write_png_chunk, &sink, width, height);
  else
    surface = cairo_pdf_surface_create_for_stream (write_png_chunk, &sink, width, height);
  if (format == TRIAD_EXPORT_PDF)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Triad");
  cr = cairo_create (surface);
  draw (cr, width, height, user_data);
  drawn = check_drawn (cr, shown, error);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  saved = sink.saved_errno;
  if (drawn && status != CAIRO_STATUS_SUCCESS && saved == 0)
    saved = status == CAIRO_STATUS_NO_MEMORY ? ENOMEM : EIO;
  if (!drawn)
    {
      fclose (sink.file);
      if (tmp != NULL)
        g_unlink (tmp);
      return FALSE;
    }
  return publish_temporary (path, tmp, sink.file, saved, error);
}

gboolean
triad_figure_export (const char        *path,
                     TriadExportFormat  format,
                     double             width,
                     double             height,
                     double             scale,
                     TriadDrawFunc      draw,
                     gpointer           user_data,
                     GError           **error)
{
  g_return_val_if_fail (path != NULL && draw != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (format == TRIAD_EXPORT_PNG)
    return triad_figure_export_png (path, width, height, scale, draw, user_data, error);
  return export_vector (path, format, width, height, draw, user_data, error);
}

gboolean
triad_export_format_from_string (const char        *name,
                                 TriadExportFormat *format)
{
  static const char * const names[] = { "png", "svg", "pdf" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (name != NULL && g_ascii_strcasecmp (name, names[i]) == 0)
      {
        if (format != NULL)
          *format = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
triad_export_format_from_path (const char        *path,
                               TriadExportFormat *format)
{
  const char *dot = path != NULL ? strrchr (path, '.') : NULL;

  if (dot == NULL || strchr (dot, G_DIR_SEPARATOR) != NULL)
    return FALSE;
  return triad_export_format_from_string (dot + 1, format);
}
