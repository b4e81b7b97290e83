/* FromDump's handlers: counts, the file's facts, seeking, extending, stopping. */
#include "from_dump.h"

static int read_count(pl_element *e, char *buf, size_t len)
{
    uint64_t base = atomic_load(&PL_STATE(e, fdump_state)->count_base);
    return pl_fmt(buf, len, "%llu", (unsigned long long)(pl_counter_total(e, C_SENT) - base));
}

static int write_reset_counts(pl_element *e, const char *v, pl_error *err)
{
    atomic_store(&PL_STATE(e, fdump_state)->count_base, pl_counter_total(e, C_SENT));
    return 0;
}

static int read_sampling_prob(pl_element *e, char *buf, size_t len)
{
    return pl_trace_window_prob_text(&PL_STATE(e, fdump_state)->d.win, buf, len);
}

static int read_filename(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%s", PL_STATE(e, fdump_state)->file);
}

#define DUMP_INFO(fn, what)                                                \
    static int fn(pl_element *e, char *buf, size_t len)                    \
    {                                                                      \
        return pl_dump_info(&PL_STATE(e, fdump_state)->d, what, buf, len); \
    }
DUMP_INFO(read_encap, PL_DUMP_INFO_ENCAP)
DUMP_INFO(read_filesize, PL_DUMP_INFO_FILESIZE)
DUMP_INFO(read_filepos, PL_DUMP_INFO_FILEPOS)
DUMP_INFO(read_packet_filepos, PL_DUMP_INFO_PACKET_FILEPOS)

/* The task moves there at its next run (a record boundary; back only in a
 * regular file); a bad offset is logged and ends the file. */
static int write_filepos(pl_element *e, const char *v, pl_error *err)
{
    if (pl_dump_request_seek(&PL_STATE(e, fdump_state)->d, v, e, err))
        return err->status;
    atomic_store(&e->task_done, 0);
    return 0;
}

static int write_extend_interval(pl_element *e, const char *v, pl_error *err)
{
    return pl_dump_request_extend(&PL_STATE(e, fdump_state)->d, v, e, err);
}

static int write_reset_timing(pl_element *e, const char *v, pl_error *err)
{
    atomic_store(&PL_STATE(e, fdump_state)->d.reset_timing, 1);
    return 0;
}

static int write_stop(pl_element *e, const char *v, pl_error *err)
{
    __atomic_store_n(&PL_STATE(e, fdump_state)->active, 0, __ATOMIC_RELAXED);
    pl_engine_request_stop(e->eng);
    return 0;
}

const pl_handler pl_from_dump_handlers[] = {
    {.name = "count", .doc = "packets sent on output 0", .read = read_count},
    {.name = "reset_counts", .doc = "set count to 0", .write = write_reset_counts},
    {.name = "sampling_prob", .doc = "the sampling probability (SAMPLE, as held)",
     .read = read_sampling_prob},
    {.name = "encap", .doc = "the file's link type (its first interface's, for pcapng)",
     .read = read_encap},
    {.name = "filename", .doc = "the file", .read = read_filename},
    {.name = "filesize", .doc = "size of the file in bytes, or - (a pipe)", .read = read_filesize},
    {.name = "filepos", .doc = "bytes read so far; writing moves to that record",
     .read = read_filepos, .write = write_filepos},
    {.name = "packet_filepos", .doc = "file offset of the last packet sent",
     .read = read_packet_filepos},
    {.name = "extend_interval", .doc = "move END later by a time and become active again",
     .write = write_extend_interval},
    {.name = "reset_timing", .doc = "take the times given as absolute from now on",
     .write = write_reset_timing},
    {.name = "stop", .doc = "stop sending and stop the engine", .write = write_stop},
    {0}};
