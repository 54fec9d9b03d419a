// The idle-timeout warning (WCAG 2.2.1 Timing Adjustable, docs/security.md #8), after the HMRC /
// GOV.UK timeout-warning pattern. Loaded only on signed-in pages; the server ends idle sessions
// whether or not this runs, so without JavaScript nothing changes.
//
// The dialog is in the page (core/session_timeout_dialog.html) with what this needs as data
// attributes: the session's age and how long before its end to warn. Before warning and before
// signing out it asks the server how long is really left (that request does not extend the
// session), so activity in another tab keeps this one from warning or signing out.
// "Stay signed in" (or Escape) POSTs to extend the session; when the time runs out it signs out
// and goes to the sign-in page, which then says why.

const SPEAK_EVERY_MS = 20_000; // the screen-reader countdown: every 15–20 s at most

const dialog = document.getElementById("app-session-timeout");
if (dialog && typeof dialog.showModal === "function") {
  start(dialog);
}

function start(dialog) {
  const leadMs = Number(dialog.dataset.warningSeconds) * 1000;
  const form = dialog.querySelector("form");
  const stayButton = dialog.querySelector("[data-stay]");
  const signOutButton = dialog.querySelector("button[formaction]");
  const visibleTime = dialog.querySelector("[data-countdown]");
  const spokenTime = dialog.querySelector("[data-countdown-live] [data-time]");
  const error = dialog.querySelector("[data-error]");

  let expiresAt = Date.now() + Number(dialog.dataset.sessionSeconds) * 1000;
  let warningTimer = null;
  let ticker = null;
  let lastSpoken = 0;
  let checking = false;
  let extending = false;
  let leaving = false;
  let returnFocus = null;

  function scheduleWarning() {
    clearTimeout(warningTimer);
    warningTimer = setTimeout(check, Math.max(0, expiresAt - leadMs - Date.now()));
  }

  // Seconds the server says are left: 0 when the session has ended, null when it cannot tell.
  async function secondsLeft() {
    try {
      const response = await fetch(dialog.dataset.statusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
        redirect: "manual",
      });
      if (response.status === 401) {
        return 0;
      }
      if (!response.ok) {
        return null;
      }
      const data = await response.json();
      return Number.isFinite(data.remaining_seconds) ? data.remaining_seconds : null;
    } catch {
      return null;
    }
  }

  // Ask the server, then wait, warn or sign out accordingly.
  async function check() {
    if (checking || leaving) {
      return;
    }
    checking = true;
    const askedAt = Date.now(); // the answer is as of the asking: a slow reply must not add time
    const seconds = await secondsLeft();
    checking = false;
    if (seconds !== null) {
      expiresAt = askedAt + seconds * 1000;
    }
    if (expiresAt <= Date.now()) {
      signOut();
    } else if (expiresAt - Date.now() > leadMs + 1000) {
      closeWarning(); // used in another tab: not yet
      scheduleWarning();
    } else {
      openWarning();
    }
  }

  function timeLeftInWords() {
    const seconds = Math.max(0, Math.ceil((expiresAt - Date.now()) / 1000));
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60);
      return `${minutes} minute${minutes === 1 ? "" : "s"}`;
    }
    return `${seconds} second${seconds === 1 ? "" : "s"}`;
  }

  function showTime(speak) {
    const words = timeLeftInWords();
    visibleTime.textContent = words;
    if (speak) {
      spokenTime.textContent = words;
      lastSpoken = Date.now();
    }
  }

  function tick() {
    if (expiresAt <= Date.now()) {
      clearInterval(ticker);
      ticker = null;
      check(); // signs out, unless another tab kept the session going
    } else {
      showTime(Date.now() - lastSpoken >= SPEAK_EVERY_MS);
    }
  }

  function openWarning() {
    if (!dialog.open) {
      returnFocus = document.activeElement;
      error.textContent = "";
      showTime(true);
      dialog.showModal();
      stayButton.focus();
    }
    if (ticker === null) {
      ticker = setInterval(tick, 1000);
    }
  }

  function closeWarning() {
    clearInterval(ticker);
    ticker = null;
    if (dialog.open) {
      dialog.close();
    }
    if (returnFocus && returnFocus.isConnected && typeof returnFocus.focus === "function") {
      returnFocus.focus();
    }
    returnFocus = null;
  }

  async function staySignedIn() {
    if (extending || leaving) {
      return;
    }
    extending = true;
    const askedAt = Date.now();
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form), // carries the CSRF token from the form
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
        redirect: "manual",
      });
      if (response.status === 401) {
        signOut();
        return;
      }
      if (response.type === "opaqueredirect") {
        window.location.reload(); // the server wants this user elsewhere first (e.g. a 2-step code)
        return;
      }
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      const data = await response.json();
      expiresAt = askedAt + data.remaining_seconds * 1000;
      closeWarning();
      scheduleWarning();
    } catch {
      if (!dialog.open) {
        dialog.showModal(); // Escape may have closed it: the message must be seen
        stayButton.focus();
      }
      error.textContent = "Sorry, you could not be kept signed in. Try again.";
    } finally {
      extending = false;
    }
  }

  // Out of time: end the session for certain, then the sign-in page says why and returns the
  // user here afterwards (the sign-in page accepts only a local `next`).
  async function signOut() {
    if (leaving) {
      return;
    }
    leaving = true;
    clearTimeout(warningTimer);
    clearInterval(ticker);
    try {
      await fetch(signOutButton.formAction, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        redirect: "manual",
      });
    } catch {
      // The server ends the session on its own anyway.
    }
    const signIn = new URL(dialog.dataset.timeoutUrl, window.location.href);
    if (window.location.pathname !== signIn.pathname) {
      signIn.searchParams.set("next", window.location.pathname + window.location.search);
    }
    window.location.assign(signIn.href);
  }

  form.addEventListener("submit", (event) => {
    if (event.submitter && event.submitter !== stayButton) {
      return; // "Sign out" posts to the sign-out page as usual
    }
    event.preventDefault();
    staySignedIn();
  });
  // Escape means "stay signed in", as in the HMRC pattern.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    staySignedIn();
  });
  // Timers in hidden tabs are slowed down, and a page restored from the back-forward cache has
  // stale ones: catch up whenever the page is seen again.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && !leaving) {
      if (dialog.open || Date.now() >= expiresAt - leadMs) {
        check();
      }
    }
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) {
      leaving = false;
      check();
    }
  });

  scheduleWarning();
}
