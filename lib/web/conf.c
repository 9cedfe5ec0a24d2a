/*
 * conf.c — the nginx and Apache configuration review (conf.h): reads the
 * main file through the sysroot, follows include / Include /
 * IncludeOptional (relative to /etc/nginx or the ServerRoot
 * /etc/apache2, globs in the last component), and judges the
 * directives that `mamori web` finds the effects of from outside.
 */
#include "common.h"

#include <strings.h>

#include "check_ids.h"
#include "host/sysroot.h"
#include "web/catalogue.h"
#include "web/conf.h"

#define CONF_PATH_MAX 1024
#define CONF_EV_MAX 512

typedef struct review {
    const mamori_ctx *ctx;
    const mamori_sysroot *sr;
    mr_web_conf_fn fn;
    void *user;
    const char *server;
    const char *base;           /* relative includes start here */
    int apache;
    unsigned files, depth;
    int stopped;
    /* the file and line of the current directive */
    const char *file;
    /* nginx: where the http block opens, and server_tokens seen */
    char http_file[CONF_PATH_MAX];
    uint64_t http_line;
    int tokens_set;
    /* Apache: ServerTokens seen */
    int apache_tokens_set;
    char mozilla_ciphers[1024];
} review;

static int parse_file(review *rv, const char *path);

static int hit(review *rv, uint64_t line, const char *check,
               const char *directive, const char *evidence, const char *fix)
{
    char disp[CONF_PATH_MAX];
    mr_web_conf_hit h;
    if (mamori_sysroot_display(rv->sr, rv->file, disp, sizeof(disp)) != 0)
        snprintf(disp, sizeof(disp), "%s", rv->file);
    h.check = check;
    h.server = rv->server;
    h.file = disp;
    h.line = line;
    h.directive = directive;
    h.evidence = evidence;
    h.fix = fix;
    if (rv->fn(rv->user, &h) != 0)
        rv->stopped = 1;
    return rv->stopped;
}

/* The words from index `from` joined with blanks. */
static void joined(const mr_conf_directive *d, size_t from, char *out,
                   size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = from; i < d->nargs && n < cap; i++) {
        int k = snprintf(out + n, cap - n, "%s%s", i > from ? " " : "",
                         d->args[i]);
        if (k < 0)
            break;
        n += (size_t)k;
    }
}

static int include(review *rv, const char *arg)
{
    char path[CONF_PATH_MAX];
    int n = arg[0] == '/' ? snprintf(path, sizeof(path), "%s", arg)
                          : snprintf(path, sizeof(path), "%s/%s", rv->base, arg);
    if (n < 0 || (size_t)n >= sizeof(path))
        return 0;
    if (!strpbrk(path, "*?["))
        return parse_file(rv, path);
    mr_sysroot_names names;
    memset(&names, 0, sizeof(names));
    if (mr_sysroot_glob(rv->sr, path, &names) != MAMORI_OK)
        return 0;
    for (size_t i = 0; i < names.n && !rv->stopped; i++)
        parse_file(rv, names.names[i]);
    mr_sysroot_names_free(&names);
    return 0;
}

static int nginx_directive(void *user, const mr_conf_directive *d)
{
    review *rv = user;
    char ev[CONF_EV_MAX], why[128], fix[1200];
    if (d->nargs == 0)
        return rv->stopped;
    const char *name = d->args[0];
    if (strcmp(name, "include") == 0 && d->nargs == 2) {
        const char *saved = rv->file;
        include(rv, d->args[1]);
        rv->file = saved;
    } else if (strcmp(name, "http") == 0 && d->opens_block) {
        snprintf(rv->http_file, sizeof(rv->http_file), "%s", rv->file);
        rv->http_line = d->line;
    } else if (strcmp(name, "ssl_protocols") == 0) {
        for (size_t i = 1; i < d->nargs; i++)
            if (strcmp(d->args[i], "SSLv2") == 0 ||
                strcmp(d->args[i], "SSLv3") == 0 ||
                strcmp(d->args[i], "TLSv1") == 0 ||
                strcmp(d->args[i], "TLSv1.1") == 0) {
                joined(d, 0, ev, sizeof(ev));
                hit(rv, d->line, MR_CHECK_WEB_TLS_PROTOCOL_OBSOLETE,
                    "ssl_protocols", ev, "ssl_protocols TLSv1.2 TLSv1.3;");
                break;
            }
    } else if (strcmp(name, "ssl_ciphers") == 0 && d->nargs >= 2 &&
               mr_conf_ciphers_weak(d->args[1], why, sizeof(why))) {
        snprintf(ev, sizeof(ev), "ssl_ciphers %s (enables %s)", d->args[1],
                 why);
        snprintf(fix, sizeof(fix), "ssl_ciphers %s;", rv->mozilla_ciphers);
        hit(rv, d->line, MR_CHECK_WEB_TLS_WEAK_CIPHER, "ssl_ciphers", ev, fix);
    } else if (strcmp(name, "autoindex") == 0 && d->nargs == 2 &&
               strcmp(d->args[1], "on") == 0) {
        hit(rv, d->line, MR_CHECK_WEB_LISTING, "autoindex", "autoindex on",
            "autoindex off;");
    } else if (strcmp(name, "server_tokens") == 0 && d->nargs == 2) {
        rv->tokens_set = 1;
        if (strcmp(d->args[1], "off") != 0) {
            snprintf(ev, sizeof(ev), "server_tokens %s", d->args[1]);
            hit(rv, d->line, MR_CHECK_WEB_VERSION_DISCLOSURE, "server_tokens",
                ev, "server_tokens off;");
        }
    }
    return rv->stopped;
}

/* Does SSLProtocol's value leave SSLv3, TLSv1 or TLSv1.1 on? Apache 2.4
 * starts from nothing; "all" is TLSv1 to TLSv1.3. */
static int apache_protocols_old(const mr_conf_directive *d)
{
    static const char *const names[] = {"SSLv3", "TLSv1", "TLSv1.1",
                                        "TLSv1.2", "TLSv1.3"};
    int on[5] = {0};
    for (size_t i = 1; i < d->nargs; i++) {
        const char *a = d->args[i];
        int val = *a != '-';
        if (*a == '+' || *a == '-')
            a++;
        if (strcasecmp(a, "all") == 0) {
            for (int k = 1; k < 5; k++)
                on[k] = val;
            continue;
        }
        for (int k = 0; k < 5; k++)
            if (strcasecmp(a, names[k]) == 0)
                on[k] = val;
    }
    return on[0] || on[1] || on[2];
}

static int apache_directive(void *user, const mr_conf_directive *d)
{
    review *rv = user;
    char ev[CONF_EV_MAX], why[128], fix[1200];
    if (d->nargs == 0 || d->closes_block)
        return rv->stopped;
    const char *name = d->args[0];
    if ((strcasecmp(name, "Include") == 0 ||
         strcasecmp(name, "IncludeOptional") == 0) && d->nargs == 2) {
        const char *saved = rv->file;
        include(rv, d->args[1]);
        rv->file = saved;
    } else if (strcasecmp(name, "SSLProtocol") == 0) {
        if (apache_protocols_old(d)) {
            joined(d, 0, ev, sizeof(ev));
            hit(rv, d->line, MR_CHECK_WEB_TLS_PROTOCOL_OBSOLETE, "SSLProtocol",
                ev, "SSLProtocol -all +TLSv1.2 +TLSv1.3");
        }
    } else if (strcasecmp(name, "SSLCipherSuite") == 0 && d->nargs >= 2) {
        const char *v = d->nargs >= 3 ? d->args[2] : d->args[1];
        if (mr_conf_ciphers_weak(v, why, sizeof(why))) {
            snprintf(ev, sizeof(ev), "SSLCipherSuite %s (enables %s)", v, why);
            snprintf(fix, sizeof(fix), "SSLCipherSuite %s",
                     rv->mozilla_ciphers);
            hit(rv, d->line, MR_CHECK_WEB_TLS_WEAK_CIPHER, "SSLCipherSuite",
                ev, fix);
        }
    } else if (strcasecmp(name, "Options") == 0) {
        for (size_t i = 1; i < d->nargs; i++)
            if (strcasecmp(d->args[i], "Indexes") == 0 ||
                strcasecmp(d->args[i], "+Indexes") == 0 ||
                strcasecmp(d->args[i], "All") == 0) {
                joined(d, 0, ev, sizeof(ev));
                hit(rv, d->line, MR_CHECK_WEB_LISTING, "Options", ev,
                    "Options -Indexes");
                break;
            }
    } else if (strcasecmp(name, "ServerTokens") == 0 && d->nargs == 2) {
        rv->apache_tokens_set = 1;
        if (strcasecmp(d->args[1], "Prod") != 0 &&
            strcasecmp(d->args[1], "ProductOnly") != 0) {
            snprintf(ev, sizeof(ev), "ServerTokens %s", d->args[1]);
            hit(rv, d->line, MR_CHECK_WEB_VERSION_DISCLOSURE, "ServerTokens",
                ev, "ServerTokens Prod");
        }
    } else if (strcasecmp(name, "ServerSignature") == 0 && d->nargs == 2 &&
               strcasecmp(d->args[1], "Off") != 0) {
        snprintf(ev, sizeof(ev), "ServerSignature %s", d->args[1]);
        hit(rv, d->line, MR_CHECK_WEB_VERSION_DISCLOSURE, "ServerSignature",
            ev, "ServerSignature Off");
    }
    return rv->stopped;
}

static int parse_file(review *rv, const char *path)
{
    char *text = NULL;
    size_t len = 0;
    uint64_t bad = 0;
    if (rv->depth >= MR_CONF_DEPTH_MAX || rv->files >= MR_CONF_FILES_MAX) {
        mamori_diagf(rv->ctx, MAMORI_DIAG_WARN, path, 0,
                     "%s: includes too deep or too many files; not read",
                     rv->server);
        return 0;
    }
    mamori_err e = mr_sysroot_read(rv->sr, path, MR_CONF_FILE_MAX, &text, &len);
    if (e != MAMORI_OK) {
        if (rv->depth > 0)
            mamori_diagf(rv->ctx, MAMORI_DIAG_WARN, path, 0,
                         "%s: an included file cannot be read: %s", rv->server,
                         e == MAMORI_E_IO ? strerror(errno) : mamori_strerror(e));
        return -1;
    }
    rv->files++;
    rv->depth++;
    rv->file = path;
    int rc = rv->apache
                 ? mr_conf_parse_apache(text, len, apache_directive, rv, &bad)
                 : mr_conf_parse_nginx(text, len, nginx_directive, rv, &bad);
    rv->depth--;
    if (rc == -1)
        mamori_diagf(rv->ctx, MAMORI_DIAG_WARN, path, bad,
                     "%s: cannot parse the configuration here; the rest of "
                     "the file is not reviewed", rv->server);
    free(text);
    return 0;
}

static void mozilla_ciphers(review *rv)
{
    mr_web_mozilla m;
    size_t bad, n = 0;
    rv->mozilla_ciphers[0] = '\0';
    if (mr_web_mozilla_parse(mr_webdata_mozilla_intermediate,
                             mr_webdata_mozilla_intermediate_len, &m,
                             &bad) != 0)
        return;
    for (size_t i = 0; i < m.ciphers.n; i++) {
        int k = snprintf(rv->mozilla_ciphers + n,
                         sizeof(rv->mozilla_ciphers) - n, "%s%s",
                         i ? ":" : "", m.ciphers.v[i]);
        if (k < 0 || (size_t)k >= sizeof(rv->mozilla_ciphers) - n)
            break;
        n += (size_t)k;
    }
}

mamori_err mr_web_conf_review(const mamori_ctx *ctx,
                              const mamori_sysroot *sr, mr_web_conf_fn fn,
                              void *user)
{
    review *rv = calloc(1, sizeof(*rv));
    if (rv == NULL)
        return MAMORI_E_NOMEM;
    rv->ctx = ctx;
    rv->sr = sr;
    rv->fn = fn;
    rv->user = user;
    mozilla_ciphers(rv);

    rv->server = "nginx";
    rv->base = "/etc/nginx";
    if (parse_file(rv, "/etc/nginx/nginx.conf") == 0 && !rv->stopped &&
        rv->http_line && !rv->tokens_set) {
        rv->file = rv->http_file;
        hit(rv, rv->http_line, MR_CHECK_WEB_VERSION_DISCLOSURE,
            "server_tokens", "server_tokens is not set (nginx's default: on)",
            "server_tokens off;");
    }
    if (!rv->stopped) {
        rv->server = "apache";
        rv->base = "/etc/apache2";
        rv->apache = 1;
        rv->files = 0;
        if (parse_file(rv, "/etc/apache2/apache2.conf") == 0 &&
            !rv->stopped && !rv->apache_tokens_set) {
            rv->file = "/etc/apache2/apache2.conf";
            hit(rv, 0, MR_CHECK_WEB_VERSION_DISCLOSURE, "ServerTokens",
                "ServerTokens is not set (Apache's default: Full)",
                "ServerTokens Prod");
        }
    }
    mamori_err e = rv->stopped ? MAMORI_E_ABORTED : MAMORI_OK;
    free(rv);
    return e;
}
