/*
 * keyboard.c — keyboard walks: runs of keys next to each other on the US
 * and JIS layouts (rows, columns such as 1qaz2wsx, diagonals and zigzags
 * such as 1q2w3e4r) and on the numeric keypad, with or without shift.
 *
 * Each layout is a grid of keys given as rows of "unshifted shifted"
 * character pairs. On the slanted keyboards a key's neighbours are left,
 * right, the two above (x, x+1) and the two below (x-1, x); on the keypad
 * all eight around it. The guesses of a walk follow zxcvbn's estimate:
 * start keys times average degree to the power of the turns taken, summed
 * over lengths and turn positions, times the ways to use shift.
 */
#include "common.h"

#include <math.h>
#include <pthread.h>

#include "password/pw_internal.h"

#define KB_LAYOUTS 3
#define KB_COLS 16
#define KB_ROWS 5

typedef struct kb_layout {
    const char *rows[KB_ROWS]; /* pairs: unshifted, shifted; ' ' = none */
    unsigned start[KB_ROWS];   /* x of each row's first key */
    int slanted;
    double starts, degree;     /* for the estimate */
} kb_layout;

static const kb_layout layouts[KB_LAYOUTS] = {
    {{"`~1!2@3#4$5%6^7&8*9(0)-_=+", "qQwWeErRtTyYuUiIoOpP[{]}\\|",
      "aAsSdDfFgGhHjJkKlL;:'\"", "zZxXcCvVbBnNmM,<.>/?", NULL},
     {0, 1, 1, 1, 0}, 1, 94, 4.6},
    {{"  1!2\"3#4$5%6&7'8(9)0 -=^~\\|", "qQwWeErRtTyYuUiIoOpP@`[{",
      "aAsSdDfFgGhHjJkKlL;+:*]}", "zZxXcCvVbBnNmM,<.>/?\\_", NULL},
     {0, 1, 1, 1, 0}, 1, 94, 4.6},
    {{"  //**--", "778899++", "445566++", "112233  ", "0000..  "},
     {0, 0, 0, 0, 0}, 0, 16, 5.1},
};

/* key position per layout and byte: x, y, or x = 0xff when absent */
typedef struct kb_pos {
    uint8_t x, y, shifted;
} kb_pos;
static kb_pos positions[KB_LAYOUTS][256];
/* direction(l, a, b) for ASCII a, b, computed once: a walk step is then
 * one load instead of two position lookups and a comparison chain */
static uint8_t directions[KB_LAYOUTS][128][128];
/* bit l: a and b are neighbours on layout l */
static uint8_t adjacent[128][128];
static pthread_once_t positions_once = PTHREAD_ONCE_INIT;

static int direction_of(int l, unsigned char a, unsigned char b);

static void build_positions(void)
{
    for (int l = 0; l < KB_LAYOUTS; l++) {
        for (int c = 0; c < 256; c++)
            positions[l][c].x = 0xff;
        for (int y = 0; y < KB_ROWS && layouts[l].rows[y]; y++) {
            const char *r = layouts[l].rows[y];
            for (size_t k = 0; r[k] && r[k + 1]; k += 2) {
                uint8_t x = (uint8_t)(layouts[l].start[y] + k / 2);
                for (int s = 0; s < 2; s++) {
                    unsigned char c = (unsigned char)r[k + (size_t)s];
                    if (c == ' ' || positions[l][c].x != 0xff)
                        continue;
                    positions[l][c] = (kb_pos){x, (uint8_t)y, (uint8_t)s};
                }
            }
        }
        for (int a = 0; a < 128; a++)
            for (int b = 0; b < 128; b++) {
                directions[l][a][b] = (uint8_t)direction_of(
                    l, (unsigned char)a, (unsigned char)b);
                if (directions[l][a][b])
                    adjacent[a][b] |= (uint8_t)(1u << l);
            }
    }
}

/* Direction 1..8 from a to b when adjacent on layout l, else 0. */
static int direction(int l, unsigned char a, unsigned char b)
{
    return (a | b) < 128 ? directions[l][a][b] : 0;
}

static int direction_of(int l, unsigned char a, unsigned char b)
{
    kb_pos p = positions[l][a], q = positions[l][b];
    if (p.x == 0xff || q.x == 0xff || (p.x == q.x && p.y == q.y))
        return 0;
    int dx = (int)q.x - (int)p.x, dy = (int)q.y - (int)p.y;
    if (layouts[l].slanted) {
        if (dy == 0 && (dx == 1 || dx == -1))
            return dx > 0 ? 1 : 2;
        if (dy == -1 && (dx == 0 || dx == 1))
            return dx ? 3 : 4;
        if (dy == 1 && (dx == 0 || dx == -1))
            return dx ? 5 : 6;
        return 0;
    }
    if (dx < -1 || dx > 1 || dy < -1 || dy > 1)
        return 0;
    return 1 + (dx + 1) * 3 + (dy + 1);
}

const uint8_t (*mr_pw_keys_adjacency(void))[128]
{
    pthread_once(&positions_once, build_positions);
    return (const uint8_t (*)[128])adjacent;
}

static double log10_binom(unsigned n, unsigned k)
{
    return (lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0)) /
           log(10.0);
}

static double walk_guesses(const kb_layout *k, unsigned len, unsigned turns,
                           unsigned shifted)
{
    /* sum over lengths i and turn counts j of C(i-1, j-1) * starts * D^j,
     * with the binomial and the power kept as running products */
    double sum = 0;
    for (unsigned i = 2; i <= len; i++) {
        unsigned top = MR_MIN(turns, i - 1);
        double binom = 1, power = k->degree;
        for (unsigned j = 1; j <= top; j++) {
            sum += binom * k->starts * power;
            binom = binom * (double)(i - j) / (double)j;
            power *= k->degree;
        }
    }
    double g = log10(sum > 1 ? sum : 1);
    if (shifted > 0) {
        unsigned unshifted = len - shifted;
        if (unshifted == 0 || shifted == len)
            g += 0.30103;
        else
            g += log10_binom(len, MR_MIN(shifted, unshifted)) + 0.30103;
    }
    return g;
}

void mr_pw_find_keyboard(mr_pw_work *w)
{
    pthread_once(&positions_once, build_positions);
    const unsigned char *s = (const unsigned char *)w->raw;
    /* One pass finds the layouts with two neighbouring steps in a row
     * (a walk's least); most passwords have none and end here. */
    uint8_t pair[MAMORI_PASSWORD_MAX];
    unsigned walks = 0, prev = 0;
    for (size_t j = 0; j + 1 < w->n; j++) {
        unsigned m = (s[j] | s[j + 1]) < 128 ? adjacent[s[j]][s[j + 1]] : 0;
        pair[j] = (uint8_t)m;
        walks |= m & prev;
        prev = m;
    }
    for (int l = 0; l < KB_LAYOUTS; l++) {
        size_t i = 0;
        if (!(walks & (1u << l)))
            continue;
        while (i + 2 < w->n) {
            if (!(pair[i] & pair[i + 1] & (1u << l))) {
                i++;
                continue;
            }
            size_t j = i;
            unsigned turns = 0, shifted = positions[l][s[i]].x != 0xff &&
                                              positions[l][s[i]].shifted;
            int last = -1;
            while (j + 1 < w->n) {
                int d = direction(l, s[j], s[j + 1]);
                if (!d)
                    break;
                if (d != last)
                    turns++;
                last = d;
                j++;
                shifted += positions[l][s[j]].shifted;
            }
            if (j - i + 1 >= 3)
                mr_pw_add(w, i, j + 1, MR_PWK_KEYBOARD, 0,
                          walk_guesses(&layouts[l], (unsigned)(j - i + 1),
                                       turns, shifted));
            i = j > i ? j : i + 1;
        }
    }
}
