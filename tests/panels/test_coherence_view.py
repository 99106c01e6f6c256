"""The what-if panel's box of main effects against weights."""

from __future__ import annotations

import pytest

import wfscore
from helpers import SAMPLE, TINY
from wfscore.panels.whatif import WhatIf


@pytest.fixture(scope="module")
def panel():
    return WhatIf(wfscore.load_year(SAMPLE))


def test_the_box_follows_the_scenario(panel):
    box = panel.coherence_box
    assert box in panel.children[-1].children[-1].children  # beside the other outputs
    assert box.frame is None and bytes(box.image.value) == b""  # computed on demand only
    assert box.image.layout.display == "none"  # an empty image would show as a broken one
    before = box.refresh().set_index("indicator")
    assert before.loc["1", "weight_share"] == pytest.approx(before.loc["1", "official_weight_share"])
    assert before["change"].abs().max() == pytest.approx(0, abs=1e-12)  # nothing moved yet
    panel.weight_sliders["1"].value = 200
    after = box.refresh().set_index("indicator")
    total = panel.result.arrays.weight.sum()
    assert after.loc["1", "weight_share"] == pytest.approx(200 / total)
    assert after.loc["1", "main_effect"] > after.loc["1", "official_main_effect"]
    assert "领导与管理推进机制" in box.table_html.value and "→" in box.table_html.value
    assert bytes(box.image.value).startswith(b"\x89PNG") and box.image.layout.display is None
    panel.reset()


def test_the_box_in_english_on_the_tiny_year():
    panel = WhatIf(wfscore.load_year(TINY), lang="en")
    frame = panel.coherence_box.refresh()
    assert "Main effects and weight shares" in panel.coherence_box.table_html.value
    assert (frame["status_text"].str.len() > 0).all()  # 7 departments: every row says what it is
