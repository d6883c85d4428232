// Progressive enhancement only: every page works without this file.
// Loaded as a module (no inline script, so the Content Security Policy can forbid them).
import { initAll as initGovUk, isSupported } from "./govuk-frontend.min.js";
import { initAll as initMoj } from "./moj-frontend.min.js";

document.body.classList.add("js-enabled");
if (isSupported()) {
  document.body.classList.add("govuk-frontend-supported");
  initGovUk();
  initMoj();
}
