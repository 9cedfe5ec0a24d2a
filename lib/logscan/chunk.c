/*
 * chunk.c — the hot loop of a log scan: split lines with memchr, parse,
 * check, and keep what the merge needs. Nothing here allocates per line:
 * the pending and hit arrays grow by doubling and are reused chunk after
 * chunk; the size table only sees new paths.
 */
#include "common.h"

#include "logscan/chunk.h"
#include "logscan/stats.h"
#include "mamori/logscan.h"
#include "util/grow.h"

#define MR_CHUNK_COPIES_MAX (8u << 20) /* rebuilt fields kept per chunk */

void mr_chunk_init(mr_chunk *c)
{
    memset(c, 0, sizeof(*c));
    mr_arena_init(&c->copies, MR_CHUNK_COPIES_MAX);
}

int mr_chunk_ready(mr_chunk *c)
{
    if (!c->buf && !(c->buf = malloc(MR_CHUNK_SIZE)))
        return -1;
    return 0;
}

void mr_chunk_destroy(mr_chunk *c)
{
    free(c->buf);
    free(c->pending);
    free(c->hits);
    mr_table_free(c->sizes);
    mr_arena_free(&c->copies);
    memset(c, 0, sizeof(*c));
}

void mr_chunk_reset(mr_chunk *c)
{
    c->lines = c->parsed = c->malformed = c->overlong = c->skipped = 0;
    c->out_of_window = 0;
    c->npending = c->nhits = 0;
    c->oom = 0;
    c->overlong_marker = 0;
    if (c->sizes)
        mr_table_clear(c->sizes);
    mr_arena_free(&c->copies);
}

size_t mr_chunk_bytes(const mr_chunk *c)
{
    return (c->buf ? MR_CHUNK_SIZE : 0) + c->pending_cap * sizeof(*c->pending) +
           c->hits_cap * sizeof(*c->hits) +
           (c->sizes ? mr_table_bytes(c->sizes) : 0) + c->copies.total;
}

void mr_chunk_trim(mr_chunk *c, size_t keep)
{
    if (c->pending_cap * sizeof(*c->pending) > keep) {
        free(c->pending);
        c->pending = NULL;
        c->pending_cap = c->npending = 0;
    }
    if (c->hits_cap * sizeof(*c->hits) > keep) {
        free(c->hits);
        c->hits = NULL;
        c->hits_cap = c->nhits = 0;
    }
    mr_arena_free(&c->copies);
}

/* A span the parser built in its scratch buffer dies at the next line:
 * a kept event takes a copy. */
static void own_span(mr_chunk *c, mr_span *s)
{
    if (!s->n || !mr_logformat_in_scratch(&c->fmt, *s))
        return;
    char *p = mr_arena_strndup(&c->copies, s->p, s->n);
    if (!p) {
        c->oom = 1;
        *s = MR_SPAN_LIT("");
        return;
    }
    s->p = p;
}

static void keep_pending(mr_chunk *c, const mr_http_event *ev, uint64_t line,
                         const mr_hit *hits, size_t n)
{
    if (MR_GROW(&c->pending, &c->pending_cap, c->npending + 1, 256) ||
        MR_GROW(&c->hits, &c->hits_cap, c->nhits + n, 256)) {
        c->oom = 1;
        return;
    }
    mr_pending *p = &c->pending[c->npending++];
    p->ev = *ev;
    mr_span *spans[MR_HTTP_EVENT_SPANS];
    mr_http_event_spans(&p->ev, spans);
    for (size_t i = 0; i < MR_HTTP_EVENT_SPANS; i++)
        own_span(c, spans[i]);
    p->line = line;
    p->first_hit = (uint32_t)c->nhits;
    p->nhits = (uint32_t)n;
    memcpy(c->hits + c->nhits, hits, n * sizeof(*hits));
    c->nhits += n;
}

/* path: mr_ls_target_path() of the event's target */
static void add_size(mr_chunk *c, const mr_http_event *ev, mr_span path)
{
    if (!c->sizes) {
        if (!(c->sizes = mr_table_new_no_evict(MR_CHUNK_PATHS_MAX, sizeof(mr_size_stat)))) {
            c->oom = 1;
            return;
        }
        if (c->sizes_into)   /* the merge then hashes no key again */
            mr_table_share_key(c->sizes, c->sizes_into);
    }
    /* A chunk with more paths than the delta holds: the baseline learns
     * from the first ones (the delta refuses the rest, never evicts). */
    mr_size_stat *s = mr_table_upsert(c->sizes, path.p, path.n, NULL);
    if (!s)
        return;
    double b = (double)ev->bytes;
    s->n++;
    s->sum += b;
    s->sumsq += b * b;
}

static void note_line(uint64_t *at, uint64_t count, uint64_t line)
{
    if (count <= MR_CHUNK_MALFORMED_KEEP)
        at[count - 1] = line;
}

void mr_chunk_process(mr_chunk *c, const mr_detector *det,
                      mr_detect_scratch *scratch)
{
    const char *p = c->buf, *end = c->buf + c->len;
    mr_http_event ev;
    mr_hit hits[MR_HITS_MAX];

    if (c->overlong_marker) {
        c->lines = c->overlong = 1;
        c->overlong_at[0] = 1;
        return;
    }
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        size_t len = (size_t)(eol - p);
        const char *line = p;
        p = nl ? nl + 1 : end;
        c->lines++;
        if (len && line[len - 1] == '\r')
            len--;
        if (len > MAMORI_LOGSCAN_LINE_MAX) {
            c->overlong++;
            note_line(c->overlong_at, c->overlong, c->lines);
            continue;
        }
        if (len == 0) {
            c->skipped++;
            continue;
        }
        int r = mr_logformat_parse_line(&c->fmt, line, len, &ev);
        if (r == MR_PARSE_SKIP) {
            c->skipped++;
            continue;
        }
        if (r != MR_PARSE_OK) {
            c->malformed++;
            note_line(c->malformed_at, c->malformed, c->lines);
            continue;
        }
        c->parsed++;
        if (ev.time != INT64_MIN && (ev.time < c->since || ev.time > c->until)) {
            c->out_of_window++;
            continue;
        }
        size_t n = mr_detect(det, scratch, &ev, hits, MR_HITS_MAX);
        if (n) {
            keep_pending(c, &ev, c->lines, hits, n);
        } else if (ev.status >= 200 && ev.status < 300 && ev.bytes >= 0) {
            /* Only dynamic pages (a '?': the path is shorter than the
             * target): where SQL injection lands, and where one path's
             * answers are comparable (not /item/123, /item/124...). */
            mr_span path = mr_ls_target_path(ev.target);
            if (path.n < ev.target.n)
                add_size(c, &ev, path);
        }
    }
}
