/*
 * decl.c — the backup declaration (backup.h): an INI file read with
 * libinih, "[protect NAME]" and "[copy NAME]" sections of key = value
 * lines, every error kept with its line and the rest still read.
 *
 * libinih splits keys from values, strips comments and joins indented
 * continuation lines; it reads through the line reader mamori.conf
 * shares (io/ini.h), which is where the line numbers come from, where
 * section headers are taken (a section without keys still declares
 * something), and where what libinih would drop or split is caught.
 */
#include "common.h"

#include "backup/backup_int.h"
#include "io/ini.h"

typedef enum { SEC_NONE = 0, SEC_PROTECT, SEC_COPY, SEC_BAD } sec_kind;

typedef struct decl_reader {
    mr_ini ini;                 /* the line and its number */
    mr_backup_decl *d;
    sec_kind sec;
    size_t idx;                 /* of the current section in d */
    uint32_t seen;              /* copy keys given (bits of copy_keys) */
} decl_reader;

static const char *const copy_keys[] = {
    "kind", "location", "protects", "role", "rpo", "retention",
    "password-file", "password-command", "password-env", "append-only",
    "key-elsewhere", NULL,
};

const char *mr_backup_kind_name(mr_backup_kind k)
{
    static const char *const n[] = {"none", "restic", "borg", "dir", "rsync",
                                    "tar"};
    return (unsigned)k < MR_ARRAY_LEN(n) ? n[k] : "none";
}

const char *mr_backup_role_name(mr_backup_role r)
{
    static const char *const n[] = {"primary", "offsite", "offline"};
    return (unsigned)r < MR_ARRAY_LEN(n) ? n[r] : "primary";
}

static void decl_error(mr_backup_decl *d, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void decl_error(mr_backup_decl *d, uint64_t line, const char *fmt, ...)
{
    if (d->nerrors >= MR_BACKUP_ERRORS_MAX) {
        d->more_errors++;
        return;
    }
    mr_backup_decl_error *e = &d->errors[d->nerrors++];
    e->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
}

static int name_ok(const char *s, size_t n)
{
    if (n == 0 || n >= MR_BACKUP_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
            return 0;
    }
    return 1;
}

/* The reader's own errors. */
static void ini_error(void *user, uint64_t line, const char *msg)
{
    decl_reader *r = user;
    decl_error(r->d, line, "%s", msg);
}

/* "[protect NAME]" or "[copy NAME]": opens the section in d; body NULL
 * for a header without its ']'. */
static void section_line(void *user, const char *body, size_t n)
{
    decl_reader *r = user;
    mr_backup_decl *d = r->d;
    r->sec = SEC_BAD;
    r->seen = 0;
    if (!body)
        return;
    const char *p = body, *end = body + n;
    size_t wn, nn;
    const char *w = mr_ini_word(&p, end, &wn);
    const char *nm = mr_ini_word(&p, end, &nn);
    int protect = wn == 7 && memcmp(w, "protect", 7) == 0;
    int copy = wn == 4 && memcmp(w, "copy", 4) == 0;
    if (!protect && !copy) {
        decl_error(d, r->ini.lineno, "unknown section [%.*s]: expected "
                   "[protect NAME] or [copy NAME]", (int)MR_MIN(wn, 64), w);
        return;
    }
    if (p != end || !name_ok(nm, nn)) {
        decl_error(d, r->ini.lineno, "[%s NAME] needs one name of letters, "
                   "digits, '-', '_' or '.' (at most %d bytes)",
                   protect ? "protect" : "copy", MR_BACKUP_NAME_MAX - 1);
        return;
    }
    size_t count = protect ? d->nprotect : d->ncopy;
    for (size_t i = 0; i < count; i++) {
        const char *other = protect ? d->protect[i].name : d->copy[i].name;
        if (strlen(other) == nn && memcmp(other, nm, nn) == 0) {
            decl_error(d, r->ini.lineno, "[%s %.*s] is declared twice",
                       protect ? "protect" : "copy", (int)nn, nm);
            return;
        }
    }
    if (count >= (protect ? MR_BACKUP_PROTECT_MAX : MR_BACKUP_COPIES_MAX)) {
        decl_error(d, r->ini.lineno, "more than %d [%s] sections",
                   protect ? MR_BACKUP_PROTECT_MAX : MR_BACKUP_COPIES_MAX,
                   protect ? "protect" : "copy");
        return;
    }
    if (protect) {
        mr_backup_protect *pr = &d->protect[d->nprotect];
        memset(pr, 0, sizeof(*pr));
        memcpy(pr->name, nm, nn);
        pr->line = r->ini.lineno;
        r->idx = d->nprotect++;
        r->sec = SEC_PROTECT;
    } else {
        mr_backup_copy *c = &d->copy[d->ncopy];
        memset(c, 0, sizeof(*c));
        memcpy(c->name, nm, nn);
        c->line = r->ini.lineno;
        c->rpo = MAMORI_BACKUP_RPO_DEFAULT;
        c->append_only = -1;
        c->key_elsewhere = -1;
        r->idx = d->ncopy++;
        r->sec = SEC_COPY;
    }
}

/* Splits value into blank-separated words, calling fn for each. */
static void each_word(decl_reader *r, const char *value,
                      void (*fn)(decl_reader *, const char *, size_t))
{
    const char *p = value;
    for (;;) {
        while (*p && (mr_ini_blank(*p) || *p == ','))
            p++;
        if (!*p)
            break;
        const char *w = p;
        while (*p && !mr_ini_blank(*p) && *p != ',')
            p++;
        fn(r, w, (size_t)(p - w));
    }
}

static void add_path(decl_reader *r, const char *w, size_t n)
{
    mr_backup_protect *pr = &r->d->protect[r->idx];
    if (w[0] != '/') {
        decl_error(r->d, r->ini.lineno, "paths: %.*s is not an absolute path",
                   (int)MR_MIN(n, 128), w);
        return;
    }
    if (n >= MR_BACKUP_PATH_MAX || pr->npaths >= MR_BACKUP_PATHS_MAX) {
        decl_error(r->d, r->ini.lineno, "paths: more than %d paths or one "
                   "longer than %d bytes", MR_BACKUP_PATHS_MAX,
                   MR_BACKUP_PATH_MAX - 1);
        return;
    }
    memcpy(pr->paths[pr->npaths], w, n);
    pr->paths[pr->npaths++][n] = '\0';
}

static void add_protects(decl_reader *r, const char *w, size_t n)
{
    mr_backup_copy *c = &r->d->copy[r->idx];
    if (!name_ok(w, n) || c->nprotects >= MR_BACKUP_PROTECT_MAX) {
        decl_error(r->d, r->ini.lineno, "protects: '%.*s' is not a [protect] "
                   "name", (int)MR_MIN(n, 64), w);
        return;
    }
    memcpy(c->protects[c->nprotects], w, n);
    c->protects[c->nprotects++][n] = '\0';
}

static int set_str(decl_reader *r, const char *name, char *dst, size_t cap,
                   const char *value)
{
    size_t n = strlen(value);
    if (n == 0 || n >= cap) {
        decl_error(r->d, r->ini.lineno, "%s: %s", name,
                   n ? "value too long" : "empty value");
        return -1;
    }
    memcpy(dst, value, n + 1);
    return 0;
}

static int yes_no(decl_reader *r, const char *name, const char *v, int *out)
{
    if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
        *out = 1;
    else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
        *out = 0;
    else {
        decl_error(r->d, r->ini.lineno, "%s: expected yes or no", name);
        return -1;
    }
    return 0;
}

/* "24h", "90m", "7d", "2w", "3600s"; a bare number is hours. */
static int parse_rpo(const char *v, int64_t *out)
{
    uint64_t n = 0;
    size_t i = 0;
    if (v[0] < '0' || v[0] > '9')
        return -1;
    for (; v[i] >= '0' && v[i] <= '9'; i++) {
        n = n * 10 + (uint64_t)(v[i] - '0');
        if (n > (uint64_t)MR_BACKUP_RPO_MAX)
            return -1;
    }
    uint64_t unit = 3600;
    switch (v[i]) {
    case '\0': break;
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    case 'w': unit = 7 * 86400; break;
    default: return -1;
    }
    if (v[i] && v[i + 1])
        return -1;
    if (n == 0 || n * unit > (uint64_t)MR_BACKUP_RPO_MAX)
        return -1;
    *out = (int64_t)(n * unit);
    return 0;
}

static void copy_key(decl_reader *r, const char *name, const char *v)
{
    mr_backup_copy *c = &r->d->copy[r->idx];
    mr_backup_decl *d = r->d;
    size_t k = 0;
    while (copy_keys[k] && strcmp(copy_keys[k], name))
        k++;
    if (!copy_keys[k]) {
        decl_error(d, r->ini.lineno, "unknown key '%.64s' in [copy %s]", name,
                   c->name);
        return;
    }
    int list = !strcmp(name, "protects");
    if (!list && (r->seen & (1u << k))) {
        decl_error(d, r->ini.lineno, "%s given twice in [copy %s]", name,
                   c->name);
        return;
    }
    r->seen |= 1u << k;
    if (!strcmp(name, "kind")) {
        static const char *const kinds[] = {"restic", "borg", "dir", "rsync",
                                            "tar"};
        for (size_t i = 0; i < MR_ARRAY_LEN(kinds); i++)
            if (!strcmp(v, kinds[i]))
                c->kind = (mr_backup_kind)(i + 1);
        if (!c->kind)
            decl_error(d, r->ini.lineno, "kind: expected restic, borg, dir, "
                       "rsync or tar");
    } else if (!strcmp(name, "location")) {
        set_str(r, name, c->location, sizeof(c->location), v);
    } else if (list) {
        each_word(r, v, add_protects);
    } else if (!strcmp(name, "role")) {
        if (!strcmp(v, "primary"))
            c->role = MR_BACKUP_ROLE_PRIMARY;
        else if (!strcmp(v, "offsite") || !strcmp(v, "off-site"))
            c->role = MR_BACKUP_ROLE_OFFSITE;
        else if (!strcmp(v, "offline"))
            c->role = MR_BACKUP_ROLE_OFFLINE;
        else
            decl_error(d, r->ini.lineno, "role: expected primary, offsite or "
                       "offline");
    } else if (!strcmp(name, "rpo")) {
        if (parse_rpo(v, &c->rpo))
            decl_error(d, r->ini.lineno, "rpo: expected a duration such as "
                       "24h, 90m, 7d or 2w (at most 3650d)");
    } else if (!strcmp(name, "retention")) {
        uint64_t n = 0;
        size_t i = 0;
        for (; v[i] >= '0' && v[i] <= '9' && n <= MR_BACKUP_RETENTION_MAX; i++)
            n = n * 10 + (uint64_t)(v[i] - '0');
        if (i == 0 || v[i] || n == 0 || n > MR_BACKUP_RETENTION_MAX)
            decl_error(d, r->ini.lineno, "retention: expected a number of "
                       "generations from 1 to %d", MR_BACKUP_RETENTION_MAX);
        else
            c->retention = (unsigned)n;
    } else if (!strcmp(name, "password-file")) {
        if (v[0] != '/')
            decl_error(d, r->ini.lineno, "password-file: expected an absolute "
                       "path");
        else
            set_str(r, name, c->password_file, sizeof(c->password_file), v);
    } else if (!strcmp(name, "password-command")) {
        set_str(r, name, c->password_command, sizeof(c->password_command), v);
    } else if (!strcmp(name, "password-env")) {
        if (!name_ok(v, strlen(v)))
            decl_error(d, r->ini.lineno, "password-env: expected the name "
                       "of an environment variable");
        else
            set_str(r, name, c->password_env, sizeof(c->password_env), v);
    } else if (!strcmp(name, "append-only")) {
        yes_no(r, name, v, &c->append_only);
    } else if (!strcmp(name, "key-elsewhere")) {
        yes_no(r, name, v, &c->key_elsewhere);
    }
}

static int handler(void *user, const char *section, const char *name,
                   const char *value)
{
    decl_reader *r = user;
    (void)section;               /* taken by the reader, with its line */
    if (r->sec == SEC_NONE) {
        decl_error(r->d, r->ini.lineno, "'%.64s' outside a [protect] or "
                   "[copy] section", name);
    } else if (r->sec == SEC_PROTECT) {
        if (!strcmp(name, "paths"))
            each_word(r, value, add_path);
        else
            decl_error(r->d, r->ini.lineno, "unknown key '%.64s' in [protect "
                       "%s]", name, r->d->protect[r->idx].name);
    } else if (r->sec == SEC_COPY) {
        copy_key(r, name, value);
    }
    return 1;   /* our own errors are kept; libinih's return is its own */
}

static int has_error_at(const mr_backup_decl *d, uint64_t line)
{
    for (size_t i = 0; i < d->nerrors; i++)
        if (d->errors[i].line == line)
            return 1;
    return 0;
}

/* What a section lacks, and names that point nowhere: dropped after an
 * error, so that the judgement reads only whole sections. */
static void cross_check(mr_backup_decl *d)
{
    size_t keep = 0;
    for (size_t i = 0; i < d->nprotect; i++) {
        if (!d->protect[i].npaths) {
            decl_error(d, d->protect[i].line, "[protect %s] names no paths",
                       d->protect[i].name);
            continue;
        }
        if (keep != i)
            d->protect[keep] = d->protect[i];
        keep++;
    }
    d->nprotect = keep;
    keep = 0;
    for (size_t i = 0; i < d->ncopy; i++) {
        mr_backup_copy *c = &d->copy[i];
        int bad = 0;
        if (!c->kind) {
            decl_error(d, c->line, "[copy %s] has no kind (restic, borg, "
                       "dir, rsync or tar)", c->name);
            bad = 1;
        }
        if (!c->location[0]) {
            decl_error(d, c->line, "[copy %s] has no location", c->name);
            bad = 1;
        }
        int pw = !!c->password_file[0] + !!c->password_command[0] +
                 !!c->password_env[0];
        if (pw > 1)
            decl_error(d, c->line, "[copy %s] names more than one of "
                       "password-file, password-command and password-env",
                       c->name);
        size_t kp = 0;
        for (size_t j = 0; j < c->nprotects; j++) {
            size_t k = 0;
            while (k < d->nprotect && strcmp(d->protect[k].name,
                                              c->protects[j]))
                k++;
            if (k == d->nprotect) {
                decl_error(d, c->line, "[copy %s] protects '%s', which no "
                           "[protect] section declares", c->name,
                           c->protects[j]);
                continue;
            }
            if (kp != j)
                memcpy(c->protects[kp], c->protects[j], MR_BACKUP_NAME_MAX);
            kp++;
        }
        if (c->nprotects && !kp)
            bad = 1;
        c->nprotects = kp;
        if (bad)
            continue;
        if (keep != i)
            d->copy[keep] = *c;
        keep++;
    }
    d->ncopy = keep;
}

void mr_backup_decl_parse(const char *data, size_t len, mr_backup_decl *d)
{
    memset(d, 0, sizeof(*d));
    static const mr_ini_hooks hooks = {ini_error, section_line, handler};
    decl_reader r;
    memset(&r, 0, sizeof(r));
    r.d = d;
    int first = mr_ini_parse(&r.ini, data, len, &hooks, &r);
    /* A line libinih refused that our own look did not catch. */
    if (first > 0 && !has_error_at(d, (uint64_t)first))
        decl_error(d, (uint64_t)first, "libinih cannot read this line");
    cross_check(d);
    if (!d->nprotect && !d->ncopy && !d->nerrors)
        decl_error(d, 0, "the declaration declares nothing ([protect NAME] "
                   "and [copy NAME] sections)");
    /* Errors in line order (cross_check's refer back). */
    for (size_t i = 1; i < d->nerrors; i++) {
        mr_backup_decl_error e = d->errors[i];
        size_t j = i;
        while (j > 0 && d->errors[j - 1].line > e.line) {
            d->errors[j] = d->errors[j - 1];
            j--;
        }
        d->errors[j] = e;
    }
}
