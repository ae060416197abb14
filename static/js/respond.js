// A questionnaire page, made easier: each statement's answers are saved the moment they
// are tapped (a lost connection loses nothing: they are sent again when it returns),
// "don't know" hides the two questions that no longer apply, and a finished statement
// scrolls on to the next. Without this script the page works as before: its buttons send
// the whole page, and the server reads both the same way (responding/answers.py).
(function () {
  "use strict";
  const form = document.querySelector("form.answer-form");
  if (!form || !window.fetch || !window.URLSearchParams) return;

  const url = form.dataset.answerUrl;
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const offlineMessage = form.querySelector("[data-offline-message]");
  const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  const RETRY_MS = 8000;
  // Item ids whose latest answers the server does not have yet.
  const pending = new Set();
  let sending = false;
  let stopped = false; // the server refused for good (round closed, already sent): the button tells
  let retryTimer = null;
  let tapped = false;

  function question(id) {
    return document.getElementById("item-" + id);
  }

  function show(id, state) {
    const status = form.querySelector('[data-status-for="' + id + '"]');
    if (!status) return;
    status.dataset.state = state;
    status.textContent = form.dataset[state + "Text"] || "";
  }

  function checked(id, kind) {
    return form.querySelector('input[name="' + kind + "-" + id + '"]:checked');
  }

  function body(id) {
    const data = new URLSearchParams();
    data.append("csrfmiddlewaretoken", csrf);
    ["s", "i", "w"].forEach(function (kind) {
      const input = checked(id, kind);
      if (input) data.append(kind + "-" + id, input.value);
    });
    return data;
  }

  function failAll() {
    pending.forEach(function (id) { show(id, "failed"); });
  }

  async function send(id) {
    // "Saving…" only when it takes a while: a quick save just says "Saved".
    const slow = setTimeout(function () { show(id, "saving"); }, 500);
    try {
      return await fetch(url, {
        method: "POST",
        body: body(id),
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      });
    } catch (error) {
      return null; // no connection
    } finally {
      clearTimeout(slow);
    }
  }

  async function flush() {
    if (sending || stopped) return;
    sending = true;
    clearTimeout(retryTimer);
    try {
      while (pending.size) {
        const id = pending.values().next().value;
        pending.delete(id);
        const response = await send(id);
        if (response && response.ok) {
          if (!pending.has(id)) show(id, "saved");
          continue;
        }
        if (response && response.status < 500 && response.status !== 429) {
          // Refused, not failed (round closed, answers already sent): trying again would
          // not help. The page's button sends the page, and the page it gets says why.
          stopped = true;
          pending.add(id);
          pending.forEach(function (other) { show(other, "refused"); });
          return;
        }
        pending.add(id);
        failAll();
        retryTimer = setTimeout(flush, RETRY_MS);
        return;
      }
      if (offlineMessage) offlineMessage.hidden = true;
    } finally {
      sending = false;
    }
  }

  function followUp(id) {
    const box = question(id).querySelector("[data-follow-up]");
    const dontKnow = document.getElementById("s-" + id + "-dk");
    if (!box || !dontKnow) return;
    box.hidden = dontKnow.checked;
    if (dontKnow.checked) {
      box.querySelectorAll("input:checked").forEach(function (input) { input.checked = false; });
    }
  }

  function complete(id) {
    const state = checked(id, "s");
    if (!state) return false;
    return state.value === "dk" || Boolean(checked(id, "i") && checked(id, "w"));
  }

  // Once per statement, and only after a tap: keyboard users keep their place.
  function scrollOn(fieldset) {
    if (fieldset.dataset.scrolled) return;
    fieldset.dataset.scrolled = "true";
    let next = fieldset.nextElementSibling;
    while (next && !next.matches("fieldset.question")) next = next.nextElementSibling;
    const target = next || document.getElementById("page-buttons");
    if (!target) return;
    target.scrollIntoView({ behavior: reduceMotion.matches ? "auto" : "smooth", block: "start" });
  }

  form.querySelectorAll("fieldset.question").forEach(function (fieldset) {
    const id = fieldset.id.replace("item-", "");
    followUp(id);
    if (complete(id)) fieldset.dataset.scrolled = "true";
    // Shown from the start, so the first "Saved" moves nothing on the page.
    const status = form.querySelector('[data-status-for="' + id + '"]');
    if (status) status.hidden = false;
  });

  form.addEventListener("pointerdown", function () { tapped = true; });
  form.addEventListener("keydown", function () { tapped = false; });

  form.addEventListener("change", function (event) {
    const match = /^([siw])-(\d+)$/.exec(event.target.name || "");
    if (!match) return;
    const id = match[2];
    if (match[1] === "s") followUp(id);
    pending.add(id);
    if (stopped) show(id, "refused");
    else flush();
    if (tapped && complete(id)) scrollOn(question(id));
    tapped = false;
  });

  window.addEventListener("online", flush);

  // The button sends the whole page, pending answers included; offline that would end on
  // the browser's error page, so say so and keep the page.
  form.addEventListener("submit", function (event) {
    if (navigator.onLine !== false) return;
    event.preventDefault();
    if (offlineMessage) {
      offlineMessage.textContent = form.dataset.offlineText;
      offlineMessage.hidden = false;
    }
  });
})();
