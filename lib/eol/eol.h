/*
 * eol.h — is the product a banner or a header names still fixed by its
 * upstream? A shared layer below the capabilities that read versions
 * (exposure's banners, web's Server and X-Powered-By headers): it maps
 * the name they read onto a normalised product ("OpenSSH" -> "openssh",
 * "Apache" -> "apache-httpd"), finds the branch a version belongs to in
 * the table compiled from data/eol/products.def, and says whether that
 * branch is supported on a given day.
 *
 * Distributions (Debian, Ubuntu, Red Hat...) backport security fixes
 * into the branch they ship, so a banner that names one ("(Debian)",
 * "Ubuntu", "deb12u1") only lowers how sure the verdict is; the table
 * also says until when a Debian or Ubuntu release shipping the branch is
 * supported. Everything here is pure: no state, no allocation; rows and
 * strings returned are static.
 */
#ifndef MR_EOL_H
#define MR_EOL_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/finding.h"

#define MR_EOL_NAME_MAX 64     /* bytes of a product name looked up */
#define MR_EOL_TEXT_MAX 1024   /* bytes of a banner searched for a marker */

/* One row of data/eol/products.def. Dates "YYYY-MM-DD" or "". */
typedef struct mr_eol_row {
    const char *product;     /* normalised: "openssh", "php" */
    const char *branch;      /* "7.4", "1.0.2" */
    const char *end;         /* last day upstream fixes it; "": no end */
    const char *latest;      /* the branch's last release; "" unstated */
    const char *distro_end;  /* last free Debian/Ubuntu support; "" none */
    const char *source;      /* the upstream page */
} mr_eol_row;

typedef enum mr_eol_verdict {
    MR_EOL_UNKNOWN = 0,      /* product or branch not in the table */
    MR_EOL_SUPPORTED,        /* upstream still fixes the branch */
    MR_EOL_DISTRO,           /* upstream ended; a supported Debian or
                                Ubuntu release still ships it */
    MR_EOL_ENDED             /* upstream ended, no free distribution left */
} mr_eol_verdict;

typedef struct mr_eol_result {
    const mr_eol_row *row;   /* NULL when UNKNOWN */
    mr_eol_verdict verdict;
    int distro;              /* the text named a distribution's build */
    int report;              /* 1: worth a finding, at `severity` */
    mamori_severity severity;
} mr_eol_result;

/* The table, *n rows. */
const mr_eol_row *mr_eol_rows(size_t *n);
/* The normalised product for a name as a server gives it (n bytes,
 * case-insensitive: "OpenSSH", "nginx", "Apache", "PHP", "vsFTPd",
 * "Microsoft-IIS", "OpenSSL"); NULL when the table has no such product. */
const char *mr_eol_product(const char *name, size_t n);
/* The row of product (normalised) whose branch the version (n bytes:
 * "9.2p1", "2.4.57", "1.0.2k-fips") belongs to: the longest branch that
 * is a prefix of it not followed by a digit. NULL when none. */
const mr_eol_row *mr_eol_find(const char *product, const char *version,
                              size_t n);
/* 1 when text (n bytes, the first MR_EOL_TEXT_MAX looked at) names a
 * distribution's build: "Debian", "Ubuntu", "Raspbian", "deb12u1",
 * "Red Hat", "CentOS", "Rocky", "AlmaLinux", "Fedora", "SUSE" as words,
 * never inside a host name ("ubuntu-mx", "mail.rocky-mountain.example")
 * but with a package revision ("Ubuntu-3ubuntu0.1", "8.1.2-1ubuntu2"). */
int mr_eol_distro_marker(const char *text, size_t n);
/* Calls fn for every "name/version" of a header value (n bytes, the
 * first MR_EOL_TEXT_MAX looked at): "Apache/2.4.6 (CentOS)
 * OpenSSL/1.0.2k-fips PHP/5.4.16" gives three; a version starts with a
 * digit and ends at a blank, ',', ';', '(' or ')'. Spans point into value.
 * Stops when fn returns non-zero; returns the calls made. */
typedef int (*mr_eol_token_fn)(void *user, const char *name, size_t nn,
                               const char *version, size_t vn);
size_t mr_eol_tokens(const char *value, size_t n, mr_eol_token_fn fn,
                     void *user);
/* The verdict for a product name and version as read (name as the server
 * gives it, version NUL-terminated), distro from mr_eol_distro_marker,
 * on the day of `now` (Unix seconds). Findings: ENDED high, medium with
 * a distribution marker (its vendor may still sell extended support).
 * DISTRO is no finding, marker or not: the exact branch a supported
 * Debian or Ubuntu release ships is most likely that package (Debian's
 * nginx names no distribution in its Server header), and the summary
 * says "supported": null with the upstream date. */
void mr_eol_judge(const char *name, size_t name_len, const char *version,
                  int distro, int64_t now, mr_eol_result *out);
/* The summary's values: the end date or NULL (none announced, unknown);
 * "supported" as MAMORI_CELL_TRUE, _FALSE or _NULL (DISTRO: it depends
 * on whose build it is). */
const char *mr_eol_date(const mr_eol_result *r);
int64_t mr_eol_supported_cell(const mr_eol_result *r);
/* "supported", "distribution", "ended" or "unknown". */
const char *mr_eol_verdict_name(mr_eol_verdict v);
/* The fields every end-of-life finding carries (exposure's and web's):
 * eol_product, branch, eol, latest (when known), support, distribution
 * ("named" or "not named"), reference. */
void mr_eol_finding_fields(mamori_finding *f, const mr_eol_result *r);
/* One line of evidence in English: "nginx 1.18.0: upstream support of
 * 1.18 ended 2021-04-20; ..." into out (cap bytes). */
void mr_eol_evidence(const mr_eol_result *r, const char *name,
                     size_t name_len, const char *version, char *out,
                     size_t cap);

#endif
