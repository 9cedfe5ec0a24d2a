/*
 * tracker.c — known vulnerabilities, offline: the Debian security
 * tracker's JSON export (https://security-tracker.debian.org/tracker/
 * data/json; plain, .gz or .zst) streamed through json.c, matched by
 * source package and release against the inventory:
 *
 *   { "SOURCE": { "CVE-ID": { "scope": "remote",
 *       "releases": { "CODENAME": { "status": "resolved" | "open" |
 *           "undetermined", "fixed_version": "V", "urgency": "low",
 *           "nodsa_reason": "postponed" | "ignored", ... } } } } }
 *
 * The release is VERSION_CODENAME of /etc/os-release (through the
 * sysroot). Binary packages map to their source (dpkg's Source: field);
 * signed kernels (linux-signed-amd64) to linux, at the binary's version.
 * Buckets, as the issue asks:
 *   fix released, not installed   one known-vulnerability finding per
 *                                 source package (its CVEs listed, capped
 *                                 at TRACKER_CVES_MAX with a count); the
 *                                 severity is the highest urgency
 *   no fix yet (open, undetermined), postponed, ignored, unimportant
 *                                 counted in the summary
 * Findings stream as each package's object ends, so a cut or corrupt
 * file still gives every package read before the damage.
 */
#include "common.h"

#include <sys/stat.h>

#include "check_ids.h"
#include "io/source.h"
#include "io/json.h"
#include "patch/patch_int.h"

#define TRACKER_CVES_MAX 20
#define TRACKER_ID_MAX 32
#define TRACKER_SOURCES_MAX 100000
#define CODENAME_MAX MR_OS_VALUE_MAX

typedef struct cve_scratch {
    char status[32], fixed[MAMORI_DEBVERSION_MAX], urgency[32], nodsa[32];
    int remote;
} cve_scratch;

typedef struct tracker {
    mr_patch_run *r;
    const char *file;
    char codename[CODENAME_MAX];
    mr_table *sources;
    const mr_patch_source *cur;      /* the package being read, if installed */
    char cur_name[MR_JSON_KEY_MAX];
    cve_scratch c;
    /* the package's fix-released CVEs */
    char cves[TRACKER_CVES_MAX][TRACKER_ID_MAX];
    size_t ncves;
    uint64_t more;
    char fixed[MAMORI_DEBVERSION_MAX];   /* the highest fixed version */
    int sev;                 /* the highest urgency, as a severity */
} tracker;

static int vcmp(const char *a, const char *b)
{
    int c = 0;
    if (mamori_debversion_compare(a, strlen(a), b, strlen(b), &c, NULL))
        return 0;
    return c;
}

static int add_source(const mr_patch_run *r, mr_table *sources,
                      const char *name, const char *ver, const char *binary)
{
    int created = 0;
    mr_patch_source *s =
        mr_table_upsert(sources, name, strlen(name), &created);
    if (!s)
        return -1;
    if (created || mr_patch_vcmp(r, ver, s->version) < 0) {
        s->version = ver;
        s->binary = binary;
    }
    return 0;
}

mr_table *mr_patch_sources(const mr_patch_run *r)
{
    mr_table *sources =
        mr_table_new(TRACKER_SOURCES_MAX, sizeof(mr_patch_source), NULL);
    if (!sources)
        return NULL;
    for (size_t i = 0; i < mr_table_slots(r->pkgs); i++) {
        const char *key;
        size_t klen;
        const mr_pkg *p = mr_table_slot(r->pkgs, i, &key, &klen);
        if (!p)
            continue;
        const char *name = p->source, *ver = p->source_version;
        if (strncmp(name, "linux-signed-", 13) == 0) {
            name = "linux";
            ver = p->version;
        }
        if (add_source(r, sources, name, ver, p->name) ||
            (r->rpm && strcmp(name, p->name) != 0 &&
             add_source(r, sources, p->name, p->version, p->name))) {
            mr_table_free(sources);
            return NULL;
        }
    }
    return sources;
}

static int sev_of(const char *urgency)
{
    if (strncmp(urgency, "high", 4) == 0)
        return MAMORI_SEV_HIGH;
    if (strncmp(urgency, "low", 3) == 0)
        return MAMORI_SEV_LOW;
    return MAMORI_SEV_MEDIUM; /* medium, not yet assigned, unknown */
}

static void copy(char *dst, size_t cap, const char *s, size_t n)
{
    n = MR_MIN(n, cap - 1);
    memcpy(dst, s, n);
    dst[n] = '\0';
}

static void judge_cve(tracker *t, const char *id)
{
    cve_scratch *c = &t->c;
    mr_patch_run *r = t->r;
    if (!t->cur || !c->status[0])
        return;
    if (strncmp(c->urgency, "unimportant", 11) == 0) {
        r->cves_unimportant++;
        return;
    }
    if (strcmp(c->status, "resolved") == 0) {
        if (!c->fixed[0] || strcmp(c->fixed, "0") == 0 ||
            vcmp(t->cur->version, c->fixed) >= 0)
            return; /* fixed in what is installed (or never affected) */
        if (t->ncves < TRACKER_CVES_MAX)
            copy(t->cves[t->ncves++], TRACKER_ID_MAX, id, strlen(id));
        else
            t->more++;
        if (!t->fixed[0] || vcmp(c->fixed, t->fixed) > 0)
            copy(t->fixed, sizeof(t->fixed), c->fixed, strlen(c->fixed));
        int s = sev_of(c->urgency);
        if (s > t->sev)
            t->sev = s;
        r->cves_fixed++;
        return;
    }
    if (strcmp(c->nodsa, "postponed") == 0)
        r->cves_postponed++;
    else if (strcmp(c->nodsa, "ignored") == 0)
        r->cves_ignored++;
    else
        r->cves_open++;
}

static void send_package(tracker *t)
{
    if (!t->cur || !t->ncves)
        return;
    mamori_finding f;
    const char *ids[TRACKER_CVES_MAX];
    for (size_t i = 0; i < t->ncves; i++)
        ids[i] = t->cves[i];
    mr_patch_finding(t->r, &f, MR_CHECK_PATCH_KNOWN_VULNERABILITY, t->file);
    f.severity = (mamori_severity)t->sev;
    char ev[MR_JSON_KEY_MAX + 2 * MAMORI_DEBVERSION_MAX + 64];
    snprintf(ev, sizeof(ev), "%s %s: %llu CVE(s) fixed in %s", t->cur_name,
             t->cur->version,
             (unsigned long long)(t->ncves + t->more), t->fixed);
    f.evidence = ev;
    f.evidence_len = strlen(ev);
    mr_patch_field(&f, "package", t->cur_name);
    mr_patch_field(&f, "binary", t->cur->binary);
    mr_patch_field(&f, "installed", t->cur->version);
    mr_patch_field(&f, "fixed", t->fixed);
    mamori_finding_list(&f, "cves", ids, t->ncves, t->more);
    mr_patch_field(&f, "release", t->codename);
    t->r->known_packages++;
    mr_patch_send(t->r, &f);
}

static int on_open(void *user, const mr_json_path *p, int is_array)
{
    tracker *t = user;
    if (is_array)
        return 0;
    if (p->depth == 1) {
        copy(t->cur_name, sizeof(t->cur_name), p->keys[1], strlen(p->keys[1]));
        t->cur = mr_table_find(t->sources, p->keys[1], strlen(p->keys[1]));
        t->ncves = 0;
        t->more = 0;
        t->fixed[0] = '\0';
        t->sev = MAMORI_SEV_LOW;
    } else if (p->depth == 2) {
        memset(&t->c, 0, sizeof(t->c));
    }
    return 0;
}

static int on_close(void *user, const mr_json_path *p, int is_array)
{
    tracker *t = user;
    if (is_array)
        return 0;
    if (p->depth == 2)
        judge_cve(t, p->keys[2]);
    else if (p->depth == 1)
        send_package(t);
    return t->r->stopped;
}

static int on_scalar(void *user, const mr_json_path *p, mr_json_kind k,
                     const char *s, size_t n, int cut)
{
    tracker *t = user;
    (void)cut;
    if (!t->cur || k != MR_JSON_STRING)
        return 0;
    cve_scratch *c = &t->c;
    if (p->depth == 3 && strcmp(p->keys[3], "scope") == 0) {
        c->remote = strcmp(s, "remote") == 0;
    } else if (p->depth == 5 && strcmp(p->keys[3], "releases") == 0 &&
               strcmp(p->keys[4], t->codename) == 0) {
        const char *f = p->keys[5];
        if (strcmp(f, "status") == 0)
            copy(c->status, sizeof(c->status), s, n);
        else if (strcmp(f, "fixed_version") == 0)
            copy(c->fixed, sizeof(c->fixed), s, n);
        else if (strcmp(f, "urgency") == 0)
            copy(c->urgency, sizeof(c->urgency), s, n);
        else if (strcmp(f, "nodsa_reason") == 0)
            copy(c->nodsa, sizeof(c->nodsa), s, n);
    }
    return 0;
}

void mr_patch_tracker(mr_patch_run *r, const char *file, mr_table *sources)
{
    tracker *t = calloc(1, sizeof(*t));
    if (!t) {
        mamori_diagf(r->ctx, MAMORI_DIAG_ERROR, file, 0, "out of memory");
        r->tracker_error = MAMORI_E_NOMEM;
        return;
    }
    t->r = r;
    t->file = file;
    t->sources = sources;
    mr_os_release os;
    mr_patch_os_release(r, &os);
    snprintf(t->codename, sizeof(t->codename), "%s", os.codename);
    if (!t->codename[0]) {
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, file, 0,
                     "no VERSION_CODENAME in /etc/os-release: the tracker "
                     "is not matched");
        free(t);
        return;
    }
    struct stat st;
    if (stat(file, &st) == 0 && mr_patch_days(r, (int64_t)st.st_mtime) >
                                    (int64_t)r->stale_days)
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, file, 0,
                     "the tracker data is %lld days old: fetch it again",
                     (long long)mr_patch_days(r, (int64_t)st.st_mtime));
    mr_source *src = NULL;
    mamori_err e = mr_source_open(file, &src);
    if (e) {
        mamori_diagf(r->ctx, MAMORI_DIAG_ERROR, file, 0, "cannot read: %s",
                     e == MAMORI_E_IO ? strerror(errno) : "out of memory");
        r->tracker_error = e;
    } else {
        mr_json_cb cb = {on_open, on_close, on_scalar, t};
        uint64_t off = 0;
        e = mr_json_read(src, &cb, &off);
        if (e && e != MAMORI_E_ABORTED) {
            mamori_diagf(r->ctx, MAMORI_DIAG_ERROR, file, 0,
                         "%s at byte %llu: the packages before it are "
                         "judged", e == MAMORI_E_TRUNCATED ? "cut short"
                         : e == MAMORI_E_TOO_LARGE ? "nested too deep"
                         : "not valid JSON", (unsigned long long)off);
            r->tracker_error = e;
        }
        r->tracker_read = 1;
    }
    mr_source_close(src);
    free(t);
}
