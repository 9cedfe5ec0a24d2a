/*
 * fuzz_password_csv.c — arbitrary bytes as a password manager's CSV
 * export. Every entry handed out must lie within its bounds (the callback
 * reads every byte so the sanitizers see an overrun); the parser must
 * return without a crash on any input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "mamori/password.h"

static int touch(void *user, const mamori_pwcsv_entry *e)
{
    size_t *sum = user;
    for (size_t i = 0; i < e->site_len; i++)
        *sum += (unsigned char)e->site[i];
    for (size_t i = 0; i < e->user_len; i++)
        *sum += (unsigned char)e->user[i];
    for (size_t i = 0; i < e->password_len; i++)
        *sum += (unsigned char)e->password[i];
    if (e->password_len == 0 || e->password_len >= MAMORI_PWCSV_FIELD_MAX)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t sum = 0;
    mamori_pwcsv_format fmt;
    char *copy = malloc(size ? size : 1); /* exact-size: overruns trap */
    if (!copy)
        return 0;
    for (size_t i = 0; i < size; i++)
        copy[i] = (char)data[i];
    mamori_pwcsv_parse(copy, size, &fmt, touch, &sum);
    free(copy);
    return 0;
}
