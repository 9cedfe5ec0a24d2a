/*
 * conf.c — mamori.conf (conf.h): the [audit], [history] and [push]
 * sections of the file the scheduled runs read, through libinih, every
 * error kept with its line and the rest still read.
 *
 * As the backup declaration does (lib/backup/decl.c), libinih reads
 * through the shared line reader (io/ini.h): that is where line numbers
 * come from, where section headers are taken with their line, and where
 * what libinih would drop or split is caught first. Values are checked
 * here, once, so that a caller never meets a relative path, an unknown
 * severity or an over-long word.
 */
#include "common.h"

#include <fcntl.h>
#include <unistd.h>

#include "io/ini.h"
#include "mamori/conf.h"

typedef enum { SEC_NONE = 0, SEC_AUDIT, SEC_HISTORY, SEC_PUSH, SEC_BAD } sec_id;

typedef enum {
    K_DOMAIN, K_SITE, K_BACKUP, K_ROOT, K_LANG, K_MIN_SEV, K_FAIL_ON,
    K_HISTORY_DB, K_PUSH_DB, K_HOST_ID, K_SPOOL, K_SPOOL_MAX, K_NONE
} key_id;

static const struct conf_key {
    sec_id sec;
    const char *name;
    key_id id;
} conf_keys[] = {
    {SEC_AUDIT, "domain", K_DOMAIN},
    {SEC_AUDIT, "site", K_SITE},
    {SEC_AUDIT, "backup", K_BACKUP},
    {SEC_AUDIT, "root", K_ROOT},
    {SEC_AUDIT, "lang", K_LANG},
    {SEC_AUDIT, "min_severity", K_MIN_SEV},
    {SEC_AUDIT, "fail_on", K_FAIL_ON},
    {SEC_HISTORY, "db", K_HISTORY_DB},
    {SEC_PUSH, "db", K_PUSH_DB},
    {SEC_PUSH, "host_id", K_HOST_ID},
    {SEC_PUSH, "spool", K_SPOOL},
    {SEC_PUSH, "spool_max_mb", K_SPOOL_MAX},
};

static const char *const sec_names[] = {"", "audit", "history", "push"};

/* The struct behind the caller's mamori_conf: the strings it points to. */
typedef struct mr_conf {
    mamori_conf pub;                 /* first: the caller's pointer */
    char *path;
    char *domains[MAMORI_CONF_DOMAINS_MAX];
    char *sites[MAMORI_CONF_SITES_MAX];
    char *backup, *root, *history_db, *push_db, *host_id, *spool;
    mamori_conf_error errors[MAMORI_CONF_ERRORS_MAX];
    int nomem;
} mr_conf;

typedef struct conf_reader {
    mr_ini ini;                      /* the line, its number, whether it
                                        continues a key */
    mr_conf *c;
    sec_id sec;
    key_id last;                     /* the key a continuation adds to;
                                        K_NONE after an error */
    uint32_t seen;                   /* keys given (bits of key_id) */
} conf_reader;

static void conf_error_at(conf_reader *r, uint64_t line, const char *fmt,
                          ...) __attribute__((format(printf, 3, 4)));

static void conf_error_at(conf_reader *r, uint64_t line, const char *fmt,
                          ...)
{
    mamori_conf *p = &r->c->pub;
    if (p->nerrors >= MAMORI_CONF_ERRORS_MAX) {
        p->more_errors++;
        return;
    }
    mamori_conf_error *e = &r->c->errors[p->nerrors++];
    e->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
}

/* An error of the line libinih is at. */
#define conf_error(r, ...) conf_error_at((r), (r)->ini.lineno, __VA_ARGS__)

/* The reader's own errors: a line no key can continue. */
static void ini_error(void *user, uint64_t line, const char *msg)
{
    conf_reader *r = user;
    conf_error_at(r, line, "%s", msg);
    r->last = K_NONE;
}

/* "[audit]", "[history]", "[push]"; body NULL for a header without ']'. */
static void section_line(void *user, const char *body, size_t n)
{
    conf_reader *r = user;
    r->sec = SEC_BAD;
    r->last = K_NONE;
    if (!body)
        return;
    const char *p = body, *end = body + n;
    size_t wn;
    const char *w = mr_ini_word(&p, end, &wn);
    for (size_t i = SEC_AUDIT; p == end && i < MR_ARRAY_LEN(sec_names); i++)
        if (strlen(sec_names[i]) == wn && memcmp(sec_names[i], w, wn) == 0) {
            r->sec = (sec_id)i;
            return;
        }
    conf_error(r, "unknown section [%.*s]: expected [audit], [history] or "
               "[push]", (int)MR_MIN(n, 64), body);
}

/* Does the key name spell want, '-' standing for '_'? */
static int key_is(const char *name, const char *want)
{
    for (; *name && *want; name++, want++)
        if (*name != *want && !(*name == '-' && *want == '_'))
            return 0;
    return *name == *want;
}

static char *dup_n(conf_reader *r, const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d) {
        r->c->nomem = 1;
        return NULL;
    }
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static int domain_ok(const char *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)w[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
              c >= 0x80))
            return 0;
    }
    return 1;
}

/* A site is a URL or a host name: no controls (blanks split words). */
static int site_ok(const char *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)w[i] < 0x20 || w[i] == 0x7f)
            return 0;
    return 1;
}

static void add_word(conf_reader *r, key_id k, const char *w, size_t n)
{
    mr_conf *c = r->c;
    int dom = k == K_DOMAIN;
    const char *what = dom ? "domain" : "site";
    if (!(dom ? domain_ok(w, n) : site_ok(w, n))) {
        conf_error(r, "%s: '%.*s' is not a %s", what, (int)MR_MIN(n, 64), w,
                   dom ? "domain name" : "URL");
        return;
    }
    if (n >= (dom ? MAMORI_CONF_NAME_MAX : MAMORI_CONF_URL_MAX)) {
        conf_error(r, "%s: longer than %d bytes", what,
                   (dom ? MAMORI_CONF_NAME_MAX : MAMORI_CONF_URL_MAX) - 1);
        return;
    }
    size_t *count = dom ? &c->pub.ndomains : &c->pub.nsites;
    char **list = dom ? c->domains : c->sites;
    if (*count >= (dom ? MAMORI_CONF_DOMAINS_MAX : MAMORI_CONF_SITES_MAX)) {
        conf_error(r, "more than %d %ss", dom ? MAMORI_CONF_DOMAINS_MAX
                   : MAMORI_CONF_SITES_MAX, what);
        return;
    }
    char *d = dup_n(r, w, n);
    if (d)
        list[(*count)++] = d;
}

/* Blank-separated words of a domain or site value. */
static void add_words(conf_reader *r, key_id k, const char *v)
{
    const char *p = v;
    for (;;) {
        while (*p && mr_ini_blank(*p))
            p++;
        if (!*p)
            break;
        const char *w = p;
        while (*p && !mr_ini_blank(*p))
            p++;
        add_word(r, k, w, (size_t)(p - w));
    }
}

/* Sets *dst to a copy of v: a single value, checked by the caller. */
static void set_str(conf_reader *r, char **dst, const char *v, size_t cap,
                    const char *name)
{
    size_t n = strlen(v);
    if (n >= cap) {
        conf_error(r, "%s: longer than %zu bytes", name, cap - 1);
        r->last = K_NONE;
        return;
    }
    *dst = dup_n(r, v, n);
}

static void set_path(conf_reader *r, char **dst, const char *v,
                     const char *name)
{
    if (v[0] != '/') {
        conf_error(r, "%s: expected an absolute path", name);
        return;
    }
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            conf_error(r, "%s: a control character in the path", name);
            return;
        }
    set_str(r, dst, v, MAMORI_CONF_PATH_MAX, name);
}

/* [push] db on an indented line: the rest of the string, after a space
 * (keyword=value pairs) or nothing (a URI, which holds no blanks). */
static void append_conninfo(conf_reader *r, const char *v)
{
    mr_conf *c = r->c;
    if (!c->push_db)
        return;
    int uri = !strncmp(c->push_db, "postgres://", 11) ||
              !strncmp(c->push_db, "postgresql://", 13);
    size_t have = strlen(c->push_db), add = strlen(v), sep = uri ? 0 : 1;
    if (have + sep + add >= MAMORI_CONF_CONNINFO_MAX) {
        conf_error(r, "db: longer than %d bytes", MAMORI_CONF_CONNINFO_MAX - 1);
        r->last = K_NONE;
        return;
    }
    char *d = realloc(c->push_db, have + sep + add + 1);
    if (!d) {
        c->nomem = 1;
        return;
    }
    if (sep)
        d[have] = ' ';
    memcpy(d + have + sep, v, add + 1);
    c->push_db = d;
}

static void set_severity(conf_reader *r, int *dst, const char *v,
                         const char *name, int none_ok)
{
    int s = mamori_severity_parse(v);
    if (s < 0 && none_ok && !strcmp(v, "none"))
        s = MAMORI_SEV_COUNT;
    if (s < 0)
        conf_error(r, "%s: expected info, low, medium, high or critical%s",
                   name, none_ok ? " (or none)" : "");
    else
        *dst = s;
}

static void set_host_id(conf_reader *r, const char *v)
{
    for (const char *p = v; *p; p++) {
        char ch = *p;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
              ch == ':' || ch == '-')) {
            conf_error(r, "host_id: only letters, digits, '.', '_', ':' and "
                       "'-'");
            return;
        }
    }
    set_str(r, &r->c->host_id, v, MAMORI_CONF_HOST_ID_MAX, "host_id");
}

static void set_spool_max(conf_reader *r, const char *v)
{
    uint64_t n = 0;
    size_t i = 0;
    for (; v[i] >= '0' && v[i] <= '9' && n <= MAMORI_CONF_SPOOL_MAX_MB_MAX; i++)
        n = n * 10 + (uint64_t)(v[i] - '0');
    if (i == 0 || v[i] || n == 0 || n > MAMORI_CONF_SPOOL_MAX_MB_MAX)
        conf_error(r, "spool_max_mb: expected a number of megabytes from 1 "
                   "to %d", MAMORI_CONF_SPOOL_MAX_MB_MAX);
    else
        r->c->pub.spool_max_mb = n;
}

/* One key line's value, already known to be in its section. */
static void set_key(conf_reader *r, const struct conf_key *k, const char *v)
{
    mr_conf *c = r->c;
    mamori_conf *p = &c->pub;
    if (k->id == K_DOMAIN || k->id == K_SITE) {
        if (!*v)
            conf_error(r, "%s: empty value", k->name);
        add_words(r, k->id, v);
        return;
    }
    if (r->seen & (1u << k->id)) {
        conf_error(r, "%s given twice in [%s]", k->name, sec_names[k->sec]);
        r->last = K_NONE;
        return;
    }
    r->seen |= 1u << k->id;
    if (!*v) {
        conf_error(r, "%s: empty value", k->name);
        r->last = K_NONE;
        return;
    }
    switch (k->id) {
    case K_BACKUP: set_path(r, &c->backup, v, k->name); break;
    case K_ROOT: set_path(r, &c->root, v, k->name); break;
    case K_HISTORY_DB: set_path(r, &c->history_db, v, k->name); break;
    case K_SPOOL: set_path(r, &c->spool, v, k->name); break;
    case K_LANG:
        if (!strcmp(v, "en"))
            p->lang = MAMORI_LANG_EN;
        else if (!strcmp(v, "ja"))
            p->lang = MAMORI_LANG_JA;
        else
            conf_error(r, "lang: expected en or ja");
        break;
    case K_MIN_SEV: set_severity(r, &p->min_severity, v, k->name, 0); break;
    case K_FAIL_ON: set_severity(r, &p->fail_on, v, k->name, 1); break;
    case K_PUSH_DB:
        set_str(r, &c->push_db, v, MAMORI_CONF_CONNINFO_MAX, k->name);
        break;
    case K_HOST_ID: set_host_id(r, v); break;
    case K_SPOOL_MAX: set_spool_max(r, v); break;
    default: break;
    }
}

static int handler(void *user, const char *section, const char *name,
                   const char *value)
{
    conf_reader *r = user;
    (void)section;               /* taken by the reader, with its line */
    if (r->sec == SEC_BAD)
        return 1;                /* said once, at the section's line */
    if (r->sec == SEC_NONE) {
        conf_error(r, "'%.64s' outside a section ([audit], [history] or "
                   "[push])", name);
        return 1;
    }
    if (r->ini.cont) {
        if (r->last == K_DOMAIN || r->last == K_SITE)
            add_words(r, r->last, value);
        else if (r->last == K_PUSH_DB)
            append_conninfo(r, value);
        else if (r->last != K_NONE)
            conf_error(r, "%.64s takes one value: an indented line cannot "
                       "continue it", name);
        return 1;
    }
    r->last = K_NONE;
    for (size_t i = 0; i < MR_ARRAY_LEN(conf_keys); i++)
        if (conf_keys[i].sec == r->sec && key_is(name, conf_keys[i].name)) {
            r->last = conf_keys[i].id;
            set_key(r, &conf_keys[i], value);
            return 1;
        }
    conf_error(r, "unknown key '%.64s' in [%s]", name, sec_names[r->sec]);
    return 1;   /* our own errors are kept; libinih's return is its own */
}

static int has_error_at(const mr_conf *c, uint64_t line)
{
    for (size_t i = 0; i < c->pub.nerrors; i++)
        if (c->errors[i].line == line)
            return 1;
    return 0;
}

static void wipe_free(char *s)
{
    if (s) {
        explicit_bzero(s, strlen(s));
        free(s);
    }
}

void mamori_conf_free(mamori_conf *pub)
{
    if (!pub)
        return;
    mr_conf *c = (mr_conf *)pub;
    for (size_t i = 0; i < c->pub.ndomains; i++)
        free(c->domains[i]);
    for (size_t i = 0; i < c->pub.nsites; i++)
        free(c->sites[i]);
    free(c->path);
    free(c->backup);
    free(c->root);
    free(c->history_db);
    wipe_free(c->push_db);
    free(c->host_id);
    free(c->spool);
    free(c);
}

mamori_err mamori_conf_parse(const char *data, size_t len, const char *name,
                             mamori_conf **out)
{
    *out = NULL;
    mr_conf *c = calloc(1, sizeof(*c));
    if (!c)
        return MAMORI_E_NOMEM;
    c->pub.lang = c->pub.min_severity = c->pub.fail_on = -1;
    c->pub.spool_max_mb = MAMORI_CONF_SPOOL_MAX_MB_DEFAULT;
    static const mr_ini_hooks hooks = {ini_error, section_line, handler};
    conf_reader r;
    memset(&r, 0, sizeof(r));
    r.c = c;
    r.last = K_NONE;
    int first = mr_ini_parse(&r.ini, data, len, &hooks, &r);
    /* A line libinih refused that our own look did not catch. */
    if (first > 0 && !has_error_at(c, (uint64_t)first))
        conf_error_at(&r, (uint64_t)first, "libinih cannot read this line");
    /* Errors in line order (libinih's own may come last). */
    for (size_t i = 1; i < c->pub.nerrors; i++) {
        mamori_conf_error e = c->errors[i];
        size_t j = i;
        while (j > 0 && c->errors[j - 1].line > e.line) {
            c->errors[j] = c->errors[j - 1];
            j--;
        }
        c->errors[j] = e;
    }
    if (name && !(c->path = strdup(name)))
        c->nomem = 1;
    if (!c->spool && !(c->spool = strdup(MAMORI_CONF_SPOOL_DEFAULT)))
        c->nomem = 1;
    if (c->nomem) {
        mamori_conf_free(&c->pub);
        return MAMORI_E_NOMEM;
    }
    mamori_conf *p = &c->pub;
    p->path = c->path;
    p->domains = (const char *const *)c->domains;
    p->sites = (const char *const *)c->sites;
    p->backup = c->backup;
    p->root = c->root;
    p->history_db = c->history_db;
    p->push_db = c->push_db;
    p->host_id = c->host_id;
    p->spool = c->spool;
    p->errors = c->errors;
    *out = p;
    return p->nerrors || p->more_errors ? MAMORI_E_FORMAT : MAMORI_OK;
}

mamori_err mamori_conf_load(const char *path, mamori_conf **out)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return MAMORI_E_IO;
    char *buf = malloc(MAMORI_CONF_SIZE_MAX + 1);
    if (!buf) {
        close(fd);
        return MAMORI_E_NOMEM;
    }
    size_t n = 0;
    mamori_err e = MAMORI_OK;
    for (;;) {
        ssize_t got = read(fd, buf + n, MAMORI_CONF_SIZE_MAX + 1 - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            e = MAMORI_E_IO;
            break;
        }
        if (got == 0)
            break;
        n += (size_t)got;
        if (n > MAMORI_CONF_SIZE_MAX) {
            e = MAMORI_E_TOO_LARGE;
            break;
        }
    }
    int saved = errno;
    close(fd);
    if (!e)
        e = mamori_conf_parse(buf, n, path, out);
    /* The file may hold the push target's password. */
    explicit_bzero(buf, n);
    free(buf);
    errno = saved;
    return e;
}
