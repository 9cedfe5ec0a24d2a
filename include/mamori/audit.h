/*
 * audit.h — `mamori audit` as data: the table of capabilities an audit
 * runs, each knowing what it applies to, which of a machine's files it
 * reads by default, and how to run itself into a sink. A client (the
 * `mamori audit` command, or any program linking libmamori) fills one
 * mamori_audit_input and runs every entry whose applies() says yes, in
 * table order; it needs to know nothing of any capability.
 *
 * Host sources are read through the input's mamori_sysroot (host.h):
 * this machine, or a root directory (a mounted image, a container, a
 * fixture). Under a root, a capability reads the root's files only, and
 * live probes (the systemd journal of the running machine; later
 * processes, sockets and services) are skipped with a note.
 *
 * Everything in the input is borrowed for the call of run(); run() sends
 * findings and summaries to the sink, diagnostics through ctx, and
 * returns MAMORI_E_ABORTED when the sink asked to stop (the client stops
 * then), another error when it could not run at all (already explained
 * by a diagnostic).
 */
#ifndef MAMORI_AUDIT_H
#define MAMORI_AUDIT_H

#include "mamori/export.h"
#include "mamori/finding.h"
#include "mamori/host.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mamori_audit_input {
    const mamori_sysroot *host;      /* this machine or a root; not NULL */
    int no_system;                   /* skip the host's usual sources */
    const char *const *paths;        /* logs named by the user */
    size_t npaths;
    const char *const *domains;      /* the organisation's domains */
    size_t ndomains;
    const char *resolver;            /* "ADDR[:PORT]" or NULL (system's) */
    const char *const *sites;        /* web sites' URLs (--site) */
    size_t nsites;
    /* The history this run is recorded in (history.h), or NULL; and the
     * scope it is recorded under. Borrowed: the patch review measures
     * how long earlier runs saw security updates wait. */
    struct mamori_history *history;
    const char *scope;
    /* A backup declaration on this machine (not under the root), or
     * NULL: /etc/mamori/backup.conf through the host, when it exists. */
    const char *backup_config;
    /* Request lines of sensitive files served 2xx, for the web row to
     * ask the sites again (mamori_web_opts.served); mamori_audit_run
     * fills them from the logscan row's findings when NULL. */
    const char *const *served;
    size_t nserved;
} mamori_audit_input;

typedef struct mamori_audit_capability {
    const char *name;                /* "logscan", "host" */
    /* What it checks, for `mamori audit --help`: lines of at most 76
     * columns, each ending in "\n", printed as they are. */
    const char *help;
    /* The host paths it reads by default (directories or files),
     * NULL-terminated; empty for capabilities that read no host files. */
    const char *const *sources;
    int (*applies)(const mamori_audit_input *in);
    mamori_err (*run)(const mamori_ctx *ctx, const mamori_audit_input *in,
                      const mamori_sink *sink);
} mamori_audit_capability;

/* The table, in the order an audit runs it; *count gets its length.
 * Static: never freed. */
MAMORI_API const mamori_audit_capability *const *mamori_audit_capabilities(
    size_t *count);

/* Runs every capability that applies, in order; stops at the first
 * MAMORI_E_ABORTED. Returns the first error met (or MAMORI_OK). Unless
 * in->served is given, the web row gets the sensitive files the logscan
 * row saw served (in->served is filled as the run goes). */
MAMORI_API mamori_err mamori_audit_run(const mamori_ctx *ctx,
                                       const mamori_audit_input *in,
                                       const mamori_sink *sink);

#ifdef __cplusplus
}
#endif
#endif
