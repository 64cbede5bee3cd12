// Validates SARIF logs against the SARIF 2.1.0 schema (draft-04, as OASIS publishes it), with
// ajv, the validator @microsoft/jest-sarif itself uses. Usage: node validate.mjs LOG.sarif...
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const Ajv = require("ajv");
const schema = require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
const ajv = new Ajv({ schemaId: "id", allErrors: true, meta: false, validateSchema: false });
ajv.addMetaSchema(require("ajv/lib/refs/json-schema-draft-04.json"));
const validate = ajv.compile(schema);
let failed = 0;
let results = 0;
for (const file of process.argv.slice(2)) {
  const log = JSON.parse(readFileSync(file, "utf8"));
  if (!validate(log)) {
    failed += 1;
    console.error(`${file}: not valid SARIF 2.1.0`);
    for (const e of validate.errors) console.error(`  ${e.dataPath} ${e.message}`);
    continue;
  }
  results += log.runs.reduce((n, run) => n + run.results.length, 0);
}
console.log(`sarif: ${process.argv.length - 2} logs, ${results} results, ${failed} invalid`);
process.exit(failed ? 1 : 0);
