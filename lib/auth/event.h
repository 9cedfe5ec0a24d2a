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
    MR_AUTH_SESSION_END       /* a logged-in session ended (sshd pid) */
} mr_auth_result;

typedef enum mr_auth_service {
    MR_SVC_SSH = 0,
    MR_SVC_FTP,
    MR_SVC_WEB,
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
    ev->source_key = ev->account_key = 0;
    ev->source_fp = ev->account_fp = 0;
}

const char *mr_auth_service_name(mr_auth_service s);

#endif
