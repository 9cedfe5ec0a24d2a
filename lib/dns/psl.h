/*
 * psl.h — the Public Suffix List, to find a domain's organisational
 * domain (RFC 7489 3.2) when it publishes no DMARC record of its own,
 * and a host's registrable domain for `mamori web`'s header grade.
 *
 * Read from Debian's `publicsuffix` package (MR_PSL_PATH) once per
 * checker; immutable afterwards, so threads share it. The caller owns
 * the list and frees it with mr_psl_free().
 */
#ifndef MR_DNS_PSL_H
#define MR_DNS_PSL_H

#include <stdbool.h>
#include <stddef.h>

#define MR_PSL_PATH "/usr/share/publicsuffix/public_suffix_list.dat"
#define MR_PSL_FILE_MAX (4 * 1024 * 1024)   /* bytes read at most */
#define MR_PSL_RULES_MAX 65536

typedef struct mr_psl mr_psl;

/* Loads the list at path (NULL: MR_PSL_PATH); NULL if unreadable. */
mr_psl *mr_psl_load(const char *path);
void mr_psl_free(mr_psl *psl);
size_t mr_psl_count(const mr_psl *psl);
/* Writes the organisational domain of `domain` (lower case, no final dot)
 * into out: the public suffix plus one label. Returns 0, or -1 when the
 * domain is itself a public suffix or too long. With psl NULL, the last
 * two labels are taken (a fallback, said so by the caller). */
int mr_psl_org_domain(const mr_psl *psl, const char *domain, char *out,
                      size_t cap);
/* The same with the list's private section (github.io, ...) read or
 * not: the MDN HTTP Observatory's "same second-level domain" (tldts)
 * reads the ICANN section only, cookie domains (tough-cookie) both. */
int mr_psl_registrable(const mr_psl *psl, bool private_too,
                       const char *domain, char *out, size_t cap);

#endif
