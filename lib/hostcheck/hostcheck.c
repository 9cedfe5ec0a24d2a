/*
 * hostcheck.c — `mamori host`: applies the rules (data/hostchecks/NAME.conf) to a machine
 * read through a mamori_sysroot. Each source of settings is read once
 * (sshd's effective configuration, the sysctl files and /proc/sys,
 * stat(2) of the identity files, passwd and shadow, dpkg's status); then
 * every rule is judged in table order and a failing one is a finding with
 * the file and line (or the setting) that decided it, the value seen, the
 * exact fix and the CIS/Lynis reference, all from the rule.
 *
 * Owners are judged on this machine and under a root owned by root (an
 * image unpacked as root keeps them); a tree unpacked by a user owns
 * every file itself, and judging that would only be noise.
 */
#include "common.h"

#include <strings.h>

#include "host/stanza.h"
#include "host/sysroot.h"
#include "hostcheck/hostcheck.h"
#include "mamori/hostcheck.h"
#include "check_ids.h"

#define HC_DPKG_MAX (256u * 1024 * 1024) /* dpkg's status: big on desktops */
#define HC_PKG_MAX 64                     /* bytes of a package name */
#define HC_EVIDENCE_MAX 1024
#define HC_SYSCTL_FILES_MAX 256           /* sysctl.d files read */
#define HC_SHORT_MAX 64       /* a runtime value, a mode and owner, a list
                                 of weak values in a short setting */
#define HC_NOTE_MAX 256       /* an account's or package's evidence, fix */
#define HC_PASSWD_FIELDS 7    /* name:pw:uid:gid:gecos:home:shell */

/* The areas of the report and of the hardening index, in this order. */
static const char *const areas[] = {"ssh", "accounts", "files", "kernel",
                                    "services"};
#define HC_AREAS MR_ARRAY_LEN(areas)

struct mamori_hostcheck {
    const mamori_ctx *ctx;
    int configured_only;
    mamori_err first_error;
    uint64_t judged, passed, findings;
    /* per area: rules judged and passed, points earned and possible */
    uint64_t area_judged[HC_AREAS], area_passed[HC_AREAS];
    uint64_t earned[HC_AREAS], possible[HC_AREAS];
};

typedef struct run {
    mamori_hostcheck *hc;
    const mamori_sink *sink;
    const mamori_sysroot *sr;
    int stopped;
} run;

static size_t area_of(const mr_hc_rule *r)
{
    switch (r->source) {
    case MR_HC_SSHD: return 0;
    case MR_HC_MODE: return 2;
    case MR_HC_SYSCTL: return 3;
    case MR_HC_PACKAGE: return 4;
    default: return 1;
    }
}

static const char *area(const mr_hc_rule *r)
{
    return areas[area_of(r)];
}

/* A rule's points in the hardening index, as Lynis weighs its tests: a
 * more severe rule is worth more. */
static unsigned points(const mr_hc_rule *r)
{
    switch (r->severity) {
    case MAMORI_SEV_CRITICAL: return 5;
    case MAMORI_SEV_HIGH: return 3;
    case MAMORI_SEV_MEDIUM: return 2;
    default: return 1;
    }
}

/* Counts a judged rule; tally_passed() when it passed. */
static void tally_judged(mamori_hostcheck *hc, const mr_hc_rule *r)
{
    hc->judged++;
    hc->area_judged[area_of(r)]++;
    hc->possible[area_of(r)] += points(r);
}

static void tally_passed(mamori_hostcheck *hc, const mr_hc_rule *r)
{
    hc->passed++;
    hc->area_passed[area_of(r)]++;
    hc->earned[area_of(r)] += points(r);
}

/* One finding of rule r: file/line where it was decided, the setting and
 * its value, evidence in words; fix defaults to the rule's. */
static void emit(run *u, const mr_hc_rule *r, const char *file,
                 uint64_t line, const char *value, const char *evidence,
                 const char *fix)
{
    mamori_finding f;
    if (u->stopped)
        return;
    memset(&f, 0, sizeof(f));
    f.check = mamori_check_find(r->check);
    f.severity = r->severity;
    f.category = area(r);
    f.file = file;
    f.line = line;
    f.time = INT64_MIN;
    f.evidence = evidence;
    f.evidence_len = strlen(evidence);
    mamori_finding_str(&f, "rule", r->id, strlen(r->id));
    mamori_finding_str(&f, "setting", r->setting, strlen(r->setting));
    if (value)
        mamori_finding_str(&f, "value", value, strlen(value));
    fix = fix ? fix : r->fix;
    mamori_finding_str(&f, "fix", fix, strlen(fix));
    if (r->ref)
        mamori_finding_str(&f, "reference", r->ref, strlen(r->ref));
    u->hc->findings++;
    if (u->sink->finding && u->sink->finding(u->sink->user, &f))
        u->stopped = 1;
}

static void display(const run *u, const char *path, char *out)
{
    if (mamori_sysroot_display(u->sr, path, out, MR_HC_FILE_MAX))
        snprintf(out, MR_HC_FILE_MAX, "%s", path);
}

/* Is w (n bytes) one of words? A word ending in '*' matches a prefix. */
static int in_words(const char *words, const char *w, size_t n)
{
    const char *p = words;
    while (p && *p) {
        while (*p == ' ')
            p++;
        size_t k = strcspn(p, " ");
        if (k == 0)
            break;
        if (p[k - 1] == '*') {
            if (n >= k - 1 && !strncasecmp(p, w, k - 1))
                return 1;
        } else if (k == n && !strncasecmp(p, w, n)) {
            return 1;
        }
        p += k;
    }
    return 0;
}

/* Judges value by r: 1 passes, 0 fails. For NONE_OF, the offending
 * items go to bad (comma-separated). */
static int judge(const mr_hc_rule *r, const char *value, char *bad,
                 size_t cap)
{
    bad[0] = '\0';
    switch (r->judge) {
    case MR_HC_IN:
        return in_words(r->words, value, strlen(value));
    case MR_HC_NOT_IN:
        return !in_words(r->words, value, strlen(value));
    case MR_HC_LE: {
        long v = mr_hc_sshd_time(value);
        return v >= 0 && v <= r->limit;
    }
    case MR_HC_GE: {
        char *end = NULL;
        long v = strtol(value, &end, 10);
        return end != value && *end == '\0' && v >= r->limit;
    }
    case MR_HC_NONE_OF: {
        const char *p = value;
        size_t used = 0;
        if (*p == '-')       /* "-list": removes from the defaults */
            return 1;
        if (*p == '+' || *p == '^')
            p++;
        while (*p) {
            size_t k = strcspn(p, ",");
            if (k && in_words(r->words, p, k)) {
                int w = snprintf(bad + used, cap - used, "%s%.*s",
                                 used ? "," : "", (int)k, p);
                if (w > 0 && (size_t)w < cap - used)
                    used += (size_t)w;
            }
            p += k;
            if (*p == ',')
                p++;
        }
        return used == 0;
    }
    }
    return 1;
}

/* ---- sshd ---------------------------------------------------------- */

static void review_sshd(run *u, const mr_hc_rule *rules, size_t n)
{
    char main_file[MR_HC_FILE_MAX];
    char bad[HC_EVIDENCE_MAX], ev[HC_EVIDENCE_MAX + 256];
    mr_hc_config *c = calloc(1, sizeof(*c));
    if (!c)
        return;
    c->ctx = u->hc->ctx;
    c->sr = u->sr;
    display(u, "/etc/ssh/sshd_config", main_file);
    if (!mr_sysroot_exists(u->sr, "/etc/ssh/sshd_config")) {
        mamori_diagf(u->hc->ctx, MAMORI_DIAG_NOTE, main_file, 0,
                     "not present (no OpenSSH server): SSH rules skipped");
        free(c);
        return;
    }
    for (size_t i = 0; i < n; i++)
        if (rules[i].source == MR_HC_SSHD)
            mr_hc_want(c, rules[i].setting);
    mr_hc_sshd_file(c, "/etc/ssh/sshd_config");
    for (size_t i = 0; i < n && !u->stopped; i++) {
        const mr_hc_rule *r = &rules[i];
        if (r->source != MR_HC_SSHD)
            continue;
        mr_hc_setting *st = mr_hc_get(c, r->setting);
        if (!st || (!st->found && !r->unset))
            continue;
        const char *value = st->found ? st->value : r->unset;
        tally_judged(u->hc, r);
        if (judge(r, value, bad, sizeof(bad))) {
            tally_passed(u->hc, r);
            continue;
        }
        if (bad[0])
            snprintf(ev, sizeof(ev), "%s offers %s", r->setting, bad);
        else if (st->found)
            snprintf(ev, sizeof(ev), "%s %s", r->setting, value);
        else
            snprintf(ev, sizeof(ev), "%s not set (sshd's default: %s)",
                     r->setting, value);
        /* the exact change: that line rewritten, or a line added */
        char fix[MR_HC_VALUE_MAX + 256];
        if (st->found)
            snprintf(fix, sizeof(fix), "%s (in place of \"%.64s %.128s\" on "
                     "that line), then systemctl reload ssh", r->fix,
                     r->setting, value);
        else
            snprintf(fix, sizeof(fix), "%s (add to /etc/ssh/sshd_config), "
                     "then systemctl reload ssh", r->fix);
        emit(u, r, st->found ? st->file : main_file, st->line, value, ev,
             fix);
    }
    free(c);
}

/* ---- sysctl -------------------------------------------------------- */

/* The sysctl files in the order systemd-sysctl and `sysctl --system`
 * apply them: every NAME.conf of /etc, /run and /usr/lib sysctl.d by
 * name, /etc's shadowing /run's and /usr/lib's of the same name, then
 * /etc/sysctl.conf. */
static void sysctl_files(run *u, mr_hc_config *c)
{
    static const char *const dirs[] = {"/etc/sysctl.d/*.conf",
                                       "/run/sysctl.d/*.conf",
                                       "/usr/local/lib/sysctl.d/*.conf",
                                       "/usr/lib/sysctl.d/*.conf"};
    mr_sysroot_names names[MR_ARRAY_LEN(dirs)];
    const char *pick[HC_SYSCTL_FILES_MAX];
    size_t npick = 0;
    memset(names, 0, sizeof(names));
    for (size_t d = 0; d < MR_ARRAY_LEN(dirs); d++) {
        mr_sysroot_glob(u->sr, dirs[d], &names[d]);
        for (size_t i = 0; i < names[d].n && npick < HC_SYSCTL_FILES_MAX;
             i++) {
            const char *base = strrchr(names[d].names[i], '/') + 1;
            int shadowed = 0;
            for (size_t k = 0; k < npick; k++)
                if (!strcmp(strrchr(pick[k], '/') + 1, base))
                    shadowed = 1;
            if (!shadowed)
                pick[npick++] = names[d].names[i];
        }
    }
    /* by file name, whichever directory it is in */
    for (size_t i = 1; i < npick; i++)
        for (size_t k = i; k > 0 && strcmp(strrchr(pick[k - 1], '/'),
                                           strrchr(pick[k], '/')) > 0; k--) {
            const char *t = pick[k];
            pick[k] = pick[k - 1];
            pick[k - 1] = t;
        }
    for (size_t i = 0; i < npick; i++) {
        char file[MR_HC_FILE_MAX];
        display(u, pick[i], file);
        char *data = NULL;
        size_t len = 0;
        if (mr_sysroot_read(u->sr, pick[i], MR_HC_CONFIG_MAX, &data, &len) ==
            MAMORI_OK)
            mr_hc_buffer(c, file, data, len, mr_hc_sysctl_line);
        else
            mamori_diagf(u->hc->ctx, MAMORI_DIAG_WARN, file, 0,
                         "cannot read: %s", strerror(errno));
        free(data);
    }
    char file[MR_HC_FILE_MAX];
    char *data = NULL;
    size_t len = 0;
    display(u, "/etc/sysctl.conf", file);
    if (mr_sysroot_read(u->sr, "/etc/sysctl.conf", MR_HC_CONFIG_MAX, &data,
                        &len) == MAMORI_OK)
        mr_hc_buffer(c, file, data, len, mr_hc_sysctl_line);
    free(data);
    for (size_t d = 0; d < MR_ARRAY_LEN(dirs); d++)
        mr_sysroot_names_free(&names[d]);
}

/* The runtime value of key from /proc/sys, first word; 0 when read. */
static int sysctl_runtime(run *u, const char *key, char *out, size_t cap)
{
    char path[MR_HC_FILE_MAX];
    char *data = NULL;
    size_t len = 0;
    if (snprintf(path, sizeof(path), "/proc/sys/%s", key) >= (int)sizeof(path))
        return -1;
    for (char *p = path + strlen("/proc/sys/"); *p; p++)
        if (*p == '.')
            *p = '/';
    if (mr_sysroot_read(u->sr, path, 4096, &data, &len) != MAMORI_OK)
        return -1;
    size_t k = strcspn(data, " \t\r\n");
    snprintf(out, cap, "%.*s", (int)MR_MIN(k, cap - 1), data);
    free(data);
    return 0;
}

static void review_sysctl(run *u, const mr_hc_rule *rules, size_t n)
{
    char ev[HC_EVIDENCE_MAX], bad[HC_SHORT_MAX], runtime[HC_SHORT_MAX], fallback[MR_HC_FILE_MAX];
    mr_hc_config *c = calloc(1, sizeof(*c));
    if (!c)
        return;
    c->ctx = u->hc->ctx;
    for (size_t i = 0; i < n; i++)
        if (rules[i].source == MR_HC_SYSCTL)
            mr_hc_want(c, rules[i].setting);
    sysctl_files(u, c);
    int live = mamori_sysroot_is_live(u->sr) && !u->hc->configured_only;
    for (size_t i = 0; i < n && !u->stopped; i++) {
        const mr_hc_rule *r = &rules[i];
        if (r->source != MR_HC_SYSCTL)
            continue;
        mr_hc_setting *st = mr_hc_get(c, r->setting);
        if (!st)
            continue;
        int have_runtime = live && sysctl_runtime(u, r->setting, runtime,
                                                  sizeof(runtime)) == 0;
        const char *value = have_runtime ? runtime
                            : st->found  ? st->value
                                         : r->unset;
        if (!value)
            continue;
        tally_judged(u->hc, r);
        if (judge(r, value, bad, sizeof(bad))) {
            tally_passed(u->hc, r);
            continue;
        }
        char fix[MR_HC_VALUE_MAX];
        char bad2[HC_SHORT_MAX];
        if (have_runtime && st->found && judge(r, st->value, bad2,
                                               sizeof(bad2)))
            /* configured right, running wrong: apply it */
            snprintf(fix, sizeof(fix), "sysctl --system (applies %.64s = %.64s "
                     "as configured)", r->setting, st->value);
        else
            snprintf(fix, sizeof(fix), "%.200s (in %.200s), then sysctl --system",
                     r->fix, st->found ? "that file" : r->file);
        if (have_runtime && st->found)
            snprintf(ev, sizeof(ev), "%.128s is %.64s now (configured: %.128s)",
                     r->setting, value, st->value);
        else if (have_runtime)
            snprintf(ev, sizeof(ev), "%s is %s now (not configured)",
                     r->setting, value);
        else if (st->found)
            snprintf(ev, sizeof(ev), "%s = %s", r->setting, value);
        else
            snprintf(ev, sizeof(ev), "%s not set (the kernel's default: %s)",
                     r->setting, value);
        display(u, r->file, fallback);
        if (st->found)
            emit(u, r, st->file, st->line, value, ev, fix);
        else
            emit(u, r, fallback, 0, value, ev, fix);
    }
    free(c);
}

/* ---- files --------------------------------------------------------- */

typedef struct group_find {
    const char *name;
    long gid;
} group_find;

static int group_line(void *user, char *line, size_t len, uint64_t lineno)
{
    (void)len;
    (void)lineno;
    group_find *g = user;
    size_t n = strlen(g->name);
    if (!strncmp(line, g->name, n) && line[n] == ':') {
        const char *p = strchr(line + n + 1, ':');
        if (p && p[1] >= '0' && p[1] <= '9') {
            g->gid = strtol(p + 1, NULL, 10);
            return 1;
        }
    }
    return 0;
}

static long group_gid(run *u, const char *name)
{
    group_find g = {name, -1};
    if (name)
        mr_sysroot_lines(u->sr, "/etc/group", MR_HC_CONFIG_MAX, group_line,
                         &g);
    return g.gid;
}

static void review_modes(run *u, const mr_hc_rule *rules, size_t n)
{
    struct stat root_st;
    int owners = mamori_sysroot_is_live(u->sr) ||
                 (mr_sysroot_stat(u->sr, "/", &root_st) == MAMORI_OK &&
                  root_st.st_uid == 0);
    for (size_t i = 0; i < n && !u->stopped; i++) {
        const mr_hc_rule *r = &rules[i];
        struct stat st;
        char file[MR_HC_FILE_MAX], value[HC_SHORT_MAX], ev[HC_NOTE_MAX];
        if (r->source != MR_HC_MODE)
            continue;
        if (mr_sysroot_stat(u->sr, r->file, &st) != MAMORI_OK)
            continue;      /* not there: the rules of its program say */
        tally_judged(u->hc, r);
        unsigned mode = (unsigned)st.st_mode & 07777;
        unsigned loose = mode & (unsigned)r->limit;
        long gid_ok = group_gid(u, r->group);
        int bad_owner = owners && st.st_uid != 0;
        int bad_group = owners && st.st_gid != 0 &&
                        (gid_ok < 0 || (long)st.st_gid != gid_ok);
        if (!loose && !bad_owner && !bad_group) {
            tally_passed(u->hc, r);
            continue;
        }
        snprintf(value, sizeof(value), "%04o %lu:%lu", mode,
                 (unsigned long)st.st_uid, (unsigned long)st.st_gid);
        snprintf(ev, sizeof(ev), "mode %04o%s%s%s", mode,
                 loose ? " (too open)" : "",
                 bad_owner ? ", owner not root" : "",
                 bad_group ? ", group not root" : "");
        display(u, r->file, file);
        emit(u, r, file, 0, value, ev, NULL);
    }
}

/* ---- accounts ------------------------------------------------------ */

typedef struct acct_pass {
    run *u;
    const mr_hc_rule *rule;
    const char *file;
} acct_pass;

/* Splits a passwd/shadow line into its fields; returns how many. */
static size_t fields(char *line, char **f, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (n < max) {
        f[n++] = p;
        char *c = strchr(p, ':');
        if (!c)
            break;
        *c = '\0';
        p = c + 1;
    }
    return n;
}

static int account_line(void *user, char *line, size_t len, uint64_t lineno)
{
    acct_pass *a = user;
    const mr_hc_rule *r = a->rule;
    char *f[HC_PASSWD_FIELDS];
    char ev[HC_NOTE_MAX], fix[HC_NOTE_MAX];
    if (a->u->stopped)
        return 1;
    if (memchr(line, '\0', len) || line[0] == '#' || line[0] == '\0' ||
        line[0] == '+' || line[0] == '-')     /* NIS compat entries */
        return 0;
    size_t nf = fields(line, f, MR_ARRAY_LEN(f));
    const char *name = f[0];
    /* the rule's fix with the account's name in place of each NAME */
    const char *p = r->fix;
    size_t used = 0;
    fix[0] = '\0';
    while (*p && used < sizeof(fix) - 1) {
        const char *at = strstr(p, "NAME");
        size_t k = at ? (size_t)(at - p) : strlen(p);
        int w = snprintf(fix + used, sizeof(fix) - used, "%.*s%.64s", (int)k,
                         p, at ? name : "");
        if (w < 0)
            break;
        used += MR_MIN((size_t)w, sizeof(fix) - 1 - used);
        p += k + (at ? 4 : 0);
    }
    switch (r->source) {
    case MR_HC_PASSWD_UID0:
        if (nf < 3)
            return 0;
        if (!strcmp(f[2], "0") && strcmp(name, "root")) {
            snprintf(ev, sizeof(ev), "%.64s has UID 0", name);
            emit(a->u, r, a->file, lineno, name, ev, fix);
        }
        return 0;
    case MR_HC_SHADOW_EMPTY:
        if (nf < 2)
            return 0;
        if (f[1][0] == '\0') {
            snprintf(ev, sizeof(ev), "%.64s has an empty password field",
                     name);
            emit(a->u, r, a->file, lineno, name, ev, fix);
        }
        return 0;
    case MR_HC_SYSTEM_SHELL: {
        if (nf < 7)
            return 0;
        char *end = NULL;
        long uid = strtol(f[2], &end, 10);
        if (end == f[2] || *end || uid <= 0 || uid >= r->limit)
            return 0;
        const char *shell = f[6][0] ? f[6] : "/bin/sh";
        if (!in_words(r->words, shell, strlen(shell))) {
            snprintf(ev, sizeof(ev), "%.64s (UID %ld) has the shell %.128s",
                     name, uid, shell);
            emit(a->u, r, a->file, lineno, shell, ev, fix);
        }
        return 0;
    }
    default:
        return 0;
    }
}

static void review_accounts(run *u, const mr_hc_rule *rules, size_t n)
{
    const char *missing = NULL;     /* said once per file */
    for (size_t i = 0; i < n && !u->stopped; i++) {
        const mr_hc_rule *r = &rules[i];
        char file[MR_HC_FILE_MAX];
        if (missing && !strcmp(missing, r->file))
            continue;
        if (r->source != MR_HC_PASSWD_UID0 && r->source != MR_HC_SHADOW_EMPTY &&
            r->source != MR_HC_SYSTEM_SHELL)
            continue;
        display(u, r->file, file);
        acct_pass a = {u, r, file};
        uint64_t before = u->hc->findings;
        mamori_err e = mr_sysroot_lines(u->sr, r->file, MR_HC_CONFIG_MAX,
                                        account_line, &a);
        if (e && e != MAMORI_E_ABORTED) {
            mamori_diagf(u->hc->ctx, errno == ENOENT ? MAMORI_DIAG_NOTE
                                                     : MAMORI_DIAG_WARN,
                         file, 0, "cannot read: %s",
                         e == MAMORI_E_IO ? strerror(errno)
                                          : mamori_strerror(e));
            missing = r->file;
            continue;
        }
        tally_judged(u->hc, r);
        if (u->hc->findings == before)
            tally_passed(u->hc, r);
    }
}

/* ---- login.defs ----------------------------------------------------- */

static void review_logindefs(run *u, const mr_hc_rule *rules, size_t n)
{
    char file[MR_HC_FILE_MAX], ev[HC_EVIDENCE_MAX], bad[HC_SHORT_MAX];
    char fix[MR_HC_VALUE_MAX + 64];
    char *data = NULL;
    size_t len = 0;
    display(u, "/etc/login.defs", file);
    mr_hc_config *c = calloc(1, sizeof(*c));
    if (!c)
        return;
    for (size_t i = 0; i < n; i++)
        if (rules[i].source == MR_HC_LOGINDEFS)
            mr_hc_want(c, rules[i].setting);
    if (c->n == 0 ||
        mr_sysroot_read(u->sr, "/etc/login.defs", MR_HC_CONFIG_MAX, &data,
                        &len) != MAMORI_OK) {
        if (c->n)
            mamori_diagf(u->hc->ctx, MAMORI_DIAG_NOTE, file, 0,
                         "cannot read (%s): login.defs rules skipped",
                         strerror(errno));
        free(c);
        return;
    }
    mr_hc_buffer(c, file, data, len, mr_hc_logindefs_line);
    free(data);
    for (size_t i = 0; i < n && !u->stopped; i++) {
        const mr_hc_rule *r = &rules[i];
        if (r->source != MR_HC_LOGINDEFS)
            continue;
        mr_hc_setting *st = mr_hc_get(c, r->setting);
        if (!st || (!st->found && !r->unset))
            continue;
        const char *value = st->found ? st->value : r->unset;
        tally_judged(u->hc, r);
        if (judge(r, value, bad, sizeof(bad))) {
            tally_passed(u->hc, r);
            continue;
        }
        if (st->found) {
            snprintf(ev, sizeof(ev), "%s %s", r->setting, value);
            snprintf(fix, sizeof(fix), "%s (in place of that line)", r->fix);
        } else {
            snprintf(ev, sizeof(ev), "%s not set (the default: %s)",
                     r->setting, value);
            snprintf(fix, sizeof(fix), "%s (add to /etc/login.defs)", r->fix);
        }
        emit(u, r, st->found ? st->file : file, st->line, value, ev, fix);
    }
    free(c);
}

/* ---- packages ------------------------------------------------------ */

typedef struct dpkg_pass {
    const mr_hc_rule *rules;
    size_t n;
    mr_stanza_parser parser;
    /* per rule: the first installed package it names, and its line */
    char (*hit)[HC_PKG_MAX];
    uint64_t *hit_line;
} dpkg_pass;

/* One package of dpkg's status: installed when the last of Status's
 * three words says so ("install ok installed"; not "half-installed"). */
static int dpkg_package(void *user, const mr_stanza *st)
{
    dpkg_pass *d = user;
    mr_span pkg = mr_stanza_get(st, "Package");
    mr_span status = mr_stanza_get(st, "Status");
    static const char installed[] = " installed";
    size_t k = sizeof(installed) - 1;
    if (!pkg.n || pkg.n >= HC_PKG_MAX || status.n < k ||
        memcmp(status.p + status.n - k, installed, k) != 0)
        return 0;
    for (size_t i = 0; i < d->n; i++)
        if (d->rules[i].source == MR_HC_PACKAGE && !d->hit[i][0] &&
            in_words(d->rules[i].setting, pkg.p, pkg.n)) {
            memcpy(d->hit[i], pkg.p, pkg.n);
            d->hit[i][pkg.n] = '\0';
            d->hit_line[i] = st->line;
        }
    return 0;
}

static int dpkg_line(void *user, char *line, size_t len, uint64_t lineno)
{
    (void)lineno;
    return mr_stanza_line(&((dpkg_pass *)user)->parser, line, len);
}

static void review_packages(run *u, const mr_hc_rule *rules, size_t n)
{
    char file[MR_HC_FILE_MAX], ev[HC_NOTE_MAX], fix[HC_NOTE_MAX];
    dpkg_pass d;
    memset(&d, 0, sizeof(d));
    mr_stanza_init(&d.parser, dpkg_package, &d);
    d.rules = rules;
    d.n = n;
    d.hit = calloc(n, sizeof(*d.hit));
    d.hit_line = calloc(n, sizeof(*d.hit_line));
    display(u, "/var/lib/dpkg/status", file);
    if (!d.hit || !d.hit_line)
        goto out;
    mamori_err e = mr_sysroot_lines(u->sr, "/var/lib/dpkg/status",
                                    HC_DPKG_MAX, dpkg_line, &d);
    if (!e)
        mr_stanza_end(&d.parser);
    if (e) {
        mamori_diagf(u->hc->ctx, MAMORI_DIAG_NOTE, file, 0,
                     "cannot read (%s): package rules skipped",
                     e == MAMORI_E_IO ? strerror(errno) : mamori_strerror(e));
        goto out;
    }
    for (size_t i = 0; i < n && !u->stopped; i++) {
        const mr_hc_rule *r = &rules[i];
        if (r->source != MR_HC_PACKAGE)
            continue;
        tally_judged(u->hc, r);
        if (!d.hit[i][0]) {
            tally_passed(u->hc, r);
            continue;
        }
        snprintf(ev, sizeof(ev), "package %s is installed", d.hit[i]);
        snprintf(fix, sizeof(fix), "apt purge %s", d.hit[i]);
        emit(u, r, file, d.hit_line[i], d.hit[i], ev, fix);
    }
out:
    free(d.hit);
    free(d.hit_line);
}

/* ---- the public lifecycle ------------------------------------------ */

mamori_err mamori_hostcheck_new(const mamori_ctx *ctx,
                                const mamori_hostcheck_opts *opts,
                                mamori_hostcheck **out)
{
    *out = NULL;
    mamori_hostcheck *hc = calloc(1, sizeof(*hc));
    if (!hc)
        return MAMORI_E_NOMEM;
    hc->ctx = ctx;
    hc->configured_only = opts ? opts->configured_only : 0;
    *out = hc;
    return MAMORI_OK;
}

mamori_err mamori_hostcheck_host(mamori_hostcheck *hc,
                                 const mamori_sysroot *sr,
                                 const mamori_sink *sink)
{
    size_t n;
    const mr_hc_rule *rules = mr_hc_rules(&n);
    run u = {hc, sink, sr, 0};
    review_sshd(&u, rules, n);
    if (!u.stopped)
        review_accounts(&u, rules, n);
    if (!u.stopped)
        review_logindefs(&u, rules, n);
    if (!u.stopped)
        review_modes(&u, rules, n);
    if (!u.stopped)
        review_sysctl(&u, rules, n);
    if (!u.stopped)
        review_packages(&u, rules, n);
    mamori_err e = u.stopped ? MAMORI_E_ABORTED : MAMORI_OK;
    if (e && !hc->first_error)
        hc->first_error = e;
    return e;
}

mamori_err mamori_hostcheck_finish(mamori_hostcheck *hc,
                                   const mamori_sink *sink)
{
    if (hc->first_error)
        return hc->first_error;
    mamori_summary *s = mamori_summary_new("host");
    if (!s)
        return MAMORI_E_NOMEM;
    /* The hardening index, as Lynis computes its own: points earned
     * over points possible, 0-100, per area and overall (a machine where
     * nothing could be judged has none: -1). */
    uint64_t earned = 0, possible = 0;
    for (size_t i = 0; i < HC_AREAS; i++) {
        earned += hc->earned[i];
        possible += hc->possible[i];
    }
    static const char *const cols[] = {"area", "rules", "passed", "points",
                                       "possible", "index"};
    int bad =
        mamori_summary_counter(s, "rules", "Rules judged", "判定した項目",
                               (int64_t)hc->judged) ||
        mamori_summary_counter(s, "passed", "Rules passed", "問題のない項目",
                               (int64_t)hc->passed) ||
        mamori_summary_counter(s, "findings", "Findings", "検出件数",
                               (int64_t)hc->findings) ||
        mamori_summary_counter(s, "hardening_index",
                               "Hardening index (0-100)",
                               "堅牢化指数（0〜100）",
                               possible ? (int64_t)(earned * 100 / possible)
                                        : -1) ||
        mamori_summary_table(s, "by_area", "Rules by area",
                             "分野ごとの判定", MR_ARRAY_LEN(cols), cols);
    for (size_t i = 0; i < HC_AREAS && !bad; i++) {
        if (!hc->area_judged[i])
            continue;
        mamori_cell row[MR_ARRAY_LEN(cols)] = {
            {areas[i], 0}, {NULL, (int64_t)hc->area_judged[i]},
            {NULL, (int64_t)hc->area_passed[i]},
            {NULL, (int64_t)hc->earned[i]}, {NULL, (int64_t)hc->possible[i]},
            {NULL, (int64_t)(hc->earned[i] * 100 / hc->possible[i])}};
        bad = mamori_summary_row(s, row) != MAMORI_OK;
    }
    if (bad) {
        mamori_summary_free(s);
        return MAMORI_E_NOMEM;
    }
    if (sink && sink->summary)
        return sink->summary(sink->user, s) ? MAMORI_E_ABORTED : MAMORI_OK;
    mamori_summary_free(s);
    return MAMORI_OK;
}

void mamori_hostcheck_free(mamori_hostcheck *hc)
{
    free(hc);
}

mamori_err mamori_hostcheck_review(const mamori_ctx *ctx, const char *root,
                                   const mamori_sink *sink)
{
    mamori_sysroot *sr = NULL;
    mamori_hostcheck *hc = NULL;
    mamori_err e = mamori_sysroot_new(root, &sr);
    if (e) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, root, 0,
                     "cannot open the root: %s",
                     e == MAMORI_E_IO ? strerror(errno) : mamori_strerror(e));
        return e;
    }
    if ((e = mamori_hostcheck_new(ctx, NULL, &hc)) == MAMORI_OK) {
        e = mamori_hostcheck_host(hc, sr, sink);
        mamori_err f = mamori_hostcheck_finish(hc, sink);
        if (!e)
            e = f;
    }
    mamori_hostcheck_free(hc);
    mamori_sysroot_free(sr);
    return e;
}
