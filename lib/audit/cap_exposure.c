/*
 * cap_exposure.c — the exposure review's entry in the audit table: the
 * listening sockets, the nftables ruleset's verdict for each and short
 * probes of the risky services (lib/exposure/). Only a running machine
 * has sockets: under a root it does not apply (`mamori exposure --root`
 * says so in a note).
 */
#include "common.h"

#include "audit/audit_cap.h"
#include "mamori/exposure.h"

/* Read live, not from files: nothing to list as a default source. */
static const char *const sources[] = {NULL};

static int applies(const mamori_audit_input *in)
{
    return !in->no_system && in->host && mamori_sysroot_is_live(in->host);
}

static mamori_err run(const mamori_ctx *ctx, const mamori_audit_input *in,
                      const mamori_sink *sink)
{
    mamori_exposure *x = NULL;
    mamori_err e = mamori_exposure_new(ctx, NULL, &x);
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
    "            risky services reachable from other hosts (probed)\n",
    sources,
    applies,
    run,
};
