/*
 * str.h — searching bytes that are not NUL-terminated: the literal
 * search every detector and parser would otherwise write again. The
 * haystack is a pointer and a length (the bound); the needle is a
 * NUL-terminated literal from the program, never from the input.
 */
#ifndef MR_UTIL_STR_H
#define MR_UTIL_STR_H

#include <stddef.h>

/* Offset of the first occurrence of lit in s[0..n), 0 for an empty lit,
 * -1 if none. Exact bytes: callers that want case-insensitive matching
 * search lowercased text for a lowercase literal. */
long mr_find(const char *s, size_t n, const char *lit);

#endif
