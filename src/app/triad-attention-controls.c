/* triad-attention-controls.c — the Attention page's controls: the layer and head lists given
 * the model's entries, the kind list shown for the encoder-decoder alone, the layer and head
 * steps of view.next-layer and its kin, and the arrows that step while the page has the
 * focus. The kind, layer and head lists, the mode and lines buttons and the colour-map and
 * normalisation lists are bound to their properties (the template,
 * triad_attention_page_init). */
#include "config.h"

#include <glib/gi18n.h>

#include "app/triad-attention-page-private.h"
#include "app/triad-view.h"

/* Gives the lists the model's entries, and shows the controls the state allows. */
void
triad_attention_page_sync_controls (TriadAttentionPage *self)
{
  if (self->model != NULL)
    {
      /* the lists are bound to the kind, the layer and the head (triad_attention_page_init) */
      triad_drop_down_set_numbered (self->layer_dropdown, NULL, _("Layer %d"), self->n_layers);
      triad_drop_down_set_numbered (self->head_dropdown, NULL, _("Head %d"), self->n_heads);
      gtk_widget_set_visible (GTK_WIDGET (self->kind_dropdown),
                              self->model->config.arch == TRIAD_ARCH_ENCDEC);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->head_dropdown), self->mode == TRIAD_ATTENTION_SINGLE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->lines_button), self->mode != TRIAD_ATTENTION_GRID);
}

void
triad_attention_page_step_layer (TriadAttentionPage *self,
                                 int                 delta)
{
  if (self->n_layers > 0)
    g_object_set (self, "layer", CLAMP (self->layer + delta, 0, self->n_layers - 1), NULL);
}

void
triad_attention_page_step_head (TriadAttentionPage *self,
                                int                 delta)
{
  if (self->n_heads > 0)
    g_object_set (self, "head", CLAMP (self->head + delta, 0, self->n_heads - 1), NULL);
}

static gboolean
step_binding (GtkWidget *widget,
              GVariant  *args,
              gpointer   user_data)
{
  TriadAttentionPage *self = TRIAD_ATTENTION_PAGE (widget);
  const char *what;
  int delta;

  g_variant_get (args, "(&si)", &what, &delta);
  if (g_str_equal (what, "layer"))
    triad_attention_page_step_layer (self, delta);
  else
    triad_attention_page_step_head (self, delta);
  return TRUE;
}

/* view.next-layer, view.previous-layer, view.next-head and view.previous-head: the window's
 * win.* of the same names forward here, to whichever page is in sight. */
static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TriadAttentionPage *self = TRIAD_ATTENTION_PAGE (widget);
  int delta = g_str_has_prefix (action_name, "view.next-") ? 1 : -1;

  if (g_str_has_suffix (action_name, "-layer"))
    triad_attention_page_step_layer (self, delta);
  else
    triad_attention_page_step_head (self, delta);
}

void
triad_attention_controls_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "view.next-layer", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "view.previous-layer", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "view.next-head", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "view.previous-head", NULL, step_action);

  /* arrows move between heads and layers while the view has the focus */
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Right, 0, step_binding, "(si)", "head", 1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Left, 0, step_binding, "(si)", "head", -1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Down, 0, step_binding, "(si)", "layer", 1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Up, 0, step_binding, "(si)", "layer", -1);
}
