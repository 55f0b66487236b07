// "Use my location": ask the browser for a position and load the nearest halls with it.
// The button stays hidden where geolocation is unavailable; the region choice always works.
(function () {
  function wire(button) {
    if (!("geolocation" in navigator) || button.dataset.wired) return;
    button.dataset.wired = "1";
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        var url = button.dataset.url + "&lat=" + pos.coords.latitude.toFixed(6) +
          "&lon=" + pos.coords.longitude.toFixed(6);
        window.htmx.ajax("GET", url, { target: button.dataset.target, swap: "outerHTML" });
      });
    });
  }
  function scan() { document.querySelectorAll("[data-halls-locate]").forEach(wire); }
  document.addEventListener("DOMContentLoaded", scan);
  document.addEventListener("htmx:afterSettle", scan);
  scan();
})();
