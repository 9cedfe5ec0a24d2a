/*
 * detect_bench.c — micro-benchmark of the request detector (detect.h)
 * alone: loads an access log (genlog's, or any combined log) into memory,
 * parses every line once, then times mr_detect() over all the parsed
 * requests for a few rounds and prints nanoseconds per request, for all
 * requests and for the benign ones (no hit), and the number of requests
 * with hits. The parser and the driver are left out on purpose: this is
 * the figure to watch when changing lib/logscan/detect*.c.
 *
 * Usage: detect_bench LOGFILE [ROUNDS]
 */
#include "common.h"

#include <stdio.h>
#include <time.h>

#include "logscan/detect.h"
#include "weblog/parse.h"

#define BENCH_FILE_MAX ((size_t)1 << 30)   /* bytes of log loaded */
#define BENCH_ROUNDS_MAX 100

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static char *load(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = (size_t)1 << 20, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0 || n == BENCH_FILE_MAX)
            break;
        if (n == cap) {
            size_t ncap = MR_MIN(cap * 2, BENCH_FILE_MAX);
            char *nb = realloc(buf, ncap);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap = ncap;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: detect_bench LOGFILE [ROUNDS]\n");
        return 2;
    }
    int rounds = 3;
    if (argc > 2) {
        char *end = NULL;
        long r = strtol(argv[2], &end, 10);
        if (!end || *end || r < 1 || r > BENCH_ROUNDS_MAX)
            return 2;
        rounds = (int)r;
    }
    size_t len = 0;
    char *data = load(argv[1], &len);
    if (!data) {
        fprintf(stderr, "detect_bench: cannot read %s\n", argv[1]);
        return 2;
    }
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += data[i] == '\n';
    mr_http_event *evs = malloc(lines * sizeof *evs);
    uint8_t *benign = malloc(lines);
    mr_logformat *fmt = malloc(sizeof *fmt);
    mr_detector *d = mr_detector_new();
    mr_detect_scratch *s = d ? mr_detect_scratch_new(d) : NULL;
    if (!evs || !benign || !fmt || !s) {
        fprintf(stderr, "detect_bench: out of memory\n");
        return 2;
    }
    mr_logformat_init(fmt, MR_LOGFORMAT_COMBINED);
    size_t nev = 0;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(data + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - data) : len;
        if (mr_logformat_parse_line(fmt, data + i, end - i, &evs[nev]) == MR_PARSE_OK)
            nev++;
        i = end + 1;
    }
    mr_hit hits[MR_HITS_MAX];
    size_t flagged = 0, nbenign = 0;
    for (size_t i = 0; i < nev; i++) {
        size_t h = mr_detect(d, s, &evs[i], hits, MR_HITS_MAX);
        benign[i] = h == 0;
        flagged += h > 0;
        nbenign += h == 0;
    }
    double best_all = 1e30, best_benign = 1e30;
    for (int r = 0; r < rounds; r++) {
        double t0 = now_ns();
        for (size_t i = 0; i < nev; i++)
            (void)mr_detect(d, s, &evs[i], hits, MR_HITS_MAX);
        double t1 = now_ns();
        for (size_t i = 0; i < nev; i++)
            if (benign[i])
                (void)mr_detect(d, s, &evs[i], hits, MR_HITS_MAX);
        double t2 = now_ns();
        best_all = MR_MIN(best_all, (t1 - t0) / (double)MR_MAX(nev, (size_t)1));
        best_benign = MR_MIN(best_benign, (t2 - t1) / (double)MR_MAX(nbenign, (size_t)1));
    }
    printf("requests %zu  with hits %zu  benign %zu\n", nev, flagged, nbenign);
    printf("ns/request all %.1f  benign %.1f  (best of %d)\n", best_all, best_benign, rounds);
    mr_detect_scratch_free(s);
    mr_detector_free(d);
    free(fmt);
    free(benign);
    free(evs);
    free(data);
    return 0;
}
