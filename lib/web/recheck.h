/*
 * recheck.h — the paths `mamori logscan` saw attackers served, asked
 * again by `mamori web` (opts.from_logscan). The report is logscan's JSON
 * Lines output; a path counts when a logscan.sensitive-file finding (a
 * request for .env, .git, a backup, a dump...) has a 2xx status. Each
 * distinct path (query and fragment cut) becomes an entry of a catalogue
 * (catalogue.h) whose check is web.exposed.logscan-served, probed like
 * the built-in entries without a signature: a 2xx with a body that is
 * not HTML and unlike the site's answer to a random path is a hit (an
 * HTML page there is the site's own, a .env or a dump is not). Paths the built-in catalogue asks anyway are left to it.
 */
#ifndef MR_WEB_RECHECK_H
#define MR_WEB_RECHECK_H

#include "mamori/mamori.h"
#include "web/catalogue.h"

#define MR_WEB_LOGSCAN_LINE_MAX (64 * 1024) /* bytes of a report line */
#define MR_WEB_RECHECK_CHECK "web.exposed.logscan-served"

/* Reads the report at path into *out (zeroed first), skipping paths
 * builtin asks. MAMORI_OK; MAMORI_E_IO (errno set) when it cannot be
 * read; MAMORI_E_NOMEM. *lines_bad counts lines that are not JSON (or
 * too long), *dropped paths over MR_WEB_PROBES_MAX or MR_WEB_PATH_MAX. */
mamori_err mr_web_recheck_read(const char *path, const mr_web_catalogue *builtin,
                               mr_web_catalogue *out, uint64_t *lines_bad,
                               uint64_t *dropped);

/* One line of the report (len bytes, no newline) into out, as above;
 * for the reader and its fuzzer. */
mamori_err mr_web_recheck_line(const char *line, size_t len,
                               const mr_web_catalogue *builtin,
                               mr_web_catalogue *out, uint64_t *lines_bad,
                               uint64_t *dropped);

/* One request line ("GET /.env HTTP/1.1") of a sensitive file served
 * 2xx into out, unless builtin or out asks for its path already;
 * *dropped counts one without a path or over MR_WEB_PROBES_MAX. */
void mr_web_recheck_request(const char *request, const mr_web_catalogue *builtin,
                            mr_web_catalogue *out, uint64_t *dropped);

/* The path of a request line ("GET /a/.env?x=1 HTTP/1.1": "/a/.env")
 * into out; 0, or -1 when it has none or it does not fit. */
int mr_web_request_path(const char *request, char *out, size_t cap);

#endif
