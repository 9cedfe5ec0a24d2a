/*
 * fuzz_logscan.c — hostile bytes through the whole log scan: format
 * detection, line parsing, normalization, detection, verdicts, the state
 * tables and the summary, on one thread.
 */
#include <stddef.h>
#include <stdint.h>

#include "mamori/logscan.h"

static int on_finding(void *user, const mamori_finding *f)
{
    (void)user;
    /* Touch what a writer would read. */
    volatile size_t n = f->evidence_len + f->nfields;
    (void)n;
    return 0;
}

static int on_summary(void *user, mamori_summary *s)
{
    (void)user;
    mamori_summary_free(s);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mamori_ctx ctx;
    mamori_logscan *ls;
    mamori_sink sink = {on_finding, on_summary, NULL};
    mamori_ctx_init(&ctx);
    ctx.threads = 1;
    mamori_logscan_opts opts = {.max_clients = 64, .max_paths = 64};
    if (mamori_logscan_new(&ctx, &opts, &ls) != MAMORI_OK)
        return 0;
    mamori_logscan_buffer(ls, "fuzz", data, size, &sink);
    mamori_logscan_finish(ls, &sink);
    mamori_logscan_free(ls);
    return 0;
}
