"""The registry of figures: complete entries, rules filled in from the configuration."""

from __future__ import annotations

from etl.core import figures


def test_every_figure_is_complete(config):
    for key, fig in figures.FIGURES.items():
        assert fig.key == key and fig.group in figures.GROUPS
        assert fig.name and fig.definition.endswith(".") and fig.formula and fig.sources, key
        for text in (figures.rule_text(fig, config), figures.formula_text(fig, config)):
            assert "{" not in text and "}" not in text, (key, text)


def test_rules_name_the_configured_values(config):
    assert figures.rule_text(figures.figure("overheads"), config) == "15 % der Personalausgaben"
    deviation = figures.rule_text(figures.figure("deviation"), config)
    assert "Warnung ab 15 %" in deviation and "Mittel gefährdet ab 20 %" in deviation
    assert "Tag 10 des Folgemonats" in figures.formula_text(figures.figure("reports_due"), config)


def test_labels_for_narrow_columns():
    assert figures.label("events") == "Veranst." and figures.name("events") == "Veranstaltungen"
    assert figures.label("grant") == "Zuwendung"  # no short form: the name
    assert figures.name("unique_companies") == "Erreichte Unternehmen (eindeutig)"
    assert figures.name("company_contacts") == "Unternehmenskontakte"
