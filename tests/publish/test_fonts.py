"""The CJK font comes from the project's own dependencies and draws every glyph."""

import io
import warnings

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from wfscore.publish.fonts import font_path, use_cjk_font  # noqa: E402


def test_chinese_renders_without_missing_glyphs():
    assert font_path().is_file()
    assert use_cjk_font() == "Noto Sans CJK SC"
    fig = Figure()
    ax = fig.subplots()
    ax.bar(["市委办公室", "市总工会"], [1, -2], label="信息化工作体系")
    ax.set_title("标准化与信息安全保障：得分 −5")
    ax.legend()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s)" would raise
        fig.savefig(io.BytesIO(), format="png")
