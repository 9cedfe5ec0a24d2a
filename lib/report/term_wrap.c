/*
 * term_wrap.c — long texts of our own (what to do, whom to tell, legends)
 * wrapped for a terminal of fixed width: at spaces between words, and in
 * Japanese between any two characters, since it has no spaces — but not
 * before closing punctuation nor after an opening bracket (kinsoku).
 * Widths are what mr_term_put writes: East Asian wide characters count
 * 2 columns, an escaped control byte its escape.
 */
#include "common.h"

#include "report/writer_impl.h"

void mr_term_spaces(FILE *out, size_t n)
{
    while (n--)
        putc_unlocked(' ', out);
}

/* Punctuation that may not start a line (kinsoku): 、。，．）」』】〕！？：；
 * ー・, the small kana, and ASCII closers (glued to a wide character
 * before them; after a narrow one they are part of its word anyway). */
static int no_line_start(uint32_t c)
{
    if (c < 0x80)
        return c && strchr(").,:;!?]", (int)c) != NULL;
    static const uint32_t closers[] = {
        0x3001, 0x3002, 0xFF0C, 0xFF0E, 0xFF09, 0x300D, 0x300F, 0x3011,
        0x3015, 0xFF01, 0xFF1F, 0xFF1A, 0xFF1B, 0x30FC, 0x30FB, 0x3041,
        0x3043, 0x3045, 0x3047, 0x3049, 0x3063, 0x3083, 0x3085, 0x3087,
        0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30C3, 0x30E3, 0x30E5,
        0x30E7};
    for (size_t i = 0; i < MR_ARRAY_LEN(closers); i++)
        if (c == closers[i])
            return 1;
    return 0;
}

/* Opening brackets that may not end a line: （「『【〔. */
static int no_line_end(uint32_t c)
{
    return c == 0xFF08 || c == 0x300C || c == 0x300E || c == 0x3010 ||
           c == 0x3014;
}

typedef struct wrap_char {
    size_t len;     /* bytes */
    size_t cols;    /* as mr_term_put writes it */
    uint32_t cp;    /* MR_UTF8_BAD when invalid */
} wrap_char;

static void char_at(const char *s, size_t n, wrap_char *c)
{
    c->len = mr_utf8_next((const unsigned char *)s, n, &c->cp);
    c->cols = mr_term_put(NULL, s, c->len, SIZE_MAX);
}

/* A wide character: a line may break before and after it. */
static int breaks_around(const wrap_char *c)
{
    return c->cp != MR_UTF8_BAD && c->cols == 2;
}

/* The token at s[0..n): a word of narrow characters or one wide
 * character, with the closing punctuation that follows it, and after an
 * opening bracket also the token it opens. Sets *cols; returns its
 * length (at least one character: s[0] is not a space). */
static size_t token_at(const char *s, size_t n, size_t *cols)
{
    size_t i = 0;
    wrap_char c;
    int opener;

    *cols = 0;
    do {
        char_at(s + i, n - i, &c);
        opener = 0;
        if (breaks_around(&c)) {
            opener = no_line_end(c.cp);
            i += c.len;
            *cols += c.cols;
        } else {
            while (i < n && s[i] != ' ') {
                char_at(s + i, n - i, &c);
                if (breaks_around(&c))
                    break;
                i += c.len;
                *cols += c.cols;
            }
        }
        while (i < n) { /* closers stay with what they close */
            char_at(s + i, n - i, &c);
            if (!no_line_start(c.cp))
                break;
            i += c.len;
            *cols += c.cols;
        }
    } while (opener && i < n && s[i] != ' ');
    return i;
}

size_t mr_term_wrap(FILE *out, const char *s, size_t col, size_t indent,
                    size_t width)
{
    size_t n = strlen(s), i = 0;
    int space = 0;

    while (i < n) {
        if (s[i] == ' ') {
            space = 1;
            i++;
            continue;
        }
        size_t cols, len = token_at(s + i, n - i, &cols);
        size_t need = cols + (space && col > indent ? 1 : 0);
        if (col + need > width && col > indent) {
            putc_unlocked('\n', out);
            mr_term_spaces(out, indent);
            col = indent;
        } else if (space && col > indent) {
            putc_unlocked(' ', out);
            col++;
        }
        space = 0;
        if (col + cols <= width) {
            col += mr_term_put(out, s + i, len, SIZE_MAX);
        } else {
            /* Wider than a whole line: break inside it. */
            for (size_t j = 0; j < len;) {
                wrap_char c;
                char_at(s + i + j, len - j, &c);
                if (col + c.cols > width && col > indent) {
                    putc_unlocked('\n', out);
                    mr_term_spaces(out, indent);
                    col = indent;
                }
                col += mr_term_put(out, s + i + j, c.len, SIZE_MAX);
                j += c.len;
            }
        }
        i += len;
    }
    return col;
}
