/* scene-adapters.c — each view's scene as a TriadScene: a class naming the view's own
 * functions, and how its hit parts and its hover translate to TriadScenePart. */
#include "config.h"

#include <math.h>

#include "scenes/scene-adapters.h"

/* The natural heights are the export's default sizes' (`triad export --view …`), scaled. */

/* ---- Masks ---------------------------------------------------------------------------- */

static const char *
masks_title (TriadMasksScene *s)
{
  return triad_masks_scene_grid (s)->title;
}

/* On screen: the keyboard hint in the formula's caption while no step is chosen. */
static void
masks_draw_screen (TriadMasksScene        *s,
                   cairo_t                *cr,
                   const TriadFigureStyle *style,
                   double                  width,
                   double                  height)
{
  const char *hint = triad_masks_scene_hint (s);
  const TriadFormula *formula = triad_masks_scene_formula (s);
  TriadFormula on_screen;
  double split;

  if (formula->caption != NULL || hint == NULL)
    {
      triad_masks_scene_draw (s, cr, style, width, height);
      return;
    }
  /* triad_masks_scene_draw's layout, the hint where no step's caption is yet */
  split = triad_masks_scene_split (style, height);
  on_screen = *formula;
  on_screen.caption = hint;
  triad_mask_grid_draw (cr, triad_masks_scene_grid (s), style, width, split);
  cairo_save (cr);
  cairo_translate (cr, 0, split);
  triad_formula_draw (cr, &on_screen, style, width, height - split);
  cairo_restore (cr);
}

static gboolean
masks_hit (TriadScene             *scene,
           const TriadFigureStyle *style,
           double                  width,
           double                  height,
           double                  x,
           double                  y,
           TriadScenePart         *part)
{
  double split = triad_masks_scene_split (style, height);
  int r, c, row, col;

  if (y < split)
    {
      if (!triad_mask_grid_hit (triad_masks_scene_grid (scene->inner), style, width, split, x,
                                y, &r, &c, &row, &col))
        return FALSE;
      part->panel = r;
      part->row = row;
      part->col = col;
      part->a = c;
      return TRUE;
    }
  row = triad_formula_hit (triad_masks_scene_formula (scene->inner), style, width,
                           height - split, x, y - split);
  if (row < 0)
    return FALSE;
  part->panel = TRIAD_MASKS_PART_FORMULA;
  part->row = row;
  return TRUE;
}

static void
masks_hover (TriadScene           *scene,
             const TriadScenePart *part)
{
  TriadMasksOptions *opt = scene->options;
  gboolean cell = part->panel >= 0 && part->panel < TRIAD_MASKS_PART_FORMULA;

  opt->hover_model = cell ? part->panel : -1;
  opt->hover_row = cell ? part->row : -1;
  opt->hover_col = cell ? part->col : -1;
}

static const TriadSceneViewFuncs masks_view = {
  .name = "masks",
  .options_size = sizeof (TriadMasksOptions),
  .update = (TriadSceneUpdateFunc) triad_masks_scene_update,
  .title = (TriadSceneTitleFunc) masks_title,
  .hover = masks_hover,
};

static const TriadSceneClass masks_class = {
  .view = &masks_view,
  .draw = (TriadSceneDrawFunc) triad_masks_scene_draw,
  .aspect = 1000.0 / 1400.0,
  .hit = masks_hit,
};

static const TriadSceneClass masks_screen_class = {
  .view = &masks_view,
  .draw = (TriadSceneDrawFunc) masks_draw_screen,
  .aspect = 1000.0 / 1400.0,
  .hit = masks_hit,
};

TriadScene *
triad_masks_scene_as_scene (TriadMasksScene         *scene,
                            const TriadMasksOptions *opt)
{
  return triad_scene_new (&masks_class, scene, opt);
}

TriadScene *
triad_masks_scene_as_screen (TriadMasksScene         *scene,
                             const TriadMasksOptions *opt)
{
  return triad_scene_new (&masks_screen_class, scene, opt);
}

/* ---- Attention ------------------------------------------------------------------------- */

static gboolean
attention_hit (TriadScene             *scene,
               const TriadFigureStyle *style,
               double                  width,
               double                  height,
               double                  x,
               double                  y,
               TriadScenePart         *part)
{
  if (!triad_attention_scene_hit (scene->inner, style, width, height, x, y, &part->row,
                                  &part->col))
    return FALSE;
  part->panel = triad_attention_scene_get_figure (scene->inner);
  return TRUE;
}

static void
attention_hover (TriadScene           *scene,
                 const TriadScenePart *part)
{
  TriadAttentionOptions *opt = scene->options;

  opt->hover_a = part->panel >= 0 ? part->row : -1;
  opt->hover_b = part->panel >= 0 ? part->col : -1;
}

/* The view's update says whether its map holds the options (a map that does not draws
 * nothing and has no title); the scene's update has nothing to say. */
static void
attention_update (TriadAttentionScene         *s,
                  const TriadAttentionOptions *opt)
{
  triad_attention_scene_update (s, opt);
}

static const TriadSceneViewFuncs attention_view = {
  .name = "attention",
  .options_size = sizeof (TriadAttentionOptions),
  .update = (TriadSceneUpdateFunc) attention_update,
  .title = (TriadSceneTitleFunc) triad_attention_scene_get_title,
  .hover = attention_hover,
};

static const TriadSceneClass attention_class = {
  .view = &attention_view,
  .draw = (TriadSceneDrawFunc) triad_attention_scene_draw,
  .aspect = 1000.0 / 1200.0,
  .hit = attention_hit,
};

TriadScene *
triad_attention_scene_as_scene (TriadAttentionScene         *scene,
                                const TriadAttentionOptions *opt)
{
  return triad_scene_new (&attention_class, scene, opt);
}

/* ---- Cross-Attention ------------------------------------------------------------------- */

static gboolean
cross_hit (TriadScene             *scene,
           const TriadFigureStyle *style,
           double                  width,
           double                  height,
           double                  x,
           double                  y,
           TriadScenePart         *part)
{
  TriadCrossOptions opt = *(const TriadCrossOptions *) scene->options;

  if (!triad_cross_scene_hit (scene->inner, style, width, height, x, y, &opt))
    return FALSE;
  part->a = opt.hover.src;
  part->b = opt.hover.tgt;
  switch (opt.display)
    {
    case TRIAD_CROSS_DISPLAY_PROMPT:
      part->panel = MAX (opt.pair_panel, 0);
      part->row = opt.pair_row;
      part->col = opt.pair_col;
      break;
    case TRIAD_CROSS_DISPLAY_ALIGNMENT:
      part->panel = 0;
      break;
    case TRIAD_CROSS_DISPLAY_HEATMAPS:
    case TRIAD_CROSS_N_DISPLAYS:
    default:
      part->panel = opt.cell_panel < TRIAD_CROSS_N_PANELS ? (int) opt.cell_panel : 0;
      part->row = opt.cell_row;
      part->col = opt.cell_col;
      break;
    }
  return TRUE;
}

static void
cross_hover (TriadScene           *scene,
             const TriadScenePart *part)
{
  TriadCrossOptions *opt = scene->options;
  gboolean cell = part->panel >= 0 && part->row >= 0 && part->col >= 0;

  opt->hover.src = part->panel >= 0 ? part->a : -1;
  opt->hover.tgt = part->panel >= 0 ? part->b : -1;
  opt->cell_panel = TRIAD_CROSS_N_PANELS;
  opt->cell_row = opt->cell_col = -1;
  opt->pair_panel = opt->pair_row = opt->pair_col = -1;
  if (opt->display == TRIAD_CROSS_DISPLAY_PROMPT && part->panel >= 0)
    {
      opt->pair_panel = part->panel;
      opt->pair_row = part->row;
      opt->pair_col = part->col;
    }
  else if (opt->display == TRIAD_CROSS_DISPLAY_HEATMAPS && cell)
    {
      opt->cell_panel = part->panel;
      opt->cell_row = part->row;
      opt->cell_col = part->col;
    }
}

static const TriadSceneViewFuncs cross_view = {
  .name = "cross",
  .options_size = sizeof (TriadCrossOptions),
  .update = (TriadSceneUpdateFunc) triad_cross_scene_update,
  .title = (TriadSceneTitleFunc) triad_cross_scene_title,
  .hover = cross_hover,
};

static const TriadSceneClass cross_class = {
  .view = &cross_view,
  .draw = (TriadSceneDrawFunc) triad_cross_scene_draw,
  .aspect = 900.0 / 1400.0,
  .hit = cross_hit,
};

TriadScene *
triad_cross_scene_as_scene (TriadCrossScene         *scene,
                            const TriadCrossOptions *opt)
{
  return triad_scene_new (&cross_class, scene, opt);
}

/* ---- KV Cache -------------------------------------------------------------------------- */

/* The charts' height in the export's 1400 × 640, the readouts under them taking the rest. */
#define KV_PLOT_SHARE (560.0 / 1400.0)
/* A panel's height on the page when nothing stretches it. */
#define KV_PANEL_HEIGHT 260.0

static double
kv_natural_height (TriadKvScene           *s,
                   const TriadFigureStyle *style,
                   double                  width)
{
  return ceil (triad_kv_scene_natural_height (s, style, width, round (width * KV_PLOT_SHARE)));
}

static gboolean
kv_hit (TriadScene             *scene,
        const TriadFigureStyle *style,
        double                  width,
        double                  height,
        double                  x,
        double                  y,
        TriadScenePart         *part)
{
  int step;
  double tokens;

  part->panel = triad_kv_scene_hit (scene->inner, style, width, height, x, y, &step, &tokens);
  if (part->panel == 0)
    part->row = step;
  else if (part->panel == 1)
    part->value = tokens;
  return part->panel >= 0;
}

static void
kv_hover (TriadScene           *scene,
          const TriadScenePart *part)
{
  TriadKvSceneOptions *opt = scene->options;

  opt->growth_hover = part->panel == 0 ? part->row : -1;
  opt->hover_tokens = part->panel == 1 ? part->value : 0.0;
}

static const TriadSceneViewFuncs kv_view = {
  .name = "kv",
  .options_size = sizeof (TriadKvSceneOptions),
  .update = (TriadSceneUpdateFunc) triad_kv_scene_update,
  .title = (TriadSceneTitleFunc) triad_kv_scene_get_title,
  .hover = kv_hover,
};

static const TriadSceneClass kv_class = {
  .view = &kv_view,
  .draw = (TriadSceneDrawFunc) triad_kv_scene_draw,
  .natural_height = (TriadSceneHeightFunc) kv_natural_height,
  .hit = kv_hit,
};

/* One panel of the KV Cache view, as the window's page shows them apart: each its own class,
 * with the panel's drawing and hit test. */

static double
kv_panel_natural_height (TriadKvScene           *s,
                         const TriadFigureStyle *style,
                         double                  width)
{
  return KV_PANEL_HEIGHT;
}

static gboolean
kv_growth_hit (TriadScene             *scene,
               const TriadFigureStyle *style,
               double                  width,
               double                  height,
               double                  x,
               double                  y,
               TriadScenePart         *part)
{
  part->row = triad_kv_scene_hit_growth (scene->inner, style, width, height, x, y);
  if (part->row < 0)
    return FALSE;
  part->panel = 0;
  return TRUE;
}

static gboolean
kv_chart_hit (TriadScene             *scene,
              const TriadFigureStyle *style,
              double                  width,
              double                  height,
              double                  x,
              double                  y,
              TriadScenePart         *part)
{
  part->value = triad_kv_scene_hit_chart (scene->inner, style, width, height, x, y);
  if (part->value <= 0.0)
    {
      part->value = 0.0;
      return FALSE;
    }
  part->panel = 1;
  return TRUE;
}

static const TriadSceneClass kv_panel_classes[] = {
  [TRIAD_KV_PANEL_GROWTH] = {
    .view = &kv_view,
    .draw = (TriadSceneDrawFunc) triad_kv_scene_draw_growth,
    .natural_height = (TriadSceneHeightFunc) kv_panel_natural_height,
    .hit = kv_growth_hit,
  },
  [TRIAD_KV_PANEL_CHART] = {
    .view = &kv_view,
    .draw = (TriadSceneDrawFunc) triad_kv_scene_draw_chart,
    .natural_height = (TriadSceneHeightFunc) kv_panel_natural_height,
    .hit = kv_chart_hit,
  },
  [TRIAD_KV_PANEL_BARS] = {
    .view = &kv_view,
    .draw = (TriadSceneDrawFunc) triad_kv_scene_draw_bars,
    .natural_height = (TriadSceneHeightFunc) kv_panel_natural_height,
  },
  [TRIAD_KV_PANEL_DIFFERENCE] = {
    .view = &kv_view,
    .draw = (TriadSceneDrawFunc) triad_kv_scene_draw_difference,
    .natural_height = (TriadSceneHeightFunc) kv_panel_natural_height,
  },
};

TriadScene *
triad_kv_scene_panel_as_scene (TriadKvScene              *scene,
                               TriadKvPanel               panel,
                               const TriadKvSceneOptions *opt)
{
  g_return_val_if_fail (panel < G_N_ELEMENTS (kv_panel_classes), NULL);

  return triad_scene_new (&kv_panel_classes[panel], scene, opt);
}

int
triad_kv_scene_panel_of (TriadScene *scene)
{
  g_return_val_if_fail (scene != NULL, -1);

  for (guint i = 0; i < G_N_ELEMENTS (kv_panel_classes); i++)
    if (scene->klass == &kv_panel_classes[i])
      return (int) i;
  return -1;
}

TriadScene *
triad_kv_scene_as_scene (TriadKvScene              *scene,
                         const TriadKvSceneOptions *opt)
{
  return triad_scene_new (&kv_class, scene, opt);
}
