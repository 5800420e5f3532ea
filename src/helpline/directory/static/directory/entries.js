/* Directory edit screens: add rows to the formsets, confirm actions, "24 hours". No library. */
(function () {
  "use strict";

  function renumber(container) {
    var rows = container.querySelectorAll("[data-row]");
    rows.forEach(function (row, index) {
      var number = row.querySelector("[data-row-number]");
      if (number) number.textContent = String(index + 1);
    });
  }

  // "Add another ..." clones the formset's empty row (prefix __prefix__) with the next index.
  function addRow(part) {
    var total = document.getElementById("id_" + part + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + part + "-MAX_NUM_FORMS");
    var template = document.getElementById(part + "-empty-row");
    var container = document.querySelector('[data-rows="' + part + '"]');
    if (!total || !template || !container) return;
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) return;
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    container.appendChild(row);
    total.value = String(index + 1);
    renumber(container);
    setupHours(row);
    var first = row.querySelector("input:not([type=hidden]):not([type=checkbox]), select, textarea");
    if (first) first.focus();
  }

  // In a row of opening hours, "24 hours" makes the times irrelevant.
  function setupHours(row) {
    var allDay = row.querySelector("input[name$='-all_day']");
    if (!allDay) return;
    function sync() {
      row.querySelectorAll("input[name$='-opens_at'], input[name$='-closes_at']").forEach(function (el) {
        el.disabled = allDay.checked;
      });
    }
    allDay.addEventListener("change", sync);
    sync();
  }

  document.addEventListener("click", function (e) {
    var button = e.target.closest("[data-add-row]");
    if (!button) return;
    e.preventDefault();
    addRow(button.dataset.addRow);
  });

  // A row marked for removal is dimmed (it is removed on save).
  document.addEventListener("change", function (e) {
    if (!e.target.matches("input[name$='-DELETE']")) return;
    var row = e.target.closest("[data-row]");
    if (row) row.classList.toggle("removed", e.target.checked);
  });

  // Forms with data-confirm ask before posting.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      e.preventDefault();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-row]").forEach(setupHours);
    document.querySelectorAll("form.directory-form").forEach(function (form) {
      form.addEventListener("keydown", function (e) {
        if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          form.requestSubmit();
        }
      });
    });
  });
})();
