/* A button with data-confirm asks before it submits (no inline handlers: the
   Content-Security-Policy allows scripts from this site's files only). It asks only once the
   required fields beside it (its fieldset, else its form) are filled: a form the server will
   refuse for a missing reason goes straight to the server, which says what is missing at the
   field, instead of asking "are you sure?" about something that cannot be saved. */
function requiredFieldsMissing(button) {
  var scope = button.closest("fieldset") || button.form;
  if (!scope) return false;
  var fields = scope.querySelectorAll("input, select, textarea");
  for (var i = 0; i < fields.length; i++) {
    if (fields[i].willValidate && !fields[i].checkValidity()) return true;
  }
  return false;
}

document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-confirm]");
  if (!button || requiredFieldsMissing(button)) return;
  if (!window.confirm(button.dataset.confirm)) event.preventDefault();
});
