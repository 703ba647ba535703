/*
 * Click-to-load for videos at YouTube or Vimeo (templates/components/video_player.html).
 *
 * Nothing is asked of the other site until the visitor presses the button: only then does
 * the placeholder become an iframe, at the privacy-enhanced address the server wrote in
 * data-video-embed (the only frame hosts our Content-Security-Policy allows). Without this
 * script the button stays hidden and the placeholder links to the video on the other site.
 */
(function () {
    "use strict";

    var ALLOWED = /^https:\/\/(www\.youtube-nocookie\.com\/embed\/|player\.vimeo\.com\/video\/)/;

    function load(player) {
        var placeholder = player.querySelector("[data-video-placeholder]");
        var frame = document.createElement("iframe");
        frame.src = player.getAttribute("data-video-embed");
        frame.title = player.getAttribute("data-video-title") || "Video";
        frame.width = "1280";
        frame.height = "720";
        frame.className = "video-player__frame video-player__iframe";
        frame.setAttribute("allow", "fullscreen; picture-in-picture; encrypted-media");
        frame.setAttribute("allowfullscreen", "");
        // The page sends no referrer to other sites; YouTube's player refuses to play without
        // knowing which site embeds it, so this one frame tells it our origin (not the page).
        frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
        placeholder.replaceWith(frame);
        frame.focus();
    }

    document.querySelectorAll("[data-video-embed]").forEach(function (player) {
        var button = player.querySelector("[data-video-load]");
        if (!button || !ALLOWED.test(player.getAttribute("data-video-embed") || "")) {
            return;
        }
        button.hidden = false;
        button.addEventListener("click", function () {
            load(player);
        });
    });
})();
