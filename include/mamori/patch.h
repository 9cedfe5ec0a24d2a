/*
 * patch.h — is this machine patched? (`mamori patch`, IPA's "ソフトウェアの
 * 更新" and METI's Patching Cadence: countermeasures basic.update and
 * meti.patching.) Read through a mamori_sysroot (host.h), so the same
 * review runs on this machine, an image or a container root:
 *
 *   inventory       /var/lib/dpkg/status: installed packages, their
 *                   source package and version, architecture
 *   updates         /var/lib/apt/lists/ *_Packages (plain, .gz, .zst,
 *                   .lz4, .xz) and their Release/InRelease (origin,
 *                   label, suite, codename, date): category
 *                   pending-security-update (high) or pending-update (low)
 *   freshness       the lists older than MAMORI_PATCH_STALE_DAYS:
 *                   stale-package-lists
 *   automatic       unattended-upgrades installed, enabled in
 *                   /etc/apt/apt.conf.d and run in the last 48 hours:
 *                   no-automatic-updates
 *   restart         /run/reboot-required, the running kernel older than
 *                   the newest installed linux-image (live only):
 *                   reboot-required; processes mapping deleted libraries
 *                   (/proc/PID/maps, live only): restart-required
 *   support         /etc/os-release against the release dates compiled
 *                   in from data/patch/releases.def: eol-release
 *   known, by OSV    with opts->osv, OSV records of this Debian release:
 *                   known-vulnerability with available_since and
 *                   days_exposed, and cadence past SecurityScorecard's
 *                   window (45/90/120 days for high/medium/low)
 *   cadence         how long security updates waited before they were
 *                   applied over the last 90 days (median, worst): from
 *                   opts->history (first run that saw each waiting, and
 *                   the run or dpkg.log line that saw it go) and from
 *                   dpkg.log's upgrades against OSV's published dates;
 *                   one late past 45 days: cadence
 *   limited support the lists of debian-security-support where it is
 *                   installed: unsupported-package
 *   known CVEs      with opts->tracker, the Debian security tracker's
 *                   JSON export, by source package and the release's
 *                   codename: known-vulnerability (fix released, not
 *                   installed; severity from the urgency); open,
 *                   postponed, ignored and unimportant ones counted
 *
 * Candidates are chosen as apt does for the common case: the highest
 * version in the lists of priority 500 (a normal archive), else in lists
 * of priority 100 (NotAutomatic with ButAutomaticUpgrades: backports);
 * NotAutomatic alone (experimental) is never a candidate, and a package
 * on hold is left as it is. Not modelled: apt_preferences(5) pins,
 * APT::Default-Release, phased updates, and the dependency solver (a
 * package dist-upgrade would remove or keep back for a conflict).
 *
 * Lifecycle as every capability (docs/architecture.md): new, host (as
 * many hosts as wanted), finish, free. Ownership: new copies opts; ctx
 * must outlive the object. Findings are borrowed by the sink as always.
 */
#ifndef MAMORI_PATCH_H
#define MAMORI_PATCH_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/export.h"
#include "mamori/finding.h"
#include "mamori/history.h"
#include "mamori/host.h"
#include "mamori/mamori.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MAMORI_PATCH_STALE_DAYS 7     /* lists older than this are stale */
#define MAMORI_PATCH_AUTO_HOURS 48    /* unattended-upgrades ran within */
#define MAMORI_DEBVERSION_MAX 256     /* bytes of a version we compare */
/* Patching cadence: security updates applied in the last
 * MAMORI_PATCH_CADENCE_DAYS, and how long each waited; one that waited
 * past MAMORI_PATCH_CADENCE_WINDOW days (SecurityScorecard's window for a
 * high-severity flaw, as security-suite updates are judged) is late. */
#define MAMORI_PATCH_CADENCE_DAYS 90
#define MAMORI_PATCH_CADENCE_WINDOW 45

/* ---- Debian versions (deb-version(7)) ---------------------------- */

/* A parsed version: spans BORROWED from the string given to the parser. */
typedef struct mamori_debversion {
    uint32_t epoch;
    const char *upstream;     /* upstream_version */
    size_t upstream_len;
    const char *revision;     /* debian_revision; "" when there is none */
    size_t revision_len;
    int warning;              /* dpkg would warn (not starting with a
                                 digit, a character policy does not allow)
                                 but still compare, as we do */
} mamori_debversion;

/* Parses s[0..len) as dpkg does (leading and trailing blanks ignored).
 * MAMORI_E_INVAL for what dpkg refuses outright: empty, embedded blank,
 * a bad or empty epoch, nothing after the epoch, an empty revision; *why
 * (may be NULL) then names the reason in English. */
MAMORI_API mamori_err mamori_debversion_parse(const char *s, size_t len,
                                              mamori_debversion *out,
                                              const char **why);
/* -1, 0 or 1 as a is older, the same or newer than b (dpkg's order:
 * epoch, then upstream and revision by verrevcmp: '~' before anything,
 * even the end; letters before other characters; digits numerically). */
MAMORI_API int mamori_debversion_cmp(const mamori_debversion *a,
                                     const mamori_debversion *b);
/* Both in one call: *result -1/0/1, or MAMORI_E_INVAL as parse says. */
MAMORI_API mamori_err mamori_debversion_compare(const char *a, size_t alen,
                                                const char *b, size_t blen,
                                                int *result,
                                                const char **why);

/* RPM's order ([EPOCH:]VERSION[-RELEASE] by librpm's rpmvercmp and
 * rpmverCmp: '~' before everything, '^' after the end, numbers newer than
 * letters, a release present newer than none). Every string is a
 * version to RPM: always MAMORI_OK, *result -1, 0 or 1. */
MAMORI_API mamori_err mamori_rpmversion_compare(const char *a, size_t alen,
                                                const char *b, size_t blen,
                                                int *result);

/* ---- the review --------------------------------------------------- */

typedef struct mamori_patch_opts {
    int64_t now;          /* unix seconds taken as now; 0: the clock */
    unsigned stale_days;  /* 0: MAMORI_PATCH_STALE_DAYS */
    /* The Debian security tracker's JSON export (plain, .gz or .zst), a
     * path on this machine (not under the root), or NULL: no CVE match.
     * Copied by new. */
    const char *tracker;
    /* A directory of OSV records (*.json, .gz, .zst: Debian's DSA/DLA as
     * osv.dev publishes them), a path on this machine, or NULL. Their
     * "published" dates give available_since, days_exposed and the
     * cadence findings. Copied by new. */
    const char *osv;
    /* The audit history (history.h), BORROWED (must outlive the object),
     * or NULL: security updates that mamori saw waiting in earlier runs
     * of `scope` and that were applied since give the patching cadence
     * (how long they waited: median and worst over the last
     * MAMORI_PATCH_CADENCE_DAYS). scope is copied by new. */
    mamori_history *history;
    const char *scope;
} mamori_patch_opts;

typedef struct mamori_patch mamori_patch;

/* opts may be NULL (defaults). MAMORI_E_NOMEM only. */
MAMORI_API mamori_err mamori_patch_new(const mamori_ctx *ctx,
                                       const mamori_patch_opts *opts,
                                       mamori_patch **out);
/* Reviews one host through sr and sends its findings to sink; what
 * cannot be read is a diagnostic and the rest is still judged. Returns
 * MAMORI_E_ABORTED when the sink stopped it, MAMORI_E_IO when the dpkg
 * status could not be read (nothing to judge updates against). */
MAMORI_API mamori_err mamori_patch_host(mamori_patch *p,
                                        const mamori_sysroot *sr,
                                        const mamori_sink *sink);
/* Sends the summary (packages, lists, updates waiting; none when no host
 * had a dpkg status) and returns the first error of the hosts reviewed. */
MAMORI_API mamori_err mamori_patch_finish(mamori_patch *p,
                                          const mamori_sink *sink);
MAMORI_API void mamori_patch_free(mamori_patch *p);

#ifdef __cplusplus
}
#endif
#endif
