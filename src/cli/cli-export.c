/* cli-export.c — export: the options every view's export shares, and the choice of the view
 * (each view's own options and scene in cli-export-<view>.c). */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"

#include "cli/cli-private.h"
#include "figures/figures.h"

#define MIN_SIZE    16.0
#define MAX_SIZE    16384.0
#define MIN_SCALE   0.25
#define MAX_SCALE   8.0
#define MAX_PIXELS  (16384.0 * 16384.0)
#define MAX_SIDE    32767.0   /* cairo's limit on an image's side */

/* ---- what every view's export shares ------------------------------------------------ */

void
triad_export_options_init (TriadExportOptions *o,
                           double              width,
                           double              height,
                           TriadColormap      *cmap)
{
  memset (o, 0, sizeof *o);
  o->width = width;
  o->height = height;
  o->scale = 1.0;
  o->font_scale = 1.0;
  o->cmap = cmap;
  if (cmap != NULL)
    *cmap = TRIAD_COLORMAP_VIRIDIS;
}

void
triad_export_options_clear (TriadExportOptions *o)
{
  g_clear_pointer (&o->out_path, g_free);
  g_clear_pointer (&o->lang, g_free);
  g_clear_pointer (&o->theme, g_free);
  g_clear_pointer (&o->view, g_free);
  g_clear_pointer (&o->format, g_free);
  g_clear_pointer (&o->background, g_free);
  g_clear_pointer (&o->size, g_free);
  g_clear_pointer (&o->colormap, g_free);
}

static void
add_options (GOptionContext     *ctx,
             TriadExportOptions *o)
{
  GOptionEntry entries[] = {
    { "view", 0, 0, G_OPTION_ARG_STRING, &o->view,
      N_("What to draw: attention (default), masks, cross, kv, lesson-cost or training"),
      N_("VIEW") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &o->out_path,
      N_("The file to write: .png, .svg or .pdf"), N_("FILE") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &o->format,
      N_("png, svg or pdf (default: the file’s extension, else png)"), N_("FORMAT") },
    { "width", 0, 0, G_OPTION_ARG_DOUBLE, &o->width,
      N_("Width in points, 16 to 16384"), N_("W") },
    { "height", 0, 0, G_OPTION_ARG_DOUBLE, &o->height,
      N_("Height in points, 16 to 16384"), N_("H") },
    { "scale", 0, 0, G_OPTION_ARG_DOUBLE, &o->scale,
      N_("Pixels per point, 0.25 to 8 (default 1)"), N_("S") },
    { "font-scale", 0, 0, G_OPTION_ARG_DOUBLE, &o->font_scale,
      N_("Text size, 0.5 to 3 times the normal (default 1)"), N_("F") },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &o->lang,
      N_("The language of the labels: en or ru (default: the system’s)"), N_("LANG") },
    { "theme", 0, 0, G_OPTION_ARG_STRING, &o->theme, N_("light (default) or dark"), N_("THEME") },
    { "background", 0, 0, G_OPTION_ARG_STRING, &o->background,
      N_("theme (default: the theme’s own colour), white or transparent"), N_("BACKGROUND") },
    { "size", 0, 0, G_OPTION_ARG_STRING, &o->size,
      N_("slide (1920 × 1080 pixels) or column (3.5 in at 300 dpi); else --width, --height and --scale"),
      N_("SIZE") },
    { NULL }
  };

  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
}

static void
add_colormap (GOptionContext     *ctx,
              TriadExportOptions *o)
{
  GOptionEntry entries[] = {
    { "colormap", 0, 0, G_OPTION_ARG_STRING, &o->colormap,
      N_("viridis (default), magma, cividis or grey"), N_("MAP") },
    { NULL }
  };

  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
}

int
triad_cli_check_ranges (const char          *command,
                        FILE                *err,
                        const TriadCliRange *ranges,
                        gsize                n_ranges)
{
  for (gsize i = 0; i < n_ranges; i++)
    {
      const TriadCliRange *r = &ranges[i];

      if (r->value >= r->min && r->value <= r->max)
        continue;
      /* the messages are the views' own, each with the arguments its row gives */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      if (r->int_args)
        return triad_cli_usage_error (err, command, r->message, (int) r->args[0],
                                      (int) r->args[1]);
      return triad_cli_usage_error (err, command, r->message, r->args[0], r->args[1]);
#pragma GCC diagnostic pop
    }
  return TRIAD_EXIT_OK;
}

int
triad_cli_check_choice (const char          *command,
                        FILE                *err,
                        const char          *arg,
                        const char * const  *names,
                        int                 *index,
                        const char          *message)
{
  if (arg == NULL)
    return TRIAD_EXIT_OK;
  for (int i = 0; names[i] != NULL; i++)
    if (strcmp (arg, names[i]) == 0)
      {
        *index = i;
        return TRIAD_EXIT_OK;
      }
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  return triad_cli_usage_error (err, command, message, arg);
#pragma GCC diagnostic pop
}

static int
check_options (TriadExportOptions *o,
               const char         *command,
               FILE               *err)
{
  double width = o->width, height = o->height, scale = o->scale;

  if (o->out_path == NULL)
    return triad_cli_usage_error (err, command, _("--out is required"));
  if (o->format != NULL && !triad_export_format_from_string (o->format, NULL))
    return triad_cli_usage_error (err, command, _("--format must be png, svg or pdf, not “%s”"),
                                  o->format);
  if (!(width >= MIN_SIZE && width <= MAX_SIZE) || !(height >= MIN_SIZE && height <= MAX_SIZE))
    return triad_cli_usage_error (err, command,
                                  _("--width and --height must be between %g and %g"),
                                  MIN_SIZE, MAX_SIZE);
  if (!(scale >= MIN_SCALE && scale <= MAX_SCALE))
    return triad_cli_usage_error (err, command, _("--scale must be between %g and %g"),
                                  MIN_SCALE, MAX_SCALE);
  if (ceil (width * scale) * ceil (height * scale) > MAX_PIXELS
      || ceil (width * scale) > MAX_SIDE || ceil (height * scale) > MAX_SIDE)
    return triad_cli_usage_error (err, command,
                                  _("The image would be %.0f × %.0f pixels: at most %.0f in "
                                    "all and %.0f on a side"),
                                  ceil (width * scale), ceil (height * scale), MAX_PIXELS,
                                  MAX_SIDE);
  if (!(o->font_scale >= 0.5 && o->font_scale <= 3.0))
    return triad_cli_usage_error (err, command, _("--font-scale must be between 0.5 and 3"));
  if (o->theme != NULL && strcmp (o->theme, "light") != 0 && strcmp (o->theme, "dark") != 0)
    return triad_cli_usage_error (err, command, _("--theme must be light or dark, not “%s”"),
                                  o->theme);
  if (o->lang != NULL && strcmp (o->lang, "en") != 0 && strcmp (o->lang, "ru") != 0)
    return triad_cli_usage_error (err, command, _("--lang must be en or ru, not “%s”"), o->lang);
  if (o->background != NULL && strcmp (o->background, "theme") != 0
      && strcmp (o->background, "white") != 0 && strcmp (o->background, "transparent") != 0)
    return triad_cli_usage_error (err, command,
                                  _("--background must be theme, white or transparent, not “%s”"),
                                  o->background);
  if (o->size != NULL && strcmp (o->size, "slide") != 0 && strcmp (o->size, "column") != 0)
    return triad_cli_usage_error (err, command, _("--size must be slide or column, not “%s”"),
                                  o->size);
  if (o->cmap != NULL && o->colormap != NULL && !triad_colormap_from_string (o->colormap, o->cmap))
    return triad_cli_usage_error (err, command,
                                  _("--colormap must be viridis, magma, cividis or grey, "
                                    "not “%s”"), o->colormap);
  if (g_strcmp0 (o->size, "slide") == 0)
    {
      /* 1920 × 1080 pixels, drawn at 1280 × 720 and scaled by 1.5; the type is sized from the
       * slide's height (triad_export_options_apply) */
      o->width = 1280, o->height = 720, o->scale = 1.5;
    }
  else if (g_strcmp0 (o->size, "column") == 0)
    {
      /* one column of a paper, 3.5 in wide at 300 dpi, in the figure's proportions */
      o->height = 252.0 * o->height / o->width, o->width = 252.0, o->scale = 300.0 / 72.0;
    }
  return TRIAD_EXIT_OK;
}

gboolean
triad_export_parse (GOptionContext     *ctx,
                    const GOptionEntry *entries,
                    TriadExportOptions *opt,
                    int                *argc,
                    char             ***argv,
                    FILE               *err)
{
  /* in --help: the input, the view's own options, then the shared ones */
  if (entries != NULL)
    g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  add_options (ctx, opt);
  if (opt->cmap != NULL)
    add_colormap (ctx, opt);
  return triad_cli_parse (ctx, argc, argv, err);
}

int
triad_export_options_check (TriadExportOptions *opt,
                            TriadCliInput      *in,
                            FILE               *err)
{
  int status;

  if (in != NULL && (status = triad_cli_input_check (in, err)) != TRIAD_EXIT_OK)
    return status;
  return check_options (opt, "export", err);
}

void
triad_export_options_apply (TriadExportOptions *o)
{
  TriadFigureStyle *style = &o->style;

  if (o->lang != NULL)
    /* the figure's words, by name: the process's locale stays as it is */
    triad_i18n_set_default_language (o->lang);
  /* white is dark text on white, whatever the theme; transparent keeps the theme's text */
  triad_figure_style_init (style, g_strcmp0 (o->theme, "dark") == 0
                                  && g_strcmp0 (o->background, "white") != 0);
  if (g_strcmp0 (o->background, "transparent") == 0)
    style->bg[3] = 0.0;
  style->font_scale = o->font_scale;
  if (g_strcmp0 (o->size, "slide") == 0)
    /* the figure fills the slide: its type is sized from the slide's height */
    style->surface_height = o->height;
}

typedef struct {
  TriadScene             *scene;
  const TriadFigureStyle *style;
} SceneFigure;

static void
draw_scene (cairo_t  *cr,
            double    width,
            double    height,
            gpointer  user_data)
{
  SceneFigure *fig = user_data;

  triad_scene_draw (fig->scene, cr, fig->style, width, height);
}

int
triad_export_options_write (TriadExportOptions *o,
                            TriadScene         *scene,
                            FILE               *out,
                            FILE               *err)
{
  const char *command = "export";
  SceneFigure fig = { scene, &o->style };
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) json = g_string_new (NULL);
  g_autofree char *out_shown = NULL;
  TriadExportFormat format = TRIAD_EXPORT_PNG;
  gboolean vector;
  TriadJson j;

  if (o->format != NULL)
    triad_export_format_from_string (o->format, &format);
  else
    triad_export_format_from_path (o->out_path, &format);
  vector = format != TRIAD_EXPORT_PNG;
  if (!triad_figure_export (o->out_path, format, o->width, o->height, o->scale, draw_scene,
                            &fig, &error))
    return triad_cli_fail (err, command, error);

  triad_json_init (&j, json);
  triad_json_begin_object (&j);
  out_shown = g_filename_display_name (o->out_path);
  triad_json_key (&j, "out");
  triad_json_string (&j, out_shown);
  triad_json_key (&j, "format");
  triad_json_string (&j, format == TRIAD_EXPORT_SVG ? "svg" : format == TRIAD_EXPORT_PDF ? "pdf" : "png");
  /* pixels for an image, points for a page */
  triad_json_key (&j, "width");
  triad_json_int (&j, (gint64) ceil (o->width * (vector ? 1.0 : o->scale)));
  triad_json_key (&j, "height");
  triad_json_int (&j, (gint64) ceil (o->height * (vector ? 1.0 : o->scale)));
  triad_json_key (&j, "title");
  triad_json_string (&j, triad_scene_get_title (scene));
  triad_json_end_object (&j);
  triad_cli_emit (out, json);
  return TRIAD_EXIT_OK;
}

/* The --view of an export, looked up before the options are parsed: each view has its own. */
static const char *
view_of (int    argc,
         char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        break;
      if (strcmp (argv[i], "--view") == 0 && i + 1 < argc)
        return argv[i + 1];
      if (g_str_has_prefix (argv[i], "--view="))
        return argv[i] + strlen ("--view=");
    }
  return "attention";
}

int
triad_cli_export (int    argc,
                  char **argv,
                  FILE  *out,
                  FILE  *err)
{
  const char *view = view_of (argc, argv);

  if (strcmp (view, "attention") == 0)
    return triad_cli_export_attention (argc, argv, out, err);
  if (strcmp (view, "masks") == 0)
    return triad_cli_export_masks (argc, argv, out, err);
  if (strcmp (view, "cross") == 0)
    return triad_cli_export_cross (argc, argv, out, err);
  if (strcmp (view, "kv") == 0)
    return triad_cli_export_kv (argc, argv, out, err);
  if (strcmp (view, "lesson-cost") == 0)
    return triad_cli_export_lesson_cost (argc, argv, out, err);
  if (strcmp (view, "training") == 0)
    return triad_cli_export_training (argc, argv, out, err);
  return triad_cli_usage_error (err, "export",
                                _("Unknown view “%s”: attention, masks, cross, kv, lesson-cost "
                                  "or training"), view);
}
