/* German (de-DE) value formatters for dash-ag-grid: money from integer cents, numbers, dates. */
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

function groupThousands(digits) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
}

/* 123456789 (cents) -> "1.234.567,89 €", exact for integers. */
dagfuncs.eurCents = function (cents) {
    if (cents === null || cents === undefined || cents === "") { return ""; }
    var n = Math.round(Number(cents));
    var sign = n < 0 ? "-" : "";
    n = Math.abs(n);
    var rest = String(n % 100).padStart(2, "0");
    return sign + groupThousands(String(Math.floor(n / 100))) + "," + rest + " €";
};

/* 1234567 -> "1.234.567"; 12.5 with places=2 -> "12,50". */
dagfuncs.deNumber = function (value, places) {
    if (value === null || value === undefined || value === "") { return ""; }
    var p = places || 0;
    var fixed = Math.abs(Number(value)).toFixed(p).split(".");
    var sign = Number(value) < 0 ? "-" : "";
    return sign + groupThousands(fixed[0]) + (p > 0 ? "," + fixed[1] : "");
};

/* "2025-03-14" or "2025-03-14T10:30:00" -> "14.03.2025" (with " 10:30" when withTime). */
dagfuncs.deDate = function (iso, withTime) {
    if (!iso) { return ""; }
    var s = String(iso);
    var out = s.slice(8, 10) + "." + s.slice(5, 7) + "." + s.slice(0, 4);
    if (withTime && s.length >= 16) { out += " " + s.slice(11, 16); }
    return out;
};

var MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
              "September", "Oktober", "November", "Dezember"];

/* "2025-03-01" -> "März 2025" */
dagfuncs.deMonth = function (iso) {
    if (!iso) { return ""; }
    var s = String(iso);
    return MONTHS[parseInt(s.slice(5, 7), 10) - 1] + " " + s.slice(0, 4);
};

/* Date filter on ISO text cells. */
dagfuncs.isoDateComparator = function (filterDate, cellValue) {
    if (!cellValue) { return -1; }
    var s = String(cellValue);
    var cell = new Date(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10)));
    if (cell < filterDate) { return -1; }
    if (cell > filterDate) { return 1; }
    return 0;
};

/* CSV injection: text that starts like a formula gets a leading apostrophe, so a spreadsheet
   shows it instead of running it. The same rule as neutral_text in etl/documents/cells.py
   (a test checks that UNSAFE_START is the same list); numbers stay numbers. */
var UNSAFE_START = ["=", "+", "-", "@", "\t", "\r"];

dagfuncs.neutralText = function (text) {
    var s = String(text);
    for (var i = 0; i < UNSAFE_START.length; i++) {
        if (s.startsWith(UNSAFE_START[i])) { return "'" + s; }
    }
    return s;
};

/* processCellCallback of every grid's CSV export: the value as the grid shows it (its
   valueFormatter), with text neutralised. */
dagfuncs.neutralCsvCell = function (params) {
    var raw = params.value;
    var shown = params.formatValue ? params.formatValue(raw) : raw;
    if (shown === null || shown === undefined) { return ""; }
    if (typeof raw === "number") { return shown; }
    return dagfuncs.neutralText(shown);
};
