// The plain-language check in the page editor, updated while the editor writes.
// Posts the edit form (never saved) to this site's own check address and shows the answer.
// Without JavaScript the same check is shown after every save.
(function () {
  "use strict";

  var DELAY = 800;

  function setUp(panel) {
    var form = panel.closest("form");
    var url = panel.getAttribute("data-check-url");
    var results = panel.querySelector("[data-plain-language-results]");
    if (!form || !url || !results || !window.fetch) {
      return;
    }
    var timer = null;
    var sent = 0;

    function check() {
      var number = ++sent;
      fetch(url, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "XMLHttpRequest" },
      })
        .then(function (response) {
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          // Only the newest answer counts: an older one may arrive later.
          if (html !== null && number === sent) {
            results.innerHTML = html;
          }
        })
        .catch(function () {
          // Offline or signed out: the check after saving still shows.
        });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, DELAY);
    }

    form.addEventListener("input", later);
    form.addEventListener("change", later);
  }

  function start() {
    var panels = document.querySelectorAll("[data-plain-language]");
    for (var i = 0; i < panels.length; i++) {
      setUp(panels[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
