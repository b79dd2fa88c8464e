"""A small client for the WeChat official account API (微信公众号): the access
token, the draft box (草稿箱) and publishing (发布能力). Standard library only.

The account comes from the channel's ``config``: ``appid``, ``api_base`` (default
``https://api.weixin.qq.com``), ``token_api`` (``"stable"``, the default, or
``"classic"``) and ``secret_env``, the name of the environment variable that
holds the AppSecret, so the secret is never in the database or the repository.

The token is kept in Django's cache until five minutes before it expires. The
stable-token endpoint (``/cgi-bin/stable_token``) hands every caller the same
token while it is valid, so several processes never invalidate each other's
token; the classic endpoint (``/cgi-bin/token``) replaces the token on every
call and should only be used with a cache shared by all processes."""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache

from gongkai.catalogue.outbox import DeliveryError

DEFAULT_API_BASE = "https://api.weixin.qq.com"
# 40001 invalid credential, 40014 invalid access_token, 42001 access_token expired.
TOKEN_ERRORS = frozenset({40001, 40014, 42001})
TOKEN_MARGIN = 300  # seconds; the platform overlaps old and new tokens by 5 minutes
TIMEOUT = 15


class WeChatError(Exception):
    """The API answered with a non-zero ``errcode``."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"{code} {message}")
        self.code = code
        self.message = message


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Account:
    appid: str
    secret: str = field(repr=False)
    api_base: str = DEFAULT_API_BASE
    token_api: str = "stable"

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Account:
        appid = str(config.get("appid", "")).strip()
        if not appid:
            raise DeliveryError("微信公众号渠道未配置 AppID（appid）")
        secret_env = str(config.get("secret_env", "")).strip()
        if not secret_env:
            raise DeliveryError(
                "微信公众号渠道未配置 AppSecret 所在的环境变量名（secret_env）"
            )
        secret = os.environ.get(secret_env, "")
        if not secret:
            raise DeliveryError(f"环境变量 {secret_env} 未设置微信公众号 AppSecret")
        api_base = str(config.get("api_base") or DEFAULT_API_BASE).rstrip("/")
        parts = urllib.parse.urlsplit(api_base)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise DeliveryError("微信接口地址（api_base）无效")
        if parts.scheme == "http" and not _is_loopback(parts.hostname):
            raise DeliveryError("微信接口地址（api_base）必须使用 HTTPS")
        token_api = str(config.get("token_api", "stable"))
        if token_api not in {"stable", "classic"}:
            raise DeliveryError("微信 token_api 应为 stable 或 classic")
        return cls(appid=appid, secret=secret, api_base=api_base, token_api=token_api)

    @property
    def cache_key(self) -> str:
        digest = hashlib.sha256(f"{self.api_base}|{self.appid}".encode()).hexdigest()
        return f"gongkai:wechat:token:{digest[:32]}"


class WeChatClient:
    def __init__(self, account: Account) -> None:
        self.account = account

    # --- transport ---------------------------------------------------------
    def _request(
        self, method: str, path: str, query: dict[str, str], body: Any = None
    ) -> dict[str, Any]:
        url = f"{self.account.api_base}{path}?{urllib.parse.urlencode(query)}"
        data = None
        headers = {"Accept": "application/json"}
        if body is not None:
            # Unescaped UTF-8: the API stores what it gets, \u escapes included.
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json; charset=utf-8"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        # The URL carries the token or the secret: errors name the path only.
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise DeliveryError(f"微信接口 {path} 返回 HTTP {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise DeliveryError(f"无法连接微信接口 {path}：{reason}") from None
        try:
            answer = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise DeliveryError(f"微信接口 {path} 的应答不是 JSON") from None
        if not isinstance(answer, dict):
            raise DeliveryError(f"微信接口 {path} 的应答格式无效")
        code = answer.get("errcode") or 0
        if code:
            raise WeChatError(int(code), str(answer.get("errmsg", "")))
        return answer

    # --- token -------------------------------------------------------------
    def _fetch_token(self, force_refresh: bool = False) -> tuple[str, int]:
        account = self.account
        if account.token_api == "classic":
            answer = self._request(
                "GET",
                "/cgi-bin/token",
                {
                    "grant_type": "client_credential",
                    "appid": account.appid,
                    "secret": account.secret,
                },
            )
        else:
            answer = self._request(
                "POST",
                "/cgi-bin/stable_token",
                {},
                {
                    "grant_type": "client_credential",
                    "appid": account.appid,
                    "secret": account.secret,
                    "force_refresh": force_refresh,
                },
            )
        token = str(answer.get("access_token", ""))
        if not token:
            raise DeliveryError("微信接口未返回 access_token")
        return token, int(answer.get("expires_in", 7200))

    def token(self, rejected: str = "") -> str:
        """The cached token, or a new one. ``rejected`` is a token the API has
        just refused: it is dropped, and if the stable endpoint hands it out
        again, a forced refresh replaces it."""
        if not rejected:
            cached = cache.get(self.account.cache_key)
            if isinstance(cached, str) and cached:
                return cached
        token, expires_in = self._fetch_token()
        if token == rejected and self.account.token_api == "stable":
            token, expires_in = self._fetch_token(force_refresh=True)
        cache.set(
            self.account.cache_key, token, timeout=max(60, expires_in - TOKEN_MARGIN)
        )
        return token

    def call(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST to an API taking ``access_token``; a refused token is renewed
        once and the call repeated."""
        token = self.token()
        try:
            return self._request("POST", path, {"access_token": token}, body)
        except WeChatError as exc:
            if exc.code not in TOKEN_ERRORS:
                raise
        token = self.token(rejected=token)
        return self._request("POST", path, {"access_token": token}, body)

    # --- the draft box and publishing ------------------------------------
    def add_draft(self, article: dict[str, Any]) -> str:
        answer = self.call("/cgi-bin/draft/add", {"articles": [article]})
        media_id = str(answer.get("media_id", ""))
        if not media_id:
            raise DeliveryError("微信新建草稿未返回 media_id")
        return media_id

    def submit(self, media_id: str) -> str:
        answer = self.call("/cgi-bin/freepublish/submit", {"media_id": media_id})
        publish_id = str(answer.get("publish_id", ""))
        if not publish_id:
            raise DeliveryError("微信发布未返回 publish_id")
        return publish_id

    def publish_status(self, publish_id: str) -> dict[str, Any]:
        return self.call("/cgi-bin/freepublish/get", {"publish_id": publish_id})

    def recent_drafts(self, count: int = 20) -> list[dict[str, Any]]:
        answer = self.call(
            "/cgi-bin/draft/batchget", {"offset": 0, "count": count, "no_content": 1}
        )
        return list(answer.get("item") or [])

    def recent_publications(self, count: int = 20) -> list[dict[str, Any]]:
        answer = self.call(
            "/cgi-bin/freepublish/batchget",
            {"offset": 0, "count": count, "no_content": 1},
        )
        return list(answer.get("item") or [])
