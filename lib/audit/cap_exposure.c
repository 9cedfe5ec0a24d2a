/*
 * cap_exposure.c — the exposure review's entry in the audit table: the
 * listening sockets, the nftables ruleset's verdict for each and short
 * probes of the risky services (lib/exposure/). Only a running machine
 * has sockets: under a root the review is the firewall configuration
 * the root boots with (nftables.conf, iptables-save files, ufw,
 * firewalld) and the risky services it opens to everyone. On this
 * machine the SSH auth logs go along, so that SSH open to everyone with
 * passwords, under attack, is critical in the audit too.
 */
#include "common.h"

#include "audit/audit_cap.h"
#include "host/sysroot.h"
#include "mamori/exposure.h"

/* Sockets are read live; these logs tie SSH's exposure to its attacks. */
static const char *const sources[] = {"/var/log/auth.log",
                                      "/var/log/secure", NULL};

static int applies(const mamori_audit_input *in)
{
    return !in->no_system && in->host;
}

static mamori_err run(const mamori_ctx *ctx, const mamori_audit_input *in,
                      const mamori_sink *sink)
{
    mamori_exposure *x = NULL;
    mamori_exposure_opts opts;
    const char *logs[MR_ARRAY_LEN(sources)];
    size_t n = 0;
    memset(&opts, 0, sizeof(opts));
    /* on this machine a system path is the host path; the exposure layer
     * opens them as given, so a root's logs are not read */
    for (size_t i = 0; sources[i] && mamori_sysroot_is_live(in->host); i++)
        if (mr_sysroot_exists(in->host, sources[i]))
            logs[n++] = sources[i];
    logs[n] = NULL;
    opts.auth_logs = n ? logs : NULL;
    mamori_err e = mamori_exposure_new(ctx, &opts, &x);
    if (e) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, NULL, 0,
                     "exposure: cannot start (out of memory)");
        return e;
    }
    e = mamori_exposure_host(x, in->host, sink);
    mamori_err f = mamori_exposure_finish(x, sink);
    mamori_exposure_free(x);
    return e ? e : f;
}

const mamori_audit_capability mr_audit_exposure = {
    "exposure",
    "  exposure  listening sockets, the nftables ruleset's verdict for each,\n"
    "            risky services reachable from other hosts (probed); SSH\n"
    "            with passwords under attack in auth.log is critical\n",
    sources,
    applies,
    run,
};
