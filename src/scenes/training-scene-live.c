/* training-scene-live.c — the Training view as the window draws it: two charts over the
 * steps above three maps of the chosen head (now, then, their difference). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "engine/i18n.h"
#include "engine/numbers.h"
#include "scenes/training-scene-live.h"

/* The figure's natural shape, a little taller than `triad export --view training`'s default
 * 1200 × 620: the window's scene view, filling its page, asks for the least of this and 360
 * pixels, which at its natural width of 680 must not be less than 360 (GTK wants the least
 * height asked without a width to be the most it is at any width). And the share of the
 * height the charts take. */
#define ASPECT       (640.0 / 1200.0)
#define CHART_SHARE  0.42
/* The smoothed loss averages n_losses / SMOOTH_POINTS steps, as the filmstrip's does. */
#define SMOOTH_POINTS 60

struct _TriadTrainingLiveScene {
  const TriadWatchRecord   *record;
  int                       run_steps;
  TriadTrainingLiveOptions  opt;

  int                       layer, head;
  const TriadWatchSnapshot *now, *then;
  int                       n_q, n_k;
  float                    *diff;            /* (n_q, n_k) now − then */
  char                    **q_labels, **k_labels;

  /* the charts' data */
  double                   *loss_x, *loss_raw, *loss_smooth;
  double                   *score_x, *score_y;  /* (n_heads_total, n_snapshots) */
  TriadCurve               *curves;             /* loss: 2; scores: one a head */
  int                       n_score_curves;
  TriadCurvesChart          loss_chart, score_chart;
  TriadMatrix               maps[3];

  char                     *title;
  char                     *loss_title, *score_title, *phase_label;
  char                     *map_titles[3];
};

void
triad_training_live_options_init (TriadTrainingLiveOptions *opt)
{
  memset (opt, 0, sizeof *opt);
  opt->layer = opt->head = -1;
  opt->step = opt->compare_step = -1;
  opt->cmap = TRIAD_COLORMAP_VIRIDIS;
  opt->hover_panel = opt->hover_row = opt->hover_col = opt->hover_step = -1;
}

TriadTrainingLiveScene *
triad_training_live_scene_new (void)
{
  TriadTrainingLiveScene *s = g_new0 (TriadTrainingLiveScene, 1);
  TriadTrainingLiveOptions opt;

  triad_training_live_options_init (&opt);
  triad_training_live_scene_update (s, &opt);
  return s;
}

static void
clear_data (TriadTrainingLiveScene *s)
{
  g_clear_pointer (&s->diff, g_free);
  g_clear_pointer (&s->q_labels, g_strfreev);
  g_clear_pointer (&s->k_labels, g_strfreev);
  g_clear_pointer (&s->loss_x, g_free);
  g_clear_pointer (&s->loss_raw, g_free);
  g_clear_pointer (&s->loss_smooth, g_free);
  g_clear_pointer (&s->score_x, g_free);
  g_clear_pointer (&s->score_y, g_free);
  g_clear_pointer (&s->curves, g_free);
  g_clear_pointer (&s->title, g_free);
  g_clear_pointer (&s->loss_title, g_free);
  g_clear_pointer (&s->score_title, g_free);
  g_clear_pointer (&s->phase_label, g_free);
  for (int i = 0; i < 3; i++)
    g_clear_pointer (&s->map_titles[i], g_free);
  s->now = s->then = NULL;
  s->n_q = s->n_k = 0;
  s->n_score_curves = 0;
  memset (&s->loss_chart, 0, sizeof s->loss_chart);
  memset (&s->score_chart, 0, sizeof s->score_chart);
  memset (s->maps, 0, sizeof s->maps);
}

void
triad_training_live_scene_free (TriadTrainingLiveScene *s)
{
  if (s == NULL)
    return;
  clear_data (s);
  g_free (s);
}

void
triad_training_live_scene_set_record (TriadTrainingLiveScene *s,
                                      const TriadWatchRecord *record,
                                      int                     run_steps)
{
  g_return_if_fail (s != NULL);

  s->record = record;
  s->run_steps = run_steps;
  triad_training_live_scene_update (s, &s->opt);
}

/* The snapshot at step, or the nearest before it (the latest for -1). */
static const TriadWatchSnapshot *
snapshot_at (const TriadWatchRecord *r,
             int                     step)
{
  const TriadWatchSnapshot *found = NULL;

  for (guint i = 0; i < r->snapshots->len; i++)
    {
      const TriadWatchSnapshot *snap = g_ptr_array_index (r->snapshots, i);

      if (step >= 0 && snap->step > step)
        break;
      found = snap;
    }
  return found != NULL ? found : g_ptr_array_index (r->snapshots, 0);
}

static void
make_curves (TriadTrainingLiveScene *s)
{
  const TriadWatchRecord *r = s->record;
  int n_losses = r->losses->len, n_snaps = r->snapshots->len;
  int n_heads = s->now->n_layers * s->now->n_heads, window = MAX (1, n_losses / SMOOTH_POINTS);
  int chosen = s->layer * s->now->n_heads + s->head, c = 0;
  double sum = 0, x_max;

  s->loss_x = g_new (double, MAX (n_losses, 1));
  s->loss_raw = g_new (double, MAX (n_losses, 1));
  s->loss_smooth = g_new (double, MAX (n_losses, 1));
  for (int i = 0; i < n_losses; i++)
    {
      float loss = g_array_index (r->losses, float, i);

      /* step i + 1 has losses[i]; the mean of the last `window` steps is what the eye
       * follows, one batch's loss is noisy */
      sum += loss - (i >= window ? g_array_index (r->losses, float, i - window) : 0.0f);
      s->loss_x[i] = i + 1;
      s->loss_raw[i] = loss;
      s->loss_smooth[i] = sum / MIN (i + 1, window);
    }
  s->score_x = g_new (double, n_snaps);
  s->score_y = g_new (double, (size_t) n_heads * n_snaps);
  for (int i = 0; i < n_snaps; i++)
    {
      const TriadWatchSnapshot *snap = g_ptr_array_index (r->snapshots, i);

      s->score_x[i] = snap->step;
      for (int h = 0; h < n_heads; h++)
        s->score_y[(size_t) h * n_snaps + i] = h < snap->n_layers * snap->n_heads
                                               ? snap->scores[h] : NAN;
    }

  s->curves = g_new0 (TriadCurve, 2 + n_heads);
  s->curves[c++] = (TriadCurve) { s->loss_x, s->loss_raw, n_losses, TRIAD_CURVE_FAINT };
  s->curves[c++] = (TriadCurve) { s->loss_x, s->loss_smooth, n_losses, TRIAD_CURVE_NORMAL };
  /* the chosen head last, over the others */
  for (int h = 0; h < n_heads; h++)
    if (h != chosen)
      s->curves[c++] = (TriadCurve) { s->score_x, s->score_y + (size_t) h * n_snaps, n_snaps,
                                      TRIAD_CURVE_FAINT };
  s->curves[c++] = (TriadCurve) { s->score_x, s->score_y + (size_t) chosen * n_snaps, n_snaps,
                                  TRIAD_CURVE_STRONG };
  s->n_score_curves = n_heads;

  x_max = s->run_steps > 0 ? s->run_steps
          : ((const TriadWatchSnapshot *) g_ptr_array_index (r->snapshots, n_snaps - 1))->step;
  /* TRANSLATORS: the Training view's loss chart, over the steps of the run */
  s->loss_title = g_strdup (_("Loss"));
  /* TRANSLATORS: the Training view's chart of every head's score over the steps (the score's
   * name is its vertical axis), the chosen head drawn strongest; %d, %d are its layer and
   * head */
  s->score_title = g_strdup_printf (_("Every head over the steps (layer %d, head %d "
                                      "strongest)"), s->layer, s->head);
  s->phase_label = g_strdup (triad_watch_task_phase_label (r->task));
  s->loss_chart = (TriadCurvesChart) {
    .title = s->loss_title,
    /* TRANSLATORS: the vertical axis of the Training view's loss chart */
    .y_label = _("Loss"),
    /* TRANSLATORS: the horizontal axis of the Training view's charts */
    .x_label = _("Training step"),
    .curves = s->curves,
    .n_curves = 2,
    .x_max = x_max,
    .phase_x = r->phase_step,
    .phase_label = s->phase_label,
    .cursor_x = s->now->step,
    .hover_x = s->opt.hover_panel == TRIAD_TRAINING_LIVE_LOSS ? s->opt.hover_step : -1,
  };
  s->score_chart = (TriadCurvesChart) {
    .title = s->score_title,
    .y_label = triad_watch_task_score_label (r->task),
    .x_label = _("Training step"),
    .curves = s->curves + 2,
    .n_curves = n_heads,
    .x_max = x_max,
    .y_lo = 0.0,
    .y_hi = 1.0,
    .phase_x = r->phase_step,
    .phase_label = NULL,
    .cursor_x = s->now->step,
    .hover_x = s->opt.hover_panel == TRIAD_TRAINING_LIVE_SCORES ? s->opt.hover_step : -1,
  };
  /* the loss chart takes the run's whole axis too, so the two line up step for step */
  s->loss_chart.x_max = s->score_chart.x_max = x_max;
}

void
triad_training_live_scene_update (TriadTrainingLiveScene         *s,
                                  const TriadTrainingLiveOptions *opt)
{
  const TriadWatchRecord *r;
  const float *now_map, *then_map;
  g_autofree char *score = NULL;

  g_return_if_fail (s != NULL && opt != NULL);

  if (opt != &s->opt)
    s->opt = *opt;
  clear_data (s);
  r = s->record;
  if (r == NULL || r->snapshots->len == 0)
    {
      /* TRANSLATORS: the Training view before a run has started */
      s->title = g_strdup (_("No training yet: press Start"));
      return;
    }
  s->now = snapshot_at (r, opt->step);
  s->then = snapshot_at (r, opt->compare_step >= 0 ? opt->compare_step : 0);
  if (opt->layer >= 0 && opt->layer < s->now->n_layers && opt->head >= 0
      && opt->head < s->now->n_heads)
    s->layer = opt->layer, s->head = opt->head;
  else
    s->layer = s->now->best_layer, s->head = s->now->best_head;
  s->n_q = s->now->n_q;
  s->n_k = s->now->n_k;

  now_map = triad_watch_snapshot_map (s->now, s->layer, s->head);
  then_map = triad_watch_snapshot_map (s->then, s->layer, s->head);
  s->diff = g_new (float, (size_t) s->n_q * s->n_k);
  for (size_t i = 0; i < (size_t) s->n_q * s->n_k; i++)
    s->diff[i] = now_map[i] - then_map[i];
  s->q_labels = g_new0 (char *, s->n_q + 1);
  s->k_labels = g_new0 (char *, s->n_k + 1);
  for (int i = 0; i < s->n_q; i++)
    s->q_labels[i] = g_strdup (r->q_tokens != NULL ? r->q_tokens[i] : "");
  for (int i = 0; i < s->n_k; i++)
    s->k_labels[i] = g_strdup (r->k_tokens != NULL ? r->k_tokens[i] : "");

  make_curves (s);

  score = triad_format_double (s->now->scores[s->layer * s->now->n_heads + s->head], 2);
  /* TRANSLATORS: the Training view's title: the chosen head, the step shown, the name of the
   * task's score and its number there, e.g. "Layer 1, head 2 at step 1500: induction score
   * 0.62" */
  s->title = g_strdup_printf (_("Layer %d, head %d at step %d: %s %s"), s->layer, s->head,
                              s->now->step, triad_watch_task_score_label (r->task), score);
  /* TRANSLATORS: the Training view's map of the chosen head at the timeline's step */
  s->map_titles[0] = g_strdup_printf (_("Step %d"), s->now->step);
  /* TRANSLATORS: the Training view's map of the chosen head at the earlier step compared */
  s->map_titles[1] = g_strdup_printf (_("Earlier: step %d"), s->then->step);
  /* TRANSLATORS: the Training view's difference of the two maps: blue where attention fell,
   * red where it rose */
  s->map_titles[2] = g_strdup_printf (_("Difference: step %d − step %d"), s->now->step,
                                      s->then->step);
  for (int i = 0; i < 3; i++)
    {
      gboolean lit = opt->hover_panel >= TRIAD_TRAINING_LIVE_NOW;

      s->maps[i] = (TriadMatrix) {
        .values = i == 0 ? now_map : i == 1 ? then_map : s->diff,
        .rows = s->n_q,
        .cols = s->n_k,
        .row_labels = (const char * const *) s->q_labels,
        .col_labels = (const char * const *) s->k_labels,
        .title = s->map_titles[i],
        .kind = i == 2 ? TRIAD_CELLS_SIGNED : TRIAD_CELLS_WEIGHTS,
        .cmap = opt->cmap,
        .visible_rows = -1,
        .hover_row = lit ? opt->hover_row : -1,
        .hover_col = lit ? opt->hover_col : -1,
      };
    }
}

const char *
triad_training_live_scene_get_title (TriadTrainingLiveScene *s)
{
  return s->title;
}

void
triad_training_live_scene_get_head (TriadTrainingLiveScene *s,
                                    int                    *layer,
                                    int                    *head)
{
  *layer = s->now != NULL ? s->layer : -1;
  *head = s->now != NULL ? s->head : -1;
}

const TriadWatchSnapshot *
triad_training_live_scene_get_now (TriadTrainingLiveScene *s)
{
  return s->now;
}

const TriadWatchSnapshot *
triad_training_live_scene_get_then (TriadTrainingLiveScene *s)
{
  return s->then;
}

const float *
triad_training_live_scene_get_map (TriadTrainingLiveScene *s,
                                   TriadTrainingLivePanel  panel,
                                   int                    *n_q,
                                   int                    *n_k)
{
  if (n_q != NULL)
    *n_q = s->n_q;
  if (n_k != NULL)
    *n_k = s->n_k;
  if (s->now == NULL || panel < TRIAD_TRAINING_LIVE_NOW || panel >= TRIAD_TRAINING_LIVE_N_PANELS)
    return NULL;
  return s->maps[panel - TRIAD_TRAINING_LIVE_NOW].values;
}

const char * const *
triad_training_live_scene_get_labels (TriadTrainingLiveScene *s,
                                      gboolean                queries)
{
  return (const char * const *) (queries ? s->q_labels : s->k_labels);
}

/* ---- layout, drawing and hit-testing ------------------------------------------------- */

typedef struct {
  double x, y, w, h;
} Rect;

static void
panel_rect (TriadTrainingLivePanel panel,
            double                 width,
            double                 height,
            Rect                  *r)
{
  double chart_h = height * CHART_SHARE;

  if (panel == TRIAD_TRAINING_LIVE_LOSS || panel == TRIAD_TRAINING_LIVE_SCORES)
    *r = (Rect) { panel == TRIAD_TRAINING_LIVE_LOSS ? 0.0 : width / 2, 0.0, width / 2, chart_h };
  else
    *r = (Rect) { (panel - TRIAD_TRAINING_LIVE_NOW) * width / 3, chart_h, width / 3,
                  height - chart_h };
}

void
triad_training_live_scene_draw (TriadTrainingLiveScene *s,
                                cairo_t                *cr,
                                const TriadFigureStyle *style,
                                double                  width,
                                double                  height)
{
  Rect r;

  cairo_save (cr);
  if (style->bg[3] > 0)
    {
      cairo_set_source_rgba (cr, style->bg[0], style->bg[1], style->bg[2], style->bg[3]);
      cairo_paint (cr);
    }
  cairo_restore (cr);
  if (s->now == NULL)
    {
      /* TRANSLATORS: the vertical axis of the Training view's loss chart */
      TriadCurvesChart empty = { .title = s->title, .y_label = _("Loss"),
                                 .x_label = _("Training step"), .x_max = s->run_steps,
                                 .cursor_x = -1, .phase_x = -1, .hover_x = -1 };

      /* the run's axes, empty, where its curves will grow */
      triad_curves_draw (cr, &empty, style, width, height * CHART_SHARE);
      return;
    }
  for (int p = 0; p < TRIAD_TRAINING_LIVE_N_PANELS; p++)
    {
      panel_rect (p, width, height, &r);
      cairo_save (cr);
      cairo_translate (cr, r.x, r.y);
      if (p == TRIAD_TRAINING_LIVE_LOSS)
        triad_curves_draw (cr, &s->loss_chart, style, r.w, r.h);
      else if (p == TRIAD_TRAINING_LIVE_SCORES)
        triad_curves_draw (cr, &s->score_chart, style, r.w, r.h);
      else
        triad_matrix_draw (cr, &s->maps[p - TRIAD_TRAINING_LIVE_NOW], style, 0, 0, r.w, r.h);
      cairo_restore (cr);
    }
}

/* The snapshot of the record nearest step. */
static int
nearest_step (const TriadWatchRecord *r,
              double                  step)
{
  int best = -1;

  for (guint i = 0; i < r->snapshots->len; i++)
    {
      int at = ((const TriadWatchSnapshot *) g_ptr_array_index (r->snapshots, i))->step;

      if (best < 0 || fabs (at - step) < fabs (best - step))
        best = at;
    }
  return best;
}

gboolean
triad_training_live_scene_hit (TriadTrainingLiveScene *s,
                               const TriadFigureStyle *style,
                               double                  width,
                               double                  height,
                               double                  x,
                               double                  y,
                               TriadScenePart         *part)
{
  *part = TRIAD_SCENE_PART_NONE;
  if (s->now == NULL)
    return FALSE;
  for (int p = 0; p < TRIAD_TRAINING_LIVE_N_PANELS; p++)
    {
      Rect r;

      panel_rect (p, width, height, &r);
      if (x < r.x || x >= r.x + r.w || y < r.y || y >= r.y + r.h)
        continue;
      if (p == TRIAD_TRAINING_LIVE_LOSS || p == TRIAD_TRAINING_LIVE_SCORES)
        {
          double step = triad_curves_hit (p == TRIAD_TRAINING_LIVE_LOSS ? &s->loss_chart
                                                                        : &s->score_chart,
                                          style, r.w, r.h, x - r.x, y - r.y);

          if (step < 0)
            return FALSE;
          /* the loss has a value at every step; the scores at the snapshots alone */
          if (p == TRIAD_TRAINING_LIVE_LOSS)
            step = CLAMP (step, 1, MAX ((int) s->record->losses->len, 1));
          else
            step = nearest_step (s->record, step);
          part->panel = p;
          part->row = (int) step;
          part->value = step;
          return TRUE;
        }
      if (!triad_matrix_hit (&s->maps[p - TRIAD_TRAINING_LIVE_NOW], style, 0, 0, r.w, r.h,
                             x - r.x, y - r.y, &part->row, &part->col))
        return FALSE;
      part->panel = p;
      part->value = s->maps[p - TRIAD_TRAINING_LIVE_NOW].values[(size_t) part->row * s->n_k
                                                                 + part->col];
      return TRUE;
    }
  return FALSE;
}

/* ---- words ----------------------------------------------------------------------------- */

char *
triad_training_live_scene_describe_part (TriadTrainingLiveScene *s,
                                         const TriadScenePart   *part)
{
  if (s->now == NULL || part == NULL || part->panel < 0)
    return NULL;
  if (part->panel == TRIAD_TRAINING_LIVE_LOSS)
    {
      int step = part->row;
      g_autofree char *loss = NULL;

      if (step < 1 || step > (int) s->record->losses->len)
        return NULL;
      loss = triad_format_double (g_array_index (s->record->losses, float, step - 1), 3);
      /* TRANSLATORS: the Training view's readout over the loss chart: a step and its loss */
      return g_strdup_printf (_("Step %d: loss %s"), step, loss);
    }
  if (part->panel == TRIAD_TRAINING_LIVE_SCORES)
    {
      const TriadWatchSnapshot *snap = triad_watch_record_at (s->record, part->row);
      g_autofree char *score = NULL;

      if (snap == NULL)
        return NULL;
      score = triad_format_double (snap->scores[s->layer * snap->n_heads + s->head], 2);
      /* TRANSLATORS: the Training view's readout over the score chart: a step, the chosen
       * head, the name of the task's score and its number there, e.g. "Step 500: layer 1,
       * head 2, induction score 0.62" */
      return g_strdup_printf (_("Step %d: layer %d, head %d, %s %s"), snap->step, s->layer,
                              s->head, triad_watch_task_score_label (s->record->task), score);
    }
  if (part->panel < TRIAD_TRAINING_LIVE_N_PANELS && part->row >= 0 && part->row < s->n_q
      && part->col >= 0 && part->col < s->n_k)
    {
      size_t at = (size_t) part->row * s->n_k + part->col;
      g_autofree char *now = triad_format_double (s->maps[0].values[at], 2);
      g_autofree char *then = triad_format_double (s->maps[1].values[at], 2);
      g_autofree char *diff = triad_format_double (s->diff[at], 2);

      /* TRANSLATORS: the Training view's readout over a cell of the maps: the query token,
       * the key token, the weight at the step shown, at the earlier step, and the change,
       * e.g. "“ball” → “wolf”: 0.81 at step 1500, 0.07 at step 0 (change 0.74)" */
      return g_strdup_printf (_("“%s” → “%s”: %s at step %d, %s at step %d (change %s)"),
                              s->q_labels[part->row], s->k_labels[part->col], now, s->now->step,
                              then, s->then->step, diff);
    }
  return NULL;
}

char *
triad_training_live_scene_describe (TriadTrainingLiveScene *s)
{
  const float *map;
  GString *out;
  int best_q = -1, best_k = -1;
  float best = -1;

  if (s->now == NULL)
    return s->title != NULL ? g_strdup (s->title) : NULL;
  out = g_string_new (NULL);
  g_string_append_printf (out, "%s. ", s->title);
  if (isfinite (s->now->loss))
    {
      g_autofree char *loss = triad_format_double (s->now->loss, 3);

      /* TRANSLATORS: for a screen reader, the Training view's loss at the step shown */
      g_string_append_printf (out, _("Loss %s. "), loss);
    }
  if (s->record->phase_step >= 0)
    /* TRANSLATORS: for a screen reader: the step of the phase change and what happened
     * there, e.g. "Phase change at step 1300: induction head formed." */
    g_string_append_printf (out, _("Phase change at step %d: %s. "), s->record->phase_step,
                            triad_watch_task_phase_label (s->record->task));
  /* the strongest cell past the first row, whose one key says nothing */
  map = s->maps[0].values;
  for (int q = 1; q < s->n_q; q++)
    for (int k = 0; k < s->n_k; k++)
      if (map[(size_t) q * s->n_k + k] > best)
        best = map[(size_t) q * s->n_k + k], best_q = q, best_k = k;
  if (best_q >= 0)
    {
      TriadScenePart part = { TRIAD_TRAINING_LIVE_NOW, best_q, best_k, -1, -1, 0.0 };
      g_autofree char *cell = triad_training_live_scene_describe_part (s, &part);

      /* TRANSLATORS: for a screen reader, before the strongest cell of the Training view's
       * map, as its readout says it */
      g_string_append_printf (out, _("Strongest: %s."), cell);
    }
  return g_strchomp (g_string_free (out, FALSE));
}

/* ---- as a TriadScene ------------------------------------------------------------------ */

static gboolean
live_hit (TriadScene             *scene,
          const TriadFigureStyle *style,
          double                  width,
          double                  height,
          double                  x,
          double                  y,
          TriadScenePart         *part)
{
  return triad_training_live_scene_hit (scene->inner, style, width, height, x, y, part);
}

static void
live_hover (TriadScene           *scene,
            const TriadScenePart *part)
{
  TriadTrainingLiveOptions *opt = scene->options;
  gboolean chart = part->panel == TRIAD_TRAINING_LIVE_LOSS
                   || part->panel == TRIAD_TRAINING_LIVE_SCORES;

  opt->hover_panel = part->panel;
  opt->hover_row = chart ? -1 : part->row;
  opt->hover_col = chart ? -1 : part->col;
  opt->hover_step = chart ? part->row : -1;
}

static const TriadSceneViewFuncs live_view = {
  .name = "training-live",
  .options_size = sizeof (TriadTrainingLiveOptions),
  .update = (TriadSceneUpdateFunc) triad_training_live_scene_update,
  .title = (TriadSceneTitleFunc) triad_training_live_scene_get_title,
  .hover = live_hover,
};

static const TriadSceneClass live_class = {
  .view = &live_view,
  .draw = (TriadSceneDrawFunc) triad_training_live_scene_draw,
  .aspect = ASPECT,
  .hit = live_hit,
};

TriadScene *
triad_training_live_scene_as_scene (TriadTrainingLiveScene         *scene,
                                    const TriadTrainingLiveOptions *opt)
{
  g_return_val_if_fail (scene != NULL && opt != NULL, NULL);

  return triad_scene_new (&live_class, scene, opt);
}
