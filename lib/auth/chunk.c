/*
 * chunk.c (auth) — the parsing half of authscan's hot loop: split a
 * chunk's lines with memchr, parse each into a login event, hash its keys
 * once for the engine, and keep it. Runs on parser threads; touches
 * nothing but its own chunk (and reads the engine's seed).
 */
#include "common.h"

#include "auth/chunk.h"
#include "mamori/authscan.h"
#include "util/grow.h"

int mr_auth_chunk_init(mr_auth_chunk *c)
{
    memset(c, 0, sizeof(*c));
    c->buf = malloc(MR_AUTH_CHUNK_SIZE);
    return c->buf ? 0 : -1;
}

void mr_auth_chunk_destroy(mr_auth_chunk *c)
{
    free(c->buf);
    free(c->ev);
    memset(c, 0, sizeof(*c));
}

void mr_auth_chunk_reset(mr_auth_chunk *c)
{
    c->len = 0;
    c->overlong_marker = 0;
    c->nev = 0;
    c->lines = c->malformed = c->overlong = 0;
    c->oom = 0;
}

int mr_auth_chunk_keep(mr_auth_chunk *c, const mr_auth_event *ev)
{
    if (MR_GROW(&c->ev, &c->cap, c->nev + 1, 1024)) {
        c->oom = 1;
        return -1;
    }
    c->ev[c->nev++] = *ev;
    return 0;
}

static void note(uint64_t *at, uint64_t count, uint64_t line)
{
    if (count < MR_AUTH_CHUNK_NOTED)
        at[count] = line;
}

static void parse_line(mr_auth_chunk *c, const char *p, size_t n)
{
    mr_auth_event ev;
    c->lines++;
    if (n == 0)
        return;
    if (n > MAMORI_AUTHSCAN_LINE_MAX) {
        note(c->overlong_at, c->overlong++, c->lines);
        return;
    }
    int r = c->kind == MR_AUTH_FILE_VSFTPD ? mr_auth_parse_vsftpd_log(p, n, &ev)
                                           : mr_auth_parse_syslog(&c->clock, p, n, &ev);
    if (r == MR_PARSE_MALFORMED) {
        note(c->malformed_at, c->malformed++, c->lines);
        return;
    }
    if (r != MR_PARSE_OK)
        return;
    if (ev.time != INT64_MIN && (ev.time < c->since || ev.time > c->until))
        return;
    mr_auth_engine_keys(c->engine, &ev);
    mr_auth_chunk_keep(c, &ev);
}

void mr_auth_chunk_parse(mr_auth_chunk *c)
{
    const char *p = c->buf, *end = c->buf + c->len;
    if (c->overlong_marker) {
        c->lines++;
        note(c->overlong_at, c->overlong++, 1);
    }
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        parse_line(c, p, n);
        if (!nl)
            break;
        p = nl + 1;
    }
}
