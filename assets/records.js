/* Daten page: a new URL (dataset, filter, drill-down) empties the infinite grid's blocks, so
   it asks the server again for the rows of the new selection. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    records: {
        refreshGrid: function (_summary, search) {
            if (window._recordsSearch === undefined) {
                window._recordsSearch = search;
            } else if (window._recordsSearch !== search) {
                window._recordsSearch = search;
                dash_ag_grid.getApiAsync("records-grid").then(function (api) {
                    api.purgeInfiniteCache();
                    api.ensureIndexVisible(0);
                });
            }
            return window.dash_clientside.no_update;
        }
    }
});
