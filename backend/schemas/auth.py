"""Bodies of /api/v1/auth: login, the token, the logged-in user and a password change."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from backend.models import UserRole
from backend.schemas.common import InputModel, Text

# Long enough for any passphrase, short enough that argon2 never hashes a megabyte. The
# password rules (length, not the email) answer with coded errors: see services/auth.py.
AnyPassword = Annotated[Text, Field(min_length=1, max_length=1024)]


class LoginRequest(BaseModel):
    # Text: a NUL byte is a 422 here, not a database error on PostgreSQL.
    email: Annotated[Text, Field(min_length=3, max_length=255)]
    password: AnyPassword


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime = Field(description="When the session ends at the latest (it ends sooner if idle)")
    must_change_password: bool = Field(
        description="True: every call but GET /auth/me, POST /auth/password and POST /auth/logout "
        "answers 403 password_change_required until the password is changed"
    )


class Me(BaseModel):
    id: int
    email: str
    full_name: str
    role: UserRole
    must_change_password: bool


class PasswordChange(InputModel):
    current_password: AnyPassword
    new_password: AnyPassword = Field(description="At least 8 characters, not the account's email")


class PasswordReset(InputModel):
    new_password: AnyPassword | None = Field(
        default=None, description="Leave out to have SMS generate one, shown once in the answer"
    )


class PasswordResetResult(BaseModel):
    user_id: int
    generated_password: str | None = Field(
        description="The generated password (only when none was sent): shown this once, never stored"
    )
    must_change_password: bool
