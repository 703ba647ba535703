/*
 * "Lees voor" (templates/components/read_aloud.html): the page read aloud by the browser's own
 * speech synthesis, for residents who find reading hard. No text leaves the device.
 *
 * The text is read block by block (headings, paragraphs, list items, quotes), in the page's
 * language, skipping what is marked data-read-aloud-skip and forms. Pressing the button again
 * stops. Where speech synthesis is missing the button stays hidden.
 */
(function () {
    "use strict";

    var BLOCKS = "h1, h2, h3, h4, p, li, blockquote, figcaption, dt, dd, summary";
    var MAX_CHUNK = 180; // some voices stop after a few hundred characters

    function supported() {
        return "speechSynthesis" in window && typeof window.SpeechSynthesisUtterance === "function";
    }

    function skipped(element) {
        return Boolean(element.closest("[data-read-aloud-skip], form, [hidden], nav, video"));
    }

    function chunks(text) {
        var sentences = text.match(/[^.!?]+[.!?]*["”’)]*\s*/g) || [text];
        var result = [];
        var current = "";
        sentences.forEach(function (sentence) {
            if ((current + sentence).length > MAX_CHUNK && current) {
                result.push(current.trim());
                current = "";
            }
            current += sentence;
        });
        if (current.trim()) {
            result.push(current.trim());
        }
        return result;
    }

    function textOf(region) {
        var parts = [];
        var blocks = region.querySelectorAll(BLOCKS);
        for (var i = 0; i < blocks.length; i += 1) {
            var block = blocks[i];
            // A list item or quote holding paragraphs is read through those paragraphs.
            if (skipped(block) || block.querySelector(BLOCKS)) {
                continue;
            }
            var text = (block.innerText || block.textContent || "").replace(/\s+/g, " ").trim();
            if (text) {
                parts.push.apply(parts, chunks(text));
            }
        }
        return parts;
    }

    function voiceFor(lang) {
        var voices = window.speechSynthesis.getVoices() || [];
        var base = lang.split("-")[0].toLowerCase();
        for (var i = 0; i < voices.length; i += 1) {
            if ((voices[i].lang || "").toLowerCase().split(/[-_]/)[0] === base) {
                return voices[i];
            }
        }
        return null;
    }

    function setUp(box) {
        var region = document.querySelector(box.getAttribute("data-read-aloud"));
        var button = box.querySelector("button");
        var label = box.querySelector(".read-aloud__label");
        if (!region || !button) {
            return;
        }
        var speech = window.speechSynthesis;
        var reading = false;

        function show(isReading) {
            reading = isReading;
            button.setAttribute("aria-pressed", isReading ? "true" : "false");
            label.textContent = button.getAttribute(isReading ? "data-stop" : "data-start");
        }

        function stop() {
            speech.cancel();
            show(false);
        }

        function start() {
            var lang = (region.closest("[lang]") || document.documentElement).getAttribute("lang") || "nl";
            var voice = voiceFor(lang);
            var parts = textOf(region);
            if (!parts.length) {
                return;
            }
            speech.cancel();
            show(true);
            parts.forEach(function (part, index) {
                var utterance = new window.SpeechSynthesisUtterance(part);
                utterance.lang = lang;
                if (voice) {
                    utterance.voice = voice;
                }
                utterance.rate = 0.9; // a little slower than usual: easier to follow
                if (index === parts.length - 1) {
                    utterance.onend = function () {
                        show(false);
                    };
                }
                utterance.onerror = function () {
                    show(false);
                };
                speech.speak(utterance);
            });
        }

        button.addEventListener("click", function () {
            if (reading) {
                stop();
            } else {
                start();
            }
        });
        // Leaving the page (also by the quick exit) stops the voice.
        window.addEventListener("pagehide", function () {
            speech.cancel();
        });
        box.hidden = false;
    }

    function init() {
        if (!supported()) {
            return;
        }
        var boxes = document.querySelectorAll("[data-read-aloud]");
        for (var i = 0; i < boxes.length; i += 1) {
            setUp(boxes[i]);
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
