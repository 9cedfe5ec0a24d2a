/*
 * review.c — `mamori password policy`: is this machine's password
 * configuration as strong as the guidance asks? Reads, under a root
 * directory ("/" normally, a fixture in tests):
 *   etc/login.defs          ENCRYPT_METHOD (how passwords are hashed)
 *   etc/pam.d/common-password, system-auth, password-auth
 *                           a strength check (pam_pwquality, cracklib,
 *                           passwdqc or pam_mamori) and its minimum length
 *                           (also etc/security/pwquality.conf), a history
 *                           (remember=, pam_pwhistory), the hash, nullok
 *   etc/pam.d/common-auth   nullok (logins with an empty password)
 *   etc/ssh/sshd_config and sshd_config.d/NAME.conf
 *                           PasswordAuthentication, PermitEmptyPasswords,
 *                           PermitRootLogin (first value wins, as sshd)
 * Each weakness is one finding naming the file, line and setting. Files
 * are read whole up to REVIEW_FILE_MAX, lines up to REVIEW_LINE_MAX.
 */
#include "common.h"

#include <dirent.h>
#include <strings.h>

#include "mamori/password.h"

#define REVIEW_FILE_MAX (1024 * 1024)
#define REVIEW_LINE_MAX 1024
#define REVIEW_PATH_MAX 4096
#define REVIEW_MIN_LENGTH 10      /* NISC: 10 characters or more */
#define SSHD_INCLUDES_MAX 64

typedef struct review {
    const mamori_ctx *ctx;
    const mamori_sink *sink;
    const char *root;
    int stopped;
} review;

typedef struct setting {
    char value[128];
    char file[REVIEW_PATH_MAX];
    uint64_t line;
    int found;
} setting;

static void join(char *out, const char *root, const char *rel)
{
    size_t rl = strlen(root);
    while (rl > 1 && root[rl - 1] == '/')
        rl--;
    snprintf(out, REVIEW_PATH_MAX, "%.*s/%s", (int)(rl == 1 && root[0] == '/'
                                                    ? 0 : rl), root, rel);
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

/* Calls fn for each line (without the newline, comments kept). */
typedef void (*line_fn)(void *u, const char *file, uint64_t line, char *s);

static int each_line(review *r, const char *path, line_fn fn, void *u)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        mamori_diagf(r->ctx, MAMORI_DIAG_NOTE, path, 0, "not present: %s",
                     strerror(errno));
        return -1;
    }
    char buf[REVIEW_LINE_MAX];
    uint64_t line = 0;
    uint64_t total = 0, full;
    while (total < REVIEW_FILE_MAX &&
           mamori_read_line(f, buf, sizeof(buf), &full) > 0) {
        line++;
        total += full + 1;
        /* An overlong line is judged by its first REVIEW_LINE_MAX - 1
         * bytes; a NUL byte would hide the rest of a line from the
         * string parsers, so such a line is named and not read. */
        size_t n = full < sizeof(buf) ? (size_t)full : sizeof(buf) - 1;
        if (memchr(buf, '\0', n)) {
            mamori_diagf(r->ctx, MAMORI_DIAG_WARN, path, line,
                         "NUL byte in the line; not read");
            continue;
        }
        while (n > 0 && buf[n - 1] == '\r')
            buf[--n] = '\0';
        char *s = buf;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '#' || *s == '\0')
            continue;
        fn(u, path, line, s);
    }
    fclose(f);
    return 0;
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
    char path[REVIEW_PATH_MAX];
    setting st = {0};
    join(path, r->root, "etc/login.defs");
    if (each_line(r, path, logindefs_line, &st))
        return;
    if (st.found && (!strcasecmp(st.value, "DES") ||
                     !strcasecmp(st.value, "MD5")))
        emit(r, "password.policy-hash", st.file, st.line, "ENCRYPT_METHOD",
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

static void review_pam(review *r)
{
    static const char *const stacks[] = {
        "etc/pam.d/common-password", "etc/pam.d/common-auth",
        "etc/pam.d/system-auth", "etc/pam.d/password-auth"};
    char path[REVIEW_PATH_MAX];
    pam_state p;
    memset(&p, 0, sizeof(p));
    p.r = r;
    int any = 0;
    for (size_t i = 0; i < MR_ARRAY_LEN(stacks); i++) {
        join(path, r->root, stacks[i]);
        any |= each_line(r, path, pam_line, &p) == 0;
    }
    if (!any)
        return;
    join(path, r->root, "etc/security/pwquality.conf");
    FILE *probe = fopen(path, "r");
    if (probe) {
        fclose(probe);
        each_line(r, path, pwquality_line, &p);
    }
    const char *where = p.first_password_line ? p.first_password_file : path;
    if (!p.strength)
        emit(r, "password.policy-strength", where, p.first_password_line,
             "password stack", "no password strength check "
             "(pam_pwquality, pam_passwdqc or pam_mamori)");
    else if (p.minlen && p.minlen < REVIEW_MIN_LENGTH) {
        char ev[64];
        snprintf(ev, sizeof(ev), "minlen=%u (guidance: %d or more)",
                 p.minlen, REVIEW_MIN_LENGTH);
        emit(r, "password.policy-strength", where, p.first_password_line,
             "minlen", ev);
    }
    if (!p.history)
        emit(r, "password.policy-history", where, p.first_password_line,
             "password stack", "no password history (remember= or "
             "pam_pwhistory): old passwords can be reused");
    if (p.weak_hash.found)
        emit(r, "password.policy-hash", p.weak_hash.file, p.weak_hash.line,
             "pam_unix", p.weak_hash.value);
    if (p.nullok.found)
        emit(r, "password.policy-empty", p.nullok.file, p.nullok.line,
             "pam_unix nullok", "nullok: accounts with an empty password "
             "can log in");
}

/* ---- sshd --------------------------------------------------------- */

typedef struct sshd_state {
    review *r;
    int in_match;
    setting password_auth, empty, root_login;
    char includes[SSHD_INCLUDES_MAX][REVIEW_PATH_MAX];
    size_t nincludes;
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

static int by_name(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static void review_sshd(review *r)
{
    char path[REVIEW_PATH_MAX], dir[REVIEW_PATH_MAX];
    sshd_state *st = calloc(1, sizeof(*st));
    if (!st)
        return;
    st->r = r;
    /* Debian's sshd_config includes sshd_config.d/NAME.conf at its top,
     * so the drop-ins' values win; read them first, in name order. */
    join(dir, r->root, "etc/ssh/sshd_config.d");
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d)) && st->nincludes < SSHD_INCLUDES_MAX) {
        size_t n = strlen(de->d_name);
        if (n <= 5 || strcmp(de->d_name + n - 5, ".conf"))
            continue;
        int w = snprintf(st->includes[st->nincludes], REVIEW_PATH_MAX,
                         "%s/%s", dir, de->d_name);
        if (w > 0 && w < REVIEW_PATH_MAX)
            st->nincludes++;
    }
    if (d)
        closedir(d);
    qsort(st->includes, st->nincludes, sizeof(st->includes[0]), by_name);
    for (size_t i = 0; i < st->nincludes; i++) {
        st->in_match = 0;
        each_line(r, st->includes[i], sshd_line, st);
    }
    join(path, r->root, "etc/ssh/sshd_config");
    st->in_match = 0;
    if (each_line(r, path, sshd_line, st) == 0) {
        if (!st->password_auth.found ||
            !strcasecmp(st->password_auth.value, "yes"))
            emit(r, "password.policy-sshd",
                 st->password_auth.found ? st->password_auth.file : path,
                 st->password_auth.line, "PasswordAuthentication",
                 st->password_auth.found ? "PasswordAuthentication yes"
                 : "PasswordAuthentication not set (sshd's default: yes)");
        if (st->empty.found && !strcasecmp(st->empty.value, "yes"))
            emit(r, "password.policy-empty", st->empty.file, st->empty.line,
                 "PermitEmptyPasswords", "PermitEmptyPasswords yes");
        if (st->root_login.found && !strcasecmp(st->root_login.value, "yes"))
            emit(r, "password.policy-sshd", st->root_login.file,
                 st->root_login.line, "PermitRootLogin",
                 "PermitRootLogin yes (root may log in with a password)");
    }
    free(st);
}

mamori_err mamori_password_policy_review(const mamori_ctx *ctx,
                                         const char *root,
                                         const mamori_sink *sink)
{
    review r = {ctx, sink, root ? root : "/", 0};
    review_logindefs(&r);
    if (!r.stopped)
        review_pam(&r);
    if (!r.stopped)
        review_sshd(&r);
    return r.stopped ? MAMORI_E_ABORTED : MAMORI_OK;
}
