"""The collection board as a panel: who has returned, the problems per file, and a button
that writes the year once every return is clean (notebooks/collection.ipynb).

    from wfscore.panels.collection import Board, demo_folders
    Board("returns/2011", "data/2011")

The logic is :mod:`wfscore.inputs.collect`; the desk's decisions it keeps come from
:mod:`wfscore.review.decisions`. Nothing is written until the button is clicked.
"""

from __future__ import annotations

import html
import shutil
import tempfile
from pathlib import Path

import ipywidgets as widgets

from wfscore.inputs import collect, forms, inert
from wfscore.inputs.messages_zh import in_lang
from wfscore.inputs.problems import InputError
from wfscore.review.collected import write_year
from wfscore.review.decisions import decided_rows, history

WORDS = {
    "zh": {
        "all": "全部",
        "filter_who": "对象",
        "filter_status": "状态",
        "write": "写入本年度数据",
        "clean": "所有报送表格均无错误，可以写入 {into}。",
        "errors": "有 {n} 个错误，改正后才能写入。",
        "problems": "各文件的问题",
        "none": "没有问题。",
        "written": "已写入：{files}；未变：{same}",
        "kept": "保留（审核台已决定）：",
        "note": "说明：",
        "versions": "被替换的文件已保存为版本（{versions}）；`wfscore restore {into} VERSION` 可恢复",
        "failed": "未写入：",
        "demo": "演示：报送表格由 {data} 的数据自动填写，写入的是临时文件夹 {into}，不会改动 {data}。",
    },
    "en": {
        "all": "all",
        "filter_who": "who",
        "filter_status": "status",
        "write": "Write the year",
        "clean": "Every return is clean; the year can be written into {into}.",
        "errors": "Errors: {n}. Fix them before the year can be written.",
        "problems": "Problems per file",
        "none": "No problems.",
        "written": "written: {files}; unchanged: {same}",
        "kept": "kept (decided at the desk): ",
        "note": "note: ",
        "versions": "the files replaced are kept as versions ({versions}); "
        "`wfscore restore {into} VERSION` brings one back",
        "failed": "nothing written: ",
        "demo": "Demonstration: the returns were filled from {data}; the year is "
        "written into the scratch folder {into}, never into {data}.",
    },
}


def decided(folder: Path) -> set[tuple[str, int]]:
    """The (file, line) pairs the adjustments desk has decisions in force on."""
    return set(decided_rows(history(folder))) if Path(folder).is_dir() else set()


def demo_folders(data_dir: str | Path) -> tuple[Path, Path]:
    """A scratch returns folder (the forms of ``data_dir``'s year, filled from its own
    figures, one department's form left out) and a scratch year folder to collect into."""
    data_dir = Path(data_dir)
    root = Path(tempfile.mkdtemp(prefix="wfscore-collection-"))
    into = root / data_dir.name
    into.mkdir()
    for name in ("scheme.yaml", "departments.csv", "incidents.csv", "SYNTHETIC"):
        if (data_dir / name).is_file():
            shutil.copy(data_dir / name, into / name)
    returns = root / "returns"
    experts = (
        sorted(
            {
                line.split(",")[2]
                for line in (data_dir / "ratings.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
                if line
            }
        )
        if (data_dir / "ratings.csv").is_file()
        else []
    )
    names = forms.write_forms(into, returns, experts)
    forms.fill_from_year(returns, data_dir)
    last = list(names.departments.values())[-1]
    (returns / last).unlink()  # one department has not returned yet
    return returns, into


class Board(widgets.VBox):
    """The board (filterable by who and status), the problems per file, and the write button."""

    def __init__(self, returns_dir: str | Path, data_dir: str | Path, lang: str = "zh", note: str = ""):
        self.returns_dir, self.into, self.lang = Path(returns_dir), Path(data_dir), lang
        self.w = WORDS[lang]
        self.who = widgets.Dropdown(description=self.w["filter_who"])
        self.status = widgets.Dropdown(description=self.w["filter_status"])
        self.table = widgets.HTML()
        self.problems = widgets.HTML()
        self.message = widgets.HTML()
        self.button = widgets.Button(description=self.w["write"], button_style="primary")
        self.button.on_click(self._write)
        self.who.observe(lambda _: self._show(), names="value")
        self.status.observe(lambda _: self._show(), names="value")
        head = [widgets.HTML(f"<p>{html.escape(note)}</p>")] if note else []
        super().__init__(
            head
            + [
                widgets.HBox([self.who, self.status]),
                self.table,
                self.message,
                self.button,
                widgets.HTML(f"<h4>{html.escape(self.w['problems'])}</h4>"),
                self.problems,
            ]
        )
        self.reload()

    def reload(self) -> None:
        try:
            self.col = collect.read_returns(self.returns_dir, self.into)
        except InputError as exc:
            self.col = None
            self.message.value = "<pre>" + inert.html("\n".join(p.text(self.lang) for p in exc.problems)) + "</pre>"
            self.button.disabled = True
            return
        self.frame = collect.board(self.col, self.lang)
        columns = self.frame.columns
        everything = self.w["all"]
        self.who.options = [everything] + sorted(set(self.frame[columns[0]]), key=list(self.frame[columns[0]]).index)
        self.status.options = [everything] + sorted(set(self.frame[columns[3]]))
        self._show()
        errors = self.col.errors
        self.button.disabled = bool(errors)
        self.message.value = html.escape(
            self.w["errors"].format(n=len(errors)) if errors else self.w["clean"].format(into=self.into)
        )
        self.problems.value = self._problems_html()

    def filtered(self):
        frame = self.frame
        columns = frame.columns
        if self.who.value not in (None, self.w["all"]):
            frame = frame[frame[columns[0]] == self.who.value]
        if self.status.value not in (None, self.w["all"]):
            frame = frame[frame[columns[3]] == self.status.value]
        return frame

    def _show(self) -> None:
        if self.col is not None:
            self.table.value = self.filtered().to_html(index=False, escape=True, border=0)

    def _problems_html(self) -> str:
        by_file: dict[str, list[str]] = {}
        for ret in self.col.returns:
            for p in ret.problems:
                by_file.setdefault(ret.file, []).append(p.text(self.lang))
        for p in self.col.problems:
            if not any(p in r.problems for r in self.col.returns):
                by_file.setdefault(p.source.split(",")[0], []).append(p.text(self.lang))
        if not by_file:
            return html.escape(self.w["none"])
        parts = []
        for file, lines in by_file.items():
            items = "".join(f"<li>{html.escape(line)}</li>" for line in dict.fromkeys(lines))
            parts.append(f"<p><b>{html.escape(file)}</b></p><ul>{items}</ul>")
        return "".join(parts)

    def _write(self, _=None) -> None:
        try:
            outcome = write_year(self.col)
        except InputError as exc:
            self.message.value = (
                html.escape(self.w["failed"])
                + "<pre>"
                + inert.html("\n".join(p.text(self.lang) for p in exc.errors))
                + "</pre>"
            )
            return
        w, sep = self.w, "、" if self.lang == "zh" else ", "
        text = w["written"].format(files=sep.join(outcome.written) or "—", same=sep.join(outcome.unchanged) or "—")
        items = [w["kept"] + in_lang(k, self.lang) for k in outcome.kept]
        items += [w["note"] + in_lang(n, self.lang) for n in outcome.notes]
        if outcome.versions:
            items.append(
                w["versions"].format(
                    versions=sep.join(f"{f} → {v}" for f, v in outcome.versions.items()), into=self.into
                )
            )
        listed = "".join(f"<li>{inert.html(item)}</li>" for item in items)
        self.message.value = inert.html(text) + (f"<ul>{listed}</ul>" if listed else "")
