#!/usr/bin/env bash
# gongkai set-up. Two commands, on a fresh Debian machine, as root:
#   ./dev.sh demo   create the environment, load the demo, serve http://127.0.0.1:8000
#   ./dev.sh test   lint, type-check, import contract, the whole suite on SQLite and PostgreSQL
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
VENV="$ROOT/.venv"
export GONGKAI_DATA_DIR="${GONGKAI_DATA_DIR:-$ROOT/var}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing system packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

python_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }

find_python() {
  local candidates=(python3.13 python3.12)
  local root
  root="$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"
  for dir in "$root"/versions/3.13* "$root"/versions/3.12* /usr/local/bin /usr/bin; do
    for exe in "$dir/bin/python" "$dir/python3.13" "$dir/python3.12"; do
      [ -x "$exe" ] && candidates+=("$exe")
    done
  done
  for exe in "${candidates[@]}"; do
    if command -v "$exe" >/dev/null 2>&1 && python_ok "$exe"; then
      command -v "$exe"
      return 0
    fi
  done
  # Debian 13 and later ship 3.12+ as python3.
  if command -v python3 >/dev/null 2>&1 && python_ok python3; then command -v python3; return 0; fi
  apt_install python3 python3-venv >&2
  if python_ok python3; then command -v python3; return 0; fi
  echo "gongkai needs Python 3.12 or newer; none was found (looked on PATH and under pyenv)." >&2
  return 1
}

ensure_venv() {
  local extras="$1" stamp
  if [ ! -x "$VENV/bin/python" ] || ! python_ok "$VENV/bin/python"; then
    local py
    py="$(find_python)"
    say "creating the environment with $py"
    rm -rf "$VENV"
    "$py" -m venv "$VENV" || { apt_install python3-venv; "$py" -m venv "$VENV"; }
  fi
  stamp="$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-16)-${extras:-base}"
  if [ ! -f "$stamp" ]; then
    say "installing Python packages${extras:+ ($extras)}"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e ".${extras:+[$extras]}"
    touch "$stamp"
  fi
}

ensure_node_packages() {
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm
  if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing axe-core from npm"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# WeasyPrint's libraries and the CJK fonts for receipts and letters.
RUN_PACKAGES=(fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)

cmd_demo() {
  apt_install "${RUN_PACKAGES[@]}"
  ensure_venv ""
  local gk="$VENV/bin/gongkai"
  export DEBUG="${DEBUG:-1}"
  say "migrating the SQLite database in $GONGKAI_DATA_DIR"
  "$gk" migrate --no-input -v 0
  say "loading the demo (潮州市湘桥区教育局)"
  "$gk" demo
  say "gongkai is at http://127.0.0.1:8000/ (console: http://127.0.0.1:8000/console/) — Ctrl-C stops it"
  exec "$gk" serve 127.0.0.1:8000
}

postgres_url() {
  # A fresh database name per run; pytest-django creates test_<name> and drops it.
  local base="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
  echo "$base/gongkai_ci_$$_$(date +%s)"
}

postgres_available() {
  "$VENV/bin/python" - "$1" <<'PY' 2>/dev/null
import sys, psycopg
url = sys.argv[1].rsplit("/", 1)[0] + "/postgres"
psycopg.connect(url, connect_timeout=3).close()
PY
}

drop_test_database() {
  # A browser test's server thread can still hold a connection when pytest-django
  # drops its database; drop whatever is left so runs do not accumulate databases.
  "$VENV/bin/python" - "$1" <<'PY' || true
import sys, psycopg
url = sys.argv[1]
base, name = url.rsplit("/", 1)
with psycopg.connect(base + "/postgres", autocommit=True) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "test_{name}" WITH (FORCE)')
PY
}

run_pytest() {
  local rc=0
  "$VENV/bin/python" -m pytest "$@" || rc=$?
  if [ "$rc" -eq 5 ]; then echo "pytest collected no tests: failing" >&2; return 1; fi
  return "$rc"
}

cmd_test() {
  # nginx: the production-profile test (tests/production) runs deploy/run-production.sh;
  # it also needs PostgreSQL and Redis on 127.0.0.1 (required when CI=true).
  apt_install "${RUN_PACKAGES[@]}" chromium poppler-utils nginx
  ensure_venv dev
  ensure_node_packages
  local bin="$VENV/bin"
  export GONGKAI_DATA_DIR
  GONGKAI_DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/gongkai-test.XXXXXX")"
  trap 'rm -rf "$GONGKAI_DATA_DIR"' EXIT
  say "ruff check";          "$bin/ruff" check src tests
  say "ruff format --check"; "$bin/ruff" format --check src tests
  say "mypy";                "$bin/mypy"
  say "import contract";     "$bin/lint-imports"
  say "makemigrations --check"
  "$bin/gongkai" makemigrations --check --dry-run -v 1 >/dev/null
  say "tests on SQLite (with coverage)"
  (unset DATABASE_URL; run_pytest --cov --cov-report= "$@")
  "$bin/python" -m coverage report --include='src/gongkai/law/*' --fail-under=100 --skip-covered \
    || { echo "gongkai.law must stay at 100 % line coverage" >&2; exit 1; }
  "$bin/python" -m coverage report --omit='src/gongkai/law/*' | tail -1
  local pg
  pg="$(postgres_url)"
  if postgres_available "$pg"; then
    say "tests on PostgreSQL"
    local rc=0
    DATABASE_URL="$pg" run_pytest -p no:cacheprovider "$@" || rc=$?
    drop_test_database "$pg"
    [ "$rc" -eq 0 ] || exit "$rc"
  elif [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL is not reachable at ${pg%/*} and CI=true: failing" >&2
    exit 1
  else
    say "PostgreSQL not reachable at ${pg%/*}: skipped (it is required when CI=true)"
  fi
}

case "${1:-}" in
  demo) shift; cmd_demo "$@" ;;
  test) shift; cmd_test "$@" ;;
  *) echo "usage: ./dev.sh demo | ./dev.sh test [pytest args]" >&2; exit 2 ;;
esac
