/*
 * backup.c — the `mamori backup` object (backup.h): per host, the
 * declaration is read (decl.c) and its errors reported with their lines;
 * without one, the backup jobs the host runs are searched (discover.c)
 * and reported as found but undeclared, or their absence as no copy at
 * all; then every declared copy is judged (judge.c). At finish, one
 * summary of what was read.
 */
#include "common.h"

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "backup/backup_int.h"
#include "check_ids.h"

struct mamori_backup {
    const mamori_ctx *ctx;
    mamori_backup_opts opts;
    char *config;                /* opts.config, copied */
    char *tool_path;             /* opts.tool_path, copied */
    char *verify_subset;         /* opts.verify_subset, copied */
    char *state_dir;             /* opts.state_dir, copied */
    mamori_err first_error;
    int hosts;
    uint64_t protected_paths, copies, copies_read, snapshots, jobs,
        decl_errors;
    mr_backup_row rows[MR_BACKUP_COPIES_MAX]; /* checks and drills */
    size_t nrows;
};

void mr_backup_finding(mamori_finding *f, const char *id, const char *file)
{
    memset(f, 0, sizeof(*f));
    f->check = mamori_check_find(id);
    f->severity = f->check ? f->check->severity : MAMORI_SEV_MEDIUM;
    f->category = strncmp(id, "backup.", 7) == 0 ? id + 7 : id;
    f->file = file;
    f->time = INT64_MIN;
}

void mr_backup_field(mamori_finding *f, const char *name, const char *s)
{
    if (s && *s)
        mamori_finding_str(f, name, s, strlen(s));
}

void mr_backup_send(mr_backup_run *r, mamori_finding *f)
{
    if (r->stopped || !r->sink->finding)
        return;
    if (r->sink->finding(r->sink->user, f))
        r->stopped = 1;
}

mamori_err mamori_backup_new(const mamori_ctx *ctx,
                             const mamori_backup_opts *opts,
                             mamori_backup **out)
{
    *out = NULL;
    mamori_backup *b = calloc(1, sizeof(*b));
    if (!b)
        return MAMORI_E_NOMEM;
    b->ctx = ctx;
    if (opts)
        b->opts = *opts;
    if ((b->opts.config && !(b->config = strdup(b->opts.config))) ||
        (b->opts.verify_subset &&
         !(b->verify_subset = strdup(b->opts.verify_subset))) ||
        (b->opts.tool_path && !(b->tool_path = strdup(b->opts.tool_path))) ||
        (b->opts.state_dir && !(b->state_dir = strdup(b->opts.state_dir)))) {
        mamori_backup_free(b);
        return MAMORI_E_NOMEM;
    }
    b->opts.config = b->config;
    b->opts.tool_path = b->tool_path;
    b->opts.verify_subset = b->verify_subset;
    b->opts.state_dir = b->state_dir;
    if (!b->opts.sample)
        b->opts.sample = MAMORI_BACKUP_SAMPLE_DEFAULT;
    if (!b->opts.timeout)
        b->opts.timeout = MAMORI_BACKUP_TIMEOUT_DEFAULT;
    *out = b;
    return MAMORI_OK;
}

/* A declaration named on the command line: a file of this machine, read
 * whole within MR_BACKUP_CONF_MAX. */
static mamori_err read_local(const char *path, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return MAMORI_E_IO;
    char *buf = malloc(MR_BACKUP_CONF_MAX + 1);
    if (!buf) {
        close(fd);
        return MAMORI_E_NOMEM;
    }
    size_t n = 0;
    for (;;) {
        ssize_t got = read(fd, buf + n, MR_BACKUP_CONF_MAX + 1 - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int saved = errno;
            free(buf);
            close(fd);
            errno = saved;
            return MAMORI_E_IO;
        }
        if (got == 0)
            break;
        n += (size_t)got;
        if (n > MR_BACKUP_CONF_MAX) {
            free(buf);
            close(fd);
            return MAMORI_E_TOO_LARGE;
        }
    }
    close(fd);
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return MAMORI_OK;
}

static void report_decl_errors(mr_backup_run *r, const mr_backup_decl *d)
{
    for (size_t i = 0; i < d->nerrors && !r->stopped; i++) {
        mamori_finding f;
        mr_backup_finding(&f, MR_CHECK_BACKUP_DECLARATION, r->conf_display);
        f.line = d->errors[i].line;
        f.evidence = d->errors[i].msg;
        f.evidence_len = strlen(d->errors[i].msg);
        if (d->more_errors && i + 1 == d->nerrors)
            mamori_finding_int(&f, "errors_left_out",
                               (int64_t)d->more_errors);
        mr_backup_send(r, &f);
    }
}

/* No declaration: what the host runs, or that it runs nothing. */
static void report_discovery(mr_backup_run *r, mamori_backup *b)
{
    mr_backup_jobs *jobs = malloc(sizeof(*jobs));
    if (!jobs) {
        mamori_diagf(r->ctx, MAMORI_DIAG_ERROR, NULL, 0,
                     "backup: out of memory searching for backup jobs");
        if (!b->first_error)
            b->first_error = MAMORI_E_NOMEM;
        return;
    }
    mr_backup_discover(r->ctx, r->sr, jobs);
    b->jobs += jobs->n;
    mamori_finding f;
    if (!jobs->n) {
        mr_backup_finding(&f, MR_CHECK_BACKUP_NO_COPY, r->conf_display);
        static const char ev[] = "no declaration, and no cron entry or "
                                 "systemd unit runs restic, borg, rsync "
                                 "or tar";
        f.evidence = ev;
        f.evidence_len = sizeof(ev) - 1;
        mr_backup_send(r, &f);
        free(jobs);
        return;
    }
    int remote = 0;
    for (size_t i = 0; i < jobs->n && !r->stopped; i++) {
        mr_backup_job *j = &jobs->job[i];
        mr_backup_kind k = !strcmp(j->tool, "restic") ? MR_BACKUP_KIND_RESTIC
                                                      : MR_BACKUP_KIND_BORG;
        remote |= j->repository[0] &&
                  mr_backup_location_remote(k, j->repository);
        char where[MAMORI_SYSROOT_PATH_MAX];
        if (mamori_sysroot_display(r->sr, j->file, where, sizeof(where)))
            snprintf(where, sizeof(where), "%s", j->file);
        mr_backup_finding(&f, MR_CHECK_BACKUP_UNDECLARED, where);
        f.line = j->line;
        f.evidence = j->evidence;
        f.evidence_len = strlen(j->evidence);
        mr_backup_field(&f, "tool", j->tool);
        mr_backup_field(&f, "repository", j->repository);
        mr_backup_field(&f, "scheduled", j->scheduled ? "yes" : "no");
        mr_backup_send(r, &f);
    }
    /* What is missing, as far as the jobs tell. */
    if (!remote && !r->stopped) {
        char ev[128];
        mr_backup_finding(&f, MR_CHECK_BACKUP_NO_OFFSITE, r->conf_display);
        snprintf(ev, sizeof(ev), "none of the %zu backup jobs found sends a "
                 "copy to another host", jobs->n);
        f.evidence = ev;
        f.evidence_len = strlen(ev);
        mr_backup_send(r, &f);
    }
    free(jobs);
}

mamori_err mamori_backup_host(mamori_backup *b, const mamori_sysroot *sr,
                              const mamori_sink *sink)
{
    mr_backup_run run;
    memset(&run, 0, sizeof(run));
    run.ctx = b->ctx;
    run.opts = &b->opts;
    run.sr = sr;
    run.sink = sink;
    run.now = b->opts.now ? b->opts.now : (int64_t)time(NULL);
    run.rows = b->rows;
    run.nrows = b->nrows;
    char display[MAMORI_SYSROOT_PATH_MAX];
    char *data = NULL;
    size_t len = 0;
    mamori_err e;
    if (b->opts.config) {
        snprintf(display, sizeof(display), "%s", b->opts.config);
        e = read_local(b->opts.config, &data, &len);
    } else {
        if (mamori_sysroot_display(sr, MAMORI_BACKUP_CONFIG, display,
                                   sizeof(display)))
            snprintf(display, sizeof(display), "%s", MAMORI_BACKUP_CONFIG);
        e = mr_sysroot_read(sr, MAMORI_BACKUP_CONFIG, MR_BACKUP_CONF_MAX,
                            &data, &len);
    }
    run.conf_display = display;
    b->hosts++;
    mamori_err ret = MAMORI_OK;
    if (e == MAMORI_E_IO && errno == ENOENT && !b->opts.config) {
        mamori_diagf(b->ctx, MAMORI_DIAG_NOTE, display, 0,
                     "no backup declaration: searching cron and systemd "
                     "for backup jobs");
        report_discovery(&run, b);
    } else if (e) {
        /* A declaration named but unreadable is an error of the run, and
         * nothing can be judged against it. */
        mamori_diagf(b->ctx, MAMORI_DIAG_ERROR, display, 0,
                     "cannot read the backup declaration: %s",
                     e == MAMORI_E_IO ? strerror(errno) : mamori_strerror(e));
        ret = e;
    } else {
        mr_backup_decl *d = malloc(sizeof(*d));
        if (!d) {
            ret = MAMORI_E_NOMEM;
        } else {
            mr_backup_decl_parse(data, len, d);
            b->decl_errors += d->nerrors + d->more_errors;
            report_decl_errors(&run, d);
            if (!run.stopped)
                mr_backup_judge(&run, d);
            for (size_t i = 0; i < d->nprotect; i++)
                b->protected_paths += d->protect[i].npaths;
            b->copies += d->ncopy;
            free(d);
        }
    }
    free(data);
    b->nrows = run.nrows;
    b->copies_read += run.copies_read;
    b->snapshots += run.snapshots;
    if (run.stopped)
        ret = MAMORI_E_ABORTED;
    if (ret && !b->first_error)
        b->first_error = ret;
    return ret;
}

mamori_err mamori_backup_finish(mamori_backup *b, const mamori_sink *sink)
{
    if (b->hosts && sink->summary) {
        mamori_summary *s = mamori_summary_new("backup");
        if (!s)
            return b->first_error ? b->first_error : MAMORI_E_NOMEM;
        mamori_summary_counter(s, "protected_paths", "protected paths declared",
                               "宣言された保護対象パス",
                               (int64_t)b->protected_paths);
        mamori_summary_counter(s, "copies", "backup copies declared",
                               "宣言されたバックアップのコピー",
                               (int64_t)b->copies);
        mamori_summary_counter(s, "copies_read", "copies read",
                               "読み取れたコピー", (int64_t)b->copies_read);
        mamori_summary_counter(s, "snapshots", "snapshots and archives seen",
                               "確認したスナップショットとアーカイブ",
                               (int64_t)b->snapshots);
        mamori_summary_counter(s, "jobs_found", "backup jobs found (no "
                               "declaration)", "見つかったバックアップジョブ"
                               "（宣言なし）", (int64_t)b->jobs);
        mamori_summary_counter(s, "declaration_errors", "declaration errors",
                               "宣言ファイルの誤り",
                               (int64_t)b->decl_errors);
        static const char *const cols[] = {"copy", "check", "sampled",
                                           "verified", "changed", "failed",
                                           "ms"};
        if (b->nrows && mamori_summary_table(
                            s, "checks", "repository checks and restore drills",
                            "リポジトリ検査と復元訓練", 7, cols) == MAMORI_OK) {
            for (size_t i = 0; i < b->nrows; i++) {
                const mr_backup_row *w = &b->rows[i];
                int64_t no = -1;   /* not drilled */
                mamori_cell cells[7] = {
                    {w->copy, 0},
                    {w->check, 0},
                    {NULL, w->drilled ? (int64_t)w->drill.sampled : no},
                    {NULL, w->drilled ? (int64_t)w->drill.verified : no},
                    {NULL, w->drilled ? (int64_t)w->drill.changed : no},
                    {NULL, w->drilled ? (int64_t)w->drill.failed : no},
                    {NULL, w->drilled ? w->drill.ms : no}};
                mamori_summary_row(s, cells);
            }
        }
        if (sink->summary(sink->user, s) && !b->first_error)
            b->first_error = MAMORI_E_ABORTED;
    }
    return b->first_error;
}

void mamori_backup_free(mamori_backup *b)
{
    if (b) {
        free(b->config);
        free(b->tool_path);
        free(b->verify_subset);
        free(b->state_dir);
    }
    free(b);
}
