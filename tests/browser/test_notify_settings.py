"""Benachrichtigungen and the Benutzer page's e-mail field in a real browser: a user's choice
per kind is saved and shown again; the admin gives an account an address."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_a_partner_chooses_a_weekly_digest(app_as):
    app = app_as("partner")
    app.open("/einstellungen", "#settings-body .card")
    body = app.text("#settings-body")
    for label in ("Bericht fällig", "Bericht überfällig", "Rückfrage", "Monat freigegeben"):
        assert label in body
    assert "Zur Freigabe" not in body and "Mittelabrufe" not in body  # not for partners
    status = app.text("#settings-status")
    assert "nicht eingerichtet" in status and "keine E-Mail-Adresse" in status
    card = app.page.locator("#settings-body .card", has_text="Monat freigegeben")
    card.get_by_label("wöchentliche Zusammenfassung").check()
    app.page.click("#settings-save")
    assert app.wait_text("#settings-message") == "Gespeichert."
    app.open("/einstellungen", "#settings-body .card")
    card = app.page.locator("#settings-body .card", has_text="Monat freigegeben")
    assert card.get_by_label("wöchentliche Zusammenfassung").is_checked()
    assert card.get_by_label("tägliche Zusammenfassung").is_checked() is False


def test_the_settings_page_fits_a_phone_and_is_in_the_user_menu(app_as):
    app = app_as("finance")
    app.page.set_viewport_size({"width": 390, "height": 844})
    app.open("/einstellungen", "#settings-body .card")
    assert "Nachweisfristen" in app.text("#settings-body")
    width = app.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert app.page.locator(".user-menu a[href='/einstellungen']").count() == 1


def test_the_admin_sets_an_e_mail_address(app_as, accounts):
    app = app_as("admin")
    app.open("/benutzer", "#admin-users .ag-center-cols-container .ag-row")
    app.page.fill("#admin-username", accounts["steering"])
    app.page.fill("#admin-email", "stella@example.org")
    app.page.click("#admin-email-set")
    assert "stella@example.org" in app.wait_text("#admin-message")
    row = app.page.locator("#admin-users .ag-row", has_text=accounts["steering"]).first
    row.locator("text=stella@example.org").wait_for()
    before = app.text("#admin-message")
    app.page.fill("#admin-email", "kein-at-zeichen")
    app.page.click("#admin-email-set")
    refused = app.wait_change("#admin-message", before)
    assert refused == "'kein-at-zeichen' ist keine gültige E-Mail-Adresse."
