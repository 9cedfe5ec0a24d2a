/*
 * review_paths.c — the rules of `mamori host` about files found rather
 * than named: entries of the system directories writable by others (a
 * world-writable directory with the sticky bit, as /tmp, is fine),
 * SUID/SGID programs that no package installed (dpkg's file lists),
 * files whose owner or group no account or group has (left behind by a
 * removed account, or unpacked from somewhere else), the
 * directories of root's PATH ('.', empty or relative entries, or writable
 * by others) and people's home directories open to others.
 *
 * Each directory is read one level deep (the system directories hold
 * programs, not trees), its listing bounded by the sysroot's maximum.
 */
#include "common.h"

#include <strings.h>

#include "host/sysroot.h"
#include "hostcheck/hostcheck.h"

#define HC_TREE_DIRS 16            /* directories one rule names */
#define HC_SUID_MAX 256            /* SUID/SGID files looked up in dpkg */
#define HC_DPKG_LISTS_MAX 20000    /* dpkg file lists read */
#define HC_PATH_ENTRIES 64         /* entries of one PATH judged */
#define HC_IDS_MAX 65536           /* users or groups known */

/* The UIDs of /etc/passwd or GIDs of /etc/group, for unowned files. */
typedef struct id_set {
    unsigned long *id;
    size_t n;
} id_set;

static int id_line(void *user, char *line, size_t len, uint64_t lineno)
{
    (void)lineno;
    id_set *s = user;
    if (memchr(line, '\0', len) || s->n >= HC_IDS_MAX)
        return 0;
    /* name:pw:ID: */
    const char *p = strchr(line, ':');
    p = p ? strchr(p + 1, ':') : NULL;
    if (!p || p[1] < '0' || p[1] > '9')
        return 0;
    char *end = NULL;
    unsigned long v = strtoul(p + 1, &end, 10);
    if (*end == ':' || *end == '\0')
        s->id[s->n++] = v;
    return 0;
}

static int read_ids(mr_hc_run *u, const char *path, id_set *s)
{
    s->n = 0;
    if (!(s->id = calloc(HC_IDS_MAX, sizeof(*s->id))))
        return -1;
    return mr_sysroot_lines(u->sr, path, MR_HC_CONFIG_MAX, id_line, s) ==
                   MAMORI_OK
               ? 0
               : -1;
}

static int has_id(const id_set *s, unsigned long v)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->id[i] == v)
            return 1;
    return 0;
}

typedef struct suid_set {
    char *path[HC_SUID_MAX];
    unsigned char owned[HC_SUID_MAX];
    size_t n;
} suid_set;

/* The same file under usrmerge: /usr/bin/x is /bin/x in an old list. */
static int same_file(const char *listed, size_t n, const char *path)
{
    static const char *const merged[] = {"/usr/bin/", "/usr/sbin/",
                                         "/usr/lib/"};
    if (strlen(path) == n && !memcmp(listed, path, n))
        return 1;
    for (size_t i = 0; i < MR_ARRAY_LEN(merged); i++) {
        size_t k = strlen(merged[i]);
        if (!strncmp(path, merged[i], k) && n == strlen(path) - 4 &&
            !memcmp(listed, path + 4, n))
            return 1;
    }
    return 0;
}

static int list_line(void *user, char *line, size_t len, uint64_t lineno)
{
    (void)lineno;
    suid_set *s = user;
    for (size_t i = 0; i < s->n; i++)
        if (!s->owned[i] && same_file(line, len, s->path[i]))
            s->owned[i] = 1;
    return 0;
}

/* Marks the SUID/SGID files some package's file list names. */
static void dpkg_owned(mr_hc_run *u, suid_set *s)
{
    mr_sysroot_names lists;
    memset(&lists, 0, sizeof(lists));
    mr_sysroot_glob(u->sr, "/var/lib/dpkg/info/*.list", &lists);
    for (size_t i = 0; i < lists.n && i < HC_DPKG_LISTS_MAX; i++)
        mr_sysroot_lines(u->sr, lists.names[i], 0, list_line, s);
    mr_sysroot_names_free(&lists);
}

/* Every entry of the rule's directories: mode bits of `limit`
 * (sticky directories aside); for `setting` "suid", SUID/SGID files
 * that no package installed. */
/* Does a MODE rule name path? (its own finding says it better) */
static int named(const mr_hc_rule *rules, size_t n, const char *path)
{
    for (size_t i = 0; i < n; i++)
        if (rules[i].source == MR_HC_MODE && !strcmp(rules[i].file, path))
            return 1;
    return 0;
}

static void review_tree(mr_hc_run *u, const mr_hc_rule *rules, size_t nr,
                        const mr_hc_rule *r)
{
    char file[MR_HC_FILE_MAX], ev[MR_HC_NOTE_MAX], value[MR_HC_SHORT_MAX];
    char fix[MR_HC_NOTE_MAX + MR_HC_FILE_MAX], path[MR_HC_FILE_MAX];
    int suid = !strcmp(r->setting, "suid");
    int unowned = !strcmp(r->setting, "owner");
    int judged = 0, failed = 0;
    id_set users = {NULL, 0}, groups = {NULL, 0};
    suid_set *s = suid ? calloc(1, sizeof(*s)) : NULL;
    if (suid && !s)
        return;
    if (suid && !mr_sysroot_exists(u->sr, "/var/lib/dpkg/status"))
        goto out;            /* no package database to ask */
    /* owners mean something only where they are kept (see hostcheck.c) */
    if (unowned && (!mr_hc_owners_judged(u) ||
                    read_ids(u, "/etc/passwd", &users) != 0 ||
                    read_ids(u, "/etc/group", &groups) != 0))
        goto out;
    const char *p = r->file;
    for (size_t d = 0; *p && d < HC_TREE_DIRS && !u->stopped; d++) {
        char dir[MR_HC_FILE_MAX];
        size_t k = strcspn(p, " ");
        snprintf(dir, sizeof(dir), "%.*s", (int)MR_MIN(k, sizeof(dir) - 1),
                 p);
        p += k;
        while (*p == ' ')
            p++;
        mr_sysroot_names names;
        memset(&names, 0, sizeof(names));
        if (mr_sysroot_list(u->sr, dir, "*", &names) != MAMORI_OK)
            continue;
        judged = 1;
        for (size_t i = 0; i < names.n && !u->stopped; i++) {
            struct stat st;
            if (snprintf(path, sizeof(path), "%s/%s", dir, names.names[i]) >=
                    (int)sizeof(path) ||
                mr_sysroot_stat(u->sr, path, &st) != MAMORI_OK)
                continue;
            unsigned mode = (unsigned)st.st_mode & 07777;
            if (suid) {
                if (S_ISREG(st.st_mode) && (mode & 06000) && s->n < HC_SUID_MAX)
                    s->path[s->n++] = strdup(path);
                continue;
            }
            if (unowned) {
                int nu = !has_id(&users, (unsigned long)st.st_uid);
                int ng = !has_id(&groups, (unsigned long)st.st_gid);
                if (!nu && !ng)
                    continue;
                failed = 1;
                mr_hc_display(u, path, file);
                snprintf(value, sizeof(value), "%lu:%lu",
                         (unsigned long)st.st_uid, (unsigned long)st.st_gid);
                snprintf(ev, sizeof(ev), "owned by %s %lu, which %s",
                         nu ? "UID" : "GID",
                         nu ? (unsigned long)st.st_uid
                            : (unsigned long)st.st_gid,
                         nu ? "no account of /etc/passwd has"
                            : "no group of /etc/group has");
                mr_hc_subst(mr_hc_fix(u, r), "FILE", path, fix, sizeof(fix));
                mr_hc_emit(u, r, file, 0, value, ev, fix);
                continue;
            }
            if (!(mode & (unsigned)r->limit) ||
                (S_ISDIR(st.st_mode) && (mode & 01000)) ||
                named(rules, nr, path))
                continue;
            failed = 1;
            mr_hc_display(u, path, file);
            snprintf(value, sizeof(value), "%04o", mode);
            snprintf(ev, sizeof(ev), "%s is mode %04o: others may change it",
                     S_ISDIR(st.st_mode) ? "a directory" : "a file", mode);
            mr_hc_subst(mr_hc_fix(u, r), "FILE", path, fix, sizeof(fix));
            mr_hc_emit(u, r, file, 0, value, ev, fix);
        }
        mr_sysroot_names_free(&names);
    }
    if (s && s->n) {
        dpkg_owned(u, s);
        for (size_t i = 0; i < s->n && !u->stopped; i++) {
            if (!s->path[i] || s->owned[i])
                continue;
            struct stat st;
            if (mr_sysroot_stat(u->sr, s->path[i], &st) != MAMORI_OK)
                continue;
            failed = 1;
            mr_hc_display(u, s->path[i], file);
            snprintf(value, sizeof(value), "%04o",
                     (unsigned)st.st_mode & 07777);
            snprintf(ev, sizeof(ev), "SUID/SGID (mode %04o) and installed by "
                     "no package", (unsigned)st.st_mode & 07777);
            mr_hc_subst(mr_hc_fix(u, r), "FILE", s->path[i], fix, sizeof(fix));
            mr_hc_emit(u, r, file, 0, value, ev, fix);
        }
    }
    if (judged) {
        mr_hc_judged(u, r);
        if (!failed)
            mr_hc_passed(u, r);
    }
out:
    if (s)
        for (size_t i = 0; i < s->n; i++)
            free(s->path[i]);
    free(s);
    free(users.id);
    free(groups.id);
}

/* ---- root's PATH ---------------------------------------------------- */

typedef struct path_pass {
    mr_hc_run *u;
    const mr_hc_rule *r;
    const char *path;          /* the system path of the file read */
    int owners, failed;
} path_pass;

static void judge_entry(path_pass *pp, const char *file, uint64_t lineno,
                        const char *e, size_t n)
{
    char ev[MR_HC_NOTE_MAX + MR_HC_NOTE_MAX], value[MR_HC_NOTE_MAX];
    char dir[MR_HC_FILE_MAX], fix[MR_HC_NOTE_MAX + MR_HC_FILE_MAX];
    struct stat st;
    snprintf(value, sizeof(value), "%.*s", (int)MR_MIN(n, 200), e);
    if (memchr(e, '$', n) || memchr(e, '`', n))
        return;                 /* $PATH and the like: not ours to judge */
    if (n == 0 || e[0] != '/') {
        snprintf(ev, sizeof(ev), "root's PATH holds \"%s\": a command is "
                 "looked for in whatever directory root is in", value);
    } else {
        snprintf(dir, sizeof(dir), "%.*s", (int)MR_MIN(n, sizeof(dir) - 1),
                 e);
        if (mr_sysroot_stat(pp->u->sr, dir, &st) != MAMORI_OK)
            return;             /* not there: nothing to plant in */
        unsigned mode = (unsigned)st.st_mode & 07777;
        int others = (mode & 022) != 0;
        int owner = pp->owners && st.st_uid != 0;
        if (!others && !owner)
            return;
        snprintf(ev, sizeof(ev), "root's PATH holds %s, %s", value,
                 others ? "writable by others" : "not owned by root");
    }
    pp->failed = 1;
    mr_hc_subst(mr_hc_fix(pp->u, pp->r), "FILE", value, fix, sizeof(fix));
    mr_hc_emit(pp->u, pp->r, file, lineno, value[0] ? value : "(empty)", ev,
               fix);
}

static int path_line(void *user, char *line, size_t len, uint64_t lineno)
{
    path_pass *pp = user;
    char file[MR_HC_FILE_MAX];
    if (memchr(line, '\0', len))
        return 0;
    while (*line == ' ' || *line == '\t')
        line++;
    if (!strncmp(line, "export ", 7))
        line += 7;
    /* PATH=..., or login.defs's "ENV_SUPATH PATH=..." */
    char *v = NULL;
    if (!strncmp(line, "PATH=", 5))
        v = line + 5;
    else if (!strncmp(line, "ENV_SUPATH", 10) && (v = strstr(line, "PATH=")))
        v += 5;
    if (!v)
        return 0;
    if (*v == '"' || *v == '\'') {
        char q = *v++;
        char *end = strchr(v, q);
        if (end)
            *end = '\0';
    }
    v[strcspn(v, " \t;")] = '\0';
    mr_hc_display(pp->u, pp->path, file);
    size_t entries = 0;
    for (char *p = v; entries < HC_PATH_ENTRIES; entries++) {
        size_t k = strcspn(p, ":");
        judge_entry(pp, file, lineno, p, k);
        if (!p[k])
            break;
        p += k + 1;
    }
    return 0;
}

static void review_root_path(mr_hc_run *u, const mr_hc_rule *r)
{
    path_pass pp = {u, r, NULL, mr_hc_owners_judged(u), 0};
    int judged = 0;
    const char *p = r->file;
    for (size_t d = 0; *p && d < HC_TREE_DIRS && !u->stopped; d++) {
        char path[MR_HC_FILE_MAX];
        size_t k = strcspn(p, " ");
        snprintf(path, sizeof(path), "%.*s",
                 (int)MR_MIN(k, sizeof(path) - 1), p);
        p += k;
        while (*p == ' ')
            p++;
        pp.path = path;
        if (mr_sysroot_lines(u->sr, path, MR_HC_CONFIG_MAX, path_line, &pp) ==
            MAMORI_OK)
            judged = 1;
    }
    if (!judged)
        return;
    mr_hc_judged(u, r);
    if (!pp.failed)
        mr_hc_passed(u, r);
}

/* ---- home directories ----------------------------------------------- */

typedef struct home_pass {
    mr_hc_run *u;
    const mr_hc_rule *r;
    const char *file;
    int failed;
} home_pass;

static int home_line(void *user, char *line, size_t len, uint64_t lineno)
{
    home_pass *h = user;
    char *f[7];
    size_t nf = 0;
    char ev[MR_HC_NOTE_MAX], value[MR_HC_SHORT_MAX];
    char fix[MR_HC_NOTE_MAX + MR_HC_FILE_MAX];
    if (memchr(line, '\0', len) || line[0] == '#' || h->u->stopped)
        return 0;
    for (char *p = line; nf < 7;) {
        f[nf++] = p;
        char *c = strchr(p, ':');
        if (!c)
            break;
        *c = '\0';
        p = c + 1;
    }
    if (nf < 7)
        return 0;
    char *end = NULL;
    long uid = strtol(f[2], &end, 10);
    struct stat st;
    /* people: UID_MIN up, nobody (65534) aside */
    if (end == f[2] || *end || uid < h->r->limit || uid == 65534 ||
        f[5][0] != '/' || !strcmp(f[5], "/") ||
        mr_sysroot_stat(h->u->sr, f[5], &st) != MAMORI_OK ||
        !S_ISDIR(st.st_mode))
        return 0;
    unsigned mode = (unsigned)st.st_mode & 07777;
    if (!(mode & 007))
        return 0;
    h->failed = 1;
    snprintf(value, sizeof(value), "%04o", mode);
    snprintf(ev, sizeof(ev), "the home of %.64s (%.128s) is mode %04o: "
             "others may read it", f[0], f[5], mode);
    mr_hc_subst(mr_hc_fix(h->u, h->r), "FILE", f[5], fix, sizeof(fix));
    mr_hc_emit(h->u, h->r, h->file, lineno, value, ev, fix);
    return 0;
}

static void review_homes(mr_hc_run *u, const mr_hc_rule *r)
{
    char file[MR_HC_FILE_MAX];
    mr_hc_display(u, r->file, file);
    home_pass h = {u, r, file, 0};
    if (mr_sysroot_lines(u->sr, r->file, MR_HC_CONFIG_MAX, home_line, &h) !=
        MAMORI_OK)
        return;
    mr_hc_judged(u, r);
    if (!h.failed)
        mr_hc_passed(u, r);
}

void mr_hc_review_paths(mr_hc_run *u, const mr_hc_rule *rules, size_t n)
{
    for (size_t i = 0; i < n && !u->stopped; i++) {
        switch (rules[i].source) {
        case MR_HC_MODE_TREE: review_tree(u, rules, n, &rules[i]); break;
        case MR_HC_ROOT_PATH: review_root_path(u, &rules[i]); break;
        case MR_HC_HOME_MODES: review_homes(u, &rules[i]); break;
        default: break;
        }
    }
}
