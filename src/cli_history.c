/*
 * cli_history.c — a command's run graded and kept in the history
 * (cli_history.h): open before, tee the findings, grade and store after,
 * and tell the report the grades and what is new, fixed and still open
 * since the last run of the same scope.
 */
#include "common.h"

#include <time.h>

#include "cli_history.h"

int cli_history_open_ro(cli_opts *o, const char *db, char *path, size_t cap,
                        mamori_history **h)
{
    *h = NULL;
    if (db) {
        snprintf(path, cap, "%s", db);
    } else if (mamori_history_default_path(path, cap)) {
        cli_error(o, "no history to read: set HOME or give --db FILE");
        return CLI_EXIT_USAGE;
    }
    if (mamori_history_open_ro(path, h)) {
        cli_error(o, "cannot read the history %s: %s", path, mamori_history_error(*h));
        mamori_history_free(*h);
        *h = NULL;
        return CLI_EXIT_USAGE;
    }
    return 0;
}

/* A finding about a state (no time of its own: a setting, a waiting
 * update, an open port) seen in an earlier run gets since when it has
 * been open; a waiting security update without a date from its data gets
 * its days exposed from it (the patching issue's "first run that saw it
 * waiting"). The report gets the copy; the history and the grades the
 * finding as found, so fingerprints never depend on the history. */
static const mamori_finding *with_age(cli_history *ch, const mamori_finding *f,
                                      const char *fp, mamori_finding *copy, char *day,
                                      size_t cap)
{
    int64_t first = 0;
    if (!ch->h || f->time != INT64_MIN || f->nfields + 2 > MAMORI_FINDING_FIELDS_MAX)
        return f;
    if (mamori_history_first_seen(ch->h, fp, &first) || !first || first >= ch->started)
        return f;
    time_t t = (time_t)first;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(day, cap, "%Y-%m-%d", &tm))
        return f;
    *copy = *f;
    int64_t days = (ch->started - first) / 86400;
    mamori_finding_str(copy, "first_seen", day, strlen(day));
    if (strcmp(f->check->id, "patch.pending-security-update") == 0 &&
        !mamori_finding_get(f, "days_exposed"))
        mamori_finding_int(copy, "days_exposed", days);
    else
        mamori_finding_int(copy, "days_open", days);
    return copy;
}

static int tee_finding(void *user, const mamori_finding *f)
{
    cli_history *ch = user;
    mamori_finding copy;
    char day[16];
    char fp[MAMORI_FINGERPRINT_LEN + 1];
    /* one fingerprint for the history, the grades and the age */
    if (ch->h || ch->score)
        mamori_finding_fingerprint(f, fp);
    if (ch->h)
        mamori_history_add(ch->h, f, fp); /* never stops the run */
    if (ch->score)
        mamori_score_add(ch->score, f, fp);
    return ch->report.finding(ch->report.user,
                              with_age(ch, f, fp, &copy, day, sizeof(day)));
}

/* The report takes the summary; the scorer and the history only need to
 * know which capability ran. */
static int tee_summary(void *user, mamori_summary *s)
{
    cli_history *ch = user;
    const char *cap = mamori_summary_capability(s);
    if (ch->score)
        mamori_score_capability(ch->score, cap);
    mamori_summary *name_only;
    if (ch->h && (name_only = mamori_summary_new(cap)))
        ch->record.summary(ch->record.user, name_only);
    return ch->report.summary(ch->report.user, s);
}

static void fail(cli_opts *o, cli_history *ch, const char *what)
{
    cli_error(o, "history %s: %s; the report is complete, the run is not stored",
              ch->path, what);
    ch->failed = 1;
    mamori_history_free(ch->h);
    ch->h = NULL;
}

void cli_history_begin(cli_opts *o, cli_history *ch, const char *root,
                       const char *scope)
{
    ch->h = NULL;
    if (mamori_score_new(&ch->score))
        cli_error(o, "out of memory: the run is not graded");
    if (ch->disabled)
        return;
    if (ch->db) {
        snprintf(ch->path, sizeof(ch->path), "%s", ch->db);
    } else if (mamori_history_default_path(ch->path, sizeof(ch->path))) {
        snprintf(ch->path, sizeof(ch->path), "(default)");
        fail(o, ch, "no place to keep it (set HOME, or give --db FILE)");
        return;
    }
    mamori_err e = mamori_history_open(ch->path, ch->db == NULL, &ch->h);
    if (e) {
        fail(o, ch, ch->h ? mamori_history_error(ch->h) : mamori_strerror(e));
        return;
    }
    ch->started = (int64_t)time(NULL);
    mamori_history_run_info info = {
        .started = ch->started,
        .host = o->host,
        .root = root ? root : "/",
        .command = o->prog,
        .scope = scope,
        .version = mamori_version(),
    };
    if (mamori_history_record(ch->h, &info, &ch->record))
        fail(o, ch, "out of memory");
}

mamori_sink *cli_history_sink(cli_opts *o, cli_history *ch)
{
    ch->report = cli_sink(o);
    ch->tee.finding = tee_finding;
    ch->tee.summary = tee_summary;
    ch->tee.user = ch;
    return &ch->tee;
}

typedef struct since {
    uint64_t count[3];
    mamori_summary *s;
    uint64_t more;
} since;

static int count_change(void *user, mamori_change c, const mamori_finding *f)
{
    since *sc = user;
    sc->count[c]++;
    if (c != MAMORI_CHANGE_NEW)
        return 0;
    if (sc->count[c] > CLI_HISTORY_NEW_SHOWN) {
        sc->more++;
        return 0;
    }
    const mamori_field *fp = mamori_finding_get(f, "fingerprint");
    mamori_cell cells[4] = {
        {f->check->id, 0},
        {mamori_severity_name(f->severity), 0},
        {f->file ? f->file : "", 0},
        {fp ? fp->str : "", 0},
    };
    mamori_summary_row(sc->s, cells);
    return 0;
}

/* The grades into the history with the run, and into the report with
 * their course over time. */
static void grade(cli_opts *o, cli_history *ch)
{
    if (!ch->score || mamori_score_finish(ch->score))
        return;
    int stored = ch->h && ch->run;
    for (size_t i = 0; stored && i < mamori_score_nfactors(ch->score); i++) {
        const mamori_factor_score *f = mamori_score_factor(ch->score, i);
        if (mamori_history_set_grade(ch->h, ch->run, f->id, f->score, f->grade))
            stored = 0;
    }
    int score;
    char g;
    mamori_score_overall(ch->score, &score, &g);
    if (stored && mamori_history_set_grade(ch->h, ch->run, "overall", score, g))
        stored = 0;
    if (ch->h && ch->run && !stored)
        fail(o, ch, mamori_history_error(ch->h));
    mamori_summary *s = mamori_score_summary(ch->score, o->ctx.lang);
    if (s && stored)
        mamori_history_grade_series(ch->h, ch->run, s); /* a chart less at worst */
    if (s)
        ch->report.summary(ch->report.user, s);
}

/* The self-assessment's stored answers are part of every audit: their
 * findings go to the report, the history and the grades. */
static void selfcheck_answers(cli_opts *o, cli_history *ch)
{
    mamori_selfcheck sc;
    int64_t when = 0;
    mamori_selfcheck_init(&sc);
    if (!ch->h || mamori_history_load_selfcheck(ch->h, &sc, &when) || !when)
        return;
    mamori_selfcheck_report(&sc, &o->ctx, &ch->tee);
}

void cli_history_commit(cli_opts *o, cli_history *ch)
{
    int64_t prev = 0;
    selfcheck_answers(o, ch);
    if (ch->h && mamori_history_commit(ch->h, (int64_t)time(NULL), &ch->run))
        fail(o, ch, mamori_history_error(ch->h));
    grade(o, ch);
    if (!ch->h || !ch->run)
        return;
    if (mamori_history_previous(ch->h, ch->run, &prev) || !prev)
        return;
    static const char *const cols[] = {"check", "severity", "file", "fingerprint"};
    since sc = {{0, 0, 0}, mamori_summary_new("history"), 0};
    if (!sc.s ||
        mamori_summary_table(sc.s, "new_since_last_run", "New since the last run",
                             "前回の実行以降に新しく見つかったもの", 4, cols) ||
        mamori_history_diff(ch->h, prev, ch->run, count_change, &sc, NULL)) {
        mamori_summary_free(sc.s);
        return; /* the run is stored; only the comparison is missing */
    }
    mamori_summary_more_rows(sc.s, sc.more);
    mamori_summary_counter(sc.s, "previous_run", "Compared with run",
                           "比較した前回の実行", prev);
    mamori_summary_counter(sc.s, "run", "This run", "今回の実行", ch->run);
    mamori_summary_counter(sc.s, "new", "New problems", "新しい問題",
                           (int64_t)sc.count[MAMORI_CHANGE_NEW]);
    mamori_summary_counter(sc.s, "fixed", "Fixed since then", "解消された問題",
                           (int64_t)sc.count[MAMORI_CHANGE_FIXED]);
    mamori_summary_counter(sc.s, "open", "Still open", "未解決の問題",
                           (int64_t)sc.count[MAMORI_CHANGE_OPEN]);
    ch->report.summary(ch->report.user, sc.s);
}

int cli_history_end(cli_opts *o, cli_history *ch, int status)
{
    if (ch->h && ch->run && mamori_history_set_status(ch->h, ch->run, status))
        fail(o, ch, mamori_history_error(ch->h));
    mamori_history_free(ch->h);
    mamori_score_free(ch->score);
    ch->h = NULL;
    ch->score = NULL;
    return ch->failed ? CLI_EXIT_USAGE : status;
}
