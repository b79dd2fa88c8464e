"""Highlighting: every occurrence of a query term wrapped in ``<mark>``, the rest
HTML-escaped. Offsets come from the folded text, which has the same length as
the text shown (``gongkai.search.tokens``)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SNIPPET_BEFORE = 30
SNIPPET_CHARS = 160


def spans(folded: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Merged ``[start, end)`` ranges of all term occurrences."""
    found: list[tuple[int, int]] = []
    for term in terms:
        start = folded.find(term)
        while start != -1:
            found.append((start, start + len(term)))
            start = folded.find(term, start + 1)
    found.sort()
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, folded: str, terms: Sequence[str]) -> SafeString:
    if len(text) != len(folded):  # pragma: no cover - folding keeps lengths
        return mark_safe(escape(text))
    out: list[str] = []
    last = 0
    for start, end in spans(folded, terms):
        out.append(escape(text[last:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def snippet(
    window: str,
    folded_window: str,
    terms: Sequence[str],
    *,
    cut_before: bool,
    cut_after: bool,
) -> tuple[SafeString, str]:
    """The highlighted window and its plain text, with ellipses where cut."""
    marked = highlight(window, folded_window, terms)
    before = "…" if cut_before else ""
    after = "…" if cut_after else ""
    return mark_safe(f"{before}{marked}{after}"), f"{before}{window}{after}"
