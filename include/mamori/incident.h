/*
 * incident.h — from findings that may be an incident to a record a
 * person can act on and send (IPA's guidance: tell the right people in
 * time, tables 1.5 and 1.6; keep the evidence).
 *
 * The findings (of an audit kept in the history, or any sink's) are
 * filtered: those that may mean a break-in (a verdict other than
 * "attempt" — possible-success, success, login — or a check that is a
 * break-in by itself), the problems named by fingerprint, or everything
 * in a time window. From them the record keeps the timeline (time
 * order), the accounts and the hosts involved, and the files the
 * evidence came from. mamori_incident_write() then creates a new
 * directory (never an existing one) holding:
 *   evidence/NN-NAME   read-only copies of those files (mode 0400), each
 *                      hashed with SHA-256 while it was read and checked
 *                      again after it was written; the originals are only
 *                      read;
 *   SHA256SUMS         the hashes, as `sha256sum -c` reads them;
 *   record.json        the record: window, timeline, accounts, hosts,
 *                      evidence, whom to tell and by when;
 *   report.en.txt, report.ja.txt, report.html   a draft to send.
 * Whom to tell follows table 1.6 (the security administrator or CSIRT
 * first; management; customers and partners; IPA and JPCERT/CC; the
 * police where a crime is suspected) and, when personal data may have
 * leaked, the Personal Information Protection Commission with its
 * deadlines (a preliminary report within about 3–5 days of learning of
 * it, the final one within 30 days, 60 when an attack caused it: the
 * Enforcement Rules of the Act on the Protection of Personal
 * Information, article 8).
 */
#ifndef MAMORI_INCIDENT_H
#define MAMORI_INCIDENT_H

#include "mamori/export.h"
#include "mamori/finding.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MAMORI_INCIDENT_FINDINGS_MAX 100000 /* timeline entries kept */
#define MAMORI_INCIDENT_FILES_MAX 256       /* evidence files copied */
#define MAMORI_INCIDENT_NAMES_MAX 1024      /* accounts, hosts kept */

typedef struct mamori_incident_opts {
    int64_t since, until;          /* window (unix s); INT64_MIN/MAX: open */
    const char *const *fingerprints; /* problems chosen by the user */
    size_t nfingerprints;
    int everything;                /* every finding in the window */
    int personal_data;             /* may have leaked: 1 yes, 0 no, -1 unknown */
    int crime;                     /* 1 suspected, 0 no, -1 decide from findings */
    int64_t detected;              /* when it became known (unix s) */
} mamori_incident_opts;

typedef struct mamori_incident mamori_incident;

MAMORI_API void mamori_incident_opts_init(mamori_incident_opts *o);
MAMORI_API mamori_err mamori_incident_new(const mamori_incident_opts *o,
                                          mamori_incident **out);
MAMORI_API void mamori_incident_free(mamori_incident *inc);
/* The sink findings are fed through (summaries are freed). */
MAMORI_API mamori_sink mamori_incident_sink(mamori_incident *inc);
/* Findings kept in the record so far. */
MAMORI_API size_t mamori_incident_count(const mamori_incident *inc);
/* Writes the record into the new directory dir (its parent must exist).
 * Evidence that cannot be copied (gone, not a regular file, no room) is
 * said through ctx's diagnostics and listed as missing; the rest is
 * written (MAMORI_E_IO when a file of the record could not be).
 * MAMORI_E_INVAL, with nothing written, when dir exists or cannot be
 * made. */
MAMORI_API mamori_err mamori_incident_write(mamori_incident *inc,
                                            const mamori_ctx *ctx,
                                            const char *dir);

#ifdef __cplusplus
}
#endif
#endif
