// A questionnaire page, made easier: each question's answers are saved the moment they
// are tapped (a lost connection loses nothing: they are sent again when it returns),
// "don't know" (and "does not apply to me") hides the two questions that no longer apply,
// and a finished question scrolls on to the next. A question is a statement (key: its
// item id; fields s-, i-, w-) or, on versions that ask it per dimension, the card about
// the page's topic (key: "d" and the dimension id; fields di-, dw-). Without this script the page works as before: its buttons send
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
  // Question keys whose latest answers the server does not have yet.
  const pending = new Set();
  let sending = false;
  let stopped = false; // the server refused for good (round closed, already sent): the button tells
  let retryTimer = null;
  let tapped = false;

  const FIELD = /^(s|i|w|di|dw)-(\d+)$/;

  function question(key) {
    return form.querySelector('[data-question="' + key + '"]');
  }

  // The fields of a question: "12" has s-12, i-12, w-12; "d3" has di-3, dw-3.
  function fields(key) {
    if (key.charAt(0) === "d") return ["di-" + key.slice(1), "dw-" + key.slice(1)];
    return ["s-" + key, "i-" + key, "w-" + key];
  }

  function show(id, state) {
    const status = form.querySelector('[data-status-for="' + id + '"]');
    if (!status) return;
    status.dataset.state = state;
    status.textContent = form.dataset[state + "Text"] || "";
  }

  function checked(name) {
    return form.querySelector('input[name="' + name + '"]:checked');
  }

  function body(key) {
    const data = new URLSearchParams();
    data.append("csrfmiddlewaretoken", csrf);
    fields(key).forEach(function (name) {
      const input = checked(name);
      // An empty value ("no answer") is no field at all: the server reads it as not given.
      if (input && input.value) data.append(name, input.value);
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

  function noAnswer(input) {
    return Boolean(input) && (input.value === "dk" || input.value === "na");
  }

  function followUp(key) {
    const box = question(key).querySelector("[data-follow-up]");
    if (!box) return;
    const none = noAnswer(checked("s-" + key));
    box.hidden = none;
    if (none) {
      box.querySelectorAll("input:checked").forEach(function (input) { input.checked = false; });
    }
  }

  // Every question asked here is answered: the follow-ups only where they are shown.
  function complete(key) {
    const names = fields(key);
    if (key.charAt(0) !== "d") {
      const state = checked(names[0]);
      if (!state) return false;
      if (noAnswer(state) || !question(key).querySelector("[data-follow-up]")) return true;
    }
    return names.slice(key.charAt(0) === "d" ? 0 : 1).every(function (name) {
      return Boolean(checked(name));
    });
  }

  // Once per statement, and only after a tap: keyboard users keep their place.
  function scrollOn(fieldset) {
    if (fieldset.dataset.scrolled) return;
    fieldset.dataset.scrolled = "true";
    let next = fieldset.nextElementSibling;
    while (next && !next.matches("fieldset[data-question]")) next = next.nextElementSibling;
    const target = next || document.getElementById("page-buttons");
    if (!target) return;
    target.scrollIntoView({ behavior: reduceMotion.matches ? "auto" : "smooth", block: "start" });
  }

  form.querySelectorAll("fieldset[data-question]").forEach(function (fieldset) {
    const key = fieldset.dataset.question;
    followUp(key);
    if (complete(key)) fieldset.dataset.scrolled = "true";
    // Shown from the start, so the first "Saved" moves nothing on the page.
    const status = form.querySelector('[data-status-for="' + key + '"]');
    if (status) status.hidden = false;
  });

  form.addEventListener("pointerdown", function () { tapped = true; });
  form.addEventListener("keydown", function () { tapped = false; });

  form.addEventListener("change", function (event) {
    const match = FIELD.exec(event.target.name || "");
    if (!match) return;
    const key = (match[1].charAt(0) === "d" ? "d" : "") + match[2];
    if (match[1] === "s") followUp(key);
    pending.add(key);
    if (stopped) show(key, "refused");
    else flush();
    if (tapped && complete(key)) scrollOn(question(key));
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
