/*
 * curl_syms.h — the functions of libcurl that web and dns call, opened
 * when the first request or URL needs them (util/dlib.h); curl_syms.c
 * defines the table. libcurl brings 30 libraries of its own (HTTP/2,
 * SSH, LDAP, Kerberos, IDN...): linked, they would cost every start of
 * mamori, a log scan's too, 8 ms.
 *
 * Where a CURL or CURLU is made, mr_curl_load() comes first; the others
 * take one. curl_easy_setopt and curl_easy_getinfo are called through
 * their pointers, so curl.h's compile-time check of each option's
 * argument type (a macro on their names) does not apply: pass long
 * for long options, as the calls here do.
 */
#ifndef MR_IO_CURL_SYMS_H
#define MR_IO_CURL_SYMS_H

#include <curl/curl.h>

#include "util/dlib.h"

#define MR_CURL_FUNCS(X) \
    X(curl_global_init) \
    X(curl_global_cleanup) \
    X(curl_easy_init) \
    X(curl_easy_cleanup) \
    X(curl_easy_reset) \
    X(curl_easy_setopt) \
    X(curl_easy_getinfo) \
    X(curl_easy_perform) \
    X(curl_easy_strerror) \
    X(curl_slist_append) \
    X(curl_slist_free_all) \
    X(curl_free) \
    X(curl_url) \
    X(curl_url_cleanup) \
    X(curl_url_get) \
    X(curl_url_set)
MR_DLIB_DECLARE(curl, MR_CURL_FUNCS);

/* libcurl opened (once per process): 0, or -1 with the reason in why
 * (which may be NULL). */
int mr_curl_load(char *why, size_t cap);

#endif
