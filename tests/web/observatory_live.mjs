// observatory_live.mjs — the MDN HTTP Observatory's own retriever and
// analyzer (@mdn/mdn-http-observatory, installed by
// scripts/fetch-observatory.sh) on a live site: retrieve() with the ports
// given (its scan() only knows 80 and 443), its ten tests, the score
// summed as its scanner sums it. Prints, after a line "== N" for the Nth
// site, what `obs_driver --live` prints for it (one node for every site:
// its start is most of the time). The test CA comes from
// NODE_EXTRA_CA_CERTS.
//   node observatory_live.mjs OBSERVATORY_DIR {HOST HTTP_PORT HTTPS_PORT}...
import path from "node:path";
import { pathToFileURL } from "node:url";

const [dir, ...sites] = process.argv.slice(2);
const pkg = path.join(dir, "node_modules/@mdn/mdn-http-observatory");
const imp = (p) => import(pathToFileURL(path.join(pkg, p)).href);
const { ALL_TESTS } = await imp("src/constants.js");
const { retrieve } = await imp("src/retriever/retriever.js");
const { MINIMUM_SCORE_FOR_EXTRA_CREDIT } = await imp("src/grader/charts.js");
const { getGradeForScore, getScoreModifier } = await imp("src/grader/grader.js");

async function one(host, httpPort, httpsPort) {
  const r = await retrieve(host, { httpPort, httpsPort });
  if (!r.responses.auto) {
    console.log("error the site seems to be down");
    return;
  }
  const results = ALL_TESTS.map((t) => t(r));
  let withCredit = 100, uncurved = 100;
  for (const t of results) {
    if (t.result) {
      const m = getScoreModifier(t.result);
      withCredit += m;
      if (m < 0) uncurved += m;
    }
  }
  const final = getGradeForScore(uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? withCredit : uncurved);
  console.log(`score ${final.score} grade ${final.grade}`);
  for (const t of results)
    console.log(`${t.constructor.name} ${t.result} ${t.pass ? "pass" : "fail"}`);
}
for (let k = 0; k + 2 < sites.length; k += 3) {
  console.log(`== ${k / 3 + 1}`);
  await one(sites[k], sites[k + 1], sites[k + 2]);
}
process.exit(0);
