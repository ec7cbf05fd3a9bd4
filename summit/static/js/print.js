// The "Print" button of the pages that offer one. Without JavaScript it stays hidden and the
// browser's own menu prints (the print stylesheet applies either way).
document.querySelectorAll(".print-action").forEach(function (action) {
  action.querySelector("button").addEventListener("click", function () {
    window.print();
  });
  action.hidden = false;
});
