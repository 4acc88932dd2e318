// Says which date a date field understood, as the person types (the server reads the same
// shapes: intranet/dates.py; tests/test_browser_forms.py checks the two agree).
"use strict";
(function () {
  var SEPARATED = /^(\d{1,2})\s*[\/.\-\s]\s*(\d{1,2})\s*[\/.\-\s]\s*(\d{4}|\d{2})$/;
  var DIGITS = /^(\d{2})(\d{2})(\d{4}|\d{2})$/;

  // The day the text names, as {day, month, year}, or null when it names none.
  function parseTypedDate(text) {
    var cleaned = text.replace(/^\s+|\s+$/g, "");
    var match = SEPARATED.exec(cleaned) || DIGITS.exec(cleaned);
    if (!match) return null;
    var day = +match[1], month = +match[2], year = +match[3];
    if (match[3].length === 2) year += 2000;
    var probe = new Date(Date.UTC(2000, month - 1, day));
    probe.setUTCFullYear(year);
    if (year < 1 || probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 ||
        probe.getUTCDate() !== day) return null;
    return {day: day, month: month, year: year, date: probe};
  }

  function pad(number, width) {
    var text = String(number);
    while (text.length < width) text = "0" + text;
    return text;
  }

  function formatDate(parsed) {
    return pad(parsed.day, 2) + "/" + pad(parsed.month, 2) + "/" + pad(parsed.year, 4);
  }

  function attach(input) {
    var echo = document.createElement("p");
    echo.className = "hint date-echo";
    echo.id = input.id + "-echo";
    echo.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", echo);
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + echo.id);
    var weekday = new Intl.DateTimeFormat(document.documentElement.lang || "vi",
                                          {weekday: "long", timeZone: "UTC"});
    function update() {
      var parsed = parseTypedDate(input.value);
      // Only what is understood is said: the server explains what is not, on saving.
      echo.textContent = parsed ? input.getAttribute("data-date-echo")
        .replace("{date}", formatDate(parsed)).replace("{weekday}", weekday.format(parsed.date)) : "";
    }
    input.addEventListener("input", update);
    update();
  }

  window.parseTypedDate = function (text) {
    var parsed = parseTypedDate(text);
    return parsed ? formatDate(parsed) : null;
  };
  document.querySelectorAll("input[data-date-echo]").forEach(attach);
})();
