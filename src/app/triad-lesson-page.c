/* triad-lesson-page.c — the Lesson view. The text is the template's; the KV cache numbers
 * are computed from the shipped presets by the engine's memory model when the page is built,
 * the quiz is built from a table, and the cost figure is the lesson-cost scene, shown by the
 * scene view and exported as the window draws it. */
#include "config.h"

#include <glib/gi18n.h>

#include "scenes/lesson-cost-scene.h"

#include "app/triad-lesson-page-private.h"
#include "app/triad-scene-view.h"
#include "app/triad-view.h"

/* The size the cost figure is exported at before the page has been laid out. */
#define DEFAULT_FIGURE_W 1100.0
#define DEFAULT_FIGURE_H  640.0

/* ---- what the buttons open --------------------------------------------------------- */

typedef struct {
  const char *id;
  const char *model;     /* win.model, or NULL to leave it */
  const char *example;   /* win.example, or NULL to leave the text */
  const char *view;      /* win.view */
  gboolean    one_head;  /* show one head, the one at layer, head */
  int         layer, head;
} Demo;

static const Demo demos[] = {
  /* the Russian verb's ending agrees with the feminine subject: the encoder must look at it */
  { "masked-word", "encoder",
    "the big cat saw a small dog <sep> большая кошка <mask> маленькую собаку", "attention" },
  { "left-to-right", "decoder", "the cat that saw a dog slept", "attention" },
  /* a sequence said twice: the decoder's induction head looks, from each word of the second
   * saying, at the word that followed it the first time */
  { "induction", "decoder", "bear ball wolf green house bear ball wolf green house", "attention",
    TRUE, 3, 1 },
  { "cross-align", "encdec", "the big cat saw a small dog", "cross" },
  { "masks", NULL, "the big cat saw a small dog", "masks" },
  { "prompt-translate", "decoder", "EN: the big cat saw a small dog RU:", "attention" },
  { "kv-grow", "decoder", NULL, "kv" },
  { "cross-source", "encdec", "the dog saw a cat near the house", "cross" },
  /* a small decoder trained live: the Training view trains its own model on its own text */
  { "training", NULL, NULL, "training" },
};

static void triad_lesson_page_view_init (TriadViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TriadLessonPage, triad_lesson_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (TRIAD_TYPE_VIEW, triad_lesson_page_view_init))

enum {
  PROP_0,
  PROP_FONT_SCALE,
  PROP_SECTION,
  N_PROPS,
  PROP_BUSY = N_PROPS,
};

static GParamSpec *properties[N_PROPS];

/* ---- the demos --------------------------------------------------------------------- */

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  const char *id = g_variant_get_string (param, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (demos); i++)
    if (g_str_equal (id, demos[i].id))
      {
        /* the model and the text first, so the view computes once, on what the lesson meant */
        if (demos[i].model != NULL)
          gtk_widget_activate_action (widget, "win.model", "s", demos[i].model);
        if (demos[i].example != NULL)
          gtk_widget_activate_action (widget, "win.example", "s", demos[i].example);
        gtk_widget_activate_action (widget, "win.view", "s", demos[i].view);
        /* after the view, which resets layer and head to the new model's */
        if (demos[i].one_head)
          {
            gtk_widget_activate_action (widget, "win.mode", "s", "single");
            gtk_widget_activate_action (widget, "win.layer", "i", demos[i].layer);
            gtk_widget_activate_action (widget, "win.head", "i", demos[i].head);
          }
        return;
      }
  g_warning ("No lesson demo “%s”", id);
}

/* ---- the sections ------------------------------------------------------------------ */

int
triad_lesson_page_get_section (TriadLessonPage *self)
{
  g_return_val_if_fail (TRIAD_IS_LESSON_PAGE (self), 0);

  return self->section;
}

static void
set_section (TriadLessonPage *self,
             int              section)
{
  if (self->section == section)
    return;
  self->section = section;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECTION]);
}

/* The top of a section in what scrolls, or -1 before the page is laid out. */
static double
section_top (TriadLessonPage *self,
             int              i)
{
  graphene_point_t in = GRAPHENE_POINT_INIT (0, 0), out;

  if (!gtk_widget_compute_point (self->sections[i], self->clamp, &in, &out))
    return -1;
  return out.y;
}

void
triad_lesson_page_show_section (TriadLessonPage *self,
                                int              section)
{
  GtkAdjustment *adj;
  double top;

  g_return_if_fail (TRIAD_IS_LESSON_PAGE (self));

  section = CLAMP (section, 0, TRIAD_LESSON_N_SECTIONS - 1);
  set_section (self, section);
  adj = gtk_scrolled_window_get_vadjustment (self->scroller);
  /* the first section goes back to the very top, with the lesson's title */
  top = section == 0 ? 0.0 : section_top (self, section);
  if (top < 0)
    return;
  self->scrolling = TRUE;
  gtk_adjustment_set_value (adj, MAX (0.0, top - 12.0));
  self->scrolling = FALSE;
}

/* The section a reader scrolling by hand is in: the last one whose heading has passed the
 * upper third of the view. */
static void
scrolled (GtkAdjustment   *adj,
          TriadLessonPage *self)
{
  double line = gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) / 3;
  int section = 0;

  if (self->scrolling)
    return;
  for (int i = 0; i < TRIAD_LESSON_N_SECTIONS; i++)
    {
      double top = section_top (self, i);

      if (top >= 0 && top <= line)
        section = i;
    }
  set_section (self, section);
}

/* ---- the challenge ----------------------------------------------------------------- */

static void
solution_toggled (GtkToggleButton *button,
                  TriadLessonPage *self)
{
  gtk_button_set_label (GTK_BUTTON (button), gtk_toggle_button_get_active (button)
                                             ? _("Hide Solution") : _("Show Solution"));
}

/* ---- the cost figure --------------------------------------------------------------- */

/* The figure's options: the spin buttons' m and d, inputs up to the default's. */
static void
get_cost_options (TriadLessonPage        *self,
                  TriadLessonCostOptions *opt)
{
  triad_lesson_cost_options_init (opt);
  opt->output_tokens = gtk_spin_button_get_value (self->output_spin);
  opt->width = gtk_spin_button_get_value (self->width_spin);
}

static void
cost_changed (GtkSpinButton   *spin,
              TriadLessonPage *self)
{
  TriadScene *scene = triad_scene_view_get_scene (self->cost_area);
  TriadLessonCostOptions opt;

  /* the template's spin buttons say their values before the scene exists */
  if (scene == NULL)
    return;
  get_cost_options (self, &opt);
  triad_scene_set_options (scene, &opt);
  gtk_widget_queue_draw (GTK_WIDGET (self->cost_area));
}

/* ---- the column ------------------------------------------------------------------ */

/* The text's column: as wide as it asks to be when nothing limits it (its labels' 72
 * characters), centred, narrower only when the window is. Aligning it with halign would not
 * do: a wrapping label asked for its width at a given height answers with a line as long as
 * that height allows. */
static GtkSizeRequestMode
clamp_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
clamp_measure (GtkWidget      *widget,
               GtkOrientation  orientation,
               int             for_size,
               int            *minimum,
               int            *natural,
               int            *minimum_baseline,
               int            *natural_baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);
  int min_w = 0, nat_w = 0;

  *minimum = *natural = 0;
  if (child == NULL || !gtk_widget_should_layout (child))
    return;
  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat_w, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = min_w;
      *natural = nat_w;
    }
  else
    gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL,
                        for_size < 0 ? nat_w : CLAMP (for_size, min_w, nat_w),
                        minimum, natural, NULL, NULL);
}

static void
clamp_allocate (GtkWidget *widget,
                int        width,
                int        height,
                int        baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);
  int min_w, nat_w, w;

  if (child == NULL || !gtk_widget_should_layout (child))
    return;
  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat_w, NULL, NULL);
  w = MAX (MIN (width, nat_w), min_w);
  gtk_widget_size_allocate (child, &(GtkAllocation) { MAX (0, (width - w) / 2), 0, w, height }, -1);
}

/* ---- TriadView --------------------------------------------------------------------- */

static void
view_set_input (TriadView        *view,
                TriadApplication *app,
                const char       *model,
                const char       *text)
{
  /* the lesson reads the same whatever the header bar holds */
}

static gboolean
view_get_figure_size (TriadView *view,
                      double    *width,
                      double    *height)
{
  TriadLessonPage *self = TRIAD_LESSON_PAGE (view);
  int w = gtk_widget_get_width (GTK_WIDGET (self->cost_area));
  int h = gtk_widget_get_height (GTK_WIDGET (self->cost_area));

  *width = w > 0 ? w : DEFAULT_FIGURE_W;
  *height = h > 0 ? h : DEFAULT_FIGURE_H;
  return TRUE;
}

static void
view_draw_figure_with_style (TriadView              *view,
                             cairo_t                *cr,
                             const TriadFigureStyle *style,
                             double                  width,
                             double                  height)
{
  TriadLessonPage *self = TRIAD_LESSON_PAGE (view);

  triad_scene_draw (triad_scene_view_get_scene (self->cost_area), cr, style, width, height);
}

static void
view_draw_figure (TriadView *view,
                  cairo_t   *cr,
                  double     width,
                  double     height)
{
  TriadLessonPage *self = TRIAD_LESSON_PAGE (view);
  TriadFigureStyle style;

  triad_scene_view_get_style (self->cost_area, &style);
  view_draw_figure_with_style (view, cr, &style, width, height);
}

static void
view_step (TriadView *view,
           int        delta)
{
  TriadLessonPage *self = TRIAD_LESSON_PAGE (view);

  triad_lesson_page_show_section (self, self->section + delta);
}

static void
view_relabel (TriadView *view)
{
  TriadSceneView *area = TRIAD_LESSON_PAGE (view)->cost_area;

  triad_scene_relabel (triad_scene_view_get_scene (area));
  gtk_widget_queue_resize (GTK_WIDGET (area));
}

static void
triad_lesson_page_view_init (TriadViewInterface *iface)
{
  iface->set_input = view_set_input;
  iface->get_figure_size = view_get_figure_size;
  iface->draw_figure = view_draw_figure;
  iface->step = view_step;
  iface->draw_figure_with_style = view_draw_figure_with_style;
  iface->relabel = view_relabel;
}

/* ---- GObject ----------------------------------------------------------------------- */

static void
triad_lesson_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TriadLessonPage *self = TRIAD_LESSON_PAGE (object);

  switch (prop_id)
    {
    case PROP_FONT_SCALE:
      if (self->font_scale != g_value_get_double (value))
        {
          self->font_scale = g_value_get_double (value);
          g_object_notify_by_pspec (object, pspec);
          triad_scene_view_set_font_scale (self->cost_area, self->font_scale);
        }
      break;
    case PROP_SECTION:
      triad_lesson_page_show_section (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
triad_lesson_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TriadLessonPage *self = TRIAD_LESSON_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY: g_value_set_boolean (value, FALSE); break;
    case PROP_FONT_SCALE: g_value_set_double (value, self->font_scale); break;
    case PROP_SECTION: g_value_set_int (value, self->section); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
triad_lesson_page_dispose (GObject *object)
{
  TriadLessonPage *self = TRIAD_LESSON_PAGE (object);

  /* the view's scene borrows cost_scene: it goes first */
  if (self->cost_area != NULL)
    triad_scene_view_set_scene (self->cost_area, NULL);
  g_clear_pointer (&self->cost_scene, triad_lesson_cost_scene_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), TRIAD_TYPE_LESSON_PAGE);
  G_OBJECT_CLASS (triad_lesson_page_parent_class)->dispose (object);
}

static void
triad_lesson_page_finalize (GObject *object)
{
  TriadLessonPage *self = TRIAD_LESSON_PAGE (object);

  g_free (self->kv_text);
  for (int q = 0; q < TRIAD_LESSON_N_QUESTIONS; q++)
    g_free (self->quiz[q].feedback);
  G_OBJECT_CLASS (triad_lesson_page_parent_class)->finalize (object);
}

static void
triad_lesson_page_class_init (TriadLessonPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = triad_lesson_page_set_property;
  object_class->get_property = triad_lesson_page_get_property;
  object_class->dispose = triad_lesson_page_dispose;
  object_class->finalize = triad_lesson_page_finalize;

  properties[PROP_FONT_SCALE] =
    g_param_spec_double ("font-scale", NULL, NULL, 0.5, 4.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECTION] =
    g_param_spec_int ("section", NULL, NULL, 0, TRIAD_LESSON_N_SECTIONS - 1, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_BUSY, "busy");

  g_type_ensure (TRIAD_TYPE_SCENE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/triad/Triad/triad-lesson-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, clamp);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, content);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, section0);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, section1);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, section2);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, section3);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, section4);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, section5);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, section6);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, formula_label);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, kv_label);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, kv_grid);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, kv_note);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, quant_label);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, quiz_box);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, solution1_button);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, solution2_button);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, solution1_revealer);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, solution2_revealer);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, cost_area);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, output_spin);
  gtk_widget_class_bind_template_child (widget_class, TriadLessonPage, width_spin);
  gtk_widget_class_bind_template_callback (widget_class, solution_toggled);
  gtk_widget_class_bind_template_callback (widget_class, cost_changed);

  /* the buttons of every section: a demo's id opens its view, set up */
  gtk_widget_class_install_action (widget_class, "lesson.open", "s", open_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "lessonpage");
}

/* The buttons' sentences ("See an encoder predict a masked word") wrap rather than push the
 * column past the screen's edge at a presentation's scale. */
static void
wrap_button_labels (GtkWidget *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *label = GTK_IS_BUTTON (c) ? gtk_button_get_child (GTK_BUTTON (c)) : NULL;

      if (GTK_IS_LABEL (label))
        {
          gtk_label_set_wrap (GTK_LABEL (label), TRUE);
          gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
          gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
        }
      else
        wrap_button_labels (c);
    }
}

static void
triad_lesson_page_init (TriadLessonPage *self)
{
  self->font_scale = 1.0;
  gtk_widget_init_template (GTK_WIDGET (self));

  self->sections[0] = self->section0;
  self->sections[1] = self->section1;
  self->sections[2] = self->section2;
  self->sections[3] = self->section3;
  self->sections[4] = self->section4;
  self->sections[5] = self->section5;
  self->sections[6] = self->section6;

  /* mathematics reads the same in every language */
  gtk_label_set_markup (self->formula_label,
                        "<span size=\"x-large\">Attention(<i>Q</i>, <i>K</i>, <i>V</i>) = "
                        "softmax(<i>QK</i><sup>T</sup> / √<i>d</i><sub>k</sub> + <i>M</i>) "
                        "<i>V</i></span>");
  gtk_widget_set_layout_manager (self->clamp,
                                 gtk_custom_layout_new (clamp_request_mode, clamp_measure,
                                                        clamp_allocate));
  triad_lesson_quiz_build (self);
  triad_lesson_kv_fill (self);
  wrap_button_labels (GTK_WIDGET (self));
  {
    TriadLessonCostOptions opt;

    get_cost_options (self, &opt);
    self->cost_scene = triad_lesson_cost_scene_new ();
    triad_scene_view_set_scene (self->cost_area,
                                triad_lesson_cost_scene_as_scene (self->cost_scene, &opt));
  }
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "value-changed",
                           G_CALLBACK (scrolled), self, 0);
}
