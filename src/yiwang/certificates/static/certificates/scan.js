// Progressive enhancement for /verify: where the browser offers BarcodeDetector and a camera,
// show a "scan" button that reads the QR and submits its text. Without it, paste works.
(function () {
  "use strict";
  var button = document.getElementById("verify-scan");
  var video = document.getElementById("verify-video");
  var field = document.getElementById("verify-text");
  if (!button || !video || !field || !("BarcodeDetector" in window) || !navigator.mediaDevices) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" } })
      .then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        return video.play().then(function () {
          var tick = function () {
            detector.detect(video).then(function (codes) {
              if (codes.length && codes[0].rawValue) {
                stream.getTracks().forEach(function (t) { t.stop(); });
                field.value = codes[0].rawValue;
                field.form.submit();
              } else {
                window.requestAnimationFrame(tick);
              }
            }, function () { window.requestAnimationFrame(tick); });
          };
          tick();
        });
      })
      .catch(function () {
        button.hidden = true;
        var note = document.createElement("p");
        note.className = "yw-error-message";
        note.textContent = button.getAttribute("data-unsupported");
        button.parentNode.after(note);
      });
  });
})();
