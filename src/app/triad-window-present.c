/* triad-window-present.c — presentation mode: full screen, large type, the talk's keys ahead of
 * whatever has the focus, a spotlight on the pointer and a blank screen. */
#include "config.h"

#include <glib/gi18n.h>

#include "app/triad-view.h"
#include "app/triad-window-private.h"

/* The figures' text at scale on every page that has it. */
static void
set_pages_font_scale (TriadWindow *self,
                      double       scale)
{
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->stack)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *page = triad_window_ensure_page (self, c);

      if (g_object_class_find_property (G_OBJECT_GET_CLASS (page), "font-scale") != NULL)
        g_object_set (page, "font-scale", scale, NULL);
    }
}

static gboolean
hide_hint (gpointer data)
{
  TriadWindow *self = data;

  gtk_revealer_set_reveal_child (self->present_hint, FALSE);
  self->hint_id = 0;
  return G_SOURCE_REMOVE;
}

static void
presentation_scale_changed (TriadWindow *self)
{
  double scale = g_settings_get_double (self->settings, "presentation-scale");
  /* the headings keep their rank over the text, as the theme sizes them (title-1 … title-4) */
  static const struct { const char *selector; double times; } sizes[] = {
    { "*", 1.0 }, { ".title-1", 1.8 }, { ".title-2", 1.45 }, { ".title-3", 1.25 },
    { ".title-4", 1.15 },
  };
  g_autoptr(GString) css = g_string_new (NULL);

  if (!self->presenting)
    return;
  /* the interface's type and the figures' grow together; CSS numbers have a full stop, whatever
   * the locale writes (16,5pt is no size, and the rule would be dropped) */
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      char points[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (points, sizeof points, "%.1f", 11.0 * scale * sizes[i].times);
      g_string_append_printf (css, "window.presentation %s { font-size: %spt; }\n",
                              sizes[i].selector, points);
    }
#if GTK_CHECK_VERSION (4, 12, 0)
  gtk_css_provider_load_from_string (self->present_css, css->str);
#else
  gtk_css_provider_load_from_data (self->present_css, css->str, -1);
#endif
  set_pages_font_scale (self, scale);
}

void
triad_window_set_presenting (TriadWindow *self,
                             gboolean     presenting)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "present");

  if (self->presenting == presenting)
    return;
  self->presenting = presenting;
  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (presenting));
  /* the title bar is the window's, not the template's to keep: no pointer to it is held */
  gtk_widget_set_visible (gtk_window_get_titlebar (GTK_WINDOW (self)), !presenting);
  gtk_widget_set_visible (GTK_WIDGET (self->spotlight), presenting);
  gtk_widget_set_visible (self->blank, FALSE);
  if (presenting)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "presentation");
      gtk_window_fullscreen (GTK_WINDOW (self));
      presentation_scale_changed (self);
      gtk_revealer_set_reveal_child (self->present_hint, TRUE);
      g_clear_handle_id (&self->hint_id, g_source_remove);
      self->hint_id = g_timeout_add_seconds (4, hide_hint, self);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "presentation");
      gtk_window_unfullscreen (GTK_WINDOW (self));
#if GTK_CHECK_VERSION (4, 12, 0)
      gtk_css_provider_load_from_string (self->present_css, "");
#else
      gtk_css_provider_load_from_data (self->present_css, "", -1);
#endif
      set_pages_font_scale (self, g_settings_get_double (self->settings, "figure-scale"));
      gtk_revealer_set_reveal_child (self->present_hint, FALSE);
    }
}

gboolean
triad_window_get_presenting (TriadWindow *self)
{
  return self->presenting;
}

void
triad_window_present_action (GSimpleAction *action,
                             GVariant      *state,
                             gpointer       user_data)
{
  triad_window_set_presenting (TRIAD_WINDOW (user_data), g_variant_get_boolean (state));
}

/* The next or previous view, as the next or previous slide; ends hold. */
void
triad_window_step_view (TriadWindow *self,
                        int          delta)
{
  GtkWidget *current = gtk_stack_get_visible_child (self->stack), *target = current;

  if (delta == G_MAXINT || delta == G_MININT)
    target = delta > 0 ? gtk_widget_get_last_child (GTK_WIDGET (self->stack))
                       : gtk_widget_get_first_child (GTK_WIDGET (self->stack));
  else
    for (int i = 0; i < ABS (delta) && target != NULL; i++)
      {
        GtkWidget *next = delta > 0 ? gtk_widget_get_next_sibling (target)
                                    : gtk_widget_get_prev_sibling (target);
        if (next == NULL)
          break;
        target = next;
      }
  if (target != NULL && target != current)
    gtk_stack_set_visible_child (self->stack, target);
}

/* The talk's keys, ahead of whatever has the focus while presenting. */
static gboolean
present_key (GtkEventControllerKey *controller,
             guint                  keyval,
             guint                  keycode,
             GdkModifierType        state,
             TriadWindow           *self)
{
  gboolean blanked = gtk_widget_get_visible (self->blank);

  if (keyval == GDK_KEY_F5)
    {
      triad_window_set_presenting (self, !self->presenting);
      return TRUE;
    }
  if (!self->presenting || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;
  /* Shift with an arrow, Home, End or a page key walks a figure's cells (triad-scene-view.c) */
  if ((state & GDK_SHIFT_MASK) != 0 && keyval != GDK_KEY_B && keyval != GDK_KEY_space)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Escape:
      if (blanked)
        gtk_widget_activate_action (GTK_WIDGET (self), "win.blank", NULL);
      else
        triad_window_set_presenting (self, FALSE);
      return TRUE;
    case GDK_KEY_b:
    case GDK_KEY_B:
    case GDK_KEY_period:
      gtk_widget_activate_action (GTK_WIDGET (self), "win.blank", NULL);
      return TRUE;
    case GDK_KEY_space:
      /* a page that plays (the Training view's run) starts and pauses on Space */
      if (triad_window_get_page (self) != NULL
          && gtk_widget_activate_action (triad_window_get_page (self), "view.play", NULL))
        return TRUE;
      G_GNUC_FALLTHROUGH;
    case GDK_KEY_Right:
    case GDK_KEY_Left:
      gtk_widget_activate_action (GTK_WIDGET (self), "win.step", "i", keyval == GDK_KEY_Left ? -1 : 1);
      return TRUE;
    case GDK_KEY_Page_Down:
      gtk_widget_activate_action (GTK_WIDGET (self), "win.next-view", NULL);
      return TRUE;
    case GDK_KEY_Page_Up:
      gtk_widget_activate_action (GTK_WIDGET (self), "win.previous-view", NULL);
      return TRUE;
    case GDK_KEY_Home:
      gtk_widget_activate_action (GTK_WIDGET (self), "win.first-view", NULL);
      return TRUE;
    case GDK_KEY_End:
      gtk_widget_activate_action (GTK_WIDGET (self), "win.last-view", NULL);
      return TRUE;
    default:
      return FALSE;
    }
}

void
triad_window_view_step_action (GSimpleAction *action,
                               GVariant      *param,
                               gpointer       user_data)
{
  TriadWindow *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));

  if (g_str_equal (name, "next-view"))
    triad_window_step_view (self, 1);
  else if (g_str_equal (name, "previous-view"))
    triad_window_step_view (self, -1);
  else if (g_str_equal (name, "first-view"))
    triad_window_step_view (self, G_MININT);
  else
    triad_window_step_view (self, G_MAXINT);
}

void
triad_window_blank_action (GSimpleAction *action,
                           GVariant      *param,
                           gpointer       user_data)
{
  TriadWindow *self = user_data;

  gtk_widget_set_visible (self->blank, !gtk_widget_get_visible (self->blank));
}

gboolean
triad_window_get_blanked (TriadWindow *self)
{
  return gtk_widget_get_visible (self->blank);
}

static void
pointer_moved (GtkEventControllerMotion *motion,
               double                    x,
               double                    y,
               TriadWindow              *self)
{
  graphene_point_t in, out;

  if (!self->presenting)
    return;
  /* the window's coordinates, in the overlay's */
  in = GRAPHENE_POINT_INIT (x, y);
  if (!gtk_widget_compute_point (GTK_WIDGET (self), GTK_WIDGET (self->spotlight), &in, &out))
    out = in;
  self->pointer_x = out.x;
  self->pointer_y = out.y;
  gtk_widget_queue_draw (GTK_WIDGET (self->spotlight));
}

/* A ring of light where the pointer is, so that the back of the room sees what is shown. */
static void
draw_spotlight (GtkDrawingArea *area,
                cairo_t        *cr,
                int             width,
                int             height,
                gpointer        data)
{
  TriadWindow *self = data;
  double r = 44.0 * g_settings_get_double (self->settings, "presentation-scale");
  cairo_pattern_t *glow;

  if (self->pointer_x < 0 || self->pointer_y < 0)
    return;
  glow = cairo_pattern_create_radial (self->pointer_x, self->pointer_y, 0,
                                      self->pointer_x, self->pointer_y, r);
  cairo_pattern_add_color_stop_rgba (glow, 0.0, 1.0, 0.85, 0.0, 0.0);
  cairo_pattern_add_color_stop_rgba (glow, 0.7, 1.0, 0.85, 0.0, 0.18);
  cairo_pattern_add_color_stop_rgba (glow, 1.0, 1.0, 0.6, 0.0, 0.0);
  cairo_set_source (cr, glow);
  cairo_arc (cr, self->pointer_x, self->pointer_y, r, 0, 2 * G_PI);
  cairo_fill (cr);
  cairo_pattern_destroy (glow);
  cairo_set_source_rgba (cr, 0.95, 0.45, 0.0, 0.9);
  cairo_set_line_width (cr, 3.0);
  cairo_arc (cr, self->pointer_x, self->pointer_y, r * 0.7, 0, 2 * G_PI);
  cairo_stroke (cr);
}

void
triad_window_present_setup (TriadWindow *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (present_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  gtk_event_controller_set_propagation_phase (motion, GTK_PHASE_CAPTURE);
  g_signal_connect (motion, "motion", G_CALLBACK (pointer_moved), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_drawing_area_set_draw_func (self->spotlight, draw_spotlight, self, NULL);
  self->pointer_x = self->pointer_y = -1;
  self->present_css = gtk_css_provider_new ();
  gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                              GTK_STYLE_PROVIDER (self->present_css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
  g_signal_connect_swapped (self->settings, "changed::presentation-scale",
                            G_CALLBACK (presentation_scale_changed), self);
}

void
triad_window_present_dispose (TriadWindow *self)
{
  if (self->present_css != NULL)
    {
      gtk_style_context_remove_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                     GTK_STYLE_PROVIDER (self->present_css));
      g_clear_object (&self->present_css);
    }
}
