/*
 * cli_out.c — where reports and block lists are written (-o, --emit-file):
 * never over one of the inputs (a file named, reached through a link, or
 * inside an input directory), never through a symbolic link; a regular
 * file is written to a temporary beside it and renamed into place when
 * complete, so a failed run leaves the old file; terminals, pipes and
 * devices are written directly, so their errors are seen.
 */
#include "common.h"

#include <fcntl.h>
#include <libgen.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

void cli_set_inputs(cli_opts *o, int n, char *const *paths)
{
    o->inputs = paths;
    o->ninputs = n;
}

/* 1 if path lies below the directory dir (both real paths). */
static int below(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    if (n == 1 && dir[0] == '/')
        return path[0] == '/';
    return strncmp(path, dir, n) == 0 && path[n] == '/';
}

/* 1 if the file `path` (its stat in st) is one of the inputs, named or
 * reached through a link, or a file inside an input directory, which the
 * scan reads too: writing it would wipe what is about to be read. */
static int is_input(const cli_opts *o, const char *path, const struct stat *st)
{
    struct stat in;
    char real_out[PATH_MAX], real_in[PATH_MAX];
    int have_out = path && realpath(path, real_out) != NULL;
    for (int i = 0; i < o->ninputs; i++) {
        if (strcmp(o->inputs[i], "-") == 0 || stat(o->inputs[i], &in) != 0)
            continue;
        if (in.st_dev == st->st_dev && in.st_ino == st->st_ino)
            return 1;
        if (S_ISDIR(in.st_mode) && have_out &&
            realpath(o->inputs[i], real_in) != NULL && below(real_out, real_in))
            return 1;
    }
    return 0;
}

/* Writes straight to a terminal, pipe or device (/dev/full included, so
 * its error is seen); O_NOFOLLOW, and fstat again in case the path
 * changed since it was looked at. */
static int out_open_direct(const cli_opts *o, const char *path,
                           cli_outfile *of)
{
    struct stat st;
    int fd = open(path, O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0 || S_ISREG(st.st_mode) ||
        S_ISDIR(st.st_mode) || is_input(o, NULL, &st)) {
        cli_error(o, "cannot write %s: %s", path,
                  fd < 0 ? strerror(errno) : "it changed or is an input");
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (!(of->f = fdopen(fd, "w"))) {
        cli_error(o, "cannot write %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    return 0;
}

int cli_out_open(const cli_opts *o, const char *path, cli_outfile *of)
{
    struct stat st;
    char dir[CLI_PATH_MAX];
    memset(of, 0, sizeof(*of));
    of->path = path;
    if (strcmp(path, "/dev/stdout") == 0 || strcmp(path, "/dev/stderr") == 0) {
        /* Links to our own descriptors, not to a file someone planted. */
        int fd = dup(strcmp(path, "/dev/stdout") == 0 ? STDOUT_FILENO
                                                      : STDERR_FILENO);
        if (fd < 0 || !(of->f = fdopen(fd, "w"))) {
            cli_error(o, "cannot write %s: %s", path, strerror(errno));
            if (fd >= 0)
                close(fd);
            return -1;
        }
        return 0;
    }
    int exists = lstat(path, &st) == 0;
    if (!exists && errno != ENOENT) {
        cli_error(o, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    if (exists && S_ISLNK(st.st_mode)) {
        cli_error(o, "%s is a symbolic link; not followed (name the file it "
                     "points to)", path);
        return -1;
    }
    if (exists && S_ISDIR(st.st_mode)) {
        cli_error(o, "cannot write %s: it is a directory", path);
        return -1;
    }
    if (exists && is_input(o, path, &st)) {
        cli_error(o, "%s is one of the inputs; not writing over it", path);
        return -1;
    }
    if (exists && !S_ISREG(st.st_mode))
        return out_open_direct(o, path, of);
    /* A regular file: a temporary in the same directory, renamed over
     * the target when complete, so a failed run leaves the old file. */
    size_t n = strlen(path);
    if (n + 16 >= sizeof(dir)) {
        cli_error(o, "cannot write %s: the path is too long", path);
        return -1;
    }
    memcpy(dir, path, n + 1);
    char *d = dirname(dir);
    int w = snprintf(of->tmp, sizeof(of->tmp), "%s/.mamori-out.XXXXXX", d);
    if (w < 0 || (size_t)w >= sizeof(of->tmp)) {
        cli_error(o, "cannot write %s: the path is too long", path);
        return -1;
    }
    int fd = mkostemp(of->tmp, O_CLOEXEC);
    if (fd < 0) {
        cli_error(o, "cannot write %s: %s", path, strerror(errno));
        of->tmp[0] = '\0';
        return -1;
    }
    mode_t mode;
    if (exists) {
        mode = st.st_mode & 0777;   /* never the old file's set-id bits */
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    if (fchmod(fd, mode) != 0 || !(of->f = fdopen(fd, "w"))) {
        cli_error(o, "cannot write %s: %s", path, strerror(errno));
        close(fd);
        unlink(of->tmp);
        of->tmp[0] = '\0';
        return -1;
    }
    return 0;
}

int cli_out_close(const cli_opts *o, cli_outfile *of, int ok)
{
    int ret = 0;
    if (!of->f)
        return 0;
    if (fflush(of->f) != 0 || ferror(of->f)) {
        if (ok)
            cli_error(o, "cannot write %s: %s", of->path, strerror(errno));
        ok = 0;
    }
    if (fclose(of->f) != 0 && ok) {
        cli_error(o, "cannot write %s: %s", of->path, strerror(errno));
        ok = 0;
    }
    of->f = NULL;
    if (of->tmp[0]) {
        if (ok && rename(of->tmp, of->path) != 0) {
            cli_error(o, "cannot write %s: %s", of->path, strerror(errno));
            ok = 0;
        }
        if (!ok)
            unlink(of->tmp);
        of->tmp[0] = '\0';
    }
    if (!ok)
        ret = -1;
    return ret;
}
