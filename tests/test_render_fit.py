"""What a one-page card holds: as many steps as fit, in order and whole, and where the rest is."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from icrunbook.pipeline.runner import Runner
from icrunbook.render import markdown, text
from icrunbook.render.fit import PAGE_LINES, _most, one_page
from icrunbook.render.model import build

WEB = Path(__file__).resolve().parent.parent / "runbooks" / "web-api-bad-deploy.yaml"


def web(**changes: Any) -> dict[str, Any]:
    """The web API example as merged over its policy (its roles and templates are partly there)."""
    data: dict[str, Any] = copy.deepcopy(Runner().load(str(WEB)).data)
    data.update(changes)
    return data


def lines(rendered: str) -> int:
    return sum(-(-len(line) // text.WIDTH) or 1 for line in rendered.rstrip("\n").split("\n"))


def test_the_card_keeps_the_most_steps_that_fit_and_says_where_the_rest_is() -> None:
    data = web()
    data["steps"] = [copy.deepcopy(data["steps"][0]) for _ in range(40)]
    for number, step in enumerate(data["steps"]):
        step["id"] = f"step-{number}"
    data["steps"][-1]["phase"] = "mitigate"
    card = one_page(build(data, layout="card"))
    kept = len(card.card_steps)
    assert 0 < kept < 40
    assert card.card_steps == card.stop_the_bleeding[:kept]
    assert card.continued == f"Continued in the full checklist at step {kept + 1}."
    assert lines(text.render(card)) <= PAGE_LINES
    one_more = one_page(build(data, layout="card"))
    assert one_more == card  # the same cut every time, in every format
    assert markdown.render(card).count("- [ ] **") == kept


def test_a_card_that_holds_every_mitigation_points_at_the_next_step() -> None:
    card = one_page(build(web(), layout="card", severity="SEV3"))
    assert card.card_steps
    assert card.continued is not None
    shown = {s.number for s in card.card_steps}
    assert f"step {max(shown) + 1}." in card.continued


def test_a_role_card_with_every_step_shown_has_no_continuation() -> None:
    card = one_page(build(web(), role="scribe"))
    assert card.card_steps == card.steps
    assert card.continued is None


def test_the_communications_card_drops_templates_before_spilling() -> None:
    data = web()
    body = "\n".join(f"Line {n} of a long template: {{{{ impact }}}}" for n in range(14))
    for template in data["communications"]["templates"].values():
        template["body"] = body
    card = one_page(build(data, role="comms_lead"))
    assert 0 < len(card.templates) < len(data["communications"]["templates"])
    assert card.continued is not None
    assert "Message templates in the full checklist: " in card.continued
    assert lines(text.render(card)) <= PAGE_LINES


def test_the_full_checklist_gets_the_card_it_opens_with() -> None:
    full = one_page(build(web()))
    card = one_page(build(web(), layout="card"))
    assert full.card_steps == card.card_steps
    assert full.continued == card.continued


@pytest.mark.parametrize(("count", "limit", "expected"), [(0, 5, 0), (10, 3, 3), (10, 99, 10)])
def test_most_finds_the_largest_that_fits(count: int, limit: int, expected: int) -> None:
    assert _most(count, lambda k: k <= limit) == expected
