"""Every router of the app, in the order they are mounted (the SPA catch-all comes last)."""

from __future__ import annotations

from fastapi import APIRouter

from backend.api import auth, control_backups, health

ROUTERS: list[APIRouter] = [
    health.router,
    auth.router,
    control_backups.router,
]
