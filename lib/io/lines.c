/*
 * lines.c — see lines.h; also mamori_read_line() (mamori.h), the one
 * bounded line reader of stdio streams.
 */
#include "common.h"

#include "io/lines.h"

int mr_line_reader_fill(mr_line_reader *r, char *buf, size_t cap,
                        size_t *len, int *overlong)
{
    size_t n = r->ncarry;
    memcpy(buf, r->carry, r->ncarry);
    r->ncarry = 0;
    *overlong = 0;
    while (!r->eof && n < cap) {
        size_t got;
        mamori_err e = mr_source_read(r->src, buf + n, cap - n, &got);
        if (e) {
            r->err = e;
            r->eof = 1;
        }
        if (got == 0) {
            r->eof = 1;
            break;
        }
        if (r->skipping) {
            char *nl = memchr(buf + n, '\n', got);
            if (!nl) {
                r->dropped += got;
                continue; /* still inside the overlong line: drop */
            }
            r->dropped += (size_t)(nl + 1 - (buf + n));
            size_t rest = got - (size_t)(nl + 1 - (buf + n));
            memmove(buf + n, nl + 1, rest);
            n += rest;
            r->skipping = 0;
            continue;
        }
        n += got;
    }
    *len = n;
    if (n == 0)
        return 0;
    if (n == cap && !memchr(buf, '\n', n)) {
        /* One line fills the buffer: skip it, count it once. */
        r->dropped += n;
        *len = 0;
        *overlong = 1;
        r->skipping = !r->eof;
        return 1;
    }
    if (n == cap && !r->eof) {
        char *nl = memrchr(buf, '\n', n);
        size_t keep = (size_t)(nl + 1 - buf);
        r->ncarry = n - keep;
        memcpy(r->carry, nl + 1, r->ncarry);
        *len = keep;
    }
    return 1;
}

int mamori_read_line(FILE *f, char *buf, size_t cap, uint64_t *len)
{
    uint64_t n = 0;
    int ch = EOF;
    *len = 0;
    if (cap == 0)
        return -1;
    flockfile(f);
    while ((ch = getc_unlocked(f)) != EOF && ch != '\n') {
        if (n < cap - 1)
            buf[n] = (char)ch;
        n++;
    }
    int err = ch == EOF && ferror_unlocked(f);
    funlockfile(f);
    buf[n < cap - 1 ? n : cap - 1] = '\0';
    *len = n;
    if (err)
        return -1;
    return ch == '\n' || n > 0;
}
