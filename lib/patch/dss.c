/*
 * dss.c — packages whose security support ended early or is limited, by
 * the lists Debian ships in debian-security-support (read through the
 * sysroot, as check-support-status reads them):
 *
 *   /usr/share/debian-security-support/security-support-ended.debN
 *       SOURCE  LAST-SUPPORTED-VERSION  YYYY-MM-DD  [details]
 *   /usr/share/debian-security-support/security-support-limited[.debN]
 *       SOURCE  [details]
 *
 * N is the major VERSION_ID of os-release. SOURCE is matched against
 * every installed source package as check-support-status does (a whole
 * match); its patterns are regular expressions, of which the lists use
 * only literal names and ".*", so "." matches one character and ".*"
 * any run; a pattern with other regex syntax is passed over with a note.
 * Findings (unsupported-package): support ended (date passed: medium),
 * ending (a date to come: low), limited (low). Where the package is not
 * installed there is nothing to read, and a note says so.
 */
#include "common.h"

#include <fnmatch.h>

#include "check_ids.h"
#include "patch/patch_int.h"
#include "util/time.h"

#define DSS_DIR "/usr/share/debian-security-support"
#define DSS_FILE_MAX (4u * 1024 * 1024)
#define DSS_PATTERN_MAX 256

typedef struct dss_pass {
    mr_patch_run *r;
    const char *file;        /* display name */
    int ended;               /* the ended list (else limited) */
    uint64_t skipped;
    mr_table *seen;          /* sources reported, once each */
} dss_pass;

/* check-support-status's regex as an fnmatch pattern; -1 if it uses
 * more than "." and ".*". */
static int to_glob(const char *re, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (o + 2 >= cap)
            return -1;
        char c = re[i];
        if (c == '.' && i + 1 < n && re[i + 1] == '*') {
            out[o++] = '*';
            i++;
        } else if (c == '.') {
            out[o++] = '?';
        } else if (strchr("[](){}|\\^$?*", c)) {
            return -1;
        } else {
            out[o++] = c;
        }
    }
    out[o] = '\0';
    return 0;
}

static int64_t parse_day(const char *d, size_t n)
{
    uint64_t y, m, dd;
    if (n != 10 || d[4] != '-' || d[7] != '-' ||
        mr_span_u64(mr_span_make(d, 4), 9999, &y) ||
        mr_span_u64(mr_span_make(d + 5, 2), 12, &m) || m == 0 ||
        mr_span_u64(mr_span_make(d + 8, 2), 31, &dd) || dd == 0)
        return INT64_MIN;
    return mr_days_from_civil((int64_t)y, (unsigned)m, (unsigned)dd) * 86400;
}

/* The next blank-separated word of line at *i. */
static mr_span word(const char *line, size_t len, size_t *i)
{
    while (*i < len && (line[*i] == ' ' || line[*i] == '\t'))
        (*i)++;
    size_t b = *i;
    while (*i < len && line[*i] != ' ' && line[*i] != '\t')
        (*i)++;
    return mr_span_make(line + b, *i - b);
}

static void report(dss_pass *d, const char *source, const mr_pkg *p,
                   const char *stage, mamori_severity sev, const char *last,
                   const char *date, const char *details)
{
    int created = 0;
    if (!mr_table_upsert(d->seen, source, strlen(source), &created) ||
        !created)
        return;
    mamori_finding f;
    char ev[512];
    mr_patch_finding(d->r, &f, MR_CHECK_PATCH_UNSUPPORTED_PACKAGE, d->file);
    f.severity = sev;
    snprintf(ev, sizeof(ev), "%s %s: security support %s%s%s", source,
             p->source_version, stage, date[0] ? " " : "", date);
    f.evidence = ev;
    f.evidence_len = strlen(ev);
    mr_patch_field(&f, "package", source);
    mr_patch_field(&f, "binary", p->name);
    mr_patch_field(&f, "installed", p->source_version);
    mr_patch_field(&f, "stage", stage);
    if (last[0])
        mr_patch_field(&f, "last_supported", last);
    if (date[0])
        mr_patch_field(&f, "support_end", date);
    if (details[0])
        mr_patch_field(&f, "details", details);
    mr_patch_send(d->r, &f);
}

static int dss_line(void *user, char *line, size_t len, uint64_t lineno)
{
    dss_pass *d = user;
    mr_patch_run *r = d->r;
    (void)lineno;
    size_t i = 0;
    mr_span pat = word(line, len, &i);
    if (!pat.n || pat.p[0] == '#')
        return r->stopped;
    char glob[DSS_PATTERN_MAX], last[MAMORI_DEBVERSION_MAX] = "",
        date[16] = "";
    if (to_glob(pat.p, pat.n, glob, sizeof(glob))) {
        d->skipped++;
        return 0;
    }
    int64_t end = INT64_MIN;
    if (d->ended) {
        mr_span v = word(line, len, &i);
        mr_span dt = word(line, len, &i);
        end = parse_day(dt.p, dt.n);
        if (!v.n || end == INT64_MIN || v.n >= sizeof(last)) {
            d->skipped++;
            return 0;
        }
        memcpy(last, v.p, v.n);
        last[v.n] = '\0';
        memcpy(date, dt.p, dt.n);
        date[dt.n] = '\0';
    }
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    const char *details = line + i;
    for (size_t k = 0; k < mr_table_slots(r->pkgs) && !r->stopped; k++) {
        const char *key;
        size_t klen;
        const mr_pkg *p = mr_table_slot(r->pkgs, k, &key, &klen);
        if (!p || fnmatch(glob, p->source, 0) != 0)
            continue;
        if (!d->ended)
            report(d, p->source, p, "limited", MAMORI_SEV_LOW, "", "", details);
        else if (end < r->now)
            report(d, p->source, p, "ended", MAMORI_SEV_MEDIUM, last, date,
                   details);
        else
            report(d, p->source, p, "ending", MAMORI_SEV_LOW, last, date,
                   details);
    }
    return r->stopped;
}

static int read_list(mr_patch_run *r, const char *path, int ended,
                     mr_table *seen)
{
    char where[MR_PATCH_PATH_MAX];
    mr_patch_display(r, path, where);
    dss_pass d = {r, where, ended, 0, seen};
    mamori_err e = mr_sysroot_lines(r->sr, path, DSS_FILE_MAX, dss_line, &d);
    if (e && e != MAMORI_E_ABORTED)
        return -1;
    if (d.skipped)
        mamori_diagf(r->ctx, MAMORI_DIAG_NOTE, where, 0,
                     "%llu line(s) with patterns or fields not understood "
                     "passed over", (unsigned long long)d.skipped);
    return 0;
}

void mr_patch_unsupported(mr_patch_run *r)
{
    mr_os_release os;
    if (mr_patch_os_release(r, &os) || strcmp(os.id, "debian") != 0 ||
        !os.version[0])
        return;
    char major[16], path[MR_PATCH_PATH_MAX];
    size_t n = strcspn(os.version, ".");
    if (n == 0 || n >= sizeof(major))
        return;
    memcpy(major, os.version, n);
    major[n] = '\0';
    mr_table *seen = mr_table_new(4096, 1, NULL);
    if (!seen)
        return;
    snprintf(path, sizeof(path), "%s/security-support-ended.deb%s", DSS_DIR,
             major);
    int have = read_list(r, path, 1, seen) == 0;
    snprintf(path, sizeof(path), "%s/security-support-limited.deb%s",
             DSS_DIR, major);
    if (read_list(r, path, 0, seen)) {
        snprintf(path, sizeof(path), "%s/security-support-limited", DSS_DIR);
        have |= read_list(r, path, 0, seen) == 0;
    } else {
        have = 1;
    }
    if (!have)
        mamori_diagf(r->ctx, MAMORI_DIAG_NOTE, NULL, 0,
                     "debian-security-support is not installed: packages "
                     "whose support ended early or is limited are not "
                     "named");
    mr_table_free(seen);
}
