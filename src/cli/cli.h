/* cli.h — the subcommands that need no display. */
#pragma once

#include <stdio.h>
#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TRIAD_EXIT_OK = 0,
  TRIAD_EXIT_INPUT = 1,   /* the input was bad: a model, a text, a file */
  TRIAD_EXIT_USAGE = 2,   /* the command line was bad */
} TriadExit;

gboolean triad_cli_is_command (const char *name);

/* argv[0] is the subcommand. Results go to out, one-line errors to err. */
int      triad_cli_run        (int    argc,
                               char **argv,
                               FILE  *out,
                               FILE  *err);

void     triad_cli_usage      (FILE  *out);

/* After textdomain (): lets the command line's words follow --lang under any locale. */
void     triad_cli_settle_translation (void);

G_END_DECLS
