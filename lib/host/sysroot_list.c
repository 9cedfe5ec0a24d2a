/*
 * sysroot_list.c — directory listings and last-component globs through a
 * mamori_sysroot (sysroot.h): the directory is opened inside the root as
 * any file is, its names read, filtered with fnmatch(3) and sorted
 * bytewise, at most MR_SYSROOT_LIST_MAX of them.
 */
#include "common.h"

#include <dirent.h>
#include <fnmatch.h>
#include <unistd.h>

#include "host/sysroot.h"

static int by_bytes(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void mr_sysroot_names_free(mr_sysroot_names *l)
{
    for (size_t i = 0; l && i < l->n; i++)
        free(l->names[i]);
    if (l) {
        free(l->names);
        memset(l, 0, sizeof(*l));
    }
}

/* Appends prefix + name to out (a full path when prefix is a dir). */
static mamori_err add_name(mr_sysroot_names *out, size_t *cap,
                           const char *prefix, const char *name)
{
    if (out->n == MR_SYSROOT_LIST_MAX) {
        out->truncated = 1;
        return MAMORI_OK;
    }
    if (out->n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;   /* bounded by LIST_MAX */
        char **nn = realloc(out->names, ncap * sizeof(*nn));
        if (!nn)
            return MAMORI_E_NOMEM;
        out->names = nn;
        *cap = ncap;
    }
    size_t pl = strlen(prefix), nl = strlen(name);
    char *s = malloc(pl + nl + 1);
    if (!s)
        return MAMORI_E_NOMEM;
    memcpy(s, prefix, pl);
    memcpy(s + pl, name, nl + 1);
    out->names[out->n++] = s;
    return MAMORI_OK;
}

static mamori_err list_into(const mamori_sysroot *sr, const char *dir,
                            const char *pattern, const char *prefix,
                            mr_sysroot_names *out)
{
    int fd;
    size_t cap = 0;
    memset(out, 0, sizeof(*out));
    mamori_err e = mr_sysroot_open(sr, dir, 1, &fd);
    if (e)
        return e;
    DIR *d = fdopendir(fd);
    if (!d) {
        int err = errno;
        close(fd);
        errno = err;
        return MAMORI_E_IO;
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        const char *n = de->d_name;
        if (!strcmp(n, ".") || !strcmp(n, ".."))
            continue;
        if (pattern ? fnmatch(pattern, n, FNM_PERIOD) != 0 : n[0] == '.')
            continue;
        if ((e = add_name(out, &cap, prefix, n)) != MAMORI_OK)
            break;
    }
    closedir(d);
    if (e) {
        mr_sysroot_names_free(out);
        return e;
    }
    if (out->n)
        qsort(out->names, out->n, sizeof(out->names[0]), by_bytes);
    return MAMORI_OK;
}

mamori_err mr_sysroot_list(const mamori_sysroot *sr, const char *dir,
                           const char *pattern, mr_sysroot_names *out)
{
    return list_into(sr, dir, pattern, "", out);
}

mamori_err mr_sysroot_glob(const mamori_sysroot *sr, const char *pattern,
                           mr_sysroot_names *out)
{
    char dir[MAMORI_SYSROOT_PATH_MAX];
    memset(out, 0, sizeof(*out));
    const char *slash = strrchr(pattern, '/');
    size_t dl = slash ? (size_t)(slash - pattern) + 1 : 0;
    if (dl >= sizeof(dir))
        return MAMORI_E_TOO_LARGE;
    memcpy(dir, pattern, dl);
    dir[dl] = '\0';
    mamori_err e = list_into(sr, dl ? dir : ".", pattern + dl, dir, out);
    if (e == MAMORI_E_IO && errno == ENOENT)
        return MAMORI_OK;
    return e;
}
