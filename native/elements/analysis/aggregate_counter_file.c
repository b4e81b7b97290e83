/* AggregateCounter's write_* handlers: the counts as Click's IPAggregate files. */
#include "aggregate_counter.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_agg(const void *a, const void *b)
{
    const ac_slot *x = a, *y = b;
    return (x->agg > y->agg) - (x->agg < y->agg);
}

int ac_write_file(pl_element *e, const char *value, int format, pl_error *err)
{
    ac_state *s = PL_STATE(e, ac_state);
    char name[4096];
    while (isspace((unsigned char)*value))
        value++;
    size_t n = strlen(value);
    while (n && isspace((unsigned char)value[n - 1]))
        n--;
    if (!n || n >= sizeof name)
        return pl_seterr(err, PL_ERR_HANDLER, e, "", "argument should be filename");
    memcpy(name, value, n);
    name[n] = 0;
    ac_lock(s);
    uint32_t k = 0, cap = s->cap;
    ac_slot *v = malloc(sizeof *v * ((size_t)cap + 1));
    if (v) {
        if (s->has_zero && s->zero_count)
            v[k++] = (ac_slot){0, s->zero_count};
        for (uint32_t i = 0; i < cap; i++)
            if (s->used[i] && s->slot[i].count)
                v[k++] = s->slot[i];
    }
    uint32_t nnz = s->nnz;
    uint64_t total = s->total;
    ac_unlock(s);
    if (!v)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    qsort(v, k, sizeof *v, cmp_agg);
    int std = !strcmp(name, "-");
    FILE *f = std ? stdout : fopen(name, format == W_BINARY ? "wb" : "w");
    if (!f) {
        free(v);
        return pl_seterr(err, PL_ERR_HANDLER, e, "", "%s: %s", name, strerror(errno));
    }
    fprintf(f, "!IPAggregate 1.0\n");
    if (s->banner && *s->banner) {
        fputs(s->banner, f);
        if (s->banner[strlen(s->banner) - 1] != '\n')
            fputc('\n', f);
    }
    fprintf(f, "!num_nonzero %u\n", nnz);
    if (format == W_BINARY) {
        uint16_t probe = 1;
        uint8_t little;
        memcpy(&little, &probe, 1);
        fprintf(f, little ? "!packed_le\n" : "!packed_be\n");
        for (uint32_t i = 0; i < k; i++)
            fwrite(&v[i], sizeof v[i], 1, f);
    } else {
        if (format == W_IP)
            fprintf(f, "!ip\n");
        for (uint32_t i = 0; i < k; i++) {
            uint32_t a = v[i].agg;
            if (format == W_IP)
                fprintf(f, "%u.%u.%u.%u %u\n", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255,
                        v[i].count);
            else if (format == W_PDF)
                fprintf(f, "%u %.12g\n", a, (double)v[i].count / (double)total);
            else
                fprintf(f, "%u %u\n", a, v[i].count);
        }
    }
    free(v);
    int bad = ferror(f);
    if (std)
        fflush(f);
    else
        bad |= fclose(f) != 0;
    return bad ? pl_seterr(err, PL_ERR_HANDLER, e, "", "%s: file error", name) : 0;
}
