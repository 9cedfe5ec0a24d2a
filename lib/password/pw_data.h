/*
 * pw_data.h — the compiled-in password data, generated at build time:
 * pw_dict_data.c by tools/gen_password_data.py (dictionary table, prefix
 * and word bitmap, what the data was built from) and pw_breach_data.c by
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
/* 2^mr_pw_prefix_log2 slots of two bits, indexed by mr_pw_bit_index of
 * the raw FNV state of 5 bytes or more: bit 0 "some word may start with
 * these bytes", bit 1 "some word may be exactly these bytes". One load
 * answers both. Only
 * words whose rank is below brute force of their length (log10 rank <
 * 1.51851 per byte) are in the bitmaps; the table holds every word. */
extern const uint64_t mr_pw_prefix_bits[];
/* The same two bits, exactly, for a substring's first three bytes:
 * 2^18 slots indexed by the three bytes' MR_PW_TRI_CODE (pw_hash.h) as
 * c0 << 12 | c1 << 6 | c2. Bit 0: a longer
 * word starts with them; bit 1: they are a word. */
extern const uint64_t mr_pw_tri_bits[];
/* The same two bits as mr_pw_prefix_bits, in 2^mr_pw_rev_log2 slots, for
 * the common words only (rank up to 4096 in their list), from three bytes
 * on (words of four and more): what a reversed password is searched for. Small enough to stay in
 * the CPU's cache. */
extern const unsigned mr_pw_rev_log2;
extern const uint64_t mr_pw_rev_bits[];
/* The rarest word (log2 of its rank) a reversed password is matched
 * with: the bitmap above only filters, the table has every word. */
extern const unsigned mr_pw_rev_rank_log2_max;
/* The same two bits as mr_pw_prefix_bits for 4-byte substrings, the
 * length asked most, in 2^mr_pw_quad_log2 slots that stay in cache. */
extern const unsigned mr_pw_quad_log2;
extern const uint64_t mr_pw_quad_bits[];

extern const mr_fuse mr_pw_breach_builtin;

#endif
