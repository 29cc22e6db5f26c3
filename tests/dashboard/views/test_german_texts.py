"""German texts of small views: the replacement's month totals and the audit log's roles."""

from __future__ import annotations

from decimal import Decimal

from dashboard.views import audit_text
from dashboard.views.upload import total_line


def test_changed_totals_are_german_numbers():
    assert total_line("Coaching-Stunden", Decimal("89.50"), Decimal("0")) == (
        "Coaching-Stunden: 89,50 → 0,00")
    assert total_line("Teilnehmende (Personen)", Decimal(1234), Decimal(1240)) == (
        "Teilnehmende (Personen): 1.234 → 1.240")
    assert total_line("Sachausgaben (Cent)", Decimal(123456), Decimal(0)) == (
        "Sachausgaben: 1.234,56 € → 0,00 €")


def test_audit_log_names_roles_in_german():
    text = audit_text.describe('{"user": "kasse", "role": "finance", "active": true}')
    assert text == "Benutzer: kasse · Rolle: Finanzen · aktiv: ja"
    assert audit_text.describe('{"role": "partner"}') == "Rolle: Partner"
