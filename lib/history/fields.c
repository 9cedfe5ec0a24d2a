/*
 * fields.c — a finding's named fields as one blob in the database, so
 * that `mamori diff` can show a finding of an old run as it was reported
 * (client, user, package, CVEs...) without a table per capability.
 *
 * Each field: kind (1 byte), name length (1 byte), name; then for a
 * string a 4-byte length and its bytes, for a number 8 bytes, for a list
 * a 4-byte count, an 8-byte `more`, and each item as a string. Integers
 * are little-endian. The blob is read back only by this build's
 * unpacker, which checks every length against what is left: a damaged
 * database yields fewer fields, never a read out of bounds.
 */
#include "common.h"

#include "history_int.h"

#define FIELD_LIST_MAX 64 /* list items kept per field */

typedef struct packer {
    unsigned char *buf;
    size_t cap, len;
    int full;
} packer;

static void put(packer *p, const void *s, size_t n)
{
    if (p->full || n > p->cap - p->len) {
        p->full = 1;
        return;
    }
    memcpy(p->buf + p->len, s, n);
    p->len += n;
}

static void put_u(packer *p, uint64_t v, size_t bytes)
{
    unsigned char b[8];
    for (size_t i = 0; i < bytes; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    put(p, b, bytes);
}

static void put_str(packer *p, const char *s, size_t n)
{
    if (n > UINT32_MAX)
        n = UINT32_MAX;
    put_u(p, n, 4);
    put(p, s, n);
}

size_t mr_fields_pack(const mamori_finding *f, unsigned char *buf, size_t cap)
{
    packer p = {buf, cap, 0, 0};
    for (size_t i = 0; i < f->nfields; i++) {
        const mamori_field *fl = &f->fields[i];
        size_t nlen = strlen(fl->name);
        if (nlen > 255)
            continue;
        size_t mark = p.len;
        put_u(&p, (uint64_t)fl->kind, 1);
        put_u(&p, nlen, 1);
        put(&p, fl->name, nlen);
        if (fl->kind == MAMORI_FIELD_STR) {
            put_str(&p, fl->str, fl->len);
        } else if (fl->kind == MAMORI_FIELD_INT) {
            put_u(&p, (uint64_t)fl->num, 8);
        } else {
            size_t n = fl->nstrs < FIELD_LIST_MAX ? fl->nstrs : FIELD_LIST_MAX;
            put_u(&p, n, 4);
            put_u(&p, fl->more + (fl->nstrs - n), 8);
            for (size_t k = 0; k < n; k++)
                put_str(&p, fl->strs[k], strlen(fl->strs[k]));
        }
        if (p.full) { /* this field did not fit: leave it out whole */
            p.len = mark;
            p.full = 0;
        }
    }
    return p.len;
}

typedef struct reader {
    const unsigned char *p;
    size_t left;
} reader;

static int get_u(reader *r, size_t bytes, uint64_t *v)
{
    if (r->left < bytes)
        return -1;
    *v = 0;
    for (size_t i = 0; i < bytes; i++)
        *v |= (uint64_t)r->p[i] << (8 * i);
    r->p += bytes;
    r->left -= bytes;
    return 0;
}

static int get_bytes(reader *r, size_t n, const unsigned char **s)
{
    if (r->left < n)
        return -1;
    *s = r->p;
    r->p += n;
    r->left -= n;
    return 0;
}

/* A NUL-terminated copy in the arena (names and list items are used as C
 * strings); NULL on failure. */
static const char *get_cstr(reader *r, size_t n, mr_arena *arena)
{
    const unsigned char *s;
    if (get_bytes(r, n, &s))
        return NULL;
    return mr_arena_strndup(arena, (const char *)s, n);
}

void mr_fields_unpack(const unsigned char *blob, size_t len, mr_arena *arena,
                      mamori_finding *f)
{
    reader r = {blob, len};
    uint64_t kind, nlen, v, more;
    while (r.left && f->nfields < MAMORI_FINDING_FIELDS_MAX) {
        if (get_u(&r, 1, &kind) || get_u(&r, 1, &nlen))
            return;
        const char *name = get_cstr(&r, (size_t)nlen, arena);
        if (!name)
            return;
        if (kind == MAMORI_FIELD_STR) {
            if (get_u(&r, 4, &v))
                return;
            const char *s = get_cstr(&r, (size_t)v, arena);
            if (!s)
                return;
            mamori_finding_str(f, name, s, (size_t)v);
        } else if (kind == MAMORI_FIELD_INT) {
            if (get_u(&r, 8, &v))
                return;
            mamori_finding_int(f, name, (int64_t)v);
        } else if (kind == MAMORI_FIELD_LIST) {
            if (get_u(&r, 4, &v) || get_u(&r, 8, &more) || v > FIELD_LIST_MAX)
                return;
            const char **items = mr_arena_alloc(arena, (v ? v : 1) * sizeof(*items));
            if (!items)
                return;
            for (uint64_t k = 0; k < v; k++) {
                uint64_t il;
                if (get_u(&r, 4, &il) || !(items[k] = get_cstr(&r, (size_t)il, arena)))
                    return;
            }
            mamori_finding_list(f, name, items, (size_t)v, more);
        } else {
            return;
        }
    }
}
