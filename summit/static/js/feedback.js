// The outcome of what was just done, in view and read out: focus moves to the messages.
(function () {
  var messages = document.getElementById("messages");
  if (!messages) return;
  messages.focus({ preventScroll: true });
  messages.scrollIntoView({ block: "nearest" });
})();
