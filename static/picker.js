/* A searchable list of checkboxes over a multi-select (the co-applicant picker): type to
   narrow the 97 municipalities, tick the ones you want. The select stays in the form (hidden)
   and carries the choice, so the page works the same without this script. */
(function () {
  document.querySelectorAll(".picker-host").forEach(function (host) {
    var select = host.querySelector("select[multiple]");
    if (!select) return;
    var box = document.createElement("div");
    box.className = "picker";
    var searchId = select.id + "-search";
    var label = document.createElement("label");
    label.htmlFor = searchId;
    label.textContent = host.dataset.searchLabel;
    var search = document.createElement("input");
    search.type = "search";
    search.id = searchId;
    search.autocomplete = "off";
    var chosen = document.createElement("p");
    chosen.className = "picker-chosen";
    chosen.setAttribute("aria-live", "polite");
    var list = document.createElement("ul");
    list.className = "picker-list";
    list.setAttribute("aria-label", host.dataset.listLabel);

    Array.prototype.forEach.call(select.options, function (option, i) {
      var item = document.createElement("li");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.id = select.id + "-pick-" + i;
      box.checked = option.selected;
      box.addEventListener("change", function () {
        option.selected = box.checked;
        showChosen();
      });
      var text = document.createElement("label");
      text.htmlFor = box.id;
      text.textContent = option.textContent;
      item.appendChild(box);
      item.appendChild(text);
      item.dataset.name = option.textContent.toLowerCase();
      list.appendChild(item);
    });

    function showChosen() {
      var names = Array.prototype.filter.call(select.options, function (o) { return o.selected; })
        .map(function (o) { return o.textContent; });
      chosen.textContent = host.dataset.chosenLabel + " " + (names.length ? names.join(", ") : host.dataset.noneLabel);
    }

    search.addEventListener("input", function () {
      var wanted = search.value.trim().toLowerCase();
      Array.prototype.forEach.call(list.children, function (item) {
        item.hidden = wanted !== "" && item.dataset.name.indexOf(wanted) === -1;
      });
    });

    box.appendChild(label);
    box.appendChild(search);
    box.appendChild(chosen);
    box.appendChild(list);
    select.hidden = true;
    var selectLabel = host.querySelector("label[for='" + select.id + "']");
    if (selectLabel) selectLabel.htmlFor = searchId;
    select.parentNode.insertBefore(box, select.nextSibling);
    showChosen();
  });
})();
