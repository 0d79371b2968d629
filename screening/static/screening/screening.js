// Screening page: keep the "n of 13 answered" progress current as answers are
// chosen. The server renders the same figure, so the page works without this.
(function () {
  "use strict";
  var form = document.querySelector("[data-screening-form]");
  if (!form) return;
  var progress = form.querySelector("progress");
  var text = form.querySelector("[data-progress-text]");
  var names = [];
  form.querySelectorAll("input[type=radio]").forEach(function (input) {
    if (names.indexOf(input.name) === -1) names.push(input.name);
  });

  function update() {
    var answered = names.filter(function (name) {
      return form.querySelector('input[name="' + name + '"]:checked');
    }).length;
    progress.value = answered;
    text.textContent = answered + " of " + names.length + " answered";
  }

  form.addEventListener("change", update);
  update();
})();
