/* triad-window-private.h — what the window's files share: its fields, and the parts of it that
 * live in triad-window-actions.c (the win.* actions), triad-window-export.c (the export dialog,
 * copy, export of every view) and triad-window-present.c (presentation mode). */
#pragma once

#include <gtk/gtk.h>

#include "app/triad-attention-page.h"
#include "app/triad-window.h"

G_BEGIN_DECLS

typedef struct _TriadWindowExportJob TriadWindowExportJob;

struct _TriadWindow
{
  GtkApplicationWindow  parent_instance;

  GtkMenuButton        *model_button;
  GtkEntry             *text_entry;
  GtkMenuButton        *examples_button;
  GtkMenuButton        *vocabulary_button;
  GtkRevealer          *edge_bar;
  GtkLabel             *edge_label;
  GtkSpinner           *spinner;
  GtkStack             *stack;
  TriadAttentionPage   *attention_page;   /* built with the window: its state backs actions */
  GtkRevealer          *toast;
  GtkLabel             *toast_label;
  GtkDrawingArea       *spotlight;
  GtkWidget            *blank;
  GtkRevealer          *present_hint;

  GSettings            *settings;
  gboolean              layer_head_restored;  /* "layer" and "head" applied to the page */
  gboolean              restoring;
  char                 *model_id;           /* triad-application.h's id of the model in use */
  TriadArch             arch;               /* its architecture */
  char                 *previous_id;        /* the one before, which a failed load gives back */
  TriadArch             previous_arch;
  guint                 debounce_id;
  guint                 toast_id;
  guint                 hint_id;
  gboolean              presenting;
  double                pointer_x;
  double                pointer_y;
  GtkCssProvider       *present_css;
  TriadWindowExportJob *export_job;        /* every view into a folder; dispose cancels it */
};

/* triad-window.c */

/* The view in a slot of the stack, built now if it has not been; NULL for a NULL slot. */
GtkWidget *triad_window_ensure_page       (TriadWindow *self,
                                           GtkWidget   *slot);
void       triad_window_show_toast        (TriadWindow *self,
                                           const char  *text);
/* The model of that id (a shipped name or a model folder) for every view. A folder whose
 * config.json Triad cannot read is refused at once: the toast says why, and FALSE. */
gboolean   triad_window_select_model      (TriadWindow *self,
                                           const char  *id);

/* triad-window-models.c: the model chooser and win.open-model */

void       triad_window_models_setup      (TriadWindow *self);
void       triad_window_update_model_button (TriadWindow *self);
void       triad_window_open_model_action (GSimpleAction *action,
                                           GVariant      *param,
                                           gpointer       user_data);

/* triad-window-actions.c */

void       triad_window_add_actions       (TriadWindow *self);
void       triad_window_make_vocabulary   (GtkMenuButton *button,
                                           gpointer       user_data);

/* triad-window-export.c: the actions, and the export of every view cancelled */

void       triad_window_export_action     (GSimpleAction *action,
                                           GVariant      *param,
                                           gpointer       user_data);
void       triad_window_copy_action       (GSimpleAction *action,
                                           GVariant      *param,
                                           gpointer       user_data);
void       triad_window_export_all_action (GSimpleAction *action,
                                           GVariant      *param,
                                           gpointer       user_data);
void       triad_window_export_dispose    (TriadWindow   *self);

/* triad-window-present.c */

void       triad_window_present_action    (GSimpleAction *action,
                                           GVariant      *state,
                                           gpointer       user_data);
void       triad_window_view_step_action  (GSimpleAction *action,
                                           GVariant      *param,
                                           gpointer       user_data);
void       triad_window_blank_action      (GSimpleAction *action,
                                           GVariant      *param,
                                           gpointer       user_data);
/* The keys of the talk, the spotlight and the presentation's style sheet. */
void       triad_window_present_setup     (TriadWindow   *self);
void       triad_window_present_dispose   (TriadWindow   *self);

G_END_DECLS
