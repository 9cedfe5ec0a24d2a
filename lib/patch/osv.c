/*
 * osv.c — known vulnerabilities from OSV records (https://ossf.github.io/
 * osv-schema/), the format osv.dev publishes Debian's advisories in (DSA,
 * DLA, DTSA: ecosystem "Debian:12"), Ubuntu's (USN:
 * "Ubuntu:22.04:LTS", in Debian's version order) and Rocky's and Alma's.
 * `--osv DIR` names a directory of records, one JSON document per file
 * (*.json, also .gz or .zst), read in
 * name order through the bounded JSON reader (json.h), at most
 * OSV_FILES_MAX files; or `--osv all.zip`, the archive osv.dev publishes
 * per ecosystem, read entry by entry through the bounded ZIP reader
 * (io/zip.h), at most OSV_ENTRY_MAX bytes a record.
 *
 * A record matches an installed source package when one of its
 * "affected" entries has this release's ecosystem ("Debian:" and the
 * major VERSION_ID of os-release; "Ubuntu:" and the whole VERSION_ID,
 * with ":LTS" for a long-term release), the package's name, and an
 * ECOSYSTEM range whose "fixed" version is newer than the installed source version
 * (and whose "introduced", if not "0", is not newer). Its "published"
 * date is when the fix became available: the finding carries
 * available_since and days_exposed, and a fix left uninstalled past
 * SecurityScorecard's window — 45 days for a high-severity flaw, 90 for
 * medium, 120 for low; a record with no severity counts as medium — also
 * makes a `cadence` finding at that severity. Every fix a record gives
 * for this release also dates dpkg.log's upgrades that installed it, for
 * the machine's patching cadence (cadence.c).
 */
#include "common.h"

#include <dirent.h>
#include <strings.h>
#include <sys/stat.h>

#include "check_ids.h"
#include "io/source.h"
#include "io/json.h"
#include "io/zip.h"
#include "patch/patch_int.h"
#include "util/time.h"

#define OSV_FILES_MAX 500000
#define OSV_ENTRY_MAX (16u * 1024 * 1024) /* a record unpacked from a ZIP */
#define OSV_ID_MAX 64
#define OSV_ALIASES_MAX 8
#define OSV_HITS_MAX 16

typedef struct osv_hit {
    char name[MR_JSON_KEY_MAX];
    char fixed[MAMORI_DEBVERSION_MAX];
    const char *installed, *binary;
} osv_hit;

typedef struct osv_rec {
    mr_patch_run *r;
    mr_table *sources;       /* source name -> mr_patch_source */
    char ecosystem[64];
    const char *file;
    char id[OSV_ID_MAX];
    char aliases[OSV_ALIASES_MAX][OSV_ID_MAX];
    size_t naliases;
    uint64_t more_aliases;
    int64_t published;
    int sev;                 /* MAMORI_SEV_*, from database_specific or
                                severity; medium when absent */
    int ubuntu_score;        /* the severity entry read is Ubuntu's */
    /* the affected entry being read */
    char eco[64], name[MR_JSON_KEY_MAX];
    char introduced[MAMORI_DEBVERSION_MAX], fixed[MAMORI_DEBVERSION_MAX];
    int ecosystem_range;     /* the range's type is ECOSYSTEM */
    osv_hit hits[OSV_HITS_MAX];
    size_t nhits;
    /* every fix of this release's packages, for the cadence (cadence.c)
     * when dpkg.log had upgrades in its window */
    osv_hit fixes[OSV_HITS_MAX];
    size_t nfixes;
} osv_rec;

static void copy(char *dst, size_t cap, const char *s, size_t n)
{
    n = MR_MIN(n, cap - 1);
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* In the inventory's order: Debian's, or RPM's on Rocky and Alma. */
static int vcmp(const mr_patch_run *r, const char *a, const char *b, int *out)
{
    if (r->rpm)
        return mamori_rpmversion_compare(a, strlen(a), b, strlen(b), out)
                   ? -1 : 0;
    return mamori_debversion_compare(a, strlen(a), b, strlen(b), out, NULL)
               ? -1 : 0;
}

/* The end of one range's events: a fixed version newer than installed. */
static void judge_range(osv_rec *o)
{
    if (strcmp(o->eco, o->ecosystem) != 0 || !o->fixed[0] || !o->name[0])
        return;
    if (o->r->nupgrades && o->nfixes < OSV_HITS_MAX) {
        osv_hit *x = &o->fixes[o->nfixes++];
        copy(x->name, sizeof(x->name), o->name, strlen(o->name));
        copy(x->fixed, sizeof(x->fixed), o->fixed, strlen(o->fixed));
    }
    const mr_patch_source *s =
        mr_table_find(o->sources, o->name, strlen(o->name));
    int c;
    if (!s || vcmp(o->r, s->version, o->fixed, &c) || c >= 0)
        return;
    if (o->introduced[0] && strcmp(o->introduced, "0") != 0 &&
        (vcmp(o->r, s->version, o->introduced, &c) || c < 0))
        return;
    for (size_t i = 0; i < o->nhits; i++)
        if (strcmp(o->hits[i].name, o->name) == 0)
            return;
    if (o->nhits == OSV_HITS_MAX)
        return;
    osv_hit *h = &o->hits[o->nhits++];
    copy(h->name, sizeof(h->name), o->name, strlen(o->name));
    copy(h->fixed, sizeof(h->fixed), o->fixed, strlen(o->fixed));
    h->installed = s->version;
    h->binary = s->binary;
}

static int on_open(void *user, const mr_json_path *p, int is_array)
{
    osv_rec *o = user;
    (void)is_array;
    if (p->depth == 2 && strcmp(p->keys[1], "affected") == 0) {
        o->eco[0] = o->name[0] = '\0';
    } else if (p->depth == 4 && strcmp(p->keys[1], "affected") == 0 &&
               strcmp(p->keys[3], "ranges") == 0) {
        o->introduced[0] = o->fixed[0] = '\0';
        o->ecosystem_range = 0;
    }
    return 0;
}

static int on_close(void *user, const mr_json_path *p, int is_array)
{
    osv_rec *o = user;
    (void)is_array;
    if (p->depth == 4 && strcmp(p->keys[1], "affected") == 0 &&
        strcmp(p->keys[3], "ranges") == 0 && o->ecosystem_range)
        judge_range(o);
    return 0;
}

static int sev_of(const char *s)
{
    if (!strcasecmp(s, "critical") || !strcasecmp(s, "high"))
        return MAMORI_SEV_HIGH;
    if (!strcasecmp(s, "low") || !strcasecmp(s, "unimportant") ||
        !strcasecmp(s, "negligible"))
        return MAMORI_SEV_LOW;
    return MAMORI_SEV_MEDIUM;
}

static int on_scalar(void *user, const mr_json_path *p, mr_json_kind k,
                     const char *s, size_t n, int cut)
{
    osv_rec *o = user;
    (void)cut;
    if (k != MR_JSON_STRING)
        return 0;
    const char *k1 = p->keys[1];
    if (p->depth == 1 && strcmp(k1, "id") == 0) {
        copy(o->id, sizeof(o->id), s, n);
    } else if (p->depth == 1 && strcmp(k1, "published") == 0) {
        o->published = mr_parse_iso_time(mr_span_make(s, n));
    } else if (p->depth == 2 && (strcmp(k1, "aliases") == 0 ||
                                 strcmp(k1, "related") == 0 ||
                                 strcmp(k1, "upstream") == 0)) {
        /* Debian's DSA/DLA name their CVEs under "related" (newer
         * records "upstream"); others under "aliases". */
        for (size_t i = 0; i < o->naliases; i++)
            if (strcmp(o->aliases[i], s) == 0)
                return 0;
        if (o->naliases < OSV_ALIASES_MAX)
            copy(o->aliases[o->naliases++], OSV_ID_MAX, s, n);
        else
            o->more_aliases++;
    } else if (p->depth == 2 && strcmp(k1, "database_specific") == 0 &&
               strcmp(p->keys[2], "severity") == 0) {
        o->sev = sev_of(s);
    } else if (p->depth == 3 && strcmp(k1, "severity") == 0 &&
               strcmp(p->keys[3], "type") == 0) {
        /* Ubuntu's records: [{"type": "Ubuntu", "score": "medium"}]. */
        o->ubuntu_score = n == 6 && memcmp(s, "Ubuntu", 6) == 0;
    } else if (p->depth == 3 && strcmp(k1, "severity") == 0 &&
               strcmp(p->keys[3], "score") == 0 && o->ubuntu_score) {
        o->sev = sev_of(s);
    } else if (strcmp(k1, "affected") == 0 && p->depth == 4 &&
               strcmp(p->keys[3], "package") == 0) {
        if (strcmp(p->keys[4], "ecosystem") == 0)
            copy(o->eco, sizeof(o->eco), s, n);
        else if (strcmp(p->keys[4], "name") == 0)
            copy(o->name, sizeof(o->name), s, n);
    } else if (strcmp(k1, "affected") == 0 && p->depth == 5 &&
               strcmp(p->keys[3], "ranges") == 0 &&
               strcmp(p->keys[5], "type") == 0) {
        o->ecosystem_range = strcmp(s, "ECOSYSTEM") == 0;
    } else if (strcmp(k1, "affected") == 0 && p->depth == 7 &&
               strcmp(p->keys[3], "ranges") == 0 &&
               strcmp(p->keys[5], "events") == 0) {
        if (strcmp(p->keys[7], "fixed") == 0)
            copy(o->fixed, sizeof(o->fixed), s, n);
        else if (strcmp(p->keys[7], "introduced") == 0)
            copy(o->introduced, sizeof(o->introduced), s, n);
    }
    return 0;
}

static void send_hits(osv_rec *o)
{
    mr_patch_run *r = o->r;
    const char *ids[OSV_ALIASES_MAX + 1];
    size_t nids = 0;
    ids[nids++] = o->id;
    for (size_t i = 0; i < o->naliases; i++)
        ids[nids++] = o->aliases[i];
    char since[16] = "";
    mr_patch_date(o->published, since);
    int64_t days = o->published == INT64_MIN ? -1
                                             : mr_patch_days(r, o->published);
    for (size_t i = 0; i < o->nhits && !r->stopped; i++) {
        osv_hit *h = &o->hits[i];
        char ev[MR_JSON_KEY_MAX + 2 * MAMORI_DEBVERSION_MAX + OSV_ID_MAX + 64];
        if (days >= 0)
            mr_patch_exposure(r, h->name, o->id, days);
        for (int pass = 0; pass < 2; pass++) {
            int64_t window = o->sev == MAMORI_SEV_HIGH ? 45
                             : o->sev == MAMORI_SEV_LOW ? 120 : 90;
            if (pass == 1 && (days < 0 || days <= window))
                break;
            mamori_finding f;
            mr_patch_finding(r, &f, pass ? MR_CHECK_PATCH_CADENCE
                                         : MR_CHECK_PATCH_KNOWN_VULNERABILITY,
                             o->file);
            f.severity = (mamori_severity)o->sev;
            if (pass)
                snprintf(ev, sizeof(ev), "%s %s: %s fixed in %s %lld days ago "
                         "(window %lld days)", h->name, h->installed, o->id,
                         h->fixed, (long long)days, (long long)window);
            else
                snprintf(ev, sizeof(ev), "%s %s: %s fixed in %s", h->name,
                         h->installed, o->id, h->fixed);
            f.evidence = ev;
            f.evidence_len = strlen(ev);
            f.time = o->published;
            mr_patch_field(&f, "package", h->name);
            mr_patch_field(&f, "binary", h->binary);
            mr_patch_field(&f, "installed", h->installed);
            mr_patch_field(&f, "fixed", h->fixed);
            mamori_finding_list(&f, "cves", ids, nids, o->more_aliases);
            if (since[0])
                mr_patch_field(&f, "available_since", since);
            if (days >= 0)
                mamori_finding_int(&f, "days_exposed", days);
            mr_patch_field(&f, "release", o->ecosystem);
            if (!pass)
                r->known_packages++;
            mr_patch_send(r, &f);
        }
    }
}

/* One record from src (closed here), named name in findings and notes. */
static void read_source(osv_rec *o, mr_source *src, const char *name)
{
    mr_patch_run *r = o->r;
    o->file = name;
    o->id[0] = '\0';
    o->naliases = 0;
    o->more_aliases = 0;
    o->published = INT64_MIN;
    o->sev = MAMORI_SEV_MEDIUM;
    o->ubuntu_score = 0;
    o->nhits = 0;
    o->nfixes = 0;
    mr_json_cb cb = {on_open, on_close, on_scalar, o};
    uint64_t off = 0;
    mamori_err e = mr_json_read(src, &cb, &off);
    mr_source_close(src);
    if (e) {
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, name, 0,
                     "%s at byte %llu: record not used",
                     e == MAMORI_E_TRUNCATED ? "cut short" : "not valid JSON",
                     (unsigned long long)off);
        r->osv_bad++;
        return;
    }
    if (!o->id[0])
        copy(o->id, sizeof(o->id), "(no id)", 7);
    r->osv_records++;
    send_hits(o);
    for (size_t i = 0; i < o->nfixes; i++)
        mr_patch_cadence_fix(r, o->fixes[i].name, o->fixes[i].fixed,
                             o->published, o->id);
}

static void read_record(osv_rec *o, const char *path)
{
    mr_source *src = NULL;
    if (mr_source_open(path, &src)) {
        mamori_diagf(o->r->ctx, MAMORI_DIAG_WARN, path, 0, "cannot read: %s",
                     strerror(errno));
        return;
    }
    read_source(o, src, path);
}

static int json_name(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, ".json") == 0;
}

/* The records of a ZIP archive (osv.dev's all.zip), in its order: every
 * entry named *.json, at most OSV_ENTRY_MAX bytes unpacked. An entry
 * is named ZIP/ENTRY, as if the archive were unpacked there. */
static void read_zip(osv_rec *o, const char *zip)
{
    mr_patch_run *r = o->r;
    mr_zip *z = NULL;
    mamori_err e = mr_zip_open(zip, &z);
    if (e) {
        mamori_diagf(r->ctx, MAMORI_DIAG_ERROR, zip, 0, "cannot read: %s",
                     e == MAMORI_E_IO ? strerror(errno)
                     : e == MAMORI_E_TOO_LARGE
                         ? "its directory is larger than the limit"
                     : e == MAMORI_E_TRUNCATED ? "cut short"
                     : e == MAMORI_E_NOMEM ? "out of memory"
                                           : "not a ZIP archive mamori reads");
        r->tracker_error = e;
        return;
    }
    char name[MR_PATCH_PATH_MAX + MR_ZIP_NAME_MAX + 2];
    uint64_t bad = 0, big = 0;
    for (size_t i = 0; i < mr_zip_count(z) && !r->stopped; i++) {
        const char *entry = mr_zip_name(z, i);
        if (!json_name(entry))
            continue;
        if (i >= OSV_FILES_MAX) {
            mamori_diagf(r->ctx, MAMORI_DIAG_WARN, zip, 0,
                         "more than %u entries: the rest not read",
                         (unsigned)OSV_FILES_MAX);
            break;
        }
        snprintf(name, sizeof(name), "%s/%s", zip, entry);
        char *data = NULL;
        size_t len = 0;
        mr_source *src = NULL;
        e = mr_zip_read(z, i, OSV_ENTRY_MAX, &data, &len);
        if (e == MAMORI_E_NOMEM) {
            mamori_diagf(r->ctx, MAMORI_DIAG_ERROR, name, 0, "out of memory");
            r->tracker_error = e;
            break;
        }
        if (e) {
            if (!bad && !big)
                mamori_diagf(r->ctx, MAMORI_DIAG_WARN, name, 0,
                             "%s: record not used (the first such entry)",
                             e == MAMORI_E_TOO_LARGE ? "larger than the limit"
                             : e == MAMORI_E_TRUNCATED ? "cut short"
                             : e == MAMORI_E_FORMAT
                                 ? "encrypted or compressed in a way not read"
                                 : "damaged (size, checksum or deflate "
                                   "stream)");
            *(e == MAMORI_E_TOO_LARGE ? &big : &bad) += 1;
            r->osv_bad++;
            continue;
        }
        if (mr_source_open_mem(data, len, &src) == MAMORI_OK)
            read_source(o, src, name);
        free(data);
    }
    if (bad + big > 1)
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, zip, 0,
                     "%llu damaged and %llu oversized entries not used",
                     (unsigned long long)bad, (unsigned long long)big);
    if (mr_zip_skipped(z))
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, zip, 0,
                     "%llu entries with names too long or past the limit "
                     "passed over", (unsigned long long)mr_zip_skipped(z));
    mr_zip_close(z);
}

static int json_file(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return d->d_name[0] != '.' &&
           ((n > 5 && !strcmp(d->d_name + n - 5, ".json")) ||
            (n > 8 && !strcmp(d->d_name + n - 8, ".json.gz")) ||
            (n > 9 && !strcmp(d->d_name + n - 9, ".json.zst")));
}

/* Ubuntu's ecosystem names the whole release and its kind:
 * "Ubuntu:22.04:LTS", "Ubuntu:24.10" (Ubuntu Pro's ESM fixes are
 * "Ubuntu:Pro:...": they need a subscription and are not matched). A
 * release is LTS when os-release says so, or when it is an even year's
 * April one. Versions are Debian's order (dpkg). */
static void ubuntu_ecosystem(const mr_os_release *os, char *out, size_t cap)
{
    const char *v = os->version;
    int lts = strstr(os->pretty, " LTS") != NULL ||
              (strlen(v) == 5 && v[2] == '.' && v[3] == '0' && v[4] == '4' &&
               v[1] >= '0' && v[1] <= '9' && (v[1] - '0') % 2 == 0);
    snprintf(out, cap, "Ubuntu:%.32s%s", v, lts ? ":LTS" : "");
}

void mr_patch_osv(mr_patch_run *r, const char *dir, mr_table *sources)
{
    mr_os_release os;
    osv_rec *o = calloc(1, sizeof(*o));
    if (!o)
        return;
    o->r = r;
    o->sources = sources;
    /* The ecosystem of this release; Rocky's and Alma's records name
     * binary packages as well as source ones (mr_patch_sources keeps
     * both on RPM systems). */
    static const struct { const char *id, *eco; } ecos[] = {
        {"debian", "Debian"}, {"rocky", "Rocky Linux"},
        {"almalinux", "AlmaLinux"}, {"ubuntu", "Ubuntu"}};
    const char *eco = NULL;
    if (mr_patch_os_release(r, &os) == 0)
        for (size_t i = 0; i < MR_ARRAY_LEN(ecos); i++)
            if (strcmp(os.id, ecos[i].id) == 0)
                eco = ecos[i].eco;
    if (!eco) {
        mamori_diagf(r->ctx, MAMORI_DIAG_NOTE, dir, 0,
                     "OSV records are matched on Debian, Ubuntu, Rocky "
                     "Linux and AlmaLinux only: not used");
        free(o);
        return;
    }
    if (strcmp(eco, "Ubuntu") == 0)
        ubuntu_ecosystem(&os, o->ecosystem, sizeof(o->ecosystem));
    else
        snprintf(o->ecosystem, sizeof(o->ecosystem), "%s:%.*s", eco,
                 (int)strcspn(os.version, "."), os.version);
    struct stat st;
    if (stat(dir, &st) == 0 && S_ISREG(st.st_mode)) {
        read_zip(o, dir);
        if (r->osv_bad && !r->tracker_error)
            r->tracker_error = MAMORI_E_CORRUPT;
        r->tracker_read = 1;
        free(o);
        return;
    }
    struct dirent **names = NULL;
    int n = scandir(dir, &names, json_file, alphasort);
    if (n < 0) {
        mamori_diagf(r->ctx, MAMORI_DIAG_ERROR, dir, 0, "cannot read: %s",
                     strerror(errno));
        r->tracker_error = MAMORI_E_IO;
        free(o);
        return;
    }
    char path[MR_PATCH_PATH_MAX];
    for (int i = 0; i < n; i++) {
        if ((size_t)i < OSV_FILES_MAX && !r->stopped &&
            (size_t)snprintf(path, sizeof(path), "%s/%s", dir,
                             names[i]->d_name) < sizeof(path))
            read_record(o, path);
        free(names[i]);
    }
    free(names);
    if ((size_t)n > OSV_FILES_MAX)
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, dir, 0,
                     "more than %u records: the rest not read",
                     (unsigned)OSV_FILES_MAX);
    if (r->osv_bad)
        r->tracker_error = MAMORI_E_CORRUPT;
    r->tracker_read = 1;
    free(o);
}
