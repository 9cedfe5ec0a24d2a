/*
 * stub_tcp.c — one DNS question over TCP for the stub resolver (stub.h),
 * when the UDP answer came back truncated (RFC 7766).
 *
 * Non-blocking throughout, so that the caller's deadline holds even
 * against a server that accepts and then says nothing or trickles one
 * byte at a time. The answer's length comes from the server: it is at
 * most MR_STUB_TCP_MAX by construction (two bytes), and the buffer is
 * allocated for exactly that.
 */
#include "common.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dns/resolver.h"
#include "dns/stub.h"

/* Waits for events on fd until until; 0 when ready, -1 on time out. */
static int wait_fd(int fd, short events, int64_t until)
{
    for (;;) {
        int64_t left = until - mr_now_ms();
        if (left <= 0)
            return -1;
        struct pollfd pfd = {fd, events, 0};
        int r = poll(&pfd, 1, (int)left);
        if (r > 0)
            return 0;
        if (r < 0 && errno != EINTR)
            return -1;
    }
}

/* Reads exactly n bytes into buf before until. */
static int read_all(int fd, uint8_t *buf, size_t n, int64_t until)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = recv(fd, buf + got, n - got, 0);
        if (r > 0) {
            got += (size_t)r;
            continue;
        }
        if (r == 0 || (errno != EAGAIN && errno != EINTR))
            return -1;
        if (wait_fd(fd, POLLIN, until) != 0)
            return -1;
    }
    return 0;
}

static int write_all(int fd, const uint8_t *buf, size_t n, int64_t until)
{
    size_t put = 0;
    while (put < n) {
        ssize_t r = send(fd, buf + put, n - put, MSG_NOSIGNAL);
        if (r > 0) {
            put += (size_t)r;
            continue;
        }
        if (r == 0 || (errno != EAGAIN && errno != EINTR))
            return -1;
        if (wait_fd(fd, POLLOUT, until) != 0)
            return -1;
    }
    return 0;
}

int mr_stub_tcp_exchange(const struct sockaddr_storage *sa,
                         unsigned sa_len, const uint8_t *q, size_t qn,
                         int64_t until, uint8_t **out, size_t *out_len)
{
    uint8_t frame[2 + MR_STUB_QUERY_MAX], len2[2];
    uint8_t *msg = NULL;
    int ret = -1;

    *out = NULL;
    *out_len = 0;
    if (qn > MR_STUB_QUERY_MAX)
        return -1;
    int fd = socket(sa->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                    0);
    if (fd < 0)
        return -1;
    if (connect(fd, (const struct sockaddr *)sa, (socklen_t)sa_len) != 0) {
        int soerr = 0;
        socklen_t el = sizeof soerr;
        if (errno != EINPROGRESS || wait_fd(fd, POLLOUT, until) != 0 ||
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &el) != 0 ||
            soerr != 0)
            goto out;
    }
    frame[0] = (uint8_t)(qn >> 8);
    frame[1] = (uint8_t)qn;
    memcpy(frame + 2, q, qn);
    if (write_all(fd, frame, qn + 2, until) != 0 ||
        read_all(fd, len2, 2, until) != 0)
        goto out;
    size_t n = (size_t)(len2[0] << 8 | len2[1]);
    if (n == 0 || n > MR_STUB_TCP_MAX || (msg = malloc(n)) == NULL ||
        read_all(fd, msg, n, until) != 0)
        goto out;
    *out = msg;
    *out_len = n;
    msg = NULL;
    ret = 0;
out:
    free(msg);
    close(fd);
    return ret;
}
