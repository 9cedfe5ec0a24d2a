/*
 * journal.c — login events from the systemd journal, read through
 * libsystemd: this machine's journal, or journal files copied into a
 * directory. A modern Debian keeps sshd's messages only there.
 *
 * Only entries of the programs authscan parses are read (matches on
 * SYSLOG_IDENTIFIER, OR-ed); each MESSAGE goes to the same message
 * parsers as a syslog line, with the entry's own timestamp (UTC) and the
 * local hour for --hours. Fields are capped at MAMORI_AUTHSCAN_LINE_MAX.
 */
#include "common.h"

#include <systemd/sd-journal.h>
#include <time.h>

#include "auth/scan.h"

#include "dlib_sonames.h"
#include "util/dlib.h"

/* libsystemd0, opened where it is first needed (util/dlib.h). */
#define MR_SYSTEMD_FUNCS(X) \
    X(sd_journal_add_match) \
    X(sd_journal_close) \
    X(sd_journal_get_data) \
    X(sd_journal_get_realtime_usec) \
    X(sd_journal_next) \
    X(sd_journal_open) \
    X(sd_journal_open_directory) \
    X(sd_journal_set_data_threshold)
MR_DLIB_DEFINE(systemd, MR_SONAME_SYSTEMD, "libsystemd0", MR_SYSTEMD_FUNCS);

static const char *const idents[] = {
    "sshd", "sshd-session", "sshd-auth", "vsftpd", "proftpd", "pure-ftpd",
    "dovecot", "postfix/smtpd", "postfix/submission/smtpd",
    "postfix/smtps/smtpd", "exim", "exim4", "su", "sudo",
};

/* The value of "NAME=value" field data, or an empty span. */
static mr_span field(sd_journal *j, const char *name)
{
    const void *d;
    size_t n, nl = strlen(name);
    if (mr_sym_sd_journal_get_data(j, name, &d, &n) < 0 || n <= nl ||
        ((const char *)d)[nl] != '=')
        return MR_SPAN_NULL;
    return mr_span_make((const char *)d + nl + 1,
                        MR_MIN(n - nl - 1, (size_t)MAMORI_AUTHSCAN_LINE_MAX));
}

mamori_err mamori_authscan_journal(mamori_authscan *as, const char *dir)
{
    sd_journal *j = NULL;
    const char *name = dir ? dir : "journal";
    if (mr_dlib_load(&mr_dlib_systemd) != 0) {
        mamori_diagf(as->ctx, MAMORI_DIAG_ERROR, name, 0,
                     "cannot open the journal: %s", mr_dlib_error(&mr_dlib_systemd));
        as->unreadable++;
        return MAMORI_E_IO;
    }
    int r = dir ? mr_sym_sd_journal_open_directory(&j, dir, 0)
                : mr_sym_sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY);
    if (r < 0) {
        mamori_diagf(as->ctx, MAMORI_DIAG_ERROR, name, 0,
                     "cannot open the journal: %s", strerror(-r));
        as->unreadable++;
        return MAMORI_E_IO;
    }
    mr_sym_sd_journal_set_data_threshold(j, MAMORI_AUTHSCAN_LINE_MAX);
    for (size_t i = 0; i < MR_ARRAY_LEN(idents); i++) {
        char m[64];
        snprintf(m, sizeof(m), "SYSLOG_IDENTIFIER=%s", idents[i]);
        if (mr_sym_sd_journal_add_match(j, m, 0) < 0) {
            mr_sym_sd_journal_close(j);
            return MAMORI_E_NOMEM;
        }
    }
    mamori_err ret = MAMORI_OK;
    as->file = name;
    for (;;) {
        r = mr_sym_sd_journal_next(j);
        if (r == 0)
            break;
        if (r < 0) {
            mamori_diagf(as->ctx, MAMORI_DIAG_WARN, name, 0,
                         "journal read error: %s (results cover what was read)",
                         strerror(-r));
            ret = MAMORI_E_CORRUPT;
            break;
        }
        as->journal_entries++;
        uint64_t usec;
        mr_auth_event ev;
        mr_auth_event_clear(&ev);
        if (mr_sym_sd_journal_get_realtime_usec(j, &usec) >= 0) {
            time_t t = (time_t)(usec / 1000000);
            struct tm tm;
            ev.time = (int64_t)t;
            if (localtime_r(&t, &tm))
                ev.hour = tm.tm_hour;
        }
        /* Each get_data call may reuse the buffer of the one before:
         * copy every field out before asking for the next. */
        char progbuf[MR_AUTH_PROG_MAX];
        mr_span prog = field(j, "SYSLOG_IDENTIFIER");
        if (prog.n == 0 || prog.n > MR_AUTH_PROG_MAX)
            continue;
        memcpy(progbuf, prog.p, prog.n);
        size_t prog_n = prog.n;
        mr_span pid = field(j, "_PID");
        uint64_t p;
        if (pid.n && mr_span_u64(pid, UINT32_MAX, &p) == 0)
            ev.pid = (uint32_t)p;
        mr_span msg = field(j, "MESSAGE");
        if (!msg.n)
            continue;
        size_t n = MR_MIN(msg.n, (size_t)MAMORI_AUTHSCAN_LINE_MAX);
        memcpy(as->buf, msg.p, n);
        if (mr_auth_parse_message(mr_span_make(progbuf, prog_n),
                                  mr_span_make(as->buf, n), &ev) == MR_PARSE_OK)
            mr_auth_scan_event(as, &ev);
    }
    mr_sym_sd_journal_close(j);
    return ret;
}
