/*
 * breach.c — "is this password known from a breach?": the compiled-in
 * binary fuse filter built from the common-password lists at build time,
 * and a filter of the user's own list (--breach-list FILE): a plain list
 * of passwords, or the Pwned Passwords SHA-1 or NTLM download, whose
 * lines are "HASH:COUNT". A password is looked up as typed and in lower
 * case (lists are mostly lower case and people capitalize the first
 * letter); for a hash list the candidate is hashed first (SHA-1 with
 * OpenSSL's libcrypto, the NT hash with md4.c). A filter answers "maybe"
 * with about 1 false positive in 4096, never a false negative.
 *
 * The list is hostile input: it is read in chunks with a bounded line
 * buffer (MAMORI_BREACH_LINE_MAX), NUL bytes and over-long lines are
 * data, and every line not in the file's format is counted and skipped.
 * The format is voted on by the first DETECT_LINES non-empty lines.
 */
#include "common.h"

#include <openssl/sha.h>

#include "password/pw_breach.h"
#include "password/pw_data.h"
#include "password/pw_hash.h"
#include "password/pw_internal.h"
#include "util/grow.h"

#define BREACH_CHUNK (64u * 1024)   /* bytes read at a time */
#define BREACH_COUNT_DIGITS 20      /* digits of ":COUNT" at most */
#define BREACH_KEYS_START 4096

static const char *const format_names[] = {"plain", "sha1", "ntlm"};

const char *mamori_breach_format_name(mamori_breach_format f)
{
    return (unsigned)f < MR_ARRAY_LEN(format_names) ? format_names[f]
                                                     : "unknown";
}

uint64_t mr_pw_digest_key(const unsigned char *digest)
{
    uint64_t k = 0;
    for (size_t i = 0; i < 8; i++)
        k = k << 8 | digest[i];
    return k;
}

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

mr_breach_line mr_pw_breach_parse_line(mamori_breach_format fmt,
                                       const char *line, size_t len,
                                       uint64_t *key)
{
    const unsigned char *s = (const unsigned char *)line;
    if (len > 0 && s[len - 1] == '\r')
        len--;
    if (len == 0)
        return MR_BL_EMPTY;
    if (fmt == MAMORI_BREACH_PLAIN) {
        if (len > MAMORI_PASSWORD_MAX)
            return MR_BL_TOO_LONG;
        *key = mr_pw_hash(s, len);
        return MR_BL_KEY;
    }
    size_t hex = fmt == MAMORI_BREACH_SHA1 ? 2 * MR_SHA1_LEN
                                           : 2 * MR_MD4_LEN;
    if (len < hex)
        return MR_BL_BAD;
    uint64_t k = 0;
    for (size_t i = 0; i < hex; i++) {
        int v = hex_value(s[i]);
        if (v < 0)
            return MR_BL_BAD;
        if (i < 16)
            k = k << 4 | (uint64_t)v;
    }
    if (len > hex) {
        size_t digits = len - hex - 1;
        if (s[hex] != ':' || digits == 0 || digits > BREACH_COUNT_DIGITS)
            return MR_BL_BAD;
        for (size_t i = hex + 1; i < len; i++)
            if (s[i] < '0' || s[i] > '9')
                return MR_BL_BAD;
    }
    *key = k;
    return MR_BL_KEY;
}

mamori_breach_format mr_pw_breach_detect(const char *line, size_t len)
{
    uint64_t k;
    if (mr_pw_breach_parse_line(MAMORI_BREACH_SHA1, line, len, &k) ==
        MR_BL_KEY)
        return MAMORI_BREACH_SHA1;
    if (mr_pw_breach_parse_line(MAMORI_BREACH_NTLM, line, len, &k) ==
        MR_BL_KEY)
        return MAMORI_BREACH_NTLM;
    return MAMORI_BREACH_PLAIN;
}

/* ---- lookup ---------------------------------------------------------- */

static uint64_t user_key(mamori_breach_format fmt, const char *pw, size_t n)
{
    unsigned char d[MR_SHA1_LEN];
    uint64_t k;
    if (fmt == MAMORI_BREACH_SHA1)
        SHA1((const unsigned char *)pw, n, d);
    else if (fmt == MAMORI_BREACH_NTLM)
        mr_ntlm_hash(pw, n, d);
    else
        return mr_pw_hash(pw, n);
    k = mr_pw_digest_key(d);
    explicit_bzero(d, sizeof(d));
    return k;
}

/* Is a candidate, or its lower-case form (low; NULL when the same), in
 * the built-in filter or the checker's own (c may be NULL)? The hashes
 * are mr_pw_hash of each form. */
static int lookup_forms(const mamori_password_checker *c, const char *raw,
                        const char *low, size_t n, uint64_t raw_hash,
                        uint64_t low_hash)
{
    if (mr_fuse_contains(&mr_pw_breach_builtin, raw_hash) ||
        (low && mr_fuse_contains(&mr_pw_breach_builtin, low_hash)))
        return 1;
    if (!c || c->user_breach.array_length == 0)
        return 0;
    if (c->user_format != MAMORI_BREACH_PLAIN) {
        raw_hash = user_key(c->user_format, raw, n);
        if (low)
            low_hash = user_key(c->user_format, low, n);
    }
    return mr_fuse_contains(&c->user_breach, raw_hash) ||
           (low && mr_fuse_contains(&c->user_breach, low_hash));
}

int mr_pw_breach_lookup_work(const mamori_password_checker *c,
                             const mr_pw_work *w, uint64_t raw_hash,
                             uint64_t low_hash)
{
    return lookup_forms(c, w->raw, w->has_upper ? w->low : NULL, w->n,
                        raw_hash, low_hash);
}

int mr_pw_breach_lookup(const mamori_password_checker *c, const char *pw,
                        size_t n)
{
    char low[MAMORI_PASSWORD_MAX];
    int hit, changed = 0;

    if (n == 0 || n > MAMORI_PASSWORD_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = pw[i];
        low[i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
        changed |= low[i] != ch;
    }
    hit = lookup_forms(c, pw, changed ? low : NULL, n, mr_pw_hash(pw, n),
                       changed ? mr_pw_hash(low, n) : 0);
    explicit_bzero(low, n);
    return hit;
}

int mamori_password_breached(const mamori_password_checker *c,
                             const char *pw, size_t len)
{
    return mr_pw_breach_lookup(c, pw, len);
}

mamori_breach_format mamori_password_breach_list_format(
    const mamori_password_checker *c)
{
    return c ? c->user_format : MAMORI_BREACH_PLAIN;
}

size_t mamori_password_breach_list_entries(const mamori_password_checker *c)
{
    return c ? c->user_breach.entries : 0;
}

/* ---- reading a list -------------------------------------------------- */

#define DETECT_LINES 32     /* non-empty lines that vote on the format */

typedef struct list_reader {
    const mamori_ctx *ctx;
    const char *name;
    int format_known;
    mamori_breach_format fmt;
    uint64_t *keys;
    size_t n, cap;
    uint64_t line;                 /* lines seen */
    uint64_t bad, first_bad;       /* not in the hash format */
    uint64_t long_lines, first_long;  /* plain, over MAMORI_PASSWORD_MAX */
    uint64_t huge, first_huge;     /* over MAMORI_BREACH_LINE_MAX */
    char buf[MAMORI_BREACH_LINE_MAX];
    size_t used;
    int overlong;                  /* the current line passed buf */
    /* the first lines, kept until they have voted on the format */
    char pend[DETECT_LINES][MAMORI_BREACH_LINE_MAX];
    size_t pend_len[DETECT_LINES];
    uint64_t pend_line[DETECT_LINES];
    size_t npend;
} list_reader;

static mamori_err add_key(list_reader *r, uint64_t key)
{
    mamori_err e = MR_GROW_MAX(&r->keys, &r->cap, r->n + 1, BREACH_KEYS_START,
                               MAMORI_BREACH_ENTRIES_MAX);
    if (e)
        return e;
    r->keys[r->n++] = key;
    return MAMORI_OK;
}

static void count_skip(uint64_t *count, uint64_t *first, uint64_t line)
{
    if ((*count)++ == 0)
        *first = line;
}

/* One line of a list whose format is known. */
static mamori_err take_line(list_reader *r, const char *s, size_t len,
                            uint64_t line)
{
    uint64_t key;
    switch (mr_pw_breach_parse_line(r->fmt, s, len, &key)) {
    case MR_BL_KEY: return add_key(r, key);
    case MR_BL_EMPTY: break;
    case MR_BL_TOO_LONG: count_skip(&r->long_lines, &r->first_long, line);
                         break;
    case MR_BL_BAD: count_skip(&r->bad, &r->first_bad, line); break;
    }
    return MAMORI_OK;
}

/* The kept lines vote: a hash format needs at least half of them (so a
 * header or junk lines do not turn a hash list into a list of hex
 * "passwords", while a password list is never mostly hex hashes); then
 * they are read in that format. */
static mamori_err decide(list_reader *r)
{
    size_t votes[3] = {0, 0, 0};
    mamori_err err = MAMORI_OK;
    for (size_t i = 0; i < r->npend; i++)
        votes[mr_pw_breach_detect(r->pend[i], r->pend_len[i])]++;
    size_t sha1 = votes[MAMORI_BREACH_SHA1], ntlm = votes[MAMORI_BREACH_NTLM];
    r->fmt = 2 * sha1 >= r->npend && sha1 >= ntlm ? MAMORI_BREACH_SHA1
           : 2 * ntlm >= r->npend ? MAMORI_BREACH_NTLM
                                  : MAMORI_BREACH_PLAIN;
    r->format_known = 1;
    for (size_t i = 0; i < r->npend && !err; i++)
        err = take_line(r, r->pend[i], r->pend_len[i], r->pend_line[i]);
    for (size_t i = 0; i < r->npend; i++)
        explicit_bzero(r->pend[i], r->pend_len[i]);
    r->npend = 0;
    return err;
}

/* One whole line (without "\n"), or an over-long one cut at the buffer. */
static mamori_err end_line(list_reader *r)
{
    mamori_err err = MAMORI_OK;
    size_t len = r->used;      /* with a "\r" the parser takes off */
    r->line++;
    if (r->overlong) {
        /* too long for any format */
        count_skip(&r->huge, &r->first_huge, r->line);
    } else if (len == 0 || (len == 1 && r->buf[0] == '\r')) {
        /* blank */
    } else if (!r->format_known) {
        memcpy(r->pend[r->npend], r->buf, len);
        r->pend_len[r->npend] = len;
        r->pend_line[r->npend++] = r->line;
        if (r->npend == DETECT_LINES)
            err = decide(r);
    } else {
        err = take_line(r, r->buf, len, r->line);
    }
    explicit_bzero(r->buf, r->used);
    r->used = 0;
    r->overlong = 0;
    return err;
}

/* Feeds bytes; lines may span calls. */
static mamori_err feed(list_reader *r, const char *p, size_t n)
{
    while (n > 0) {
        const char *nl = memchr(p, '\n', n);
        size_t take = nl ? (size_t)(nl - p) : n;
        size_t room = sizeof(r->buf) - r->used;
        if (take > room) {
            r->overlong = 1;
            take = room;    /* what fits; the rest of the line is dropped */
        }
        memcpy(r->buf + r->used, p, take);
        r->used += take;
        if (!nl)
            return MAMORI_OK;
        size_t adv = (size_t)(nl - p) + 1;
        p += adv;
        n -= adv;
        mamori_err err = end_line(r);
        if (err)
            return err;
    }
    return MAMORI_OK;
}

static mamori_err finish(list_reader *r, mamori_password_checker *c,
                         mamori_err err)
{
    if (!err && (r->used > 0 || r->overlong))
        err = end_line(r);     /* a last line without "\n" */
    if (!err && !r->format_known)
        err = decide(r);
    if (r->huge)
        mamori_diagf(r->ctx, MAMORI_DIAG_NOTE, r->name, r->first_huge,
                     "%llu line(s) over %d bytes skipped (the first here)",
                     (unsigned long long)r->huge, MAMORI_BREACH_LINE_MAX);
    if (r->long_lines)
        mamori_diagf(r->ctx, MAMORI_DIAG_NOTE, r->name, r->first_long,
                     "%llu line(s) over %d bytes skipped (the first here)",
                     (unsigned long long)r->long_lines, MAMORI_PASSWORD_MAX);
    if (r->bad)
        mamori_diagf(r->ctx, MAMORI_DIAG_NOTE, r->name, r->first_bad,
                     "%llu line(s) skipped: not a %s hash line "
                     "(HEX%s[:COUNT]); the first here",
                     (unsigned long long)r->bad,
                     r->fmt == MAMORI_BREACH_SHA1 ? "SHA-1" : "NTLM",
                     r->fmt == MAMORI_BREACH_SHA1 ? "40" : "32");
    if (err == MAMORI_E_TOO_LARGE)
        mamori_diagf(r->ctx, MAMORI_DIAG_ERROR, r->name, r->line,
                     "more than %u entries: split the list",
                     MAMORI_BREACH_ENTRIES_MAX);
    else if (!err && r->n == 0) {
        /* An empty list (a failed download, a truncated copy) would turn
         * the check off without a word: an error, like junk. */
        mamori_diagf(r->ctx, MAMORI_DIAG_ERROR, r->name, 0,
                     (r->bad || r->long_lines || r->huge)
                         ? "no usable line: not a password list nor a Pwned "
                           "Passwords SHA-1 or NTLM file"
                         : "no usable line: the list is empty");
        err = MAMORI_E_FORMAT;
    }
    if (!err) {
        mr_fuse fresh = {0};
        err = mr_fuse_build(&fresh, r->keys, r->n);
        if (!err) {
            mr_fuse_free(&c->user_breach);
            c->user_breach = fresh;
            c->user_format = r->fmt;
            mamori_diagf(r->ctx, MAMORI_DIAG_NOTE, r->name, 0,
                         "breach list: %zu entries (%s)", fresh.entries,
                         mamori_breach_format_name(r->fmt));
        }
    }
    free(r->keys);
    explicit_bzero(r->buf, sizeof(r->buf));
    for (size_t i = 0; i < r->npend; i++)
        explicit_bzero(r->pend[i], r->pend_len[i]);
    return err;
}

mamori_err mamori_password_checker_add_breach_data(mamori_password_checker *c,
                                                   const mamori_ctx *ctx,
                                                   const char *name,
                                                   const char *data,
                                                   size_t len)
{
    list_reader *r = calloc(1, sizeof(*r));
    if (!r)
        return MAMORI_E_NOMEM;
    r->ctx = ctx;
    r->name = name ? name : "breach list";
    mamori_err err = feed(r, data ? data : "", data ? len : 0);
    err = finish(r, c, err);
    free(r);
    return err;
}

mamori_err mamori_password_checker_add_breach_list(mamori_password_checker *c,
                                                   const mamori_ctx *ctx,
                                                   const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, path, 0, "cannot open: %s",
                     strerror(errno));
        return MAMORI_E_IO;
    }
    list_reader *r = calloc(1, sizeof(*r));
    char *chunk = malloc(BREACH_CHUNK);
    mamori_err err = r && chunk ? MAMORI_OK : MAMORI_E_NOMEM;
    size_t got;
    if (r) {
        r->ctx = ctx;
        r->name = path;
    }
    while (!err && (got = fread(chunk, 1, BREACH_CHUNK, f)) > 0) {
        err = feed(r, chunk, got);
        explicit_bzero(chunk, got);
    }
    if (!err && ferror(f)) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, path, 0, "read failed: %s",
                     strerror(errno));
        err = MAMORI_E_IO;
    }
    fclose(f);
    free(chunk);
    if (!r)
        return err;
    err = finish(r, c, err);
    free(r);
    return err;
}
