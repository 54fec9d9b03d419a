// Builds the front-end assets into src/g2g/static/dist/ (gitignored): `npm run build`.
//
// - app.css: GOV.UK Frontend compiled from Sass with our settings (Arial, no GDS Transport).
// - govuk-frontend.min.js (an ES module), htmx.min.js, axe.min.js (browser tests only).
// - favicon.svg: our own icon.
// - Nothing else from GOV.UK Frontend: not its fonts (GDS Transport is licensed for GOV.UK
//   only) nor its images (the crown favicons, crest and icons are GOV.UK's brand; no page uses
//   them). See docs/decisions/0001-govuk-frontend-without-the-brand.md.
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const staticDir = join(root, "src", "g2g", "static");
const dist = join(staticDir, "dist");

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const css = sass.compile(join(staticDir, "scss", "app.scss"), {
  loadPaths: [modules],
  quietDeps: true,
  style: "compressed",
});
writeFileSync(join(dist, "app.css"), css.css);

const copies = [
  ["govuk-frontend/dist/govuk/govuk-frontend.min.js", "govuk-frontend.min.js"],
  ["htmx.org/dist/htmx.min.js", "htmx.min.js"],
  ["axe-core/axe.min.js", "axe.min.js"],
];
for (const [from, to] of copies) {
  copyFileSync(join(modules, from), join(dist, to));
}

// Our own icon (GOV.UK Frontend's favicons show the crown, which only GOV.UK may use).
writeFileSync(
  join(dist, "favicon.svg"),
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">' +
    '<rect width="32" height="32" rx="4" fill="#1d70b8"/>' +
    '<text x="16" y="23" font-family="arial, sans-serif" font-size="20" font-weight="bold" ' +
    'text-anchor="middle" fill="#fff">G</text></svg>\n',
);

console.log(`Built ${relative(root, dist)}: app.css, ${copies.map(([, to]) => to).join(", ")}, favicon.svg`);
