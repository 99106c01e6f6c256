"""What a long command is doing: a progress bar on a terminal, plain lines elsewhere.

``wfscore report`` and ``wfscore cards`` take half a minute. On a terminal they draw a
tqdm bar (its words in the messages' language, :func:`wfscore.inputs.wording.bar_words`);
written to a file or a pipe (a log, a scheduled job) they say each step once, on a line
of its own, so that the log tells what was being done when something stopped.
"""

from __future__ import annotations

import sys

from wfscore.inputs.wording import bar_words, messages_lang

STEP_WORDS = {
    "zh": {
        "notebook": "正在运行报告 notebook（{n} 个单元格）",
        "html": "正在写出 report.html",
        "pdf": "正在打印 report.pdf",
        "notice": "正在写出通报.docx",
        "notice_pdf": "正在用 LibreOffice 将通报.docx 转换为通报.pdf",
        "cards": "正在生成 {n} 张反馈卡",
        "cards_pdf": "正在打印 {n} 张反馈卡的 PDF",
        "printed": "已打印 {done}/{n} 张反馈卡",
    },
    "en": {
        "notebook": "running the report notebook ({n} cells)",
        "html": "writing report.html",
        "pdf": "printing report.pdf",
        "notice": "writing 通报.docx (the results notice)",
        "notice_pdf": "converting 通报.docx to 通报.pdf with LibreOffice",
        "cards": "making {n} feedback cards",
        "cards_pdf": "printing the PDFs of {n} feedback cards",
        "printed": "printed {done} of {n} feedback cards",
    },
}
EVERY = 25  # without a terminal, a line for every so many cards printed


class Progress:
    """Steps of one long task: :meth:`say` names a step (a line without a terminal, the
    bar's description on one), :meth:`advance` counts work done. ``bar`` False and
    ``lines`` False: silent (the library's default, called from code)."""

    def __init__(self, total: int, what: str, bar: bool = False, lines: bool = False, stream=None, items: int = 0):
        self.stream = stream or sys.stderr
        self.lines = lines and not bar
        self.items, self._printed = items, 0  # the cards' PDFs to print, and printed
        self.words = STEP_WORDS[messages_lang()]
        self._bar = None
        if bar:
            from tqdm import tqdm

            self._bar = tqdm(total=total, file=self.stream, dynamic_ncols=True, **bar_words(what))

    def say(self, key: str, **values) -> None:
        text = self.words[key].format(**values)
        if self._bar is not None:
            self._bar.set_postfix_str(text, refresh=True)
        elif self.lines:
            print(text, file=self.stream, flush=True)

    def printed(self) -> None:
        """One more of the cards' PDFs printed: the bar moves; a line every :data:`EVERY`."""
        self._printed += 1
        self.advance()
        if self.lines and self._printed % EVERY == 0:
            print(self.words["printed"].format(done=self._printed, n=self.items), file=self.stream, flush=True)

    def advance(self, count: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(count)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.update(self._bar.total - self._bar.n)
            self._bar.close()
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.close()  # on an error: the bar stops where it was
            self._bar = None
