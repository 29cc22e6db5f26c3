"""The frame around every page: navigation, the global filter bar, and their callbacks
(filters <-> URL query string, navigation links keeping the filters, drill-down clicks)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, ClientsideFunction, Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard import access, auth, data, drill, errors, fmt
from dashboard import filters as flt
from dashboard.views import components as ui
from etl.core import stand


def navbar() -> dbc.Navbar:
    """Brand and one link per registered page (in page order)."""
    config = data.config()
    links = [
        dbc.NavItem(
            dbc.NavLink(
                page["name"],
                href=page["relative_path"],
                id={"type": "nav-link", "path": page["path"]},
            )
        )
        for page in dash.page_registry.values()
        if page.get("nav", True) and access.may_open(page)
    ]
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(
                    [
                        html.Span("Fördercockpit", className="fw-bold me-2"),
                        html.Span(
                            config.short_name, className="brand-network", title=config.name
                        ),
                    ],
                    href="/",
                ),
                # below 1200 px the links fold into a menu behind the toggler (phones, tablets)
                dbc.NavbarToggler(id="nav-toggle", className="nav-toggle"),
                dbc.Collapse(
                    dbc.Nav(
                        [*links, _user_menu()], navbar=True, className="main-nav ms-auto"
                    ),
                    id="nav-collapse",
                    navbar=True,
                    is_open=False,
                ),
            ],
            fluid=True,
        ),
        color="primary",
        dark=True,
        expand="xl",
        className="mb-3 py-2 app-navbar",
    )


def _logout_form() -> html.Form:
    """Logout as a POST with the session's CSRF token (a GET link could be triggered by any
    page or image tag), looking like the other menu items."""
    return html.Form(
        [
            dcc.Input(type="hidden", name="csrf", value=auth.csrf_token(), id="shell-logout-csrf"),
            html.Button("Abmelden", type="submit", className="dropdown-item", id="shell-logout"),
        ],
        method="post",
        action="/logout",
        className="m-0",
    )


def _user_menu():
    """The logged-in user's name, role and logout."""
    user = access.current_user if access.current_role() else None
    if user is None:
        return None
    return dbc.DropdownMenu(
        [
            dbc.DropdownMenuItem(f"Rolle: {access.ROLE_LABELS[user.role]}", header=True),
            dbc.DropdownMenuItem("Benachrichtigungen", href="/einstellungen"),
            _logout_form(),
        ],
        label=user.username,
        nav=True,
        in_navbar=True,
        align_end=True,
        className="user-menu",
    )


# dcc.Dropdown's own texts ("Search", "Select All", ...) in German.
DROPDOWN_LABELS = {
    "select_all": "Alle auswählen",
    "deselect_all": "Auswahl aufheben",
    "selected_count": "{num_selected} ausgewählt",
    "search": "Suchen",
    "clear_search": "Suche leeren",
    "clear_selection": "Auswahl leeren",
    "no_options_found": "Keine Treffer",
}


def _dropdown(filter_id: str, label: str, options: list, placeholder: str, **fixed) -> dbc.Col:
    return dbc.Col(
        [
            dbc.Label(label, html_for=filter_id, className="filter-label"),
            dcc.Dropdown(
                id=filter_id,
                options=options,
                multi=True,
                placeholder=placeholder,
                labels=DROPDOWN_LABELS,
                className="filter-dropdown",
                **{"clearable": True, "searchable": True, **fixed},
            ),
        ],
        xs=12,
        md=True,
        className="filter-field",
    )


def _partner_filter(config) -> dbc.Col:
    """All partners; a partner account sees only its own, fixed (a disabled, filled select)."""
    scope = access.partner_scope()
    partners = [p for p in config.partners if scope is None or p.code in scope]
    options = [{"label": f"{p.code} – {p.name}", "value": p.code} for p in partners]
    if scope is None:
        return _dropdown("filter-partners", "Partner", options, "Alle Partner")
    fixed = {"value": [p.code for p in partners], "disabled": True, "clearable": False}
    return _dropdown("filter-partners", "Partner (Ihr Konto)", options, "", **fixed)


def _button_col(child, *, field: bool = True) -> dbc.Col:
    return dbc.Col(
        child,
        xs=12,
        md="auto",
        className="d-flex align-items-end" + (" filter-field" if field else ""),
    )


def _pack_button() -> html.A:
    """The Steuerungspaket (PDF) with the page's filters; without Chromium on the server the
    button says so instead of failing (dashboard/pack.py)."""
    from dashboard import pack

    if pack.chromium() is None:
        return html.A("Steuerungspaket (PDF): Chromium fehlt", id="filter-pack",
                      className="btn btn-outline-secondary w-100 disabled", title=pack.MISSING,
                      **{"aria-disabled": "true"})
    return html.A(
        "Steuerungspaket (PDF)",
        id="filter-pack",
        href="/download/steuerung",
        download="",
        className="btn btn-outline-success w-100",
        title="Übersicht, Finanzen, Meldestand und alle Hinweise mit den gewählten Filtern als "
        "PDF (A4); die Erstellung dauert etwa eine halbe Minute",
    )


def _stand_filter() -> dbc.Col:
    """The Berichtsstand: one month (options and the default as placeholder filled by
    :func:`stand_options`); empty means the default Stand."""
    return dbc.Col(
        [
            dbc.Label("Berichtsstand", html_for="filter-stand", className="filter-label"),
            dcc.Dropdown(
                id="filter-stand", options=[], multi=False, clearable=True, searchable=False,
                placeholder="Standard", className="filter-dropdown filter-stand",
            ),
        ],
        xs=12,
        md=True,
        xxl=3,
        className="filter-field filter-stand-field",
    )


def filter_bar() -> dbc.Card:
    """Partner, module, year and Stand filters shared by the pages they act on, and the
    export."""
    config = data.config()
    modules = [{"label": m, "value": m} for m in config.modules]
    years = [{"label": config.year_label(y), "value": y} for y in config.years]
    reset = dbc.Button(
        "Filter zurücksetzen", id="filter-reset", color="primary", outline=True, className="w-100"
    )
    export = html.A(
        "Excel-Export",
        id="filter-export",
        href="/download/export?seite=/",
        download="",
        className="btn btn-success w-100",
        title="Alles, was diese Seite mit den gewählten Filtern zeigt, als Excel-Arbeitsmappe",
    )
    return dbc.Card(
        dbc.CardBody(
            [
                dbc.Row(
                    [
                        _partner_filter(config),
                        _dropdown("filter-modules", "Module", modules, "Alle Module"),
                        _dropdown("filter-years", "Jahre", years, "Alle Jahre"),
                        _stand_filter(),
                        _button_col(reset),
                        _button_col(export, field=False),
                        _button_col(_pack_button()),
                    ],
                    className="g-3 justify-content-end",
                ),
                html.Div(id="filter-note", className="filter-note filter-field", role="status"),
            ]
        ),
        id="filter-bar",
        className="mb-4 filter-bar shadow-sm",
    )


def layout() -> html.Div:
    """The app's layout: locations, navigation, filters, page container."""
    return html.Div(
        [
            dcc.Location(id="url", refresh=False),
            dcc.Location(id="nav", refresh="callback-nav"),
            navbar(),
            dbc.Container(
                [
                    html.Div(  # printed instead of the navbar: the product and the network
                        f"Fördercockpit · {data.config().name}", className="print-only print-brand"
                    ),
                    html.Div(id="filter-print", className="print-only print-filters"),
                    filter_bar(),
                    dash.page_container,
                ],
                fluid=True,
                className="page-body",
            ),
        ]
    )


def _partner_note(search: str | None, f: flt.Filters) -> str:
    """For a partner account whose link names other partners: what is shown instead."""
    asked = flt.parse_search(search).get(flt.PARTNER_KEY, "")
    named = {p.strip().upper() for p in asked.split(",") if p.strip()}
    if access.partner_scope() is None or not named or named <= set(f.partners):
        return ""
    own, other = ", ".join(f.partners), ", ".join(sorted(named - set(f.partners)))
    return f"Der Link nennt {other}; Ihr Konto zeigt nur die Zahlen von {own}."


@callback(
    Output("url", "search"),
    Output("filter-partners", "value"),
    Output("filter-modules", "value"),
    Output("filter-years", "value"),
    Output("filter-stand", "value"),
    Input("url", "search"),
    Input("filter-partners", "value"),
    Input("filter-modules", "value"),
    Input("filter-years", "value"),
    Input("filter-stand", "value"),
    Input("filter-reset", "n_clicks"),
)
def sync_filters(search, partners, modules, years, stand, _reset):
    """URL -> dropdowns when the address changed; dropdowns -> URL when the user filtered.

    A partner account's dropdown shows its own partner even when the link names others (the
    note under the filter says so, see :func:`filter_bar_state`)."""
    config = data.config()
    if ctx.triggered_id in (None, "url"):
        f = flt.from_search(search, config)
        chosen = f"{f.stand:%Y-%m}" if f.stand else None
        return no_update, list(f.partners), list(f.modules), list(f.years), chosen
    if ctx.triggered_id == "filter-reset":
        own = flt.from_query({}, config).partners  # a partner account keeps its own partner
        return flt.merge_search(search, flt.Filters()), list(own), [], [], None
    chosen = {
        flt.PARTNER_KEY: flt.join_values(partners or []),
        flt.MODULE_KEY: flt.join_values(modules or []),
        flt.YEAR_KEY: flt.join_values(str(y) for y in years or []),
        flt.STAND_KEY: stand or "",
    }
    new = flt.merge_search(search, flt.from_query(chosen, config))
    return new, no_update, no_update, no_update, no_update


@callback(
    Output("filter-stand", "options"),
    Output("filter-stand", "placeholder"),
    Input("url", "pathname"),
)
def stand_options(_pathname):
    """The months one may choose as Stand (latest first, the default marked) and the
    default as the empty field's text."""
    config, today = data.config(), data.today()
    default = stand.default_stand(config, today)
    options = [
        {
            "label": fmt.month_long(m) + (" (Standard)" if m == default else ""),
            "value": f"{m:%Y-%m}",
        }
        for m in stand.stand_choices(config, today)
    ]
    return options, f"{fmt.month_long(default)} (Standard)"


@callback(
    Output("filter-bar", "className"),
    Output("filter-print", "children"),
    Output("filter-note", "children"),
    Input("url", "pathname"),
    Input("url", "search"),
)
def filter_bar_state(pathname, search):
    """The filters show only on pages they act on (``filters=True`` in the page registry);
    the export wherever there is a page. Printed: the active filters in words."""
    page = errors.page_of(pathname or "/")
    if page is None:
        return "filter-bar d-none", None, None
    if not page.get("filters"):
        return "mb-3 filter-bar filters-off", None, None
    config = data.config()
    f = flt.from_search(search, config)
    as_of = f.as_of(config, data.today())
    printed = f"Filter: {ui.selection_text(config, f)} · Stand: {fmt.month_long(as_of)}"
    return "mb-4 filter-bar shadow-sm", printed, _partner_note(search, f) or None


@callback(Output("filter-export", "href"), Input("url", "pathname"), Input("url", "search"))
def export_link(pathname, search):
    """The Excel export of the page as shown: its path and query string (filters and all)."""
    params = {"seite": pathname or "/", **flt.parse_search(search)}
    return "/download/export" + flt.to_search(params)


@callback(Output("filter-pack", "href"), Input("url", "search"))
def pack_link(search):
    """The steering pack with the current filters (no link when Chromium is missing)."""
    from dashboard import pack

    if pack.chromium() is None:
        return None
    return "/download/steuerung" + flt.to_search(
        {k: v for k, v in flt.parse_search(search).items() if k in flt.GLOBAL_KEYS}
    )


@callback(
    Output({"type": "nav-link", "path": ALL}, "href"),
    Output({"type": "nav-link", "path": ALL}, "active"),
    Input("url", "pathname"),
    Input("url", "search"),
    State({"type": "nav-link", "path": ALL}, "id"),
)
def nav_links(pathname, search, ids):
    """Navigation links carry the global filters; the current page's link is active."""
    f = flt.from_search(search, data.config())
    return ([flt.href(i["path"], f) for i in ids], [i["path"] == (pathname or "/") for i in ids])


@callback(
    Output("nav", "href"),
    Input({"type": "drill-graph", "id": ALL}, "clickData"),
    prevent_initial_call=True,
)
def follow_click(_clicks):
    """Open the rows behind a clicked bar or point on the Daten page."""
    click = ctx.triggered[0]["value"] if ctx.triggered else None
    return drill.href_of_click(click) or no_update


# The navbar's menu button on narrow screens (assets/shell.js).
dash.clientside_callback(
    ClientsideFunction("shell", "toggleNav"),
    Output("nav-collapse", "is_open"),
    Input("nav-toggle", "n_clicks"),
    Input("url", "pathname"),
    State("nav-collapse", "is_open"),
)
