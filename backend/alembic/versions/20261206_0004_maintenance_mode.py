"""maintenance mode: the read-only flag every process sees

One row (id 1, enforced by a CHECK) saying whether SMS is read-only, why, since when and who
set it; no row means writable, so nothing is inserted here.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "maintenance_mode",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("read_only", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("set_by", sa.String(length=200), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_maintenance_mode_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_maintenance_mode")),
    )


def downgrade() -> None:
    op.drop_table("maintenance_mode")
