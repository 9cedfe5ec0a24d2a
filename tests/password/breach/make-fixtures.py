#!/usr/bin/env python3
"""make-fixtures.py — writes the small Pwned-Passwords-style lists the
breach-list tests read (t0550-password-breachlist.sh, test_password.c).
SHA-1 from hashlib; the NT hash (MD4 of UTF-16LE) from the openssl
command with its legacy provider, so the fixtures do not come from
mamori's own MD4. Run once; the outputs are checked in.
"""
import hashlib
import subprocess

# In the lists: strong-looking passwords the built-in filter does not know,
# one with multi-byte characters (UTF-16 surrogates are not needed: the
# NT hash of BMP text), one stored in lower case.
LISTED = ["Vq3!zzTop#Kestrel", "Pl@id-Otter-91-Quill", "mixedcase!long#pass9",
          "東京タワー333m!Sky", "Zr7$hexKite!Lumen"]
# Decoys: in the lists too, never checked.
DECOYS = ["decoy-%d-Qx!" % i for i in range(40)]


def ntlm(pw):
    out = subprocess.run(["openssl", "dgst", "-md4", "-provider", "legacy",
                          "-provider", "default", "-r"],
                         input=pw.encode("utf-16le"), capture_output=True,
                         check=True).stdout.decode()
    return out.split()[0]


def write(path, digest, words):
    with open(path, "w", newline="") as f:
        for i, w in enumerate(sorted(words, key=digest)):
            f.write("%s:%d\r\n" % (digest(w).upper(), i * 7 + 1))


sha1 = lambda w: hashlib.sha1(w.encode()).hexdigest()
write("pwned-sha1.txt", sha1, LISTED + DECOYS)
write("pwned-ntlm.txt", ntlm, LISTED + DECOYS)
# Hostile: a valid SHA-1 list with junk between its lines.
with open("hostile-sha1.txt", "wb") as f:
    good = [sha1(w).upper() for w in LISTED + DECOYS]
    junk = [b"hello world", b"Z" * 40 + b":3", sha1("x")[:39].encode() + b":1",
            sha1("x").encode() + b"0:1", sha1("y").encode() + b":",
            sha1("y").encode() + b":12a", b"\x00" * 40, b"A" * 5000,
            sha1("z").encode() + b":" + b"9" * 30, b"\xff\xfe" + b"a" * 38,
            ntlm("password").encode() + b":5"]
    for i, g in enumerate(good):
        f.write(g.encode() + b":%d\n" % (i + 1))
        if i < len(junk):
            f.write(junk[i] + b"\n")
    f.write(b"\n\n" + good[0].lower().encode())   # no final newline
