#!/usr/bin/env python3
"""spf_suite.py — runs the RFC 7208 SPF test suite (openspf.org, in
../shared/conformance/spf/, read in place, never copied) against libmamori.

Usage: spf_suite.py SUITE.yml SPF_SUITE_TOOL

The YAML suite is turned into a plain line format on the tool's stdin:
    doc  <hex description>               start of a document: empty zone
    rr   <hex name> <TYPE> <pref> <hex rdata>
    test <hex name> <hex helo> <hex host> <hex mailfrom> <results> <hex exp|->
where rdata is wire-like bytes (A: 4, AAAA: 16, TXT: strings joined,
MX/PTR/CNAME: the name) and results is a comma list of acceptable results.
The zone follows the suite's driver conventions (pyspf testspf.py): SPF
records are served as TXT too unless the name lists TXT records itself
("TXT: NONE" lists none); a TIMEOUT entry times out every query for a
type that no earlier entry of that name answered. The tool (spf_suite.c)
prints TAP and the tally; this script skips visibly when the suite or
python3-yaml is missing.
"""
import socket
import subprocess
import sys


def skip(why):
    print("1..1")
    print("ok 1 # SKIP " + why)
    sys.exit(0)


def raw(s):
    """Suite strings are latin-1: each char is one byte."""
    s = "" if s is None else str(s)
    try:
        return s.encode("latin-1")
    except UnicodeEncodeError:
        return s.encode("utf-8")


def hx(s):
    b = s if isinstance(s, bytes) else raw(s)
    return b.hex() if b else "-"


def zone_lines(name, entries):
    has_txt = any(isinstance(e, dict) and "TXT" in e for e in entries)
    out, copies = [], []
    for e in entries:
        if not isinstance(e, dict):          # a bare TIMEOUT
            out.append((str(e), 0, b""))
            continue
        for rtype, value in e.items():
            if value == "NONE":
                continue
            if rtype in ("TXT", "SPF"):
                parts = value if isinstance(value, list) else [value]
                data = b"".join(raw(p) for p in parts)
                out.append((rtype, 0, data))
                if rtype == "SPF" and not has_txt:
                    copies.append(("TXT", 0, data))
            elif rtype == "A":
                out.append(("A", 0, socket.inet_pton(socket.AF_INET, value)))
            elif rtype == "AAAA":
                out.append(("AAAA", 0,
                            socket.inet_pton(socket.AF_INET6, value)))
            elif rtype == "MX":
                out.append(("MX", int(value[0]), raw(value[1])))
            elif rtype in ("PTR", "CNAME"):
                out.append((rtype, 0, raw(value)))
            else:
                raise ValueError("unknown record type %r at %s" % (rtype, name))
    for t, pref, data in out + copies:
        yield "rr %s %s %d %s" % (hx(name), t, pref, data.hex() or "-")


def convert(docs):
    lines = []
    for doc in docs:
        if not doc:
            continue
        lines.append("doc " + hx(doc.get("description", "")))
        for name, entries in (doc.get("zonedata") or {}).items():
            lines.extend(zone_lines(name, entries or []))
        for name, t in (doc.get("tests") or {}).items():
            res = t["result"]
            res = ",".join(res) if isinstance(res, list) else str(res)
            exp = t.get("explanation")
            lines.append("test %s %s %s %s %s %s" % (
                hx(name), hx(t.get("helo", "")), hx(t.get("host", "")),
                hx(t.get("mailfrom", "")), res,
                hx(exp) if exp is not None else "-"))
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: spf_suite.py SUITE.yml SPF_SUITE_TOOL")
    path, tool = sys.argv[1], sys.argv[2]
    try:
        text = open(path, encoding="latin-1").read()
    except OSError:
        skip("RFC 7208 suite not found at " + path)
    try:
        import yaml
    except ImportError:
        skip("python3-yaml is not installed (scripts/install-deps.sh)")
    feed = convert(yaml.safe_load_all(text))
    count = sum(1 for line in feed.splitlines() if line.startswith("test "))
    sys.stdout.flush()
    sys.exit(subprocess.run([tool, str(count)],
                            input=feed.encode("ascii")).returncode)


if __name__ == "__main__":
    main()
