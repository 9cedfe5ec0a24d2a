/*
 * probe_ssh.c — which ways of logging in an SSH server offers a stranger:
 * libssh connects (key exchange only; the host key is not checked, since
 * nothing secret is sent), asks for the "none" method as user
 * "mamori-probe", and reads the list of methods the server answers with,
 * as `ssh -v` shows it. "password" or "keyboard-interactive" in it means
 * a guessed password can get in. One deadline covers the exchange; no
 * configuration file of this user (~/.ssh/config, keys, known_hosts) is
 * read.
 */
#include "common.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <libssh/libssh.h>

#include "exposure/exposure.h"

#include "dlib_sonames.h"
#include "util/dlib.h"

/* libssh-4, opened where it is first needed (util/dlib.h). */
#define MR_SSH_FUNCS(X) \
    X(ssh_new) \
    X(ssh_free) \
    X(ssh_options_set) \
    X(ssh_connect) \
    X(ssh_disconnect) \
    X(ssh_userauth_none) \
    X(ssh_userauth_list)
MR_DLIB_DEFINE(ssh, MR_SONAME_SSH, "libssh-4", MR_SSH_FUNCS);

#define XP_SSH_USER "mamori-probe"

const char *mr_xp_ssh_unavailable(void)
{
    return mr_dlib_load(&mr_dlib_ssh) == 0 ? NULL : mr_dlib_error(&mr_dlib_ssh);
}

mr_xp_auth mr_xp_probe_ssh(int family, const uint8_t *addr, uint16_t port,
                           unsigned ms)
{
    char host[MR_XP_ADDR_MAX];
    if (!inet_ntop(family, addr, host, sizeof(host)))
        return MR_XP_AUTH_UNPROBED;
    if (mr_dlib_load(&mr_dlib_ssh) != 0)
        return MR_XP_AUTH_UNPROBED;
    ssh_session s = mr_sym_ssh_new();
    if (!s)
        return MR_XP_AUTH_UNPROBED;
    int off = 0, verbosity = SSH_LOG_NOLOG;
    unsigned int p = port;
    long sec = (long)(ms / 1000), usec = (long)(ms % 1000) * 1000;
    mr_xp_auth a = MR_XP_AUTH_UNPROBED;
    if (mr_sym_ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &off) ||
        mr_sym_ssh_options_set(s, SSH_OPTIONS_LOG_VERBOSITY, &verbosity) ||
        mr_sym_ssh_options_set(s, SSH_OPTIONS_HOST, host) ||
        mr_sym_ssh_options_set(s, SSH_OPTIONS_PORT, &p) ||
        mr_sym_ssh_options_set(s, SSH_OPTIONS_USER, XP_SSH_USER) ||
        mr_sym_ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &sec) ||
        mr_sym_ssh_options_set(s, SSH_OPTIONS_TIMEOUT_USEC, &usec))
        goto out;
    if (mr_sym_ssh_connect(s) != SSH_OK)
        goto out;
    int r = mr_sym_ssh_userauth_none(s, NULL);
    if (r == SSH_AUTH_SUCCESS) {
        a = MR_XP_AUTH_NONE;             /* no authentication at all */
    } else if (r == SSH_AUTH_DENIED || r == SSH_AUTH_PARTIAL) {
        int m = mr_sym_ssh_userauth_list(s, NULL);
        a = m & (SSH_AUTH_METHOD_PASSWORD | SSH_AUTH_METHOD_INTERACTIVE)
                ? MR_XP_AUTH_PASSWORD
                : MR_XP_AUTH_REQUIRED;
    }
    mr_sym_ssh_disconnect(s);
out:
    mr_sym_ssh_free(s);
    return a;
}
