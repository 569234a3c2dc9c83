/* cli.c — dispatch to the subcommands, and the helpers they share. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cli/cli-private.h"

static const struct {
  const char       *name;
  TriadCommandFunc  run;
  const char       *summary;
} commands[] = {
  { "tokenize", triad_cli_tokenize, N_("Split text into the model’s tokens") },
  { "attention", triad_cli_attention, N_("Print the attention weights of a layer and head") },
  { "export", triad_cli_export, N_("Draw the attention as a figure into a PNG file") },
  { "generate", triad_cli_generate, N_("Generate text, one JSON line per step") },
  { "translate", triad_cli_translate, N_("Translate English into Russian") },
  { "predict", triad_cli_predict, N_("Fill in each <mask> with the encoder") },
  { "train", triad_cli_train, N_("Train a model on the toy world") },
  { "evaluate", triad_cli_evaluate, N_("Measure a model on the toy world’s held-out split") },
  { "kv", triad_cli_kv, N_("Estimate the KV cache and weights of real LLMs, and the GPUs they fit") },
};

gboolean
triad_cli_is_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (name, commands[i].name) == 0)
      return TRUE;
  return FALSE;
}

void
triad_cli_usage (FILE *out)
{
  fprintf (out, "%s\n  triad [COMMAND] [OPTION…]\n\n%s\n", _("Usage:"),
           _("Without a command, Triad opens its window. Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-12s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("“triad COMMAND --help” describes a command’s options."));
}

int
triad_cli_run (int    argc,
               char **argv,
               FILE  *out,
               FILE  *err)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (argv[0], commands[i].name) == 0)
      return commands[i].run (argc, argv, out, err);
  fprintf (err, _("triad: unknown command “%s” (“triad --help” lists the commands)"), argv[0]);
  fputc ('\n', err);
  return TRIAD_EXIT_USAGE;
}

gboolean
triad_cli_parse (GOptionContext *context,
                 int            *argc,
                 char         ***argv,
                 FILE           *err)
{
  g_autoptr(GError) error = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      fprintf (err, "triad %s: %s\n", (*argv)[0], error->message);
      return FALSE;
    }
  if (*argc > 1)
    {
      fprintf (err, _("triad %s: unexpected argument “%s”"), (*argv)[0], (*argv)[1]);
      fputc ('\n', err);
      return FALSE;
    }
  return TRUE;
}

int
triad_cli_fail (FILE         *err,
                const char   *command,
                const GError *error)
{
  fprintf (err, "triad %s: %s\n", command, error->message);
  if (error->domain == TRIAD_ERROR && error->code == TRIAD_ERROR_INVALID_ARGUMENT)
    return TRIAD_EXIT_USAGE;
  return TRIAD_EXIT_INPUT;
}

int
triad_cli_usage_error (FILE       *err,
                       const char *command,
                       const char *format,
                       ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (err, "triad %s: %s\n", command, msg);
  return TRIAD_EXIT_USAGE;
}

TriadModel *
triad_cli_load_model (const char *name,
                      GError    **error)
{
  g_autofree char *dir = triad_model_resolve (name, error);

  if (dir == NULL)
    return NULL;
  return triad_model_load (dir, error);
}

char *
triad_cli_read_text (const char *text,
                     const char *text_file,
                     const char *text_option,
                     GError    **error)
{
  char *contents = NULL;
  gsize length = 0;

  if (text != NULL && text_file != NULL)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                   _("Give %s or %s-file, not both"), text_option, text_option);
      return NULL;
    }
  if (text != NULL)
    return g_strdup (text);
  if (text_file == NULL)
    {
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_ARGUMENT,
                   _("%s or %s-file is required"), text_option, text_option);
      return NULL;
    }
  if (g_strcmp0 (text_file, "-") == 0)
    {
      GString *buf = g_string_new (NULL);
      char chunk[65536];
      size_t n;

      while ((n = fread (chunk, 1, sizeof chunk, stdin)) > 0)
        g_string_append_len (buf, chunk, n);
      length = buf->len;
      contents = g_string_free (buf, FALSE);
    }
  else if (!g_file_get_contents (text_file, &contents, &length, error))
    return NULL;

  if (memchr (contents, '\0', length) != NULL)
    {
      gsize at = (const char *) memchr (contents, '\0', length) - contents;
      g_free (contents);
      g_set_error (error, TRIAD_ERROR, TRIAD_ERROR_INVALID_TEXT,
                   _("The input contains a NUL byte at byte %zu"), at);
      return NULL;
    }
  return contents;
}

void
triad_cli_emit (FILE    *out,
                GString *json)
{
  fwrite (json->str, 1, json->len, out);
  fputc ('\n', out);
  fflush (out);
}

/* Copies the file at from into the device or pipe at path, which is opened, never created. */
static gboolean
copy_to_device (const char  *from,
                const char  *path,
                GError     **error)
{
  g_autofree char *data = NULL;
  g_autofree char *shown = g_filename_display_name (path);
  gsize len, done = 0;
  int fd, saved = 0;

  if (!g_file_get_contents (from, &data, &len, error))
    return FALSE;
  fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    saved = errno;
  while (fd >= 0 && saved == 0 && done < len)
    {
      gssize n = write (fd, data + done, len - done);

      if (n < 0 && errno != EINTR)
        saved = errno;
      else if (n > 0)
        done += n;
    }
  if (fd >= 0 && close (fd) != 0 && saved == 0)
    saved = errno;
  if (saved != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not save “%s”: %s"), shown, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
triad_cli_export_figure (const char        *path,
                         TriadExportFormat  format,
                         double             width,
                         double             height,
                         double             scale,
                         TriadDrawFunc      draw,
                         gpointer           data,
                         GError           **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *tmp = NULL;
  struct stat st;
  gboolean ok;

  if (g_stat (path, &st) != 0 || S_ISREG (st.st_mode) || S_ISDIR (st.st_mode))
    return triad_figure_export (path, format, width, height, scale, draw, data, error);

  /* A device or a pipe (/dev/stdout, /dev/full): the temporary file and the rename would put a
   * regular file in its place where its folder is writable, as /dev is for root. The figure is
   * drawn into a file of our own, then written through. */
  dir = g_dir_make_tmp ("triad-export-XXXXXX", error);
  if (dir == NULL)
    return FALSE;
  tmp = g_build_filename (dir, "figure", NULL);
  ok = triad_figure_export (tmp, format, width, height, scale, draw, data, error)
       && copy_to_device (tmp, path, error);
  g_unlink (tmp);
  g_rmdir (dir);
  return ok;
}
