"""Consistent backups and restores: the database (SQLite online backup API, or
pg_dump/pg_restore for PostgreSQL), the uploaded files (from MEDIA_ROOT, or through
the storage API from an S3 bucket), and a manifest with checksums and row counts
that the restore verifies."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import connection, connections
from django.utils import timezone

COUNTED = (
    "accounts.Unit",
    "accounts.User",
    "audit.AuditEvent",
    "catalogue.Item",
    "catalogue.ItemRevision",
    "catalogue.Attachment",
    "applications.Application",
    "applications.ApplicationEvent",
    "workdays.CalendarYear",
)


class BackupError(RuntimeError):
    """A backup or restore that cannot go on; the message is Chinese."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def row_counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in COUNTED}


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = [
        "--host",
        str(db.get("HOST") or "127.0.0.1"),
        "--port",
        str(db.get("PORT") or 5432),
    ]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return args, env


def _database_name() -> str:
    return str(connection.settings_dict["NAME"])


@dataclass
class Manifest:
    created_at: str
    vendor: str
    database_file: str
    files: dict[str, str] = field(default_factory=dict)  # relative path → sha256
    counts: dict[str, int] = field(default_factory=dict)


def backup(target: Path) -> Manifest:
    """Write a snapshot into the empty (or new) folder ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise BackupError(f"备份目录 {target} 不是空目录")
    if connection.in_atomic_block:
        # A snapshot must not include (or wait on) this connection's own open writes.
        raise BackupError("不能在数据库事务中备份")
    vendor = connection.vendor
    counts = row_counts()
    if vendor == "sqlite":
        db_file = "database.sqlite3"
        connection.ensure_connection()
        source = connection.connection
        with sqlite3.connect(target / db_file) as dest:
            source.backup(dest)  # the online backup API: a consistent copy while in use
        dest.close()
    elif vendor == "postgresql":
        db_file = "database.pgdump"
        args, env = _pg_env()
        result = subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--file",
                str(target / db_file),
                *args,
                _database_name(),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump 失败：{result.stderr.strip()[:500]}")
    else:
        raise BackupError(f"不支持的数据库：{vendor}")
    manifest = Manifest(timezone.now().isoformat(), vendor, db_file, counts=counts)
    media = Path(settings.MEDIA_ROOT)
    if not isinstance(default_storage, FileSystemStorage):
        # An S3 bucket (GONGKAI_STORAGE=s3): read through the storage API.
        for rel in sorted(_stored_names(default_storage)):
            dest_path = target / "media" / rel
            dest_path.parent.mkdir(parents=True, exist_ok=True)
            with default_storage.open(rel, "rb") as src, dest_path.open("wb") as out:
                shutil.copyfileobj(src, out)
            manifest.files[rel] = _sha256(dest_path)
    elif media.exists():
        for path in sorted(p for p in media.rglob("*") if p.is_file()):
            rel = path.relative_to(media).as_posix()
            dest_path = target / "media" / rel
            dest_path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest_path)
            manifest.files[rel] = _sha256(dest_path)
    manifest.files[f"../{db_file}"] = _sha256(target / db_file)
    (target / "manifest.json").write_text(
        json.dumps(manifest.__dict__, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return manifest


def _stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    dirs, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for name in dirs:
        yield from _stored_names(storage, f"{folder}/{name}" if folder else name)


def _store_exactly(name: str, path: Path) -> None:
    """Put a backed-up file back under its own name (the rows refer to it)."""
    if default_storage.exists(name):
        default_storage.delete(name)
    with path.open("rb") as fh:
        saved = default_storage.save(name, File(fh))
    if saved != name:
        raise BackupError(f"文件 {name} 未能按原名恢复（存为 {saved}）")


def _load_manifest(source: Path) -> Manifest:
    try:
        data: dict[str, Any] = json.loads(
            (source / "manifest.json").read_text(encoding="utf-8")
        )
        return Manifest(**data)
    except (OSError, ValueError, TypeError) as exc:
        raise BackupError(
            f"无法读取备份清单 {source / 'manifest.json'}：{exc}"
        ) from None


def restore(source: Path, *, require_empty: bool = True) -> Manifest:
    """Restore a snapshot into this instance (which must be empty unless told
    otherwise), then check every file's checksum and the row counts."""
    manifest = _load_manifest(source)
    for rel, digest in manifest.files.items():
        path = (
            (source / "media" / rel) if not rel.startswith("../") else source / rel[3:]
        )
        if not path.exists() or _sha256(path) != digest:
            raise BackupError(f"备份文件 {rel} 缺失或校验和不符，未作任何恢复")
    if manifest.vendor != connection.vendor:
        raise BackupError(
            f"备份来自 {manifest.vendor}，当前数据库为 {connection.vendor}"
        )
    if require_empty and any(
        row_counts()[label]
        for label in ("accounts.Unit", "audit.AuditEvent", "catalogue.Item")
    ):
        raise BackupError(
            "当前实例已有数据；只能恢复到空实例（先新建数据库并 migrate）"
        )
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(source / manifest.database_file) as src:
            src.backup(connection.connection)
        src.close()
    else:
        connections.close_all()
        args, env = _pg_env()
        result = subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                "--dbname",
                _database_name(),
                str(source / manifest.database_file),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore 失败：{result.stderr.strip()[:500]}")
    media = Path(settings.MEDIA_ROOT)
    for rel in manifest.files:
        if rel.startswith("../"):
            continue
        if not isinstance(default_storage, FileSystemStorage):
            _store_exactly(rel, source / "media" / rel)
            continue
        dest = media / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / "media" / rel, dest)
    counts = row_counts()
    if counts != manifest.counts:
        raise BackupError(f"恢复后的记录数与备份不符：{counts} ≠ {manifest.counts}")
    return manifest
