"""What the demo partners do: event titles per module, coaching topics, expense items and
the activity profile of each module (generated data, not figures)."""

from __future__ import annotations

from dataclasses import dataclass

EVENT_TITLES: dict[str, tuple[str, ...]] = {
    "Informieren": (
        "Infoabend: Förderprogramme für Energieeffizienz",
        "Webinar: CO₂-Bilanz für den Mittelstand",
        "Infoveranstaltung Kreislaufwirtschaft in der Produktion",
        "Webinar: Nachhaltigkeitsbericht nach VSME",
        "Praxisforum Photovoltaik auf Gewerbedächern",
        "Infoveranstaltung: Abwärme nutzen, Kosten senken",
        "Webinar: Förderlotse EFRE.NRW",
        "Impulsvortrag Wasserstoff im Mittelstand",
        "Infotag Ressourceneffizienz",
        "Webinar: Lieferkettengesetz und Nachhaltigkeit",
    ),
    "Vernetzen": (
        "Unternehmerfrühstück Grüne Produktion",
        "Netzwerktreffen Kreislaufwirtschaft",
        "Stammtisch Energiemanager:innen",
        "Betriebsbesichtigung mit Erfahrungsaustausch",
        "Netzwerkabend Nachhaltige Industrie",
        "Arbeitskreis Ressourceneffizienz",
        "Regionales Matchmaking Zulieferer & Start-ups",
    ),
    "Transfer": (
        "Transferworkshop mit der FH Dortmund: Wasserstoff",
        "Hochschultag Grüne Produktion (Ruhr-Universität Bochum)",
        "Transferwerkstatt Recyclinggerechte Konstruktion",
        "Forschung trifft Praxis: Kunststoffrecycling",
        "Labortag Energiespeicher (FH Südwestfalen)",
    ),
    "Coachen": (
        "Gruppencoaching Energie-Audit",
        "Workshop Coaching-Auftakt",
    ),
}


GENERIC_TITLES = ("Workshop", "Informationsveranstaltung", "Netzwerktreffen")


COACHING_TOPICS = (
    "Energieeffizienz in der Produktion",
    "Ressourceneffizienz",
    "Fördermittelberatung",
    "CO₂-Bilanz (Scope 1 und 2)",
    "Kreislaufwirtschaft / Re-Design",
    "Abwärmenutzung",
    "Digitalisierung der Produktion",
    "Nachhaltigkeitsbericht (VSME)",
    "PV-Eigenverbrauch",
    "Wasserstoffanwendungen",
    "Umstellung auf Recyclingkunststoff",
    "Energiemanagement ISO 50001",
)


# cost type -> (description, typical amount from, to)
EXPENSE_ITEMS: dict[str, tuple[tuple[str, float, float], ...]] = {
    "Sachkosten": (
        ("Raummiete Veranstaltung", 250, 1400),
        ("Catering", 150, 1100),
        ("Druck Flyer und Plakate", 80, 650),
        ("Software-Lizenz Webinar-Tool", 40, 380),
        ("Büromaterial", 25, 180),
        ("Technikmiete Beamer/Ton", 120, 700),
        ("Anzeige Tageszeitung", 300, 1500),
    ),
    "Fremdleistungen": (
        ("Honorar Referentin", 450, 2200),
        ("Honorar Referent", 450, 2200),
        ("Moderation Netzwerkabend", 600, 1800),
        ("Externe Coachin (Energie-Audit)", 900, 3800),
        ("Grafikdesign Kampagne", 500, 2900),
        ("Übersetzung Informationsmaterial", 150, 900),
        ("Evaluation (Institut)", 1200, 4500),
    ),
    "Reisekosten": (
        ("Bahnfahrt Fachtagung", 35, 260),
        ("Fahrtkosten Unternehmensbesuche", 20, 180),
        ("Hotel Fachkonferenz", 90, 420),
        ("Dienstreise Netzwerktreffen", 25, 140),
    ),
}


EXPENSE_WEIGHTS = {"Sachkosten": 5, "Fremdleistungen": 3, "Reisekosten": 2}


@dataclass(frozen=True)
class ModuleProfile:
    """How a module's activities look: event sizes, formats, coaching hours, default counts."""

    event_size: tuple[int, int]
    formats: tuple[int, int, int]  # weights of Präsenz, Online, Hybrid
    coaching_hours: tuple[float, float, float]  # low, high, mode
    default_events: int  # per year, when the configuration has no target
    default_coachings: int


MODULE_PROFILES: dict[str, ModuleProfile] = {
    "Informieren": ModuleProfile((15, 60), (45, 40, 15), (4, 16, 6), 10, 0),
    "Coachen": ModuleProfile((6, 14), (70, 10, 20), (4, 40, 14), 0, 25),
    "Vernetzen": ModuleProfile((18, 70), (80, 5, 15), (4, 12, 6), 6, 0),
    "Transfer": ModuleProfile((8, 30), (70, 10, 20), (4, 24, 10), 3, 6),
}


DEFAULT_PROFILE = ModuleProfile((10, 40), (60, 25, 15), (4, 24, 10), 4, 4)
