/* ICMP type and code names (Click's IPNameInfo tables). */
#include "icmp_names.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct name {
    const char *name;
    int value;
};

static const struct name types[] = {
    {"echo-reply", 0}, {"unreachable", 3}, {"sourcequench", 4}, {"redirect", 5}, {"echo", 8},
    {"routeradvert", 9}, {"routersolicit", 10}, {"timeexceeded", 11}, {"parameterproblem", 12},
    {"timestamp", 13}, {"timestamp-reply", 14}, {"inforeq", 15}, {"inforeq-reply", 16},
    {"maskreq", 17}, {"maskreq-reply", 18}, {0, 0}};
static const struct name unreach[] = {
    {"net", 0}, {"host", 1}, {"protocol", 2}, {"port", 3}, {"needfrag", 4},
    {"srcroutefail", 5}, {"netunknown", 6}, {"hostunknown", 7}, {"isolated", 8},
    {"netprohibited", 9}, {"hostprohibited", 10}, {"tosnet", 11}, {"toshost", 12},
    {"filterprohibited", 13}, {"hostprecedence", 14}, {"precedencecutoff", 15}, {0, 0}};
static const struct name redirect[] = {
    {"net", 0}, {"host", 1}, {"tosnet", 2}, {"toshost", 3}, {0, 0}};
static const struct name timxceed[] = {{"transit", 0}, {"reassembly", 1}, {0, 0}};
static const struct name paramprob[] = {
    {"erroratptr", 0}, {"missingopt", 1}, {"length", 2}, {0, 0}};

static int lookup(const char *s, const struct name *t, int *out)
{
    char *end;
    long v = strtol(s, &end, 0);
    if (*s && !*end && v >= 0 && v <= 255) {
        *out = (int)v;
        return 0;
    }
    for (; t && t->name; t++)
        if (!strcasecmp(s, t->name)) {
            *out = t->value;
            return 0;
        }
    return -1;
}

int pl_icmp_type(const char *s, int *out) { return lookup(s, types, out); }

int pl_icmp_code(int type, const char *s, int *out)
{
    const struct name *t = type == 3 ? unreach : type == 5 ? redirect : type == 11 ? timxceed
                           : type == 12 ? paramprob : NULL;
    return lookup(s, t, out);
}

unsigned pl_icmp_hl(int type)
{
    return type == 13 || type == 14 ? 20 : 8;   /* timestamps: three times follow */
}

int pl_icmp_sequenced(int type)
{
    return type == 0 || type == 8 || type == 13 || type == 14 || type == 15 || type == 16;
}

static const char *rev(const struct name *t, int v)
{
    for (; t && t->name; t++)
        if (t->value == v)
            return t->name;
    return NULL;
}

const char *pl_icmp_type_name(int type) { return rev(types, type); }

const char *pl_icmp_code_name(int type, int code)
{
    return rev(type == 3 ? unreach : type == 5 ? redirect : type == 11 ? timxceed
               : type == 12 ? paramprob : NULL, code);
}
