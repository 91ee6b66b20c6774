// Budget step, progressive enhancement: each row's amount and the total as you type, and new rows
// without a round trip. The server recomputes everything on save; without JavaScript the page works.
(function () {
  "use strict";
  var form = document.querySelector("form[data-budget]");
  if (!form) { return; }
  // Pesos written as the server writes them ("$15,000.00"), whatever the page's language.
  var digits = new Intl.NumberFormat("es-MX", {minimumFractionDigits: 2, maximumFractionDigits: 2});
  var money = {format: function (value) { return "$" + digits.format(value); }};
  var totalForms = form.querySelector("input[name$='-TOTAL_FORMS']");
  var maxForms = form.querySelector("input[name$='-MAX_NUM_FORMS']");
  var body = form.querySelector("[data-rows]");
  var template = form.querySelector("template[data-row-template]");
  var lang = (document.documentElement.lang || "es").slice(0, 2);

  function number(input) {
    if (!input || input.value.trim() === "") { return null; }
    var value = Number(input.value.replace(/,/g, ""));
    return isFinite(value) ? value : null;
  }

  // Beyond this no real line goes (the server's bound per line is far lower): show a dash, not nonsense.
  var LINE_LIMIT = 1e12;

  function refresh() {
    var total = 0, unusable = false;
    body.querySelectorAll("tr").forEach(function (row) {
      var quantity = number(row.querySelector("input[name$='-quantity']"));
      var price = number(row.querySelector("input[name$='-unit_price']"));
      var removed = row.querySelector("input[name$='-DELETE']");
      var out = row.querySelector("[data-amount]");
      if (quantity === null || price === null) { out.textContent = ""; return; }
      var amount = Math.round(quantity * price * 100) / 100;
      var skipped = removed && removed.checked;
      // A negative or absurd figure is the server's to explain next to its field: no amount to add up.
      if (quantity < 0 || price < 0 || !(Math.abs(amount) < LINE_LIMIT)) {
        out.textContent = "—";
        if (!skipped) { unusable = true; }
        return;
      }
      out.textContent = money.format(amount);
      if (!skipped) { total += amount; }
    });
    form.querySelector("[data-total]").textContent = unusable ? "—" : money.format(total);
    if (unusable) { total = 0; }
    var note = form.querySelector("[data-range-note]");
    var min = Number(form.dataset.min), max = Number(form.dataset.max);
    if (note && form.dataset.min && total > 0 && (total < min || total > max)) {
      note.textContent = lang === "en" ? "The total is outside the range of the modality."
                                       : "El total está fuera del rango de la modalidad.";
    } else if (note) {
      note.textContent = "";
    }
  }

  function addRow() {
    var index = Number(totalForms.value);
    if (maxForms && index >= Number(maxForms.value)) { return; }
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    body.insertAdjacentHTML("beforeend", html);
    totalForms.value = String(index + 1);
    var first = body.lastElementChild.querySelector("select, input:not([type=hidden])");
    if (first) { first.focus(); }
  }

  var addButton = form.querySelector("[data-add-rows]");
  if (addButton && template) {
    addButton.textContent = lang === "en" ? "Add a line" : "Agregar un concepto";
    addButton.addEventListener("click", function (event) {
      event.preventDefault();  // with JavaScript the row is added here, without reloading the page
      addRow();
    });
    var help = form.querySelector("[data-nojs-help]");
    if (help) { help.remove(); }
  }
  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);
  refresh();
}());
