/*
 * review.c — `mamori password policy`: is this machine's password
 * configuration as strong as the guidance asks? Reads, through a
 * mamori_sysroot (this machine, or a root directory: a fixture in tests,
 * a mounted image), and never by opening a system path itself:
 *   /etc/login.defs         ENCRYPT_METHOD (how passwords are hashed)
 *   /etc/pam.d/common-password, common-auth (Debian and its kin) or
 *   system-auth, password-auth (Red Hat and its kin)
 *                           a strength check (pam_pwquality, cracklib,
 *                           passwdqc or pam_mamori) and its minimum length
 *                           (also /etc/security/pwquality.conf), a history
 *                           (remember=, pam_pwhistory), the hash, nullok
 *   /etc/ssh/sshd_config and sshd_config.d/NAME.conf
 *                           PasswordAuthentication, PermitEmptyPasswords,
 *                           PermitRootLogin (first value wins, as sshd)
 * Each weakness is one finding naming the file, line and setting. A file
 * of the PAM family the machine does not use is not worth a note (no
 * "system-auth not present" on Debian). Files are read whole up to
 * REVIEW_FILE_MAX; a larger one is skipped with a warning.
 */
#include "common.h"

#include <strings.h>

#include "host/sysroot.h"
#include "mamori/password.h"
#include "check_ids.h"

#define REVIEW_FILE_MAX (1024 * 1024)
#define REVIEW_PATH_MAX MAMORI_SYSROOT_PATH_MAX
#define REVIEW_MIN_LENGTH 10      /* NISC: 10 characters or more */
#define SSHD_INCLUDES_MAX 64

struct mamori_password_review {
    const mamori_ctx *ctx;
    unsigned min_length;
    int skip_sshd;               /* the host review judges sshd */
    mamori_err first_error;      /* of the runs so far, for finish */
};

typedef struct review {
    const mamori_ctx *ctx;
    const mamori_sink *sink;
    const mamori_sysroot *sr;
    unsigned min_length;
    int stopped;
} review;

typedef struct setting {
    char value[128];
    char file[REVIEW_PATH_MAX];
    uint64_t line;
    int found;
} setting;

/* How path is named in findings and notes: "/etc/x", or "ROOT/etc/x". */
static void display(const review *r, const char *path, char *out)
{
    mamori_sysroot_display(r->sr, path, out, REVIEW_PATH_MAX);
}

static void emit(review *r, const char *id, const char *file, uint64_t line,
                 const char *setting_name, const char *evidence)
{
    mamori_finding f;
    if (r->stopped)
        return;
    memset(&f, 0, sizeof(f));
    f.check = mamori_check_find(id);
    f.severity = f.check ? f.check->severity : MAMORI_SEV_MEDIUM;
    f.category = "password-policy";
    f.file = file;
    f.line = line;
    f.time = INT64_MIN;
    f.evidence = evidence;
    f.evidence_len = strlen(evidence);
    mamori_finding_str(&f, "setting", setting_name, strlen(setting_name));
    if (r->sink->finding && r->sink->finding(r->sink->user, &f))
        r->stopped = 1;
}

/* Calls fn for each line that is not blank or a comment, leading blanks
 * and the line end removed; file is the path's display name. */
typedef void (*line_fn)(void *u, const char *file, uint64_t line, char *s);

typedef struct line_pass {
    line_fn fn;
    void *u;
    const char *file;
    const mamori_ctx *ctx;
} line_pass;

static int one_line(void *user, char *s, size_t len, uint64_t lineno)
{
    line_pass *lp = user;
    /* A NUL byte would hide the rest of the line from the string parsers:
     * such a line is named and not judged. */
    if (memchr(s, '\0', len)) {
        mamori_diagf(lp->ctx, MAMORI_DIAG_WARN, lp->file, lineno,
                     "NUL byte in the line; not read");
        return 0;
    }
    while (len > 0 && s[len - 1] == '\r')
        s[--len] = '\0';
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s != '#' && *s != '\0')
        lp->fn(lp->u, lp->file, lineno, s);
    return 0;
}

/* Reads path through the sysroot; a file that is not there is a note
 * when `note_missing`, other failures a warning. 0 when it was read. */
static int read_lines(review *r, const char *path, int note_missing,
                      line_fn fn, void *u)
{
    char file[REVIEW_PATH_MAX];
    display(r, path, file);
    line_pass lp = {fn, u, file, r->ctx};
    mamori_err e = mr_sysroot_lines(r->sr, path, REVIEW_FILE_MAX, one_line,
                                    &lp);
    if (e == MAMORI_OK)
        return 0;
    if (e == MAMORI_E_IO && (errno == ENOENT || errno == ENOTDIR)) {
        if (note_missing)
            mamori_diagf(r->ctx, MAMORI_DIAG_NOTE, file, 0,
                         "not present: %s", strerror(errno));
    } else {
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, file, 0, "cannot read: %s",
                     e == MAMORI_E_IO ? strerror(errno) : mamori_strerror(e));
    }
    return -1;
}

static int each_line(review *r, const char *path, line_fn fn, void *u)
{
    return read_lines(r, path, 1, fn, u);
}

/* The first word of s and the rest; s is split in place. */
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

static void remember(setting *st, const char *file, uint64_t line,
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

/* ---- login.defs --------------------------------------------------- */

static void logindefs_line(void *u, const char *file, uint64_t line, char *s)
{
    setting *st = u;
    char *key = next_word(&s);
    if (!strcmp(key, "ENCRYPT_METHOD"))
        remember(st, file, line, next_word(&s));
}

static void review_logindefs(review *r)
{
    setting st = {0};
    if (each_line(r, "/etc/login.defs", logindefs_line, &st))
        return;
    if (st.found && (!strcasecmp(st.value, "DES") ||
                     !strcasecmp(st.value, "MD5")))
        emit(r, MR_CHECK_PASSWORD_POLICY_HASH, st.file, st.line, "ENCRYPT_METHOD",
             st.value);
}

/* ---- PAM ---------------------------------------------------------- */

typedef struct pam_state {
    review *r;
    int strength, history;
    unsigned minlen;
    setting weak_hash, nullok;
    char first_password_file[REVIEW_PATH_MAX];
    uint64_t first_password_line;
} pam_state;

static void pam_line(void *u, const char *file, uint64_t line, char *s)
{
    pam_state *p = u;
    char *type = next_word(&s);
    int password = !strcmp(type, "password") || !strcmp(type, "-password");
    int auth = !strcmp(type, "auth") || !strcmp(type, "-auth");
    if (!password && !auth)
        return;
    if (*s == '[') {                /* [success=1 default=ignore] */
        char *e = strchr(s, ']');
        s = e ? e + 1 : s + strlen(s);
    } else {
        next_word(&s);
    }
    char *module = next_word(&s);
    const char *base = strrchr(module, '/');
    base = base ? base + 1 : module;
    if (password && !p->first_password_line) {
        p->first_password_line = line;
        snprintf(p->first_password_file, sizeof(p->first_password_file),
                 "%s", file);
    }
    int checker = password && (!strcmp(base, "pam_pwquality.so") ||
                               !strcmp(base, "pam_cracklib.so") ||
                               !strcmp(base, "pam_passwdqc.so") ||
                               !strcmp(base, "pam_mamori.so"));
    p->strength |= checker;
    if (password && !strcmp(base, "pam_pwhistory.so"))
        p->history = 1;
    while (*s) {
        char *arg = next_word(&s);
        if (!*arg)
            break;
        if (!strcmp(arg, "nullok"))
            remember(&p->nullok, file, line, "nullok");
        if (password && !strcmp(base, "pam_unix.so") &&
            (!strcmp(arg, "md5") || !strcmp(arg, "bigcrypt") ||
             !strcmp(arg, "descrypt")))
            remember(&p->weak_hash, file, line, arg);
        if (password && !strcmp(arg, "remember") && *s) {
            p->history = 1;
        }
        if (checker && (!strcmp(arg, "minlen") || !strcmp(arg, "min"))) {
            char *v = next_word(&s);
            p->minlen = (unsigned)strtoul(v, NULL, 10);
        }
    }
}

static void pwquality_line(void *u, const char *file, uint64_t line, char *s)
{
    (void)file;
    (void)line;
    pam_state *p = u;
    char *key = next_word(&s);
    if (!strcmp(key, "minlen") && p->minlen == 0)
        p->minlen = (unsigned)strtoul(next_word(&s), NULL, 10);
}

/* The PAM stacks of the two families, in the order they are read. A
 * family is in use when one of its files is there; only then is a
 * missing file of it worth a note. */
static const struct {
    const char *path;
    int family;
} pam_stacks[] = {
    {"/etc/pam.d/common-password", 0}, {"/etc/pam.d/common-auth", 0},
    {"/etc/pam.d/system-auth", 1}, {"/etc/pam.d/password-auth", 1},
};

static void review_pam(review *r)
{
    char where_none[REVIEW_PATH_MAX];
    pam_state p;
    memset(&p, 0, sizeof(p));
    p.r = r;
    int in_use[2] = {0, 0};
    for (size_t i = 0; i < MR_ARRAY_LEN(pam_stacks); i++)
        if (mr_sysroot_exists(r->sr, pam_stacks[i].path) ||
            errno != ENOENT)    /* there, if unreadable: worth a warning */
            in_use[pam_stacks[i].family] = 1;
    if (!in_use[0] && !in_use[1]) {
        display(r, "/etc/pam.d", where_none);
        mamori_diagf(r->ctx, MAMORI_DIAG_NOTE, where_none, 0,
                     "no PAM password stack (common-password, system-auth): "
                     "not present");
        return;
    }
    int any = 0;
    for (size_t i = 0; i < MR_ARRAY_LEN(pam_stacks); i++)
        if (in_use[pam_stacks[i].family])
            any |= each_line(r, pam_stacks[i].path, pam_line, &p) == 0;
    if (!any)
        return;
    read_lines(r, "/etc/security/pwquality.conf", 0, pwquality_line, &p);
    display(r, "/etc/security/pwquality.conf", where_none);
    const char *where = p.first_password_line ? p.first_password_file
                                              : where_none;
    if (!p.strength)
        emit(r, MR_CHECK_PASSWORD_POLICY_STRENGTH, where, p.first_password_line,
             "password stack", "no password strength check "
             "(pam_pwquality, pam_passwdqc or pam_mamori)");
    else if (p.minlen && p.minlen < r->min_length) {
        char ev[64];
        snprintf(ev, sizeof(ev), "minlen=%u (guidance: %u or more)",
                 p.minlen, r->min_length);
        emit(r, MR_CHECK_PASSWORD_POLICY_STRENGTH, where, p.first_password_line,
             "minlen", ev);
    }
    if (!p.history)
        emit(r, MR_CHECK_PASSWORD_POLICY_HISTORY, where, p.first_password_line,
             "password stack", "no password history (remember= or "
             "pam_pwhistory): old passwords can be reused");
    if (p.weak_hash.found)
        emit(r, MR_CHECK_PASSWORD_POLICY_HASH, p.weak_hash.file, p.weak_hash.line,
             "pam_unix", p.weak_hash.value);
    if (p.nullok.found)
        emit(r, MR_CHECK_PASSWORD_POLICY_EMPTY, p.nullok.file, p.nullok.line,
             "pam_unix nullok", "nullok: accounts with an empty password "
             "can log in");
}

/* ---- sshd --------------------------------------------------------- */

typedef struct sshd_state {
    review *r;
    int in_match;
    setting password_auth, empty, root_login;
} sshd_state;

static void sshd_line(void *u, const char *file, uint64_t line, char *s)
{
    sshd_state *st = u;
    char *key = next_word(&s);
    if (!strcasecmp(key, "Match"))
        st->in_match = 1;
    if (st->in_match)
        return;
    char *value = next_word(&s);
    if (!strcasecmp(key, "PasswordAuthentication"))
        remember(&st->password_auth, file, line, value);
    else if (!strcasecmp(key, "PermitEmptyPasswords"))
        remember(&st->empty, file, line, value);
    else if (!strcasecmp(key, "PermitRootLogin"))
        remember(&st->root_login, file, line, value);
}

static void review_sshd(review *r)
{
    char path[REVIEW_PATH_MAX];
    sshd_state *st = calloc(1, sizeof(*st));
    mr_sysroot_names inc;
    if (!st)
        return;
    st->r = r;
    /* Debian's sshd_config includes sshd_config.d/NAME.conf at its top,
     * so the drop-ins' values win; read them first, in name order. */
    memset(&inc, 0, sizeof(inc));
    if (mr_sysroot_glob(r->sr, "/etc/ssh/sshd_config.d/*.conf", &inc) ==
        MAMORI_OK) {
        for (size_t i = 0; i < inc.n && i < SSHD_INCLUDES_MAX; i++) {
            st->in_match = 0;
            each_line(r, inc.names[i], sshd_line, st);
        }
    }
    mr_sysroot_names_free(&inc);
    display(r, "/etc/ssh/sshd_config", path);
    st->in_match = 0;
    if (each_line(r, "/etc/ssh/sshd_config", sshd_line, st) == 0) {
        if (!st->password_auth.found ||
            !strcasecmp(st->password_auth.value, "yes"))
            emit(r, MR_CHECK_PASSWORD_POLICY_SSHD,
                 st->password_auth.found ? st->password_auth.file : path,
                 st->password_auth.line, "PasswordAuthentication",
                 st->password_auth.found ? "PasswordAuthentication yes"
                 : "PasswordAuthentication not set (sshd's default: yes)");
        if (st->empty.found && !strcasecmp(st->empty.value, "yes"))
            emit(r, MR_CHECK_PASSWORD_POLICY_EMPTY, st->empty.file, st->empty.line,
                 "PermitEmptyPasswords", "PermitEmptyPasswords yes");
        if (st->root_login.found && !strcasecmp(st->root_login.value, "yes"))
            emit(r, MR_CHECK_PASSWORD_POLICY_SSHD, st->root_login.file,
                 st->root_login.line, "PermitRootLogin",
                 "PermitRootLogin yes (root may log in with a password)");
    }
    free(st);
}

/* ---- the public lifecycle ------------------------------------------ */

mamori_err mamori_password_review_new(const mamori_ctx *ctx,
                                      const mamori_password_review_opts *opts,
                                      mamori_password_review **out)
{
    *out = NULL;
    mamori_password_review *rv = calloc(1, sizeof(*rv));
    if (!rv)
        return MAMORI_E_NOMEM;
    rv->ctx = ctx;
    rv->skip_sshd = opts && opts->skip_sshd;
    rv->min_length = opts && opts->min_length ? opts->min_length
                                              : REVIEW_MIN_LENGTH;
    *out = rv;
    return MAMORI_OK;
}

mamori_err mamori_password_review_host(mamori_password_review *rv,
                                       const mamori_sysroot *sr,
                                       const mamori_sink *sink)
{
    review r = {rv->ctx, sink, sr, rv->min_length, 0};
    review_logindefs(&r);
    if (!r.stopped)
        review_pam(&r);
    if (!r.stopped && !rv->skip_sshd)
        review_sshd(&r);
    mamori_err e = r.stopped ? MAMORI_E_ABORTED : MAMORI_OK;
    if (e && !rv->first_error)
        rv->first_error = e;
    return e;
}

mamori_err mamori_password_review_finish(mamori_password_review *rv,
                                         const mamori_sink *sink)
{
    (void)sink;     /* findings went out as each file was read */
    return rv->first_error;
}

void mamori_password_review_free(mamori_password_review *rv)
{
    free(rv);
}

mamori_err mamori_password_policy_review(const mamori_ctx *ctx,
                                         const char *root,
                                         const mamori_sink *sink)
{
    mamori_sysroot *sr = NULL;
    mamori_password_review *rv = NULL;
    mamori_err e = mamori_sysroot_new(root, &sr);
    if (e) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, root, 0, "cannot open the root: %s",
                     e == MAMORI_E_IO ? strerror(errno) : mamori_strerror(e));
        return e;
    }
    if ((e = mamori_password_review_new(ctx, NULL, &rv)) == MAMORI_OK) {
        e = mamori_password_review_host(rv, sr, sink);
        mamori_err f = mamori_password_review_finish(rv, sink);
        if (!e)
            e = f;
    }
    mamori_password_review_free(rv);
    mamori_sysroot_free(sr);
    return e;
}
