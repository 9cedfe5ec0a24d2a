/*
 * fuzz_fleet_spool.c — arbitrary bytes as a spooled run (lib/fleet's
 * payload parser, which checks a file before `mamori push` sends it):
 * a payload accepted has every run field set, a valid UUID and host id,
 * grades within their maximum, and its finding lines inside the input,
 * whole and counted; nothing is read past the bytes given.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fleet/fleet_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly size bytes: a read past it is caught. */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    mr_run_rec rec;
    mamori_err e = mr_payload_parse(text, size, &rec);
    if (e == MAMORI_OK) {
        for (int i = 0; i < MR_RUN_FIELDS; i++)
            if (!rec.f[i])
                abort();
        if (strlen(rec.f[1]) != 36 || !mamori_fleet_host_id_ok(rec.f[2]) ||
            rec.ngrades > MR_GRADES_MAX)
            abort();
        for (size_t g = 0; g < rec.ngrades; g++)
            if (!rec.grade[g][0] || !rec.grade[g][1] || !rec.grade[g][2])
                abort();
        if (rec.nfindings) {
            if (rec.findings < text || rec.findings + rec.findings_len > text + size ||
                rec.findings[rec.findings_len - 1] != '\n' || rec.findings[0] != 'F')
                abort();
            size_t lines = 0;
            for (size_t i = 0; i < rec.findings_len; i++)
                lines += rec.findings[i] == '\n';
            if (lines != rec.nfindings)
                abort();
        }
        mr_run_rec_free(&rec);
    } else if (e != MAMORI_E_FORMAT && e != MAMORI_E_NOMEM) {
        abort();
    }
    free(text);
    return 0;
}
