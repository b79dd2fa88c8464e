"""Attachment files of imported items: typed from their content and checked like
an upload, hashed, their text extracted, stored. A file that would be refused
on upload is left out with a warning; its item is imported without it."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from gongkai.catalogue.importing.sources import AttachmentFile
from gongkai.catalogue.models import Attachment, ItemRevision
from gongkai.documents.extraction import ExtractionError, extract_text
from gongkai.documents.filetypes import FileRefused, check_upload, sha256_hex


def store_attachments(
    revision: ItemRevision, files: list[AttachmentFile], stored: list[str]
) -> tuple[list[Attachment], list[str]]:
    """Unsaved ``Attachment`` rows for ``revision`` (their files already in
    storage; each stored name is appended to ``stored`` so that a failed batch
    can remove them) and a warning per file left out."""
    rows: list[Attachment] = []
    warnings: list[str] = []
    for source in files:
        try:
            data = source.path.read_bytes()
            detected = check_upload(data, source.name)
        except OSError as exc:
            warnings.append(f"附件“{source.name}”无法读取（{exc.strerror}），未导入")
            continue
        except FileRefused as exc:
            warnings.append(f"附件“{source.name}”未导入：{exc.message}")
            continue
        try:
            text = extract_text(data, detected.kind)
        except ExtractionError:
            text = ""  # kept for the eye; search and the scanner see no text
        attachment = Attachment(
            revision=revision,
            name=source.name[:200],
            kind=detected.kind,
            mime=detected.mime,
            size=len(data),
            sha256=sha256_hex(data),
            text=text,
        )
        attachment.file.save(
            f"{attachment.sha256[:16]}.{detected.extension or 'bin'}",
            ContentFile(data),
            save=False,
        )
        stored.append(str(attachment.file.name))
        rows.append(attachment)
    return rows, warnings


def remove_stored(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
