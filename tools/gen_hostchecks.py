#!/usr/bin/env python3
"""gen_hostchecks.py — compiles data/hostchecks/NAME.conf, the rules of
`mamori host`, into the C table lib/hostcheck reads (mr_hc_rules()).

Usage: gen_hostchecks.py RULES.c CONF...

Each rule is a block of "key: value" lines, blocks separated by blank
lines; '#' starts a comment line; a value continues on following lines
that start with whitespace (joined with one space). Keys:

  rule      the stable rule id (letters, digits, '-'), unique
  check     the check id (data/checks/<id>.check) for texts and
            countermeasures; the table names it as MR_CHECK_<ID>, so a
            check that does not exist fails the compile
  severity  info low medium high critical
  source    sshd sysctl logindefs mode package passwd-uid0 shadow-empty
            system-shell hostkey sudoers package-missing exists contains
            limits keyvalue logrotate firewall mode-tree root-path home-modes pam
            journald journald-size
            (what each reads and judges: lib/hostcheck/hostcheck.h)
  file      the system file read or judged (or where the fix goes)
  setting   keyword, sysctl key, or (package) the package names
  judge     in not-in le ge none-of present ge-span all-in narrow (sshd,
            sysctl, logindefs, keyvalue; default in; present: sshd, one
            of the keywords `setting` names is set; ge-span: a systemd
            time span of at least `limit` seconds, or 0; all-in: a list
            split at ';', ',' and blanks, not empty, every item one of
            `words`; narrow: exim's relay list as update-exim4.conf reads
            it, items between ';' only, maybe empty, with no item "*",
            "*.com", "^regex", unreadable, or a network of fewer than
            `limit` bits, 4 x `limit` for IPv6 outside fc00::/7 and
            fe80::/10); contains: not-in makes a matching line the finding
  words     space-separated values; '*' at the end matches a prefix
  limit     a number: le's and ge's bound, mode's forbidden bits (octal with a
            leading 0), system-shell's first UID of people
  unset     the value when nothing sets it (the program's default);
            absent: an unset setting is not judged
  group     mode: a group allowed beside root
  ref       the CIS Debian benchmark recommendation / Lynis test
  fix       the exact change to make (NAME, FILE, KEY: the account,
            file or key found, where the source says)
  fix.ja    the fix in Japanese where `fix` has words beside the commands
            (the same NAME, FILE, KEY); absent: `fix` in every language
  area      ssh accounts files kernel services logging security: the
            report's and the hardening index's area (default: by source)
  view      which reviews run the rule, space-separated: host (`mamori
            host`, the audit's host row), password (`mamori password
            policy`); default host
  evidence  the evidence when a file sets the value, in place of the
            source's own words (VALUE: the value found)

The build fails on a missing or unknown key, an unknown source, judge or
severity, or a duplicate rule id: a typo in a rule never ships.
"""
import os
import re
import sys

# The C-literal and check-macro rules are gen_checks.py's: one of each.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_checks  # noqa: E402

SOURCES = {"sshd": "MR_HC_SSHD", "sysctl": "MR_HC_SYSCTL", "mode": "MR_HC_MODE",
           "package": "MR_HC_PACKAGE", "passwd-uid0": "MR_HC_PASSWD_UID0",
           "shadow-empty": "MR_HC_SHADOW_EMPTY",
           "system-shell": "MR_HC_SYSTEM_SHELL",
           "logindefs": "MR_HC_LOGINDEFS", "hostkey": "MR_HC_HOSTKEY",
           "sudoers": "MR_HC_SUDOERS",
           "package-missing": "MR_HC_PACKAGE_MISSING",
           "exists": "MR_HC_EXISTS", "contains": "MR_HC_CONTAINS",
           "limits": "MR_HC_LIMITS",
           "keyvalue": "MR_HC_KEYVALUE", "logrotate": "MR_HC_LOGROTATE",
           "firewall": "MR_HC_FIREWALL", "mode-tree": "MR_HC_MODE_TREE",
           "root-path": "MR_HC_ROOT_PATH", "home-modes": "MR_HC_HOME_MODES",
           "pam": "MR_HC_PAM", "journald": "MR_HC_JOURNALD",
           "journald-size": "MR_HC_JOURNALD_SIZE"}
VIEWS = {"host": "MR_HC_VIEW_HOST", "password": "MR_HC_VIEW_PASSWORD"}
JUDGES = {"in": "MR_HC_IN", "not-in": "MR_HC_NOT_IN", "le": "MR_HC_LE",
          "ge": "MR_HC_GE",
          "none-of": "MR_HC_NONE_OF", "present": "MR_HC_PRESENT",
          "ge-span": "MR_HC_GE_SPAN", "all-in": "MR_HC_ALL_IN",
          "narrow": "MR_HC_NARROW"}
AREAS = ["ssh", "accounts", "files", "kernel", "services", "logging",
         "security"]
SEVERITIES = {"info": "MAMORI_SEV_INFO", "low": "MAMORI_SEV_LOW",
              "medium": "MAMORI_SEV_MEDIUM", "high": "MAMORI_SEV_HIGH",
              "critical": "MAMORI_SEV_CRITICAL"}
REQUIRED = ["rule", "check", "severity", "source", "file", "setting", "fix"]
OPTIONAL = ["judge", "words", "limit", "unset", "group", "ref", "area",
            "fix.ja", "view", "evidence"]


def parse(path):
    rules, cur, key = [], None, None
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if line.lstrip().startswith("#"):
                continue
            if not line.strip():
                if cur:
                    rules.append((path, cur))
                cur, key = None, None
                continue
            if line[0] in " \t":
                if key is None:
                    sys.exit(f"{path}:{n}: continuation before any key")
                cur[key] += " " + line.strip()
                continue
            if ":" not in line:
                sys.exit(f"{path}:{n}: expected 'key: value'")
            key, value = line.split(":", 1)
            key = key.strip()
            if key not in REQUIRED + OPTIONAL:
                sys.exit(f"{path}:{n}: unknown key {key}")
            cur = cur if cur is not None else {}
            if key in cur:
                sys.exit(f"{path}:{n}: duplicate key {key}")
            cur[key] = value.strip()
    if cur:
        rules.append((path, cur))
    return rules


def c_str(s):
    """A C string literal of s (UTF-8, octal escapes); NULL for None."""
    return "NULL" if s is None else gen_checks.c_str(s)


def check_macro(check_id):
    return gen_checks.macro_name(check_id)


def main():
    out, confs = sys.argv[1], sys.argv[2:]
    rows, seen = [], set()
    for path in confs:
        for where, r in parse(path):
            for k in REQUIRED:
                if not r.get(k):
                    sys.exit(f"{where}: rule {r.get('rule', '?')}: missing {k}")
            if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", r["rule"]):
                sys.exit(f"{where}: rule id {r['rule']!r}: letters, digits, '-'")
            if r["rule"] in seen:
                sys.exit(f"{where}: duplicate rule {r['rule']}")
            seen.add(r["rule"])
            for k, table in (("source", SOURCES), ("severity", SEVERITIES),
                             ("judge", JUDGES)):
                v = r.get(k, "in")
                if v not in table:
                    sys.exit(f"{where}: rule {r['rule']}: unknown {k} {v}")
            if not re.fullmatch(r"[a-z0-9.-]+", r["check"]):
                sys.exit(f"{where}: rule {r['rule']}: bad check id")
            limit = r.get("limit", "0")
            try:
                limit = int(limit, 8) if limit.startswith("0") and len(limit) > 1 \
                    else int(limit)
            except ValueError:
                sys.exit(f"{where}: rule {r['rule']}: limit {limit!r} "
                         "is not a number")
            if not all(f.startswith("/") for f in r["file"].split()):
                sys.exit(f"{where}: rule {r['rule']}: file must be absolute")
            if r.get("area", "ssh") not in AREAS:
                sys.exit(f"{where}: rule {r['rule']}: unknown area "
                         f"{r['area']}")
            views = r.get("view", "host").split()
            if not views or any(v not in VIEWS for v in views):
                sys.exit(f"{where}: rule {r['rule']}: unknown view "
                         f"{r.get('view')!r}")
            rows.append(
                "    {%s, %s, %s, %s,\n     %s, %s, %s,\n     %s, %dL, %s, %s,"
                "\n     %s,\n     %s, %s, %s,\n     %s, %s},\n" % (
                    c_str(r["rule"]), check_macro(r["check"]),
                    SEVERITIES[r["severity"]], SOURCES[r["source"]],
                    c_str(r["file"]), c_str(r["setting"]),
                    JUDGES[r.get("judge", "in")], c_str(r.get("words")),
                    limit, c_str(r.get("unset")), c_str(r.get("group")),
                    c_str(r.get("ref")), c_str(r["fix"]),
                    c_str(r.get("area")), c_str(r.get("fix.ja")),
                    " | ".join(VIEWS[v] for v in views),
                    c_str(r.get("evidence"))))
    with open(out, "w", encoding="utf-8") as f:
        f.write("/* Generated by tools/gen_hostchecks.py from "
                "data/hostchecks/NAME.conf: do not edit. */\n"
                '#include "common.h"\n\n#include "hostcheck/hostcheck.h"\n'
                '#include "check_ids.h"\n\n'
                "static const mr_hc_rule rules[] = {\n")
        f.write("".join(rows))
        f.write("};\n\nconst mr_hc_rule *mr_hc_rules(size_t *n)\n{\n"
                "    *n = MR_ARRAY_LEN(rules);\n    return rules;\n}\n")


if __name__ == "__main__":
    main()
