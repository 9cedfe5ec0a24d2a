/*
 * logscan.c — the log scan driver (logscan.h): reads what the walker
 * (io/walk.h) finds in files and directories, detects each file's format, cuts the decompressed stream
 * into chunks of whole lines, has worker threads parse and check them
 * (chunk.c), and merges their results strictly in file order, so the
 * findings and line numbers are the same whatever the thread count.
 *
 *   reader (this thread) ──chunk──▶ workers ──results──▶ merge (this thread)
 *
 * The workers and the ordering are util/pool.h's: with N threads there
 * are N-1 workers, and the reader parses queued chunks too whenever it
 * would otherwise wait (caller_helps).
 *
 * Memory: the whole scan lives within one budget (opts.memory_budget),
 * whatever the input and the thread count. A fixed part is set aside for
 * the program, the detector and the reader (MR_LS_MEM_FIXED); of the
 * rest a third is for the chunks in flight and two thirds for the state
 * tables (stats.c, the scanner table), bounded in bytes and evicting
 * when full. The tables' share does not depend on the thread count, so
 * neither do their evictions nor the report. The chunks' share decides
 * how many chunks are in flight: each costs its buffer and its results
 * (an attack-dense chunk holds many), so the driver estimates a chunk's
 * cost from the ones it took back and lets no more in flight than the
 * share holds (at least one, at most MR_LS_INFLIGHT_MAX). Free chunks
 * are reused last in, first out, so chunks the budget keeps out are
 * never touched.
 */
#include "common.h"

#include <unistd.h>

#include "io/source.h"
#include "io/walk.h"
#include "logscan/chunk.h"
#include "logscan/reader.h"
#include "logscan/stats.h"
#include "mamori/logscan.h"
#include "util/pool.h"

#define MR_LS_INFLIGHT_MAX 16      /* chunks in memory at once */
/* program, detector, reader: the libraries a build links count (libxml2
 * brings ICU, libpq its own), measured by t0240 at the 32 MB minimum; a
 * constant, not the resident size at start, so that the tables' share,
 * their evictions and the report never depend on the run */
#define MR_LS_MEM_FIXED ((size_t)18 << 20)
#define MR_LS_MEM_SCAN_MIN ((size_t)6 << 20) /* chunks and tables, at least */
#define MR_LS_CHUNK_BASE (MR_CHUNK_SIZE + ((size_t)256 << 10)) /* a chunk's
                                    * cost before any is measured */
#define MR_LS_RESULTS_KEEP ((size_t)256 << 10) /* result arrays a free
                                    * chunk keeps */
#define MR_LS_THREADS_MAX 64
#define MR_LS_REPORT_PER_FILE 5    /* malformed/overlong lines named per file */
#define MR_LS_JUNK_MAX (64u << 20) /* unreadable bytes looked past for a first log line */
#define MR_LS_DETECT_SKIP_MAX 32   /* leading lines of a sample the guess looks past */

struct mamori_logscan {
    const mamori_ctx *ctx;
    mamori_logscan_opts opts;
    mr_logformat custom;
    int has_custom;
    mr_detector *det;
    mr_ls_stats *stats;
    mr_table *scanners_seen;   /* client NUL rule: scanner already reported */
    mr_ls_counts counts;
    const mamori_check *checks[MR_CAT_COUNT];
    /* chunks go round the ring of slots, through the pool and back */
    unsigned nthreads;
    mr_pool *pool;
    mr_detect_scratch *scratch[MR_LS_THREADS_MAX]; /* one per thread */
    size_t nslots;
    mr_chunk slots[MR_LS_INFLIGHT_MAX];
    size_t free_slot[MR_LS_INFLIGHT_MAX]; /* a stack: last freed, first reused */
    size_t nfree;
    size_t chunk_budget;      /* bytes for the chunks in flight */
    size_t chunk_cost;        /* estimated bytes of one chunk in flight */
    int cost_measured;        /* a chunk of at least half a buffer came back */
    /* per file */
    const char *file;
    uint64_t file_line, file_malformed, file_overlong;
    const mamori_sink *sink;
    int aborted;
};

/* ---- worker pool -------------------------------------------------- */

/* A chunk's parse and detection, on any thread (util/pool.h). */
static mamori_err run_chunk(void *job, unsigned worker, void *user)
{
    mamori_logscan *ls = user;
    mr_chunk_process(job, ls->det, ls->scratch[worker]);
    return MAMORI_OK;
}

static mamori_err pool_start(mamori_logscan *ls)
{
    ls->nslots = ls->nthreads == 1 ? 1 : MR_MIN((size_t)ls->nthreads * 2 + 1,
                                                (size_t)MR_LS_INFLIGHT_MAX);
    /* Until a chunk is measured, one in flight: it may be dense with
     * attacks. Then as many as the measured cost lets in. */
    ls->chunk_cost = MR_MAX((size_t)MR_LS_CHUNK_BASE, ls->chunk_budget);
    for (size_t i = 0; i < ls->nslots; i++) {
        mr_chunk_init(&ls->slots[i]);
        ls->slots[i].sizes_into = mr_ls_stats_sizes(ls->stats);
        ls->free_slot[ls->nslots - 1 - i] = i; /* slot 0 on top */
    }
    ls->nfree = ls->nslots;
    /* Workers 0..N-2 and the reader, N-1, each with its own scratch. */
    for (unsigned i = 0; i < ls->nthreads; i++)
        if (!(ls->scratch[i] = mr_detect_scratch_new(ls->det)))
            return MAMORI_E_NOMEM;
    mr_pool_opts o = {.workers = ls->nthreads - 1, .inflight = ls->nslots,
                      .caller_helps = 1, .run = run_chunk, .user = ls};
    return mr_pool_new(&o, &ls->pool);
}

static void pool_stop(mamori_logscan *ls)
{
    mr_pool_free(ls->pool);
    for (unsigned i = 0; i < ls->nthreads; i++)
        mr_detect_scratch_free(ls->scratch[i]);
    for (size_t i = 0; i < ls->nslots; i++)
        mr_chunk_destroy(&ls->slots[i]);
}

/* ---- creation ----------------------------------------------------- */

mamori_err mamori_logscan_new(const mamori_ctx *ctx,
                              const mamori_logscan_opts *opts,
                              mamori_logscan **out)
{
    *out = NULL;
    mamori_logscan *ls = calloc(1, sizeof(*ls));
    if (!ls)
        return MAMORI_E_NOMEM;
    ls->ctx = ctx;
    if (opts)
        ls->opts = *opts;
    ls->opts.format = NULL; /* compiled below; the string is not kept */
    if (opts && opts->format_kind != MAMORI_LOGFORMAT_AUTO) {
        char err[256];
        int r = opts->format_kind == MAMORI_LOGFORMAT_APACHE
                    ? mr_logformat_compile_apache(&ls->custom, opts->format ? opts->format : "", err, sizeof(err))
                    : mr_logformat_compile_nginx(&ls->custom, opts->format ? opts->format : "", err, sizeof(err));
        if (r != 0) {
            mamori_diagf(ctx, MAMORI_DIAG_ERROR, NULL, 0, "bad log format: %s", err);
            free(ls);
            return MAMORI_E_INVAL;
        }
        ls->has_custom = 1;
    }
    size_t max_clients = ls->opts.max_clients ? ls->opts.max_clients : MAMORI_LOGSCAN_CLIENTS_DEFAULT;
    size_t max_paths = ls->opts.max_paths ? ls->opts.max_paths : MAMORI_LOGSCAN_PATHS_DEFAULT;
    size_t budget = ls->opts.memory_budget ? ls->opts.memory_budget
                                           : MAMORI_LOGSCAN_MEMORY_DEFAULT;
    if (budget < MAMORI_LOGSCAN_MEMORY_MIN) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, NULL, 0, "memory budget below %zu MB",
                     MAMORI_LOGSCAN_MEMORY_MIN >> 20);
        free(ls);
        return MAMORI_E_INVAL;
    }
    size_t scan = budget > MR_LS_MEM_FIXED + MR_LS_MEM_SCAN_MIN
                      ? budget - MR_LS_MEM_FIXED : MR_LS_MEM_SCAN_MIN;
    ls->chunk_budget = scan / 3;
    size_t tables = scan - ls->chunk_budget;
    ls->nthreads = MR_MIN(mr_pool_cpu_threads(ctx->threads),
                          (unsigned)MR_LS_THREADS_MAX);
    for (int c = 0; c < MR_CAT_COUNT; c++)
        if (!(ls->checks[c] = mamori_check_find(mr_category_check_id((mr_category)c)))) {
            free(ls);
            return MAMORI_E_INTERNAL;
        }
    ls->det = mr_detector_new();
    /* The scanner table is small (client and tool names): a sixteenth. */
    ls->stats = mr_ls_stats_new(max_clients, max_paths, tables - tables / 16);
    ls->scanners_seen = mr_table_new_bytes(max_clients, tables / 16, 1, NULL);
    mamori_err e = MAMORI_E_NOMEM;
    if (ls->det && ls->stats && ls->scanners_seen)
        e = pool_start(ls);
    if (e) {
        mamori_logscan_free(ls);
        return e;
    }
    *out = ls;
    return MAMORI_OK;
}

void mamori_logscan_free(mamori_logscan *ls)
{
    if (!ls)
        return;
    pool_stop(ls);
    mr_detector_free(ls->det);
    mr_ls_stats_free(ls->stats);
    mr_table_free(ls->scanners_seen);
    free(ls);
}

void mamori_logscan_get_stats(const mamori_logscan *ls, mamori_logscan_stats *st)
{
    st->files = ls->counts.files;
    st->bytes = ls->counts.bytes;
    st->lines = ls->counts.lines;
    st->parsed = ls->counts.parsed;
    st->malformed = ls->counts.malformed;
    st->overlong = ls->counts.overlong;
    st->findings = ls->counts.findings;
}

/* ---- merge: results to findings ----------------------------------- */

static const char *verdict_of(const mamori_logscan *ls, const mr_pending *p,
                              mr_category cat, mr_span path)
{
    int st = p->ev.status;
    if (cat == MR_CAT_SCANNER || st < 200 || st > 299)
        return "attempt";
    if (cat == MR_CAT_SENSITIVE_FILE && p->ev.bytes == 0)
        return "attempt";
    if (cat == MR_CAT_SQLI)
        /* A 2xx answer of the usual size is the page's normal error or
         * empty result; unusual sizes (or no baseline yet) may be data. */
        return mr_ls_stats_size_unusual(ls->stats, path, p->ev.bytes) == 0
                   ? "attempt" : "possible-success";
    return "possible-success";
}

static mamori_severity raise_one(mamori_severity s)
{
    return s < MAMORI_SEV_CRITICAL ? (mamori_severity)(s + 1) : s;
}

/* A scanner sends hundreds of requests with the same user agent: the
 * first one from each client is the finding, the rest are counted in the
 * summary. */
static int scanner_repeat(mamori_logscan *ls, const mr_http_event *ev,
                          const mr_hit *h)
{
    char key[MR_TABLE_KEY_MAX];
    size_t cn = MR_MIN(ev->client.n, (size_t)128);
    size_t rn = MR_MIN(strlen(h->rule), sizeof(key) - cn - 1);
    int created = 0;
    memcpy(key, ev->client.p, cn);
    key[cn] = '\0';
    memcpy(key + cn + 1, h->rule, rn);
    return mr_table_upsert(ls->scanners_seen, key, cn + 1 + rn, &created) &&
           !created;
}

static void emit(mamori_logscan *ls, const mr_chunk *c, const mr_pending *p,
                 uint64_t base_line)
{
    const mr_http_event *ev = &p->ev;
    mr_span path = mr_ls_target_path(ev->target);
    mr_span request = ev->request.n ? ev->request : ev->target;

    for (uint32_t k = 0; k < p->nhits && !ls->aborted; k++) {
        const mr_hit *h = &c->hits[p->first_hit + k];
        const char *verdict = verdict_of(ls, p, h->category, path);
        int success = verdict[0] == 'p';
        mamori_finding f;
        memset(&f, 0, sizeof(f));
        f.check = ls->checks[h->category];
        f.severity = success ? raise_one(f.check->severity) : f.check->severity;
        f.category = mr_category_name(h->category);
        f.verdict = verdict;
        f.file = ls->file;
        f.line = base_line + p->line;
        f.time = ev->time;
        f.evidence = h->evidence;
        f.evidence_len = h->evidence_len;
        mamori_finding_str(&f, "client", ev->client.p, ev->client.n);
        mamori_finding_str(&f, "method", ev->method.p, ev->method.n);
        mamori_finding_str(&f, "request", request.p, request.n);
        mamori_finding_int(&f, "status", ev->status);
        mamori_finding_int(&f, "size", ev->bytes);
        mamori_finding_str(&f, "user_agent", ev->user_agent.p, ev->user_agent.n);
        if (ev->referer.n && !(ev->referer.n == 1 && ev->referer.p[0] == '-'))
            mamori_finding_str(&f, "referer", ev->referer.p, ev->referer.n);
        if (ev->vhost.n)
            mamori_finding_str(&f, "vhost", ev->vhost.p, ev->vhost.n);
        mamori_finding_str(&f, "rule", h->rule, strlen(h->rule));
        mr_ls_stats_attack(ls->stats, ev, path, h->category, success);
        if (h->category == MR_CAT_SCANNER && scanner_repeat(ls, ev, h))
            continue;
        ls->counts.findings++;
        if (ls->sink && ls->sink->finding &&
            ls->sink->finding(ls->sink->user, &f) != 0)
            ls->aborted = 1;
    }
}

static void merge_chunk(mamori_logscan *ls, mr_chunk *c)
{
    uint64_t base = ls->file_line;
    ls->file_line += c->lines;
    ls->counts.lines += c->lines;
    ls->counts.parsed += c->parsed;
    ls->counts.malformed += c->malformed;
    ls->counts.overlong += c->overlong;
    ls->counts.skipped += c->skipped;
    ls->counts.out_of_window += c->out_of_window;
    for (uint64_t i = 0; i < MR_MIN(c->malformed, (uint64_t)MR_CHUNK_MALFORMED_KEEP); i++)
        if (ls->file_malformed + i < MR_LS_REPORT_PER_FILE)
            mamori_diagf(ls->ctx, MAMORI_DIAG_WARN, ls->file, base + c->malformed_at[i],
                         "malformed line: not in the file's log format");
    for (uint64_t i = 0; i < MR_MIN(c->overlong, (uint64_t)MR_CHUNK_MALFORMED_KEEP); i++)
        if (ls->file_overlong + i < MR_LS_REPORT_PER_FILE)
            mamori_diagf(ls->ctx, MAMORI_DIAG_WARN, ls->file, base + c->overlong_at[i],
                         "line longer than %d bytes: skipped", MAMORI_LOGSCAN_LINE_MAX);
    ls->file_malformed += c->malformed;
    ls->file_overlong += c->overlong;
    if (c->oom)
        mamori_diagf(ls->ctx, MAMORI_DIAG_ERROR, ls->file, base,
                     "out of memory: some results of this part are missing");
    if (c->sizes)
        mr_ls_stats_merge_sizes(ls->stats, c->sizes);
    for (size_t i = 0; i < c->npending && !ls->aborted; i++)
        emit(ls, c, &c->pending[i], base);
}

/* ---- the pipeline: chunks out to the pool, back in order ------------ */

/* Takes the oldest chunk back from the pool and merges it; once the sink
 * has asked to stop, the rest are only taken back, and those not yet
 * started are never parsed. The chunk's size teaches the estimate (up at
 * once, down slowly: it counts the result arrays the chunk keeps), and
 * the chunk goes back on the free stack. The first chunk of at least
 * half a buffer replaces the start's guess (the whole budget) at once:
 * coming down from it a quarter a chunk kept the second worker idle for
 * the first three chunks of every scan. */
static void take_back(mamori_logscan *ls)
{
    mamori_err st;
    mr_chunk *c = mr_pool_next(ls->pool, &st);
    if (!c)
        return;
    if (st == MAMORI_OK && !ls->aborted) {
        merge_chunk(ls, c);
        if (ls->aborted)
            mr_pool_cancel(ls->pool);
    }
    size_t used = mr_chunk_bytes(c);
    if (!ls->cost_measured && st == MAMORI_OK && c->len >= MR_CHUNK_SIZE / 2) {
        ls->chunk_cost = MR_MAX(used, (size_t)MR_LS_CHUNK_BASE);
        ls->cost_measured = 1;
    } else {
        ls->chunk_cost = MR_MAX(MR_MAX(used, (size_t)MR_LS_CHUNK_BASE),
                                ls->chunk_cost - ls->chunk_cost / 4);
    }
    ls->free_slot[ls->nfree++] = (size_t)(c - ls->slots);
    /* A chunk keeps its result arrays for the next one (freeing and
     * growing them again would leave the allocator's heaps fragmented);
     * the free chunks deeper in the stack than the budget lets in wait
     * long, so they keep little. */
    size_t in = MR_MAX(ls->chunk_budget / ls->chunk_cost, (size_t)1);
    for (size_t i = 0; i + in < ls->nfree; i++)
        mr_chunk_trim(&ls->slots[ls->free_slot[i]], MR_LS_RESULTS_KEEP);
}

/* Is there room for one more chunk: a free one, and the budget? */
static int room_for_chunk(const mamori_logscan *ls)
{
    size_t pending = mr_pool_pending(ls->pool);
    if (pending == 0)
        return 1;
    return ls->nfree > 0 && !mr_pool_full(ls->pool) &&
           (pending + 1) * ls->chunk_cost <= ls->chunk_budget;
}

static void drain(mamori_logscan *ls)
{
    while (mr_pool_pending(ls->pool))
        take_back(ls);
}

static const char unknown_format_msg[] =
    "not a web access log in a format mamori knows "
    "(common, combined, W3C, JSON; or give --log-format): skipped";

/* The format of a sample whose first lines are not the log's: random
 * bytes that happen to hold no NUL and few control bytes between two
 * newlines (about one line in seven of random junk), or a header. The
 * guess again from each of the next MR_LS_DETECT_SKIP_MAX lines: the log
 * after a crash's junk begins there. */
static mr_logformat_type detect_further(const char *sample, size_t n)
{
    size_t off = 0;
    for (unsigned k = 0; k < MR_LS_DETECT_SKIP_MAX && off < n; k++) {
        const char *nl = memchr(sample + off, '\n', n - off);
        if (!nl)
            break;
        off = (size_t)(nl + 1 - sample);
        mr_logformat_type t = off < n ? mr_logformat_detect(sample + off, n - off)
                                      : MR_LOGFORMAT_UNKNOWN;
        if (t != MR_LOGFORMAT_UNKNOWN)
            return t;
    }
    return MR_LOGFORMAT_UNKNOWN;
}

/* Scans one opened source. `quiet_unknown`: an unrecognized format is a
 * note (a directory's error.log), not a warning. */
static mamori_err scan_source(mamori_logscan *ls, const char *name,
                              mr_source *src, int quiet_unknown)
{
    mr_ls_reader r = {.src = src};
    mamori_err ret = MAMORI_OK;
    mr_logformat fmt;
    int have_fmt = 0;
    char *sample = NULL;
    uint64_t junk_bytes = 0, junk_lines = 0;

    mr_logformat_init(&fmt, MR_LOGFORMAT_UNKNOWN);
    if (!(r.carry = malloc(MR_CHUNK_SIZE)) || !(sample = malloc(MR_LS_DETECT_SAMPLE))) {
        free(r.carry);
        return MAMORI_E_NOMEM;
    }
    ls->file = name;
    ls->file_line = ls->file_malformed = ls->file_overlong = 0;
    for (;;) {
        while (!room_for_chunk(ls))
            take_back(ls);
        if (ls->aborted)
            break;
        mr_chunk *c = &ls->slots[ls->free_slot[ls->nfree - 1]];
        if (mr_chunk_ready(c)) {
            mamori_diagf(ls->ctx, MAMORI_DIAG_ERROR, name, 0,
                         "out of memory: the rest of this file is not read");
            ret = MAMORI_E_NOMEM;
            break;
        }
        mr_chunk_reset(c);
        uint64_t dropped = r.dropped;
        if (!mr_ls_fill_chunk(&r, c))
            break;
        /* overlong lines are read too, though not kept */
        ls->counts.bytes += c->len + (r.dropped - dropped);
        if (!have_fmt && !c->overlong_marker) {
            if (ls->has_custom) {
                fmt = ls->custom;
            } else {
                size_t unreadable;
                size_t n = mr_ls_detect_sample(c->buf, c->len, sample, &unreadable);
                mr_logformat_type t = mr_logformat_detect(sample, n);
                if (t == MR_LOGFORMAT_UNKNOWN)
                    t = detect_further(sample, n);
                if (t == MR_LOGFORMAT_UNKNOWN && (n == 0 || unreadable) &&
                    junk_bytes < MR_LS_JUNK_MAX) {
                    /* no readable line yet (a crash's binary junk, NUL
                     * blocks after a power cut): count it, look further */
                    uint64_t lines = mr_ls_count_lines(c->buf, c->len);
                    junk_bytes += c->len;
                    junk_lines += lines;
                    ls->file_line += lines;
                    ls->counts.lines += lines;
                    ls->counts.malformed += lines;
                    continue;
                }
                if (t == MR_LOGFORMAT_UNKNOWN && mr_ls_login_log(sample, n)) {
                    /* login attacks are authscan's: say so, never drop
                     * them silently (a whole /var/log holds auth.log) */
                    mamori_diagf(ls->ctx, quiet_unknown ? MAMORI_DIAG_NOTE : MAMORI_DIAG_ERROR,
                                 name, 0, "a login log (sshd, FTP, su, sudo), not a web "
                                 "access log: not scanned here; run `mamori authscan %s` "
                                 "(or `mamori audit`) for login attacks", name);
                    ret = MAMORI_E_FORMAT;
                    ls->counts.login_logs++;
                    break;
                }
                if (t == MR_LOGFORMAT_UNKNOWN) {
                    mamori_diagf(ls->ctx, quiet_unknown ? MAMORI_DIAG_NOTE : MAMORI_DIAG_ERROR,
                                 name, 0, "%s", unknown_format_msg);
                    ret = MAMORI_E_FORMAT;
                    ls->counts.skipped_files++;
                    break;
                }
                mr_logformat_init(&fmt, t);
            }
            have_fmt = 1;
            if (junk_lines > 0)
                mamori_diagf(ls->ctx, MAMORI_DIAG_WARN, name, 1,
                             "lines 1-%llu (%llu bytes) are unreadable (binary or NUL "
                             "bytes), not log lines: skipped; scanning from line %llu",
                             (unsigned long long)junk_lines, (unsigned long long)junk_bytes,
                             (unsigned long long)junk_lines + 1);
        }
        c->fmt = fmt;
        c->since = ls->ctx->since;
        c->until = ls->ctx->until;
        if (fmt.type == MR_LOGFORMAT_W3C)
            mr_ls_follow_directives(&fmt, c->buf, c->len);
        mr_pool_submit(ls->pool, c); /* cannot fail: there is room */
        ls->nfree--;
        if (ls->ctx->progress)
            ls->ctx->progress(ls->ctx->progress_user, name,
                              mr_source_consumed(src), mr_source_size(src));
    }
    drain(ls);
    if (!have_fmt && junk_lines > 0 && ret == MAMORI_OK && !ls->aborted && !r.err) {
        /* nothing but junk: not a log after all, and its lines uncounted */
        ls->counts.lines -= junk_lines;
        ls->counts.malformed -= junk_lines;
        mamori_diagf(ls->ctx, quiet_unknown ? MAMORI_DIAG_NOTE : MAMORI_DIAG_ERROR,
                     name, 0, "%s", unknown_format_msg);
        ret = MAMORI_E_FORMAT;
        ls->counts.skipped_files++;
    }
    if (ret == MAMORI_OK)
        ls->counts.files++;
    if (r.err) {
        mamori_diagf(ls->ctx, MAMORI_DIAG_ERROR, name, 0,
                     "%s; results cover the %llu lines read before it",
                     mr_source_strerror(src, r.err),
                     (unsigned long long)ls->file_line);
        ls->counts.unreadable++;
        ret = r.err;
    }
    if (ls->file_malformed > MR_LS_REPORT_PER_FILE)
        mamori_diagf(ls->ctx, MAMORI_DIAG_WARN, name, 0,
                     "%llu malformed lines in all (the first %d are named above)",
                     (unsigned long long)ls->file_malformed, MR_LS_REPORT_PER_FILE);
    free(r.carry);
    free(sample);
    return ls->aborted ? MAMORI_E_ABORTED : ret;
}

/* ---- files and directories ----------------------------------------- */

static mamori_err scan_walked(void *user, const mr_walk_file *f)
{
    mamori_logscan *ls = user;
    mamori_err e = scan_source(ls, f->path, f->src, f->in_dir);
    if (f->in_dir && e == MAMORI_E_FORMAT)
        e = MAMORI_OK; /* a directory holds other files too */
    return e;
}

mamori_err mamori_logscan_path(mamori_logscan *ls, const char *path,
                               const mamori_sink *sink)
{
    mr_walk_opts w = {.ctx = ls->ctx, .follow = ls->opts.follow,
                      .fn = scan_walked, .user = ls,
                      .unreadable = &ls->counts.unreadable};
    ls->sink = sink;
    return mr_walk_path(&w, path);
}

mamori_err mamori_logscan_dir_entry(mamori_logscan *ls, const char *path,
                                    const mamori_sink *sink)
{
    mr_walk_opts w = {.ctx = ls->ctx, .fn = scan_walked, .user = ls,
                      .unreadable = &ls->counts.unreadable};
    ls->sink = sink;
    return mr_walk_entry(&w, path);
}

mamori_err mamori_logscan_buffer(mamori_logscan *ls, const char *name,
                                 const void *data, size_t len,
                                 const mamori_sink *sink)
{
    mr_source *src;
    mamori_err e = mr_source_open_mem(data, len, &src);
    if (e)
        return e;
    ls->sink = sink;
    e = scan_source(ls, name, src, 0);
    mr_source_close(src);
    return e;
}

mamori_err mamori_logscan_finish(mamori_logscan *ls, const mamori_sink *sink)
{
    mamori_summary *s = mr_ls_stats_summary(ls->stats, &ls->counts);
    if (!s)
        return MAMORI_E_NOMEM;
    uint64_t ev_clients, ev_paths;
    mr_ls_stats_evictions(ls->stats, &ev_clients, &ev_paths);
    if (ev_clients || ev_paths)
        mamori_diagf(ls->ctx, MAMORI_DIAG_NOTE, NULL, 0,
                     "state tables were full: %llu client and %llu path entries "
                     "were evicted (least active first); per-client and per-path "
                     "tables are approximate (raise --memory, or --max-clients/--max-paths)",
                     (unsigned long long)ev_clients, (unsigned long long)ev_paths);
    if (sink && sink->summary)
        return sink->summary(sink->user, s) ? MAMORI_E_ABORTED : MAMORI_OK;
    mamori_summary_free(s);
    return MAMORI_OK;
}
