/* PortInfo's names: "NAME PORT[/PROTO] [NAME...]" (Click's
 * elements/standard/portinfo.cc), kept in the AddressInfo table (addrinfo.h). */
#include "addrinfo.h"

#include "args.h"
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *next_word(char **s)
{
    char *p = *s;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (!*p)
        return *s = p, NULL;
    char *w = p;
    while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
        p++;
    if (*p)
        *p++ = 0;
    *s = p;
    return w;
}

/* One argument: 0 defined (or skipped, as Click skips an unknown protocol),
 * -1 bad. */
static int define_one(struct pl_engine *e, const char *element, char *arg, char *msg, int msglen)
{
    char *name = next_word(&arg);
    if (!name || name[0] == '#')      /* empty arguments and comments */
        return 0;
    char *port_s = next_word(&arg), *end;
    unsigned long port = port_s ? strtoul(port_s, &end, 0) : 0;
    if (!port_s || end == port_s || port > 65535 || (*end && *end != '/')) {
        snprintf(msg, (size_t)msglen, "expected 'NAME PORT/PROTO'");
        return -1;
    }
    int proto = 0;
    if (*end == '/') {
        if (!strcmp(end, "/tcp"))
            proto = 6;
        else if (!strcmp(end, "/udp"))
            proto = 17;
        else
            return 0;                 /* another protocol: pktlab keeps TCP and UDP names */
    }
    uint32_t v = (uint32_t)port;
    for (; name && name[0] != '#'; name = next_word(&arg)) {
        if ((proto != 17 && pl_addrinfo_define_raw(e, element, name, PL_NAME_TCP_PORT, &v, 4)) ||
            (proto != 6 && pl_addrinfo_define_raw(e, element, name, PL_NAME_UDP_PORT, &v, 4))) {
            snprintf(msg, (size_t)msglen, "out of memory");
            return -1;
        }
    }
    return 0;
}

int pl_portinfo_define_args(struct pl_engine *e, const char *element, int argc, char **argv,
                            char *msg, int msglen)
{
    for (int i = 0; i < argc; i++) {
        char *copy = strdup(argv[i]);
        if (!copy) {
            snprintf(msg, (size_t)msglen, "out of memory");
            return -1;
        }
        int rc = define_one(e, element, copy, msg, msglen);
        free(copy);
        if (rc)
            return -1;
    }
    return 0;
}

int pl_portinfo_port(const char *name, int proto, uint32_t *port)
{
    const uint8_t *d = NULL;
    if (proto != 6)
        d = pl_addrinfo_query_raw(PL_NAME_UDP_PORT, name);
    if (!d && proto != 17)
        d = pl_addrinfo_query_raw(PL_NAME_TCP_PORT, name);
    if (!d)
        return -1;
    memcpy(port, d, 4);
    return 0;
}

int pl_engine_define_ports(pl_engine *e, const char *element, const char *config, pl_error *err)
{
    pl_argv a = {0};
    if (pl_split_args(config ? config : "", &a) < 0)
        return pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory");
    char msg[256];
    int rc = pl_portinfo_define_args(e, element, a.n, a.v, msg, (int)sizeof msg);
    pl_argv_free(&a);
    if (rc) {
        rc = pl_seterr(err, PL_ERR_CONFIG, NULL, "", "%s", msg);
        snprintf(err->element, sizeof err->element, "%s", element);
    }
    return rc;
}
