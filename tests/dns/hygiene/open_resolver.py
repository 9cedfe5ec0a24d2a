#!/usr/bin/env python3
"""open_resolver.py ADDR PORT ZONE — a stand-in for an open resolver on
a loopback address (no Debian resolver is needed, and nothing leaves
127.0.0.0/8): questions about ZONE get an authoritative (AA) answer with
no records, every other question with RD set gets a made-up recursive
answer (RA set, one A record 127.0.0.1), as a resolver that recurses for
strangers would. UDP only; the hygiene test talks to it."""
import socket
import struct
import sys

addr, port, zone = sys.argv[1], int(sys.argv[2]), sys.argv[3].lower().rstrip(".")
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((addr, port))


def qname(msg):
    i, labels = 12, []
    while i < len(msg) and msg[i] != 0:
        n = msg[i]
        labels.append(msg[i + 1:i + 1 + n].decode("ascii", "replace"))
        i += 1 + n
    return ".".join(labels).lower(), i + 5  # end of the question


while True:
    msg, peer = s.recvfrom(4096)
    if len(msg) < 17:
        continue
    name, qend = qname(msg)
    rd = msg[2] & 1
    question = msg[12:qend]
    if name == zone or name.endswith("." + zone):
        flags = 0x8400 | rd << 8          # QR AA (RD echoed)
        reply = msg[:2] + struct.pack(">HHHHH", flags, 1, 0, 0, 0) + question
    elif rd:
        flags = 0x8080 | 0x0100           # QR RD RA
        answer = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + bytes([127, 0, 0, 1])
        reply = msg[:2] + struct.pack(">HHHHH", flags, 1, 1, 0, 0) + question + answer
    else:
        flags = 0x8005                    # QR REFUSED
        reply = msg[:2] + struct.pack(">HHHHH", flags, 1, 0, 0, 0) + question
    s.sendto(reply, peer)
