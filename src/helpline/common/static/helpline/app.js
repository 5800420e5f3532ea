/* Helpline: small keyboard-first helpers. No framework; htmx does the rest. */
(function () {
  "use strict";

  function fold(text) {
    return (text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/ё/g, "е");
  }

  function csrfToken() {
    var el = document.querySelector("input[name=csrfmiddlewaretoken]");
    return el ? el.value : "";
  }

  // Selects that submit their form when changed (the language switch).
  document.addEventListener("change", function (e) {
    if (e.target.matches("select[data-autosubmit]")) e.target.form.submit();
  });

  // After a successful save the next page carries data-draft-saved: forget the draft.
  function clearDrafts() {
    Object.keys(localStorage).forEach(function (k) {
      if (k.indexOf("helpline-draft:") === 0) localStorage.removeItem(k);
    });
  }

  function draftFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && !el.hasAttribute("data-no-draft") &&
        el.type !== "submit" && el.type !== "button" && el.type !== "hidden";
    });
  }

  function saveDraft(form, key) {
    var data = {};
    draftFields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) (data[el.name] = data[el.name] || []).push(el.value);
      } else {
        data[el.name] = [el.value];
      }
    });
    localStorage.setItem(key, JSON.stringify({ at: Date.now(), data: data }));
    var status = form.querySelector(".draft-status");
    if (status) status.textContent = status.dataset.saved || "✓";
  }

  function restoreDraft(form, key) {
    var raw = localStorage.getItem(key);
    if (!raw) return false;
    var draft;
    try { draft = JSON.parse(raw); } catch (err) { return false; }
    draftFields(form).forEach(function (el) {
      var values = draft.data[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = !!values && values.indexOf(el.value) !== -1;
      } else if (values) {
        el.value = values[0];
      }
    });
    return true;
  }

  function setupDraft(form) {
    var key = "helpline-draft:" + form.dataset.draftKey;
    var hasErrors = form.querySelector(".error");
    if (!hasErrors && restoreDraft(form, key)) {
      var status = form.querySelector(".draft-status");
      if (status) status.textContent = form.dataset.restoredText || "↺";
    }
    var timer = null;
    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(function () { saveDraft(form, key); }, 300);
    }
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    window.addEventListener("beforeunload", function () {
      if (!form.dataset.submitting) saveDraft(form, key);
    });
    form.addEventListener("submit", function () { form.dataset.submitting = "1"; saveDraft(form, key); });
    var clear = document.querySelector("[data-clear-draft]");
    if (clear) clear.addEventListener("click", function () {
      localStorage.removeItem(key);
      window.location.reload();
    });
  }

  function setupTopicPicker(box) {
    var filter = box.querySelector(".topic-filter");
    var options = Array.prototype.slice.call(box.querySelectorAll(".topic-option"));
    function visible() {
      return options.filter(function (o) { return !o.hidden; });
    }
    filter.addEventListener("input", function () {
      var q = fold(filter.value.trim());
      options.forEach(function (o) {
        o.hidden = q !== "" && fold(o.textContent).indexOf(q) === -1;
      });
    });
    filter.addEventListener("keydown", function (e) {
      if (e.key !== "Enter" || e.ctrlKey || e.metaKey) return;
      e.preventDefault();
      var first = visible().map(function (o) { return o.querySelector("input"); })
        .filter(function (i) { return !i.checked; })[0];
      if (first && filter.value.trim() !== "") {
        first.checked = true;
        first.dispatchEvent(new Event("change", { bubbles: true }));
      }
      filter.value = "";
      filter.dispatchEvent(new Event("input"));
    });
  }

  function setupCallerHistory(form) {
    var input = form.querySelector("[name=caller_phone]");
    var target = document.getElementById("caller-history");
    var urlHolder = document.getElementById("caller-history-url");
    if (!input || !target || !urlHolder) return;
    input.addEventListener("change", function () {
      var body = new URLSearchParams();
      body.set("caller_phone", input.value);
      fetch(urlHolder.dataset.url, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken(), "Content-Type": "application/x-www-form-urlencoded" },
        body: body.toString(),
        credentials: "same-origin",
      }).then(function (r) { return r.text(); }).then(function (html) { target.innerHTML = html; });
    });
  }

  function setupFollowUp(form) {
    var needed = form.querySelector("[name=follow_up_needed]");
    var due = form.querySelector("[name=follow_up_due]");
    if (!needed || !due) return;
    needed.addEventListener("change", function () {
      if (needed.checked && !due.value) {
        var d = new Date(Date.now() + 3 * 86400000);
        due.value = d.toISOString().slice(0, 10);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (document.querySelector("[data-draft-saved]")) clearDrafts();
    document.querySelectorAll("form.questionnaire").forEach(function (form) {
      if (form.dataset.draftKey) setupDraft(form);
      setupCallerHistory(form);
      setupFollowUp(form);
      form.addEventListener("keydown", function (e) {
        if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          form.requestSubmit();
        }
      });
    });
    document.querySelectorAll("[data-topic-picker]").forEach(setupTopicPicker);
  });
})();
