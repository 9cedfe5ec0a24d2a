/*
 * source.c — see source.h. Plain bytes are read straight into the caller's
 * buffer; compressed ones go through one MR_SOURCE_BUF input buffer and
 * zlib's, zstd's, liblz4's or liblzma's streaming decoder. Concatenated
 * gzip members, zstd and lz4 frames and xz streams (what `cat a.gz b.gz`
 * and logrotate produce) are read as one.
 */
#include "common.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <lz4frame.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "io/source.h"

struct mr_source {
    int fd;                  /* -1 for memory */
    int own_fd;
    const unsigned char *mem;
    size_t mem_len, mem_pos;
    mr_compression comp;
    uint64_t consumed, size;
    mamori_err sticky;       /* first error, returned again */
    int eof;                 /* no more raw input */
    unsigned char *in;       /* compressed input buffer */
    size_t in_pos, in_len;
    z_stream z;
    int z_live;
    int z_member_done;       /* last member ended cleanly */
    ZSTD_DStream *zs;
    size_t zs_hint;          /* 0 after a complete frame */
    LZ4F_dctx *lz;
    size_t lz_hint;          /* 0 after a complete frame */
    lzma_stream xz;
    int xz_live;
    int xz_done;             /* the last stream ended cleanly */
    unsigned char peek[4];   /* magic bytes read before choosing */
    size_t npeek;
};

static ssize_t raw_read(mr_source *s, void *buf, size_t cap)
{
    if (s->npeek) { /* replay the bytes read to sniff the magic */
        size_t n = MR_MIN(cap, s->npeek);
        memcpy(buf, s->peek, n);
        memmove(s->peek, s->peek + n, s->npeek - n);
        s->npeek -= n;
        return (ssize_t)n;
    }
    if (s->fd < 0) {
        size_t n = MR_MIN(cap, s->mem_len - s->mem_pos);
        memcpy(buf, s->mem + s->mem_pos, n);
        s->mem_pos += n;
        s->consumed += n;
        return (ssize_t)n;
    }
    for (;;) {
        ssize_t r = read(s->fd, buf, cap);
        if (r < 0 && errno == EINTR)
            continue;
        if (r > 0)
            s->consumed += (uint64_t)r;
        return r;
    }
}

static mamori_err sniff(mr_source *s)
{
    while (s->npeek < sizeof(s->peek)) {
        ssize_t r;
        if (s->fd < 0) {
            size_t n = MR_MIN(sizeof(s->peek) - s->npeek, s->mem_len - s->mem_pos);
            memcpy(s->peek + s->npeek, s->mem + s->mem_pos, n);
            s->mem_pos += n;
            s->consumed += n;
            r = (ssize_t)n;
        } else {
            do
                r = read(s->fd, s->peek + s->npeek, sizeof(s->peek) - s->npeek);
            while (r < 0 && errno == EINTR);
            if (r > 0)
                s->consumed += (uint64_t)r;
        }
        if (r < 0)
            return MAMORI_E_IO;
        if (r == 0)
            break;
        s->npeek += (size_t)r;
    }
    if (s->npeek >= 2 && s->peek[0] == 0x1f && s->peek[1] == 0x8b)
        s->comp = MR_COMP_GZIP;
    else if (s->npeek >= 4 && s->peek[0] == 0x28 && s->peek[1] == 0xb5 &&
             s->peek[2] == 0x2f && s->peek[3] == 0xfd)
        s->comp = MR_COMP_ZSTD;
    else if (s->npeek >= 4 && s->peek[0] == 0x04 && s->peek[1] == 0x22 &&
             s->peek[2] == 0x4d && s->peek[3] == 0x18)
        s->comp = MR_COMP_LZ4;
    else if (s->npeek >= 4 && s->peek[0] == 0xfd && s->peek[1] == '7' &&
             s->peek[2] == 'z' && s->peek[3] == 'X')
        s->comp = MR_COMP_XZ;
    if (s->comp == MR_COMP_NONE)
        return MAMORI_OK;
    if (!(s->in = malloc(MR_SOURCE_BUF)))
        return MAMORI_E_NOMEM;
    if (s->comp == MR_COMP_GZIP) {
        if (inflateInit2(&s->z, 15 + 16) != Z_OK)
            return MAMORI_E_NOMEM;
        s->z_live = 1;
    } else if (s->comp == MR_COMP_ZSTD) {
        if (!(s->zs = ZSTD_createDStream()))
            return MAMORI_E_NOMEM;
        ZSTD_initDStream(s->zs);
    } else if (s->comp == MR_COMP_LZ4) {
        if (LZ4F_isError(LZ4F_createDecompressionContext(&s->lz, LZ4F_VERSION)))
            return MAMORI_E_NOMEM;
        s->lz_hint = 1;
    } else {
        lzma_stream init = LZMA_STREAM_INIT;
        s->xz = init;
        if (lzma_stream_decoder(&s->xz, MR_SOURCE_XZ_MEMLIMIT,
                                LZMA_CONCATENATED) != LZMA_OK)
            return MAMORI_E_NOMEM;
        s->xz_live = 1;
    }
    return MAMORI_OK;
}

static mamori_err open_common(mr_source *s, mr_source **out)
{
    mamori_err e = sniff(s);
    if (e != MAMORI_OK) {
        int saved = errno;
        mr_source_close(s);
        errno = saved;
        return e;
    }
    *out = s;
    return MAMORI_OK;
}

mamori_err mr_source_open(const char *path, mr_source **out)
{
    *out = NULL;
    mr_source *s = calloc(1, sizeof(*s));
    if (!s)
        return MAMORI_E_NOMEM;
    if (strcmp(path, "-") == 0) {
        s->fd = STDIN_FILENO;
    } else {
        s->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (s->fd < 0) {
            int saved = errno;
            free(s);
            errno = saved;
            return MAMORI_E_IO;
        }
        s->own_fd = 1;
    }
    struct stat st;
    if (fstat(s->fd, &st) == 0 && S_ISREG(st.st_mode))
        s->size = (uint64_t)st.st_size;
#ifdef POSIX_FADV_SEQUENTIAL
    if (s->own_fd)
        posix_fadvise(s->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    return open_common(s, out);
}

mamori_err mr_source_open_fd(int fd, mr_source **out)
{
    *out = NULL;
    mr_source *s = calloc(1, sizeof(*s));
    if (!s) {
        close(fd);
        return MAMORI_E_NOMEM;
    }
    s->fd = fd;
    s->own_fd = 1;
    struct stat st;
    if (fstat(s->fd, &st) == 0 && S_ISREG(st.st_mode))
        s->size = (uint64_t)st.st_size;
    return open_common(s, out);
}

mamori_err mr_source_open_mem(const void *data, size_t len, mr_source **out)
{
    *out = NULL;
    mr_source *s = calloc(1, sizeof(*s));
    if (!s)
        return MAMORI_E_NOMEM;
    s->fd = -1;
    s->mem = data;
    s->mem_len = len;
    s->size = len;
    return open_common(s, out);
}

void mr_source_close(mr_source *s)
{
    if (!s)
        return;
    if (s->own_fd)
        close(s->fd);
    if (s->z_live)
        inflateEnd(&s->z);
    ZSTD_freeDStream(s->zs);
    if (s->lz)
        LZ4F_freeDecompressionContext(s->lz);
    if (s->xz_live)
        lzma_end(&s->xz);
    free(s->in);
    free(s);
}

/* Refills the compressed input buffer when it is empty. */
static mamori_err fill(mr_source *s)
{
    if (s->in_pos < s->in_len || s->eof)
        return MAMORI_OK;
    ssize_t r = raw_read(s, s->in, MR_SOURCE_BUF);
    if (r < 0)
        return MAMORI_E_IO;
    s->in_pos = 0;
    s->in_len = (size_t)r;
    if (r == 0)
        s->eof = 1;
    return MAMORI_OK;
}

static mamori_err read_gzip(mr_source *s, unsigned char *buf, size_t cap,
                            size_t *got)
{
    while (*got == 0) {
        mamori_err e = fill(s);
        if (e)
            return e;
        if (s->in_pos == s->in_len) /* raw end */
            return s->z_member_done ? MAMORI_OK : MAMORI_E_TRUNCATED;
        if (s->z_member_done) { /* another member follows */
            if (inflateReset(&s->z) != Z_OK)
                return MAMORI_E_CORRUPT;
            s->z_member_done = 0;
        }
        s->z.next_in = s->in + s->in_pos;
        s->z.avail_in = (uInt)(s->in_len - s->in_pos);
        s->z.next_out = buf;
        s->z.avail_out = (uInt)MR_MIN(cap, (size_t)UINT_MAX);
        int r = inflate(&s->z, Z_NO_FLUSH);
        s->in_pos = s->in_len - s->z.avail_in;
        *got = (size_t)(s->z.next_out - buf);
        if (r == Z_STREAM_END)
            s->z_member_done = 1;
        else if (r == Z_BUF_ERROR && *got == 0 && s->in_pos < s->in_len)
            return MAMORI_E_CORRUPT;
        else if (r != Z_OK && r != Z_BUF_ERROR)
            return *got ? MAMORI_OK : MAMORI_E_CORRUPT;
    }
    return MAMORI_OK;
}

static mamori_err read_zstd(mr_source *s, unsigned char *buf, size_t cap,
                            size_t *got)
{
    while (*got == 0) {
        mamori_err e = fill(s);
        if (e)
            return e;
        if (s->in_pos == s->in_len)
            return s->zs_hint == 0 ? MAMORI_OK : MAMORI_E_TRUNCATED;
        ZSTD_inBuffer in = {s->in, s->in_len, s->in_pos};
        ZSTD_outBuffer o = {buf, cap, 0};
        size_t r = ZSTD_decompressStream(s->zs, &o, &in);
        s->in_pos = in.pos;
        *got = o.pos;
        if (ZSTD_isError(r))
            return *got ? MAMORI_OK : MAMORI_E_CORRUPT;
        s->zs_hint = r;
    }
    return MAMORI_OK;
}

static mamori_err read_lz4(mr_source *s, unsigned char *buf, size_t cap,
                           size_t *got)
{
    while (*got == 0) {
        mamori_err e = fill(s);
        if (e)
            return e;
        if (s->in_pos == s->in_len)
            return s->lz_hint == 0 ? MAMORI_OK : MAMORI_E_TRUNCATED;
        size_t out_n = cap, in_n = s->in_len - s->in_pos;
        size_t r = LZ4F_decompress(s->lz, buf, &out_n, s->in + s->in_pos,
                                   &in_n, NULL);
        s->in_pos += in_n;
        *got = out_n;
        if (LZ4F_isError(r))
            return *got ? MAMORI_OK : MAMORI_E_CORRUPT;
        s->lz_hint = r;
    }
    return MAMORI_OK;
}

static mamori_err read_xz(mr_source *s, unsigned char *buf, size_t cap,
                          size_t *got)
{
    while (*got == 0) {
        if (s->xz_done)
            return MAMORI_OK;
        mamori_err e = fill(s);
        if (e)
            return e;
        s->xz.next_in = s->in + s->in_pos;
        s->xz.avail_in = s->in_len - s->in_pos;
        s->xz.next_out = buf;
        s->xz.avail_out = cap;
        lzma_ret r = lzma_code(&s->xz, s->eof ? LZMA_FINISH : LZMA_RUN);
        s->in_pos = s->in_len - s->xz.avail_in;
        *got = (size_t)(s->xz.next_out - buf);
        if (r == LZMA_STREAM_END) {
            s->xz_done = 1;
        } else if (r == LZMA_BUF_ERROR && s->eof) {
            return *got ? MAMORI_OK : MAMORI_E_TRUNCATED;
        } else if (r == LZMA_MEMLIMIT_ERROR || r == LZMA_MEM_ERROR) {
            return *got ? MAMORI_OK : MAMORI_E_TOO_LARGE;
        } else if (r != LZMA_OK) {
            return *got ? MAMORI_OK : MAMORI_E_CORRUPT;
        }
    }
    return MAMORI_OK;
}

mamori_err mr_source_read(mr_source *s, void *buf, size_t cap, size_t *got)
{
    *got = 0;
    if (s->sticky)
        return s->sticky;
    if (cap == 0)
        return MAMORI_OK;
    mamori_err e = MAMORI_OK;
    if (s->comp == MR_COMP_NONE) {
        ssize_t r = raw_read(s, buf, cap);
        if (r < 0)
            e = MAMORI_E_IO;
        else
            *got = (size_t)r;
    } else if (s->comp == MR_COMP_GZIP) {
        e = read_gzip(s, buf, cap, got);
    } else if (s->comp == MR_COMP_ZSTD) {
        e = read_zstd(s, buf, cap, got);
    } else if (s->comp == MR_COMP_LZ4) {
        e = read_lz4(s, buf, cap, got);
    } else {
        e = read_xz(s, buf, cap, got);
    }
    s->sticky = e;
    return e;
}

mr_compression mr_source_compression(const mr_source *s) { return s->comp; }
uint64_t mr_source_consumed(const mr_source *s) { return s->consumed; }
uint64_t mr_source_size(const mr_source *s) { return s->size; }

const char *mr_source_strerror(const mr_source *s, mamori_err e)
{
    switch (e) {
    case MAMORI_E_IO:
        return strerror(errno);
    case MAMORI_E_TRUNCATED:
        return "compressed file ends early (truncated)";
    case MAMORI_E_CORRUPT:
        return "compressed data is damaged";
    case MAMORI_E_TOO_LARGE:
        if (s && s->comp == MR_COMP_XZ)
            return "the .xz file needs more memory to decompress than mamori "
                   "allows (xz -8 or -9): decompress it first, e.g. "
                   "xz -dc FILE | mamori ... -";
        return mamori_strerror(e);
    default:
        return mamori_strerror(e);
    }
}
