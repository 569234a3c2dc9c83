/* triad-gl-heatmap.c — a GtkGLArea with libepoxy under a Cairo layer for the labels. */
#include "config.h"

#include <math.h>
#include <epoxy/gl.h>
#include <glib/gi18n.h>

#include "app/triad-gl-heatmap.h"

#define LABEL_MARGIN_LEFT 96.0
#define LABEL_MARGIN_TOP 72.0
#define MIN_LABEL_CELL 11.0     /* pixels a cell needs before its token label is drawn */
#define MAX_ZOOM 512.0

struct _TriadGlHeatmap
{
  GtkWidget       parent_instance;

  GtkWidget      *overlay;
  GtkGLArea      *area;
  GtkDrawingArea *labels;

  float          *values;       /* (n_q, n_k) normalised to 0…1 */
  int             n_q, n_k;
  char          **q_labels, **k_labels;
  TriadColormap   cmap;
  gboolean        dirty;         /* the texture needs uploading */

  double          zoom, cx, cy;  /* the view */
  double          drag_cx, drag_cy;
  double          pinch_zoom;
  double          pointer_x, pointer_y;   /* over the GL area, for zooming about it */
  int             cell_q, cell_k;          /* the cell lit; -1: none */

  GLuint          program, vao, vbo, matrix_tex, cmap_tex;
  GLint           u_view, u_matrix, u_cmap;
  gboolean        gl_failed;
  guint           frames;
  GArray         *times;         /* frame times for the benchmark, or NULL */
};

G_DEFINE_FINAL_TYPE (TriadGlHeatmap, triad_gl_heatmap, GTK_TYPE_WIDGET)

enum {
  GL_FAILED,       /* GL cannot be used here: the owner shows the Cairo figure instead */
  CELL,            /* the cell lit changed: (query, key), -1 for none */
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
fail (TriadGlHeatmap *self)
{
  if (self->gl_failed)
    return;
  self->gl_failed = TRUE;
  g_signal_emit (self, signals[GL_FAILED], 0);
}

GtkWidget *
triad_gl_heatmap_new (void)
{
  return g_object_new (TRIAD_TYPE_GL_HEATMAP, NULL);
}

gboolean
triad_gl_heatmap_is_usable (TriadGlHeatmap *self)
{
  return !self->gl_failed;
}

guint
triad_gl_heatmap_get_frames (TriadGlHeatmap *self)
{
  return self->frames;
}

double
triad_gl_heatmap_get_zoom (TriadGlHeatmap *self)
{
  return self->zoom;
}

/* The visible part of the matrix, as fractions: [x0, x0 + w) × [y0, y0 + h). At zoom 1 the
 * whole matrix fits the shorter side of the area and its cells are square; the rest of the
 * area stays empty. */
static void
visible_rect (TriadGlHeatmap *self,
              double         *x0,
              double         *y0,
              double         *w,
              double         *h)
{
  double aw = MAX (1, gtk_widget_get_width (GTK_WIDGET (self->area)));
  double ah = MAX (1, gtk_widget_get_height (GTK_WIDGET (self->area)));
  double side = MIN (aw, ah);

  *w = aw / side / self->zoom;
  *h = ah / side / self->zoom;
  *x0 = self->cx - *w / 2;
  *y0 = self->cy - *h / 2;
}

static void
clamp_view (TriadGlHeatmap *self)
{
  double x0, y0, w, h;

  self->zoom = CLAMP (self->zoom, 1.0, MAX_ZOOM);
  visible_rect (self, &x0, &y0, &w, &h);
  /* keep the matrix in view: centred while it is narrower than the view */
  self->cx = w >= 1.0 ? 0.5 : CLAMP (self->cx, w / 2, 1.0 - w / 2);
  self->cy = h >= 1.0 ? 0.5 : CLAMP (self->cy, h / 2, 1.0 - h / 2);
}

void
triad_gl_heatmap_set_view (TriadGlHeatmap *self,
                           double          zoom,
                           double          center_x,
                           double          center_y)
{
  self->zoom = zoom;
  self->cx = center_x;
  self->cy = center_y;
  clamp_view (self);
  gtk_gl_area_queue_render (self->area);
  gtk_widget_queue_draw (GTK_WIDGET (self->labels));
}

void
triad_gl_heatmap_set_matrix (TriadGlHeatmap     *self,
                             const float        *weights,
                             int                 n_q,
                             int                 n_k,
                             const char * const *q_labels,
                             const char * const *k_labels,
                             TriadColormap       cmap,
                             TriadNormalization  norm)
{
  double global_max = 0;
  size_t cells = (size_t) n_q * n_k;

  g_free (self->values);
  g_strfreev (self->q_labels);
  g_strfreev (self->k_labels);
  self->values = g_new (float, cells);
  self->n_q = n_q;
  self->n_k = n_k;
  self->q_labels = g_strdupv ((char **) q_labels);
  self->k_labels = g_strdupv ((char **) k_labels);
  self->cmap = cmap;

  for (size_t c = 0; c < cells; c++)
    global_max = MAX (global_max, weights[c]);
  for (int i = 0; i < n_q; i++)
    {
      const float *row = weights + (size_t) i * n_k;
      double row_max = 0;
      for (int j = 0; j < n_k; j++)
        row_max = MAX (row_max, row[j]);
      for (int j = 0; j < n_k; j++)
        self->values[(size_t) i * n_k + j] = triad_norm_apply (norm, row[j], row_max, global_max);
    }
  if (self->cell_q >= n_q || self->cell_k >= n_k)
    self->cell_q = self->cell_k = -1;
  self->dirty = TRUE;
  gtk_gl_area_queue_render (self->area);
  gtk_widget_queue_draw (GTK_WIDGET (self->labels));
}

void
triad_gl_heatmap_set_description (TriadGlHeatmap *self,
                                  const char     *text)
{
  g_return_if_fail (TRIAD_IS_GL_HEATMAP (self));

  if (text != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    text, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

void
triad_gl_heatmap_get_cell (TriadGlHeatmap *self,
                           int            *q,
                           int            *k)
{
  *q = self->cell_q;
  *k = self->cell_k;
}

static void
light_cell (TriadGlHeatmap *self,
            int             q,
            int             k)
{
  if (q == self->cell_q && k == self->cell_k)
    return;
  self->cell_q = q;
  self->cell_k = k;
  gtk_widget_queue_draw (GTK_WIDGET (self->labels));
  g_signal_emit (self, signals[CELL], 0, q, k);
}

/* ---- GL ------------------------------------------------------------------------------ */

static const char *vertex_src =
  "in vec2 pos;\n"
  "out vec2 uv;\n"
  "void main () {\n"
  "  uv = vec2 (pos.x * 0.5 + 0.5, 0.5 - pos.y * 0.5);\n"
  "  gl_Position = vec4 (pos, 0.0, 1.0);\n"
  "}\n";

/* The matrix texel under the view, through the colour map; outside the matrix, transparent. */
static const char *fragment_src =
  "uniform vec4 u_view;\n"
  "uniform sampler2D u_matrix;\n"
  "uniform sampler2D u_cmap;\n"
  "in vec2 uv;\n"
  "out vec4 color;\n"
  "void main () {\n"
  "  vec2 t = u_view.xy + uv * u_view.zw;\n"
  "  if (t.x < 0.0 || t.y < 0.0 || t.x >= 1.0 || t.y >= 1.0) { color = vec4 (0.0); return; }\n"
  "  float v = texture (u_matrix, t).r;\n"
  "  color = vec4 (texture (u_cmap, vec2 (clamp (v, 0.0, 1.0) * (255.0 / 256.0) + 0.5 / 256.0, 0.5)).rgb, 1.0);\n"
  "}\n";

static GLuint
compile (GLenum      type,
         const char *header,
         const char *src,
         GError    **error)
{
  GLuint shader = glCreateShader (type);
  const char *parts[] = { header, src };
  GLint ok = 0;

  glShaderSource (shader, 2, parts, NULL);
  glCompileShader (shader);
  glGetShaderiv (shader, GL_COMPILE_STATUS, &ok);
  if (!ok)
    {
      char log[1024] = "";
      glGetShaderInfoLog (shader, sizeof log, NULL, log);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("A shader did not compile: %s"), log);
      glDeleteShader (shader);
      return 0;
    }
  return shader;
}

static void
upload_colormap (TriadGlHeatmap *self)
{
  guint8 rgb[256 * 3];

  for (int i = 0; i < 256; i++)
    triad_colormap_rgb (self->cmap, i / 255.0, rgb + 3 * i);
  glBindTexture (GL_TEXTURE_2D, self->cmap_tex);
  glPixelStorei (GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D (GL_TEXTURE_2D, 0, GL_RGB8, 256, 1, 0, GL_RGB, GL_UNSIGNED_BYTE, rgb);
  glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
}

static void
area_realize (GtkGLArea      *area,
              TriadGlHeatmap *self)
{
  GdkGLContext *context;
  g_autoptr(GError) error = NULL;
  const char *header;
  GLuint vs, fs;
  GLint ok = 0;
  /* two triangles over the whole area */
  const float quad[] = { -1, -1, 1, -1, -1, 1, -1, 1, 1, -1, 1, 1 };

  gtk_gl_area_make_current (area);
  if (gtk_gl_area_get_error (area) != NULL)
    {
      fail (self);
      return;
    }
  context = gtk_gl_area_get_context (area);
  header = gdk_gl_context_get_use_es (context)
           ? "#version 300 es\nprecision highp float;\n" : "#version 150\n";

  vs = compile (GL_VERTEX_SHADER, header, vertex_src, &error);
  fs = vs != 0 ? compile (GL_FRAGMENT_SHADER, header, fragment_src, &error) : 0;
  if (fs == 0)
    {
      g_warning ("%s", error->message);
      fail (self);
      return;
    }
  self->program = glCreateProgram ();
  glAttachShader (self->program, vs);
  glAttachShader (self->program, fs);
  glBindAttribLocation (self->program, 0, "pos");
  glLinkProgram (self->program);
  glDeleteShader (vs);
  glDeleteShader (fs);
  glGetProgramiv (self->program, GL_LINK_STATUS, &ok);
  if (!ok)
    {
      fail (self);
      return;
    }
  self->u_view = glGetUniformLocation (self->program, "u_view");
  self->u_matrix = glGetUniformLocation (self->program, "u_matrix");
  self->u_cmap = glGetUniformLocation (self->program, "u_cmap");

  glGenVertexArrays (1, &self->vao);
  glBindVertexArray (self->vao);
  glGenBuffers (1, &self->vbo);
  glBindBuffer (GL_ARRAY_BUFFER, self->vbo);
  glBufferData (GL_ARRAY_BUFFER, sizeof quad, quad, GL_STATIC_DRAW);
  glEnableVertexAttribArray (0);
  glVertexAttribPointer (0, 2, GL_FLOAT, GL_FALSE, 0, NULL);

  glGenTextures (1, &self->matrix_tex);
  glGenTextures (1, &self->cmap_tex);
  self->dirty = TRUE;
}

static void
area_unrealize (GtkGLArea      *area,
                TriadGlHeatmap *self)
{
  gtk_gl_area_make_current (area);
  if (gtk_gl_area_get_error (area) != NULL)
    return;
  if (self->program != 0)
    glDeleteProgram (self->program);
  if (self->vbo != 0)
    glDeleteBuffers (1, &self->vbo);
  if (self->vao != 0)
    glDeleteVertexArrays (1, &self->vao);
  if (self->matrix_tex != 0)
    glDeleteTextures (1, &self->matrix_tex);
  if (self->cmap_tex != 0)
    glDeleteTextures (1, &self->cmap_tex);
  self->program = self->vbo = self->vao = self->matrix_tex = self->cmap_tex = 0;
}

void
triad_gl_heatmap_set_timing (TriadGlHeatmap *self,
                             GArray         *times)
{
  g_clear_pointer (&self->times, g_array_unref);
  self->times = times != NULL ? g_array_ref (times) : NULL;
}

static gboolean
area_render (GtkGLArea      *area,
             GdkGLContext   *context,
             TriadGlHeatmap *self)
{
  gint64 t0 = g_get_monotonic_time ();
  double x0, y0, w, h;

  glClearColor (0, 0, 0, 0);
  glClear (GL_COLOR_BUFFER_BIT);
  if (self->gl_failed || self->program == 0 || self->values == NULL)
    return TRUE;

  if (self->dirty)
    {
      glBindTexture (GL_TEXTURE_2D, self->matrix_tex);
      glPixelStorei (GL_UNPACK_ALIGNMENT, 4);
      glTexImage2D (GL_TEXTURE_2D, 0, GL_R32F, self->n_k, self->n_q, 0, GL_RED, GL_FLOAT,
                    self->values);
      /* cells stay cells however far one zooms in */
      glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
      glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
      glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
      glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
      upload_colormap (self);
      self->dirty = FALSE;
    }

  visible_rect (self, &x0, &y0, &w, &h);
  glUseProgram (self->program);
  glUniform4f (self->u_view, x0, y0, w, h);
  glActiveTexture (GL_TEXTURE0);
  glBindTexture (GL_TEXTURE_2D, self->matrix_tex);
  glUniform1i (self->u_matrix, 0);
  glActiveTexture (GL_TEXTURE1);
  glBindTexture (GL_TEXTURE_2D, self->cmap_tex);
  glUniform1i (self->u_cmap, 1);
  glBindVertexArray (self->vao);
  glDrawArrays (GL_TRIANGLES, 0, 6);
  glBindVertexArray (0);
  glUseProgram (0);
  self->frames++;
  if (self->times != NULL)
    {
      gint64 usec;
      glFinish ();
      usec = g_get_monotonic_time () - t0;
      g_array_append_val (self->times, usec);
    }
  return TRUE;
}

/* ---- labels -------------------------------------------------------------------------- */

static void
draw_labels (GtkDrawingArea *da,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  TriadGlHeatmap *self = user_data;
  double area_w = width - LABEL_MARGIN_LEFT, area_h = height - LABEL_MARGIN_TOP;
  double x0, y0, w, h, cell_w, cell_h;
  GdkRGBA fg;

  if (self->values == NULL || area_w <= 0 || area_h <= 0)
    return;
  visible_rect (self, &x0, &y0, &w, &h);
  cell_w = area_w / (w * self->n_k);
  cell_h = area_h / (h * self->n_q);
#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_widget_get_color (GTK_WIDGET (da), &fg);
#else
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (da)), &fg);
#endif
  gdk_cairo_set_source_rgba (cr, &fg);
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, MIN (12.0, MIN (cell_w, cell_h) * 0.8));

  if (cell_h >= MIN_LABEL_CELL)
    {
      int first = MAX (0, (int) floor (y0 * self->n_q)), last = MIN (self->n_q, (int) ceil ((y0 + h) * self->n_q));
      for (int i = first; i < last; i++)
        {
          double y = LABEL_MARGIN_TOP + ((i + 0.5) / self->n_q - y0) / h * area_h;
          cairo_text_extents_t ext;
          cairo_text_extents (cr, self->q_labels[i], &ext);
          cairo_move_to (cr, LABEL_MARGIN_LEFT - 6 - ext.x_advance, y + ext.height / 2);
          cairo_show_text (cr, self->q_labels[i]);
        }
    }
  if (cell_w >= MIN_LABEL_CELL)
    {
      int first = MAX (0, (int) floor (x0 * self->n_k)), last = MIN (self->n_k, (int) ceil ((x0 + w) * self->n_k));
      for (int j = first; j < last; j++)
        {
          double x = LABEL_MARGIN_LEFT + ((j + 0.5) / self->n_k - x0) / w * area_w;
          cairo_save (cr);
          cairo_move_to (cr, x + 4, LABEL_MARGIN_TOP - 6);
          cairo_rotate (cr, -G_PI / 2);
          cairo_show_text (cr, self->k_labels[j]);
          cairo_restore (cr);
        }
    }
  if (self->cell_q >= 0)
    {
      /* the lit cell's outline, at least a few pixels across however far out the view is */
      double x = LABEL_MARGIN_LEFT + ((double) self->cell_k / self->n_k - x0) / w * area_w;
      double y = LABEL_MARGIN_TOP + ((double) self->cell_q / self->n_q - y0) / h * area_h;
      double cw = MAX (cell_w, 6.0), ch = MAX (cell_h, 6.0);

      cairo_save (cr);
      cairo_set_line_width (cr, 2.0);
      cairo_rectangle (cr, x + (cell_w - cw) / 2, y + (cell_h - ch) / 2, cw, ch);
      cairo_stroke (cr);
      cairo_restore (cr);
    }
  if (cell_w < MIN_LABEL_CELL && cell_h < MIN_LABEL_CELL)
    {
      /* say why the tokens are not named yet */
      g_autofree char *hint = g_strdup_printf (_("%d × %d tokens — Ctrl+scroll to zoom in and read them"),
                                               self->n_q, self->n_k);
      cairo_set_font_size (cr, 12);
      cairo_move_to (cr, LABEL_MARGIN_LEFT, LABEL_MARGIN_TOP - 12);
      cairo_show_text (cr, hint);
    }
}

/* ---- input --------------------------------------------------------------------------- */

/* Zooms by factor about the point (px, py) of the GL area, which stays put. */
static void
zoom_at (TriadGlHeatmap *self,
         double          factor,
         double          px,
         double          py)
{
  int aw = gtk_widget_get_width (GTK_WIDGET (self->area));
  int ah = gtk_widget_get_height (GTK_WIDGET (self->area));
  double x0, y0, w, h, fx, fy, new_zoom;

  if (aw <= 0 || ah <= 0)
    return;
  visible_rect (self, &x0, &y0, &w, &h);
  fx = x0 + px / aw * w;
  fy = y0 + py / ah * h;
  new_zoom = CLAMP (self->zoom * factor, 1.0, MAX_ZOOM);
  /* keep the matrix point under the pointer where it was */
  self->cx = fx - (px / aw - 0.5) * w * self->zoom / new_zoom;
  self->cy = fy - (py / ah - 0.5) * h * self->zoom / new_zoom;
  self->zoom = new_zoom;
  triad_gl_heatmap_set_view (self, self->zoom, self->cx, self->cy);
}

static gboolean
scrolled (GtkEventControllerScroll *controller,
          double                    dx,
          double                    dy,
          TriadGlHeatmap           *self)
{
  GdkModifierType mods = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  if (mods & GDK_CONTROL_MASK)
    {
      zoom_at (self, pow (1.2, -dy), self->pointer_x, self->pointer_y);
      return TRUE;
    }
  /* a plain scroll pans */
  triad_gl_heatmap_set_view (self, self->zoom, self->cx + dx * 0.05 / self->zoom,
                             self->cy + dy * 0.05 / self->zoom);
  return TRUE;
}

static void
pointer_moved (GtkEventControllerMotion *controller,
               double                    x,
               double                    y,
               TriadGlHeatmap           *self)
{
  double x0, y0, w, h, u, v;
  double aw = MAX (1, gtk_widget_get_width (GTK_WIDGET (self->area)));
  double ah = MAX (1, gtk_widget_get_height (GTK_WIDGET (self->area)));

  self->pointer_x = x;
  self->pointer_y = y;
  if (self->values == NULL)
    return;
  /* the matrix fills 0…1 on both axes of the visible rectangle's coordinates */
  visible_rect (self, &x0, &y0, &w, &h);
  u = x0 + x / aw * w;
  v = y0 + y / ah * h;
  if (u >= 0 && u < 1 && v >= 0 && v < 1)
    light_cell (self, MIN ((int) (v * self->n_q), self->n_q - 1),
                MIN ((int) (u * self->n_k), self->n_k - 1));
  else
    light_cell (self, -1, -1);
}

static void
pointer_left (GtkEventControllerMotion *controller,
              TriadGlHeatmap           *self)
{
  light_cell (self, -1, -1);
}

/* Shift with the arrows walks the cells (the first press lights the first cell), Home and End
 * go to the row's ends, Escape puts the cell out: the same keys as the Cairo figure's. The view
 * pans to keep the cell in it. */
static gboolean
key_pressed (GtkEventControllerKey *controller,
             guint                  keyval,
             guint                  keycode,
             GdkModifierType        state,
             TriadGlHeatmap        *self)
{
  int q = self->cell_q, k = self->cell_k;
  double x0, y0, w, h;

  if (self->values == NULL)
    return FALSE;
  if (keyval == GDK_KEY_Escape)
    {
      if (q < 0)
        return FALSE;
      light_cell (self, -1, -1);
      return TRUE;
    }
  if (!(state & GDK_SHIFT_MASK))
    return FALSE;
  if (q < 0)
    q = k = 0;
  else
    switch (keyval)
      {
      case GDK_KEY_Right: case GDK_KEY_KP_Right: k = MIN (k + 1, self->n_k - 1); break;
      case GDK_KEY_Left: case GDK_KEY_KP_Left: k = MAX (k - 1, 0); break;
      case GDK_KEY_Down: case GDK_KEY_KP_Down: q = MIN (q + 1, self->n_q - 1); break;
      case GDK_KEY_Up: case GDK_KEY_KP_Up: q = MAX (q - 1, 0); break;
      case GDK_KEY_Home: case GDK_KEY_KP_Home: k = 0; break;
      case GDK_KEY_End: case GDK_KEY_KP_End: k = self->n_k - 1; break;
      default: return FALSE;
      }
  /* pan so that the cell is in view */
  visible_rect (self, &x0, &y0, &w, &h);
  {
    double u = (k + 0.5) / self->n_k, v = (q + 0.5) / self->n_q;
    double cx = u < x0 || u > x0 + w ? u : self->cx, cy = v < y0 || v > y0 + h ? v : self->cy;

    if (cx != self->cx || cy != self->cy)
      triad_gl_heatmap_set_view (self, self->zoom, cx, cy);
  }
  light_cell (self, q, k);
  return TRUE;
}

static void
drag_begin (GtkGestureDrag *gesture,
            double          x,
            double          y,
            TriadGlHeatmap *self)
{
  self->drag_cx = self->cx;
  self->drag_cy = self->cy;
}

static void
drag_update (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             TriadGlHeatmap *self)
{
  int aw = gtk_widget_get_width (GTK_WIDGET (self->area));
  int ah = gtk_widget_get_height (GTK_WIDGET (self->area));

  if (aw > 0 && ah > 0)
    {
      double x0, y0, w, h;
      visible_rect (self, &x0, &y0, &w, &h);
      triad_gl_heatmap_set_view (self, self->zoom, self->drag_cx - dx / aw * w,
                                 self->drag_cy - dy / ah * h);
    }
}

static void
pinch_begin (GtkGesture       *gesture,
             GdkEventSequence *sequence,
             TriadGlHeatmap   *self)
{
  self->pinch_zoom = self->zoom;
}

static void
pinch_changed (GtkGestureZoom *gesture,
               double          scale,
               TriadGlHeatmap *self)
{
  triad_gl_heatmap_set_view (self, self->pinch_zoom * scale, self->cx, self->cy);
}

/* ---- GObject ------------------------------------------------------------------------- */

static void
triad_gl_heatmap_dispose (GObject *object)
{
  TriadGlHeatmap *self = TRIAD_GL_HEATMAP (object);

  g_clear_pointer (&self->overlay, gtk_widget_unparent);
  G_OBJECT_CLASS (triad_gl_heatmap_parent_class)->dispose (object);
}

static void
triad_gl_heatmap_finalize (GObject *object)
{
  TriadGlHeatmap *self = TRIAD_GL_HEATMAP (object);

  g_free (self->values);
  g_strfreev (self->q_labels);
  g_strfreev (self->k_labels);
  g_clear_pointer (&self->times, g_array_unref);
  G_OBJECT_CLASS (triad_gl_heatmap_parent_class)->finalize (object);
}

static void
triad_gl_heatmap_class_init (TriadGlHeatmapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = triad_gl_heatmap_dispose;
  object_class->finalize = triad_gl_heatmap_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "glheatmap");

  signals[GL_FAILED] = g_signal_new ("gl-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[CELL] = g_signal_new ("cell", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
triad_gl_heatmap_init (TriadGlHeatmap *self)
{
  GtkEventController *scroll, *motion, *keys;
  GtkGesture *drag, *pinch;

  self->zoom = 1.0;
  self->cell_q = self->cell_k = -1;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  self->cx = self->cy = 0.5;
  self->cmap = TRIAD_COLORMAP_VIRIDIS;

  self->overlay = gtk_overlay_new ();
  gtk_widget_set_parent (self->overlay, GTK_WIDGET (self));
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);

  self->area = GTK_GL_AREA (gtk_gl_area_new ());
  gtk_gl_area_set_has_depth_buffer (self->area, FALSE);
  gtk_widget_set_margin_start (GTK_WIDGET (self->area), LABEL_MARGIN_LEFT);
  gtk_widget_set_margin_top (GTK_WIDGET (self->area), LABEL_MARGIN_TOP);
  g_signal_connect (self->area, "realize", G_CALLBACK (area_realize), self);
  g_signal_connect (self->area, "unrealize", G_CALLBACK (area_unrealize), self);
  g_signal_connect (self->area, "render", G_CALLBACK (area_render), self);
  gtk_overlay_set_child (GTK_OVERLAY (self->overlay), GTK_WIDGET (self->area));

  self->labels = GTK_DRAWING_AREA (gtk_drawing_area_new ());
  gtk_widget_set_can_target (GTK_WIDGET (self->labels), FALSE);
  gtk_drawing_area_set_draw_func (self->labels, draw_labels, self, NULL);
  gtk_overlay_add_overlay (GTK_OVERLAY (self->overlay), GTK_WIDGET (self->labels));

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scrolled), self);
  gtk_widget_add_controller (GTK_WIDGET (self->area), scroll);
  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (pointer_moved), self);
  g_signal_connect (motion, "leave", G_CALLBACK (pointer_left), self);
  gtk_widget_add_controller (GTK_WIDGET (self->area), motion);
  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update), self);
  gtk_widget_add_controller (GTK_WIDGET (self->area), GTK_EVENT_CONTROLLER (drag));
  pinch = gtk_gesture_zoom_new ();
  g_signal_connect (pinch, "begin", G_CALLBACK (pinch_begin), self);
  g_signal_connect (pinch, "scale-changed", G_CALLBACK (pinch_changed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->area), GTK_EVENT_CONTROLLER (pinch));
}
