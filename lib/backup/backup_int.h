/*
 * backup_int.h — what the parts of `mamori backup` (backup.h) share: the
 * declaration as read (decl.c), the run (host, sink, clock) and the
 * helpers that send a finding (backup.c). Each part is one file: decl.c
 * (the INI declaration, through libinih), discover.c (jobs and
 * repositories found without one), spawn.c (running restic and borg),
 * restic.c and borg.c (their JSON), judge.c (the 3-2-1-1-0 rules).
 *
 * Every string of the declaration is copied into fixed buffers of a
 * named size: a longer value is an error of its line, never cut
 * silently.
 */
#ifndef MR_BACKUP_INT_H
#define MR_BACKUP_INT_H

#include <stddef.h>
#include <stdint.h>

#include "host/sysroot.h"
#include "mamori/backup.h"

struct mr_backup_run;

#define MR_BACKUP_CONF_MAX (256 * 1024) /* bytes of a declaration */
#define MR_BACKUP_LINE_MAX 200      /* libinih's INI_MAX_LINE as built */
#define MR_BACKUP_NAME_MAX 64       /* a [protect] or [copy] name */
#define MR_BACKUP_PATH_MAX 512      /* a path, location or command */
#define MR_BACKUP_PROTECT_MAX 32    /* [protect] sections */
#define MR_BACKUP_PATHS_MAX 16      /* paths of one [protect] */
#define MR_BACKUP_COPIES_MAX 32     /* [copy] sections */
#define MR_BACKUP_ERRORS_MAX 64     /* declaration errors kept */
#define MR_BACKUP_MSG_MAX 256       /* one error's text */
#define MR_BACKUP_RPO_MAX (3650LL * 86400) /* ten years */
#define MR_BACKUP_RETENTION_MAX 100000

typedef enum mr_backup_kind {
    MR_BACKUP_KIND_NONE = 0,
    MR_BACKUP_KIND_RESTIC,
    MR_BACKUP_KIND_BORG,
    MR_BACKUP_KIND_DIR,
    MR_BACKUP_KIND_RSYNC,
    MR_BACKUP_KIND_TAR
} mr_backup_kind;

typedef enum mr_backup_role {
    MR_BACKUP_ROLE_PRIMARY = 0,
    MR_BACKUP_ROLE_OFFSITE,
    MR_BACKUP_ROLE_OFFLINE
} mr_backup_role;

typedef struct mr_backup_protect {
    char name[MR_BACKUP_NAME_MAX];
    char paths[MR_BACKUP_PATHS_MAX][MR_BACKUP_PATH_MAX];
    size_t npaths;
    uint64_t line;              /* of its [protect NAME] */
} mr_backup_protect;

typedef struct mr_backup_copy {
    char name[MR_BACKUP_NAME_MAX];
    mr_backup_kind kind;
    mr_backup_role role;
    char location[MR_BACKUP_PATH_MAX];
    /* The [protect] sections it holds; none named: every one. */
    char protects[MR_BACKUP_PROTECT_MAX][MR_BACKUP_NAME_MAX];
    size_t nprotects;
    int64_t rpo;                /* seconds; MAMORI_BACKUP_RPO_DEFAULT */
    unsigned retention;         /* generations; 0: not declared */
    /* Where the password comes from (at most one of the three): a file
     * (RESTIC_PASSWORD_FILE; borg reads it through BORG_PASSPHRASE_FD),
     * a command (RESTIC_PASSWORD_COMMAND, BORG_PASSCOMMAND), or the name
     * of a variable of mamori's environment that holds it. */
    char password_file[MR_BACKUP_PATH_MAX];
    char password_command[MR_BACKUP_PATH_MAX];
    char password_env[MR_BACKUP_NAME_MAX];
    int append_only;            /* declared: -1 not said, 0 no, 1 yes */
    int key_elsewhere;          /* declared: a copy of the key is kept
                                   away from the machine (-1 not said) */
    uint64_t line;              /* of its [copy NAME] */
} mr_backup_copy;

typedef struct mr_backup_decl_error {
    uint64_t line;              /* 0: about the file as a whole */
    char msg[MR_BACKUP_MSG_MAX];
} mr_backup_decl_error;

/* A declaration as read: what could be read, and its errors. */
typedef struct mr_backup_decl {
    mr_backup_protect protect[MR_BACKUP_PROTECT_MAX];
    size_t nprotect;
    mr_backup_copy copy[MR_BACKUP_COPIES_MAX];
    size_t ncopy;
    mr_backup_decl_error errors[MR_BACKUP_ERRORS_MAX];
    size_t nerrors;
    uint64_t more_errors;       /* past MR_BACKUP_ERRORS_MAX */
} mr_backup_decl;

/* Parses a declaration of len bytes (not NUL-terminated, may hold NULs)
 * into *d (zeroed first). Never fails: every problem is an error of *d
 * with its line, and a section with an error in a key keeps its other
 * keys; a [copy] without kind or location, or naming a [protect] that
 * is not declared, is dropped after its error. */
void mr_backup_decl_parse(const char *data, size_t len, mr_backup_decl *d);

const char *mr_backup_kind_name(mr_backup_kind k);
const char *mr_backup_role_name(mr_backup_role r);

/* ---- discovery ----------------------------------------------------- */

#define MR_BACKUP_JOBS_MAX 64       /* jobs reported */
#define MR_BACKUP_EVIDENCE_MAX 256  /* a job's line, cut */

/* One line of a cron file or a systemd unit that runs a backup tool. */
typedef struct mr_backup_job {
    char file[MR_BACKUP_PATH_MAX];  /* system path */
    uint64_t line;
    char tool[16];                  /* restic, borg, rsync, tar... */
    char repository[MR_BACKUP_PATH_MAX]; /* "" when none is named */
    char evidence[MR_BACKUP_EVIDENCE_MAX];
    int scheduled;                  /* cron, or a unit with a timer */
    int check;                      /* it runs the tool's check */
} mr_backup_job;

typedef struct mr_backup_jobs {
    mr_backup_job job[MR_BACKUP_JOBS_MAX];
    size_t n;
    uint64_t more;
} mr_backup_jobs;

/* Looks at one line (cron or unit syntax) for a backup tool; 1 and *job
 * filled (file and line left to the caller) when it runs one. Exposed
 * for the fuzzer and the unit tests. */
int mr_backup_job_line(const char *line, size_t len, int unit,
                       mr_backup_job *job);
/* Searches sr's cron files and systemd units. Never fails: unreadable
 * files are notes through ctx. */
void mr_backup_discover(const mamori_ctx *ctx, const mamori_sysroot *sr,
                        mr_backup_jobs *out);
/* 1 when sr runs or remembers a backup job (the audit's row applies). */
int mr_backup_jobs_found(const mamori_sysroot *sr);

/* ---- a copy as read ------------------------------------------------ */

#define MR_BACKUP_COVER_MAX 64      /* protected paths followed per copy */
#define MR_BACKUP_WALK_MAX 100000   /* entries of a dir copy looked at */

/* What reading one copy found (copy.c); the judgement reads it. */
typedef struct mr_copy_state {
    int read;                   /* listed: the fields below are known */
    int unmounted;              /* a local location that is not there */
    int unverified;             /* remote, not listed: a declaration read
                                   from an image under --root, or plain
                                   files (dir, rsync, tar) on another host */
    char error[MR_BACKUP_MSG_MAX];  /* why it could not be read */
    char local[MAMORI_SYSROOT_PATH_MAX]; /* a local location, resolved */
    uint64_t snapshots;         /* snapshots, archives, tar files */
    int64_t newest, oldest;     /* INT64_MIN: none */
    /* Per path of the copy's [protect] sections (restic's own paths):
     * the newest snapshot that holds it, INT64_MIN none; for kinds that
     * do not say, newest. */
    const char *cover_path[MR_BACKUP_COVER_MAX];
    int64_t cover_newest[MR_BACKUP_COVER_MAX];
    size_t ncover;
    char encryption[32];        /* borg's mode; "repository" for restic */
    int append_only;            /* borg's config: -1 unknown */
    int chattr_i;               /* chattr +i: the location (dir), or it
                                   or every archive (tar) */
    int fs_remote;              /* a local path on NFS, SMB, FUSE... */
    uint64_t dev;               /* st_dev of a local location */
    int64_t ms;                 /* the tool's run */
    char repo[MAMORI_SYSROOT_PATH_MAX]; /* what the tools are given */
    char newest_name[MR_BACKUP_NAME_MAX * 4]; /* borg's newest archive */
    char pending_name[MR_BACKUP_NAME_MAX * 4]; /* (while reading) */
} mr_copy_state;

struct mr_spawn_req;
struct mr_spawn_res;
/* A run of the copy's tool with its password set up (copy.c): the
 * caller fills argv (and cwd), runs it with mr_backup_tool_run (0, or
 * -1 with why), and ends it with mr_backup_tool_end. NULL, st->error
 * set, when the password source is not usable. */
struct mr_spawn_req *mr_backup_tool_begin(struct mr_backup_run *r,
                                          const mr_backup_copy *c,
                                          mr_copy_state *st);
int mr_backup_tool_run(struct mr_backup_run *r, struct mr_spawn_req *q,
                       struct mr_spawn_res *res, char *why, size_t cap);
void mr_backup_tool_end(struct mr_spawn_req *q);

/* Reads copy c into *st: restic snapshots --json, borg list --json and
 * borg's config, or the files of a dir/rsync/tar location. Never fails:
 * st->read 0 and st->error say why it could not be read. */
void mr_backup_read_copy(struct mr_backup_run *r, const mr_backup_decl *d,
                         const mr_backup_copy *c, mr_copy_state *st);

/* 1 when a location names another host (restic's sftp:, rest:, s3:...;
 * ssh://, rsync:// or scp-like host:path for the others). */
int mr_backup_location_remote(mr_backup_kind kind, const char *loc);

/* The JSON readers, exposed for their fuzzers: restic's snapshot list
 * and borg's archive list, from memory, into st (its cover paths set by
 * the caller). MAMORI_E_CORRUPT / _TRUNCATED for what is not JSON. */
mamori_err mr_backup_restic_json(const char *data, size_t len,
                                 mr_copy_state *st);

/* One snapshot of restic's list (or of mamori's memo of it, memo.c). */
#define MR_RESTIC_ID_LEN 64          /* hex digits of a snapshot id */
#define MR_RESTIC_PATHS_MAX 64       /* paths kept per snapshot */
typedef struct mr_restic_snap {
    char id[MR_RESTIC_ID_LEN + 1];   /* "" when none was given */
    int64_t time;
    char paths[MR_RESTIC_PATHS_MAX][MR_BACKUP_PATH_MAX];
    size_t path_len[MR_RESTIC_PATHS_MAX];
    size_t npaths;
    int paths_cut;                   /* a path left out: never memorised */
} mr_restic_snap;
/* Calls fn for every snapshot with a time (a non-zero return stops the
 * read: MAMORI_E_FORMAT); the snapshot is borrowed for the call. */
mamori_err mr_backup_restic_each(const char *data, size_t len,
                                 int (*fn)(void *user,
                                           const mr_restic_snap *s),
                                 void *user);
/* Counts a snapshot into st (newest, oldest, the cover paths it holds);
 * _reset empties those first. */
void mr_backup_restic_add(mr_copy_state *st, const mr_restic_snap *s);
void mr_backup_restic_reset(mr_copy_state *st);

/* restic's snapshot list through mamori's memo (memo.c), for a local
 * repository when opts->state_dir is set: 0 when st was filled from the
 * memo without running restic; -1 when restic must run (the memo then
 * remembers what mr_backup_memo_save is given). */
struct mr_memo;
int mr_backup_memo_load(struct mr_backup_run *r, const mr_backup_copy *c,
                        mr_copy_state *st, struct mr_memo **m);
/* After restic ran: keeps its output's snapshots for the next run. */
void mr_backup_memo_save(struct mr_backup_run *r, struct mr_memo *m,
                         const char *json, size_t len);
void mr_backup_memo_free(struct mr_memo *m);
/* Makes opts->state_dir (and its parent), 0700; -1 after a note. */
int mr_backup_state_dir(struct mr_backup_run *r);

/* mamori's own record of its checks (record.c), per repository in
 * opts->state_dir: --verify writes the result; a run without it reads
 * when the last one ran and whether it passed (0, or -1: no record). */
#define MR_BACKUP_CHECK_AGE_MAX (31LL * 86400) /* a check counts a month */
void mr_backup_record_check(struct mr_backup_run *r, const mr_backup_copy *c,
                            const mr_copy_state *st, int passed);
int mr_backup_last_check(const struct mr_backup_run *r,
                         const mr_backup_copy *c, const mr_copy_state *st,
                         int64_t *when, int *passed);
mamori_err mr_backup_borg_json(const char *data, size_t len,
                               mr_copy_state *st);
/* borg's repository config (INI, libinih): append_only and the rest. */
void mr_backup_borg_config(const char *data, size_t len, mr_copy_state *st);

/* --verify (verify.c): the copy's check; 0 passed, -1 failed (why). */
int mr_backup_verify(struct mr_backup_run *r, const mr_backup_copy *c,
                     mr_copy_state *st, char *why, size_t cap);

/* A drill's result (drill.c). */
typedef struct mr_drill_result {
    uint64_t sampled, verified, changed, failed;
    int64_t ms;
    char why[MR_BACKUP_MSG_MAX];   /* the first failure */
} mr_drill_result;
/* --drill: restores a sample of the newest snapshot into a private
 * mkdtemp directory and compares; the directory is always removed. */
void mr_backup_drill(struct mr_backup_run *r, const mr_backup_decl *d,
                     const mr_backup_copy *c, mr_copy_state *st,
                     mr_drill_result *out);

/* --drill of plain files (drill_files.c): a dir or rsync copy's files
 * (a sample spread over them) copied into a private mkdtemp directory
 * within MR_DRILL_BYTES_MAX and compared with the live files unchanged
 * since (same size and mtime: rsync -a keeps them). */
#define MR_DRILL_BYTES_MAX (256u * 1024 * 1024)
void mr_backup_drill_files(struct mr_backup_run *r, const mr_backup_copy *c,
                           mr_copy_state *st, mr_drill_result *out);
/* --drill of a tar copy (drill_tar.c): the newest archive listed whole
 * (its compression checked), a sample of its regular files extracted by
 * tar into a private directory within MR_DRILL_BYTES_MAX and compared
 * with the live files unchanged since. */
void mr_backup_drill_tar(struct mr_backup_run *r, const mr_backup_copy *c,
                         mr_copy_state *st, mr_drill_result *out);
#define MR_TAR_NAME_MAX 1024            /* a member's name */
typedef struct mr_tar_entry {
    char name[MR_TAR_NAME_MAX];
    uint64_t size;
} mr_tar_entry;
/* One line of `tar -tvf --numeric-owner --quoting-style=escape`: 1 and
 * *e for a regular file whose name needs no unquoting, else 0. Exposed
 * for the fuzzer. */
int mr_backup_tar_line(const char *s, size_t n, mr_tar_entry *e);

/* Shared by the drills (drill.c): removes a drill's directory whatever
 * it holds; 1 same bytes, 0 different, -1 unreadable. */
void mr_drill_remove_tree(const char *dir);
int mr_drill_same_bytes(const char *a, const char *b);
/* Counts a failed file in out, its words kept if it is the first. */
void mr_drill_failed(mr_drill_result *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The drill's private directory (mkdtemp, 0700, under an absolute
 * $TMPDIR or /tmp) into dir: 0, or -1 with dir "" and the failure
 * counted in out. */
int mr_drill_private_dir(char *dir, size_t cap, mr_drill_result *out);
/* Compares got, a file brought back, with the live file at want (a path
 * of the audited root) where that still has the size and mtime given:
 * -1 gone or changed since (counted changed, nothing compared), 1
 * compared (counted verified, or changed if unreadable), 0 other bytes
 * than an unchanged live file: the caller counts the failure in its
 * own words. */
int mr_drill_check_live(struct mr_backup_run *r, const char *got,
                        const char *want, uint64_t size, int64_t mtime,
                        mr_drill_result *out);

/* The rules across copies, per protected path (rules.c): three copies,
 * two media, one off site, one offline or immutable. */
void mr_backup_rules(struct mr_backup_run *r, const mr_backup_decl *d,
                     const mr_copy_state *st);

/* ---- the run ------------------------------------------------------ */

/* One host's review: what backup.c hands every part. */
typedef struct mr_backup_run {
    const mamori_ctx *ctx;
    const mamori_backup_opts *opts;
    const mamori_sysroot *sr;
    const mamori_sink *sink;
    int64_t now;
    int stopped;                 /* the sink said stop */
    const char *conf_display;    /* the declaration as reports name it */
    uint64_t copies_read, snapshots;
    /* One row per copy checked or drilled, for the summary. */
    struct mr_backup_row *rows;
    size_t nrows;
} mr_backup_run;

typedef struct mr_backup_row {
    char copy[MR_BACKUP_NAME_MAX];
    const char *check;          /* "passed", "failed", "not run" */
    int drilled;
    mr_drill_result drill;
} mr_backup_row;

/* Judges the copies of a declaration (judge.c): each copy read, fresh
 * and deep enough, then the rules across copies. */
void mr_backup_judge(mr_backup_run *r, const mr_backup_decl *d);

/* A finding of check id about file (may be NULL), zeroed, with the
 * check's severity. */
void mr_backup_finding(mamori_finding *f, const char *id, const char *file);
/* Adds a string field when s is not NULL or "". */
void mr_backup_field(mamori_finding *f, const char *name, const char *s);
void mr_backup_send(mr_backup_run *r, mamori_finding *f);

#endif
