/* numbers.h — numbers as the interface's language writes them, whatever the process locale.
 *
 * English writes 12.2 and 524,288; Russian writes 12,2 and 524 288. The window switches its
 * language at run time (LANGUAGE and LC_MESSAGES) and `triad export --lang` does too, while
 * printf's "%.1f" and "%'d" follow LC_NUMERIC, which stays the system's: an English system
 * showing the Russian interface would write «12.2» and «524,288 байт» (read as 524.288).
 * So the digits here are written in the "C" locale and the separators come from the message
 * catalogue in use (the "number format" context of po/ru.po).
 *
 * Numbers that machines read (JSON, file names, CSS) keep plain printf in the "C" locale. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The decimal separator and the thousands separator of the interface's language: "." and ","
 * in English; "," and a no-break space (U+00A0) in Russian. */
const char *triad_number_decimal_separator   (void);
const char *triad_number_thousands_separator (void);

/* A number as the "C" locale writes it — an optional minus, digits, an optional "." and
 * digits — with the language's separators: "-1234.5" → "-1,234.5" / «-1 234,5». */
char *triad_number_localize (const char *ascii);
/* 524288 → "524,288" / «524 288». */
char *triad_format_int    (gint64  value);
char *triad_format_uint   (guint64 value);
/* value with `decimals` digits after the separator, the whole part grouped:
 * (12.25, 1) → "12.2" / «12,2»; (1234.5, 0) → "1,234" (rounded half to even, as printf). */
char *triad_format_double (double  value,
                           int     decimals);
/* value with at most `significant` significant digits and no trailing zeros, as printf's
 * "%.*g" but never in exponent form below 10¹⁵ and with the language's separators:
 * (0.125, 3) → "0.125" / «0,125»; (4096, 3) → "4,100". */
char *triad_format_g      (double  value,
                           int     significant);
/* A size in bytes as g_format_size writes it — "512 bytes", "1.1 GB", "1.0 GiB" (iec) with
 * a no-break space before the unit — in the interface's language, and past the exabytes
 * (where g_format_size stops at 2⁶⁴ − 1) in ZB and YB (ZiB, YiB), then in YB, grouped:
 * 1.032192 × 10²¹ bytes is "1.0 ZB". The units come from the catalogue (msgctxt "bytes"). */
char *triad_format_size   (double   bytes,
                           gboolean iec);
/* A size in bytes, short, for a figure's ticks and readouts: "512 B", "8 GB", "1.25 GiB"
 * (iec), number and unit joined as the catalogue says (msgctxt "bytes", "%s %s"). Above a
 * kilobyte `decimals` after the point, or when decimals < 0 as few as show three significant
 * digits ("1.25 GB", "97.7 GB", "8 GB"); none under a kilobyte. The one formatter of sizes
 * with triad_format_size, which writes "512 bytes" and one decimal as g_format_size does. */
char *triad_format_size_short (double   bytes,
                               gboolean iec,
                               int      decimals);
/* The unit name of 1000^power (or 1024^power when iec) bytes, translated: 0 → "B",
 * 3 → "GB"; power is clamped to 0 … 8 (YB). */
const char *triad_size_unit (int      power,
                             gboolean iec);

G_END_DECLS
