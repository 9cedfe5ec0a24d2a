/*
 * reader.c — authscan's reading loop: cuts a decompressed stream into
 * chunks of whole lines, has parser threads turn them into login events
 * (chunk.c), and feeds the campaign engine each chunk's events strictly
 * in file order on this thread, so the results are the same for any
 * thread count.
 *
 *   reader (this thread) ──chunk──▶ parsers ──events──▶ engine (this thread)
 *
 * The threads and the ordering are util/pool.h's. With -j N there are
 * N-1 parser threads, the engine being the Nth; with -j 1 everything runs
 * here. At most MR_AUTH_SLOTS_MAX chunks exist at once, which bounds the
 * reading memory whatever the input. Web access
 * logs are parsed here, line by line: a W3C log may redefine its fields
 * mid-file, so each line needs the format state of the one before.
 */
#include "common.h"

#include "io/lines.h"

#include "auth/scan.h"
#include "util/pool.h"

#define MR_AS_REPORT_PER_FILE 5
#define MR_AS_PREFETCH_FAR 16        /* events ahead: index slots */
#define MR_AS_PREFETCH_NEAR 8        /* events ahead: entries */

/* ---- parser pool ---------------------------------------------------- */

/* One chunk into login events, on any thread (util/pool.h). */
static mamori_err run_chunk(void *job, unsigned worker, void *user)
{
    (void)worker;
    (void)user;
    mr_auth_chunk_parse(job);
    return MAMORI_OK;
}

mamori_err mr_auth_pool_start(mamori_authscan *as)
{
    unsigned n = MR_MIN(mr_pool_cpu_threads(as->ctx->threads),
                        (unsigned)MR_AUTH_WORKERS_MAX + 1);
    unsigned workers = n - 1;
    as->nslots = workers ? MR_MIN((size_t)workers * 2 + 2, (size_t)MR_AUTH_SLOTS_MAX) : 1;
    for (size_t i = 0; i < as->nslots; i++)
        if (mr_auth_chunk_init(&as->slots[i]))
            return MAMORI_E_NOMEM;
    /* The caller does not help: it feeds the engine, the Nth thread. */
    mr_pool_opts o = {.workers = workers, .inflight = as->nslots,
                      .run = run_chunk, .user = as};
    return mr_pool_new(&o, &as->pool);
}

void mr_auth_pool_stop(mamori_authscan *as)
{
    mr_pool_free(as->pool);
    as->pool = NULL;
    for (size_t i = 0; i < as->nslots; i++)
        mr_auth_chunk_destroy(&as->slots[i]);
    as->nslots = 0;
}

/* ---- merging, in file order ---------------------------------------- */

static void merge_chunk(mamori_authscan *as, mr_auth_chunk *c)
{
    uint64_t base = as->file_line;
    as->file_line += c->lines;
    as->lines += c->lines;
    as->malformed += c->malformed;
    for (uint64_t i = 0; i < MR_MIN(c->malformed, (uint64_t)MR_AUTH_CHUNK_NOTED); i++)
        if (as->file_malformed + i < MR_AS_REPORT_PER_FILE)
            mamori_diagf(as->ctx, MAMORI_DIAG_NOTE, as->file, base + c->malformed_at[i],
                         "not a log line mamori reads: skipped");
    for (uint64_t i = 0; i < MR_MIN(c->overlong, (uint64_t)MR_AUTH_CHUNK_NOTED); i++)
        mamori_diagf(as->ctx, MAMORI_DIAG_WARN, as->file, base + c->overlong_at[i],
                     "line longer than %d bytes: skipped", MAMORI_AUTHSCAN_LINE_MAX);
    as->file_malformed += c->malformed;
    if (c->oom)
        mamori_diagf(as->ctx, MAMORI_DIAG_ERROR, as->file, base,
                     "out of memory: some login events of this part are missing");
    mr_auth_engine *e = as->engine;
    size_t n = c->nev;
    for (size_t i = 0; i < n; i++) {
        if (i + MR_AS_PREFETCH_FAR < n)
            mr_auth_engine_prefetch(e, &c->ev[i + MR_AS_PREFETCH_FAR], 0);
        if (i + MR_AS_PREFETCH_NEAR < n)
            mr_auth_engine_prefetch(e, &c->ev[i + MR_AS_PREFETCH_NEAR], 1);
        mr_auth_engine_add(e, &c->ev[i]);
    }
}

/* Takes the oldest chunk back from the pool and feeds its events to the
 * engine. */
static void take_back(mamori_authscan *as)
{
    mamori_err st;
    mr_auth_chunk *c = mr_pool_next(as->pool, &st);
    if (c && st == MAMORI_OK)
        merge_chunk(as, c);
}

static void drain(mamori_authscan *as)
{
    while (mr_pool_pending(as->pool))
        take_back(as);
}

/* ---- web access logs, on this thread -------------------------------- */

static void access_chunk(mamori_authscan *as, mr_auth_chunk *c)
{
    const char *p = c->buf, *end = c->buf + c->len;
    if (c->overlong_marker) {
        as->lines++;
        as->file_line++;
        mamori_diagf(as->ctx, MAMORI_DIAG_WARN, as->file, as->file_line,
                     "line longer than %d bytes: skipped", MAMORI_AUTHSCAN_LINE_MAX);
    }
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        mr_http_event hev;
        mr_auth_event ev;
        char acct[MR_AUTH_ACCOUNT_BUF];
        as->lines++;
        as->file_line++;
        if (n > MAMORI_AUTHSCAN_LINE_MAX) {
            mamori_diagf(as->ctx, MAMORI_DIAG_WARN, as->file, as->file_line,
                         "line longer than %d bytes: skipped", MAMORI_AUTHSCAN_LINE_MAX);
        } else if (n) {
            int r = mr_logformat_parse_line(as->fmt, p, n, &hev);
            if (r == MR_PARSE_OK && mr_auth_web_event(&as->web, &hev, acct, &ev))
                mr_auth_scan_event(as, &ev);
            else if (r == MR_PARSE_MALFORMED) {
                as->malformed++;
                if (as->file_malformed++ < MR_AS_REPORT_PER_FILE)
                    mamori_diagf(as->ctx, MAMORI_DIAG_NOTE, as->file, as->file_line,
                                 "not a log line mamori reads: skipped");
            }
        }
        if (!nl)
            break;
        p = nl + 1;
    }
}

/* ---- cutting a stream into chunks ---------------------------------- */

/* Fills c with whole lines. Returns 0 when there is nothing more. */
static int fill_chunk(mr_line_reader *r, mr_auth_chunk *c)
{
    return mr_line_reader_fill(r, c->buf, MR_AUTH_CHUNK_SIZE, &c->len,
                               &c->overlong_marker);
}

mamori_err mr_auth_scan_source(mamori_authscan *as, const char *name,
                               mr_source *src, int64_t mtime, int in_dir)
{
    mr_line_reader r = {.src = src, .carry = as->buf};
    mr_auth_filekind kind = MR_AUTH_FILE_UNKNOWN;
    mamori_err ret = MAMORI_OK;
    size_t next = 0;

    as->file = name;
    as->file_line = as->file_malformed = 0;
    mr_auth_clock_init(&as->clock, as->ref_time ? as->ref_time : mtime);
    for (;;) {
        /* Slots go round in submission order, so when the pool is full
         * the chunk taken back is the one in slot `next`. */
        if (mr_pool_full(as->pool))
            take_back(as);
        mr_auth_chunk *c = &as->slots[next];
        mr_auth_chunk_reset(c);
        if (!fill_chunk(&r, c))
            break;
        if (kind == MR_AUTH_FILE_UNKNOWN) {
            mr_logformat_type web;
            kind = mr_auth_detect(c->buf, c->len, &web);
            if (kind == MR_AUTH_FILE_UNKNOWN) {
                mamori_diagf(as->ctx, in_dir ? MAMORI_DIAG_NOTE : MAMORI_DIAG_WARN,
                             name, 0, "not an auth, FTP or web access log "
                             "mamori knows: skipped");
                mr_auth_chunk_reset(c);
                return MAMORI_E_FORMAT;
            }
            if (kind == MR_AUTH_FILE_ACCESS)
                mr_logformat_init(as->fmt, web);
        }
        if (kind == MR_AUTH_FILE_ACCESS) {
            access_chunk(as, c);
            mr_auth_chunk_reset(c);
        } else {
            c->kind = kind;
            c->clock = as->clock;
            c->engine = as->engine;
            c->since = as->ctx->since;
            c->until = as->ctx->until;
            mr_pool_submit(as->pool, c); /* cannot fail: there is room */
            next = (next + 1) % as->nslots;
        }
        if (as->ctx->progress)
            as->ctx->progress(as->ctx->progress_user, name,
                              mr_source_consumed(src), mr_source_size(src));
    }
    drain(as);
    if (r.err == MAMORI_OK && kind == MR_AUTH_FILE_UNKNOWN)
        return MAMORI_OK; /* empty */
    as->files++;
    if (as->file_malformed > MR_AS_REPORT_PER_FILE)
        mamori_diagf(as->ctx, MAMORI_DIAG_NOTE, name, 0,
                     "%llu lines in all were not log lines mamori reads",
                     (unsigned long long)as->file_malformed);
    if (r.err) {
        mamori_diagf(as->ctx, MAMORI_DIAG_ERROR, name, 0,
                     "%s; results cover the %llu lines read before it",
                     mr_source_strerror(src, r.err),
                     (unsigned long long)as->file_line);
        as->unreadable++;
        ret = r.err;
    }
    return ret;
}
