"""E-mail notifications: events derived from the warehouse, an outbox that sends each one
once, delivery per user and kind (at once, daily or weekly digest, off).

:mod:`.events` (what happened), :mod:`.kinds` (who gets what, preferences),
:mod:`.outbox` (the run), :mod:`.mail` (text and SMTP).
"""
