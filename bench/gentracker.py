#!/usr/bin/env python3
"""gentracker.py — the data of the patch benchmark (bench/patch.sh): one
generated world written three ways, so mamori and debsecan judge the same
vulnerabilities on the same packages.

  OUT/root/                  a Debian 12 (bookworm) root: /etc/os-release,
                             /var/lib/dpkg/status with PACKAGES binary
                             packages (about two per source package), and
                             apt's lists for bookworm main and
                             bookworm-security with their InRelease files
                             (one package in ten has a newer candidate,
                             one in three of those from the security suite)
  OUT/tracker.json           the Debian security tracker's JSON export
                             (https://security-tracker.debian.org/tracker/
                             data/json), CVES entries over SOURCES source
                             packages, each with the five releases the real
                             export carries (bullseye, bookworm, trixie,
                             forky, sid), descriptions and repositories:
                             about 70 MB as the real file is
  OUT/debsecan/bookworm      the same vulnerabilities in the feed debsecan
                             downloads from the tracker (zlib-compressed
                             "VERSION 1" text, read by fetch_data() in
                             /usr/bin/debsecan): one line per CVE, one per
                             (source, CVE) of the suite, then each source's
                             binary packages; `debsecan --suite bookworm
                             --source file://OUT/debsecan/` reads it

The bookworm entries are spread as the real export spreads them: most
resolved at a version older than the installed one, some resolved at a
newer version (fix released, not installed), some open, postponed,
ignored or unimportant. Source packages in the tracker that are not
installed are most of the file, as on a real machine.

Output is deterministic (fixed seed): the same arguments write the same
bytes. usage: python3 bench/gentracker.py OUT [PACKAGES CVES SOURCES]
(default 3000 40000 6000).
"""
import os
import random
import sys
import zlib

RELEASES = ("bullseye", "bookworm", "trixie", "forky", "sid")
URGENCIES = ("not yet assigned", "low", "medium", "high", "unimportant")
WORDS = ("buffer overflow in the parser allows remote attackers to cause a "
         "denial of service or possibly execute arbitrary code via a crafted "
         "file; an out-of-bounds read in the decoder when handling "
         "malformed input leads to information disclosure; use-after-free "
         "in the session handling; integer overflow in length computation "
         "permits heap corruption; improper certificate validation lets "
         "a man-in-the-middle spoof servers").split()


def jstr(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class World:
    def __init__(self, npkgs, ncves, nsources):
        rnd = random.Random(13)
        self.rnd = rnd
        # source packages: name, installed version, binaries
        self.sources = []
        installed_sources = max(1, npkgs // 2)
        for i in range(nsources):
            name = "src%05d" % i
            major, rev = rnd.randint(1, 9), rnd.randint(2, 9)
            ver = "%d.%d.%d-%d" % (major, rnd.randint(0, 30),
                                   rnd.randint(0, 9), rev)
            if rnd.random() < 0.2:
                ver = "1:" + ver
            self.sources.append({"name": name, "ver": ver, "rev": rev,
                                 "bins": [], "installed": i < installed_sources})
        # binaries: two per installed source, the rest of the count spread
        self.pkgs = []
        for i in range(npkgs):
            s = self.sources[i % installed_sources]
            b = "%s-bin%d" % (s["name"], len(s["bins"]))
            s["bins"].append(b)
            self.pkgs.append((b, s))
        for s in self.sources[installed_sources:]:
            s["bins"] = ["%s-bin0" % s["name"]]
        # CVEs: ids and the source each belongs to
        self.cves = []
        for i in range(ncves):
            s = self.sources[rnd.randrange(nsources)]
            year = 2005 + i * 21 // ncves
            cid = "CVE-%d-%d" % (year, 10000 + i)
            desc = " ".join(rnd.choice(WORDS)
                            for _ in range(rnd.randint(95, 170)))
            self.cves.append((cid, s, desc, self.judge(s)))
        self.cves.sort(key=lambda c: (c[1]["name"], c[0]))

    def judge(self, s):
        """bookworm's entry for one CVE of source s: (status, fixed,
        urgency, nodsa_reason)."""
        rnd, ver = self.rnd, s["ver"]
        up = ver.rsplit("-", 1)[0]
        r = rnd.random()
        urg = URGENCIES[rnd.randrange(4)]
        if r < 0.70:   # fixed long ago: older than the installed version
            return ("resolved", "%s-%d" % (up, s["rev"] - 1), urg, "")
        if r < 0.74:   # never affected
            return ("resolved", "0", urg, "")
        if r < 0.82:   # fix released, not installed
            return ("resolved", "%s+deb12u%d" % (ver, rnd.randint(1, 3)),
                    urg, "")
        if r < 0.88:
            return ("open", "", urg, "")
        if r < 0.92:
            return ("open", "", urg, "postponed")
        if r < 0.94:
            return ("open", "", urg, "ignored")
        if r < 0.97:
            return ("resolved", "%s-%d" % (up, s["rev"] - 1),
                    "unimportant", "")
        return ("undetermined", "", "not yet assigned", "")


def write_tracker(w, path):
    with open(path, "w") as f:
        f.write("{")
        cur, first_src = None, True
        for cid, s, desc, (st, fixed, urg, nodsa) in w.cves:
            if s is not cur:
                if cur is not None:
                    f.write("}")
                f.write(("" if first_src else ", ") + jstr(s["name"]) + ": {")
                first_src, cur, first = False, s, True
            rel = []
            for codename in RELEASES:
                if codename == "bookworm":
                    e_st, e_fix, e_urg, e_nodsa = st, fixed, urg, nodsa
                else:
                    e_st, e_fix, e_urg, e_nodsa = ("resolved", s["ver"] +
                                                   "+1", urg, "")
                repos = {codename: s["ver"]}
                if codename in ("bullseye", "bookworm"):
                    repos[codename + "-security"] = s["ver"] + "+sec1"
                fields = ['"status": ' + jstr(e_st),
                          '"repositories": {' + ", ".join(
                              jstr(k) + ": " + jstr(v)
                              for k, v in repos.items()) + "}"]
                if e_fix:
                    fields.append('"fixed_version": ' + jstr(e_fix))
                fields.append('"urgency": ' + jstr(e_urg))
                if e_nodsa:
                    fields.append('"nodsa": "Minor issue"')
                    fields.append('"nodsa_reason": ' + jstr(e_nodsa))
                rel.append(jstr(codename) + ": {" + ", ".join(fields) + "}")
            f.write(("" if first else ", ") + jstr(cid) + ': {"description": '
                    + jstr(desc) + ', "scope": "remote", "debianbug": '
                    + str(900000 + int(cid.rsplit("-", 1)[1]))
                    + ', "releases": {' + ", ".join(rel) + "}}")
            first = False
        if cur is not None:
            f.write("}")
        f.write("}\n")


def write_debsecan(w, path):
    """debsecan's feed for the suite bookworm, as fetch_data() parses it:
    'VERSION 1', then 'CVE,FLAGS,DESCRIPTION' lines (numbered from 0 in
    order), a blank line, 'PACKAGE,VNUM,FLAGS,FIXED,OTHER' lines where
    FLAGS is S|B, urgency ' '/L/M/H, remote R/?/' ', F when a fix is out,
    a blank line, then 'SOURCE,BIN BIN...'."""
    names, vulns = [], []
    ucode = {"low": "L", "medium": "M", "high": "H"}
    for cid, s, desc, (st, fixed, urg, nodsa) in w.cves:
        if fixed == "0":
            continue   # not affected in bookworm: the tracker leaves it out
        n = len(names)
        names.append("%s,,%s" % (cid, desc[:70]))
        flags = "S" + ucode.get(urg, " ") + "R" + ("F" if fixed else " ")
        vulns.append("%s,%d,%s,%s," % (s["name"], n, flags, fixed))
    lines = ["VERSION 1"] + names + [""] + vulns + [""]
    lines += ["%s,%s" % (s["name"], " ".join(s["bins"])) for s in w.sources]
    lines.append("")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(zlib.compress(("\n".join(lines) + "\n").encode(), 6))


def stanza(name, s, ver, status):
    src = s["name"]
    if ver != s["ver"] and not ver.startswith(s["ver"]):
        src += " (%s)" % s["ver"]
    out = "Package: %s\n" % name
    if status:
        out += "Status: install ok installed\n"
    out += ("Priority: optional\nSection: misc\nInstalled-Size: 1024\n"
            "Maintainer: Bench <bench@example.org>\nArchitecture: amd64\n"
            "Source: %s\nVersion: %s\nDepends: libc6 (>= 2.36)\n"
            "Description: generated package %s\n a package of the "
            "patch benchmark.\n\n" % (src, ver, name))
    return out


def write_root(w, root):
    rnd = random.Random(1301)
    for d in ("etc", "var/lib/dpkg", "var/lib/apt/lists"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    with open(os.path.join(root, "etc/os-release"), "w") as f:
        f.write('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'
                'NAME="Debian GNU/Linux"\nVERSION_ID="12"\n'
                'VERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\n'
                'ID=debian\n')
    main, sec = [], []
    with open(os.path.join(root, "var/lib/dpkg/status"), "w") as f:
        for name, s in w.pkgs:
            f.write(stanza(name, s, s["ver"], True))
            r = rnd.random()
            if r < 0.033:
                sec.append(stanza(name, s, s["ver"] + "+deb12u1", False))
            elif r < 0.10:
                main.append(stanza(name, s, s["ver"] + "+b1", False))
            else:
                main.append(stanza(name, s, s["ver"], False))
    lists = os.path.join(root, "var/lib/apt/lists")
    for host, suite, label, stanzas in (
            ("deb.debian.org_debian", "bookworm", "Debian", main),
            ("deb.debian.org_debian-security", "bookworm-security",
             "Debian-Security", sec)):
        base = "%s_dists_%s" % (host, suite)
        with open(os.path.join(lists, base + "_InRelease"), "w") as f:
            f.write("Origin: Debian\nLabel: %s\nSuite: %s\nCodename: %s\n"
                    "Date: Sat, 05 Dec 2026 03:33:28 UTC\n"
                    "Architectures: amd64\nComponents: main\n"
                    % (label, suite, suite))
        with open(os.path.join(lists, base + "_main_binary-amd64_Packages"),
                  "w") as f:
            f.write("".join(stanzas))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    npkgs, ncves, nsrc = (int(a) for a in (sys.argv[2:5] or
                                          ("3000", "40000", "6000")))
    w = World(npkgs, ncves, nsrc)
    os.makedirs(out, exist_ok=True)
    write_root(w, os.path.join(out, "root"))
    write_tracker(w, os.path.join(out, "tracker.json"))
    write_debsecan(w, os.path.join(out, "debsecan", "bookworm"))


if __name__ == "__main__":
    main()
