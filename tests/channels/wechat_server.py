"""A local stand-in for the WeChat official account API, on loopback only.

It speaks the endpoints the channel uses as the public documentation describes
them: JSON answered with HTTP 200 and ``errcode``/``errmsg`` on error; tokens
from ``/cgi-bin/token`` and ``/cgi-bin/stable_token`` that expire; a draft box
(``draft/add``, ``draft/batchget``) whose draft leaves the box when published;
``freepublish/submit``, ``/get`` (asynchronous: "publishing" for a configurable
number of polls) and ``/batchget``. Faults can be injected once per path."""

from __future__ import annotations

import itertools
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKEN_LIFETIME = 7200
ERRMSG = {
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40007: "invalid media_id",
    40013: "invalid appid",
    40125: "invalid appsecret",
    41001: "access_token missing",
    42001: "access_token expired",
    44002: "empty post data",
    45009: "reach max api daily quota limit",
    47001: "data format error",
}


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, str]
    body: Any


@dataclass
class WeChatState:
    appid: str
    secret: str
    materials: set[str]
    tokens: dict[str, float] = field(default_factory=dict)  # token → expiry
    stable: str = ""
    drafts: dict[str, dict[str, Any]] = field(default_factory=dict)
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    published: list[dict[str, Any]] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    fail_once: dict[str, int] = field(default_factory=dict)
    fail_always: dict[str, int] = field(default_factory=dict)
    publishing_polls: int = 0
    fail_publication: int = 0  # publish_status of the next job, if not 0
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(2247483001))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def calls_to(self, path: str) -> list[Call]:
        return [c for c in self.calls if c.path == path]

    def revoke_tokens(self) -> None:
        """The platform forgets every token (e.g. the secret was reset)."""
        self.tokens.clear()
        self.stable = ""

    # --- tokens ------------------------------------------------------------
    def _new_token(self) -> str:
        token = "tok-" + secrets.token_urlsafe(12)
        self.tokens[token] = time.time() + TOKEN_LIFETIME
        return token

    def _credentials(self, appid: Any, secret: Any) -> dict[str, Any] | None:
        if appid != self.appid:
            return error(40013)
        if secret != self.secret:
            return error(40125)
        return None

    def classic_token(self, query: dict[str, str]) -> dict[str, Any]:
        if query.get("grant_type") != "client_credential":
            return error(40002)
        if failed := self._credentials(query.get("appid"), query.get("secret")):
            return failed
        return {"access_token": self._new_token(), "expires_in": TOKEN_LIFETIME}

    def stable_token(self, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("grant_type") != "client_credential":
            return error(40002)
        if failed := self._credentials(body.get("appid"), body.get("secret")):
            return failed
        now = time.time()
        expiry = self.tokens.get(self.stable, 0.0)
        if body.get("force_refresh"):
            self.tokens.pop(self.stable, None)
            self.stable = self._new_token()
        elif expiry - now < 300:
            # Five minutes before expiry a new token is handed out; the old one
            # stays valid until it expires.
            self.stable = self._new_token()
        return {
            "access_token": self.stable,
            "expires_in": int(self.tokens[self.stable] - now),
        }

    def check_token(self, query: dict[str, str]) -> dict[str, Any] | None:
        token = query.get("access_token")
        if not token:
            return error(41001)
        expiry = self.tokens.get(token)
        if expiry is None:
            return error(40001)
        if expiry <= time.time():
            return error(42001)
        return None

    # --- drafts and publishing ---------------------------------------------
    def draft_add(self, body: dict[str, Any]) -> dict[str, Any]:
        articles = body.get("articles")
        if not isinstance(articles, list) or not articles:
            return error(44002)
        for a in articles:
            if not a.get("title") or not a.get("content"):
                return error(47001)
            if a.get("thumb_media_id") not in self.materials:
                return error(40007)
        media_id = "draft-" + secrets.token_urlsafe(16)
        self.drafts[media_id] = {
            "news_item": [dict(a) for a in articles],
            "update_time": int(time.time()),
        }
        return {"media_id": media_id, "item": []}

    def draft_batchget(self, body: dict[str, Any]) -> dict[str, Any]:
        newest = sorted(
            self.drafts.items(), key=lambda kv: kv[1]["update_time"], reverse=True
        )
        offset, count = int(body.get("offset", 0)), int(body.get("count", 20))
        page = newest[offset : offset + count]
        return {
            "total_count": len(newest),
            "item_count": len(page),
            "item": [
                {
                    "media_id": media_id,
                    "content": {"news_item": d["news_item"]},
                    "update_time": d["update_time"],
                }
                for media_id, d in page
            ],
        }

    def submit(self, body: dict[str, Any]) -> dict[str, Any]:
        media_id = str(body.get("media_id"))
        draft = self.drafts.get(media_id)
        if draft is None:
            return error(40007)
        if not self.fail_publication:
            # A published draft leaves the draft box; a failed one stays.
            del self.drafts[media_id]
        publish_id = str(next(self.ids))
        self.jobs[publish_id] = {
            "draft": draft,
            "polls_left": self.publishing_polls,
            "status": self.fail_publication,
        }
        self.fail_publication = 0
        return {
            "errcode": 0,
            "errmsg": "ok",
            "publish_id": publish_id,
            "msg_data_id": str(next(self.ids)),
        }

    def publish_get(self, body: dict[str, Any]) -> dict[str, Any]:
        publish_id = str(body.get("publish_id"))
        job = self.jobs.get(publish_id)
        if job is None:
            return error(40007)
        if job["polls_left"] > 0:
            job["polls_left"] -= 1
            return {"publish_id": publish_id, "publish_status": 1}
        if job["status"]:
            return {"publish_id": publish_id, "publish_status": job["status"]}
        if "article_id" not in job:
            article_id = "art-" + secrets.token_urlsafe(10)
            url = f"https://mp.weixin.qq.com/s/{article_id}"
            job["article_id"] = article_id
            job["url"] = url
            news = [
                {**n, "url": url, "is_deleted": False}
                for n in job["draft"]["news_item"]
            ]
            self.published.insert(
                0,
                {
                    "article_id": article_id,
                    "content": {"news_item": news},
                    "update_time": int(time.time()),
                },
            )
        url = job["url"]
        return {
            "publish_id": publish_id,
            "publish_status": 0,
            "article_id": job["article_id"],
            "article_detail": {"count": 1, "item": [{"idx": 1, "article_url": url}]},
            "fail_idx": [],
        }

    def finish_publishing(self) -> None:
        """Every submitted job completes (as the platform does in the background)."""
        for publish_id, job in list(self.jobs.items()):
            job["polls_left"] = 0
            if not job["status"]:
                self.publish_get({"publish_id": publish_id})

    def freepublish_batchget(self, body: dict[str, Any]) -> dict[str, Any]:
        offset, count = int(body.get("offset", 0)), int(body.get("count", 20))
        page = self.published[offset : offset + count]
        return {
            "total_count": len(self.published),
            "item_count": len(page),
            "item": page,
        }

    # --- dispatch ----------------------------------------------------------
    def handle(self, call: Call) -> dict[str, Any]:
        self.calls.append(call)
        if code := self.fail_always.get(call.path):
            return error(code)
        if code := self.fail_once.pop(call.path, 0):
            return error(code)
        if call.path == "/cgi-bin/token" and call.method == "GET":
            return self.classic_token(call.query)
        if call.path == "/cgi-bin/stable_token" and call.method == "POST":
            return self.stable_token(call.body or {})
        routes = {
            "/cgi-bin/draft/add": self.draft_add,
            "/cgi-bin/draft/batchget": self.draft_batchget,
            "/cgi-bin/freepublish/submit": self.submit,
            "/cgi-bin/freepublish/get": self.publish_get,
            "/cgi-bin/freepublish/batchget": self.freepublish_batchget,
        }
        route = routes.get(call.path)
        if route is None or call.method != "POST":
            return {"errcode": 40066, "errmsg": "invalid url"}
        if failed := self.check_token(call.query):
            return failed
        if not isinstance(call.body, dict):
            return error(44002)
        return route(call.body)


def error(code: int) -> dict[str, Any]:
    return {"errcode": code, "errmsg": f"{ERRMSG.get(code, 'error')} rid: test"}


@contextmanager
def serve(state: WeChatState) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, method: str) -> None:
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw.decode("utf-8")) if raw else None
            except ValueError:
                body = "not json"
            with state.lock:
                answer = state.handle(Call(method, parts.path, query, body))
            data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json; encoding=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._answer("GET")

        def do_POST(self) -> None:
            self._answer("POST")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
