/*
 * drill.c — `mamori backup --drill`: a restore, done, not assumed. The
 * files of the newest snapshot under the copy's protected paths are
 * listed (restic ls --json, borg list --json-lines: one JSON document a
 * line, each read with io/json.h), a sample spread evenly over them is
 * restored into a private directory (mkdtemp: 0700) by the tool itself
 * (restic restore --verify checks every file against the repository's
 * hashes; borg extract authenticates every chunk), and each restored
 * file is compared: its size with the snapshot's, its bytes with the
 * live file's where the live file has not changed since the snapshot
 * (same size and mtime). A live file changed since is counted apart,
 * never as a failed restore. The directory is removed whatever happened.
 * What the three drills share (the private directory, the comparison with
 * the live file, the failure count, the removal) lives here too.
 */
#include "common.h"

#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backup/backup_int.h"
#include "backup/spawn.h"
#include "io/json.h"
#include "util/time.h"

#define DRILL_SAMPLE_MAX 1000      /* files one drill restores */
#define DRILL_FIXED_ARGS 16        /* argv besides the files */
#define DRILL_CMP_BUF 65536

typedef struct drill_file {
    char *path;                    /* absolute, as in the snapshot */
    uint64_t size;
    int64_t mtime;
} drill_file;

typedef struct node {
    char type[16];
    char path[MAMORI_SYSROOT_PATH_MAX];
    uint64_t size;
    int64_t mtime;
    int have_path, cut;
} node;

static int node_scalar(void *user, const mr_json_path *path, mr_json_kind kind,
                       const char *s, size_t n, int cut)
{
    node *nd = user;
    if (path->depth != 1)
        return 0;
    const char *k = path->keys[1];
    if (!strcmp(k, "type") && kind == MR_JSON_STRING)
        snprintf(nd->type, sizeof(nd->type), "%.*s",
                 (int)MR_MIN(n, sizeof(nd->type) - 1), s);
    else if (!strcmp(k, "path") && kind == MR_JSON_STRING) {
        if (cut || n + 2 > sizeof(nd->path)) {
            nd->cut = 1;
            return 0;
        }
        /* borg's paths are relative to the root. */
        snprintf(nd->path, sizeof(nd->path), "%s%.*s", s[0] == '/' ? "" : "/",
                 (int)n, s);
        nd->have_path = 1;
    } else if (!strcmp(k, "size") && kind == MR_JSON_NUMBER) {
        uint64_t v = 0;
        if (!mr_span_u64(mr_span_make(s, n), UINT64_MAX / 10, &v))
            nd->size = v;
    } else if (!strcmp(k, "mtime") && kind == MR_JSON_STRING) {
        nd->mtime = mr_parse_iso_time(mr_span_make(s, n));
    }
    return 0;
}

/* Calls fn for every regular file of the listing (one JSON a line). */
static void each_file(const char *out, size_t len, int restic,
                      void (*fn)(void *, const node *), void *user)
{
    const char *p = out, *end = out + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        node nd;
        memset(&nd, 0, sizeof(nd));
        nd.mtime = INT64_MIN;
        mr_source *src = NULL;
        if (n && mr_source_open_mem(p, n, &src) == MAMORI_OK) {
            mr_json_cb cb = {NULL, NULL, node_scalar, &nd};
            mamori_err e = mr_json_read(src, &cb, NULL);
            mr_source_close(src);
            int file = restic ? !strcmp(nd.type, "file")
                              : !strcmp(nd.type, "-");
            if (!e && file && nd.have_path && !nd.cut)
                fn(user, &nd);
        }
        p += n + 1;
    }
}

typedef struct pick {
    uint64_t seen, count, stride;
    drill_file *files;
    size_t n, max;
} pick;

static void count_fn(void *user, const node *nd)
{
    (void)nd;
    ((pick *)user)->count++;
}

static void pick_fn(void *user, const node *nd)
{
    pick *pk = user;
    uint64_t i = pk->seen++;
    if (pk->n >= pk->max || i % pk->stride)
        return;
    drill_file *f = &pk->files[pk->n];
    if (!(f->path = strdup(nd->path)))
        return;
    f->size = nd->size;
    f->mtime = nd->mtime;
    pk->n++;
}

static int chmod_fn(const char *p, const struct stat *sb, int flag,
                    struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    if (flag == FTW_D || flag == FTW_DNR)
        chmod(p, 0700);
    return 0;
}

static int rm_fn(const char *p, const struct stat *sb, int flag,
                 struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    if (flag == FTW_DP || flag == FTW_D || flag == FTW_DNR)
        rmdir(p);
    else
        unlink(p);
    return 0;
}

void mr_drill_remove_tree(const char *dir)
{
    nftw(dir, chmod_fn, 16, FTW_PHYS);
    nftw(dir, rm_fn, 16, FTW_DEPTH | FTW_PHYS);
}

void mr_drill_failed(mr_drill_result *out, const char *fmt, ...)
{
    out->failed++;
    if (out->why[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->why, sizeof(out->why), fmt, ap);
    va_end(ap);
}

int mr_drill_private_dir(char *dir, size_t cap, mr_drill_result *out)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, cap, "%s/mamori-drill.XXXXXX",
             tmp && tmp[0] == '/' ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        mr_drill_failed(out, "cannot make a private directory: %s",
                        strerror(errno));
        dir[0] = '\0';
        return -1;
    }
    return 0;
}

int mr_drill_check_live(struct mr_backup_run *r, const char *got,
                        const char *want, uint64_t size, int64_t mtime,
                        mr_drill_result *out)
{
    char live[MAMORI_SYSROOT_PATH_MAX];
    struct stat ls;
    if (mamori_sysroot_resolve(r->sr, want, live, sizeof(live)) ||
        stat(live, &ls) || (uint64_t)ls.st_size != size ||
        ls.st_mtime != mtime) {
        out->changed++;         /* gone or changed since: not a failure */
        return -1;
    }
    int same = mr_drill_same_bytes(got, live);
    if (same == 1)
        out->verified++;
    else if (same == 0)
        return 0;
    else
        out->changed++;
    return 1;
}

int mr_drill_same_bytes(const char *a, const char *b)
{
    int fa = open(a, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    int fb = open(b, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    char *ba = malloc(DRILL_CMP_BUF), *bb = malloc(DRILL_CMP_BUF);
    int rc = -1;
    if (fa < 0 || fb < 0 || !ba || !bb)
        goto out;
    for (;;) {
        ssize_t na = read(fa, ba, DRILL_CMP_BUF);
        if (na < 0)
            goto out;
        size_t got = 0;
        while (got < (size_t)na) {
            ssize_t nb = read(fb, bb + got, (size_t)na - got);
            if (nb <= 0)
                break;
            got += (size_t)nb;
        }
        if (got != (size_t)na || memcmp(ba, bb, got)) {
            rc = 0;
            goto out;
        }
        if (na == 0) {
            char extra;
            rc = read(fb, &extra, 1) == 0;
            goto out;
        }
    }
out:
    if (fa >= 0)
        close(fa);
    if (fb >= 0)
        close(fb);
    free(ba);
    free(bb);
    return rc;
}

/* Lists the newest snapshot's files under the protected paths into pk. */
static int list_files(mr_backup_run *r, const mr_backup_copy *c,
                      mr_copy_state *st, pick *pk, mr_drill_result *out,
                      char *archive)
{
    int restic = c->kind == MR_BACKUP_KIND_RESTIC;
    mr_spawn_req *q = mr_backup_tool_begin(r, c, st);
    if (!q) {
        mr_drill_failed(out, "%s", st->error);
        return -1;
    }
    size_t na = 0;
    if (restic) {
        /* --recursive: with directories named, restic lists only their
         * own entries without it. */
        const char *a[] = {"ls", "--json", "--recursive", "--no-lock",
                           "--no-cache", "-r", st->repo, "latest"};
        for (size_t i = 0; i < MR_ARRAY_LEN(a); i++)
            q->argv[na++] = a[i];
    } else {
        snprintf(archive, MAMORI_SYSROOT_PATH_MAX * 2, "%s::%s", st->repo,
                 st->newest_name);
        const char *a[] = {"list", "--json-lines", "--lock-wait", "1",
                           archive};
        for (size_t i = 0; i < MR_ARRAY_LEN(a); i++)
            q->argv[na++] = a[i];
    }
    for (size_t i = 0; i < st->ncover && na < DRILL_FIXED_ARGS; i++)
        q->argv[na++] = restic ? st->cover_path[i] : st->cover_path[i] + 1;
    q->argv[na] = NULL;
    mr_spawn_res res;
    char why[MR_BACKUP_MSG_MAX];
    int rc = mr_backup_tool_run(r, q, &res, why, sizeof(why));
    if (rc == 0) {
        each_file(res.out, res.out_len, restic, count_fn, pk);
        pk->stride = pk->count > pk->max ? pk->count / pk->max : 1;
        each_file(res.out, res.out_len, restic, pick_fn, pk);
    } else {
        mr_drill_failed(out, "listing the newest snapshot: %s", why);
    }
    free(res.out);
    mr_backup_tool_end(q);
    return rc;
}

void mr_backup_drill(mr_backup_run *r, const mr_backup_decl *d,
                     const mr_backup_copy *c, mr_copy_state *st,
                     mr_drill_result *out)
{
    (void)d;
    memset(out, 0, sizeof(*out));
    int64_t start = mr_now_ms();
    int restic = c->kind == MR_BACKUP_KIND_RESTIC;
    pick pk;
    memset(&pk, 0, sizeof(pk));
    pk.max = MR_MIN(r->opts->sample, (unsigned)DRILL_SAMPLE_MAX);
    pk.files = calloc(pk.max ? pk.max : 1, sizeof(*pk.files));
    char *archive = malloc(MAMORI_SYSROOT_PATH_MAX * 2);
    char dir[MAMORI_SYSROOT_PATH_MAX] = "";
    mr_spawn_req *q = NULL;
    if (!pk.files || !archive) {
        mr_drill_failed(out, "out of memory");
        goto done;
    }
    if (list_files(r, c, st, &pk, out, archive) || !pk.n)
        goto done;
    if (mr_drill_private_dir(dir, sizeof(dir), out))
        goto done;
    if (!(q = mr_backup_tool_begin(r, c, st))) {
        mr_drill_failed(out, "%s", st->error);
        goto done;
    }
    size_t na = 0;
    if (restic) {
        const char *a[] = {"restore", "latest", "--no-lock", "--no-cache",
                           "--verify", "-r", st->repo, "--target", dir};
        for (size_t i = 0; i < MR_ARRAY_LEN(a); i++)
            q->argv[na++] = a[i];
        for (size_t i = 0; i < pk.n; i++) {
            q->argv[na++] = "--include";
            q->argv[na++] = pk.files[i].path;
        }
    } else {
        const char *a[] = {"extract", "--lock-wait", "1", archive};
        for (size_t i = 0; i < MR_ARRAY_LEN(a); i++)
            q->argv[na++] = a[i];
        for (size_t i = 0; i < pk.n; i++)
            q->argv[na++] = pk.files[i].path + 1;
        q->cwd = dir;
    }
    q->argv[na] = NULL;
    mr_spawn_res res;
    char why[MR_BACKUP_MSG_MAX];
    int rc = mr_backup_tool_run(r, q, &res, why, sizeof(why));
    free(res.out);
    out->sampled = pk.n;
    if (rc) {
        mr_drill_failed(out, "restore: %s", why);
        goto done;
    }
    for (size_t i = 0; i < pk.n; i++) {
        drill_file *f = &pk.files[i];
        char got[MAMORI_SYSROOT_PATH_MAX * 2];
        snprintf(got, sizeof(got), "%s%s", dir, f->path);
        struct stat gs;
        if (lstat(got, &gs) || !S_ISREG(gs.st_mode)) {
            mr_drill_failed(out, "%s was not restored", f->path);
            continue;
        }
        if ((uint64_t)gs.st_size != f->size) {
            mr_drill_failed(out, "%s restored with %lld bytes, %llu in the "
                            "snapshot", f->path, (long long)gs.st_size,
                            (unsigned long long)f->size);
            continue;
        }
        if (!mr_drill_check_live(r, got, f->path, f->size, f->mtime, out))
            mr_drill_failed(out, "%s restored with other bytes than the "
                            "live file, unchanged since the snapshot",
                            f->path);
    }
done:
    if (dir[0])
        mr_drill_remove_tree(dir);
    mr_backup_tool_end(q);
    for (size_t i = 0; i < pk.n; i++)
        free(pk.files[i].path);
    free(pk.files);
    free(archive);
    out->ms = mr_now_ms() - start;
}
