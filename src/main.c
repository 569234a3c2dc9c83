/* main.c — `triad` opens the window; `triad COMMAND …` runs a command without a display. */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "app/triad-application.h"
#include "cli/cli.h"

/* Run from the build tree, Triad takes its translations and settings schema from there, so the
 * README's command needs no install. */
static const char *
locale_dir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  if (exe == NULL || !g_str_has_prefix (exe, TRIAD_BUILD_DIR G_DIR_SEPARATOR_S))
    return LOCALEDIR;
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL)
    g_setenv ("GSETTINGS_SCHEMA_DIR", TRIAD_BUILD_DIR G_DIR_SEPARATOR_S "data", TRUE);
  return TRIAD_BUILD_DIR G_DIR_SEPARATOR_S "po";
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TriadApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  triad_cli_settle_translation ();

  if (argc > 1 && triad_cli_is_command (argv[1]))
    return triad_cli_run (argc - 1, argv + 1, stdout, stderr);
  if (argc > 1 && g_str_equal (argv[1], "--version"))
    {
      printf ("triad %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (argc > 1 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      triad_cli_usage (stdout);
      return 0;
    }
  if (argc > 1 && argv[1][0] != '-')
    {
      fprintf (stderr, _("triad: unknown command “%s” (“triad --help” lists the commands)"),
               argv[1]);
      fputc ('\n', stderr);
      return 2;
    }

  app = triad_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
