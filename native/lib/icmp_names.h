/*
 * ICMP type and code names, as Click's name database has them (its
 * IPNameInfo: `echo`, `timeexceeded`, `unreachable` with `host`, `port`,
 * ...), for elements that take an ICMP TYPE or CODE argument.
 */
#ifndef PL_ICMP_NAMES_H
#define PL_ICMP_NAMES_H

/* A number 0..255 or a name: 0 and *out set, or -1. */
int pl_icmp_type(const char *s, int *out);
/* A code of ICMP type `type`: a number 0..255 or one of that type's names. */
int pl_icmp_code(int type, const char *s, int *out);
/* Header length of an ICMP message of `type` (Click's click_icmp_hl). */
unsigned pl_icmp_hl(int type);
/* Whether messages of `type` carry an identifier and a sequence number. */
int pl_icmp_sequenced(int type);

/* Click's name of a type, or of a code of a type; NULL when it has none. */
const char *pl_icmp_type_name(int type);
const char *pl_icmp_code_name(int type, int code);

#endif
