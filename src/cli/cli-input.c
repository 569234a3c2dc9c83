/* cli-input.c — the input every command reads the same way: the text (--text or --text-file,
 * --prompt or --prompt-file) and the models (--model, or --encoder and --decoder), with one set
 * of messages. */
#include "config.h"

#include <string.h>
#include "engine/i18n.h"

#include "cli/cli-private.h"

void
triad_cli_input_init (TriadCliInput *in,
                      const char    *command)
{
  memset (in, 0, sizeof *in);
  in->command = command;
}

void
triad_cli_input_clear (TriadCliInput *in)
{
  g_clear_pointer (&in->text_arg, g_free);
  g_clear_pointer (&in->text_file, g_free);
  g_clear_pointer (&in->text, g_free);
  g_clear_pointer (&in->text_name, g_free);
  g_clear_pointer (&in->file_name, g_free);
  for (int i = 0; i < in->n_models; i++)
    {
      g_clear_pointer (&in->models[i].name, g_free);
      g_clear_pointer (&in->models[i].model, triad_model_free);
    }
  in->n_models = 0;
}

void
triad_cli_input_add_text (TriadCliInput  *in,
                          GOptionContext *ctx,
                          const char     *option,
                          gchar           short_name,
                          const char     *help,
                          const char     *file_help)
{
  GOptionEntry entries[] = {
    { NULL, short_name, 0, G_OPTION_ARG_FILENAME, &in->text_arg, help, N_("TEXT") },
    { NULL, 0, 0, G_OPTION_ARG_FILENAME, &in->text_file, file_help, N_("FILE") },
    { NULL }
  };

  g_return_if_fail (in->text_name == NULL);

  /* the names live as long as in: GOption keeps the pointers until the parse */
  in->text_name = g_strdup (option);
  in->file_name = g_strdup_printf ("%s-file", option);
  entries[0].long_name = in->text_name;
  entries[1].long_name = in->file_name;
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
}

int
triad_cli_input_add_model (TriadCliInput  *in,
                           GOptionContext *ctx,
                           const char     *option,
                           gchar           short_name,
                           const char     *help,
                           const char     *shipped)
{
  int i = in->n_models;
  GOptionEntry entries[] = {
    { option, short_name, 0, G_OPTION_ARG_FILENAME, NULL, help, N_("MODEL") },
    { NULL }
  };

  g_return_val_if_fail (i < TRIAD_CLI_MAX_MODELS, -1);
  /* only --model is ever required: the message says so */
  g_return_val_if_fail (shipped != NULL || g_str_equal (option, "model"), -1);

  in->models[i].option = option;
  in->models[i].shipped = shipped;
  entries[0].arg_data = &in->models[i].name;
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  in->n_models++;
  return i;
}

int
triad_cli_input_check (TriadCliInput *in,
                       FILE          *err)
{
  for (int i = 0; i < in->n_models; i++)
    if (in->models[i].name == NULL && in->models[i].shipped == NULL)
      return triad_cli_usage_error (err, in->command, _("--model is required"));
  return TRIAD_EXIT_OK;
}

gboolean
triad_cli_input_has_text (TriadCliInput *in)
{
  return in->text_arg != NULL || in->text_file != NULL;
}

gboolean
triad_cli_input_read_text (TriadCliInput  *in,
                           GError        **error)
{
  g_autofree char *flag = g_strconcat ("--", in->text_name, NULL);

  g_return_val_if_fail (in->text_name != NULL, FALSE);

  g_clear_pointer (&in->text, g_free);
  in->text = triad_cli_read_text (in->text_arg, in->text_file, flag, error);
  return in->text != NULL;
}

TriadModel *
triad_cli_input_load_model (TriadCliInput  *in,
                            int             i,
                            GError        **error)
{
  g_return_val_if_fail (i >= 0 && i < in->n_models, NULL);

  if (in->models[i].model == NULL)
    in->models[i].model = triad_cli_load_model (in->models[i].name != NULL
                                                ? in->models[i].name : in->models[i].shipped,
                                                error);
  return in->models[i].model;
}

int
triad_cli_input_load (TriadCliInput *in,
                      FILE          *err)
{
  g_autoptr(GError) error = NULL;

  /* the text first, then the models: a mistyped file name is told before a slow load */
  if (in->text_name != NULL && !triad_cli_input_read_text (in, &error))
    return triad_cli_fail (err, in->command, error);
  for (int i = 0; i < in->n_models; i++)
    if (!in->models[i].lazy && triad_cli_input_load_model (in, i, &error) == NULL)
      return triad_cli_fail (err, in->command, error);
  return TRIAD_EXIT_OK;
}
