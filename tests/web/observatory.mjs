// observatory.mjs — runs the MDN HTTP Observatory's own analyzer
// (@mdn/mdn-http-observatory, installed by scripts/fetch-observatory.sh
// outside the repository) on one header set of tests/web/headers/, with
// no network: the responses of the set are made into the objects the
// Observatory's retriever would have built (headers through Node's own
// IncomingMessage, cookies through a tough-cookie jar as its cookie agent
// stores them), its ten tests run, and the score summed as its scanner
// does. Prints, after a line "== N" for the Nth set, what
// tests/web/obs_driver prints for it (one node for every set: its start
// is most of the time).
//   node observatory.mjs OBSERVATORY_DIR SET_FILE...
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const [dir, ...files] = process.argv.slice(2);
const pkg = path.join(dir, "node_modules/@mdn/mdn-http-observatory");
const require = createRequire(path.join(pkg, "package.json"));
const { CookieJar } = require("tough-cookie");
const { AxiosHeaders } = require("axios");
const imp = (p) => import(pathToFileURL(path.join(pkg, p)).href);
const { ALL_TESTS } = await imp("src/constants.js");
const { Requests, HTML_TYPES } = await imp("src/types.js");
const { MINIMUM_SCORE_FOR_EXTRA_CREDIT } = await imp("src/grader/charts.js");
const { getGradeForScore, getScoreModifier } = await imp("src/grader/grader.js");
const { parseHttpEquivHeaders } = await imp("src/retriever/utils.js");

function grade(file) {
  // The set: see tests/web/headers/README.
  const raw = fs.readFileSync(file);
  const text = raw.toString("latin1");
  const set = { host: null, origin: null, httpVerified: true, httpsVerified: true,
    http: [], https: [], cors: null, body: "" };
  let cur = null;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (cur === "body") break;
    if (line.startsWith("#") || (cur === null && line.trim() === "")) continue;
    let m;
    if ((m = line.match(/^> (http|https) (\S+) (\d+)$/))) {
      cur = { url: m[2], status: Number(m[3]), raw: [] };
      set[m[1]].push(cur);
    } else if (line === "> cors") {
      cur = { raw: [] };
      set.cors = cur;
    } else if (line === "> body") {
      const at = text.indexOf("\n", text.indexOf("\n> body") + 1) + 1;
      set.body = raw.subarray(at).toString("utf8");
      cur = "body";
    } else if (cur === null) {
      const [k, ...v] = line.split(" ");
      if (k === "host") set.host = v.join(" ");
      else if (k === "cors-origin") set.origin = v.join(" ");
      else if (k === "http-unverified") set.httpVerified = false;
      else if (k === "https-unverified") set.httpsVerified = false;
    } else if (line !== "") {
      const c = line.indexOf(":");
      cur.raw.push(line.slice(0, c), line.slice(c + 1).replace(/^[ \t]+|[ \t]+$/g, ""));
    }
  }

  // Node's own combination of repeated headers.
  function nodeHeaders(rawList) {
    const msg = new http.IncomingMessage(null);
    msg._addHeaderLines(rawList, rawList.length);
    return msg.headers;
  }
  function response(r, verified) {
    const h = nodeHeaders(r.raw);
    return { status: r.status, headers: new AxiosHeaders(h), verified,
      nodeHeaders: h, data: "" };
  }
  function chain(list, verified) {
    const jar = new CookieJar();
    for (const r of list) {
      const u = new URL(r.url);
      for (const c of [nodeHeaders(r.raw)["set-cookie"] ?? []].flat())
        jar.setCookieSync(c, `${u.protocol}//${u.hostname}${u.pathname}`, { ignoreError: true });
    }
    return { jar, history: list.map((r) => ({ url: new URL(r.url), status: r.status })),
      final: list.length ? response(list[list.length - 1], verified) : null };
  }

  const req = new Requests(set.host);
  const h = chain(set.http, set.httpVerified);
  const s = chain(set.https, set.httpsVerified);
  req.responses.http = h.final;
  req.responses.https = s.final;
  req.responses.httpRedirects = h.history;
  req.responses.httpsRedirects = h.history;
  const useHttps = set.https.length > 0;
  const auto = useHttps ? s : h;
  req.responses.auto = auto.final;
  req.session = { url: new URL(`${useHttps ? "https" : "http"}://${set.host}/`), jar: auto.jar };
  req.resources.path = set.body;
  auto.final.data = set.body;
  if (set.cors) {
    const ch = nodeHeaders(set.cors.raw);
    req.responses.cors = { headers: new AxiosHeaders(ch),
      request: set.origin ? { headers: { origin: set.origin } } : {},
      verified: auto.final.verified };
  }
  if (HTML_TYPES.has(auto.final.headers["content-type"]?.split(";")[0]) && set.body) {
    auto.final.httpEquiv = parseHttpEquivHeaders(set.body, req.session.url.href);
  } else {
    auto.final.httpEquiv = new Map();
  }

  // src/scanner/index.js, past its fetch.
  const results = ALL_TESTS.map((t) => t(req));
  let withCredit = 100, uncurved = 100;
  for (const r of results) {
    if (r.result) {
      r.scoreModifier = getScoreModifier(r.result);
      withCredit += r.scoreModifier;
      if (r.scoreModifier < 0) uncurved += r.scoreModifier;
    }
  }
  const final = getGradeForScore(uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? withCredit : uncurved);
  console.log(`score ${final.score} grade ${final.grade}`);
  for (const r of results)
    console.log(`${r.constructor.name} ${r.result} ${r.pass ? "pass" : "fail"}`);
}

for (let k = 0; k < files.length; k++) {
  console.log(`== ${k + 1}`);
  try {
    grade(files[k]);
  } catch (e) {
    console.log(`error ${e.message}`);
  }
}
