/*
 * catalogue.h — the data of `mamori web`, parsed: the paths that must
 * never be served (data/web/exposed.conf) and Mozilla's "intermediate"
 * TLS configuration (data/web/mozilla-intermediate.conf). Both files are
 * compiled in as text (tools/gen_webdata.py, mr_webdata_*) and parsed
 * here with a cursor and a bound, into fixed-size structures the caller
 * owns; every count and length has a named maximum, and text over one is
 * an error (the build's data is tested to parse).
 */
#ifndef MR_WEB_CATALOGUE_H
#define MR_WEB_CATALOGUE_H

#include <stddef.h>

#define MR_WEB_PROBES_MAX 64       /* entries of exposed.conf */
#define MR_WEB_PATH_MAX 128        /* a path asked */
#define MR_WEB_CHECK_ID_MAX 48     /* a check id */
#define MR_WEB_SIG_MAX 128         /* a signature */
#define MR_WEB_MOZ_NAMES_MAX 32    /* suites, groups of one setting */
#define MR_WEB_MOZ_NAME_MAX 64

typedef struct mr_web_probe {
    char path[MR_WEB_PATH_MAX];
    char check[MR_WEB_CHECK_ID_MAX];
    char sig[MR_WEB_SIG_MAX];      /* "" when the line says "-" */
} mr_web_probe;

typedef struct mr_web_catalogue {
    mr_web_probe probes[MR_WEB_PROBES_MAX];
    size_t n;
} mr_web_catalogue;

typedef struct mr_web_names {
    char v[MR_WEB_MOZ_NAMES_MAX][MR_WEB_MOZ_NAME_MAX];
    size_t n;
} mr_web_names;

typedef struct mr_web_mozilla {
    char version[16];
    mr_web_names protocols, ciphers, ciphersuites, groups;
    unsigned rsa_key_min, dh_min;
    int ocsp_stapling;
} mr_web_mozilla;

/* Parse text of len bytes (not NUL-terminated needed). 0, or -1 with
 * the line number in *bad_line. */
int mr_web_catalogue_parse(const char *text, size_t len,
                           mr_web_catalogue *out, size_t *bad_line);
int mr_web_mozilla_parse(const char *text, size_t len, mr_web_mozilla *out,
                         size_t *bad_line);
/* Is name in the list (case-insensitive)? */
int mr_web_names_has(const mr_web_names *l, const char *name);

/* The compiled-in files (tools/gen_webdata.py). */
extern const char mr_webdata_exposed[];
extern const size_t mr_webdata_exposed_len;
extern const char mr_webdata_mozilla_intermediate[];
extern const size_t mr_webdata_mozilla_intermediate_len;

#endif
