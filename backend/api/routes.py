"""Every router of the app, in the order they are mounted (the SPA catch-all comes last)."""

from __future__ import annotations

from fastapi import APIRouter

from backend.api import (
    attendance,
    audit,
    auth,
    class_lists,
    control_backups,
    control_maintenance,
    control_migration,
    control_move,
    courses,
    dashboard,
    enrollments,
    grades,
    health,
    highlights,
    my_classes,
    performance,
    students,
    terms,
    users,
    year_end,
)

ROUTERS: list[APIRouter] = [
    health.router,
    auth.router,
    *(
        resource.router
        for resource in (students, courses, enrollments, grades, attendance, performance, highlights, users)
    ),
    terms.years_router,
    terms.router,
    my_classes.router,
    year_end.router,
    audit.router,
    class_lists.router,
    dashboard.router,
    control_backups.router,
    control_migration.router,
    control_maintenance.router,
    control_move.router,
]
