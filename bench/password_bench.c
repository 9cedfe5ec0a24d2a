/*
 * password_bench.c — microseconds per password check for mamori and, on
 * the same inputs in the same run, the peers IPA's issue names: passwdqc
 * (libpasswdqc, its defaults), libpwquality (its defaults, which use
 * cracklib) and zxcvbn-c (Debian's libzxcvbn; score 3+ i.e. >= 1e8
 * guesses counts as accept, like its own example). For each it also prints
 * the share of tests/password/reject.txt it rejects and of accept.txt it
 * accepts. Built and run by bench/password.sh.
 *
 * Timing: CPU time of this thread (CLOCK_THREAD_CPUTIME_ID), so a busy
 * machine's other processes do not count; each checker is timed in
 * REPS repetitions, interleaved with the others, and the fastest
 * repetition is reported (the least disturbed one). Each repetition
 * starts with one untimed pass, so that no checker pays for the caches
 * the one before it filled, and times the whole set (the two lists in
 * turn), then the weak passwords alone and the strong ones alone: some
 * checkers take far longer on one kind (passwdqc on strong passwords).
 * A slow checker's repetition stops after REP_SECONDS.
 *
 * usage: password_bench REJECT.txt ACCEPT.txt [ROUNDS]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <passwdqc.h>
#include <pwquality.h>
#include <zxcvbn.h>

#include "mamori/password.h"

#define LIST_MAX 4096
#define REPS 5
#define REP_SECONDS 0.5
#define LINE_BYTES 512

typedef struct list {
    char *pw[LIST_MAX];
    size_t n;
} list;

static void load(const char *path, list *l)
{
    FILE *f = fopen(path, "r");
    char line[LINE_BYTES];
    if (!f) {
        perror(path);
        exit(2);
    }
    while (l->n < LIST_MAX && fgets(line, sizeof(line), f)) {
        size_t n = strcspn(line, "\r\n");
        line[n] = '\0';
        if (n == 0 || line[0] == '#')
            continue;
        l->pw[l->n++] = strdup(line);
    }
    fclose(f);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef int (*accept_fn)(const char *pw);

static mamori_password_checker *mamori;
static passwdqc_params_t qc;
static pwquality_settings_t *pwq;

static int mamori_accepts(const char *pw)
{
    mamori_password_result r;
    mamori_password_check(mamori, pw, strlen(pw), NULL, &r);
    return r.accepted;
}

static int passwdqc_accepts(const char *pw)
{
    return passwdqc_check(&qc.qc, pw, NULL, NULL) == NULL;
}

static int pwquality_accepts(const char *pw)
{
    void *aux = NULL;
    return pwquality_check(pwq, pw, NULL, NULL, &aux) >= 0;
}

static int zxcvbn_accepts(const char *pw)
{
    double bits = ZxcvbnMatch(pw, NULL, NULL);
    return bits * log10(2.0) >= 8.0;
}

enum { SET_ALL, SET_WEAK, SET_STRONG, SETS };

typedef struct peer {
    const char *name;
    accept_fn fn;
    double best_us[SETS];   /* fastest repetition, per set */
} peer;

/* One timed run: up to `rounds` passes over the lists (b may be NULL),
 * stopping early past REP_SECONDS; microseconds per check. */
static double time_lists(accept_fn fn, const list *a, const list *b,
                         int rounds)
{
    size_t checks = 0;
    volatile int sink = 0;
    double t0 = now(), t = t0;
    for (int r = 0; r < rounds && t - t0 < REP_SECONDS; r++) {
        for (size_t i = 0; i < a->n; i++)
            sink += fn(a->pw[i]);
        checks += a->n;
        if (b) {
            for (size_t i = 0; i < b->n; i++)
                sink += fn(b->pw[i]);
            checks += b->n;
        }
        t = now();
    }
    (void)sink;
    return checks ? (t - t0) * 1e6 / (double)checks : 0;
}

/* One repetition of a checker: warm up, then each set. */
static void time_rep(peer *p, const list *rej, const list *acc, int rounds)
{
    double us[SETS];
    (void)time_lists(p->fn, rej, acc, 1);
    us[SET_ALL] = time_lists(p->fn, rej, acc, rounds);
    us[SET_WEAK] = time_lists(p->fn, rej, NULL, rounds);
    us[SET_STRONG] = time_lists(p->fn, acc, NULL, rounds);
    for (int s = 0; s < SETS; s++)
        if (us[s] < p->best_us[s])
            p->best_us[s] = us[s];
}

static void verdicts(const peer *p, const list *rej, const list *acc)
{
    size_t rejected = 0, accepted = 0;
    for (size_t i = 0; i < rej->n; i++)
        rejected += !p->fn(rej->pw[i]);
    for (size_t i = 0; i < acc->n; i++)
        accepted += p->fn(acc->pw[i]);
    printf("%-12s %9.2f %9.2f %9.2f   %6.1f%%  %6.1f%%\n", p->name,
           p->best_us[SET_ALL], p->best_us[SET_WEAK], p->best_us[SET_STRONG],
           100.0 * rejected / rej->n, 100.0 * accepted / acc->n);
}

int main(int argc, char **argv)
{
    list rej = {0}, acc = {0};
    if (argc < 3) {
        fputs("usage: password_bench REJECT.txt ACCEPT.txt [ROUNDS]\n",
              stderr);
        return 2;
    }
    load(argv[1], &rej);
    load(argv[2], &acc);
    if (rej.n == 0 || acc.n == 0) {
        fputs("password_bench: a list holds no password\n", stderr);
        return 2;
    }
    int rounds = 20;
    if (argc > 3) {
        char *end;
        long v = strtol(argv[3], &end, 10);
        if (*end || v < 1 || v > 100000) {
            fprintf(stderr, "rounds: a number from 1 to 100000\n");
            return 2;
        }
        rounds = (int)v;
    }
    if (mamori_password_checker_new(NULL, &mamori))
        return 1;
    passwdqc_params_reset(&qc);
    pwq = pwquality_default_settings();
    pwquality_read_config(pwq, NULL, NULL);
    ZxcvbnInit(NULL);
    printf("%zu passwords to reject, %zu to accept, %d rounds\n", rej.n,
           acc.n, rounds);
    printf("mamori breach filter: %zu entries\n",
           mamori_password_breach_entries());
    peer peers[] = {{"mamori", mamori_accepts, {1e30, 1e30, 1e30}},
                    {"passwdqc", passwdqc_accepts, {1e30, 1e30, 1e30}},
                    {"zxcvbn-c", zxcvbn_accepts, {1e30, 1e30, 1e30}},
                    {"pwquality", pwquality_accepts, {1e30, 1e30, 1e30}}};
    size_t npeers = sizeof(peers) / sizeof(peers[0]);
    for (int rep = 0; rep < REPS; rep++)
        for (size_t k = 0; k < npeers; k++)
            time_rep(&peers[k], &rej, &acc, rounds);
    printf("%-12s %9s %9s %9s   %7s  %7s\n", "", "us/check", "weak",
           "strong", "rejects", "accepts");
    printf("%-12s %9s %9s %9s   %7s  %7s\n", "checker", "(all)", "only",
           "only", "of bad", "strong");
    for (size_t k = 0; k < npeers; k++)
        verdicts(&peers[k], &rej, &acc);
    printf("mamori is %.1fx as fast as zxcvbn-c in this run\n",
           peers[2].best_us[SET_ALL] / peers[0].best_us[SET_ALL]);
    mamori_password_checker_free(mamori);
    pwquality_free_settings(pwq);
    return 0;
}
