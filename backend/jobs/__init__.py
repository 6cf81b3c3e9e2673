"""Background jobs on DBOS: durable workflows and queues whose state lives in SMS's own database.

``runtime`` starts and stops the library with the app (one per process), ``sealed`` keeps
secrets out of the stored inputs, ``child`` runs a tool in its own process and reads its
JSON-lines progress. Report cards and imports can use the same three pieces later.
"""
