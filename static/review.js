/* The reviewer's weighted total, live as scores are picked: Σ weight × score ÷ Σ weights,
   rounded half up to two decimals like the server. Without this script the server shows
   the total after saving. */
(function () {
  var form = document.getElementById("score-form");
  var output = document.getElementById("live-total");
  if (!form || !output) return;
  var groups = form.querySelectorAll(".score-options");
  var lang = document.documentElement.lang || "da";

  function update() {
    var sum = 0, weights = 0, complete = true;
    groups.forEach(function (group) {
      var weight = parseInt(group.dataset.weight, 10) || 0;
      var picked = group.querySelector("input[type=radio]:checked");
      weights += weight;
      if (!picked) { complete = false; return; }
      sum += weight * parseInt(picked.value, 10);
    });
    if (!complete || weights <= 0) { output.textContent = "–"; return; }
    var hundredths = Math.floor((200 * sum + weights) / (2 * weights));  /* half up, exact */
    output.textContent = (hundredths / 100).toLocaleString(lang === "en" ? "en-GB" : "da-DK",
      { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  form.addEventListener("change", update);
  update();
})();
