// Ask before giving something away, in a dialog on the page. A link marked data-confirm
// leads, without JavaScript, to a page that asks the same; here the dialog posts what that
// page would. A submit button marked data-confirm sends its own form once confirmed.
(function () {
  var dialog = document.getElementById("confirm-dialog");
  if (!dialog || typeof dialog.showModal !== "function") return;
  var yes = dialog.querySelector(".confirm-yes");
  var no = dialog.querySelector(".confirm-no");
  var trigger = null;

  function field(form, name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }

  document.addEventListener("click", function (event) {
    var found = event.target.closest("[data-confirm]");
    if (!found) return;
    event.preventDefault();
    trigger = found;
    dialog.querySelector(".confirm-question").textContent = found.dataset.confirm;
    yes.textContent = found.dataset.confirmYes;
    no.textContent = found.dataset.confirmNo;
    dialog.showModal();
    no.focus();
  });

  yes.addEventListener("click", function () {
    if (!trigger) return;
    var form = trigger.form;
    if (trigger.dataset.action) {
      form = document.createElement("form");
      form.method = "post";
      form.setAttribute("action", trigger.dataset.action);
      field(form, "csrfmiddlewaretoken", dialog.dataset.csrf);
      field(form, "action", "cancel");
      field(form, "next", trigger.dataset.next || "");
      document.body.appendChild(form);
    } else {
      // A button of its own form: send that form with the button's value.
      field(form, trigger.name, trigger.value);
    }
    yes.disabled = true;
    form.submit();
  });

  no.addEventListener("click", function () {
    dialog.close();
  });

  dialog.addEventListener("close", function () {
    if (trigger) trigger.focus();
  });
})();
