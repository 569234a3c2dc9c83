/* triad-training-page.c — the Training view. A run is a TriadTrainingRun: its own worker
 * thread makes the model and steps it; the page never waits on it but to stop it. While a run
 * lives, a timeout at display rate reads how far it has got and, only when a step or a
 * snapshot came, copies the run on record and updates the scene — the worker queues nothing
 * on the main loop. Reset, a new task and the page's end stop the worker and join it. */
#include "config.h"

#include <glib/gi18n.h>

#include "app/triad-scene-view.h"
#include "app/triad-toolbar.h"
#include "app/triad-training-page-private.h"
#include "app/triad-training-run.h"
#include "app/triad-view.h"
#include "engine/numbers.h"
#include "scenes/training-scene.h"
#include "triad-enum-types.h"

/* How often the page looks at the run: the display's rate, about. */
#define POLL_MS 16

/* The speeds offered: steps a tick (TRIAD_TRAINING_TICK_US), 0 as fast as the machine goes. */
static const int speeds[] = { 1, 10, 50, 0 };
#define DEFAULT_SPEED 0

struct _TriadTrainingPage
{
  GtkWidget          parent_instance;

  GtkDropDown       *task_dropdown;
  GtkButton         *start_button;
  GtkButton         *pause_button;
  GtkButton         *resume_button;
  GtkButton         *reset_button;
  GtkDropDown       *speed_dropdown;
  GtkDropDown       *head_dropdown;
  GtkScale          *timeline;
  GtkSpinButton     *compare_spin;
  GtkLabel          *status;
  GtkLabel          *message;
  TriadSceneView    *canvas;

  TriadWatchTask     task;
  TriadWatchOptions  options;
  int                speed;
  int                layer, head;        /* -1, -1: the best head */
  int                position;           /* the timeline's step; -1: the latest */
  int                compare_step;
  TriadColormap      cmap;
  double             font_scale;

  TriadTrainingRun  *run;
  TriadTrainingState state;
  guint              poll_id;
  guint              first_run_id;       /* the first run, made once the page is built */
  int                read_step;          /* the step the record was read at; -1: none yet */
  int                read_snapshots;
  TriadWatchRecord  *record;
  TriadTrainingLiveScene *scene;
  char              *status_text;
  gboolean           busy;
  gboolean           syncing;
};

static void triad_training_page_view_init (TriadViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TriadTrainingPage, triad_training_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (TRIAD_TYPE_VIEW,
                                                      triad_training_page_view_init))

enum {
  PROP_0,
  PROP_TASK,
  PROP_SPEED,
  PROP_LAYER,
  PROP_HEAD,
  PROP_POSITION,
  PROP_COMPARE_STEP,
  PROP_COLORMAP,
  PROP_FONT_SCALE,
  N_PROPS,
  PROP_BUSY = N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static void sync_controls (TriadTrainingPage *self);
static void update_scene (TriadTrainingPage *self);
static void new_run (TriadTrainingPage *self, gboolean paused);

GtkWidget *
triad_training_page_new (void)
{
  return g_object_new (TRIAD_TYPE_TRAINING_PAGE, NULL);
}

/* ---- the run ----------------------------------------------------------------------- */

static void
set_busy (TriadTrainingPage *self,
          gboolean           busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify (G_OBJECT (self), "busy");
}

static void
set_state (TriadTrainingPage  *self,
           TriadTrainingState  state)
{
  self->state = state;
  sync_controls (self);
}

static void
update_status (TriadTrainingPage *self)
{
  const TriadWatchRecord *r = self->record;
  const TriadWatchSnapshot *last;
  g_autofree char *score = NULL;
  GString *out;

  g_clear_pointer (&self->status_text, g_free);
  if (self->run == NULL)
    /* TRANSLATORS: the Training view's status before a run */
    self->status_text = g_strdup (_("Press Start to train a small model from random weights"));
  else if (r == NULL || r->snapshots->len == 0)
    /* TRANSLATORS: the Training view's status while the model is made */
    self->status_text = g_strdup (_("Making the model…"));
  else
    {
      last = g_ptr_array_index (r->snapshots, r->snapshots->len - 1);
      out = g_string_new (NULL);
      /* TRANSLATORS: the Training view's status: the steps done of the run's */
      g_string_append_printf (out, _("Step %d of %d"), (int) r->losses->len,
                              self->options.steps);
      score = triad_format_double (triad_watch_snapshot_best (last), 2);
      /* TRANSLATORS: the Training view's status, after the step: the name of the task's
       * score and the best head's number at the latest snapshot, e.g. " · best induction
       * score 0.62" */
      g_string_append_printf (out, _(" · best %s %s"), triad_watch_task_score_label (r->task),
                              score);
      if (r->phase_step >= 0)
        /* TRANSLATORS: the Training view's status, once the phase change has happened: what
         * happened and its step, e.g. " · induction head formed at step 1300" */
        g_string_append_printf (out, _(" · %s at step %d"),
                                triad_watch_task_phase_label (r->task), r->phase_step);
      if (self->state == TRIAD_TRAINING_PAUSED)
        /* TRANSLATORS: the Training view's status while paused */
        g_string_append (out, _(" · paused"));
      else if (self->state == TRIAD_TRAINING_DONE)
        /* TRANSLATORS: the Training view's status at the run's end */
        g_string_append (out, _(" · done"));
      self->status_text = g_string_free (out, FALSE);
    }
  gtk_label_set_text (self->status, self->status_text);
}

/* The record read again from the run; TRUE when it moved on since the last read. */
static gboolean
read_run (TriadTrainingPage *self)
{
  TriadWatch *watch = self->run != NULL ? triad_training_run_get_watch (self->run) : NULL;
  TriadWatchRecord *old;
  int step;

  if (watch == NULL)
    return FALSE;
  step = triad_watch_get_step (watch);
  if (step == self->read_step && self->record != NULL)
    return FALSE;
  old = self->record;
  self->record = triad_watch_dup_record (watch);
  self->read_step = step;
  triad_training_live_scene_set_record (self->scene, self->record, self->options.steps);
  triad_watch_record_free (old);
  return TRUE;
}

static void
stop_polling (TriadTrainingPage *self)
{
  g_clear_handle_id (&self->poll_id, g_source_remove);
}

void
triad_training_page_poll (TriadTrainingPage *self)
{
  g_autoptr(GError) error = NULL;
  gboolean finished, moved;

  g_return_if_fail (TRIAD_IS_TRAINING_PAGE (self));

  if (self->run == NULL)
    return;
  /* the finish first: a step read after it is the last */
  finished = triad_training_run_is_finished (self->run, &error);
  set_busy (self, triad_training_run_get_watch (self->run) == NULL && !finished);
  moved = read_run (self);
  if (moved)
    {
      int n = self->record->snapshots->len;

      /* the timeline and the compare step reach as far as the snapshots do */
      if (n != self->read_snapshots)
        {
          self->read_snapshots = n;
          sync_controls (self);
        }
      update_scene (self);
    }
  if (finished && self->state != TRIAD_TRAINING_DONE)
    {
      stop_polling (self);
      if (error != NULL)
        triad_view_report (TRIAD_VIEW (self), self->message, error->message);
      set_state (self, TRIAD_TRAINING_DONE);
    }
  else if (!moved && self->record != NULL && triad_training_run_is_idle (self->run))
    /* paused and read to its last step: nothing comes until Start or Resume polls again */
    stop_polling (self);
  update_status (self);
}

static gboolean
poll_timeout (gpointer data)
{
  triad_training_page_poll (data);
  return G_SOURCE_CONTINUE;
}

static void
drop_run (TriadTrainingPage *self)
{
  stop_polling (self);
  /* joins the worker: it stops within the step it is in */
  g_clear_pointer (&self->run, triad_training_run_free);
  /* no run: the axes of the next one's length */
  triad_training_live_scene_set_record (self->scene, NULL, self->options.steps);
  g_clear_pointer (&self->record, triad_watch_record_free);
  self->read_step = -1;
  self->read_snapshots = 0;
  set_busy (self, FALSE);
}

void
triad_training_page_set_options (TriadTrainingPage       *self,
                                 const TriadWatchOptions *opt)
{
  g_return_if_fail (TRIAD_IS_TRAINING_PAGE (self) && opt != NULL);

  self->options = *opt;
  self->task = opt->task;
  /* the run parked at step 0 is made again of these; one going on keeps its own */
  if (self->run == NULL || self->state == TRIAD_TRAINING_IDLE)
    new_run (self, TRUE);
  sync_controls (self);
}

static void
start_polling (TriadTrainingPage *self)
{
  if (self->poll_id == 0)
    self->poll_id = g_timeout_add (POLL_MS, poll_timeout, self);
}

/* A new run of the options, its model made by its worker: parked at step 0 (paused), so that
 * the figure shows the untrained model until Start, or training at once. The one before
 * stops. */
static void
new_run (TriadTrainingPage *self,
         gboolean           paused)
{
  drop_run (self);
  g_clear_handle_id (&self->first_run_id, g_source_remove);
  triad_view_report (TRIAD_VIEW (self), self->message, NULL);
  self->position = -1;
  self->run = triad_training_run_new (&self->options, self->speed, paused);
  start_polling (self);
  set_state (self, paused ? TRIAD_TRAINING_IDLE : TRIAD_TRAINING_RUNNING);
  triad_training_page_poll (self);
  update_scene (self);
}

static gboolean
first_run (gpointer data)
{
  TriadTrainingPage *self = data;

  self->first_run_id = 0;
  if (self->run == NULL)
    new_run (self, TRUE);
  return G_SOURCE_REMOVE;
}

void
triad_training_page_start (TriadTrainingPage *self)
{
  g_return_if_fail (TRIAD_IS_TRAINING_PAGE (self));

  /* the run parked at step 0 goes; after a run's end, a new one */
  if (self->run != NULL && self->state == TRIAD_TRAINING_IDLE)
    {
      self->position = -1;
      triad_training_run_set_paused (self->run, FALSE);
      start_polling (self);
      set_state (self, TRIAD_TRAINING_RUNNING);
      update_status (self);
    }
  else
    new_run (self, FALSE);
}

void
triad_training_page_pause (TriadTrainingPage *self)
{
  g_return_if_fail (TRIAD_IS_TRAINING_PAGE (self));

  if (self->state != TRIAD_TRAINING_RUNNING)
    return;
  triad_training_run_set_paused (self->run, TRUE);
  set_state (self, TRIAD_TRAINING_PAUSED);
  update_status (self);
}

void
triad_training_page_resume (TriadTrainingPage *self)
{
  g_return_if_fail (TRIAD_IS_TRAINING_PAGE (self));

  if (self->state != TRIAD_TRAINING_PAUSED)
    return;
  /* the timeline follows the run again */
  self->position = -1;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  triad_training_run_set_paused (self->run, FALSE);
  start_polling (self);
  set_state (self, TRIAD_TRAINING_RUNNING);
  update_scene (self);
  update_status (self);
}

void
triad_training_page_reset (TriadTrainingPage *self)
{
  g_return_if_fail (TRIAD_IS_TRAINING_PAGE (self));

  new_run (self, TRUE);
  update_status (self);
}

TriadTrainingState
triad_training_page_get_state (TriadTrainingPage *self)
{
  return self->state;
}

int
triad_training_page_get_step (TriadTrainingPage *self)
{
  TriadWatch *watch = self->run != NULL ? triad_training_run_get_watch (self->run) : NULL;

  return watch != NULL ? triad_watch_get_step (watch) : 0;
}

gboolean
triad_training_page_is_idle (TriadTrainingPage *self)
{
  return self->run == NULL || triad_training_run_is_idle (self->run);
}

const TriadWatchRecord *
triad_training_page_get_record (TriadTrainingPage *self)
{
  return self->record;
}

TriadTrainingLiveScene *
triad_training_page_get_scene (TriadTrainingPage *self)
{
  return self->scene;
}

GtkWidget *
triad_training_page_get_canvas (TriadTrainingPage *self)
{
  return GTK_WIDGET (self->canvas);
}

const char *
triad_training_page_get_status (TriadTrainingPage *self)
{
  return self->status_text;
}

int
triad_training_page_get_position (TriadTrainingPage *self)
{
  return self->position;
}

/* Space: start, pause or resume, whichever the run is ready for. */
static void
play (TriadTrainingPage *self)
{
  switch (self->state)
    {
    case TRIAD_TRAINING_RUNNING:
      triad_training_page_pause (self);
      break;
    case TRIAD_TRAINING_PAUSED:
      triad_training_page_resume (self);
      break;
    case TRIAD_TRAINING_IDLE:
    case TRIAD_TRAINING_DONE:
    default:
      triad_training_page_start (self);
      break;
    }
}

/* The heads of the attention watched: the snapshots' (the cross-attention's in translation),
 * else the model's as the options make it. */
static void
head_shape (TriadTrainingPage *self,
            int               *n_layers,
            int               *n_heads)
{
  const TriadWatchRecord *r = self->record;

  *n_layers = self->options.n_layers;
  *n_heads = self->options.n_heads;
  if (r != NULL && r->snapshots->len > 0)
    {
      const TriadWatchSnapshot *snap = g_ptr_array_index (r->snapshots, 0);

      *n_layers = snap->n_layers;
      *n_heads = snap->n_heads;
    }
}

/* ---- the timeline ------------------------------------------------------------------ */

/* The step of the snapshot i places from the one shown (the latest for -1), within the
 * record. */
static int
step_along (TriadTrainingPage *self,
            int                delta)
{
  const TriadWatchRecord *r = self->record;
  int n = r != NULL ? (int) r->snapshots->len : 0, at = n - 1;

  if (n == 0)
    return -1;
  if (self->position >= 0)
    for (int i = 0; i < n; i++)
      if (((const TriadWatchSnapshot *) g_ptr_array_index (r->snapshots, i))->step
          <= self->position)
        at = i;
  at = CLAMP (at + delta, 0, n - 1);
  return ((const TriadWatchSnapshot *) g_ptr_array_index (r->snapshots, at))->step;
}

static void
set_position (TriadTrainingPage *self,
              int                step)
{
  if (self->position == step)
    return;
  self->position = step;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  sync_controls (self);
  update_scene (self);
}

/* ← and →: along the timeline; a run going on pauses first, so that it stays where it was
 * taken. */
static void
step_timeline (TriadTrainingPage *self,
               int                delta)
{
  if (self->record == NULL)
    return;
  if (self->state == TRIAD_TRAINING_RUNNING)
    triad_training_page_pause (self);
  set_position (self, step_along (self, delta));
}

static void
timeline_changed (GtkRange          *range,
                  TriadTrainingPage *self)
{
  const TriadWatchRecord *r = self->record;
  double v = gtk_range_get_value (range);
  int nearest = -1;

  if (self->syncing || r == NULL)
    return;
  for (guint i = 0; i < r->snapshots->len; i++)
    {
      int step = ((const TriadWatchSnapshot *) g_ptr_array_index (r->snapshots, i))->step;

      if (nearest < 0 || ABS (step - v) < ABS (nearest - v))
        nearest = step;
    }
  set_position (self, nearest);
}

static void
compare_changed (GtkSpinButton     *spin,
                 TriadTrainingPage *self)
{
  if (self->syncing)
    return;
  g_object_set (self, "compare-step", gtk_spin_button_get_value_as_int (spin), NULL);
}

static void
head_selected (GtkDropDown       *dropdown,
               GParamSpec        *pspec,
               TriadTrainingPage *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);
  int n_layers, n_heads;

  if (self->syncing || i == GTK_INVALID_LIST_POSITION)
    return;
  head_shape (self, &n_layers, &n_heads);
  n_heads = MAX (n_heads, 1);
  if (i == 0)
    g_object_set (self, "layer", -1, "head", -1, NULL);
  else
    g_object_set (self, "layer", (int) (i - 1) / n_heads, "head", (int) (i - 1) % n_heads, NULL);
}

static void
speed_selected (GtkDropDown       *dropdown,
                GParamSpec        *pspec,
                TriadTrainingPage *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  if (!self->syncing && i < G_N_ELEMENTS (speeds))
    g_object_set (self, "speed", speeds[i], NULL);
}

static void
task_selected (GtkDropDown       *dropdown,
               GParamSpec        *pspec,
               TriadTrainingPage *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  if (!self->syncing && i < TRIAD_N_WATCH_TASKS)
    g_object_set (self, "task", triad_watch_task_to_string (i), NULL);
}

/* ---- the controls and the scene ---------------------------------------------------- */

static void
sync_head_list (TriadTrainingPage *self)
{
  GtkStringList *list = gtk_string_list_new (NULL);
  guint selected = 0;
  int n_layers, n_heads;

  /* TRANSLATORS: the Training view's head list: the head of the highest score */
  gtk_string_list_append (list, _("Best head"));
  head_shape (self, &n_layers, &n_heads);
  for (int l = 0; l < n_layers; l++)
    for (int h = 0; h < n_heads; h++)
      {
        /* TRANSLATORS: the Training view's head list: one head of the model trained */
        g_autofree char *item = g_strdup_printf (_("Layer %d, head %d"), l, h);

        gtk_string_list_append (list, item);
      }
  if (self->layer >= 0 && self->head >= 0 && self->layer < n_layers && self->head < n_heads)
    selected = 1 + self->layer * n_heads + self->head;
  if (triad_drop_down_n_items (self->head_dropdown) != (guint) (1 + n_layers * n_heads))
    gtk_drop_down_set_model (self->head_dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->head_dropdown, selected);
  g_object_unref (list);
}

static void
sync_controls (TriadTrainingPage *self)
{
  const TriadWatchRecord *r = self->record;
  gboolean has_run = r != NULL && r->snapshots->len > 0;
  gboolean can_scrub = has_run && (self->state == TRIAD_TRAINING_PAUSED
                                   || self->state == TRIAD_TRAINING_DONE);
  int last = 0, every = MAX (self->options.every, 1);

  self->syncing = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->start_button),
                          self->state == TRIAD_TRAINING_IDLE || self->state == TRIAD_TRAINING_DONE);
  gtk_widget_set_visible (GTK_WIDGET (self->pause_button), self->state == TRIAD_TRAINING_RUNNING);
  gtk_widget_set_visible (GTK_WIDGET (self->resume_button), self->state == TRIAD_TRAINING_PAUSED);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reset_button), self->run != NULL);
  gtk_drop_down_set_selected (self->task_dropdown, self->task);
  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    if (speeds[i] == self->speed)
      gtk_drop_down_set_selected (self->speed_dropdown, i);
  sync_head_list (self);

  if (has_run)
    last = ((const TriadWatchSnapshot *) g_ptr_array_index (r->snapshots,
                                                           r->snapshots->len - 1))->step;
  gtk_range_set_range (GTK_RANGE (self->timeline), 0, MAX (last, 1));
  gtk_range_set_increments (GTK_RANGE (self->timeline), every, every * 10);
  gtk_range_set_value (GTK_RANGE (self->timeline), self->position >= 0 ? self->position : last);
  gtk_scale_clear_marks (self->timeline);
  if (has_run && r->phase_step >= 0)
    /* TRANSLATORS: the mark on the Training view's timeline where the induction head formed */
    gtk_scale_add_mark (self->timeline, r->phase_step, GTK_POS_BOTTOM, _("formed"));
  /* scrubbed while paused or after the run: a run going on shows its latest step */
  gtk_widget_set_sensitive (GTK_WIDGET (self->timeline), can_scrub);
  gtk_spin_button_set_range (self->compare_spin, 0, MAX (last, 0));
  gtk_spin_button_set_increments (self->compare_spin, every, every * 10);
  gtk_spin_button_set_value (self->compare_spin, self->compare_step);
  gtk_widget_set_sensitive (GTK_WIDGET (self->compare_spin), has_run);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.export-filmstrip", has_run);
  self->syncing = FALSE;
}

static void
update_scene (TriadTrainingPage *self)
{
  TriadScene *scene = triad_scene_view_get_scene (self->canvas);
  TriadTrainingLiveOptions opt;

  triad_scene_view_set_font_scale (self->canvas, self->font_scale);
  /* the lit cell or step is the scene view's, kept */
  if (scene != NULL)
    opt = *(const TriadTrainingLiveOptions *) triad_scene_get_options (scene);
  else
    triad_training_live_options_init (&opt);
  opt.layer = self->layer;
  opt.head = self->head;
  opt.step = self->position;
  opt.compare_step = self->compare_step;
  opt.cmap = self->cmap;
  if (scene == NULL)
    triad_scene_view_set_scene (self->canvas, triad_training_live_scene_as_scene (self->scene, &opt));
  else
    triad_scene_set_options (scene, &opt);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

/* ---- the filmstrip ------------------------------------------------------------------ */

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  TriadTrainingPage *self = TRIAD_TRAINING_PAGE (widget);

  if (g_str_equal (action_name, "view.start"))
    triad_training_page_start (self);
  else if (g_str_equal (action_name, "view.pause"))
    triad_training_page_pause (self);
  else if (g_str_equal (action_name, "view.resume"))
    triad_training_page_resume (self);
  else if (g_str_equal (action_name, "view.reset"))
    triad_training_page_reset (self);
  else
    play (self);
}

/* ---- GObject ------------------------------------------------------------------------ */

static void
triad_training_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TriadTrainingPage *self = TRIAD_TRAINING_PAGE (object);

  switch (prop_id)
    {
    case PROP_TASK:
      {
        TriadWatchTask task;

        if (!triad_watch_task_from_string (g_value_get_string (value), &task)
            || task == self->task)
          return;
        /* another task is another run: the one going on stops */
        self->task = task;
        triad_watch_options_init (&self->options, task);
        self->layer = self->head = -1;
        new_run (self, TRUE);
        update_status (self);
        break;
      }
    case PROP_SPEED:
      if (self->speed == g_value_get_int (value))
        return;
      self->speed = g_value_get_int (value);
      if (self->run != NULL)
        triad_training_run_set_speed (self->run, self->speed);
      sync_controls (self);
      break;
    case PROP_LAYER:
      if (self->layer == g_value_get_int (value))
        return;
      self->layer = g_value_get_int (value);
      sync_controls (self);
      update_scene (self);
      break;
    case PROP_HEAD:
      if (self->head == g_value_get_int (value))
        return;
      self->head = g_value_get_int (value);
      sync_controls (self);
      update_scene (self);
      break;
    case PROP_POSITION:
      set_position (self, g_value_get_int (value));
      return;
    case PROP_COMPARE_STEP:
      if (self->compare_step == g_value_get_int (value))
        return;
      self->compare_step = g_value_get_int (value);
      sync_controls (self);
      update_scene (self);
      break;
    case PROP_COLORMAP:
      if (self->cmap == (TriadColormap) g_value_get_enum (value))
        return;
      self->cmap = g_value_get_enum (value);
      update_scene (self);
      break;
    case PROP_FONT_SCALE:
      if (self->font_scale == g_value_get_double (value))
        return;
      self->font_scale = g_value_get_double (value);
      update_scene (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_object_notify_by_pspec (object, pspec);
}

static void
triad_training_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TriadTrainingPage *self = TRIAD_TRAINING_PAGE (object);

  switch (prop_id)
    {
    case PROP_TASK: g_value_set_string (value, triad_watch_task_to_string (self->task)); break;
    case PROP_SPEED: g_value_set_int (value, self->speed); break;
    case PROP_LAYER: g_value_set_int (value, self->layer); break;
    case PROP_HEAD: g_value_set_int (value, self->head); break;
    case PROP_POSITION: g_value_set_int (value, self->position); break;
    case PROP_COMPARE_STEP: g_value_set_int (value, self->compare_step); break;
    case PROP_COLORMAP: g_value_set_enum (value, self->cmap); break;
    case PROP_FONT_SCALE: g_value_set_double (value, self->font_scale); break;
    case PROP_BUSY: g_value_set_boolean (value, self->busy); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
triad_training_page_dispose (GObject *object)
{
  TriadTrainingPage *self = TRIAD_TRAINING_PAGE (object);

  /* the window closing, or the page going: the worker stops and is joined here */
  g_clear_handle_id (&self->first_run_id, g_source_remove);
  if (self->scene != NULL)
    drop_run (self);
  if (self->canvas != NULL)
    triad_scene_view_set_scene (self->canvas, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TRIAD_TYPE_TRAINING_PAGE);
  triad_view_unparent_children (GTK_WIDGET (self));
  G_OBJECT_CLASS (triad_training_page_parent_class)->dispose (object);
}

static void
triad_training_page_finalize (GObject *object)
{
  TriadTrainingPage *self = TRIAD_TRAINING_PAGE (object);

  g_clear_pointer (&self->scene, triad_training_live_scene_free);
  g_free (self->status_text);
  G_OBJECT_CLASS (triad_training_page_parent_class)->finalize (object);
}

/* ---- TriadView ---------------------------------------------------------------------- */

/* The training view takes neither the model nor the text: it trains its own. */
static void
view_set_input (TriadView        *view,
                TriadApplication *app,
                const char       *model,
                const char       *text)
{
}

static gboolean
view_get_figure_size (TriadView *view,
                      double    *width,
                      double    *height)
{
  TriadTrainingPage *self = TRIAD_TRAINING_PAGE (view);

  *width = gtk_widget_get_width (GTK_WIDGET (self->canvas));
  *height = gtk_widget_get_height (GTK_WIDGET (self->canvas));
  /* before a run the figure says how to start one: there is always a figure */
  return TRUE;
}

static void
view_draw_figure_with_style (TriadView              *view,
                             cairo_t                *cr,
                             const TriadFigureStyle *style,
                             double                  width,
                             double                  height)
{
  TriadTrainingPage *self = TRIAD_TRAINING_PAGE (view);
  TriadScene *scene = triad_scene_view_get_scene (self->canvas);

  if (scene != NULL)
    triad_scene_draw (scene, cr, style, width, height);
}

static void
view_draw_figure (TriadView *view,
                  cairo_t   *cr,
                  double     width,
                  double     height)
{
  TriadTrainingPage *self = TRIAD_TRAINING_PAGE (view);
  TriadFigureStyle style;

  triad_scene_view_get_style (self->canvas, &style);
  view_draw_figure_with_style (view, cr, &style, width, height);
}

static void
view_step (TriadView *view,
           int        delta)
{
  step_timeline (TRIAD_TRAINING_PAGE (view), delta);
}

static void
view_relabel (TriadView *view)
{
  TriadTrainingPage *self = TRIAD_TRAINING_PAGE (view);
  TriadScene *scene = triad_scene_view_get_scene (self->canvas);

  if (scene != NULL)
    triad_scene_relabel (scene);
}

static void
triad_training_page_view_init (TriadViewInterface *iface)
{
  iface->set_input = view_set_input;
  iface->get_figure_size = view_get_figure_size;
  iface->draw_figure = view_draw_figure;
  iface->step = view_step;
  iface->draw_figure_with_style = view_draw_figure_with_style;
  iface->relabel = view_relabel;
}

/* Another view chosen, or the window hidden: the run pauses there, so that the machine is not
 * kept busy for a view nobody sees, and goes on with Resume (or Space) when it is back. */
static void
triad_training_page_unmap (GtkWidget *widget)
{
  triad_training_page_pause (TRIAD_TRAINING_PAGE (widget));
  GTK_WIDGET_CLASS (triad_training_page_parent_class)->unmap (widget);
}

static void
triad_training_page_class_init (TriadTrainingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->unmap = triad_training_page_unmap;

  object_class->set_property = triad_training_page_set_property;
  object_class->get_property = triad_training_page_get_property;
  object_class->dispose = triad_training_page_dispose;
  object_class->finalize = triad_training_page_finalize;

  properties[PROP_TASK] =
    g_param_spec_string ("task", NULL, NULL, "induction",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SPEED] =
    g_param_spec_int ("speed", NULL, NULL, 0, 1000, DEFAULT_SPEED,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAYER] =
    g_param_spec_int ("layer", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEAD] =
    g_param_spec_int ("head", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POSITION] =
    g_param_spec_int ("position", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPARE_STEP] =
    g_param_spec_int ("compare-step", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLORMAP] =
    g_param_spec_enum ("colormap", NULL, NULL, TRIAD_TYPE_COLORMAP, TRIAD_COLORMAP_VIRIDIS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FONT_SCALE] =
    g_param_spec_double ("font-scale", NULL, NULL, 0.5, 4.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_BUSY, "busy");

  g_type_ensure (TRIAD_TYPE_TOOLBAR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/triad/Triad/triad-training-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TriadTrainingPage, task_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadTrainingPage, start_button);
  gtk_widget_class_bind_template_child (widget_class, TriadTrainingPage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, TriadTrainingPage, resume_button);
  gtk_widget_class_bind_template_child (widget_class, TriadTrainingPage, reset_button);
  gtk_widget_class_bind_template_child (widget_class, TriadTrainingPage, speed_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadTrainingPage, head_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TriadTrainingPage, timeline);
  gtk_widget_class_bind_template_child (widget_class, TriadTrainingPage, compare_spin);
  gtk_widget_class_bind_template_child (widget_class, TriadTrainingPage, status);
  gtk_widget_class_bind_template_child (widget_class, TriadTrainingPage, message);
  gtk_widget_class_bind_template_child (widget_class, TriadTrainingPage, canvas);
  gtk_widget_class_bind_template_callback (widget_class, timeline_changed);
  gtk_widget_class_bind_template_callback (widget_class, compare_changed);
  gtk_widget_class_bind_template_callback (widget_class, head_selected);
  gtk_widget_class_bind_template_callback (widget_class, speed_selected);
  gtk_widget_class_bind_template_callback (widget_class, task_selected);

  gtk_widget_class_install_action (widget_class, "view.start", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "view.pause", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "view.resume", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "view.reset", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "view.play", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "view.export-filmstrip", NULL,
                                   triad_training_page_choose_filmstrip);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "trainingpage");
}

static void
triad_training_page_init (TriadTrainingPage *self)
{
  g_autoptr(GtkStringList) tasks = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) speed_list = gtk_string_list_new (NULL);

  self->task = TRIAD_WATCH_INDUCTION;
  triad_watch_options_init (&self->options, self->task);
  self->speed = DEFAULT_SPEED;
  self->layer = self->head = -1;
  self->position = -1;
  self->cmap = TRIAD_COLORMAP_VIRIDIS;
  self->font_scale = 1.0;
  self->read_step = -1;
  self->scene = triad_training_live_scene_new ();
  triad_training_live_scene_set_record (self->scene, NULL, self->options.steps);
  g_type_ensure (TRIAD_TYPE_SCENE_VIEW);
  gtk_widget_init_template (GTK_WIDGET (self));

  /* every task the engine has, in its order */
  for (int t = 0; t < TRIAD_N_WATCH_TASKS; t++)
    gtk_string_list_append (tasks, triad_watch_task_label (t));
  gtk_drop_down_set_model (self->task_dropdown, G_LIST_MODEL (tasks));
  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    {
      g_autofree char *label = NULL;

      if (speeds[i] > 0)
        {
          int per_second = speeds[i] * (G_USEC_PER_SEC / TRIAD_TRAINING_TICK_US);

          /* TRANSLATORS: a speed of the Training view's run */
          label = g_strdup_printf (ngettext ("%d step a second", "%d steps a second",
                                             per_second), per_second);
        }
      else
        /* TRANSLATORS: the Training view's fastest speed: as fast as the machine trains */
        label = g_strdup (_("Full speed"));
      gtk_string_list_append (speed_list, label);
    }
  gtk_drop_down_set_model (self->speed_dropdown, G_LIST_MODEL (speed_list));
  triad_scene_view_set_fill (self->canvas, TRUE);
  sync_controls (self);
  update_scene (self);
  update_status (self);
  /* in a moment, so that options set on the new page (a test's small run) make it */
  self->first_run_id = g_idle_add (first_run, self);
}
