/* scene-adapters.c — each view's scene behind the TriadScene functions: the view's own API,
 * called with the options the adapter keeps. */
#include "config.h"

#include <math.h>

#include "scenes/scene-adapters.h"

/* The natural heights are the export's default sizes' (`triad export --view …`), scaled. */

/* ---- Masks ---------------------------------------------------------------------------- */

static void
masks_update (TriadScene *scene)
{
  triad_masks_scene_update (scene->inner, scene->options);
}

static double
masks_natural_height (TriadScene             *scene,
                      const TriadFigureStyle *style,
                      double                  width)
{
  return round (width * 1000.0 / 1400.0);
}

static const char *
masks_title (TriadScene *scene)
{
  return triad_masks_scene_grid (scene->inner)->title;
}

/* The Masks adapter: on screen, the keyboard hint in the formula's caption. */
typedef struct {
  TriadScene parent;
  gboolean   screen;
} MasksAdapter;

static void
masks_draw (TriadScene             *scene,
            cairo_t                *cr,
            const TriadFigureStyle *style,
            double                  width,
            double                  height)
{
  const char *hint = triad_masks_scene_hint (scene->inner);
  const TriadFormula *formula = triad_masks_scene_formula (scene->inner);
  TriadFormula on_screen;
  double split;

  if (!((MasksAdapter *) scene)->screen || formula->caption != NULL || hint == NULL)
    {
      triad_masks_scene_draw (scene->inner, cr, style, width, height);
      return;
    }
  /* triad_masks_scene_draw's layout, the hint where no step's caption is yet */
  split = triad_masks_scene_split (height);
  on_screen = *formula;
  on_screen.caption = hint;
  triad_mask_grid_draw (cr, triad_masks_scene_grid (scene->inner), style, width, split);
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
  double split = triad_masks_scene_split (height);
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

static void
no_finalize (TriadScene *scene)
{
  /* the view's scene is borrowed */
}

static const TriadSceneClass masks_class = {
  .name = "masks",
  .options_size = sizeof (TriadMasksOptions),
  .update = masks_update,
  .natural_height = masks_natural_height,
  .title = masks_title,
  .draw = masks_draw,
  .hit = masks_hit,
  .hover = masks_hover,
  .finalize = no_finalize,
};

TriadScene *
triad_masks_scene_as_scene (TriadMasksScene         *scene,
                            const TriadMasksOptions *opt)
{
  return triad_scene_new (&masks_class, sizeof (MasksAdapter), scene, opt);
}

TriadScene *
triad_masks_scene_as_screen (TriadMasksScene         *scene,
                             const TriadMasksOptions *opt)
{
  TriadScene *s = triad_scene_new (&masks_class, sizeof (MasksAdapter), scene, opt);

  ((MasksAdapter *) s)->screen = TRUE;
  return s;
}

/* ---- Attention ------------------------------------------------------------------------- */

static void
attention_update (TriadScene *scene)
{
  /* a map that does not hold the options draws nothing and has no title */
  triad_attention_scene_update (scene->inner, scene->options);
}

static double
attention_natural_height (TriadScene             *scene,
                          const TriadFigureStyle *style,
                          double                  width)
{
  return round (width * 1000.0 / 1200.0);
}

static const char *
attention_title (TriadScene *scene)
{
  return triad_attention_scene_get_title (scene->inner);
}

static void
attention_draw (TriadScene             *scene,
                cairo_t                *cr,
                const TriadFigureStyle *style,
                double                  width,
                double                  height)
{
  triad_attention_scene_draw (scene->inner, cr, style, width, height);
}

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

static const TriadSceneClass attention_class = {
  .name = "attention",
  .options_size = sizeof (TriadAttentionOptions),
  .update = attention_update,
  .natural_height = attention_natural_height,
  .title = attention_title,
  .draw = attention_draw,
  .hit = attention_hit,
  .hover = attention_hover,
  .finalize = no_finalize,
};

TriadScene *
triad_attention_scene_as_scene (TriadAttentionScene         *scene,
                                const TriadAttentionOptions *opt)
{
  return triad_scene_new (&attention_class, sizeof (TriadScene), scene, opt);
}

/* ---- Cross-Attention ------------------------------------------------------------------- */

static void
cross_update (TriadScene *scene)
{
  triad_cross_scene_update (scene->inner, scene->options);
}

static double
cross_natural_height (TriadScene             *scene,
                      const TriadFigureStyle *style,
                      double                  width)
{
  return round (width * 900.0 / 1400.0);
}

static const char *
cross_title (TriadScene *scene)
{
  return triad_cross_scene_title (scene->inner);
}

static void
cross_draw (TriadScene             *scene,
            cairo_t                *cr,
            const TriadFigureStyle *style,
            double                  width,
            double                  height)
{
  triad_cross_scene_draw (scene->inner, cr, style, width, height);
}

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

static const TriadSceneClass cross_class = {
  .name = "cross",
  .options_size = sizeof (TriadCrossOptions),
  .update = cross_update,
  .natural_height = cross_natural_height,
  .title = cross_title,
  .draw = cross_draw,
  .hit = cross_hit,
  .hover = cross_hover,
  .finalize = no_finalize,
};

TriadScene *
triad_cross_scene_as_scene (TriadCrossScene         *scene,
                            const TriadCrossOptions *opt)
{
  return triad_scene_new (&cross_class, sizeof (TriadScene), scene, opt);
}

/* ---- KV Cache -------------------------------------------------------------------------- */

/* The charts' height in the export's 1400 × 640, the readouts under them taking the rest. */
#define KV_PLOT_SHARE (560.0 / 1400.0)
/* A panel's height on the page when nothing stretches it. */
#define KV_PANEL_HEIGHT 260.0

static void
kv_update (TriadScene *scene)
{
  triad_kv_scene_update (scene->inner, scene->options);
}

static double
kv_natural_height (TriadScene             *scene,
                   const TriadFigureStyle *style,
                   double                  width)
{
  return ceil (triad_kv_scene_natural_height (scene->inner, style, width,
                                              round (width * KV_PLOT_SHARE)));
}

static const char *
kv_title (TriadScene *scene)
{
  return triad_kv_scene_get_title (scene->inner);
}

static void
kv_draw (TriadScene             *scene,
         cairo_t                *cr,
         const TriadFigureStyle *style,
         double                  width,
         double                  height)
{
  triad_kv_scene_draw (scene->inner, cr, style, width, height);
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

static const TriadSceneClass kv_class = {
  .name = "kv",
  .options_size = sizeof (TriadKvSceneOptions),
  .update = kv_update,
  .natural_height = kv_natural_height,
  .title = kv_title,
  .draw = kv_draw,
  .hit = kv_hit,
  .hover = kv_hover,
  .finalize = no_finalize,
};

/* One panel of the KV Cache view, as the window's page shows them apart. */
typedef struct {
  TriadScene  parent;
  TriadKvPanel panel;
} KvPanelAdapter;

static double
kv_panel_natural_height (TriadScene             *scene,
                         const TriadFigureStyle *style,
                         double                  width)
{
  return KV_PANEL_HEIGHT;
}

static void
kv_panel_draw (TriadScene             *scene,
               cairo_t                *cr,
               const TriadFigureStyle *style,
               double                  width,
               double                  height)
{
  switch (((KvPanelAdapter *) scene)->panel)
    {
    case TRIAD_KV_PANEL_GROWTH:
      triad_kv_scene_draw_growth (scene->inner, cr, style, width, height);
      break;
    case TRIAD_KV_PANEL_CHART:
      triad_kv_scene_draw_chart (scene->inner, cr, style, width, height);
      break;
    case TRIAD_KV_PANEL_BARS:
    default:
      triad_kv_scene_draw_bars (scene->inner, cr, style, width, height);
      break;
    }
}

static gboolean
kv_panel_hit (TriadScene             *scene,
              const TriadFigureStyle *style,
              double                  width,
              double                  height,
              double                  x,
              double                  y,
              TriadScenePart         *part)
{
  switch (((KvPanelAdapter *) scene)->panel)
    {
    case TRIAD_KV_PANEL_GROWTH:
      part->row = triad_kv_scene_hit_growth (scene->inner, style, width, height, x, y);
      if (part->row < 0)
        return FALSE;
      part->panel = 0;
      return TRUE;
    case TRIAD_KV_PANEL_CHART:
      part->value = triad_kv_scene_hit_chart (scene->inner, style, width, height, x, y);
      if (part->value <= 0.0)
        {
          part->value = 0.0;
          return FALSE;
        }
      part->panel = 1;
      return TRUE;
    case TRIAD_KV_PANEL_BARS:
    default:
      return FALSE;
    }
}

static const TriadSceneClass kv_panel_class = {
  .name = "kv",
  .options_size = sizeof (TriadKvSceneOptions),
  .update = kv_update,
  .natural_height = kv_panel_natural_height,
  .title = kv_title,
  .draw = kv_panel_draw,
  .hit = kv_panel_hit,
  .hover = kv_hover,
  .finalize = no_finalize,
};

TriadScene *
triad_kv_scene_panel_as_scene (TriadKvScene              *scene,
                               TriadKvPanel               panel,
                               const TriadKvSceneOptions *opt)
{
  TriadScene *s = triad_scene_new (&kv_panel_class, sizeof (KvPanelAdapter), scene, opt);

  ((KvPanelAdapter *) s)->panel = panel;
  return s;
}

TriadScene *
triad_kv_scene_as_scene (TriadKvScene              *scene,
                         const TriadKvSceneOptions *opt)
{
  return triad_scene_new (&kv_class, sizeof (TriadScene), scene, opt);
}
