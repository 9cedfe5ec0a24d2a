/*
 * spawn.h — running restic and borg for `mamori backup`: posix_spawn of
 * an argument list (no shell), the program found in a search path (the
 * opts' tool_path or $PATH), standard input from /dev/null so a tool
 * never waits on a prompt, a deadline after which it is killed, and
 * bounded output: standard output kept up to a named maximum (over it,
 * the child is killed and the run is MAMORI_E_TOO_LARGE), one line of
 * standard error kept for the finding (its verdict where it says one).
 *
 * Secrets reach the child through its environment (the variables the
 * tools read) or an inherited descriptor, never its argv; the caller
 * says which. Nothing here prints.
 */
#ifndef MR_BACKUP_SPAWN_H
#define MR_BACKUP_SPAWN_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/mamori.h"

#define MR_SPAWN_OUT_MAX (64u * 1024 * 1024) /* stdout kept */
#define MR_SPAWN_ERR_MAX 512                 /* stderr's first line */
#define MR_SPAWN_ARGS_MAX 2100     /* a drill names up to 1,000 files */
#define MR_SPAWN_ENV_MAX 16                  /* variables added */
#define MR_SPAWN_VAR_MAX 1024                /* one "NAME=value" */

typedef struct mr_spawn_req {
    const char *tool;             /* "restic", found in path */
    const char *path;             /* colon-separated dirs; NULL: $PATH */
    const char *argv[MR_SPAWN_ARGS_MAX]; /* after the tool, NULL-ended */
    /* Variables set in the child ("NAME=value"), replacing any of the
     * same name; and names removed from the inherited environment. */
    char env[MR_SPAWN_ENV_MAX][MR_SPAWN_VAR_MAX];
    size_t nenv;
    const char *unset[MR_SPAWN_ENV_MAX];
    size_t nunset;
    int pass_fd;                  /* -1, or a descriptor given as fd 3 */
    const char *cwd;              /* the child's directory; NULL: ours */
    unsigned timeout_ms;
} mr_spawn_req;

typedef struct mr_spawn_res {
    char *out;                    /* stdout, NUL-terminated; free() */
    size_t out_len;
    /* stderr's "Fatal: ..." (restic) or "Error: ..." line if it wrote
     * one, else its first non-empty line */
    char err[MR_SPAWN_ERR_MAX];
    char line[MR_SPAWN_ERR_MAX];  /* (the line being read) */
    size_t line_len;
    int err_final;                /* err holds a Fatal/Error line */
    int status;                   /* exit status; -1: killed or signal */
    int not_found;                /* the tool is in no directory */
    int timed_out;
    int64_t ms;                   /* how long it ran */
} mr_spawn_res;

/* Adds "NAME=value" to req->env; -1 when it does not fit. */
int mr_spawn_setenv(mr_spawn_req *req, const char *name, const char *value);

/* 1 when the tool is in a directory of path (NULL: $PATH). */
int mr_spawn_found(const char *tool, const char *path);

/* Runs the tool and waits for it. MAMORI_OK once it ran (whatever its
 * exit status), MAMORI_E_IO when it could not be started (not_found
 * says why when so), MAMORI_E_TOO_LARGE over MR_SPAWN_OUT_MAX,
 * MAMORI_E_NOMEM. res->out is set (possibly empty) on MAMORI_OK only. */
mamori_err mr_spawn_run(const mr_spawn_req *req, mr_spawn_res *res);

#endif
