/*
 * memo.c — what restic listed of a local repository, remembered between
 * runs (backup_int.h), so that judging ten repositories does not derive
 * ten keys with scrypt when nothing changed (issue 17's "under 1 s").
 *
 * Without the password mamori can read a restic repository's layout but
 * not its contents: config, index/, snapshots/ and data/ are encrypted;
 * keys/ is plain JSON (the KDF's parameters and the encrypted master
 * key). A file of snapshots/ is named by the SHA-256 of its bytes, so
 * what it decrypted to once (the snapshot's time and paths) stays true
 * of any file with that name. The memo keeps, per repository, those
 * facts for the snapshots restic listed; a later run lists snapshots/,
 * hashes every file against its name and, when every snapshot is in the
 * memo and the repository's keys and the copy's password file are the
 * ones restic opened it with (the memo's "opener": the file's inode,
 * size and times, never its bytes), reads the list from the memo. Any
 * new, changed or unreadable snapshot file, another key, another
 * password file or a changed one, or no restic installed: restic runs
 * as before, and its answer renews the memo. A password from a variable
 * or a command could change unseen: those copies are always listed by
 * restic.
 *
 * The memo is a file of the private state directory (0700, files 0600,
 * written whole to a temporary file and renamed): a header line, then
 * the JSON restic prints with the time as unix seconds, read by the
 * same reader (restic.c). It holds no secret: times and paths.
 */
#include "common.h"

#include <dirent.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backup/backup_int.h"
#include "backup/spawn.h"
#include "report/writer_impl.h"

#define MEMO_SNAPS_MAX 100000              /* snapshot files followed */
#define MEMO_SNAPFILE_MAX (1024 * 1024)    /* one snapshot file hashed */
#define MEMO_FILE_MAX (64u * 1024 * 1024)  /* a memo read */
#define MEMO_MAGIC "mamori-restic-memo 1 "
#define MEMO_HEX (2 * 32 + 1)              /* a SHA-256 in hex, NUL */

struct mr_memo {
    char file[MAMORI_SYSROOT_PATH_MAX + 64]; /* the memo's path */
    char opener[MEMO_HEX];
    char (*ids)[MR_RESTIC_ID_LEN + 1];     /* snapshots/ now, sorted */
    size_t nids;
    unsigned char *seen;                   /* per id: met in a listing */
    mr_copy_state *st;                     /* (while loading) */
    uint64_t found;
};

static void hex(const unsigned char *md, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[md[i] >> 4];
        out[2 * i + 1] = digits[md[i] & 15];
    }
    out[2 * n] = '\0';
}

/* The SHA-256 of file name in dir dfd, in hex; -1 unreadable or over
 * MEMO_SNAPFILE_MAX. */
static int hash_file(int dfd, const char *name, EVP_MD_CTX *md, char *buf,
                     char out[MEMO_HEX])
{
    int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY |
                                   O_NONBLOCK);
    if (fd < 0)
        return -1;
    struct stat sb;
    int rc = -1;
    if (fstat(fd, &sb) || !S_ISREG(sb.st_mode) ||
        sb.st_size > MEMO_SNAPFILE_MAX ||
        !EVP_DigestInit_ex(md, EVP_sha256(), NULL))
        goto out;
    size_t total = 0;
    for (;;) {
        ssize_t n = read(fd, buf, MEMO_SNAPFILE_MAX);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            goto out;
        if (n == 0)
            break;
        total += (size_t)n;
        if (total > MEMO_SNAPFILE_MAX || !EVP_DigestUpdate(md, buf, (size_t)n))
            goto out;
    }
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned dn = 0;
    if (!EVP_DigestFinal_ex(md, d, &dn) || dn != 32)
        goto out;
    hex(d, dn, out);
    rc = 0;
out:
    close(fd);
    return rc;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* The names of dir's entries (dotfiles aside), sorted, into *ids; -1
 * when it cannot be read, a name is not a snapshot id, or there are
 * more than MEMO_SNAPS_MAX. With md, each file's bytes must hash to
 * its name. */
static int list_ids(const char *dir, EVP_MD_CTX *md,
                    char (**ids)[MR_RESTIC_ID_LEN + 1], size_t *n)
{
    *ids = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    size_t cap = 0;
    int rc = 0;
    char *buf = md ? malloc(MEMO_SNAPFILE_MAX) : NULL;
    char sum[MEMO_HEX];
    struct dirent *de;
    if (md && !buf)
        rc = -1;
    while (!rc && (de = readdir(d))) {
        const char *name = de->d_name;
        if (name[0] == '.')
            continue;
        if (strlen(name) != MR_RESTIC_ID_LEN || *n >= MEMO_SNAPS_MAX ||
            (md && (hash_file(dirfd(d), name, md, buf, sum) ||
                    strcmp(sum, name)))) {
            rc = -1;
            break;
        }
        if (*n == cap) {
            size_t nc = cap ? cap * 2 : 256;
            void *p = realloc(*ids, nc * sizeof(**ids));
            if (!p) {
                rc = -1;
                break;
            }
            *ids = p;
            cap = nc;
        }
        memcpy((*ids)[(*n)++], name, MR_RESTIC_ID_LEN + 1);
    }
    closedir(d);
    free(buf);
    if (rc) {
        free(*ids);
        *ids = NULL;
        *n = 0;
        return -1;
    }
    if (*n)
        qsort(*ids, *n, sizeof(**ids), by_name);
    return 0;
}

/* What restic opens the repository with: its location, its keys and the
 * copy's password source (the file's identity and times, never the
 * secret). Another key or another source: the memo is not used. */
static int opener(const mr_backup_copy *c, const mr_copy_state *st,
                  EVP_MD_CTX *md, char out[MEMO_HEX])
{
    char keys[MAMORI_SYSROOT_PATH_MAX + 8];
    snprintf(keys, sizeof(keys), "%s/keys", st->local);
    char (*kid)[MR_RESTIC_ID_LEN + 1] = NULL;
    size_t nk = 0;
    if (list_ids(keys, NULL, &kid, &nk) || !nk ||
        !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
        free(kid);
        return -1;
    }
    char src[3 * MR_BACKUP_PATH_MAX + 160];
    struct stat sb;
    memset(&sb, 0, sizeof(sb));
    if (c->password_file[0] && stat(c->password_file, &sb))
        memset(&sb, 0, sizeof(sb));
    snprintf(src, sizeof(src), "file=%s cmd=%s env=%s ino=%llu size=%lld "
             "mtime=%lld.%09ld ctime=%lld.%09ld", c->password_file,
             c->password_command, c->password_env,
             (unsigned long long)sb.st_ino, (long long)sb.st_size,
             (long long)sb.st_mtim.tv_sec, sb.st_mtim.tv_nsec,
             (long long)sb.st_ctim.tv_sec, sb.st_ctim.tv_nsec);
    int ok = EVP_DigestUpdate(md, st->local, strlen(st->local) + 1) &&
             EVP_DigestUpdate(md, src, strlen(src) + 1) &&
             EVP_DigestUpdate(md, kid, nk * sizeof(*kid));
    free(kid);
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned dn = 0;
    if (!ok || !EVP_DigestFinal_ex(md, d, &dn) || dn != 32)
        return -1;
    hex(d, dn, out);
    return 0;
}

static long find_id(const struct mr_memo *m, const char *id)
{
    size_t lo = 0, hi = m->nids;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(m->ids[mid], id);
        if (!c)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static int load_fn(void *user, const mr_restic_snap *s)
{
    struct mr_memo *m = user;
    long i = s->id[0] ? find_id(m, s->id) : -1;
    if (i < 0 || m->seen[i])
        return 0;               /* forgotten since, or said twice */
    m->seen[i] = 1;
    m->found++;
    mr_backup_restic_add(m->st, s);
    return 0;
}

int mr_backup_state_dir(mr_backup_run *r)
{
    /* The directory and its parent (mamori's state, as the history's). */
    char parent[MAMORI_SYSROOT_PATH_MAX];
    snprintf(parent, sizeof(parent), "%s", r->opts->state_dir);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) {
        *slash = '\0';
        (void)mkdir(parent, 0700);
    }
    if (mkdir(r->opts->state_dir, 0700) && errno != EEXIST) {
        mamori_diagf(r->ctx, MAMORI_DIAG_NOTE, r->opts->state_dir, 0,
                     "backup: cannot keep state: %s", strerror(errno));
        return -1;
    }
    return 0;
}

void mr_backup_memo_free(struct mr_memo *m)
{
    if (m) {
        free(m->ids);
        free(m->seen);
    }
    free(m);
}

int mr_backup_memo_load(mr_backup_run *r, const mr_backup_copy *c,
                        mr_copy_state *st, struct mr_memo **out)
{
    *out = NULL;
    /* Only a password file can be told unchanged without the secret: a
     * variable's or a command's value could change unseen. */
    if (!r->opts->state_dir || c->kind != MR_BACKUP_KIND_RESTIC ||
        !c->password_file[0] || !st->local[0] ||
        !mr_spawn_found("restic", r->opts->tool_path))
        return -1;
    struct mr_memo *m = calloc(1, sizeof(*m));
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    char dir[MAMORI_SYSROOT_PATH_MAX + 16], name[MEMO_HEX];
    char *data = NULL;
    int rc = -1;
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned dn = 0;
    snprintf(dir, sizeof(dir), "%s/snapshots", st->local);
    if (!m || !md || opener(c, st, md, m->opener) ||
        list_ids(dir, md, &m->ids, &m->nids) ||
        !(m->seen = calloc(m->nids ? m->nids : 1, 1)) ||
        !EVP_Digest(st->local, strlen(st->local), d, &dn, EVP_sha256(),
                    NULL)) {
        mr_backup_memo_free(m);
        m = NULL;
        goto out;
    }
    hex(d, 16, name);
    snprintf(m->file, sizeof(m->file), "%s/restic-%s.memo",
             r->opts->state_dir, name);
    *out = m;
    int fd = open(m->file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY |
                               O_NONBLOCK);
    struct stat sb;
    if (fd < 0)
        goto out;
    size_t len = 0;
    if (!fstat(fd, &sb) && S_ISREG(sb.st_mode) && sb.st_size > 0 &&
        (uint64_t)sb.st_size <= MEMO_FILE_MAX &&
        (data = malloc((size_t)sb.st_size))) {
        while (len < (size_t)sb.st_size) {
            ssize_t n = read(fd, data + len, (size_t)sb.st_size - len);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            len += (size_t)n;
        }
    }
    close(fd);
    size_t head = sizeof(MEMO_MAGIC) - 1;
    if (!data || len < head + MEMO_HEX ||
        memcmp(data, MEMO_MAGIC, head) ||
        memcmp(data + head, m->opener, MEMO_HEX - 1) ||
        data[head + MEMO_HEX - 1] != '\n')
        goto out;
    m->st = st;
    mr_backup_restic_reset(st);
    if (mr_backup_restic_each(data + head + MEMO_HEX,
                              len - head - MEMO_HEX, load_fn, m) == MAMORI_OK &&
        m->found == m->nids) {
        st->read = 1;
        rc = 0;
    } else {
        mr_backup_restic_reset(st);
    }
out:
    free(data);
    EVP_MD_CTX_free(md);
    return rc;
}

typedef struct save_ctx {
    struct mr_memo *m;
    FILE *f;
    int first;
} save_ctx;

static int save_fn(void *user, const mr_restic_snap *s)
{
    save_ctx *sc = user;
    long i = s->id[0] && !s->paths_cut ? find_id(sc->m, s->id) : -1;
    if (i < 0 || sc->m->seen[i])
        return 0;
    sc->m->seen[i] = 1;
    fprintf(sc->f, "%s{\"id\":\"%s\",\"time\":%lld,\"paths\":[",
            sc->first ? "" : ",\n", s->id, (long long)s->time);
    for (size_t k = 0; k < s->npaths; k++) {
        if (k)
            fputc(',', sc->f);
        mr_json_str(sc->f, s->paths[k], s->path_len[k]);
    }
    fputs("]}", sc->f);
    sc->first = 0;
    return 0;
}

void mr_backup_memo_save(mr_backup_run *r, struct mr_memo *m,
                         const char *json, size_t len)
{
    if (!m)
        return;
    if (mr_backup_state_dir(r))
        return;
    char tmp[sizeof(m->file) + 8];
    snprintf(tmp, sizeof(tmp), "%s.XXXXXX", m->file);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0)
        return;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(tmp);
        return;
    }
    memset(m->seen, 0, m->nids ? m->nids : 1);
    save_ctx sc = {m, f, 1};
    fprintf(f, "%s%s\n[", MEMO_MAGIC, m->opener);
    mamori_err e = mr_backup_restic_each(json, len, save_fn, &sc);
    fputs("]\n", f);
    int bad = e || ferror(f);
    if (fclose(f) || bad || rename(tmp, m->file))
        unlink(tmp);
}
