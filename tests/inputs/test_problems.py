"""How a problem reads: where, what, expected."""

from wfscore.inputs.problems import InputError, Problem, error, warning


def test_problem_text():
    assert (
        str(
            error(
                "values.csv", "is not a number (expected a non-negative number)", line=48, column="value", value="abc"
            )
        )
        == "values.csv line 48, column value: 'abc' is not a number (expected a non-negative number)"
    )
    assert (
        str(error("book.xlsx, sheet values", "is empty (expected x)", line=3, column="value", value="", row_word="row"))
        == "book.xlsx, sheet values row 3, column value: '' is empty (expected x)"
    )
    assert (
        str(
            warning(
                "scheme.yaml", "is not a key wfscore knows; it is ignored", line=4, column="remark", column_word="key"
            )
        )
        == "scheme.yaml line 4, key remark: is not a key wfscore knows; it is ignored"
    )
    assert str(error("scheme.yaml", "is missing")) == "scheme.yaml: is missing"


def test_input_error_lists_errors_only():
    e = InputError([error("a.csv", "is bad", line=2), warning("b.csv", "is odd")], "data/2011")
    assert str(e) == "data/2011: 1 error\n  a.csv line 2: is bad"
    assert [p.source for p in e.errors] == ["a.csv"] and [p.source for p in e.warnings] == ["b.csv"]
    assert isinstance(e.problems[0], Problem)


def test_warnings_read_in_chinese_for_reports():
    import wfscore
    from helpers import TINY

    year = wfscore.load_year(TINY)
    assert all(p.message_zh for p in year.warnings)  # every warning has its Chinese
    texts = {p.message_in("zh") for p in year.warnings}
    assert (
        "中没有部门 D3（三号部）指标 i2（故障时长）的数据，计 0 分（应提供指标值、专家评分或经确认的不适用申请）"
        in texts
    )
    assert "的部门类别为 党的机关，不适用政务网站绩效评估，此行不计" in texts
    assert "是部门 D1 指标 i3 的数据，但该项按全市政务网站绩效评估计分，此数据不计" in texts
    assert {p.message_in("en") for p in year.warnings} == {p.message for p in year.warnings}
