#!/usr/bin/env python3
"""rpmver_pairs.py — writes N pairs of RPM versions, "A B" a line, for
t0804-patch-rpm-versions.sh to compare with mamori and with librpm.

Usage: rpmver_pairs.py N SEED

The grammar follows what RHEL, Fedora, AlmaLinux and Rocky ship: an
optional epoch, a version of digit and letter runs joined by '.', '_',
'+', '~' (pre-releases) and '^' (snapshots), and an optional release
("1.el9", "3.fc38", "0.rc1.el8_9.2"); half the pairs compare a version
with a small mutation of itself, so the close calls come up often.
"""
import random
import sys

WORDS = ["el9", "el8", "el8_9", "fc38", "rc", "beta", "git", "a", "b",
         "z", "Z", "module", "alma", "rocky", "p"]
SEPS = [".", ".", ".", "_", "+", "~", "^"]


def run(r, digits):
    if digits:
        return r.choice(["0", "1", "2", "9", "10", "01", "007",
                         str(r.randrange(0, 100)), str(r.randrange(0, 10**6))])
    return r.choice(WORDS)


def part(r):
    s = run(r, True)
    for _ in range(r.randrange(0, 5)):
        s += r.choice(SEPS) + run(r, r.random() < 0.6)
    return s


def version(r):
    s = part(r)
    if r.random() < 0.7:
        s += "-" + part(r)
    if r.random() < 0.15:
        s = "%d:%s" % (r.randrange(0, 4), s)
    return s


def mutate(r, v):
    ops = [
        lambda s: s + r.choice(["~", "~rc1", ".0", "0", "^", "^git1", "a",
                                "-1", ".el9"]),
        lambda s: s.replace(".", ".0", 1),
        lambda s: s[:-1] if len(s) > 1 and s[-2] not in "-:" else s,
        lambda s: "0:" + s if ":" not in s else s,
        lambda s: s.replace("~", "", 1),
        lambda s: s.replace(".", "_", 1),
        lambda s: s,
    ]
    out = r.choice(ops)(v)
    return out if out and not out.endswith("-") else v


def main():
    n, seed = int(sys.argv[1]), int(sys.argv[2])
    r = random.Random(seed)
    out = []
    for _ in range(n):
        a = version(r)
        b = mutate(r, a) if r.random() < 0.5 else version(r)
        out.append("%s %s\n" % (a, b))
    sys.stdout.write("".join(out))


main()
