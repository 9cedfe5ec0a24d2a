/*
 * check.c — the password checker's public face (password.h): prepares the
 * variants of one password, runs every finder, estimates the guesses and
 * turns the policy into a verdict with reasons and feedback. Every copy
 * of the password lives in one mr_pw_work (on the stack here, or on the
 * heap for a repeat's base) and is wiped before return.
 */
#include "common.h"

#include <math.h>

#include "password/pw_data.h"
#include "password/pw_hash.h"
#include "password/pw_internal.h"

#define DECOMP_MAX 64           /* segments listed for reasons */
#define OLD_DISTANCE_MIN 4      /* edits a new password needs from the old */

void mr_pw_find_zigzags(mr_pw_work *w);

static const char *const reason_names[MAMORI_PWR_COUNT] = {
    "empty", "too_long", "too_short", "few_classes", "common_password",
    "breached", "default_credential", "dictionary_word", "name", "date",
    "sequence", "repeat", "keyboard_pattern", "personal_info",
    "similar_to_old", "too_guessable", "invalid_utf8"};

const char *mamori_password_reason_name(mamori_password_reason r)
{
    return (unsigned)r < MAMORI_PWR_COUNT ? reason_names[r] : "unknown";
}

void mamori_password_wipe(void *p, size_t n)
{
    if (p && n)
        explicit_bzero(p, n);
}

const char *mamori_password_data_info(void)
{
    return mr_pw_data_info;
}

size_t mamori_password_breach_entries(void)
{
    return mr_pw_breach_builtin.entries;
}

/* The class of every byte (pw_internal.h), written out by the
 * preprocessor so that asking is one load. */
#define CLASS_OF(c)                                                         \
    ((c) >= 'a' && (c) <= 'z'   ? MR_PWC_LOWER                              \
     : (c) >= 'A' && (c) <= 'Z' ? MR_PWC_UPPER                              \
     : (c) >= '0' && (c) <= '9' ? MR_PWC_DIGIT                              \
     : (c) >= 0x80              ? MR_PWC_HIGH | MR_PWC_SYMBOL               \
                                : MR_PWC_SYMBOL)
const uint8_t mr_pw_byte_classes[256] = {MR_PW_BYTES_256(CLASS_OF)};

/* Look-alikes undone, as XOR masks over a lower-case byte (0: none), so
 * preparing a password takes no branch per byte. 1 and | read as i in
 * one variant and as l in the other. */
#define LEET(from, to) [(unsigned char)(from)] = (unsigned char)((from) ^ (to))
#define LEET_COMMON                                                        \
    LEET('@', 'a'), LEET('4', 'a'), LEET('8', 'b'), LEET('(', 'c'),        \
    LEET('{', 'c'), LEET('<', 'c'), LEET('3', 'e'), LEET('6', 'g'),        \
    LEET('9', 'g'), LEET('!', 'i'), LEET('0', 'o'), LEET('$', 's'),        \
    LEET('5', 's'), LEET('7', 't'), LEET('+', 't'), LEET('%', 'x'),        \
    LEET('2', 'z')
static const unsigned char leet_as_i[256] = {
    LEET_COMMON, LEET('1', 'i'), LEET('|', 'i')};
static const unsigned char leet_as_l[256] = {
    LEET_COMMON, LEET('1', 'l'), LEET('|', 'l')};

void mr_pw_work_init(mr_pw_work *w, const char *pw, size_t n)
{
    unsigned seen = 0, leet = 0, one = 0;
    /* restrict: the byte stores below alias nothing else, so n and the
     * tables stay in registers */
    char *restrict low = w->low, *restrict leet_i = w->leet_i,
                   *restrict leet_l = w->leet_l, *restrict rev = w->rev;
    n = MR_MIN(n, (size_t)MAMORI_PASSWORD_MAX);
    w->n = n;
    w->nm = 0;
    w->nctx = 0;
    w->skip_repeat = 0;
    memcpy(w->raw, pw, n);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)pw[i];
        unsigned cls = mr_pw_byte_class(c);
        unsigned char lc = (unsigned char)(c + 32 * ((cls & MR_PWC_UPPER) != 0));
        seen |= cls;
        low[i] = (char)lc;
        leet_i[i] = (char)(lc ^ leet_as_i[lc]);
        leet_l[i] = (char)(lc ^ leet_as_l[lc]);
        leet |= leet_as_i[lc];
        one |= leet_as_i[lc] ^ leet_as_l[lc];
        rev[n - 1 - i] = (char)lc;
    }
    w->classes_seen = seen;
    w->has_upper = (seen & MR_PWC_UPPER) != 0;
    w->has_leet = leet != 0;
    w->has_one = one != 0;
    mr_pw_brute_init(w);
}

/* Wipes every copy of the password (the matches hold only positions). */
static void wipe_work(mr_pw_work *w)
{
    /* raw, low, leet_i, leet_l and rev lie side by side: one call */
    _Static_assert(offsetof(mr_pw_work, rev) ==
                       offsetof(mr_pw_work, raw) + 4 * MAMORI_PASSWORD_MAX,
                   "the password's copies are consecutive");
    explicit_bzero((char *)w + offsetof(mr_pw_work, raw),
                   offsetof(mr_pw_work, rev) - offsetof(mr_pw_work, raw) +
                       w->n);
    for (size_t i = 0; i < w->nctx; i++)
        explicit_bzero(w->ctx[i], w->ctx_len[i]);
}

static void analyze(mr_pw_work *w)
{
    /* Structural finders first: they add few matches, and the dictionary
     * may fill the match table on long inputs such as "aaaa...". */
    mr_pw_find_repeats(w);
    mr_pw_find_sequences(w);
    mr_pw_find_dates(w);
    mr_pw_find_keyboard(w);
    mr_pw_find_zigzags(w);
    mr_pw_find_context(w);
    mr_pw_find_dict(w);
}

double mr_pw_substring_log10(const char *s, size_t n);
double mr_pw_substring_log10(const char *s, size_t n)
{
    mr_pw_work *w = malloc(sizeof(*w));
    if (!w)
        return (double)n;  /* a floor that never overstates */
    mr_pw_work_init(w, s, n);
    w->skip_repeat = 1;
    analyze(w);
    double g = mr_pw_estimate(w, NULL, 0, NULL);
    wipe_work(w);
    free(w);
    return g;
}

/* Splits a context string into lower-case words of 3+ bytes. */
static void add_context(mr_pw_work *w, const char *s)
{
    if (!s)
        return;
    size_t i = 0, len = strlen(s);
    while (i < len && w->nctx < MR_PW_CONTEXT_MAX) {
        while (i < len && !((unsigned char)s[i] >= 0x80 ||
                            (s[i] >= '0' && s[i] <= '9') ||
                            ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z')))
            i++;
        size_t st = i;
        while (i < len && ((unsigned char)s[i] >= 0x80 ||
                           (s[i] >= '0' && s[i] <= '9') ||
                           ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z')))
            i++;
        size_t n = i - st;
        if (n >= 3 && n < MR_PW_CONTEXT_WORD_MAX) {
            char *d = w->ctx[w->nctx];
            for (size_t k = 0; k < n; k++) {
                char c = s[st + k];
                d[k] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
            }
            w->ctx_len[w->nctx++] = n;
        }
    }
}

static size_t utf8_chars(const char *s, size_t n, int *valid)
{
    size_t chars = 0, i = 0;
    *valid = 1;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3
                   : (c >> 3) == 30 ? 4 : 0;
        if (len == 0 || i + len > n) {
            *valid = 0;
            len = 1;
        } else {
            for (size_t k = 1; k < len; k++)
                if (((unsigned char)s[i + k] >> 6) != 2) {
                    *valid = 0;
                    len = 1;
                    break;
                }
        }
        if (c == 0)
            *valid = 0;
        i += len;
        chars++;
    }
    return chars;
}

/* Upper and lower case, digits, symbols (any other byte): how many of
 * the four the password mixes. */
static unsigned classes(const mr_pw_work *w)
{
    unsigned four = MR_PWC_LOWER | MR_PWC_UPPER | MR_PWC_DIGIT | MR_PWC_SYMBOL;
    return (unsigned)__builtin_popcount(w->classes_seen & four);
}

/* Words separated by anything not a letter, of 2+ letters each. */
static unsigned separated_words(const char *s, size_t n)
{
    unsigned words = 0, run = 0;
    const unsigned letters = MR_PWC_LOWER | MR_PWC_UPPER | MR_PWC_HIGH;
    for (size_t i = 0; i < n; i++) {
        unsigned letter = (mr_pw_byte_class((unsigned char)s[i]) & letters) != 0;
        words += !letter & (run >= 2);
        run = letter * (run + 1);
    }
    return words + (run >= 2);
}

static size_t edit_distance(const char *a, size_t n, const char *b, size_t m)
{
    size_t row[MAMORI_PASSWORD_MAX + 1];
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            size_t ca = (unsigned char)a[i - 1], cb = (unsigned char)b[j - 1];
            if (ca >= 'A' && ca <= 'Z')
                ca += 32;
            if (cb >= 'A' && cb <= 'Z')
                cb += 32;
            size_t best = diag + (ca != cb);
            best = MR_MIN(best, up + 1);
            best = MR_MIN(best, row[j - 1] + 1);
            row[j] = best;
            diag = up;
        }
    }
    return row[m];
}

static void add_reason(mamori_password_result *r, mamori_password_reason why)
{
    for (size_t i = 0; i < r->nreasons; i++)
        if (r->reasons[i] == why)
            return;
    if (r->nreasons < MAMORI_PASSWORD_REASONS_MAX)
        r->reasons[r->nreasons++] = why;
}

static mamori_password_reason match_reason(const mr_pw_match *m)
{
    switch (m->kind) {
    case MR_PWK_DICT:
        switch (m->sub) {
        case MR_PW_DICT_PASSWORD: return MAMORI_PWR_COMMON;
        case MR_PW_DICT_DEFAULT: return MAMORI_PWR_DEFAULT;
        case MR_PW_DICT_NAME_JA:
        case MR_PW_DICT_NAME_EN: return MAMORI_PWR_NAME;
        default: return MAMORI_PWR_WORD;
        }
    case MR_PWK_KEYBOARD: return MAMORI_PWR_KEYBOARD;
    case MR_PWK_SEQUENCE: return MAMORI_PWR_SEQUENCE;
    case MR_PWK_REPEAT: return MAMORI_PWR_REPEAT;
    case MR_PWK_DATE: return MAMORI_PWR_DATE;
    case MR_PWK_CONTEXT: return MAMORI_PWR_CONTEXT;
    default: return MAMORI_PWR_COUNT;
    }
}

static int score_of(double g)
{
    return g < 3 ? 0 : g < 6 ? 1 : g < 8 ? 2 : g < 10 ? 3 : 4;
}

static void judge(const mamori_password_checker *c, mr_pw_work *w,
                  const char *pw, size_t len,
                  const mamori_password_context *ctx,
                  mamori_password_result *res)
{
    const mamori_password_policy *p = &c->policy;
    mr_pw_match seg[DECOMP_MAX];
    size_t nseg = 0;
    int valid;
    size_t chars;

    mr_pw_work_init(w, pw, len);
    if (w->classes_seen & MR_PWC_HIGH) {
        chars = utf8_chars(pw, len, &valid);
    } else {
        chars = len;  /* ASCII: valid unless it holds a NUL */
        valid = memchr(pw, 0, len) == NULL;
    }
    if (ctx) {
        add_context(w, ctx->user);
        add_context(w, ctx->real_name);
        add_context(w, ctx->email);
        add_context(w, ctx->service);
    }
    analyze(w);
    res->guesses_log10 = mr_pw_estimate(w, seg, DECOMP_MAX, &nseg);
    res->score = score_of(res->guesses_log10);

    unsigned dict_words = 0;
    for (size_t i = 0; i < nseg; i++)
        dict_words += seg[i].kind == MR_PWK_DICT && seg[i].j - seg[i].i >= 3;
    unsigned words = MR_MAX(separated_words(pw, len), dict_words);
    int passphrase = p->passphrase_words && words >= p->passphrase_words &&
                     chars >= p->passphrase_length;

    if (!valid)
        add_reason(res, MAMORI_PWR_INVALID_UTF8);
    if (chars < p->min_length)
        add_reason(res, MAMORI_PWR_TOO_SHORT);
    if (p->min_classes && classes(w) < p->min_classes && !passphrase)
        add_reason(res, MAMORI_PWR_FEW_CLASSES);
    /* the password as typed and in lower case, hashed side by side (two
     * chains of multiplications that overlap) for the breach filters and
     * the dictionary */
    uint64_t raw_hash = MR_PW_FNV_INIT, low_hash = MR_PW_FNV_INIT;
    for (size_t i = 0; i < w->n; i++) {
        raw_hash = mr_pw_fnv_step(raw_hash, (unsigned char)w->raw[i]);
        low_hash = mr_pw_fnv_step(low_hash, (unsigned char)w->low[i]);
    }
    raw_hash = mr_pw_fmix(raw_hash);
    low_hash = mr_pw_fmix(low_hash);
    if (p->check_breached && mr_pw_breach_lookup_work(c, w, raw_hash,
                                                      low_hash))
        add_reason(res, MAMORI_PWR_BREACHED);
    if (ctx && ctx->old_password) {
        size_t on = strlen(ctx->old_password);
        if (on <= MAMORI_PASSWORD_MAX &&
            edit_distance(pw, len, ctx->old_password, on) < OLD_DISTANCE_MIN)
            add_reason(res, MAMORI_PWR_OLD_PASSWORD);
    }
    /* The whole password a known or default one, whatever pattern the
     * estimate preferred to explain it with. */
    unsigned kind;
    double rank;
    if (mr_pw_dict_lookup(low_hash, w->n, &kind, &rank) &&
        (kind == MR_PW_DICT_PASSWORD || kind == MR_PW_DICT_DEFAULT))
        add_reason(res, kind == MR_PW_DICT_DEFAULT ? MAMORI_PWR_DEFAULT
                                                   : MAMORI_PWR_COMMON);
    int guessable = res->guesses_log10 < p->min_guesses_log10;
    for (size_t i = 0; i < nseg; i++) {
        mamori_password_reason r = match_reason(&seg[i]);
        if (r == MAMORI_PWR_COUNT)
            continue;
        /* A whole-password common or default one, and the user's own
         * data anywhere, reject by themselves; other patterns explain
         * a rejection for too few guesses. */
        int whole = seg[i].i == 0 && seg[i].j == w->n;
        if (r == MAMORI_PWR_CONTEXT ||
            ((r == MAMORI_PWR_COMMON || r == MAMORI_PWR_DEFAULT) && whole) ||
            guessable)
            add_reason(res, r);
    }
    if (guessable)
        add_reason(res, MAMORI_PWR_GUESSABLE);
}

void mamori_password_check(const mamori_password_checker *c, const char *pw,
                           size_t len, const mamori_password_context *ctx,
                           mamori_password_result *res)
{
    memset(res, 0, sizeof(*res));
    if (!pw || len == 0) {
        add_reason(res, MAMORI_PWR_EMPTY);
    } else if (len > MAMORI_PASSWORD_MAX) {
        add_reason(res, MAMORI_PWR_TOO_LONG);
    } else {
        mr_pw_work w;  /* on the stack: no allocation per check */
        judge(c, &w, pw, len, ctx, res);
        wipe_work(&w);
    }
    res->accepted = res->nreasons == 0;
    mr_pw_feedback(res, c);
}

mamori_err mamori_password_checker_new(const mamori_password_policy *policy,
                                       mamori_password_checker **out)
{
    mamori_password_checker *c = calloc(1, sizeof(*c));
    *out = NULL;
    if (!c)
        return MAMORI_E_NOMEM;
    if (policy)
        c->policy = *policy;
    else
        mamori_password_policy_init(&c->policy, MAMORI_PWPOLICY_IPA, 0);
    mr_pw_feedback_tips(c);
    *out = c;
    return MAMORI_OK;
}

void mamori_password_checker_free(mamori_password_checker *c)
{
    if (!c)
        return;
    mr_fuse_free(&c->user_breach);
    free(c);
}
