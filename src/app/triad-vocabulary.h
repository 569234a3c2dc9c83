/* triad-vocabulary.h — the toy world's edges in the window: the words the shipped models never
 * saw, underlined in a text entry as a spell checker marks them; the world's words in a popover
 * (click to insert) and offered as completions of the word being typed. */
#pragma once

#include <gtk/gtk.h>

#include "engine/toyworld.h"

G_BEGIN_DECLS

/* One world for the process, made the first time it is asked for; main thread. */
TriadToyWorld *triad_vocabulary_world          (void);

/* Underlines the words of the entry's text that the models never saw and says so in the
 * entry's tooltip (else it keeps the tooltip it had before the first mark). Returns those
 * words, each once, in order; NULL-terminated (free with g_strfreev). */
char         **triad_vocabulary_mark           (GtkEntry   *entry);
/* Takes the underlines away and gives the entry its own tooltip back. */
void           triad_vocabulary_unmark         (GtkEntry   *entry);

/* "“teacher”, “gave”" in the interface's quotes. */
char          *triad_vocabulary_quote_words    (char      **words);

/* A popover that lists the world's words, English and Russian, with a filter; a click
 * activates action_name (a string parameter: the word) on the popover's widget tree. */
GtkWidget     *triad_vocabulary_popover_new    (const char *action_name);

/* Offers the world's words as completions of the word being typed (the last one). */
void           triad_vocabulary_add_completion (GtkEntry   *entry);

/* text with word inserted at character offset at, a space put between it and any word it
 * would touch; *new_at: the offset just after it. */
char          *triad_vocabulary_insert_word    (const char *text,
                                                int         at,
                                                const char *word,
                                                int        *new_at);
/* text with its last word (after the last space) replaced by word. */
char          *triad_vocabulary_complete_word  (const char *text,
                                                const char *word);

G_END_DECLS
