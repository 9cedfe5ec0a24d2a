/*
 * dpkg.c — the inventory: every package dpkg's status database
 * (/var/lib/dpkg/status, read through the sysroot) says is installed,
 * with its architecture, version, source package and source version
 * ("Source: name (version)" when the binary's version differs, "Source:
 * name" when only the name does, nothing when both are the binary's own).
 * Packages on hold are marked: apt leaves them as they are. Packages
 * removed but with their configuration left (config-files) and half-done
 * ones are not installed for this purpose, as for apt.
 */
#include "common.h"

#include "patch/patch_int.h"
#include "host/stanza.h"

#define DPKG_STATUS "/var/lib/dpkg/status"
#define PKG_KEY_MAX 512

typedef struct dpkg_pass {
    mr_patch_run *r;
    uint64_t bad;          /* stanzas without name, version or status */
    uint64_t dropped;      /* over MR_PATCH_PACKAGES_MAX or memory */
} dpkg_pass;

/* The n-th blank-separated word of s (0-based), or a NULL span. */
static mr_span word(mr_span s, unsigned n)
{
    size_t i = 0;
    for (;;) {
        while (i < s.n && s.p[i] == ' ')
            i++;
        size_t b = i;
        while (i < s.n && s.p[i] != ' ')
            i++;
        if (b == i)
            return MR_SPAN_NULL;
        if (n-- == 0)
            return mr_span_make(s.p + b, i - b);
    }
}

static int key_of(char *key, mr_span name, mr_span arch)
{
    if (name.n + arch.n + 2 > PKG_KEY_MAX)
        return -1;
    memcpy(key, name.p, name.n);
    key[name.n] = ':';
    memcpy(key + name.n + 1, arch.p, arch.n);
    key[name.n + 1 + arch.n] = '\0';
    return (int)(name.n + 1 + arch.n);
}

static int one_stanza(void *user, const mr_stanza *st)
{
    dpkg_pass *d = user;
    mr_patch_run *r = d->r;
    mr_span name = mr_stanza_get(st, "Package");
    mr_span status = mr_stanza_get(st, "Status");
    mr_span version = mr_stanza_get(st, "Version");
    mr_span arch = mr_stanza_get(st, "Architecture");
    if (!name.n || !status.n) {
        d->bad++;
        return 0;
    }
    if (!mr_span_eq(word(status, 2), "installed"))
        return 0;
    if (!version.n) {
        d->bad++;
        return 0;
    }
    if (!arch.n)
        arch = MR_SPAN_LIT("all");
    /* Source: "name" or "name (version)". */
    mr_span src = mr_stanza_get(st, "Source");
    mr_span sname = word(src, 0), sver = MR_SPAN_NULL;
    mr_span rest = word(src, 1);
    if (rest.n > 2 && rest.p[0] == '(') {
        const char *close = memchr(rest.p, ')', rest.n);
        if (close)
            sver = mr_span_make(rest.p + 1, (size_t)(close - rest.p - 1));
    }
    if (mr_patch_pkg_add(r, name, arch, version, sname, sver,
                         mr_span_eq(word(status, 0), "hold")))
        d->dropped++;
    return 0;
}

int mr_patch_pkg_add(mr_patch_run *r, mr_span name, mr_span arch,
                     mr_span version, mr_span source, mr_span source_version,
                     int hold)
{
    char key[PKG_KEY_MAX];
    int klen = key_of(key, name, arch);
    if (klen < 0 || (mr_table_full(r->pkgs) &&
                     !mr_table_find(r->pkgs, key, (size_t)klen)))
        return -1;
    int created = 0;
    mr_pkg *p = mr_table_upsert(r->pkgs, key, (size_t)klen, &created);
    if (!p)
        return -1;
    p->name = mr_arena_strndup(&r->arena, name.p, name.n);
    p->arch = mr_arena_strndup(&r->arena, arch.p, arch.n);
    p->version = mr_arena_strndup(&r->arena, version.p, version.n);
    p->source = source.n ? mr_arena_strndup(&r->arena, source.p, source.n)
                         : p->name;
    p->source_version =
        source_version.n
            ? mr_arena_strndup(&r->arena, source_version.p, source_version.n)
            : p->version;
    p->hold = hold;
    for (int l = 0; l < MR_PRIO_LEVELS; l++) {
        p->cand_release[l] = -1;
        p->cand_security[l] = -1;
    }
    if (!p->name || !p->arch || !p->version || !p->source ||
        !p->source_version)
        return -1;
    if (created) {
        r->installed++;
        r->held += (uint64_t)p->hold;
    }
    return 0;
}

mamori_err mr_patch_dpkg(mr_patch_run *r)
{
    char *data = NULL;
    size_t len = 0;
    char where[MR_PATCH_PATH_MAX];
    mr_patch_display(r, DPKG_STATUS, where);
    mamori_err e = mr_sysroot_read(r->sr, DPKG_STATUS, MR_PATCH_STATUS_MAX,
                                   &data, &len);
    if (e) {
        if (e == MAMORI_E_IO && errno == ENOENT)
            mamori_diagf(r->ctx, MAMORI_DIAG_NOTE, where, 0,
                         "no dpkg status: not a Debian-based system; the "
                         "package checks are skipped");
        else
            mamori_diagf(r->ctx, MAMORI_DIAG_WARN, where, 0,
                         "cannot read: %s", e == MAMORI_E_TOO_LARGE
                             ? "larger than the limit" : strerror(errno));
        return MAMORI_E_IO;
    }
    dpkg_pass d = {r, 0, 0};
    mr_stanza_parser p;
    mr_stanza_init(&p, one_stanza, &d);
    mr_stanza_buffer(&p, data, len);
    free(data);
    r->have_status = 1;
    if (p.malformed)
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, where, p.first_malformed,
                     "%llu malformed line(s) ignored (first here)",
                     (unsigned long long)p.malformed);
    if (d.bad)
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, where, 0,
                     "%llu stanza(s) without Package, Status or Version "
                     "ignored", (unsigned long long)d.bad);
    if (d.dropped)
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, where, 0,
                     "%llu package(s) over the limit of %u or too long "
                     "not judged", (unsigned long long)d.dropped,
                     (unsigned)MR_PATCH_PACKAGES_MAX);
    return MAMORI_OK;
}

const mr_pkg *mr_patch_pkg(const mr_patch_run *r, const char *name,
                           const char *arch)
{
    char key[PKG_KEY_MAX];
    int klen = key_of(key, mr_span_make(name, strlen(name)),
                      mr_span_make(arch, strlen(arch)));
    if (klen < 0 || !r->pkgs)
        return NULL;
    return mr_table_find(r->pkgs, key, (size_t)klen);
}

const mr_pkg *mr_patch_pkg_any(const mr_patch_run *r, const char *name)
{
    if (!r->pkgs)
        return NULL;
    size_t n = strlen(name);
    for (size_t i = 0; i < mr_table_slots(r->pkgs); i++) {
        const char *key;
        size_t klen;
        const mr_pkg *p = mr_table_slot(r->pkgs, i, &key, &klen);
        if (p && klen > n && key[n] == ':' && memcmp(key, name, n) == 0)
            return p;
    }
    return NULL;
}
