"""A small network for hand-computed expectations: two partners, two modules, two years."""

from __future__ import annotations

import pytest

from etl.core.config import parse_config

SMALL = {
    "network": {"name": "Testnetz", "short_name": "Test", "start": "2024-01-01",
                "end": "2025-12-31", "total_budget_eur": "7000.00",
                "grant_notice_date": "2023-12-01", "report_due_day": 10,
                "modules": ["M1", "M2"]},
    "partners": [{"code": "A", "name": "Agentur A", "funding_rate": "0.80", "lead": True},
                 {"code": "B", "name": "Agentur B", "funding_rate": "0.90"}],
    "rules": {"rate_tables": [{"valid_from": "2022-01-01",
                               "monthly": {"1": "5000.00", "2": "4000.00"}}],
              "deviation_warn": "0.15", "deviation_flag": "0.20",
              "interim_proof_due": "04-30", "final_proof_months": 6},
    "budget": {
        "A": {"2024": {"personnel": "1000.00", "overheads": "150.00", "material": "350.00"},
              "2025": {"personnel": "2000.00", "overheads": "300.00", "material": "700.00"}},
        "B": {"2024": {"personnel": "500.00", "overheads": "75.00", "material": "425.00"},
              "2025": {"personnel": "1000.00", "overheads": "150.00", "material": "350.00"}},
    },
    "targets": {
        "A": {"M1": {"2024": {"events": 12, "participants": 120, "coachings": 0, "companies": 24},
                     "2025": {"events": 24, "participants": 240, "coachings": 0,
                              "companies": 48}},
              "M2": {"2025": {"events": 0, "participants": 0, "coachings": 12,
                              "companies": 12}}},
        "B": {"M1": {"2025": {"events": 12, "participants": 100, "coachings": 0,
                              "companies": 20}}},
    },
}


@pytest.fixture(scope="session")
def small_config():
    """Partners A (80 %) and B (90 %), modules M1/M2, 2024-2025; budget 7.000,00 €."""
    return parse_config(SMALL)
