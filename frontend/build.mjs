// Builds the front end into src/changemaker/core/static/dist (no network, no bundler needed);
// `node frontend/build.mjs DIR` builds into DIR instead (the tests check a fresh build there).
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = process.argv[2] ? resolve(process.argv[2]) : join(root, "src/changemaker/core/static/dist");
const nm = join(root, "node_modules");
mkdirSync(out, { recursive: true });

const css = sass.compile(join(root, "frontend/scss/main.scss"), {
  loadPaths: [nm],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "main.css"), css.css);
cpSync(join(nm, "govuk-frontend/dist/govuk/govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
cpSync(join(nm, "htmx.org/dist/htmx.min.js"), join(out, "htmx.min.js"));
console.log(`front end built in ${out}`);
