/*
 * drill_files.c — `mamori backup --drill` for copies that are plain
 * files (a dir or rsync target): a restore is a copy back, so the drill
 * copies a sample of the copy's files, spread evenly over them, into a
 * private directory (mkdtemp: 0700) within MR_DRILL_BYTES_MAX, and
 * compares each with the live file it stands for where that has not
 * changed since (same size and mtime: rsync -a and cp -a keep them). A
 * live file changed or gone since is counted apart, never as a failed
 * restore; a file of the copy that cannot be read back, or comes back
 * with other bytes than an unchanged live file, is. Nothing is written
 * anywhere but the private directory, which is always removed.
 *
 * Where a copy's file stands in the live tree: for a protected path P,
 * the copy holds it as LOCATION/basename(P) (rsync -a P LOCATION),
 * LOCATION/P (rsync -R), or is P itself (rsync -a P/ LOCATION/), tried
 * in that order.
 */
#include "common.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backup/backup_int.h"
#include "util/time.h"

#define DRILL_DEPTH_MAX 32          /* levels of the copy walked */
#define DRILL_SAMPLE_MAX 1000       /* files one drill restores */
#define DRILL_COPY_BUF 65536

typedef struct fwalk {
    const char *base;               /* the copy's directory for P */
    uint64_t entries, files, stride, seen;
    char (*pick)[MAMORI_SYSROOT_PATH_MAX]; /* relative paths picked */
    size_t n, max;
} fwalk;

/* Calls back each regular file under dfd (rel: its path below base). */
static void walk(int dfd, const char *rel, int depth, fwalk *w, int picking)
{
    DIR *d = fdopendir(dfd);
    if (!d) {
        close(dfd);
        return;
    }
    struct dirent *de;
    while ((de = readdir(d)) && w->entries < MR_BACKUP_WALK_MAX) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        struct stat sb;
        if (fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW))
            continue;
        w->entries++;
        char path[MAMORI_SYSROOT_PATH_MAX];
        if (snprintf(path, sizeof(path), "%s/%s", rel, de->d_name) >=
            (int)sizeof(path))
            continue;
        if (S_ISREG(sb.st_mode)) {
            if (!picking) {
                w->files++;
            } else if (w->n < w->max && w->seen++ % w->stride == 0) {
                memcpy(w->pick[w->n++], path, sizeof(path));
            }
        } else if (S_ISDIR(sb.st_mode) && depth < DRILL_DEPTH_MAX) {
            int fd = openat(dirfd(d), de->d_name,
                            O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (fd >= 0)
                walk(fd, path, depth + 1, w, picking);
        }
    }
    closedir(d);
}

/* Copies src to dst (created 0600) within *budget bytes; 0, or -1 with
 * errno (EFBIG: over the budget). */
static int copy_file(const char *src, const char *dst, uint64_t *budget)
{
    int in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY |
                           O_NONBLOCK);
    if (in < 0)
        return -1;
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                   0600);
    char *buf = malloc(DRILL_COPY_BUF);
    int rc = -1;
    if (out < 0 || !buf)
        goto done;
    for (;;) {
        ssize_t n = read(in, buf, DRILL_COPY_BUF);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            goto done;
        if (n == 0)
            break;
        if ((uint64_t)n > *budget) {
            errno = EFBIG;
            goto done;
        }
        *budget -= (uint64_t)n;
        if (write(out, buf, (size_t)n) != n)
            goto done;
    }
    rc = 0;
done:
    {
        int saved = errno;
        free(buf);
        close(in);
        if (out >= 0)
            close(out);
        errno = saved;
    }
    return rc;
}

/* The copy's directory for protected path p, into base. */
static void copy_base(const mr_copy_state *st, const char *p, char *base,
                      size_t cap)
{
    const char *slash = strrchr(p, '/');
    const char *name = slash && slash[1] ? slash + 1 : p;
    struct stat sb;
    if (snprintf(base, cap, "%s/%s", st->local, name) < (int)cap &&
        !stat(base, &sb) && S_ISDIR(sb.st_mode))
        return;
    if (snprintf(base, cap, "%s%s", st->local, p) < (int)cap &&
        !stat(base, &sb) && S_ISDIR(sb.st_mode))
        return;
    snprintf(base, cap, "%s", st->local);
}

/* Drills the files of one protected path p within *budget. */
static void drill_path(mr_backup_run *r, mr_copy_state *st, const char *p,
                       const char *dir, size_t share, uint64_t *budget,
                       mr_drill_result *out)
{
    char base[MAMORI_SYSROOT_PATH_MAX];
    copy_base(st, p, base, sizeof(base));
    fwalk w;
    memset(&w, 0, sizeof(w));
    w.base = base;
    w.max = share;
    if (!(w.pick = calloc(share ? share : 1, sizeof(*w.pick)))) {
        mr_drill_failed(out, "out of memory");
        return;
    }
    int fd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0)
        walk(fd, "", 0, &w, 0);
    w.stride = w.files > w.max ? w.files / w.max : 1;
    w.entries = 0;
    if (w.files && (fd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0)
        walk(fd, "", 0, &w, 1);
    for (size_t i = 0; i < w.n && *budget; i++) {
        const char *rel = w.pick[i];
        char from[MAMORI_SYSROOT_PATH_MAX * 2];
        char got[MAMORI_SYSROOT_PATH_MAX + 32];
        char want[MAMORI_SYSROOT_PATH_MAX * 2];
        snprintf(from, sizeof(from), "%s%s", base, rel);
        snprintf(got, sizeof(got), "%s/%llu", dir,
                 (unsigned long long)out->sampled);
        struct stat cs;
        if (lstat(from, &cs))
            continue;           /* gone while the drill ran */
        out->sampled++;
        if (copy_file(from, got, budget)) {
            if (errno == EFBIG) {
                out->sampled--; /* the byte budget ends the drill */
                break;
            }
            mr_drill_failed(out, "%s could not be read back from the copy: "
                            "%s", from, strerror(errno));
            continue;
        }
        snprintf(want, sizeof(want), "%s%s", p, rel);
        int same = mr_drill_check_live(r, got, want, (uint64_t)cs.st_size,
                                       cs.st_mtime, out);
        if (same < 0)
            continue;           /* the copy is left to the removal */
        if (same == 0)
            mr_drill_failed(out, "%s came back with other bytes than the "
                            "live file %s, unchanged since", from, want);
        unlink(got);
    }
    free(w.pick);
}

void mr_backup_drill_files(mr_backup_run *r, const mr_backup_copy *c,
                           mr_copy_state *st, mr_drill_result *out)
{
    (void)c;
    memset(out, 0, sizeof(*out));
    int64_t start = mr_now_ms();
    char dir[MAMORI_SYSROOT_PATH_MAX];
    if (mr_drill_private_dir(dir, sizeof(dir), out)) {
        out->ms = mr_now_ms() - start;
        return;
    }
    unsigned sample = MR_MIN(r->opts->sample, (unsigned)DRILL_SAMPLE_MAX);
    uint64_t budget = MR_DRILL_BYTES_MAX;
    size_t paths = st->ncover ? st->ncover : 1;
    for (size_t i = 0; i < st->ncover && budget; i++) {
        size_t share = sample / paths + (i < sample % paths);
        if (share)
            drill_path(r, st, st->cover_path[i], dir, share, &budget, out);
    }
    mr_drill_remove_tree(dir);
    out->ms = mr_now_ms() - start;
}
