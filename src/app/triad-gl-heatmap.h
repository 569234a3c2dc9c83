/* triad-gl-heatmap.h — the heatmap for long inputs: the matrix is a float texture, the colour
 * map is applied in a shader, and the view zooms (Ctrl+scroll, pinch) and pans (drag) over
 * thousands of tokens; token labels appear once they are large enough to read. The cell under
 * the pointer, or walked to with the keyboard, is outlined and announced by the "cell" signal,
 * for the page's readout and the description a screen reader reads. */
#pragma once

#include <gtk/gtk.h>

#include "figures/figures.h"

G_BEGIN_DECLS

#define TRIAD_TYPE_GL_HEATMAP (triad_gl_heatmap_get_type ())

G_DECLARE_FINAL_TYPE (TriadGlHeatmap, triad_gl_heatmap, TRIAD, GL_HEATMAP, GtkWidget)

GtkWidget *triad_gl_heatmap_new        (void);
/* The matrix and its labels, copied. */
void       triad_gl_heatmap_set_matrix (TriadGlHeatmap     *self,
                                        const float        *weights,
                                        int                 n_q,
                                        int                 n_k,
                                        const char * const *q_labels,
                                        const char * const *k_labels,
                                        TriadColormap       cmap,
                                        TriadNormalization  norm);
/* Whether GL works here; when it does not, the caller shows the Cairo figure instead. */
gboolean   triad_gl_heatmap_is_usable  (TriadGlHeatmap     *self);
/* Zoom: 1 shows the whole matrix. The centre is a fraction of the matrix, 0…1 on each axis. */
void       triad_gl_heatmap_set_view   (TriadGlHeatmap     *self,
                                        double              zoom,
                                        double              center_x,
                                        double              center_y);
double     triad_gl_heatmap_get_zoom   (TriadGlHeatmap     *self);
/* Frames drawn so far. */
guint      triad_gl_heatmap_get_frames (TriadGlHeatmap     *self);
/* What a screen reader says of the figure: the page's description of it, or of the cell lit. */
void       triad_gl_heatmap_set_description (TriadGlHeatmap *self,
                                             const char     *text);
/* The cell lit by the pointer or the keyboard (Shift with the arrows, Home, End; Escape puts it
 * out); -1, -1 for none. The "cell" signal (int query, int key) says when it changes. */
void       triad_gl_heatmap_get_cell   (TriadGlHeatmap     *self,
                                        int                *q,
                                        int                *k);
/* For the benchmark: wait for the GPU at the end of each frame and record how long the frame
 * took, in microseconds, into times (an array of gint64). */
void       triad_gl_heatmap_set_timing (TriadGlHeatmap     *self,
                                        GArray             *times);

G_END_DECLS
