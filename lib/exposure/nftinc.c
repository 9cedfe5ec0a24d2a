/*
 * nftinc.c — an nftables configuration with its `include`s resolved
 * inside the root under review, as one text for nftconf.c to load.
 *
 * libnftables would read an included file from the machine running
 * mamori, not from `--root DIR`, and from the host even on a live run
 * once the configuration is handed over as a buffer. So every include is
 * expanded here, through the root-aware reader (lib/host/sysroot: no
 * symlink or ".." leads out of the root), and libnftables is given text
 * with none left: the live machine (root "/") and an image are read the
 * same way.
 *
 * nft's rules (nftables 1.0.6, scanner.l; nft(8) "INCLUDE FILES"): an
 * absolute name, or one starting with "./" or "../", is opened as given
 * (nft's working directory is "/" for nftables.service); any other name
 * is looked for in the include path (Debian's default: /etc). Shell
 * wildcards are allowed in the last component; their matches are read in
 * bytewise order, names starting with '.' are skipped, and no match is no
 * error. A name without wildcards that is missing makes nft refuse the
 * whole file, so mamori refuses it too and says which include is
 * missing. Bounded: NFI_DEPTH_MAX nested includes (nft's own limit),
 * NFI_FILES_MAX files, the caller's byte maximum for the whole text.
 *
 * An include is read where it stands on a line of its own (`include
 * "name"`, optionally with `;` or a comment after it), which is how
 * nftables configurations are written; the word anywhere else (after a
 * brace on the same line) is refused rather than handed to libnftables.
 */
#include "common.h"

#include "exposure/exposure.h"
#include "exposure/fw.h"
#include "host/sysroot.h"
#include "util/grow.h"

#define NFI_DEPTH_MAX 16          /* nested includes, as nft */
#define NFI_FILES_MAX 256         /* files read in all */
#define NFI_NAME_MAX 1024         /* an include's quoted name */
#define NFI_INCLUDE_PATH "/etc"   /* nft's default include path */

typedef struct nfi {
    const mamori_sysroot *sr;
    size_t max;                   /* bytes of the whole text */
    char *out;
    size_t len, cap;
    size_t files;
    char *why;
    size_t whycap;
    mamori_err err;
} nfi;

static int put(nfi *n, const char *s, size_t len)
{
    if (n->len + len + 1 > n->max) {
        snprintf(n->why, n->whycap, "with its includes it is over "
                 "mamori's limit of %zu bytes: not loaded", n->max);
        n->err = MAMORI_E_TOO_LARGE;
        return -1;
    }
    mamori_err e = mr_grow_array(&n->out, &n->cap, n->len + len + 1, 1,
                                 4096, 0);
    if (e) {
        n->err = e;
        return -1;
    }
    memcpy(n->out + n->len, s, len);
    n->len += len;
    n->out[n->len] = '\0';
    return 0;
}

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* A line "include "name"" (blanks, then optionally ';' and a comment
 * after it): 1 and the name in name; 0 when the line is no include; -1
 * when it holds the word include in a form not read here. */
static int include_line(const char *s, size_t n, char *name, size_t cap)
{
    size_t i = 0;
    while (i < n && blank(s[i]))
        i++;
    if (n - i < 8 || memcmp(s + i, "include", 7) ||
        (!blank(s[i + 7]) && s[i + 7] != '"')) {
        /* the word elsewhere, outside a comment or a string: not read
         * here */
        int str = 0;
        for (size_t k = i; k + 7 <= n && (str || s[k] != '#'); k++) {
            if (s[k] == '"')
                str = !str;
            if (!str && !memcmp(s + k, "include", 7) &&
                (k == 0 || blank(s[k - 1]) || s[k - 1] == '{' ||
                 s[k - 1] == ';') &&
                (k + 7 == n || blank(s[k + 7]) || s[k + 7] == '"'))
                return -1;
        }
        return 0;
    }
    i += 7;
    while (i < n && blank(s[i]))
        i++;
    if (i >= n || s[i] != '"')
        return -1;
    const char *q = memchr(s + i + 1, '"', n - i - 1);
    size_t len = q ? (size_t)(q - (s + i + 1)) : 0;
    if (!q || !len || len >= cap || memchr(s + i + 1, '\0', len))
        return -1;
    memcpy(name, s + i + 1, len);
    name[len] = '\0';
    i += len + 2;
    while (i < n && blank(s[i]))
        i++;
    if (i < n && s[i] == ';')
        i++;
    while (i < n && blank(s[i]))
        i++;
    return i == n || s[i] == '#' ? 1 : -1;
}

static int expand(nfi *n, const char *file, const char *text, size_t len,
                  unsigned depth);

/* One file read and expanded; one that cannot be read is -1 (why set),
 * but a directory a wildcard matched is skipped, as nft does. */
static int read_one(nfi *n, const char *path, const char *from,
                    unsigned depth, int wild)
{
    if (++n->files > NFI_FILES_MAX) {
        snprintf(n->why, n->whycap, "it includes over %d files: not "
                                    "loaded", NFI_FILES_MAX);
        return -1;
    }
    char *data = NULL;
    size_t dl = 0;
    mamori_err e = mr_sysroot_read(n->sr, path, n->max, &data, &dl);
    if (e == MAMORI_E_NOMEM) {
        n->err = e;
        return -1;
    }
    if (e && wild && e == MAMORI_E_IO && errno == EISDIR)
        return 0;
    if (e) {
        int missing = e == MAMORI_E_IO && errno == ENOENT;
        if (e == MAMORI_E_TOO_LARGE) {
            /* mamori's own bound, not nft's */
            n->err = e;
            snprintf(n->why, n->whycap, "%.200s, included by %.200s, is "
                     "over mamori's limit of %zu bytes: not loaded", path,
                     from, n->max);
        } else {
            snprintf(n->why, n->whycap, "%.200s, included by %.200s, %s: "
                     "nft would refuse the whole file", path, from,
                     missing ? "is missing" : e == MAMORI_E_IO
                         ? strerror(errno) : mamori_strerror(e));
        }
        return -1;
    }
    /* libnftables reads a C string: what follows a NUL would be lost
     * while mamori judged it */
    if (memchr(data, '\0', dl)) {
        free(data);
        snprintf(n->why, n->whycap, "%.200s, included by %.200s, holds a "
                 "NUL byte: not loaded", path, from);
        return -1;
    }
    int r = expand(n, path, data, dl, depth);
    free(data);
    return r;
}

/* The files an include names, expanded in turn. */
static int include(nfi *n, const char *file, const char *name,
                   unsigned depth)
{
    if (depth >= NFI_DEPTH_MAX) {
        snprintf(n->why, n->whycap, "includes nested over %d deep (from "
                 "%.200s): not loaded", NFI_DEPTH_MAX, file);
        return -1;
    }
    char path[MAMORI_SYSROOT_PATH_MAX];
    int given = name[0] == '/' || !strncmp(name, "./", 2) ||
                !strncmp(name, "../", 3);
    int w = snprintf(path, sizeof(path), "%s%s%s",
                     given ? (name[0] == '/' ? "" : "/") : NFI_INCLUDE_PATH,
                     given ? "" : "/", name);
    if (w < 0 || (size_t)w >= sizeof(path)) {
        snprintf(n->why, n->whycap, "an include's name is too long (in "
                 "%.200s): not loaded", file);
        return -1;
    }
    const char *last = strrchr(path, '/');
    int wild = strpbrk(last, "*?[") != NULL;
    if (!wild)
        return read_one(n, path, file, depth + 1, 0);
    if (strcspn(path, "*?[") < (size_t)(last - path)) {
        snprintf(n->why, n->whycap, "include \"%.200s\" (in %.200s) has "
                 "wildcards before its last component: not loaded", name,
                 file);
        return -1;
    }
    mr_sysroot_names l;
    memset(&l, 0, sizeof(l));
    mamori_err e = mr_sysroot_glob(n->sr, path, &l);
    if (e) {
        if (e == MAMORI_E_NOMEM)
            n->err = e;
        else
            snprintf(n->why, n->whycap, "include \"%.200s\" (in %.200s) "
                     "cannot be listed: not loaded", name, file);
        return -1;
    }
    int r = 0;
    if (l.truncated) {
        snprintf(n->why, n->whycap, "include \"%.200s\" matches too many "
                 "files: not loaded", name);
        r = -1;
    }
    for (size_t i = 0; i < l.n && !r; i++)
        r = read_one(n, l.names[i], file, depth + 1, 1);
    mr_sysroot_names_free(&l);
    return r;
}

static int expand(nfi *n, const char *file, const char *text, size_t len,
                  unsigned depth)
{
    char name[NFI_NAME_MAX];
    size_t pos = 0;
    unsigned line = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        line++;
        int r = include_line(text + pos, end - pos, name, sizeof(name));
        if (r < 0) {
            snprintf(n->why, n->whycap, "line %u of %.200s holds an "
                     "include mamori does not read: not loaded", line,
                     file);
            return -1;
        }
        if (r > 0 ? include(n, file, name, depth)
                  : put(n, text + pos, end - pos))
            return -1;
        if (put(n, "\n", 1))
            return -1;
        pos = end + 1;
    }
    return 0;
}

mamori_err mr_xp_nft_flatten(const mamori_sysroot *sr, const char *file,
                             const char *text, size_t len, size_t max,
                             char **out, size_t *out_len, char *why,
                             size_t cap)
{
    nfi n;
    memset(&n, 0, sizeof(n));
    n.sr = sr;
    n.max = max;
    n.why = why;
    n.whycap = cap;
    *out = NULL;
    *out_len = 0;
    why[0] = '\0';
    if (memchr(text, '\0', len)) {
        snprintf(why, cap, "it holds a NUL byte: not loaded");
        return MAMORI_E_IO;
    }
    int r = put(&n, "", 0) ? -1 : expand(&n, file, text, len, 0);
    if (r || n.err) {
        free(n.out);
        if (n.err == MAMORI_E_NOMEM || n.err == MAMORI_E_TOO_LARGE)
            return n.err;
        return MAMORI_E_IO;
    }
    *out = n.out;
    *out_len = n.len;
    return MAMORI_OK;
}
