/*
 * walk.c — see walk.h. A directory is read with scandir (alphasort, so
 * the order and therefore the findings are the same on every run), each
 * entry is looked at with lstat first so that links are seen as links,
 * and the rules of walk.h decide what is read. The directories entered
 * are kept in a bounded table keyed by device and inode: a second visit
 * (two followed links to one place, a bind mount inside itself) is
 * refused, which is what ends a loop; the depth bound is the backstop
 * should the table ever be full.
 */
#include "common.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/walk.h"
#include "util/table.h"

typedef struct walk {
    const mr_walk_opts *o;
    unsigned depth_max;
    char root[MR_WALK_PATH_MAX];   /* real path of the given directory */
    size_t rootlen;                /* 0: unknown, no link counts as inside */
    mr_table *dirs;                /* (device, inode) of directories entered */
    mamori_err ret;                /* first error */
    int stop;                      /* the callback aborted */
} walk;

typedef struct dir_key {
    uint64_t dev, ino;
} dir_key;

static void keep_err(walk *w, mamori_err e)
{
    if (e == MAMORI_E_ABORTED)
        w->stop = 1;
    if (e && !w->ret)
        w->ret = e;
}

static void unreadable(walk *w)
{
    if (w->o->unreadable)
        (*w->o->unreadable)++;
}

/* Opens a file met in a directory as the one that was looked at: a name
 * can be renamed over between lstat and open (a FIFO would block the
 * scan, a link would lead out of the tree). So: no blocking, no link
 * unless the entry was one, and the same regular file (device, inode)
 * as `expect`, or -1 with errno EAGAIN after a note. */
static int open_checked(walk *w, const char *path, const struct stat *expect,
                        int via_link)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK |
                            (via_link ? 0 : O_NOFOLLOW));
    struct stat st;
    if (fd < 0) {
        if (errno != ELOOP)
            return -1;
        /* a link now where a file was: changed under the walk */
    } else if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
               st.st_dev == expect->st_dev && st.st_ino == expect->st_ino) {
        int fl = fcntl(fd, F_GETFL);
        if (fl >= 0 && fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == 0)
            return fd;
        close(fd);
        return -1;
    } else {
        close(fd);
    }
    mamori_diagf(w->o->ctx, MAMORI_DIAG_NOTE, path, 0,
                 "changed while the directory was walked: skipped");
    errno = EAGAIN;
    return -1;
}

/* expect: the stat of a file met in a directory (opened as checked), or
 * NULL for a path the caller named (a FIFO or /dev/stdin is fine then). */
static void read_file(walk *w, const char *path, int64_t mtime, int in_dir,
                      const struct stat *expect, int via_link)
{
    mr_source *src;
    mamori_err e;
    if (expect) {
        int fd = open_checked(w, path, expect, via_link);
        if (fd < 0 && errno == EAGAIN)
            return;
        e = fd < 0 ? MAMORI_E_IO : mr_source_open_fd(fd, &src);
    } else {
        e = mr_source_open(path, &src);
    }
    if (e) {
        mamori_diagf(w->o->ctx, MAMORI_DIAG_ERROR, path, 0, "cannot open: %s",
                     e == MAMORI_E_IO ? strerror(errno) : mamori_strerror(e));
        unreadable(w);
        keep_err(w, e);
        return;
    }
    mr_walk_file f = {.path = path, .src = src, .mtime = mtime, .in_dir = in_dir};
    e = w->o->fn(w->o->user, &f);
    mr_source_close(src);
    keep_err(w, e);
}

/* Remembers a directory: 1 the first time, 0 when it was entered
 * before, -1 when memory ran out. */
static int first_visit(walk *w, const struct stat *st)
{
    dir_key k;
    int created = 0;
    memset(&k, 0, sizeof(k));
    k.dev = (uint64_t)st->st_dev;
    k.ino = (uint64_t)st->st_ino;
    if (!w->dirs && !(w->dirs = mr_table_new(MR_WALK_DIRS_MAX, 1, NULL))) {
        keep_err(w, MAMORI_E_NOMEM);
        return -1;
    }
    if (!mr_table_upsert(w->dirs, &k, sizeof(k), &created)) {
        keep_err(w, MAMORI_E_NOMEM);
        return -1;
    }
    return created;
}

static int inside_tree(const walk *w, const char *real)
{
    if (w->rootlen == 0)
        return 0;
    if (w->rootlen == 1 && w->root[0] == '/')
        return 1;
    return strncmp(real, w->root, w->rootlen) == 0 &&
           (real[w->rootlen] == '/' || real[w->rootlen] == '\0');
}

/* Does the walk reach `real` (inside the tree) under its own name? Not
 * when a part of it is a dotfile or it lies past the depth bound. */
static int reached_by_name(const walk *w, const char *real, int is_dir)
{
    const char *p = real + w->rootlen;
    unsigned parts = 0;
    while (*p) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        if (*p == '.')
            return 0;
        parts++;
        while (*p && *p != '/')
            p++;
    }
    return is_dir ? parts <= w->depth_max : parts <= w->depth_max + 1;
}

static void walk_dir(walk *w, const char *dir, const struct stat *dst, unsigned depth);

/* A link found in a directory: *st is filled with what it leads to and 1
 * returned when the walk should go on with it; otherwise a note says why
 * not. */
static int take_link(walk *w, const char *path, struct stat *st)
{
    const mamori_ctx *ctx = w->o->ctx;
    char real[PATH_MAX];
    if (stat(path, st) != 0) {
        if (errno == ELOOP)
            mamori_diagf(ctx, MAMORI_DIAG_NOTE, path, 0, "link loop: skipped");
        else if (errno == ENOENT)
            mamori_diagf(ctx, MAMORI_DIAG_NOTE, path, 0, "dangling link: skipped");
        else
            mamori_diagf(ctx, MAMORI_DIAG_NOTE, path, 0, "cannot follow link: %s: skipped",
                         strerror(errno));
        return 0;
    }
    if (!S_ISDIR(st->st_mode) && !S_ISREG(st->st_mode))
        return 0;
    if (!realpath(path, real)) {
        mamori_diagf(ctx, MAMORI_DIAG_NOTE, path, 0, "cannot follow link: %s: skipped",
                     strerror(errno));
        return 0;
    }
    if (inside_tree(w, real)) {
        if (!reached_by_name(w, real, S_ISDIR(st->st_mode)))
            return 1; /* a dotfile or too deep: this link is the way in */
        mamori_diagf(ctx, MAMORI_DIAG_NOTE, path, 0,
                     "link to %s inside the tree: skipped (read under its own name)", real);
        return 0;
    }
    if (S_ISDIR(st->st_mode) && !w->o->follow) {
        mamori_diagf(ctx, MAMORI_DIAG_NOTE, path, 0,
                     "link to the directory %s outside the tree: not followed", real);
        return 0;
    }
    return 1;
}

static void walk_entry(walk *w, const char *dir, const char *base, unsigned depth)
{
    char path[MR_WALK_PATH_MAX];
    struct stat st;
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, base) >= sizeof(path)) {
        mamori_diagf(w->o->ctx, MAMORI_DIAG_WARN, dir, 0, "path too long: skipped %s", base);
        return;
    }
    if (lstat(path, &st) != 0)
        return; /* rotated away since the directory was read */
    int via_link = S_ISLNK(st.st_mode);
    if (via_link && !take_link(w, path, &st))
        return;
    if (S_ISDIR(st.st_mode)) {
        if (depth >= w->depth_max)
            mamori_diagf(w->o->ctx, MAMORI_DIAG_NOTE, path, 0,
                         "more than %u directories deep: not entered", w->depth_max);
        else
            walk_dir(w, path, &st, depth + 1);
    } else if (S_ISREG(st.st_mode)) {
        read_file(w, path, (int64_t)st.st_mtime, 1, &st, via_link);
    }
}

static void walk_dir(walk *w, const char *dir, const struct stat *dst, unsigned depth)
{
    struct dirent **names;
    int first = first_visit(w, dst);
    if (first <= 0) {
        if (first == 0)
            mamori_diagf(w->o->ctx, MAMORI_DIAG_NOTE, dir, 0,
                         "directory already walked (a loop through links or mounts): skipped");
        return;
    }
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0) {
        mamori_diagf(w->o->ctx, MAMORI_DIAG_ERROR, dir, 0, "cannot read directory: %s",
                     strerror(errno));
        unreadable(w);
        keep_err(w, MAMORI_E_IO);
        return;
    }
    for (int i = 0; i < n; i++) {
        if (!w->stop && names[i]->d_name[0] != '.')
            walk_entry(w, dir, names[i]->d_name, depth);
        free(names[i]);
    }
    free(names);
}

mamori_err mr_walk_path(const mr_walk_opts *o, const char *path)
{
    walk w;
    struct stat st;
    memset(&w, 0, sizeof(w));
    w.o = o;
    w.depth_max = o->depth_max ? o->depth_max : MR_WALK_DEPTH_DEFAULT;
    if (strcmp(path, "-") == 0) {
        read_file(&w, path, 0, 0, NULL, 0);
    } else if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        char real[PATH_MAX];
        if (realpath(path, real) && strlen(real) < sizeof(w.root)) {
            w.rootlen = strlen(real);
            memcpy(w.root, real, w.rootlen + 1);
        }
        walk_dir(&w, path, &st, 0);
    } else {
        /* a file, or what cannot be opened: the open says why */
        read_file(&w, path, stat(path, &st) == 0 ? (int64_t)st.st_mtime : 0, 0,
                  NULL, 0);
    }
    mr_table_free(w.dirs);
    return w.ret;
}

mamori_err mr_walk_entry(const mr_walk_opts *o, const char *path)
{
    walk w;
    struct stat st;
    memset(&w, 0, sizeof(w));
    w.o = o;
    /* a file the caller found in a tree of its own: opened as checked,
     * never a FIFO, a device or a link put there since */
    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        mamori_diagf(o->ctx, MAMORI_DIAG_NOTE, path, 0,
                     "not a regular file: skipped");
        return MAMORI_OK;
    }
    read_file(&w, path, (int64_t)st.st_mtime, 1, &st, 0);
    return w.ret;
}
