/* Regulation editor (the whole draft and one provision's page). Bound once per window: Turbo Drive runs a
   body script on every visit. */
(function () {
  if (window.__perdaEditorBound) return;
  window.__perdaEditorBound = true;

  // The citation phrase the drafter may already have typed just before the cursor.
  var PHRASE = /sebagaimana\s+dimaksud\s+(dalam|pada)\s*$/i;

  function referenceText(before, uid) {
    var token = "[[ref:" + uid + "]]";
    if (PHRASE.test(before)) return (/\s$/.test(before) ? "" : " ") + token;
    return (before && !/\s$/.test(before) ? " " : "") + "sebagaimana dimaksud dalam " + token;
  }
  window.perdaReferenceText = referenceText;  // for the browser tests

  document.addEventListener("click", function (e) {
    var t = e.target;
    if (!t.matches) return;
    if (t.matches("button[data-confirm]") && !window.confirm(t.getAttribute("data-confirm"))) {
      e.preventDefault();
      return;
    }
    if (t.matches("button[data-insert-ref]")) {
      e.preventDefault();
      var sel = document.getElementById("ref-target");
      var area = document.querySelector("textarea[data-ref-input]");
      if (!sel || !sel.value || !area) { if (sel) sel.focus(); return; }
      var s = area.selectionStart == null ? area.value.length : area.selectionStart;
      var en = area.selectionEnd == null ? s : area.selectionEnd;
      var text = referenceText(area.value.slice(0, s), sel.value);
      area.value = area.value.slice(0, s) + text + area.value.slice(en);
      area.selectionStart = area.selectionEnd = s + text.length;
      area.focus();
    }
  });
  document.addEventListener("submit", function (e) {
    var f = e.target, human = f.querySelector("input[name=position_human]");
    if (human) f.querySelector("input[name=position]").value = human.value ? (parseInt(human.value, 10) - 1) : "";
  });
})();
