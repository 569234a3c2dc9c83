/* triad-view.h — what every page of the window does: take the window's input, compute in the
 * background, say when it is busy or has failed, draw its figure for export, and step. */
#pragma once

#include <gtk/gtk.h>

#include "app/triad-application.h"
#include "figures/figures.h"

G_BEGIN_DECLS

#define TRIAD_TYPE_VIEW (triad_view_get_type ())

G_DECLARE_INTERFACE (TriadView, triad_view, TRIAD, VIEW, GtkWidget)

struct _TriadViewInterface
{
  GTypeInterface parent_iface;

  /* The input changed or the page came into view. The page takes the models it needs from
   * app (model is the id chosen in the header bar, see triad-application.h; a page shows
   * others where that one's architecture does not fit) and computes in the background; it
   * keeps its previous figure until done, and if it fails. */
  void     (*set_input)  (TriadView        *self,
                          TriadApplication *app,
                          const char       *model,
                          const char       *text);
  /* The figure to export, as on screen: its size in logical pixels, FALSE if none yet. */
  gboolean (*get_figure_size) (TriadView   *self,
                               double      *width,
                               double      *height);
  /* Draws that figure into cr (the background already painted). */
  void     (*draw_figure) (TriadView       *self,
                           cairo_t         *cr,
                           double           width,
                           double           height);
  /* ← and →: the next or previous token, step or position; NULL where nothing steps. */
  void     (*step)       (TriadView        *self,
                          int               delta);
  /* Optional: the figure in a style other than the theme's (an export on white, say). */
  void     (*draw_figure_with_style) (TriadView              *self,
                                      cairo_t                *cr,
                                      const TriadFigureStyle *style,
                                      double                  width,
                                      double                  height);
  /* Optional: builds the figure's words again in the language gettext now speaks. */
  void     (*relabel)    (TriadView        *self);
};

void     triad_view_set_input       (TriadView        *self,
                                     TriadApplication *app,
                                     const char       *model,
                                     const char       *text);
gboolean triad_view_get_figure_size (TriadView        *self,
                                     double           *width,
                                     double           *height);
void     triad_view_draw_figure     (TriadView        *self,
                                     cairo_t          *cr,
                                     double            width,
                                     double            height);
void     triad_view_step            (TriadView        *self,
                                     int               delta);
/* Draws with style where the view can; FALSE when it only draws in the theme's. */
gboolean triad_view_draw_figure_with_style (TriadView              *self,
                                            cairo_t                *cr,
                                            const TriadFigureStyle *style,
                                            double                  width,
                                            double                  height);
void     triad_view_relabel         (TriadView        *self);
/* The "busy" property every view has: TRUE while it computes. */
gboolean triad_view_get_busy        (TriadView        *self);
/* Emits "failed" with a message for the window to show. */
void     triad_view_failed          (TriadView        *self,
                                     const char       *message);

/* Helpers the views share. */

/* "Layer 0", "Layer 1", … (format takes the number) for a drop-down, after first if not NULL. */
GtkStringList *triad_numbered_list          (const char  *first,
                                             const char  *format,
                                             int          n);
/* The number of items in a drop-down's model, 0 without one. */
guint          triad_drop_down_n_items      (GtkDropDown *dropdown);
/* Binds an enum property of object to the drop-down's selection, both ways: the drop-down's
 * items are the enum's values in their order. */
GBinding      *triad_bind_enum_drop_down    (gpointer     object,
                                             const char  *property,
                                             GtkDropDown *dropdown);
/* Binds a string property of object to the drop-down's selection, both ways: entry i is
 * ids[i] (n of them); a value not among them selects nothing. */
GBinding      *triad_bind_choice_drop_down  (gpointer            object,
                                             const char         *property,
                                             GtkDropDown        *dropdown,
                                             const char * const *ids,
                                             guint               n);
/* Binds an int property of object (a layer, a head) to a drop-down of numbered entries, both
 * ways: entry i is the value i + offset (offset -1: a first entry stands for -1, such as the
 * mean of the heads). Give the drop-down its entries with triad_drop_down_set_numbered. */
GBinding      *triad_bind_numbered_drop_down (gpointer     object,
                                              const char  *property,
                                              GtkDropDown *dropdown,
                                              int          offset);
/* Gives the drop-down triad_numbered_list (first, format, n) when it holds another number of
 * entries, and selects its bound property's value again: a new list selects its first entry,
 * which is no choice of the user's. */
void           triad_drop_down_set_numbered  (GtkDropDown *dropdown,
                                              const char  *first,
                                              const char  *format,
                                              int          n);
/* A computation's outcome under the view's figure: a message shown in the label and "failed"
 * emitted (the figure before stays), or, with NULL, the label hidden again. */
void           triad_view_report            (TriadView   *view,
                                             GtkLabel    *message,
                                             const char  *text);
/* For a view's dispose, after gtk_widget_dispose_template (): GTK 4.8 unparents only a
 * template's named children, and leaves its unnamed root box. */
void           triad_view_unparent_children (GtkWidget   *widget);

G_END_DECLS
