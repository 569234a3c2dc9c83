/* triad-figure-view.c — the figure widget: the scene through gtk_snapshot_append_cairo, colours
 * from the style, hover and click turned into signals. */
#include "config.h"

#include "app/triad-figure-view.h"

struct _TriadFigureView
{
  GtkWidget            parent_instance;
  TriadAttentionScene *scene;       /* not owned */
  int                  hover_a;
  int                  hover_b;
  double               font_scale;
};

G_DEFINE_FINAL_TYPE (TriadFigureView, triad_figure_view, GTK_TYPE_WIDGET)

enum {
  HOVER_CHANGED,   /* (int query or head, int key): -1 when off the figure */
  ACTIVATED,       /* (int query or head, int key): a click */
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GtkWidget *
triad_figure_view_new (void)
{
  return g_object_new (TRIAD_TYPE_FIGURE_VIEW, NULL);
}

static void
rgba_to (const GdkRGBA *c,
         double         out[4])
{
  out[0] = c->red;
  out[1] = c->green;
  out[2] = c->blue;
  out[3] = c->alpha;
}

void
triad_figure_style_for_widget (GtkWidget        *widget,
                               double            font_scale,
                               TriadFigureStyle *style)
{
  GtkStyleContext *ctx = gtk_widget_get_style_context (widget);
  GdkRGBA fg, accent;

  /* the theme decides: text in the widget's colour, the background left to the window,
   * highlights in the theme's accent */
  gtk_style_context_get_color (ctx, &fg);
  if (!gtk_style_context_lookup_color (ctx, "accent_color", &accent)
      && !gtk_style_context_lookup_color (ctx, "theme_selected_bg_color", &accent))
    gdk_rgba_parse (&accent, "#3584e4");
  triad_figure_style_init (style, FALSE);
  rgba_to (&fg, style->fg);
  rgba_to (&accent, style->accent);
  style->bg[3] = 0.0;
  style->font_scale = font_scale;
}

void
triad_figure_view_get_style (TriadFigureView  *self,
                             TriadFigureStyle *style)
{
  triad_figure_style_for_widget (GTK_WIDGET (self), self->font_scale, style);
}

void
triad_figure_view_set_font_scale (TriadFigureView *self,
                                  double           scale)
{
  if (self->font_scale == scale)
    return;
  self->font_scale = scale;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
triad_figure_view_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  TriadFigureView *self = TRIAD_FIGURE_VIEW (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  cairo_t *cr;

  TriadFigureStyle style;

  if (width <= 0 || height <= 0 || self->scene == NULL)
    return;
  triad_figure_view_get_style (self, &style);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  triad_attention_scene_draw (self->scene, cr, &style, width, height);
  cairo_destroy (cr);
}

/* What is under (x, y), as the scene counts it. */
static void
hit (TriadFigureView *self,
     double           x,
     double           y,
     int             *a,
     int             *b)
{
  GtkWidget *w = GTK_WIDGET (self);
  TriadFigureStyle style;

  *a = *b = -1;
  if (self->scene == NULL)
    return;
  triad_figure_view_get_style (self, &style);
  triad_attention_scene_hit (self->scene, &style, gtk_widget_get_width (w),
                             gtk_widget_get_height (w), x, y, a, b);
}

static void
set_hover (TriadFigureView *self,
           int              a,
           int              b)
{
  if (self->hover_a == a && self->hover_b == b)
    return;
  self->hover_a = a;
  self->hover_b = b;
  /* the owner updates the scene with it and redraws */
  g_signal_emit (self, signals[HOVER_CHANGED], 0, a, b);
}

static void
motion (GtkEventControllerMotion *controller,
        double                    x,
        double                    y,
        TriadFigureView          *self)
{
  int a, b;

  hit (self, x, y, &a, &b);
  set_hover (self, a, b);
}

static void
leave (GtkEventControllerMotion *controller,
       TriadFigureView          *self)
{
  set_hover (self, -1, -1);
}

static void
pressed (GtkGestureClick *gesture,
         int              n_press,
         double           x,
         double           y,
         TriadFigureView  *self)
{
  int a, b;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  hit (self, x, y, &a, &b);
  if (a >= 0)
    g_signal_emit (self, signals[ACTIVATED], 0, a, b);
}

void
triad_figure_view_set_scene (TriadFigureView     *self,
                             TriadAttentionScene *scene)
{
  self->scene = scene;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
triad_figure_view_get_hover (TriadFigureView *self,
                             int             *a,
                             int             *b)
{
  *a = self->hover_a;
  *b = self->hover_b;
}

void
triad_figure_view_reset_hover (TriadFigureView *self)
{
  self->hover_a = self->hover_b = -1;
}

static void
triad_figure_view_css_changed (GtkWidget         *widget,
                               GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (triad_figure_view_parent_class)->css_changed (widget, change);
  /* dark mode or high contrast switched: redraw in the new colours */
  gtk_widget_queue_draw (widget);
}

static void
triad_figure_view_class_init (TriadFigureViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = triad_figure_view_snapshot;
  widget_class->css_changed = triad_figure_view_css_changed;
  gtk_widget_class_set_css_name (widget_class, "figureview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);

  signals[HOVER_CHANGED] = g_signal_new ("hover-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);
  signals[ACTIVATED] = g_signal_new ("activated", G_TYPE_FROM_CLASS (klass),
                                     G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                     G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);
}

static void
triad_figure_view_init (TriadFigureView *self)
{
  GtkEventController *motion_ctl = gtk_event_controller_motion_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  self->font_scale = 1.0;
  self->hover_a = self->hover_b = -1;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  g_signal_connect (motion_ctl, "motion", G_CALLBACK (motion), self);
  g_signal_connect (motion_ctl, "leave", G_CALLBACK (leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion_ctl);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}
