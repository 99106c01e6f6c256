"""The outputs of the sample years stay byte for byte what they were: ``wfscore score``'s
results and detail CSVs of every year in data/ (and of the tiny year), in Chinese and in
English, and the feedback cards' HTML of 2011, compared by their SHA-256 with
tests/data/golden_outputs.json.

That file was made by the code of the commit it names, before the modules were split;
a change of any number, word or byte of these outputs fails here. The cards' embedded
web font (a subset of Noto Sans CJK, whose compressed bytes differ from run to run) is
taken out before hashing; nothing else in these outputs depends on the run.

When an output is meant to change, write the file again with
``.venv/bin/python tests/test_golden_outputs.py`` and say why in the commit.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "data" / "golden_outputs.json"
YEARS = {
    "2011": ROOT / "data" / "2011",
    "2012": ROOT / "data" / "2012",
    "2013": ROOT / "data" / "2013",
    "tiny": ROOT / "tests" / "data" / "tiny",
}
CARDS_YEAR = "2011"
WEBFONT = re.compile(rb'<!-- wf-webfont --><style type="text/css">.*?</style>', re.S)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _run(argv: list[str]) -> None:
    from wfscore.cli import main

    assert main(argv) == 0, argv


def score_hashes(year: str, out: Path) -> dict[str, str]:
    """The SHA-256 of results.csv and detail.csv of ``year`` scored with --lang zh and en."""
    hashes = {}
    for lang in ("zh", "en"):
        folder = out / f"{year}-{lang}"
        results, detail = folder / "results.csv", folder / "detail.csv"
        _run(["score", str(YEARS[year]), "--out", str(results), "--detail", str(detail), "--lang", lang])
        hashes[f"score/{year}/{lang}/results.csv"] = _sha(results.read_bytes())
        hashes[f"score/{year}/{lang}/detail.csv"] = _sha(detail.read_bytes())
    return hashes


def card_hashes(out: Path) -> dict[str, str]:
    """The SHA-256 of each HTML file of the cards of CARDS_YEAR, web font taken out."""
    folder = out / "cards"
    _run(["cards", str(YEARS[CARDS_YEAR]), "--out", str(folder), "--no-pdf", "--lang", "zh"])
    pages = sorted(folder.glob("*.html"))
    assert len(pages) > 100, pages
    return {f"cards/{CARDS_YEAR}/{p.name}": _sha(WEBFONT.sub(b"<!-- wf-webfont -->", p.read_bytes())) for p in pages}


def _golden() -> dict[str, str]:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))["sha256"]


def _compare(made: dict[str, str], prefix: str) -> None:
    golden = {k: v for k, v in _golden().items() if k.startswith(prefix)}
    assert golden, f"no {prefix} entries in {GOLDEN}"
    assert sorted(made) == sorted(golden), "the set of files written changed"
    changed = sorted(k for k in golden if made[k] != golden[k])
    assert not changed, f"outputs differ from {GOLDEN.name}: {changed}"


@pytest.mark.parametrize("year", sorted(YEARS))
def test_score_outputs_are_byte_identical(year: str, tmp_path: Path):
    _compare(score_hashes(year, tmp_path), f"score/{year}/")


@pytest.mark.slow
def test_cards_html_is_byte_identical(tmp_path: Path):
    _compare(card_hashes(tmp_path), f"cards/{CARDS_YEAR}/")


def test_a_changed_number_is_caught(tmp_path: Path):
    """The comparison sees one digit changed in a value of the tiny year."""
    tiny = tmp_path / "tiny"
    tiny.mkdir()
    for f in YEARS["tiny"].iterdir():
        (tiny / f.name).write_bytes(f.read_bytes())
    values = (tiny / "values.csv").read_text(encoding="utf-8").splitlines()
    header, first = values[0].split(","), values[1].split(",")
    column = header.index("value")
    first[column] = str(float(first[column]) + 1)
    (tiny / "values.csv").write_text("\n".join([values[0], ",".join(first), *values[2:]]) + "\n", encoding="utf-8")
    results = tmp_path / "results.csv"
    _run(["score", str(tiny), "--out", str(results), "--lang", "zh"])
    assert _sha(results.read_bytes()) != _golden()["score/tiny/zh/results.csv"]


def write_golden() -> None:
    """Write tests/data/golden_outputs.json from the outputs of the code as it is now."""
    import tempfile

    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "wfscore"], cwd=ROOT, capture_output=True, text=True)
    with tempfile.TemporaryDirectory() as tmp:
        hashes: dict[str, str] = {}
        for year in sorted(YEARS):
            hashes |= score_hashes(year, Path(tmp))
        hashes |= card_hashes(Path(tmp))
    note = f"made by tests/test_golden_outputs.py from commit {commit}"
    if dirty.stdout.strip():
        note += " with uncommitted changes to wfscore/"
    GOLDEN.write_text(json.dumps({"note": note, "sha256": hashes}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {len(hashes)} hashes to {GOLDEN}", file=sys.stderr)


if __name__ == "__main__":
    write_golden()
