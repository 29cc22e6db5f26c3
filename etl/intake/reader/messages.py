"""German user-facing messages of the reader and the helpers that format numbers in them.

Every :class:`~etl.core.errors.WorkbookRejected` raised by :mod:`etl.intake.reader` carries
one of these texts. ``MiB`` lives here because the size texts are its first user; the other
modules import it.
"""

from __future__ import annotations

import posixpath

MiB = 1024 * 1024
ACCEPTED_EXTENSIONS = (".xlsx", ".xlsm", ".ods", ".xls")

ACCEPTED = (
    "Angenommen werden Excel-Arbeitsmappen (.xlsx, .xlsm), LibreOffice-Tabellen (.ods) "
    "und ältere Excel-Dateien (.xls)."
)
RESAVE = (
    "Bitte die Datei in Excel oder LibreOffice öffnen, erneut speichern und noch einmal hochladen."
)
MSG_EMPTY = f"Die Datei ist leer (0 Byte). Bitte die ausgefüllte Arbeitsmappe hochladen. {ACCEPTED}"
MSG_DAMAGED = f"Die Datei ist beschädigt oder unvollständig (z. B. abgebrochener Upload). {RESAVE}"
MSG_UNREADABLE = (
    "Die Datei konnte nicht als Arbeitsmappe gelesen werden; sie ist vermutlich beschädigt oder "
    f"in einem ungewöhnlichen Format gespeichert. Bitte in Excel oder LibreOffice öffnen, "
    f"als .xlsx speichern und erneut hochladen. {ACCEPTED}"
)
MSG_PASSWORD = (
    "Die Datei ist mit einem Passwort geschützt und kann deshalb nicht gelesen werden. "
    "Bitte den Kennwortschutz entfernen (in Excel: Datei > Informationen > Arbeitsmappe "
    "schützen > Mit Kennwort verschlüsseln, Kennwort löschen), speichern und erneut hochladen."
)
MSG_XLSB = (
    "Die Datei ist eine Excel-Binärarbeitsmappe (.xlsb). Bitte in Excel über „Speichern unter“ "
    f"als Excel-Arbeitsmappe (.xlsx) speichern und erneut hochladen. {ACCEPTED}"
)
MSG_BOMB_RATIO = (
    "Die Datei enthält ungewöhnlich stark komprimierte Inhalte und wird aus Sicherheitsgründen "
    "nicht verarbeitet. Bitte die Daten in eine neue, leere Vorlage kopieren, speichern und "
    "erneut hochladen."
)


def _msg_too_large(limit: int) -> str:
    return (
        f"Die Datei ist größer als {_format_size(limit)} und wird nicht angenommen. Bitte nur "
        "die Daten des Berichtsmonats eintragen, Bilder und nicht benötigte Blätter entfernen "
        "und die Datei erneut hochladen."
    )


def _msg_too_large_unpacked(limit: int) -> str:
    return (
        f"Die Datei ist entpackt größer als {_format_size(limit)} und wird aus "
        "Sicherheitsgründen nicht verarbeitet. Bitte Bilder und nicht benötigte Blätter "
        "entfernen, speichern und erneut hochladen."
    )


def _msg_too_many_rows(sheet: str, max_rows: int) -> str:
    return (
        f"Blatt „{sheet}“ hat mehr als {_format_int(max_rows)} Zeilen. Bitte nur die Daten des "
        "Berichtsmonats eintragen und alle Zeilen unterhalb der Tabelle löschen (auch Zeilen, "
        "die nur ein Leerzeichen oder eine Formel enthalten), dann erneut hochladen."
    )


def _msg_too_many_cells(sheet: str, rows: int, cols: int) -> str:
    return (
        f"Blatt „{sheet}“ reicht bis Zeile {_format_int(rows)} und Spalte {_column_letters(cols)}"
        " – das ist zu groß zum Verarbeiten. Vermutlich steht weit rechts oder unterhalb der "
        "Tabelle noch ein einzelner Eintrag. Bitte alle Spalten rechts und alle Zeilen unterhalb "
        "der Tabelle löschen, speichern und erneut hochladen."
    )


def _msg_not_a_workbook(kind: str | None, file_name: str) -> str:
    extension = posixpath.splitext(file_name.strip().lower())[1]
    if kind and extension in ACCEPTED_EXTENSIONS:
        what = f"Die Datei hat zwar die Endung {extension}, ist aber {kind}."
    elif kind:
        what = f"Die Datei ist {kind}, keine Arbeitsmappe."
    else:
        what = "Die Datei ist keine Arbeitsmappe, die gelesen werden kann."
    return (
        f"{what} Bitte die Vorlage in Excel oder LibreOffice ausfüllen, als .xlsx speichern "
        f"und erneut hochladen. {ACCEPTED}"
    )


def _format_int(number: int) -> str:
    """German thousands separator: 200000 -> '200.000'."""
    return f"{number:,}".replace(",", ".")


def _format_size(nbytes: int) -> str:
    """German size text: 20 MiB -> '20 MB', 1.5 MiB -> '1,5 MB', 4096 -> '4 KB'."""
    if nbytes >= MiB:
        text = f"{nbytes / MiB:.1f}".removesuffix(".0").replace(".", ",")
        return f"{text} MB"
    return f"{_format_int(max(1, round(nbytes / 1024)))} KB"


def _column_letters(number: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


MSG_TOO_MUCH_MEMORY = (
    "Die Datei braucht zum Lesen mehr Arbeitsspeicher, als für einen Monatsbericht vorgesehen "
    "ist, und wird deshalb nicht verarbeitet (vermutlich enthält sie sehr viele leere, "
    "formatierte oder wiederholte Zellen). Bitte die Daten in eine neue, leere Vorlage "
    "kopieren, speichern und erneut hochladen."
)


def _msg_timeout(seconds: float) -> str:
    return (
        f"Das Lesen der Datei hat länger als {_format_int(round(seconds))} Sekunden gedauert "
        "und wurde abgebrochen. Bitte Bilder und nicht benötigte Blätter entfernen, speichern "
        "und erneut hochladen."
    )


def _msg_too_many_spaces(sheet: str, limit: int) -> str:
    return (
        f"Blatt „{sheet}“ enthält Zellen mit zusammen mehr als {_format_int(limit)} "
        "Leerzeichen – das ist zu groß zum Verarbeiten. Bitte die langen Leerräume aus den "
        "Zellen löschen, speichern und erneut hochladen."
    )


def _msg_too_much_text(sheet: str, limit: int) -> str:
    return (
        f"Blatt „{sheet}“ verweist so oft auf lange Texte, dass die Arbeitsmappe ausgepackt "
        f"mehr als {_format_size(limit)} Text enthielte – das ist zu groß zum Verarbeiten. "
        "Bitte die Daten in eine neue, leere Vorlage kopieren, speichern und erneut hochladen."
    )
