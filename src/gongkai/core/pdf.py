"""HTML → PDF with WeasyPrint, using the CJK fonts installed on the machine
(Debian's fonts-noto-cjk); no font or stylesheet is fetched from the network."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)

    def no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        raise ValueError(f"PDF 渲染不加载外部资源：{url}")

    document = HTML(string=html, url_fetcher=no_fetch)
    pdf: bytes = document.write_pdf()
    return pdf
