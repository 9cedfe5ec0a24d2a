#!/usr/bin/env python3
"""authcheck.py FINDINGS.jsonl TRUTH.txt — compares authscan's findings
with the ground truth authgen wrote ("category source account" lines, '-'
for any). Fails (exit 1) when a truth campaign has no finding of its
category naming its source and account, or when a finding matches no
truth line (a normal user raised it). Prints one line per problem."""
import json
import sys


def main():
    findings = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
    findings = [f for f in findings if f.get("type") == "finding"]
    truth = [l.split() for l in open(sys.argv[2]) if l.strip()]
    bad = 0

    def matches(f, t):
        cat, src, acct = t
        return (f["category"] == cat
                and (src == "-" or src in f.get("sources", []))
                and (acct == "-" or acct in f.get("accounts", [])))

    for t in truth:
        if not any(matches(f, t) for f in findings):
            print("missed: %s" % " ".join(t))
            bad += 1
    for f in findings:
        if not any(matches(f, t) or (f["category"] == t[0] and t[1] == "-"
                                     and t[2] == "-") for t in truth):
            print("unexpected: %s %s %s" % (f["category"], f.get("sources"),
                                            f.get("accounts")))
            bad += 1
    print("%d truth lines, %d findings, %d problems" % (len(truth),
                                                       len(findings), bad))
    return 1 if bad else 0


sys.exit(main())
