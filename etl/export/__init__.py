"""Excel exports: the figures of a dashboard page, the finance plan, and the proof of use.

:mod:`etl.export.book` writes tables as formatted sheets (German number formats, frozen
header rows, widths, totals rows, text never a formula); :mod:`etl.export.proof` builds the
numerical part of the Zwischennachweis / Verwendungsnachweis from :func:`etl.report.build_report`.
"""
