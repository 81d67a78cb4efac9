/* A generated PDF's progress: polls its status until it is ready, then shows the download link.
   Markup: an element with data-doc-poll and data-status-url, containing [data-doc-label], an optional
   <progress data-doc-progress max="3"> and an empty [data-doc-link] where the link appears once ready. */
(function () {
  var steps = {pending: 1, rendering: 2, ready: 3, failed: 3};
  function watch(el) {
    if (el.dataset.docWatched) return;
    el.dataset.docWatched = "1";
    var left = 200;
    function poll() {
      fetch(el.dataset.statusUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (d) {
        var label = el.querySelector("[data-doc-label]"), bar = el.querySelector("[data-doc-progress]");
        if (label) label.textContent = d.status_label;
        if (bar) bar.value = steps[d.status] || 1;
        el.dataset.docStatus = d.status;
        var wait = el.querySelector("[data-doc-wait]");
        if (wait && (d.ready || d.status === "failed")) wait.hidden = true;
        if (d.ready && d.download_url) {
          var slot = el.querySelector("[data-doc-link]");
          if (slot && !slot.querySelector("a")) {
            var a = document.createElement("a");
            a.href = d.download_url; a.className = slot.dataset.linkClass || ""; a.setAttribute("data-turbo", "false");
            a.setAttribute("data-download", ""); a.textContent = slot.dataset.linkText || "PDF";
            slot.appendChild(a);
          }
          return;
        }
        if (d.status === "failed") {
          var err = el.querySelector("[data-doc-error]");
          if (err) err.hidden = false;
          return;
        }
        if (--left > 0) setTimeout(poll, 1500);
      }).catch(function () { if (--left > 0) setTimeout(poll, 3000); });
    }
    setTimeout(poll, 800);
  }
  function scan() {
    document.querySelectorAll("[data-doc-poll]").forEach(function (el) {
      if (el.dataset.docStatus !== "ready" && el.dataset.docStatus !== "failed") watch(el);
    });
  }
  document.addEventListener("turbo:load", scan);
  if (document.readyState !== "loading") scan(); else document.addEventListener("DOMContentLoaded", scan);
})();
