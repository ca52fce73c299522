/* Jiceng portal: the one script every page loads (after bootstrap and htmx).
 *
 * - htmx requests that change data carry Django's CSRF token, taken from
 *   <meta name="csrf-token"> (base.html) or, failing that, the csrftoken cookie.
 * - <select data-autosubmit> submits its form on change (the language switcher),
 *   so templates need no inline script.
 * - [data-percent] elements (progress bars) get their width from that attribute, on
 *   load and whenever htmx swaps new content in: the Content-Security-Policy allows no
 *   style="" attribute, but setting element.style from a script is allowed.
 */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) {
      return meta.content;
    }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  var SAFE_METHODS = /^(GET|HEAD|OPTIONS|TRACE)$/i;

  document.addEventListener("htmx:configRequest", function (event) {
    if (!SAFE_METHODS.test(event.detail.verb || "")) {
      event.detail.headers["X-CSRFToken"] = csrfToken();
    }
  });

  function setWidthsFromPercent(root) {
    var bars = root.querySelectorAll ? root.querySelectorAll("[data-percent]") : [];
    if (root.matches && root.matches("[data-percent]")) {
      bars = [root].concat(Array.prototype.slice.call(bars));
    }
    Array.prototype.forEach.call(bars, function (bar) {
      var percent = Math.min(100, Math.max(0, parseFloat(bar.getAttribute("data-percent")) || 0));
      bar.style.width = percent + "%";
    });
  }

  setWidthsFromPercent(document);
  document.addEventListener("htmx:load", function (event) {
    setWidthsFromPercent(event.target);
  });

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches("[data-autosubmit]") && el.form) {
      if (el.form.requestSubmit) {
        el.form.requestSubmit();
      } else {
        el.form.submit();
      }
    }
  });
})();
