"""Year-on-year charts of the annual report (matplotlib): SVG for HTML, PNG for
DOCX. Text is drawn as paths in SVG, so no font is needed where it is shown."""

from __future__ import annotations

import io
from typing import Any

CJK_FONTS = ["Noto Sans CJK SC", "Noto Serif CJK SC", "DejaVu Sans"]


def trend_chart(trend: dict[str, Any], fmt: str = "svg") -> bytes:
    """Applications received and items published over the last five years."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context(
        {
            "font.family": "sans-serif",
            "font.sans-serif": CJK_FONTS,
            "axes.unicode_minus": False,
            "svg.fonttype": "path",
            "svg.hashsalt": "gongkai",
        }
    ):
        fig, ax = plt.subplots(figsize=(6.4, 2.8), dpi=150)
        years = [str(y) for y in trend["years"]]
        width = 0.38
        xs = range(len(years))
        ax.bar(
            [x - width / 2 for x in xs],
            trend["items"],
            width,
            label="主动公开信息（条）",
            color="#2f5d8a",
        )
        ax.bar(
            [x + width / 2 for x in xs],
            trend["applications"],
            width,
            label="新收公开申请（件）",
            color="#c0504d",
        )
        ax.set_xticks(list(xs), years)
        ax.set_title("近五年主动公开与依申请公开情况")
        ax.legend(frameon=False, fontsize=8)
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
        plt.close(fig)
    return out.getvalue()
