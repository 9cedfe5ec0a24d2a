/*
 * patch_int.h — what the parts of `mamori patch` (patch.h) share: the
 * run (host, sink, clock), the inventory from dpkg's status, the apt
 * releases, and the helpers that send a finding. Each part is one file:
 * dpkg.c (inventory), apt.c (updates waiting, stale lists), autoupd.c
 * (automatic updates), restart.c (reboot and restart), support.c (end
 * of life), tracker.c and json.c (known vulnerabilities); on RPM-based
 * systems rpmdb.c (inventory through librpm) and autoupd_dnf.c
 * (dnf-automatic); cadence.c (how long security updates waited).
 */
#ifndef MR_PATCH_INT_H
#define MR_PATCH_INT_H

#include "host/sysroot.h"
#include "mamori/patch.h"
#include "util/arena.h"
#include "util/span.h"
#include "util/table.h"

#define MR_PATCH_STATUS_MAX (256u * 1024 * 1024) /* dpkg status bytes */
#define MR_PATCH_PACKAGES_MAX 100000   /* installed packages kept */
#define MR_PATCH_ARENA_MAX (512u * 1024 * 1024) /* their strings */
#define MR_PATCH_RELEASES_MAX 128      /* Release files of the lists */
#define MR_PATCH_FIELD_MAX 128         /* origin, suite... kept */
#define MR_PATCH_PATH_MAX MAMORI_SYSROOT_PATH_MAX
#define MR_PATCH_LINE_BUF (1024 * 1024) /* a list's lines at a time */
#define MR_PATCH_CONF_MAX (1024 * 1024)  /* an apt.conf.d file */
#define MR_PATCH_LOG_MAX (64u * 1024 * 1024) /* unattended-upgrades.log */

enum { MR_PRIO_NORMAL = 0, MR_PRIO_LOW = 1, MR_PRIO_LEVELS = 2 };

/* One installed package ("name:arch"), strings in the inventory arena. */
typedef struct mr_pkg {
    const char *name, *arch, *version;
    const char *source, *source_version; /* the version's own if absent */
    int hold;
    int inst_normal;   /* the installed version is in a 500 list */
    /* The best version newer than the installed one in the lists, per
     * priority: MR_PRIO_NORMAL (500: an archive) and MR_PRIO_LOW (100:
     * backports); NULL when none. */
    const char *cand[MR_PRIO_LEVELS];
    int cand_release[MR_PRIO_LEVELS];   /* the first Release with it */
    int cand_security[MR_PRIO_LEVELS];  /* -1 or a security Release */
} mr_pkg;

/* An installed source package (tracker.c, osv.c): the lowest installed
 * version of its binaries, and one of them; strings in the arena. */
typedef struct mr_patch_source {
    const char *version;
    const char *binary;
} mr_patch_source;

typedef struct mr_release {
    char prefix[256];       /* list names start with it */
    char path[MR_PATCH_PATH_MAX];
    char origin[MR_PATCH_FIELD_MAX], label[MR_PATCH_FIELD_MAX],
        suite[MR_PATCH_FIELD_MAX], codename[MR_PATCH_FIELD_MAX];
    int64_t date;           /* its Date:, INT64_MIN unknown */
    int64_t mtime;
    int level;              /* MR_PRIO_*, or -1: never a candidate */
    int security;
} mr_release;

#define MR_PATCH_EXPOSURE_MAX 15      /* rows of the exposure chart */
#define MR_PATCH_KERNELS_MAX 16       /* RPM kernels installed, kept */
#define MR_PATCH_KERNEL_MAX 128       /* "VERSION-RELEASE.ARCH" */

/* Updates waiting in one suite (chart.c). */
typedef struct mr_suite_count {
    char suite[MR_PATCH_FIELD_MAX];
    uint64_t updates, security;
} mr_suite_count;

/* A fix released and not installed, with its days (chart.c). */
typedef struct mr_exposure {
    char package[128], advisory[64];
    int64_t days;
} mr_exposure;

#define MR_OS_VALUE_MAX 128
#define MR_PATCH_RUNS_MAX 10          /* apt runs kept for the summary */
#define MR_PATCH_HISTORY_FILES_MAX 64 /* history.log and rotations */
#define MR_PATCH_CHANGES_MAX 50       /* the last upgrade's changes kept */
#define MR_PATCH_UPGRADE_GAP 600      /* s of quiet that end an upgrade */

/* One package the last upgrade changed (dpkg.log, dpkglog.c). */
typedef struct mr_dpkg_change {
    int64_t when;
    char action[8];          /* upgrade, install, remove, purge */
    char package[128];       /* name:arch */
    char from[64], to[64];   /* "" for <none> */
} mr_dpkg_change;

#define MR_PATCH_UPGRADES_MAX 4096    /* dpkg.log upgrades in the window */
#define MR_PATCH_WAITS_MAX 8192       /* cadence waits measured */

/* An upgrade of dpkg.log in the cadence window (dpkglog.c), and when
 * what it installed was first known to be available (cadence.c). */
typedef struct mr_patch_upgrade {
    mr_dpkg_change c;
    int64_t avail;           /* INT64_MIN: not known */
    const char *source;      /* its source package once looked up (the
                                inventory's), NULL when not installed */
    int source_known;        /* looked up */
    char advisory[64];       /* what dated it: an OSV id, or "history" */
} mr_patch_upgrade;

/* One apt run of /var/log/apt/history.log (history.c). */
typedef struct mr_apt_run {
    int64_t start;           /* INT64_MIN: none */
    char command[128];
    uint64_t upgraded, installed, removed;
} mr_apt_run;

/* What /etc/os-release (or /usr/lib/os-release) says; "" for absent. */
typedef struct mr_os_release {
    char id[MR_OS_VALUE_MAX], version[MR_OS_VALUE_MAX],
        codename[MR_OS_VALUE_MAX], pretty[MR_OS_VALUE_MAX];
    const char *path;        /* the file read, NULL when none */
} mr_os_release;

typedef struct mr_patch_run {
    const mamori_ctx *ctx;
    const mamori_sink *sink;
    const mamori_sysroot *sr;
    int64_t now;
    unsigned stale_days;
    int stopped;
    /* inventory */
    mr_arena arena;
    mr_table *pkgs;          /* "name:arch" -> mr_pkg */
    int have_status;         /* an inventory was read (dpkg or rpm) */
    int rpm;                 /* it is RPM's: versions in RPM's order */
    /* RPM's installed kernels (kernel-core, kernel: several at once) as
     * uname names them, "VERSION-RELEASE.ARCH" (rpmdb.c, restart.c) */
    char kernels[MR_PATCH_KERNELS_MAX][MR_PATCH_KERNEL_MAX];
    size_t nkernels;
    uint64_t installed, held;
    /* apt */
    mr_release rel[MR_PATCH_RELEASES_MAX];
    size_t nrel;
    uint64_t lists, updates, security_updates;
    /* apt's history (history.c) */
    int64_t last_upgrade;    /* the last run that upgraded; INT64_MIN */
    mr_apt_run runs[MR_PATCH_RUNS_MAX]; /* a ring of the last runs */
    uint64_t nruns, history_files;
    /* dpkg's log (dpkglog.c): the last upgrade session and its changes */
    uint64_t dpkglog_files;
    int64_t dpkg_upgrade, dpkg_last;  /* its start, its last line */
    mr_dpkg_change changes[MR_PATCH_CHANGES_MAX];
    uint64_t nchanges;                 /* all of them; the first kept */
    /* upgrades in the last MAMORI_PATCH_CADENCE_DAYS (the cadence) */
    mr_patch_upgrade upgrades[MR_PATCH_UPGRADES_MAX];
    size_t nupgrades;
    uint64_t upgrades_dropped;
    /* the cadence (cadence.c): waits measured, in days */
    int64_t waits[MR_PATCH_WAITS_MAX];
    size_t nwaits;
    int64_t wait_median, wait_worst;
    uint64_t waits_late;
    /* the tracker (tracker.c) */
    int tracker_read;
    mamori_err tracker_error;
    uint64_t osv_records, osv_bad;
    uint64_t known_packages, cves_fixed, cves_open, cves_postponed,
        cves_ignored, cves_unimportant;
    /* the charts (chart.c) */
    mr_suite_count suites[MR_PATCH_RELEASES_MAX];
    size_t nsuites;
    mr_exposure exp[MR_PATCH_EXPOSURE_MAX];
    size_t nexp;
} mr_patch_run;

/* Starts a finding of check `id`, its category the id past "patch.". */
void mr_patch_finding(mr_patch_run *r, mamori_finding *f, const char *id,
                      const char *file);
/* Adds a NUL-terminated string field (skipped when s is NULL). */
void mr_patch_field(mamori_finding *f, const char *name, const char *s);
/* Sends it; after the sink said stop, nothing more goes. */
void mr_patch_send(mr_patch_run *r, mamori_finding *f);
/* How a system path is named in findings and notes. */
void mr_patch_display(const mr_patch_run *r, const char *path, char *out);

/* Days, rounded down, from t to now. */
int64_t mr_patch_days(const mr_patch_run *r, int64_t t);
/* "YYYY-MM-DD" into out[16], or "" for INT64_MIN. */
void mr_patch_date(int64_t t, char *out);

mamori_err mr_patch_dpkg(mr_patch_run *r);
/* Adds an installed package "name:arch" (replacing one of that key),
 * its strings copied into the arena; an empty source is the name, an
 * empty source_version the version. -1 over MR_PATCH_PACKAGES_MAX, a
 * key too long or out of memory. */
int mr_patch_pkg_add(mr_patch_run *r, mr_span name, mr_span arch,
                     mr_span version, mr_span source, mr_span source_version,
                     int hold);
/* Compares two versions in the inventory's order (Debian's or RPM's):
 * <0, 0, >0; a version that cannot be compared counts as equal. */
int mr_patch_vcmp(const mr_patch_run *r, const char *a, const char *b);
/* 1 when the root has no dpkg status but an RPM database: the inventory
 * is then RPM's (rpmdb.c). */
int mr_patch_is_rpm(const mr_patch_run *r);
/* The inventory from the RPM database of the root through librpm, with
 * r->rpm set; MAMORI_E_IO (with a diagnostic) when it cannot be read or
 * mamori was built without librpm. */
mamori_err mr_patch_rpmdb(mr_patch_run *r);
/* A SOURCERPM "NAME-VERSION-RELEASE.src.rpm" (NUL-terminated; NULL
 * allowed) into spans of it: the name and VERSION-RELEASE; both NULL
 * spans when it has no two '-' to split at. */
void mr_patch_split_srpm(const char *srpm, mr_span *name, mr_span *vr);
/* dnf-automatic on an RPM system (autoupd_dnf.c): installed, applying
 * updates (/etc/dnf/automatic.conf apply_updates) and its timer
 * enabled; each missing one a reason of a no-automatic-updates
 * finding. */
void mr_patch_auto_dnf(mr_patch_run *r);
const mr_pkg *mr_patch_pkg(const mr_patch_run *r, const char *name,
                           const char *arch);
/* Is name installed, for any architecture? */
const mr_pkg *mr_patch_pkg_any(const mr_patch_run *r, const char *name);
void mr_patch_apt(mr_patch_run *r);
/* The update waiting for p, if any (its candidate of the highest
 * priority, security when a security release has it): a
 * pending-security-update or pending-update finding (apt.c). */
void mr_patch_send_update(mr_patch_run *r, const mr_pkg *p);
/* On RPM systems: candidates from dnf's cached repositories, security
 * ones from their updateinfo (dnfrepo.c, through libxml2). */
void mr_patch_dnf_repos(mr_patch_run *r);
void mr_patch_auto(mr_patch_run *r);
void mr_patch_restart(mr_patch_run *r);
void mr_patch_support(mr_patch_run *r);
/* Reads os-release through the sysroot into *o; 0 when one was read. */
int mr_patch_os_release(const mr_patch_run *r, mr_os_release *o);
/* Packages whose security support ended or is limited, by the lists of
 * debian-security-support (dss.c). */
void mr_patch_unsupported(mr_patch_run *r);
/* apt's history.log and its rotations: the last runs (history.c). */
void mr_patch_history(mr_patch_run *r);
/* Called with each line of a log (no "\n"; not NUL-terminated). */
typedef void (*mr_patch_line_fn)(mr_patch_run *r, void *user,
                                 const char *line, size_t len);
/* Reads DIR/BASE's rotations (BASE.N, BASE.N.gz/.xz/.zst: largest N,
 * the oldest, first; at most MR_PATCH_HISTORY_FILES_MAX) then DIR/BASE
 * through the sysroot, line by line into fn. Returns the files read. */
uint64_t mr_patch_read_rotated(mr_patch_run *r, const char *dir,
                               const char *base, mr_patch_line_fn fn,
                               void *user);
/* dpkg's log and its rotations: the last upgrade and what it changed
 * (dpkglog.c). */
void mr_patch_dpkglog(mr_patch_run *r);
/* Matches the security tracker's JSON export `file` (a path on this
 * machine) against the inventory. */
void mr_patch_tracker(mr_patch_run *r, const char *file, mr_table *sources);
/* The installed source packages, "linux-signed-*" as "linux": a table of
 * mr_patch_source the caller frees (mr_table_free); NULL on no memory. */
mr_table *mr_patch_sources(const mr_patch_run *r);
/* The charts' data (chart.c): an update waiting in rel's suite (NULL:
 * none known); a fix out for days and not installed, the longest kept. */
void mr_patch_count_update(mr_patch_run *r, const mr_release *rel, int sec);
void mr_patch_exposure(mr_patch_run *r, const char *package,
                       const char *advisory, int64_t days);
/* Their tables in summary s: updates_by_suite and exposure_days. */
void mr_patch_chart_tables(mamori_summary *s, const mr_suite_count *suites,
                           size_t nsuites, const mr_exposure *exp,
                           size_t nexp);
/* The cadence (cadence.c). A fix of source package `source` at version
 * `fixed`, published at `published`: dates each upgrade of dpkg.log in
 * the window that installed it (from older than fixed to fixed or
 * newer). */
void mr_patch_cadence_fix(mr_patch_run *r, const char *source,
                          const char *fixed, int64_t published,
                          const char *advisory);
/* At the end of a host: the history's closed security updates (NULL:
 * none), then every wait measured: the summary's figures and, past the
 * window, a cadence finding. */
void mr_patch_cadence(mr_patch_run *r, mamori_history *h, const char *scope);
/* Matches a directory of OSV records (osv.c). */
void mr_patch_osv(mr_patch_run *r, const char *dir, mr_table *sources);

#endif
