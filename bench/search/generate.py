"""A deterministic corpus of N Chinese items for the search benchmark.

The same seed gives the same items: titles and bodies built from a vocabulary of
words found in government-disclosure texts, with years, numbers, 文号 and a
little Latin. The items are written directly (bulk inserts), published, and not
indexed; ``run.py`` indexes them with ``gongkai search rebuild``'s function.
Benchmark data only: never used by the tests, never committed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

_WORDS = (
    "关于 通知 公示 公告 印发 实施 方案 意见 办法 规定 工作 领导 小组 成立 调整 做好 开展 加强 "
    "推进 落实 教育 学校 学生 教师 招生 入学 考试 录取 报名 资格 认定 评审 结果 名单 学籍 管理 "
    "义务 高中 初中 小学 幼儿园 中职 高职 特色 体育 艺术 科技 安全 食堂 卫生 消防 校车 资助 "
    "补助 经费 预算 决算 采购 项目 中标 询价 合同 工程 建设 维修 设备 图书 实验 信息化 网络 "
    "平台 数据 统计 指标 年度 季度 月份 计划 总结 报告 政务 公开 政府 信息 依申请 主动 保密 "
    "审查 监督 检查 督导 评估 标准化 示范 优质 均衡 发展 改革 创新 质量 提升 服务 群众 家长 "
    "社会 综合 实验区 管委会 社会事业局 教育局 人事 任免 职务 职级 晋升 培训 继续 专业 技术 "
    "人员 招聘 岗位 选岗 体检 考核 聘用 编制 党建 党组 支部 纪检 廉政 作风 效能 规范 制度 "
    "文明 城市 创建 志愿 活动 竞赛 获奖 表彰 先进 集体 个人 疫情 防控 健康 心理 近视 营养 "
    "课后 延时 课程 教材 作业 减负 双减 校外 培训 机构 治理 收费 退费 公办 民办 学位 学区 "
    "划分 片区 城区 乡镇 农村 留守 儿童 随迁 子女 台胞 就近 申请 办理 流程 指南 条件 材料 "
    "时间 地点 电话 咨询 投诉 举报 受理 答复 期限 延期 补正 复议 诉讼"
)
WORDS = _WORDS.split()
PUNCTUATION = "，，，。。；：、"
PREFIXES = ("岚教", "岚教综", "岚社会", "湘教", "湘教基", "区教", "区府办")
SUFFIXES = ("的通知", "的公示", "的公告", "的批复", "的报告", "实施方案", "工作计划")
LATIN = ("GB/T 7714", "PDF", "Covid-19", "ISO 9001", "Excel", "APP", "WiFi")


@dataclass(frozen=True)
class GeneratedItem:
    number: int
    unit: int  # 0 … units-1
    column: int  # 0 … 2 within the unit
    kind: int  # index into the kinds available
    title: str
    body: str  # HTML
    document_number: str
    published_at: datetime


def _sentence(rng: random.Random) -> str:
    parts: list[str] = []
    for _ in range(rng.randint(3, 12)):
        roll = rng.random()
        if roll < 0.08:
            parts.append(f"{rng.randint(2010, 2026)}年")
        elif roll < 0.14:
            parts.append(f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日")
        elif roll < 0.18:
            parts.append(str(rng.randint(1, 99999)))
        elif roll < 0.19:
            parts.append(rng.choice(LATIN))
        else:
            parts.append(rng.choice(WORDS))
        if rng.random() < 0.15:
            parts.append(rng.choice(PUNCTUATION[:3]))
    return "".join(parts) + rng.choice("。。；")


def _body(rng: random.Random) -> str:
    target = int(rng.lognormvariate(6.4, 0.7))  # median ~600 characters
    paragraphs: list[str] = []
    size = 0
    while size < target:
        paragraph = "".join(_sentence(rng) for _ in range(rng.randint(1, 5)))
        paragraphs.append(f"<p>{paragraph}</p>")
        size += len(paragraph)
    return "".join(paragraphs)


def generate(
    n: int, *, seed: int = 2026, units: int = 21, kinds: int = 5
) -> Iterator[GeneratedItem]:
    rng = random.Random(seed)
    start = datetime(2010, 1, 1, 1, tzinfo=UTC)
    span = (date(2026, 6, 30) - date(2010, 1, 1)).days
    for number in range(n):
        subject = "".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6)))
        year = rng.randint(2010, 2026)
        title = f"关于{year}年{subject}{rng.choice(SUFFIXES)}"[:200]
        document_number = ""
        if rng.random() < 0.3:
            serial = rng.randint(1, 300)
            document_number = f"{rng.choice(PREFIXES)}〔{year}〕{serial}号"
        yield GeneratedItem(
            number=number,
            unit=rng.randrange(units),
            column=rng.randrange(3),
            kind=rng.randrange(kinds),
            title=title,
            body=_body(rng),
            document_number=document_number,
            published_at=start
            + timedelta(days=rng.randrange(span), minutes=rng.randrange(1440)),
        )


def legacy_row(g: GeneratedItem) -> dict[str, str]:
    """The item as a row of ``gongkai items import`` (JSONL keys)."""
    agency = "基准测试教育局" if g.unit == 0 else f"基准测试第{g.unit}学校"
    local = g.published_at + timedelta(hours=8)
    return {
        "id": f"bench-{g.number}",
        "agency": agency,
        "column": ("通知公告", "政策文件", "校务公开")[g.column],
        "title": g.title,
        "doc_number": g.document_number,
        "written_on": (local.date() - timedelta(days=2)).isoformat(),
        "published_on": local.strftime("%Y-%m-%d %H:%M"),
        "body": g.body,
    }


if __name__ == "__main__":
    import json
    import sys
    from pathlib import Path

    count, path = int(sys.argv[1]), Path(sys.argv[2])
    first = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    with path.open("w", encoding="utf-8") as out:
        for g in generate(first + count):
            if g.number >= first:
                out.write(json.dumps(legacy_row(g), ensure_ascii=False) + "\n")
