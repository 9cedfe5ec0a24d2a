/*
 * review_pam.c — the PAM password stack, for the host review and for
 * `mamori password policy` (which runs the same rules, data/hostchecks/
 * password.conf). One read of the stack serves the four kinds of rule
 * (source "pam"): a strength check on password lines (pam_pwquality,
 * cracklib, passwdqc or pam_mamori) and its minimum length (minlen= on
 * the module, else /etc/security/pwquality.conf), a history of old
 * passwords (pam_pwhistory, or remember= on any password module), a weak
 * hash named on pam_unix (md5, bigcrypt, descrypt), and nullok.
 *
 * Two families of stacks exist: Debian's common-password and
 * common-auth, Red Hat's system-auth and password-auth. A family is read
 * when one of its files is there (or is there but unreadable: worth a
 * warning); a missing file of a family the machine does not use is not
 * worth a note. No stack at all: one note, the rules not judged.
 */
#include "common.h"

#include "host/sysroot.h"
#include "hostcheck/hostcheck.h"

typedef struct pam_seen {
    char value[MR_HC_SHORT_MAX];
    char file[MR_HC_FILE_MAX];
    uint64_t line;
    int found;
} pam_seen;

typedef struct pam_state {
    mr_hc_run *u;
    const char *strength_words, *history_words, *hash_words, *nullok_words;
    const char *file;            /* display name of the file being read */
    int strength, history;
    unsigned minlen;
    pam_seen weak_hash, nullok;
    char first_file[MR_HC_FILE_MAX];  /* the first password line: where */
    uint64_t first_line;              /* a missing module goes */
} pam_state;

/* The stacks of the two families, in the order they are read. */
static const struct {
    const char *path;
    int family;
} stacks[] = {
    {"/etc/pam.d/common-password", 0}, {"/etc/pam.d/common-auth", 0},
    {"/etc/pam.d/system-auth", 1}, {"/etc/pam.d/password-auth", 1},
};

#define PAM_PWQUALITY "/etc/security/pwquality.conf"

/* The first word of s and the rest; s is split in place ('=' splits
 * too: "minlen=12" is the word minlen, then 12). */
static char *next_word(char **s)
{
    char *p = *s;
    while (*p == ' ' || *p == '\t' || *p == '=')
        p++;
    char *w = p;
    while (*p && *p != ' ' && *p != '\t' && *p != '=')
        p++;
    if (*p)
        *p++ = '\0';
    *s = p;
    return w;
}

static void seen(pam_seen *st, const char *file, uint64_t line,
                 const char *value)
{
    if (st->found)
        return;
    st->found = 1;
    st->line = line;
    /* cut to the field on purpose: a value is shown, never parsed again */
    snprintf(st->value, sizeof(st->value), "%.*s",
             (int)sizeof(st->value) - 1, value);
    snprintf(st->file, sizeof(st->file), "%s", file);
}

static unsigned small_number(const char *v)
{
    char *end = NULL;
    unsigned long x = strtoul(v, &end, 10);
    return end == v || x > 4096 ? 0 : (unsigned)x;
}

/* Leading blanks, the line end and comments away; NULL for nothing or
 * a line with a NUL byte (it would hide its tail from the parsers). */
static char *clean(pam_state *p, char *s, size_t len, uint64_t lineno)
{
    if (memchr(s, '\0', len)) {
        mamori_diagf(p->u->ctx, MAMORI_DIAG_WARN, p->file, lineno,
                     "NUL byte in the line; not read");
        return NULL;
    }
    while (len > 0 && s[len - 1] == '\r')
        s[--len] = '\0';
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == '#' || *s == '\0' ? NULL : s;
}

static int pam_line(void *user, char *line, size_t len, uint64_t lineno)
{
    pam_state *p = user;
    char *s = clean(p, line, len, lineno);
    if (!s)
        return 0;
    char *type = next_word(&s);
    int password = !strcmp(type, "password") || !strcmp(type, "-password");
    int auth = !strcmp(type, "auth") || !strcmp(type, "-auth");
    if (!password && !auth)
        return 0;
    if (*s == '[') {                /* [success=1 default=ignore] */
        char *e = strchr(s, ']');
        s = e ? e + 1 : s + strlen(s);
    } else {
        next_word(&s);
    }
    char *module = next_word(&s);
    const char *base = strrchr(module, '/');
    base = base ? base + 1 : module;
    size_t bn = strlen(base);
    if (password && !p->first_line) {
        p->first_line = lineno;
        snprintf(p->first_file, sizeof(p->first_file), "%s", p->file);
    }
    int checker = password && p->strength_words &&
                  mr_hc_in_words(p->strength_words, base, bn);
    p->strength |= checker;
    if (password && p->history_words &&
        mr_hc_in_words(p->history_words, base, bn))
        p->history = 1;
    while (*s) {
        char *arg = next_word(&s);
        if (!*arg)
            break;
        if (p->nullok_words && mr_hc_in_words(p->nullok_words, arg,
                                              strlen(arg)))
            seen(&p->nullok, p->file, lineno, arg);
        if (password && !strcmp(base, "pam_unix.so") && p->hash_words &&
            mr_hc_in_words(p->hash_words, arg, strlen(arg)))
            seen(&p->weak_hash, p->file, lineno, arg);
        if (password && !strcmp(arg, "remember") && *s)
            p->history = 1;
        if (checker && (!strcmp(arg, "minlen") || !strcmp(arg, "min")))
            p->minlen = small_number(next_word(&s));
    }
    return 0;
}

static int pwquality_line(void *user, char *line, size_t len,
                          uint64_t lineno)
{
    pam_state *p = user;
    char *s = clean(p, line, len, lineno);
    if (!s)
        return 0;
    char *key = next_word(&s);
    if (!strcmp(key, "minlen") && p->minlen == 0)
        p->minlen = small_number(next_word(&s));
    return 0;
}

/* Reads one file of the stack; 0 when read. A file not there is a note
 * when note_missing; another failure a warning. */
static int read_stack(pam_state *p, const char *path, int note_missing,
                      int (*fn)(void *, char *, size_t, uint64_t))
{
    char file[MR_HC_FILE_MAX];
    mr_hc_display(p->u, path, file);
    p->file = file;
    mamori_err e = mr_sysroot_lines(p->u->sr, path, MR_HC_CONFIG_MAX, fn, p);
    p->file = NULL;
    if (e == MAMORI_OK)
        return 0;
    if (e == MAMORI_E_IO && (errno == ENOENT || errno == ENOTDIR)) {
        if (note_missing)
            mamori_diagf(p->u->ctx, MAMORI_DIAG_NOTE, file, 0,
                         "not present: %s", strerror(errno));
    } else {
        mamori_diagf(p->u->ctx, MAMORI_DIAG_WARN, file, 0, "cannot read: %s",
                     e == MAMORI_E_IO ? strerror(errno) : mamori_strerror(e));
    }
    return -1;
}

/* Judges rule r on what the stack said; where: the first password line's
 * file (or pwquality.conf's name when there is none). */
static void judge(pam_state *p, const mr_hc_rule *r, const char *where)
{
    mr_hc_run *u = p->u;
    char ev[MR_HC_NOTE_MAX];
    uint64_t line = p->first_line;
    mr_hc_judged(u, r);
    if (!strcmp(r->setting, "strength")) {
        unsigned min = u->pam_min_length > 0 ? (unsigned)u->pam_min_length
                                             : (unsigned)r->limit;
        if (!p->strength) {
            mr_hc_emit_setting(u, r, "password stack", where, line, "(none)",
                               "no password strength check "
                               "(pam_pwquality, pam_passwdqc or pam_mamori)",
                               NULL);
            return;
        }
        if (p->minlen && p->minlen < min) {
            char value[MR_HC_SHORT_MAX];
            snprintf(ev, sizeof(ev), "minlen=%u (guidance: %u or more)",
                     p->minlen, min);
            snprintf(value, sizeof(value), "%u", p->minlen);
            mr_hc_emit_setting(u, r, "minlen", where, line, value, ev, NULL);
            return;
        }
    } else if (!strcmp(r->setting, "history")) {
        if (!p->history) {
            mr_hc_emit_setting(u, r, "password stack", where, line, "(none)",
                               "no password history (remember= or "
                               "pam_pwhistory): old passwords can be reused",
                               NULL);
            return;
        }
    } else if (!strcmp(r->setting, "hash")) {
        if (p->weak_hash.found) {
            mr_hc_emit_setting(u, r, "pam_unix", p->weak_hash.file,
                               p->weak_hash.line, p->weak_hash.value,
                               p->weak_hash.value, NULL);
            return;
        }
    } else if (!strcmp(r->setting, "nullok")) {
        if (p->nullok.found) {
            mr_hc_emit_setting(u, r, "pam_unix nullok", p->nullok.file,
                               p->nullok.line, p->nullok.value,
                               "nullok: accounts with an empty password "
                               "can log in", NULL);
            return;
        }
    }
    mr_hc_passed(u, r);
}

void mr_hc_review_pam(mr_hc_run *u, const mr_hc_rule *rules, size_t n)
{
    pam_state *p = calloc(1, sizeof(*p));
    char where_none[MR_HC_FILE_MAX];
    size_t wanted = 0;
    if (!p)
        return;
    p->u = u;
    for (size_t i = 0; i < n; i++) {
        const mr_hc_rule *r = &rules[i];
        if (r->source != MR_HC_PAM)
            continue;
        wanted++;
        if (!strcmp(r->setting, "strength"))
            p->strength_words = r->words;
        else if (!strcmp(r->setting, "history"))
            p->history_words = r->words;
        else if (!strcmp(r->setting, "hash"))
            p->hash_words = r->words;
        else if (!strcmp(r->setting, "nullok"))
            p->nullok_words = r->words;
    }
    int in_use[2] = {0, 0};
    for (size_t i = 0; i < MR_ARRAY_LEN(stacks) && wanted; i++)
        if (mr_sysroot_exists(u->sr, stacks[i].path) ||
            errno != ENOENT)    /* there, if unreadable: worth a warning */
            in_use[stacks[i].family] = 1;
    if (!wanted)
        goto out;
    if (!in_use[0] && !in_use[1]) {
        mr_hc_display(u, "/etc/pam.d", where_none);
        mamori_diagf(u->ctx, MAMORI_DIAG_NOTE, where_none, 0,
                     "no PAM password stack (common-password, system-auth): "
                     "not present");
        goto out;
    }
    int any = 0;
    for (size_t i = 0; i < MR_ARRAY_LEN(stacks); i++)
        if (in_use[stacks[i].family])
            any |= read_stack(p, stacks[i].path, 1, pam_line) == 0;
    if (!any)
        goto out;
    read_stack(p, PAM_PWQUALITY, 0, pwquality_line);
    mr_hc_display(u, PAM_PWQUALITY, where_none);
    const char *where = p->first_line ? p->first_file : where_none;
    for (size_t i = 0; i < n && !u->stopped; i++)
        if (rules[i].source == MR_HC_PAM)
            judge(p, &rules[i], where);
out:
    free(p);
}
