"""Files attached to project records: checked, stored outside the web root, served after a check.

Any app attaches files the same way: its model inherits `StoredFile`, its service
calls `attach(...)` (checked, stored, saved and audited in one step, nothing left on
disk if any of it fails), and its download view fetches the owning object with
`get_visible` (404 for anyone else) before returning `file_response(obj)`. An import,
which reads every byte itself, calls `store` with its own type and limit.

- Size: at most `settings.COBENCH_MAX_ATTACHMENT_BYTES` (20 MB unless set).
- Type: the declared type (or, when the browser declares nothing useful, the one the
  file name suggests) must be in `settings.COBENCH_ATTACHMENT_TYPES`, and the first
  bytes of the file must look like that type (a PDF starts with `%PDF-`, text is
  UTF-8 without NUL bytes...). A type cobench cannot check is refused.
- Storage: under `settings.MEDIA_ROOT` (never served by the web server) with a
  random name; the person's file name is kept only as a label.
- Serving: always `Content-Disposition: attachment`, with `nosniff` and a sandboxing
  content security policy, so no upload ever runs in cobench's origin.
"""

from __future__ import annotations

import hashlib
import mimetypes
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.http import HttpResponse
from django.utils.http import content_disposition_header

from .errors import InvalidInput, NotFound

HEAD_BYTES = 4096
GENERIC_TYPES = {"", "application/octet-stream", "binary/octet-stream"}


def _text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sample is still text
        return exc.start >= len(head) - 3 and exc.reason == "unexpected end of data"
    return True


def _zip(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def _ole(head: bytes) -> bool:
    return head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


# how the first bytes of each type cobench can check look
SNIFFERS: dict[str, Callable[[bytes], bool]] = {
    "application/pdf": lambda h: h.startswith(b"%PDF-"),
    "image/png": lambda h: h.startswith(b"\x89PNG\r\n\x1a\n"),
    "image/jpeg": lambda h: h.startswith(b"\xff\xd8\xff"),
    "image/gif": lambda h: h[:6] in (b"GIF87a", b"GIF89a"),
    "text/plain": _text,
    "text/csv": _text,
    "text/markdown": _text,
    "chemical/x-mdl-sdfile": _text,
    "chemical/x-mdl-molfile": _text,
    "chemical/x-jcamp-dx": _text,
    "application/zip": _zip,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _zip,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _zip,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": _zip,
    "application/msword": _ole,
    "application/vnd.ms-excel": _ole,
}


class StoredFile(models.Model):
    """A file someone attached: its label, checked type, size and digest; the bytes live on disk."""

    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=200, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_by_label = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


@dataclass(frozen=True)
class Stored:
    """What `store` wrote: the fields a `StoredFile` keeps."""

    original_name: str
    content_type: str
    size: int
    sha256: str
    storage_name: str

    def fields(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def changes(self) -> dict[str, list[Any]]:
        """The audit changes of a file added: its label, type, size and digest."""
        return {
            "name": [None, self.original_name],
            "content_type": [None, self.content_type],
            "size": [None, self.size],
            "sha256": [None, self.sha256],
        }


def allowed_types() -> list[str]:
    """The content types this installation accepts (and can check)."""
    return [t for t in settings.COBENCH_ATTACHMENT_TYPES if t in SNIFFERS]


def clean_name(name: str) -> str:
    """The person's file name as a safe label: no folders, no control characters."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip(" .")
    return (name or "file")[-255:]


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(message, errors={"file": [message]})


def check(upload: UploadedFile) -> str:
    """The content type of `upload` once size, allowed type and first bytes agree; else refuse."""
    limit = settings.COBENCH_MAX_ATTACHMENT_BYTES
    if upload.size is None or upload.size > limit:
        raise _refuse(f"The file is larger than the limit of {limit // (1024 * 1024)} MB.")
    if upload.size == 0:
        raise _refuse("The file is empty.")
    declared = (upload.content_type or "").split(";")[0].strip().lower()
    if declared in GENERIC_TYPES:
        declared = (mimetypes.guess_type(upload.name or "")[0] or "").lower()
    if declared not in allowed_types():
        raise _refuse(
            f"Files of type '{declared or 'unknown'}' are not accepted "
            f"(accepted: {', '.join(allowed_types())})."
        )
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if not SNIFFERS[declared](head):
        raise _refuse(f"The file's content is not {declared}, as its type claims.")
    return declared


def _root() -> Path:
    return Path(settings.MEDIA_ROOT).resolve()


def store(
    upload: UploadedFile, *, folder: str, content_type: str = "", limit: int | None = None
) -> Stored:
    """Check `upload` and write it under MEDIA_ROOT/`folder` with a random name.

    Call inside the service's transaction, and `discard` the file if the service then
    fails before saving its record. A caller that checked the content itself (an
    import reads every byte) names its `content_type` and size `limit` instead.
    """
    content_type = content_type or check(upload)
    name = secrets.token_hex(16)
    relative = f"{folder}/{name[:2]}/{name}"
    path = _root() / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    limit = limit or settings.COBENCH_MAX_ATTACHMENT_BYTES
    with path.open("xb") as out:
        for chunk in upload.chunks():
            size += len(chunk)
            if size > limit:
                out.close()
                path.unlink(missing_ok=True)
                raise _refuse(f"The file is larger than the limit of {limit // 1048576} MB.")
            digest.update(chunk)
            out.write(chunk)
    path.chmod(0o600)
    return Stored(clean_name(upload.name or ""), content_type, size, digest.hexdigest(), relative)


F = TypeVar("F", bound=StoredFile)


def attach(
    *,
    actor: Any,
    upload: UploadedFile,
    folder: str,
    model: type[F],
    record: Callable[[F, dict[str, list[Any]]], object],
    **owner: Any,
) -> F:
    """Attach `upload` to a record: checked, stored under `folder`, saved as a `model` of
    `owner` uploaded by `actor`, and audited by `record(file, changes)`.

    Call inside the service's transaction; if saving or auditing fails, the stored
    bytes are removed again.
    """
    stored = store(upload, folder=folder)
    try:
        attached = model._default_manager.create(
            uploaded_by=actor, uploaded_by_label=actor.display_name, **owner, **stored.fields()
        )
        record(attached, stored.changes())
    except Exception:
        discard(stored.storage_name)
        raise
    return attached


def discard(storage_name: str) -> None:
    """Remove a stored file now (a failed save) — never anything outside MEDIA_ROOT."""
    path = (_root() / storage_name).resolve()
    if path.is_relative_to(_root()):
        path.unlink(missing_ok=True)


def discard_after_commit(storage_name: str) -> None:
    """Remove a stored file once the deletion of its record is committed."""
    transaction.on_commit(lambda: discard(storage_name))


def path_of(obj: StoredFile) -> Path:
    """Where the bytes of `obj` are; NotFound if they are missing."""
    path = (_root() / obj.storage_name).resolve()
    if not path.is_relative_to(_root()) or not path.is_file():
        raise NotFound("The file is missing from storage.")
    return path


def file_response(obj: StoredFile) -> HttpResponse:
    """The file of `obj` as a download; the caller has already checked who may read it.

    Read whole (files are bounded by the size limit), so every door and test sees the body.
    """
    path = path_of(obj)
    response = HttpResponse(path.read_bytes(), content_type=obj.content_type)
    response["Content-Disposition"] = (
        content_disposition_header(True, obj.original_name) or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
