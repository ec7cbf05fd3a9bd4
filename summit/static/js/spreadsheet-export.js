// The export page's "Select all" box, bound here: the Content-Security-Policy refuses the
// inline handler of django-import-export's own page (its function is in its script).
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".select-toggle");
  if (toggle && typeof onSelectToggleChange === "function") {
    toggle.addEventListener("change", onSelectToggleChange);
  }
});
