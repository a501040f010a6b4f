/* Progressive enhancement only: every page works without this file. No inline scripts (CSP). */
(function () {
  "use strict";

  // Copy buttons: <button class="copy-btn" data-copy-target="id" hidden>
  function initCopyButtons(root) {
    root.querySelectorAll(".copy-btn[data-copy-target]").forEach(function (btn) {
      if (!navigator.clipboard || !once(btn, "Copy")) return;
      btn.hidden = false;
      btn.addEventListener("click", function () {
        var target = document.getElementById(btn.getAttribute("data-copy-target"));
        if (!target) return;
        navigator.clipboard.writeText(target.textContent.trim()).then(function () {
          var status = document.getElementById(btn.getAttribute("data-status-target"));
          if (status) status.textContent = btn.getAttribute("data-copied-text") || "OK";
        });
      });
    });
  }

  // Print buttons: <button class="print-btn" hidden>
  function initPrintButtons(root) {
    root.querySelectorAll(".print-btn").forEach(function (btn) {
      if (!once(btn, "Print")) return;
      btn.hidden = false;
      btn.addEventListener("click", function () { window.print(); });
    });
  }

  // Region picker: changing a select submits the "next step" button through HTMX when present,
  // otherwise the user presses the visible "Pilih" button (no-JS path).
  function initAutoSubmit(root) {
    root.querySelectorAll("[data-hide-when-js]").forEach(function (el) { el.hidden = true; });
  }

  // Confirm dangerous actions: <form data-confirm="text">
  function initConfirm(root) {
    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      if (!once(form, "Confirm")) return;
      form.addEventListener("submit", function (ev) {
        if (!window.confirm(form.getAttribute("data-confirm"))) ev.preventDefault();
      });
    });
  }

  // Upload progress for forms with a <progress data-upload-progress>
  function initUploadProgress(root) {
    root.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
      var bar = document.getElementById(form.getAttribute("data-upload-progress"));
      if (!bar || !window.XMLHttpRequest || !window.FormData || !once(form, "Upload")) return;
      form.addEventListener("submit", function (ev) {
        var hasFile = Array.prototype.some.call(form.querySelectorAll("input[type=file]"), function (i) {
          return i.files && i.files.length > 0;
        });
        if (!hasFile) return;
        ev.preventDefault();
        var xhr = new XMLHttpRequest();
        bar.hidden = false;
        xhr.upload.addEventListener("progress", function (e) {
          if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
        });
        xhr.addEventListener("load", function () {
          // Show the page the server answered with (the confirmation after its redirect, or
          // the form with its errors) without asking for it a second time: the confirmation
          // shows a guest's reporter key only once.
          if (xhr.responseURL && window.history && window.history.replaceState) {
            window.history.replaceState(null, "", xhr.responseURL);
          }
          document.open(); document.write(xhr.responseText); document.close();
        });
        xhr.addEventListener("error", function () { bar.hidden = true; form.submit(); });
        xhr.open(form.method.toUpperCase(), form.action || window.location.href);
        xhr.send(new FormData(form));
      });
    });
  }

  // Each element is enhanced once (DOMContentLoaded and htmx:load can both see it).
  function once(el, name) {
    var flag = "enhanced" + name;
    if (el.dataset[flag]) return false;
    el.dataset[flag] = "1";
    return true;
  }

  function init(root) {
    initCopyButtons(root);
    initPrintButtons(root);
    initAutoSubmit(root);
    initConfirm(root);
    initUploadProgress(root);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (ev) { init(ev.target); });
})();
