/*
 * The rewriters' named parts (iprw_registry.c): IPRewriterPatterns' named
 * patterns, IPMapper elements (RoundRobinIPMapper, whose patterns a
 * rewriter's input spec names), and rewriters found by element name
 * (ICMPRewriter's MAPS). Elements are found by name in initialize; the
 * patterns' sequential positions and a mapper's turn are shared, atomically,
 * by every rewriter using them.
 */
#ifndef PL_IPRW_REGISTRY_H
#define PL_IPRW_REGISTRY_H

#include "iprw.h"

#define IPRW_PATTERNS_CLASS "IPRewriterPatterns"
#define IPRW_MAPPER_CLASS "RoundRobinIPMapper"

/* IPRewriterPatterns' state. */
typedef struct iprw_patterns {
    pl_args args;
    int n;
    char **names;
    iprw_pattern *pats;
} iprw_patterns;

int iprw_patterns_configure(pl_element *e, iprw_patterns *s, pl_error *err);
void iprw_patterns_free(iprw_patterns *s);
/* The `patterns` handler: NAME PATTERN, one a line. */
int iprw_patterns_read(const iprw_patterns *s, char *buf, size_t len);

/* An IPMapper's state: its patterns, as pattern input specs, used in turn. */
typedef struct iprw_mapper {
    pl_args args;
    int n;
    iprw_input *is;
    _Atomic unsigned last;
} iprw_mapper;

int iprw_mapper_configure(pl_element *e, iprw_mapper *m, pl_error *err);
void iprw_mapper_free(iprw_mapper *m);
iprw_mapper *iprw_find_mapper(struct pl_engine *eng, const char *name);
/* Named patterns found, outputs checked against the rewriter `user`'s. */
int iprw_mapper_resolve(pl_element *user, iprw_mapper *m, const char *name, pl_error *err);
/* Click's RoundRobinIPMapper::rewrite_flowid: the next pattern that maps the
 * flow gives rw and the input's outputs (IPRW_RW_ADDMAP), else IPRW_RW_DROP. */
int iprw_mapper_rewrite(iprw_mapper *m, iprw_input *in, const iprw_fid *fid, iprw_fid *rw,
                        const iprw_table *t, int map);

/* The rewriter element (any class of the family) named `name`, or NULL. */
pl_element *iprw_find_rewriter(struct pl_engine *eng, const char *name);

#endif
