/*
 * conf.h — the web servers' configuration on a machine: nginx
 * (/etc/nginx/nginx.conf) and Apache (/etc/apache2/apache2.conf) read
 * through a mamori_sysroot, includes followed (globs too, at most
 * MR_CONF_DEPTH_MAX deep and MR_CONF_FILES_MAX files), each weakness
 * that `mamori web` sees from outside tied to the file and line that
 * causes it: old protocols (ssl_protocols, SSLProtocol), weak suites
 * (ssl_ciphers, SSLCipherSuite), directory listings (autoindex,
 * Options Indexes) and version disclosure (server_tokens, ServerTokens,
 * ServerSignature).
 *
 * The two tokenizers are pure functions over text (for the fuzzer): each
 * directive is handed to a callback with its line and words, copied into
 * a bounded buffer that is gone after the call.
 */
#ifndef MR_WEB_CONF_H
#define MR_WEB_CONF_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/host.h"
#include "mamori/mamori.h"

#define MR_CONF_ARGS_MAX 64          /* words of one directive */
#define MR_CONF_WORDS_BYTES 16384    /* bytes of one directive's words */
#define MR_CONF_FILE_MAX (4u << 20)  /* one configuration file */
#define MR_CONF_DEPTH_MAX 8          /* includes within includes */
#define MR_CONF_FILES_MAX 256        /* files read for one server */

typedef struct mr_conf_directive {
    uint64_t line;
    const char *args[MR_CONF_ARGS_MAX]; /* args[0]: the name */
    size_t nargs;
    int opens_block;     /* nginx "name ... {", Apache "<Name ...>" */
    int closes_block;    /* nginx "}", Apache "</Name>" (nargs 0 or 1) */
} mr_conf_directive;

/* Non-zero stops the parse. */
typedef int (*mr_conf_fn)(void *user, const mr_conf_directive *d);

/* 0 at the end, -1 on a syntax error or a directive over the maxima
 * (*bad_line says where), -2 when fn stopped it. */
int mr_conf_parse_nginx(const char *text, size_t len, mr_conf_fn fn,
                        void *user, uint64_t *bad_line);
int mr_conf_parse_apache(const char *text, size_t len, mr_conf_fn fn,
                         void *user, uint64_t *bad_line);

/* Is an OpenSSL cipher string weak: does it enable (not "!"/"-") NULL,
 * anonymous, export, DES, 3DES, RC4, MD5 or LOW suites, or lower the
 * security level to 0? why gets the first such element. */
int mr_conf_ciphers_weak(const char *list, char *why, size_t cap);

typedef struct mr_web_conf_hit {
    const char *check;       /* MR_CHECK_WEB_... */
    const char *server;      /* "nginx", "apache" */
    const char *file;        /* as reports name it */
    uint64_t line;
    const char *directive;
    const char *evidence;
    const char *fix;         /* the line to write instead */
} mr_web_conf_hit;

typedef int (*mr_web_conf_fn)(void *user, const mr_web_conf_hit *h);

/* Reviews both servers' files on sr; fn gets each weakness. A server
 * whose main file is absent is skipped; an include that cannot be read
 * is a warning (ctx->diag). MAMORI_E_ABORTED when fn stopped it. */
mamori_err mr_web_conf_review(const mamori_ctx *ctx,
                              const mamori_sysroot *sr, mr_web_conf_fn fn,
                              void *user);

#endif
