/* triad-lesson-page.h — the Lesson view: a page to read, in six sections — the three
 * architectures, the attention formula, why decoder-only models won, the KV cache at 8 k and
 * 100 k tokens, a quiz and the long-document challenge with its cost figure — each with
 * buttons that open the live view that makes its point. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TRIAD_TYPE_LESSON_PAGE (triad_lesson_page_get_type ())

G_DECLARE_FINAL_TYPE (TriadLessonPage, triad_lesson_page, TRIAD, LESSON_PAGE, GtkWidget)

#define TRIAD_LESSON_N_SECTIONS  7
#define TRIAD_LESSON_N_QUESTIONS 2
#define TRIAD_LESSON_N_OPTIONS   4

/* The section stepped to last (← and →, or the scroll): 0 … TRIAD_LESSON_N_SECTIONS - 1. */
int          triad_lesson_page_get_section      (TriadLessonPage *self);
void         triad_lesson_page_show_section     (TriadLessonPage *self,
                                                 int              section);
/* The quiz: the radio button of an option, the option chosen (-1 for none), whether it is the
 * right one, and the feedback shown for it (NULL before an answer). */
GtkWidget   *triad_lesson_page_get_quiz_option  (TriadLessonPage *self,
                                                 int              question,
                                                 int              option);
int          triad_lesson_page_get_answer       (TriadLessonPage *self,
                                                 int              question);
gboolean     triad_lesson_page_answer_is_right  (TriadLessonPage *self,
                                                 int              question);
const char  *triad_lesson_page_get_feedback     (TriadLessonPage *self,
                                                 int              question);
/* The paragraph of KV cache numbers, as computed from the presets when the page was built. */
const char  *triad_lesson_page_get_kv_text      (TriadLessonPage *self);

G_END_DECLS
