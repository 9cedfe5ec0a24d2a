/*
 * pw_data.h — the compiled-in password data, generated at build time:
 * pw_dict_data.c by tools/gen_password_data.py (dictionary table, prefix
 * bitmap, what the data was built from) and pw_breach_data.c by
 * tools/pw_mkfilter.c (the breach filter). All of it is read-only.
 *
 * Dictionary slot layout (32 bits): fingerprint (24, top bits of the
 * hash; never 0 in a used slot) | kind (3, MR_PW_DICT_*) | log2 rank (5).
 * Empty slots are 0; lookups probe linearly from hash & mask.
 */
#ifndef MR_PW_DATA_H
#define MR_PW_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "password/fuse.h"

enum {
    MR_PW_DICT_PASSWORD = 0,
    MR_PW_DICT_WORD = 1,
    MR_PW_DICT_JA_WORD = 2,
    MR_PW_DICT_NAME_JA = 3,
    MR_PW_DICT_NAME_EN = 4,
    MR_PW_DICT_DEFAULT = 5
};

extern const size_t mr_pw_dict_mask;
extern const size_t mr_pw_dict_entries;
extern const unsigned mr_pw_prefix_log2;
extern const char mr_pw_data_info[];
extern const uint32_t mr_pw_dict_slots[];
extern const uint64_t mr_pw_prefix_bits[];
/* bit (hash >> 20) & prefix mask: some word may have this hash */
extern const uint64_t mr_pw_word_bits[];

extern const mr_fuse mr_pw_breach_builtin;

#endif
