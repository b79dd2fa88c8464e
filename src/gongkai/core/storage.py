"""Storing uploaded files so that a failed write (disk full, I/O error) leaves nothing
behind: no half-written file, and a clear message instead of a server error."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile

from gongkai.accounts.errors import ServiceError

NO_SPACE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class AtomicFileSystemStorage(FileSystemStorage):
    """Django's file system storage, except that a file is written to a temporary
    name in its folder, flushed to disk, and then linked into place under a free name.
    A write that fails part-way removes the temporary file, and a reader never sees a
    half-written file. Names are chosen as by Django's storage (never overwritten)."""

    def _save(self, name: str, content: File[Any]) -> str:
        full_path = self.path(name)
        directory = Path(full_path).parent
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=".upload-", suffix=".tmp")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as fh:
                for chunk in content.chunks():
                    fh.write(chunk if isinstance(chunk, bytes) else chunk.encode())
                fh.flush()
                os.fsync(fh.fileno())
            mode = self.file_permissions_mode
            tmp.chmod(mode if mode is not None else 0o644)
            while True:
                try:
                    os.link(tmp, full_path)  # fails if the name is taken: no overwrite
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
                else:
                    break
        finally:
            tmp.unlink(missing_ok=True)
        name = os.path.relpath(full_path, self.location)
        return str(name).replace("\\", "/")


def storage_error(exc: OSError, label: str) -> ServiceError:
    """``label`` names the file for the user, e.g. ``附件“通知.pdf”``."""
    reason = "服务器存储空间不足" if exc.errno in NO_SPACE else "服务器存储暂时无法写入"
    return ServiceError(
        f"{label}未能保存：{reason}，未保存任何内容。请稍后重试，或请系统管理员检查存储。",
        field="file",
    )


@contextmanager
def stored_file(
    field_file: FieldFile, name: str, data: bytes, label: str
) -> Iterator[str]:
    """Save ``data`` into ``field_file`` (without saving the row) for the duration of
    the block, which saves the row in the same transaction. A failed write is a
    ``ServiceError``; if the block fails, the stored file is removed again, so a
    rolled-back row leaves no file behind."""
    try:
        field_file.save(name, ContentFile(data), save=False)
    except OSError as exc:
        raise storage_error(exc, label) from None
    stored = str(field_file.name)
    try:
        yield stored
    except BaseException:
        field_file.storage.delete(stored)
        raise
