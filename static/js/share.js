// The phone's own share sheet (WhatsApp, mail, ...) for the invitation. Progressive: the
// button stays hidden where the browser cannot share; copying the message always works.
(function () {
  if (typeof navigator.share !== "function") return;
  document.querySelectorAll("[data-share]").forEach(function (button) {
    const data = { title: button.dataset.shareTitle, text: button.dataset.shareText };
    if (navigator.canShare && !navigator.canShare(data)) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      // A cancelled share rejects; nothing to do then.
      navigator.share(data).catch(function () {});
    });
  });
})();
