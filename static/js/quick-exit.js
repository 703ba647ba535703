/*
 * "Snel weg" (templates/components/quick_exit.html): leave the site at once for a neutral one.
 *
 * For a resident who shares a phone or computer with someone who must not see this site. The
 * button, or Escape pressed twice within a second anywhere on the page, hides the page at once
 * and replaces the current history entry with the neutral site, so "back" does not return
 * here. Without this script the button is a plain link and still leaves the site.
 */
(function () {
    "use strict";

    var DOUBLE_PRESS_MS = 1000;

    function init() {
        var link = document.querySelector("[data-quick-exit]");
        if (!link) {
            return;
        }
        var lastEscape = 0;

        function leave(event) {
            if (event) {
                event.preventDefault();
            }
            // Nothing of the page stays on screen while the neutral site loads.
            document.documentElement.style.visibility = "hidden";
            document.title = "";
            window.location.replace(link.href);
        }

        link.addEventListener("click", function (event) {
            // A click with a modifier (new tab) is left to the browser.
            if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
                return;
            }
            leave(event);
        });

        document.addEventListener("keydown", function (event) {
            if (event.key !== "Escape" && event.key !== "Esc") {
                return;
            }
            var now = Date.now();
            if (now - lastEscape <= DOUBLE_PRESS_MS) {
                leave(event);
            }
            lastEscape = now;
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
