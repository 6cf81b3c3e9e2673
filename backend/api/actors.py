"""Who is writing: role-checked dependencies that hand the services an audit Actor."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from backend.api.deps import AdminUser, StaffUser
from backend.models import User
from backend.services.audit import Actor


def actor_for(user: User, request: Request) -> Actor:
    return Actor(
        user_id=user.id, email=user.email, ip_address=request.client.host if request.client else None
    )


# async: nothing here waits, and FastAPI would run a plain function in its thread pool, one
# more hand-over for every write than the endpoint itself needs.
async def staff_actor(user: StaffUser, request: Request) -> Actor:
    return actor_for(user, request)


async def admin_actor(user: AdminUser, request: Request) -> Actor:
    return actor_for(user, request)


StaffActor = Annotated[Actor, Depends(staff_actor)]
AdminActor = Annotated[Actor, Depends(admin_actor)]
