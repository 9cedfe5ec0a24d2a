/*
 * conf.h — /etc/mamori/mamori.conf, what a machine's scheduled runs do
 * (the systemd timer's `mamori audit --config` and `mamori push
 * --config`): an INI file read with libinih, every error kept with its
 * line and the rest still read (see examples/mamori.conf, mamori.conf(5)).
 *
 *   [audit]    domain = DOMAIN...   (repeatable; blank-separated words)
 *              site = URL...        (repeatable; blank-separated words)
 *              backup = FILE        the backup declaration (backup.h)
 *              root = DIR           audit the system under DIR
 *              lang = en|ja
 *              min_severity = info|low|medium|high|critical
 *              fail_on = info|low|medium|high|critical|none
 *   [history]  db = FILE            the history database (history.h)
 *   [push]     db = CONNINFO        a libpq keyword=value string or URI
 *              host_id = ID         letters, digits, '.', '_', ':', '-'
 *              spool = DIR          default MAMORI_CONF_SPOOL_DEFAULT
 *              spool_max_mb = N     default MAMORI_CONF_SPOOL_MAX_MB_DEFAULT
 *
 * A key may also be spelt with '-' for '_' (min-severity, as the
 * option). Paths (backup, root, [history] db, spool) are absolute.
 * Lines are at most MAMORI_CONF_LINE_MAX bytes; a longer value continues
 * on indented lines: words of domain and site, and [push] db (joined
 * with a space, or with nothing when it is a postgres:// URI). A ';'
 * after a blank starts a comment, as '#' or ';' does a line.
 *
 * What is unknown or wrong (a section, a key, a value, a key given twice
 * that takes one value) is an error with its line; a file with errors
 * should not be acted on (mamori audit --config refuses it, exit 2).
 *
 * Ownership: mamori_conf_load()/mamori_conf_parse() allocate one
 * mamori_conf that the caller frees with mamori_conf_free(), which also
 * frees every string and array it points to (and wipes the [push] db
 * string, which may hold a password). Everything in it is read-only for
 * the caller. The library allocates the struct, so later versions may
 * add fields at its end without breaking callers.
 */
#ifndef MAMORI_CONF_H
#define MAMORI_CONF_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/export.h"
#include "mamori/mamori.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MAMORI_CONF_PATH "/etc/mamori/mamori.conf"
#define MAMORI_CONF_SPOOL_DEFAULT "/var/spool/mamori"
#define MAMORI_CONF_SPOOL_MAX_MB_DEFAULT 64
#define MAMORI_CONF_SPOOL_MAX_MB_MAX 1048576   /* 1 TiB */
#define MAMORI_CONF_SIZE_MAX (256 * 1024)      /* bytes of the file */
#define MAMORI_CONF_LINE_MAX 198               /* bytes of a line (libinih's) */
#define MAMORI_CONF_DOMAINS_MAX 64             /* domain words */
#define MAMORI_CONF_SITES_MAX 64               /* site words */
#define MAMORI_CONF_NAME_MAX 254               /* a domain, NUL included */
#define MAMORI_CONF_URL_MAX 2048               /* a site, NUL included */
#define MAMORI_CONF_PATH_MAX 4096              /* a path, NUL included */
#define MAMORI_CONF_CONNINFO_MAX 4096          /* [push] db, NUL included */
#define MAMORI_CONF_HOST_ID_MAX 128            /* host_id, NUL included */
#define MAMORI_CONF_ERRORS_MAX 32              /* errors kept */
#define MAMORI_CONF_MSG_MAX 192                /* an error message */

typedef struct mamori_conf_error {
    uint64_t line;                   /* 1-based; 0: the file as a whole */
    char msg[MAMORI_CONF_MSG_MAX];   /* English, NUL-terminated */
} mamori_conf_error;

typedef struct mamori_conf {
    const char *path;                /* the name given to load or parse */
    /* [audit]; NULL or -1 when not set */
    const char *const *domains;      /* ndomains words, never NULL */
    size_t ndomains;
    const char *const *sites;        /* nsites words, never NULL */
    size_t nsites;
    const char *backup;              /* a declaration on this machine */
    const char *root;
    int lang;                        /* mamori_lang, or -1 */
    int min_severity;                /* mamori_severity, or -1 */
    int fail_on;                     /* mamori_severity, MAMORI_SEV_COUNT
                                        for "none", or -1 */
    /* [history] */
    const char *history_db;          /* NULL: not set */
    /* [push] */
    const char *push_db;             /* NULL: pushing is not configured */
    const char *host_id;             /* NULL: /etc/machine-id's */
    const char *spool;               /* never NULL (the default) */
    uint64_t spool_max_mb;           /* 1..MAMORI_CONF_SPOOL_MAX_MB_MAX */
    /* Errors in line order; more_errors counts those not kept. */
    const mamori_conf_error *errors;
    size_t nerrors;
    uint64_t more_errors;
} mamori_conf;

/*
 * Reads the file at path (at most MAMORI_CONF_SIZE_MAX bytes).
 * Returns MAMORI_OK with *out set; MAMORI_E_FORMAT with *out set when
 * the file has errors (listed in (*out)->errors); or, with *out NULL,
 * MAMORI_E_IO (errno kept), MAMORI_E_TOO_LARGE, MAMORI_E_NOMEM.
 */
MAMORI_API mamori_err mamori_conf_load(const char *path, mamori_conf **out);
/* The same over len bytes of data (any bytes; NULs are errors of their
 * line); name (copied; may be NULL) becomes (*out)->path. */
MAMORI_API mamori_err mamori_conf_parse(const char *data, size_t len,
                                        const char *name, mamori_conf **out);
/* Accepts NULL. */
MAMORI_API void mamori_conf_free(mamori_conf *c);

#ifdef __cplusplus
}
#endif
#endif
