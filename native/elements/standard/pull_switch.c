/* PullSwitch: forwards pulls to a settable input (Click's). */
#include "../../core/args.h"
#include "sched.h"

typedef struct {
    int64_t input;
    pl_signal_slot *signals;
    pl_notifier note;             /* follows the selected input's signal */
} pswitch_state;

static int64_t selected(pl_element *e)
{
    int64_t i = PL_LIVE(PL_STATE(e, pswitch_state)->input);
    return i < 0 || i >= e->ninputs ? -1 : i;
}

/* An upstream notifier woke: if it is the selected input's, so are we. */
static void ps_wake(pl_element *e)
{
    pswitch_state *s = PL_STATE(e, pswitch_state);
    int64_t i = selected(e);
    if (i >= 0 && !pl_notifier_active(&s->note) && pl_sched_input_active(s->signals, (int)i))
        pl_notifier_wake(&s->note);
}

static int ps_initialize(pl_element *e, pl_error *err)
{
    pswitch_state *s = PL_STATE(e, pswitch_state);
    pl_notifier_init(&s->note, selected(e) >= 0);
    if (pl_notifier_provide(e, PL_NOTE_EMPTY, 0, &s->note, 0, err))
        return err->status;
    return pl_sched_listen(e, &s->signals, ps_wake, err);
}

static void ps_cleanup(pl_element *e) { free(PL_STATE(e, pswitch_state)->signals); }

static pl_packet *ps_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    pswitch_state *s = PL_STATE(e, pswitch_state);
    int64_t i = selected(e);
    if (i < 0) {
        pl_notifier_sleep(&s->note);
        return NULL;
    }
    pl_packet *b = pl_input_pull(ctx, e, (int)i, max);
    if (b)
        pl_notifier_wake(&s->note);
    else if (!pl_sched_input_active(s->signals, (int)i)) {
        pl_notifier_sleep(&s->note);
        if (pl_sched_input_active(s->signals, (int)i))
            pl_notifier_wake(&s->note);
    }
    return b;
}

static int read_switch(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%lld", (long long)selected(e));
}

static int write_switch(pl_element *e, const char *v, pl_error *err)
{
    pswitch_state *s = PL_STATE(e, pswitch_state);
    int64_t i;
    if (pl_parse_int(v, &i))
        return pl_seterr(err, PL_ERR_HANDLER, e, "switch", "PullSwitch input must be integer");
    if (i < 0 || i >= e->ninputs)
        i = -1;
    __atomic_store_n(&s->input, i, __ATOMIC_RELAXED);
    if (i < 0)
        pl_notifier_sleep(&s->note);
    else if (pl_sched_input_active(s->signals, (int)i))
        pl_notifier_wake(&s->note);
    return 0;
}

static const pl_param params[] = {
    {"INPUT", PL_T_INT, offsetof(pswitch_state, input), "0", -1, PL_MAX_PORTS,
     PL_P_POSITIONAL | PL_P_LIVE, "input to pull from; negative: none"},
    {0}};

static const pl_handler handlers[] = {
    {"switch", "the input pulled from (rw; past the last means -1: none)", read_switch,
     write_switch},
    {"input", "the same as switch", read_switch, write_switch},
    {0}};

static const pl_class pull_switch = {
    .name = "PullSwitch",
    .ports = "-/1",
    .processing = "l/l",
    .doc = "PullSwitch([INPUT])\n"
           "Forwards pulls to a settable input.\n\n"
           "Every pull is passed to input INPUT (default 0); a negative INPUT returns\n"
           "nothing. The switch handler changes the input while packets flow. It is a\n"
           "notifier that follows the selected input only: what pulls through it\n"
           "sleeps while that input's queues are empty, even if another input has\n"
           "packets, and wakes when they fill or the switch moves to one that has.\n\n"
           "Example: q0 -> [0] ps :: PullSwitch(0); q1 -> [1] ps; ps -> Unqueue -> out;",
    .state_size = sizeof(pswitch_state),
    .params = params,
    .handlers = handlers,
    .initialize = ps_initialize,
    .cleanup = ps_cleanup,
    .pull = ps_pull,
    .sources = PL_S_NONE,
};
PL_REGISTER_CLASS(pull_switch);
