/*
 * pam_history.h — pam_mamori's history of old passwords, so that a
 * password changed on this machine cannot be set again. The file holds
 * one line per user: "user:HASH HASH ...", each HASH a salted crypt(3)
 * string (yescrypt where libcrypt has it), never a password. It is read
 * a line at a time (each within MR_HISTORY_LINE_MAX; a longer line cannot
 * be one of ours and is dropped), so its size never turns the check off,
 * and rewritten under an flock through a temporary file and rename(2),
 * mode 0600.
 */
#ifndef MR_PAM_HISTORY_H
#define MR_PAM_HISTORY_H

#include <stddef.h>

#define MR_HISTORY_LINE_MAX 32768   /* a user and 50 hashes fit easily */
#define MR_HISTORY_REMEMBER_MAX 50
#define MR_HISTORY_DEFAULT "/etc/security/mamori-history"

/* 1 if pw matches one of user's remembered hashes, 0 if not, -1 if the
 * file cannot be read (a missing file is 0). */
int mr_history_contains(const char *path, const char *user, const char *pw);
/* Adds the hash of pw at the front of user's list, keeping `remember`.
 * 0 on success, -1 on any error (errno kept). */
int mr_history_add(const char *path, const char *user, const char *pw,
                   unsigned remember);

#endif
