// Starts every GOV.UK Frontend component on the page (error summary focus, skip link, etc.), and
// again inside any content htmx swaps in. Pages work without it: everything here is an
// enhancement.
import { initAll } from "../dist/govuk-frontend.min.js";

initAll();

document.body.addEventListener("htmx:afterSettle", (event) => {
  if (event.detail && event.detail.target instanceof Element) {
    initAll({ scope: event.detail.target });
  }
});
