/*
 * stanza.c — see stanza.h. Each field's name and first-line value are
 * copied into the stanza's own buffer, so the line they came from (a
 * streaming reader's buffer) may go as soon as the line is parsed.
 */
#include "common.h"

#include "host/stanza.h"

static int blank(int c) { return c == ' ' || c == '\t'; }

mr_span mr_stanza_get(const mr_stanza *st, const char *name)
{
    for (size_t i = 0; i < st->n; i++)
        if (mr_span_ieq(st->f[i].name, name))
            return st->f[i].value;
    return MR_SPAN_NULL;
}

void mr_stanza_init(mr_stanza_parser *p, mr_stanza_fn fn, void *user)
{
    memset(p, 0, sizeof(*p));
    p->fn = fn;
    p->user = user;
}

static int flush(mr_stanza_parser *p)
{
    if (p->st.n == 0 && !p->st.truncated)
        return p->stopped;
    p->stanzas++;
    if (!p->stopped && p->fn(p->user, &p->st))
        p->stopped = 1;
    p->st.n = 0;
    p->st.used = 0;
    p->st.truncated = 0;
    p->st.line = 0;
    return p->stopped;
}

static void malformed(mr_stanza_parser *p)
{
    if (!p->malformed)
        p->first_malformed = p->lineno;
    p->malformed++;
}

int mr_stanza_line(mr_stanza_parser *p, const char *line, size_t len)
{
    p->lineno++;
    if (p->stopped)
        return 1;
    if (len && line[len - 1] == '\r')
        len--;
    size_t i = 0;
    while (i < len && blank((unsigned char)line[i]))
        i++;
    if (i == len) /* blank: the stanza ends */
        return flush(p);
    if (i > 0) { /* a continuation line: kept nowhere */
        if (p->st.n == 0 && !p->st.truncated)
            malformed(p);
        return 0;
    }
    if (line[0] == '#') /* a deb822 comment */
        return 0;
    const char *colon = memchr(line, ':', len);
    if (!colon || colon == line) {
        malformed(p);
        return 0;
    }
    size_t nlen = (size_t)(colon - line);
    for (size_t k = 0; k < nlen; k++)
        if (blank((unsigned char)line[k]) || line[k] == '\0') {
            malformed(p);
            return 0;
        }
    size_t v = nlen + 1, vend = len;
    while (v < vend && blank((unsigned char)line[v]))
        v++;
    while (vend > v && blank((unsigned char)line[vend - 1]))
        vend--;
    size_t vlen = vend - v;
    mr_stanza *st = &p->st;
    if (vlen > MR_STANZA_VALUE_MAX || st->n == MR_STANZA_FIELDS_MAX ||
        MR_STANZA_BUF - st->used < nlen + vlen) {
        st->truncated = 1;
        return 0;
    }
    if (st->n == 0)
        st->line = p->lineno;
    char *dst = st->buf + st->used;
    memcpy(dst, line, nlen);
    memcpy(dst + nlen, line + v, vlen);
    st->f[st->n].name = mr_span_make(dst, nlen);
    st->f[st->n].value = mr_span_make(dst + nlen, vlen);
    st->n++;
    st->used += nlen + vlen;
    return 0;
}

int mr_stanza_end(mr_stanza_parser *p)
{
    return flush(p);
}

int mr_stanza_buffer(mr_stanza_parser *p, const char *data, size_t len)
{
    size_t off = 0;
    while (off < len) {
        const char *nl = memchr(data + off, '\n', len - off);
        size_t n = nl ? (size_t)(nl - (data + off)) : len - off;
        if (mr_stanza_line(p, data + off, n))
            return 1;
        off += n + (nl ? 1 : 0);
    }
    return mr_stanza_end(p);
}
