/*
 * history_bench.c — the history's cost at the size the issue names: an
 * audit of N findings (default 100,000: 5,000 clients, each with 20
 * sightings across 8 checks) stored in one run, twice (the second with a
 * tenth of the clients replaced), then the diff of the two runs. Prints
 * the seconds of each step and the targets (store < 1 s, diff < 0.5 s).
 *   usage: history_bench DB [N]
 */
#include "common.h"

#include <time.h>

#include "mamori/history.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const checks[] = {
    "logscan.sqli", "logscan.xss", "logscan.traversal", "logscan.cmdi",
    "logscan.scanner", "logscan.rfi", "logscan.exploit", "logscan.sensitive-file",
};

static int store(mamori_history *h, size_t n, unsigned shift, double *secs)
{
    mamori_sink sink;
    mamori_history_run_info info = {.started = time(NULL), .host = "bench",
                                    .scope = "bench", .version = "bench"};
    double t0 = now();
    if (mamori_history_record(h, &info, &sink))
        return -1;
    char client[64], request[128];
    for (size_t i = 0; i < n; i++) {
        size_t c = i / 20;
        /* The second run replaces every tenth client. */
        snprintf(client, sizeof(client), "198.51.%zu.%zu%s", (c / 250) % 256,
                 c % 250, shift && c % 10 == 0 ? "-new" : "");
        snprintf(request, sizeof(request), "GET /item.php?id=%zu%%27%%20OR%%201=1 HTTP/1.1", i);
        mamori_finding f;
        memset(&f, 0, sizeof(f));
        f.check = mamori_check_find(checks[c % 8]);
        f.severity = f.check->severity;
        f.category = "bench";
        f.file = "/var/log/nginx/access.log";
        f.line = i + 1;
        f.time = 1700000000 + (int64_t)i;
        f.evidence = request + 4;
        f.evidence_len = strlen(request + 4);
        mamori_finding_str(&f, "client", client, strlen(client));
        mamori_finding_str(&f, "request", request, strlen(request));
        mamori_finding_int(&f, "status", 200);
        sink.finding(sink.user, &f);
    }
    int64_t run;
    if (mamori_history_commit(h, time(NULL), &run))
        return -1;
    *secs = now() - t0;
    return 0;
}

static int count(void *user, mamori_change c, const mamori_finding *f)
{
    (void)f;
    ((uint64_t *)user)[c]++;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: history_bench DB [N]\n");
        return 2;
    }
    size_t n = argc > 2 ? (size_t)strtoull(argv[2], NULL, 10) : 100000;
    mamori_history *h = NULL;
    double s1, s2, sd;
    if (mamori_history_open(argv[1], 0, &h) || store(h, n, 0, &s1) ||
        store(h, n, 1, &s2)) {
        fprintf(stderr, "history_bench: %s\n", mamori_history_error(h));
        return 1;
    }
    int64_t older, newer;
    uint64_t changes[3] = {0, 0, 0};
    double t0 = now();
    if (mamori_history_latest(h, &newer) || mamori_history_previous(h, newer, &older) ||
        mamori_history_diff(h, older, newer, count, changes, NULL)) {
        fprintf(stderr, "history_bench: %s\n", mamori_history_error(h));
        return 1;
    }
    sd = now() - t0;
    printf("findings per run      %zu\n", n);
    printf("store run 1           %.3f s  %s (target < 1 s)\n", s1, s1 < 1 ? "PASS" : "MISS");
    printf("store run 2           %.3f s  %s\n", s2, s2 < 1 ? "PASS" : "MISS");
    printf("diff                  %.3f s  %s (target < 0.5 s): new %llu, fixed %llu, open %llu\n",
           sd, sd < 0.5 ? "PASS" : "MISS", (unsigned long long)changes[0],
           (unsigned long long)changes[1], (unsigned long long)changes[2]);
    mamori_history_free(h);
    return 0;
}
