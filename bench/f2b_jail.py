#!/usr/bin/env python3
"""f2b_jail.py — reads `fail2ban-regex -o row LOG FILTER` on standard input
and prints, per source, the failures the filter matched and whether a jail
with Debian's sshd defaults (maxretry 5 within findtime 600 s) would ban
it: "ADDR COUNT BAN|-", most failures first. fail2ban-regex itself tells
only which lines match; the jail's counting is what decides a ban."""
import collections
import sys


def main():
    fails = collections.defaultdict(list)
    for line in sys.stdin:
        line = line.strip().rstrip(',')
        if not line.startswith('['):
            continue
        parts = line[1:].split(',', 2)
        try:
            fails[parts[0].strip().strip("'\"")].append(float(parts[1]))
        except (IndexError, ValueError):
            continue
    for ip, ts in sorted(fails.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        ts.sort()
        banned = any(ts[i + 4] - ts[i] <= 600 for i in range(len(ts) - 4))
        print("%s %d %s" % (ip, len(ts), "BAN" if banned else "-"))
    return 0


sys.exit(main())
