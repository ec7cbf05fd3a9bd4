// Copy buttons beside read-only links. Without JavaScript they stay hidden and the link
// stays selectable text.
document.querySelectorAll(".copy-action").forEach(function (action) {
  var field = document.getElementById(action.dataset.copies);
  var button = action.querySelector("button");
  var status = action.querySelector(".copy-status");
  if (!field || !button) return;
  button.addEventListener("click", function () {
    var said = function (text) {
      status.textContent = text;
    };
    var fallback = function () {
      field.select();
      said(document.execCommand("copy") ? action.dataset.copied : action.dataset.failed);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () {
        said(action.dataset.copied);
      }, fallback);
    } else {
      fallback();
    }
  });
  action.hidden = false;
});
