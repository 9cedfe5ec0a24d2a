/*
 * event.h — one authentication attempt as a log line tells it, the unit
 * between the auth parsers (auth/parse.h) and the campaign engine
 * (auth/engine.h).
 *
 * Spans point into the line (or journal field) the parser was given, so
 * an event lives exactly as long as that buffer. A field the line does not
 * carry is an empty span, -1 or INT64_MIN.
 */
#ifndef MR_AUTH_EVENT_H
#define MR_AUTH_EVENT_H

#include <stdint.h>

#include "util/span.h"

typedef enum mr_auth_result {
    MR_AUTH_FAILURE = 0,      /* wrong password, refused, not allowed */
    MR_AUTH_INVALID_USER,     /* the account does not exist */
    MR_AUTH_SUCCESS,          /* logged in */
    MR_AUTH_SESSION_END,      /* a logged-in session ended (sshd pid) */
    MR_AUTH_PROBE             /* connected, never tried to log in */
} mr_auth_result;

/* How a failure line relates to the other lines of its process (pid):
 * sshd with UsePAM logs a pam_unix line before its own "Failed" line,
 * and summaries after; each attempt must count once (engine.c). */
typedef enum mr_auth_origin {
    MR_AO_DIRECT = 0,         /* the program's own line for one attempt */
    MR_AO_PAM,                /* pam_unix's first failure: counts unless
                               * a direct line of the same pid follows */
    MR_AO_TOTAL,              /* a summary of `count` attempts in all
                               * ("maximum ... exceeded", sudo's "3
                               * incorrect password attempts"): counts
                               * when no direct line told them */
    MR_AO_MORE,               /* "PAM N more authentication failures":
                               * `count` beyond the pam_unix line */
    MR_AO_PAM_ECHO            /* sshd's own "error: PAM: ... for U from A"
                               * of the try pam_unix just logged: takes
                               * the place of a pending pam_unix line of
                               * the pid, else waits as one */
} mr_auth_origin;

typedef enum mr_auth_service {
    MR_SVC_SSH = 0,
    MR_SVC_FTP,
    MR_SVC_WEB,
    MR_SVC_MAIL,              /* IMAP/POP3 (Dovecot), SMTP AUTH */
    MR_SVC_LOCAL,             /* su, sudo: a local user's password */
    MR_SVC_COUNT
} mr_auth_service;

typedef enum mr_auth_method {
    MR_AM_UNKNOWN = 0,
    MR_AM_PASSWORD,           /* password, keyboard-interactive, PAM */
    MR_AM_PUBLICKEY,          /* publickey, hostbased, gssapi */
    MR_AM_ANONYMOUS           /* anonymous / guest FTP */
} mr_auth_method;

typedef struct mr_auth_event {
    int64_t time;             /* unix seconds; INT64_MIN = unknown */
    int hour;                 /* hour of day as written (0..23), -1 */
    mr_span source;           /* remote address, as logged */
    mr_span account;          /* user name; empty when not logged */
    mr_auth_service service;
    mr_auth_method method;
    mr_auth_result result;
    uint32_t pid;             /* logging process id; 0 = unknown */
    int64_t session;          /* session length in seconds; -1 */
    uint32_t count;           /* attempts this line stands for (rsyslog's
                               * "message repeated N times", summaries) */
    uint8_t origin;           /* mr_auth_origin */
    uint8_t announce;         /* "Invalid user U from A": names the user,
                               * is not a password try of its own */
    /* The engine's hashes of source and account (mr_auth_engine_keys),
     * computed once where the event is made; 0 = not yet. */
    uint64_t source_key, account_key;    /* table hashes (keyed, random) */
    uint64_t source_fp, account_fp;      /* sketch bits (fixed seed) */
} mr_auth_event;

static inline void mr_auth_event_clear(mr_auth_event *ev)
{
    ev->time = INT64_MIN;
    ev->hour = -1;
    ev->source = MR_SPAN_NULL;
    ev->account = MR_SPAN_NULL;
    ev->service = MR_SVC_SSH;
    ev->method = MR_AM_UNKNOWN;
    ev->result = MR_AUTH_FAILURE;
    ev->pid = 0;
    ev->session = -1;
    ev->count = 1;
    ev->origin = MR_AO_DIRECT;
    ev->announce = 0;
    ev->source_key = ev->account_key = 0;
    ev->source_fp = ev->account_fp = 0;
}

const char *mr_auth_service_name(mr_auth_service s);

#endif
