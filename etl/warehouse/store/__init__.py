"""The warehouse's write/state side: one module per thing it stores.

Every SQL statement that intake, workflow and ops run lives here, as a typed, keyword-only
function that runs inside the caller's transaction (``conn``) or opens its own read
(``engine``). The callers keep the rules; these modules only know tables and statements.
"""
