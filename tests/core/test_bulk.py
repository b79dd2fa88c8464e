"""The bulk writers' value conversion gives the driver exactly what Django's
``get_db_prep_save`` gives it, field by field, on the rows an import writes."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import Model

from gongkai.accounts.models import Unit
from gongkai.audit.models import AuditEvent
from gongkai.catalogue.models import ItemRevision
from gongkai.core.bulk import db_converters
from gongkai.search.models import SearchDocument
from tests.catalogue.conftest import School, staff_for
from tests.conftest import World
from tests.search.conftest import publish


@pytest.fixture
def school(world: World) -> School:
    return staff_for(world.school_a, "s")


def _same_as_django(obj: Model) -> None:
    fields: list[Any] = list(type(obj)._meta.concrete_fields)
    for field, convert in zip(fields, db_converters(fields), strict=True):
        value = getattr(obj, field.attname)
        expected = field.get_db_prep_save(value, connection)
        # A JSON value is wrapped by the PostgreSQL driver's adapter.
        assert _plain(convert(value)) == _plain(expected), field.name


def _plain(value: Any) -> Any:
    return getattr(value, "obj", value)


def test_converted_values_equal_djangos_for_every_field_written_in_bulk(
    school: School,
) -> None:
    item = publish(school, "招生公告", "<p>正文</p>")
    assert item.published_revision_id is not None
    revision = ItemRevision.objects.get(pk=item.published_revision_id)
    for obj in (
        item,
        revision,
        SearchDocument.objects.get(item=item),
        AuditEvent.objects.order_by("-pk").first(),
        Unit.objects.first(),
    ):
        assert obj is not None
        _same_as_django(obj)
