"""The copy engine behind ``python -m backend.scripts.migrate_sqlite_to_postgres``.

``steps.py`` lists the steps of a run; ``migrate.py`` runs them in that order, passing one
``RunContext``. A module is named after the step it performs (``snapshot``, ``preflight``,
``verify``, ``report``), the side it works on (``target``: inspect and upgrade it; ``load``:
lock, COPY in, rebuild keys), or what it computes (``plan``: tables and column kinds;
``copy_text``: the COPY text encoder; ``checksum``: the content checksum of that text;
``preflight_policy``: when the preflight runs and what its findings do).
"""
