/* cli-private.h — what the subcommands share. */
#pragma once

#include <stdio.h>
#include <glib.h>

#include "cli/cli.h"
#include "cli/cli-json.h"
#include "engine/error.h"
#include "engine/generate.h"
#include "engine/memory.h"
#include "engine/model.h"
#include "engine/watch.h"
#include "figures/figures.h"
#include "scenes/scene.h"

G_BEGIN_DECLS

typedef int (*TriadCommandFunc) (int    argc,
                                 char **argv,
                                 FILE  *out,
                                 FILE  *err);

/* Parses the options of a subcommand; on failure prints the error, returns FALSE. */
gboolean    triad_cli_parse       (GOptionContext *context,
                                   int            *argc,
                                   char         ***argv,
                                   FILE           *err);
/* Prints "triad COMMAND: message" and returns the exit status the error calls for. */
int         triad_cli_fail        (FILE           *err,
                                   const char     *command,
                                   const GError   *error);
int         triad_cli_usage_error (FILE           *err,
                                   const char     *command,
                                   const char     *format,
                                   ...) G_GNUC_PRINTF (3, 4);
/* The model named by --model (a folder or a shipped name), loaded. */
TriadModel *triad_cli_load_model  (const char     *name,
                                   GError        **error);
/* The text of an option such as --text, or of its file form --text-file ("-" for standard
 * input); text_option names the option in messages. */
char       *triad_cli_read_text   (const char     *text,
                                   const char     *text_file,
                                   const char     *text_option,
                                   GError        **error);
/* ---- the input (cli-input.c) --------------------------------------------------------- */

#define TRIAD_CLI_MAX_MODELS 2

/* What a command reads: a text, given on the command line (--text) or in a file
 * (--text-file, "-" for standard input), and models, a folder or a shipped name each. The
 * same options and messages for every command. */
typedef struct {
  const char *command;          /* "export", "tokenize", …: for the messages */
  char       *text_name;        /* "text" or "prompt"; NULL: the command reads no text */
  char       *file_name;        /* "text-file" or "prompt-file" */
  char       *text_arg;         /* as given */
  char       *text_file;
  char       *text;             /* read by triad_cli_input_load () */
  int         n_models;
  struct {
    const char *option;         /* "model", "encoder", "decoder" */
    const char *shipped;        /* the shipped model when not given; NULL: --model required */
    gboolean    lazy;           /* loaded by the command when it needs it, not by _load () */
    char       *name;           /* as given */
    TriadModel *model;          /* loaded, owned */
  } models[TRIAD_CLI_MAX_MODELS];
} TriadCliInput;

void        triad_cli_input_init       (TriadCliInput  *in,
                                        const char     *command);
void        triad_cli_input_clear      (TriadCliInput  *in);
/* Adds --OPTION and --OPTION-file to ctx ("text": --text and --text-file); help and
 * file_help are N_() strings. in must outlive the parse. */
void        triad_cli_input_add_text   (TriadCliInput  *in,
                                        GOptionContext *ctx,
                                        const char     *option,
                                        gchar           short_name,
                                        const char     *help,
                                        const char     *file_help);
/* Adds --OPTION, a model folder or a shipped name, loaded as shipped when not given (only
 * "model" may have none: it is then required). Returns the model's index. */
int         triad_cli_input_add_model  (TriadCliInput  *in,
                                        GOptionContext *ctx,
                                        const char     *option,
                                        gchar           short_name,
                                        const char     *help,
                                        const char     *shipped);
/* After the parse: TRIAD_EXIT_OK, or "--model is required" printed as a usage error. */
int         triad_cli_input_check      (TriadCliInput  *in,
                                        FILE           *err);
/* Whether --text or --text-file was given (for a command whose text is optional). */
gboolean    triad_cli_input_has_text   (TriadCliInput  *in);
gboolean    triad_cli_input_read_text  (TriadCliInput  *in,
                                        GError        **error);
/* Model i, loaded now if it has not been; NULL and an error when it cannot be. */
TriadModel *triad_cli_input_load_model (TriadCliInput  *in,
                                        int             i,
                                        GError        **error);
/* Reads the text, then loads every model not lazy; TRIAD_EXIT_OK, or the failure printed. */
int         triad_cli_input_load       (TriadCliInput  *in,
                                        FILE           *err);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TriadCliInput, triad_cli_input_clear)

/* "unknown_words": the words of text that the shipped models never saw, each once, in order
 * (an empty array when the text stays inside the toy world). */
void        triad_cli_json_unknown_words (TriadJson  *j,
                                          const char *text);
/* "self", "decoder-self" or "cross"; kind may be NULL to check the name only. */
gboolean    triad_cli_kind_from_string (const char    *name,
                                        TriadAttnKind *kind);
/* ---- export (cli-export.c): what every view's export shares ---------------------------- */

/* The options every view's export takes — --view, --out, --format, --width, --height,
 * --scale, --size, --font-scale, --lang, --theme, --background, and --colormap where the view
 * colours weights — their checks, the figure's style, and the writing of the figure (PNG, SVG
 * or PDF, by --format or the file's extension) with its JSON report. */
typedef struct {
  char   *view;
  char   *out_path;
  char   *lang;
  char   *theme;
  char   *format;
  char   *background;
  char   *size;
  double  width;
  double  height;
  double  scale;
  double  font_scale;
  char   *colormap;       /* --colormap as given … */
  TriadColormap *cmap;    /* … read into the view's options by the check; NULL: no --colormap */
  TriadFigureStyle style; /* made by triad_export_options_apply () */
} TriadExportOptions;

/* width × height points by default; cmap, the view's options' colormap (viridis unless
 * --colormap says otherwise), or NULL for a view that colours no weights. */
void triad_export_options_init  (TriadExportOptions *opt,
                                 double              width,
                                 double              height,
                                 TriadColormap      *cmap);
void triad_export_options_clear (TriadExportOptions *opt);
/* Adds the view's entries, then the shared options, to ctx and parses; on failure prints the
 * error, returns FALSE. opt and what entries point to must outlive the parse. */
gboolean triad_export_parse     (GOptionContext     *ctx,
                                 const GOptionEntry *entries,
                                 TriadExportOptions *opt,
                                 int                *argc,
                                 char             ***argv,
                                 FILE               *err);
/* After the parse: in (when not NULL) and the shared options checked, --colormap read into
 * the view's options. TRIAD_EXIT_OK, or the usage error already printed. */
int  triad_export_options_check (TriadExportOptions *opt,
                                 TriadCliInput      *in,
                                 FILE               *err);
/* Switches the labels' language and makes opt->style as the options ask. Call it before the
 * scene is updated: a scene's words are made in the language gettext speaks then. */
void triad_export_options_apply (TriadExportOptions *opt);
/* Draws scene (through the scenes' common interface, as the window does) into the file
 * (temporary file, renamed at the end) in opt->style and prints the JSON report, its title
 * the scene's. */
int  triad_export_options_write (TriadExportOptions *opt,
                                 TriadScene         *scene,
                                 FILE               *out,
                                 FILE               *err);

/* A row of a table of checks: a number the command line gave must lie in [min, max] (a NaN
 * never does); when it does not, message (translated) is the usage error, its %g — or its
 * %d, with int_args — taking args[0] and args[1]. */
typedef struct {
  double      value;
  double      min, max;
  const char *message;
  double      args[2];
  gboolean    int_args;
} TriadCliRange;

/* The rows in order: TRIAD_EXIT_OK, or the first failing row's error printed. */
int  triad_cli_check_ranges     (const char          *command,
                                 FILE                *err,
                                 const TriadCliRange *ranges,
                                 gsize                n_ranges);
/* arg (NULL: not given, *index unchanged) is one of names (NULL-terminated): *index is its
 * position. Else message (translated, its %s taking arg) is printed as the usage error. */
int  triad_cli_check_choice     (const char          *command,
                                 FILE                *err,
                                 const char          *arg,
                                 const char * const  *names,
                                 int                 *index,
                                 const char          *message);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TriadExportOptions, triad_export_options_clear)

/* Writes a finished JSON document and a newline. */
void        triad_cli_emit        (FILE           *out,
                                   GString        *json);

int triad_cli_tokenize (int argc, char **argv, FILE *out, FILE *err);
int triad_cli_attention (int argc, char **argv, FILE *out, FILE *err);
int triad_cli_export (int argc, char **argv, FILE *out, FILE *err);
int triad_cli_export_attention (int argc, char **argv, FILE *out, FILE *err);
int triad_cli_export_masks (int argc, char **argv, FILE *out, FILE *err);
int triad_cli_export_cross (int argc, char **argv, FILE *out, FILE *err);
int triad_cli_export_lesson_cost (int argc, char **argv, FILE *out, FILE *err);
int triad_cli_export_training (int argc, char **argv, FILE *out, FILE *err);
/* `triad train --task`: the run stepped to its end, its snapshots written into dir. */
int triad_cli_train_watch (const TriadWatchOptions *opt, const char *dir, int log_every,
                           FILE *out, FILE *err);
int triad_cli_generate (int argc, char **argv, FILE *out, FILE *err);
int triad_cli_train (int argc, char **argv, FILE *out, FILE *err);
int triad_cli_evaluate (int argc, char **argv, FILE *out, FILE *err);
int triad_cli_translate (int argc, char **argv, FILE *out, FILE *err);
int triad_cli_predict (int argc, char **argv, FILE *out, FILE *err);
int triad_cli_kv (int argc, char **argv, FILE *out, FILE *err);
int triad_cli_inspect (int argc, char **argv, FILE *out, FILE *err);
int triad_cli_export_kv (int argc, char **argv, FILE *out, FILE *err);

/* ---- kv and export --view kv (cli-kv.c) ---------------------------------------------- */

/* What kv and export --view kv read from the command line to shape an estimate. */
typedef struct {
  char    *presets_path;
  char    *kv_dtype;
  char    *weight_dtype;
  char    *attention;
  char    *gpu_unit;
  gboolean no_window;
  gboolean paged;
  /* the numbers as typed: GOption's own parsing reads "010" as octal and "0x10" as hex, and
   * takes "nan" for a number (see read_numbers) */
  char    *batch_text, *layers_text, *heads_text, *kv_heads_text, *head_dim_text, *window_text;
  char    *max_context_text, *params_text;
  /* any preset's numbers, overridden (the "custom" preset starts from a 7B-like shape) */
  gint64   batch;
  gint64   layers, heads, kv_heads, head_dim, window, max_context;
  double   params;
} TriadCliEstimateArgs;

void          triad_cli_estimate_args_init  (TriadCliEstimateArgs *a);
void          triad_cli_estimate_args_clear (TriadCliEstimateArgs *a);
/* The options of an estimate, as a group of their own. */
GOptionGroup *triad_cli_estimate_group      (TriadCliEstimateArgs *a);
/* The presets, and the options shared by kv and export --view kv, checked; on failure prints
 * one line and sets *status. */
gboolean      triad_cli_read_estimate_args  (const char           *command,
                                             TriadCliEstimateArgs *a,
                                             FILE                 *err,
                                             GPtrArray           **presets,
                                             TriadKvOptions       *o,
                                             TriadMemUnit         *unit,
                                             int                  *status);
/* The preset named id (or "custom"), with the numbers the command line sets. */
TriadLlmPreset *triad_cli_resolve_preset    (const char                 *command,
                                             GPtrArray                  *presets,
                                             const char                 *id,
                                             const TriadCliEstimateArgs *a,
                                             FILE                       *err,
                                             int                        *status);
/* The presets a comma-separated list names (1 … max of them), as triad_cli_resolve_preset
 * makes each; NULL after printing one line, with *status set. */
GPtrArray    *triad_cli_resolve_presets     (const char                 *command,
                                             GPtrArray                  *presets,
                                             const char                 *list,
                                             int                         max,
                                             const TriadCliEstimateArgs *a,
                                             FILE                       *err,
                                             int                        *status);
/* An integer option as typed (NULL: not given, *value unchanged), decimal digits only, within
 * [min, max]; on failure prints one line and sets *status. */
gboolean      triad_cli_read_int            (const char *command,
                                             FILE       *err,
                                             const char *option,
                                             const char *text,
                                             gint64      min,
                                             gint64      max,
                                             gint64     *value,
                                             int        *status);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TriadCliEstimateArgs, triad_cli_estimate_args_clear)

G_END_DECLS
