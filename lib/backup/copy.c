/*
 * copy.c — reading one declared copy (backup_int.h): restic and borg are
 * run on its location (spawn.h) with the password the declaration names
 * given the way each tool reads it, their JSON read by restic.c and
 * borg.c; borg's config is read directly; a dir or rsync target is
 * dated by the newest change (ctime: rsync -a keeps the source's mtimes,
 * not the time it copied) of its entries, a tar location by its archive
 * files. A local location is resolved through the sysroot, so --root
 * reads an image's repositories.
 */
#include "common.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "backup/backup_int.h"
#include "backup/spawn.h"

#define BORG_CONFIG_MAX (64 * 1024)   /* a borg repository's config */
#define DIR_DEPTH_MAX 32              /* levels a dir copy is walked */

/* restic's and borg's remote forms; anything else is a local path. */
int mr_backup_location_remote(mr_backup_kind kind, const char *loc)
{
    static const char *const restic_remote[] = {
        "sftp:", "rest:", "s3:", "b2:", "azure:", "gs:", "swift:", "rclone:",
        NULL};
    if (kind == MR_BACKUP_KIND_RESTIC) {
        for (size_t i = 0; restic_remote[i]; i++)
            if (!strncmp(loc, restic_remote[i], strlen(restic_remote[i])))
                return 1;
        return 0;
    }
    if (!strncmp(loc, "ssh://", 6) || !strncmp(loc, "rsync://", 8) ||
        !strncmp(loc, "sftp://", 7))
        return 1;
    /* scp-like "host:path" (borg, rsync): a colon before any slash. */
    const char *colon = strchr(loc, ':');
    const char *slash = strchr(loc, '/');
    return colon && colon != loc && (!slash || colon < slash);
}

static const char *local_path(mr_backup_kind kind, const char *loc)
{
    if (kind == MR_BACKUP_KIND_RESTIC && !strncmp(loc, "local:", 6))
        return loc + 6;
    return loc;
}

static void fail(mr_copy_state *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void fail(mr_copy_state *st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->error, sizeof(st->error), fmt, ap);
    va_end(ap);
    st->read = 0;
}

/* The password as the tool reads it; -1 (st->error set) when the
 * declaration's source is not usable. *fd gets a descriptor to pass as
 * fd 3 (borg and a password file), the caller's to close. */
static int password(mr_backup_run *r, mr_copy_state *st,
                    const mr_backup_copy *c, mr_spawn_req *q, int *fd)
{
    int restic = c->kind == MR_BACKUP_KIND_RESTIC;
    int bad = 0;
    /* A declaration read from an image under --root is the image's: its
     * password command is never run here, its password file is the
     * image's own. */
    int foreign = !mamori_sysroot_is_live(r->sr) && !r->opts->config;
    char pwfile[MAMORI_SYSROOT_PATH_MAX];
    *fd = -1;
    if (c->password_file[0]) {
        snprintf(pwfile, sizeof(pwfile), "%s", c->password_file);
        if (foreign && mamori_sysroot_resolve(r->sr, c->password_file, pwfile,
                                              sizeof(pwfile))) {
            fail(st, "password-file %s: %s", c->password_file,
                 strerror(errno));
            return -1;
        }
        if (restic) {
            bad = mr_spawn_setenv(q, "RESTIC_PASSWORD_FILE", pwfile);
        } else {
            *fd = open(pwfile, O_RDONLY | O_CLOEXEC | O_NOCTTY);
            if (*fd < 0) {
                fail(st, "password-file %s: %s", c->password_file,
                     strerror(errno));
                return -1;
            }
            bad = mr_spawn_setenv(q, "BORG_PASSPHRASE_FD", "3");
        }
    } else if (c->password_command[0] && foreign) {
        fail(st, "password-command: not run for a declaration read under "
                 "--root (name the declaration with --config to trust it)");
        return -1;
    } else if (c->password_command[0]) {
        bad = mr_spawn_setenv(q, restic ? "RESTIC_PASSWORD_COMMAND"
                                        : "BORG_PASSCOMMAND",
                              c->password_command);
    } else if (c->password_env[0]) {
        const char *v = getenv(c->password_env);
        if (!v) {
            fail(st, "password-env: %s is not set in mamori's environment",
                 c->password_env);
            return -1;
        }
        bad = mr_spawn_setenv(q, restic ? "RESTIC_PASSWORD" : "BORG_PASSPHRASE",
                              v);
    } else {
        return 0;               /* the tool's own variables, inherited */
    }
    if (bad) {
        fail(st, "the password does not fit in %d bytes", MR_SPAWN_VAR_MAX);
        return -1;
    }
    /* Only the declared source: no variable of mamori's own environment
     * competes with it. */
    static const char *const restic_vars[] = {
        "RESTIC_PASSWORD", "RESTIC_PASSWORD_FILE", "RESTIC_PASSWORD_COMMAND"};
    static const char *const borg_vars[] = {
        "BORG_PASSPHRASE", "BORG_PASSPHRASE_FD", "BORG_PASSCOMMAND"};
    for (size_t i = 0; i < 3; i++)
        q->unset[q->nunset++] = restic ? restic_vars[i] : borg_vars[i];
    return 0;
}

mr_spawn_req *mr_backup_tool_begin(mr_backup_run *r, const mr_backup_copy *c,
                                   mr_copy_state *st)
{
    mr_spawn_req *q = calloc(1, sizeof(*q));
    if (!q) {
        fail(st, "out of memory");
        return NULL;
    }
    int restic = c->kind == MR_BACKUP_KIND_RESTIC;
    q->tool = restic ? "restic" : "borg";
    q->path = r->opts->tool_path;
    q->timeout_ms = r->opts->timeout * 1000u;
    q->pass_fd = -1;
    if (!restic) {
        /* Local times become UTC; no question is asked of nobody. */
        mr_spawn_setenv(q, "TZ", "UTC");
        mr_spawn_setenv(q, "BORG_RELOCATED_REPO_ACCESS_IS_OK", "yes");
        mr_spawn_setenv(q, "BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK",
                        "yes");
    }
    int fd = -1;
    if (password(r, st, c, q, &fd)) {
        free(q);
        return NULL;
    }
    q->pass_fd = fd;
    return q;
}

void mr_backup_tool_end(mr_spawn_req *q)
{
    if (q && q->pass_fd >= 0)
        close(q->pass_fd);
    free(q);
}

int mr_backup_tool_run(mr_backup_run *r, mr_spawn_req *q, mr_spawn_res *res,
                       char *why, size_t cap)
{
    mamori_err e = mr_spawn_run(q, res);
    if (e == MAMORI_E_IO && res->not_found)
        snprintf(why, cap, "%s is not installed (not found in %s)", q->tool,
                 q->path ? q->path : "PATH");
    else if (e)
        snprintf(why, cap, "%s could not run: %s", q->tool,
                 e == MAMORI_E_IO ? strerror(errno) : mamori_strerror(e));
    else if (res->timed_out)
        snprintf(why, cap, "%s did not answer within %u s", q->tool,
                 r->opts->timeout);
    else if (res->status != 0)
        snprintf(why, cap, "%s exited with status %d: %s", q->tool,
                 res->status, res->err[0] ? res->err : "(no message)");
    else
        return 0;
    return -1;
}

static void run_tool(mr_backup_run *r, const mr_backup_copy *c,
                     mr_copy_state *st, const char *repo)
{
    struct mr_memo *memo = NULL;
    if (mr_backup_memo_load(r, c, st, &memo) == 0) {
        mr_backup_memo_free(memo);
        return;                 /* nothing new since restic last said */
    }
    mr_spawn_req *q = mr_backup_tool_begin(r, c, st);
    if (!q) {
        mr_backup_memo_free(memo);
        return;
    }
    mr_spawn_res res;
    int restic = c->kind == MR_BACKUP_KIND_RESTIC;
    if (restic) {
        const char *a[] = {"snapshots", "--json", "--no-lock", "--no-cache",
                           "-r", repo, NULL};
        memcpy(q->argv, a, sizeof(a));
    } else {
        const char *a[] = {"list", "--json", "--lock-wait", "1", repo, NULL};
        memcpy(q->argv, a, sizeof(a));
    }
    mamori_err e;
    if (mr_backup_tool_run(r, q, &res, st->error, sizeof(st->error)) == 0) {
        if ((e = restic ? mr_backup_restic_json(res.out, res.out_len, st)
                        : mr_backup_borg_json(res.out, res.out_len, st)))
            fail(st, "%s's JSON could not be read: %s", q->tool,
                 mamori_strerror(e));
        else {
            st->read = 1;
            mr_backup_memo_save(r, memo, res.out, res.out_len);
        }
    }
    st->ms = res.ms;
    free(res.out);
    mr_backup_tool_end(q);
    mr_backup_memo_free(memo);
}

/* chattr +i (FS_IOC_GETFLAGS) of name in dir dfd (AT_FDCWD: a path). */
static int immutable_at(int dfd, const char *name)
{
    int fd = openat(dfd, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return 0;
    int flags = 0;
    int ok = ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
    close(fd);
    return ok && (flags & FS_IMMUTABLE_FL);
}

/* File systems that live on another machine (statfs f_type). */
static int remote_fs(const char *path)
{
    struct statfs sf;
    if (statfs(path, &sf))
        return 0;
    switch ((unsigned long)sf.f_type) {
    case 0x6969UL:          /* NFS */
    case 0x517BUL:          /* SMB */
    case 0xFF534D42UL:      /* CIFS */
    case 0xFE534D42UL:      /* SMB2 */
    case 0x65735546UL:      /* FUSE (sshfs, rclone mount...) */
    case 0x6B414653UL:      /* AFS */
    case 0x01021997UL:      /* 9P */
        return 1;
    default:
        return 0;
    }
}

typedef struct walk {
    uint64_t entries;
    int64_t newest;
} walk;

static void walk_dir(int dfd, int depth, walk *w)
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
        struct stat st;
        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW))
            continue;
        w->entries++;
        if (st.st_ctime > w->newest)
            w->newest = st.st_ctime;
        if (S_ISDIR(st.st_mode) && depth < DIR_DEPTH_MAX) {
            int fd = openat(dirfd(d), de->d_name,
                            O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (fd >= 0)
                walk_dir(fd, depth + 1, w);
        }
    }
    closedir(d);
}

/* A dir/rsync target: one generation dated by its newest change; a tar
 * location: a directory of archives (or one archive), each a generation
 * dated by its mtime. */
static void read_files(const mr_backup_copy *c, mr_copy_state *st)
{
    struct stat sb;
    if (stat(st->local, &sb)) {
        fail(st, "%s: %s", c->location, strerror(errno));
        return;
    }
    if (c->kind == MR_BACKUP_KIND_TAR && S_ISREG(sb.st_mode)) {
        st->snapshots = 1;
        st->newest = st->oldest = sb.st_mtime;
    } else if (!S_ISDIR(sb.st_mode)) {
        fail(st, "%s is not a directory", c->location);
        return;
    } else if (c->kind == MR_BACKUP_KIND_TAR) {
        DIR *d = opendir(st->local);
        struct dirent *de;
        uint64_t locked = 0;
        while (d && (de = readdir(d))) {
            const char *n = de->d_name;
            struct stat fs;
            if (n[0] == '.' || !strstr(n, ".tar") ||
                fstatat(dirfd(d), n, &fs, 0) || !S_ISREG(fs.st_mode))
                continue;
            st->snapshots++;
            locked += (uint64_t)immutable_at(dirfd(d), n);
            if (st->newest == INT64_MIN || fs.st_mtime > st->newest)
                st->newest = fs.st_mtime;
            if (st->oldest == INT64_MIN || fs.st_mtime < st->oldest)
                st->oldest = fs.st_mtime;
        }
        if (d)
            closedir(d);
        st->chattr_i = st->snapshots && locked == st->snapshots;
    } else {
        walk w = {0, INT64_MIN};
        int fd = open(st->local, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd >= 0)
            walk_dir(fd, 0, &w);
        if (w.entries) {
            st->snapshots = 1;
            st->newest = st->oldest = w.newest;
        }
    }
    if (immutable_at(AT_FDCWD, st->local))
        st->chattr_i = 1;
    for (size_t i = 0; i < st->ncover; i++)
        st->cover_newest[i] = st->newest;
    st->read = 1;
}

void mr_backup_read_copy(mr_backup_run *r, const mr_backup_decl *d,
                         const mr_backup_copy *c, mr_copy_state *st)
{
    memset(st, 0, sizeof(*st));
    st->newest = st->oldest = INT64_MIN;
    st->append_only = -1;
    /* The paths it protects, for restic's per-path newest. */
    for (size_t i = 0; i < d->nprotect; i++) {
        int mine = c->nprotects == 0;
        for (size_t k = 0; k < c->nprotects && !mine; k++)
            mine = !strcmp(c->protects[k], d->protect[i].name);
        for (size_t k = 0; mine && k < d->protect[i].npaths &&
                           st->ncover < MR_BACKUP_COVER_MAX; k++) {
            st->cover_path[st->ncover] = d->protect[i].paths[k];
            st->cover_newest[st->ncover++] = INT64_MIN;
        }
    }
    int remote = mr_backup_location_remote(c->kind, c->location);
    const char *repo = c->location;
    if (!remote) {
        const char *lp = local_path(c->kind, c->location);
        if (mamori_sysroot_resolve(r->sr, lp, st->local, sizeof(st->local))) {
            st->unmounted = errno == ENOENT;
            fail(st, "%s: %s", lp, strerror(errno));
            return;
        }
        repo = st->local;
        struct stat sb;
        if (stat(st->local, &sb) == 0)
            st->dev = (uint64_t)sb.st_dev;
        st->fs_remote = remote_fs(st->local);
    } else if (!mamori_sysroot_is_live(r->sr) && !r->opts->config) {
        /* Another host is a live probe: an image's declaration is judged
         * as it declares, its servers left alone. */
        st->unverified = 1;
        fail(st, "on another host: not contacted under --root");
        return;
    } else if (c->kind != MR_BACKUP_KIND_RESTIC &&
               c->kind != MR_BACKUP_KIND_BORG) {
        /* Plain files on another host: nothing here can list them. */
        st->unverified = 1;
        fail(st, "a %s copy on another host cannot be listed from here",
             mr_backup_kind_name(c->kind));
        return;
    }
    if (c->kind == MR_BACKUP_KIND_BORG && !remote) {
        char cfg[MAMORI_SYSROOT_PATH_MAX + 8];
        snprintf(cfg, sizeof(cfg), "%s/config", st->local);
        int fd = open(cfg, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd >= 0) {
            char *buf = malloc(BORG_CONFIG_MAX);
            ssize_t n = buf ? read(fd, buf, BORG_CONFIG_MAX) : -1;
            if (n > 0)
                mr_backup_borg_config(buf, (size_t)n, st);
            free(buf);
            close(fd);
        }
    }
    snprintf(st->repo, sizeof(st->repo), "%s", repo);
    if (c->kind == MR_BACKUP_KIND_RESTIC || c->kind == MR_BACKUP_KIND_BORG)
        run_tool(r, c, st, repo);
    else
        read_files(c, st);
    if (c->kind == MR_BACKUP_KIND_RESTIC && st->read)
        snprintf(st->encryption, sizeof(st->encryption), "repository");
}
