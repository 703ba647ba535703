/*
 * After a sign-up (or a suggestion, or a story offer) is sent, "back" must not show what was
 * typed: on a shared device the next person could read it. Browsers refill a form from their
 * history; this empties it again, but only once something was sent in this tab, so a resident
 * who steps away mid-form (to the privacy statement, say) and comes back keeps what they typed.
 *
 * The thank-you pages mark the tab (sessionStorage: a flag, nothing personal, gone with the
 * tab); the form pages empty their forms when they are shown again with that mark.
 */
(function () {
    "use strict";

    var KEY = "doorvertellen:sent";

    function store(action) {
        try {
            return action(window.sessionStorage);
        } catch (error) {
            return null; // storage switched off: nothing to do
        }
    }

    if (document.querySelector("[data-form-sent]")) {
        store(function (storage) {
            storage.setItem(KEY, "1");
        });
    }

    window.addEventListener("pageshow", function () {
        var forms = document.querySelectorAll("form[data-forget-after-send]");
        if (!forms.length || !store(function (storage) { return storage.getItem(KEY); })) {
            return;
        }
        for (var i = 0; i < forms.length; i += 1) {
            forms[i].reset();
        }
        store(function (storage) {
            storage.removeItem(KEY);
        });
    });
})();
