/* numbers.c — numbers in the interface's language: digits in the "C" locale, separators from
 * the message catalogue. */
#include "config.h"

#include <math.h>
#include <string.h>
#include "engine/i18n.h"

#include "engine/numbers.h"

/* Enough for any double written with "%.*f" at up to 20 decimals (at most 309 whole digits). */
#define DIGITS_MAX 400

static const char * const decimal_units[] = {
  NC_("bytes", "B"), NC_("bytes", "kB"), NC_("bytes", "MB"), NC_("bytes", "GB"),
  NC_("bytes", "TB"), NC_("bytes", "PB"), NC_("bytes", "EB"), NC_("bytes", "ZB"),
  NC_("bytes", "YB"),
};
static const char * const binary_units[] = {
  NC_("bytes", "B"), NC_("bytes", "KiB"), NC_("bytes", "MiB"), NC_("bytes", "GiB"),
  NC_("bytes", "TiB"), NC_("bytes", "PiB"), NC_("bytes", "EiB"), NC_("bytes", "ZiB"),
  NC_("bytes", "YiB"),
};

const char *
triad_number_decimal_separator (void)
{
  /* TRANSLATORS: the decimal separator of numbers, as in "12.2": Russian writes a comma
   * ("12,2"). Write the one character your language uses; this string is never shown alone. */
  return C_("number format", ".");
}

const char *
triad_number_thousands_separator (void)
{
  /* TRANSLATORS: what separates groups of three digits, as in "524,288": Russian writes a
   * no-break space (U+00A0), so that the number never breaks across lines ("524 288"). Write
   * the one character your language uses; this string is never shown alone. */
  return C_("number format", ",");
}

/* Appends ascii — a number as the "C" locale writes it: an optional minus, digits, an
 * optional "." and digits — with the language's separators, the whole part grouped. */
static void
append_localized (GString    *out,
                  const char *ascii)
{
  const char *point = strchr (ascii, '.');
  const char *digits = ascii;
  size_t n_whole;

  if (*digits == '-')
    g_string_append_c (out, *digits++);
  n_whole = point != NULL ? (size_t) (point - digits) : strlen (digits);
  for (size_t i = 0; i < n_whole; i++)
    {
      if (i > 0 && (n_whole - i) % 3 == 0)
        g_string_append (out, triad_number_thousands_separator ());
      g_string_append_c (out, digits[i]);
    }
  if (point != NULL)
    {
      g_string_append (out, triad_number_decimal_separator ());
      g_string_append (out, point + 1);
    }
}

char *
triad_number_localize (const char *ascii)
{
  GString *out = g_string_sized_new (strlen (ascii) + 8);

  append_localized (out, ascii);
  return g_string_free (out, FALSE);
}

/* What a number that is not one writes: no digits to separate. */
static char *
not_finite (double value)
{
  if (isnan (value))
    return g_strdup ("—");
  return g_strdup (value > 0 ? "∞" : "-∞");
}

/* value with `decimals` decimals in the "C" locale, whatever LC_NUMERIC says. */
static void
c_fixed (char   *buf,
         double  value,
         int     decimals)
{
  char format[16];

  g_snprintf (format, sizeof format, "%%.%df", CLAMP (decimals, 0, 20));
  g_ascii_formatd (buf, DIGITS_MAX, format, value);
  /* "-0" and "-0.0" are zero */
  if (buf[0] == '-' && strspn (buf + 1, "0.") == strlen (buf + 1))
    memmove (buf, buf + 1, strlen (buf));
}

char *
triad_format_int (gint64 value)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, value);
  return triad_number_localize (buf);
}

char *
triad_format_uint (guint64 value)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT, value);
  return triad_number_localize (buf);
}

char *
triad_format_double (double value,
                     int    decimals)
{
  char buf[DIGITS_MAX];

  if (!isfinite (value))
    return not_finite (value);
  c_fixed (buf, value, decimals);
  return triad_number_localize (buf);
}

char *
triad_format_g (double value,
                int    significant)
{
  char buf[DIGITS_MAX];
  int decimals;

  if (!isfinite (value))
    return not_finite (value);
  significant = MAX (significant, 1);
  if (value != 0.0 && (fabs (value) >= 1e15 || fabs (value) < 1e-6))
    {
      char format[16];

      /* too long in full: printf's exponent form, its decimal point localized */
      g_snprintf (format, sizeof format, "%%.%dg", significant);
      g_ascii_formatd (buf, DIGITS_MAX, format, value);
      return g_strdelimit (g_strdup (buf), ".", triad_number_decimal_separator ()[0] == ','
                                                ? ',' : '.');
    }
  decimals = value == 0.0 ? 0 : significant - 1 - (int) floor (log10 (fabs (value)));
  if (decimals < 0)
    {
      double step = pow (10.0, -decimals);

      value = round (value / step) * step;
      decimals = 0;
    }
  c_fixed (buf, value, decimals);
  /* no trailing zeros, as %g */
  if (strchr (buf, '.') != NULL)
    {
      char *end = buf + strlen (buf) - 1;

      while (*end == '0')
        *end-- = '\0';
      if (*end == '.')
        *end = '\0';
    }
  return triad_number_localize (buf);
}

const char *
triad_size_unit (int      power,
                 gboolean iec)
{
  const char * const *units = iec ? binary_units : decimal_units;

  power = CLAMP (power, 0, (int) G_N_ELEMENTS (decimal_units) - 1);
  return g_dpgettext2 (GETTEXT_PACKAGE, "bytes", units[power]);
}

/* The largest unit of 1000 (or 1024) bytes not above |bytes|, as g_format_size chooses,
 * then YB for ever: its power, and bytes in it. */
static int
size_power (double  bytes,
            double  base,
            double *in_unit)
{
  int power = 0;

  while (fabs (bytes) >= base && power < (int) G_N_ELEMENTS (decimal_units) - 1)
    bytes /= base, power++;
  *in_unit = bytes;
  return power;
}

char *
triad_format_size (double   bytes,
                   gboolean iec)
{
  double base = iec ? 1024.0 : 1000.0, v;
  int power = 0;
  g_autofree char *number = NULL;

  if (!(bytes >= 0.0))
    bytes = 0.0;
  if (bytes < base)
    {
      guint64 n = (guint64) round (bytes);

      number = triad_format_uint (n);
      /* TRANSLATORS: a size under a kilobyte, e.g. "512 bytes"; %s is the number */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s byte", "%s bytes",
                                           (gulong) n), number);
    }
  power = size_power (bytes, base, &v);
  number = triad_format_double (v, 1);
  /* a no-break space, as g_format_size writes: the unit never starts a line */
  return g_strdup_printf ("%s\u00a0%s", number, triad_size_unit (power, iec));
}

char *
triad_format_size_short (double   bytes,
                         gboolean iec,
                         int      decimals)
{
  double v;
  int power;
  g_autofree char *number = NULL;

  if (!isfinite (bytes))
    bytes = 0.0;
  power = size_power (bytes, iec ? 1024.0 : 1000.0, &v);
  if (power == 0)
    number = triad_format_double (v, 0);
  else if (decimals >= 0)
    number = triad_format_double (v, decimals);
  else if (fabs (v) < 1000.0)
    /* three significant digits of a number from 1 to 999 need at most two decimals */
    number = triad_format_g (v, 3);
  else
    number = triad_format_double (v, 0);
  /* TRANSLATORS: an amount and its unit of bytes, e.g. "1.1 GB"; the number is written with
   * the "number format" separators */
  return g_strdup_printf (C_("bytes", "%s %s"), number, triad_size_unit (power, iec));
}
