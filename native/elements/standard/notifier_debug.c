/* NotifierDebug: passes packets on and shows its notifier signal (Click's). */
#include "../../core/element.h"

typedef struct {
    pl_signal_slot signal;
} ndebug_state;

/* In a pull context the signal of the queues upstream (empty), in a push
 * context that of those downstream (full), as Click's. Only read. */
static int ndebug_initialize(pl_element *e, pl_error *err)
{
    ndebug_state *s = PL_STATE(e, ndebug_state);
    if (pl_input_is_pull(e, 0))
        return pl_listen(e, PL_NOTE_EMPTY, 0, &s->signal, NULL, err);
    return pl_listen(e, PL_NOTE_FULL, 0, &s->signal, NULL, err);
}

static pl_packet *ndebug_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    (void)e;
    (void)ctx;
    return p;
}

static int read_signal(pl_element *e, char *buf, size_t len)
{
    return pl_signal_unparse(pl_signal_get(&PL_STATE(e, ndebug_state)->signal), buf, len);
}

static const pl_handler handlers[] = {
    {"signal", "the notifier signal, as Click writes it", read_signal, NULL}, {0}};

static const pl_class notifier_debug = {
    .name = "NotifierDebug",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "NotifierDebug()\n"
           "Useful for debugging notification.\n\n"
           "Passes each packet on unchanged. Its signal handler shows the notifier\n"
           "signal it sees, in Click's form: in a pull context the empty signal of\n"
           "what is upstream, in a push context the full signal of what is\n"
           "downstream. Each word of 32 notifiers is KIND.WORD/MASK:VALUE (hex; '*'\n"
           "when some are active), words joined by '+'; busy* for a path that can\n"
           "always have packets (or room), idle for none. Notifiers are numbered in\n"
           "the order the configuration declares them, as Click's.\n"
           "Handlers: signal.\n\n"
           "Example: Queue -> n :: NotifierDebug -> Unqueue -> Discard;\n"
           "         Script(print n.signal);",
    .state_size = sizeof(ndebug_state),
    .params = NULL,
    .handlers = handlers,
    .initialize = ndebug_initialize,
    .simple_action = ndebug_action,
};
PL_REGISTER_CLASS(notifier_debug);
