/*
 * fuzz_detect.c — libFuzzer harness: the input is split at its first two
 * newlines into target, user agent and referer, and run through mr_detect.
 */
#include "common.h"

#include "logscan/detect.h"

static mr_span take_line(const char **p, size_t *n)
{
    const char *nl = memchr(*p, '\n', *n);
    size_t len = nl ? (size_t)(nl - *p) : *n;
    mr_span s = mr_span_make(*p, len);
    *p += nl ? len + 1 : len;
    *n -= nl ? len + 1 : len;
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mr_detector *d;
    static mr_detect_scratch *s;
    if (!d && (!(d = mr_detector_new()) || !(s = mr_detect_scratch_new(d))))
        return 0;
    const char *p = (const char *)data;
    size_t n = size;
    mr_http_event ev;
    mr_http_event_clear(&ev);
    ev.target = take_line(&p, &n);
    ev.user_agent = take_line(&p, &n);
    ev.referer = mr_span_make(p, n);
    mr_hit hits[MR_HITS_MAX];
    size_t nh = mr_detect(d, s, &ev, hits, MR_HITS_MAX);
    for (size_t i = 0; i < nh; i++)
        if (hits[i].evidence_len > MR_EVIDENCE_MAX || !hits[i].rule)
            __builtin_trap();
    return 0;
}
