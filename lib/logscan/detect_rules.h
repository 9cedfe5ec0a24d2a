/*
 * detect_rules.h — the per-category detectors behind mr_detect(), each a
 * pure function over one NORMALIZED part of a request (a query value, the
 * path, the user agent...): lowercase, decoded text (normalize.h), given
 * as (s, n), any bytes. A detector returns true on a hit and fills the
 * match: the static rule name and where in s the evidence starts.
 * Detectors keep their working state on the stack, bounded by the named
 * maxima below; nothing is allocated.
 */
#ifndef MR_DETECT_RULES_H
#define MR_DETECT_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "util/str.h"   /* mr_find, the literal search of every detector */

typedef struct mr_match {
    const char *rule;   /* static */
    size_t off;         /* evidence starts at s + off */
} mr_match;

bool mr_detect_sqli(const char *s, size_t n, mr_match *m);
/* detect_sqli_forms.c, for mr_detect_sqli: the rule of a dialect's mark
 * in s (PostgreSQL casts, MongoDB operators, a commented statement),
 * NULL when none; *off: where it starts. */
const char *mr_sqli_dialect_rule(const char *s, size_t n, size_t *off);
bool mr_detect_xss(const char *s, size_t n, mr_match *m);
bool mr_detect_cmdi(const char *s, size_t n, mr_match *m);
/* A shell assignment that the query's '&' cut in two: parameter name
 * "cmd", value "$'id';$cmd" (the value uses the name as a variable), seen
 * whole as "cmd=$'id';$cmd". */
bool mr_detect_cmdi_split(const char *name, size_t name_n, const char *v, size_t n,
                          mr_match *m);
/* Windows batch FOR/IF statements (detect_batch.c, for mr_detect_cmdi):
 * where one starts in s, -1 when none does. */
long mr_batch_syntax_at(const char *s, size_t n);
/* For detect_shell.c (from detect_cmdi.c): is w[0..n) a listed command,
 * does a word of v end at v[i], is w one of list's words? */
bool mr_cmdi_is_command(const char *w, size_t n);
bool mr_word_in_list(const char *w, size_t n, const char *const *list, size_t count);
bool mr_cmdi_word_end(const char *v, size_t n, size_t i);
/* detect_shell.c, for mr_detect_cmdi: where the form starts, -1 if none.
 * glob and netcat take the shell view, brace and SMTP the value. */
long mr_shell_glob_at(const char *v, size_t n);
long mr_shell_brace_at(const char *s, size_t n);
long mr_shell_netcat_at(const char *v, size_t n);
long mr_smtp_verb_at(const char *s, size_t n);
/* Traversal/LFI in a query value (either separator) or a path. */
bool mr_detect_traversal(const char *s, size_t n, bool is_path, mr_match *m);
/* Remote file inclusion in the value of parameter `name` (raw name). */
bool mr_detect_rfi(const char *name, size_t name_n, const char *s, size_t n,
                   mr_match *m);
/* Server-side code injection: PHP, template and expression languages,
 * serialized objects, XXE (detect_code.c). */
bool mr_detect_code(const char *s, size_t n, mr_match *m);
/* Log4Shell, Shellshock, Struts OGNL, Spring4Shell in any part. */
bool mr_detect_exploit(const char *s, size_t n, mr_match *m);
/* Known exploit paths (ThinkPHP, phpunit eval-stdin...) in a path. */
bool mr_detect_exploit_path(const char *s, size_t n, mr_match *m);
/* The k-th literal mr_detect_exploit_path looks for (static), NULL past
 * the last: exploit_gate.c derives its anchors from them. */
const char *mr_exploit_path_literal(size_t k);
/* The k-th literal mr_detect_exploit looks for (OGNL members,
 * Spring4Shell's paths; static), NULL past the last: test_prefilter
 * proves each reaches it past the pre-check. */
const char *mr_exploit_literal(size_t k);
/* PHP-CGI argument injection in a whole decoded query (after '?'). */
bool mr_detect_php_cgi(const char *s, size_t n, mr_match *m);
/* Sensitive files in a canonical path (mr_path_canonical). */
bool mr_detect_sensitive(const char *s, size_t n, mr_match *m);
/* Scanner user agents in a lowercased user agent. */
bool mr_detect_scanner(const char *s, size_t n, mr_match *m);

/* Small helpers shared by the detectors. */
static inline bool mr_is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static inline bool mr_is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}
static inline bool mr_is_alnum(unsigned char c)
{
    return mr_is_alpha(c) || mr_is_digit(c);
}
static inline bool mr_is_xdigit(unsigned char c)
{
    return mr_is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

#endif
