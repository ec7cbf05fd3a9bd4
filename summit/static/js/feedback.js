// The outcome of what was just done, in view and read out: focus moves to the messages,
// once the page is loaded (going to a #fragment on load would take the focus back).
(function () {
  var messages = document.getElementById("messages");
  if (!messages) return;
  function show() {
    messages.focus({ preventScroll: true });
    messages.scrollIntoView({ block: "nearest" });
  }
  if (document.readyState === "complete") show();
  else window.addEventListener("load", function () { setTimeout(show, 0); });
})();
