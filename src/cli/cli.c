/* cli.c — dispatch to the subcommands, and the helpers they share. */
#include "config.h"

#include <locale.h>
#include <string.h>
#include "engine/i18n.h"

#include "cli/cli-private.h"
#include "engine/toyworld.h"

static const struct {
  const char       *name;
  TriadCommandFunc  run;
  const char       *summary;
} commands[] = {
  { "inspect", triad_cli_inspect, N_("Describe a model: architecture, size, tokenizer, memory") },
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

void
triad_cli_settle_translation (void)
{
  g_autofree char *saved = g_strdup (setlocale (LC_MESSAGES, NULL));

  /* g_dgettext (the _() of the engine and the command line) decides at its first call whether
   * to translate at all, and decides not to under C.UTF-8 with LANGUAGE unset — which would
   * keep `triad export --lang ru` English. Made first under "C", the call decides to
   * translate; gettext then follows LANGUAGE and the locale as usual. */
  setlocale (LC_MESSAGES, "C");
  (void) g_dgettext (GETTEXT_PACKAGE, "");
  setlocale (LC_MESSAGES, saved);
}

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

void
triad_cli_json_unknown_words (TriadJson  *j,
                              const char *text)
{
  g_autoptr(TriadToyWorld) world = triad_toy_world_new ();
  g_auto(GStrv) words = triad_toy_unknown_words (world, text);

  triad_json_key (j, "unknown_words");
  triad_json_begin_array (j);
  for (int i = 0; words[i] != NULL; i++)
    triad_json_string (j, words[i]);
  triad_json_end_array (j);
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

