/* triad-cross-stepping.c — the Cross-attention page's stepping through the decoded target:
 * the position and its label, the Back, Play and Forward buttons and the playback's timer,
 * the layer and head steps of view.next-layer and its kin, the lit tokens moved by [ and ],
 * and the keys that do all that while the page has the focus. */
#include "config.h"

#include <glib/gi18n.h>

#include "app/triad-cross-page-private.h"

#define PLAY_INTERVAL_MS 700

void
triad_cross_page_update_position (TriadCrossPage *self)
{
  int n = triad_cross_page_get_n_positions (self);
  g_autofree char *text = NULL;

  if (n > 0)
    /* TRANSLATORS: the decoding position, e.g. "3 of 6 target tokens" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d of %d target token",
                                         "%d of %d target tokens", n), self->position, n);
  gtk_label_set_text (self->position_label, text != NULL ? text : "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->back_button), n > 0 && self->position > 1);
  gtk_widget_set_sensitive (GTK_WIDGET (self->forward_button), n > 0 && self->position < n);
  gtk_widget_set_sensitive (GTK_WIDGET (self->play_button), n > 1);
}

void
triad_cross_page_set_position (TriadCrossPage *self,
                               int             position)
{
  int n = triad_cross_page_get_n_positions (self);

  if (n <= 0)
    return;
  position = CLAMP (position, 1, n);
  if (position == self->position)
    return;
  self->position = position;
  /* a token not decoded yet cannot stay lit */
  if (self->lit.hover.tgt >= position)
    self->lit.hover.tgt = -1;
  if (self->lit.cell_panel != TRIAD_CROSS_PANEL_ENCODER && self->lit.cell_row >= position)
    self->lit.cell_panel = TRIAD_CROSS_N_PANELS;
  g_object_notify_by_pspec (G_OBJECT (self), triad_cross_page_properties[PROP_POSITION]);
  triad_cross_page_refresh (self);
}

void
triad_cross_page_step (TriadCrossPage *self,
                       int             delta)
{
  g_return_if_fail (TRIAD_IS_CROSS_PAGE (self));

  triad_cross_page_set_position (self, self->position + delta);
}

static gboolean
play_tick (gpointer data)
{
  TriadCrossPage *self = data;

  triad_cross_page_step (self, 1);
  if (self->position < triad_cross_page_get_n_positions (self))
    return G_SOURCE_CONTINUE;
  /* at the end: the source goes with this return */
  self->play_id = 0;
  triad_cross_page_set_playing (self, FALSE);
  return G_SOURCE_REMOVE;
}

void
triad_cross_page_set_playing (TriadCrossPage *self,
                              gboolean        playing)
{
  gboolean was = self->playing;

  playing = playing && triad_cross_page_get_n_positions (self) > 1;
  self->playing = playing;
  if (playing && !was)
    {
      /* from the start when at the end */
      if (self->position >= triad_cross_page_get_n_positions (self))
        triad_cross_page_set_position (self, 1);
      self->play_id = g_timeout_add (PLAY_INTERVAL_MS, play_tick, self);
    }
  else if (!playing)
    g_clear_handle_id (&self->play_id, g_source_remove);
  self->syncing = TRUE;
  gtk_toggle_button_set_active (self->play_button, playing);
  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            playing ? "media-playback-pause-symbolic"
                                    : "media-playback-start-symbolic");
  self->syncing = FALSE;
  if (playing != was)
    g_object_notify_by_pspec (G_OBJECT (self), triad_cross_page_properties[PROP_PLAYING]);
}

/* [ and ]: the previous or next target token lit; with Shift, the source tokens. A target
 * and a source token lit together meet in a cell of the cross-attention. */
static void
move_token (TriadCrossPage *self,
            gboolean        source,
            int             delta)
{
  TriadCrossOptions lit;
  int n, cur;

  if (self->scene == NULL)
    return;
  n = source ? triad_cross_scene_view (self->scene)->src->n
             : CLAMP (self->position, 0, triad_cross_page_get_n_positions (self));
  if (n <= 0)
    return;
  triad_cross_options_init (&lit);
  lit.hover = self->lit.hover;
  cur = source ? lit.hover.src : lit.hover.tgt;
  cur = cur < 0 ? (delta > 0 ? 0 : n - 1) : CLAMP (cur + delta, 0, n - 1);
  if (source)
    lit.hover.src = cur;
  else
    lit.hover.tgt = cur;
  lit.pair_panel = 1;
  lit.pair_row = lit.hover.tgt;
  lit.pair_col = lit.hover.src;
  triad_cross_page_set_lit (self, &lit);
}

static void
back_clicked (GtkButton      *button,
              TriadCrossPage *self)
{
  triad_cross_page_set_playing (self, FALSE);
  triad_cross_page_step (self, -1);
}

static void
forward_clicked (GtkButton      *button,
                 TriadCrossPage *self)
{
  triad_cross_page_set_playing (self, FALSE);
  triad_cross_page_step (self, 1);
}

static void
play_toggled (GtkToggleButton *button,
              TriadCrossPage  *self)
{
  if (!self->syncing)
    triad_cross_page_set_playing (self, gtk_toggle_button_get_active (button));
}

static void
step_layer (TriadCrossPage *self,
            int             delta)
{
  if (self->encdec != NULL)
    g_object_set (self, "layer",
                  CLAMP (self->layer + delta, 0, self->encdec->config.n_dec_layers - 1), NULL);
}

/* The heads of the cross-attention, then their average (-1), round. */
static void
step_head (TriadCrossPage *self,
           int             delta)
{
  int n;

  if (self->encdec == NULL)
    return;
  n = self->encdec->config.n_heads + 1;
  g_object_set (self, "head", (self->head + 1 + delta + n) % n - 1, NULL);
}

/* view.next-layer, view.previous-layer, view.next-head and view.previous-head: the window's
 * win.* of the same names forward here, to whichever page is in sight. */
static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TriadCrossPage *self = TRIAD_CROSS_PAGE (widget);
  int delta = g_str_has_prefix (action_name, "view.next-") ? 1 : -1;

  if (g_str_has_suffix (action_name, "-layer"))
    step_layer (self, delta);
  else
    step_head (self, delta);
}

static gboolean
key_binding (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  TriadCrossPage *self = TRIAD_CROSS_PAGE (widget);
  const char *what;
  int delta;

  g_variant_get (args, "(&si)", &what, &delta);
  if (g_str_equal (what, "step"))
    {
      triad_cross_page_set_playing (self, FALSE);
      triad_cross_page_step (self, delta);
    }
  else if (g_str_equal (what, "end"))
    {
      triad_cross_page_set_playing (self, FALSE);
      triad_cross_page_set_position (self, delta < 0 ? 1 : triad_cross_page_get_n_positions (self));
    }
  else if (g_str_equal (what, "play"))
    triad_cross_page_set_playing (self, !self->playing);
  else if (g_str_equal (what, "layer"))
    step_layer (self, delta);
  else if (g_str_equal (what, "target-token"))
    move_token (self, FALSE, delta);
  else if (g_str_equal (what, "source-token"))
    move_token (self, TRUE, delta);
  return TRUE;
}

void
triad_cross_stepping_class_init (GtkWidgetClass *widget_class)
{
  const struct { guint key; GdkModifierType mods; const char *what; int delta; } keys[] = {
    { GDK_KEY_Right, 0, "step", 1 },
    { GDK_KEY_Left, 0, "step", -1 },
    { GDK_KEY_Home, 0, "end", -1 },
    { GDK_KEY_End, 0, "end", 1 },
    { GDK_KEY_space, 0, "play", 0 },
    { GDK_KEY_Down, 0, "layer", 1 },
    { GDK_KEY_Up, 0, "layer", -1 },
    { GDK_KEY_bracketright, 0, "target-token", 1 },
    { GDK_KEY_bracketleft, 0, "target-token", -1 },
    { GDK_KEY_braceright, GDK_SHIFT_MASK, "source-token", 1 },
    { GDK_KEY_braceleft, GDK_SHIFT_MASK, "source-token", -1 },
  };

  gtk_widget_class_bind_template_callback (widget_class, back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, forward_clicked);
  gtk_widget_class_bind_template_callback (widget_class, play_toggled);
  gtk_widget_class_install_action (widget_class, "view.next-layer", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "view.previous-layer", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "view.next-head", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "view.previous-head", NULL, step_action);

  /* while the view has the focus (and the focused control does not take the key itself) */
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_widget_class_add_binding (widget_class, keys[i].key, keys[i].mods, key_binding, "(si)",
                                  keys[i].what, keys[i].delta);
}
