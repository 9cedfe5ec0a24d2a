/*
 * cap_dns.c — the DNS checks' entry in the audit table: the mail and DNS
 * health of the domains named with --domain. It reads no host file (the
 * resolver is this machine's, also under --root: the domains are checked
 * on the network, not in the image).
 */
#include "common.h"

#include "audit/audit_cap.h"
#include "mamori/dns.h"

static const char *const none[] = {NULL};

static int applies(const mamori_audit_input *in)
{
    return in->ndomains > 0;
}

static mamori_err run(const mamori_ctx *ctx, const mamori_audit_input *in,
                      const mamori_sink *sink)
{
    mamori_err first = MAMORI_OK;
    for (size_t i = 0; i < in->ndomains; i++) {
        mamori_err e = mamori_dns_audit(ctx, in->domains[i], in->resolver,
                                        sink);
        if (e && !first)
            first = e;
        if (e == MAMORI_E_ABORTED)
            break;
    }
    return first;
}

const mamori_audit_capability mr_audit_dns = {
    "dns",
    "  dns       with --domain: SPF, DKIM, DMARC, MX, MTA-STS, TLS-RPT, CAA\n"
    "            and DNSSEC of the organisation's domains\n",
    none,
    applies,
    run,
};
