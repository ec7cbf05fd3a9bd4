// Star and unstar without reloading the page (and so without losing the scroll position).
// Without JavaScript the same forms post and come back to the session on the page.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.classList || !form.classList.contains("star-form")) return;
  event.preventDefault();
  // getAttribute: the form has a field named "action", which shadows form.action.
  fetch(form.getAttribute("action"), {
    method: "POST",
    body: new FormData(form),
    headers: { "X-Requested-With": "fetch" },
    credentials: "same-origin",
  })
    .then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.text();
    })
    .then(function (html) {
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var replacement = holder.firstElementChild;
      form.replaceWith(replacement);
      replacement.querySelector("button").focus();
    })
    .catch(function () {
      form.submit();
    });
});
