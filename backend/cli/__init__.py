"""What every SMS command-line tool shares: the exit codes and how a tool reports a failure.

The tools themselves live beside what they drive (``backend/scripts/``, ``backend/db/migrations.py``);
docs/CLI.md lists them with their entry points.
"""
