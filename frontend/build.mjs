// Builds static/build/: our compiled CSS, the GOV.UK Frontend JavaScript and images,
// and htmx. GDS Transport fonts, the crown and GOV.UK favicons are deliberately not copied.
import * as sass from "sass";
import { cpSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static", "build");
const nm = join(root, "node_modules");
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "css"), { recursive: true });
mkdirSync(join(out, "js"), { recursive: true });

const result = sass.compile(join(root, "frontend", "scss", "app.scss"), {
  loadPaths: [nm],
  style: "compressed",
  quietDeps: true,
});
// The footer's crest background belongs to GOV.UK: rewrite it away.
const css = result.css.replace(/url\("?[^)"]*govuk-crest\.svg"?\)/g, "none");
if (/GDS Transport|@font-face/.test(css)) {
  throw new Error("compiled CSS still refers to GDS Transport or declares a font face");
}
writeFileSync(join(out, "css", "app.css"), css);

const gf = join(nm, "govuk-frontend", "dist", "govuk");
cpSync(join(gf, "govuk-frontend.min.js"), join(out, "js", "govuk-frontend.min.js"));
cpSync(join(nm, "htmx.org", "dist", "htmx.min.js"), join(out, "js", "htmx.min.js"));

// The compiled CSS must not point at GOV.UK's own asset files (fonts, crown, favicons):
// we ship none of them.
const urls = css.match(/url\([^)]*\)/g) || [];
const foreign = urls.filter((u) => !u.startsWith("url(data:"));
if (foreign.length) {
  throw new Error(`compiled CSS refers to files we do not ship: ${foreign.join(", ")}`);
}
console.log(`built ${out}: app.css ${(css.length / 1024).toFixed(0)} KiB`);
