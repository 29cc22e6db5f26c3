"""Companies by EU size class: each company's class (a partner's own report, or the network's
most recent), SME shares and conflicting reports."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd


def company_classes(reach: pd.DataFrame) -> pd.Series:
    """One SME class per distinct company of the reach rows given: with one partner, the class
    that partner reported itself (``size_class``: another partner's reports never change a
    partner's figures); across partners, the network-wide rule (``network_class``: the
    latest report by activity date, then the newer upload)."""
    column = "size_class"
    if "network_class" in reach and reach["partner_code"].nunique() > 1:
        column = "network_class"
    return reach.drop_duplicates("company_id")[column]


def sme_share(reach: pd.DataFrame) -> tuple[int, int, Fraction | None]:
    """(distinct companies, of them SMEs = not 'Groß', SME share) of the participations given,
    classed as :func:`company_classes` says."""
    if reach.empty:
        return 0, 0, None
    classes = company_classes(reach)
    n_sme = int((classes != "Groß").sum())
    return len(classes), n_sme, Fraction(n_sme, len(classes))


def companies_by_size(reach: pd.DataFrame, classes: tuple[str, ...]) -> dict[str, int]:
    """Distinct companies per SME class (in the order of ``classes``), classed as
    :func:`company_classes` says."""
    if reach.empty:
        return dict.fromkeys(classes, 0)
    counts = company_classes(reach).value_counts()
    return {c: int(counts.get(c, 0)) for c in classes}


def size_class_conflicts(reports: pd.DataFrame, reach: pd.DataFrame) -> list[dict]:
    """One entry per company the rows given report with more than one SME class (grain of
    ``reports``: company x partner x class, see ``queries.size_class_conflicts``): company,
    plz, its reports as (partner, class, latest activity date) by date, and the class the
    network-wide rule gives it (``network_class`` of ``reach``; None when not in it)."""
    if reports.empty:
        return []
    n_classes = reports.groupby("company_id")["size_class"].transform("nunique")
    shown = reports[n_classes > 1]
    network = {}
    if "network_class" in reach:
        unique = reach.drop_duplicates("company_id")
        network = dict(zip(unique["company_id"], unique["network_class"].astype(object),
                           strict=True))
    out = []
    for company_id, rows in shown.groupby("company_id", sort=False):
        first = rows.iloc[0]
        out.append({
            "company": first["display_name"],
            "plz": first["plz"],
            "reports": list(zip(rows["partner_code"], rows["size_class"], rows["reported_on"],
                                strict=True)),
            "network_class": network.get(company_id),
        })
    return out
