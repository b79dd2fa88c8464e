"""The deployment profile is chosen by the environment (docs/deploy.md); each case
starts a Python process of its own, since settings are read once at start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import default_storage
from django.tasks import task_backends
from gongkai.catalogue.tasks import deliver_and_publish
backend = task_backends["default"]
print(json.dumps({
    "tasks": type(backend).__name__,
    "queues": sorted(backend.queues),
    "task_queue": deliver_and_publish.queue_name,
    "rq_queues": getattr(settings, "RQ_QUEUES", None),
    "django_rq": "django_rq" in settings.INSTALLED_APPS,
    "deliver_on_commit": settings.GONGKAI_DELIVER_ON_COMMIT,
    "cache": type(caches["default"]).__name__,
    "storage": default_storage.__class__.__name__,
    "bucket": getattr(default_storage, "bucket_name", None),
    "endpoint": getattr(default_storage, "endpoint_url", None),
    "overwrite": getattr(default_storage, "file_overwrite", None),
    "static_root": str(settings.STATIC_ROOT),
    "trust_xff": settings.GONGKAI_TRUST_X_FORWARDED_FOR,
}))
"""


def probe(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "gongkai.settings",
            "GONGKAI_DATA_DIR": str(tmp_path / "data"),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def settings_with(tmp_path: Path, **env: str) -> dict[str, Any]:
    out = probe(tmp_path, **env)
    assert out.returncode == 0, out.stderr
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def test_by_default_tasks_run_at_once_with_a_local_cache_and_files_on_disk(
    tmp_path: Path,
) -> None:
    s = settings_with(tmp_path)
    assert (s["tasks"], s["queues"], s["task_queue"]) == (
        "ImmediateBackend",
        ["gongkai"],
        "gongkai",
    )
    assert s["rq_queues"] is None and not s["django_rq"]
    assert s["deliver_on_commit"] is False
    assert s["cache"] == "LocMemCache"
    assert s["storage"].endswith("FileSystemStorage")
    assert s["static_root"] == str(tmp_path / "data" / "static")
    assert s["trust_xff"] is False


def test_the_production_profile_uses_rq_redis_and_s3_from_the_environment(
    tmp_path: Path,
) -> None:
    s = settings_with(
        tmp_path,
        GONGKAI_TASKS_BACKEND="rq",
        GONGKAI_REDIS_URL="redis://redis.gongkai.internal:6379/3",
        GONGKAI_TASK_QUEUE="xq-jyj",
        GONGKAI_CACHE_URL="redis://redis.gongkai.internal:6379/4",
        GONGKAI_STORAGE="s3",
        GONGKAI_S3_BUCKET="gongkai-media",
        GONGKAI_S3_ENDPOINT_URL="https://s3.example.gov.cn",
        GONGKAI_STATIC_DIR=str(tmp_path / "www" / "static"),
        GONGKAI_TRUST_X_FORWARDED_FOR="1",
        AWS_ACCESS_KEY_ID="not-a-real-key",
        AWS_SECRET_ACCESS_KEY="not-a-real-secret",
    )
    assert (s["tasks"], s["queues"], s["task_queue"]) == (
        "RQBackend",
        ["xq-jyj"],
        "xq-jyj",
    )
    assert s["rq_queues"]["xq-jyj"]["URL"] == "redis://redis.gongkai.internal:6379/3"
    assert s["django_rq"] and s["deliver_on_commit"] is True
    assert s["cache"] == "RedisCache"
    assert (s["storage"], s["bucket"], s["endpoint"]) == (
        "S3Storage",
        "gongkai-media",
        "https://s3.example.gov.cn",
    )
    # save() must pick a free name, never overwrite: the code relies on it.
    assert s["overwrite"] is False
    assert s["static_root"] == str(tmp_path / "www" / "static")
    assert s["trust_xff"] is True


def test_deliver_on_commit_can_be_turned_off_with_a_queue_backend(
    tmp_path: Path,
) -> None:
    s = settings_with(
        tmp_path, GONGKAI_TASKS_BACKEND="rq", GONGKAI_DELIVER_ON_COMMIT="0"
    )
    assert s["deliver_on_commit"] is False


@pytest.mark.parametrize(
    ("name", "value"),
    [("GONGKAI_TASKS_BACKEND", "celery"), ("GONGKAI_STORAGE", "ftp")],
)
def test_an_unknown_backend_is_refused_at_start(
    tmp_path: Path, name: str, value: str
) -> None:
    out = probe(tmp_path, **{name: value})
    assert out.returncode != 0 and f"{name} must be" in out.stderr


def test_healthz_names_the_task_backend_and_its_queue(
    db: None, client: Client, settings: Any
) -> None:
    data = client.get("/healthz").json()
    assert data["tasks"] == {
        "backend": "ImmediateBackend",
        "queues": [settings.GONGKAI_TASK_QUEUE],
    }
    assert data["checks"]["tasks"].startswith("ok (ImmediateBackend")


def test_healthz_fails_when_the_queues_redis_does_not_answer(
    db: None, client: Client, settings: Any
) -> None:
    settings.RQ_QUEUES = {settings.GONGKAI_TASK_QUEUE: {"URL": "redis://127.0.0.1:1/0"}}
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_rq.RQBackend",
            "QUEUES": [settings.GONGKAI_TASK_QUEUE],
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["tasks"] == "error: ConnectionError"
