"""Every year's report and the trends report: ``wfscore report --all data/``.

**Which years.** The sub-folders of DIR named by a year (four digits: ``data/2011``,
``data/2012``, …). A folder with errors is not skipped quietly: it is reported as
failed, with every error.

**Where.** Each year goes to ``<out>/<year>/`` exactly as ``wfscore report`` writes
it (``report.html``, ``report.ipynb``, ``results.xlsx``); the trends report to
``<out>/trends/`` (``trends.html``, ``trends.ipynb``: ``notebooks/trends.ipynb``
run on the years). ``--out`` defaults to ``reports/``.

**How.** The years are built in parallel worker processes (``--jobs``, default the
number of CPUs), each year with its own kernel, by :func:`wfscore.publish.report.build`;
the trends report is queued after the years and starts as soon as a worker is
free. One progress bar (on a terminal) counts the notebook cells executed and the
pages converted, over all years and the trends report. Every year's folder is
replaced atomically, and only when its report succeeded, so a failed year leaves
its previous report as it was and takes nothing from the others. The trends
report covers the latest run of consecutive years whose data has no errors, when
it has at least two years (a year whose report failed for another reason, such as
a failing chart, is still in it).

**Exit status.** 0 when every year and the trends report were built; 1 when any
failed (each failure is named with its reason, and the others are still
written); 2 for a usage error (DIR not a folder or without year folders,
``--out`` overlapping DIR, a bad ``--jobs``).
"""

from __future__ import annotations

import multiprocessing
import os
import re
import sys
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from wfscore.inputs.manifest import foreign_files, write_manifest
from wfscore.inputs.output import current_umask, overlaps, staged_folder
from wfscore.inputs.params import ParameterError
from wfscore.inputs.problems import InputError
from wfscore.inputs.wording import bar_words
from wfscore.publish.report import (
    OUTPUTS,
    ReportError,
    UsageError,
    build,
    check_browser,
    check_out,
    execute,
    html_exporter,
    shown_files,
    to_html,
)

TRENDS_NOTEBOOK = "trends.ipynb"
TRENDS_OUTPUTS = ("trends.html", "trends.ipynb")
TRENDS_FOLDER = "trends"
YEAR_FOLDER = re.compile(r"[0-9]{4}")


@dataclass
class YearOutcome:
    """What happened to one year: built (``folder``), or failed (``reason`` and ``details``)."""

    year: int
    source: str
    folder: str | None = None
    warnings: int = 0
    reason: str | None = None
    details: list[str] = field(default_factory=list)
    pdf_failed: str | None = None  # built, but its PDF not printed: why

    @property
    def ok(self) -> bool:
        return self.reason is None


@dataclass
class AllBuilt:
    """What :func:`build_all` did: one outcome per year, and the trends report's."""

    years: list[YearOutcome]
    trends_years: tuple[int, ...] = ()
    trends_folder: Path | None = None
    trends_failure: str | None = None
    trends_skipped: str | None = None

    @property
    def ok(self) -> bool:
        return all(y.ok for y in self.years) and self.trends_failure is None


def year_folders(root: Path) -> list[Path]:
    """The sub-folders of ``root`` named by a year, oldest first."""
    return sorted(
        (p for p in Path(root).iterdir() if p.is_dir() and YEAR_FOLDER.fullmatch(p.name)), key=lambda p: int(p.name)
    )


def trends_notebook() -> Path:
    from wfscore.publish.report import notebook_path

    path = notebook_path().parent / TRENDS_NOTEBOOK
    if not path.is_file():
        raise ReportError(
            f"the trends notebook {path} is missing (expected wfscore installed editable from "
            "its source tree, as `make venv` does)"
        )
    return path


def latest_run(years: list[int]) -> tuple[int, ...]:
    """The latest run of consecutive years among ``years``."""
    run: list[int] = []
    for year in sorted(years):
        run = run + [year] if run and year == run[-1] + 1 else [year]
    return tuple(run)


def cells_of(notebook: Path) -> int:
    """The code cells papermill executes: the notebook's, plus the parameters it injects."""
    import nbformat

    return sum(c.cell_type == "code" for c in nbformat.read(notebook, as_version=4).cells) + 1


# -- one year, in a worker process -----------------------------------------------------------------------

_events = None  # the queue a worker reports executed cells on


def _start_worker(queue) -> None:
    global _events
    _events = queue


def _build_year(folder: str, out: str, lang: str, pdf: bool = True) -> YearOutcome:
    year = int(Path(folder).name)

    def tick(**_) -> None:
        _events.put(folder)

    try:
        built = build(folder, out, lang=lang, on_cell=tick if _events is not None else None, pdf=pdf)
    except InputError as exc:
        errors = exc.errors
        return YearOutcome(
            year,
            folder,
            reason=f"{len(errors)} error{'s' * (len(errors) != 1)} in the inputs; no cell was run",
            details=[str(p) for p in errors],
        )
    except ReportError as exc:
        return YearOutcome(year, folder, reason=str(exc))
    except Exception as exc:  # anything else still names the year, and the other years go on
        return YearOutcome(year, folder, reason=f"{type(exc).__name__}: {exc}")
    return YearOutcome(
        year, folder, folder=str(built.folder), warnings=len(built.warnings), pdf_failed=built.pdf_failed
    )


def _drain(queue) -> list[str]:
    """Every event waiting on ``queue`` now, without blocking."""
    import queue as queues

    found = []
    while True:
        try:
            found.append(queue.get_nowait())
        except queues.Empty:
            return found


# -- the trends report ------------------------------------------------------------------------------------


def check_trends_out(out: Path, data_root: Path) -> Path:
    """The trends folder is replaced as a whole: refuse one that holds anything the trends
    report did not write there (its manifest, :mod:`wfscore.inputs.manifest`)."""
    out = Path(out)
    if out.exists():
        others = foreign_files(out, "trends") if out.is_dir() else [out.name]
        if others:
            raise UsageError(
                f"{str(out)!r} holds other files ({shown_files(others)}), which the trends report did "
                "not write; it replaces its folder as a whole and never deletes what it did not write "
                "(choose an empty or new folder, or the folder of a previous trends report)"
            )
    if overlaps(out, data_root):
        raise UsageError(f"{str(out)!r} overlaps the data folder {str(data_root)!r} (expected a separate folder)")
    return out


def build_trends(
    data_root: str | Path,
    years,
    out: str | Path,
    lang: str = "zh",
    progress: bool = False,
    on_cell=None,
    notebook: Path | None = None,
) -> Path:
    """Run the trends notebook on ``years`` of ``data_root`` into ``out`` (trends.html,
    trends.ipynb), replacing it only when every step succeeded. Raises
    :class:`~wfscore.publish.report.ReportError` naming the failed cell."""
    from wfscore.publish.year_report import year_words

    data_root = Path(data_root)
    out = check_trends_out(Path(out), data_root)
    nb_file = notebook or trends_notebook()
    years = [int(y) for y in years]
    with staged_folder(out) as tmp:
        tmp.chmod(0o777 & ~current_umask())
        parameters = {"data_root": str(data_root.resolve()), "years": years, "lang": lang}
        try:
            nb = execute(nb_file, tmp / "trends.ipynb", parameters, progress, on_cell=on_cell)
        except ReportError as exc:
            raise ReportError(str(exc).replace("the report notebook", "the trends notebook", 1)) from exc
        nb.metadata["title"] = year_words(lang)["trends_title"].format(first=years[0], last=years[-1])
        (tmp / "trends.html").write_text(to_html(nb, lang, html_exporter(lang)), encoding="utf-8")
        write_manifest(tmp, "trends")
    return out


# -- every year ----------------------------------------------------------------------------------------------


@dataclass
class TrendsOutcome:
    """What happened to the trends report: built for ``years`` into ``folder``, or why not."""

    years: tuple[int, ...] = ()
    folder: str | None = None
    failure: str | None = None
    skipped: str | None = None


def _build_trends_task(data_root: str, folders: list[str], out: str, lang: str) -> TrendsOutcome:
    """In a worker: the years whose data has no errors, their latest consecutive run, its report."""
    from wfscore.inputs.loading import validate

    def tick(**_) -> None:
        _events.put(TRENDS_FOLDER)

    if len(folders) < 2:
        return TrendsOutcome(skipped="not built: there is only one year")
    good = [int(Path(f).name) for f in folders if not any(p.is_error for p in validate(f))]
    run = latest_run(good)
    if len(run) < 2:
        return TrendsOutcome(
            failure="not built: it needs two consecutive years whose data has no errors "
            f"(without errors: {', '.join(map(str, good)) or 'none'})"
        )
    try:
        folder = build_trends(data_root, run, out, lang, on_cell=tick if _events is not None else None)
    except (ParameterError, InputError, ValueError) as exc:
        return TrendsOutcome(run, failure=str(exc))
    except Exception as exc:
        return TrendsOutcome(run, failure=f"{type(exc).__name__}: {exc}")
    return TrendsOutcome(run, folder=str(folder))


def build_all(
    data_root: str | Path,
    out: str | Path | None = None,
    lang: str = "zh",
    jobs: int | None = None,
    progress: bool = False,
    pdf: bool = True,
) -> AllBuilt:
    """Build every year folder's report and the trends report in parallel (see the
    module's notes). Raises :class:`~wfscore.publish.report.UsageError` for bad arguments;
    a failing year is an outcome, not an exception."""
    from tqdm import tqdm

    from wfscore.inputs.wording import LANGS
    from wfscore.publish.report import notebook_path

    if lang not in LANGS:
        raise UsageError(f"--lang {lang!r} is not a report language (expected one of {', '.join(LANGS)})")
    data_root = Path(data_root)
    if not data_root.is_dir():
        raise UsageError(
            f"{str(data_root)!r} is not a folder (expected the folder holding one folder per year, such as data)"
        )
    folders = year_folders(data_root)
    if not folders:
        raise UsageError(
            f"{str(data_root)!r} has no year folders (expected folders named by the year, such as {data_root / '2011'})"
        )
    out = Path(out) if out is not None else Path("reports")
    if overlaps(out, data_root):
        raise UsageError(
            f"--out {str(out)!r} overlaps the data folder {str(data_root)!r} (expected a separate "
            "folder, such as reports)"
        )
    if pdf:
        check_browser()  # now, not in every worker after its work
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    if jobs < 1:
        raise UsageError(f"--jobs {jobs} is not a number of processes (expected 1 or more)")
    for folder in folders:  # every folder before any work: a refused one is a usage error, not a failed year
        check_out(out / folder.name, folder)
    check_trends_out(out / TRENDS_FOLDER, data_root)
    jobs = min(jobs, len(folders) + 1)

    # steps of the bar: each notebook's cells and its page, for every year and the trends
    steps = {str(f): cells_of(notebook_path()) + 1 for f in folders}
    steps[TRENDS_FOLDER] = cells_of(trends_notebook()) + 1
    done = dict.fromkeys(steps, 0)
    outcomes: dict[str, YearOutcome] = {}
    trends = TrendsOutcome()
    with tqdm(
        total=sum(steps.values()), disable=not progress, file=sys.stderr, **bar_words("reports"), dynamic_ncols=True
    ) as bar:

        def advance(key: str, count: int = 1) -> None:
            count = min(count, steps[key] - done[key])
            if count > 0:
                done[key] += count
                bar.update(count)

        ctx = multiprocessing.get_context("spawn")
        queue = ctx.Queue()
        with ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_start_worker, initargs=(queue,)) as pool:
            futures = {pool.submit(_build_year, str(f), str(out / f.name), lang, pdf): str(f) for f in folders}
            # queued last: it starts as soon as a worker is free, beside the last years
            futures[
                pool.submit(
                    _build_trends_task, str(data_root), [str(f) for f in folders], str(out / TRENDS_FOLDER), lang
                )
            ] = TRENDS_FOLDER
            pending = set(futures)
            while pending:
                finished, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                for key in _drain(queue):
                    advance(key)
                for future in finished:
                    key = futures[future]
                    try:
                        found = future.result()
                    except BrokenProcessPool as exc:
                        reason = f"its worker process stopped unexpectedly ({exc})"
                        found = (
                            TrendsOutcome(failure=reason)
                            if key == TRENDS_FOLDER
                            else YearOutcome(int(Path(key).name), key, reason=reason)
                        )
                    if key == TRENDS_FOLDER:
                        trends = found
                    else:
                        outcomes[key] = found
                    advance(key, steps[key])
        queue.close()
        bar.update(bar.total - bar.n)
    return AllBuilt(
        [outcomes[str(f)] for f in folders],
        trends.years,
        Path(trends.folder) if trends.folder else None,
        trends.failure,
        trends.skipped,
    )


__all__ = [
    "build_all",
    "build_trends",
    "year_folders",
    "latest_run",
    "AllBuilt",
    "YearOutcome",
    "TrendsOutcome",
    "OUTPUTS",
]
