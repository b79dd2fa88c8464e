from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from gongkai.catalogue.models import Channel
from tests.catalogue.conftest import School, staff_for
from tests.channels.wechat_server import WeChatState, serve
from tests.conftest import World

APPID = "wx0123456789abcdef"
SECRET = "test-app-secret-not-real"
COVER = "cover-permanent-media-id"


@pytest.fixture(autouse=True)
def _media_and_cache(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GONGKAI_PUBLIC_URL = "https://gk.example.gov.cn"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def school(world: World) -> School:
    return staff_for(world.school_a, "s")


@pytest.fixture
def wechat() -> Iterator[tuple[WeChatState, str]]:
    state = WeChatState(appid=APPID, secret=SECRET, materials={COVER})
    with serve(state) as base:
        yield state, base


@pytest.fixture
def wechat_channel(
    world: World,
    wechat: tuple[WeChatState, str],
    monkeypatch: pytest.MonkeyPatch,
) -> Channel:
    _state, base = wechat
    monkeypatch.setenv("GONGKAI_TEST_WECHAT_SECRET", SECRET)
    return Channel.objects.create(
        unit=world.school_a,
        kind="wechat",
        name="学校公众号",
        config={
            "api_base": base,
            "appid": APPID,
            "secret_env": "GONGKAI_TEST_WECHAT_SECRET",
            "thumb_media_id": COVER,
        },
    )
