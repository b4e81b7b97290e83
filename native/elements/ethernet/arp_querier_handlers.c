/* ARPQuerier's handlers: the table, its statistics and addresses. */
#include "arp_querier.h"

#include <stdio.h>

static arpt *table(pl_element *e)
{
    aq_state *s = PL_STATE(e, aq_state);
    arpt *t = atomic_load(&s->t);
    return t ? t : &s->own;
}

static int64_t now_j(pl_element *e) { return arpt_jiffies(pl_engine_now_ns(e->eng)); }

static int read_table(pl_element *e, char *buf, size_t len)
{
    arpt *t = table(e);
    arpt_lock(t);
    int rc = arpt_format(t, now_j(e), buf, len);
    arpt_unlock(t);
    return rc ? PL_ERR_HANDLER : 0;
}

static int write_entry(pl_element *e, const char *v, int insert, pl_error *err)
{
    uint32_t ip;
    uint8_t eth[6];
    if (arpt_parse_entry(v, &ip, insert ? eth : NULL))
        return pl_seterr(err, PL_ERR_HANDLER, e, insert ? "insert" : "delete",
                         insert ? "expected 'IP ETH', got '%s'" : "expected IP address, got '%s'",
                         v);
    arpt *t = table(e);
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
    arpt *t = table(e);
    arpt_lock(t);
    arpt_handler_clear(t);
    arpt_unlock(t);
    return 0;
}

static uint64_t total(pl_element *e, int c) { return pl_counter_total(e, c); }

static uint64_t own_drops(pl_element *e)
{
    return total(e, C_ZERO_DST) + total(e, C_NOBUFS);
}

static int read_stats(pl_element *e, char *buf, size_t len)
{
    arpt *t = table(e);
    arpt_lock(t);
    uint64_t d = t->drops;
    arpt_unlock(t);
    return pl_fmt(buf, len, "%llu packets killed\n%llu ARP queries sent\n",
                  (unsigned long long)(own_drops(e) + d),
                  (unsigned long long)total(e, C_QUERIES));
}

static int read_u64(char *buf, size_t len, uint64_t v)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)v);
}
static int read_queries(pl_element *e, char *buf, size_t len) { return read_u64(buf, len, total(e, C_QUERIES)); }
static int read_responses(pl_element *e, char *buf, size_t len) { return read_u64(buf, len, total(e, C_RESPONSE)); }
static int read_drops(pl_element *e, char *buf, size_t len) { return read_u64(buf, len, own_drops(e)); }

static int read_count(pl_element *e, char *buf, size_t len)
{
    arpt *t = table(e);
    arpt_lock(t);
    uint32_t n = t->entries;
    arpt_unlock(t);
    return read_u64(buf, len, n);
}

static int read_length(pl_element *e, char *buf, size_t len)
{
    arpt *t = table(e);
    arpt_lock(t);
    uint32_t n = t->packets;
    arpt_unlock(t);
    return read_u64(buf, len, n);
}

static int read_addr(char *buf, size_t len, _Atomic uint32_t *a)
{
    char s[16];
    return pl_fmt(buf, len, "%s", pl_ip_str(atomic_load(a), s));
}

static int write_addr(pl_element *e, const char *v, _Atomic uint32_t *a, const char *h,
                      pl_error *err)
{
    uint32_t x;
    if (pl_parse_ipv4(v, &x))
        return pl_seterr(err, PL_ERR_HANDLER, e, h, "expected IP address, got '%s'", v);
    atomic_store(a, x);
    return 0;
}

static int read_ipaddr(pl_element *e, char *buf, size_t len) { return read_addr(buf, len, &PL_STATE(e, aq_state)->ip); }
static int read_broadcast(pl_element *e, char *buf, size_t len) { return read_addr(buf, len, &PL_STATE(e, aq_state)->bcast); }
static int write_ipaddr(pl_element *e, const char *v, pl_error *err) { return write_addr(e, v, &PL_STATE(e, aq_state)->ip, "ipaddr", err); }
static int write_broadcast(pl_element *e, const char *v, pl_error *err) { return write_addr(e, v, &PL_STATE(e, aq_state)->bcast, "broadcast", err); }

const pl_handler pl_arp_querier_handlers[] = {
    {"table", "the ARP table: 'IP VALID ETH AGE' lines, oldest first", read_table, NULL,
     PL_H_EXPENSIVE},
    {"stats", "'N packets killed' and 'N ARP queries sent' lines", read_stats, NULL, 0},
    {"insert", "add an entry 'IP ETH' (it expires after TIMEOUT)", NULL, write_insert, 0},
    {"delete", "make the entry of an IP address unknown", NULL, write_delete, 0},
    {"clear", "remove every entry", NULL, write_clear, PL_H_BUTTON},
    {"queries", "ARP queries sent", read_queries, NULL, 0},
    {"responses", "ARP responses received", read_responses, NULL, 0},
    {"drops", "packets dropped here (not by the table)", read_drops, NULL, 0},
    {"count", "entries in the table", read_count, NULL, 0},
    {"length", "packets waiting for resolution", read_length, NULL, 0},
    {"ipaddr", "this host's IP address", read_ipaddr, write_ipaddr, 0},
    {"broadcast", "the broadcast IP address", read_broadcast, write_broadcast, 0},
    {0}};
