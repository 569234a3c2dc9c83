/* cli-export.c — export: a figure of the attention to a PNG, drawn as the window draws it. */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "cli/cli-private.h"
#include "engine/analysis.h"
#include "figures/figures.h"

#define MIN_SIZE    16.0
#define MAX_SIZE    16384.0
#define MIN_SCALE   0.25
#define MAX_SCALE   8.0
#define MAX_PIXELS  (16384.0 * 16384.0)
#define MAX_SIDE    32767.0   /* cairo's limit on an image's side */

typedef enum {
  FIGURE_HEATMAP,
  FIGURE_GRID,
  FIGURE_LINES,
} FigureKind;

typedef struct {
  FigureKind       kind;
  TriadFigureStyle style;
  TriadHeatmap     heatmap;
  TriadHeadGrid    grid;
  TriadLineView    lines;
} ExportFigure;

static void
draw_figure (cairo_t  *cr,
             double    width,
             double    height,
             gpointer  user_data)
{
  ExportFigure *fig = user_data;

  switch (fig->kind)
    {
    case FIGURE_GRID:
      triad_head_grid_draw (cr, &fig->grid, &fig->style, width, height);
      break;
    case FIGURE_LINES:
      triad_lines_draw (cr, &fig->lines, &fig->style, width, height);
      break;
    case FIGURE_HEATMAP:
    default:
      triad_heatmap_draw (cr, &fig->heatmap, &fig->style, width, height);
      break;
    }
}

/* The labels of an encoding's tokens as a person reads them, NULL-terminated. */
static GStrv
token_labels (const TriadTokenizer *tok,
              const TriadEncoding  *enc)
{
  GStrv labels = g_new0 (char *, enc->n + 1);

  for (int i = 0; i < enc->n; i++)
    labels[i] = triad_tokenizer_display (tok, enc->ids[i]);
  return labels;
}

static const char *
arch_title (TriadArch arch)
{
  switch (arch)
    {
    case TRIAD_ARCH_ENCODER: return _("Encoder");
    case TRIAD_ARCH_DECODER: return _("Decoder");
    case TRIAD_ARCH_ENCDEC:
    default: return _("Encoder-decoder");
    }
}

static const char *
kind_title (TriadAttnKind kind)
{
  switch (kind)
    {
    case TRIAD_ATTN_DECODER_SELF: return _("decoder self-attention");
    case TRIAD_ATTN_CROSS: return _("cross-attention");
    case TRIAD_ATTN_ENCODER_SELF:
    default: return _("encoder self-attention");
    }
}

/* "Decoder · layer 3 · head 1": the model, the attention (for the encoder-decoder, which has
 * three), the layer and the head or heads. */
static char *
figure_title (TriadArch      arch,
              TriadAttnKind  kind,
              int            layer,
              int            head,
              gboolean       average,
              gboolean       grid,
              int            n_heads)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (parts, g_strdup (arch_title (arch)));
  if (arch == TRIAD_ARCH_ENCDEC)
    g_ptr_array_add (parts, g_strdup (kind_title (kind)));
  /* TRANSLATORS: part of a figure's title, e.g. "Decoder · layer 3 · head 1" */
  g_ptr_array_add (parts, g_strdup_printf (_("layer %d"), layer));
  if (average)
    /* TRANSLATORS: part of a figure's title: the mean of every head of the layer */
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "mean of %d head",
                                                          "mean of %d heads", n_heads),
                                             n_heads));
  else if (grid)
    g_ptr_array_add (parts, g_strdup (_("every head")));
  else
    /* TRANSLATORS: part of a figure's title, e.g. "Decoder · layer 3 · head 1" */
    g_ptr_array_add (parts, g_strdup_printf (_("head %d"), head));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

/* Labels in the language asked for. The catalogue is the installed one (LOCALEDIR, bound in
 * main ()): a build that is not installed draws them untranslated. */
static void
set_language (const char *lang)
{
  const char *set;

  g_setenv ("LANGUAGE", lang, TRUE);
  /* through "C" and back: gettext drops its cached lookups only when the locale changes */
  setlocale (LC_MESSAGES, "C");
  set = setlocale (LC_MESSAGES, "");
  /* gettext ignores LANGUAGE under the C locale, which a bare environment has */
  if (set == NULL || strcmp (set, "C") == 0 || strcmp (set, "POSIX") == 0 
      || g_str_has_prefix (set, "C."))
    setlocale (LC_MESSAGES, "C.UTF-8");
}

/* ---- what every view's export shares ------------------------------------------------ */

void
triad_export_options_init (TriadExportOptions *o,
                           double              width,
                           double              height)
{
  memset (o, 0, sizeof *o);
  o->width = width;
  o->height = height;
  o->scale = 1.0;
  o->font_scale = 1.0;
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
}

void
triad_export_options_add (GOptionContext     *ctx,
                          TriadExportOptions *o)
{
  GOptionEntry entries[] = {
    { "view", 0, 0, G_OPTION_ARG_STRING, &o->view,
      N_("What to draw: attention (default), masks, cross, kv or lesson-cost"), N_("VIEW") },
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

int
triad_export_options_check (TriadExportOptions *o,
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
  if (g_strcmp0 (o->size, "slide") == 0)
    {
      /* 1920 × 1080 pixels: drawn at 1280 × 720 and scaled by 1.5, so the text reads from the
       * back of a room */
      o->width = 1280, o->height = 720, o->scale = 1.5;
    }
  else if (g_strcmp0 (o->size, "column") == 0)
    {
      /* one column of a paper, 3.5 in wide at 300 dpi, in the figure's proportions */
      o->height = 252.0 * o->height / o->width, o->width = 252.0, o->scale = 300.0 / 72.0;
    }
  return TRIAD_EXIT_OK;
}

void
triad_export_options_apply (TriadExportOptions *o,
                            TriadFigureStyle   *style)
{
  if (o->lang != NULL)
    set_language (o->lang);
  /* white is dark text on white, whatever the theme; transparent keeps the theme's text */
  triad_figure_style_init (style, g_strcmp0 (o->theme, "dark") == 0
                                  && g_strcmp0 (o->background, "white") != 0);
  if (g_strcmp0 (o->background, "transparent") == 0)
    style->bg[3] = 0.0;
  style->font_scale = o->font_scale;
}

int
triad_export_options_write (TriadExportOptions *o,
                            const char         *command,
                            TriadDrawFunc       draw,
                            gpointer            data,
                            const char         *title,
                            FILE               *out,
                            FILE               *err)
{
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
  if (!triad_figure_export (o->out_path, format, o->width, o->height, o->scale, draw, data,
                            &error))
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
  triad_json_string (&j, title);
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
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadModel) model = NULL;
  g_autoptr(TriadAttentionMap) map = NULL;
  g_autofree char *model_name = NULL, *text_arg = NULL, *text_file = NULL;
  g_autofree char *text = NULL, *target = NULL, *kind_arg = NULL;
  g_autofree char *cmap_arg = NULL, *norm_arg = NULL, *title = NULL;
  g_autofree float *mean = NULL;
  g_auto(GStrv) q_labels = NULL;
  g_auto(GStrv) k_labels = NULL;
  g_auto(TriadExportOptions) opt = { 0 };
  int layer = -1, head = -1, n_layers, n_heads, status;
  gboolean average = FALSE, grid = FALSE, lines = FALSE;
  const char *view = view_of (argc, argv);
  TriadColormap cmap = TRIAD_COLORMAP_VIRIDIS;
  TriadNormalization norm = TRIAD_NORM_GLOBAL;
  TriadAttnKind kind;
  ExportFigure fig = { 0 };
  const float *weights;
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_name,
      N_("A model folder, or encoder, decoder, encdec"), N_("MODEL") },
    { "text", 't', 0, G_OPTION_ARG_FILENAME, &text_arg, N_("The input text"), N_("TEXT") },
    { "text-file", 0, 0, G_OPTION_ARG_FILENAME, &text_file,
      N_("Read the input text from a file (- for standard input)"), N_("FILE") },
    { "target", 0, 0, G_OPTION_ARG_FILENAME, &target,
      N_("The decoder’s text for an encoder-decoder (default: the model’s own translation)"),
      N_("TEXT") },
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &kind_arg,
      N_("self, decoder-self or cross (default: self)"), N_("KIND") },
    { "layer", 'l', 0, G_OPTION_ARG_INT, &layer, N_("The layer (default: the last)"),
      N_("L") },
    { "head", 'h', 0, G_OPTION_ARG_INT, &head, N_("The head (default: 0)"), N_("H") },
    { "average", 0, 0, G_OPTION_ARG_NONE, &average, N_("The mean of the layer’s heads"), NULL },
    { "grid", 0, 0, G_OPTION_ARG_NONE, &grid, N_("Every head of the layer side by side"), NULL },
    { "lines", 0, 0, G_OPTION_ARG_NONE, &lines,
      N_("Lines from each query to each key instead of a heatmap"), NULL },
    { "colormap", 0, 0, G_OPTION_ARG_STRING, &cmap_arg,
      N_("viridis (default), magma, cividis or grey"), N_("MAP") },
    { "norm", 0, 0, G_OPTION_ARG_STRING, &norm_arg,
      N_("global (default), row or log"), N_("NORM") },
    { NULL }
  };

  if (strcmp (view, "masks") == 0)
    return triad_cli_export_masks (argc, argv, out, err);
  if (strcmp (view, "cross") == 0)
    return triad_cli_export_cross (argc, argv, out, err);
  if (strcmp (view, "kv") == 0)
    return triad_cli_export_kv (argc, argv, out, err);
  if (strcmp (view, "lesson-cost") == 0)
    return triad_cli_export_lesson_cost (argc, argv, out, err);
  if (strcmp (view, "attention") != 0)
    return triad_cli_usage_error (err, "export",
                                  _("Unknown view “%s”: attention, masks, cross, kv or "
                                    "lesson-cost"), view);

  ctx = g_option_context_new (_("— draw a figure into a PNG, SVG or PDF file"));
  triad_export_options_init (&opt, 1200.0, 1000.0);
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  triad_export_options_add (ctx, &opt);
  if (!triad_cli_parse (ctx, &argc, &argv, err))
    return TRIAD_EXIT_USAGE;

  if (model_name == NULL)
    return triad_cli_usage_error (err, "export", _("--model is required"));
  if ((status = triad_export_options_check (&opt, "export", err)) != TRIAD_EXIT_OK)
    return status;
  if (layer < -1 || head < -1)
    return triad_cli_usage_error (err, "export", _("--layer and --head count from 0"));
  if (head >= 0 && average)
    return triad_cli_usage_error (err, "export", _("Give --head or --average, not both"));
  if (grid && (head >= 0 || average))
    return triad_cli_usage_error (err, "export",
                                  _("--grid draws every head: it takes no --head or --average"));
  if (grid && lines)
    return triad_cli_usage_error (err, "export", _("Give --grid or --lines, not both"));
  if (kind_arg != NULL && !triad_cli_kind_from_string (kind_arg, NULL))
    return triad_cli_usage_error (err, "export",
                                  _("--kind must be self, decoder-self or cross, not “%s”"),
                                  kind_arg);
  if (cmap_arg != NULL && !triad_colormap_from_string (cmap_arg, &cmap))
    return triad_cli_usage_error (err, "export",
                                  _("--colormap must be viridis, magma, cividis or grey, "
                                    "not “%s”"), cmap_arg);
  if (norm_arg != NULL && !triad_norm_from_string (norm_arg, &norm))
    return triad_cli_usage_error (err, "export",
                                  _("--norm must be global, row or log, not “%s”"), norm_arg);

  if ((text = triad_cli_read_text (text_arg, text_file, "--text", &error)) == NULL
      || (model = triad_cli_load_model (model_name, &error)) == NULL)
    return triad_cli_fail (err, "export", error);

  kind = triad_attention_default_kind (model);
  if (kind_arg != NULL && strcmp (kind_arg, "self") != 0)
    triad_cli_kind_from_string (kind_arg, &kind);
  n_layers = triad_attention_n_layers (model, kind);
  n_heads = model->config.n_heads;
  if (n_layers > 0 && layer >= n_layers)
    return triad_cli_usage_error (err, "export",
                                  _("Layer %d does not exist: this attention has layers 0 to %d"),
                                  layer, n_layers - 1);
  if (head >= n_heads)
    return triad_cli_usage_error (err, "export",
                                  _("Head %d does not exist: this model has heads 0 to %d"),
                                  head, n_heads - 1);
  if (layer < 0)
    layer = MAX (n_layers - 1, 0);
  if (head < 0)
    head = 0;

  map = triad_attention_map_compute (model, text, target, kind, layer,
                                     grid || average ? -1 : head, NULL, &error);
  if (map == NULL)
    return triad_cli_fail (err, "export", error);

  triad_export_options_apply (&opt, &fig.style);
  q_labels = token_labels (model->tokenizer, map->queries);
  k_labels = token_labels (model->tokenizer, map->keys);
  title = figure_title (map->arch, kind, layer, head, average, grid, map->cap.n_heads);
  if (average)
    {
      mean = g_new (float, (size_t) map->cap.n_q * map->cap.n_k);
      triad_attention_map_average (map, 0, mean);
      weights = mean;
    }
  else
    weights = map->cap.weights;

  if (grid)
    {
      fig.kind = FIGURE_GRID;
      fig.grid = (TriadHeadGrid) {
        .weights = weights, .n_heads = map->cap.n_heads,
        .n_q = map->cap.n_q, .n_k = map->cap.n_k, .title = title,
        .cmap = cmap, .norm = norm, .selected = -1, .hover = -1,
        .colorbar_label = _("attention weight"), .show_colorbar = TRUE,
      };
    }
  else if (lines)
    {
      fig.kind = FIGURE_LINES;
      fig.lines = (TriadLineView) {
        .weights = weights, .n_q = map->cap.n_q, .n_k = map->cap.n_k,
        .q_labels = (const char * const *) q_labels,
        .k_labels = (const char * const *) k_labels,
        .title = title, .hover_q = -1,
      };
    }
  else
    {
      fig.kind = FIGURE_HEATMAP;
      fig.heatmap = (TriadHeatmap) {
        .weights = weights, .n_q = map->cap.n_q, .n_k = map->cap.n_k,
        .q_labels = (const char * const *) q_labels,
        .k_labels = (const char * const *) k_labels,
        .title = title, .colorbar_label = _("attention weight"),
        .cmap = cmap, .norm = norm, .hover_q = -1, .hover_k = -1, .show_colorbar = TRUE,
      };
    }
  return triad_export_options_write (&opt, "export", draw_figure, &fig, title, out, err);
}
