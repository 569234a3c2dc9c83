/* png.c — a PNG writer for figures: the image as filtered scanlines, deflated fast.
 *
 * Cairo's own writer compresses at zlib's default level with libpng's adaptive filters,
 * which for a heatmap of thousands of noisy cells spends most of an export in deflate. A
 * figure is written once and opened by anything; the fastest level gives files a little
 * larger for a small fraction of the time. Every PNG reader reads what this writes:
 * 8-bit RGB, or RGBA when the figure has transparency, filter Sub, one zlib stream. */
#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "figures/figures-private.h"

#define CHUNK_MAX (1 << 16)

static guint32 crc_table[256];

static void
crc_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 c = n;

          for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
          crc_table[n] = c;
        }
      g_once_init_leave (&done, 1);
    }
}

static guint32
crc_update (guint32       crc,
            const guint8 *data,
            gsize         len)
{
  for (gsize i = 0; i < len; i++)
    crc = crc_table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return crc;
}

static void
put_be32 (guint8  *p,
          guint32  v)
{
  p[0] = v >> 24, p[1] = v >> 16, p[2] = v >> 8, p[3] = v;
}

static cairo_status_t
write_chunk (cairo_write_func_t  write,
             void               *closure,
             const char         *type,
             const guint8       *data,
             gsize               len)
{
  guint8 head[8], tail[4];
  guint32 crc;
  cairo_status_t st;

  put_be32 (head, (guint32) len);
  memcpy (head + 4, type, 4);
  crc = crc_update (0xffffffffu, (const guint8 *) type, 4);
  crc = crc_update (crc, data, len) ^ 0xffffffffu;
  put_be32 (tail, crc);
  if ((st = write (closure, head, 8)) != CAIRO_STATUS_SUCCESS)
    return st;
  if (len > 0 && (st = write (closure, data, len)) != CAIRO_STATUS_SUCCESS)
    return st;
  return write (closure, tail, 4);
}

/* One scanline of the ARGB32 surface as bytes, un-premultiplied, filtered with Sub. */
static void
scanline (const guint32 *px,
          int            width,
          gboolean       alpha,
          guint8        *out)
{
  int bpp = alpha ? 4 : 3;
  guint8 *raw = out + 1;

  out[0] = 1;   /* Sub: each byte less the byte one pixel to its left */
  for (int x = 0; x < width; x++)
    {
      guint32 p = px[x];
      guint a = p >> 24, r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;
      guint8 *o = raw + (size_t) x * bpp;

      if (alpha && a != 0xff && a != 0)
        {
          r = (r * 255 + a / 2) / a, g = (g * 255 + a / 2) / a, b = (b * 255 + a / 2) / a;
          r = MIN (r, 255u), g = MIN (g, 255u), b = MIN (b, 255u);
        }
      o[0] = r, o[1] = g, o[2] = b;
      if (alpha)
        o[3] = a;
    }
  for (int i = width * bpp - 1; i >= bpp; i--)
    raw[i] = (guint8) (raw[i] - raw[i - bpp]);
}

static guint32
adler32 (guint32       adler,
         const guint8 *data,
         gsize         len)
{
  guint32 a = adler & 0xffff, b = adler >> 16;

  while (len > 0)
    {
      /* 5552 bytes is the most that cannot overflow b before the modulo */
      gsize n = MIN (len, 5552);

      len -= n;
      while (n--)
        {
          a += *data++;
          b += a;
        }
      a %= 65521;
      b %= 65521;
    }
  return b << 16 | a;
}

/* One part of the filtered image deflated on its own: raw deflate ending at a byte boundary
 * (a sync flush) for every part but the last, which ends the stream. Parts so made join into
 * one valid deflate stream, as pigz joins them. */
typedef struct {
  const guint8 *in;
  gsize         len;
  gboolean      last;
  guint8       *out;
  gsize         out_len;
  gboolean      failed;
} Part;

static gpointer
deflate_part (gpointer data)
{
  Part *p = data;
  g_autoptr(GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW, 1);
  GConverterFlags flags = p->last ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_FLUSH;
  const guint8 *in = p->in;
  gsize in_left = p->len, cap = p->len / 2 + 4096;

  p->out = g_malloc (cap);
  p->out_len = 0;
  for (;;)
    {
      gsize read = 0, written = 0;
      g_autoptr(GError) error = NULL;
      GConverterResult res;

      if (cap - p->out_len < 65536)
        {
          cap = cap * 2 + 65536;
          p->out = g_realloc (p->out, cap);
        }
      res = g_converter_convert (G_CONVERTER (z), in, in_left, p->out + p->out_len,
                                 cap - p->out_len, flags, &read, &written, &error);
      if (res == G_CONVERTER_ERROR && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        {
          p->failed = TRUE;
          return NULL;
        }
      in += read;
      in_left -= read;
      p->out_len += written;
      if (res == G_CONVERTER_FINISHED || res == G_CONVERTER_FLUSHED)
        return NULL;
    }
}

cairo_status_t
triad_write_png (cairo_surface_t    *surface,
                 cairo_write_func_t  write,
                 void               *closure)
{
  static const guint8 signature[8] = { 137, 'P', 'N', 'G', '\r', '\n', 26, '\n' };
  /* zlib's header for deflate with a 32 K window at the fastest level */
  static const guint8 zlib_head[2] = { 0x78, 0x01 };
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const guint8 *data;
  gboolean alpha = FALSE, failed = FALSE;
  g_autofree guint8 *raw = NULL;
  Part parts[2] = { { 0 } };
  GThread *helper = NULL;
  guint8 ihdr[13], tail[4];
  gsize bpl, total, cut;
  guint32 adler;
  cairo_status_t st = CAIRO_STATUS_SUCCESS;
  g_autoptr(GByteArray) idat = NULL;

  g_return_val_if_fail (cairo_image_surface_get_format (surface) == CAIRO_FORMAT_ARGB32,
                        CAIRO_STATUS_INVALID_FORMAT);

  crc_init ();
  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  for (int y = 0; y < height && !alpha; y++)
    {
      const guint32 *px = (const guint32 *) (data + (size_t) y * stride);

      for (int x = 0; x < width; x++)
        if ((px[x] >> 24) != 0xff)
          {
            alpha = TRUE;
            break;
          }
    }

  /* the filtered scanlines, then deflated in two halves side by side */
  bpl = 1 + (gsize) width * (alpha ? 4 : 3);
  total = bpl * height;
  raw = g_malloc (MAX (total, 1));
  for (int y = 0; y < height; y++)
    scanline ((const guint32 *) (data + (size_t) y * stride), width, alpha, raw + bpl * y);
  cut = height >= 64 ? bpl * (height / 2) : total;
  parts[0] = (Part) { .in = raw, .len = cut, .last = cut == total };
  parts[1] = (Part) { .in = raw + cut, .len = total - cut, .last = TRUE };
  if (cut < total)
    helper = g_thread_try_new ("triad-png", deflate_part, &parts[1], NULL);
  deflate_part (&parts[0]);
  if (cut < total)
    {
      if (helper != NULL)
        g_thread_join (helper);
      else
        deflate_part (&parts[1]);
    }
  for (int i = 0; i < 2; i++)
    failed |= parts[i].failed;
  if (!failed)
    {
      adler = adler32 (1, raw, total);
      put_be32 (tail, adler);
      idat = g_byte_array_sized_new (2 + parts[0].out_len + parts[1].out_len + 4);
      g_byte_array_append (idat, zlib_head, 2);
      for (int i = 0; i < 2; i++)
        if (parts[i].out != NULL)
          g_byte_array_append (idat, parts[i].out, parts[i].out_len);
      g_byte_array_append (idat, tail, 4);
    }
  for (int i = 0; i < 2; i++)
    g_free (parts[i].out);
  if (failed)
    return CAIRO_STATUS_NO_MEMORY;

  put_be32 (ihdr, width);
  put_be32 (ihdr + 4, height);
  ihdr[8] = 8;                   /* bits per sample */
  ihdr[9] = alpha ? 6 : 2;       /* RGBA or RGB */
  ihdr[10] = ihdr[11] = ihdr[12] = 0;
  if ((st = write (closure, signature, 8)) != CAIRO_STATUS_SUCCESS
      || (st = write_chunk (write, closure, "IHDR", ihdr, 13)) != CAIRO_STATUS_SUCCESS)
    return st;
  for (gsize off = 0; off < idat->len; off += CHUNK_MAX)
    if ((st = write_chunk (write, closure, "IDAT", idat->data + off,
                           MIN ((gsize) CHUNK_MAX, idat->len - off))) != CAIRO_STATUS_SUCCESS)
      return st;
  return write_chunk (write, closure, "IEND", NULL, 0);
}
