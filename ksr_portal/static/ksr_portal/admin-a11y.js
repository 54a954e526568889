// Repairs to the accessibility of widgets that Django's admin builds in the browser, where no template
// reaches: the autocomplete boxes (select2), the two-list selector (filter_horizontal); and the form's
// error summary, which takes the focus after a refused save.
"use strict";
(function () {
  // Give the admin's autocomplete boxes (select2) the name of their field's label, so that screen
  // readers announce what the box is for (select2 names them only by their current value).
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

  // A multiple autocomplete box lists its choices in a <ul>, and select2 puts its "remove all" cross,
  // a <span>, straight into that list, which makes it an invalid list. The cross (a mouse shortcut:
  // each choice has its own, and Backspace removes them from the keyboard) goes into an item of its
  // own, hidden from screen readers; select2 empties the list on every change, item and all.
  function mendChoiceLists() {
    document.querySelectorAll("ul.select2-selection__rendered > .select2-selection__clear").forEach(function (cross) {
      const item = document.createElement("li");
      item.className = "select2-selection__clear-item";
      item.setAttribute("aria-hidden", "true");
      cross.replaceWith(item);
      item.appendChild(cross);
    });
  }

  // The two-list selector's filter boxes are labelled by an icon, a <span> given an aria-label, which
  // a span may not have: the words become the label's own text, visually hidden beside the icon.
  function nameFilterBoxes() {
    document.querySelectorAll(".selector-filter label > .search-label-icon[aria-label]").forEach(function (icon) {
      const words = document.createElement("span");
      words.className = "visually-hidden";
      words.textContent = icon.getAttribute("aria-label");
      icon.removeAttribute("aria-label");
      icon.setAttribute("aria-hidden", "true");
      icon.after(words);
    });
  }

  // After a refused save the page opens on the summary of its errors, which is announced (role
  // "alert") and takes the focus, so that a keyboard or screen reader user starts from the list of
  // what to correct; each entry links to its field.
  function focusErrorSummary() {
    const summary = document.querySelector(".error-summary");
    if (summary && document.activeElement !== summary) {
      summary.focus();
    }
  }

  function mend() {
    nameBoxes();
    mendChoiceLists();
    nameFilterBoxes();
  }

  // Widgets are built after the page loads and rebuilt as one works: mend once after each burst of
  // changes, and only when elements were added.
  let scheduled = false;
  new MutationObserver(function (records) {
    if (scheduled || !records.some((record) => Array.from(record.addedNodes).some((node) => node.nodeType === 1))) {
      return;
    }
    scheduled = true;
    setTimeout(function () {
      scheduled = false;
      mend();
    }, 0);
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", mend);
  // On the page's load, after Django's own script has put the focus on an add form's first field.
  window.addEventListener("load", focusErrorSummary);
})();
