/*
 * detect_precheck.h — the raw-byte pre-check of detect_precheck.c: is a
 * request part worth decoding? All functions read (p, n) only, any bytes;
 * the compiled databases belong to the caller (hs_free_database).
 */
#ifndef MR_DETECT_PRECHECK_H
#define MR_DETECT_PRECHECK_H

#include <stdbool.h>
#include <stddef.h>

#include <hs/hs.h>

/* A payload character, a suspicious escape or pair in a target, path or
 * referer; in_value: p is one query value, where any '=' counts. */
bool mr_raw_suspect(const char *p, size_t n, bool in_value);
/* A character a payload in a User-Agent needs and browsers never send. */
bool mr_agent_suspect(const char *p, size_t n);
/* A payload character or a percent escape anywhere in p. */
bool mr_has_payload_char(const char *p, size_t n);
/* p percent-encodes a letter or digit, or uses %u / %25. */
bool mr_encodes_letters(const char *p, size_t n);
/* Caseless literal prefilters (NULL on failure): keywords and file names
 * for targets and referers; scanner names and payload words for agents. */
hs_database_t *mr_compile_target_literals(void);
hs_database_t *mr_compile_agent_literals(void);

#endif
