"""Backups of uploaded files kept in a storage other than the file system (the S3
bucket of the production profile), read and written back through the storage API.
Django's in-memory storage stands in for the bucket: like S3, it has no path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from gongkai.catalogue.models import Attachment
from gongkai.catalogue.services import editing
from tests.catalogue.conftest import draft, staff_for
from tests.conftest import World


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_takes_and_restores_files_through_a_storage_without_paths(
    world: World, tmp_path: Path, settings: Any
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    staff = staff_for(world.bureau, "bk")
    item = draft(staff, title="有附件的信息")
    editing.add_attachment(
        actor=staff.author, item=item, name="说明.txt", data="附件正文".encode()
    )
    stored = str(Attachment.objects.get().file.name)
    assert not Path(settings.MEDIA_ROOT, stored).exists()

    call_command("backup", str(tmp_path / "snap"))
    assert (tmp_path / "snap" / "media" / stored).read_bytes() == "附件正文".encode()

    call_command("flush", "--no-input")
    default_storage.delete(stored)
    call_command("restore", str(tmp_path / "snap"))
    attachment = Attachment.objects.get(name="说明.txt")
    assert attachment.file.name == stored
    assert attachment.file.open("rb").read() == "附件正文".encode()
