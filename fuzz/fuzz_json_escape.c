/*
 * fuzz_json_escape.c — arbitrary bytes as a finding's evidence, fields and
 * list items through the JSON, text and HTML writers. The JSON lines and
 * the terminal text must hold no raw control byte (only the newlines the
 * writer puts between records), the HTML no raw control byte but tab and
 * newline; the sanitizers catch any overrun.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/report.h"

static void write_one(mamori_out_format fmt, const char *data, size_t size)
{
    mamori_writer_opts o;
    mamori_writer *w;
    mamori_finding f;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    size_t half = size / 2;
    const char *list[2] = {data, "x"};
    char *z = strndup(data, size); /* a NUL-terminated copy for the list */

    if (!out || !z)
        abort();
    list[0] = z;
    memset(&o, 0, sizeof(o));
    o.format = fmt;
    if (mamori_writer_new(out, &o, &w) != MAMORI_OK)
        abort();
    mamori_sink s = mamori_writer_sink(w);
    memset(&f, 0, sizeof(f));
    f.check = mamori_check_find("logscan.xss");
    f.severity = MAMORI_SEV_HIGH;
    f.category = "xss";
    f.file = z;
    f.line = 1;
    f.time = size ? (int64_t)(unsigned char)data[0] << 40 : INT64_MIN;
    f.evidence = data;
    f.evidence_len = half;
    mamori_finding_str(&f, "request", data + half, size - half);
    mamori_finding_str(&f, "user_agent", data, size);
    mamori_finding_list(&f, "sources", list, 2, size);
    s.finding(s.user, &f);
    if (mamori_writer_finish(w) != MAMORI_OK)
        abort();
    mamori_writer_free(w);
    fclose(out);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)buf[i];
        int ok = c >= 0x20 && c != 0x7f;
        ok = ok || c == '\n' || (fmt == MAMORI_OUT_HTML && c == '\t');
        if (!ok)
            abort();
    }
    free(buf);
    free(z);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    write_one(MAMORI_OUT_JSON, (const char *)data, size);
    write_one(MAMORI_OUT_TEXT, (const char *)data, size);
    write_one(MAMORI_OUT_HTML, (const char *)data, size);
    return 0;
}
