/* The consultation report being generated: polls its status (data-status-url on [data-report-status]) and
   reloads the page when it is ready. */
(function () {
  var el = document.querySelector("[data-report-status]");
  if (!el || el.dataset.polling) return;
  el.dataset.polling = "1";
  var timer = setInterval(function () {
    fetch(el.dataset.statusUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (d) {
      if (d.ready || d.error) { clearInterval(timer); window.location.reload(); }
      else { el.textContent = el.textContent.split(":")[0] + ": " + d.status_label; }
    });
  }, 2000);
})();
