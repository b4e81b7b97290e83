/* ARPTable: stores IP-to-Ethernet mappings (ARPQuerier's TABLE). */
#include "../../core/args.h"
#include "../../lib/arpt.h"

typedef struct {
    arpt t;                       /* first: ARPQuerier's TABLE finds it here */
    uint64_t capacity, entry_capacity, entry_packet_capacity, slim_factor;
    double timeout;
} at_state;

enum { C_CLEARED };
static const char *const counters[] = {"cleared", NULL};

static int at_configure(pl_element *e, pl_error *err)
{
    at_state *s = PL_STATE(e, at_state);
    if (!s->slim_factor)
        return pl_seterr(err, PL_ERR_CONFIG, e, "CAPACITY_SLIM_FACTOR",
                         "CAPACITY_SLIM_FACTOR cannot be zero");
    arpt_init(&s->t);
    s->t.packet_capacity = (uint32_t)s->capacity;
    s->t.entry_capacity = (uint32_t)s->entry_capacity;
    s->t.entry_packet_capacity = (uint32_t)s->entry_packet_capacity;
    s->t.slim_factor = (uint32_t)s->slim_factor;
    s->t.timeout_j = arpt_timeout_j(s->timeout);
    return 0;
}

static void free_list(pl_element *e, pl_packet *q)
{
    while (q) {
        pl_packet *nx = q->next;
        pl_packet_free_ctl(e, C_CLEARED, q);
        q = nx;
    }
}

static void at_cleanup(pl_element *e)
{
    arpt *t = &PL_STATE(e, at_state)->t;
    pl_packet *killed = NULL;
    arpt_clear(t, &killed);
    free_list(e, killed);
    free_list(e, t->orphans);
    free_list(e, t->ready);
    t->orphans = t->ready = t->ready_tail = NULL;
}

/* A live change keeps the entries (and the packets waiting in them). */
static void at_take_state(pl_element *e, pl_element *old)
{
    arpt *t = &PL_STATE(e, at_state)->t, *o = &PL_STATE(old, at_state)->t;
    arpt_lock(t);
    arpt_lock(o);
    if (!t->entries && !t->orphans && !t->ready)
        arpt_take(t, o);
    arpt_unlock(o);
    arpt_unlock(t);
}

static int64_t now_j(pl_element *e) { return arpt_jiffies(pl_engine_now_ns(e->eng)); }

static int read_table(pl_element *e, char *buf, size_t len)
{
    arpt *t = &PL_STATE(e, at_state)->t;
    arpt_lock(t);
    int rc = arpt_format(t, now_j(e), buf, len);
    arpt_unlock(t);
    return rc ? PL_ERR_HANDLER : 0;
}

static int read_field(pl_element *e, char *buf, size_t len, int which)
{
    arpt *t = &PL_STATE(e, at_state)->t;
    arpt_lock(t);
    uint64_t v = which == 0 ? t->drops : which == 1 ? t->entries : t->packets;
    arpt_unlock(t);
    return pl_fmt(buf, len, "%llu", (unsigned long long)v);
}
static int read_drops(pl_element *e, char *buf, size_t len) { return read_field(e, buf, len, 0); }
static int read_count(pl_element *e, char *buf, size_t len) { return read_field(e, buf, len, 1); }
static int read_length(pl_element *e, char *buf, size_t len) { return read_field(e, buf, len, 2); }

static int write_entry(pl_element *e, const char *v, int insert, pl_error *err)
{
    uint32_t ip;
    uint8_t eth[6];
    if (arpt_parse_entry(v, &ip, insert ? eth : NULL))
        return pl_seterr(err, PL_ERR_HANDLER, e, insert ? "insert" : "delete",
                         insert ? "expected 'IP ETH', got '%s'" : "expected IP address, got '%s'",
                         v);
    arpt *t = &PL_STATE(e, at_state)->t;
    arpt_lock(t);
    int rc = arpt_handler_set(t, ip, insert ? eth : NULL, now_j(e));
    arpt_unlock(t);
    return rc ? pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory") : 0;
}
static int write_insert(pl_element *e, const char *v, pl_error *err) { return write_entry(e, v, 1, err); }
static int write_delete(pl_element *e, const char *v, pl_error *err) { return write_entry(e, v, 0, err); }

static int write_clear(pl_element *e, const char *v, pl_error *err)
{
    (void)v;
    (void)err;
    arpt *t = &PL_STATE(e, at_state)->t;
    arpt_lock(t);
    arpt_handler_clear(t);
    arpt_unlock(t);
    return 0;
}

static const pl_param params[] = {
    {"CAPACITY", PL_T_UINT, offsetof(at_state, capacity), "2048", 0, 4294967295.0, 0,
     "packets waiting for resolution, all addresses together (0: unlimited)"},
    {"ENTRY_CAPACITY", PL_T_UINT, offsetof(at_state, entry_capacity), "0", 0, 4294967295.0, 0,
     "entries (0: unlimited); the oldest go first"},
    {"ENTRY_PACKET_CAPACITY", PL_T_UINT, offsetof(at_state, entry_packet_capacity), "0", 0,
     4294967295.0, 0, "packets waiting for one address (0: unlimited)"},
    {"CAPACITY_SLIM_FACTOR", PL_T_UINT, offsetof(at_state, slim_factor), "2", 0, 4294967295.0, 0,
     "past CAPACITY, 1/CAPACITY_SLIM_FACTOR of the waiting packets are dropped, oldest first"},
    {"TIMEOUT", PL_T_TIME, offsetof(at_state, timeout), "300s", 0, 1e9, 0,
     "lifetime of an entry after its last update (0: forever)"},
    {0}};

static const pl_handler handlers[] = {
    {"table", "the entries: 'IP VALID ETH AGE' lines, oldest first", read_table, NULL,
     PL_H_EXPENSIVE},
    {"drops", "packets dropped because of timeouts or capacity limits", read_drops, NULL, 0},
    {"count", "entries in the table", read_count, NULL, 0},
    {"length", "packets stored in the table", read_length, NULL, 0},
    {"insert", "add an entry 'IP ETH'", NULL, write_insert, 0},
    {"delete", "make the entry of an IP address unknown", NULL, write_delete, 0},
    {"clear", "remove every entry", NULL, write_clear, PL_H_BUTTON},
    {0}};

static const pl_class arp_table = {
    .name = "ARPTable",
    .ports = "0/0",
    .processing = "a/a",
    .doc = "ARPTable(KEYWORDS)\n"
           "Stores IP-to-Ethernet mappings.\n\n"
           "An information element (no ports): the table an ARPQuerier uses when its\n"
           "TABLE names this element, so that several ARPQueriers can share one. It\n"
           "holds entries (IP, Ethernet address, time of the last update) in age\n"
           "order and the packets waiting for each unresolved address. Entries expire\n"
           "TIMEOUT after their last update; past ENTRY_CAPACITY the oldest entries\n"
           "are removed, past CAPACITY the oldest entries' packets (down to CAPACITY -\n"
           "CAPACITY/CAPACITY_SLIM_FACTOR). A live change keeps the entries.\n"
           "Packets the table gives up are counted by the ARPQuerier that used it\n"
           "(its expired counter) and in the drops handler; cleared counts packets\n"
           "freed at the end.\n\n"
           "Example: arpt :: ARPTable(TIMEOUT 60s);\n"
           "         ARPQuerier(10.0.0.1, 00:00:c0:ae:67:ef, TABLE arpt);",
    .state_size = sizeof(at_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 1,
    .configure = at_configure,
    .cleanup = at_cleanup,
    .take_state = at_take_state,
};
PL_REGISTER_CLASS(arp_table);
