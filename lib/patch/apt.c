/*
 * apt.c — updates waiting and the age of the package lists, from apt's
 * own state under /var/lib/apt/lists (through the sysroot):
 *
 *   *_InRelease / *_Release   one per archive suite: Origin, Label, Suite,
 *                             Codename, Date, NotAutomatic and
 *                             ButAutomaticUpgrades (the priority apt
 *                             gives its lists: 500, 100, or 1)
 *   *_Packages[.lz4|.gz|.xz|.zst]
 *                             the versions the archive offers; a list
 *                             belongs to the Release whose name is the
 *                             longest prefix of its own
 *
 * The candidate is chosen as apt's policy does without pins: among the
 * versions newer than the installed one, the highest of the highest
 * priority; a newer version of priority 100 (backports) wins only when
 * the installed version is not itself in a list of priority 500. A
 * candidate that is in a security suite (Suite ending in -security,
 * Label Debian-Security) makes a pending-security-update, any other a
 * pending-update. Lists are streamed: memory does not grow with them.
 */
#include "common.h"

#include "check_ids.h"
#include "io/lines.h"
#include "io/source.h"
#include "patch/patch_int.h"
#include "host/stanza.h"
#include "util/time.h"

#define APT_LISTS "/var/lib/apt/lists"
#define RELEASE_MAX (32u * 1024 * 1024)

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

static void copy_field(char *dst, mr_span v)
{
    size_t n = MR_MIN(v.n, (size_t)MR_PATCH_FIELD_MAX - 1);
    if (n)
        memcpy(dst, v.p, n);
    dst[n] = '\0';
}

/* RFC 2822 as apt writes it: "Sat, 06 Dec 2026 10:22:33 UTC" (or +0000). */
static int64_t parse_date(mr_span s)
{
    size_t i = 0;
    const char *comma = memchr(s.p, ',', s.n);
    if (comma)
        i = (size_t)(comma - s.p) + 1;
    while (i < s.n && s.p[i] == ' ')
        i++;
    uint64_t d = 0, y = 0, hh = 0, mm = 0, ss = 0;
    size_t b = i;
    while (i < s.n && s.p[i] >= '0' && s.p[i] <= '9')
        i++;
    if (mr_span_u64(mr_span_make(s.p + b, i - b), 31, &d) || d == 0)
        return INT64_MIN;
    if (i + 5 > s.n || s.p[i] != ' ')
        return INT64_MIN;
    int mon = mr_month_from_abbrev(s.p + i + 1);
    i += 4;
    if (mon <= 0 || s.p[i] != ' ')
        return INT64_MIN;
    i++;
    b = i;
    while (i < s.n && s.p[i] >= '0' && s.p[i] <= '9')
        i++;
    if (mr_span_u64(mr_span_make(s.p + b, i - b), 9999, &y) || y < 1970)
        return INT64_MIN;
    if (i + 9 > s.n || s.p[i] != ' ' || s.p[i + 3] != ':' || s.p[i + 6] != ':')
        return INT64_MIN;
    if (mr_span_u64(mr_span_make(s.p + i + 1, 2), 23, &hh) ||
        mr_span_u64(mr_span_make(s.p + i + 4, 2), 59, &mm) ||
        mr_span_u64(mr_span_make(s.p + i + 7, 2), 60, &ss))
        return INT64_MIN;
    return mr_days_from_civil((int64_t)y, (unsigned)mon, (unsigned)d) * 86400 +
           (int64_t)(hh * 3600 + mm * 60 + ss);
}

static int yes(mr_span v) { return mr_span_ieq(v, "yes"); }

typedef struct rel_pass {
    mr_release *rel;
    int done;
} rel_pass;

static int release_stanza(void *user, const mr_stanza *st)
{
    rel_pass *rp = user;
    mr_span suite = mr_stanza_get(st, "Suite");
    mr_span codename = mr_stanza_get(st, "Codename");
    mr_span origin = mr_stanza_get(st, "Origin");
    if (!suite.p && !codename.p && !origin.p)
        return 0; /* the armour's "Hash:" header */
    mr_release *rel = rp->rel;
    copy_field(rel->origin, origin);
    copy_field(rel->label, mr_stanza_get(st, "Label"));
    copy_field(rel->suite, suite);
    copy_field(rel->codename, codename);
    mr_span date = mr_stanza_get(st, "Date");
    rel->date = date.p ? parse_date(date) : INT64_MIN;
    int na = yes(mr_stanza_get(st, "NotAutomatic"));
    int bau = yes(mr_stanza_get(st, "ButAutomaticUpgrades"));
    rel->level = !na ? MR_PRIO_NORMAL : bau ? MR_PRIO_LOW : -1;
    rel->security = ends_with(rel->suite, "-security") ||
                    ends_with(rel->codename, "-security") ||
                    strcmp(rel->label, "Debian-Security") == 0;
    rp->done = 1;
    return 1;
}

static void read_release(mr_patch_run *r, mr_release *rel)
{
    char *data = NULL;
    size_t len = 0;
    char where[MR_PATCH_PATH_MAX];
    mr_patch_display(r, rel->path, where);
    rel->level = MR_PRIO_NORMAL;
    rel->date = INT64_MIN;
    struct stat st;
    rel->mtime = mr_sysroot_stat(r->sr, rel->path, &st) == MAMORI_OK
                     ? (int64_t)st.st_mtime : INT64_MIN;
    if (mr_sysroot_read(r->sr, rel->path, RELEASE_MAX, &data, &len)) {
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, where, 0, "cannot read: %s",
                     strerror(errno));
        return;
    }
    rel_pass rp = {rel, 0};
    mr_stanza_parser p;
    mr_stanza_init(&p, release_stanza, &rp);
    /* The clear-signed armour: its first line goes, and the signature
     * ends the text. */
    size_t off = 0;
    while (off < len && !p.stopped) {
        const char *nl = memchr(data + off, '\n', len - off);
        size_t n = nl ? (size_t)(nl - (data + off)) : len - off;
        const char *line = data + off;
        off += n + (nl ? 1 : 0);
        if (n >= 5 && memcmp(line, "-----", 5) == 0) {
            if (n >= 25 && memcmp(line, "-----BEGIN PGP SIGNATURE", 24) == 0)
                break;
            mr_stanza_line(&p, "", 0);
            continue;
        }
        mr_stanza_line(&p, line, n);
    }
    mr_stanza_end(&p);
    free(data);
    if (!rp.done)
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, where, 0,
                     "no Origin, Suite or Codename: its lists count as a "
                     "normal archive");
}

static void find_releases(mr_patch_run *r)
{
    mr_sysroot_names names;
    if (mr_sysroot_list(r->sr, APT_LISTS, "*Release", &names))
        return;
    for (size_t i = 0; i < names.n; i++) {
        const char *nm = names.names[i];
        size_t cut;
        if (ends_with(nm, "_InRelease"))
            cut = strlen(nm) - strlen("InRelease");
        else if (ends_with(nm, "_Release"))
            cut = strlen(nm) - strlen("Release");
        else
            continue;
        if (cut >= sizeof(r->rel[0].prefix))
            continue;
        /* InRelease and Release of one suite: the InRelease. */
        int dup = 0;
        for (size_t k = 0; k < r->nrel; k++)
            if (strlen(r->rel[k].prefix) == cut &&
                memcmp(r->rel[k].prefix, nm, cut) == 0)
                dup = 1;
        if (dup)
            continue;
        if (r->nrel == MR_PATCH_RELEASES_MAX) {
            mamori_diagf(r->ctx, MAMORI_DIAG_WARN, NULL, 0,
                         "more than %u Release files: the rest not read",
                         (unsigned)MR_PATCH_RELEASES_MAX);
            break;
        }
        mr_release *rel = &r->rel[r->nrel];
        memset(rel, 0, sizeof(*rel));
        memcpy(rel->prefix, nm, cut);
        rel->prefix[cut] = '\0';
        /* "_InRelease" sorts before "_Release": a later Release of the
         * same suite is the duplicate passed over above. */
        snprintf(rel->path, sizeof(rel->path), "%s/%s", APT_LISTS, nm);
        read_release(r, rel);
        r->nrel++;
    }
    mr_sysroot_names_free(&names);
}

/* The Release a list belongs to: the longest prefix; -1 for none. */
static int release_of(const mr_patch_run *r, const char *list)
{
    int best = -1;
    size_t best_n = 0;
    for (size_t k = 0; k < r->nrel; k++) {
        size_t n = strlen(r->rel[k].prefix);
        if (n > best_n && strncmp(list, r->rel[k].prefix, n) == 0) {
            best = (int)k;
            best_n = n;
        }
    }
    return best;
}

typedef struct list_pass {
    mr_patch_run *r;
    int rel;                 /* -1: no Release */
    int level;
    int security;
} list_pass;

static int newer(mr_span a, const char *b)
{
    int c = 0;
    if (mamori_debversion_compare(a.p, a.n, b, strlen(b), &c, NULL))
        return -2;
    return c;
}

static int list_stanza(void *user, const mr_stanza *st)
{
    list_pass *lp = user;
    mr_patch_run *r = lp->r;
    mr_span name = mr_stanza_get(st, "Package");
    mr_span arch = mr_stanza_get(st, "Architecture");
    mr_span ver = mr_stanza_get(st, "Version");
    if (!name.n || !ver.n || !arch.n || name.n + arch.n + 2 > 512)
        return 0;
    char key[512];
    memcpy(key, name.p, name.n);
    key[name.n] = ':';
    memcpy(key + name.n + 1, arch.p, arch.n);
    mr_pkg *p = mr_table_find(r->pkgs, key, name.n + 1 + arch.n);
    if (!p)
        return 0;
    int c = newer(ver, p->version);
    if (c == -2)
        return 0;
    if (c == 0) {
        if (lp->level == MR_PRIO_NORMAL)
            p->inst_normal = 1;
        return 0;
    }
    if (c < 0)
        return 0;
    int l = lp->level;
    int d = p->cand[l] ? newer(ver, p->cand[l]) : 1;
    if (d > 0) {
        const char *v = mr_arena_strndup(&r->arena, ver.p, ver.n);
        if (!v)
            return 0;
        p->cand[l] = v;
        p->cand_release[l] = lp->rel;
        p->cand_security[l] = lp->security ? lp->rel : -1;
    } else if (d == 0 && lp->security && p->cand_security[l] < 0) {
        p->cand_security[l] = lp->rel;
    }
    return 0;
}

static void read_list(mr_patch_run *r, const char *name, char *buf,
                      char *carry)
{
    char path[MR_PATCH_PATH_MAX], where[MR_PATCH_PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s", APT_LISTS, name);
    mr_patch_display(r, path, where);
    list_pass lp = {r, release_of(r, name), MR_PRIO_NORMAL, 0};
    if (lp.rel >= 0) {
        lp.level = r->rel[lp.rel].level;
        lp.security = r->rel[lp.rel].security;
    }
    if (lp.level < 0)
        return; /* NotAutomatic (experimental): never a candidate */
    int fd = -1;
    mr_source *src = NULL;
    if (mr_sysroot_open(r->sr, path, 0, &fd) ||
        mr_source_open_fd(fd, &src)) {
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, where, 0, "cannot read: %s",
                     strerror(errno));
        return;
    }
    mr_line_reader lr;
    memset(&lr, 0, sizeof(lr));
    lr.src = src;
    lr.carry = carry;
    mr_stanza_parser p;
    mr_stanza_init(&p, list_stanza, &lp);
    size_t len;
    int overlong;
    while (mr_line_reader_fill(&lr, buf, MR_PATCH_LINE_BUF, &len, &overlong)) {
        if (overlong)
            continue;
        size_t off = 0;
        while (off < len) {
            const char *nl = memchr(buf + off, '\n', len - off);
            size_t n = nl ? (size_t)(nl - (buf + off)) : len - off;
            mr_stanza_line(&p, buf + off, n);
            off += n + (nl ? 1 : 0);
        }
    }
    mr_stanza_end(&p);
    if (lr.err)
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, where, 0,
                     "%s: the versions before it are used",
                     lr.err == MAMORI_E_TRUNCATED ? "cut short"
                     : lr.err == MAMORI_E_CORRUPT ? "corrupt"
                                                  : "read error");
    if (p.malformed)
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, where, p.first_malformed,
                     "%llu malformed line(s) ignored (first here)",
                     (unsigned long long)p.malformed);
    mr_source_close(src);
    r->lists++;
}

static int list_name(const char *nm)
{
    static const char *const suffixes[] = {
        "_Packages", "_Packages.lz4", "_Packages.gz", "_Packages.xz",
        "_Packages.zst"};
    for (size_t i = 0; i < MR_ARRAY_LEN(suffixes); i++)
        if (ends_with(nm, suffixes[i]))
            return 1;
    return 0;
}

void mr_patch_send_update(mr_patch_run *r, const mr_pkg *p)
{
    int l = p->cand[MR_PRIO_NORMAL] ? MR_PRIO_NORMAL
            : !p->inst_normal && p->cand[MR_PRIO_LOW] ? MR_PRIO_LOW : -1;
    if (l < 0)
        return;
    int sec = p->cand_security[l] >= 0;
    int ri = sec ? p->cand_security[l] : p->cand_release[l];
    const mr_release *rel = ri >= 0 ? &r->rel[ri] : NULL;
    mamori_finding f;
    char where[MR_PATCH_PATH_MAX];
    mr_patch_display(r, rel ? rel->path : APT_LISTS, where);
    mr_patch_finding(r, &f, sec ? MR_CHECK_PATCH_PENDING_SECURITY_UPDATE
                                : MR_CHECK_PATCH_PENDING_UPDATE, where);
    char ev[512];
    snprintf(ev, sizeof(ev), "%s %s -> %s", p->name, p->version, p->cand[l]);
    f.evidence = ev;
    f.evidence_len = strlen(ev);
    mr_patch_field(&f, "package", p->name);
    mr_patch_field(&f, "arch", p->arch);
    mr_patch_field(&f, "installed", p->version);
    mr_patch_field(&f, "candidate", p->cand[l]);
    mr_patch_field(&f, "source", p->source);
    if (rel) {
        mr_patch_field(&f, "origin", rel->origin[0] ? rel->origin : NULL);
        mr_patch_field(&f, "label", rel->label[0] ? rel->label : NULL);
        mr_patch_field(&f, "suite", rel->suite[0] ? rel->suite : NULL);
    }
    r->updates++;
    r->security_updates += (uint64_t)sec;
    mr_patch_count_update(r, rel, sec);
    mr_patch_send(r, &f);
}

static void check_stale(mr_patch_run *r)
{
    int64_t newest = INT64_MIN;
    const mr_release *nr = NULL;
    for (size_t k = 0; k < r->nrel; k++)
        if (r->rel[k].mtime != INT64_MIN && r->rel[k].mtime > newest) {
            newest = r->rel[k].mtime;
            nr = &r->rel[k];
        }
    char where[MR_PATCH_PATH_MAX];
    mamori_finding f;
    if (!nr) {
        mr_patch_display(r, APT_LISTS, where);
        mr_patch_finding(r, &f, MR_CHECK_PATCH_STALE_PACKAGE_LISTS, where);
        f.evidence = "no apt package lists: apt-get update has never run";
        f.evidence_len = strlen(f.evidence);
        mr_patch_send(r, &f);
        return;
    }
    int64_t days = mr_patch_days(r, newest);
    if (days <= (int64_t)r->stale_days)
        return;
    mr_patch_display(r, nr->path, where);
    mr_patch_finding(r, &f, MR_CHECK_PATCH_STALE_PACKAGE_LISTS, where);
    char ev[128], when[16];
    mr_patch_date(newest, when);
    snprintf(ev, sizeof(ev), "package lists last refreshed %s, %lld days ago",
             when, (long long)days);
    f.evidence = ev;
    f.evidence_len = strlen(ev);
    f.time = newest;
    mr_patch_field(&f, "refreshed", when);
    mamori_finding_int(&f, "days", days);
    mr_patch_send(r, &f);
}

void mr_patch_apt(mr_patch_run *r)
{
    find_releases(r);
    mr_sysroot_names names;
    char *buf = NULL, *carry = NULL;
    if (mr_sysroot_list(r->sr, APT_LISTS, "*_Packages*", &names) == MAMORI_OK) {
        buf = malloc(MR_PATCH_LINE_BUF);
        carry = malloc(MR_PATCH_LINE_BUF);
        for (size_t i = 0; buf && carry && i < names.n; i++)
            if (list_name(names.names[i]))
                read_list(r, names.names[i], buf, carry);
        if (!buf || !carry)
            mamori_diagf(r->ctx, MAMORI_DIAG_ERROR, NULL, 0,
                         "out of memory: package lists not read");
        mr_sysroot_names_free(&names);
    }
    free(buf);
    free(carry);
    check_stale(r);
    if (r->lists == 0)
        return;
    uint64_t held = 0;
    for (size_t i = 0; i < mr_table_slots(r->pkgs) && !r->stopped; i++) {
        const char *key;
        size_t klen;
        const mr_pkg *p = mr_table_slot(r->pkgs, i, &key, &klen);
        if (!p)
            continue;
        if (p->hold) {
            held += p->cand[MR_PRIO_NORMAL] || p->cand[MR_PRIO_LOW];
            continue;
        }
        mr_patch_send_update(r, p);
    }
    if (held)
        mamori_diagf(r->ctx, MAMORI_DIAG_NOTE, NULL, 0,
                     "%llu package(s) on hold have a newer version: left as "
                     "apt leaves them", (unsigned long long)held);
}
