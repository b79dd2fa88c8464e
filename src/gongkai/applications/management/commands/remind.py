from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongkai.applications.tasks import send_application_reminders


class Command(BaseCommand):
    help = "每天运行一次：提醒即将到期（5个工作日内）和已逾期的政府信息公开申请，以及临近期限尚未公布的年度报告"

    def handle(self, *args: Any, **options: Any) -> None:
        from django.utils import timezone

        from gongkai.reports.drafting import send_report_reminders

        reports = send_report_reminders(timezone.localdate())
        if reports:
            self.stdout.write(f"年度报告提醒 {reports} 条。")
        result = send_application_reminders.enqueue()
        value = result.return_value if result.is_finished else None
        if value is None:
            self.stdout.write("已加入任务队列。")
            return
        self.stdout.write(
            f"即将到期 {value['due_soon']} 件，已逾期 {value['overdue']} 件，发出提醒 {value['notifications']} 条。"
        )
