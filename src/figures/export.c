/* export.c — a figure to a PNG file, written whole or not at all. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

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
  int fd, saved;

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
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_set_error (error, G_FILE_ERROR,
                   status == CAIRO_STATUS_NO_MEMORY ? G_FILE_ERROR_NOMEM : G_FILE_ERROR_FAILED,
                   _("Could not draw “%s”: %s"), shown, cairo_status_to_string (status));
      return FALSE;
    }

  tmp = g_strconcat (path, ".XXXXXX", NULL);
  /* 0666 through the umask, as an ordinary new file would be */
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      saved = errno;
      cairo_surface_destroy (surface);
      set_file_error (error, path, saved);
      return FALSE;
    }
  sink.file = fdopen (fd, "wb");
  if (sink.file == NULL)
    {
      saved = errno;
      close (fd);
      g_unlink (tmp);
      cairo_surface_destroy (surface);
      set_file_error (error, path, saved);
      return FALSE;
    }

  status = cairo_surface_write_to_png_stream (surface, write_png_chunk, &sink);
  cairo_surface_destroy (surface);
  saved = sink.saved_errno;
  if (status != CAIRO_STATUS_SUCCESS && saved == 0)
    saved = status == CAIRO_STATUS_NO_MEMORY ? ENOMEM : EIO;
  /* the data is on the disk before the name points at it, or the rename could publish an
   * empty file after a crash */
  if (saved == 0 && (fflush (sink.file) != 0 || fsync (fileno (sink.file)) != 0))
    saved = errno;
  if (fclose (sink.file) != 0 && saved == 0)
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
