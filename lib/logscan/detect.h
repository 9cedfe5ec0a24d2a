/*
 * detect.h — attack detection on one HTTP request.
 *
 * The detector is compiled once per scan (mr_detector_new) and shared,
 * read-only, by every thread; each thread owns one mr_detect_scratch for
 * its decoding buffers. mr_detect() normalizes the request the way an
 * attacker's encodings demand (percent and double encoding, %uXXXX, '+',
 * overlong UTF-8, HTML entities, case, SQL comments and whitespace tricks,
 * backslashes and ".." segments) only when a cheap pre-check of the raw
 * bytes says the request might be an attack, then runs each category's
 * detector and fills up to `max` hits.
 */
#ifndef MR_DETECT_H
#define MR_DETECT_H

#include <stdbool.h>
#include <stddef.h>

#include "weblog/event.h"

#define MR_EVIDENCE_MAX 160     /* bytes of evidence kept per hit */
#define MR_HITS_MAX 8           /* hits reported per request */

typedef enum mr_category {
    MR_CAT_SQLI = 0,
    MR_CAT_XSS,
    MR_CAT_TRAVERSAL,      /* directory traversal and local file inclusion */
    MR_CAT_RFI,
    MR_CAT_CMDI,
    MR_CAT_EXPLOIT,        /* known exploit probes: Log4Shell, Shellshock... */
    MR_CAT_SENSITIVE_FILE, /* /.env, /.git/config, config backups */
    MR_CAT_SCANNER,        /* well-known scanner user agents */
    MR_CAT_CODE_INJECTION, /* PHP, template and expression languages,
                            * deserialisation, XXE (last: JSON order) */
    MR_CAT_COUNT
} mr_category;

/* JSON names: "sqli", "xss", "traversal", "rfi", "cmdi", "exploit",
 * "sensitive-file", "scanner", "code-injection". */
const char *mr_category_name(mr_category c);
/* The check id of data/checks/: "logscan.sqli", ... */
const char *mr_category_check_id(mr_category c);

typedef struct mr_hit {
    mr_category category;
    const char *rule;                  /* static short name: "log4shell", "union-select" */
    size_t evidence_len;
    char evidence[MR_EVIDENCE_MAX];    /* the decoded text that matched, in the
                                        * sender's case (matching is caseless) */
} mr_hit;

typedef struct mr_detector mr_detector;
typedef struct mr_detect_scratch mr_detect_scratch;

/* NULL on allocation failure. */
mr_detector *mr_detector_new(void);
void mr_detector_free(mr_detector *d);
mr_detect_scratch *mr_detect_scratch_new(const mr_detector *d);
void mr_detect_scratch_free(mr_detect_scratch *s);
/* Tests only: with on, mr_detect on this scratch skips the pre-checks
 * of the target, user agent and referer and the exploit-path gate of
 * exploit_gate.c, and decodes and examines every part: the full path
 * the pre-filter must never disagree with. (The literal condition on the
 * exploit-path search and the checks of each query value stay: they are
 * part of what the detectors find.) */
void mr_detect_scratch_unfiltered(mr_detect_scratch *s, bool on);

/* Returns the number of hits written to hits[0..max) (0 = benign).
 * At most one hit per category. */
size_t mr_detect(const mr_detector *d, mr_detect_scratch *s,
                 const mr_http_event *ev, mr_hit *hits, size_t max);

/* Exposed for tests and fuzzers: full normalization of a raw query or
 * path into out (at most cap bytes, truncated beyond); returns length. */
size_t mr_normalize(const char *in, size_t n, char *out, size_t cap);

#endif
