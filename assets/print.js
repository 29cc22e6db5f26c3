/* Printing (assets/print.css): the page as drawn on screen, scaled onto A4 landscape.
   - The charts keep the width they were drawn with, so the scale is paper width / window
     width (277 mm = 1047 CSS px, less a little for borders), never enlarging; a further 0.72
     keeps a long page such as Finanzen within three sheets while text stays about 7 pt.
   - Before printing the charts are redrawn a third lower (plotly draws synchronously), and
     back at their height afterwards. */
(function () {
    var PAPER_PX = 1030 * 0.72;
    var SHORTER = 0.7;
    var resized = [];

    function fit() {
        if (window.matchMedia("print").matches) { return; }  // keep the screen's factor
        var width = document.documentElement.clientWidth || PAPER_PX;
        var zoom = Math.min(1, PAPER_PX / Math.max(width, 1));
        document.documentElement.style.setProperty("--print-zoom", zoom.toFixed(3));
    }

    function shorten() {
        if (!window.Plotly || resized.length) { return; }
        // the columns keep their shares of the width (print.css), so a chart's printed
        // width is its screen width times (paper in layout px / window width)
        var zoom = parseFloat(getComputedStyle(document.documentElement)
            .getPropertyValue("--print-zoom")) || 1;
        var wider = (PAPER_PX / 0.8 / zoom) / (document.documentElement.clientWidth || 1);
        document.querySelectorAll(".dash-graph .js-plotly-plot").forEach(function (gd) {
            var box = gd.parentElement;
            var height = gd.offsetHeight, width = gd.offsetWidth;
            if (!height || !width) { return; }
            resized.push([gd, box.style.height]);
            box.style.height = Math.round(height * SHORTER) + "px";
            window.Plotly.relayout(gd, {height: Math.round(height * SHORTER),
                                        width: Math.floor(width * wider * 0.97)});
        });
    }

    function restore() {
        resized.forEach(function (entry) {
            entry[0].parentElement.style.height = entry[1];
            window.Plotly.relayout(entry[0], {height: null, width: null, autosize: true});
        });
        resized = [];
    }

    window.addEventListener("beforeprint", function () { fit(); shorten(); });
    window.addEventListener("afterprint", restore);
    window.addEventListener("resize", fit);
    fit();
})();
