/* Table cells that are links (Meldestand matrix: <td data-href role="link" tabindex="0">).
   One delegated listener instead of a dcc.Link in every cell, which would double the
   components dash-renderer mounts. Navigates the way dcc.Link does for an internal link:
   history.pushState + the '_dashprivate_pushstate' event dcc.Location listens for, so the
   single-page app switches pages without reloading. With Ctrl/Cmd/Shift or the middle button
   the target opens in a new tab, as a browser does for a real link. */
(function () {
    var SELECTOR = "td[data-href]";

    function cellOf(target) {
        return target && target.closest ? target.closest(SELECTOR) : null;
    }

    // Same-origin targets only (what dcc.Link's clean_url guards against: javascript: etc.).
    function targetOf(cell) {
        var url;
        try {
            url = new URL(cell.getAttribute("data-href"), window.location.href);
        } catch (_e) {
            return null;
        }
        return url.origin === window.location.origin ? url.pathname + url.search + url.hash : null;
    }

    function go(cell, newTab) {
        var href = targetOf(cell);
        if (!href) {
            return false;
        }
        if (newTab) {
            window.open(href, "_blank", "noopener");
        } else {
            window.history.pushState({}, "", href);
            window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
            window.scrollTo(0, 0);
        }
        return true;
    }

    function newTab(e) {
        return e.ctrlKey || e.metaKey || e.shiftKey;
    }

    document.addEventListener("click", function (e) {
        var cell = cellOf(e.target);
        if (!cell || e.defaultPrevented || e.button !== 0 || e.altKey) {
            return;
        }
        if (go(cell, newTab(e))) {
            e.preventDefault();
        }
    });

    // Middle click: a new tab, like a link.
    document.addEventListener("auxclick", function (e) {
        var cell = cellOf(e.target);
        if (cell && !e.defaultPrevented && e.button === 1 && go(cell, true)) {
            e.preventDefault();
        }
    });

    // Enter (as on a link) and Space on the focused cell; Space would otherwise scroll.
    document.addEventListener("keydown", function (e) {
        var cell = e.target;
        if (!cell || !cell.matches || !cell.matches(SELECTOR) || e.defaultPrevented ||
            e.repeat || e.altKey || (e.key !== "Enter" && e.key !== " ")) {
            return;
        }
        if (go(cell, newTab(e))) {
            e.preventDefault();
        }
    });
})();
