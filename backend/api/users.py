"""/api/v1/users: user accounts (admin only); no response ever carries a password or hash."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from backend.api.actors import AdminActor
from backend.api.deps import AdminUser
from backend.api.pagination import ListQueryDep, page_of
from backend.api.routing import SMSRoute
from backend.db.session import SessionDep
from backend.models import UserRole
from backend.schemas.auth import PasswordReset, PasswordResetResult
from backend.schemas.common import ERROR_RESPONSES, MAX_INT, Page
from backend.schemas.users import UserCreate, UserRead, UserUpdate
from backend.services import users as service

router = APIRouter(route_class=SMSRoute, prefix="/api/v1/users", tags=["users"], responses=ERROR_RESPONSES)
UserPk = Annotated[int, Path(ge=1, le=MAX_INT)]


@router.get("", summary="List user accounts")
def list_users(
    _: AdminUser,
    session: SessionDep,
    query: ListQueryDep,
    role: UserRole | None = None,
    is_active: bool | None = None,
) -> Page[UserRead]:
    """List accounts; search by email or name; filter by role and active."""
    return page_of(service.list_users(session=session, query=query, role=role, is_active=is_active), UserRead)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a user account")
def create_user(actor: AdminActor, session: SessionDep, body: UserCreate) -> UserRead:
    """Add an account with a role and an initial password."""
    user = service.create_user(session=session, actor=actor, data=body)
    return UserRead.model_validate(user)


@router.get("/{user_id}", summary="Get a user account")
def get_user(_: AdminUser, session: SessionDep, user_id: UserPk) -> UserRead:
    """Return one account."""
    return UserRead.model_validate(service.get_user(session=session, user_id=user_id))


@router.patch("/{user_id}", summary="Update a user account")
def update_user(actor: AdminActor, session: SessionDep, user_id: UserPk, body: UserUpdate) -> UserRead:
    """Change role, name, email, password or active flag; a new password or role logs the user out."""
    user = service.update_user(session=session, actor=actor, user_id=user_id, changes=body)
    return UserRead.model_validate(user)


@router.delete("/{user_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a user account")
def delete_user(actor: AdminActor, session: SessionDep, user_id: UserPk) -> Response:
    """Remove an account; its audit entries keep the email."""
    service.delete_user(session=session, actor=actor, user_id=user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{user_id}/password", summary="Reset a user's password")
def reset_password(
    actor: AdminActor, session: SessionDep, user_id: UserPk, body: PasswordReset
) -> PasswordResetResult:
    """Set a new password (or generate one, shown once); the user's sessions end and they must change it."""
    return service.reset_password(session=session, actor=actor, user_id=user_id, data=body)


@router.delete(
    "/{user_id}/login-throttle",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Let a user log in again at once",
)
def clear_login_throttle(actor: AdminActor, session: SessionDep, user_id: UserPk) -> Response:
    """Forget the account's failed logins, so its next attempt is not delayed."""
    service.clear_login_throttle(session=session, actor=actor, user_id=user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
