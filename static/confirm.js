/* A button with data-confirm asks before it submits (no inline handlers: the
   Content-Security-Policy allows scripts from this site's files only). */
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
});
