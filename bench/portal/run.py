"""Portal benchmark: the site served by gunicorn (``deploy/gunicorn.conf.py``,
workers sized for this machine) and measured from outside by wrk, a separate
load generator: requests per second and latency for item pages, listing pages
(first and deep pages of columns and of the 公开目录) and the search page over a
fixed query mix; then the memory of each web worker.

    # a database filled by bench/importing/run.py, e.g. a million items
    GONGKAI_DATA_DIR=/tmp/gk-m1 .venv/bin/python bench/portal/run.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gk_m1 GONGKAI_DATA_DIR=/tmp/gk-m1-pg \\
        .venv/bin/python bench/portal/run.py --workers 2

Against a server that is already running (the production profile, nginx in
front: ``deploy/run-production.sh``), give its address and the gunicorn master's
process id for the memory figures; ``--soak 600`` then loads every path at once
for ten minutes, sampling each worker's memory every minute:

    DATABASE_URL=… GONGKAI_DATA_DIR=… .venv/bin/python bench/portal/run.py \
        --url http://127.0.0.1:8080 --gunicorn-pid "$(pgrep -of 'gunicorn.*gongkai')" \
        --cached --soak 600

Needs wrk (Debian: ``apt-get install wrk``). By default the page cache is off,
so every request renders its page (the cost of a first visit); ``--cached``
measures with it on, after a warm-up pass over every path (set GONGKAI_CACHE_URL
to a Redis server so that both workers share it, as in the production profile).
Never part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
LUA = """
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
math.randomseed(tonumber(os.getenv("BENCH_SEED") or "1"))
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""
QUERIES = [
    "招生",
    "教育",
    "学校",
    "公示",
    "资助",
    "义务教育",
    "招生入学",
    "关于做好",
    "实施方案",
    "教师招聘",
    "校车安全",
    "食堂卫生",
    "学位申请",
    "课后延时服务",
    "信息公开",
    "年度报告",
    "岚教〔2017〕",
    "区教〔2020〕",
    "GB/T",
    "Covid-19",
    "近视 防控",
    "双减 校外",
]


def _setup() -> None:
    if "GONGKAI_DATA_DIR" not in os.environ:
        sys.exit("set GONGKAI_DATA_DIR to the benchmark's data folder")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()


def _paths(seed: int) -> dict[str, list[str]]:
    from django.core.paginator import Paginator

    from gongkai.catalogue.models import Column, Item

    rng = random.Random(seed)
    high = Item.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    low = Item.objects.order_by("pk").values_list("pk", flat=True).first() or 0
    ids = {rng.randint(low, high) for _ in range(5000)}
    public = list(
        Item.objects.filter(pk__in=ids, is_public=True).values_list("pk", flat=True)
    )
    columns = list(Column.objects.filter(unit__parent__isnull=True).order_by("pk"))
    column_pages: list[str] = []
    deep_pages: list[str] = []
    for column in columns:
        count = Item.objects.filter(
            is_public=True, published_revision__column=column
        ).count()
        last = max(1, Paginator(range(count), 20).num_pages)
        column_pages.append(f"/columns/{column.slug}/")
        deep_pages += [
            f"/columns/{column.slug}/?page={n}" for n in {last // 2, last, 50}
        ]
    years = list(range(2010, 2027))
    catalogue_first = ["/catalogue/"] + [f"/catalogue/?year={y}" for y in years]
    catalogue_deep = [f"/catalogue/?page={n}" for n in (100, 1000, 10000)] + [
        f"/catalogue/?year={y}&page=100" for y in years
    ]
    return {
        "item": [f"/items/{pk}/" for pk in public],
        "column, first page": column_pages,
        "column, deep pages": deep_pages,
        "catalogue, first page": catalogue_first,
        "catalogue, deep pages": catalogue_deep,
        "search": [f"/search/?q={quote(q)}" for q in QUERIES],
    }


def _serve(
    port: int, workers: int, threads: int, cached: bool
) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "GONGKAI_BIND": f"127.0.0.1:{port}",
        "GONGKAI_WEB_WORKERS": str(workers),
        "GONGKAI_WEB_THREADS": str(threads),
        "GONGKAI_WEB_LOG_LEVEL": "warning",
        "GONGKAI_PAGE_CACHE_SECONDS": "600" if cached else "0",
        "DEBUG": "0",
        "DB_CONN_MAX_AGE": "60",  # as in deploy/gongkai.env.example
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "-c",
            str(ROOT / "deploy/gunicorn.conf.py"),
            "--access-logfile",
            "/dev/null",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    sys.exit("gunicorn did not answer /healthz")


def _workers(master: int) -> tuple[list[int], list[int]]:
    """Process ids and resident memory (MiB) of the master's children."""
    found: list[tuple[int, int]] = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master}$", text, re.M):
            rss = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
            if rss:
                found.append((int(status.parent.name), int(rss.group(1)) // 1024))
    found.sort()
    return [pid for pid, _ in found], [rss for _, rss in found]


def _worker_rss(master: int) -> list[int]:
    return _workers(master)[1]


def _wrk(
    base: str, paths: list[str], seconds: int, connections: int, seed: int
) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as folder:
        listing = Path(folder) / "paths.txt"
        listing.write_text("\n".join(paths) + "\n")
        script = Path(folder) / "paths.lua"
        script.write_text(LUA)
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{seconds}s",
                "--latency",
                "--timeout",
                "10s",
                "-s",
                str(script),
                base,
            ],
            env=os.environ | {"BENCH_PATHS": str(listing), "BENCH_SEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    result = {"rps": re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)}  # type: ignore[union-attr]
    for pct in ("50", "90", "99"):
        found = re.search(rf"^\s+{pct}%\s+(\S+)", out, re.M)
        result[pct] = found.group(1) if found else "?"
    errors = re.findall(r"Non-2xx or 3xx responses: \d+|Socket errors: .*", out)
    result["errors"] = "; ".join(errors) if errors else "none"
    requests = re.search(r"(\d+) requests in", out)
    result["requests"] = requests.group(1) if requests else "?"
    return result


def _soak(
    base: str, paths: list[str], args: argparse.Namespace, master: int | None
) -> None:
    """Every path at once for ``args.soak`` seconds; worker memory each minute."""
    samples: list[tuple[int, list[int], list[int]]] = []
    done = threading.Event()

    def sample() -> None:
        started = time.monotonic()
        while not done.is_set():
            if master is not None:
                pids, rss = _workers(master)
                samples.append((int(time.monotonic() - started), pids, rss))
            done.wait(60)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    r = _wrk(base, paths, args.soak, args.connections, args.seed)
    done.set()
    sampler.join()
    if master is not None:
        pids, rss = _workers(master)
        samples.append((args.soak, pids, rss))
    print(
        f"soak: {args.soak} s, {len(paths)} paths, {args.connections} connections: "
        f"{r['requests']} requests, {float(r['rps']):,.0f} req/s, p50 {r['50']}, "
        f"p99 {r['99']}, errors: {r['errors']}"
    )
    for second, pids, rss in samples:
        print(f"  {second:>4} s: workers {pids}, RSS MiB {rss}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cached", action="store_true")
    parser.add_argument("--url", help="measure this running server instead")
    parser.add_argument("--gunicorn-pid", type=int, help="its gunicorn master")
    parser.add_argument("--soak", type=int, default=0, help="seconds of mixed load")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    _setup()
    from django.db import connection

    from gongkai.catalogue.models import Item

    scenarios = _paths(args.seed)
    items = Item.objects.filter(is_public=True).count()
    connection.close()
    server_text = (
        f"the server at {args.url}"
        if args.url
        else f"gunicorn {args.workers} workers × {args.threads} threads"
    )
    print(
        f"database: {connection.vendor}, public items: {items:,}; {server_text}; "
        f"wrk {args.connections} connections, {args.seconds} s per scenario; page "
        f"cache {'on (after a warm-up pass)' if args.cached else 'off'}"
    )
    if args.url:
        base, master = args.url.rstrip("/"), args.gunicorn_pid
        _measure(base, scenarios, args, master)
        return
    server = _serve(args.port, args.workers, args.threads, args.cached)
    try:
        _measure(f"http://127.0.0.1:{args.port}", scenarios, args, server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)


def _measure(
    base: str,
    scenarios: dict[str, list[str]],
    args: argparse.Namespace,
    master: int | None,
) -> None:
    print("| pages | paths | req/s | p50 | p90 | p99 | errors |")
    print("|---|---|---|---|---|---|---|")
    for name, paths in scenarios.items():
        if args.cached:
            for path in paths:
                urllib.request.urlopen(f"{base}{path}").read()
        r = _wrk(base, paths, args.seconds, args.connections, args.seed)
        print(
            f"| {name} | {len(paths)} | {float(r['rps']):,.0f} | {r['50']} | "
            f"{r['90']} | {r['99']} | {r['errors']} |",
            flush=True,
        )
    if master is not None:
        print(f"web worker memory (RSS, MiB): {_worker_rss(master)}")
    if args.soak:
        _soak(base, [p for paths in scenarios.values() for p in paths], args, master)


if __name__ == "__main__":
    main()
