"""The demo school of ``python -m backend.scripts.seed_demo``: its calendar, plan, rows and writers.

``calendar`` fixes the school's dates, ``plan`` decides who teaches and takes what, ``rows``
turns the plan into table rows, ``writers`` bulk-loads them on SQLite or PostgreSQL.
"""
