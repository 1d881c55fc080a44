// Evaluation pages: the print button of the Dokumen Evaluasi (the page prints without it too).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    window.print();
  }
});
