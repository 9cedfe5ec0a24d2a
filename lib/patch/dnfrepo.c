/*
 * dnfrepo.c — updates waiting on an RPM-based system, from the
 * repositories dnf has cached in the root: each
 * /var/cache/dnf/REPO-HASH/repodata/repomd.xml (dnf 5:
 * /var/cache/libdnf5/REPO-HASH/) names its primary list (every package
 * of the repository, primary.xml in gzip, zstd, xz or plain) and its
 * updateinfo (the advisories). As apt.c does for Debian:
 *
 *   candidate  the highest version of an installed name.arch in any
 *              repository's primary list, newer than the installed one
 *   security   an advisory of type "security" in an updateinfo lists
 *              that name.arch at a version newer than the installed one
 *              and not newer than the candidate: pending-security-update
 *              (high); otherwise pending-update (low)
 *   freshness  the newest repomd.xml older than the stale limit (7 days):
 *              stale-package-lists
 *
 * The XML is read by libxml2's streaming xmlTextReader (no tree is
 * built) from a bounded source (lib/io decompresses by magic, at most
 * DNF_XML_MAX bytes unpacked), without network, DTD loading or entity
 * substitution, and within libxml2's default limits (no XML_PARSE_HUGE:
 * text nodes of 10 MB, 256 levels); a cut or broken file is named and
 * what came before it is used. Not modelled: which repositories are
 * enabled (every cached one counts), modularity filters, excludes and
 * versionlock, and dnf's solver.
 */
#include "common.h"

#include <sys/stat.h>

#include "check_ids.h"
#include "io/source.h"
#include "patch/patch_int.h"

#define DNF_REPOMD_MAX (4u * 1024 * 1024)     /* a repomd.xml */
#define DNF_XML_MAX (2048ull * 1024 * 1024)   /* a list, unpacked */
#define DNF_FIELD_MAX 256                     /* name, arch, version parts */
#define DNF_HREF_MAX 512

static const char *const dnf_caches[] = {"/var/cache/dnf/",
                                         "/var/cache/libdnf5/"};

#ifdef MR_HAVE_LIBXML2
#include <libxml/xmlreader.h>

#include "dlib_sonames.h"
#include "util/dlib.h"

/* libxml2, opened where it is first needed (util/dlib.h). */
#define MR_XML2_FUNCS(X) \
    X(xmlFree) \
    X(xmlFreeTextReader) \
    X(xmlReaderForIO) \
    X(xmlReaderForMemory) \
    X(xmlTextReaderConstLocalName) \
    X(xmlTextReaderConstValue) \
    X(xmlTextReaderDepth) \
    X(xmlTextReaderGetAttribute) \
    X(xmlTextReaderNodeType) \
    X(xmlTextReaderRead) \
    X(xmlTextReaderSetErrorHandler)
MR_DLIB_DEFINE(xml2, MR_SONAME_XML2, "libxml2", MR_XML2_FUNCS);

/* The bounded reader libxml2 pulls from. */
typedef struct dnf_io {
    mr_source *src;
    uint64_t total;
    mamori_err err;
} dnf_io;

static int io_read(void *ctx, char *buf, int len)
{
    dnf_io *io = ctx;
    size_t got = 0;
    if (len <= 0)
        return 0;
    mamori_err e = mr_source_read(io->src, buf, (size_t)len, &got);
    if (e) {
        io->err = e;
        return -1;
    }
    io->total += got;
    if (io->total > DNF_XML_MAX) {
        io->err = MAMORI_E_TOO_LARGE;
        return -1;
    }
    return (int)got;
}

static int io_close(void *ctx)
{
    (void)ctx;
    return 0;
}

/* libxml2's messages are counted, never printed. */
static void on_error(void *arg, const char *msg, xmlParserSeverities sev,
                     xmlTextReaderLocatorPtr loc)
{
    (void)msg;
    (void)sev;
    (void)loc;
    (*(uint64_t *)arg)++;
}

static void copy(char *dst, size_t cap, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    n = MR_MIN(n, cap - 1);
    if (n)
        memcpy(dst, s, n);
    dst[n] = '\0';
}

/* An attribute into out (cap bytes); "" when absent. */
static void attr(xmlTextReaderPtr rd, const char *name, char *out, size_t cap)
{
    xmlChar *v = mr_sym_xmlTextReaderGetAttribute(rd, (const xmlChar *)name);
    copy(out, cap, (const char *)v);
    (*mr_sym_xmlFree)(v);
}

/* "[E:]V-R", the epoch left out when 0 or absent (as the inventory);
 * "" when it does not fit. */
static void evr(char *out, size_t cap, const char *e, const char *v,
                const char *r)
{
    int n = e[0] && strcmp(e, "0") != 0
                ? snprintf(out, cap, "%s:%s-%s", e, v, r)
                : snprintf(out, cap, "%s-%s", v, r);
    if (n < 0 || (size_t)n >= cap)
        out[0] = '\0';
}

static mr_pkg *installed(mr_patch_run *r, const char *name, const char *arch)
{
    char key[2 * DNF_FIELD_MAX + 2];
    int n = snprintf(key, sizeof(key), "%s:%s", name, arch);
    if (n < 0 || (size_t)n >= sizeof(key) || !r->pkgs)
        return NULL;
    return mr_table_find(r->pkgs, key, (size_t)n);
}

typedef struct dnf_pkg {
    char name[DNF_FIELD_MAX], arch[DNF_FIELD_MAX];
    char ver[MAMORI_DEBVERSION_MAX];
    int in_security;             /* updateinfo: inside a security update */
} dnf_pkg;

/* primary.xml: <package type="rpm"> with <name>, <arch> and <version
 * epoch ver rel/> one level below it. */
static void primary_node(mr_patch_run *r, xmlTextReaderPtr rd, dnf_pkg *p,
                         int rel, int *text_for)
{
    int type = mr_sym_xmlTextReaderNodeType(rd);
    int depth = mr_sym_xmlTextReaderDepth(rd);
    const char *nm = (const char *)mr_sym_xmlTextReaderConstLocalName(rd);
    if (type == XML_READER_TYPE_ELEMENT && depth == 1 && nm &&
        strcmp(nm, "package") == 0) {
        p->name[0] = p->arch[0] = p->ver[0] = '\0';
    } else if (type == XML_READER_TYPE_ELEMENT && depth == 2 && nm) {
        *text_for = strcmp(nm, "name") == 0 ? 1 : strcmp(nm, "arch") == 0 ? 2 : 0;
        if (strcmp(nm, "version") == 0) {
            char e[32], v[DNF_FIELD_MAX], rl[DNF_FIELD_MAX];
            attr(rd, "epoch", e, sizeof(e));
            attr(rd, "ver", v, sizeof(v));
            attr(rd, "rel", rl, sizeof(rl));
            if (v[0] && rl[0])
                evr(p->ver, sizeof(p->ver), e, v, rl);
            else
                p->ver[0] = '\0';
        }
    } else if ((type == XML_READER_TYPE_TEXT ||
                type == XML_READER_TYPE_CDATA) && depth == 3 && *text_for) {
        const char *t = (const char *)mr_sym_xmlTextReaderConstValue(rd);
        copy(*text_for == 1 ? p->name : p->arch, DNF_FIELD_MAX, t);
    } else if (type == XML_READER_TYPE_END_ELEMENT && depth == 2) {
        *text_for = 0;
    } else if (type == XML_READER_TYPE_END_ELEMENT && depth == 1 && nm &&
               strcmp(nm, "package") == 0 && p->name[0] && p->ver[0]) {
        mr_pkg *k = installed(r, p->name, p->arch[0] ? p->arch : "noarch");
        if (!k || k->hold || mr_patch_vcmp(r, p->ver, k->version) <= 0 ||
            (k->cand[MR_PRIO_NORMAL] &&
             mr_patch_vcmp(r, p->ver, k->cand[MR_PRIO_NORMAL]) <= 0))
            return;
        const char *c = mr_arena_strdup(&r->arena, p->ver);
        if (c) {
            k->cand[MR_PRIO_NORMAL] = c;
            k->cand_release[MR_PRIO_NORMAL] = rel;
        }
    }
}

/* updateinfo.xml: <update type="security"> ... <package name arch epoch
 * version release/> anywhere below it. */
static void updateinfo_node(mr_patch_run *r, xmlTextReaderPtr rd, dnf_pkg *p,
                            int rel)
{
    int type = mr_sym_xmlTextReaderNodeType(rd);
    const char *nm = (const char *)mr_sym_xmlTextReaderConstLocalName(rd);
    if (!nm)
        return;
    if (type == XML_READER_TYPE_ELEMENT && strcmp(nm, "update") == 0) {
        char t[32];
        attr(rd, "type", t, sizeof(t));
        p->in_security = strcmp(t, "security") == 0;
    } else if (type == XML_READER_TYPE_END_ELEMENT &&
               strcmp(nm, "update") == 0) {
        p->in_security = 0;
    } else if (type == XML_READER_TYPE_ELEMENT && p->in_security &&
               strcmp(nm, "package") == 0) {
        char e[32], v[DNF_FIELD_MAX], rl[DNF_FIELD_MAX];
        attr(rd, "name", p->name, sizeof(p->name));
        attr(rd, "arch", p->arch, sizeof(p->arch));
        attr(rd, "epoch", e, sizeof(e));
        attr(rd, "version", v, sizeof(v));
        attr(rd, "release", rl, sizeof(rl));
        if (!p->name[0] || !v[0] || !rl[0])
            return;
        evr(p->ver, sizeof(p->ver), e, v, rl);
        if (!p->ver[0])
            return;
        mr_pkg *k = installed(r, p->name, p->arch[0] ? p->arch : "noarch");
        /* A fix newer than installed that the candidate covers makes
         * it a security update. */
        if (!k || mr_patch_vcmp(r, p->ver, k->version) <= 0 ||
            !k->cand[MR_PRIO_NORMAL] ||
            mr_patch_vcmp(r, k->cand[MR_PRIO_NORMAL], p->ver) < 0)
            return;
        k->cand_security[MR_PRIO_NORMAL] = rel;
    }
}

/* Reads one XML file of the root through libxml2's reader; kind 0 is a
 * primary list, 1 an updateinfo. */
static void read_xml(mr_patch_run *r, const char *path, int kind, int rel)
{
    char where[MR_PATCH_PATH_MAX];
    mr_patch_display(r, path, where);
    int fd = -1;
    dnf_io io = {NULL, 0, MAMORI_OK};
    if (mr_sysroot_open(r->sr, path, 0, &fd) ||
        mr_source_open_fd(fd, &io.src)) {
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, where, 0, "cannot read it");
        return;
    }
    xmlTextReaderPtr rd = mr_sym_xmlReaderForIO(io_read, io_close, &io, NULL, NULL,
                                                XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                    XML_PARSE_NOWARNING);
    if (!rd) {
        mr_source_close(io.src);
        mamori_diagf(r->ctx, MAMORI_DIAG_ERROR, where, 0, "out of memory");
        return;
    }
    uint64_t errors = 0;
    mr_sym_xmlTextReaderSetErrorHandler(rd, on_error, &errors);
    dnf_pkg p;
    memset(&p, 0, sizeof(p));
    int text_for = 0, ret;
    while (!r->stopped && (ret = mr_sym_xmlTextReaderRead(rd)) == 1) {
        if (kind == 0)
            primary_node(r, rd, &p, rel, &text_for);
        else
            updateinfo_node(r, rd, &p, rel);
    }
    if (ret != 0 || errors || io.err)
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, where, 0,
                     "%s: what came before is used",
                     io.err == MAMORI_E_TOO_LARGE ? "too large"
                     : io.err ? "cut short or corrupt" : "not well-formed XML");
    mr_sym_xmlFreeTextReader(rd);
    mr_source_close(io.src);
}

typedef struct repomd {
    char primary[DNF_HREF_MAX], updateinfo[DNF_HREF_MAX];
} repomd;

/* repomd.xml: <data type="primary|updateinfo"><location href=.../>. */
static int read_repomd(mr_patch_run *r, const char *path, repomd *m)
{
    char *data = NULL;
    size_t len = 0;
    m->primary[0] = m->updateinfo[0] = '\0';
    if (mr_dlib_load(&mr_dlib_xml2) != 0) {
        char where[MR_PATCH_PATH_MAX];
        mr_patch_display(r, path, where);
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, where, 0,
                     "dnf's repositories are not read: %s", mr_dlib_error(&mr_dlib_xml2));
        return -1;
    }
    if (mr_sysroot_read(r->sr, path, DNF_REPOMD_MAX, &data, &len))
        return -1;
    xmlTextReaderPtr rd = mr_sym_xmlReaderForMemory(
        data, (int)len, NULL, NULL,
        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    uint64_t errors = 0;
    int which = -1;
    if (rd) {
        mr_sym_xmlTextReaderSetErrorHandler(rd, on_error, &errors);
        while (mr_sym_xmlTextReaderRead(rd) == 1) {
            const char *nm = (const char *)mr_sym_xmlTextReaderConstLocalName(rd);
            if (mr_sym_xmlTextReaderNodeType(rd) != XML_READER_TYPE_ELEMENT || !nm)
                continue;
            if (strcmp(nm, "data") == 0) {
                char t[32];
                attr(rd, "type", t, sizeof(t));
                which = strcmp(t, "primary") == 0      ? 0
                        : strcmp(t, "updateinfo") == 0 ? 1 : -1;
            } else if (strcmp(nm, "location") == 0 && which >= 0) {
                attr(rd, "href", which ? m->updateinfo : m->primary,
                     DNF_HREF_MAX);
                which = -1;
            }
        }
        mr_sym_xmlFreeTextReader(rd);
    }
    free(data);
    return rd && m->primary[0] ? 0 : -1;
}

/* The newest repomd.xml older than the stale limit: the metadata dnf
 * judges updates by is old (dnf makecache, or dnf-automatic, refreshes
 * it). No cache at all says nothing: dnf fetches it when it runs. */
static void check_stale(mr_patch_run *r)
{
    const mr_release *nr = NULL;
    for (size_t k = 0; k < r->nrel; k++)
        if (r->rel[k].mtime != INT64_MIN &&
            (!nr || r->rel[k].mtime > nr->mtime))
            nr = &r->rel[k];
    if (!nr)
        return;
    int64_t days = mr_patch_days(r, nr->mtime);
    if (days <= (int64_t)r->stale_days)
        return;
    char where[MR_PATCH_PATH_MAX], ev[128], when[16];
    mamori_finding f;
    mr_patch_display(r, nr->path, where);
    mr_patch_finding(r, &f, MR_CHECK_PATCH_STALE_PACKAGE_LISTS, where);
    mr_patch_date(nr->mtime, when);
    snprintf(ev, sizeof(ev), "dnf's repository metadata last refreshed %s, "
             "%lld days ago", when, (long long)days);
    f.evidence = ev;
    f.evidence_len = strlen(ev);
    f.time = nr->mtime;
    mr_patch_field(&f, "refreshed", when);
    mamori_finding_int(&f, "days", days);
    /* The check's remedy is apt's: dnf's own step beside it. */
    mr_patch_field(&f, "fix", "dnf makecache, and dnf-automatic's timer to "
                              "keep it fresh");
    mr_patch_send(r, &f);
}

/* A repository file's path: DIR (the cache's repo directory) and an
 * href relative to it, which must stay inside it. */
static int repo_file(const char *dir, const char *href, char *out)
{
    if (!href[0] || href[0] == '/' || strstr(href, "..") ||
        strchr(href, ':'))
        return -1;
    int n = snprintf(out, MR_PATCH_PATH_MAX, "%s/%s", dir, href);
    return n < 0 || n >= MR_PATCH_PATH_MAX ? -1 : 0;
}

void mr_patch_dnf_repos(mr_patch_run *r)
{
    /* The updateinfo files, read once every candidate is known. */
    char (*upd)[MR_PATCH_PATH_MAX] = malloc(MR_PATCH_RELEASES_MAX *
                                            sizeof(*upd));
    int upd_rel[MR_PATCH_RELEASES_MAX];
    size_t nupd = 0;
    if (!upd) {
        mamori_diagf(r->ctx, MAMORI_DIAG_ERROR, NULL, 0,
                     "out of memory: dnf's repositories not read");
        return;
    }
    for (size_t c = 0; c < MR_ARRAY_LEN(dnf_caches); c++) {
        char pattern[MR_PATCH_PATH_MAX];
        snprintf(pattern, sizeof(pattern), "%s*", dnf_caches[c]);
        mr_sysroot_names names;
        if (mr_sysroot_glob(r->sr, pattern, &names) != MAMORI_OK)
            continue;
        for (size_t i = 0; i < names.n && !r->stopped; i++) {
            const char *dir = names.names[i];
            char path[MR_PATCH_PATH_MAX], file[MR_PATCH_PATH_MAX];
            repomd m;
            snprintf(path, sizeof(path), "%s/repodata/repomd.xml", dir);
            if (!mr_sysroot_exists(r->sr, path) || read_repomd(r, path, &m))
                continue;
            if (r->nrel == MR_PATCH_RELEASES_MAX) {
                mamori_diagf(r->ctx, MAMORI_DIAG_NOTE, NULL, 0,
                             "more than %d repositories: the rest not read",
                             MR_PATCH_RELEASES_MAX);
                break;
            }
            int ri = (int)r->nrel++;
            mr_release *rel = &r->rel[ri];
            memset(rel, 0, sizeof(*rel));
            snprintf(rel->path, sizeof(rel->path), "%s", path);
            /* The repository's id: the directory's name less "-HASH". */
            const char *base = strrchr(dir, '/');
            base = base ? base + 1 : dir;
            const char *dash = strrchr(base, '-');
            size_t idn = dash && dash > base ? (size_t)(dash - base) : strlen(base);
            idn = MR_MIN(idn, sizeof(rel->origin) - 1);
            memcpy(rel->origin, base, idn);
            rel->origin[idn] = '\0';
            memcpy(rel->suite, rel->origin, idn + 1);
            rel->date = rel->mtime = INT64_MIN;
            struct stat st;
            if (mr_sysroot_stat(r->sr, path, &st) == MAMORI_OK)
                rel->mtime = (int64_t)st.st_mtime;
            rel->level = MR_PRIO_NORMAL;
            if (repo_file(dir, m.primary, file) == 0) {
                read_xml(r, file, 0, ri);
                r->lists++;
            }
            if (m.updateinfo[0] && nupd < MR_PATCH_RELEASES_MAX &&
                repo_file(dir, m.updateinfo, upd[nupd]) == 0)
                upd_rel[nupd++] = ri;
        }
        mr_sysroot_names_free(&names);
    }
    for (size_t i = 0; i < nupd && !r->stopped; i++)
        read_xml(r, upd[i], 1, upd_rel[i]);
    free(upd);
    if (!r->lists)
        return;
    check_stale(r);
    for (size_t i = 0; i < mr_table_slots(r->pkgs) && !r->stopped; i++) {
        const char *key;
        size_t klen;
        const mr_pkg *p = mr_table_slot(r->pkgs, i, &key, &klen);
        if (p && !p->hold)
            mr_patch_send_update(r, p);
    }
}

#else /* no libxml2 */

void mr_patch_dnf_repos(mr_patch_run *r)
{
    char path[MR_PATCH_PATH_MAX];
    for (size_t c = 0; c < MR_ARRAY_LEN(dnf_caches); c++) {
        snprintf(path, sizeof(path), "%s", dnf_caches[c]);
        if (mr_sysroot_exists(r->sr, path)) {
            mamori_diagf(r->ctx, MAMORI_DIAG_NOTE, NULL, 0,
                         "mamori was built without libxml2: dnf's "
                         "repositories (updates waiting) are not read");
            return;
        }
    }
}

#endif
