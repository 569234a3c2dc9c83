/* triad-toolbar.h — a page's row of controls that never runs past the window's edge: what does
 * not fit, from the end of the row, waits behind a "⋯" button whose popover holds those very
 * controls while it is open. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TRIAD_TYPE_TOOLBAR (triad_toolbar_get_type ())

G_DECLARE_FINAL_TYPE (TriadToolbar, triad_toolbar, TRIAD, TOOLBAR, GtkWidget)

GtkWidget      *triad_toolbar_new             (void);
void            triad_toolbar_append          (TriadToolbar *self,
                                               GtkWidget    *child);
/* The "⋯" button: shown only while some control does not fit. */
GtkMenuButton  *triad_toolbar_get_overflow    (TriadToolbar *self);
/* How many shown controls do not fit at the last allocation (empty spacers not counted). */
guint           triad_toolbar_get_n_overflown (TriadToolbar *self);
/* Whether child is one of the row's controls that did not fit at the last allocation. */
gboolean        triad_toolbar_is_overflown    (TriadToolbar *self,
                                               GtkWidget    *child);

G_END_DECLS
