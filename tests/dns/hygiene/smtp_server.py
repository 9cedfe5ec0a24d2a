#!/usr/bin/env python3
"""smtp_server.py PORT CERT KEY — two tiny SMTP servers for the hygiene
test, enough to reach the end of a STARTTLS handshake: on 127.0.0.1:PORT
one that offers STARTTLS (and completes TLS with CERT/KEY), on
127.0.0.3:PORT one that does not. Each conversation: 220 greeting, EHLO
with a multi-line 250 reply, STARTTLS or QUIT."""
import socket
import ssl
import sys
import threading

port, cert, key = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)


def lines(f):
    for raw in f:
        yield raw.decode("ascii", "replace").strip().upper()


def serve(conn, tls):
    conn.settimeout(10)
    f = conn.makefile("rb")
    conn.sendall(b"220 mx.test ESMTP test\r\n")
    for cmd in lines(f):
        if cmd.startswith("EHLO"):
            ext = b"250-STARTTLS\r\n" if tls else b""
            conn.sendall(b"250-mx.test\r\n250-PIPELINING\r\n" + ext + b"250 8BITMIME\r\n")
        elif cmd == "STARTTLS" and tls:
            conn.sendall(b"220 go ahead\r\n")
            try:
                t = ctx.wrap_socket(conn, server_side=True)
                t.recv(1)
            except (OSError, ssl.SSLError):
                pass
            break
        elif cmd == "QUIT":
            conn.sendall(b"221 bye\r\n")
            break
        else:
            conn.sendall(b"502 no\r\n")
    conn.close()


def listen(addr, tls):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(16)
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c, tls), daemon=True).start()


threading.Thread(target=listen, args=("127.0.0.3", False), daemon=True).start()
listen("127.0.0.1", True)
