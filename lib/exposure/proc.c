/*
 * proc.c — which process holds each listening socket: every
 * /proc/PID/fd/N that is a link to "socket:[INODE]" names the inode the
 * socket diagnostics gave, as ss -p and lsof do; then the process's name
 * (/proc/PID/comm), its executable (the /proc/PID/exe link) and its
 * systemd unit (the last .service, .socket or .scope in
 * /proc/PID/cgroup). /proc is opened through the sysroot and every file
 * under it relative to that descriptor; processes this user may not see
 * keep pid 0 and the listener says "-".
 */
#include "common.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include "exposure/exposure.h"
#include "host/sysroot.h"

#define XP_LINK_MAX 64       /* "socket:[18446744073709551615]" */
#define XP_CGROUP_MAX 4096   /* bytes of /proc/PID/cgroup read */
#define XP_NAME_MAX 32       /* "PID/fd" */

typedef struct by_inode {
    uint64_t inode;
    size_t index;
} by_inode;

static int cmp_inode(const void *pa, const void *pb)
{
    const by_inode *a = pa, *b = pb;
    return a->inode < b->inode ? -1 : a->inode > b->inode;
}

/* Reads at most cap - 1 bytes of dirfd/name, NUL-terminated; -1 when it
 * cannot be read. */
static ssize_t read_small(int dirfd, const char *name, char *buf, size_t cap)
{
    int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return -1;
    size_t n = 0;
    while (n + 1 < cap) {
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    return (ssize_t)n;
}

void mr_xp_unit_of_cgroup(const char *data, size_t len, char *out,
                          size_t cap)
{
    static const char *const kinds[] = {".service", ".socket", ".scope"};
    out[0] = '\0';
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        /* "0::/system.slice/redis-server.service": the last component
         * with a unit's suffix names the unit (a slice holds many) */
        const char *c = le;
        while (c > p) {
            const char *s = c;
            while (s > p && s[-1] != '/')
                s--;
            size_t k = (size_t)(c - s);
            for (size_t i = 0; i < MR_ARRAY_LEN(kinds); i++) {
                size_t kl = strlen(kinds[i]);
                if (k > kl && !memcmp(c - kl, kinds[i], kl) && k < cap) {
                    memcpy(out, s, k);
                    out[k] = '\0';
                    return;
                }
            }
            c = s > p ? s - 1 : p;
        }
        p = nl ? nl + 1 : end;
    }
}

/* A PID directory's name as a number; 0 for any other name. */
static int parse_pid(const char *s)
{
    long v = 0;
    if (!*s)
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > INT_MAX / 10)
            return 0;
        v = v * 10 + (*s - '0');
    }
    return v <= INT_MAX ? (int)v : 0;
}

/* Fills l from the process pid (a directory of /proc open as pidfd). */
static void describe(int pidfd, int pid, mr_xp_listener *l)
{
    char buf[XP_CGROUP_MAX];
    l->pid = pid;
    ssize_t n = read_small(pidfd, "comm", buf, sizeof(buf));
    if (n > 0) {
        buf[strcspn(buf, "\n")] = '\0';
        snprintf(l->process, sizeof(l->process), "%.*s",
                 (int)(sizeof(l->process) - 1), buf);
    }
    n = readlinkat(pidfd, "exe", l->exe, sizeof(l->exe) - 1);
    l->exe[n > 0 ? (size_t)n : 0] = '\0';
    n = read_small(pidfd, "cgroup", buf, sizeof(buf));
    if (n > 0)
        mr_xp_unit_of_cgroup(buf, (size_t)n, l->unit, sizeof(l->unit));
}

/* Looks at every socket descriptor of pid; marks the listeners it holds. */
static void scan_pid(int procfd, const char *pid_s, const by_inode *idx,
                     size_t nidx, mr_xp_list *list)
{
    char name[XP_NAME_MAX];
    if (strlen(pid_s) + sizeof("/fd") > sizeof(name))
        return;
    snprintf(name, sizeof(name), "%.*s/fd", (int)(sizeof(name) - 4), pid_s);
    int fdd = openat(procfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fdd < 0)
        return;
    DIR *d = fdopendir(fdd);
    if (!d) {
        close(fdd);
        return;
    }
    int pidfd = -1;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        char link[XP_LINK_MAX];
        if (de->d_name[0] == '.')
            continue;
        ssize_t n = readlinkat(fdd, de->d_name, link, sizeof(link) - 1);
        if (n < 9 || memcmp(link, "socket:[", 8) != 0)
            continue;
        link[n] = '\0';
        uint64_t inode = 0;
        for (const char *q = link + 8; *q >= '0' && *q <= '9'; q++)
            inode = inode * 10 + (uint64_t)(*q - '0');
        by_inode key = {inode, 0};
        const by_inode *hit = bsearch(&key, idx, nidx, sizeof(*idx),
                                      cmp_inode);
        if (!hit)
            continue;
        /* the first match of an inode and the ones beside it */
        while (hit > idx && hit[-1].inode == inode)
            hit--;
        for (; hit < idx + nidx && hit->inode == inode; hit++) {
            mr_xp_listener *l = &list->v[hit->index];
            if (l->pid)
                continue;       /* inherited by a child: the first wins */
            if (pidfd < 0)
                pidfd = openat(procfd, pid_s,
                               O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (pidfd >= 0)
                describe(pidfd, parse_pid(pid_s), l);
        }
    }
    if (pidfd >= 0)
        close(pidfd);
    closedir(d);
}

void mr_xp_map_processes(const mamori_sysroot *sr, mr_xp_list *list)
{
    if (!list->n)
        return;
    by_inode *idx = malloc(list->n * sizeof(*idx));
    if (!idx)
        return;
    size_t nidx = 0;
    for (size_t i = 0; i < list->n; i++)
        if (list->v[i].inode)
            idx[nidx++] = (by_inode){list->v[i].inode, i};
    qsort(idx, nidx, sizeof(*idx), cmp_inode);
    int procfd = -1;
    if (nidx && mr_sysroot_open(sr, "/proc", 1, &procfd) == MAMORI_OK) {
        int dupfd = dup(procfd);
        DIR *d = dupfd >= 0 ? fdopendir(dupfd) : NULL;
        if (!d && dupfd >= 0)
            close(dupfd);
        struct dirent *de;
        while (d && (de = readdir(d)) != NULL)
            if (parse_pid(de->d_name))
                scan_pid(procfd, de->d_name, idx, nidx, list);
        if (d)
            closedir(d);
        close(procfd);
    }
    free(idx);
}
