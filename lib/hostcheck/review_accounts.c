/*
 * review_accounts.c — the account rules of `mamori host`: /etc/passwd
 * and /etc/shadow one account at a time (UID 0 besides root, empty
 * password fields, system accounts with login shells), the defaults of
 * new accounts in /etc/login.defs, and sudo: who may run commands
 * without a password (NOPASSWD, Defaults !authenticate) or every command
 * while not one of the administrators the rule names (sudoers.c reads
 * the files, includes followed).
 */
#include "common.h"

#include <strings.h>

#include "host/sysroot.h"
#include "hostcheck/hostcheck.h"

#define HC_PASSWD_FIELDS 7    /* name:pw:uid:gid:gecos:home:shell */

/* ---- accounts ------------------------------------------------------ */

typedef struct acct_pass {
    mr_hc_run *u;
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
    char ev[MR_HC_NOTE_MAX], fix[MR_HC_NOTE_MAX];
    if (a->u->stopped)
        return 1;
    if (memchr(line, '\0', len) || line[0] == '#' || line[0] == '\0' ||
        line[0] == '+' || line[0] == '-')     /* NIS compat entries */
        return 0;
    size_t nf = fields(line, f, MR_ARRAY_LEN(f));
    const char *name = f[0];
    mr_hc_subst(mr_hc_fix(a->u, r), "NAME", name, fix, sizeof(fix));
    switch (r->source) {
    case MR_HC_PASSWD_UID0:
        if (nf < 3)
            return 0;
        if (!strcmp(f[2], "0") && strcmp(name, "root")) {
            snprintf(ev, sizeof(ev), "%.64s has UID 0", name);
            mr_hc_emit(a->u, r, a->file, lineno, name, ev, fix);
        }
        return 0;
    case MR_HC_SHADOW_EMPTY:
        if (nf < 2)
            return 0;
        if (f[1][0] == '\0') {
            snprintf(ev, sizeof(ev), "%.64s has an empty password field",
                     name);
            mr_hc_emit(a->u, r, a->file, lineno, name, ev, fix);
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
        if (!mr_hc_in_words(r->words, shell, strlen(shell))) {
            snprintf(ev, sizeof(ev), "%.64s (UID %ld) has the shell %.128s",
                     name, uid, shell);
            mr_hc_emit(a->u, r, a->file, lineno, shell, ev, fix);
        }
        return 0;
    }
    default:
        return 0;
    }
}

void mr_hc_review_accounts(mr_hc_run *u, const mr_hc_rule *rules, size_t n)
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
        mr_hc_display(u, r->file, file);
        acct_pass a = {u, r, file};
        uint64_t before = u->emitted;
        mamori_err e = mr_sysroot_lines(u->sr, r->file, MR_HC_CONFIG_MAX,
                                        account_line, &a);
        if (e && e != MAMORI_E_ABORTED) {
            mamori_diagf(u->ctx, errno == ENOENT ? MAMORI_DIAG_NOTE
                                                     : MAMORI_DIAG_WARN,
                         file, 0, "cannot read: %s",
                         e == MAMORI_E_IO ? strerror(errno)
                                          : mamori_strerror(e));
            missing = r->file;
            continue;
        }
        mr_hc_judged(u, r);
        if (u->emitted == before)
            mr_hc_passed(u, r);
    }
}

/* ---- login.defs ----------------------------------------------------- */

void mr_hc_review_logindefs(mr_hc_run *u, const mr_hc_rule *rules, size_t n)
{
    char file[MR_HC_FILE_MAX], ev[MR_HC_EVIDENCE_MAX], bad[MR_HC_SHORT_MAX];
    char fix[MR_HC_VALUE_MAX + 64];
    char *data = NULL;
    size_t len = 0;
    mr_hc_display(u, "/etc/login.defs", file);
    mr_hc_config *c = calloc(1, sizeof(*c));
    if (!c)
        return;
    for (size_t i = 0; i < n; i++)
        if (rules[i].source == MR_HC_LOGINDEFS)
            mr_hc_want(c, rules[i].setting);
    if (c->n == 0 ||
        mr_sysroot_read(u->sr, "/etc/login.defs", MR_HC_CONFIG_MAX, &data,
                        &len) != MAMORI_OK) {
        if (c->n)   /* not there: a note; there but unreadable: a warning */
            mamori_diagf(u->ctx, errno == ENOENT || errno == ENOTDIR
                                     ? MAMORI_DIAG_NOTE : MAMORI_DIAG_WARN,
                         file, 0,
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
        mr_hc_judged(u, r);
        if (mr_hc_judge_value(r, value, bad, sizeof(bad))) {
            mr_hc_passed(u, r);
            continue;
        }
        if (st->found) {
            if (!mr_hc_evidence(r, value, ev, sizeof(ev)))
                snprintf(ev, sizeof(ev), "%s %s", r->setting, value);
            snprintf(fix, sizeof(fix), mr_hc_ja(u) ? "%s（その行を置き換える）"
                                                   : "%s (in place of that line)",
                     mr_hc_fix(u, r));
        } else {
            snprintf(ev, sizeof(ev), "%s not set (the default: %s)",
                     r->setting, value);
            snprintf(fix, sizeof(fix), mr_hc_ja(u) ? "%s（/etc/login.defs に追加）"
                                                   : "%s (add to /etc/login.defs)",
                     mr_hc_fix(u, r));
        }
        mr_hc_emit(u, r, st->found ? st->file : file, st->line, value, ev, fix);
    }
    free(c);
}


/* ---- sudoers ------------------------------------------------------- */

typedef struct sudo_review {
    mr_hc_run *u;
    const mr_hc_rule *rules;
    size_t n;
    unsigned char *failed;    /* per rule */
} sudo_review;

/* Is every user of list (comma-separated) one of words? */
static int all_admins(const char *words, const char *list)
{
    if (!words)
        return 0;
    for (const char *p = list; *p;) {
        size_t k = strcspn(p, ",");
        if (!mr_hc_in_words(words, p, k))
            return 0;
        p += k + (p[k] == ',');
    }
    return 1;
}

static void sudo_spec(void *user, const mr_hc_sudo_spec *spec)
{
    sudo_review *sr = user;
    char ev[MR_HC_NOTE_MAX], fix[MR_HC_NOTE_MAX + MR_HC_FILE_MAX];
    for (size_t i = 0; i < sr->n && !sr->u->stopped; i++) {
        const mr_hc_rule *r = &sr->rules[i];
        if (r->source != MR_HC_SUDOERS)
            continue;
        if (!strcmp(r->setting, "nopasswd") && spec->nopasswd)
            snprintf(ev, sizeof(ev), "%.128s may run commands through sudo "
                     "without a password (NOPASSWD)", spec->users);
        else if (!strcmp(r->setting, "noauthenticate") && spec->noauth)
            snprintf(ev, sizeof(ev), "Defaults !authenticate for %.128s: "
                     "sudo asks no password", spec->users);
        else if (!strcmp(r->setting, "all") && spec->all_commands &&
                 !all_admins(r->words, spec->users))
            snprintf(ev, sizeof(ev), "%.128s may run every command as root "
                     "(ALL), not being one of the administrators",
                     spec->users);
        else
            continue;
        sr->failed[i] = 1;
        mr_hc_subst(mr_hc_fix(sr->u, r), "FILE", spec->file, fix, sizeof(fix));
        mr_hc_emit(sr->u, r, spec->file, spec->line, spec->users, ev, fix);
    }
}

void mr_hc_review_sudoers(mr_hc_run *u, const mr_hc_rule *rules, size_t n)
{
    size_t wanted = 0;
    for (size_t i = 0; i < n; i++)
        wanted += rules[i].source == MR_HC_SUDOERS;
    if (!wanted || !mr_sysroot_exists(u->sr, "/etc/sudoers"))
        return;              /* no sudo: nothing to judge */
    sudo_review sr = {u, rules, n, calloc(n, 1)};
    mr_hc_sudoers *s = calloc(1, sizeof(*s));
    if (!sr.failed || !s)
        goto out;
    s->ctx = u->ctx;
    s->sr = u->sr;
    s->fn = sudo_spec;
    s->user = &sr;
    mr_hc_sudoers_file(s, "/etc/sudoers");
    for (size_t i = 0; i < n; i++) {
        if (rules[i].source != MR_HC_SUDOERS)
            continue;
        mr_hc_judged(u, &rules[i]);
        if (!sr.failed[i])
            mr_hc_passed(u, &rules[i]);
    }
out:
    free(s);
    free(sr.failed);
}
