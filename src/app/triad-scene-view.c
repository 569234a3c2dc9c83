/* triad-scene-view.c — a view's scene in the window: snapshot through Cairo in the theme's
 * style, hover through the scene's hit test, redrawn when the theme changes. */
#include "config.h"

#include <math.h>

#include "app/triad-scene-view.h"
#include "scenes/scene-describe.h"

/* The width asked for when nothing limits it: a figure wide enough for its panels abreast. */
#define NATURAL_WIDTH 680
/* The least height a view that fills its place asks for: the grids' cells still readable. */
#define FILL_MINIMUM  360

struct _TriadSceneView {
  GtkWidget       parent_instance;
  TriadScene     *scene;
  double          font_scale;
  gboolean        fill;
  gboolean        opaque;
  int             natural_width;
  TriadScenePart  hover;
  gboolean        keyboard_lit;  /* hover was put there by the keyboard's walk */
  char           *description;   /* what the screen reader is told, as last set */
};

G_DEFINE_FINAL_TYPE (TriadSceneView, triad_scene_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_FONT_SCALE,
  PROP_FILL,
  PROP_OPAQUE,
  PROP_NATURAL_WIDTH,
  N_PROPS
};

enum {
  HOVER_CHANGED,
  ACTIVATED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

GtkWidget *
triad_scene_view_new (void)
{
  return g_object_new (TRIAD_TYPE_SCENE_VIEW, NULL);
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

gboolean
triad_scene_view_is_high_contrast (TriadSceneView *self)
{
  g_autofree char *theme = NULL;

  g_return_val_if_fail (TRIAD_IS_SCENE_VIEW (self), FALSE);

  /* GTK 4.8 without libadwaita has no style manager to ask: high contrast is GTK's own
   * HighContrast or HighContrastInverse theme, chosen by name */
  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)), "gtk-theme-name", &theme, NULL);
  return theme != NULL && g_str_has_prefix (theme, "HighContrast");
}

/* Presenting (triad-window-present.c marks the window), the height of the screen the window
 * fills, from which the figure's type is sized by the rule a slide's is sized from the slide;
 * else 0. The monitor's, not the window's: it holds still while the window grows to full
 * screen, so that every measure of one layout agrees. */
static double
presenting_screen_height (TriadSceneView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GdkSurface *surface;
  GdkMonitor *monitor = NULL;
  GdkRectangle geometry;

  if (!GTK_IS_WIDGET (root) || !gtk_widget_has_css_class (GTK_WIDGET (root), "presentation"))
    return 0.0;
  surface = gtk_native_get_surface (GTK_NATIVE (root));
  if (surface != NULL)
    monitor = gdk_display_get_monitor_at_surface (gtk_widget_get_display (GTK_WIDGET (root)),
                                                  surface);
  if (monitor == NULL)
    return gtk_widget_get_height (GTK_WIDGET (root));
  gdk_monitor_get_geometry (monitor, &geometry);
  return geometry.height;
}

void
triad_scene_view_get_style (TriadSceneView   *self,
                            TriadFigureStyle *style)
{
  GtkStyleContext *ctx;
  GdkRGBA fg, accent;

  g_return_if_fail (TRIAD_IS_SCENE_VIEW (self));

  /* the theme decides: text in the widget's colour, the background left to the window,
   * highlights in the theme's accent */
  ctx = gtk_widget_get_style_context (GTK_WIDGET (self));
  gtk_style_context_get_color (ctx, &fg);
  if (!gtk_style_context_lookup_color (ctx, "accent_color", &accent)
      && !gtk_style_context_lookup_color (ctx, "theme_selected_bg_color", &accent))
    gdk_rgba_parse (&accent, "#3584e4");
  triad_figure_style_init (style, FALSE);
  rgba_to (&fg, style->fg);
  rgba_to (&accent, style->accent);
  style->bg[3] = 0.0;
  style->font_scale = self->font_scale;
  style->surface_height = presenting_screen_height (self);
  /* a dark theme's selection colour is too dark for lit labels on its background: lighten it
   * towards the light blue the figures' own dark style uses */
  if (style->fg[0] + style->fg[1] + style->fg[2] > 1.5
      && 0.2126 * style->accent[0] + 0.7152 * style->accent[1]
         + 0.0722 * style->accent[2] < 0.4)
    for (int i = 0; i < 3; i++)
      style->accent[i] += 0.45 * (1.0 - style->accent[i]);
  if (self->opaque)
    {
      GtkStyleContext *ctx = gtk_widget_get_style_context (GTK_WIDGET (self));
      gboolean dark = style->fg[0] + style->fg[1] + style->fg[2] > 1.5;
      GdkRGBA bg;

      if (!gtk_style_context_lookup_color (ctx, "window_bg_color", &bg)
          && !gtk_style_context_lookup_color (ctx, "theme_bg_color", &bg))
        bg = dark ? (GdkRGBA) { 0x24 / 255.0, 0x24 / 255.0, 0x24 / 255.0, 1.0 }
                  : (GdkRGBA) { 1.0, 1.0, 1.0, 1.0 };
      style->bg[0] = bg.red;
      style->bg[1] = bg.green;
      style->bg[2] = bg.blue;
      style->bg[3] = 1.0;
    }
  if (triad_scene_view_is_high_contrast (self))
    triad_figure_style_make_high_contrast (style);
}

/* The screen reader's words: the cell the keyboard lit, as the hover readout says it, else the
 * whole figure and its strongest cells. */
static void
update_description (TriadSceneView *self)
{
  g_autofree char *text = NULL;

  if (self->scene != NULL && self->keyboard_lit && self->hover.panel >= 0)
    text = triad_scene_describe_part (self->scene, &self->hover);
  if (text == NULL && self->scene != NULL)
    text = triad_scene_describe (self->scene);
  if (g_strcmp0 (text, self->description) == 0)
    return;
  g_free (self->description);
  self->description = g_steal_pointer (&text);
  if (self->description != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    self->description, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

const char *
triad_scene_view_get_description (TriadSceneView *self)
{
  g_return_val_if_fail (TRIAD_IS_SCENE_VIEW (self), NULL);

  update_description (self);
  return self->description;
}

static void
triad_scene_view_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  TriadSceneView *self = TRIAD_SCENE_VIEW (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  TriadFigureStyle style;
  cairo_t *cr;

  if (width <= 0 || height <= 0 || self->scene == NULL)
    return;
  /* the figure drawn is the figure described: options change the scene without telling
   * the view, but every change redraws it */
  update_description (self);
  triad_scene_view_get_style (self, &style);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  triad_scene_draw (self->scene, cr, &style, width, height);
  cairo_destroy (cr);
}

static GtkSizeRequestMode
triad_scene_view_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
triad_scene_view_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  TriadSceneView *self = TRIAD_SCENE_VIEW (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      TriadFigureStyle style;
      int request;

      *minimum = 0;
      *natural = self->natural_width;
      /* presenting, a figure that asks for a width at the window's type (the bars beside the
       * memory chart) asks for more as its type grows with the screen, up to twice */
      gtk_widget_get_size_request (widget, &request, NULL);
      if (request > 0 && self->scene != NULL)
        {
          triad_scene_view_get_style (self, &style);
          if (style.surface_height > 0.0)
            *minimum = (int) ceil (request * CLAMP (triad_figure_style_font_scale (&style)
                                                    / MAX (self->font_scale, 0.25), 1.0, 2.0));
          *natural = MAX (*natural, *minimum);
        }
    }
  else
    {
      TriadFigureStyle style;
      int width = for_size >= 0 ? for_size : NATURAL_WIDTH;

      *minimum = *natural = 0;
      if (self->scene == NULL)
        return;
      triad_scene_view_get_style (self, &style);
      *minimum = *natural = (int) ceil (triad_scene_natural_height (self->scene, &style, width));
      if (self->fill)
        *minimum = MIN (*minimum, FILL_MINIMUM);
    }
}

static gboolean
part_equal (const TriadScenePart *a,
            const TriadScenePart *b)
{
  return a->panel == b->panel && a->row == b->row && a->col == b->col && a->a == b->a
         && a->b == b->b && a->value == b->value;
}

/* Lights part, as the pointer or the keyboard put it there, and tells the page. */
static void
set_hover (TriadSceneView       *self,
           const TriadScenePart *part,
           gboolean              keyboard)
{
  self->keyboard_lit = keyboard && part->panel >= 0;
  if (part_equal (part, &self->hover))
    {
      update_description (self);
      return;
    }
  self->hover = *part;
  if (self->scene != NULL)
    triad_scene_hover (self->scene, part);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[HOVER_CHANGED], 0, &self->hover);
  update_description (self);
}

gboolean
triad_scene_view_walk (TriadSceneView *self,
                       TriadSceneMove  move)
{
  TriadScenePart to;

  g_return_val_if_fail (TRIAD_IS_SCENE_VIEW (self), FALSE);

  if (self->scene == NULL || !triad_scene_walk (self->scene, &self->hover, move, &to))
    return FALSE;
  set_hover (self, &to, TRUE);
  return TRUE;
}

void
triad_scene_view_hover_at (TriadSceneView *self,
                           double          x,
                           double          y)
{
  GtkWidget *widget = GTK_WIDGET (self);
  TriadScenePart part = TRIAD_SCENE_PART_NONE;
  TriadFigureStyle style;

  g_return_if_fail (TRIAD_IS_SCENE_VIEW (self));

  if (self->scene != NULL && x >= 0 && y >= 0)
    {
      triad_scene_view_get_style (self, &style);
      triad_scene_hit (self->scene, &style, gtk_widget_get_width (widget),
                       gtk_widget_get_height (widget), x, y, &part);
    }
  set_hover (self, &part, FALSE);
}

static void
motion (GtkEventControllerMotion *controller,
        double                    x,
        double                    y,
        TriadSceneView           *self)
{
  triad_scene_view_hover_at (self, x, y);
}

static void
leave (GtkEventControllerMotion *controller,
       TriadSceneView           *self)
{
  triad_scene_view_hover_at (self, -1, -1);
}

static void
pressed (GtkGestureClick *gesture,
         int              n_press,
         double           x,
         double           y,
         TriadSceneView  *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  TriadScenePart part;
  TriadFigureStyle style;

  gtk_widget_grab_focus (widget);
  if (self->scene == NULL)
    return;
  triad_scene_view_get_style (self, &style);
  if (triad_scene_hit (self->scene, &style, gtk_widget_get_width (widget),
                       gtk_widget_get_height (widget), x, y, &part))
    g_signal_emit (self, signals[ACTIVATED], 0, &part);
}

void
triad_scene_view_set_scene (TriadSceneView *self,
                            TriadScene     *scene)
{
  g_return_if_fail (TRIAD_IS_SCENE_VIEW (self));

  if (self->scene == scene)
    return;
  g_clear_pointer (&self->scene, triad_scene_free);
  self->scene = scene;
  /* what the pointer was over belongs to the old figure */
  self->hover = TRIAD_SCENE_PART_NONE;
  self->keyboard_lit = FALSE;
  update_description (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

TriadScene *
triad_scene_view_get_scene (TriadSceneView *self)
{
  g_return_val_if_fail (TRIAD_IS_SCENE_VIEW (self), NULL);

  return self->scene;
}

void
triad_scene_view_set_font_scale (TriadSceneView *self,
                                 double          scale)
{
  g_return_if_fail (TRIAD_IS_SCENE_VIEW (self));

  if (self->font_scale == scale)
    return;
  self->font_scale = scale;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FONT_SCALE]);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
triad_scene_view_set_fill (TriadSceneView *self,
                           gboolean        fill)
{
  g_return_if_fail (TRIAD_IS_SCENE_VIEW (self));

  fill = !!fill;
  if (self->fill == fill)
    return;
  self->fill = fill;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FILL]);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

double
triad_scene_view_get_font_scale (TriadSceneView *self)
{
  g_return_val_if_fail (TRIAD_IS_SCENE_VIEW (self), 1.0);

  return self->font_scale;
}

void
triad_scene_view_get_hover (TriadSceneView *self,
                            TriadScenePart *part)
{
  g_return_if_fail (TRIAD_IS_SCENE_VIEW (self) && part != NULL);

  *part = self->hover;
}

static void
triad_scene_view_css_changed (GtkWidget         *widget,
                              GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (triad_scene_view_parent_class)->css_changed (widget, change);
  /* dark mode, high contrast or the text's size switched: redraw in the new style */
  gtk_widget_queue_resize (widget);
}

static void
triad_scene_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_FONT_SCALE:
      triad_scene_view_set_font_scale (TRIAD_SCENE_VIEW (object), g_value_get_double (value));
      break;
    case PROP_FILL:
      triad_scene_view_set_fill (TRIAD_SCENE_VIEW (object), g_value_get_boolean (value));
      break;
    case PROP_OPAQUE:
      TRIAD_SCENE_VIEW (object)->opaque = g_value_get_boolean (value);
      gtk_widget_queue_draw (GTK_WIDGET (object));
      break;
    case PROP_NATURAL_WIDTH:
      TRIAD_SCENE_VIEW (object)->natural_width = g_value_get_int (value);
      gtk_widget_queue_resize (GTK_WIDGET (object));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
triad_scene_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_FONT_SCALE:
      g_value_set_double (value, TRIAD_SCENE_VIEW (object)->font_scale);
      break;
    case PROP_FILL:
      g_value_set_boolean (value, TRIAD_SCENE_VIEW (object)->fill);
      break;
    case PROP_OPAQUE:
      g_value_set_boolean (value, TRIAD_SCENE_VIEW (object)->opaque);
      break;
    case PROP_NATURAL_WIDTH:
      g_value_set_int (value, TRIAD_SCENE_VIEW (object)->natural_width);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
triad_scene_view_finalize (GObject *object)
{
  TriadSceneView *self = TRIAD_SCENE_VIEW (object);

  g_clear_pointer (&self->scene, triad_scene_free);
  g_clear_pointer (&self->description, g_free);
  G_OBJECT_CLASS (triad_scene_view_parent_class)->finalize (object);
}

/* Shift with the arrows, Home, End, Page Up and Page Down walks the figure's cells, lit and
 * read out as the pointer's hover is. Shift, because the pages give the plain arrows to
 * stepping heads, layers and the formula while the figure has the focus, as their tooltips
 * promise, and a presentation gives them to its slides. */
static gboolean
key_pressed (GtkEventControllerKey *controller,
             guint                  keyval,
             guint                  keycode,
             GdkModifierType        state,
             TriadSceneView        *self)
{
  TriadSceneMove move;

  if (keyval == GDK_KEY_Escape && self->keyboard_lit)
    {
      set_hover (self, &TRIAD_SCENE_PART_NONE, FALSE);
      return TRUE;
    }
  if ((state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK | GDK_ALT_MASK)) != GDK_SHIFT_MASK)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Left: case GDK_KEY_KP_Left: move = TRIAD_SCENE_MOVE_LEFT; break;
    case GDK_KEY_Right: case GDK_KEY_KP_Right: move = TRIAD_SCENE_MOVE_RIGHT; break;
    case GDK_KEY_Up: case GDK_KEY_KP_Up: move = TRIAD_SCENE_MOVE_UP; break;
    case GDK_KEY_Down: case GDK_KEY_KP_Down: move = TRIAD_SCENE_MOVE_DOWN; break;
    case GDK_KEY_Home: case GDK_KEY_KP_Home: move = TRIAD_SCENE_MOVE_HOME; break;
    case GDK_KEY_End: case GDK_KEY_KP_End: move = TRIAD_SCENE_MOVE_END; break;
    case GDK_KEY_Page_Up: case GDK_KEY_KP_Page_Up: move = TRIAD_SCENE_MOVE_PAGE_UP; break;
    case GDK_KEY_Page_Down: case GDK_KEY_KP_Page_Down: move = TRIAD_SCENE_MOVE_PAGE_DOWN; break;
    default: return FALSE;
    }
  return triad_scene_view_walk (self, move);
}

/* The keyboard left: the cell it lit goes dark, and the figure is described whole again. */
static void
focus_left (GtkEventControllerFocus *controller,
            TriadSceneView          *self)
{
  if (self->keyboard_lit)
    set_hover (self, &TRIAD_SCENE_PART_NONE, FALSE);
}

static void
triad_scene_view_class_init (TriadSceneViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = triad_scene_view_set_property;
  object_class->get_property = triad_scene_view_get_property;
  object_class->finalize = triad_scene_view_finalize;
  widget_class->snapshot = triad_scene_view_snapshot;
  widget_class->get_request_mode = triad_scene_view_get_request_mode;
  widget_class->measure = triad_scene_view_measure;
  widget_class->css_changed = triad_scene_view_css_changed;
  /* the figure view's CSS name: the same focus ring (ui/style.css) */
  gtk_widget_class_set_css_name (widget_class, "figureview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);

  props[PROP_FONT_SCALE] =
    g_param_spec_double ("font-scale", NULL, NULL, 0.25, 8.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* whether the figure is drawn at whatever height the page gives it, as a page's one figure
   * is, rather than asking for the scene's natural height */
  props[PROP_FILL] =
    g_param_spec_boolean ("fill", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* whether the figure stands on the window's background colour rather than on nothing: a
   * figure that draws boxes on its style's background (the memory charts' legends) draws
   * them white on a transparent one, where a dark theme's light text cannot be read */
  props[PROP_OPAQUE] =
    g_param_spec_boolean ("opaque", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* the width asked for, as a drawing area's content-width: a panel beside others */
  props[PROP_NATURAL_WIDTH] =
    g_param_spec_int ("natural-width", NULL, NULL, 0, G_MAXINT, NATURAL_WIDTH,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* the part (a const TriadScenePart *, valid during the emission) now lit, panel -1 for
   * nothing */
  signals[HOVER_CHANGED] = g_signal_new ("hover-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_POINTER);
  /* the part clicked */
  signals[ACTIVATED] = g_signal_new ("activated", G_TYPE_FROM_CLASS (klass),
                                     G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                     G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
triad_scene_view_init (TriadSceneView *self)
{
  GtkEventController *motion_ctl = gtk_event_controller_motion_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  self->font_scale = 1.0;
  self->natural_width = NATURAL_WIDTH;
  self->hover = TRIAD_SCENE_PART_NONE;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  g_signal_connect (motion_ctl, "motion", G_CALLBACK (motion), self);
  g_signal_connect (motion_ctl, "leave", G_CALLBACK (leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion_ctl);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  g_signal_connect (focus, "leave", G_CALLBACK (focus_left), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);
}
