/* test-pixels.h — what tests of figures read from a PNG: how much of it is ink (pixels
 * unlike the background), how many pixels have one exact colour, and whether two files are
 * the same picture. */
#pragma once

#include <stdlib.h>
#include <cairo.h>
#include <glib.h>

/* The PNG at path, which must load. */
static inline cairo_surface_t *
test_png_load (const char *path)
{
  cairo_surface_t *png = cairo_image_surface_create_from_png (path);

  if (cairo_surface_status (png) != CAIRO_STATUS_SUCCESS)
    g_error ("%s: %s", path, cairo_status_to_string (cairo_surface_status (png)));
  cairo_surface_flush (png);
  return png;
}

static inline guint32
test_png_pixel (cairo_surface_t *png,
                int              x,
                int              y)
{
  const guint8 *data = cairo_image_surface_get_data (png);

  return *(const guint32 *) (data + (size_t) y * cairo_image_surface_get_stride (png) + 4 * x);
}

/* The pixels whose colour differs from the top-left corner's (an export's background) by
 * more than 32 of 255 in some channel: text, lines and cells, not anti-aliasing's haze. */
static inline int
test_png_ink (const char *path)
{
  cairo_surface_t *png = test_png_load (path);
  int w = cairo_image_surface_get_width (png), h = cairo_image_surface_get_height (png), n = 0;
  guint32 bg = test_png_pixel (png, 0, 0);

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 p = test_png_pixel (png, x, y);

        for (int shift = 0; shift < 32; shift += 8)
          if (abs ((int) ((p >> shift) & 0xff) - (int) ((bg >> shift) & 0xff)) > 32)
            {
              n++;
              break;
            }
      }
  cairo_surface_destroy (png);
  return n;
}

/* The opaque pixels of exactly the colour rgb (0xRRGGBB). */
static inline int
test_png_count_rgb (const char *path,
                    guint32     rgb)
{
  cairo_surface_t *png = test_png_load (path);
  int w = cairo_image_surface_get_width (png), h = cairo_image_surface_get_height (png), n = 0;

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      n += test_png_pixel (png, x, y) == (0xff000000u | rgb);
  cairo_surface_destroy (png);
  return n;
}

/* The pixels that differ between two PNGs of the same size (which must match). */
static inline int
test_png_diff (const char *a_path,
               const char *b_path)
{
  cairo_surface_t *a = test_png_load (a_path), *b = test_png_load (b_path);
  int w = cairo_image_surface_get_width (a), h = cairo_image_surface_get_height (a), n = 0;

  g_assert_cmpint (cairo_image_surface_get_width (b), ==, w);
  g_assert_cmpint (cairo_image_surface_get_height (b), ==, h);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      n += test_png_pixel (a, x, y) != test_png_pixel (b, x, y);
  cairo_surface_destroy (a);
  cairo_surface_destroy (b);
  return n;
}
