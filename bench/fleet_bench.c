/*
 * fleet_bench.c — pushing a fleet: HOSTS simulated hosts, each one run of
 * FINDINGS findings, sent through the code `mamori push` uses (the
 * payload parsed as from the spool, then mr_fleet_send: host upsert, run,
 * grades, findings by COPY into the session's table and one INSERT ...
 * SELECT through the policies), one transaction per run, over one
 * connection. Of each run's findings three quarters are problems every
 * host shares (the same fingerprint) and the rest its own, so that
 * `mamori fleet worst` has real grouping to do. Prints runs/s and rows/s.
 *
 *   fleet_bench CONNINFO HOSTS FINDINGS
 */
#include "common.h"

#include <time.h>

#include "fleet/fleet_int.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int build(mr_payload *p, unsigned host, unsigned nf, int64_t when)
{
    static const char *const checks[] = {"logscan.sqli", "host.ssh.root-login",
                                         "patch.security-update", "web.tls.protocol"};
    char line[1024];
    int n = snprintf(line, sizeof(line),
                     "%sR\t%08x-0000-4000-8000-%012x\tbench-%05u\t%lld\t%lld\t1"
                     "\t%u\t0\t0\t%u\t%u\t%u\t%u\tC\t61\tbench%05u\tDebian GNU/Linux 12"
                     " (bookworm)\t6.1.0-bench\tmamori audit\troot=/ system\t0.1.0\t/\n"
                     "G\toverall\t61\tC\nG\tpatching\t40\tF\n",
                     MR_PAYLOAD_MAGIC, host, (unsigned)(when & 0xffffffff),
                     host, (long long)when, (long long)when + 30, nf, nf / 4,
                     nf / 4, nf / 4, nf - 3 * (nf / 4), host);
    if (mr_payload_raw(p, line, (size_t)n))
        return -1;
    for (unsigned j = 0; j < nf; j++) {
        int own = j >= nf * 3 / 4;
        unsigned sev = j % 5;
        n = snprintf(line, sizeof(line),
                     "F\t%u\t%s\t%u\tbench\tmeti.patching\t%08x%08x%016x\t"
                     "{\"check\":\"%s\",\"category\":\"bench\",\"severity\":%u,"
                     "\"file\":\"/etc/bench/%u.conf\",\"line\":%u,"
                     "\"evidence\":\"setting %u of host %u\"}\n",
                     j + 1, checks[j % 4], sev, own ? host : 0xffffffffu, j, 0u,
                     checks[j % 4], sev, j, j, j, host);
        if (mr_payload_raw(p, line, (size_t)n))
            return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: fleet_bench CONNINFO HOSTS FINDINGS\n");
        return 2;
    }
    unsigned hosts = (unsigned)strtoul(argv[2], NULL, 10);
    unsigned nf = (unsigned)strtoul(argv[3], NULL, 10);
    char err[MAMORI_FLEET_ERR_MAX];
    PGconn *c = mr_fleet_connect(argv[1], err, sizeof(err));
    if (!c) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    int64_t when = (int64_t)time(NULL);
    double t0 = now_s(), build_s = 0;
    for (unsigned h = 0; h < hosts; h++) {
        mr_payload p = {0};
        mr_run_rec rec;
        double b0 = now_s();
        if (build(&p, h, nf, when) || mr_payload_parse(p.text, p.len, &rec)) {
            fprintf(stderr, "cannot build host %u's run\n", h);
            return 2;
        }
        build_s += now_s() - b0;
        int lost = 0;
        if (mr_fleet_send(c, &rec, err, sizeof(err), &lost) < 0) {
            fprintf(stderr, "host %u: %s\n", h, err);
            return 2;
        }
        mr_run_rec_free(&rec);
        mr_payload_free(&p);
    }
    double secs = now_s() - t0;
    printf("pushed %u runs x %u findings in %.2f s (payloads built in %.2f s): "
           "%.0f runs/s, %.0f finding rows/s\n",
           hosts, nf, secs, build_s, hosts / secs, (double)hosts * nf / secs);
    mr_sym_PQfinish(c); /* c came from mr_fleet_connect, which opened libpq */
    return 0;
}
