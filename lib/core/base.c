/*
 * base.c — the small vocabulary every capability shares: error strings,
 * version, language and severity names, the run context and diagnostics.
 */
#include "common.h"

#include "mamori/mamori.h"

static const char *const err_names[] = {
    [0] = "success",
    [1] = "out of memory",
    [2] = "invalid argument",
    [3] = "input/output error",
    [4] = "unrecognized input format",
    [5] = "input over a size limit",
    [6] = "input ends early (truncated)",
    [7] = "compressed data is corrupt",
    [8] = "stopped by the caller",
    [9] = "internal error (please report)",
};

const char *mamori_strerror(mamori_err err)
{
    int i = -(int)err;
    if (i < 0 || (size_t)i >= MR_ARRAY_LEN(err_names))
        return "unknown error";
    return err_names[i];
}

const char *mamori_version(void)
{
    return MAMORI_VERSION;
}

int mamori_lang_parse(const char *s)
{
    if (!s)
        return -1;
    if (strncmp(s, "ja", 2) == 0 && (s[2] == '\0' || s[2] == '_' || s[2] == '-' || s[2] == '.'))
        return MAMORI_LANG_JA;
    if (strncmp(s, "en", 2) == 0 && (s[2] == '\0' || s[2] == '_' || s[2] == '-' || s[2] == '.'))
        return MAMORI_LANG_EN;
    if (strcmp(s, "C") == 0 || strcmp(s, "POSIX") == 0 || strncmp(s, "C.", 2) == 0)
        return MAMORI_LANG_EN;
    return -1;
}

static const char *const sev_names[MAMORI_SEV_COUNT] = {
    "info", "low", "medium", "high", "critical"};

const char *mamori_severity_name(mamori_severity s)
{
    if ((unsigned)s >= MAMORI_SEV_COUNT)
        return "unknown";
    return sev_names[s];
}

int mamori_severity_parse(const char *s)
{
    for (int i = 0; s && i < MAMORI_SEV_COUNT; i++)
        if (strcmp(s, sev_names[i]) == 0)
            return i;
    return -1;
}

void mamori_ctx_init(mamori_ctx *ctx)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->lang = MAMORI_LANG_EN;
    ctx->since = INT64_MIN;
    ctx->until = INT64_MAX;
}

#define MR_DIAG_MSG_MAX 512

void mamori_diagf(const mamori_ctx *ctx, mamori_diag_level level,
                  const char *file, uint64_t line, const char *fmt, ...)
{
    char msg[MR_DIAG_MSG_MAX];
    va_list ap;

    if (!ctx || !ctx->diag)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ctx->diag(ctx->diag_user, level, file, line, msg);
}
