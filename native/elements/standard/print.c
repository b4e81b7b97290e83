/* Print: logs a line per packet (Click's format) and passes it on. */
#include "../../core/element.h"
#include "../../lib/timestamp.h"

#include <stdio.h>
#include <strings.h>

enum { SHOW_NONE, SHOW_HEX, SHOW_ASCII };

typedef struct {
    char *label;
    int64_t maxlength;
    uint8_t active, timestamp, printanno, headroom;
    char *contents;
    int show;
} print_state;

#define LINE 500                  /* pl_log keeps lines of up to 510 bytes */

static int print_configure(pl_element *e, pl_error *err)
{
    print_state *s = PL_STATE(e, print_state);
    const char *c = s->contents ? s->contents : "HEX";
    if (!strcasecmp(c, "HEX") || !strcasecmp(c, "TRUE") || !strcasecmp(c, "YES"))
        s->show = SHOW_HEX;
    else if (!strcasecmp(c, "ASCII"))
        s->show = SHOW_ASCII;
    else if (!strcasecmp(c, "NONE") || !strcasecmp(c, "FALSE") || !strcasecmp(c, "NO"))
        s->show = SHOW_NONE;
    else
        return pl_seterr(err, PL_ERR_CONFIG, e, "CONTENTS",
                         "CONTENTS: expected HEX, ASCII or NONE, got '%s'", c);
    return 0;
}

static pl_packet *print_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    (void)ctx;
    print_state *s = PL_STATE(e, print_state);
    if (!PL_LIVE(s->active))
        return p;
    char line[LINE + 8];
    size_t k = 0;
#define PUT(...) (k += (size_t)snprintf(line + k, LINE - k, __VA_ARGS__), k = k < LINE ? k : LINE)
    if (s->label && *s->label)
        PUT("%s: ", s->label);
    if (s->timestamp) {                   /* Click's Timestamp: signed, microseconds */
        char ts[40];
        pl_ts_format(ts, sizeof ts, pl_ts_get(&p->timestamp));
        PUT("%s: ", ts);
    }
    PUT("%4u", p->len);
    if (s->headroom)
        PUT(" (h%u t%u)", pl_headroom(p), pl_tailroom(p));
    if (s->printanno) {
        PUT(" | ");
        for (int i = 0; i < PL_ANNO_SIZE; i++)
            PUT("%02x", p->anno[i]);
    }
    uint32_t n = s->show == SHOW_NONE ? 0 : p->len;
    if (s->maxlength >= 0 && n > (uint64_t)s->maxlength)
        n = (uint32_t)s->maxlength;
    if (n)
        PUT(" | ");
    for (uint32_t i = 0; i < n && k + 3 < LINE; i++) {
        uint8_t c = p->data[i];
        if (s->show == SHOW_ASCII) {      /* Click: a space before every 8 bytes */
            if (i % 8 == 0)
                line[k++] = ' ';
            line[k++] = c >= 32 && c < 127 ? (char)c : '.';
        }
        else
            PUT("%s%02x", i && i % 4 == 0 ? " " : "", c);
    }
#undef PUT
    line[k] = 0;
    pl_log(e->eng, "%s", line);
    return p;
}

static const pl_param params[] = {
    {"LABEL", PL_T_STRING, offsetof(print_state, label), "", 0, -1, PL_P_POSITIONAL,
     "text at the start of each line"},
    {"MAXLENGTH", PL_T_INT, offsetof(print_state, maxlength), "24", -1, 65535, PL_P_POSITIONAL,
     "bytes of data shown, -1 for all (lines are cut at 500 characters)"},
    {"ACTIVE", PL_T_BOOL, offsetof(print_state, active), "true", 0, -1, PL_P_LIVE,
     "whether packets are printed"},
    {"CONTENTS", PL_T_STRING, offsetof(print_state, contents), "HEX", 0, -1, 0,
     "how data is shown: HEX, ASCII or NONE"},
    {"TIMESTAMP", PL_T_BOOL, offsetof(print_state, timestamp), "false", 0, -1, 0,
     "show the timestamp annotation"},
    {"PRINTANNO", PL_T_BOOL, offsetof(print_state, printanno), "false", 0, -1, 0,
     "show the generic annotation bytes"},
    {"HEADROOM", PL_T_BOOL, offsetof(print_state, headroom), "false", 0, -1, 0,
     "show headroom and tailroom"},
    {0}};

static const pl_class print = {
    .name = "Print",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "Print([LABEL, MAXLENGTH, KEYWORDS])\n"
           "Prints packet contents.\n\n"
           "Writes one line per packet to the engine's log (Engine.log(), never\n"
           "stdout), as Click does: 'LABEL:  LEN | 45000054 00004000 ...', data in\n"
           "groups of four bytes, at most MAXLENGTH bytes; then passes the packet on.\n"
           "The log is bounded: lines that do not fit are counted there and lost. A\n"
           "debugging element: the log takes a lock for each line.\n\n"
           "Example: FromMemory -> Print(in, 32) -> Discard;",
    .state_size = sizeof(print_state),
    .params = params,
    .configure = print_configure,
    .simple_action = print_action,
};
PL_REGISTER_CLASS(print);
