"""/api/v1/auth: log in for a bearer token, and who the token belongs to."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from backend.api.deps import CurrentUser, SettingsDep
from backend.api.errors import error_body
from backend.core.security import create_access_token
from backend.db.session import SessionDep
from backend.models import UserRole
from backend.services.users import LoginLocked, authenticate

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


class LoginRequest(BaseModel):
    email: str = Field(min_length=3, max_length=255)
    password: str = Field(min_length=1, max_length=1024)


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


class Me(BaseModel):
    id: int
    email: str
    full_name: str
    role: UserRole


@router.post("/login", summary="Log in with email and password", response_model=Token)
def login(body: LoginRequest, session: SessionDep, settings: SettingsDep) -> Token | Response:
    """Exchange email and password for a bearer token."""
    try:
        user = authenticate(
            session=session,
            email=body.email,
            password=body.password,
            max_failures=settings.LOGIN_MAX_FAILURES,
            lockout_minutes=settings.LOGIN_LOCKOUT_MINUTES,
        )
    except LoginLocked as locked:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            "Too many failed logins: this account is locked until "
            f"{locked.until.isoformat(timespec='minutes')}",
        ) from None
    if user is None:
        # Returned, not raised: the request's transaction then commits the failure count
        # (and a lockout) with the refusal, where an exception would roll them back.
        return JSONResponse(error_body("Wrong email or password"), status_code=status.HTTP_401_UNAUTHORIZED)
    token = create_access_token(
        subject=str(user.id),
        secret_key=settings.SECRET_KEY,
        expires_minutes=settings.ACCESS_TOKEN_EXPIRE_MINUTES,
    )
    return Token(access_token=token)


@router.get("/me", summary="Show the logged-in user")
def me(user: CurrentUser) -> Me:
    """Return the account behind the token."""
    return Me(id=user.id, email=user.email, full_name=user.full_name, role=user.role)
