/*
 * fuzz_password_breachlist.c — arbitrary bytes as a user's breach list
 * (--breach-list: plain passwords, or Pwned Passwords SHA-1 / NTLM
 * "HASH:COUNT" lines). The reader must never crash or read past the
 * input, whatever the line shapes; when it accepts the list, every line
 * it could have used must be found again (no false negatives), which the
 * harness checks for the first line.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/password.h"

static mamori_password_checker *checker;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!checker && mamori_password_checker_new(NULL, &checker))
        return 0;
    char *copy = malloc(size ? size : 1); /* exact-size: overruns trap */
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    if (mamori_password_checker_add_breach_data(checker, NULL, "fuzz", copy,
                                                size) == MAMORI_OK &&
        mamori_password_breach_list_format(checker) == MAMORI_BREACH_PLAIN) {
        /* a plain list's first line, if short enough, is in the filter */
        size_t n = 0;
        while (n < size && copy[n] != '\n')
            n++;
        if (n > 0 && copy[n - 1] == '\r')
            n--;
        if (n > 0 && n <= MAMORI_PASSWORD_MAX &&
            !mamori_password_breached(checker, copy, n))
            abort();
    }
    free(copy);
    return 0;
}
