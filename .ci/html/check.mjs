// Loads every READINESS.html given on the command line in headless Chromium (Debian's, at
// $CHROMIUM or /usr/bin/chromium, driven by playwright-core) as a reader opens it, from file://,
// and fails naming the page when:
// - the console reports an error or a warning, the page throws, or a request fails;
// - the page requests anything but itself (it must work offline: no CDN, font or image);
// - the organization's SVG, a table or a checklist step is not visible, on screen or in print;
// - a label of the SVG runs out of its box (the layout estimates text widths; this measures);
// - a checklist box cannot be ticked (it must work without script).
// It saves a full-page screenshot of each page into the folder given first: .ci/run passes
// target/ci-out-html/, kept as a CI artifact. Usage: node check.mjs OUT PAGE.html...
import { mkdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const [out, ...pages] = process.argv.slice(2);
if (!out || pages.length === 0) {
  console.error("usage: node check.mjs OUT PAGE.html...");
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
});
const tables = ["decisions", "budgets", "enforced", "prerequisites", "manual", "deploy", "profiles"];
let failed = 0;
for (const file of pages) {
  const path = resolve(file);
  const url = pathToFileURL(path).href;
  // <output folder>-<client>: target/ci-out/acme/rollout/READINESS.html -> ci-out-acme.png
  const client = dirname(dirname(path));
  const shot = join(out, `${basename(dirname(client))}-${basename(client)}.png`);
  const problems = [];
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const requests = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => requests.push(r.url()));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  await page.goto(url, { waitUntil: "load" });
  if (requests.length !== 1 || requests[0] !== url) {
    problems.push(`requests besides the page itself: ${JSON.stringify(requests)}`);
  }
  for (const media of ["screen", "print"]) {
    await page.emulateMedia({ media });
    const visible = async (selector) => {
      const all = page.locator(selector);
      const n = await all.count();
      if (n === 0) problems.push(`${media}: no ${selector}`);
      for (let i = 0; i < n; i++) {
        if (!(await all.nth(i).isVisible())) problems.push(`${media}: ${selector} #${i} is not visible`);
      }
      return n;
    };
    await visible("svg.organization");
    await visible("svg.organization g rect");
    for (const t of tables) await visible(`table.${t}`);
    await visible("table.checklist input[type=checkbox]");
    await visible("table.checklist label");
  }
  await page.emulateMedia({ media: "screen" });
  // Each label inside its box, as Chromium draws it with the fonts this machine has.
  const overflows = await page.evaluate(() => {
    const out = [];
    for (const g of document.querySelectorAll("svg.organization g")) {
      const r = g.querySelector("rect").getBBox();
      for (const t of g.querySelectorAll("text")) {
        const b = t.getBBox();
        if (b.width === 0 || b.x < r.x || b.x + b.width > r.x + r.width || b.y < r.y || b.y + b.height > r.y + r.height) {
          out.push(`"${t.textContent}" (${Math.round(b.width)} px wide) is not inside its box (${Math.round(r.width)} px)`);
        }
      }
    }
    return out;
  });
  problems.push(...overflows);
  const boxes = page.locator("table.checklist input[type=checkbox]");
  await boxes.first().check();
  if (!(await boxes.first().isChecked())) problems.push("a checklist box cannot be ticked");
  await boxes.first().uncheck();
  await page.screenshot({ path: shot, fullPage: true });
  await context.close();
  if (problems.length > 0) {
    failed++;
    for (const p of problems) console.error(`${file}: ${p}`);
  } else {
    console.log(`${file}: ok (${shot})`);
  }
}
await browser.close();
console.log(`${pages.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
