from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.law.errors import LawInputError
from gongkai.law.fees import per_application_fee, per_page_fee


class Command(BaseCommand):
    help = "计算信息处理费（国办函〔2020〕109号）：按件或按量，超额累进，分项列明"

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument(
            "--applications-this-month",
            type=int,
            metavar="N",
            help="同一申请人本自然月累计申请件数（按件计收）",
        )
        group.add_argument(
            "--pages", type=int, metavar="N", help="提供信息的页数（按量计收）"
        )
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **o: Any) -> None:
        try:
            if o["pages"] is not None:
                quote = per_page_fee(o["pages"])
            else:
                quote = per_application_fee(o["applications_this_month"])
        except LawInputError as exc:
            raise CommandError(exc.message) from None
        if o["json"]:
            self.stdout.write(json.dumps(quote.to_dict(), ensure_ascii=False, indent=2))
            return
        basis = "按量计收" if o["pages"] is not None else "按件计收"
        self.stdout.write(f"信息处理费（{basis}，国办函〔2020〕109号）")
        for item in quote.items:
            self.stdout.write(
                f"  {item.label}：{item.quantity} × {item.unit_yuan}元 = {item.amount_yuan}元"
            )
        self.stdout.write(f"合计：{quote.total_yuan}元")
