// Give the admin's autocomplete boxes (select2) the name of their field's label, so that screen
// readers announce what the box is for (select2 names them only by their current value).
"use strict";
(function () {
  function nameBoxes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const label = document.querySelector('label[for="' + select.id + '"]');
      const box = select.parentElement.querySelector(".select2-selection");
      if (!label || !box) {
        return;
      }
      if (!label.id) {
        label.id = select.id + "_label";
      }
      const names = (box.getAttribute("aria-labelledby") || "").split(" ").filter(Boolean);
      if (!names.includes(label.id)) {
        box.setAttribute("aria-labelledby", [label.id].concat(names).join(" "));
      }
      // The box's inner text holder and search field are named by the label too.
      box.querySelectorAll('[role="textbox"], .select2-search__field').forEach(function (holder) {
        holder.setAttribute("aria-labelledby", label.id);
      });
    });
  }
  new MutationObserver(nameBoxes).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", nameBoxes);
})();
