/*
 * genlog.c — writes a realistic, deterministic web access log for the
 * logscan benchmark: `genlog [-v] [-s SEED] [-m MEGABYTES] [-o FILE]
 * [-t TRUTH]`.
 *
 * The log is nginx/Apache "combined" format for a shop with a blog and a
 * JSON API: thousands of clients (some IPv6) with sticky browser, bot or
 * app user agents, paths with query strings and referers, statuses that
 * are mostly 200 with some 304/301/404/500, response sizes that stay
 * stable per path, and timestamps that climb over about a week with a
 * day/night rhythm. About 1% of the lines are attacks of every category
 * mamori detects (SQL injection, XSS, traversal, RFI, command injection,
 * Log4Shell/Shellshock and other exploit probes, sensitive files, scanner
 * user agents), plain and encoded, a few of them answered with 200. Some
 * benign lines look alarming to a naive grep ("select ... from" in a
 * search), as real traffic does.
 *
 * Output is a pure function of the seed and the size, so benchmarks can
 * reuse a file. -r shapes the benign requests like real shop traffic
 * behind a CDN (few static assets; campaign tags, click ids, filters and
 * cache busters in long query strings): the median request then passes
 * 150 bytes. -v prints how many lines are attacks and -t lists them:
 * the ground truth a detector is measured against. The PRNG is
 * xoshiro256** seeded by splitmix64, never rand(). Lines are built in
 * place in a large output buffer through a bounded cursor: no generated
 * line can exceed GEN_LINE_MAX, and the file stops at the last whole line
 * that fits in the requested size.
 *
 * This file: options, the clock, the output loop. Traffic is in
 * genlog_traffic.c, attacks in genlog_attacks.c, tables in genlog_data.c.
 */
#include "genlog.h"

#define GEN_LINE_MAX 2048              /* longest line we ever build */
#define GEN_OUT_BUF (4u << 20)         /* bytes buffered between writes */
#define GEN_CLIENTS 6000               /* benign clients */
#define GEN_ATTACKERS 80               /* hostile clients */
#define GEN_MB_MAX (1u << 20)          /* -m limit: one tebibyte */
#define GEN_DAYS 7                     /* span of the whole log */
#define GEN_START 1794150000LL         /* 2026-11-09 about 00:20 UTC */
#define GEN_AVG_LINE 250               /* rough bytes per line, for pacing */
#define GEN_ATTACK_PER_10K 100         /* 1% of lines are attacks */

/* ---- PRNG, cursor and size helpers (declared in genlog.h) ---------- */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void gen_rng_seed(gen_rng *r, uint64_t seed)
{
    for (size_t i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

uint32_t gen_skewed(gen_rng *r, uint32_t n)
{
    double u = (double)(gen_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
    uint32_t i = (uint32_t)(u * u * u * n);
    return i < n ? i : n - 1;
}

void gen_put_uint(gen_cursor *c, uint64_t v)
{
    char tmp[24];
    size_t n = sizeof tmp;
    do {
        tmp[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    gen_put(c, tmp + n, sizeof tmp - n);
}

void gen_put_hex(gen_cursor *c, uint64_t v, size_t digits)
{
    static const char hex[] = "0123456789abcdef";
    char tmp[16];
    if (digits > sizeof tmp)
        digits = sizeof tmp;
    for (size_t i = digits; i-- > 0; v >>= 4)
        tmp[i] = hex[v & 15];
    gen_put(c, tmp, digits);
}

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    return h;
}

uint64_t gen_path_size(gen_rng *r, const char *path, size_t n, uint32_t lo,
                       uint32_t hi, uint32_t noise_pct)
{
    uint64_t base = lo + (hi > lo ? fnv1a(path, n) % (hi - lo) : 0);
    if (noise_pct == 0)
        return base;
    uint64_t span = base * noise_pct / 100 + 1;
    return base - span / 2 + gen_below(r, (uint32_t)MR_MIN(span, UINT32_MAX));
}

/* ---- clock ---------------------------------------------------------- */

/* Days since 1970-01-01 to a civil date (proleptic Gregorian), by the
 * well-known era / day-of-era arithmetic: no gmtime, no TZ. */
static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + (uint64_t)era * 400 + (*m <= 2));
}

static void put_2d(gen_cursor *c, unsigned v)
{
    char tmp[2] = {(char)('0' + v / 10 % 10), (char)('0' + v % 10)};
    gen_put(c, tmp, 2);
}

void gen_put_time(gen_cursor *c, gen_clock *ck)
{
    int64_t local = ck->ms / 1000 + GEN_TZ_OFFSET;
    int64_t day = local / 86400;
    if (day != ck->day) {
        static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May",
            "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        int y;
        unsigned m, d;
        civil_from_days(day, &y, &m, &d);
        int n = snprintf(ck->date, sizeof ck->date, "%02u/%s/%04d:", d,
                         mon[(m - 1) % 12], y);
        ck->date_len = n > 0 && (size_t)n < sizeof ck->date ? (size_t)n : 0;
        ck->day = day;
    }
    unsigned sec = (unsigned)(local % 86400);
    gen_put(c, ck->date, ck->date_len);
    put_2d(c, sec / 3600);
    gen_putc(c, ':');
    put_2d(c, sec / 60 % 60);
    gen_putc(c, ':');
    put_2d(c, sec % 60);
    gen_puts(c, " +0900");
}

/* Traffic by local hour, in percent of the daily mean: quiet at night. */
static const uint8_t hour_load[24] = {55, 40, 30, 25, 25, 30, 45, 70, 95,
    110, 120, 125, 135, 125, 120, 115, 115, 120, 135, 150, 160, 150, 120, 85};

void gen_clock_tick(gen_rng *r, gen_clock *ck)
{
    unsigned hour = (unsigned)((ck->ms / 1000 + GEN_TZ_OFFSET) % 86400 / 3600);
    uint64_t mean = (uint64_t)ck->mean_step_ms * 100 / hour_load[hour];
    ck->ms += (int64_t)gen_below(r, (uint32_t)MR_MIN(2 * mean + 1, UINT32_MAX));
}

/* ---- main ----------------------------------------------------------- */

static int usage(FILE *f, int status)
{
    fprintf(f, "usage: genlog [-v] [-r] [-s SEED] [-m MEGABYTES] [-o FILE] [-t FILE]\n"
               "Writes about MEGABYTES MiB (default 64) of a realistic\n"
               "combined-format access log, ~1%% attacks, to FILE or stdout.\n"
               "The same SEED (default 1) and size give the same bytes.\n"
               "-v: print \"bytes N lines N attacks N\" to stderr at the end.\n"
               "-t FILE: write the line numbers of the attack lines to FILE.\n"
               "-r: real-shaped traffic: the query strings of real shops (campaign\n"
               "    tags, click ids, filters, cache busters, browser percent-encoding).\n");
    return status;
}

static bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    if (s == NULL || *s < '0' || *s > '9')
        return false;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v > max)
        return false;
    *out = v;
    return true;
}

/* What was written, for -v. */
typedef struct gen_counts {
    uint64_t bytes, lines, attacks;
} gen_counts;

/* Generates lines into buf until the next one would pass target bytes,
 * writing the buffer out whenever it fills. 0 on success. */
static int generate(gen_state *st, char *buf, uint64_t target, FILE *out,
                    FILE *truth, gen_counts *n_out)
{
    uint64_t written = 0;
    size_t len = 0;
    for (;;) {
        gen_cursor c = {buf + len, buf + len + GEN_LINE_MAX - 1};
        gen_clock_tick(st->r, st->ck);
        bool attack = gen_line(st, &c);
        *c.p++ = '\n'; /* end leaves one byte for it */
        size_t n = (size_t)(c.p - (buf + len));
        if (written + len + n > target)
            break;
        len += n;
        n_out->bytes += n;
        n_out->lines++;
        n_out->attacks += attack;
        if (attack && truth != NULL &&
            fprintf(truth, "%llu\n", (unsigned long long)n_out->lines) < 0)
            return -1;
        if (len >= GEN_OUT_BUF) {
            if (fwrite(buf, 1, len, out) != len)
                return -1;
            written += len;
            len = 0;
        }
    }
    if (len > 0 && fwrite(buf, 1, len, out) != len)
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    uint64_t seed = 1, mb = 64;
    const char *path = NULL, *truth_path = NULL;
    bool verbose = false, shaped = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
            return usage(stdout, 0);
        if (strcmp(a, "-v") == 0)
            verbose = true;
        else if (strcmp(a, "-r") == 0)
            shaped = true;
        else if (strcmp(a, "-s") == 0 && parse_u64(v, UINT64_MAX, &seed))
            i++;
        else if (strcmp(a, "-m") == 0 && parse_u64(v, GEN_MB_MAX, &mb) &&
                 mb > 0)
            i++;
        else if (strcmp(a, "-o") == 0 && v != NULL)
            path = argv[++i];
        else if (strcmp(a, "-t") == 0 && v != NULL)
            truth_path = argv[++i];
        else {
            fprintf(stderr, "genlog: bad or incomplete argument '%s'\n", a);
            return usage(stderr, 2);
        }
    }

    int status = 1;
    FILE *out = NULL, *truth = NULL;
    char *buf = malloc(GEN_OUT_BUF + GEN_LINE_MAX);
    gen_client *clients = malloc(sizeof(gen_client) *
                                 (GEN_CLIENTS + GEN_ATTACKERS));
    if (buf == NULL || clients == NULL) {
        fprintf(stderr, "genlog: out of memory\n");
        goto out;
    }
    out = path ? fopen(path, "wb") : stdout;
    if (out == NULL) {
        fprintf(stderr, "genlog: %s: %s\n", path, strerror(errno));
        goto out;
    }
    if (truth_path != NULL && (truth = fopen(truth_path, "w")) == NULL) {
        fprintf(stderr, "genlog: %s: %s\n", truth_path, strerror(errno));
        goto out;
    }

    gen_rng r;
    gen_rng_seed(&r, seed);
    gen_make_clients(&r, clients, GEN_CLIENTS);
    gen_make_attackers(&r, clients + GEN_CLIENTS, GEN_ATTACKERS);

    const uint64_t target = mb << 20;
    uint64_t lines = target / GEN_AVG_LINE + 1;
    uint64_t step = (uint64_t)GEN_DAYS * 86400 * 1000 / lines;
    gen_clock ck = {.ms = GEN_START * 1000, .day = -1,
                    .mean_step_ms = (uint32_t)MR_MAX(MR_MIN(step, 3600000), 1)};
    gen_state st = {.r = &r, .ck = &ck,
                    .clients = clients, .nclients = GEN_CLIENTS,
                    .attackers = clients + GEN_CLIENTS,
                    .nattackers = GEN_ATTACKERS,
                    .attack_per_10k = GEN_ATTACK_PER_10K, .shaped = shaped};

    gen_counts n = {0, 0, 0};
    status = generate(&st, buf, target, out, truth, &n) == 0 ? 0 : 1;
    if (fflush(out) != 0 || ferror(out))
        status = 1;
    if (truth != NULL && (fflush(truth) != 0 || ferror(truth)))
        status = 1;
    if (status != 0)
        fprintf(stderr, "genlog: write error: %s\n", strerror(errno));
    else if (verbose)
        fprintf(stderr, "bytes %llu lines %llu attacks %llu\n",
                (unsigned long long)n.bytes, (unsigned long long)n.lines,
                (unsigned long long)n.attacks);
out:
    if (truth != NULL && fclose(truth) != 0 && status == 0) {
        fprintf(stderr, "genlog: %s: %s\n", truth_path, strerror(errno));
        status = 1;
    }
    if (out != NULL && path != NULL && fclose(out) != 0 && status == 0) {
        fprintf(stderr, "genlog: %s: %s\n", path, strerror(errno));
        status = 1;
    }
    free(buf);
    free(clients);
    return status;
}
