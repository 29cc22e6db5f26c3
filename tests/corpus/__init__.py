"""Broken and hostile workbooks, generated at test time (no binaries are committed).

:mod:`tests.corpus.ooxml` edits the ZIP/XML of a valid report written by
:mod:`etl.documents.workbook`; :mod:`tests.corpus.hostile` builds the individual hostile files.
"""
