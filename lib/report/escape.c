/*
 * escape.c — the only way bytes from the input reach an output. Logs are
 * written by attackers, so every writer sends input bytes through one of
 * these: JSON strings (always valid JSON, invalid UTF-8 kept as \u00XX of
 * the byte), HTML text and attributes (entities; controls shown, never
 * passed), the terminal (no escape sequence can get through) and URIs.
 *
 * Each escaper walks the bytes with a strict UTF-8 decoder and copies
 * runs of harmless bytes with one fwrite, so large reports stay fast.
 */
#include "common.h"

#include "report/writer_impl.h"

size_t mr_utf8_next(const unsigned char *p, size_t n, uint32_t *cp)
{
    unsigned char b = p[0];
    size_t len;
    uint32_t c, min;

    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    if (b >= 0xC2 && b <= 0xDF) {
        len = 2, c = b & 0x1Fu, min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3, c = b & 0x0Fu, min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4, c = b & 0x07u, min = 0x10000;
    } else {
        *cp = MR_UTF8_BAD;
        return 1;
    }
    if (n < len) {
        *cp = MR_UTF8_BAD;
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *cp = MR_UTF8_BAD;
            return 1;
        }
        c = (c << 6) | (p[i] & 0x3Fu);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        *cp = MR_UTF8_BAD;
        return 1;
    }
    *cp = c;
    return len;
}

size_t mr_utf8_prefix(const char *s, size_t n, size_t max_chars)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, chars = 0;
    uint32_t cp;

    while (i < n && chars < max_chars) {
        i += mr_utf8_next(p + i, n - i, &cp);
        chars++;
    }
    return i;
}

/* Bidirectional formatting characters: they reorder what a reader sees
 * (a request can be made to look like another), so they are shown. */
static int is_bidi(uint32_t c)
{
    return c == 0x061C || c == 0x200E || c == 0x200F ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

static int is_noncharacter(uint32_t c)
{
    return (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
}

static const char hexdig[] = "0123456789abcdef";

static void put_flush(FILE *out, const char *s, size_t from, size_t to)
{
    if (to > from)
        fwrite_unlocked(s + from, 1, to - from, out);
}

/* ---- JSON ------------------------------------------------------------ */

/* bad_hex: a byte that is not UTF-8 becomes the text \xNN (for file
 * names, which must keep naming their file), else \u00NN. */
static void json_str(FILE *out, const char *s, size_t n, int bad_hex)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0;
    char esc[8];

    putc_unlocked('"', out);
    while (i < n) {
        unsigned char b = p[i];
        if (b >= 0x20 && b < 0x7F && b != '"' && b != '\\') {
            i++; /* plain ASCII: the common case */
            continue;
        }
        uint32_t cp;
        size_t len = mr_utf8_next(p + i, n - i, &cp);
        const char *rep = NULL;

        if (cp == '"')
            rep = "\\\"";
        else if (cp == '\\')
            rep = "\\\\";
        else if (cp == '\n')
            rep = "\\n";
        else if (cp == '\r')
            rep = "\\r";
        else if (cp == '\t')
            rep = "\\t";
        else if (cp == MR_UTF8_BAD && bad_hex) {
            esc[0] = '\\', esc[1] = '\\', esc[2] = 'x';
            esc[3] = hexdig[p[i] >> 4], esc[4] = hexdig[p[i] & 0xF];
            esc[5] = '\0';
            rep = esc;
        } else if (cp < 0x20 || cp == 0x7F || cp == MR_UTF8_BAD ||
                   cp == 0x2028 || cp == 0x2029) {
            uint32_t v = cp == MR_UTF8_BAD ? p[i] : cp;
            esc[0] = '\\', esc[1] = 'u';
            esc[2] = hexdig[(v >> 12) & 0xF], esc[3] = hexdig[(v >> 8) & 0xF];
            esc[4] = hexdig[(v >> 4) & 0xF], esc[5] = hexdig[v & 0xF];
            esc[6] = '\0';
            rep = esc;
        }
        if (rep) {
            put_flush(out, s, run, i);
            fputs_unlocked(rep, out);
            run = i + len;
        }
        i += len;
    }
    put_flush(out, s, run, n);
    putc_unlocked('"', out);
}

void mr_json_str(FILE *out, const char *s, size_t n)
{
    json_str(out, s, n, 0);
}

void mr_json_cstr(FILE *out, const char *s)
{
    if (s)
        json_str(out, s, strlen(s), 0);
    else
        fputs_unlocked("null", out);
}

void mr_json_path(FILE *out, const char *path)
{
    if (path)
        json_str(out, path, strlen(path), 1);
    else
        fputs_unlocked("null", out);
}

/* ---- HTML ------------------------------------------------------------ */

static void html_str(FILE *out, const char *s, size_t n, int bad_hex)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0;
    char esc[16];

    while (i < n) {
        unsigned char b = p[i];
        if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == ' ' ||
            (b >= 'A' && b <= 'Z') || b == '/' || b == '.') {
            i++; /* plain ASCII: the common case */
            continue;
        }
        uint32_t cp;
        size_t len = mr_utf8_next(p + i, n - i, &cp);
        const char *rep = NULL;

        switch (cp) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        case '\t': case '\n': break;
        default:
            if (cp == MR_UTF8_BAD && bad_hex) {
                snprintf(esc, sizeof(esc), "\\x%02x", (unsigned)p[i]);
                rep = esc;
            } else if (cp == MR_UTF8_BAD || is_noncharacter(cp)) {
                rep = "\xEF\xBF\xBD"; /* U+FFFD */
            } else if (cp < 0x20 || cp == 0x7F) {
                snprintf(esc, sizeof(esc), "\\x%02x", (unsigned)cp);
                rep = esc;
            } else if ((cp >= 0x80 && cp <= 0x9F) || is_bidi(cp)) {
                snprintf(esc, sizeof(esc), "\\u%04x", (unsigned)cp);
                rep = esc;
            }
        }
        if (rep) {
            put_flush(out, s, run, i);
            fputs_unlocked(rep, out);
            run = i + len;
        }
        i += len;
    }
    put_flush(out, s, run, n);
}

void mr_html_str(FILE *out, const char *s, size_t n)
{
    html_str(out, s, n, 0);
}

void mr_html_cstr(FILE *out, const char *s)
{
    if (s)
        html_str(out, s, strlen(s), 0);
}

void mr_html_path(FILE *out, const char *s, size_t n)
{
    html_str(out, s, n, 1);
}

/* ---- terminal -------------------------------------------------------- */

/* East Asian wide and fullwidth ranges (the common ones): 2 columns. */
static int is_wide(uint32_t c)
{
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
           (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
           (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
           (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
           (c >= 0x20000 && c <= 0x3FFFD);
}

/* One unit of terminal output: either bytes of the input or an escape. */
typedef struct term_unit {
    size_t len;       /* input bytes consumed */
    size_t cols;
    int escaped;
    char esc[12];
} term_unit;

static void term_unit_at(const unsigned char *p, size_t n, term_unit *u)
{
    uint32_t cp;

    u->len = mr_utf8_next(p, n, &cp);
    u->escaped = 1;
    if (cp == MR_UTF8_BAD || cp < 0x20 || cp == 0x7F) {
        unsigned v = cp == MR_UTF8_BAD ? p[0] : (unsigned)cp;
        snprintf(u->esc, sizeof(u->esc), "\\x%02x", v);
    } else if ((cp >= 0x80 && cp <= 0x9F) || is_bidi(cp)) {
        snprintf(u->esc, sizeof(u->esc), "\\u%04x", (unsigned)cp);
    } else {
        u->escaped = 0;
        u->cols = is_wide(cp) ? 2 : 1;
        return;
    }
    u->cols = strlen(u->esc);
}

static size_t term_width(const unsigned char *p, size_t n)
{
    size_t i = 0, cols = 0;
    term_unit u;

    while (i < n) {
        term_unit_at(p + i, n - i, &u);
        cols += u.cols;
        i += u.len;
    }
    return cols;
}

size_t mr_term_put(FILE *out, const char *s, size_t n, size_t max_cols)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t limit = max_cols, i = 0, run = 0, cols = 0;
    int cut = 0;
    term_unit u;

    /* An escape is at most 4 columns per input byte: only a string that
     * could be too wide is measured first. */
    if (max_cols != SIZE_MAX && (n > max_cols / 4) &&
        term_width(p, n) > max_cols) {
        cut = 1;
        limit = max_cols >= 3 ? max_cols - 3 : 0;
    }
    while (i < n) {
        term_unit_at(p + i, n - i, &u);
        if (cols + u.cols > limit)
            break;
        if (u.escaped && out) {
            put_flush(out, s, run, i);
            fputs_unlocked(u.esc, out);
            run = i + u.len;
        }
        cols += u.cols;
        i += u.len;
    }
    if (out)
        put_flush(out, s, run, i);
    if (cut) {
        size_t dots = MR_MIN((size_t)3, max_cols);
        if (out)
            fwrite_unlocked("...", 1, dots, out);
        cols += dots;
    }
    return cols;
}

size_t mamori_term_put(FILE *out, const char *s, size_t n, size_t max_cols)
{
    flockfile(out);
    size_t cols = mr_term_put(out, s, n, max_cols);
    funlockfile(out);
    return cols;
}

/* ---- URI ------------------------------------------------------------- */

void mr_uri_path(FILE *out, const char *path)
{
    const unsigned char *p = (const unsigned char *)path;

    if (p[0] == '/')
        fputs_unlocked("file://", out);
    for (; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
            c == '~' || c == '/') {
            putc_unlocked(c, out);
        } else {
            putc_unlocked('%', out);
            putc_unlocked("0123456789ABCDEF"[c >> 4], out);
            putc_unlocked("0123456789ABCDEF"[c & 0xF], out);
        }
    }
}
