/*
 * judge.c — the 3-2-1-1-0 rules over the copies of a declaration
 * (backup.h). Each copy is read (copy.c), then judged alone: readable
 * (copy-unreadable), its newest snapshot within its RPO and, for restic,
 * every protected path in one (stale), as many generations as declared
 * (retention), checked (--verify runs the check; without it, a job must)
 * and restorable (--drill), encrypted where it leaves the machine with
 * its key kept elsewhere too. Then the copies together, per protected path
 * (rules.c), and at least one usable copy (no-copy).
 */
#include "common.h"

#include "backup/backup_int.h"
#include "check_ids.h"
#include "util/pool.h"

/* Copies read at once: each is a restic or borg process of its own,
 * waiting on its disk or its server as much as on a core. */
#define MR_BACKUP_READERS 4

typedef struct read_job {
    mr_backup_run *r;
    const mr_backup_decl *d;
    const mr_backup_copy *c;
    mr_copy_state *st;
} read_job;

static mamori_err read_one(void *job, unsigned worker, void *user)
{
    (void)worker;
    (void)user;
    read_job *j = job;
    mr_backup_read_copy(j->r, j->d, j->c, j->st);
    return MAMORI_OK;
}

/* Reads every copy, MR_BACKUP_READERS at a time (the pool: the caller
 * helps; without threads it reads them all itself). */
static void read_all(mr_backup_run *r, const mr_backup_decl *d,
                     mr_copy_state *st)
{
    read_job jobs[MR_BACKUP_COPIES_MAX];
    mr_pool *pool = NULL;
    mr_pool_opts po = {
        .workers = d->ncopy > 1 ? MR_MIN((unsigned)d->ncopy - 1,
                                         MR_BACKUP_READERS - 1) : 0,
        .inflight = MR_BACKUP_COPIES_MAX,
        .caller_helps = 1,
        .run = read_one,
    };
    for (size_t i = 0; i < d->ncopy; i++)
        jobs[i] = (read_job){r, d, &d->copy[i], &st[i]};
    if (d->ncopy > 1 && mr_pool_new(&po, &pool) == MAMORI_OK) {
        for (size_t i = 0; i < d->ncopy; i++)
            mr_pool_submit(pool, &jobs[i]);
        mamori_err status;
        while (mr_pool_next(pool, &status))
            ;
        mr_pool_free(pool);
        return;
    }
    for (size_t i = 0; i < d->ncopy; i++)
        read_one(&jobs[i], 0, NULL);
}

static void date(int64_t t, char *out, size_t cap)
{
    /* civil_from_days (Howard Hinnant's algorithm): no gmtime. */
    int64_t z = (t >= 0 ? t : t - 86399) / 86400 + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    int64_t s = ((t % 86400) + 86400) % 86400;
    snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)(y % 10000),
             (int)m, (int)d, (int)(s / 3600), (int)(s / 60 % 60),
             (int)(s % 60));
}

static void copy_finding(mr_backup_run *r, mamori_finding *f, const char *id,
                         const mr_backup_copy *c)
{
    mr_backup_finding(f, id, r->conf_display);
    f->line = c->line;
    mr_backup_field(f, "copy", c->name);
    mr_backup_field(f, "kind", mr_backup_kind_name(c->kind));
    mr_backup_field(f, "location", c->location);
    mr_backup_field(f, "role", mr_backup_role_name(c->role));
}

static void evidence(mamori_finding *f, char *buf)
{
    f->evidence = buf;
    f->evidence_len = strlen(buf);
}

static void judge_fresh(mr_backup_run *r, const mr_backup_copy *c,
                        const mr_copy_state *st)
{
    mamori_finding f;
    char ev[MR_BACKUP_MSG_MAX + MR_BACKUP_PATH_MAX], when[32];
    if (st->newest == INT64_MIN) {
        copy_finding(r, &f, MR_CHECK_BACKUP_STALE, c);
        snprintf(ev, sizeof(ev), "no snapshot in %s", c->location);
        evidence(&f, ev);
        mamori_finding_int(&f, "rpo_hours", c->rpo / 3600);
        mr_backup_send(r, &f);
        return;
    }
    int64_t age = r->now - st->newest;
    if (age > c->rpo) {
        copy_finding(r, &f, MR_CHECK_BACKUP_STALE, c);
        date(st->newest, when, sizeof(when));
        snprintf(ev, sizeof(ev), "newest snapshot %s, %lld h old; RPO %lld h",
                 when, (long long)(age / 3600), (long long)(c->rpo / 3600));
        evidence(&f, ev);
        mamori_finding_str(&f, "newest", when, strlen(when));
        mamori_finding_int(&f, "age_hours", age / 3600);
        mamori_finding_int(&f, "rpo_hours", c->rpo / 3600);
        mr_backup_send(r, &f);
    }
    for (size_t i = 0; i < st->ncover && !r->stopped; i++) {
        if (st->cover_newest[i] != INT64_MIN)
            continue;
        copy_finding(r, &f, MR_CHECK_BACKUP_STALE, c);
        snprintf(ev, sizeof(ev), "no snapshot of %s holds %s", c->location,
                 st->cover_path[i]);
        evidence(&f, ev);
        mr_backup_field(&f, "path", st->cover_path[i]);
        mr_backup_send(r, &f);
    }
    if (c->retention && st->snapshots < c->retention && !r->stopped) {
        copy_finding(r, &f, MR_CHECK_BACKUP_RETENTION, c);
        char oldest[32];
        date(st->oldest, oldest, sizeof(oldest));
        snprintf(ev, sizeof(ev), "%llu generations kept, %u declared; the "
                 "oldest from %s", (unsigned long long)st->snapshots,
                 c->retention, oldest);
        evidence(&f, ev);
        mamori_finding_int(&f, "generations", (int64_t)st->snapshots);
        mamori_finding_int(&f, "retention", c->retention);
        mr_backup_send(r, &f);
    }
}

/* Encrypted where it leaves the machine, and its key or password kept
 * somewhere else than beside the data: restic always encrypts; borg
 * says its mode (none and authenticated* do not encrypt); plain files
 * never are. */
static void judge_crypto(mr_backup_run *r, const mr_backup_copy *c,
                         const mr_copy_state *st)
{
    mamori_finding f;
    char ev[MR_BACKUP_MSG_MAX + MR_BACKUP_PATH_MAX];
    int remote = mr_backup_location_remote(c->kind, c->location) ||
                 st->fs_remote;
    int offsite = remote || c->role == MR_BACKUP_ROLE_OFFSITE;
    int encrypted = 1;
    if (c->kind == MR_BACKUP_KIND_BORG)
        encrypted = st->encryption[0] && strcmp(st->encryption, "none") &&
                    strncmp(st->encryption, "authenticated", 13);
    else if (c->kind != MR_BACKUP_KIND_RESTIC)
        encrypted = 0;
    if (offsite && !encrypted) {
        copy_finding(r, &f, MR_CHECK_BACKUP_UNENCRYPTED_OFFSITE, c);
        if (c->kind == MR_BACKUP_KIND_BORG)
            snprintf(ev, sizeof(ev), "borg repository with encryption mode "
                     "%s, kept off site", st->encryption[0] ? st->encryption
                                                            : "unknown");
        else
            snprintf(ev, sizeof(ev), "a %s copy is plain files, kept off "
                     "site", mr_backup_kind_name(c->kind));
        evidence(&f, ev);
        mr_backup_send(r, &f);
    }
    if (!encrypted || c->key_elsewhere == 1 || r->stopped)
        return;
    /* Where the secret is: this machine, next to what it protects. */
    const char *where = c->password_file[0]      ? c->password_file
                        : c->password_command[0] ? "a command on this machine"
                        : c->password_env[0]     ? "mamori's environment"
                                                 : "the tool's environment";
    copy_finding(r, &f, MR_CHECK_BACKUP_KEY_BESIDE_DATA, c);
    if (c->kind == MR_BACKUP_KIND_BORG && !strncmp(st->encryption, "keyfile",
                                                   7))
        snprintf(ev, sizeof(ev), "the key is a file on this machine "
                 "(keyfile mode) and the passphrase comes from %s; no copy "
                 "is declared kept elsewhere (key-elsewhere = yes)", where);
    else if (c->kind == MR_BACKUP_KIND_BORG)
        snprintf(ev, sizeof(ev), "the key is inside the repository (%s "
                 "mode) and the passphrase comes from %s; no copy is "
                 "declared kept elsewhere (key-elsewhere = yes)",
                 st->encryption, where);
    else
        snprintf(ev, sizeof(ev), "the password comes from %s; no copy is "
                 "declared kept elsewhere (key-elsewhere = yes)", where);
    evidence(&f, ev);
    mr_backup_send(r, &f);
}

/* 1 when a job of cron or systemd runs the copy's check. */
static int checked_by_job(const mr_backup_jobs *jobs, const mr_backup_copy *c)
{
    const char *tool = c->kind == MR_BACKUP_KIND_RESTIC ? "restic" : "borg";
    for (size_t i = 0; jobs && i < jobs->n; i++) {
        const mr_backup_job *j = &jobs->job[i];
        if (j->check && !strcmp(j->tool, tool) &&
            (!j->repository[0] || strstr(c->location, j->repository) ||
             strstr(j->repository, c->location)))
            return 1;
    }
    return 0;
}

static mr_backup_row *row(mr_backup_run *r, const mr_backup_copy *c)
{
    for (size_t i = 0; i < r->nrows; i++)
        if (!strcmp(r->rows[i].copy, c->name))
            return &r->rows[i];
    if (!r->rows || r->nrows >= MR_BACKUP_COPIES_MAX)
        return NULL;
    mr_backup_row *w = &r->rows[r->nrows++];
    memset(w, 0, sizeof(*w));
    snprintf(w->copy, sizeof(w->copy), "%s", c->name);
    w->check = "not run";
    return w;
}

static void report_drill(mr_backup_run *r, const mr_backup_copy *c,
                         mr_backup_row *w, const mr_drill_result *res0);

/* No job runs the copy's check: mamori's own record of its last check
 * (--verify) is the evidence. Passed within MR_BACKUP_CHECK_AGE_MAX:
 * nothing to say; failed and none passed since: check-failed; else
 * never-checked, saying what was looked at. */
static void judge_unchecked(mr_backup_run *r, const mr_backup_copy *c,
                            const mr_copy_state *st)
{
    mamori_finding f;
    char why[MR_BACKUP_MSG_MAX + MR_BACKUP_PATH_MAX], when[32];
    int64_t t = 0;
    int passed = 0;
    int have = mr_backup_last_check(r, c, st, &t, &passed) == 0;
    const char *tool = mr_backup_kind_name(c->kind);
    if (have && passed && r->now - t <= MR_BACKUP_CHECK_AGE_MAX)
        return;
    if (have)
        date(t, when, sizeof(when));
    if (have && !passed) {
        copy_finding(r, &f, MR_CHECK_BACKUP_CHECK_FAILED, c);
        snprintf(why, sizeof(why), "mamori's last check of %s (%s check, "
                 "--verify) on %s failed, and none has passed since",
                 c->location, tool, when);
    } else {
        copy_finding(r, &f, MR_CHECK_BACKUP_NEVER_CHECKED, c);
        if (have)
            snprintf(why, sizeof(why), "no cron entry or systemd unit runs "
                     "%s check on %s, and mamori's last check of it "
                     "(--verify) passed on %s, %lld days ago (one counts "
                     "%lld days)", tool, c->location, when,
                     (long long)((r->now - t) / 86400),
                     (long long)(MR_BACKUP_CHECK_AGE_MAX / 86400));
        else
            snprintf(why, sizeof(why), "no cron entry or systemd unit runs "
                     "%s check on %s, and mamori has no record of checking "
                     "it (--verify)", tool, c->location);
    }
    evidence(&f, why);
    if (have) {
        mamori_finding_str(&f, "last_check", when, strlen(when));
        mr_backup_field(&f, "last_check_result", passed ? "passed"
                                                        : "failed");
    }
    mr_backup_send(r, &f);
}

/* Zero errors: the check (--verify, or a job that runs it) and the
 * drill (--drill). */
static void judge_zero(mr_backup_run *r, const mr_backup_decl *d,
                       const mr_backup_copy *c, mr_copy_state *st,
                       const mr_backup_jobs *jobs)
{
    mamori_finding f;
    char why[MR_BACKUP_MSG_MAX + MR_BACKUP_PATH_MAX];
    mr_backup_row *w = r->opts->verify || r->opts->drill ? row(r, c) : NULL;
    if (r->opts->verify) {
        int rc = mr_backup_verify(r, c, st, why, sizeof(why));
        if (w)
            w->check = rc ? "failed" : "passed";
        mr_backup_record_check(r, c, st, rc == 0);
        if (rc) {
            copy_finding(r, &f, MR_CHECK_BACKUP_CHECK_FAILED, c);
            evidence(&f, why);
            mr_backup_send(r, &f);
        }
    } else if (!checked_by_job(jobs, c)) {
        judge_unchecked(r, c, st);
    }
    if (!r->opts->drill || r->stopped)
        return;
    mr_drill_result res;
    mr_backup_drill(r, d, c, st, &res);
    report_drill(r, c, w, &res);
}

/* A dir, rsync or tar copy: the drill only (no tool to check it). */
static void judge_drill_files(mr_backup_run *r, const mr_backup_copy *c,
                              mr_copy_state *st)
{
    mr_drill_result res;
    if (c->kind == MR_BACKUP_KIND_TAR)
        mr_backup_drill_tar(r, c, st, &res);
    else
        mr_backup_drill_files(r, c, st, &res);
    report_drill(r, c, row(r, c), &res);
}

static void report_drill(mr_backup_run *r, const mr_backup_copy *c,
                         mr_backup_row *w, const mr_drill_result *res0)
{
    mamori_finding f;
    mr_drill_result res = *res0;
    if (w) {
        w->drilled = 1;
        w->drill = res;
    }
    if (res.failed) {
        copy_finding(r, &f, MR_CHECK_BACKUP_RESTORE_FAILED, c);
        evidence(&f, res.why);
        mamori_finding_int(&f, "sampled", (int64_t)res.sampled);
        mamori_finding_int(&f, "verified", (int64_t)res.verified);
        mamori_finding_int(&f, "changed", (int64_t)res.changed);
        mamori_finding_int(&f, "failed", (int64_t)res.failed);
        mr_backup_send(r, &f);
    }
}

void mr_backup_judge(mr_backup_run *r, const mr_backup_decl *d)
{
    mr_backup_jobs *jobs = NULL;
    if (!r->opts->verify) {
        jobs = malloc(sizeof(*jobs));
        if (jobs)
            mr_backup_discover(r->ctx, r->sr, jobs);
    }
    mr_copy_state *st = calloc(d->ncopy ? d->ncopy : 1, sizeof(*st));
    if (!st) {
        mamori_diagf(r->ctx, MAMORI_DIAG_ERROR, NULL, 0,
                     "backup: out of memory reading the copies");
        return;
    }
    size_t usable = 0;
    read_all(r, d, st);
    for (size_t i = 0; i < d->ncopy && !r->stopped; i++) {
        const mr_backup_copy *c = &d->copy[i];
        mamori_finding f;
        if (!st[i].read) {
            if (st[i].unverified) {
                mamori_diagf(r->ctx, MAMORI_DIAG_NOTE, r->conf_display,
                             c->line, "copy %s (%s): %s: counted as declared",
                             c->name, c->location, st[i].error);
                usable++;       /* not known unusable: not "no copy" */
                /* Plain files off site are unencrypted, listed or not. */
                if (c->kind != MR_BACKUP_KIND_RESTIC &&
                    c->kind != MR_BACKUP_KIND_BORG)
                    judge_crypto(r, c, &st[i]);
                continue;
            }
            if (st[i].unmounted && c->role == MR_BACKUP_ROLE_OFFLINE) {
                mamori_diagf(r->ctx, MAMORI_DIAG_NOTE, r->conf_display,
                             c->line, "copy %s: %s is not mounted now "
                             "(offline): not read", c->name, c->location);
                continue;
            }
            copy_finding(r, &f, MR_CHECK_BACKUP_COPY_UNREADABLE, c);
            evidence(&f, st[i].error);
            mr_backup_send(r, &f);
            continue;
        }
        r->copies_read++;
        r->snapshots += st[i].snapshots;
        if (st[i].newest != INT64_MIN)
            usable++;
        judge_fresh(r, c, &st[i]);
        if (!r->stopped)
            judge_crypto(r, c, &st[i]);
        if ((c->kind == MR_BACKUP_KIND_RESTIC ||
             c->kind == MR_BACKUP_KIND_BORG) && st[i].snapshots &&
            !r->stopped)
            judge_zero(r, d, c, &st[i], jobs);
        else if ((c->kind == MR_BACKUP_KIND_DIR ||
                  c->kind == MR_BACKUP_KIND_RSYNC ||
                  c->kind == MR_BACKUP_KIND_TAR) && r->opts->drill &&
                 st[i].snapshots && !r->stopped)
            judge_drill_files(r, c, &st[i]);
    }
    free(jobs);
    if (!r->stopped)
        mr_backup_rules(r, d, st);
    if (!usable && !r->stopped) {
        mamori_finding f;
        mr_backup_finding(&f, MR_CHECK_BACKUP_NO_COPY, r->conf_display);
        char ev[128];
        snprintf(ev, sizeof(ev), "%zu copies declared, none with a snapshot "
                 "that could be read", d->ncopy);
        evidence(&f, ev);
        mr_backup_send(r, &f);
    }
    free(st);
}
