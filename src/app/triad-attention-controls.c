/* triad-attention-controls.c — the Attention page's controls: the kind list put in step with
 * the page's state and setting it, the layer and head lists given the model's entries, the
 * layer and head steps of view.next-layer and its kin, and the arrows that step while the
 * page has the focus. The layer and head lists, the mode and lines buttons and the colour-map
 * and normalisation lists are bound to their properties (the template,
 * triad_attention_page_init). */
#include "config.h"

#include <glib/gi18n.h>

#include "app/triad-attention-page-private.h"
#include "app/triad-view.h"

/* Puts the controls in step with the state, without their signals feeding back. */
void
triad_attention_page_sync_controls (TriadAttentionPage *self)
{
  self->syncing = TRUE;
  if (self->model != NULL)
    {
      guint kind_index = 0;

      /* the lists are bound to the layer and head (triad_attention_page_init) */
      triad_drop_down_set_numbered (self->layer_dropdown, NULL, _("Layer %d"), self->n_layers);
      triad_drop_down_set_numbered (self->head_dropdown, NULL, _("Head %d"), self->n_heads);
      for (guint i = 0; i < G_N_ELEMENTS (triad_attention_kind_ids); i++)
        if (g_strcmp0 (self->kind, triad_attention_kind_ids[i]) == 0)
          kind_index = i;
      gtk_drop_down_set_selected (self->kind_dropdown, kind_index);
      gtk_widget_set_visible (GTK_WIDGET (self->kind_dropdown),
                              self->model->config.arch == TRIAD_ARCH_ENCDEC);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->head_dropdown), self->mode == TRIAD_ATTENTION_SINGLE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->lines_button), self->mode != TRIAD_ATTENTION_GRID);
  self->syncing = FALSE;
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

static void
kind_selected (GtkDropDown        *dd,
               GParamSpec         *pspec,
               TriadAttentionPage *self)
{
  guint i = gtk_drop_down_get_selected (dd);

  if (!self->syncing && i < G_N_ELEMENTS (triad_attention_kind_ids))
    g_object_set (self, "kind", triad_attention_kind_ids[i], NULL);
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
  gtk_widget_class_bind_template_callback (widget_class, kind_selected);
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
