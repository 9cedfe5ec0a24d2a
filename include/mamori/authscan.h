/*
 * authscan.h — login attacks in SSH, FTP and web-login logs: brute force,
 * user enumeration, password spraying, list-based attacks (credential
 * stuffing, リスト型攻撃), distributed brute force, and above all the
 * logins that succeeded (break-ins, privileged logins by password, logins
 * from outside an allowed network or at unusual hours, anonymous FTP).
 *
 * Reads OpenSSH sshd and FTP (vsftpd, ProFTPD, Pure-FTPd) lines from
 * syslog files (traditional, RFC 5424 and ISO 8601 timestamps) and from
 * vsftpd's own log, web logins (POSTs to login paths) from the access-log
 * formats logscan reads, and the systemd journal. Format is detected per
 * file; plain, .gz and .zst; files, directories and standard input.
 *
 * Events are grouped into campaigns: one finding per campaign, with its
 * time span, sources, accounts, attempts and successes, sent to the sink
 * by mamori_authscan_finish(). State lives in bounded tables sized from
 * opts.memory_budget; evictions are counted and reported.
 */
#ifndef MAMORI_AUTHSCAN_H
#define MAMORI_AUTHSCAN_H

#include "mamori/export.h"
#include "mamori/finding.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MAMORI_AUTHSCAN_LINE_MAX (16 * 1024)      /* longer lines skipped */
#define MAMORI_AUTHSCAN_MEMORY_DEFAULT ((size_t)256 << 20)
#define MAMORI_AUTHSCAN_ALLOW_MAX 64              /* --allow networks */
#define MAMORI_AUTHSCAN_LOGIN_PATHS_MAX 64        /* --login-path rules */
#define MAMORI_AUTHSCAN_PRIVILEGED_MAX 16         /* privileged accounts */

/*
 * Thresholds. A zero field takes the default named after it; the reasons
 * for each default are in man/mamori-authscan.1.
 */
typedef struct mamori_authscan_opts {
    /* brute force: this many failures from one source within window
     * (fail2ban: maxretry 5, findtime 10 min). */
    unsigned bf_failures;            /* default 5 */
    int64_t bf_window;               /* seconds; default 600 */
    /* user enumeration: this many distinct invalid accounts from one
     * source (CrowdSec ssh-user-enum: 5 distinct users). */
    unsigned enum_accounts;          /* default 5 */
    /* spraying: this many distinct existing accounts failed from one
     * source, at most spray_per_account failures on each. */
    unsigned spray_accounts;         /* default 5 */
    unsigned spray_per_account;      /* default 3 */
    /* credential stuffing: within one stuffing_window, this many accounts
     * tried at most twice each with no success right after, from at
     * least stuffing_sources sources. */
    unsigned stuffing_accounts;      /* default 20 */
    unsigned stuffing_sources;       /* default 3 */
    int64_t stuffing_window;         /* seconds; default 3600 */
    /* distributed brute force: failures on one account from this many
     * sources (Wazuh 5712 counts 8 in 120 s per source; spread over
     * sources each stays below it). */
    unsigned distributed_sources;    /* default 10 */
    unsigned distributed_failures;   /* default 20 */
    /* a success counts as a break-in after this many failures from the
     * same source (fail2ban's 5), or when the source failed on at least
     * breakin_other_accounts other accounts. */
    unsigned breakin_failures;       /* default 5 */
    unsigned breakin_other_accounts; /* default 3 */
    int64_t long_session;            /* seconds; default 43200 (12 h) */
    /* Successful logins are checked against these when set. */
    const char *const *allow;        /* CIDRs ("192.0.2.0/24", "::1") */
    size_t nallow;
    int hours_from, hours_to;        /* usual hours [from, to), may wrap
                                      * (22-6); equal = off */
    const char *const *privileged;   /* NULL = {"root", "toor"} */
    size_t nprivileged;
    /* Web logins: "PATH[:RULE]"; RULE is a comma list of statuses or
     * classes that mean success ("302", "3xx"); NULL = built-in paths. */
    const char *const *login_paths;
    size_t nlogin_paths;
    size_t memory_budget;            /* bytes; 0 = 256 MB */
    int64_t ref_time;                /* for year-less syslog times; 0 = file
                                      * mtime, or now for streams */
    int follow;                      /* follow links to directories outside
                                      * a directory given (never by default) */
} mamori_authscan_opts;

typedef struct mamori_authscan mamori_authscan;

/* ctx must outlive the scanner; opts (and the strings it points to) are
 * copied. A bad --allow, --hours or --login-path value gives
 * MAMORI_E_INVAL after a diagnostic naming it. */
MAMORI_API mamori_err mamori_authscan_new(const mamori_ctx *ctx,
                                          const mamori_authscan_opts *opts,
                                          mamori_authscan **out);
/* A file, a directory (recursively) or "-" for standard input. Findings
 * come at finish; the sink is kept only for aborts. */
MAMORI_API mamori_err mamori_authscan_path(
    mamori_authscan *as, const char *path);
/* One file met while walking a directory (the audit's walk of a root's
 * log directories): like mamori_authscan_path on a file, except that a
 * file in no log format is skipped with a note, as inside a directory. */
MAMORI_API mamori_err mamori_authscan_dir_entry(mamori_authscan *as,
                                                const char *path);
/* Bytes in memory, as if they were a file named `name`. */
MAMORI_API mamori_err mamori_authscan_buffer(
    mamori_authscan *as, const char *name, const void *data, size_t len);
/* The systemd journal: this machine's (dir NULL) or the journal files in
 * dir. MAMORI_E_INVAL when built without libsystemd. */
MAMORI_API mamori_err mamori_authscan_journal(
    mamori_authscan *as, const char *dir);
/* Classifies what was read and sends one finding per campaign, then the
 * summary, to the sink. Call once. */
MAMORI_API mamori_err mamori_authscan_finish(mamori_authscan *as,
                                             const mamori_sink *sink);
MAMORI_API void mamori_authscan_free(mamori_authscan *as);

typedef struct mamori_authscan_stats {
    uint64_t files, lines, events, failures, successes, malformed,
        evicted_sources, evicted_accounts, campaigns;
} mamori_authscan_stats;
MAMORI_API void mamori_authscan_get_stats(const mamori_authscan *as,
                                          mamori_authscan_stats *st);

/* The offending sources of the campaigns found by finish, for --emit:
 * calls fn once per distinct address (borrowed string). */
MAMORI_API mamori_err mamori_authscan_offenders(
    const mamori_authscan *as, int (*fn)(void *user, const char *addr),
    void *user);

#ifdef __cplusplus
}
#endif
#endif
