/*
 * fuzz_prefilter.c — libFuzzer harness, differential: the vector
 * pre-filter (prefilter.c) against the byte loops, and mr_detect with
 * the pre-filter against the full path (mr_detect_scratch_unfiltered),
 * on arbitrary bytes as a target, a user agent and a referer. Any
 * disagreement traps.
 */
#include "common.h"

#include "logscan/detect.h"
#include "logscan/detect_precheck.h"
#include "logscan/prefilter.h"

#define FUZZ_ENDS_MAX 32

static mr_detector *det;
static mr_detect_scratch *fast, *full, *ref;
static mr_literal_set *sets[2];

static bool same(const mr_hit *a, size_t na, const mr_hit *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (a[i].category != b[i].category || strcmp(a[i].rule, b[i].rule) != 0 ||
            a[i].evidence_len != b[i].evidence_len ||
            memcmp(a[i].evidence, b[i].evidence, a[i].evidence_len) != 0)
            return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!det) {
        det = mr_detector_new();
        fast = det ? mr_detect_scratch_new(det) : NULL;
        full = det ? mr_detect_scratch_new(det) : NULL;
        ref = det ? mr_detect_scratch_new(det) : NULL;
        sets[0] = mr_target_literals_new();
        sets[1] = mr_agent_literals_new();
        if (!fast || !full || !ref || !sets[0] || !sets[1])
            __builtin_trap();
        mr_detect_scratch_unfiltered(full, true);
    }
    const char *p = (const char *)data;
    for (int level = MR_PREFILTER_SCALAR; level <= mr_prefilter_best(); level++) {
        mr_prefilter_force(level);
        for (int k = 0; k < 2; k++) {
            if (mr_raw_suspect(p, size, k) != mr_raw_suspect_scalar(p, size, k) ||
                mr_literal_any(sets[k], p, size) != mr_literal_any_scalar(sets[k], p, size))
                __builtin_trap();
        }
        /* the ends of both sets, with room for all and for two (the
         * overflow) */
        for (int k = 0; k < 4; k++) {
            size_t a[FUZZ_ENDS_MAX], b[FUZZ_ENDS_MAX], max = k < 2 ? FUZZ_ENDS_MAX : 2;
            bool oa, ob;
            size_t na = mr_literal_ends(sets[k % 2], p, size, a, max, &oa);
            size_t nb = mr_literal_ends_scalar(sets[k % 2], p, size, b, max, &ob);
            if (na != nb || oa != ob || memcmp(a, b, na * sizeof *a) != 0)
                __builtin_trap();
        }
        for (int part = 0; part < 3; part++) {
            mr_http_event ev;
            mr_http_event_clear(&ev);
            ev.target = part == 0 ? mr_span_make(p, size) : MR_SPAN_LIT("/");
            if (part == 1)
                ev.user_agent = mr_span_make(p, size);
            if (part == 2)
                ev.referer = mr_span_make(p, size);
            mr_hit h1[MR_HITS_MAX], h2[MR_HITS_MAX], h0[MR_HITS_MAX];
            size_t n1 = mr_detect(det, fast, &ev, h1, MR_HITS_MAX);
            size_t n2 = mr_detect(det, full, &ev, h2, MR_HITS_MAX);
            mr_prefilter_force(MR_PREFILTER_SCALAR);
            size_t n0 = mr_detect(det, ref, &ev, h0, MR_HITS_MAX);
            mr_prefilter_force(level);
            /* every level finds what the byte loops find, and what the
             * full path finds, in the target, the user agent and the
             * referer */
            if (!same(h1, n1, h0, n0) || !same(h1, n1, h2, n2))
                __builtin_trap();
        }
    }
    mr_prefilter_force(mr_prefilter_best());
    return 0;
}
