/*
 * spool.c — the runs that could not be sent, kept in a directory until the
 * next push: one file per run, named "<20-digit sequence>-<uuid>.run" so
 * that the names sort in the order the runs were spooled. Files are
 * written to a temporary and renamed, so a crash leaves a whole file or
 * none. The directory is bounded in bytes: to fit a new run the oldest
 * are dropped, each named through ctx->diag. The file "sent" keeps the
 * UUID of the last run handed over (sent or spooled).
 */
#include "common.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spool.h"

#define SPOOL_PATH_MAX 4096

static int is_spool_name(const char *n)
{
    size_t l = strlen(n);
    if (l != 20 + 1 + 36 + 4 || strcmp(n + l - 4, ".run") != 0 || n[20] != '-')
        return 0;
    for (int i = 0; i < 20; i++)
        if (n[i] < '0' || n[i] > '9')
            return 0;
    return 1;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(((const mr_spool_file *)a)->name,
                  ((const mr_spool_file *)b)->name);
}

void mr_spool_files_free(mr_spool_files *l)
{
    free(l->files);
    memset(l, 0, sizeof(*l));
}

mamori_err mr_spool_scan(const char *dir, mr_spool_files *out)
{
    memset(out, 0, sizeof(*out));
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? MAMORI_OK : MAMORI_E_IO;
    int dfd = dirfd(d);
    struct dirent *de;
    mamori_err e = MAMORI_OK;
    while ((de = readdir(d))) {
        struct stat st;
        if (!is_spool_name(de->d_name) ||
            fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) ||
            !S_ISREG(st.st_mode))
            continue;
        if (out->n == MR_SPOOL_FILES_MAX)
            break;
        if (out->n == out->cap) {
            size_t cap = out->cap ? out->cap * 2 : 16;
            mr_spool_file *f = realloc(out->files, cap * sizeof(*f));
            if (!f) {
                e = MAMORI_E_NOMEM;
                break;
            }
            out->files = f;
            out->cap = cap;
        }
        mr_spool_file *f = &out->files[out->n++];
        memcpy(f->name, de->d_name, strlen(de->d_name) + 1);
        f->size = (uint64_t)st.st_size;
        out->bytes += f->size;
    }
    closedir(d);
    if (out->n)
        qsort(out->files, out->n, sizeof(*out->files), cmp_name);
    return e;
}

int mr_spool_path(const char *dir, const char *name, char *buf, size_t cap)
{
    int n = snprintf(buf, cap, "%s/%s", dir, name);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

mamori_err mr_spool_read(const char *dir, const char *name, char **data,
                         size_t *len)
{
    char path[SPOOL_PATH_MAX];
    *data = NULL;
    if (mr_spool_path(dir, name, path, sizeof(path)))
        return MAMORI_E_TOO_LARGE;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return MAMORI_E_IO;
    struct stat st;
    mamori_err e = MAMORI_E_IO;
    char *buf = NULL;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode))
        goto out;
    e = MAMORI_E_TOO_LARGE;
    if ((uint64_t)st.st_size > MR_PAYLOAD_MAX)
        goto out;
    e = MAMORI_E_NOMEM;
    size_t want = (size_t)st.st_size, got = 0;
    if (!(buf = malloc(want + 1)))
        goto out;
    e = MAMORI_E_IO;
    while (got < want) {
        ssize_t r = read(fd, buf + got, want - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    buf[got] = '\0';
    *data = buf;
    *len = got;
    buf = NULL;
    e = MAMORI_OK;
out:
    free(buf);
    close(fd);
    return e;
}

static int write_file(const char *dir, const char *name, const char *data,
                      size_t len)
{
    char tmp[SPOOL_PATH_MAX], path[SPOOL_PATH_MAX];
    if (mr_spool_path(dir, ".tmp-spool", tmp, sizeof(tmp)) ||
        mr_spool_path(dir, name, path, sizeof(path)))
        return -1;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    int ok = done == len && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path)) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

mamori_err mr_spool_add(const mamori_ctx *ctx, const char *dir, uint64_t max,
                        const mr_payload *p, unsigned *dropped)
{
    mr_spool_files l;
    mamori_err e = mr_spool_scan(dir, &l);
    if (e)
        return e;
    if (p->len > max) {
        mr_spool_files_free(&l);
        return MAMORI_E_TOO_LARGE;
    }
    uint64_t seq = 1;
    if (l.n) {
        char *end;
        seq = strtoull(l.files[l.n - 1].name, &end, 10) + 1;
    }
    for (size_t i = 0; i < l.n && l.bytes + p->len > max; i++) {
        char path[SPOOL_PATH_MAX];
        if (mr_spool_path(dir, l.files[i].name, path, sizeof(path)) ||
            unlink(path))
            continue;
        l.bytes -= l.files[i].size;
        (*dropped)++;
        mamori_diagf(ctx, MAMORI_DIAG_WARN, dir, 0,
                     "spool over %llu bytes: dropped the run %.36s (spooled "
                     "as %s), never sent",
                     (unsigned long long)max, l.files[i].name + 21,
                     l.files[i].name);
    }
    int fits = l.bytes + p->len <= max;
    mr_spool_files_free(&l);
    if (!fits)
        return MAMORI_E_TOO_LARGE;
    char name[80];
    snprintf(name, sizeof(name), "%020llu-%.36s.run", (unsigned long long)seq,
             p->uuid);
    return write_file(dir, name, p->text, p->len) ? MAMORI_E_IO : MAMORI_OK;
}

void mr_spool_set_aside(const mamori_ctx *ctx, const char *dir,
                        const char *name, const char *why)
{
    char path[SPOOL_PATH_MAX], aside[SPOOL_PATH_MAX + 16];
    if (mr_spool_path(dir, name, path, sizeof(path)))
        return;
    snprintf(aside, sizeof(aside), "%s.%s", path, why);
    if (rename(path, aside))
        unlink(path);
    mamori_diagf(ctx, MAMORI_DIAG_WARN, dir, 0,
                 "the spooled run %s was %s: kept aside as %s.%s, not sent",
                 name, why, name, why);
}

int mr_spool_marker_get(const char *dir, char uuid[MR_SPOOL_UUID_MAX])
{
    char path[SPOOL_PATH_MAX];
    uuid[0] = '\0';
    if (mr_spool_path(dir, "sent", path, sizeof(path)))
        return -1;
    FILE *f = fopen(path, "re");
    if (!f)
        return -1;
    char line[MR_SPOOL_UUID_MAX + 2];
    int ok = fgets(line, sizeof(line), f) != NULL;
    fclose(f);
    if (!ok)
        return -1;
    size_t n = strcspn(line, "\n");
    if (n >= MR_SPOOL_UUID_MAX)
        return -1;
    memcpy(uuid, line, n);
    uuid[n] = '\0';
    return 0;
}

int mr_spool_marker_set(const char *dir, const char *uuid)
{
    char line[MR_SPOOL_UUID_MAX + 2];
    int n = snprintf(line, sizeof(line), "%s\n", uuid);
    if (n < 0 || (size_t)n >= sizeof(line))
        return -1;
    return write_file(dir, "sent", line, (size_t)n);
}
