/*
 * detect_words.c — mr_words_suspect() of detect_precheck.h: the
 * pre-check's second look at a raw-clean target whose only prefilter
 * literals are SQL words of everyday English. Shop searches are full of
 * them ("select comfort pillow", "union jack scarf", "order tracking"),
 * and each such request went down the whole detailed path (every
 * parameter split and pre-checked, every detector on the flagged value,
 * the exploit gate): on real-shaped traffic that was a tenth of the
 * requests and a third of logscan's time.
 *
 * Why looking at the words' parts with the SQL and XSS detectors alone
 * is exact. The pre-check's contract (detect.c) is that a raw-clean part
 * without a prefilter literal is flagged by no detector; the literals
 * are there for the detectors that need words without special bytes.
 * These words are in the set for the SQL detector ("select" is also a
 * DOM event of the XSS one); no other detector's rules hold them. So for
 * a raw-clean target whose literals are all words, the detailed path
 * can find something only
 *  - in a part that holds a word, by the SQL or XSS detector, on the
 *    part decoded as the detailed path decodes it: the path
 *    (MR_NORM_PATH) or a parameter's value (MR_NORM_PLUS); a word in a
 *    parameter's name counts only when the name holds a payload byte or
 *    a '%' (else names are not examined): then the target is suspect;
 *  - by the steps a literal switches on whatever it is: the exploit
 *    paths of the whole target (when the gate is open: suspect), the
 *    PHP-CGI switches of a query starting with '-' or '%' (suspect),
 *    and a value that decodes as base64 text (suspect).
 * Anything else keeps the target suspect. fuzz_prefilter holds the fast
 * path to the unfiltered one on arbitrary bytes, and test_prefilter
 * gives each word's injections.
 */
#include "common.h"

#include "logscan/clean_cache.h"
#include "logscan/detect_precheck.h"
#include "logscan/detect_rules.h"
#include "logscan/exploit_gate.h"
#include "logscan/normalize.h"

#define MR_WORD_HITS_MAX 16   /* words looked at per target; more: suspect */
#define MR_CLEAN_TAG_WORDS 0x8000   /* clean_cache.h tag: | the MR_NORM_* flags */

/* Does the detailed path find anything in the part: the SQL or XSS
 * detectors in it decoded, or (a value) its base64 text? */
static bool part_hit(mr_clean_cache *c, const char *raw, size_t n, unsigned flags, char *buf)
{
    uint16_t tag = (uint16_t)(MR_CLEAN_TAG_WORDS | flags);
    mr_clean_slot *slot = mr_clean_cache_slot(c, raw, n, tag);
    if (slot && mr_clean_slot_holds(slot, raw, n, tag))
        return false;
    mr_match m;
    size_t dn = mr_normalize_part(raw, n, buf, MR_NORM_MAX, flags);
    if (dn > 0 && (mr_detect_sqli(buf, dn, &m) || mr_detect_xss(buf, dn, &m)))
        return true;
    if ((flags & MR_NORM_PLUS) && mr_base64_text(raw, n, buf, MR_NORM_MAX, true) > 0)
        return true;
    if (slot)
        mr_clean_slot_keep(slot, raw, n, tag);
    return false;
}

/* The parameter of query q[0..qn) around offset at, as check_query of
 * detect.c splits it: segments between '&', the name up to the first '='
 * (none: the whole segment is the value). */
typedef struct param_span {
    size_t start, end, eq;   /* eq == end: no '=' */
} param_span;

static param_span param_at(const char *q, size_t qn, size_t at)
{
    param_span s = {at, at, at};
    while (s.start > 0 && q[s.start - 1] != '&')
        s.start--;
    const char *amp = memchr(q + at, '&', qn - at);
    s.end = amp ? (size_t)(amp - q) : qn;
    const char *eq = memchr(q + s.start, '=', s.end - s.start);
    s.eq = eq ? (size_t)(eq - q) : s.end;
    return s;
}

bool mr_words_suspect(const mr_literal_set *words, const struct mr_exploit_gate *gate,
                      struct mr_clean_cache *cache, const char *t, size_t n, char *buf)
{
    size_t ends[MR_WORD_HITS_MAX];
    bool overflow;
    size_t count = mr_literal_ends(words, t, n, ends, MR_WORD_HITS_MAX, &overflow);
    if (overflow)
        return true;
    const char *qm = memchr(t, '?', n);
    size_t path_n = qm ? (size_t)(qm - t) : n;
    const char *q = qm ? qm + 1 : NULL;
    size_t qn = qm ? n - path_n - 1 : 0;
    if (qn > 0 && (q[0] == '-' || q[0] == '%'))
        return true;
    bool path_done = false;
    size_t done_until = 0;   /* query offsets before this are judged */
    for (size_t i = 0; i < count; i++) {
        size_t last = ends[i] - 1;   /* a word's last byte: no word holds '?' '&' '=' */
        if (last < path_n) {
            if (!path_done && part_hit(cache, t, path_n, MR_NORM_PATH, buf))
                return true;
            path_done = true;
            continue;
        }
        size_t at = last - path_n - 1;
        if (at < done_until)
            continue;   /* in a value already judged */
        param_span p = param_at(q, qn, at);
        if (p.eq < p.end && at < p.eq) {   /* in the name */
            if (mr_has_payload_char(q + p.start, p.eq - p.start))
                return true;
            continue;
        }
        done_until = p.end;
        size_t v = p.eq < p.end ? p.eq + 1 : p.start;
        if (part_hit(cache, q + v, p.end - v, MR_NORM_PLUS, buf))
            return true;
    }
    return mr_exploit_gate_open(gate, t, n);
}
