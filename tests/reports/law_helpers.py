"""Helpers of the Django-free report tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gongkai.law.report_template import (
    APPEAL_FIELDS,
    APPEAL_GROUPS,
    ROWS_2021,
)

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def fixture_json(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return data


def html_page(data: dict[str, Any], overview: str = "") -> str:
    """A report page laid out like a government portal's: one cell per number."""
    s2 = data["section2"]
    docs = s2["art20_1"]

    def tr(*cells: object) -> str:
        return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"

    rows = "".join(
        tr(row.label, *data["section3"]["rows"][row.key]) for row in ROWS_2021
    )
    t4 = [data["section4"][g][f] for g in APPEAL_GROUPS for f in APPEAL_FIELDS]
    return f"""<html><head><title>{data["title"]}</title>
<style>td {{ color: red }}</style><script>var x = "2019年";</script></head><body>
<p>本报告中所列数据统计时限为{data["report_year"]}年1月1日至{data["report_year"]}年12月31日。</p>
<h2>一、总体情况</h2><p>{overview}</p>
<h2>二、主动公开政府信息情况</h2><table>
{tr("第二十条第（一）项")}{tr("信息内容", "本年制发件数", "本年废止件数", "现行有效件数")}
{tr("规章", *docs["regulations"].values())}
{tr("行政规范性文件", *docs["normative_documents"].values())}
{tr("第二十条第（五）项")}{tr("信息内容", "本年处理决定数量")}
{tr("行政许可", s2["art20_5"]["administrative_licensing_decisions"])}
{tr("第二十条第（六）项")}{tr("信息内容", "本年处理决定数量")}
{tr("行政处罚", s2["art20_6"]["administrative_penalty_decisions"])}
{tr("行政强制", s2["art20_6"]["administrative_coercion_decisions"])}
{tr("第二十条第（八）项")}{tr("信息内容", "本年收费金额（单位：万元）")}
{tr("行政事业性收费", s2["art20_8"]["administrative_fees_amount_wan_yuan"])}
</table><h2>三、收到和处理政府信息公开申请情况</h2><table>
{tr("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况")}
{tr("自然人", "法人或其他组织", "总计")}
{tr("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")}
{rows}</table>
<h2>四、政府信息公开行政复议、行政诉讼情况</h2><table>
{tr("行政复议", "行政诉讼")}{tr(*t4)}</table>
<h2>五、存在的主要问题及改进情况</h2><p>问题与改进。</p>
<h2>六、其他需要报告的事项</h2><p>无收取信息处理费情况。</p></body></html>"""
