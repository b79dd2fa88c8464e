from __future__ import annotations

from django.db.models import QuerySet

from gongkai.accounts.models import Unit
from gongkai.catalogue.models import Column


def public_columns(unit: Unit) -> QuerySet[Column]:
    return Column.objects.filter(unit=unit, is_visible=True)
