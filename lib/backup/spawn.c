/*
 * spawn.c — restic and borg run as argument lists with a deadline and
 * bounded output (spawn.h). The environment is the caller's, less the
 * names asked removed, plus the variables asked set; descriptors other
 * than 0, 1, 2 and the optional fd 3 are closed in the child because
 * every descriptor mamori opens is O_CLOEXEC.
 */
#include "common.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backup/spawn.h"
#include "util/time.h"

extern char **environ;

#define SPAWN_ENV_KEEP_MAX 4096   /* inherited variables passed on */
#define SPAWN_PROG_MAX 4096       /* the tool's full path */

int mr_spawn_setenv(mr_spawn_req *req, const char *name, const char *value)
{
    if (req->nenv >= MR_SPAWN_ENV_MAX)
        return -1;
    int n = snprintf(req->env[req->nenv], MR_SPAWN_VAR_MAX, "%s=%s", name,
                     value);
    if (n < 0 || n >= MR_SPAWN_VAR_MAX)
        return -1;
    req->nenv++;
    return 0;
}

/* The first directory of path holding an executable tool. */
static int find_tool(const char *tool, const char *path, char *out)
{
    if (strchr(tool, '/')) {
        snprintf(out, SPAWN_PROG_MAX, "%s", tool);
        return access(out, X_OK) == 0 ? 0 : -1;
    }
    if (!path)
        path = getenv("PATH");
    if (!path)
        path = "/usr/bin:/bin";
    while (*path) {
        const char *c = strchr(path, ':');
        size_t n = c ? (size_t)(c - path) : strlen(path);
        if (n > 0 && n + strlen(tool) + 2 <= SPAWN_PROG_MAX) {
            snprintf(out, SPAWN_PROG_MAX, "%.*s/%s", (int)n, path, tool);
            struct stat st;
            if (stat(out, &st) == 0 && S_ISREG(st.st_mode) &&
                access(out, X_OK) == 0)
                return 0;
        }
        path += n + (c ? 1 : 0);
    }
    return -1;
}

int mr_spawn_found(const char *tool, const char *path)
{
    char prog[SPAWN_PROG_MAX];
    return find_tool(tool, path, prog) == 0;
}

static int named(const char *var, const char *name)
{
    size_t n = strlen(name);
    return strncmp(var, name, n) == 0 && var[n] == '=';
}

/* environ less req->unset and the names req->env sets, then req->env. */
static char **build_env(const mr_spawn_req *req)
{
    size_t n = 0;
    while (environ && environ[n] && n < SPAWN_ENV_KEEP_MAX)
        n++;
    char **envp = calloc(n + req->nenv + 1, sizeof(*envp));
    if (!envp)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int drop = 0;
        for (size_t u = 0; u < req->nunset && !drop; u++)
            drop = named(environ[i], req->unset[u]);
        for (size_t e = 0; e < req->nenv && !drop; e++) {
            const char *eq = strchr(req->env[e], '=');
            size_t len = (size_t)(eq - req->env[e]);
            drop = strncmp(environ[i], req->env[e], len + 1) == 0;
        }
        if (!drop)
            envp[k++] = environ[i];
    }
    for (size_t e = 0; e < req->nenv; e++)
        envp[k++] = (char *)req->env[e];
    envp[k] = NULL;
    return envp;
}

/* One finished line of stderr: the first one kept, replaced once by a
 * line that gives the verdict ("Fatal: ...", "Error: ..."). */
static void err_line(mr_spawn_res *res)
{
    const char *l = res->line;
    size_t n = res->line_len;
    res->line_len = 0;
    if (!n || res->err_final)
        return;
    int final = !strncmp(l, "Fatal:", 6) || !strncmp(l, "Error:", 6) ||
                !strncmp(l, "Data integrity error", 20);
    if (res->err[0] && !final)
        return;
    memcpy(res->err, l, n);
    res->err[n] = '\0';
    res->err_final = final;
}

static void keep_err(mr_spawn_res *res, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)b[i];
        if (c == '\n') {
            err_line(res);
            continue;
        }
        if (c == '\r' || res->line_len + 1 >= MR_SPAWN_ERR_MAX)
            continue;
        res->line[res->line_len++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
}

mamori_err mr_spawn_run(const mr_spawn_req *req, mr_spawn_res *res)
{
    memset(res, 0, sizeof(*res));
    res->status = -1;
    char prog[SPAWN_PROG_MAX];
    if (find_tool(req->tool, req->path, prog)) {
        res->not_found = 1;
        errno = ENOENT;
        return MAMORI_E_IO;
    }
    const char *argv[MR_SPAWN_ARGS_MAX + 2];
    size_t na = 0;
    argv[na++] = req->tool;
    for (size_t i = 0; i < MR_SPAWN_ARGS_MAX && req->argv[i]; i++)
        argv[na++] = req->argv[i];
    argv[na] = NULL;
    int out[2] = {-1, -1}, err[2] = {-1, -1};
    mamori_err e = MAMORI_OK;
    char **envp = build_env(req);
    size_t cap = 64 * 1024;
    res->out = malloc(cap);
    if (!envp || !res->out) {
        free(envp);
        free(res->out);
        res->out = NULL;
        return MAMORI_E_NOMEM;
    }
    if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) {
        e = MAMORI_E_IO;
        goto fail;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err[1], 2);
    if (req->pass_fd >= 0)
        posix_spawn_file_actions_adddup2(&fa, req->pass_fd, 3);
    if (req->cwd)
        posix_spawn_file_actions_addchdir_np(&fa, req->cwd);
    pid_t pid;
    int64_t start = mr_now_ms();
    int rc = posix_spawn(&pid, prog, &fa, NULL, (char *const *)argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    close(err[1]);
    out[1] = err[1] = -1;
    if (rc != 0) {
        errno = rc;
        e = MAMORI_E_IO;
        goto fail;
    }
    int64_t deadline = start + (int64_t)req->timeout_ms;
    int open_fds = 2, killed = 0;
    while (open_fds) {
        struct pollfd p[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
        int64_t left = deadline - mr_now_ms();
        if (left <= 0) {
            res->timed_out = 1;
            break;
        }
        int pr = poll(p, 2, (int)MR_MIN(left, 1000));
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr < 0)
            break;
        char buf[16384];
        for (int i = 0; i < 2; i++) {
            if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t got = read(p[i].fd, buf, sizeof(buf));
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0) {
                close(p[i].fd);
                if (i == 0)
                    out[0] = -1;
                else
                    err[0] = -1;
                open_fds--;
                continue;
            }
            if (i == 1) {
                keep_err(res, buf, (size_t)got);
                continue;
            }
            if (res->out_len + (size_t)got > MR_SPAWN_OUT_MAX) {
                e = MAMORI_E_TOO_LARGE;
                open_fds = 0;
                break;
            }
            if (res->out_len + (size_t)got + 1 > cap) {
                size_t ncap = MR_MIN(cap * 2, (size_t)MR_SPAWN_OUT_MAX + 1);
                while (ncap < res->out_len + (size_t)got + 1)
                    ncap *= 2;
                char *nb = realloc(res->out, ncap);
                if (!nb) {
                    e = MAMORI_E_NOMEM;
                    open_fds = 0;
                    break;
                }
                res->out = nb;
                cap = ncap;
            }
            memcpy(res->out + res->out_len, buf, (size_t)got);
            res->out_len += (size_t)got;
        }
    }
    if (res->timed_out || e) {
        kill(pid, SIGKILL);
        killed = 1;
    }
    int ws = 0;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
        ;
    err_line(res);              /* a last line without its newline */
    res->ms = mr_now_ms() - start;
    res->status = !killed && WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
    if (e)
        goto fail;
    res->out[res->out_len] = '\0';
    for (int i = 0; i < 2; i++) {
        if (out[i] >= 0)
            close(out[i]);
        if (err[i] >= 0)
            close(err[i]);
    }
    free(envp);
    return MAMORI_OK;
fail:
    for (int i = 0; i < 2; i++) {
        if (out[i] >= 0)
            close(out[i]);
        if (err[i] >= 0)
            close(err[i]);
    }
    free(envp);
    free(res->out);
    res->out = NULL;
    res->out_len = 0;
    return e;
}
