/* Steuerungspaket (PDF): printing the pages takes about half a minute, so the button says
   that it is working until the download can have started (dashboard/pack.py). */
(function () {
    var BUSY_MS = 45000;
    document.addEventListener("click", function (event) {
        var link = event.target.closest && event.target.closest("#filter-pack");
        if (!link || link.classList.contains("disabled")) { return; }
        if (link.dataset.busy) { event.preventDefault(); return; }  // one pack at a time
        var label = link.textContent;
        link.dataset.busy = "1";
        link.textContent = "Wird erstellt … (ca. 30 s)";
        setTimeout(function () {
            link.textContent = label;
            delete link.dataset.busy;
        }, BUSY_MS);
    });
})();
