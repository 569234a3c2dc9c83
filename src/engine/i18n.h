/* i18n.h — Triad's words in a language named explicitly, without touching the process's locale.
 *
 * gettext follows LANGUAGE and LC_MESSAGES, which belong to the whole process: switching them to
 * export one figure in Russian while worker threads translate is a race (setenv under getenv).
 * Here a language is named instead — for this thread (an export from the window), or as
 * Triad's default (the window's language, `--lang`) — and its words come from Triad's own
 * catalogue (the .mo file gettext would read, from the folder the domain is bound to), read
 * once and kept. With no language named, the words are gettext's, as before.
 *
 * The engine, the figures, the scenes and the command line translate through the macros below:
 * a file includes this header after <glib/gi18n-lib.h>, whose _(), C_() and g_dngettext () it
 * takes over. The window's widgets keep GTK's gettext: they live on the main thread and are
 * built again when the window's language changes; its files define TRIAD_I18N_NO_MACROS
 * before they include this, for the functions alone. */
#pragma once

#include <string.h>
#include <glib.h>
#ifndef TRIAD_I18N_NO_MACROS
#include <glib/gi18n-lib.h>
#endif

G_BEGIN_DECLS

/* Triad's default language ("en", "ru"); NULL or "": gettext's, as the environment says. */
void        triad_i18n_set_default_language (const char *lang);
/* The calling thread's language until the matching pop, over the default; NULL: the default. */
void        triad_i18n_push_language        (const char *lang);
void        triad_i18n_pop_language         (void);
/* The language in force on this thread, or NULL when gettext decides. */
const char *triad_i18n_language             (void);

const char *triad_i18n_gettext   (const char *msgid);
/* msgctxt_id is "context\004msgid", as C_() writes it; ctxt_len the context's length + 1. */
const char *triad_i18n_pgettext  (const char *msgctxt_id,
                                  gsize       ctxt_len);
/* The same with the context as a string of its own, known only at run time. */
const char *triad_i18n_pgettext2 (const char *msgctxt,
                                  const char *msgid);
const char *triad_i18n_ngettext  (const char *msgid,
                                  const char *msgid_plural,
                                  gulong      n);

#ifndef TRIAD_I18N_NO_MACROS
#undef _
#define _(String) ((char *) triad_i18n_gettext (String))
#undef C_
#define C_(Context, String) \
  ((char *) triad_i18n_pgettext (Context "\004" String, strlen (Context) + 1))
#undef g_dpgettext2
#define g_dpgettext2(Domain, Context, Msgid) triad_i18n_pgettext2 (Context, Msgid)
#undef g_dngettext
#define g_dngettext(Domain, Msgid, Plural, N) triad_i18n_ngettext (Msgid, Plural, N)
#undef ngettext
#define ngettext(Msgid, Plural, N) ((char *) triad_i18n_ngettext (Msgid, Plural, N))
#endif

G_END_DECLS
