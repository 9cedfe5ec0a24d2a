#!/usr/bin/env python3
"""fail2ban_logs.py — the login-log parsers against fail2ban's own filter
tests (Debian's fail2ban package ships them: fail2ban/tests/files/logs/,
read in place, never copied).

Usage: fail2ban_logs.py AUTH_LINES_TOOL KNOWN_FILE [LOGS_DIR]

fail2ban annotates each test line with a "failJSON" comment: whether its
filter must count the line as a failure ("match") and from which host.
For the services mamori reads (sshd, its journal messages, vsftpd,
ProFTPD, Pure-FTPd, Dovecot, Postfix SMTP AUTH, Exim's authenticators,
PAM), every line fail2ban
counts as a failed login in the filter mode that matches mamori's
meaning (sshd's and dovecot's normal mode, postfix's "auth" mode) must
be a failed login in mamori too (result failure or invalid-user), from
the same host as logged. Lines fail2ban does not count are printed when
mamori counts them, for the reader (fail2ban's modes differ: a PAM line
beside sshd's own is one attempt to both, which mamori's engine merges).
A difference listed in KNOWN_FILE (file, line, reason; tab-separated)
is reported as a known one, with its reason; any other fails. Skips
visibly when fail2ban's test logs are not installed.
"""
import json
import os
import subprocess
import sys

DEFAULT_DIR = "/usr/lib/python3/dist-packages/fail2ban/tests/files/logs"

# fail2ban test file -> (filter mode that means "a failed login", kind,
# and for filters that also ban other things, the text a login failure's
# line holds: Exim's filter bans relay and protocol abuse too)
FILES = {
    "sshd": ("normal", "syslog", None),
    "sshd-journal": ("normal", "journal", None),
    "vsftpd": ("normal", "syslog", None),
    "proftpd": ("normal", "syslog", None),
    "pure-ftpd": ("normal", "syslog", None),
    "dovecot": ("normal", "syslog", None),
    "postfix": ("auth", "syslog", None),
    "exim": ("normal", "syslog", " authenticator failed for "),
    "pam-generic": ("normal", "syslog", None),
}


def skip(why):
    print("1..1")
    print("ok 1 # SKIP " + why)
    sys.exit(0)


def applies(options, mode):
    """Whether a filterOptions list includes the mode we read."""
    if isinstance(options, dict):
        options = [options]
    for o in options:
        m = o.get("mode")
        if m == mode or (m is None and mode == "normal"):
            return True
    return False


def constraint_holds(expr, mode, name):
    opts = {} if mode == "normal" else {"mode": mode}
    try:
        return bool(eval(expr, {"__builtins__": {}}, {"opts": opts, "name": name}))
    except Exception:
        return True


def cases(path, mode):
    """(failJSON dict, log line) pairs that apply to mode."""
    name = "sshd"
    active = True
    pending = None
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if line.startswith("# filterOptions:"):
                try:
                    active = applies(json.loads(line.split(":", 1)[1]), mode)
                except ValueError:
                    active = False
                continue
            if line.startswith("# failJSON:"):
                try:
                    pending = json.loads(line.split(":", 1)[1])
                except ValueError:
                    pending = None
                continue
            if not line.strip() or line.startswith("#"):
                continue
            if pending is not None and active:
                c = pending.get("constraint")
                if c is None or constraint_holds(c, mode, name):
                    yield pending, line
            pending = None


def tool_line(kind, line):
    if kind == "syslog":
        return "S\t" + line
    # "srv sshd[13709]: message" as journalctl prints it
    parts = line.split(" ", 2)
    if len(parts) == 3 and parts[1].endswith(":"):
        prog = parts[1][:-1].split("[", 1)[0]
        return "M\t" + prog + "\t" + parts[2]
    return "M\t-\t" + line


def main():
    if len(sys.argv) < 3:
        print("usage: fail2ban_logs.py AUTH_LINES_TOOL KNOWN_FILE [LOGS_DIR]", file=sys.stderr)
        sys.exit(2)
    tool, known_file = sys.argv[1], sys.argv[2]
    logs = sys.argv[3] if len(sys.argv) > 3 else DEFAULT_DIR
    if not os.path.isdir(logs):
        skip("fail2ban's test logs are not installed (%s; Debian package fail2ban)" % logs)
    known = {}
    with open(known_file, encoding="utf-8") as f:
        for l in f:
            if l.startswith("#") or not l.strip():
                continue
            fields = l.rstrip("\n").split("\t")
            if len(fields) == 3:
                known[(fields[0], fields[1])] = fields[2]
    results = []
    n = 0
    tally = []
    for fname, (mode, kind, must) in FILES.items():
        path = os.path.join(logs, fname)
        if not os.path.exists(path):
            continue
        pairs = [(e, l) for e, l in cases(path, mode) if must is None or must in l]
        feed = "".join(tool_line(kind, l) + "\n" for _, l in pairs)
        out = subprocess.run([tool], input=feed.encode("utf-8", "surrogateescape"),
                             stdout=subprocess.PIPE, check=True).stdout.decode("utf-8", "replace")
        got = out.split("\n")
        want_fail = agree = extra = 0
        for (exp, line), res in zip(pairs, got):
            r, src, _acct = (res.split("\t") + ["", ""])[:3]
            failed = r in ("failure", "invalid-user")
            if exp.get("match"):
                want_fail += 1
                host = str(exp.get("host", ""))
                if failed and src == host:
                    agree += 1
                    continue
                n += 1
                what = "%s: fail2ban counts a failure from %s; mamori: %s %s" % (
                    fname, host, r, src or "(no source)")
                reason = known.get((fname, line))
                if reason:
                    results.append("ok %d - %s # known: %s" % (n, what, reason))
                else:
                    results.append("not ok %d - %s\n#   %s" % (n, what, line))
            elif failed:
                extra += 1
                print("# %s: mamori counts a failure fail2ban does not (%s): %s" % (
                    fname, exp.get("desc", "no reason given"), line))
        tally.append("%s %d/%d" % (fname, agree, want_fail))
        n += 1
        results.append("ok %d - %s: %d of %d failures fail2ban counts, the same in mamori"
                       "; %d more counted by mamori alone" % (n, fname, agree, want_fail, extra))
    if n == 0:
        skip("none of fail2ban's test logs for these services is installed")
    print("1..%d" % n)
    print("\n".join(results))
    print("# fail2ban's filter tests: " + ", ".join(tally))


if __name__ == "__main__":
    main()
