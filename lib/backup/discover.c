/*
 * discover.c — backup jobs found without a declaration (backup.h): cron
 * files (/etc/crontab, /etc/cron.d, the cron.hourly..monthly scripts,
 * users' crontabs) and systemd units (/etc/systemd/system,
 * /usr/lib/systemd/system) whose lines run restic, borg, borgmatic,
 * rsync or tar, each with the repository or target it names where it
 * names one. All through the sysroot.
 *
 * borg's own record of the repositories it has used
 * (~/.config/borg/security/ID/location, for root and every /home user)
 * adds those, unscheduled unless a job names them too.
 *
 * A job line can hold a password (RESTIC_PASSWORD=... restic backup):
 * the evidence kept is the line with the value of every word naming a
 * password or passphrase replaced, so no secret reaches a report.
 */
#include "common.h"

#include "backup/backup_int.h"

#define DISCOVER_FILE_MAX (1024 * 1024)   /* a cron file or unit read */
#define WORDS_MAX 64                      /* words of a line looked at */

static const char *const tools[] = {"restic", "borg", "borgmatic", "rsync",
                                    "tar", NULL};

typedef struct word {
    const char *p;
    size_t n;
} word;

static int sep(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == ';' || c == '|' ||
           c == '&' || c == '(' || c == ')' || c == '`';
}

/* Words of a shell-like line, quotes dropped at their ends. */
static size_t split(const char *s, size_t n, word *w, size_t max)
{
    size_t k = 0, i = 0;
    while (i < n && k < max) {
        while (i < n && sep(s[i]))
            i++;
        if (i >= n)
            break;
        size_t b = i;
        while (i < n && !sep(s[i]))
            i++;
        const char *p = s + b;
        size_t len = i - b;
        while (len && (*p == '"' || *p == '\''))
            p++, len--;
        while (len && (p[len - 1] == '"' || p[len - 1] == '\''))
            len--;
        if (len)
            w[k++] = (word){p, len};
    }
    return k;
}

static int weq(word w, const char *lit)
{
    size_t n = strlen(lit);
    return w.n == n && memcmp(w.p, lit, n) == 0;
}

static int wprefix(word w, const char *lit)
{
    size_t n = strlen(lit);
    return w.n >= n && memcmp(w.p, lit, n) == 0;
}

/* The word's last path component ("/usr/bin/restic" -> "restic"). */
static word base(word w)
{
    for (size_t i = w.n; i > 0; i--)
        if (w.p[i - 1] == '/')
            return (word){w.p + i, w.n - i};
    return w;
}

static void set(char *dst, size_t cap, const char *p, size_t n)
{
    n = MR_MIN(n, cap - 1);
    memcpy(dst, p, n);
    dst[n] = '\0';
}

static int secret_word(word w)
{
    const char *eq = memchr(w.p, '=', w.n);
    size_t n = eq ? (size_t)(eq - w.p) : w.n;
    for (size_t i = 0; i + 4 <= n; i++) {
        char a = (char)(w.p[i] | 0x20), b = (char)(w.p[i + 1] | 0x20);
        char c = (char)(w.p[i + 2] | 0x20), d = (char)(w.p[i + 3] | 0x20);
        if (a == 'p' && b == 'a' && c == 's' && d == 's')
            return eq ? 1 : 2;  /* 2: the value is the next word */
    }
    return 0;
}

/* The line as evidence, values of password words hidden. */
static void evidence(const char *s, size_t n, mr_backup_job *job)
{
    char *out = job->evidence;
    size_t cap = sizeof(job->evidence), o = 0, i = 0;
    int hide_next = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    while (i < n && o + 1 < cap) {
        if (sep(s[i])) {
            out[o++] = s[i] == '\t' || s[i] == '\r' ? ' ' : s[i];
            i++;
            continue;
        }
        size_t b = i;
        while (i < n && !sep(s[i]))
            i++;
        word w = {s + b, i - b};
        int sw = secret_word(w);
        size_t keep = w.n;
        const char *hidden = NULL;
        if (hide_next) {
            keep = 0;
            hidden = "<hidden>";
            hide_next = 0;
        } else if (sw == 1) {
            keep = (size_t)((const char *)memchr(w.p, '=', w.n) - w.p) + 1;
            hidden = "<hidden>";
        } else if (sw == 2 && wprefix(w, "-")) {
            hide_next = 1;
        }
        for (size_t k = 0; k < keep && o + 1 < cap; k++) {
            unsigned char c = (unsigned char)w.p[k];
            out[o++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
        }
        for (const char *h = hidden; h && *h && o + 1 < cap; h++)
            out[o++] = *h;
    }
    out[o] = '\0';
}

int mr_backup_job_line(const char *s, size_t n, int unit, mr_backup_job *job)
{
    word w[WORDS_MAX];
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i >= n || s[i] == '#' || s[i] == ';')
        return 0;
    if (unit) {
        /* Only what a unit runs: ExecStart=, ExecStartPre=... */
        if (n - i < 4 || memcmp(s + i, "Exec", 4) != 0)
            return 0;
        const char *eq = memchr(s + i, '=', n - i);
        if (!eq)
            return 0;
        i = (size_t)(eq - s) + 1;
    }
    size_t nw = split(s + i, n - i, w, WORDS_MAX);
    size_t t = 0, tool = SIZE_MAX;
    for (; t < nw && tool == SIZE_MAX; t++) {
        word b = base(w[t]);
        for (size_t k = 0; tools[k]; k++)
            if (weq(b, tools[k]))
                tool = k;
    }
    if (tool == SIZE_MAX)
        return 0;
    memset(job, 0, sizeof(*job));
    set(job->tool, sizeof(job->tool), tools[tool], strlen(tools[tool]));
    /* The repository: named in the environment of the line, or by the
     * tool's own arguments. */
    for (size_t k = 0; k < nw; k++) {
        if (wprefix(w[k], "RESTIC_REPOSITORY="))
            set(job->repository, sizeof(job->repository), w[k].p + 18,
                w[k].n - 18);
        else if (wprefix(w[k], "BORG_REPO="))
            set(job->repository, sizeof(job->repository), w[k].p + 10,
                w[k].n - 10);
    }
    const char *name = tools[tool];
    word last = {NULL, 0};
    for (size_t k = t; k < nw; k++) {
        word x = w[k];
        if (!strcmp(name, "restic")) {
            if ((weq(x, "-r") || weq(x, "--repo")) && k + 1 < nw)
                set(job->repository, sizeof(job->repository), w[k + 1].p,
                    w[k + 1].n);
            else if (wprefix(x, "--repo="))
                set(job->repository, sizeof(job->repository), x.p + 7,
                    x.n - 7);
        } else if (!strcmp(name, "borg")) {
            const char *dc = NULL;
            for (size_t c = 0; c + 1 < x.n && !dc; c++)
                if (x.p[c] == ':' && x.p[c + 1] == ':')
                    dc = x.p + c;
            if (dc && dc > x.p)
                set(job->repository, sizeof(job->repository), x.p,
                    (size_t)(dc - x.p));
        } else if (!strcmp(name, "tar")) {
            if (wprefix(x, "--file="))
                set(job->repository, sizeof(job->repository), x.p + 7,
                    x.n - 7);
            else if (x.n > 1 && x.p[x.n - 1] == 'f' &&
                     (x.p[0] == '-' || k == t) && x.p[1] != '-' &&
                     k + 1 < nw)
                set(job->repository, sizeof(job->repository), w[k + 1].p,
                    w[k + 1].n);
        } else if (!strcmp(name, "rsync") && x.p[0] != '-' &&
                   !memchr(x.p, '>', x.n)) {
            last = x;           /* rsync's destination is its last word */
        }
    }
    if (last.n)
        set(job->repository, sizeof(job->repository), last.p, last.n);
    for (size_t k = t; k < nw && !job->check; k++)
        job->check = weq(w[k], "check");
    evidence(s, n, job);
    return 1;
}

typedef struct scan {
    const mamori_ctx *ctx;
    const mamori_sysroot *sr;
    mr_backup_jobs *out;
    const char *file;
    int unit, scheduled;
    char env_repo[MR_BACKUP_PATH_MAX]; /* a unit's Environment= repo */
    size_t first;               /* the file's first job in out */
} scan;

static int on_line(void *user, char *line, size_t len, uint64_t lineno)
{
    scan *sc = user;
    mr_backup_job job;
    if (sc->unit && len > 12 && memcmp(line, "Environment", 11) == 0) {
        const char *p;
        if ((p = strstr(line, "RESTIC_REPOSITORY=")))
            set(sc->env_repo, sizeof(sc->env_repo), p + 18, strcspn(p + 18,
                " \t\"'"));
        else if ((p = strstr(line, "BORG_REPO=")))
            set(sc->env_repo, sizeof(sc->env_repo), p + 10, strcspn(p + 10,
                " \t\"'"));
    }
    if (!mr_backup_job_line(line, len, sc->unit, &job))
        return 0;
    if (sc->out->n >= MR_BACKUP_JOBS_MAX) {
        sc->out->more++;
        return 0;
    }
    set(job.file, sizeof(job.file), sc->file, strlen(sc->file));
    job.line = lineno;
    job.scheduled = sc->scheduled;
    sc->out->job[sc->out->n++] = job;
    return 0;
}

static void scan_file(scan *sc, const char *path, int unit, int scheduled)
{
    sc->file = path;
    sc->unit = unit;
    sc->scheduled = scheduled;
    sc->env_repo[0] = '\0';
    sc->first = sc->out->n;
    mamori_err e = mr_sysroot_lines(sc->sr, path, DISCOVER_FILE_MAX, on_line,
                                    sc);
    /* Not there, or not a file (a unit masked by a link to /dev/null):
     * nothing to say. */
    if (e == MAMORI_E_IO && errno != ENOENT && errno != EINVAL &&
        errno != EISDIR)
        mamori_diagf(sc->ctx, MAMORI_DIAG_NOTE, path, 0,
                     "backup: cannot read: %s", strerror(errno));
    else if (e && e != MAMORI_E_IO)
        mamori_diagf(sc->ctx, MAMORI_DIAG_NOTE, path, 0,
                     "backup: cannot read: %s", mamori_strerror(e));
    for (size_t i = sc->first; i < sc->out->n; i++)
        if (!sc->out->job[i].repository[0] && sc->env_repo[0])
            memcpy(sc->out->job[i].repository, sc->env_repo,
                   sizeof(sc->env_repo));
}

static void scan_glob(scan *sc, const char *pattern, int unit, int scheduled)
{
    mr_sysroot_names l;
    memset(&l, 0, sizeof(l));
    if (mr_sysroot_glob(sc->sr, pattern, &l) != MAMORI_OK)
        return;
    for (size_t i = 0; i < l.n; i++) {
        int sched = scheduled;
        if (unit) {
            /* A service is scheduled when a timer of its name exists. */
            char timer[MR_BACKUP_PATH_MAX];
            const char *slash = strrchr(l.names[i], '/');
            const char *stem = slash ? slash + 1 : l.names[i];
            size_t sn = strlen(stem);
            if (sn > 8 && !strcmp(stem + sn - 8, ".service")) {
                static const char *const dirs[] = {"/etc/systemd/system/",
                                                   "/usr/lib/systemd/system/"};
                for (size_t d = 0; d < 2 && !sched; d++) {
                    snprintf(timer, sizeof(timer), "%s%.*s.timer", dirs[d],
                             (int)(sn - 8), stem);
                    sched = mr_sysroot_exists(sc->sr, timer);
                }
            }
        }
        scan_file(sc, l.names[i], unit, sched);
    }
    mr_sysroot_names_free(&l);
}

/* The repositories borg remembers in one security directory. */
static void borg_security(scan *sc, const char *dir)
{
    mr_sysroot_names l;
    memset(&l, 0, sizeof(l));
    if (mr_sysroot_list(sc->sr, dir, NULL, &l) != MAMORI_OK)
        return;
    for (size_t i = 0; i < l.n; i++) {
        char path[MR_BACKUP_PATH_MAX];
        char *data = NULL;
        size_t len = 0;
        if (snprintf(path, sizeof(path), "%s/%s/location", dir, l.names[i]) >=
                (int)sizeof(path) ||
            mr_sysroot_read(sc->sr, path, MR_BACKUP_PATH_MAX, &data, &len))
            continue;
        size_t n = strcspn(data, "\r\n");
        int known = 0;
        for (size_t k = 0; k < sc->out->n && !known; k++)
            known = strlen(sc->out->job[k].repository) == n &&
                    !memcmp(sc->out->job[k].repository, data, n);
        if (n && !known && sc->out->n < MR_BACKUP_JOBS_MAX) {
            mr_backup_job *j = &sc->out->job[sc->out->n++];
            memset(j, 0, sizeof(*j));
            set(j->file, sizeof(j->file), path, strlen(path));
            set(j->tool, sizeof(j->tool), "borg", 4);
            set(j->repository, sizeof(j->repository), data, n);
            snprintf(j->evidence, sizeof(j->evidence), "borg has used the "
                     "repository %.*s", (int)MR_MIN(n, 200), data);
        } else if (n && !known) {
            sc->out->more++;
        }
        free(data);
    }
    mr_sysroot_names_free(&l);
}

void mr_backup_discover(const mamori_ctx *ctx, const mamori_sysroot *sr,
                        mr_backup_jobs *out)
{
    memset(out, 0, sizeof(*out));
    scan sc;
    memset(&sc, 0, sizeof(sc));
    sc.ctx = ctx;
    sc.sr = sr;
    sc.out = out;
    scan_file(&sc, "/etc/crontab", 0, 1);
    scan_glob(&sc, "/etc/cron.d/*", 0, 1);
    scan_glob(&sc, "/etc/cron.hourly/*", 0, 1);
    scan_glob(&sc, "/etc/cron.daily/*", 0, 1);
    scan_glob(&sc, "/etc/cron.weekly/*", 0, 1);
    scan_glob(&sc, "/etc/cron.monthly/*", 0, 1);
    scan_glob(&sc, "/var/spool/cron/crontabs/*", 0, 1);
    scan_glob(&sc, "/etc/systemd/system/*.service", 1, 0);
    scan_glob(&sc, "/usr/lib/systemd/system/*.service", 1, 0);
    borg_security(&sc, "/root/.config/borg/security");
    mr_sysroot_names homes;
    memset(&homes, 0, sizeof(homes));
    if (mr_sysroot_list(sr, "/home", NULL, &homes) == MAMORI_OK) {
        for (size_t i = 0; i < homes.n; i++) {
            char dir[MR_BACKUP_PATH_MAX];
            if (snprintf(dir, sizeof(dir), "/home/%s/.config/borg/security",
                         homes.names[i]) < (int)sizeof(dir))
                borg_security(&sc, dir);
        }
        mr_sysroot_names_free(&homes);
    }
}

int mr_backup_jobs_found(const mamori_sysroot *sr)
{
    mr_backup_jobs *jobs = malloc(sizeof(*jobs));
    if (!jobs)
        return 0;
    mr_backup_discover(NULL, sr, jobs);
    int found = jobs->n > 0;
    free(jobs);
    return found;
}
