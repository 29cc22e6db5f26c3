/* The app shell: the navbar's menu button (phones and small windows) opens and closes the
   links; following a link closes the menu again. Runs in the browser, no server round trip. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    shell: {
        toggleNav: function (_clicks, _pathname, isOpen) {
            var trigger = (window.dash_clientside.callback_context.triggered[0] || {}).prop_id;
            if (trigger === "nav-toggle.n_clicks") { return !isOpen; }
            return false;
        }
    }
});
