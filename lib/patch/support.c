/*
 * support.c — is the release still supported? /etc/os-release (through
 * the sysroot; /usr/lib/os-release when it is absent, as systemd reads
 * it) names the distribution and version; the table compiled in from
 * data/patch/releases.def says when regular security support and all
 * free support end. Past all support: eol-release at its severity
 * (high). Past regular support but within LTS: eol-release at low
 * severity, with "stage": "lts". A release not in the table is a note.
 */
#include "common.h"

#include "check_ids.h"
#include "patch/patch_int.h"
#include "util/time.h"

#define OS_RELEASE_MAX (64 * 1024)

typedef struct release_dates {
    const char *id, *version, *codename, *regular_end, *lts_end, *source;
} release_dates;

#define RELEASE(id, ver, code, reg, lts, src) {id, ver, code, reg, lts, src},
static const release_dates releases[] = {
#include "patch/releases.def"
};
#undef RELEASE

static void os_value(char *out, const char *v)
{
    size_t n = strlen(v);
    if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
        v++;
        n -= 2;
    }
    n = MR_MIN(n, (size_t)MR_OS_VALUE_MAX - 1);
    memcpy(out, v, n);
    out[n] = '\0';
}

static int os_line(void *user, char *line, size_t len, uint64_t lineno)
{
    mr_os_release *o = user;
    (void)len;
    (void)lineno;
    if (strncmp(line, "ID=", 3) == 0)
        os_value(o->id, line + 3);
    else if (strncmp(line, "VERSION_ID=", 11) == 0)
        os_value(o->version, line + 11);
    else if (strncmp(line, "VERSION_CODENAME=", 17) == 0)
        os_value(o->codename, line + 17);
    else if (strncmp(line, "PRETTY_NAME=", 12) == 0)
        os_value(o->pretty, line + 12);
    return 0;
}

/* The day after "YYYY-MM-DD" at 00:00 UTC: support ends after that day. */
static int64_t day_after(const char *d)
{
    uint64_t y, m, dd;
    if (strlen(d) != 10 || mr_span_u64(mr_span_make(d, 4), 9999, &y) ||
        mr_span_u64(mr_span_make(d + 5, 2), 12, &m) ||
        mr_span_u64(mr_span_make(d + 8, 2), 31, &dd))
        return INT64_MAX;
    return (mr_days_from_civil((int64_t)y, (unsigned)m, (unsigned)dd) + 1) *
           86400;
}

/* VERSION_ID v is the table's t, or a point release of it: RHEL and its
 * clones say "9.4" where support is per major release ("9"). */
static int version_is(const char *v, const char *t)
{
    size_t n = strlen(t);
    return strncmp(v, t, n) == 0 && (v[n] == '\0' || v[n] == '.');
}

int mr_patch_os_release(const mr_patch_run *r, mr_os_release *o)
{
    memset(o, 0, sizeof(*o));
    o->path = "/etc/os-release";
    if (mr_sysroot_lines(r->sr, o->path, OS_RELEASE_MAX, os_line, o)) {
        memset(o, 0, sizeof(*o));
        o->path = "/usr/lib/os-release";
        if (mr_sysroot_lines(r->sr, o->path, OS_RELEASE_MAX, os_line, o)) {
            memset(o, 0, sizeof(*o));
            return -1;
        }
    }
    return 0;
}

void mr_patch_support(mr_patch_run *r)
{
    mr_os_release o;
    if (mr_patch_os_release(r, &o))
        return;
    char where[MR_PATCH_PATH_MAX];
    mr_patch_display(r, o.path, where);
    const release_dates *rd = NULL;
    for (size_t i = 0; i < MR_ARRAY_LEN(releases); i++)
        if (strcmp(releases[i].id, o.id) == 0 &&
            version_is(o.version, releases[i].version))
            rd = &releases[i];
    if (!rd) {
        if (o.id[0])
            mamori_diagf(r->ctx, MAMORI_DIAG_NOTE, where, 0,
                         "no support dates for %s %s: end of life not "
                         "judged", o.id, o.version);
        return;
    }
    int64_t reg = day_after(rd->regular_end), lts = day_after(rd->lts_end);
    if (r->now < reg)
        return;
    int lts_only = r->now < lts;
    mamori_finding f;
    char ev[512];
    mr_patch_finding(r, &f, MR_CHECK_PATCH_EOL_RELEASE, where);
    if (lts_only) {
        f.severity = MAMORI_SEV_LOW;
        snprintf(ev, sizeof(ev), "%s: regular security support ended %s; "
                 "long-term support (fewer packages) until %s",
                 o.pretty[0] ? o.pretty : rd->codename, rd->regular_end,
                 rd->lts_end);
    } else {
        snprintf(ev, sizeof(ev), "%s: security support ended %s",
                 o.pretty[0] ? o.pretty : rd->codename, rd->lts_end);
    }
    f.evidence = ev;
    f.evidence_len = strlen(ev);
    mr_patch_field(&f, "release", o.pretty[0] ? o.pretty : o.id);
    if (rd->codename[0])
        mr_patch_field(&f, "codename", rd->codename);
    mr_patch_field(&f, "stage", lts_only ? "lts" : "ended");
    mr_patch_field(&f, "regular_end", rd->regular_end);
    mr_patch_field(&f, "lts_end", rd->lts_end);
    mr_patch_field(&f, "date_source", rd->source);
    mr_patch_send(r, &f);
}
