// The theme's scripts bind the sidebar toggles they find first on the page, which sit in a header
// the book's theme hides; the buttons a reader sees pass their clicks on to those, so the menu
// opens on a phone (and the sidebar folds away on a wide screen), by pointer or by keyboard.
(function () {
  function connect() {
    [".primary-toggle", ".secondary-toggle"].forEach(function (selector) {
      var buttons = Array.prototype.slice.call(document.querySelectorAll(selector));
      buttons.slice(1).forEach(function (button) {
        button.addEventListener("click", function (event) {
          event.preventDefault();
          event.stopPropagation();
          buttons[0].click();
        });
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", connect);
  } else {
    connect();
  }
})();
