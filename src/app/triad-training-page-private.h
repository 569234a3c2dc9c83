/* triad-training-page-private.h — what the Training page's files share. */
#pragma once

#include "app/triad-training-page.h"

G_BEGIN_DECLS

/* The view.filmstrip action: asks for a file and exports the filmstrip there. */
void triad_training_page_choose_filmstrip (GtkWidget  *widget,
                                           const char *action_name,
                                           GVariant   *param);

G_END_DECLS
