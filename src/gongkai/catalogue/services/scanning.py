"""Running the sensitive-information scanner on a revision, and masking a finding
in the stored text or attachment."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.base import ContentFile

from gongkai.accounts.errors import ServiceError
from gongkai.catalogue.models import Attachment, Finding, FindingStatus, ItemRevision
from gongkai.documents.extraction import ExtractionError, extract_text
from gongkai.documents.filetypes import sha256_hex
from gongkai.law import scanner
from gongkai.law.errors import LawInputError

TEXT_FIELDS = ("title", "summary", "body")


def scan_policy() -> scanner.ScanPolicy:
    return scanner.ScanPolicy(
        words=frozenset(getattr(settings, "GONGKAI_SCAN_WORDS", ())),
        allowed_email_domains=frozenset(
            getattr(settings, "GONGKAI_SCAN_ALLOWED_EMAIL_DOMAINS", ("gov.cn",))
        ),
    )


def revision_parts(revision: ItemRevision) -> dict[str, str]:
    parts = {f: getattr(revision, f) for f in TEXT_FIELDS}
    for att in revision.attachments.all():
        parts[f"attachment:{att.pk}:{att.name}"] = att.text
    return parts


def scan_revision(revision: ItemRevision) -> list[Finding]:
    """Record the revision's findings. Open ones are replaced; a finding already
    marked a false positive for the same text is not raised again."""
    policy = scan_policy()
    dismissed = set(
        revision.findings.filter(status=FindingStatus.FALSE_POSITIVE).values_list(
            "field", "kind", "text"
        )
    )
    revision.findings.filter(status=FindingStatus.OPEN).delete()
    rows = [
        Finding(
            revision=revision,
            field=f.field[:220],
            kind=str(f.kind),
            text=f.text[:200],
            start=f.start,
            end=f.end,
            masked=f.masked[:200],
            context=f.context[:300],
        )
        for f in scanner.scan_fields(revision_parts(revision), policy=policy)
        if (f.field[:220], str(f.kind), f.text[:200]) not in dismissed
    ]
    return Finding.objects.bulk_create(rows)


def unresolved_after_rescan(revision: ItemRevision) -> int:
    """Scan again (at publication) and count what is neither masked nor dismissed."""
    return len(scan_revision(revision))


def _law_finding(row: Finding) -> scanner.Finding:
    return scanner.Finding(
        kind=scanner.FindingKind(row.kind),
        text=row.text,
        start=row.start,
        end=row.end,
        masked=row.masked,
    )


def apply_mask(row: Finding) -> None:
    revision = row.revision
    if row.field in TEXT_FIELDS:
        text = getattr(revision, row.field)
        try:
            masked = scanner.mask_text(text, [_law_finding(row)])
        except LawInputError as exc:
            raise ServiceError(exc.message) from None
        setattr(revision, row.field, masked)
        revision.save(update_fields=[row.field])
        _realign(revision, row)
        return
    if row.field.startswith("attachment:"):
        attachment = revision.attachments.get(pk=int(row.field.split(":")[1]))
        _mask_attachment(attachment, row.text, row.masked)
        return
    raise ServiceError("无法定位该敏感信息")


def _realign(revision: ItemRevision, done: Finding) -> None:
    """Masks can change a field's length (e-mail addresses): move the remaining
    open findings of that field to their new offsets."""
    fresh = scanner.scan_text(
        getattr(revision, done.field), field=done.field, policy=scan_policy()
    )
    for other in revision.findings.filter(
        field=done.field, status=FindingStatus.OPEN
    ).exclude(pk=done.pk):
        match = next(
            (f for f in fresh if f.text == other.text and str(f.kind) == other.kind),
            None,
        )
        if match is not None:
            other.start, other.end = match.start, match.end
            other.save(update_fields=["start", "end"])
            fresh.remove(match)


def _mask_attachment(attachment: Attachment, text: str, masked: str) -> None:
    """Replace every occurrence in a text, DOCX or XLSX file with a masked copy; the
    stored file of the revision becomes the masked one."""
    with attachment.file.open("rb") as fh:
        data = fh.read()
    if attachment.kind == "txt":
        new = data.decode("utf-8").replace(text, masked).encode("utf-8")
    elif attachment.kind == "docx":
        new = _mask_docx(data, text, masked)
    elif attachment.kind == "xlsx":
        new = _mask_xlsx(data, text, masked)
    else:
        raise ServiceError(
            f"“{attachment.name}”为{attachment.kind.upper()}文件，系统无法可靠遮盖其中内容，请退回撰稿人替换为已处理的文件"
        )
    if new == data:
        raise ServiceError("附件中未找到该内容（可能跨格式分段），请退回撰稿人处理")
    try:
        attachment.text = extract_text(new, attachment.kind)
    except ExtractionError as exc:
        raise ServiceError(exc.message) from None
    attachment.sha256 = sha256_hex(new)
    attachment.size = len(new)
    attachment.file.save(
        f"{attachment.sha256[:16]}.{attachment.kind}", ContentFile(new), save=False
    )
    attachment.save()


def _mask_docx(data: bytes, text: str, masked: str) -> bytes:
    import docx

    document = docx.Document(io.BytesIO(data))
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    for section in document.sections:
        paragraphs.extend(section.header.paragraphs)
        paragraphs.extend(section.footer.paragraphs)
    for paragraph in paragraphs:
        if text in paragraph.text:
            runs = paragraph.runs
            joined = "".join(r.text for r in runs)
            if text in joined and runs:
                runs[0].text = joined.replace(text, masked)
                for run in runs[1:]:
                    run.text = ""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _mask_xlsx(data: bytes, text: str, masked: str) -> bytes:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and text in cell.value:
                    cell.value = cell.value.replace(text, masked)
                elif (
                    cell.value is not None
                    and not isinstance(cell.value, str)
                    and str(cell.value) == text
                ):
                    cell.value = masked
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
