// Small enhancements; every page works without them.
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copyTarget);
  if (!field) return;
  const done = function () {
    const original = button.textContent;
    button.textContent = button.dataset.copiedText || original;
    setTimeout(function () { button.textContent = original; }, 2000);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done);
  } else {
    field.select();
    document.execCommand("copy");
    done();
  }
});

document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});

document.addEventListener("change", function (event) {
  const select = event.target.closest("[data-reload-with]");
  if (!select) return;
  const url = new URL(window.location.href);
  url.searchParams.set(select.dataset.reloadWith, select.value);
  url.searchParams.delete("text");
  window.location.assign(url.toString());
});
