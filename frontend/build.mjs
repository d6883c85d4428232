// Builds the portal's front-end assets into crates/web/assets/dist, which the web
// crate compiles into the binary. Run with `npm run build` after changing a package
// version or a file under src/; CI checks the committed output is up to date.
import { mkdir, copyFile, writeFile, cp } from "node:fs/promises";
import { readFileSync } from "node:fs";
import * as sass from "sass";

const out = new URL("../crates/web/assets/dist/", import.meta.url);
await mkdir(out, { recursive: true });

const css = await sass.compileAsync("src/app.scss", {
  loadPaths: [".", "node_modules"],
  style: "compressed",
  quietDeps: true,
});
await writeFile(new URL("app.css", out), css.css + "\n");

await copyFile("node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", new URL("govuk-frontend.min.js", out));
await copyFile("node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.js", new URL("moj-frontend.min.js", out));
await copyFile("src/app.mjs", new URL("app.mjs", out));
// The portal's own icon (GOV.UK Frontend's favicons are the crown, for GOV.UK
// only); favicon.ico holds favicon.svg drawn at 16, 32 and 48 pixels.
await copyFile("src/favicon.svg", new URL("favicon.svg", out));
await copyFile("src/favicon.ico", new URL("favicon.ico", out));
await cp("node_modules/@ministryofjustice/frontend/moj/assets/images", new URL("images", out), {
  recursive: true,
  // Icons only: the crown, crest and MOJ logos are not ours to use.
  filter: (src) => !/\.(png|svg)$/.test(src) || /\/icon-[^/]+$/.test(src),
});

// Record the versions the assets were built from.
const version = (name) => JSON.parse(readFileSync(`node_modules/${name}/package.json`, "utf8")).version;
await writeFile(
  new URL("VERSIONS.txt", out),
  ["govuk-frontend", "@ministryofjustice/frontend"].map((n) => `${n} ${version(n)}`).join("\n") + "\n",
);
