/*
 * "Kopieer link" for the share block of a story (templates/components/share_links.html).
 *
 * Copies the story's address (with ?deel=link) to the clipboard. It tells nobody: no request
 * is made, so copying is not counted; a visit through the copied link is. Where the clipboard
 * cannot be used (an old browser, a page not served over HTTPS) the address is selected, so
 * the visitor can copy it with their own keys or menu. Without this script the button stays
 * hidden and the address is in a text field to copy by hand.
 */
(function () {
    "use strict";

    function select(field) {
        field.focus();
        field.select();
        field.setSelectionRange(0, field.value.length);
    }

    function setUp(block) {
        var field = block.querySelector("[data-share-copy-field]");
        var button = block.querySelector("[data-share-copy-button]");
        var status = block.querySelector("[data-share-copy-status]");
        if (!field || !button || block.hasAttribute("data-share-ready")) {
            return;
        }
        block.setAttribute("data-share-ready", "");
        button.hidden = false;

        function say(message) {
            // Empty first, so the same message is announced again on a second click.
            status.textContent = "";
            window.setTimeout(function () {
                status.textContent = message;
            }, 50);
        }

        function fallback() {
            select(field);
            say(button.getAttribute("data-selected"));
        }

        button.addEventListener("click", function () {
            if (navigator.clipboard && window.isSecureContext) {
                navigator.clipboard.writeText(field.value).then(function () {
                    say(button.getAttribute("data-copied"));
                }, fallback);
            } else {
                fallback();
            }
        });

        field.addEventListener("focus", function () {
            field.select();
        });
    }

    function init() {
        var blocks = document.querySelectorAll("[data-share-copy]");
        for (var i = 0; i < blocks.length; i += 1) {
            setUp(blocks[i]);
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
