/*
 * sysroot.c — the root-aware reader of system files (host.h, sysroot.h).
 *
 * Without a root, a system path is opened as it is. With one, it is
 * resolved inside the root, two ways:
 *   - openat2(2) with RESOLVE_IN_ROOT (Linux 5.6): the kernel treats the
 *     root's directory as "/" for every component, absolute symlinks and
 *     ".." included; probed once at creation;
 *   - elsewhere, and for mamori_sysroot_resolve(), which must name the
 *     result: a walk one component at a time from the root's descriptor,
 *     each looked at with AT_SYMLINK_NOFOLLOW and opened with O_NOFOLLOW,
 *     each symlink read and its target walked again from the root (if
 *     absolute) or from where it sits, ".." never above the root, at most
 *     MR_SYSROOT_LINKS_MAX links.
 * Either way nothing in the image can point a read outside the root.
 * Files are opened O_NONBLOCK and must be regular: a FIFO planted in an
 * image cannot hang the audit, a device cannot feed it forever.
 */
#include "common.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/openat2.h>
#endif

#include "host/sysroot.h"

#define SR_READ_CHUNK 4096      /* first buffer when the size is unknown */
#define SR_OPENAT2_TRIES 8      /* EAGAIN: a rename raced a ".." */

struct mamori_sysroot {
    char *root;        /* as given, trailing slashes removed; NULL live */
    int rootfd;        /* O_PATH directory of root; -1 live */
    int walk;          /* resolve by the component walk (no openat2) */
};

mamori_err mamori_sysroot_new(const char *root, mamori_sysroot **out)
{
    *out = NULL;
    mamori_sysroot *sr = calloc(1, sizeof(*sr));
    if (!sr)
        return MAMORI_E_NOMEM;
    sr->rootfd = -1;
    size_t n = root ? strlen(root) : 0;
    while (n > 1 && root[n - 1] == '/')
        n--;
    if (n == 0 || (n == 1 && root[0] == '/')) {
        *out = sr;                      /* this machine */
        return MAMORI_OK;
    }
    if (n > MAMORI_SYSROOT_PATH_MAX / 2) {
        free(sr);
        return MAMORI_E_TOO_LARGE;
    }
    sr->root = malloc(n + 1);
    if (!sr->root) {
        free(sr);
        return MAMORI_E_NOMEM;
    }
    memcpy(sr->root, root, n);
    sr->root[n] = '\0';
    sr->rootfd = open(sr->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (sr->rootfd < 0) {
        int err = errno;
        free(sr->root);
        free(sr);
        errno = err;
        return MAMORI_E_IO;
    }
#if defined(__linux__) && defined(SYS_openat2)
    struct open_how how;
    memset(&how, 0, sizeof(how));
    how.flags = O_PATH | O_CLOEXEC;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    int fd = (int)syscall(SYS_openat2, sr->rootfd, ".", &how, sizeof(how));
    if (fd >= 0)
        close(fd);
    else
        sr->walk = 1;   /* ENOSYS, or a seccomp filter that refuses it */
#else
    sr->walk = 1;
#endif
    *out = sr;
    return MAMORI_OK;
}

void mamori_sysroot_free(mamori_sysroot *sr)
{
    if (!sr)
        return;
    if (sr->rootfd >= 0)
        close(sr->rootfd);
    free(sr->root);
    free(sr);
}

void mr_sysroot_force_walk(mamori_sysroot *sr, int on)
{
    sr->walk = on || !sr->root;
    if (!on && sr->root) {
        /* back to what the probe at creation found */
        mamori_sysroot *probe = NULL;
        if (mamori_sysroot_new(sr->root, &probe) == MAMORI_OK)
            sr->walk = probe->walk;
        mamori_sysroot_free(probe);
    }
}

const char *mamori_sysroot_root(const mamori_sysroot *sr)
{
    return sr->root;
}

int mamori_sysroot_is_live(const mamori_sysroot *sr)
{
    return sr->root == NULL;
}

mamori_err mamori_sysroot_display(const mamori_sysroot *sr, const char *path,
                                  char *out, size_t cap)
{
    while (sr->root && *path == '/')
        path++;
    int w = sr->root ? snprintf(out, cap, "%s/%s", sr->root, path)
                     : snprintf(out, cap, "%s%s", *path == '/' ? "" : "/",
                                path);
    if (w < 0 || (size_t)w >= cap) {
        if (cap)
            out[0] = '\0';
        return MAMORI_E_TOO_LARGE;
    }
    return MAMORI_OK;
}

/* ---- the component walk -------------------------------------------- */

/*
 * Resolves path inside sr's root and opens the result with `flags`
 * (O_PATH, or O_RDONLY with or without O_DIRECTORY). If resolved is not
 * NULL it receives the root-relative path that was really opened
 * ("/etc/real-name"), every symlink replaced by what it names. Returns
 * the descriptor, or -1 with errno.
 */
static int walk(const mamori_sysroot *sr, const char *path, int flags,
                char *resolved, size_t rcap)
{
    char pend[MAMORI_SYSROOT_PATH_MAX], tmp[MAMORI_SYSROOT_PATH_MAX];
    char res[MAMORI_SYSROOT_PATH_MAX];
    int stack[MR_SYSROOT_DEPTH_MAX + 1];
    size_t reslen[MR_SYSROOT_DEPTH_MAX + 1];
    size_t depth = 0, p = 0, rl = 0;
    unsigned links = 0;
    int fd = -1, err = 0;

    if (strlen(path) >= sizeof(pend)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(pend, path, strlen(path) + 1);
    stack[0] = sr->rootfd;
    reslen[0] = 0;
    res[0] = '\0';
    for (;;) {
        while (pend[p] == '/')
            p++;
        if (!pend[p]) {                 /* the path named a directory */
            fd = openat(stack[depth], ".", flags | O_CLOEXEC | O_NOCTTY |
                        (flags & O_PATH ? 0 : O_NONBLOCK));
            if (fd < 0)
                err = errno;
            break;
        }
        const char *comp = pend + p;
        size_t clen = strcspn(comp, "/");
        size_t rest = p + clen;
        size_t q = rest;
        while (pend[q] == '/')
            q++;
        int last = pend[q] == '\0';
        if (clen > NAME_MAX) {
            err = ENAMETOOLONG;
            break;
        }
        char name[NAME_MAX + 1];
        memcpy(name, comp, clen);
        name[clen] = '\0';
        p = rest;
        if (!strcmp(name, "."))
            continue;
        if (!strcmp(name, "..")) {      /* never above the root */
            if (depth > 0) {
                close(stack[depth]);
                depth--;
                rl = reslen[depth];
                res[rl] = '\0';
            }
            continue;
        }
        struct stat st;
        if (fstatat(stack[depth], name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            err = errno;
            break;
        }
        if (S_ISLNK(st.st_mode)) {
            if (++links > MR_SYSROOT_LINKS_MAX) {
                err = ELOOP;
                break;
            }
            char target[MAMORI_SYSROOT_PATH_MAX];
            ssize_t n = readlinkat(stack[depth], name, target,
                                   sizeof(target));
            if (n < 0 || (size_t)n >= sizeof(target)) {
                err = n < 0 ? errno : ENAMETOOLONG;
                break;
            }
            target[n] = '\0';
            int w = snprintf(tmp, sizeof(tmp), "%s/%s", target, pend + rest);
            if (w < 0 || (size_t)w >= sizeof(tmp)) {
                err = ENAMETOOLONG;
                break;
            }
            memcpy(pend, tmp, (size_t)w + 1);
            p = 0;
            if (target[0] == '/') {     /* absolute: from the root again */
                while (depth > 0)
                    close(stack[depth--]);
                rl = 0;
                res[0] = '\0';
            }
            continue;
        }
        if (rl + 1 + clen >= sizeof(res)) {
            err = ENAMETOOLONG;
            break;
        }
        if (!last) {
            if (!S_ISDIR(st.st_mode)) {
                err = ENOTDIR;
                break;
            }
            if (depth == MR_SYSROOT_DEPTH_MAX) {
                err = ENAMETOOLONG;
                break;
            }
            int d = openat(stack[depth], name,
                           O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (d < 0) {
                err = errno;
                break;
            }
            stack[++depth] = d;
            res[rl] = '/';
            memcpy(res + rl + 1, name, clen + 1);
            rl += 1 + clen;
            reslen[depth] = rl;
            continue;
        }
        /* The last component, checked not to be a link a moment ago;
         * O_NOFOLLOW makes a link swapped in since then an error. */
        fd = openat(stack[depth], name, flags | O_NOFOLLOW | O_CLOEXEC |
                    O_NOCTTY | (flags & O_PATH ? 0 : O_NONBLOCK));
        if (fd < 0) {
            err = errno;
            break;
        }
        res[rl] = '/';
        memcpy(res + rl + 1, name, clen + 1);
        rl += 1 + clen;
        break;
    }
    while (depth > 0)
        close(stack[depth--]);
    if (fd < 0) {
        errno = err ? err : EIO;
        return -1;
    }
    if (resolved) {
        if (rl + 2 > rcap) {
            close(fd);
            errno = ENAMETOOLONG;
            return -1;
        }
        if (rl == 0)
            memcpy(resolved, "/", 2);
        else
            memcpy(resolved, res, rl + 1);
    }
    return fd;
}

#define MR_SYSROOT_PROC_FD_MAX 32 /* "/proc/self/fd/" and a number */

/* Opens path under sr with flags; -1 and errno on failure. */
static int open_path(const mamori_sysroot *sr, const char *path, int flags)
{
    int extra = O_CLOEXEC | O_NOCTTY | (flags & O_PATH ? 0 : O_NONBLOCK);
    if (!sr->root) {
        char abs[MAMORI_SYSROOT_PATH_MAX];
        if (path[0] != '/') {
            int w = snprintf(abs, sizeof(abs), "/%s", path);
            if (w < 0 || (size_t)w >= sizeof(abs)) {
                errno = ENAMETOOLONG;
                return -1;
            }
            path = abs;
        }
        return open(path, flags | extra);
    }
#if defined(__linux__) && defined(SYS_openat2)
    if (!sr->walk) {
        struct open_how how;
        memset(&how, 0, sizeof(how));
        how.flags = (uint64_t)(flags | (flags & O_PATH ? O_CLOEXEC : extra));
        how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
        int fd = -1;
        for (int i = 0; i < SR_OPENAT2_TRIES; i++) {
            fd = (int)syscall(SYS_openat2, sr->rootfd, path, &how,
                              sizeof(how));
            if (fd >= 0 || errno != EAGAIN)
                break;
        }
        return fd;
    }
#endif
    return walk(sr, path, flags, NULL, 0);
}

mamori_err mamori_sysroot_resolve(const mamori_sysroot *sr, const char *path,
                                  char *out, size_t cap)
{
    if (!sr->root) {
        int fd = open_path(sr, path, O_PATH);
        if (fd < 0)
            return MAMORI_E_IO;
        close(fd);
        return mamori_sysroot_display(sr, path, out, cap);
    }
    char res[MAMORI_SYSROOT_PATH_MAX];
    int fd = walk(sr, path, O_PATH, res, sizeof(res));
    if (fd < 0)
        return MAMORI_E_IO;
    close(fd);
    return mamori_sysroot_display(sr, res, out, cap);
}

/* ---- reading -------------------------------------------------------- */

/* A file to read: resolved with O_PATH first, which opens nothing, and
 * reopened for reading only when it is a regular file — a device node
 * in an image (a watchdog arms on open, a tape rewinds on close) or a
 * FIFO is never opened. */
static int open_regular(const mamori_sysroot *sr, const char *path)
{
    int pfd = open_path(sr, path, O_PATH);
    if (pfd < 0)
        return -1;
    struct stat st;
    if (fstat(pfd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int err = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        close(pfd);
        errno = err;
        return -1;
    }
    char proc[MR_SYSROOT_PROC_FD_MAX];
    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
    int fd = open(proc, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    int err = errno;
    close(pfd);
    errno = err;
    return fd;
}

mamori_err mr_sysroot_open(const mamori_sysroot *sr, const char *path,
                           int dir, int *fd)
{
    struct stat st;
    memset(&st, 0, sizeof(st));
    *fd = dir ? open_path(sr, path, O_RDONLY | O_DIRECTORY)
              : open_regular(sr, path);
    if (*fd < 0)
        return MAMORI_E_IO;
    if (!dir && (fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        int err = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        close(*fd);
        *fd = -1;
        errno = err;
        return MAMORI_E_IO;
    }
    return MAMORI_OK;
}

mamori_err mr_sysroot_stat(const mamori_sysroot *sr, const char *path,
                           struct stat *st)
{
    int fd = open_path(sr, path, O_PATH);
    if (fd < 0)
        return MAMORI_E_IO;
    int r = fstat(fd, st);
    int err = errno;
    close(fd);
    errno = err;
    return r == 0 ? MAMORI_OK : MAMORI_E_IO;
}

int mr_sysroot_exists(const mamori_sysroot *sr, const char *path)
{
    struct stat st;
    return mr_sysroot_stat(sr, path, &st) == MAMORI_OK;
}

mamori_err mr_sysroot_read(const mamori_sysroot *sr, const char *path,
                           size_t max, char **data, size_t *len)
{
    int fd;
    struct stat st;
    *data = NULL;
    *len = 0;
    if (max == 0)
        max = MR_SYSROOT_FILE_MAX;
    if (max > SIZE_MAX / 2)
        return MAMORI_E_INVAL;
    mamori_err e = mr_sysroot_open(sr, path, 0, &fd);
    if (e)
        return e;
    /* /proc files say 0; others say their size, which may still change */
    if (fstat(fd, &st) == 0 && st.st_size > 0 && (uint64_t)st.st_size > max) {
        close(fd);
        return MAMORI_E_TOO_LARGE;
    }
    size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : SR_READ_CHUNK;
    size_t n = 0;
    char *buf = malloc(cap);
    if (!buf) {
        close(fd);
        return MAMORI_E_NOMEM;
    }
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > max) {            /* full at max: only EOF may come */
                char probe;
                ssize_t r = read(fd, &probe, 1);
                if (r < 0 && errno == EINTR)
                    continue;
                if (r != 0)
                    e = r < 0 ? MAMORI_E_IO : MAMORI_E_TOO_LARGE;
                break;
            }
            size_t ncap = cap <= max / 2 ? cap * 2 : max + 2;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                e = MAMORI_E_NOMEM;
                break;
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            e = MAMORI_E_IO;
            break;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > max) {
            e = MAMORI_E_TOO_LARGE;
            break;
        }
    }
    int err = errno;
    close(fd);
    if (e) {
        free(buf);
        errno = err;
        return e;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return MAMORI_OK;
}

mamori_err mr_sysroot_lines(const mamori_sysroot *sr, const char *path,
                            size_t max, mr_sysroot_line_fn fn, void *user)
{
    char *data;
    size_t len;
    mamori_err e = mr_sysroot_read(sr, path, max, &data, &len);
    if (e)
        return e;
    uint64_t lineno = 0;
    size_t i = 0;
    while (i < len) {
        char *s = data + i;
        char *nl = memchr(s, '\n', len - i);
        size_t n = nl ? (size_t)(nl - s) : len - i;
        s[n] = '\0';                    /* the '\n', or the final NUL */
        i += n + 1;
        if (fn(user, s, n, ++lineno)) {
            e = MAMORI_E_ABORTED;
            break;
        }
    }
    free(data);
    return e;
}
