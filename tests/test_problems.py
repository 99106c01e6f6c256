"""How a problem reads: where, what, expected."""

from wfscore.problems import InputError, Problem, error, warning


def test_problem_text():
    assert str(error("values.csv", "is not a number (expected a non-negative number)", line=48,
                     column="value", value="abc")) == \
        "values.csv line 48, column value: 'abc' is not a number (expected a non-negative number)"
    assert str(error("book.xlsx, sheet values", "is empty (expected x)", line=3, column="value", value="",
                     row_word="row")) == "book.xlsx, sheet values row 3, column value: '' is empty (expected x)"
    assert str(warning("scheme.yaml", "is not a key wfscore knows; it is ignored", line=4, column="remark",
                       column_word="key")) == "scheme.yaml line 4, key remark: is not a key wfscore knows; it is ignored"
    assert str(error("scheme.yaml", "is missing")) == "scheme.yaml: is missing"


def test_input_error_lists_errors_only():
    e = InputError([error("a.csv", "is bad", line=2), warning("b.csv", "is odd")], "data/2011")
    assert str(e) == "data/2011: 1 error\n  a.csv line 2: is bad"
    assert [p.source for p in e.errors] == ["a.csv"] and [p.source for p in e.warnings] == ["b.csv"]
    assert isinstance(e.problems[0], Problem)
