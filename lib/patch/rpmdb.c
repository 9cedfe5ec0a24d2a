/*
 * rpmdb.c — the inventory of an RPM-based system (RHEL, AlmaLinux,
 * Rocky, Fedora): every package in the root's RPM database, read through
 * librpm (Debian's librpm-dev), with its name, architecture,
 * [EPOCH:]VERSION-RELEASE and source package (the name and
 * VERSION-RELEASE of its SOURCERPM, "openssl-3.0.7-24.el9.src.rpm", with
 * the binary's epoch). Only when there is no dpkg status: a Debian
 * system with rpm installed for building keeps dpkg's inventory.
 *
 * Where the database is: /usr/lib/sysimage/rpm (Fedora, and RHEL 10),
 * then /var/lib/rpm (RHEL 8 and 9 and their clones); sqlite
 * (rpmdb.sqlite, RHEL 9), ndb (Packages.db, SUSE) or Berkeley DB
 * (Packages, RHEL 8, read-only in librpm). The directory is resolved
 * through the sysroot, so a symlink in an image (/var/lib/rpm ->
 * ../../usr/lib/sysimage/rpm) stays in its root, and librpm is handed the
 * resolved path as its _dbpath with "/" as its root: librpm never joins
 * a path of the image itself.
 *
 * librpm's sqlite backend writes beside the database it opens, even to
 * read (its -shm and -wal files): under --root the database is read from
 * a private copy in TMPDIR, removed after, so an image is never written.
 *
 * librpm's sqlite backend leaks its connection when the database fails
 * to open (a file that is no SQLite database, or a damaged one): both
 * are found before librpm is handed the file (sqlite_header,
 * sqlite_unsound).
 *
 * librpm keeps its configuration and macros process-wide: they are read
 * once, the _dbpath and _db_backend macros pushed for the read and popped
 * after; its log goes to a callback that keeps the first error for the
 * diagnostic, never to stderr. Built without librpm (meson option rpm),
 * an RPM root gets a note saying so.
 */
#include "common.h"

#include "patch/patch_int.h"

#ifdef MR_HAVE_RPM
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <rpm/header.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmlog.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmts.h>
#include <sqlite3.h>

#include "dlib_sonames.h"
#include "util/dlib.h"

/* librpm9, opened where it is first needed (util/dlib.h). */
#define MR_RPM_FUNCS(X) \
    X(headerGetNumber) \
    X(headerGetString) \
    X(headerIsEntry) \
    X(rpmPopMacro) \
    X(rpmPushMacro) \
    X(rpmReadConfigFiles) \
    X(rpmdbFreeIterator) \
    X(rpmdbNextIterator) \
    X(rpmlogRecMessage) \
    X(rpmlogRecPriority) \
    X(rpmlogSetCallback) \
    X(rpmtsCreate) \
    X(rpmtsFree) \
    X(rpmtsInitIterator) \
    X(rpmtsOpenDB) \
    X(rpmtsSetRootDir) \
    X(rpmtsSetVSFlags)
MR_DLIB_DEFINE(rpm, MR_SONAME_RPM, "librpm9", MR_RPM_FUNCS);
#endif

#define RPM_FIELD_MAX 256          /* a name, version or release kept */
#define RPM_VERSION_MAX (3 * RPM_FIELD_MAX + 32)
#define RPM_LOG_MAX 256            /* librpm's first error, kept */
#define RPM_COPY_MAX (4ull * 1024 * 1024 * 1024) /* an rpmdb copied */
#define RPM_COPY_BUF (256 * 1024)

typedef struct rpm_db {
    const char *dir;       /* system path */
    const char *file;      /* its database file */
    const char *backend;   /* librpm's _db_backend for it */
} rpm_db;

static const rpm_db dbs[] = {
    {"/usr/lib/sysimage/rpm", "rpmdb.sqlite", "sqlite"},
    {"/var/lib/rpm", "rpmdb.sqlite", "sqlite"},
    {"/usr/lib/sysimage/rpm", "Packages.db", "ndb"},
    {"/var/lib/rpm", "Packages.db", "ndb"},
    {"/usr/lib/sysimage/rpm", "Packages", "bdb_ro"},
    {"/var/lib/rpm", "Packages", "bdb_ro"},
};

static const rpm_db *find_db(const mr_patch_run *r)
{
    char path[MR_PATCH_PATH_MAX];
    for (size_t i = 0; i < MR_ARRAY_LEN(dbs); i++) {
        snprintf(path, sizeof(path), "%s/%s", dbs[i].dir, dbs[i].file);
        if (mr_sysroot_exists(r->sr, path))
            return &dbs[i];
    }
    return NULL;
}

int mr_patch_is_rpm(const mr_patch_run *r)
{
    return !mr_sysroot_exists(r->sr, "/var/lib/dpkg/status") &&
           find_db(r) != NULL;
}

int mr_patch_vcmp(const mr_patch_run *r, const char *a, const char *b)
{
    int c = 0;
    mamori_err e = r->rpm ? mamori_rpmversion_compare(a, strlen(a), b,
                                                      strlen(b), &c)
                          : mamori_debversion_compare(a, strlen(a), b,
                                                      strlen(b), &c, NULL);
    return e ? 0 : c;
}

/* "NAME-VERSION-RELEASE.src.rpm" into its name and VERSION-RELEASE. */
void mr_patch_split_srpm(const char *srpm, mr_span *name, mr_span *vr)
{
    *name = MR_SPAN_NULL;
    *vr = MR_SPAN_NULL;
    if (!srpm)
        return;
    size_t n = strlen(srpm);
    static const char *const ends[] = {".src.rpm", ".nosrc.rpm"};
    for (size_t i = 0; i < MR_ARRAY_LEN(ends); i++) {
        size_t m = strlen(ends[i]);
        if (n > m && strcmp(srpm + n - m, ends[i]) == 0) {
            n -= m;
            break;
        }
    }
    /* The release follows the last '-', the version the one before. */
    size_t dashes = 0, cut = n;
    while (cut > 0 && dashes < 2)
        if (srpm[--cut] == '-')
            dashes++;
    if (dashes < 2 || cut == 0)
        return;
    *name = mr_span_make(srpm, cut);
    *vr = mr_span_make(srpm + cut + 1, n - cut - 1);
}

#ifdef MR_HAVE_RPM

typedef struct rpm_log {
    char first[RPM_LOG_MAX];
} rpm_log;

static int on_log(rpmlogRec rec, rpmlogCallbackData data)
{
    rpm_log *l = data;
    rpmlogLvl lvl = mr_sym_rpmlogRecPriority(rec);
    if (!l->first[0] && lvl <= RPMLOG_ERR) {
        const char *m = mr_sym_rpmlogRecMessage(rec);
        snprintf(l->first, sizeof(l->first), "%.*s",
                 (int)strcspn(m ? m : "", "\n"), m ? m : "");
    }
    return 0; /* never printed: the library does not write to stderr */
}

static const char *field(Header h, rpmTagVal tag)
{
    const char *s = mr_sym_headerGetString(h, tag);
    return s && strlen(s) < RPM_FIELD_MAX ? s : NULL;
}

/* Does path start as an SQLite 3 database does? */
static int sqlite_header(const char *path)
{
    static const char magic[16] = "SQLite format 3";
    char head[sizeof(magic)];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, head, sizeof(head));
    close(fd);
    return n == (ssize_t)sizeof(head) && memcmp(head, magic, sizeof(magic)) == 0;
}

/* librpm's sqlite backend also leaks its handle when a database with a
 * valid header fails to open past it (lib/backend/sqlite.c: sqlite_Open
 * frees the index it could not set up without sqlite_fini, so the
 * connection's count never returns to 0 and rpmtsFree cannot close it):
 * not in our use of it. A damaged database is therefore found first
 * with a connection of our own, read-only and closed after: SQLite's
 * quick_check, and the Packages table librpm reads. NULL when sound,
 * else why not (static). */
static const char *sqlite_unsound(const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    const char *why = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        why = "SQLite cannot open it";
        goto out;
    }
    if (sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &st, NULL) ||
        sqlite3_step(st) != SQLITE_ROW || !sqlite3_column_text(st, 0) ||
        strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
        why = "damaged (SQLite's quick_check fails)";
        goto out;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE"
                               " type = 'table' AND name = 'Packages'",
                           -1, &st, NULL) ||
        sqlite3_step(st) != SQLITE_ROW)
        why = "no Packages table";
out:
    sqlite3_finalize(st);
    sqlite3_close(db);
    return why;
}

/* Copies src to dst (new, 0600), at most RPM_COPY_MAX bytes; 0, or -1
 * with errno. A missing src is 0 when optional. */
static int copy_file(const char *src, const char *dst, int optional)
{
    int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return optional && errno == ENOENT ? 0 : -1;
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0) {
        int saved = errno;
        close(in);
        errno = saved;
        return -1;
    }
    char *buf = malloc(RPM_COPY_BUF);
    uint64_t total = 0;
    int rc = buf ? 0 : -1;
    while (rc == 0) {
        ssize_t n = read(in, buf, RPM_COPY_BUF);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = n < 0 ? -1 : 0;
            break;
        }
        total += (uint64_t)n;
        if (total > RPM_COPY_MAX) {
            errno = EFBIG;
            rc = -1;
            break;
        }
        for (ssize_t off = 0; off < n && rc == 0;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                rc = -1;
            else
                off += w;
        }
    }
    int saved = errno;
    free(buf);
    close(in);
    if (close(out) != 0 && rc == 0)
        rc = -1;
    else
        errno = saved;
    return rc;
}

/* Removes the private directory and every file in it. */
static void drop_private(const char *tmp)
{
    DIR *d = opendir(tmp);
    if (d) {
        struct dirent *e;
        char path[MR_PATCH_PATH_MAX + 256];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof(path), "%s/%s", tmp, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(tmp);
}

/* librpm's sqlite backend writes beside the database it reads (its
 * -shm and -wal files): an image under review is read from a private
 * copy of rpmdb.sqlite (and its -wal, which holds the latest changes)
 * in a new directory of TMPDIR (or /tmp), tmp[cap]. 0, or -1 (errno). */
static int private_copy(const char *dir, const char *file, char *tmp,
                        size_t cap)
{
    const char *base = getenv("TMPDIR");
    if (!base || base[0] != '/')
        base = "/tmp";
    if ((size_t)snprintf(tmp, cap, "%s/mamori-rpmdb.XXXXXX", base) >= cap) {
        errno = ENAMETOOLONG;
        tmp[0] = '\0';
        return -1;
    }
    if (!mkdtemp(tmp)) {
        tmp[0] = '\0';
        return -1;
    }
    char src[MR_PATCH_PATH_MAX + 64], dst[MR_PATCH_PATH_MAX + 64];
    snprintf(src, sizeof(src), "%s/%s", dir, file);
    snprintf(dst, sizeof(dst), "%s/%s", tmp, file);
    int rc = copy_file(src, dst, 0);
    if (rc == 0) {
        snprintf(src, sizeof(src), "%s/%s-wal", dir, file);
        snprintf(dst, sizeof(dst), "%s/%s-wal", tmp, file);
        rc = copy_file(src, dst, 1);
    }
    if (rc != 0) {
        int saved = errno;
        drop_private(tmp);
        tmp[0] = '\0';
        errno = saved;
    }
    return rc;
}

/* One header into the inventory; -1 when it cannot be kept. */
static int one_header(mr_patch_run *r, Header h)
{
    const char *name = field(h, RPMTAG_NAME);
    const char *ver = field(h, RPMTAG_VERSION);
    const char *rel = field(h, RPMTAG_RELEASE);
    const char *arch = field(h, RPMTAG_ARCH);
    if (!name || !ver || !rel)
        return -1;
    if (strcmp(name, "gpg-pubkey") == 0)
        return 0; /* an imported signing key, not software */
    if (!arch)
        arch = "noarch";
    char evr[RPM_VERSION_MAX], sevr[RPM_VERSION_MAX];
    char epoch[24] = "";
    if (mr_sym_headerIsEntry(h, RPMTAG_EPOCH))
        snprintf(epoch, sizeof(epoch), "%llu:",
                 (unsigned long long)mr_sym_headerGetNumber(h, RPMTAG_EPOCH));
    snprintf(evr, sizeof(evr), "%s%s-%s", epoch, ver, rel);
    /* Kernels are installed side by side (installonly): the inventory
     * keeps one per name, so they are listed apart for restart.c, as
     * uname names them. */
    if (strcmp(name, "kernel-core") == 0 || strcmp(name, "kernel") == 0) {
        char k[MR_PATCH_KERNEL_MAX];
        int kn = snprintf(k, sizeof(k), "%s-%s.%s", ver, rel, arch);
        int dup = kn < 0 || (size_t)kn >= sizeof(k);
        for (size_t i = 0; i < r->nkernels && !dup; i++)
            dup = strcmp(r->kernels[i], k) == 0;
        if (!dup && r->nkernels < MR_PATCH_KERNELS_MAX)
            memcpy(r->kernels[r->nkernels++], k, (size_t)kn + 1);
    }
    /* Of packages installed side by side under one name.arch (kernels,
     * installonly), the inventory keeps the newest: the one updates are
     * weighed against. */
    const mr_pkg *had = mr_patch_pkg(r, name, arch);
    int c = 0;
    if (had && mamori_rpmversion_compare(had->version, strlen(had->version),
                                         evr, strlen(evr), &c) == MAMORI_OK &&
        c >= 0)
        return 0;
    mr_span sname, svr;
    mr_patch_split_srpm(field(h, RPMTAG_SOURCERPM), &sname, &svr);
    mr_span sv = MR_SPAN_NULL;
    if (svr.n) {
        snprintf(sevr, sizeof(sevr), "%s%.*s", epoch, (int)svr.n, svr.p);
        sv = mr_span_make(sevr, strlen(sevr));
    }
    return mr_patch_pkg_add(r, mr_span_make(name, strlen(name)),
                            mr_span_make(arch, strlen(arch)),
                            mr_span_make(evr, strlen(evr)), sname, sv, 0);
}

mamori_err mr_patch_rpmdb(mr_patch_run *r)
{
    static int configured;
    const rpm_db *db = find_db(r);
    char dir[MR_PATCH_PATH_MAX], sys[MR_PATCH_PATH_MAX],
        where[MR_PATCH_PATH_MAX];
    if (!db)
        return MAMORI_E_IO;
    snprintf(sys, sizeof(sys), "%s/%s", db->dir, db->file);
    mr_patch_display(r, sys, where);
    if (mamori_sysroot_resolve(r->sr, db->dir, dir, sizeof(dir))) {
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, where, 0, "cannot read: %s",
                     strerror(errno));
        return MAMORI_E_IO;
    }
    /* librpm takes a relative _dbpath from "/" and creates a database
     * that is not there: an absolute path to a file seen to exist. */
    if (dir[0] != '/') {
        char cwd[MR_PATCH_PATH_MAX], rel[MR_PATCH_PATH_MAX];
        snprintf(rel, sizeof(rel), "%s", dir);
        if (!getcwd(cwd, sizeof(cwd)) ||
            (size_t)snprintf(dir, sizeof(dir), "%s/%s", cwd, rel) >=
                sizeof(dir)) {
            mamori_diagf(r->ctx, MAMORI_DIAG_WARN, where, 0,
                         "cannot read: path too long");
            return MAMORI_E_IO;
        }
    }
    char dbfile[MR_PATCH_PATH_MAX + 32];
    struct stat st;
    snprintf(dbfile, sizeof(dbfile), "%s/%s", dir, db->file);
    if (stat(dbfile, &st) != 0 || !S_ISREG(st.st_mode)) {
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, where, 0,
                     "cannot read: not a regular file");
        return MAMORI_E_IO;
    }
    /* librpm's sqlite backend leaks its handle on a file that is not a
     * database: the header is checked first. */
    if (strcmp(db->backend, "sqlite") == 0 && !sqlite_header(dbfile)) {
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, where, 0,
                     "librpm cannot open the RPM database: not an SQLite "
                     "database");
        return MAMORI_E_IO;
    }
    if (mr_dlib_load(&mr_dlib_rpm) != 0) {
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, where, 0,
                     "the RPM database is not read: %s", mr_dlib_error(&mr_dlib_rpm));
        return MAMORI_E_IO;
    }
    if (!configured) {
        if (mr_sym_rpmReadConfigFiles(NULL, NULL) != 0) {
            mamori_diagf(r->ctx, MAMORI_DIAG_WARN, where, 0,
                         "librpm could not read its configuration: the "
                         "RPM database is not read");
            return MAMORI_E_IO;
        }
        configured = 1;
    }
    char tmp[MR_PATCH_PATH_MAX] = "";
    if (!mamori_sysroot_is_live(r->sr) && strcmp(db->backend, "sqlite") == 0) {
        if (private_copy(dir, db->file, tmp, sizeof(tmp))) {
            mamori_diagf(r->ctx, MAMORI_DIAG_WARN, where, 0,
                         "cannot copy the RPM database to read it (the "
                         "image is never written): %s", strerror(errno));
            return MAMORI_E_IO;
        }
        snprintf(dir, sizeof(dir), "%s", tmp);
    }
    if (strcmp(db->backend, "sqlite") == 0) {
        snprintf(dbfile, sizeof(dbfile), "%s/%s", dir, db->file);
        const char *why = sqlite_unsound(dbfile);
        if (why) {
            mamori_diagf(r->ctx, MAMORI_DIAG_WARN, where, 0,
                         "librpm cannot open the RPM database: %s", why);
            if (tmp[0])
                drop_private(tmp);
            return MAMORI_E_IO;
        }
    }
    rpm_log log = {{0}};
    rpmlogCallback old_cb = mr_sym_rpmlogSetCallback(on_log, &log);
    mr_sym_rpmPushMacro(NULL, "_dbpath", NULL, dir, RMIL_CMDLINE);
    mr_sym_rpmPushMacro(NULL, "_db_backend", NULL, db->backend, RMIL_CMDLINE);
    mamori_err e = MAMORI_OK;
    uint64_t dropped = 0, seen = 0;
    rpmts ts = mr_sym_rpmtsCreate();
    rpmdbMatchIterator mi = NULL;
    if (!ts) {
        e = MAMORI_E_NOMEM;
        goto out;
    }
    mr_sym_rpmtsSetRootDir(ts, "/");
    mr_sym_rpmtsSetVSFlags(ts, _RPMVSF_NOSIGNATURES | _RPMVSF_NODIGESTS);
    if (mr_sym_rpmtsOpenDB(ts, O_RDONLY) != 0 ||
        !(mi = mr_sym_rpmtsInitIterator(ts, RPMDBI_PACKAGES, NULL, 0))) {
        e = MAMORI_E_IO;
        goto out;
    }
    Header h;
    while ((h = mr_sym_rpmdbNextIterator(mi)) != NULL) {
        seen++;
        if (one_header(r, h))
            dropped++;
    }
    r->have_status = 1;
    r->rpm = 1;
out:
    mr_sym_rpmdbFreeIterator(mi);
    mr_sym_rpmtsFree(ts);
    mr_sym_rpmPopMacro(NULL, "_db_backend");
    mr_sym_rpmPopMacro(NULL, "_dbpath");
    mr_sym_rpmlogSetCallback(old_cb, NULL);
    if (tmp[0])
        drop_private(tmp);
    if (e == MAMORI_E_IO)
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, where, 0,
                     "librpm cannot open the RPM database%s%s",
                     log.first[0] ? ": " : "", log.first);
    else if (e == MAMORI_OK && log.first[0])
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, where, 0, "librpm: %s",
                     log.first);
    if (dropped)
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, where, 0,
                     "%llu of %llu package(s) without name, version or "
                     "release, over the limit of %u or too long: not judged",
                     (unsigned long long)dropped, (unsigned long long)seen,
                     (unsigned)MR_PATCH_PACKAGES_MAX);
    return e;
}

#else

mamori_err mr_patch_rpmdb(mr_patch_run *r)
{
    const rpm_db *db = find_db(r);
    char sys[MR_PATCH_PATH_MAX], where[MR_PATCH_PATH_MAX];
    if (!db)
        return MAMORI_E_IO;
    snprintf(sys, sizeof(sys), "%s/%s", db->dir, db->file);
    mr_patch_display(r, sys, where);
    mamori_diagf(r->ctx, MAMORI_DIAG_NOTE, where, 0,
                 "an RPM database, but mamori was built without librpm: "
                 "the package checks are skipped");
    return MAMORI_E_IO;
}

#endif
