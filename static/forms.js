/* Progressive enhancement for every form, loaded once from base.html (no inline script, so
   a Content-Security-Policy without 'unsafe-inline' holds). Without it the forms work the
   same; the error summary and the "Højst N tegn" hints are rendered by the server.
   - A rejected form's error summary takes focus, so it is scrolled into view and read out
     first (the GOV.UK / Danish design-system pattern).
   - A link in the summary moves focus to its field (for a group of options, the first one),
     unfolding a <details> around it.
   - A field with a length limit counts the characters left as one types. */
(function () {
  "use strict";

  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  function focusable(target) {
    if (target.matches("input, select, textarea, button")) return target;
    return target.querySelector("input:not([type=hidden]), select, textarea");
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    var input = target && focusable(target);
    if (!input) return;
    event.preventDefault();
    var details = input.closest("details");
    if (details) details.open = true;
    var field = input.closest(".field, fieldset") || input;
    field.scrollIntoView();
    input.focus({ preventScroll: true });
  });

  document.querySelectorAll(".char-count[data-for]").forEach(function (counter) {
    var input = document.getElementById(counter.dataset.for);
    var max = parseInt(counter.dataset.max, 10);
    if (!input || !max) return;
    var lang = document.documentElement.lang || "da";
    var format = function (n) { return n.toLocaleString(lang === "en" ? "en-GB" : "da-DK"); };
    /* Screen readers hear the count once typing pauses, not at every key. */
    var spoken = document.createElement("span");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    counter.after(spoken);
    var timer = null;
    function update() {
      var left = max - input.value.length;
      var text = counter.dataset.left.replace("{left}", format(left)).replace("{max}", format(max));
      counter.textContent = text;
      counter.classList.toggle("over", left < 0);
      clearTimeout(timer);
      timer = setTimeout(function () { spoken.textContent = text; }, 1000);
    }
    input.addEventListener("input", update);
    counter.textContent = counter.dataset.left
      .replace("{left}", format(max - input.value.length))
      .replace("{max}", format(max));
  });
})();
