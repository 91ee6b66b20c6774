// Report page, progressive enhancement: polls the report's status and moves the bar without reloading;
// stops once it is done (shows the download link) or failed (shows the reason and "Volver a generar").
// Without JavaScript the "Actualizar" link reloads the page and the server renders the same state.
(function () {
  "use strict";
  var box = document.querySelector("[data-report-status-url]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-report-status-url");
  var bar = box.querySelector("[data-report-bar]");
  var percent = box.querySelector("[data-report-percent]");
  var label = box.querySelector("[data-report-label]");
  var rows = box.querySelector("[data-report-rows]");
  var EVERY = 1500, MAX_FAILURES = 20, failures = 0;

  function show(selector, visible) {
    var element = box.querySelector(selector);
    if (element) { element.hidden = !visible; }
    return element;
  }

  function render(state) {
    bar.value = state.progress;
    bar.textContent = state.progress + " %";
    percent.textContent = state.progress + " %";
    if (label.textContent !== state.status_label) { label.textContent = state.status_label; }
    if (state.rows !== null && rows) { rows.textContent = state.rows; }
    if (state.status === "done" || state.status === "failed") {
      show("[data-report-wait]", false);
      show("[data-report-refresh]", false);
    }
    if (state.status === "done" && state.download_url) {
      show("[data-report-done]", true).querySelector("a").href = state.download_url;
    }
    if (state.status === "failed") {
      show("[data-report-progress]", false);  // a failed report has no progress to show
      show("[data-report-failed]", true).querySelector("[data-report-error]").textContent = state.error;
    }
    return state.status === "queued" || state.status === "running";
  }

  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}, cache: "no-store"})
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (state) {
        failures = 0;
        if (render(state)) { window.setTimeout(poll, EVERY); }
      })
      .catch(function () {
        // A lost connection or a restarting server: keep trying a while; the "Actualizar" link remains.
        failures += 1;
        if (failures < MAX_FAILURES) { window.setTimeout(poll, EVERY * 2); }
      });
  }

  window.setTimeout(poll, EVERY);
}());
