/* A repair request's generated documents (decision letter, SPP, …) that are still being made: polls each one's
   status until it is ready, then adds the download link. Markup: items with data-doc-status and data-doc-id,
   each with a [data-doc-label]; this script tag carries data-status-url (the status URL of document 0) and
   data-download-label. */
(function () {
  var script = document.currentScript;
  var items = document.querySelectorAll('[data-doc-status="pending"],[data-doc-status="rendering"]');
  if (!items.length || !script) return;
  var urlOf0 = script.dataset.statusUrl, label = script.dataset.downloadLabel || "PDF";
  var left = 30;
  function poll() {
    var pending = 0;
    items.forEach(function (li) {
      if (li.dataset.docStatus === "ready" || li.dataset.docStatus === "failed") return;
      pending++;
      fetch(urlOf0.replace("/0/", "/" + li.dataset.docId + "/"), {credentials: "same-origin"})
        .then(function (r) { return r.json(); }).then(function (d) {
          li.dataset.docStatus = d.status;
          li.querySelector("[data-doc-label]").textContent = d.status_label;
          if (d.ready && d.download_url && !li.querySelector("[data-download]")) {
            var a = document.createElement("a"); a.href = d.download_url; a.dataset.download = "";
            a.setAttribute("data-turbo", "false"); a.textContent = " " + label; li.appendChild(a);
          }
        }).catch(function () {});
    });
    if (pending && --left > 0) setTimeout(poll, 2000);
  }
  setTimeout(poll, 1000);
})();
