/*
 * drill_tar.c — `mamori backup --drill` for a tar copy: the newest
 * archive of the location is listed whole (`tar -tvf`: every byte read
 * and, compressed, every checksum of gzip, xz or zstd checked, so an
 * archive cut or damaged fails here), a sample of its regular files
 * spread evenly over them and within MR_DRILL_BYTES_MAX by their listed
 * sizes is extracted by tar into a private directory (mkdtemp: 0700;
 * tar keeps each member's mtime), and each is compared with the live
 * file it stands for where that has not changed since (same size and
 * mtime). GNU tar refuses members named with "..", and only regular
 * files are asked for, so nothing is written outside the directory,
 * which is always removed.
 *
 * A member stands for the live file "/" + its name (tar -cf x /srv/www
 * stores srv/www/...) when that lies under a protected path P, else
 * dirname(P) + "/" + its name when it starts with basename(P)
 * (tar -C /srv -cf x www).
 */
#include "common.h"

#include <dirent.h>
#include <sys/stat.h>

#include "backup/backup_int.h"
#include "backup/spawn.h"
#include "util/span.h"
#include "util/time.h"

#define TAR_SAMPLE_MAX 1000

/* One line of `tar -tvf --numeric-owner` ("-rw-r--r-- 0/0  6
 * 2026-12-07 00:40:01 www/a b.txt"): 1 with name and size for a regular
 * file whose name needs no unquoting; 0 for anything else. */
int mr_backup_tar_line(const char *s, size_t n, mr_tar_entry *e)
{
    if (n < 11 || s[0] != '-')
        return 0;
    size_t i = 0;
    /* Four fields before the time: mode, owner, size, date. */
    mr_span f[5];
    for (size_t k = 0; k < 5; k++) {
        while (i < n && s[i] == ' ')
            i++;
        size_t b = i;
        while (i < n && s[i] != ' ')
            i++;
        if (i == b || i >= n)
            return 0;
        f[k] = mr_span_make(s + b, i - b);
    }
    i++;                        /* the one space before the name */
    /* No NUL either: the name goes to tar's argv whole or not at all. */
    if (i >= n || n - i >= sizeof(e->name) || memchr(s + i, '\\', n - i) ||
        memchr(s + i, '\0', n - i) || s[n - 1] == '/')
        return 0;
    uint64_t size = 0;
    if (mr_span_u64(f[2], UINT64_MAX / 10, &size))
        return 0;
    memcpy(e->name, s + i, n - i);
    e->name[n - i] = '\0';
    e->size = size;
    return 1;
}

typedef struct tar_pick {
    char (*name)[MR_TAR_NAME_MAX];
    size_t n, max;
    uint64_t files, seen, stride, bytes;
} tar_pick;

static void each_line(const char *out, size_t len, tar_pick *pk, int picking)
{
    const char *p = out, *end = out + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        mr_tar_entry e;
        if (mr_backup_tar_line(p, n, &e)) {
            if (!picking)
                pk->files++;
            else if (pk->n < pk->max && pk->seen++ % pk->stride == 0 &&
                     e.size <= MR_DRILL_BYTES_MAX - pk->bytes) {
                memcpy(pk->name[pk->n++], e.name, sizeof(e.name));
                pk->bytes += e.size;
            }
        }
        p += n + 1;
    }
}

/* The newest archive of the location (a file, or the newest *.tar* of
 * a directory), into path. */
static int newest_archive(const mr_copy_state *st, char *path, size_t cap)
{
    struct stat sb;
    if (stat(st->local, &sb))
        return -1;
    if (S_ISREG(sb.st_mode))
        return snprintf(path, cap, "%s", st->local) < (int)cap ? 0 : -1;
    DIR *d = opendir(st->local);
    if (!d)
        return -1;
    int64_t best = INT64_MIN;
    struct dirent *de;
    while ((de = readdir(d))) {
        struct stat fs;
        if (de->d_name[0] == '.' || !strstr(de->d_name, ".tar") ||
            fstatat(dirfd(d), de->d_name, &fs, 0) || !S_ISREG(fs.st_mode) ||
            fs.st_mtime <= best)
            continue;
        if (snprintf(path, cap, "%s/%s", st->local, de->d_name) < (int)cap)
            best = fs.st_mtime;
    }
    closedir(d);
    return best == INT64_MIN ? -1 : 0;
}

/* The live file a member stands for, or -1. */
static int live_of(const mr_copy_state *st, const char *member, char *out,
                   size_t cap)
{
    for (size_t i = 0; i < st->ncover; i++) {
        const char *p = st->cover_path[i];
        size_t pn = strlen(p);
        if (snprintf(out, cap, "/%s", member) < (int)cap &&
            !strncmp(out, p, pn) && (out[pn] == '/' || out[pn] == '\0'))
            return 0;
        const char *slash = strrchr(p, '/');
        const char *base = slash ? slash + 1 : p;
        size_t bn = strlen(base);
        if (bn && !strncmp(member, base, bn) && member[bn] == '/' && slash &&
            snprintf(out, cap, "%.*s/%s", (int)(slash - p), p, member) <
                (int)cap)
            return 0;
    }
    return -1;
}

static void run_tar(mr_backup_run *r, const char *const *args, size_t nargs,
                    const tar_pick *pk, const char *cwd, mr_spawn_res *res,
                    char *why, size_t cap, int *rc)
{
    mr_spawn_req *q = calloc(1, sizeof(*q));
    if (!q) {
        snprintf(why, cap, "out of memory");
        *rc = -1;
        memset(res, 0, sizeof(*res));
        return;
    }
    q->tool = "tar";
    q->timeout_ms = r->opts->timeout * 1000u;
    q->pass_fd = -1;
    q->cwd = cwd;
    mr_spawn_setenv(q, "TZ", "UTC");
    mr_spawn_setenv(q, "LC_ALL", "C");
    size_t na = 0;
    for (size_t i = 0; i < nargs; i++)
        q->argv[na++] = args[i];
    for (size_t i = 0; pk && i < pk->n; i++)
        q->argv[na++] = pk->name[i];
    q->argv[na] = NULL;
    *rc = mr_backup_tool_run(r, q, res, why, cap);
    free(q);
}

void mr_backup_drill_tar(mr_backup_run *r, const mr_backup_copy *c,
                         mr_copy_state *st, mr_drill_result *out)
{
    (void)c;
    memset(out, 0, sizeof(*out));
    int64_t start = mr_now_ms();
    char archive[MAMORI_SYSROOT_PATH_MAX], dir[MAMORI_SYSROOT_PATH_MAX] = "";
    char why[MR_BACKUP_MSG_MAX];
    tar_pick pk;
    memset(&pk, 0, sizeof(pk));
    pk.max = MR_MIN(r->opts->sample, (unsigned)TAR_SAMPLE_MAX);
    mr_spawn_res res;
    memset(&res, 0, sizeof(res));
    int rc;
    if (newest_archive(st, archive, sizeof(archive))) {
        mr_drill_failed(out, "no archive to drill in %s", c->location);
        goto done;
    }
    if (!(pk.name = calloc(pk.max ? pk.max : 1, sizeof(*pk.name)))) {
        mr_drill_failed(out, "out of memory");
        goto done;
    }
    const char *list[] = {"-tvf", archive, "--numeric-owner",
                          "--quoting-style=escape", "--full-time"};
    run_tar(r, list, MR_ARRAY_LEN(list), NULL, NULL, &res, why, sizeof(why),
            &rc);
    if (rc) {
        mr_drill_failed(out, "%s could not be read whole: %s", archive, why);
        goto done;
    }
    each_line(res.out, res.out_len, &pk, 0);
    pk.stride = pk.files > pk.max ? pk.files / pk.max : 1;
    each_line(res.out, res.out_len, &pk, 1);
    free(res.out);
    res.out = NULL;
    if (!pk.n)
        goto done;
    if (mr_drill_private_dir(dir, sizeof(dir), out))
        goto done;
    const char *extract[] = {"-xf", archive, "--no-same-owner",
                             "--no-same-permissions", "--"};
    run_tar(r, extract, MR_ARRAY_LEN(extract), &pk, dir, &res, why,
            sizeof(why), &rc);
    free(res.out);
    res.out = NULL;
    out->sampled = pk.n;
    if (rc) {
        mr_drill_failed(out, "extracting from %s: %s", archive, why);
        goto done;
    }
    for (size_t i = 0; i < pk.n; i++) {
        char got[MAMORI_SYSROOT_PATH_MAX + MR_TAR_NAME_MAX];
        char want[MAMORI_SYSROOT_PATH_MAX];
        struct stat gs;
        snprintf(got, sizeof(got), "%s/%s", dir, pk.name[i]);
        if (lstat(got, &gs) || !S_ISREG(gs.st_mode)) {
            mr_drill_failed(out, "%s was not extracted from %s", pk.name[i],
                            archive);
            continue;
        }
        if (live_of(st, pk.name[i], want, sizeof(want))) {
            out->changed++;     /* no live file it stands for */
            continue;
        }
        if (!mr_drill_check_live(r, got, want, (uint64_t)gs.st_size,
                                 gs.st_mtime, out))
            mr_drill_failed(out, "%s came back from %s with other bytes "
                            "than the live file, unchanged since",
                            pk.name[i], archive);
    }
done:
    free(res.out);
    if (dir[0])
        mr_drill_remove_tree(dir);
    free(pk.name);
    out->ms = mr_now_ms() - start;
}
