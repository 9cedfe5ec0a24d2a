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

/* Text, not binary junk: no NUL, and hardly any control bytes (a tab
 * or CR is text). */
static bool readable(const char *p, size_t l)
{
    unsigned control = 0;
    for (size_t i = 0; i < l; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == 0)
            return false;
        if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f)
            if (++control > MR_LS_DETECT_CONTROL_MAX)
                return false;
    }
    return true;
}

bool mr_ls_login_log(const char *sample, size_t len)
{
    /* "host sshd[123]: ...", "host vsftpd: ...", vsftpd.log's
     * "[pid 42] [bob] FAIL LOGIN: Client ..." */
    static const char *const marks[] = {
        " sshd[", " sshd:", " sshd-session[", " vsftpd[", " vsftpd:", " proftpd[",
        " pure-ftpd[", " pure-ftpd:", " login[", " su[", " sudo:", " sudo[",
        "] OK LOGIN:", "] FAIL LOGIN:",
    };
    for (size_t k = 0; k < MR_ARRAY_LEN(marks); k++)
        if (memmem(sample, len, marks[k], strlen(marks[k])))
            return true;
    return false;
}

uint64_t mr_ls_count_lines(const char *buf, size_t len)
{
    uint64_t lines = 0;
    for (const char *p = buf, *end = buf + len; p < end; lines++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    return lines;
}

/* Gathers whole readable lines of sane length from the start of a chunk
 * into `sample`, so that the format guess never sees a line cut in the
 * middle, one overlong line standing for the whole file, or the binary
 * junk a crash left before the log. */
size_t mr_ls_detect_sample(const char *buf, size_t len, char *sample, size_t *unreadable)
{
    size_t n = 0, kept = 0, junk = 0;
    const char *p = buf, *end = buf + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        size_t l = (size_t)(nl + 1 - p);
        if (l <= MR_LS_DETECT_LINE_MAX && readable(p, l)) {
            if (n + l > MR_LS_DETECT_SAMPLE)
                break;
            memcpy(sample + n, p, l);
            n += l;
            kept++;
        } else if (l > 1) {
            junk++;
        }
        p = nl + 1;
    }
    if (n == 0 && p < end && readable(p, MR_MIN((size_t)(end - p), (size_t)MR_LS_DETECT_SAMPLE))) {
        /* one last line without a newline */
        size_t l = MR_MIN((size_t)(end - p), (size_t)MR_LS_DETECT_SAMPLE);
        memcpy(sample, p, l);
        n = l;
        kept++;
    }
    /* junk: more unreadable lines than readable ones (random bytes hold
     * short runs of text between their newlines) */
    *unreadable = junk > kept;
    return n;
}

