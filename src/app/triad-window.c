/* triad-window.c — the main window: the views' stack, the model and the text, the toast, and
 * the window's life. Typing is debounced; the pages compute in worker threads, so the window
 * never waits on the engine. Its actions, export and presentation mode live in
 * triad-window-actions.c, triad-window-export.c and triad-window-present.c. */
#include "config.h"

#include <glib/gi18n.h>

#include "app/triad-attention-page.h"
#include "app/triad-cross-page.h"
#include "app/triad-kv-page.h"
#include "app/triad-lesson-page.h"
#include "app/triad-masks-page.h"
#include "app/triad-model-list.h"
#include "app/triad-training-page.h"
#include "engine/model-catalog.h"
#include "app/triad-view.h"
#include "app/triad-vocabulary.h"
#include "app/triad-window.h"
#include "app/triad-window-private.h"
#include "figures/figures.h"

#define DEBOUNCE_MS 250

G_DEFINE_FINAL_TYPE (TriadWindow, triad_window, GTK_TYPE_APPLICATION_WINDOW)

/* The source text of the Cross-Attention view on a real encoder-decoder: the prompt T5 was
 * trained on, so that its greedy output is a translation. */
#define T5_PROMPT "translate English to German: The house is wonderful."

/* Sentences of the toy world the models were trained on, a translation prompt for the decoder,
 * sentence pairs with a masked word for the encoder, one sentence beyond the toy world, and a
 * repeated sequence; and a real T5's translation prompt. */
static const char * const examples[] = {
  "the big cat saw a small dog",
  "the big tom saw a small dog",
  "the dog saw a cat near the house",
  "the cat slept on the table",
  "the cat that saw a dog slept",
  "большая кошка видела маленькую собаку",
  "кошка спала на столе",
  "EN: the big cat saw a small dog RU:",
  "the big cat saw a small dog <sep> большая кошка <mask> маленькую собаку",
  "the big cat saw a small <mask> <sep> большая кошка видела маленькую собаку",
  "the old bear took a green ball and the wolf saw the bear",
  /* a sequence said twice: the decoder's induction head (layer 3, head 1) reads the second
   * saying by looking at the token after each word's first occurrence */
  "bear ball wolf green house bear ball wolf green house",
  /* a real T5's own translation prompt (Cross-Attention on a T5 folder) */
  T5_PROMPT,
};


/* The views, in the order of the header's switcher. The stack holds a slot for each; a view
 * is built in its slot the first time it is needed (shown, exported, presented), so that the
 * window opens with the view in sight only. */
static const struct {
  const char *name;
  const char *title;
  GType     (*get_type) (void);
} views[] = {
  /* TRANSLATORS: The lesson: a page to read about the three architectures, with buttons that open the other views */
  { "lesson", N_("Lesson"), triad_lesson_page_get_type },
  /* TRANSLATORS: The view of attention heatmaps */
  { "attention", N_("Attention"), triad_attention_page_get_type },
  /* TRANSLATORS: The view comparing attention masks */
  { "masks", N_("Masks"), triad_masks_page_get_type },
  /* TRANSLATORS: The view of the encoder-decoder's cross-attention between the English source and the Russian target */
  { "cross", N_("Cross-Attention"), triad_cross_page_get_type },
  /* TRANSLATORS: The view of the key/value cache: the decoder's cache growing live, and the cache of real LLMs projected */
  { "kv", N_("KV Cache"), triad_kv_page_get_type },
  /* TRANSLATORS: The view where a small model learns live: its loss, its heads' scores and one head's attention forming */
  { "training", N_("Training"), triad_training_page_get_type },
};

/* The views' own settings (data/org.triad.Triad.gschema.xml), bound both ways to their
 * pages' properties when a page is built: the next start shows what this one left. */
static const struct {
  const char *view;
  const char *key;
  const char *property;
} view_keys[] = {
  { "masks", "masks-compare", "compare" },
  { "masks", "masks-window", "window" },
  { "masks", "masks-prefix", "prefix" },
  { "kv", "kv-preset", "preset" },
  { "kv", "kv-context", "context" },
  { "kv", "kv-batch", "batch" },
  { "kv", "kv-dtype", "kv-dtype" },
  { "kv", "kv-live-dtype", "live-dtype" },
  { "kv", "kv-weight-dtype", "weight-dtype" },
  { "kv", "kv-attention", "attention" },
  { "kv", "kv-honour-window", "honour-window" },
  { "kv", "kv-paged", "paged" },
  { "kv", "kv-gib", "gib" },
  { "kv", "kv-log-axes", "log-axes" },
  { "training", "training-task", "task" },
  { "training", "training-speed", "speed" },
};

static void setup (TriadWindow *self, TriadApplication *app);

TriadWindow *
triad_window_new (TriadApplication *app)
{
  TriadWindow *self = g_object_new (TRIAD_TYPE_WINDOW, "application", app, NULL);

  /* the application is set after construction: set up from it here */
  setup (self, app);
  return self;
}

static void page_failed (TriadView *page, const char *message, TriadWindow *self);
static void page_busy (GObject *page, GParamSpec *pspec, TriadWindow *self);

/* The view in a slot of the stack, or NULL while it has not been built. */
static GtkWidget *
slot_page (GtkWidget *slot)
{
  return slot != NULL ? gtk_widget_get_first_child (slot) : NULL;
}

GtkWidget *
triad_window_ensure_page (TriadWindow *self,
                          GtkWidget   *slot)
{
  GtkWidget *page = slot_page (slot);
  const char *name;

  if (page != NULL || slot == NULL)
    return page;
  name = gtk_stack_page_get_name (gtk_stack_get_page (self->stack, slot));
  for (guint i = 0; i < G_N_ELEMENTS (views) && page == NULL; i++)
    if (g_str_equal (name, views[i].name))
      page = g_object_new (views[i].get_type (), NULL);
  g_return_val_if_fail (page != NULL, NULL);
  g_signal_connect (page, "failed", G_CALLBACK (page_failed), self);
  g_signal_connect (page, "notify::busy", G_CALLBACK (page_busy), self);
  if (self->settings != NULL
      && g_object_class_find_property (G_OBJECT_GET_CLASS (page), "font-scale") != NULL)
    g_settings_bind (self->settings, "figure-scale", page, "font-scale", G_SETTINGS_BIND_GET);
  /* one colour-map preference for every view that draws weights (the Attention page's own
   * list writes it back: bound both ways in setup ()) */
  if (self->settings != NULL
      && g_object_class_find_property (G_OBJECT_GET_CLASS (page), "colormap") != NULL)
    g_settings_bind (self->settings, "colormap", page, "colormap", G_SETTINGS_BIND_GET);
  if (self->settings != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (view_keys); i++)
      if (g_str_equal (name, view_keys[i].view))
        g_settings_bind (self->settings, view_keys[i].key, page, view_keys[i].property,
                         G_SETTINGS_BIND_DEFAULT);
  gtk_widget_set_hexpand (page, TRUE);
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (slot), page);
  return page;
}

static GtkWidget *
visible_page (TriadWindow *self)
{
  return triad_window_ensure_page (self, gtk_stack_get_visible_child (self->stack));
}

GtkWidget *
triad_window_get_page (TriadWindow *self)
{
  return visible_page (self);
}

GtkWidget *
triad_window_get_view (TriadWindow *self,
                       const char  *name)
{
  return triad_window_ensure_page (self, gtk_stack_get_child_by_name (self->stack, name));
}

static gboolean
hide_toast (gpointer data)
{
  TriadWindow *self = data;

  gtk_revealer_set_reveal_child (self->toast, FALSE);
  self->toast_id = 0;
  return G_SOURCE_REMOVE;
}

void
triad_window_show_toast (TriadWindow *self,
                         const char  *text)
{
  gtk_label_set_text (self->toast_label, text);
  gtk_revealer_set_reveal_child (self->toast, TRUE);
  g_clear_handle_id (&self->toast_id, g_source_remove);
  self->toast_id = g_timeout_add_seconds (5, hide_toast, self);
}

/* Loads the chosen model (the application keeps it) and hands model and text to the page. */
static void
compute_now (TriadWindow *self)
{
  TriadApplication *app = TRIAD_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->text_entry));

  GtkWidget *page = visible_page (self);

  /* only the page in view computes; the others catch up when they are shown */
  if (page != NULL && TRIAD_IS_VIEW (page))
    triad_view_set_input (TRIAD_VIEW (page), app, self->model_id, text);
}

static gboolean
debounce_done (gpointer data)
{
  TriadWindow *self = data;

  self->debounce_id = 0;
  compute_now (self);
  return G_SOURCE_REMOVE;
}

/* The words of the text the shipped models never saw: underlined in the entry, named in its
 * tooltip and in the bar above the figure, since what the models make of them means little. */
static void
mark_edges (TriadWindow *self)
{
  g_auto(GStrv) words = NULL;

  /* the toy world's lexicon is the shipped models' alone: a real model's vocabulary is its
   * tokenizer's, and no word is unknown to it */
  if (triad_model_id_is_shipped (self->model_id))
    words = triad_vocabulary_mark (self->text_entry);
  else
    {
      triad_vocabulary_unmark (self->text_entry);
      words = g_new0 (char *, 1);
    }

  if (words[0] != NULL)
    {
      g_autofree char *list = triad_vocabulary_quote_words (words);
      g_autofree char *text = g_strdup_printf (
          /* TRANSLATORS: shown above the figure; %s is a list of quoted words */
          _("Outside what the shipped models learned: %s. They never saw these words and read "
            "them letter by letter, so the results on them mean little."), list);

      gtk_label_set_text (self->edge_label, text);
    }
  gtk_revealer_set_reveal_child (self->edge_bar, words[0] != NULL);
}

static void
text_changed (GtkEditable *editable,
              TriadWindow *self)
{
  mark_edges (self);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  self->debounce_id = g_timeout_add (DEBOUNCE_MS, debounce_done, self);
  g_settings_set_string (self->settings, "text", gtk_editable_get_text (editable));
}

/* Whether text is one of the examples (or empty): no words of the person's own, which a
 * model's own prompt may replace. */
static gboolean
is_example (const char *text)
{
  if (text == NULL || *text == '\0')
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    if (g_str_equal (text, examples[i]))
      return TRUE;
  return FALSE;
}

/* Whether a folder is one of the Hugging Face cache's, which the chooser lists anyway: the
 * recent folders keep their places for the others. */
static gboolean
in_hf_cache (const char *folder)
{
  g_autofree char *cache = triad_hf_cache_dir ();
  g_autofree char *canonical = cache != NULL ? g_canonicalize_filename (cache, NULL) : NULL;
  g_autofree char *prefix = canonical != NULL ? g_strconcat (canonical, G_DIR_SEPARATOR_S, NULL) : NULL;

  return prefix != NULL && g_str_has_prefix (folder, prefix);
}

/* The model in use, everywhere the window shows it; the views compute when asked. */
static void
use_model (TriadWindow *self,
           const char  *id,
           TriadArch    arch)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "model");
  char *copy = g_strdup (id);

  g_free (self->model_id);
  self->model_id = copy;
  self->arch = arch;
  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (self->model_id));
  g_settings_set_string (self->settings, "model", self->model_id);
  triad_window_update_model_button (self);
  mark_edges (self);
}

gboolean
triad_window_select_model (TriadWindow *self,
                           const char  *id)
{
  TriadApplication *app = TRIAD_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "model");
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = NULL;
  TriadArch arch;

  /* a folder by its absolute path, so that one model has one id */
  canonical = triad_model_id_is_shipped (id) ? g_strdup (id) : g_canonicalize_filename (id, NULL);
  if (!triad_application_model_arch (app, canonical, &arch, &error))
    {
      triad_window_show_toast (self, error->message);
      /* the action's state goes back to the model in use */
      g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (self->model_id));
      return FALSE;
    }
  if (g_strcmp0 (canonical, self->model_id) != 0)
    {
      g_free (self->previous_id);
      self->previous_id = g_strdup (self->model_id);
      self->previous_arch = self->arch;
    }
  use_model (self, canonical, arch);
  if (!triad_model_id_is_shipped (self->model_id) && !in_hf_cache (self->model_id))
    triad_recent_models_add (self->settings, self->model_id);
  /* a real encoder-decoder reads its own prompt, unless the text is the person's own */
  if (arch == TRIAD_ARCH_ENCDEC && !triad_model_id_is_shipped (self->model_id)
      && is_example (gtk_editable_get_text (GTK_EDITABLE (self->text_entry))))
    gtk_editable_set_text (GTK_EDITABLE (self->text_entry), T5_PROMPT);
  compute_now (self);
  return TRUE;
}

const char *
triad_window_get_model (TriadWindow *self)
{
  g_return_val_if_fail (TRIAD_IS_WINDOW (self), NULL);

  return self->model_id;
}

static void
page_failed (TriadView   *page,
             const char  *message,
             TriadWindow *self)
{
  TriadApplication *app = TRIAD_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (GTK_WIDGET (page) == slot_page (gtk_stack_get_visible_child (self->stack)))
    triad_window_show_toast (self, message);
  /* a folder that failed to load gives the model before back: its figure is the one the
   * page still shows, under the page's sentence on why the other failed */
  if (app != NULL && !triad_model_id_is_shipped (self->model_id) && self->previous_id != NULL
      && triad_application_model_failed (app, self->model_id))
    {
      g_autofree char *previous = g_strdup (self->previous_id);

      use_model (self, previous, self->previous_arch);
    }
}

static void
update_spinner (TriadWindow *self)
{
  GtkWidget *page = slot_page (gtk_stack_get_visible_child (self->stack));
  gboolean busy = page != NULL && TRIAD_IS_VIEW (page) && triad_view_get_busy (TRIAD_VIEW (page));

  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
}

static void
page_busy (GObject     *page,
           GParamSpec  *pspec,
           TriadWindow *self)
{
  update_spinner (self);
}

static void
page_shown (GtkStack    *stack,
            GParamSpec  *pspec,
            TriadWindow *self)
{
  GtkWidget *page = self->settings != NULL ? visible_page (self) : NULL;

  if (page != NULL)
    {
      const char *name = gtk_stack_get_visible_child_name (stack);
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "view");

      g_settings_set_string (self->settings, "view", name);
      g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (name));
    }
  update_spinner (self);
  if (self->settings != NULL)
    compute_now (self);
}

/* ---- life ---------------------------------------------------------------------------- */

static gboolean
close_request (GtkWindow *window)
{
  TriadWindow *self = TRIAD_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  return GTK_WINDOW_CLASS (triad_window_parent_class)->close_request (window);
}

/* The Attention view's layer and head are kept in the keys "layer" and "head" (-1: the last
 * layer). The page knows how many layers there are only once it has a model, and it tells
 * so by announcing its layer then: the keys are applied at that first announcement, and
 * every change after it is written back. */
static void
attention_layer_head_changed (GObject     *page,
                              GParamSpec  *pspec,
                              TriadWindow *self)
{
  int layer, head;

  if (self->restoring)
    return;
  if (!self->layer_head_restored)
    {
      int want_layer = g_settings_get_int (self->settings, "layer");
      int want_head = g_settings_get_int (self->settings, "head");

      self->layer_head_restored = TRUE;
      /* the page ignores what its model does not have: those keys are rewritten below */
      self->restoring = TRUE;
      if (want_layer >= 0)
        g_object_set (page, "layer", want_layer, NULL);
      if (want_head >= 0)
        g_object_set (page, "head", want_head, NULL);
      self->restoring = FALSE;
      if (want_layer < 0)
        {
          /* -1 stays the last layer, whatever the model: only the head may need writing */
          g_object_get (page, "head", &head, NULL);
          if (head != want_head)
            g_settings_set_int (self->settings, "head", head);
          return;
        }
    }
  g_object_get (page, "layer", &layer, "head", &head, NULL);
  if (g_settings_get_int (self->settings, "layer") != layer)
    g_settings_set_int (self->settings, "layer", layer);
  if (g_settings_get_int (self->settings, "head") != head)
    g_settings_set_int (self->settings, "head", head);
}

static void
setup (TriadWindow      *self,
       TriadApplication *app)
{
  g_autofree char *model = NULL, *text = NULL, *view = NULL;
  GMenu *menu = g_menu_new ();

  self->settings = g_object_ref (triad_application_get_settings (app));
  self->attention_page = TRIAD_ATTENTION_PAGE (triad_window_get_view (self, "attention"));
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  triad_window_add_actions (self);
  g_settings_bind (self->settings, "colormap", self->attention_page, "colormap", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "normalization", self->attention_page, "normalization",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "head-mode", self->attention_page, "mode", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->attention_page, "notify::layer",
                           G_CALLBACK (attention_layer_head_changed), self, 0);
  g_signal_connect_object (self->attention_page, "notify::head",
                           G_CALLBACK (attention_layer_head_changed), self, 0);

  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (examples[i], NULL);
      g_menu_item_set_action_and_target_value (item, "win.example", g_variant_new_string (examples[i]));
      g_menu_append_item (menu, item);
    }
  gtk_menu_button_set_menu_model (self->examples_button, G_MENU_MODEL (menu));
  g_object_unref (menu);

  model = g_settings_get_string (self->settings, "model");
  text = g_settings_get_string (self->settings, "text");
  self->model_id = g_strdup ("decoder");
  self->arch = TRIAD_ARCH_DECODER;
  g_signal_handlers_block_by_func (self->text_entry, text_changed, self);
  gtk_editable_set_text (GTK_EDITABLE (self->text_entry), text);
  g_signal_handlers_unblock_by_func (self->text_entry, text_changed, self);
  /* the Vocabulary is built the first time it opens */
  gtk_menu_button_set_create_popup_func (self->vocabulary_button, triad_window_make_vocabulary, self, NULL);
  triad_vocabulary_add_completion (self->text_entry);
  mark_edges (self);
  triad_window_present_setup (self);
  triad_window_models_setup (self);
  view = g_settings_get_string (self->settings, "view");
  if (gtk_stack_get_child_by_name (self->stack, view) != NULL)
    gtk_stack_set_visible_child_name (self->stack, view);
  /* a folder gone since falls back to the shipped decoder, with the toast saying why */
  if (!triad_window_select_model (self, model))
    triad_window_select_model (self, "decoder");
}

static void
triad_window_dispose (GObject *object)
{
  TriadWindow *self = TRIAD_WINDOW (object);

  /* before the pages go: the export of every view waits on them */
  triad_window_export_dispose (self);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  g_clear_handle_id (&self->toast_id, g_source_remove);
  g_clear_handle_id (&self->hint_id, g_source_remove);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  triad_window_present_dispose (self);
  /* a page still computing outlives the window (its worker holds it) and says so when done:
   * not to this window any more */
  if (self->stack != NULL)
    for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->stack)); c != NULL;
         c = gtk_widget_get_next_sibling (c))
      if (slot_page (c) != NULL)
        g_signal_handlers_disconnect_by_data (slot_page (c), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TRIAD_TYPE_WINDOW);
  G_OBJECT_CLASS (triad_window_parent_class)->dispose (object);
}

static void
triad_window_finalize (GObject *object)
{
  TriadWindow *self = TRIAD_WINDOW (object);

  g_clear_object (&self->settings);
  g_free (self->model_id);
  g_free (self->previous_id);
  G_OBJECT_CLASS (triad_window_parent_class)->finalize (object);
}

static void
triad_window_class_init (TriadWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = triad_window_dispose;
  object_class->finalize = triad_window_finalize;
  window_class->close_request = close_request;

  g_type_ensure (TRIAD_TYPE_ATTENTION_PAGE);
  g_type_ensure (TRIAD_TYPE_CROSS_PAGE);
  g_type_ensure (TRIAD_TYPE_MASKS_PAGE);
  g_type_ensure (TRIAD_TYPE_KV_PAGE);
  g_type_ensure (TRIAD_TYPE_LESSON_PAGE);
  g_type_ensure (TRIAD_TYPE_TRAINING_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/triad/Triad/triad-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, model_button);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, text_entry);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, examples_button);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, vocabulary_button);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, edge_bar);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, edge_label);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, toast);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, toast_label);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, spotlight);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, blank);
  gtk_widget_class_bind_template_child (widget_class, TriadWindow, present_hint);
  gtk_widget_class_bind_template_callback (widget_class, text_changed);
  gtk_widget_class_bind_template_callback (widget_class, page_shown);
}

static void
triad_window_init (TriadWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      GtkWidget *slot = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

      gtk_stack_add_titled (self->stack, slot, views[i].name, _(views[i].title));
    }
}
