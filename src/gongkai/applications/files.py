"""Files in an application's record: identity documents (encrypted at rest) and
receipt evidence (the envelope, the e-mail, the fax)."""

from __future__ import annotations

import secrets

from django.db import transaction

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import User
from gongkai.applications.models import Application, ApplicationFile, FileKind
from gongkai.audit.services import record_event
from gongkai.core.crypto import decrypt_bytes, encrypt_bytes
from gongkai.core.storage import stored_file
from gongkai.documents.filetypes import FileRefused, check_upload, sha256_hex

MAX_BYTES = 20 * 1024 * 1024
ALLOWED = {"pdf", "png", "jpeg", "gif", "webp", "docx", "doc", "txt", "ofd"}


def attach_file(
    *, actor: User | None, application: Application, kind: str, name: str, data: bytes
) -> ApplicationFile:
    """Type-check and store a file; identity documents are encrypted first."""
    if kind not in FileKind.values:
        raise ServiceError("材料类型无效", field="kind")
    try:
        detected = check_upload(data, name, max_bytes=MAX_BYTES)
    except FileRefused as exc:
        raise ServiceError(f"“{name}”未能上传：{exc.message}", field="file") from None
    if detected.kind not in ALLOWED:
        raise ServiceError(
            f"“{name}”的类型（{detected.label}）不能作为申请材料", field="file"
        )
    encrypted = kind == FileKind.IDENTITY_DOCUMENT
    stored = encrypt_bytes(data) if encrypted else data
    row = ApplicationFile(
        application=application,
        kind=kind,
        name=name[:200],
        mime=detected.mime,
        size=len(data),
        sha256=sha256_hex(data),
        encrypted=encrypted,
    )
    suffix = "bin" if encrypted else detected.extension
    # A failed write is refused with nothing stored; a failed row removes the file.
    with (
        stored_file(row.file, f"{secrets.token_hex(12)}.{suffix}", stored, f"“{name}”"),
        transaction.atomic(),
    ):
        row.save()
        record_event(
            actor=actor,
            action="applications.file_attached",
            summary=f"{application.reference}：添加{FileKind(kind).label}“{name[:60]}”",
            obj=application,
            unit=application.unit,
            data={"kind": kind, "sha256": row.sha256, "size": row.size},
        )
    return row


def read_file(row: ApplicationFile) -> bytes:
    with row.file.open("rb") as fh:
        data = fh.read()
    return decrypt_bytes(data) if row.encrypted else data
