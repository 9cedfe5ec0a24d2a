/*
 * pghba.c — who PostgreSQL lets in, from its host-based authentication
 * file (pg_hba.conf): the first matching line decides, so each "host"
 * line (host, hostssl, hostnossl, hostgssenc) whose address is every
 * address (0.0.0.0/0, ::/0, "all", or 0.0.0.0 with mask 0.0.0.0) is
 * judged by its method: "trust" lets anyone in without a password, a
 * password method (password, md5, scram-sha-256, ldap, radius, pam)
 * lets anyone try passwords. Debian keeps one file per cluster:
 * /etc/postgresql/VERSION/CLUSTER/pg_hba.conf, read through the sysroot.
 */
#include "common.h"

#include <strings.h>

#include "exposure/exposure.h"
#include "host/sysroot.h"

#define XP_HBA_MAX (1024 * 1024)     /* a pg_hba.conf's bytes */
#define XP_HBA_FIELDS 8              /* fields of a line looked at */
#define XP_PG_DIR "/etc/postgresql"

typedef struct field {
    const char *p;
    size_t n;
} field;

static int is(const field *f, const char *w)
{
    return f->n == strlen(w) && !strncasecmp(f->p, w, f->n);
}

/* Splits a line into blank-separated fields (quotes kept), up to a '#'. */
static size_t split(const char *line, size_t len, field *f, size_t max)
{
    size_t n = 0, i = 0;
    while (i < len && n < max) {
        while (i < len && (line[i] == ' ' || line[i] == '\t'))
            i++;
        if (i >= len || line[i] == '#')
            break;
        size_t s = i;
        int quoted = 0;
        while (i < len && (quoted || (line[i] != ' ' && line[i] != '\t' &&
                                      line[i] != '#'))) {
            if (line[i] == '"')
                quoted = !quoted;
            i++;
        }
        f[n++] = (field){line + s, i - s};
    }
    return n;
}

int mr_xp_hba_line(const char *line, size_t len)
{
    field f[XP_HBA_FIELDS];
    size_t n = split(line, len, f, XP_HBA_FIELDS);
    if (n < 5 || !(is(&f[0], "host") || is(&f[0], "hostssl") ||
                   is(&f[0], "hostnossl") || is(&f[0], "hostgssenc")))
        return 0;
    /* TYPE DATABASE USER ADDRESS [MASK] METHOD [OPTIONS] */
    size_t m = 4;
    int everywhere = is(&f[3], "0.0.0.0/0") || is(&f[3], "::/0") ||
                     is(&f[3], "all");
    if (is(&f[3], "0.0.0.0") && n >= 6 && is(&f[4], "0.0.0.0")) {
        everywhere = 1;
        m = 5;
    } else if (n >= 6 && f[4].n && f[4].p[0] >= '0' && f[4].p[0] <= '9') {
        m = 5;                     /* ADDRESS MASK: not everywhere */
    }
    if (!everywhere || m >= n)
        return 0;
    if (is(&f[m], "trust"))
        return MR_XP_HBA_TRUST;
    static const char *const pw[] = {"password", "md5", "scram-sha-256",
                                     "ldap", "radius", "pam", "bsd", NULL};
    for (size_t i = 0; pw[i]; i++)
        if (is(&f[m], pw[i]))
            return MR_XP_HBA_PASSWORD;
    return 0;
}

typedef struct hba_run {
    int worst;
    uint64_t line;
    char *file;
    size_t cap;
    const char *path;
} hba_run;

static int on_line(void *user, char *line, size_t len, uint64_t lineno)
{
    hba_run *r = user;
    int v = mr_xp_hba_line(line, len);
    if (v > r->worst) {
        r->worst = v;
        r->line = lineno;
        snprintf(r->file, r->cap, "%s", r->path);
    }
    return 0;
}

int mr_xp_pg_hba(const mamori_sysroot *sr, char *file, size_t cap,
                 uint64_t *line)
{
    mr_sysroot_names versions, clusters;
    hba_run r = {0, 0, file, cap, NULL};
    file[0] = '\0';
    *line = 0;
    if (mr_sysroot_list(sr, XP_PG_DIR, NULL, &versions) != MAMORI_OK)
        return 0;
    for (size_t v = 0; v < versions.n; v++) {
        char dir[MAMORI_SYSROOT_PATH_MAX];
        snprintf(dir, sizeof(dir), XP_PG_DIR "/%s", versions.names[v]);
        if (mr_sysroot_list(sr, dir, NULL, &clusters) != MAMORI_OK)
            continue;
        for (size_t c = 0; c < clusters.n; c++) {
            char path[MAMORI_SYSROOT_PATH_MAX];
            int w = snprintf(path, sizeof(path), "%s/%s/pg_hba.conf", dir,
                             clusters.names[c]);
            if (w < 0 || (size_t)w >= sizeof(path))
                continue;
            r.path = path;
            mr_sysroot_lines(sr, path, XP_HBA_MAX, on_line, &r);
        }
        mr_sysroot_names_free(&clusters);
    }
    mr_sysroot_names_free(&versions);
    *line = r.line;
    return r.worst;
}
