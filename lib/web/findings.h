/*
 * findings.h — a probed site (site.h) turned into findings, in the
 * caller's thread and in input order: TLS (protocols, suites, forward
 * secrecy, AEAD, the certificate, Mozilla's differences), the exposed
 * files, version disclosure, and a site that could not be checked. The
 * grade is computed here too, for the summary row.
 */
#ifndef MR_WEB_FINDINGS_H
#define MR_WEB_FINDINGS_H

#include "mamori/finding.h"
#include "web/catalogue.h"
#include "web/site.h"
#include "web/tlsgrade.h"

#define MR_WEB_CAPS_MAX 512    /* the grade's reasons, "; "-joined */
#define MR_WEB_VERS_MAX 4      /* products with versions kept per site */
#define MR_WEB_VER_NAME_MAX 32 /* a product's name as a header gives it */
#define MR_WEB_VER_MAX 32      /* its version */

/* A product and version a Server or X-Powered-By header named, joined
 * with its upstream's end of support (eol/eol.h). */
typedef struct mr_web_ver {
    const char *header;        /* "Server", "X-Powered-By": static */
    char product[MR_WEB_VER_NAME_MAX];
    char version[MR_WEB_VER_MAX];
    const char *eol;           /* static date, or NULL */
    int64_t supported;         /* MAMORI_CELL_TRUE, _FALSE or _NULL */
} mr_web_ver;

typedef struct mr_web_row {
    char *url;
    char tls_grade[3];         /* "" without TLS */
    char tls_grade_if_trusted[3];
    int tls_score;
    char tls_caps[MR_WEB_CAPS_MAX];
    char protocols[64];        /* accepted, blank-separated; "" without TLS */
    int64_t headers_score;     /* MAMORI_CELL_NULL until graded */
    char headers_grade[4];     /* "" until graded */
    const char *hsts_preload;  /* "eligible", "ineligible"; NULL
                                  without https */
    char preload_why[MR_WEB_CAPS_MAX]; /* the requirements not met,
                                          "; "-joined */
    mr_web_ver vers[MR_WEB_VERS_MAX]; /* nvers; more are left out */
    size_t nvers;
    uint64_t findings;
} mr_web_row;

typedef struct mr_web_report {
    const mamori_ctx *ctx;
    const mamori_sink *sink;
    const mr_web_mozilla *moz;
    const struct mr_psl *psl;  /* the Public Suffix List; NULL: none */
    uint64_t findings, handshakes, unreachable;
    int stopped;               /* the sink asked to stop */
    int64_t now;               /* the day versions are judged */
} mr_web_report;

/* Reports site s (probed) into row; diagnostics for what failed. */
void mr_web_report_site(mr_web_report *rp, const mr_web_site *s,
                        mr_web_row *row);

#endif
