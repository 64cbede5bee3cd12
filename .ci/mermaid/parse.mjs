// Parses every ```mermaid block of the Markdown files given on the command line with the real
// mermaid parser, and exits 1 naming the file and the parser's message when one does not parse.
// A step of .ci/run, which runs `npm ci` here first.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

// mermaid sanitizes labels with DOMPurify, which needs a DOM: give it jsdom's before loading it.
const { window } = new JSDOM("");
globalThis.window = window;
globalThis.document = window.document;
const { default: mermaid } = await import("mermaid");

let failed = 0;
let parsed = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  const blocks = [...text.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);
  if (blocks.length === 0) {
    console.error(`${file}: no mermaid block`);
    failed++;
  }
  for (const block of blocks) {
    try {
      await mermaid.parse(block);
      parsed++;
    } catch (e) {
      console.error(`${file}: ${e.message ?? e}`);
      failed++;
    }
  }
}
console.log(`${parsed} diagram(s) parsed, ${failed} failure(s)`);
process.exit(failed === 0 ? 0 : 1);
