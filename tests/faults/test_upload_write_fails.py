"""The disk fills up while an upload is written: the user gets a clear message in
Chinese, and no half-written file, attachment row, application or audit event stays.

The disk is a real one: a tmpfs of 64 KiB mounted for the test (the suite runs as root
in CI). Where mounting is not allowed, the storage's ``_save`` raising
``OSError(ENOSPC)`` stands in for it."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import User
from gongkai.applications import services
from gongkai.applications.models import Application, ApplicationFile
from gongkai.audit.models import AuditEvent
from gongkai.catalogue.models import Attachment
from gongkai.core.storage import AtomicFileSystemStorage
from tests.applications.conftest import APPLICANT, REQUEST
from tests.catalogue.conftest import School, draft
from tests.conftest import World

# Text larger than the disk; a small one fits.
LARGE = (
    "第一条 本办法所称政府信息，是指行政机关在履行行政管理职能过程中制作或者获取的信息。\n"
    * 3000
).encode()
SMALL = "本校2025年秋季学期招生计划。\n".encode()


def _mount_tiny_tmpfs(path: Path) -> bool:
    if os.geteuid() != 0:
        return False
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(path)],
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


@pytest.fixture(params=["tmpfs", "injected"])
def full_disk(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Path]:
    """MEDIA_ROOT on a disk that a large upload fills: a 64 KiB tmpfs, or (param
    "injected") a storage whose writes of more than 64 KiB fail with ENOSPC."""
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = str(media)
    if request.param == "tmpfs":
        if not _mount_tiny_tmpfs(media):
            pytest.skip("mounting a tmpfs needs root")
        try:
            yield media
        finally:
            subprocess.run(["umount", "--lazy", str(media)], check=False)
        return
    real_save = AtomicFileSystemStorage._save

    def save_on_a_small_disk(
        self: AtomicFileSystemStorage, name: str, content: Any
    ) -> str:
        if content.size > 64 * 1024:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_save(self, name, content)

    monkeypatch.setattr(AtomicFileSystemStorage, "_save", save_on_a_small_disk)
    yield media


def _files_under(root: Path) -> list[str]:
    return sorted(
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and "lost+found" not in p.parts
    )


def test_a_full_disk_during_an_attachment_upload_leaves_nothing_and_says_why(
    school: School, full_disk: Path
) -> None:
    item = draft(school)
    client = Client()
    client.force_login(school.author)
    events = AuditEvent.objects.count()
    upload = ContentFile(LARGE, name="招生办法.txt")

    response = client.post(
        reverse("console:item_action", args=[item.pk, "attach"]),
        {"file": upload},
        follow=True,
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "附件“招生办法.txt”未能保存：服务器存储空间不足" in page
    assert not Attachment.objects.exists()
    assert AuditEvent.objects.count() == events
    assert _files_under(full_disk) == []

    # Space for a small file: the same draft takes it (no restart, nothing stuck).
    client.post(
        reverse("console:item_action", args=[item.pk, "attach"]),
        {"file": ContentFile(SMALL, name="招生计划.txt")},
    )
    attachment = Attachment.objects.get()
    with attachment.file.open("rb") as fh:
        assert fh.read() == SMALL
    assert _files_under(full_disk) == [attachment.file.name]


def test_a_full_disk_while_registering_an_application_with_its_evidence_saves_nothing(
    world: World, officer: User, full_disk: Path
) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(ServiceError) as exc:
        services.register_application(
            actor=officer,
            unit=world.bureau,
            channel="registered_post",
            submitted_on=date(2025, 11, 3),
            signed_on=date(2025, 11, 5),
            applicant=APPLICANT,
            request=REQUEST,
            evidence="挂号信封",
            evidence_file=("信封扫描.txt", LARGE),
            today=date(2025, 11, 10),
        )
    assert "服务器存储空间不足" in exc.value.message
    assert not Application.objects.exists()
    assert not ApplicationFile.objects.exists()
    assert AuditEvent.objects.count() == events
    assert _files_under(full_disk) == []


def test_a_row_that_fails_after_the_file_was_written_takes_the_file_with_it(
    school: School, tmp_path: Path, settings: Any
) -> None:
    """The other order: the file is written, then the item changed under the author
    (submitted for review by a colleague) and the row is refused."""
    from gongkai.catalogue.services import editing, review

    settings.MEDIA_ROOT = str(tmp_path / "media")
    item = draft(school)
    stale = type(item).objects.get(pk=item.pk)
    review.submit(actor=school.author, item=item)
    with pytest.raises(ServiceError, match="请刷新后重试"):
        # ``stale`` still says draft: the check under the row lock catches it.
        editing.add_attachment(
            actor=school.author, item=stale, name="补充.txt", data=SMALL
        )
    assert not Attachment.objects.exists()
    assert _files_under(tmp_path / "media") == []
