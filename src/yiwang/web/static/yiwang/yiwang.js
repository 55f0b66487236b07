/*
 * Yiwang page behaviour. Everything works without this file; it only adds:
 *  - the CSRF token on htmx requests (Django reads it from the X-CSRFToken header),
 *  - aria-current on the staff side-nav entry the page names (block staff_nav_active),
 *  - service-worker registration, so the portal installs on a phone and has an offline page.
 * Loaded with `defer`, so the document is parsed when it runs.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var csrfCookieName = (script && script.dataset.csrfCookie) || "csrftoken";

  function readCookie(name) {
    var pairs = document.cookie ? document.cookie.split(";") : [];
    for (var i = 0; i < pairs.length; i++) {
      var pair = pairs[i].trim();
      if (pair.substring(0, name.length + 1) === name + "=") {
        return decodeURIComponent(pair.substring(name.length + 1));
      }
    }
    return "";
  }

  // Read the cookie at request time, not page load: login rotates the token.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = readCookie(csrfCookieName);
    if (token) {
      event.detail.headers["X-CSRFToken"] = token;
    }
  });

  var active = document.body && document.body.dataset.staffNavActive;
  if (active) {
    var links = document.querySelectorAll("[data-staff-nav]");
    for (var j = 0; j < links.length; j++) {
      if (links[j].getAttribute("data-staff-nav") === active) {
        links[j].setAttribute("aria-current", "page");
      }
    }
  }

  var swUrl = script && script.dataset.serviceWorker;
  if (swUrl && "serviceWorker" in navigator && window.isSecureContext) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(swUrl, { scope: "/" }).catch(function () {
        // An older browser or a blocked worker only loses offline support; the site still works.
      });
    });
  }
})();
