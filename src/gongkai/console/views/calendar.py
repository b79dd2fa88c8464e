from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from gongkai.accounts import permissions
from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import User
from gongkai.console.views.common import add_service_error, staff_view
from gongkai.law.arrangement import provisional_arrangement
from gongkai.workdays.importing import ArrangementFileError, arrangement_from_lines
from gongkai.workdays.selectors import calendar_years, stored_arrangement
from gongkai.workdays.services import CalendarConflict, enter_year_arrangement

FIRST_YEAR, LAST_YEAR = 2000, 2100


class ArrangementForm(forms.Form):
    source = forms.CharField(
        label="放假通知文号", max_length=200, help_text="如：国办发明电〔2026〕X号"
    )
    holidays = forms.CharField(
        label="放假日期",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="每行一项：“2027-02-05 春节”或“2027-02-05~2027-02-11 春节”",
    )
    makeup_workdays = forms.CharField(
        label="调休上班日期",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="每行一项：“2027-02-20 春节”（须为周六或周日）",
    )
    reason = forms.CharField(label="录入或修改原因", max_length=200)
    confirm = forms.BooleanField(label="已核对差异，确认修改", required=False)


@staff_view()
def calendar_index(request: HttpRequest) -> HttpResponse:
    stored = {y.year: y for y in calendar_years()}
    this_year = timezone.localdate().year
    years = sorted(
        set(stored) | {this_year, this_year + 1, this_year + 2}, reverse=True
    )
    rows = [(y, stored.get(y)) for y in years]
    return render(request, "console/calendar.html", {"title": "工作日历", "rows": rows})


@staff_view()
def calendar_year(request: HttpRequest, year: int) -> HttpResponse:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    user: User = request.user  # type: ignore[assignment]
    stored = stored_arrangement(year)
    shown = stored or provisional_arrangement(year)
    can_edit = permissions.can_manage_units(user)
    form = None
    conflict: CalendarConflict | None = None
    if can_edit:
        initial = {
            "source": stored.source if stored else "",
            "holidays": "\n".join(
                f"{d} {n}" for d, n in sorted(shown.holidays.items())
            ),
            "makeup_workdays": "\n".join(
                f"{d} {n}" for d, n in sorted(shown.makeup_workdays.items())
            ),
        }
        form = ArrangementForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                arrangement = arrangement_from_lines(
                    year=year,
                    source=data["source"],
                    holidays_text=data["holidays"],
                    makeup_text=data["makeup_workdays"],
                )
                result = enter_year_arrangement(
                    actor=user,
                    arrangement=arrangement,
                    reason=data["reason"],
                    confirm=data["confirm"],
                )
            except ArrangementFileError as exc:
                form.add_error(None, str(exc))
            except CalendarConflict as exc:
                conflict = exc
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                messages.success(
                    request,
                    f"{year}年放假安排已保存；{len(result.changes)} 天有变化，重新计算了 {result.deadlines_moved} 个未结期限。",
                )
                return redirect("console:calendar_year", year=year)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "console/calendar_year.html",
        {
            "title": f"{year}年工作日历",
            "year": year,
            "stored": stored,
            "shown": shown,
            "holidays": sorted(shown.holidays.items()),
            "makeup": sorted(shown.makeup_workdays.items()),
            "form": form,
            "conflict": conflict,
        },
    )
