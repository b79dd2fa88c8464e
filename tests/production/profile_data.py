"""Data for the production-profile test, written through the services in a process
of its own (not the web workers, not the RQ worker):

    python -m tests.production.profile_data setup --webhook URL
    python -m tests.production.profile_data publish --title T [--in SECONDS]

Each prints one JSON object. The environment (DATABASE_URL, GONGKAI_DATA_DIR,
GONGKAI_TASKS_BACKEND=rq, …) is the profile's, so a publication here enqueues the
outbox task on the profile's Redis queue when it commits."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import timedelta
from typing import Any

BUREAU_CODE = "000014349"
WEBHOOK_SECRET_NAME = "PROFILE"


def _setup(webhook: str) -> dict[str, Any]:
    from django.utils import timezone

    from gongkai.accounts import services as accounts
    from gongkai.accounts.roles import Role
    from gongkai.applications.services import register_application
    from gongkai.catalogue.models import Channel
    from tests.applications.conftest import APPLICANT, REQUEST
    from tests.catalogue.conftest import staff_for
    from tests.conftest import make_user

    bureau = accounts.create_unit(
        actor=None,
        parent=None,
        name="测试区教育局",
        short_name="教育局",
        org_code=BUREAU_CODE,
        phone="2259400",
    )
    staff_for(bureau, "p")
    Channel.objects.create(
        unit=bureau,
        kind="webhook",
        name="区政务平台",
        config={"url": webhook, "secret_env": WEBHOOK_SECRET_NAME},
    )
    officer = make_user(bureau, "p_officer", Role.DISCLOSURE_OFFICER)
    # Received three weeks ago: due within days (or just overdue), either way a
    # reminder for the officer today.
    today = timezone.localdate()
    application = register_application(
        actor=officer,
        unit=bureau,
        channel="in_person",
        submitted_on=today - timedelta(days=21),
        applicant=APPLICANT,
        request=REQUEST,
        today=today,
    )
    return {
        "org_code": bureau.org_code,
        "application": application.reference,
        "due_on": str(application.due_on),
    }


def _publish(title: str, delay: float) -> dict[str, Any]:
    from django.utils import timezone

    from gongkai.accounts.models import Unit, User
    from gongkai.catalogue.models import Column, Item, Kind
    from gongkai.catalogue.services import review
    from tests.catalogue.conftest import CHECKLIST, School, draft

    bureau = Unit.objects.get(org_code=BUREAU_CODE)

    def user(name: str) -> User:
        return User.objects.get(username=f"p_{name}")

    school = School(
        author=user("author"),
        reviewer=user("reviewer"),
        secrecy=user("secrecy"),
        signer=user("signer"),
        column=Column.objects.get(unit=bureau, slug="xwgk"),
        news=Kind.objects.get(slug="news"),
    )
    item: Item = draft(school, title=title)
    review.submit(actor=school.author, item=item)
    review.approve(actor=school.reviewer, item=item)
    review.approve(
        actor=school.secrecy, item=item, checklist=CHECKLIST, conclusion="同意"
    )
    at = timezone.now() + timedelta(seconds=delay) if delay else None
    review.approve(actor=school.signer, item=item, publish_at=at)
    item.refresh_from_db()
    return {
        "item": item.pk,
        "status": item.status,
        "index_number": item.index_number,
        "pid": os.getpid(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="profile_data")
    sub = parser.add_subparsers(dest="command", required=True)
    setup = sub.add_parser("setup")
    setup.add_argument("--webhook", required=True)
    publish = sub.add_parser("publish")
    publish.add_argument("--title", required=True)
    publish.add_argument("--in", dest="delay", type=float, default=0.0)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()
    if args.command == "setup":
        result = _setup(args.webhook)
    else:
        result = _publish(args.title, args.delay)
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
