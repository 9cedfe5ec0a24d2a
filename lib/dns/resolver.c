/*
 * resolver.c — mr_dns_resolver over libunbound (see resolver.h).
 *
 * Queries are asynchronous underneath so that a deadline can cut them:
 * ub_resolve_async(), then poll() on ub_fd() until the answer arrives or
 * the time is up, then ub_cancel(). The answer's records go through
 * mr_dns_answer_add_rdata(), the one place that reads wire rdata, and
 * its DNSSEC status (secure, insecure, bogus) is kept in the answer.
 *
 * Prefetching: a domain's check asks some twenty to forty questions it
 * knows in advance (MX, TXT, _dmarc, the DKIM selectors...). Asked one
 * after another each costs a round trip and a wake-up of libunbound's
 * thread; mr_ub_prefetch() sends them all at once and a later query for
 * the same name and type takes its answer from there (waiting for it if
 * need be). The checks stay plain sequential code.
 *
 * With a server given and nothing to validate, libunbound is not used at
 * all: the stub resolver of stub.h does the same work with one socket
 * and no thread (see docs/dns.md for why); the functions below hand each
 * call to whichever backend the mr_ub was made with.
 */
#include "common.h"

#include <arpa/inet.h>
#include <poll.h>
#include <strings.h>
#include <time.h>
#include <unbound.h>
#include <unistd.h>

#include "dns/resolver.h"
#include "dns/stub.h"

#include "dlib_sonames.h"
#include "util/dlib.h"

/* libunbound8, opened where it is first needed (util/dlib.h). */
#define MR_UNBOUND_FUNCS(X) \
    X(ub_cancel) \
    X(ub_ctx_add_ta_file) \
    X(ub_ctx_async) \
    X(ub_ctx_create) \
    X(ub_ctx_delete) \
    X(ub_ctx_resolvconf) \
    X(ub_ctx_set_fwd) \
    X(ub_ctx_set_option) \
    X(ub_ctx_zone_add) \
    X(ub_fd) \
    X(ub_process) \
    X(ub_resolve_async) \
    X(ub_resolve_free) \
    X(ub_strerror)
MR_DLIB_DEFINE(unbound, MR_SONAME_UNBOUND, "libunbound8", MR_UNBOUND_FUNCS);

#define MR_UB_SERVER_MAX 80      /* "ADDR@PORT" */
#define MR_UB_ROOT_KEY "/usr/share/dns/root.key"

/* The state of one query between ub_resolve_async() and its callback. */
typedef struct query_wait {
    bool done;
    int err;
    struct ub_result *res;
} query_wait;

/* A query sent ahead (mr_ub_prefetch), until taken or cleared. */
typedef struct prefetch {
    char name[MR_DNS_NAME_MAX + 1];
    int type;
    int async_id;
    int slot;                    /* the stub's slot (stub backend) */
    bool taken;
    query_wait w;
} prefetch;

struct mr_ub {
    struct ub_ctx *ctx;          /* libunbound backend, or */
    mr_stub *stub;               /* the stub backend */
    int64_t deadline;            /* monotonic ms; 0 = none */
    uint64_t queries;
    size_t n_pf;
    prefetch pf[MR_UB_PREFETCH_MAX];
    char last_error[MR_UB_ERROR_MAX];
};

int mr_ub_server_spec(const char *s, char *out, size_t cap)
{
    char addr[MR_IP_TEXT_MAX];
    const char *port = NULL;
    size_t alen;
    uint8_t tmp[16];

    if (s == NULL || *s == '\0')
        return -1;
    if (s[0] == '[') {                       /* [v6]:port or [v6] */
        const char *close = strchr(s, ']');
        if (close == NULL)
            return -1;
        alen = (size_t)(close - s - 1);
        if (close[1] == ':')
            port = close + 2;
        else if (close[1] != '\0')
            return -1;
        s++;
    } else {
        const char *colon = strchr(s, ':');
        if (colon && strchr(colon + 1, ':') == NULL) {  /* v4:port */
            alen = (size_t)(colon - s);
            port = colon + 1;
        } else {
            alen = strlen(s);                /* v4 or bare v6 */
        }
    }
    if (alen == 0 || alen >= sizeof addr)
        return -1;
    memcpy(addr, s, alen);
    addr[alen] = '\0';
    if (inet_pton(AF_INET, addr, tmp) != 1 && inet_pton(AF_INET6, addr, tmp) != 1)
        return -1;
    unsigned long pn = 53;
    if (port) {
        char *end;
        errno = 0;
        pn = strtoul(port, &end, 10);
        if (errno || *end || end == port || pn == 0 || pn > 65535)
            return -1;
    }
    int n = snprintf(out, cap, "%s@%lu", addr, pn);
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* A resolver over the stub (stub.h): a server and no validation. */
static int new_stub(const char *server, mr_ub **out, char *err, size_t cap)
{
    char spec[MR_UB_SERVER_MAX];
    if (mr_ub_server_spec(server, spec, sizeof spec) != 0) {
        snprintf(err, cap, "bad resolver address '%s' (want ADDR or "
                 "ADDR:PORT, [IPv6]:PORT)", server);
        return -1;
    }
    mr_ub *ub = calloc(1, sizeof *ub);
    if (ub == NULL) {
        snprintf(err, cap, "out of memory");
        return -1;
    }
    if (mr_stub_new(spec, &ub->stub, err, cap) != 0) {
        free(ub);
        return -1;
    }
    *out = ub;
    return 0;
}

int mr_ub_new(const mr_ub_opts *opts, mr_ub **out, char *err, size_t cap)
{
    char spec[MR_UB_SERVER_MAX];
    int r;

    *out = NULL;
    if (opts->server && opts->trust_anchor == NULL && !opts->root_anchor)
        return new_stub(opts->server, out, err, cap);
    if (mr_dlib_load(&mr_dlib_unbound) != 0) {
        snprintf(err, cap, "%s", mr_dlib_error(&mr_dlib_unbound));
        return -1;
    }
    mr_ub *ub = calloc(1, sizeof *ub);
    if (ub == NULL || (ub->ctx = mr_sym_ub_ctx_create()) == NULL) {
        snprintf(err, cap, "out of memory");
        free(ub);
        return -1;
    }
    /* Threads, not a forked process, for the asynchronous work; the
     * given server may well be on this machine (tests, local resolvers). */
    if ((r = mr_sym_ub_ctx_async(ub->ctx, 1)) != 0 ||
        (r = mr_sym_ub_ctx_set_option(ub->ctx, "do-not-query-localhost:", "no")) != 0)
        goto ub_fail;
    if (opts->server) {
        if (mr_ub_server_spec(opts->server, spec, sizeof spec) != 0) {
            snprintf(err, cap, "bad resolver address '%s' (want ADDR or "
                     "ADDR:PORT, [IPv6]:PORT)", opts->server);
            goto fail;
        }
        if ((r = mr_sym_ub_ctx_set_fwd(ub->ctx, spec)) != 0)
            goto ub_fail;
    } else if (access("/etc/resolv.conf", R_OK) == 0) {
        if ((r = mr_sym_ub_ctx_resolvconf(ub->ctx, NULL)) != 0)
            goto ub_fail;
    }
    if (opts->trust_anchor &&
        (r = mr_sym_ub_ctx_add_ta_file(ub->ctx, opts->trust_anchor)) != 0) {
        snprintf(err, cap, "cannot read trust anchor %s: %s",
                 opts->trust_anchor, mr_sym_ub_strerror(r));
        goto fail;
    }
    if (opts->root_anchor && access(MR_UB_ROOT_KEY, R_OK) == 0 &&
        (r = mr_sym_ub_ctx_add_ta_file(ub->ctx, MR_UB_ROOT_KEY)) != 0)
        goto ub_fail;
    /* The server named is asked about every name: libunbound's own
     * answers for special-use names (RFC 6761 "test.") would hide what a
     * lab or test server serves there. Last: adding a zone finalizes the
     * context's settings. */
    if (opts->server &&
        (r = mr_sym_ub_ctx_zone_add(ub->ctx, "test.", "transparent")) != 0)
        goto ub_fail;
    *out = ub;
    return 0;
ub_fail:
    snprintf(err, cap, "resolver set-up failed: %s", mr_sym_ub_strerror(r));
fail:
    mr_ub_free(ub);
    return -1;
}

void mr_ub_free(mr_ub *ub)
{
    if (ub == NULL)
        return;
    mr_ub_prefetch_clear(ub);
    if (ub->ctx)
        mr_sym_ub_ctx_delete(ub->ctx);
    mr_stub_free(ub->stub);
    free(ub);
}

void mr_ub_set_deadline(mr_ub *ub, unsigned ms)
{
    ub->deadline = ms ? mr_now_ms() + ms : 0;
}

int64_t mr_ub_remaining_ms(const mr_ub *ub)
{
    if (ub->deadline == 0)
        return MR_UB_QUERY_TIMEOUT_MS;
    int64_t left = ub->deadline - mr_now_ms();
    return left > 0 ? left : 0;
}

const char *mr_ub_last_error(const mr_ub *ub)
{
    return ub->last_error;
}

uint64_t mr_ub_queries(const mr_ub *ub)
{
    return ub->queries;
}

static void on_result(void *user, int err, struct ub_result *res)
{
    query_wait *w = user;
    w->done = true;
    w->err = err;
    w->res = res;
}

/* Copies a finished result into ans; returns an MR_DNS_* code. */
static int take_result(mr_ub *ub, const char *name, int rrtype,
                       struct ub_result *res, mr_dns_answer *ans)
{
    char tbuf[12];

    if (res->bogus) {
        ans->dnssec = MR_DNSSEC_BOGUS;
        snprintf(ub->last_error, sizeof ub->last_error,
                 "%s %s: DNSSEC validation failed: %.160s", name,
                 mr_dns_type_name(rrtype, tbuf, sizeof tbuf),
                 res->why_bogus ? res->why_bogus : "bogus");
        return MR_DNS_SERVFAIL;
    }
    ans->dnssec = res->secure ? MR_DNSSEC_SECURE : MR_DNSSEC_UNKNOWN;
    if (res->rcode != 0) {
        if (res->rcode != MR_DNS_NXDOMAIN)
            snprintf(ub->last_error, sizeof ub->last_error, "%s %s: %s",
                     name, mr_dns_type_name(rrtype, tbuf, sizeof tbuf),
                     mr_dns_rcode_name(res->rcode));
        return res->rcode;
    }
    for (size_t i = 0; res->havedata && res->data[i] != NULL; i++) {
        int len = res->len[i];
        int r = mr_dns_answer_add_rdata(ans, rrtype, res->data[i],
                                        len > 0 ? (size_t)len : 0);
        if (r == -1)
            snprintf(ub->last_error, sizeof ub->last_error,
                     "%s %s: malformed record dropped", name,
                     mr_dns_type_name(rrtype, tbuf, sizeof tbuf));
        else if (r == -2)
            break;   /* answer full: marked truncated */
    }
    return MR_DNS_NOERROR;
}

/* Waits until w is done or until passes; 0, or an MR_DNS_* failure
 * (the query is then cancelled). Callbacks of other queries (prefetches)
 * run meanwhile and land in their own query_wait. */
static int wait_for(mr_ub *ub, query_wait *w, int async_id, int64_t until,
                    const char *name, int rrtype)
{
    char tbuf[12];
    while (!w->done) {
        int64_t now = mr_now_ms();
        if (now >= until) {
            mr_sym_ub_cancel(ub->ctx, async_id);
            snprintf(ub->last_error, sizeof ub->last_error,
                     "%s %s: no answer in time", name,
                     mr_dns_type_name(rrtype, tbuf, sizeof tbuf));
            return MR_DNS_TIMEOUT;
        }
        struct pollfd pfd = {mr_sym_ub_fd(ub->ctx), POLLIN, 0};
        int pr = poll(&pfd, 1, (int)(until - now));
        if (pr < 0 && errno != EINTR) {
            mr_sym_ub_cancel(ub->ctx, async_id);
            return MR_DNS_FAILURE;
        }
        if (pr > 0 && mr_sym_ub_process(ub->ctx) != 0) {
            mr_sym_ub_cancel(ub->ctx, async_id);
            return MR_DNS_FAILURE;
        }
    }
    return 0;
}

/* The answer of a finished wait into ans; frees the result. */
static int finish(mr_ub *ub, query_wait *w, const char *name, int rrtype,
                  mr_dns_answer *ans)
{
    if (w->err != 0 || w->res == NULL) {
        snprintf(ub->last_error, sizeof ub->last_error, "%s: %s", name,
                 mr_sym_ub_strerror(w->err));
        if (w->res)
            mr_sym_ub_resolve_free(w->res);
        w->res = NULL;
        return MR_DNS_FAILURE;
    }
    int r = take_result(ub, name, rrtype, w->res, ans);
    mr_sym_ub_resolve_free(w->res);
    w->res = NULL;
    return r;
}

/* The prefetch of (name, rrtype) not yet taken, or NULL. */
static prefetch *find_prefetch(mr_ub *ub, const char *name, int rrtype)
{
    for (size_t i = 0; i < ub->n_pf; i++) {
        prefetch *p = &ub->pf[i];
        if (!p->taken && p->type == rrtype && strcasecmp(p->name, name) == 0)
            return p;
    }
    return NULL;
}

/* When a query started now must be answered by; 0 if already too late. */
static int64_t query_until(const mr_ub *ub)
{
    int64_t now = mr_now_ms();
    int64_t until = now + MR_UB_QUERY_TIMEOUT_MS;
    if (ub->deadline && ub->deadline < until)
        until = ub->deadline;
    return until <= now ? 0 : until;
}

void mr_ub_prefetch(mr_ub *ub, const char *name, int rrtype)
{
    size_t n = strlen(name);
    if (ub->n_pf >= MR_UB_PREFETCH_MAX || n == 0 || n > MR_DNS_NAME_MAX ||
        find_prefetch(ub, name, rrtype) != NULL || query_until(ub) == 0)
        return;
    prefetch *p = &ub->pf[ub->n_pf];
    memcpy(p->name, name, n + 1);
    p->type = rrtype;
    p->taken = false;
    p->w = (query_wait){false, 0, NULL};
    if (ub->stub) {
        char why[MR_UB_ERROR_MAX];
        p->slot = mr_stub_send(ub->stub, name, rrtype, why, sizeof why);
        if (p->slot < 0)
            return;   /* asked again, plainly, when needed */
        ub->n_pf++;
        ub->queries++;
        return;
    }
    if (mr_sym_ub_resolve_async(ub->ctx, name, rrtype, 1, &p->w, on_result,
                                &p->async_id) != 0)
        return;   /* asked again, plainly, when needed */
    ub->n_pf++;
    ub->queries++;
}

void mr_ub_prefetch_clear(mr_ub *ub)
{
    for (size_t i = 0; i < ub->n_pf; i++) {
        prefetch *p = &ub->pf[i];
        if (p->taken)
            continue;
        if (ub->stub)
            mr_stub_release(ub->stub, p->slot);
        else if (!p->w.done)
            mr_sym_ub_cancel(ub->ctx, p->async_id);
        else if (p->w.res)
            mr_sym_ub_resolve_free(p->w.res);
    }
    ub->n_pf = 0;
}

/* ub_query() over the stub: a prefetched slot or a new question. */
static int stub_query(mr_ub *ub, const char *name, int rrtype, int64_t until,
                      mr_dns_answer *ans)
{
    char why[MR_UB_ERROR_MAX], tbuf[12];
    int slot;
    prefetch *p = find_prefetch(ub, name, rrtype);
    if (p != NULL) {
        p->taken = true;   /* from here on, this call owns its slot */
        slot = p->slot;
    } else {
        ub->queries++;
        slot = mr_stub_send(ub->stub, name, rrtype, why, sizeof why);
        if (slot < 0) {
            snprintf(ub->last_error, sizeof ub->last_error, "%s: %.120s",
                     name, why);
            return MR_DNS_FAILURE;
        }
    }
    why[0] = '\0';
    int r = mr_stub_wait(ub->stub, slot, until, ans, why, sizeof why);
    if (why[0] != '\0' && r != MR_DNS_NXDOMAIN)
        snprintf(ub->last_error, sizeof ub->last_error, "%s %s: %.120s",
                 name, mr_dns_type_name(rrtype, tbuf, sizeof tbuf), why);
    else if (r != MR_DNS_NOERROR && r != MR_DNS_NXDOMAIN)
        snprintf(ub->last_error, sizeof ub->last_error, "%s %s: %s", name,
                 mr_dns_type_name(rrtype, tbuf, sizeof tbuf),
                 mr_dns_rcode_name(r));
    return r;
}

static int ub_query(void *user, const char *name, int rrtype,
                    mr_dns_answer *ans)
{
    mr_ub *ub = user;
    query_wait w = {false, 0, NULL};
    int async_id = 0;

    int64_t until = query_until(ub);
    if (until == 0) {
        snprintf(ub->last_error, sizeof ub->last_error,
                 "%s: deadline passed before the query", name);
        return MR_DNS_TIMEOUT;
    }
    if (ub->stub)
        return stub_query(ub, name, rrtype, until, ans);
    prefetch *p = find_prefetch(ub, name, rrtype);
    if (p != NULL) {
        p->taken = true;   /* from here on, this call owns it */
        int r = wait_for(ub, &p->w, p->async_id, until, name, rrtype);
        return r != 0 ? r : finish(ub, &p->w, name, rrtype, ans);
    }
    ub->queries++;
    int r = mr_sym_ub_resolve_async(ub->ctx, name, rrtype, 1, &w, on_result,
                                    &async_id);
    if (r != 0) {
        snprintf(ub->last_error, sizeof ub->last_error, "%s: %s", name,
                 mr_sym_ub_strerror(r));
        return MR_DNS_FAILURE;
    }
    r = wait_for(ub, &w, async_id, until, name, rrtype);
    return r != 0 ? r : finish(ub, &w, name, rrtype, ans);
}

mr_dns_resolver mr_ub_resolver(mr_ub *ub)
{
    return (mr_dns_resolver){ub_query, ub};
}
