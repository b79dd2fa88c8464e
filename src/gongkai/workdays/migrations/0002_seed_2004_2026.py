"""Seed the calendar for 2004–2026 from the chinese-calendar package, which
transcribes the 国务院办公厅's yearly notices on the holiday arrangement."""

from django.db import migrations


def seed(apps, schema_editor):
    from chinese_calendar import constants

    CalendarYear = apps.get_model("workdays", "CalendarYear")
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    names = {h.value: h.chinese for h in constants.Holiday}
    by_year: dict[int, list[tuple]] = {}
    for day, value in constants.holidays.items():
        by_year.setdefault(day.year, []).append(
            (day, "holiday", names.get(value, value))
        )
    for day, value in constants.workdays.items():
        by_year.setdefault(day.year, []).append(
            (day, "makeup_workday", names.get(value, value))
        )
    for year in sorted(by_year):
        if CalendarYear.objects.filter(year=year).exists():
            continue
        row = CalendarYear.objects.create(
            year=year,
            source=f"国务院办公厅关于{year}年部分节假日安排的通知（据 chinese-calendar 数据）",
            origin="seeded",
        )
        CalendarDay.objects.bulk_create(
            CalendarDay(calendar_year=row, date=d, kind=k, name=n)
            for d, k, n in by_year[year]
        )


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
