// The team queue refreshes itself: every data-poll seconds it fetches the same URL as a
// fragment (header X-Console-Poll: the server answers with the state filters and the rows
// only, and does not count the fetch as activity for the session's idle expiry) and swaps
// them in. Paused while the tab is hidden; refreshed at once when it shows again after a
// missed turn. A signed-out or failed answer stops the polling (the next click signs in).
(function () {
  "use strict";
  var rows = document.getElementById("queue-rows");
  if (!rows || !window.fetch || !window.DOMParser) { return; }
  var seconds = parseInt(rows.getAttribute("data-poll"), 10);
  if (!(seconds > 0)) { return; }
  var timer = null;
  var missed = false;
  var stopped = false;

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    ["queue-states", "queue-rows"].forEach(function (id) {
      var now = document.getElementById(id);
      var next = fresh.getElementById(id);
      if (now && next) { now.replaceWith(next); }
    });
  }

  function refresh() {
    if (stopped) { return; }
    if (document.visibilityState === "hidden") { missed = true; return; }
    missed = false;
    fetch(window.location.href, {
      headers: { "X-Console-Poll": "1" },
      credentials: "same-origin",
      redirect: "manual",
      cache: "no-store"
    }).then(function (answer) {
      if (answer.status !== 200) { stopped = true; return null; }
      return answer.text();
    }).then(function (html) {
      if (html) { swap(html); }
    }).catch(function () { /* offline for a moment: try again next turn */ });
  }

  timer = window.setInterval(refresh, seconds * 1000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && missed) { refresh(); }
  });
  window.addEventListener("pagehide", function () { window.clearInterval(timer); });
})();
