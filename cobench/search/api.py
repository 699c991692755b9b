"""JSON API for structure search: GET (query string) or POST (JSON body) /api/v1/search.

Parameters: `query` (SMILES, SMARTS or molfile), `mode` (exact, substructure,
similarity), `query_type` (auto, smiles, smarts, molfile), `threshold` (0–1,
similarity), `top` (1–1000, similarity), `project_id` (one project; default all of
yours), `offset` and `limit` (which of the hits found to list). A query that
cannot be read answers 422 with per-field messages.
"""

from typing import Literal
from uuid import UUID

from ninja import Field, Query, Router, Schema

from cobench.api.schemas import Input
from cobench.tenancy.access import AuthenticatedRequest, project_for

from . import services

router = Router(tags=["search"])


class SearchIn(Input):
    query: str = Field(
        max_length=200_000, description="A SMILES, a SMARTS (substructure) or a molfile"
    )
    mode: Literal["exact", "substructure", "similarity"] = "similarity"
    query_type: Literal["auto", "smiles", "smarts", "molfile"] = Field(
        "auto", description="auto: a molfile, else a SMILES, else a SMARTS"
    )
    threshold: float = Field(0.0, ge=0, le=1, description="Similarity: the lowest Tanimoto")
    top: int = Field(services.DEFAULT_TOP, ge=1, le=services.MAX_HITS, description="Similarity")
    project_id: UUID | None = Field(None, description="Search one project; default all yours")
    offset: int = Field(0, ge=0, le=services.MAX_HITS, description="Hits to skip")
    limit: int = Field(100, ge=1, le=services.MAX_HITS, description="Hits to list")


class ProjectRef(Schema):
    id: UUID
    code: str
    name: str


class HitOut(Schema):
    compound_id: UUID
    registry_id: str
    smiles: str
    score: float | None = Field(description="Tanimoto (similarity), 1 (exact), none")
    projects: list[ProjectRef] = Field(description="Its projects that you are a member of")


class SearchOut(Schema):
    mode: str
    backend: Literal["inprocess", "cartridge"]
    count: int = Field(description="Hits found (at most 1,000); `hits` lists offset to limit")
    more: bool = Field(description="More hits exist than were counted")
    partial: bool = Field(description="The search stopped at its time limit")
    message: str
    hits: list[HitOut]


def _search(request: AuthenticatedRequest, params: SearchIn) -> dict:
    project = None
    if params.project_id is not None:
        project = project_for(request, params.project_id)
    result = services.search(
        actor=request.user,
        mode=params.mode,
        query=params.query,
        query_type=params.query_type,
        threshold=params.threshold,
        top=params.top,
        project=project,
    )
    return {
        "mode": result.mode,
        "backend": result.backend,
        "count": result.count,
        "more": result.more,
        "partial": result.stopped_after_s is not None,
        "message": result.message,
        "hits": result.hits(params.offset, params.offset + params.limit),
    }


@router.get("/search", response=SearchOut)
def search(request: AuthenticatedRequest, params: Query[SearchIn]):
    """Search the compounds of your projects by structure (parameters in the query string)."""
    return _search(request, params)


@router.post("/search", response=SearchOut)
def search_post(request: AuthenticatedRequest, body: SearchIn):
    """The same search with a JSON body (for molfiles, which are long)."""
    return _search(request, body)
