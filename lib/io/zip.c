/*
 * zip.c — the bounded ZIP reader of zip.h. The end of central directory
 * record is searched for in the last 22 + 65,535 bytes (its comment may
 * be that long); a ZIP64 locator just before it leads to the ZIP64 end
 * record, whose counts and offsets then win. The central directory is
 * read whole (at most MR_ZIP_CD_MAX) and walked with a cursor and a
 * bound; each kept entry records its method, flags, sizes, CRC and local
 * header offset (ZIP64 extra field 0x0001 where a field is 0xFFFFFFFF).
 * Reading an entry checks its local header, skips its name and extra
 * field, and inflates (raw deflate, zlib's inflate with -MAX_WBITS) or
 * copies at most max bytes in ZIP_CHUNK steps.
 *
 * Bytes come through one function, at(): pread on a descriptor, or a
 * copy from memory (the fuzzer's way in), so both paths are the same.
 */
#include "common.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "io/zip.h"

#define ZIP_EOCD_SIG 0x06054b50u
#define ZIP64_LOC_SIG 0x07064b50u
#define ZIP64_EOCD_SIG 0x06064b50u
#define ZIP_CDH_SIG 0x02014b50u
#define ZIP_LFH_SIG 0x04034b50u
#define ZIP_EOCD_LEN 22
#define ZIP64_LOC_LEN 20
#define ZIP64_EOCD_LEN 56
#define ZIP_CDH_LEN 46
#define ZIP_LFH_LEN 30
#define ZIP_CHUNK (64 * 1024)      /* compressed bytes read at a time */

typedef struct zip_entry {
    uint64_t csize, usize, offset;
    uint32_t crc;
    uint16_t method, flags;
    uint32_t name_off;             /* into names */
} zip_entry;

struct mr_zip {
    int fd;                        /* -1 for memory */
    const unsigned char *mem;
    uint64_t size;
    zip_entry *e;
    size_t n, cap;
    uint64_t skipped;
    char *names;                   /* NUL-terminated names, back to back */
    size_t names_len;
};

static uint16_t le16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* Exactly n bytes at off, or MAMORI_E_TRUNCATED past the end. */
static mamori_err at(const mr_zip *z, uint64_t off, void *buf, size_t n)
{
    if (off > z->size || n > z->size - off)
        return MAMORI_E_TRUNCATED;
    if (!z->mem) {
        size_t got = 0;
        while (got < n) {
            ssize_t r = pread(z->fd, (char *)buf + got, n - got,
                              (off_t)(off + got));
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0)
                return MAMORI_E_IO;
            if (r == 0)
                return MAMORI_E_TRUNCATED;
            got += (size_t)r;
        }
        return MAMORI_OK;
    }
    memcpy(buf, z->mem + off, n);
    return MAMORI_OK;
}

/* The end record's offset: the last signature whose comment length
 * reaches exactly the end of the archive. */
static mamori_err find_eocd(const mr_zip *z, uint64_t *eocd)
{
    size_t tail = (size_t)MR_MIN(z->size, (uint64_t)ZIP_EOCD_LEN +
                                              MR_ZIP_COMMENT_MAX);
    if (tail < ZIP_EOCD_LEN)
        return MAMORI_E_CORRUPT;
    unsigned char *buf = malloc(tail);
    if (!buf)
        return MAMORI_E_NOMEM;
    uint64_t base = z->size - tail;
    mamori_err e = at(z, base, buf, tail);
    if (!e) {
        e = MAMORI_E_CORRUPT;
        for (size_t i = tail - ZIP_EOCD_LEN + 1; i-- > 0;) {
            if (le32(buf + i) == ZIP_EOCD_SIG &&
                i + ZIP_EOCD_LEN + le16(buf + i + 20) == tail) {
                *eocd = base + i;
                e = MAMORI_OK;
                break;
            }
        }
    }
    free(buf);
    return e;
}

/* ZIP64 extra field 0x0001: the fields the header set to all ones, in
 * order (uncompressed, compressed, offset). */
static int zip64_extra(const unsigned char *x, size_t n, zip_entry *e,
                       int need_u, int need_c, int need_o)
{
    size_t i = 0;
    while (i + 4 <= n) {
        uint16_t id = le16(x + i), len = le16(x + i + 2);
        if (len > n - i - 4)
            return -1;
        if (id == 0x0001) {
            const unsigned char *p = x + i + 4;
            size_t left = len;
            uint64_t *want[3] = {need_u ? &e->usize : NULL,
                                 need_c ? &e->csize : NULL,
                                 need_o ? &e->offset : NULL};
            for (int k = 0; k < 3; k++) {
                if (!want[k])
                    continue;
                if (left < 8)
                    return -1;
                *want[k] = le64(p);
                p += 8;
                left -= 8;
            }
            return 0;
        }
        i += 4 + (size_t)len;
    }
    return need_u || need_c || need_o ? -1 : 0;
}

static int keep(mr_zip *z, const zip_entry *e, const unsigned char *name,
                size_t nlen)
{
    if (nlen == 0 || nlen > MR_ZIP_NAME_MAX || memchr(name, '\0', nlen) ||
        z->n >= MR_ZIP_ENTRIES_MAX) {
        z->skipped++;
        return 0;
    }
    if (z->n == z->cap) {
        size_t cap = z->cap ? z->cap * 2 : 256;
        zip_entry *ne = realloc(z->e, cap * sizeof(*ne));
        if (!ne)
            return -1;
        z->e = ne;
        z->cap = cap;
    }
    zip_entry *k = &z->e[z->n++];
    *k = *e;
    k->name_off = (uint32_t)z->names_len;
    memcpy(z->names + z->names_len, name, nlen);
    z->names[z->names_len + nlen] = '\0';
    z->names_len += nlen + 1;
    return 0;
}

/* Walks cd[0..len): every central directory header. */
static mamori_err walk(mr_zip *z, const unsigned char *cd, size_t len,
                       uint64_t count)
{
    /* Names fit in the directory's own bytes, one NUL each at most. */
    z->names = malloc(len + (size_t)MR_MIN(count, (uint64_t)len) + 1);
    if (!z->names)
        return MAMORI_E_NOMEM;
    size_t i = 0;
    for (uint64_t k = 0; k < count; k++) {
        if (len - i < ZIP_CDH_LEN || le32(cd + i) != ZIP_CDH_SIG)
            return MAMORI_E_CORRUPT;
        const unsigned char *h = cd + i;
        size_t nlen = le16(h + 28), xlen = le16(h + 30), clen = le16(h + 32);
        if (nlen + xlen + clen > len - i - ZIP_CDH_LEN)
            return MAMORI_E_CORRUPT;
        zip_entry e = {0};
        e.flags = le16(h + 8);
        e.method = le16(h + 10);
        e.crc = le32(h + 16);
        e.csize = le32(h + 20);
        e.usize = le32(h + 24);
        e.offset = le32(h + 42);
        int need_c = e.csize == 0xffffffffu, need_u = e.usize == 0xffffffffu,
            need_o = e.offset == 0xffffffffu;
        if (zip64_extra(h + ZIP_CDH_LEN + nlen, xlen, &e, need_u, need_c,
                        need_o))
            return MAMORI_E_CORRUPT;
        if (keep(z, &e, h + ZIP_CDH_LEN, nlen))
            return MAMORI_E_NOMEM;
        i += ZIP_CDH_LEN + nlen + xlen + clen;
    }
    return MAMORI_OK;
}

static mamori_err load(mr_zip *z)
{
    uint64_t eocd;
    unsigned char r[ZIP64_EOCD_LEN];
    mamori_err e = find_eocd(z, &eocd);
    if (e == MAMORI_E_CORRUPT && at(z, 0, r, 4) == MAMORI_OK &&
        le32(r) == ZIP_LFH_SIG)
        return MAMORI_E_TRUNCATED; /* starts as a ZIP, has no end */
    if (e || (e = at(z, eocd, r, ZIP_EOCD_LEN)))
        return e;
    uint64_t count = le16(r + 10), cdlen = le32(r + 12),
             cdoff = le32(r + 16);
    int multi = le16(r + 4) != 0 || le16(r + 6) != 0 ||
                le16(r + 8) != le16(r + 10);
    if (eocd >= ZIP64_LOC_LEN &&
        at(z, eocd - ZIP64_LOC_LEN, r, ZIP64_LOC_LEN) == MAMORI_OK &&
        le32(r) == ZIP64_LOC_SIG) {
        uint64_t off = le64(r + 8);
        if ((e = at(z, off, r, ZIP64_EOCD_LEN)))
            return e;
        if (le32(r) != ZIP64_EOCD_SIG)
            return MAMORI_E_CORRUPT;
        /* Its own disk fields replace the 16-bit ones (0xFFFF there). */
        multi = le32(r + 16) != 0 || le32(r + 20) != 0 ||
                le64(r + 24) != le64(r + 32);
        count = le64(r + 32);
        cdlen = le64(r + 40);
        cdoff = le64(r + 48);
    }
    if (multi)
        return MAMORI_E_CORRUPT; /* multi-disk archives are not read */
    if (cdlen > MR_ZIP_CD_MAX)
        return MAMORI_E_TOO_LARGE;
    if (cdoff > z->size || cdlen > z->size - cdoff ||
        count > cdlen / ZIP_CDH_LEN)
        return MAMORI_E_CORRUPT;
    unsigned char *cd = malloc(cdlen ? (size_t)cdlen : 1);
    if (!cd)
        return MAMORI_E_NOMEM;
    e = at(z, cdoff, cd, (size_t)cdlen);
    if (!e)
        e = walk(z, cd, (size_t)cdlen, count);
    free(cd);
    return e;
}

static mamori_err open_common(mr_zip *z, mr_zip **out)
{
    mamori_err e = load(z);
    if (e) {
        mr_zip_close(z);
        return e;
    }
    *out = z;
    return MAMORI_OK;
}

mamori_err mr_zip_open(const char *path, mr_zip **out)
{
    *out = NULL;
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return MAMORI_E_IO;
    int bad = fstat(fd, &st) != 0 ? errno : !S_ISREG(st.st_mode) ? EINVAL : 0;
    if (bad) {
        close(fd);
        errno = bad;
        return MAMORI_E_IO;
    }
    mr_zip *z = calloc(1, sizeof(*z));
    if (!z) {
        close(fd);
        return MAMORI_E_NOMEM;
    }
    z->fd = fd;
    z->size = (uint64_t)st.st_size;
    return open_common(z, out);
}

mamori_err mr_zip_open_mem(const void *data, size_t len, mr_zip **out)
{
    *out = NULL;
    mr_zip *z = calloc(1, sizeof(*z));
    if (!z)
        return MAMORI_E_NOMEM;
    z->fd = -1;
    z->mem = data ? data : (const unsigned char *)"";
    z->size = data ? len : 0;
    return open_common(z, out);
}

void mr_zip_close(mr_zip *z)
{
    if (!z)
        return;
    if (z->fd >= 0 && !z->mem)
        close(z->fd);
    free(z->e);
    free(z->names);
    free(z);
}

size_t mr_zip_count(const mr_zip *z)
{
    return z->n;
}

uint64_t mr_zip_skipped(const mr_zip *z)
{
    return z->skipped;
}

const char *mr_zip_name(const mr_zip *z, size_t i)
{
    return i < z->n ? z->names + z->e[i].name_off : NULL;
}

/* Inflates or copies the entry's csize bytes from off into out[0..max). */
static mamori_err extract(const mr_zip *z, const zip_entry *e, uint64_t off,
                          unsigned char *out, size_t max, size_t *len)
{
    unsigned char *in = malloc(ZIP_CHUNK);
    if (!in)
        return MAMORI_E_NOMEM;
    z_stream s;
    memset(&s, 0, sizeof(s));
    mamori_err err = MAMORI_OK;
    int zret = Z_OK;
    if (e->method == 8 && inflateInit2(&s, -MAX_WBITS) != Z_OK) {
        free(in);
        return MAMORI_E_NOMEM;
    }
    uint64_t left = e->csize;
    size_t got = 0;
    while (left > 0 && !err) {
        size_t n = (size_t)MR_MIN(left, (uint64_t)ZIP_CHUNK);
        if ((err = at(z, off, in, n)))
            break;
        off += n;
        left -= n;
        if (e->method == 0) {
            if (n > max - got) {
                err = MAMORI_E_TOO_LARGE;
                break;
            }
            memcpy(out + got, in, n);
            got += n;
            continue;
        }
        s.next_in = in;
        s.avail_in = (uInt)n;
        while (s.avail_in > 0 && zret != Z_STREAM_END) {
            if (got == max) {
                err = MAMORI_E_TOO_LARGE;
                break;
            }
            size_t room = MR_MIN(max - got, (size_t)UINT32_MAX);
            s.next_out = out + got;
            s.avail_out = (uInt)room;
            zret = inflate(&s, Z_NO_FLUSH);
            got += room - s.avail_out;
            if (zret != Z_OK && zret != Z_STREAM_END) {
                err = zret == Z_MEM_ERROR ? MAMORI_E_NOMEM
                                          : MAMORI_E_CORRUPT;
                break;
            }
            if (zret == Z_OK && s.avail_out != 0 && s.avail_in == 0)
                break; /* wants more input */
        }
        if (zret == Z_STREAM_END)
            break;
    }
    if (e->method == 8) {
        /* A deflated entry that did not end is cut (or lies). */
        if (!err && zret != Z_STREAM_END) {
            /* One more call can flush output held for room. */
            if (got == max)
                err = MAMORI_E_TOO_LARGE;
            else
                err = left ? MAMORI_E_TRUNCATED : MAMORI_E_CORRUPT;
        }
        inflateEnd(&s);
    }
    free(in);
    *len = got;
    return err;
}

mamori_err mr_zip_read(mr_zip *z, size_t i, size_t max, char **data,
                       size_t *len)
{
    *data = NULL;
    *len = 0;
    if (i >= z->n)
        return MAMORI_E_INVAL;
    const zip_entry *e = &z->e[i];
    if ((e->flags & 1) || (e->method != 0 && e->method != 8))
        return MAMORI_E_FORMAT;
    if (e->usize > max)
        return MAMORI_E_TOO_LARGE;
    unsigned char h[ZIP_LFH_LEN];
    mamori_err err = at(z, e->offset, h, ZIP_LFH_LEN);
    if (err)
        return err;
    if (le32(h) != ZIP_LFH_SIG)
        return MAMORI_E_CORRUPT;
    uint64_t off = e->offset + ZIP_LFH_LEN + le16(h + 26) + le16(h + 28);
    /* What the directory says it holds, plus one to see a lie. */
    size_t cap = (size_t)e->usize + 1;
    unsigned char *out = malloc(cap + 1);
    if (!out)
        return MAMORI_E_NOMEM;
    size_t got = 0;
    err = extract(z, e, off, out, cap, &got);
    /* More than the directory said, or less: the entry lies or is
     * damaged; either way its bytes are not used. */
    if (err == MAMORI_E_TOO_LARGE || (!err && got != e->usize))
        err = MAMORI_E_CORRUPT;
    if (!err && (uint32_t)crc32_z(crc32(0L, Z_NULL, 0), out, got) != e->crc)
        err = MAMORI_E_CORRUPT;
    if (err) {
        free(out);
        return err;
    }
    out[got] = '\0';
    *data = (char *)out;
    *len = got;
    return MAMORI_OK;
}
