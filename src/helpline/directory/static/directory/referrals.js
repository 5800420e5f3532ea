// Referrals in the consultation form: a click on "Refer" in the directory results adds
// the service to the picked list (once), with a consent box and a follow-up date.
(function () {
  "use strict";

  function picker() {
    return document.querySelector("[data-referral-picker]");
  }

  function addRow(button) {
    var root = picker();
    if (!root) return;
    var id = button.getAttribute("data-service-id");
    var list = root.querySelector("#referral-picked");
    if (!id || list.querySelector('[data-service-id="' + CSS.escape(id) + '"]')) {
      button.disabled = true;
      return;
    }
    var template = root.querySelector("#referral-row-template");
    var row = template.content.firstElementChild.cloneNode(true);
    row.setAttribute("data-service-id", id);
    row.querySelectorAll("input").forEach(function (input) {
      if (input.name === "referral_service" || input.name === "referral_consent") {
        input.value = id;
      } else if (input.type === "date") {
        input.name = "referral_follow_up_" + id;
        input.value = root.getAttribute("data-default-follow-up") || "";
      }
    });
    row.querySelector('[data-field="name"]').textContent = button.getAttribute("data-service-name") || "";
    row.querySelector('[data-field="organization"]').textContent = button.getAttribute("data-organization-name") || "";
    list.appendChild(row);
    button.disabled = true;
    button.textContent = button.getAttribute("data-referred-label") || button.textContent;
  }

  document.addEventListener("click", function (event) {
    var refer = event.target.closest(".directory-refer");
    if (refer && picker()) {
      event.preventDefault();
      addRow(refer);
      return;
    }
    var remove = event.target.closest("[data-referral-remove]");
    if (remove) {
      event.preventDefault();
      var row = remove.closest(".referral-row");
      var id = row && row.getAttribute("data-service-id");
      if (row) row.remove();
      document.querySelectorAll('.directory-refer[data-service-id="' + CSS.escape(id || "") + '"]').forEach(function (b) {
        b.disabled = false;
      });
    }
  });

  // Results already picked show as such when they arrive.
  document.addEventListener("htmx:afterSwap", function (event) {
    var root = picker();
    if (!root || event.target.id !== "referral-results") return;
    root.querySelectorAll("#referral-picked .referral-row").forEach(function (row) {
      var id = row.getAttribute("data-service-id");
      event.target.querySelectorAll('.directory-refer[data-service-id="' + CSS.escape(id) + '"]').forEach(function (b) {
        b.disabled = true;
      });
    });
  });
})();
