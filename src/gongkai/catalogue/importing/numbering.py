"""索引号 for a whole import batch: one block of serials per unit and year, taken
under the sequence row's lock in one step instead of one locked call per item, in
the format of ``publishing.next_index_number``."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Unit
from gongkai.catalogue.models import IndexSequence, Item
from gongkai.catalogue.services.publishing import DEFAULT_INDEX_FORMAT


def _locked_sequence(unit: Unit, year: int) -> IndexSequence:
    for _attempt in range(3):
        try:
            with transaction.atomic():
                seq, _ = IndexSequence.objects.select_for_update().get_or_create(
                    unit=unit, year=year
                )
                return seq
        except IntegrityError:
            continue  # another publisher created the year's row first
    raise ServiceError("索引号生成冲突，请重试")


def allocate_index_numbers(unit: Unit, year: int, count: int) -> list[str]:
    """``count`` new 索引号 of ``unit`` for ``year``, in serial order. Must run
    inside the caller's transaction, which keeps the sequence row locked until it
    commits. A number some item already holds (a legacy 索引号 kept on import) is
    skipped; the sequence only grows, so no number is ever issued twice."""
    fmt = getattr(settings, "GONGKAI_INDEX_NUMBER_FORMAT", DEFAULT_INDEX_FORMAT)
    numbers: list[str] = []
    while len(numbers) < count:
        need = count - len(numbers)
        seq = _locked_sequence(unit, year)
        start = seq.last + 1
        seq.last += need
        seq.save(update_fields=["last"])
        block = [
            fmt.format(
                org_code=unit.org_code, year=year, serial=serial, unit=unit.short_name
            )
            for serial in range(start, start + need)
        ]
        taken: set[str] = set()
        for i in range(0, len(block), 500):
            taken.update(
                n
                for n in Item.objects.filter(
                    index_number__in=block[i : i + 500]
                ).values_list("index_number", flat=True)
                if n
            )
        numbers += [n for n in block if n not in taken]
    return numbers
