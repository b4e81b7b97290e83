/* Queue: stores pushed packets until an element pulls them (Click's). */
#include "queue.h"

#include "../../core/args.h"

#include <stdio.h>
#include <stdlib.h>

enum { C_DROPS, C_CAPACITY_DROPS, C_RESET, C_OVERFLOW_OUT };
const char *const pl_queue_counters[] = {"drops", "capacity_drops", "reset", "overflow_out", NULL};

/* Click's NotifierQueue: the empty notifier sleeps only after this many
 * empty pulls in a row, so a queue that hovers around one packet does not
 * make its puller sleep and wake every time. */
#define SLEEPINESS_TRIGGER 9

static uint64_t room(pl_element *e)
{
    pl_queue_state *s = PL_STATE(e, pl_queue_state);
    uint64_t cap = atomic_load_explicit(&s->rings.cap, memory_order_relaxed);
    uint64_t n = pl_rings_count(&s->rings);
    return n < cap ? cap - n : 0;
}

int pl_queue_init_notes(pl_element *e, int notes, pl_error *err)
{
    pl_queue_state *s = PL_STATE(e, pl_queue_state);
    s->notes = notes;
    pl_notifier_init(&s->empty, 0);
    pl_notifier_init(&s->full, 1);
    s->full.room = room;
    s->full.owner = e;
    if ((notes & PL_QUEUE_EMPTY_NOTE) && pl_notifier_provide(e, PL_NOTE_EMPTY, 0, &s->empty, 0, err))
        return err->status;
    if ((notes & PL_QUEUE_FULL_NOTE) && pl_notifier_provide(e, PL_NOTE_FULL, 0, &s->full, 0, err))
        return err->status;
    return pl_rings_init(&s->rings, e, s->capacity, err);
}

void pl_queue_cleanup(pl_element *e)
{
    pl_rings_destroy(&PL_STATE(e, pl_queue_state)->rings, e, C_DROPS);
}

void pl_queue_overflow(pl_element *e, _Atomic int *warned)
{
    if (!atomic_exchange_explicit(warned, 1, memory_order_relaxed))
        pl_log(e->eng, "%s :: %s: overflow", PL_NAME(e), e->cls->name);
}

static void note_high(pl_queue_state *s, uint64_t n)
{
    uint64_t h = atomic_load_explicit(&s->highwater, memory_order_relaxed);
    while (n > h && !atomic_compare_exchange_weak_explicit(&s->highwater, &h, n,
                                                           memory_order_relaxed,
                                                           memory_order_relaxed))
        ;
}

void pl_queue_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    pl_queue_state *s = PL_STATE(e, pl_queue_state);
    uint32_t n = b->b_count;
    pl_packet *rest = pl_rings_put(&s->rings, ctx->tid, b, 0, NULL);
    uint64_t len = pl_rings_count_one(&s->rings, ctx->tid);
    note_high(s, len);
    if (!rest || rest->b_count < n) {
        if (s->notes & PL_QUEUE_EMPTY_NOTE)
            pl_notifier_wake(&s->empty);
    }
    if ((s->notes & PL_QUEUE_FULL_NOTE) &&
        len >= atomic_load_explicit(&s->rings.cap, memory_order_relaxed)) {
        pl_notifier_sleep(&s->full);
        /* The puller may have made room since (and woken us before we slept). */
        if (pl_rings_count_one(&s->rings, ctx->tid) <
            atomic_load_explicit(&s->rings.cap, memory_order_relaxed))
            pl_notifier_wake(&s->full);
    }
    if (!rest)
        return;
    if (atomic_load_explicit(&s->rings.cap, memory_order_relaxed))
        pl_queue_overflow(e, &s->warned);
    if (e->noutputs > 1) {
        pl_count(ctx, e, C_OVERFLOW_OUT, rest->b_count);
        pl_output(ctx, e, 1, rest);   /* Click: dropped packets leave on output 1 */
    } else
        pl_drop_batch(ctx, e, C_DROPS, rest);
}

pl_packet *pl_queue_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    pl_queue_state *s = PL_STATE(e, pl_queue_state);
    pl_packet *b = pl_rings_get(&s->rings, max);
    if (b) {
        s->sleepiness = 0;
        if (s->notes & PL_QUEUE_FULL_NOTE)
            pl_notifier_wake(&s->full);
        if (s->quick && !pl_rings_count(&s->rings)) {
            pl_notifier_sleep(&s->empty);     /* Click's QuickNoteQueue: at once */
            if (pl_rings_count(&s->rings))
                pl_notifier_wake(&s->empty);
        }
        return b;
    }
    if (!(s->notes & PL_QUEUE_EMPTY_NOTE))
        return NULL;
    if (s->sleepiness >= SLEEPINESS_TRIGGER) {
        pl_notifier_sleep(&s->empty);
        if (pl_rings_count(&s->rings))
            pl_notifier_wake(&s->empty);
    } else
        s->sleepiness++;
    return NULL;
}

/* Live change: the queued packets move to the replacement, oldest first,
 * with the counts. */
void pl_queue_take_state(pl_element *e, pl_element *old)
{
    pl_queue_state *s = PL_STATE(e, pl_queue_state), *o = PL_STATE(old, pl_queue_state);
    pl_rings_hand_over(&o->rings, &s->rings);
    uint64_t d = pl_counter_total(old, C_DROPS) + pl_counter_total(old, C_OVERFLOW_OUT) +
                 o->carry_drops - atomic_load_explicit(&o->drops_base, memory_order_relaxed);
    s->carry_drops = d;
    atomic_store(&s->highwater, atomic_load(&o->highwater));
    if (pl_rings_count(&s->rings) && (s->notes & PL_QUEUE_EMPTY_NOTE))
        pl_notifier_wake(&s->empty);
}

static uint64_t drops(pl_element *e)
{
    pl_queue_state *s = PL_STATE(e, pl_queue_state);
    return pl_counter_total(e, C_DROPS) + pl_counter_total(e, C_OVERFLOW_OUT) + s->carry_drops -
           atomic_load_explicit(&s->drops_base, memory_order_relaxed);
}

uint64_t pl_queue_length(pl_element *e) { return pl_rings_count(&PL_STATE(e, pl_queue_state)->rings); }

static int read_length(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu",
                  (unsigned long long)pl_rings_count(&PL_STATE(e, pl_queue_state)->rings));
}

static int read_highwater(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu",
                  (unsigned long long)atomic_load(&PL_STATE(e, pl_queue_state)->highwater));
}

static int read_capacity(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu",
                  (unsigned long long)atomic_load(&PL_STATE(e, pl_queue_state)->rings.cap));
}

static int read_drops(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)drops(e));
}

/* Packets the control side takes out, with the workers parked. */
static void drop_ctl(pl_element *e, int counter, pl_packet *b)
{
    while (b) {
        pl_packet *next = b->next;
        pl_packet_free_ctl(e, counter, b);
        b = next;
    }
}

/* Click's live reconfiguration of CAPACITY: packets beyond the new capacity
 * (the newest) are dropped; a queue with room again wakes its sources. */
static int write_capacity(pl_element *e, const char *v, pl_error *err)
{
    pl_queue_state *s = PL_STATE(e, pl_queue_state);
    uint64_t cap;
    if (pl_parse_uint(v, &cap) || cap > (1u << 24))
        return pl_seterr(err, PL_ERR_HANDLER, e, "capacity",
                         "capacity: expected an unsigned integer up to 16777216, got '%s'", v);
    pl_packet *dropped = NULL;
    pl_engine_park(e->eng);
    int rc = pl_rings_set_capacity(&s->rings, cap, &dropped);
    if (!rc)
        s->capacity = cap;
    drop_ctl(e, C_CAPACITY_DROPS, dropped);
    pl_engine_unpark(e->eng);
    if (rc)
        return pl_seterr(err, PL_ERR_NOMEM, e, "capacity", "out of memory");
    /* Click's FullNoteQueue::live_reconfigure: room again wakes the sources. */
    if ((s->notes & PL_QUEUE_FULL_NOTE) && pl_rings_count(&s->rings) < cap)
        pl_notifier_wake(&s->full);
    return 0;
}

static int write_reset_counts(pl_element *e, const char *v, pl_error *err)
{
    pl_queue_state *s = PL_STATE(e, pl_queue_state);
    atomic_store(&s->drops_base,
                 pl_counter_total(e, C_DROPS) + pl_counter_total(e, C_OVERFLOW_OUT) + s->carry_drops);
    atomic_store(&s->highwater, pl_rings_count(&s->rings));
    return 0;
}

static int write_reset(pl_element *e, const char *v, pl_error *err)
{
    pl_queue_state *s = PL_STATE(e, pl_queue_state);
    pl_engine_park(e->eng);
    drop_ctl(e, C_RESET, pl_rings_take_all(&s->rings));
    pl_engine_unpark(e->eng);
    if (s->notes & PL_QUEUE_FULL_NOTE)
        pl_notifier_wake(&s->full);
    return 0;
}

const pl_param pl_queue_params[] = {
    {"CAPACITY", PL_T_UINT, offsetof(pl_queue_state, capacity), "1000", 0, 1 << 24,
     PL_P_POSITIONAL | PL_P_LIVE, "packets it holds (per pushing thread)"},
    {0}};

const pl_handler pl_queue_handlers[] = {
    {"length", "packets queued", read_length, NULL},
    {"highwater_length", "most packets queued at once since the last reset_counts",
     read_highwater, NULL},
    {"capacity", "packets it holds; written live, a smaller capacity drops the newest",
     read_capacity, write_capacity},
    {"drops", "packets dropped because the queue was full", read_drops, NULL},
    {"reset_counts", "reset drops and highwater_length", NULL, write_reset_counts},
    {"reset", "drop every queued packet", NULL, write_reset},
    {0}};

int pl_queue_initialize(pl_element *e, pl_error *err)
{
    return pl_queue_init_notes(e, PL_QUEUE_EMPTY_NOTE | PL_QUEUE_FULL_NOTE, err);
}

static const pl_class queue =
    PL_QUEUE_CLASS("Queue", PL_QUEUE_DOC("Queue", PL_QUEUE_NOTES_BOTH), pl_queue_initialize);
PL_REGISTER_CLASS(queue);
