// Ask before giving something away, in a dialog on the page. A link marked data-confirm
// leads, without JavaScript, to a page that asks the same; here the dialog posts the form
// that page would. A submit button marked data-confirm sends its form once confirmed.
(function () {
  var dialog = document.getElementById("confirm-dialog");
  if (!dialog || typeof dialog.showModal !== "function") return;
  var form = dialog.querySelector("form");
  var yes = dialog.querySelector(".confirm-yes");
  var no = dialog.querySelector(".confirm-no");
  var trigger = null;

  document.addEventListener("click", function (event) {
    var found = event.target.closest("[data-confirm]");
    if (!found) return;
    event.preventDefault();
    trigger = found;
    dialog.querySelector(".confirm-question").textContent = found.dataset.confirm;
    yes.textContent = found.dataset.confirmYes;
    no.textContent = found.dataset.confirmNo;
    if (found.dataset.action) {
      form.setAttribute("action", found.dataset.action);
      form.elements.next.value = found.dataset.next || "";
    }
    dialog.showModal();
    no.focus();
  });

  yes.addEventListener("click", function (event) {
    if (trigger && !trigger.dataset.action) {
      // A button of another form: send that form with the button's own value.
      event.preventDefault();
      var chosen = document.createElement("input");
      chosen.type = "hidden";
      chosen.name = trigger.name;
      chosen.value = trigger.value;
      trigger.form.appendChild(chosen);
      dialog.close();
      trigger.form.submit();
    }
  });

  no.addEventListener("click", function () {
    dialog.close();
  });

  dialog.addEventListener("close", function () {
    if (trigger) trigger.focus();
  });
})();
