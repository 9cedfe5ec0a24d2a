/*
 * records_util.h — helpers shared by the record parsers of lib/dns
 * (taglist.c defines them): setting an error or a warning, quoting
 * hostile bytes for a message, trimming, finding a tag. Internal.
 */
#ifndef MR_DNS_RECORDS_UTIL_H
#define MR_DNS_RECORDS_UTIL_H

#include "dns/records.h"

void mr_rec_fail(mr_rec_error *err, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void mr_rec_warn(mr_rec_warnings *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Printable copy of s for a message (other bytes as \xHH), cut to fit
 * cap; returns the length written. */
int mr_span_quote(mr_span s, char *out, size_t cap);
mr_span mr_span_trim(mr_span s);
/* The tag of that (case-sensitive) name, or NULL. */
const mr_tag *mr_taglist_get(const mr_taglist *t, const char *name);

#endif
