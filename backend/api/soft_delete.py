"""The delete, restore and purge routes every soft-deletable resource (students, courses) has."""

# No ``from __future__ import annotations``: FastAPI reads the endpoints' annotations, which
# name the resource's path parameter built below, so they must be evaluated where they stand.

from dataclasses import dataclass
from typing import Annotated, Generic

from fastapi import APIRouter, Path, Response, status
from pydantic import BaseModel

from backend.api.actors import AdminActor
from backend.api.deps import AdminUser
from backend.db.session import SessionDep
from backend.schemas.common import MAX_INT
from backend.schemas.courses import PurgeReport
from backend.schemas.trash import PurgePreview
from backend.services import soft_delete
from backend.services.records import KINDS, SoftT
from backend.services.soft_delete import Purge
from backend.services.soft_delete import PurgePreview as Preview


@dataclass(frozen=True)
class SoftDeletable(Generic[SoftT]):
    """One resource's routes: its model, its read schema, its purge and the words the docs show."""

    model: type[SoftT]
    read: type[BaseModel]
    purge: Purge
    preview: Preview
    delete_description: str
    purge_summary: str
    purge_description: str


def add_soft_delete_routes(router: APIRouter, resource: SoftDeletable[SoftT]) -> None:
    """Add ``DELETE /{id}``, ``POST /{id}/restore``, ``GET /{id}/purge-preview`` and
    ``DELETE /{id}/purge`` (admins only).

    The routes are named ``delete_student``, ``restore_student``, ``purge_preview_student`` and
    ``purge_student`` (likewise for courses), which the operation ids and so the web app's
    generated client are made of.
    """
    model, read = resource.model, resource.read
    noun = KINDS[model].entity_type
    id_name = f"{noun}_id"
    row_path = f"/{{{id_name}}}"
    # The path parameter keeps the resource's own name (student_id) in the docs and in errors.
    row_id_param = Path(alias=id_name, ge=1, le=MAX_INT, description=f"The {noun}'s database id")

    def delete(actor: AdminActor, session: SessionDep, row_id: Annotated[int, row_id_param]) -> Response:
        soft_delete.soft_delete(session=session, actor=actor, model=model, row_id=row_id)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    def restore(actor: AdminActor, session: SessionDep, row_id: Annotated[int, row_id_param]) -> BaseModel:
        row = soft_delete.restore(session=session, actor=actor, model=model, row_id=row_id)
        return read.model_validate(row)

    def purge(actor: AdminActor, session: SessionDep, row_id: Annotated[int, row_id_param]) -> PurgeReport:
        counts = resource.purge(session=session, actor=actor, row_id=row_id)
        return PurgeReport(entity_type=noun, id=row_id, deleted=counts)

    def purge_preview(
        _: AdminUser, session: SessionDep, row_id: Annotated[int, row_id_param]
    ) -> PurgePreview:
        counts = resource.preview(session=session, row_id=row_id)
        return PurgePreview(entity_type=noun, id=row_id, would_delete=counts)

    router.add_api_route(
        row_path,
        delete,
        methods=["DELETE"],
        status_code=status.HTTP_204_NO_CONTENT,
        name=f"delete_{noun}",
        summary=f"Delete a {noun} (soft)",
        description=resource.delete_description,
    )
    router.add_api_route(
        f"{row_path}/restore",
        restore,
        methods=["POST"],
        response_model=read,
        name=f"restore_{noun}",
        summary=f"Restore a deleted {noun}",
        description=f"Bring back a soft-deleted {noun}.",
    )
    router.add_api_route(
        f"{row_path}/purge-preview",
        purge_preview,
        methods=["GET"],
        name=f"purge_preview_{noun}",
        summary=f"Count what erasing a deleted {noun} would remove",
        description=(
            f"The rows a purge of this soft-deleted {noun} would erase, per table, with the same keys "
            "as the purge report; nothing changes. A live one is refused as the purge refuses it."
        ),
    )
    router.add_api_route(
        f"{row_path}/purge",
        purge,
        methods=["DELETE"],
        name=f"purge_{noun}",
        summary=resource.purge_summary,
        description=resource.purge_description,
    )
