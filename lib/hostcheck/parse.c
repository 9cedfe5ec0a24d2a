/*
 * parse.c — the configuration parsers of `mamori host`: sshd_config as
 * sshd reads it (keywords case-insensitive, the first value obtained
 * wins, `Include` followed where it stands with globs and paths relative
 * to /etc/ssh, the body of a `Match` block not part of the global
 * configuration) and sysctl.conf / sysctl.d (key = value, the last one
 * read wins, '/' and '.' alike in keys) and login.defs (KEY VALUE, the
 * last one read wins). Lines are bytes from files an
 * attacker may have written: each is copied into a bounded buffer and
 * read with a cursor; nothing here trusts a length or a NUL.
 */
#include "common.h"

#include <strings.h>

#include "host/sysroot.h"
#include "hostcheck/hostcheck.h"

#define HC_LINE_MAX 4096     /* bytes of one line judged; longer cut */

mr_hc_setting *mr_hc_want(mr_hc_config *c, const char *key)
{
    mr_hc_setting *s = mr_hc_get(c, key);
    if (s)
        return s;
    if (c->n >= MR_HC_SETTINGS_MAX || strlen(key) >= MR_HC_KEY_MAX)
        return NULL;
    s = &c->s[c->n++];
    memset(s, 0, sizeof(*s));
    snprintf(s->key, sizeof(s->key), "%s", key);
    return s;
}

mr_hc_setting *mr_hc_get(mr_hc_config *c, const char *key)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcasecmp(c->s[i].key, key))
            return &c->s[i];
    return NULL;
}

static void set(mr_hc_setting *s, const char *file, uint64_t lineno,
                const char *value)
{
    s->found = 1;
    s->line = lineno;
    /* cut to the field on purpose: shown and judged by words, the cut
     * tail of an overlong list is named in the value */
    snprintf(s->value, sizeof(s->value), "%.*s", (int)sizeof(s->value) - 1,
             value);
    s->cut = strlen(value) >= sizeof(s->value);
    snprintf(s->file, sizeof(s->file), "%s", file);
}

/* Copies line[0..len) into buf as a C string, the line end, leading
 * blanks and a NUL byte's tail dropped; returns the start. */
static char *take(char *buf, const char *line, size_t len)
{
    size_t n = len < HC_LINE_MAX - 1 ? len : HC_LINE_MAX - 1;
    memcpy(buf, line, n);
    buf[n] = '\0';
    n = strlen(buf);
    while (n > 0 && (buf[n - 1] == '\r' || buf[n - 1] == ' ' ||
                     buf[n - 1] == '\t'))
        buf[--n] = '\0';
    char *p = buf;
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* The next word of *s, split in place; seps ends a word. */
static char *word(char **s, const char *seps)
{
    char *p = *s;
    while (*p && strchr(seps, *p))
        p++;
    char *w = p;
    while (*p && !strchr(seps, *p))
        p++;
    if (*p)
        *p++ = '\0';
    *s = p;
    return w;
}

/* ---- sshd ---------------------------------------------------------- */

long mr_hc_sshd_time(const char *s)
{
    long total = 0;
    if (!*s)
        return -1;
    while (*s) {
        if (*s < '0' || *s > '9')
            return -1;
        long v = 0;
        while (*s >= '0' && *s <= '9') {
            if (v > 100000000L)
                return -1;
            v = v * 10 + (*s++ - '0');
        }
        long mult = 1;
        switch (*s) {
        case '\0': break;
        case 's': case 'S': s++; break;
        case 'm': case 'M': mult = 60; s++; break;
        case 'h': case 'H': mult = 3600; s++; break;
        case 'd': case 'D': mult = 86400; s++; break;
        case 'w': case 'W': mult = 604800; s++; break;
        default: return -1;
        }
        total += v * mult;
        if (total > 1000000000L)
            return -1;
    }
    return total;
}

long long mr_hc_span(const char *s)
{
    /* systemd.time(7): a unit after each number, seconds when none */
    static const struct {
        const char *unit;
        long long secs;
    } units[] = {
        {"seconds", 1},      {"second", 1},       {"sec", 1},
        {"s", 1},            {"minutes", 60},     {"minute", 60},
        {"min", 60},         {"months", 2629800}, {"month", 2629800},
        {"M", 2629800},      {"m", 60},           {"hours", 3600},
        {"hour", 3600},      {"hr", 3600},        {"h", 3600},
        {"days", 86400},     {"day", 86400},      {"d", 86400},
        {"weeks", 604800},   {"week", 604800},    {"w", 604800},
        {"years", 31557600}, {"year", 31557600},  {"y", 31557600},
    };
    long long total = 0;
    int any = 0;
    while (*s) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            break;
        if (*s < '0' || *s > '9')
            return -1;
        long long v = 0;
        while (*s >= '0' && *s <= '9') {
            if (v > 1000000000000LL)
                return -1;
            v = v * 10 + (*s++ - '0');
        }
        while (*s == ' ' || *s == '\t')
            s++;
        long long mult = 1;
        for (size_t i = 0; i < MR_ARRAY_LEN(units); i++) {
            size_t k = strlen(units[i].unit);
            /* whole word: "min" is not "m" + "in" */
            if (!strncmp(s, units[i].unit, k) &&
                !((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z'))) {
                mult = units[i].secs;
                s += k;
                break;
            }
        }
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
            return -1;            /* a unit we do not know */
        total += v * mult;
        if (total > (1LL << 40))
            return -1;
        any = 1;
    }
    return any ? total : -1;
}

static void sshd_include(mr_hc_config *c, const char *file, uint64_t lineno,
                         char *rest)
{
    if (!c->sr)
        return;
    if (c->depth >= MR_HC_INCLUDE_DEPTH) {
        mamori_diagf(c->ctx, MAMORI_DIAG_WARN, file, lineno,
                     "Include nested more than %d deep; not followed",
                     MR_HC_INCLUDE_DEPTH);
        return;
    }
    while (*rest) {
        char *w = word(&rest, " \t");
        char path[MR_HC_FILE_MAX];
        if (!*w)
            break;
        /* sshd: a relative path is taken from /etc/ssh */
        if (snprintf(path, sizeof(path), "%s%s", w[0] == '/' ? "" : "/etc/ssh/",
                     w) >= (int)sizeof(path))
            continue;
        int in_match = c->in_match;
        c->depth++;
        if (strpbrk(path, "*?[")) {
            mr_sysroot_names names;
            memset(&names, 0, sizeof(names));
            if (mr_sysroot_glob(c->sr, path, &names) == MAMORI_OK)
                for (size_t i = 0; i < names.n && i < MR_HC_INCLUDE_FILES; i++)
                    mr_hc_sshd_file(c, names.names[i]);
            mr_sysroot_names_free(&names);
        } else {
            mr_hc_sshd_file(c, path);
        }
        c->depth--;
        /* an included file's Match ends with it only where sshd says so:
         * a Match in a file applies to the rest of that file; the
         * includer goes on in the state it was in */
        c->in_match = in_match;
    }
}

void mr_hc_sshd_line(mr_hc_config *c, const char *file, uint64_t lineno,
                     const char *line, size_t len)
{
    char buf[HC_LINE_MAX];
    char *s = take(buf, line, len);
    if (*s == '#' || *s == '\0')
        return;
    char *key = word(&s, " \t=");
    while (*s == ' ' || *s == '\t' || *s == '=')
        s++;
    if (!strcasecmp(key, "Match")) {
        /* "Match all" ends a block: the global configuration again */
        char *rest = s;
        char *w = word(&rest, " \t");
        c->in_match = strcasecmp(w, "all") != 0;
        return;
    }
    if (!strcasecmp(key, "Include")) {
        sshd_include(c, file, lineno, s);
        return;
    }
    if (c->in_match)
        return;
    mr_hc_setting *st = mr_hc_get(c, key);
    if (!st || st->found)
        return;
    /* a value in double quotes keeps its blanks; otherwise one word,
     * except the lists (Ciphers a,b) which never hold blanks */
    if (*s == '"') {
        s++;
        char *e = strchr(s, '"');
        if (e)
            *e = '\0';
    } else {
        char *rest = s;
        s = word(&rest, " \t");
    }
    set(st, file, lineno, s);
}

typedef struct file_pass {
    mr_hc_config *c;
    const char *file;
    void (*fn)(mr_hc_config *, const char *, uint64_t, const char *,
               size_t);
} file_pass;

static int pass_line(void *user, char *line, size_t len, uint64_t lineno)
{
    file_pass *fp = user;
    fp->fn(fp->c, fp->file, lineno, line, len);
    return 0;
}

void mr_hc_sshd_file(mr_hc_config *c, const char *path)
{
    char file[MR_HC_FILE_MAX];
    if (mamori_sysroot_display(c->sr, path, file, sizeof(file)))
        return;
    if (c->files >= MR_HC_FILES_MAX) {
        if (c->files++ == MR_HC_FILES_MAX)
            mamori_diagf(c->ctx, MAMORI_DIAG_WARN, file, 0,
                         "more than %d files included; the rest not read",
                         MR_HC_FILES_MAX);
        return;
    }
    c->files++;
    file_pass fp = {c, file, mr_hc_sshd_line};
    int in_match = c->in_match;
    mamori_err e = mr_sysroot_lines(c->sr, path, MR_HC_CONFIG_MAX, pass_line,
                                    &fp);
    c->in_match = in_match;
    if (e && !(e == MAMORI_E_IO && errno == ENOENT))
        mamori_diagf(c->ctx, MAMORI_DIAG_WARN, file, 0, "cannot read: %s",
                     e == MAMORI_E_IO ? strerror(errno) : mamori_strerror(e));
}

/* ---- sysctl -------------------------------------------------------- */

void mr_hc_sysctl_line(mr_hc_config *c, const char *file, uint64_t lineno,
                       const char *line, size_t len)
{
    char buf[HC_LINE_MAX];
    char *s = take(buf, line, len);
    if (*s == '#' || *s == ';' || *s == '\0')
        return;
    if (*s == '-')          /* "-key = v": errors ignored, still set */
        s++;
    char *eq = strchr(s, '=');
    if (!eq)
        return;
    *eq = '\0';
    char *v = eq + 1;
    size_t kn = strlen(s);
    while (kn > 0 && (s[kn - 1] == ' ' || s[kn - 1] == '\t'))
        s[--kn] = '\0';
    for (char *p = s; *p; p++)
        if (*p == '/')
            *p = '.';
    while (*v == ' ' || *v == '\t')
        v++;
    mr_hc_setting *st = mr_hc_get(c, s);
    if (st)
        set(st, file, lineno, v);     /* the last one read wins */
}

/* ---- login.defs --------------------------------------------------- */

void mr_hc_logindefs_line(mr_hc_config *c, const char *file, uint64_t lineno,
                          const char *line, size_t len)
{
    char buf[HC_LINE_MAX];
    char *s = take(buf, line, len);
    if (*s == '#' || *s == '\0')
        return;
    char *key = word(&s, " \t");
    char *value = word(&s, " \t\"");
    mr_hc_setting *st = mr_hc_get(c, key);
    if (st)
        set(st, file, lineno, value);   /* shadow's getdef: the last wins */
}

void mr_hc_buffer(mr_hc_config *c, const char *file, const char *data,
                  size_t len,
                  void (*fn)(mr_hc_config *, const char *, uint64_t,
                             const char *, size_t))
{
    uint64_t lineno = 0;
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(data + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (data + i)) : len - i;
        fn(c, file, ++lineno, data + i, n);
        i += n + 1;
    }
}
