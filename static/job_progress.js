/* A job's progress bar, kept current by polling its status (JSON) every two seconds; when
   the job is finished the page is loaded again and shows the download. Without this script
   the page refreshes itself (a meta refresh inside <noscript>). */
(function () {
  var box = document.getElementById("job");
  if (!box || box.dataset.finished === "true") return;
  var bar = document.getElementById("job-progress");
  var count = document.getElementById("job-count");
  var url = box.dataset.statusUrl;

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) return;
        if (job.finished) { window.location.reload(); return; }
        if (!job.total) return; // not counted yet: the bar stays indeterminate
        bar.max = job.total;
        bar.value = job.done;
        bar.textContent = job.done + "/" + job.total;
        count.textContent = count.dataset.of.replace("{done}", job.done).replace("{total}", job.total);
      })
      .catch(function () { /* a missed poll: the next one tries again */ })
      .then(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 2000);
})();
