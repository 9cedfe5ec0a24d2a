/*
 * corpus_check.c — measures detection quality on the labelled corpus in
 * tests/corpus/ (argv[1]) and prints TAP: one case per attack category
 * (tests/corpus/attacks/<category>.txt, at least MR_CORPUS_DETECT_MIN of
 * its lines detected WITH that category) and one for the false-positive
 * rate on tests/corpus/benign.txt (at most MR_CORPUS_FP_MAX, over at least
 * MR_CORPUS_BENIGN_MIN lines). Misses and false positives are printed as
 * "#" lines (up to MR_CORPUS_SHOW_MAX) to debug with.
 *
 * The peer, for information only: when the environment names the
 * ModSecurity harness (MODSEC_REPLAY=bench/modsec-replay, set by
 * tests/meson.build when libmodsecurity was found), every corpus file is
 * also replayed through ModSecurity with the OWASP CRS at paranoia levels
 * 1 and 2, and a table prints the share of each file flagged by mamori
 * (any hit, as the CRS has no categories) and by the CRS beside it. It
 * is one more TAP case that always passes — mamori's own thresholds stay
 * the criterion — or is skipped, visibly, when the harness is absent.
 *
 * Line format (tests/corpus/README.md): '#' starts a comment; a line is a
 * request target, optionally followed by TAB-separated "UA:<user agent>"
 * and "REF:<referer>" fields; a line starting with "UA:" or "REF:" is a
 * request for "/" carrying that header. Benign lines without a user agent
 * get an ordinary browser's, so benign headers are exercised too.
 */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "logscan/detect.h"

#define MR_CORPUS_LINE_MAX 65536
#define MR_CORPUS_SHOW_MAX 20
#define MR_CORPUS_DETECT_MIN 0.99
#define MR_CORPUS_FP_MAX 0.0002
#define MR_CORPUS_BENIGN_MIN 20000
#define MR_CORPUS_PATH_MAX 4096

static const char *const browser_agents[] = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
    "like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.6367.82 Mobile Safari/537.36",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.67",
    "curl/8.5.0",
};

/* The peer's paranoia levels, and the files compared (categories, then
 * benign.txt last). */
#define MR_CORPUS_CRS_LEVELS 2
#define MR_CORPUS_FILES (MR_CAT_COUNT + 1)
/* The CRS replays about a thousand requests a second: it sees one benign
 * request in this many (every attack) to keep the test under a minute. */
#define MR_CORPUS_CRS_BENIGN_STEP 4

typedef struct tally {
    size_t lines, good, shown, any;   /* any: lines with at least one hit */
} tally;

static mr_span field(const char *line, size_t n, const char *prefix)
{
    size_t plen = strlen(prefix);
    for (size_t i = 0; i + plen <= n; i++) {
        if ((i == 0 || line[i - 1] == '\t') && memcmp(line + i, prefix, plen) == 0) {
            size_t e = i + plen;
            while (e < n && line[e] != '\t')
                e++;
            return mr_span_make(line + i + plen, e - i - plen);
        }
    }
    return MR_SPAN_NULL;
}

/* Fills ev from one corpus line; false for comments and blank lines. */
static bool parse_line(const char *line, size_t n, mr_http_event *ev, size_t index, bool benign)
{
    mr_http_event_clear(ev);
    if (n == 0 || line[0] == '#')
        return false;
    ev->user_agent = field(line, n, "UA:");
    ev->referer = field(line, n, "REF:");
    if (strncmp(line, "UA:", 3) == 0 || strncmp(line, "REF:", 4) == 0) {
        ev->target = MR_SPAN_LIT("/");
    } else {
        const char *tab = memchr(line, '\t', n);
        ev->target = mr_span_make(line, tab ? (size_t)(tab - line) : n);
    }
    if (benign && ev->user_agent.n == 0) {
        const char *ua = browser_agents[index % MR_ARRAY_LEN(browser_agents)];
        ev->user_agent = mr_span_make(ua, strlen(ua));
    }
    ev->method = MR_SPAN_LIT("GET");
    return true;
}

/* Runs every line of path; category < 0 means benign (no hit wanted). */
static int run_file(const mr_detector *d, mr_detect_scratch *s, const char *path,
                    int category, tally *t)
{
    static char line[MR_CORPUS_LINE_MAX];
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t index = 0;
    while (fgets(line, sizeof line, f)) {
        size_t n = strlen(line);
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        mr_http_event ev;
        if (!parse_line(line, n, &ev, index++, category < 0))
            continue;
        mr_hit hits[MR_HITS_MAX];
        size_t nh = mr_detect(d, s, &ev, hits, MR_HITS_MAX);
        bool ok;
        if (category < 0) {
            ok = nh == 0;
        } else {
            ok = false;
            for (size_t i = 0; i < nh; i++)
                ok = ok || (int)hits[i].category == category;
        }
        t->lines++;
        t->any += nh > 0;
        if (ok) {
            t->good++;
        } else if (t->shown++ < MR_CORPUS_SHOW_MAX) {
            if (nh > 0)
                printf("# %s: %.*s  [%s/%s: %.*s]\n", category < 0 ? "false positive" : "wrong",
                       (int)n, line, mr_category_name(hits[0].category), hits[0].rule,
                       (int)hits[0].evidence_len, hits[0].evidence);
            else
                printf("# missed: %.*s\n", (int)n, line);
        }
    }
    int err = ferror(f);
    fclose(f);
    return err ? -1 : 0;
}

/* One run of the harness: its summary line (stderr) comes through the
 * pipe; standard output goes to /dev/null. */
typedef struct peer_run {
    FILE *out;
    pid_t pid;
} peer_run;

/* Starts the harness on one corpus file at a paranoia level, from an
 * argument list (no shell). out is NULL if it cannot. */
static peer_run peer_start(const char *replay, const char *file, int level, int step)
{
    peer_run r = {NULL, -1};
    char lv[16], st[16];
    snprintf(lv, sizeof lv, "%d", level);
    snprintf(st, sizeof st, "%d", step);
    char *const argv[] = {(char *)replay, "-q", "-c", "-p", lv, "-k", st, (char *)file, NULL};
    int fd[2];
    if (pipe(fd) != 0)
        return r;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fd[1], STDERR_FILENO);
    posix_spawn_file_actions_addclose(&fa, fd[0]);
    posix_spawn_file_actions_addclose(&fa, fd[1]);
    extern char **environ;
    int rc = posix_spawn(&r.pid, replay, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    if (rc != 0 || !(r.out = fdopen(fd[0], "r"))) {
        close(fd[0]);
        if (rc == 0)
            waitpid(r.pid, NULL, 0);
        r.pid = -1;
    }
    return r;
}

/* Reads "modsec-replay: pl P, N requests, F flagged, ..." into *req,
 * *flagged; false when the harness failed. */
static bool peer_finish(peer_run p, size_t *req, size_t *flagged)
{
    char buf[1024];
    bool ok = false;
    while (p.out && fgets(buf, sizeof buf, p.out)) {
        const char *r = strstr(buf, " requests, ");
        const char *pl = strstr(buf, "modsec-replay: pl ");
        if (!pl || !r)
            continue;
        /* the number before " requests" and the one after it */
        const char *q = r;
        while (q > buf && q[-1] >= '0' && q[-1] <= '9')
            q--;
        char *end = NULL;
        unsigned long nreq = strtoul(q, &end, 10);
        if (end != r)
            continue;
        unsigned long nf = strtoul(r + 11, &end, 10);
        if (end == r + 11 || strncmp(end, " flagged", 8) != 0)
            continue;
        *req = nreq;
        *flagged = nf;
        ok = true;
    }
    if (!p.out)
        return false;
    fclose(p.out);
    int status = 0;
    while (waitpid(p.pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 && ok;
}

static double pct(size_t a, size_t b)
{
    return b ? 100.0 * (double)a / (double)b : 0.0;
}

/* The CRS beside mamori on every corpus file: one TAP case, informational. */
static void peer_table(const char *dir, const tally *all, int test)
{
    const char *replay = getenv("MODSEC_REPLAY");
    if (!replay || !*replay) {
        printf("ok %d - ModSecurity + CRS comparison # SKIP libmodsecurity was not found "
               "at build time (scripts/install-deps.sh --test)\n", test);
        return;
    }
    printf("# the peer: ModSecurity v3 + OWASP CRS, anomaly scoring at the CRS defaults;\n"
           "# share of each file flagged (mamori: any hit, its pass/fail above is per category;\n"
           "# the CRS: every attack, one benign request in %d)\n", MR_CORPUS_CRS_BENIGN_STEP);
    printf("# %-16s %8s %10s %10s %10s\n", "file", "lines", "mamori", "CRS PL1", "CRS PL2");
    bool ran = true;
    for (int c = 0; c < MR_CORPUS_FILES; c++) {
        char path[MR_CORPUS_PATH_MAX];
        const char *name = c < MR_CAT_COUNT ? mr_category_name((mr_category)c) : "benign (FP)";
        if (c < MR_CAT_COUNT)
            snprintf(path, sizeof path, "%s/attacks/%s.txt", dir, name);
        else
            snprintf(path, sizeof path, "%s/benign.txt", dir);
        /* both levels at once: the harness is single-threaded and slow */
        peer_run p[MR_CORPUS_CRS_LEVELS];
        for (int l = 0; l < MR_CORPUS_CRS_LEVELS; l++)
            p[l] = peer_start(replay, path, l + 1, c < MR_CAT_COUNT ? 1 : MR_CORPUS_CRS_BENIGN_STEP);
        char cell[MR_CORPUS_CRS_LEVELS][32];
        for (int l = 0; l < MR_CORPUS_CRS_LEVELS; l++) {
            size_t req = 0, fl = 0;
            if (peer_finish(p[l], &req, &fl)) {
                snprintf(cell[l], sizeof cell[l], "%.*f%%", c < MR_CAT_COUNT ? 1 : 3,
                         pct(fl, req));
            } else {
                snprintf(cell[l], sizeof cell[l], "failed");
                ran = false;
            }
        }
        printf("# %-16s %8zu %9.*f%% %10s %10s\n", name, all[c].lines, c < MR_CAT_COUNT ? 1 : 3,
               pct(all[c].any, all[c].lines), cell[0], cell[1]);
    }
    /* informational: a failed peer is said, never a failure of mamori's */
    printf("ok %d - ModSecurity + CRS comparison (informational)%s\n", test,
           ran ? "" : " # the harness failed on some file: see above");
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: corpus-check CORPUS_DIR\n");
        return 2;
    }
    mr_detector *d = mr_detector_new();
    mr_detect_scratch *s = d ? mr_detect_scratch_new(d) : NULL;
    if (!s) {
        printf("Bail out! cannot build the detector\n");
        return 1;
    }
    int failed = 0, test = 0;
    char path[MR_CORPUS_PATH_MAX];
    tally all[MR_CORPUS_FILES];
    printf("1..%d\n", MR_CORPUS_FILES + 1);
    for (int c = 0; c < MR_CAT_COUNT; c++) {
        const char *name = mr_category_name((mr_category)c);
        tally t = {0, 0, 0, 0};
        snprintf(path, sizeof path, "%s/attacks/%s.txt", argv[1], name);
        int rc = run_file(d, s, path, c, &t);
        double rate = t.lines ? (double)t.good / (double)t.lines : 0.0;
        bool ok = rc == 0 && t.lines > 0 && rate >= MR_CORPUS_DETECT_MIN;
        printf("# %s: %zu/%zu detected (%.2f%%)\n", name, t.good, t.lines, rate * 100.0);
        printf("%s %d - %s detection rate %.2f%% >= %.0f%%\n", ok ? "ok" : "not ok", ++test,
               name, rate * 100.0, MR_CORPUS_DETECT_MIN * 100.0);
        failed += !ok;
        all[c] = t;
    }
    tally t = {0, 0, 0, 0};
    snprintf(path, sizeof path, "%s/benign.txt", argv[1]);
    int rc = run_file(d, s, path, -1, &t);
    size_t fp = t.lines - t.good;
    double rate = t.lines ? (double)fp / (double)t.lines : 1.0;
    bool ok = rc == 0 && t.lines >= MR_CORPUS_BENIGN_MIN && rate <= MR_CORPUS_FP_MAX;
    printf("# benign: %zu false positives in %zu requests (%.4f%%)\n", fp, t.lines, rate * 100.0);
    printf("%s %d - false-positive rate %.4f%% <= %.2f%% over %zu benign requests\n",
           ok ? "ok" : "not ok", ++test, rate * 100.0, MR_CORPUS_FP_MAX * 100.0, t.lines);
    failed += !ok;
    all[MR_CAT_COUNT] = t;
    peer_table(argv[1], all, ++test);
    mr_detect_scratch_free(s);
    mr_detector_free(d);
    return failed ? 1 : 0;
}
