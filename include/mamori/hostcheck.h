/*
 * hostcheck.h — `mamori host`: the configuration review IPA's basics ask
 * for (table 1.1, reviewing settings; the common measures for servers):
 * sshd's effective configuration and host keys, accounts and sudo, the
 * modes and owners of system files, kernel settings, services, logging
 * and security software (data/hostchecks/ says which), each finding
 * naming the file and line (or the setting) that decided it and the
 * exact change to make (the field "fix"), with the matching CIS Debian
 * benchmark recommendation or Lynis test ("reference").
 *
 * Everything is read through a mamori_sysroot (host.h): this machine, or
 * an offline root (`--root DIR`: a mounted image, a container's root, a
 * fixture tree). On this machine the kernel's runtime values
 * (/proc/sys) are judged; under a root the configured ones.
 *
 * Lifecycle, as every capability (docs/architecture.md):
 *   mamori_hostcheck_new(ctx, opts, &hc);
 *   mamori_hostcheck_host(hc, sysroot, sink);  findings as they are found
 *   mamori_hostcheck_finish(hc, sink);         the summary: rules judged,
 *                                              passed, findings
 *   mamori_hostcheck_free(hc);
 * ctx and the sysroot must outlive the calls that use them; findings are
 * borrowed for the sink call (finding.h).
 */
#ifndef MAMORI_HOSTCHECK_H
#define MAMORI_HOSTCHECK_H

#include <stdio.h>

#include "mamori/export.h"
#include "mamori/finding.h"
#include "mamori/host.h"
#include "mamori/mamori.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mamori_hostcheck mamori_hostcheck;

typedef struct mamori_hostcheck_opts {
    /* 1: judge the configured settings even on this machine: not the
     * runtime values of /proc/sys, nor sshd -T. Default 0. */
    int configured_only;
    /* A file of accepted deviations, or NULL: one a line,
     * "ID [PATH] [until=YYYY-MM-DD] # reason" (ID a rule or check id,
     * patterns allowed). A finding one covers is reported as accepted
     * (severity info, field "accepted": the reason), not hidden; an
     * expired one is a finding itself (host.exception.expired). */
    const char *exceptions;
    /* A baseline saved by mamori_hostcheck_save_baseline(), or NULL:
     * findings not in it carry "baseline": "new"; its findings no
     * longer found are the summary's table "fixed". */
    const char *baseline;
    /* Today for until= (unix seconds, UTC); 0: the clock's. */
    int64_t now;
    /* The days of logs an investigation needs (host.log.retention: log
     * rotation, journald's age and size limits); 0: the rules' own bar,
     * 90 days. At most MAMORI_HOSTCHECK_LOG_DAYS_MAX. */
    unsigned log_days;
} mamori_hostcheck_opts;

#define MAMORI_HOSTCHECK_LOG_DAYS_MAX 3650

/* opts may be NULL (defaults); copied (the files are read here, so
 * their names need not outlive the call). *out is freed by
 * mamori_hostcheck_free(). MAMORI_E_NOMEM; MAMORI_E_IO (errno kept) or
 * MAMORI_E_FORMAT when the exceptions file or the baseline cannot be
 * read, after a diagnostic. */
MAMORI_API mamori_err mamori_hostcheck_new(const mamori_ctx *ctx,
                                           const mamori_hostcheck_opts *opts,
                                           mamori_hostcheck **out);
/* Reviews the machine sr reads; findings go to sink as each rule is
 * judged. A file that is not there is a note, one that cannot be read a
 * warning (ctx->diag); the review goes on. MAMORI_E_ABORTED when the
 * sink stopped it. */
MAMORI_API mamori_err mamori_hostcheck_host(mamori_hostcheck *hc,
                                            const mamori_sysroot *sr,
                                            const mamori_sink *sink);
/* Sends the summary (counters: rules judged, passed, findings) and
 * returns the first error of the runs. */
MAMORI_API mamori_err mamori_hostcheck_finish(mamori_hostcheck *hc,
                                              const mamori_sink *sink);
/* Writes the findings of the runs so far as a baseline to out (the
 * caller opens and closes it). MAMORI_E_IO. */
MAMORI_API mamori_err mamori_hostcheck_save_baseline(
    const mamori_hostcheck *hc, FILE *out);
/* Accepts NULL. */
MAMORI_API void mamori_hostcheck_free(mamori_hostcheck *hc);

/* One call: a sysroot on root (NULL or "/": this machine), new, host,
 * finish, free. MAMORI_E_IO (after a diagnostic) when root cannot be
 * opened. */
MAMORI_API mamori_err mamori_hostcheck_review(const mamori_ctx *ctx,
                                              const char *root,
                                              const mamori_sink *sink);

#ifdef __cplusplus
}
#endif
#endif
