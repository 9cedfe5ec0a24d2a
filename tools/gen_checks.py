#!/usr/bin/env python3
"""gen_checks.py — compiles data/checks/*.check into a C table and a
header of check-id constants.

Usage: gen_checks.py TABLE.c IDS.h CHECK...

The header defines MR_CHECK_<ID> for every check ("logscan.sqli" becomes
MR_CHECK_LOGSCAN_SQLI): the library names a check through it, so a
mistyped id is a compile error instead of a finding with no check.

Each .check file is one check: "key: value" lines; a value continues on
following lines that start with whitespace. Keys: id, severity,
countermeasures (space-separated ids of GUIDANCE.md), source, and
title.en/title.ja, remedy.en/remedy.ja, report.en/report.ja.
The build fails on a missing key, an unknown countermeasure or severity,
or a duplicate id, so a typo in a text file never ships.
"""
import sys

COUNTERMEASURES = {
    "basic.update", "basic.antivirus", "basic.password", "basic.config",
    "basic.awareness", "common.mail", "common.reporting", "common.incident",
    "common.server", "common.backup", "meti.patching", "meti.network",
    "meti.dns", "meti.appsec",
}
SEVERITIES = ["info", "low", "medium", "high", "critical"]

# `source:` cites the guidance by document and section, as GUIDANCE.md
# numbers them ("002 要対応項目3; 000 共通対策 サーバー"). People read the
# documents' names and the sections in their own language: the citation
# shown in reports is rendered from these two tables, and a section the
# table does not know fails the build.
DOCUMENTS = {
    "000": ("IPA, Information Security 10 Major Threats",
            "IPA「情報セキュリティ10大脅威」"),
    "002": ("METI, Message to Industry on Cybersecurity",
            "経済産業省「産業界へのメッセージ」"),
}
SECTIONS = {
    "要対応項目1": "item 1 to act on (patching cadence)",
    "要対応項目2": "item 2 to act on (network security)",
    "要対応項目２": "item 2 to act on (network security)",
    "要対応項目２（リスト型攻撃）":
        "item 2 to act on (network security: list-based attacks)",
    "要対応項目3 (DNS Health)": "item 3 to act on (DNS health)",
    "要対応項目4": "item 4 to act on (application security)",
    "表1.1 設定の見直し": "table 1.1, reviewing settings",
    "表1.1 ソフトウェアの更新": "table 1.1, updating software",
    "表1.1 セキュリティソフトの利用": "table 1.1, using security software",
    "表1.1（初期設定のままにしない）":
        "table 1.1 (do not keep the initial settings)",
    "表1.4": "table 1.4 (passwords not to use)",
    "共通対策 インシデント体制": "common measures: incident response",
    "共通対策 ネットワーク": "common measures: networks",
    "共通対策 サーバー": "common measures: servers",
    "共通対策 サーバー（ログの監視）":
        "common measures: servers (watching the logs)",
    "共通対策 サーバー（ログの監視・解析）":
        "common measures: servers (watching and analysing the logs)",
    "共通対策 サーバー（特権の管理）":
        "common measures: servers (managing privileges)",
    "共通対策 サーバー（暗号化）": "common measures: servers (encryption)",
    "共通対策 サーバー（不要なサービスの停止）":
        "common measures: servers (stopping unused services)",
    "共通対策 パスワード": "common measures: passwords",
    "表1.1 セキュリティソフトの利用": "table 1.1, using security software",
    "表1.1 脅威・手口を知る": "table 1.1, knowing threats and tricks",
    "共通対策 適切なバックアップ運用": "common measures: keeping backups properly",
    "共通対策 パスワードを適切に運用する":
        "common measures: managing passwords properly",
    "共通対策 パスワードを適切に運用する（使い回しをしない）":
        "common measures: managing passwords properly (no reuse)",
    "パスワードを適切に運用する": "managing passwords properly",
    "適切なバックアップ運用": "keeping proper backups",
}


def cite(path, source):
    """(English, Japanese) citation of a `source:` value."""
    en, ja, doc = [], [], None
    for part in source.split(";"):
        part = part.strip()
        code, _, rest = part.partition(" ")
        if code in DOCUMENTS:
            doc = code
        else:
            rest = part
        if doc is None:
            sys.exit(f"{path}: source must start with a document number "
                     f"({', '.join(DOCUMENTS)})")
        secs = [x.strip() for x in rest.split(",") if x.strip()]
        for x in secs:
            if x not in SECTIONS:
                sys.exit(f"{path}: source section {x!r} is not in "
                         "tools/gen_checks.py SECTIONS")
        en.append(DOCUMENTS[doc][0] + ", " +
                  ", ".join(SECTIONS[x] for x in secs))
        ja.append(DOCUMENTS[doc][1] + "、".join(secs))
    return "; ".join(en), "；".join(ja)
TEXT_KEYS = ["title", "remedy", "report"]
REQUIRED = ["id", "severity", "countermeasures", "source"] + [
    f"{k}.{l}" for k in TEXT_KEYS for l in ("en", "ja")]


def parse(path):
    fields, key = {}, None
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line[0] in " \t":
                if key is None:
                    sys.exit(f"{path}:{n}: continuation before any key")
                fields[key] += " " + line.strip()
                continue
            if ":" not in line:
                sys.exit(f"{path}:{n}: expected 'key: value'")
            key, value = line.split(":", 1)
            key = key.strip()
            if key in fields:
                sys.exit(f"{path}:{n}: duplicate key {key}")
            fields[key] = value.strip()
    for k in REQUIRED:
        if not fields.get(k):
            sys.exit(f"{path}: missing {k}")
    for k in fields:
        if k not in REQUIRED:
            sys.exit(f"{path}: unknown key {k}")
    if fields["severity"] not in SEVERITIES:
        sys.exit(f"{path}: unknown severity {fields['severity']}")
    cms = fields["countermeasures"].split()
    if not 1 <= len(cms) <= 3 or any(c not in COUNTERMEASURES for c in cms):
        sys.exit(f"{path}: countermeasures must be 1-3 ids of GUIDANCE.md")
    fields["cms"] = cms
    fields["cite.en"], fields["cite.ja"] = cite(path, fields["source"])
    return fields


def c_str(s):
    out = ['"']
    for b in s.encode("utf-8"):
        if b in (0x22, 0x5C):
            out.append("\\" + chr(b))
        elif 0x20 <= b < 0x7F and b != 0x3F:  # '?' escaped: no trigraphs
            out.append(chr(b))
        else:
            out.append('\\%03o' % b)
    out.append('"')
    return "".join(out)


def macro_name(check_id):
    name = "MR_CHECK_" + check_id.upper().replace(".", "_").replace("-", "_")
    if not all(ch.isalnum() or ch == "_" for ch in name):
        sys.exit(f"check id {check_id}: only letters, digits, '.' and '-'")
    return name


def write_ids(path, checks):
    macros = {}
    for c in checks:
        m = macro_name(c["id"])
        if m in macros:
            sys.exit(f"check ids {macros[m]} and {c['id']} give one name {m}")
        macros[m] = c["id"]
    with open(path, "w", encoding="utf-8") as o:
        o.write("/* Generated by tools/gen_checks.py from data/checks/: one\n"
                " * constant per check id, so that a mistyped id does not\n"
                " * compile. */\n")
        o.write("#ifndef MR_CHECK_IDS_H\n#define MR_CHECK_IDS_H\n\n")
        for m, cid in macros.items():
            o.write(f"#define {m} {c_str(cid)}\n")
        o.write(f"\n#define MR_CHECKS_COUNT {len(checks)}\n")
        o.write("\n#endif\n")


def main():
    out_path, ids_path, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
    checks = sorted((parse(p) for p in paths), key=lambda c: c["id"])
    ids = [c["id"] for c in checks]
    if len(set(ids)) != len(ids):
        sys.exit("duplicate check id")
    write_ids(ids_path, checks)
    with open(out_path, "w", encoding="utf-8") as o:
        o.write("/* Generated by tools/gen_checks.py from data/checks/. */\n")
        o.write('#include "core/checks_table.h"\n\n')
        o.write("const mamori_check mr_checks_table[] = {\n")
        for c in checks:
            cms = ", ".join(c_str(x) for x in c["cms"])
            o.write("    {\n")
            o.write(f"        .id = {c_str(c['id'])},\n")
            o.write(f"        .countermeasures = {{{cms}}},\n")
            o.write("        .severity = MAMORI_SEV_%s,\n" % c["severity"].upper())
            o.write(f"        .source = {c_str(c['source'])},\n")
            for k in ["cite"] + TEXT_KEYS:
                o.write(f"        .{k} = {{{c_str(c[k + '.en'])}, {c_str(c[k + '.ja'])}}},\n")
            o.write("    },\n")
        o.write("};\n")
        o.write(f"const size_t mr_checks_count = {len(checks)};\n")


if __name__ == "__main__":
    main()
