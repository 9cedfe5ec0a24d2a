/*
 * nft_syms.h — the functions of libnftables that exposure calls, opened
 * when the firewall is first read (util/dlib.h); nft.c defines the table.
 * mr_xp_fw_live() and mr_xp_nft_conf() load it before their first
 * nft_ctx_new (the latter before it forks: the child only calls).
 */
#ifndef MR_XP_NFT_SYMS_H
#define MR_XP_NFT_SYMS_H

#include <nftables/libnftables.h>

#include "util/dlib.h"

#define MR_NFT_FUNCS(X) \
    X(nft_ctx_new) \
    X(nft_ctx_free) \
    X(nft_ctx_buffer_error) \
    X(nft_ctx_buffer_output) \
    X(nft_ctx_get_error_buffer) \
    X(nft_ctx_get_output_buffer) \
    X(nft_ctx_output_set_flags) \
    X(nft_run_cmd_from_buffer)
MR_DLIB_DECLARE(nft, MR_NFT_FUNCS);

#endif
