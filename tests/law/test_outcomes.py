from __future__ import annotations

import pytest

from gongkai.law.outcomes import (
    GROUP_LABELS,
    OUTCOMES,
    OutcomeGroup,
    outcome,
    outcomes_in,
)


def test_there_are_exactly_the_21_leaves_of_table_three_in_template_order() -> None:
    assert len(OUTCOMES) == 21
    assert [len(outcomes_in(g)) for g in OutcomeGroup] == [1, 1, 8, 3, 5, 3]
    assert [o.label[:2] for o in outcomes_in(OutcomeGroup.withheld)] == [
        f"{i}." for i in range(1, 9)
    ]


def test_every_outcome_cites_an_article_and_has_a_letter() -> None:
    for o in OUTCOMES:
        assert "条" in o.basis and o.letter_title.endswith("书")
    assert set(GROUP_LABELS) == set(OutcomeGroup)


def test_an_unknown_outcome_key_is_named_in_the_error() -> None:
    assert outcome("partially_granted").group is OutcomeGroup.partially_granted
    with pytest.raises(KeyError, match="approved"):
        outcome("approved")
