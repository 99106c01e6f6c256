"""The adjustments desk: review exemption requests, achievements and incidents, the
departments' disputes and the experts' ratings, see what each decision does before
making it, and save it with an audit trail.

    from wfscore.panels.desk import Desk
    Desk("data/2011")          # notebooks/adjustments.ipynb; `make desk` serves it with Voilà

The reviewer types their name into the panel (remembered for the kernel's session);
nothing can be saved before. Three tabs: the adjustments (below), the dispute register
(:mod:`wfscore.review.disputes`: open a dispute, see what upholding it would do, uphold
with a corrected value or reject with a reply, undo an upheld one) and the experts'
agreement (:mod:`wfscore.review.agreement`: Kendall's W per indicator, each expert's
deviation, the ratings far from the others, which can be taken up as a dispute).

The panel lists every row of ``exemptions.csv``, ``achievements.csv`` and
``incidents.csv`` (filters: department, kind, pending only). For the selected item it
shows, for each possible decision, the department's total and rank before and
after, the indicators whose effective weights change, and what happens to the
excellence list, all worked out on the data already loaded (:mod:`wfscore.review.items`).
A click saves the decision to the year's own file through :mod:`wfscore.review.decisions`
(atomic write, the old file kept under ``.history/``, a row appended to
``decisions.csv``, refused if the file changed on disk since the panel loaded it).
Nothing is written until a decision, undo or restore button is clicked.
"""

from __future__ import annotations

import re
from pathlib import Path

import ipywidgets as widgets
import numpy as np

from wfscore.analysis.scenario import rank_changes, summary
from wfscore.engine.pipeline import score
from wfscore.engine.result import Result
from wfscore.inputs import inert
from wfscore.inputs.files import decode, parse_csv
from wfscore.inputs.loading import load_year, rebuild
from wfscore.inputs.problems import InputError
from wfscore.inputs.scheme import label
from wfscore.inputs.validation import FALSE_WORDS, TRUE_WORDS
from wfscore.inputs.wording import rank_move, signed, words
from wfscore.panels.desk_words import CSS, WORDS
from wfscore.review import agreement, decisions, disputes as register, items as review
from wfscore.review.audit import decisions_table  # noqa: F401 - for the report: wfscore.panels.desk.decisions_table
from wfscore.review.decisions import DecisionError, Saved

HISTORY_ROWS = 8
MOVES_ROWS = 10
FAR_ROWS = 30
# The comments wfscore itself writes into decisions.csv (review.decisions, review.disputes).
COMMENTS = (
    (r"undo of decision (?P<id>\d+)", "c_undo"),
    (r"undo of dispute (?P<id>\d+)", "c_undo_dispute"),
    (r"dispute (?P<id>\d+): (?P<reply>.*)", "c_dispute"),
    (r"(?P<file>\S+) as it was before entry (?P<id>\d+)", "c_restore"),
    (r"collected from (?P<folder>.*) \((?P<n>\d+) returns(?P<replace>, --replace)?\)(?P<new>; new file)?", "c_collect"),
)
# The reviewer's name, typed once per kernel session (every desk opened afterwards knows it).
SESSION = {"reviewer": ""}


def _esc(x) -> str:
    return inert.html(x)


def _move(before: int, after: int) -> str:
    return rank_move(before - after)


def _short(text: str, n: int = 36) -> str:
    text = str(text)
    return text if len(text) <= n else text[: n - 1] + "…"


class Desk(widgets.VBox):
    """The adjustments desk for one year folder. Display it (it is an ipywidgets box).

    For programs and tests: ``select(kind, line)``, ``decide(action)`` (``confirm``,
    ``reject``, ``major``, ``ordinary``) or the buttons ``confirm_button``,
    ``reject_button``, ``severity_button``; ``preview(kind, line)``; ``undo()``,
    ``restore(version)``, ``reload()``; the filters ``dept_filter``, ``kind_filter``,
    ``pending_only``; ``items`` (a DataFrame), ``data``, ``result`` and ``opened``
    (the Result when the folder was opened); the texts ``summary_text``,
    ``last_text`` and ``message_text``.
    """

    def __init__(self, year_dir: Path | str, reviewer: str = "", lang: str = "zh"):
        self.folder = Path(year_dir)
        self.reviewer = str(reviewer).strip() or SESSION["reviewer"]
        self.lang, self.w = lang, WORDS[lang]
        self.data = load_year(self.folder)  # InputError: a folder with errors cannot be reviewed
        self.result: Result = score(self.data)
        self.opened: Result = self.result
        self.expected = dict(self.data.files)  # file → SHA-256 as this panel last saw it
        self.saved_count = 0
        self._previews: dict = {}
        self._holding = False
        self._read_log(new_view=True)
        book = decisions.workbook_of(self.folder)
        self.workbook_note = self.w["workbook"].format(book=book) if book else None
        self.summary_text = self.last_text = self.message_text = ""
        self.register_error = ""
        self._read_register()

        w = self.w
        head = [widgets.HTML(f"{CSS}<h3>{_esc(w['title'])}{w['colon']}{_esc(self.data.scheme.title)}</h3>")]
        if self.data.synthetic:
            head.append(
                widgets.HTML(f'<div class="wf-banner">{_esc(words(lang)["synthetic"])}</div>').add_class("wf-synthetic")
            )
        if self.workbook_note:
            head.append(
                widgets.HTML(f'<div class="wf-banner">{_esc(self.workbook_note)}</div>').add_class("wf-read-only")
            )
        self.reviewer_box = widgets.Text(
            value=self.reviewer,
            description=w["reviewer"],
            placeholder=w["reviewer_hint"],
            style={"description_width": "60px"},
            layout=widgets.Layout(width="320px"),
        ).add_class("wf-reviewer")
        self.reviewer_note = widgets.HTML().add_class("wf-reviewer-note")
        head.append(widgets.HBox([self.reviewer_box, self.reviewer_note]))
        self.summary_html = widgets.HTML().add_class("wf-summary")
        self.moves_html = widgets.HTML().add_class("wf-moves")

        style = {"description_width": "60px"}
        self.dept_filter = widgets.Dropdown(
            description=w["dept"], style=style, layout=widgets.Layout(width="320px")
        ).add_class("wf-dept-filter")
        self.kind_filter = widgets.Dropdown(
            options=[(w["all_kinds"], "")] + [(w["kinds"][k], k) for k in review.KINDS],
            value="",
            description=w["kind"],
            style=style,
            layout=widgets.Layout(width="220px"),
        ).add_class("wf-kind-filter")
        self.pending_only = widgets.Checkbox(value=False, description=w["pending_only"], indent=False).add_class(
            "wf-pending-only"
        )
        self.item_list = widgets.RadioButtons(
            options=[], layout=widgets.Layout(width="100%", height="420px", overflow="auto")
        ).add_class("wf-items")
        self.item_html = widgets.HTML().add_class("wf-item")
        self.comment = widgets.Text(placeholder=w["comment"], layout=widgets.Layout(width="420px")).add_class(
            "wf-comment"
        )
        self.confirm_button = widgets.Button(button_style="success", icon="check").add_class("wf-confirm")
        self.reject_button = widgets.Button(button_style="danger", icon="times").add_class("wf-reject")
        self.severity_button = widgets.Button(button_style="warning").add_class("wf-severity")
        self.confirm_button.on_click(lambda _: self.decide("confirm"))
        self.reject_button.on_click(lambda _: self.decide("reject"))
        self.severity_button.on_click(lambda _: self.decide(self._other_severity() or "major"))
        self.last_html = widgets.HTML().add_class("wf-last")
        self.message_html = widgets.HTML().add_class("wf-message")

        self.undo_button = widgets.Button(description=w["undo"], icon="undo").add_class("wf-undo")
        self.undo_button.on_click(lambda _: self.undo())
        self.undo_html = widgets.HTML().add_class("wf-undo-what")
        self.version_picker = widgets.Dropdown(
            description=w["versions"], style={"description_width": "90px"}, layout=widgets.Layout(width="560px")
        ).add_class("wf-versions")
        self.restore_button = widgets.Button(description=w["restore"], icon="history").add_class("wf-restore")
        self.restore_button.on_click(lambda _: self.version_picker.value and self.restore(self.version_picker.value))
        self.reload_button = widgets.Button(description=w["reload"], icon="refresh").add_class("wf-reload")
        self.reload_button.on_click(lambda _: self.reload())
        self.history_html = widgets.HTML().add_class("wf-history")

        self._dispute_widgets()
        self.reviewer_box.observe(lambda change: self.set_reviewer(change["new"]), "value")
        for control in (self.dept_filter, self.kind_filter, self.pending_only):
            control.observe(lambda _: self._fill_list(), "value")
        self.item_list.observe(lambda _: None if self._holding else self._show_item(), "value")

        left = widgets.VBox(
            [widgets.HBox([self.dept_filter, self.kind_filter, self.pending_only]), self.item_list],
            layout=widgets.Layout(flex="1 1 45%", min_width="0"),
        )
        right = widgets.VBox(
            [
                self.item_html,
                self.comment,
                widgets.HBox([self.confirm_button, self.reject_button, self.severity_button]),
            ],
            layout=widgets.Layout(flex="1 1 55%", min_width="0"),
        )
        history = widgets.VBox(
            [
                widgets.HBox([self.undo_button, self.undo_html]),
                widgets.HBox([self.version_picker, self.restore_button, self.reload_button]),
                self.history_html,
            ]
        )
        self.tabs = widgets.Tab(children=[widgets.HBox([left, right]), self.disputes_box, self.agreement_box])
        for k, title in enumerate(w["tabs"]):
            self.tabs.set_title(k, title)
        self.tabs.add_class("wf-tabs")
        super().__init__(
            head + [self.summary_html, self.tabs, self.last_html, self.message_html, self.moves_html, history]
        )
        self.add_class("wf-desk")
        self.refresh()

    @property
    def read_only(self) -> str | None:
        """Why nothing can be saved now (None: saving is possible)."""
        return self.workbook_note or (None if self.reviewer else self.w["no_reviewer"])

    def set_reviewer(self, name: str) -> None:
        """The reviewer's name (as typed in the panel): remembered for the session."""
        self.reviewer = str(name).strip()
        SESSION["reviewer"] = self.reviewer
        if self.reviewer_box.value.strip() != self.reviewer:
            self.reviewer_box.value = self.reviewer
        self._enable()

    def _enable(self) -> None:
        """Every button enabled exactly when it can do something."""
        off = bool(self.read_only)
        self.reviewer_note.value = (
            "" if self.reviewer else f'<span class="wf-hint">{_esc(self.w["no_reviewer"])}</span>'
        )
        for button in (self.confirm_button, self.reject_button, self.severity_button):
            button.disabled = off or self.selected is None
        self.undo_button.disabled = off or self.entries[self.entries["status"] == "in force"].empty
        self.restore_button.disabled = off or not self.version_picker.value
        dispute = self.selected_dispute
        is_open = dispute is not None and dispute["state"] == "open"
        self.uphold_button.disabled = self.dismiss_button.disabled = off or not is_open
        self.undo_dispute_button.disabled = off or dispute is None or dispute["state"] != "upheld"
        self.open_button.disabled = off
        self.far_button.disabled = off or not self.far_picker.value

    # -- state ----------------------------------------------------------------
    def _read_log(self, new_view: bool = False) -> None:
        self.entries = decisions.history(self.folder)
        self.decided = decisions.decided_rows(self.entries)
        if new_view:  # every entry so far is part of what this panel shows
            self.seen = int(self.entries["id"].max()) if len(self.entries) else 0

    def refresh(self) -> None:
        """Rebuild the list, the selected item, the summary and the history from the state."""
        self._previews.clear()
        self._read_register()
        self.items = review.items(self.data, self.decided)
        names = self.data.departments.set_index("dept_id")["name"]
        with_items = [d for d in self.data.dept_ids if d in set(self.items["dept_id"])]
        options = [(self.w["all_depts"], "")] + [(f"{d} {names[d]}", d) for d in with_items]
        keep = self.dept_filter.value
        self._holding = True
        try:
            self.dept_filter.options = options
            self.dept_filter.value = keep if keep in {v for _, v in options} else ""
        finally:
            self._holding = False
        self._fill_list()
        self._show_summary()
        self._show_history()
        self._fill_disputes()
        self._show_agreement()
        self._enable()

    def _label(self, row) -> str:
        w = self.w
        name = self.data.departments["name"].iat[row.d]
        if row.kind == "incidents":
            what = f"{row.date} {w['severity'][row.severity]}{w['colon']}{row.text}"
        else:
            what = f"{w['indicator']} {row.indicator}{w['colon']}{row.text}"
        state = w["status"][row.kind][0 if row.counts else 1]
        mark = w["pending"] if row.pending else w["reviewed"] if row.decided else w["settled"]
        return f"{mark}  {w['kinds'][row.kind]}  {row.dept_id} {name}  {what}  [{state}]"

    def _fill_list(self) -> None:
        if self._holding:
            return
        shown = self.items
        if self.dept_filter.value:
            shown = shown[shown["dept_id"] == self.dept_filter.value]
        if self.kind_filter.value:
            shown = shown[shown["kind"] == self.kind_filter.value]
        if self.pending_only.value:
            shown = shown[shown["pending"]]
        options = [(self._label(row), (row.kind, int(row.line))) for row in shown.itertuples()]
        keep = self.item_list.value
        self._holding = True
        try:
            self.item_list.options = options
            values = [v for _, v in options]
            self.item_list.value = keep if keep in values else (values[0] if values else None)
        finally:
            self._holding = False
        self._show_item()

    def select(self, kind: str, line: int) -> None:
        """Select one item (clearing the filters that would hide it)."""
        if not ((self.items["kind"] == kind) & (self.items["line"] == int(line))).any():
            raise KeyError(f"{kind}.csv has no item on line {line}")
        if (kind, int(line)) not in [v for _, v in self.item_list.options]:
            self._holding = True
            try:
                self.dept_filter.value, self.kind_filter.value, self.pending_only.value = "", "", False
            finally:
                self._holding = False
            self._fill_list()
        self.item_list.value = (kind, int(line))

    @property
    def selected(self):
        """The selected item's row of ``items`` (None if nothing is selected)."""
        if self.item_list.value is None:
            return None
        kind, line = self.item_list.value
        found = self.items[(self.items["kind"] == kind) & (self.items["line"] == line)]
        return found.iloc[0] if len(found) else None

    def _other_severity(self) -> str | None:
        row = self.selected
        if row is None or row["kind"] != "incidents":
            return None
        return "ordinary" if row["severity"] == "major" else "major"

    # -- previews ---------------------------------------------------------------
    def preview(self, kind: str, line: int) -> dict[str, review.Effect | None]:
        """For each decision possible on the item: its effect (None: it would change nothing)."""
        key = (kind, int(line))
        if key not in self._previews:
            d = int(self.items.loc[(self.items["kind"] == kind) & (self.items["line"] == line), "d"].iloc[0])
            found = {}
            for action in review.actions_for(kind):
                if review.is_current(self.data, kind, line, action):
                    found[action] = None
                else:
                    found[action] = review.effect(self.result, score(review.after(self.data, kind, line, action)), d)
            self._previews[key] = found
        return self._previews[key]

    def _weights_text(self, effect: review.Effect) -> str:
        if not effect.weights:
            return self.w["weights_same"]
        return self.w["list_sep"].join(f"{i} {a:.2f}→{b:.2f}" for i, a, b in effect.weights)

    def _weights_html(self, effect: review.Effect) -> str:
        if not effect.weights:
            return _esc(self.w["weights_same"])
        return _esc(self.w["list_sep"]).join(
            f'<span style="white-space: nowrap">{_esc(i)} {a:.2f}→{b:.2f}</span>' for i, a, b in effect.weights
        )

    def _excellence_text(self, effect: review.Effect) -> str:
        w = self.w
        names = self.data.departments["name"].to_numpy()
        parts = []
        if effect.eligible[0] != effect.eligible[1]:
            parts.append(
                w["eligible"].format(
                    a=w["yes"] if effect.eligible[0] else w["no"], b=w["yes"] if effect.eligible[1] else w["no"]
                )
            )
        if effect.excellent is None:
            return w["list_sep"].join(parts + [w["no_excellence"]])
        if effect.excellent_added:
            parts.append(w["added"].format(names=w["names_sep"].join(names[k] for k in effect.excellent_added)))
        if effect.excellent_removed:
            parts.append(w["removed"].format(names=w["names_sep"].join(names[k] for k in effect.excellent_removed)))
        return w["list_sep"].join(parts) or w["excellence_same"]

    def _effect_text(self, effect: review.Effect) -> str:
        (t0, t1), (r0, r1) = effect.total, effect.rank
        return self.w["effect"].format(
            t0=f"{t0:.2f}",
            t1=f"{t1:.2f}",
            dt=signed(t1 - t0),
            r0=r0,
            r1=r1,
            move=_move(r0, r1),
            weights=self._weights_text(effect),
            excellence=self._excellence_text(effect),
        )

    def _show_item(self) -> None:
        w, row = self.w, self.selected
        buttons = (self.confirm_button, self.reject_button, self.severity_button)
        if row is None:
            self.item_html.value = f"<p>{_esc(w['empty'] if not self.item_list.options else w['pick'])}</p>"
            for button in buttons:
                button.disabled = True
            return
        kind, line, d = row["kind"], int(row["line"]), int(row["d"])
        dept = self.data.departments.iloc[d]
        scheme = self.data.scheme
        facts = [
            f"<b>{_esc(w['kinds'][kind])}</b> {_esc(w['line'].format(line=line))} · "
            f"{_esc(dept['dept_id'])} {_esc(dept['name'])}"
            f"{_esc(w['paren'].format(scheme.kind_name(dept['kind'], self.lang)))}"
        ]
        if kind == "incidents":
            facts.append(f"{_esc(row['date'])} · {_esc(w['severity'][row['severity']])} · {_esc(row['text'])}")
        else:
            facts.append(
                f"{_esc(w['indicator'])} {_esc(row['indicator'])} "
                f"{_esc(label(scheme.indicator(row['indicator']), self.lang))} · {_esc(row['text'])}"
            )
        ids = self.decided.get((f"{kind}.csv", line))
        state = w["decided_state"].format(ids=w["names_sep"].join(map(str, ids))) if ids else w["pending_state"]
        facts.append(
            f"{_esc(w['now'])}{w['colon']}{_esc(w['status'][kind][0 if row['counts'] else 1])} · {_esc(state)}"
        )

        head = "".join(
            f"<th>{_esc(w[k])}</th>" for k in ("decision", "total", "rank", "weights", "excellence", "others")
        )
        rows = []
        for action, effect in self.preview(kind, line).items():
            name = w["actions"][kind][action]
            if effect is None:
                rows.append(f"<tr><td>{_esc(name + w['current'])}</td><td colspan=5>{_esc(w['no_change'])}</td></tr>")
                continue
            (t0, t1), (r0, r1) = effect.total, effect.rank
            others = w["others_moved"].format(n=effect.others_moved) if effect.others_moved else w["others_none"]
            rows.append(
                f"<tr><td>{_esc(name)}</td><td>{t0:.2f} → {t1:.2f}{w['paren'].format(signed(t1 - t0))}</td>"
                f"<td>{r0} → {r1}{w['paren'].format(_move(r0, r1))}</td><td>{self._weights_html(effect)}</td>"
                f"<td>{_esc(self._excellence_text(effect))}</td><td>{_esc(others)}</td></tr>"
            )
        self.item_html.value = (
            "<br>".join(facts) + f'<table class="wf-table wf-preview"><thead><tr>{head}</tr>'
            f"</thead><tbody>{''.join(rows)}</tbody></table>"
        )
        self.confirm_button.description = w["actions"][kind]["confirm"]
        self.reject_button.description = w["actions"][kind]["reject"]
        other = self._other_severity()
        self.severity_button.layout.display = None if other else "none"
        if other:
            self.severity_button.description = w["actions"][kind][other]
        for button in buttons:
            button.disabled = bool(self.read_only)

    # -- summary and history ------------------------------------------------------
    def _show_summary(self) -> None:
        w = self.w
        pending = self.items[self.items["pending"]]
        parts = w["sep"].join(f"{w['kinds'][k]} {int((pending['kind'] == k).sum())}" for k in review.KINDS)
        text = w["summary"].format(
            n=len(pending), parts=parts, saved=self.saved_count, disputes=int((self.register["state"] == "open").sum())
        )
        if len(self.opened.total) != len(self.result.total):  # the departments changed on disk
            self.opened = self.result
        s = summary(self.opened, self.result)
        if s["moved"]:
            who = w["names_sep"].join(f"{n} {rank_move(m)}" for n, m in s["largest_who"][:3])
            text += w["summary_moved"].format(
                moved=s["moved"], up=s["up"], down=s["down"], largest=s["largest"], who=who
            )
        else:
            text += w["summary_none"]
        changed = [w["added"].format(names=w["names_sep"].join(s["excellent_added"]))] if s["excellent_added"] else []
        if s["excellent_removed"]:
            changed.append(w["removed"].format(names=w["names_sep"].join(s["excellent_removed"])))
        text += (
            w["excellence_changed"].format(parts=w["list_sep"].join(changed)) if changed else w["excellence_unchanged"]
        )
        self.summary_text = text
        self.summary_html.value = f"<p><b>{_esc(text)}</b></p>"

        moves = rank_changes(self.opened, self.result)
        moves = moves[(moves["move"] != 0) | (moves["change"].abs() > 1e-9)].head(MOVES_ROWS)
        if moves.empty:
            self.moves_html.value = ""
            return
        head = "".join(
            f"<th>{_esc(w[k])}</th>" for k in ("dept", "opened_rank", "now_rank", "move", "opened_total", "now_total")
        )
        body = "".join(
            f"<tr><td>{_esc(r.dept_id)} {_esc(r.name)}</td><td>{r.official_rank}</td><td>{r.rank}</td>"
            f"<td>{_move(r.official_rank, r.rank)}</td><td>{r.official_total:.2f}</td><td>{r.total:.2f}</td></tr>"
            for r in moves.itertuples()
        )
        self.moves_html.value = (
            f"<b>{_esc(w['moves'])}</b><table class='wf-table'><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )

    def _value_words(self, field: str, text: str) -> str:
        """A cell as the desk says it: 是/否 for true/false words, 一般/重大, numbers as they are."""
        w, low = self.w, str(text).strip().casefold()
        if not low:
            return w["empty_value"]
        if field == "confirmed" and low in TRUE_WORDS | FALSE_WORDS:
            return w["yes"] if low in TRUE_WORDS else w["no"]
        if field == "severity" and low in w["severity"]:
            return w["severity"][low]
        return str(text)

    def _comment(self, text: str) -> str:
        """The comments wfscore writes itself into decisions.csv, said in the desk's language."""
        w = self.w
        for pattern, key in COMMENTS:
            found = re.fullmatch(pattern, str(text), flags=re.S)
            if found:
                groups = found.groupdict()
                if "file" in groups:
                    groups["file"] = self._file_words(groups["file"])
                for part in ("replace", "new"):  # the optional parts of a collect's comment
                    if part in groups:
                        groups[part] = w[f"c_{part}"] if groups[part] else ""
                return w[key].format(**groups)
        return str(text)

    def _file_words(self, file: str) -> str:
        return self.w["kinds"].get(str(file).removesuffix(".csv"), file)

    def _entry_text(self, e) -> str:
        w = self.w
        if e["action"] == "restore":
            return (
                f"{e['id']} · {e['reviewer']} · {str(e['time'])[:19].replace('T', ' ')} · "
                f"{self._file_words(e['file'])} {w['restore_to'].format(version=e['new_value'])}"
            )
        if e["action"] == "collect":
            return (
                f"{e['id']} · {e['reviewer']} · {str(e['time'])[:19].replace('T', ' ')} · "
                f"{self._file_words(e['file'])} {w['collected']}"
            )
        field = w["fields"].get(e["field"], e["field"])
        old, new = self._value_words(e["field"], e["old_value"]), self._value_words(e["field"], e["new_value"])
        return (
            f"{e['id']} · {e['reviewer']} · {str(e['time'])[:19].replace('T', ' ')} · "
            f"{self._file_words(e['file'])} {w['line'].format(line=e['row'])} {e['dept_id']} {field} {old} → {new}"
        )

    def _show_history(self) -> None:
        w, log = self.w, self.entries
        last = log[log["status"] == "in force"]
        self.undo_html.value = (
            f"<span>{_esc(w['last_decision'].format(text=self._entry_text(last.iloc[-1])))}</span>"
            if len(last)
            else f"<span>{_esc(w['last_none'])}</span>"
        )
        versions = log[log["version"] != ""].iloc[::-1]
        options = [
            (
                w["version_label"].format(
                    version=v.version, id=v.id, file=self._file_words(v.file), action=w["action_names"][v.action]
                ),
                v.version,
            )
            for v in versions.itertuples()
        ]
        self.version_picker.options = options or [(w["no_versions"], "")]
        self.version_picker.value = options[0][1] if options else ""
        if log.empty:
            self.history_html.value = f"<p>{_esc(w['no_history'])}</p>"
            return
        recent = log.iloc[::-1].head(HISTORY_ROWS)
        rows = "".join(
            f"<tr><td>{_esc(w['action_names'][e['action']])}</td><td>{_esc(self._entry_text(e))}</td>"
            f"<td>{_esc(w['status_words'][e['status']])}</td><td>{_esc(self._comment(e['comment']))}</td></tr>"
            for _, e in recent.iterrows()
        )
        self.history_html.value = f"<b>{_esc(w['history'])}</b><table class='wf-table'><tbody>{rows}</tbody></table>"

    def _message(self, text: str, error: bool) -> None:
        self.message_text = text
        self.message_html.value = (
            f'<div class="{"wf-error" if error else "wf-done"}">{_esc(text)}</div>' if text else ""
        )

    # -- saving -----------------------------------------------------------------
    def _take(self, saved: Saved) -> Result:
        """Take in what a save wrote (the file's new bytes, as loading reads them);
        return the result before it."""
        before = self.result
        kind = saved.file.removesuffix(".csv")
        text, _, problem = decode(saved.raw, saved.file)
        frame, problems = parse_csv(text, kind, saved.file) if text is not None else (None, [problem])
        if frame is None or problems:
            raise InputError(problems, str(self.folder))
        self.data = rebuild(self.data, **{kind: frame})
        self.result = score(self.data)
        self.expected[saved.file] = saved.sha256
        self.seen = max(self.seen, int(saved.entry["id"]))
        self.saved_count += saved.entry["action"] == "decide"
        self._read_log()
        self.refresh()
        return before

    def _who(self, dept_id: str) -> str:
        names = dict(zip(self.data.dept_ids, self.data.departments["name"]))
        return f"{dept_id} {names.get(dept_id, '')}".strip()

    def _entry_line(self, key: str, entry: dict, before: Result) -> str:
        w = self.w
        kind = entry["file"].removesuffix(".csv")
        d = int(np.flatnonzero(self.data.dept_ids == entry["dept_id"])[0])
        effect = review.effect(before, self.result, d)
        return w[key].format(
            id=entry["id"],
            ref=entry["ref"],
            who=self._who(entry["dept_id"]),
            kind=w["kinds"].get(kind, kind),
            item=entry["item"],
            field=w["fields"].get(entry["field"], entry["field"]),
            old=self._value_words(entry["field"], entry["old_value"]),
            new=self._value_words(entry["field"], entry["new_value"]),
            effect=self._effect_text(effect),
        )

    def _saved(self, saved: Saved, key: str) -> None:
        try:
            before = self._take(saved)
        except InputError as exc:  # what is on disk now does not load: say so, keep the panel as it was
            self._message(self.w["reload_failed"].format(error=self._input_error(exc)), error=True)
            return
        if key == "restored":
            moved = int((before.total != self.result.total).sum())
            ranks = int((before.rank != self.result.rank).sum())
            text = self.w["restored"].format(
                file=self._file_words(saved.file),
                version=saved.entry["new_value"],
                moved=self.w["moved_n"].format(n=moved, m=ranks),
            )
        else:
            text = self._entry_line(key, saved.entry, before)
        self.last_text = text
        self.last_html.value = f'<div class="wf-done">{_esc(text)}</div>'
        self._message("", error=False)

    def _refuse(self, error) -> bool:
        text = error.in_lang(self.lang) if isinstance(error, DecisionError) else str(error)
        self._message(self.w["refused"].format(error=text), error=True)
        return False

    def _input_error(self, exc: InputError) -> str:
        if self.lang != "zh":
            return str(exc)
        return self.w["list_sep"].join(register.problem_zh(p) for p in (exc.errors or exc.problems))

    def decide(self, action: str, comment: str | None = None) -> bool:
        """Save ``action`` on the selected item; True if saved (False: the message says why)."""
        row = self.selected
        if row is None:
            return self._refuse(self.w["pick"])
        if self.read_only:
            return self._refuse(self.read_only)
        kind, line = row["kind"], int(row["line"])
        field, text = review.new_value(self.data, kind, line, action)
        file = f"{kind}.csv"
        try:
            saved = decisions.decide(
                self.folder,
                file,
                line,
                field,
                text,
                reviewer=self.reviewer,
                comment=(self.comment.value if comment is None else comment).strip(),
                expected_sha256=self.expected[file],
                seen=self.seen,
            )
        except DecisionError as exc:
            return self._refuse(exc)
        self.comment.value = ""
        self._saved(saved, "saved")
        return True

    def undo(self) -> bool:
        """Undo the last decision in force (its file back byte for byte); when it is an
        upheld dispute's, the dispute is open again."""
        if self.read_only:
            return self._refuse(self.read_only)
        live = self.entries[self.entries["status"] == "in force"]
        if len(live):
            mine = self.register[
                (self.register["state"] == "upheld") & (self.register["decision"] == str(live["id"].iloc[-1]))
            ]
            if len(mine):
                return self.undo_dispute(int(mine["id"].iloc[0]))
        try:
            saved = decisions.undo_last(
                self.folder,
                reviewer=self.reviewer,
                comment=self.comment.value.strip(),
                expected=self.expected,
                seen=self.seen,
            )
        except DecisionError as exc:
            return self._refuse(exc)
        self._saved(saved, "undone")
        return True

    def restore(self, version: str) -> bool:
        """Put back a version of a file (one of ``version_picker``'s)."""
        if self.read_only:
            return self._refuse(self.read_only)
        try:
            saved = decisions.restore(
                self.folder, version, reviewer=self.reviewer, comment=self.comment.value.strip(), expected=self.expected
            )
        except DecisionError as exc:
            return self._refuse(exc)
        self._saved(saved, "restored")
        return True

    def reload(self) -> bool:
        """Read the folder again (after a refusal: see what changed, then decide again).
        The ranking is still compared with the one when the panel was opened."""
        try:
            data = load_year(self.folder)
        except InputError as exc:
            self._message(self.w["reload_failed"].format(error=self._input_error(exc)), error=True)
            return False
        self.data, self.result, self.expected = data, score(data), dict(data.files)
        self._read_log(new_view=True)
        self.refresh()
        self._message(self.w["reloaded"].format(folder=self.folder), error=False)
        return True

    # -- disputes -----------------------------------------------------------------
    def _dispute_widgets(self) -> None:
        w = self.w
        style = {"description_width": "70px"}
        self.dispute_list = widgets.RadioButtons(
            options=[], layout=widgets.Layout(width="100%", height="260px", overflow="auto")
        ).add_class("wf-disputes")
        self.dispute_html = widgets.HTML().add_class("wf-dispute")
        self.corrected = widgets.Text(
            description=w["corrected"], style=style, continuous_update=False, layout=widgets.Layout(width="320px")
        ).add_class("wf-corrected")
        self.reply = widgets.Textarea(
            placeholder=w["reply_hint"], layout=widgets.Layout(width="100%", height="60px")
        ).add_class("wf-reply")
        self.uphold_button = widgets.Button(description=w["uphold"], button_style="success").add_class("wf-uphold")
        self.dismiss_button = widgets.Button(description=w["dismiss"], button_style="danger").add_class("wf-dismiss")
        self.undo_dispute_button = widgets.Button(description=w["undo_dispute"]).add_class("wf-undo-dispute")
        self.uphold_button.on_click(lambda _: self.uphold())
        self.dismiss_button.on_click(lambda _: self.reject_dispute())
        self.undo_dispute_button.on_click(
            lambda _: self.selected_dispute is not None and self.undo_dispute(int(self.selected_dispute["id"]))
        )
        self.dispute_list.observe(lambda _: None if self._holding else self._show_dispute(), "value")
        self.corrected.observe(lambda _: None if self._holding else self._show_dispute(), "value")

        names = self.data.departments.set_index("dept_id")["name"]
        self.new_dept = widgets.Dropdown(
            options=[(f"{d} {names[d]}", d) for d in self.data.dept_ids],
            description=w["dept"],
            style=style,
            layout=widgets.Layout(width="320px"),
        ).add_class("wf-new-dept")
        self.new_kind = widgets.Dropdown(
            options=[(w["dispute_kinds"][k], k) for k in register.KINDS],
            description=w["kind"],
            style=style,
            layout=widgets.Layout(width="220px"),
        ).add_class("wf-new-kind")
        self.new_indicator = widgets.Text(
            description=w["indicator"], style=style, layout=widgets.Layout(width="180px")
        ).add_class("wf-new-indicator")
        self.new_expert = widgets.Text(
            description=w["expert"], style=style, layout=widgets.Layout(width="180px")
        ).add_class("wf-new-expert")
        self.new_row = widgets.Text(
            description=w["row"], style=style, placeholder=w["row_hint"], layout=widgets.Layout(width="220px")
        ).add_class("wf-new-row")
        self.new_claim = widgets.Textarea(
            placeholder=w["claim_hint"], layout=widgets.Layout(width="100%", height="50px")
        ).add_class("wf-new-claim")
        self.new_evidence = widgets.Text(
            description=w["evidence"], style=style, placeholder=w["evidence_hint"], layout=widgets.Layout(width="100%")
        ).add_class("wf-new-evidence")
        self.open_button = widgets.Button(description=w["open_dispute"], icon="plus").add_class("wf-open-dispute")
        self.open_button.on_click(
            lambda _: self.open_dispute(
                self.new_dept.value,
                self.new_kind.value,
                claim=self.new_claim.value,
                evidence=self.new_evidence.value,
                indicator=self.new_indicator.value,
                expert=self.new_expert.value,
                row=self.new_row.value,
            )
        )
        form = widgets.VBox(
            [
                widgets.HTML(f"<b>{_esc(w['new_dispute'])}</b>"),
                widgets.HBox([self.new_dept, self.new_kind]),
                widgets.HBox([self.new_indicator, self.new_expert, self.new_row]),
                self.new_claim,
                self.new_evidence,
                self.open_button,
            ]
        ).add_class("wf-new-dispute")
        left = widgets.VBox([self.dispute_list, form], layout=widgets.Layout(flex="1 1 45%", min_width="0"))
        right = widgets.VBox(
            [
                self.dispute_html,
                self.corrected,
                self.reply,
                widgets.HBox([self.uphold_button, self.dismiss_button, self.undo_dispute_button]),
            ],
            layout=widgets.Layout(flex="1 1 55%", min_width="0"),
        )
        self.disputes_box = widgets.HBox([left, right])

        self.agreement_html = widgets.HTML().add_class("wf-agreement")
        self.far_picker = widgets.Dropdown(
            description=w["far_pick"], style={"description_width": "90px"}, layout=widgets.Layout(width="640px")
        ).add_class("wf-far")
        self.far_button = widgets.Button(description=w["far_open"]).add_class("wf-far-open")
        self.far_button.on_click(lambda _: self.far_picker.value and self.take_up_rating(self.far_picker.value))
        self.agreement_box = widgets.VBox([self.agreement_html, widgets.HBox([self.far_picker, self.far_button])])
        self._agreement_of = None

    def _read_register(self) -> None:
        try:
            self.register = register.read_register(self.folder)
            self.register_error = ""
            self.stale_disputes = set(register.undone_elsewhere(self.folder, self.register))
        except DecisionError as exc:
            self.register = register.read_register(self.folder / ".missing")  # empty, with the columns
            self.register_error = exc.in_lang(self.lang)
            self.stale_disputes = set()

    def _dispute_item(self, row) -> str:
        w = self.w
        if row["kind"] == "value":
            return w["item_value"].format(indicator=row["indicator"])
        if row["kind"] == "rating":
            return w["item_rating"].format(indicator=row["indicator"], expert=row["expert"])
        text = w["line"].format(line=row["row"])
        return f"{w['indicator']} {row['indicator']} {text}" if row["indicator"] else text

    def _dispute_label(self, row) -> str:
        w = self.w
        names = dict(zip(self.data.dept_ids, self.data.departments["name"]))
        mark = w["dispute_marks"][row["state"]]
        stale = w["dispute_stale"] if int(row["id"]) in self.stale_disputes else ""
        return (
            f"{mark}{stale} {w['dispute_no'].format(id=row['id'])}  {row['dept_id']} "
            f"{names.get(row['dept_id'], '')}  {w['dispute_kinds'][row['kind']]} {self._dispute_item(row)}"
            f"{w['colon']}{row['claim']}"
        )

    def _fill_disputes(self) -> None:
        options = [(self._dispute_label(row), int(row["id"])) for _, row in self.register.iterrows()]
        keep = self.dispute_list.value
        self._holding = True
        try:
            self.dispute_list.options = options
            values = [v for _, v in options]
            first_open = next((int(r["id"]) for _, r in self.register.iterrows() if r["state"] == "open"), None)
            self.dispute_list.value = keep if keep in values else (first_open or (values[0] if values else None))
        finally:
            self._holding = False
        self._show_dispute()

    @property
    def selected_dispute(self):
        """The selected dispute's row of ``register`` (None if there is none)."""
        value = getattr(self, "dispute_list", None) and self.dispute_list.value
        if value is None or not hasattr(self, "register"):
            return None
        found = self.register[self.register["id"] == int(value)]
        return found.iloc[0] if len(found) else None

    def select_dispute(self, ident: int) -> None:
        if int(ident) not in [v for _, v in self.dispute_list.options]:
            raise KeyError(f"{register.FILE} has no dispute {ident}")
        self.dispute_list.value = int(ident)

    def _current_cell(self, row) -> str:
        """What the disputed cell holds now, in words."""
        w = self.w
        table = self.data.tables[register.TABLE_OF[row["kind"]]]
        try:
            aim = register.target(self.data, row, None if row["kind"] in ("value", "rating") else "")
        except DecisionError:
            aim = None
        if row["kind"] in ("value", "rating"):
            try:
                line = register.table_line(self.data, row["kind"], row["dept_id"], row["indicator"], row["expert"], "")
            except DecisionError as exc:
                return exc.in_lang(self.lang)
            text = table.loc[line, row["kind"]]
            if row["kind"] == "rating":
                others = table[
                    (table["dept_id"] == row["dept_id"])
                    & (table["indicator"] == row["indicator"])
                    & (table.index != line)
                ]["rating"].astype(float)
                if len(others):
                    text += w["others_mean"].format(mean=f"{others.mean():.2f}", n=len(others))
            return text
        if aim is None:
            return ""
        found = self.items[(self.items["kind"] == aim.table) & (self.items["line"] == aim.line)]
        return w["status"][aim.table][0 if found["counts"].iloc[0] else 1] if len(found) else ""

    def preview_dispute(self, ident: int, corrected: str | None = None) -> review.Effect:
        """What upholding dispute ``ident`` with ``corrected`` would do (DecisionError if it cannot)."""
        row = self.register[self.register["id"] == int(ident)].iloc[0]
        return register.preview(self.data, self.result, row, corrected)[1]

    def _show_dispute(self) -> None:
        w, row = self.w, self.selected_dispute
        if row is None:
            note = f"<p class='wf-error'>{_esc(self.register_error)}</p>" if self.register_error else ""
            self.dispute_html.value = note + f"<p>{_esc(w['no_disputes'])}</p>"
            self._enable_disputes()
            return
        names = dict(zip(self.data.dept_ids, self.data.departments["name"]))
        facts = [
            f"<b>{_esc(w['dispute_no'].format(id=row['id']))}</b> · {_esc(row['dept_id'])} "
            f"{_esc(names.get(row['dept_id'], ''))} · {_esc(w['dispute_kinds'][row['kind']])} "
            f"{_esc(self._dispute_item(row))} · {_esc(w['dispute_states'][row['state']])}",
            f"{_esc(w['claim'])}{w['colon']}{_esc(row['claim'])}",
            f"{_esc(w['evidence'])}{w['colon']}{_esc(row['evidence'] or w['none'])}",
            f"{_esc(w['now'])}{w['colon']}{_esc(self._current_cell(row))}",
            f"{_esc(w['opened'])}{w['colon']}{_esc(row['opened'][:19].replace('T', ' '))}",
        ]
        if row["state"] != "open":
            facts.append(
                _esc(
                    w["decided_line"].format(
                        when=row["decided"][:19].replace("T", " "),
                        who=row["decided_by"],
                        reply=row["reply"],
                        corrected=self._value_words(
                            "confirmed" if row["kind"] in ("exemption", "achievement") else "", row["corrected"]
                        )
                        if row["corrected"]
                        else w["none"],
                    )
                )
            )
            self.dispute_html.value = "<br>".join(facts)
            self._enable_disputes()
            return
        self.corrected.placeholder = w["corrected_hint"][row["kind"]]
        try:
            effect = self.preview_dispute(int(row["id"]), self.corrected.value.strip() or None)
        except DecisionError as exc:
            preview = f"<p class='wf-hint'>{_esc(exc.in_lang(self.lang))}</p>"
        else:
            (t0, t1), (r0, r1) = effect.total, effect.rank
            others = w["others_moved"].format(n=effect.others_moved) if effect.others_moved else w["others_none"]
            head = "".join(f"<th>{_esc(w[k])}</th>" for k in ("total", "rank", "weights", "excellence", "others"))
            preview = (
                f"<b>{_esc(w['if_upheld'])}</b><table class='wf-table wf-dispute-preview'><thead><tr>{head}"
                f"</tr></thead><tbody><tr><td>{t0:.2f} → {t1:.2f}{w['paren'].format(signed(t1 - t0))}</td>"
                f"<td>{r0} → {r1}{w['paren'].format(_move(r0, r1))}</td><td>{self._weights_html(effect)}</td>"
                f"<td>{_esc(self._excellence_text(effect))}</td><td>{_esc(others)}</td></tr></tbody></table>"
            )
        self.dispute_html.value = "<br>".join(facts) + preview
        self._enable_disputes()

    def _enable_disputes(self) -> None:
        if hasattr(self, "entries") and hasattr(self, "far_picker") and hasattr(self, "undo_button"):
            self._enable()

    def open_dispute(
        self,
        dept_id: str,
        kind: str,
        *,
        claim: str,
        evidence: str = "",
        indicator: str = "",
        expert: str = "",
        row: str = "",
    ) -> bool:
        """Add a dispute to the register (open); True if added."""
        if self.read_only:
            return self._refuse(self.read_only)
        try:
            entry = register.open_dispute(
                self.folder,
                dept_id,
                kind,
                claim=claim,
                evidence=evidence,
                indicator=indicator,
                expert=expert,
                row=row,
                data=self.data,
            )
        except DecisionError as exc:
            return self._refuse(exc)
        self.new_claim.value = self.new_evidence.value = ""
        self._read_register()
        self._fill_disputes()
        self.select_dispute(entry["id"])
        self._show_summary()
        self.tabs.selected_index = 1
        self._message(self.w["dispute_opened"].format(id=entry["id"]), error=False)
        return True

    def uphold(self, ident: int | None = None, corrected: str | None = None, reply: str | None = None) -> bool:
        """Uphold the selected dispute (or ``ident``) with ``corrected`` (default: the
        box's) and ``reply``: the correction is saved as a decision; True if saved."""
        if self.read_only:
            return self._refuse(self.read_only)
        if ident is not None:
            self.select_dispute(ident)
        row = self.selected_dispute
        if row is None:
            return self._refuse(self.w["pick"])
        corrected = (self.corrected.value if corrected is None else corrected).strip() or None
        reply = self.reply.value if reply is None else reply
        try:
            aim = register.target(self.data, row, corrected)
            saved, _ = register.uphold(
                self.folder,
                int(row["id"]),
                corrected=corrected,
                reply=reply,
                reviewer=self.reviewer,
                data=self.data,
                expected_sha256=self.expected.get(aim.file),
                seen=self.seen,
            )
        except DecisionError as exc:
            return self._refuse(exc)
        self._clear_dispute_boxes()
        self._saved(saved, "upheld")
        return True

    def reject_dispute(self, ident: int | None = None, reply: str | None = None) -> bool:
        """Reject the selected dispute (or ``ident``) with ``reply``: only the register changes."""
        if self.read_only:
            return self._refuse(self.read_only)
        if ident is not None:
            self.select_dispute(ident)
        row = self.selected_dispute
        if row is None:
            return self._refuse(self.w["pick"])
        try:
            register.reject(
                self.folder, int(row["id"]), reply=self.reply.value if reply is None else reply, reviewer=self.reviewer
            )
        except DecisionError as exc:
            return self._refuse(exc)
        self._clear_dispute_boxes()
        self._read_register()
        self._fill_disputes()
        self._show_summary()
        text = self.w["dispute_rejected"].format(id=int(row["id"]), who=self._who(row["dept_id"]))
        self.last_text = text
        self.last_html.value = f'<div class="wf-done">{_esc(text)}</div>'
        self._message("", error=False)
        return True

    def undo_dispute(self, ident: int) -> bool:
        """Take back upheld dispute ``ident`` (its decision must be the last in force)."""
        if self.read_only:
            return self._refuse(self.read_only)
        try:
            saved, _ = register.undo(
                self.folder, int(ident), reviewer=self.reviewer, expected=self.expected, seen=self.seen
            )
        except DecisionError as exc:
            return self._refuse(exc)
        self._saved(saved, "undone")
        return True

    def _clear_dispute_boxes(self) -> None:
        self._holding = True
        try:
            self.corrected.value = ""
            self.reply.value = ""
        finally:
            self._holding = False

    # -- the experts' agreement ------------------------------------------------------
    def _show_agreement(self) -> None:
        ratings = self.data.tables.get("ratings")
        if self._agreement_of is ratings:
            return
        self._agreement_of = ratings
        w = self.w
        panel, experts, far = agreement.panel(self.data), agreement.experts(self.data), agreement.far_ratings(self.data)
        if panel.empty:
            self.agreement_html.value = f"<p>{_esc(w['no_ratings'])}</p>"
            self.far_picker.options = [(w["no_far"], "")]
            return
        biases = {
            k: w["list_sep"].join(f"{e.expert} {e.bias:+.1f}/{e.spread:.1f}" for e in part.itertuples())
            for k, part in experts.groupby("indicator")
        }
        head = "".join(f"<th>{_esc(h)}</th>" for h in w["agreement_columns"])
        body = "".join(
            f"<tr><td>{_esc(r.indicator)} {_esc(label(self.data.scheme.indicator(r.indicator), self.lang))}</td>"
            f"<td>{r.experts}</td><td>{r.departments}</td>"
            f"<td>{'–' if np.isnan(r.w) else f'{r.w:.3f}'}</td><td>{'–' if np.isnan(r.p) else f'{r.p:.3g}'}</td>"
            f"<td>{r.flagged}</td><td>{_esc(biases.get(r.indicator, ''))}</td></tr>"
            for r in panel.itertuples()
        )
        self.agreement_html.value = (
            f"<p>{_esc(w['agreement_note'].format(far=f'{agreement.FAR:g}'))}</p>"
            f"<table class='wf-table wf-agreement-table'><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )
        names = dict(zip(self.data.dept_ids, self.data.departments["name"]))
        options = [
            (
                w["far_label"].format(
                    dept=f"{r.dept_id} {names.get(r.dept_id, '')}",
                    indicator=r.indicator,
                    expert=r.expert,
                    rating=f"{r.rating:g}",
                    mean=f"{r.others_mean:.2f}",
                    dev=f"{r.deviation:+.1f}",
                ),
                int(r.line),
            )
            for r in far.head(FAR_ROWS).itertuples()
        ]
        self.far_picker.options = options or [(w["no_far"], "")]
        self.far_picker.value = options[0][1] if options else ""

    def take_up_rating(self, line: int) -> bool:
        """Open a dispute of the rating on ``line`` of ratings.csv (one the desk flagged)."""
        table = self.data.tables["ratings"]
        row = table.loc[int(line)]
        far = agreement.far_ratings(self.data)
        found = far[far["line"] == int(line)]
        dev = f"{found['deviation'].iloc[0]:+.1f}" if len(found) else ""
        return self.open_dispute(
            row["dept_id"],
            "rating",
            indicator=row["indicator"],
            expert=row["expert"],
            claim=self.w["far_claim"].format(dev=dev, far=f"{agreement.FAR:g}"),
            evidence=self.w["far_evidence"],
        )
