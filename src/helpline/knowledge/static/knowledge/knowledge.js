/* Knowledge base: Markdown preview, date pickers that apply at once, Ctrl+Enter to save.
   Loaded by the knowledge templates; no inline scripts (the CSP forbids them). */
(function () {
  "use strict";

  function csrfToken(form) {
    var el = (form || document).querySelector("input[name=csrfmiddlewaretoken]");
    return el ? el.value : "";
  }

  // A "Preview" button under every Markdown textarea: the server renders and sanitises.
  function setupPreview(textarea, url, form) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "small secondary outline preview-button";
    button.textContent = form.dataset.previewLabel || "Preview";
    var box = document.createElement("div");
    box.className = "preview";
    box.hidden = true;
    box.setAttribute("aria-live", "polite");
    if (textarea.lang) box.lang = textarea.lang;
    var field = textarea.closest(".field") || textarea.parentNode;
    field.appendChild(button);
    field.appendChild(box);
    button.addEventListener("click", function () {
      if (!box.hidden && box.dataset.shown === textarea.value) {
        box.hidden = true;
        return;
      }
      var body = new URLSearchParams();
      body.set("markdown", textarea.value);
      fetch(url, {
        method: "POST",
        headers: {
          "X-CSRFToken": csrfToken(form),
          "Content-Type": "application/x-www-form-urlencoded",
          "HX-Request": "true",
        },
        body: body.toString(),
        credentials: "same-origin",
      }).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.text();
      }).then(function (html) {
        box.innerHTML = html; // sanitised by the server (nh3)
        box.dataset.shown = textarea.value;
        box.hidden = false;
      }).catch(function () {
        box.textContent = "—";
        box.hidden = false;
      });
    });
  }

  document.addEventListener("change", function (e) {
    if (e.target.matches("input[data-autosubmit]") && e.target.value) e.target.form.submit();
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-preview-url]").forEach(function (form) {
      form.querySelectorAll("textarea[data-markdown]").forEach(function (textarea) {
        setupPreview(textarea, form.dataset.previewUrl, form);
      });
    });
    document.querySelectorAll("form.knowledge-form").forEach(function (form) {
      form.addEventListener("keydown", function (e) {
        if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          form.requestSubmit();
        }
      });
    });
  });
})();
