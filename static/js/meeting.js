// The team conversation. On the big screen: the arrow keys, Page Up/Down (what a clicker
// sends) and the space bar move between steps, F toggles full screen. On a phone: the page
// asks every few seconds whether the big screen moved on (one small JSON answer) and then
// fetches the new step; a vote is sent without leaving the page. Without this script both
// still work: the controls and votes are plain forms, and a phone can reload.
(function () {
  "use strict";

  function presenter() {
    const next = document.getElementById("next-step");
    const previous = document.getElementById("previous-step");
    const fullscreen = document.querySelector("[data-fullscreen]");
    function toggleFullscreen() {
      if (!document.fullscreenEnabled) return;
      if (document.fullscreenElement) document.exitFullscreen();
      else document.documentElement.requestFullscreen();
    }
    if (fullscreen && document.fullscreenEnabled) {
      fullscreen.hidden = false;
      fullscreen.addEventListener("click", toggleFullscreen);
    }
    document.addEventListener("keydown", function (event) {
      const typing = event.target.closest("input, textarea, select, [contenteditable]");
      if (typing || event.altKey || event.ctrlKey || event.metaKey) return;
      let button = null;
      if (["ArrowRight", "PageDown", " "].includes(event.key)) button = next;
      if (["ArrowLeft", "PageUp"].includes(event.key)) button = previous;
      if (event.key === "f" || event.key === "F") {
        event.preventDefault();
        toggleFullscreen();
        return;
      }
      if (button && !button.disabled) {
        event.preventDefault();
        button.form.requestSubmit ? button.form.requestSubmit(button) : button.form.submit();
      }
    });
  }

  function phone(root) {
    const holder = document.getElementById("phone-step");
    const every = (Number(root.dataset.pollSeconds) || 2) * 1000;
    let busy = false;
    let stopped = false; // the page is being left, or the meeting is gone
    window.addEventListener("pagehide", function () { stopped = true; });

    function revision() {
      const shown = holder.querySelector("[data-revision]");
      return shown ? shown.dataset.revision : "";
    }

    function show(html) {
      holder.innerHTML = html;
    }

    // The phone's votes as the server counted them: which buttons are pressed, how many left.
    function showVotes(votes) {
      holder.querySelectorAll("[data-vote-form]").forEach(function (form) {
        const button = form.querySelector("button");
        const mine = votes.mine.indexOf(form.elements.card.value) !== -1;
        button.classList.toggle("btn-primary", mine);
        button.classList.toggle("btn-outline-primary", !mine);
        button.setAttribute("aria-pressed", mine ? "true" : "false");
        button.disabled = !mine && votes.left === 0;
      });
      const left = document.getElementById("votes-left");
      if (left) left.textContent = votes.text;
    }

    function refresh() {
      return fetch(root.dataset.stepUrl, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html !== null) show(html); });
    }

    function poll() {
      if (stopped) return;
      if (busy || document.hidden) {
        // A hidden tab asks again later, so a phone that wakes up follows at once.
        window.setTimeout(poll, every);
        return;
      }
      busy = true;
      fetch(root.dataset.stateUrl, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (state && state.status === "gone") stopped = true;
          else if (state && String(state.revision) !== revision()) return refresh();
        })
        .catch(function () { /* offline for a moment: the next poll tries again */ })
        .finally(function () {
          busy = false;
          const ended = holder.querySelector('[data-status="ended"]');
          if (!ended && !stopped) window.setTimeout(poll, every);
        });
    }

    holder.addEventListener("submit", function (event) {
      const form = event.target.closest("[data-vote-form]");
      if (!form || !window.fetch) return;
      event.preventDefault();
      const button = form.querySelector("button");
      if (button) button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      })
        .then(function (response) {
          // Refused (the vote closed meanwhile): the step as it is now says why.
          if (!response.ok) return refresh();
          return response.json().then(showVotes);
        })
        .catch(function () { if (button) button.disabled = false; });
    });
    window.setTimeout(poll, every);
  }

  if (document.body.hasAttribute("data-meeting-presenter")) presenter();
  const root = document.getElementById("phone");
  if (root && window.fetch) phone(root);
})();
