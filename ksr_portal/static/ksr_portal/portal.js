// After a refused submission the page opens on the summary of its errors: it is announced (role
// "alert") and takes the focus, so that keyboard and screen reader users start from the list of what
// to correct, each entry a link to its field. (The summary also asks for the focus by `autofocus`.)
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  const summary = document.querySelector(".error-summary");
  if (summary && document.activeElement !== summary) {
    summary.focus();
  }
});
