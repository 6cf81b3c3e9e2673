"""User account bodies; no response model has a password or hash field."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from backend.models import UserRole
from backend.schemas.common import InputModel, OutputModel, Text, optional
from backend.schemas.students import Email

Password = Annotated[Text, Field(min_length=8, max_length=256, description="At least 8 characters")]


class UserCreate(InputModel):
    email: Email
    full_name: Annotated[Text, Field(max_length=200)] = ""
    password: Password
    role: UserRole = UserRole.VIEWER
    is_active: bool = True


class UserUpdate(InputModel):
    email: Email = optional()
    full_name: Annotated[Text, Field(max_length=200)] = optional()
    password: Password = optional()
    role: UserRole = optional()
    is_active: bool = optional()


class UserRead(OutputModel):
    id: int
    email: str
    full_name: str
    role: UserRole
    is_active: bool
    must_change_password: bool
    last_login_at: datetime | None
    created_at: datetime
    updated_at: datetime
