/*
 * detect_xss.h — what the two XSS files share: detect_xss.c reads markup
 * (tags, attributes, handlers, URLs), detect_xss_js.c the JavaScript a
 * payload runs once it is out of its string or attribute (a sink called
 * or referred to, a template call, escapes in a name). The lists of
 * sinks and DOM events are detect_xss_js.c's. Internal to those files;
 * every scan is bounded by the named maxima below.
 */
#ifndef MR_DETECT_XSS_H
#define MR_DETECT_XSS_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "logscan/detect_rules.h"   /* mr_is_alnum, mr_find */

#define MR_XSS_VIEW_MAX 2048      /* bytes of a value seen with JavaScript's escapes undone */
#define MR_XSS_ALIAS_SCAN_MAX 128 /* bytes after "a=alert;" searched for the call "a(" */
#define MR_XSS_CALL_SCAN_MAX 512  /* bytes of a sink's arguments searched for its end */

static inline bool is_space(unsigned char c)
{
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0;
}

static inline bool word_at(const char *s, size_t n, size_t i, const char *w)
{
    size_t len = strlen(w);
    return i + len <= n && memcmp(s + i, w, len) == 0;
}

static inline bool name_char(unsigned char c)
{
    return mr_is_alnum(c) || c == '_' || c == '$';
}

/* alert, prompt, confirm, eval: the calls that are a payload wherever a
 * handler set outside a tag makes them. */
extern const char *const mr_xss_loose_sinks[];
extern const size_t mr_xss_loose_sinks_count;
/* DOM events a payload's handler names (after "on"), as prefixes. */
extern const char *const mr_xss_dom_events[];
extern const size_t mr_xss_dom_events_count;

/* A sink's call at s[i] that is the whole value ("alert(1)", "prompt`1`"). */
bool mr_xss_strict_call_at(const char *s, size_t n, size_t i);
/* A sink's call at s[i] that ends the value or comments out the line. */
bool mr_xss_statement_break_at(const char *s, size_t n, size_t i);
/* A tagged template call at s[i] ('.' or '$'): ".call`...`", "${alert}". */
bool mr_xss_template_call_at(const char *s, size_t n, size_t i);
/* A sink named to be called later: "a=alert;a(1)", "[1].find(alert)". */
bool mr_xss_sink_reference_at(const char *s, size_t n, size_t i);
/* A call of a JavaScript sink at s[i], not inside a longer name. */
bool mr_xss_js_call_at(const char *s, size_t n, size_t i);
/* A sink called by its name as joined strings in brackets, s[i] '['. */
bool mr_xss_bracket_call_at(const char *s, size_t n, size_t i);
/* s with JavaScript's escapes in names and strings undone, into out (at
 * most max bytes); 0 when s holds none. */
size_t mr_xss_js_unescaped(const char *s, size_t n, char *out, size_t max);

#endif
