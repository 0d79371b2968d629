// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // After a failed submit, move focus to the error summary so screen readers hear it first.
  var summary = document.querySelector("[data-autofocus]");
  if (summary) summary.focus();

  // Sign-up: pre-select the browser's own time zone; the person can still change it.
  var zoneSelect = document.querySelector("select[data-browser-timezone]");
  if (zoneSelect && !zoneSelect.dataset.chosen) {
    try {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (zone && zoneSelect.querySelector('option[value="' + zone + '"]')) zoneSelect.value = zone;
    } catch (e) { /* keep the server's default */ }
  }
})();
