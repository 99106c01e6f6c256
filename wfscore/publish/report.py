"""The annual report: run the report notebook with papermill, convert it to HTML.

``wfscore report data/2011`` writes ``reports/2011/`` with

- ``report.ipynb``: the executed notebook (``notebooks/annual_report.ipynb``);
- ``report.html``: that notebook as one self-contained page, code hidden,
  pictures inlined, no script or style fetched from elsewhere;
- ``report.pdf``: the same page printed on A4 by chromium (:mod:`wfscore.publish.pdf`):
  page numbers, the ranking on landscape pages with its header repeated; the parts for
  checking (the notebook's cells tagged ``report-appendix``: adjustments, warnings,
  statistical audit, provenance) are left out of it and printed into ``附录.pdf``;
- ``results.xlsx``: the workbook the notebook writes (:mod:`wfscore.publish.tables`);
- ``通报.docx``: the results notice the office issues, an editable Word document
  (:mod:`wfscore.publish.notice`), and ``通报.pdf`` from it by LibreOffice
  (:mod:`wfscore.publish.office`; without LibreOffice, a note and the .docx alone);
- ``.wfscore-manifest.json``: the files above, so that a later run replaces the folder
  only when it holds nothing else (:mod:`wfscore.inputs.manifest`).

Without a browser (or with ``pdf=False``, ``--no-pdf``) everything but ``report.pdf``
is written; the browser is looked for before the work starts. So it is when the browser
fails to print the page (or takes longer than :func:`wfscore.publish.pdf.print_seconds`
allows): :attr:`Built.pdf_failed` says why.

The page embeds a WOFF2 subset of the bundled CJK font (:mod:`wfscore.publish.webfont`),
so it shows Chinese on a machine without Chinese fonts. A ``cards/`` folder
(``wfscore cards``) in the report's folder is kept when the report is built again.

Everything is built in a temporary folder beside the destination and moved into
place only when every step has succeeded (:func:`wfscore.inputs.output.staged_folder`), so
a failed run leaves the previous report as it was, and says which cell failed.

The notebook's first code cell calls :func:`open_year`, which checks the
parameters before anything is read. This module imports papermill and nbconvert
only when a report is built, so that the notebook's own kernel does not pay for
them.

Most of a report's time is Jupyter starting a kernel and the kernel importing
pandas and matplotlib. :func:`build` therefore starts the kernel first and has it
import the report's modules (:data:`WARM_UP`) while this process checks the
inputs, and prepares nbconvert while the kernel runs the cells: the two cores
work side by side (``benchmarks/bench_report.py`` measures it).
"""

from __future__ import annotations

import os
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from wfscore.engine.pipeline import score
from wfscore.engine.result import Result
from wfscore.inputs.loading import load_year
from wfscore.inputs.manifest import refusal, write_manifest
from wfscore.inputs.output import current_umask, inside, staged_folder
from wfscore.inputs.params import SAMPLE_YEAR, ParameterError, check_year, report_folder, year_folder
from wfscore.inputs.wording import LANGS
from wfscore.publish.pdf import Job, PdfError, chromium_path, print_pdfs
from wfscore.publish.webfont import PageFont

NOTEBOOK_NAME = "annual_report.ipynb"
OUTPUTS = ("report.html", "report.pdf", "附录.pdf", "report.ipynb", "results.xlsx", "通报.docx", "通报.pdf")
PDFS = ("report.pdf", "附录.pdf")  # the main report and its appendix (tables.APPENDIX_FILE)
KEPT = ("cards",)  # the feedback cards (wfscore cards) live in the report's folder and survive a new report
SHOWN = 5  # foreign files named in the message
HIDDEN_TAG = "report-hide"  # notebook cells with this tag stay out of the HTML
TEMPLATE = Path(__file__).parent / "templates" / "report.html.j2"


class ReportError(ParameterError):
    """The report could not be built; the message says why, and nothing was written."""


class UsageError(ReportError):
    """An option of the command is wrong (exit status 2)."""


# -- parameters ------------------------------------------------------------------------


def _path(value: object, name: str, problems: list[str]) -> Path | None:
    if not isinstance(value, (str, os.PathLike)):
        problems.append(f"{name} {value!r} is not a path (expected a folder name as text)")
        return None
    text = os.fspath(value)
    if not text.strip() or "\x00" in text or any(ord(ch) < 32 for ch in text):
        problems.append(f"{name} {text!r} is not a usable path (expected a folder name without control characters)")
        return None
    return Path(text).expanduser()


_CHOSEN_LATER = object()  # an out_dir that open_year picks once the year is known


def check_parameters(data_dir: object, year: object, out_dir: object, lang: object) -> tuple[Path, int, Path, str]:
    """Check the notebook's parameters before anything is read or written.

    ``data_dir`` must be an existing folder, ``year`` a plausible year, ``out_dir``
    a folder (existing or not) outside ``data_dir`` that is not a file, and
    ``lang`` one of ``zh``, ``en``. Raises :class:`ReportError` naming every
    problem; returns the parameters as ``(Path, int, Path, str)``.
    """
    problems: list[str] = []
    try:
        year = check_year(year)
    except ValueError as exc:
        problems.append(str(exc))
    if lang not in LANGS:
        problems.append(f"lang {lang!r} is not a report language (expected one of {', '.join(LANGS)})")
    data = _path(data_dir, "data_dir", problems)
    out = None if out_dir is _CHOSEN_LATER else _path(out_dir, "out_dir", problems)
    if data is not None:
        if not data.exists():
            problems.append(f"data_dir {str(data)!r} does not exist (expected a year's data folder, such as data/2011)")
        elif not data.is_dir():
            problems.append(
                f"data_dir {str(data)!r} is not a folder (expected a year's data folder, such as data/2011)"
            )
    if out is not None:
        _check_out_dir(out, data, problems)
    if problems:
        raise ReportError("; ".join(problems))
    return data, year, out, lang  # type: ignore[return-value]


def _check_out_dir(out: Path, data: Path | None, problems: list[str]) -> None:
    if out.exists() and not out.is_dir():
        problems.append(f"out_dir {str(out)!r} is a file (expected a folder for the report)")
    if data is not None and inside(out, data):
        problems.append(
            f"out_dir {str(out)!r} is inside data_dir {str(data)!r} (inputs are never "
            "written to; expected a folder such as reports/2011)"
        )


def open_year(data_dir: object = "", year: object = None, out_dir: object = "", lang: object = "zh") -> Result:
    """The notebook's first step: check the parameters, load and score the year.

    The year in ``scheme.yaml`` must be ``year``. Left empty (the notebook's defaults,
    for a run outside ``wfscore report``), ``data_dir`` is
    :func:`~wfscore.inputs.params.year_folder`'s (``WFSCORE_YEAR_DIR``, the current
    folder, a sample year), ``year`` (None) the scheme's, and ``out_dir``
    :func:`~wfscore.inputs.params.report_folder`'s (``reports/<year>``). Raises
    :class:`ReportError` for bad parameters and :class:`~wfscore.InputError` for bad inputs.
    """
    try:
        data_dir = year_folder(data_dir) if data_dir == "" else data_dir
    except ParameterError as exc:
        raise ReportError(str(exc)) from None
    auto_year, auto_out = year is None, out_dir == ""
    data, year, out, lang = check_parameters(
        data_dir, int(SAMPLE_YEAR) if auto_year else year, _CHOSEN_LATER if auto_out else out_dir, lang
    )
    loaded = load_year(data)
    if auto_year:
        year = loaded.year
    if auto_out:
        out, problems = report_folder(data, year), []
        _check_out_dir(out, data, problems)
        if problems:
            raise ReportError("; ".join(problems))
    if loaded.year != year:
        raise ReportError(
            f"year {year} was asked for, but {data / 'scheme.yaml'} is the scheme of "
            f"{loaded.year} (expected the same year)"
        )
    out.mkdir(parents=True, exist_ok=True)
    return score(loaded)


# -- building the report ---------------------------------------------------------------


def notebook_path() -> Path:
    """The report notebook: ``notebooks/annual_report.ipynb`` of the source tree (an
    editable install, as ``make venv`` makes), or the copy a wheel carries inside the
    package (``wfscore/notebooks/``)."""
    package = Path(__file__).resolve().parent.parent  # wfscore/
    for path in (package.parent / "notebooks" / NOTEBOOK_NAME, package / "notebooks" / NOTEBOOK_NAME):
        if path.is_file():
            return path
    raise ReportError(
        f"the report notebook {NOTEBOOK_NAME} is missing from {package.parent / 'notebooks'} "
        f"and {package / 'notebooks'} (reinstall wfscore)"
    )


def shown_files(names: list[str]) -> str:
    """A few of ``names`` for a message: the first :data:`SHOWN`, then an ellipsis."""
    return ", ".join(names[:SHOWN]) + (", …" if len(names) > SHOWN else "")


def check_browser() -> None:
    """:class:`ReportError` when there is no browser to print the PDF with."""
    try:
        chromium_path()
    except PdfError as exc:
        raise ReportError(str(exc)) from exc


def check_out(out: Path, data_dir: Path) -> Path:
    """The report folder is replaced as a whole: refuse one that holds anything the report
    did not write there (its manifest, :func:`wfscore.inputs.manifest.refusal`), the
    cards folder in it holding anything the cards did not write."""
    out = Path(out)
    why, others = refusal(out, data_dir, "report", dict.fromkeys(KEPT, "cards")) or ("", [])
    if why == "file":
        raise UsageError(f"--out {str(out)!r} is a file (expected a folder for the report)")
    if why == "foreign":
        raise UsageError(
            f"--out {str(out)!r} holds other files ({shown_files(others)}), which the report "
            "did not write; it replaces its folder as a whole and never deletes what it did not "
            "write (choose an empty or new folder, or the folder of a previous report)"
        )
    if why == "overlap":
        raise UsageError(
            f"--out {str(out)!r} overlaps the data folder {str(data_dir)!r} "
            "(expected a separate folder, such as reports/2011)"
        )
    return out


@dataclass(frozen=True)
class Built:
    """What :func:`build` wrote."""

    folder: Path
    year: int
    warnings: tuple
    outputs: tuple = OUTPUTS  # the files written: all of OUTPUTS, or all but the PDFs
    removed: tuple = ()  # kept folders left out: cards made for another result (cards.folder_result)
    notes: tuple = ()  # why a PDF was not made (PdfError): 通报.pdf without LibreOffice
    pdf_failed: str | None = None  # why a PDF, asked for, was not printed (the rest is written)


def _nbformat():
    """nbformat (papermill's and nbconvert's), imported without jsonschema's checker of the
    ``iri`` format when it is the first to import jsonschema: that checker's library
    (rfc3987_syntax) builds some forty parsers as it is imported, a second or more of the
    report's time, and no notebook schema uses the format. rfc3987_syntax is left out only
    while jsonschema is imported; it can be imported as usual afterwards."""
    if "nbformat" in sys.modules or "jsonschema" in sys.modules:
        import nbformat

        return nbformat
    left_out = "rfc3987_syntax" not in sys.modules
    if left_out:
        sys.modules["rfc3987_syntax"] = None  # an ImportError for jsonschema, which then goes without
    try:
        import nbformat
    finally:
        if left_out and sys.modules.get("rfc3987_syntax", False) is None:
            del sys.modules["rfc3987_syntax"]
    return nbformat


def _kernel_manager_class():
    """A kernel manager that always starts a kernel on this very Python (the one with
    wfscore), whatever kernelspecs the machine has, and keeps its log quiet."""
    from ipykernel.kernelspec import get_kernel_dict
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    class ThisPython(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            spec = get_kernel_dict(extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
            return KernelSpec(resource_dir="", **{k: v for k, v in spec.items() if k != "kernel_protocol_version"})

    class Manager(AsyncKernelManager):
        def _kernel_spec_manager_default(self):
            return ThisPython(data_dir=self.data_dir)

    return Manager


# Imports of the report's cells, run in the kernel as soon as it starts, while this
# process checks the inputs: plain imports, so the notebook's results cannot change.
WARM_UP = (
    "import wfscore.publish.report, wfscore.publish.tables, wfscore.publish.charts, wfscore.publish.year_report, "
    "matplotlib.figure, "
    "matplotlib.backends.backend_agg, pandas.io.formats.style, xlsxwriter"
)


class Kernel:
    """A kernel started early and warmed up, for :func:`execute`; stop it when done."""

    def __init__(self):
        from jupyter_client.blocking import BlockingKernelClient
        from jupyter_core.utils import run_sync

        self._run_sync = run_sync
        self.km = _kernel_manager_class()(kernel_name="python3")
        try:
            # no command history written to the user's home, as when nbclient starts a kernel
            run_sync(self.km.start_kernel)(extra_arguments=["--HistoryManager.hist_file=:memory:"])
        except Exception as exc:
            raise ReportError(
                f"could not start a Jupyter kernel on {sys.executable} ({exc}); is ipykernel "
                "installed? (`make venv` installs it)"
            ) from exc
        # a plain (blocking) client just to send the imports: papermill brings its own
        self._kc = BlockingKernelClient()
        self._kc.load_connection_info(self.km.get_connection_info())
        self._kc.start_channels(iopub=False, stdin=False, hb=False, control=False)  # only to send
        self._kc.execute(WARM_UP, silent=True, store_history=False)

    def stop(self) -> None:
        """Stop the kernel at once (every output is in); calling it again does nothing."""
        if self._kc.channels_running:
            self._kc.stop_channels()
        if self.km.has_kernel:
            self._run_sync(self.km.shutdown_kernel)(now=True)


def execute(
    notebook: Path, output: Path, parameters: dict, progress: bool = False, kernel: Kernel | None = None, on_cell=None
):
    """Run ``notebook`` with papermill into ``output`` (in ``kernel``, or a new one);
    ReportError naming the failed cell. ``on_cell`` is called after each code cell
    (nbclient's ``on_cell_executed`` hook), for a progress bar of one's own."""
    _nbformat()
    import papermill
    from papermill.exceptions import PapermillExecutionError

    hooks = {"on_cell_executed": on_cell} if on_cell is not None else {}
    where = (
        {"km": kernel.km}
        if kernel
        # every output is in and the workbook closed when the last cell ends: stop the
        # kernel at once rather than wait for a graceful exit of a process holding pandas
        else {"kernel_manager_class": _kernel_manager_class(), "shutdown_kernel": "immediate"}
    )
    try:
        return papermill.execute_notebook(
            str(notebook),
            str(output),
            parameters=parameters,
            progress_bar=progress,
            request_save_on_cell_execute=False,
            kernel_name="python3",
            **where,
            **hooks,
        )
    except PapermillExecutionError as exc:
        cell = " ".join(exc.source.split())
        cell = cell if len(cell) <= 80 else cell[:77] + "..."
        raise ReportError(
            f"the report notebook failed in cell In [{exc.exec_count}] ({cell}): {exc.ename}: {exc.evalue}"
        ) from exc


def html_exporter(lang: str = "zh"):
    """nbconvert's HTML exporter with the report template: code and prompts hidden, cells
    tagged ``report-hide`` left out, nothing fetched from elsewhere."""
    nbformat = _nbformat()
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="lab",
        template_file=str(TEMPLATE),
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        language_code=lang,
    )
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={HIDDEN_TAG}), enabled=True)
    exporter.from_notebook_node(nbformat.v4.new_notebook())  # compiles the templates now
    return exporter


def to_html(nb, lang: str = "zh", exporter=None) -> str:
    """The executed notebook as one self-contained HTML page."""
    body, _ = (exporter or html_exporter(lang)).from_notebook_node(nb)
    return body


def cells_of(notebook: Path) -> int:
    """The code cells of a notebook (papermill adds one, the parameters)."""
    nbformat = _nbformat()

    return sum(c.cell_type == "code" for c in nbformat.read(str(notebook), as_version=4).cells) + 1


def check_notice(params) -> None:
    """:class:`UsageError` for a notice parameter that is not plain text."""
    if params is None:
        return
    for name, text in (("--office", params.office), ("--doc-number", params.number), ("--notice-date", params.date)):
        if text is not None and (not text.strip() or any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in text)):
            raise UsageError(f"{name} {text!r} is not usable (expected plain text without control characters)")


def _notice(data, folder: Path, lang: str, params, convert: bool, steps) -> tuple[tuple, tuple]:
    """Write 通报.docx (and 通报.pdf) into ``folder``: the files written and the notes."""
    from wfscore.publish import notice, office

    steps.say("notice")
    result = score(data)
    notice.write(result, folder / notice.FILE_NAME, lang, params, notice.previous(result))
    steps.advance()
    if not convert:
        return (notice.FILE_NAME,), ()
    steps.say("notice_pdf")
    try:
        office.to_pdf(folder / notice.FILE_NAME, folder / notice.PDF_NAME)
    except PdfError as exc:
        return (notice.FILE_NAME,), (exc,)
    finally:
        steps.advance()
    return (notice.FILE_NAME, notice.PDF_NAME), ()


def build(
    data_dir: str | Path,
    out: str | Path | None = None,
    lang: str = "zh",
    progress: bool = False,
    notebook: Path | None = None,
    on_cell=None,
    pdf: bool = True,
    notice=None,
    notice_pdf: bool = True,
    lines: bool = False,
) -> Built:
    """Build the report of ``data_dir`` into ``out`` (default ``reports/<year>``); with
    ``pdf=False`` everything but ``report.pdf``. ``notice`` (a
    :class:`~wfscore.publish.notice.NoticeParams`) fills in the notice's office, 文号 and
    date; ``notice_pdf=False`` writes 通报.docx without 通报.pdf. ``progress`` draws a bar
    (on a terminal), ``lines`` says each step on a line instead.

    Raises :class:`~wfscore.InputError` when the inputs have errors and
    :class:`ReportError` for bad arguments, a failed cell, or no browser for the PDF
    (found out before any work); in every case nothing is written and a previous
    report in ``out`` is left as it was. No LibreOffice for 通报.pdf is not an error: the
    report is written with 通报.docx, and ``notes`` says why 通报.pdf is missing. A PDF
    that the browser fails to print is no error: the rest is written and
    :attr:`Built.pdf_failed` says why.
    """
    from wfscore.publish.progress import Progress

    if lang not in LANGS:
        raise UsageError(f"--lang {lang!r} is not a report language (expected one of {', '.join(LANGS)})")
    check_notice(notice)
    if pdf:
        check_browser()  # now, not after the work
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise ReportError(f"{str(data_dir)!r} is not a folder (expected a year's data folder, such as data/2011)")
    # The kernel starts (and imports what the cells need) on the other core while this
    # process checks the inputs; nbconvert gets ready, and the notice is written, while
    # the kernel runs the cells.
    kernel = Kernel()
    try:
        data = load_year(data_dir)  # InputError lists every problem; no cell runs
        year = check_year(data.year)
        out = check_out(Path(out) if out is not None else Path("reports") / str(year), data_dir)
        nb_file = notebook or notebook_path()
        cells = cells_of(nb_file)
        total = cells + 1 + pdf + 1 + notice_pdf
        with (
            Progress(total, "reports", bar=progress, lines=lines) as steps,
            ThreadPoolExecutor(3) as pool,
            staged_folder(out) as tmp,
        ):
            exporter = pool.submit(html_exporter, lang)
            tmp.chmod(0o777 & ~current_umask())  # a temporary folder is private; the report is not
            parameters = {
                "data_dir": str(data_dir.resolve()),
                "year": year,
                "out_dir": str(tmp.resolve()),
                "lang": lang,
            }

            def cell_done(*args, **kwargs):
                steps.advance()
                if on_cell is not None:
                    on_cell(*args, **kwargs)

            steps.say("notebook", n=cells)
            written = pool.submit(_notice, data, tmp, lang, notice, notice_pdf, steps)
            nb = execute(nb_file, tmp / "report.ipynb", parameters, False, kernel, cell_done)
            stopped = pool.submit(kernel.stop)  # while the page is converted
            steps.say("html")
            nb.metadata["title"] = _title(data.scheme, lang)
            # the CJK glyphs travel with the page: cut once, as TrueType for the browser that
            # prints the PDFs at once, and compressed as WOFF2 for report.html while they print
            font = PageFont(to_html(nb, lang, exporter.result()))
            page = pool.submit(font.published)
            _published_parameters(nb, tmp / "report.ipynb", data_dir, out, year, lang)
            steps.advance()
            pdf_failed = None
            if pdf:
                steps.say("pdf")
                try:
                    shrunk = shrink_charts(font.printing())
                    print_pdfs(
                        [Job(printed(shrunk, "main"), tmp / PDFS[0]), Job(printed(shrunk, "appendix"), tmp / PDFS[1])]
                    )
                except PdfError as exc:  # the page, the notebook and the workbook are still written
                    pdf_failed = str(exc)
                    for name in PDFS:
                        (tmp / name).unlink(missing_ok=True)
                steps.advance()
            (tmp / "report.html").write_text(page.result(), encoding="utf-8")
            stopped.result()
            notice_files, notes = written.result()
            write_manifest(tmp, "report", dict.fromkeys(KEPT, "cards"))
            removed = []
            for name in KEPT:  # last: the previous folder's cards move into the new one, if still true
                if (out / name).is_dir():
                    if _stale_cards(out / name, data):
                        removed.append(name)  # never stale: they go with the old folder
                        continue
                    os.replace(out / name, tmp / name)
            steps.close()
    finally:
        kernel.stop()
    printed_pdfs = pdf and pdf_failed is None
    outputs = tuple(
        n for n in OUTPUTS if (n not in PDFS or printed_pdfs) and (not n.startswith("通报") or n in notice_files)
    )
    return Built(
        folder=out,
        year=year,
        warnings=data.warnings,
        outputs=outputs,
        removed=tuple(removed),
        notes=notes,
        pdf_failed=pdf_failed,
    )


def _stale_cards(folder: Path, data) -> bool:
    """Whether the cards of ``folder`` were made for another result than ``data``'s (an
    upheld dispute, a corrected value since), or do not say for which."""
    from wfscore.publish.card_hash import folder_result, result_hash

    return folder_result(folder) != result_hash(score(data))


PRINT_PIXELS = 1600  # a chart's longest side on paper: about 170 dpi on an A4 page's height


def printed(page: str, part: str) -> str:
    """The page as one of its PDFs prints it: ``main`` (the report without the cells
    tagged ``report-appendix``) or ``appendix`` (those cells only); the template's print
    styles key on the class this puts on ``<html>``. The rows of a long table that
    :func:`wfscore.publish.tables.print_cut` marked are left out. Charts taller or wider than
    :data:`PRINT_PIXELS` (a chart of all 129 departments drawn at screen size) are scaled
    down to it, since chromium embeds every pixel."""
    page = re.sub(r"<html\b", f'<html class="wf-print-{part}"', page, count=1)
    from wfscore.publish.tables import PRINT_CUT, PRINT_CUT_END

    page = re.sub(re.escape(PRINT_CUT) + ".*?" + re.escape(PRINT_CUT_END), "", page, flags=re.S)
    return shrink_charts(page)


def shrink_charts(page: str) -> str:
    """``page`` with its charts scaled down to :data:`PRINT_PIXELS` as :func:`printed` does
    (those already as small are left as they are): done once for a page printed in two parts."""
    return _PNG.sub(_smaller_png, page)


_PNG = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")


def _smaller_png(match: re.Match) -> str:
    import base64
    import io

    from PIL import Image

    data = base64.b64decode(match.group(1))
    with Image.open(io.BytesIO(data)) as image:
        if max(image.size) <= PRINT_PIXELS:
            return match.group(0)
        scale = PRINT_PIXELS / max(image.size)
        small = image.convert("RGB").resize(
            (round(image.width * scale), round(image.height * scale)), Image.Resampling.BOX
        )
        # 64 colours (a chart has a few, and their anti-aliased edges): chromium stores the
        # pixels deflated, and fewer colours deflate to half
        small = small.quantize(64, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    small.save(buf, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _published_parameters(nb, path: Path, data_dir: Path, out: Path, year: int, lang: str) -> None:
    """Write the executed notebook with the parameters as the user gave them (the data
    folder relative to the project, the report folder), not the machine's absolute and
    temporary paths papermill ran with."""
    import nbformat

    from wfscore.publish.tables import shown_path

    shown = {"data_dir": shown_path(data_dir), "year": year, "out_dir": shown_path(out), "lang": lang}
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell.source = "# Parameters\n" + "\n".join(f"{k} = {v!r}" for k, v in shown.items()) + "\n"
    meta = nb.metadata.get("papermill")
    if meta is not None:
        meta["parameters"] = shown
        meta["input_path"] = NOTEBOOK_NAME
        meta["output_path"] = path.name
    nbformat.write(nb, str(path))


def _title(scheme, lang: str) -> str:
    from wfscore.publish.report_text import report_words

    name = scheme.title_en if lang == "en" and scheme.title_en else scheme.title
    return report_words(lang)["report_title"].format(title=name)
