// Show a session's times in the visitor's own zone where it differs from the summit's.
(function () {
  var visitor = Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.querySelectorAll(".local-time[data-start]").forEach(function (node) {
    if (!visitor || visitor === node.dataset.zone) return;
    var locale = node.getAttribute("lang") || document.documentElement.lang;
    var format = new Intl.DateTimeFormat(locale, {
      weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
      timeZone: visitor, timeZoneName: "short"
    });
    var start = new Date(node.dataset.start);
    var end = new Date(node.dataset.end);
    // French puts a no-break space before the colon.
    var colon = locale === "fr" ? "\u00a0: " : ": ";
    node.textContent = node.dataset.label + colon + format.formatRange(start, end);
    node.hidden = false;
  });
})();
