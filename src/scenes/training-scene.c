/* training-scene.c — the Training view's filmstrip from a run on record and its options. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"

#include "scenes/training-scene.h"
#include "scenes/training-scene-live.h"

/* The export's size: a strip of 8 square maps over a loss chart. */
#define ASPECT (620.0 / 1200.0)

struct _TriadTrainingScene {
  const TriadWatchRecord *record;
  TriadTrainingOptions    opt;
  int                     layer, head;
  int                     n_steps;
  int                     steps[TRIAD_TRAINING_MAX_PANELS];
  double                  scores[TRIAD_TRAINING_MAX_PANELS];
  const float            *maps[TRIAD_TRAINING_MAX_PANELS];
  char                   *title;
  char                   *subtitle;
};

void
triad_training_options_init (TriadTrainingOptions *opt)
{
  memset (opt, 0, sizeof *opt);
  opt->layer = opt->head = -1;
  opt->cmap = TRIAD_COLORMAP_VIRIDIS;
}

int
triad_training_auto_steps (const TriadWatchRecord *r,
                           int                     n,
                           int                    *steps)
{
  int total = r->snapshots->len, count = MIN (n, total), nearest = -1;

  /* once the phase change has happened, the strip is about it: the steps up to three times its
   * step (the run goes on long after, with little left to see), but never fewer snapshots
   * than panels */
  if (r->phase_step > 0)
    {
      int within = 0;

      for (int i = 0; i < total; i++)
        within += ((TriadWatchSnapshot *) g_ptr_array_index (r->snapshots, i))->step
                  <= 3 * r->phase_step;
      total = MAX (within, count);
    }
  for (int i = 0; i < count; i++)
    {
      int index = count > 1 ? (int) lround ((double) i * (total - 1) / (count - 1)) : 0;
      steps[i] = ((TriadWatchSnapshot *) g_ptr_array_index (r->snapshots, index))->step;
    }
  /* the phase change takes the place of the step nearest it */
  if (r->phase_step >= 0 && count > 2)
    {
      for (int i = 0; i < count; i++)
        if (nearest < 0 || abs (steps[i] - r->phase_step) < abs (steps[nearest] - r->phase_step))
          nearest = i;
      /* never the first or last: the strip keeps its ends */
      nearest = CLAMP (nearest, 1, count - 2);
      steps[nearest] = r->phase_step;
      /* kept in order: the neighbours may now be on the wrong side of it */
      for (int i = 1; i < count; i++)
        for (int j = i; j > 0 && steps[j] < steps[j - 1]; j--)
          {
            int t = steps[j];
            steps[j] = steps[j - 1], steps[j - 1] = t;
          }
    }
  return count;
}

TriadTrainingScene *
triad_training_scene_new (const TriadWatchRecord *record)
{
  TriadTrainingScene *s = g_new0 (TriadTrainingScene, 1);
  TriadTrainingOptions opt;

  s->record = record;
  triad_training_options_init (&opt);
  triad_training_scene_update (s, &opt);
  return s;
}

void
triad_training_scene_free (TriadTrainingScene *s)
{
  if (s == NULL)
    return;
  g_free (s->title);
  g_free (s->subtitle);
  g_free (s);
}

void
triad_training_scene_set_record (TriadTrainingScene     *s,
                                 const TriadWatchRecord *record)
{
  s->record = record;
  triad_training_scene_update (s, &s->opt);
}

void
triad_training_scene_update (TriadTrainingScene         *s,
                             const TriadTrainingOptions *opt)
{
  const TriadWatchRecord *r = s->record;
  const TriadWatchSnapshot *last;
  int asked[TRIAD_TRAINING_MAX_PANELS], n_asked;

  g_return_if_fail (s != NULL && opt != NULL);
  if (opt != &s->opt)
    s->opt = *opt;
  s->n_steps = 0;
  g_clear_pointer (&s->title, g_free);
  g_clear_pointer (&s->subtitle, g_free);
  if (r == NULL || r->snapshots->len == 0)
    {
      s->title = g_strdup (_("No training yet"));
      return;
    }
  last = g_ptr_array_index (r->snapshots, r->snapshots->len - 1);
  if (opt->layer >= 0 && opt->layer < last->n_layers && opt->head >= 0
      && opt->head < last->n_heads)
    s->layer = opt->layer, s->head = opt->head;
  else
    s->layer = last->best_layer, s->head = last->best_head;

  if (opt->n_steps > 0)
    {
      n_asked = MIN (opt->n_steps, TRIAD_TRAINING_MAX_PANELS);
      memcpy (asked, opt->steps, sizeof (int) * n_asked);
    }
  else
    n_asked = triad_training_auto_steps (r, TRIAD_TRAINING_AUTO_PANELS, asked);
  for (int i = 0; i < n_asked; i++)
    {
      const TriadWatchSnapshot *snap = triad_watch_record_at (r, asked[i]);

      if (snap == NULL)
        continue;
      s->steps[s->n_steps] = snap->step;
      s->scores[s->n_steps] = snap->scores[s->layer * snap->n_heads + s->head];
      s->maps[s->n_steps] = triad_watch_snapshot_map (snap, s->layer, s->head);
      s->n_steps++;
    }

  switch (r->task)
    {
    case TRIAD_WATCH_INDUCTION:
    default:
      /* TRANSLATORS: the training filmstrip's title: a head of the small model being trained,
       * its attention on a sequence said twice, at a few steps of its training */
      s->title = g_strdup_printf (_("Layer %d, head %d learning to copy a sequence said twice"),
                                  s->layer, s->head);
      break;
    case TRIAD_WATCH_TRANSLATION:
      /* TRANSLATORS: the training filmstrip's title for the translation task */
      s->title = g_strdup_printf (_("Layer %d, head %d learning to align a translation with "
                                    "its sentence"), s->layer, s->head);
      break;
    case TRIAD_WATCH_AGREEMENT:
      /* TRANSLATORS: the training filmstrip's title for the agreement task: the model guesses
       * a hidden Russian verb, whose gender is its subject's */
      s->title = g_strdup_printf (_("Layer %d, head %d learning agreement: a hidden verb and "
                                    "its subject"), s->layer, s->head);
      break;
    }
  if (r->q_tokens != NULL)
    {
      g_autofree char *joined = g_strjoinv (" ", r->q_tokens);
      g_autofree char *source = r->task == TRIAD_WATCH_TRANSLATION && r->k_tokens != NULL
                                ? g_strjoinv (" ", r->k_tokens) : NULL;

      if (source != NULL)
        /* TRANSLATORS: under the training filmstrip's title: the probe's sentence (first %s)
         * and its translation (second %s) */
        s->subtitle = g_strdup_printf (_("Probe: %s → %s"), source, joined);
      else
        /* TRANSLATORS: under the training filmstrip's title; %s is the probe's tokens */
        s->subtitle = g_strdup_printf (_("Probe: %s"), joined);
    }
}

const char *
triad_training_scene_get_title (TriadTrainingScene *s)
{
  return s->title;
}

void
triad_training_scene_get_head (TriadTrainingScene *s,
                               int                *layer,
                               int                *head)
{
  *layer = s->layer;
  *head = s->head;
}

const int *
triad_training_scene_get_steps (TriadTrainingScene *s,
                                int                *n)
{
  *n = s->n_steps;
  return s->steps;
}

/* The caption under each map: the task's score with its number. */
static const char *
score_name (TriadWatchTask task)
{
  switch (task)
    {
    case TRIAD_WATCH_TRANSLATION:
      /* TRANSLATORS: under one map of the training filmstrip: the head's alignment (the
       * share of words it looks at the source of), e.g. "0.82" */
      return _("aligned %s");
    case TRIAD_WATCH_AGREEMENT:
      /* TRANSLATORS: under one map of the training filmstrip: the attention the hidden verb
       * gives its subject, e.g. "0.42" */
      return _("to subject %s");
    case TRIAD_WATCH_INDUCTION:
    default:
      /* TRANSLATORS: under one map of the training filmstrip: the head's induction score
       * (mean attention to the token after the earlier occurrence), e.g. "0.42" */
      return _("induction %s");
    }
}

void
triad_training_scene_draw (TriadTrainingScene     *s,
                           cairo_t                *cr,
                           const TriadFigureStyle *style,
                           double                  width,
                           double                  height)
{
  const TriadWatchRecord *r = s->record;
  const TriadWatchSnapshot *first = r != NULL && r->snapshots->len > 0
                                    ? g_ptr_array_index (r->snapshots, 0) : NULL;
  TriadFilmstrip f = {
    .n_panels = s->n_steps,
    .maps = s->maps,
    .n_q = first != NULL ? first->n_q : 0,
    .n_k = first != NULL ? first->n_k : 0,
    .score_name = score_name (r != NULL ? r->task : TRIAD_WATCH_INDUCTION),
    .steps = s->steps,
    .scores = s->scores,
    .title = s->title,
    .subtitle = s->subtitle,
    .losses = r != NULL ? (const float *) r->losses->data : NULL,
    .n_losses = r != NULL ? (int) r->losses->len : 0,
    .phase_step = r != NULL ? r->phase_step : -1,
    .phase_label = triad_watch_task_phase_label (r != NULL ? r->task : TRIAD_WATCH_INDUCTION),
    .cmap = s->opt.cmap,
  };

  triad_filmstrip_draw (cr, &f, style, width, height);
}

/* ---- as a TriadScene ------------------------------------------------------------------ */

static const TriadSceneViewFuncs training_view = {
  .name = "training",
  .options_size = sizeof (TriadTrainingOptions),
  .update = (TriadSceneUpdateFunc) triad_training_scene_update,
  .title = (TriadSceneTitleFunc) triad_training_scene_get_title,
};

static const TriadSceneClass training_class = {
  .view = &training_view,
  .draw = (TriadSceneDrawFunc) triad_training_scene_draw,
  .aspect = ASPECT,
};

TriadScene *
triad_training_scene_as_scene (TriadTrainingScene         *scene,
                               const TriadTrainingOptions *opt)
{
  g_return_val_if_fail (scene != NULL && opt != NULL, NULL);

  return triad_scene_new (&training_class, scene, opt);
}
