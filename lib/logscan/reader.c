/*
 * reader.c — see reader.h.
 */
#include "common.h"

#include "logscan/reader.h"

/* W3C logs redefine their fields with "#Fields:" lines: the reader keeps
 * the state current at each chunk's end so the next chunk starts right. */
void mr_ls_follow_directives(mr_logformat *fmt, const char *buf, size_t len)
{
    static const char tag[] = "#Fields:";
    const char *last = NULL, *p = buf, *end = buf + len;
    while (p < end) {
        const char *hit = memmem(p, (size_t)(end - p), tag, sizeof(tag) - 1);
        if (!hit)
            break;
        if (hit == buf || hit[-1] == '\n')
            last = hit;
        p = hit + 1;
    }
    if (!last)
        return;
    const char *eol = memchr(last, '\n', (size_t)(end - last));
    size_t n = (size_t)((eol ? eol : end) - last);
    if (n && last[n - 1] == '\r')
        n--;
    mr_http_event ev;
    mr_logformat_parse_line(fmt, last, n, &ev);
}

int mr_ls_fill_chunk(mr_ls_reader *r, mr_chunk *c)
{
    return mr_line_reader_fill(r, c->buf, MR_CHUNK_SIZE, &c->len,
                               &c->overlong_marker);
}

/* Gathers whole lines of sane length from the start of a chunk into
 * `sample`, so that the format guess never sees a line cut in the middle
 * or one overlong line standing for the whole file. */
size_t mr_ls_detect_sample(const char *buf, size_t len, char *sample)
{
    size_t n = 0;
    const char *p = buf, *end = buf + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        size_t l = (size_t)(nl + 1 - p);
        if (l <= MR_LS_DETECT_LINE_MAX) {
            if (n + l > MR_LS_DETECT_SAMPLE)
                break;
            memcpy(sample + n, p, l);
            n += l;
        }
        p = nl + 1;
    }
    if (n == 0 && p < end) { /* one last line without a newline */
        size_t l = MR_MIN((size_t)(end - p), (size_t)MR_LS_DETECT_SAMPLE);
        memcpy(sample, p, l);
        n = l;
    }
    return n;
}

