// Loaded (blocking, tiny) at the top of <body> so GOV.UK Frontend's JavaScript-only styles
// apply before first paint. An external file rather than GOV.UK's inline snippet: our
// Content-Security-Policy forbids inline scripts.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
