/*
 * reader.h — cutting a decompressed byte stream into chunks of whole
 * lines for the log scan (logscan.c), and the two per-file decisions made
 * on the way: which format the file is in (from a sample of sane lines)
 * and, for W3C logs, which "#Fields:" layout is current at a chunk's end.
 * The cutting itself is io/lines.h's; a line longer than a whole chunk
 * becomes an "overlong marker" chunk.
 */
#ifndef MR_LS_READER_H
#define MR_LS_READER_H

#include "io/lines.h"
#include "logscan/chunk.h"

#define MR_LS_DETECT_SAMPLE (64 * 1024) /* bytes the format guess looks at */
#define MR_LS_DETECT_LINE_MAX 8192      /* longer lines are left out of it */
#define MR_LS_DETECT_CONTROL_MAX 2      /* control bytes a text line may hold */

typedef mr_line_reader mr_ls_reader;

/* Fills c with whole lines (or an overlong marker). 0 when nothing is
 * left. The reader's carry buffer is the caller's to allocate and free. */
int mr_ls_fill_chunk(mr_ls_reader *r, mr_chunk *c);

/* Copies whole readable lines (text: no NUL, at most
 * MR_LS_DETECT_CONTROL_MAX control bytes) of at most MR_LS_DETECT_LINE_MAX
 * bytes from the start of buf into sample (MR_LS_DETECT_SAMPLE bytes);
 * returns the length. *unreadable: most lines of buf are binary junk. */
size_t mr_ls_detect_sample(const char *buf, size_t len, char *sample, size_t *unreadable);

/* Does the sample (not a web access log) come from a login log that
 * `mamori authscan` reads: syslog lines of sshd, an FTP server, login,
 * su or sudo (auth.log, secure, a syslog with sshd), or vsftpd's own
 * log? Only a glance at the program names: authscan parses for real. */
bool mr_ls_login_log(const char *sample, size_t len);

/* The lines in buf (a last line without a newline counts). */
uint64_t mr_ls_count_lines(const char *buf, size_t len);

/* Applies the last "#Fields:" line of buf to fmt. */
void mr_ls_follow_directives(mr_logformat *fmt, const char *buf, size_t len);

#endif
