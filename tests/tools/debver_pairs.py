#!/usr/bin/env python3
"""debver_pairs.py — writes N pairs of realistic Debian versions, "A B" a
line, for t0801-patch-versions.sh to compare with mamori and with dpkg.

Usage: debver_pairs.py N SEED

The grammar follows what archives hold: an optional epoch, an upstream
version of digit and letter runs joined by '.', '+', '~' and '-' (only
when a revision follows), and an optional revision ("1", "2+deb12u3",
"0ubuntu1~22.04.1", "1+b2"). Half the pairs compare a version with a
small mutation of itself, so the close calls (a '~', a leading zero, one
more component) come up often, not only versions that differ at once.
"""
import random
import sys

SEPS = [".", ".", ".", "+", "~", "-"]
WORDS = ["rc", "beta", "alpha", "pre", "dfsg", "deb", "ubuntu", "git",
         "svn", "nmu", "really", "b", "a", "z", "Z", "A", "p"]


def run(r, digits_first=True):
    if digits_first or r.random() < 0.6:
        n = r.choice(["0", "1", "2", "9", "10", "01", "007", "12345",
                      str(r.randrange(0, 100)), str(r.randrange(0, 100000))])
        return n
    return r.choice(WORDS)


def upstream(r, allow_hyphen):
    parts = [run(r, True)]
    for _ in range(r.randrange(0, 5)):
        sep = r.choice(SEPS)
        if sep == "-" and not allow_hyphen:
            sep = "."
        parts.append(sep)
        parts.append(run(r, r.random() < 0.5))
    if r.random() < 0.1:
        parts.append("~")
    return "".join(parts)


def revision(r):
    return r.choice([
        lambda: str(r.randrange(0, 12)),
        lambda: "%d+deb%du%d" % (r.randrange(1, 4), r.randrange(9, 14),
                                 r.randrange(0, 12)),
        lambda: "%dubuntu%d" % (r.randrange(0, 3), r.randrange(0, 5)),
        lambda: "0ubuntu1~%d.%02d.%d" % (r.randrange(18, 25), r.choice([4, 10]),
                                         r.randrange(0, 3)),
        lambda: "%d+b%d" % (r.randrange(1, 4), r.randrange(1, 3)),
        lambda: upstream(r, False),
    ])()


def version(r):
    has_rev = r.random() < 0.7
    s = upstream(r, has_rev)
    if has_rev:
        s += "-" + revision(r)
    if r.random() < 0.1:
        s = "%d:%s" % (r.randrange(0, 4), s)
    return s


def mutate(r, v):
    ops = [
        lambda s: s + r.choice(["~", "~rc1", ".0", "0", "+b1", "a", "-1"]),
        lambda s: s.replace(".", ".0", 1),
        lambda s: s[:-1] if len(s) > 1 and s[-2] not in "-:" else s,
        lambda s: "1:" + s if ":" not in s else s,
        lambda s: s.replace("~", "", 1),
        lambda s: s.replace("-", "~1-", 1),
        lambda s: s,
    ]
    out = r.choice(ops)(v)
    return out if out and out[0].isdigit() and not out.endswith("-") else v


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
