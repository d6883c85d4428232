// Progressive enhancement only: every page works without this file.
// Loaded as a module (no inline script, so the Content Security Policy can forbid
// them). A browser that runs modules is one GOV.UK Frontend supports, which is what
// its usual inline snippet checks before adding `govuk-frontend-supported`.
import { initAll as initGovUk } from "./govuk-frontend.min.js";
import { initAll as initMoj } from "./moj-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initGovUk();
initMoj();
