/*
 * Messages an element gives while it is configured (Click's
 * errh->message / warning inside "While configuring 'x :: Foo':"), kept
 * until the control side reads them, and the log's direct mode: a driver
 * that owns the terminal (pktlab click) has log lines written straight to
 * a file descriptor, as Click's click_chatter writes to stderr, instead of
 * into the bounded ring.
 */
#include "engine.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void pl_write_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

void pl_message(pl_element *el, int level, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    for (char *c = text; *c; c++)        /* one record per line: tabs and newlines are ours */
        if (*c == '\n' || *c == '\t')
            *c = ' ';
    pl_engine *e = el->eng;
    char head[160];
    int h = snprintf(head, sizeof head, "%.128s\t%d\t", el->name, level);
    if (h < 0)
        return;
    /* The record is copied by length, not printed again: head and text are
     * already formatted, and their sizes are known. */
    size_t hl = (size_t)h, tl = strlen(text);
    size_t add = hl + tl + 1;
    pthread_mutex_lock(&e->log_lock);
    char *grown = realloc(e->msgs, e->msgs_len + add + 1);
    if (grown) {
        e->msgs = grown;
        char *w = e->msgs + e->msgs_len;
        memcpy(w, head, hl);
        memcpy(w + hl, text, tl);
        w[hl + tl] = '\n';
        w[add] = '\0';
        e->msgs_len += add;
    }
    pthread_mutex_unlock(&e->log_lock);
}

size_t pl_engine_messages(pl_engine *e, char *buf, size_t len)
{
    pthread_mutex_lock(&e->log_lock);
    size_t need = e->msgs_len;
    if (buf && len > need) {
        if (need)
            memcpy(buf, e->msgs, need);
        buf[need] = 0;
        e->msgs_len = 0;
    }
    pthread_mutex_unlock(&e->log_lock);
    return need;
}

void pl_engine_set_log_fd(pl_engine *e, int fd)
{
    pthread_mutex_lock(&e->log_lock);
    e->log_fd = fd;
    pthread_mutex_unlock(&e->log_lock);
}
