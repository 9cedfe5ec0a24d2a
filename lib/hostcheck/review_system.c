/*
 * review_system.c — the rules of `mamori host` that read the system
 * itself rather than one program's configuration: kernel settings
 * (sysctl.d and sysctl.conf in the order they are applied; /proc/sys
 * on this machine), the modes and owners of files (stat(2)), and the
 * packages dpkg's status says are installed (legacy services that must
 * not be; time sync, audit, integrity and scanner software that should).
 */
#include "common.h"

#include <strings.h>

#include "host/stanza.h"
#include "host/sysroot.h"
#include "hostcheck/hostcheck.h"

#define HC_DPKG_MAX (256u * 1024 * 1024) /* dpkg's status: big on desktops */
#define HC_PKG_MAX 64                     /* bytes of a package name */
#define HC_SYSCTL_FILES_MAX 256           /* sysctl.d files read */

/* ---- sysctl -------------------------------------------------------- */

/* The sysctl files in the order systemd-sysctl and `sysctl --system`
 * apply them: every NAME.conf of /etc, /run and /usr/lib sysctl.d by
 * name, /etc's shadowing /run's and /usr/lib's of the same name, then
 * /etc/sysctl.conf. */
static void sysctl_files(mr_hc_run *u, mr_hc_config *c)
{
    static const char *const dirs[] = {"/etc/sysctl.d/*.conf",
                                       "/run/sysctl.d/*.conf",
                                       "/usr/local/lib/sysctl.d/*.conf",
                                       "/usr/lib/sysctl.d/*.conf"};
    mr_sysroot_names names[MR_ARRAY_LEN(dirs)];
    const char *pick[HC_SYSCTL_FILES_MAX];
    size_t npick = mr_hc_dropins(u, dirs, MR_ARRAY_LEN(dirs), names, pick,
                                 HC_SYSCTL_FILES_MAX);
    for (size_t i = 0; i < npick; i++) {
        char file[MR_HC_FILE_MAX];
        mr_hc_display(u, pick[i], file);
        char *data = NULL;
        size_t len = 0;
        if (mr_sysroot_read(u->sr, pick[i], MR_HC_CONFIG_MAX, &data, &len) ==
            MAMORI_OK)
            mr_hc_buffer(c, file, data, len, mr_hc_sysctl_line);
        else
            mamori_diagf(u->ctx, MAMORI_DIAG_WARN, file, 0,
                         "cannot read: %s", strerror(errno));
        free(data);
    }
    char file[MR_HC_FILE_MAX];
    char *data = NULL;
    size_t len = 0;
    mr_hc_display(u, "/etc/sysctl.conf", file);
    if (mr_sysroot_read(u->sr, "/etc/sysctl.conf", MR_HC_CONFIG_MAX, &data,
                        &len) == MAMORI_OK)
        mr_hc_buffer(c, file, data, len, mr_hc_sysctl_line);
    free(data);
    for (size_t d = 0; d < MR_ARRAY_LEN(dirs); d++)
        mr_sysroot_names_free(&names[d]);
}

/* The runtime value of key from /proc/sys, first word; 0 when read. */
static int sysctl_runtime(mr_hc_run *u, const char *key, char *out, size_t cap)
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

void mr_hc_review_sysctl(mr_hc_run *u, const mr_hc_rule *rules, size_t n)
{
    char ev[MR_HC_EVIDENCE_MAX], bad[MR_HC_SHORT_MAX], runtime[MR_HC_SHORT_MAX];
    char fallback[MR_HC_FILE_MAX];
    mr_hc_config *c = calloc(1, sizeof(*c));
    if (!c)
        return;
    c->ctx = u->ctx;
    for (size_t i = 0; i < n; i++)
        if (rules[i].source == MR_HC_SYSCTL)
            mr_hc_want(c, rules[i].setting);
    sysctl_files(u, c);
    int live = mamori_sysroot_is_live(u->sr) && !u->configured_only;
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
        mr_hc_judged(u, r);
        if (mr_hc_judge_value(r, value, bad, sizeof(bad))) {
            mr_hc_passed(u, r);
            continue;
        }
        char fix[MR_HC_VALUE_MAX];
        char bad2[MR_HC_SHORT_MAX];
        if (have_runtime && st->found && mr_hc_judge_value(r, st->value, bad2,
                                               sizeof(bad2)))
            /* configured right, running wrong: apply it */
            snprintf(fix, sizeof(fix),
                     mr_hc_ja(u) ? "sysctl --system（設定済みの %.64s = %.64s "
                                   "を反映する）"
                                 : "sysctl --system (applies %.64s = %.64s "
                                   "as configured)",
                     r->setting, st->value);
        else
            snprintf(fix, sizeof(fix),
                     mr_hc_ja(u) ? "%.200s（%.200s に書く）。その後 sysctl --system"
                                 : "%.200s (in %.200s), then sysctl --system",
                     mr_hc_fix(u, r),
                     st->found ? (mr_hc_ja(u) ? "その行のファイル" : "that file")
                               : r->file);
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
        mr_hc_display(u, r->file, fallback);
        if (st->found)
            mr_hc_emit(u, r, st->file, st->line, value, ev, fix);
        else
            mr_hc_emit(u, r, fallback, 0, value, ev, fix);
    }
    free(c);
}

/* ---- modes --------------------------------------------------------- */

/* Judges one path for a MODE rule: 1 passes, 0 failed (a finding), -1
 * not there. */
static int judge_mode(mr_hc_run *u, const mr_hc_rule *r, const char *path,
                      int owners, long gid_ok)
{
    struct stat st;
    char file[MR_HC_FILE_MAX], value[MR_HC_SHORT_MAX], ev[MR_HC_NOTE_MAX];
    char fix[MR_HC_NOTE_MAX + MR_HC_FILE_MAX];
    if (mr_sysroot_stat(u->sr, path, &st) != MAMORI_OK)
        return -1;      /* not there: the rules of its program say */
    unsigned mode = (unsigned)st.st_mode & 07777;
    unsigned loose = mode & (unsigned)r->limit;
    int bad_owner = owners && st.st_uid != 0;
    int bad_group = owners && st.st_gid != 0 &&
                    (gid_ok < 0 || (long)st.st_gid != gid_ok);
    if (!loose && !bad_owner && !bad_group)
        return 1;
    snprintf(value, sizeof(value), "%04o %lu:%lu", mode,
             (unsigned long)st.st_uid, (unsigned long)st.st_gid);
    snprintf(ev, sizeof(ev), "mode %04o%s%s%s", mode,
             loose ? " (too open)" : "",
             bad_owner ? ", owner not root" : "",
             bad_group ? ", group not root" : "");
    mr_hc_display(u, path, file);
    mr_hc_subst(mr_hc_fix(u, r), "FILE", path, fix, sizeof(fix));
    mr_hc_emit(u, r, file, 0, value, ev, fix);
    return 0;
}

/* A MODE rule's file may be a glob in its last component
 * ("/etc/sudoers.d/" then "*"): every match is judged, one finding each. */
void mr_hc_review_modes(mr_hc_run *u, const mr_hc_rule *rules, size_t n)
{
    int owners = mr_hc_owners_judged(u);
    for (size_t i = 0; i < n && !u->stopped; i++) {
        const mr_hc_rule *r = &rules[i];
        if (r->source != MR_HC_MODE)
            continue;
        long gid_ok = mr_hc_group_gid(u, r->group);
        if (!strpbrk(r->file, "*?[")) {
            int j = judge_mode(u, r, r->file, owners, gid_ok);
            if (j >= 0)
                mr_hc_judged(u, r);
            if (j > 0)
                mr_hc_passed(u, r);
            continue;
        }
        mr_sysroot_names names;
        memset(&names, 0, sizeof(names));
        mr_sysroot_glob(u->sr, r->file, &names);
        int judged = 0, failed = 0;
        for (size_t k = 0; k < names.n && !u->stopped; k++) {
            int j = judge_mode(u, r, names.names[k], owners, gid_ok);
            judged += j >= 0;
            failed += j == 0;
        }
        mr_sysroot_names_free(&names);
        if (judged) {
            mr_hc_judged(u, r);
            if (!failed)
                mr_hc_passed(u, r);
        }
    }
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
        if ((d->rules[i].source == MR_HC_PACKAGE ||
             d->rules[i].source == MR_HC_PACKAGE_MISSING) && !d->hit[i][0] &&
            mr_hc_in_words(d->rules[i].setting, pkg.p, pkg.n)) {
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

void mr_hc_review_packages(mr_hc_run *u, const mr_hc_rule *rules, size_t n)
{
    char file[MR_HC_FILE_MAX], ev[MR_HC_NOTE_MAX], fix[MR_HC_NOTE_MAX];
    dpkg_pass d;
    memset(&d, 0, sizeof(d));
    mr_stanza_init(&d.parser, dpkg_package, &d);
    d.rules = rules;
    d.n = n;
    d.hit = calloc(n, sizeof(*d.hit));
    d.hit_line = calloc(n, sizeof(*d.hit_line));
    mr_hc_display(u, "/var/lib/dpkg/status", file);
    if (!d.hit || !d.hit_line)
        goto out;
    mamori_err e = mr_sysroot_lines(u->sr, "/var/lib/dpkg/status",
                                    HC_DPKG_MAX, dpkg_line, &d);
    if (!e)
        mr_stanza_end(&d.parser);
    if (e) {
        mamori_diagf(u->ctx, MAMORI_DIAG_NOTE, file, 0,
                     "cannot read (%s): package rules skipped",
                     e == MAMORI_E_IO ? strerror(errno) : mamori_strerror(e));
        goto out;
    }
    for (size_t i = 0; i < n && !u->stopped; i++) {
        const mr_hc_rule *r = &rules[i];
        if (r->source == MR_HC_PACKAGE_MISSING) {
            /* one of the packages wanted: none installed is the finding */
            mr_hc_judged(u, r);
            if (d.hit[i][0]) {
                mr_hc_passed(u, r);
                continue;
            }
            snprintf(ev, sizeof(ev), "none of %.200s is installed",
                     r->setting);
            mr_hc_emit(u, r, file, 0, "(none)", ev, NULL);
            continue;
        }
        if (r->source != MR_HC_PACKAGE)
            continue;
        mr_hc_judged(u, r);
        if (!d.hit[i][0]) {
            mr_hc_passed(u, r);
            continue;
        }
        snprintf(ev, sizeof(ev), "package %s is installed", d.hit[i]);
        snprintf(fix, sizeof(fix), "apt purge %s", d.hit[i]);
        mr_hc_emit(u, r, file, d.hit_line[i], d.hit[i], ev, fix);
    }
out:
    free(d.hit);
    free(d.hit_line);
}

