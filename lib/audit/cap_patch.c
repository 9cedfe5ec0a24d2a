/*
 * cap_patch.c — the patch state's entry in the audit table, first in it:
 * whether the machine is patched is the first thing IPA's and METI's
 * guidance ask (lib/patch, patch.h). Reads dpkg's status and apt's lists,
 * apt.conf.d, os-release and /run through the host's sysroot; the /proc
 * probes (running kernel, deleted libraries) on this machine only.
 */
#include "common.h"

#include "audit/audit_cap.h"
#include "mamori/patch.h"

static const char *const sources[] = {
    "/var/lib/dpkg/status", "/var/lib/apt/lists", "/etc/apt/apt.conf.d",
    "/etc/os-release", "/run/reboot-required", NULL,
};

static int applies(const mamori_audit_input *in)
{
    return !in->no_system;
}

static mamori_err run(const mamori_ctx *ctx, const mamori_audit_input *in,
                      const mamori_sink *sink)
{
    mamori_patch *p = NULL;
    /* The history, for how long security updates waited (cadence). */
    mamori_patch_opts opts = {.history = in->history, .scope = in->scope};
    mamori_err e = mamori_patch_new(ctx, &opts, &p);
    if (e) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, NULL, 0,
                     "patch: cannot start (out of memory)");
        return e;
    }
    e = mamori_patch_host(p, in->host, sink);
    mamori_err f = mamori_patch_finish(p, sink);
    mamori_patch_free(p);
    /* No dpkg status (not Debian-based) is a note, not a failed audit. */
    if (e == MAMORI_E_IO)
        e = MAMORI_OK;
    return e ? e : f == MAMORI_E_IO ? MAMORI_OK : f;
}

const mamori_audit_capability mr_audit_patch = {
    "patch",
    "  patch     updates waiting (security ones apart), stale package lists,\n"
    "            automatic updates, reboots and restarts needed, end of life\n"
    "            (dpkg and apt's lists, apt.conf.d, /etc/os-release)\n",
    sources,
    applies,
    run,
};
