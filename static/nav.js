/* The main menu folds behind a "Menu" button on a narrow screen (see .nav-toggle in
   portal.css); Escape folds it again. Without this script the button stays hidden and the
   menu wraps. */
(function () {
  var toggle = document.querySelector(".nav-toggle");
  if (!toggle) return;
  var narrow = window.matchMedia("(max-width: 48em)");

  function fold() {
    toggle.setAttribute("aria-expanded", narrow.matches ? "false" : "true");
  }

  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", open ? "false" : "true");
  });
  // Escape closes the open phone menu and puts the focus back on its button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !narrow.matches) return;
    if (toggle.getAttribute("aria-expanded") !== "true") return;
    toggle.setAttribute("aria-expanded", "false");
    toggle.focus();
  });
  if (narrow.addEventListener) narrow.addEventListener("change", fold);
  fold();
})();
