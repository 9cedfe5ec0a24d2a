/*
 * normalize.h — undo the encodings an attacker wraps a payload in, so the
 * detectors (detect_*.c) see what the application finally sees.
 *
 * Decoding repeats (MR_NORM_PASSES at most) while anything changes, which
 * undoes double and triple encoding: %XX, %uXXXX, \xXX and \uXXXX
 * (look-alike punctuation and fullwidth forms fold to ASCII, encoded or
 * raw UTF-8), '+' as space (first pass, query mode only), HTML entities
 * (&#60; &#x3c; &lt; ...), overlong UTF-8 (%c0%ae, %e0%80%ae, IIS's
 * %c1%1c). Then ASCII is lowercased, and in path mode backslashes become
 * slashes. SQL comments and whitespace tricks are left to the SQL
 * tokenizer (detect_sqli.c), which treats them as tokens and spaces.
 *
 * All functions write into a caller buffer of `cap` bytes, never past it,
 * never NUL-terminate, and return the length written: input beyond what
 * fits is dropped (truncation). Any byte sequence is valid input.
 */
#ifndef MR_NORMALIZE_H
#define MR_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>

#define MR_NORM_PASSES 4        /* decoding passes: quadruple encoding */
#define MR_NORM_MAX 8192        /* bytes of a request part the detectors see */
/* Stray '%' signs (starting no escape) left after the first decoding
 * pass, from which on they are dropped, as ASP does ("%S%E%L%E%C%T"):
 * the pre-check (detect_precheck.h) counts them too. */
#define MR_STRAY_PERCENT_MIN 4

enum {
    MR_NORM_PLUS = 1u << 0,     /* '+' is a space (query strings) */
    MR_NORM_PATH = 1u << 1,     /* '\' is '/' (paths) */
    MR_NORM_KEEP_CASE = 1u << 2 /* no lowercasing: the same bytes at the same
                                 * offsets, in the sender's case (evidence) */
};

/* Decodes and lowercases in[0..n) into out (see above). */
size_t mr_normalize_part(const char *in, size_t n, char *out, size_t cap,
                         unsigned flags);

/* The bytes of the HTML entity decoding would take at s[0] (an '&'),
 * 0 when none starts there. */
size_t mr_entity_len(const char *s, size_t n);
/* Can an entity start with "&c"? (false: mr_entity_len is 0 there) */
bool mr_entity_may_start(unsigned char c);

/* A raw query value that is base64 (standard or URL-safe, padding as
 * '=' or %3D, '+' '/' possibly percent-encoded) of printable text,
 * decoded into out (lowercased when lower); returns the length, 0 when
 * the value is no base64 of text (base64.c). */
size_t mr_base64_text(const char *v, size_t n, char *out, size_t cap, bool lower);

/* Resolves "." and ".." segments and collapses "//" of a normalized path,
 * in place; returns the new length. A ".." above the root is dropped. */
size_t mr_path_canonical(char *p, size_t n);

#endif
