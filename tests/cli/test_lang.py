"""The command line in Chinese and in English: help, argparse's own words, usage errors,
the messages of a command, and where the language comes from (--lang before or after the
command, WFSCORE_LANG, the locale; Chinese when nothing says). Every expected text here
is written by hand."""

from __future__ import annotations

import errno
import shutil
import unicodedata

import pytest

from helpers import SAMPLE, TINY, cli_env, run_cli
from wfscore.cli.common import argparse_zh, environment_lang, given_lang, os_error, wrap

LOCALE = ("LC_ALL", "LC_MESSAGES", "LANG")


def env(wfscore_lang: str | None = None, **locale: str) -> dict[str, str]:
    """An environment with only the given language settings (and 80 columns for the help)."""
    base = {k: v for k, v in cli_env(wfscore_lang).items() if k not in LOCALE}
    return {**base, "COLUMNS": "80", **locale}


@pytest.fixture
def broken(tmp_path):
    """The tiny year with one bad value (values.csv line 2, column value: 'abc')."""
    folder = tmp_path / "broken"
    shutil.copytree(TINY, folder)
    lines = (folder / "values.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1] == "D1,i2,2"
    lines[1] = "D1,i2,abc"
    (folder / "values.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


# -- help ----------------------------------------------------------------------------------


def test_main_help_in_chinese():
    done = run_cli("--help", env=env())
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[0] == "用法：wfscore [-h] [--version] [--lang {zh,en}] COMMAND ..."
    for line in (
        "选项：",
        "  -h, --help      显示本帮助并退出",
        "  --version       显示版本并退出",
        "命令：",
        "    validate      检查一个年度文件夹，列出全部错误和警告",
        "    score         为一个年度计分，结果写成 CSV",
    ):
        assert line in lines, line
    text = "".join(done.stdout.split())  # the language rule, whatever the wrapping
    assert "依次取环境变量WFSCORE_LANG（zh或en）" in text
    assert "options" not in done.stdout and "usage" not in done.stdout


def test_main_help_in_english():
    done = run_cli("--help", env=env("en"))
    lines = done.stdout.splitlines()
    assert lines[0] == "usage: wfscore [-h] [--version] [--lang {zh,en}] COMMAND ..."
    for line in (
        "options:",
        "  -h, --help      show this help message and exit",
        "  --version       show the version and exit",
        "commands:",
        "    validate      check a year's folder and print every error and warning",
    ):
        assert line in lines, line
    assert "the environment variable WFSCORE_LANG (zh or en)" in " ".join(done.stdout.split())
    assert "显示" not in done.stdout


def test_a_commands_help_in_both_languages():
    zh = run_cli("score", "--help", env=env()).stdout.splitlines()
    assert zh[0] == "用法：wfscore score [-h] --out FILE [--detail FILE] [--lang {zh,en}]"
    assert zh[1] == "                    [--encoding {utf-8-sig,utf-8,gb18030}]"  # aligned under 用法：
    for line in (
        "位置参数：",
        "  DIR                   年度数据文件夹，如 data/2011",
        "  --out FILE            结果 CSV，每个部门一行",
        "  --detail FILE         明细 CSV，每个部门每项指标一行",
    ):
        assert line in zh, line
    lines = run_cli("score", "--help", "--lang", "en", env=env("zh")).stdout.splitlines()
    assert lines[0] == "usage: wfscore score [-h] --out FILE [--detail FILE] [--lang {zh,en}]"
    for line in (
        "positional arguments:",
        "  DIR                   a year's data folder, e.g. data/2011",
        "  --out FILE            results CSV, one row per department",
    ):
        assert line in lines, line


def test_every_help_line_fits_80_columns_in_chinese():
    for command in ("", "score", "report", "sensitivity", "coherence", "disputes", "collect", "cards"):
        done = run_cli(*([command] if command else []), "--help", env=env())
        assert done.returncode == 0, command
        for line in done.stdout.splitlines():
            if line.startswith(("用法：", " ")) and "{" in line:
                continue  # usage lines and option names are argparse's, not wrapped text
            width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
            assert width <= 80, (command, line)


# -- usage errors ---------------------------------------------------------------------------


def test_a_missing_option_in_both_languages(tmp_path):
    zh = run_cli("score", TINY, env=env())
    assert zh.returncode == 2 and zh.stdout == ""
    assert zh.stderr.startswith("用法：wfscore score [-h]")
    assert zh.stderr.splitlines()[-1] == "wfscore score：错误：缺少必需的参数：--out"
    en = run_cli("score", TINY, env=env("en"))
    assert en.returncode == 2
    assert en.stderr.startswith("usage: wfscore score [-h]")
    assert en.stderr.splitlines()[-1] == "wfscore score: error: the following arguments are required: --out"


def test_bad_values_and_unknown_words_in_chinese():
    done = run_cli("sensitivity", TINY, "--samples", "abc", env=env())
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == "wfscore sensitivity：错误：参数 --samples：'abc' 不是整数"
    done = run_cli("score", TINY, "--out", "x.csv", "--lang", "fr", env=env())
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == "wfscore score：错误：参数 --lang：无效的选择 'fr'（可选：'zh', 'en'）"
    done = run_cli("scor", env=env())
    assert done.returncode == 2 and done.stderr.splitlines()[-1].startswith(
        "wfscore：错误：参数 COMMAND：无效的选择 'scor'（可选：'validate', 'score',"
    )
    done = run_cli("validate", TINY, "extra", env=env())
    assert done.returncode == 2 and done.stderr.splitlines()[-1] == "wfscore：错误：无法识别的参数：extra"
    done = run_cli("score", TINY, "--out", env=env())
    assert done.returncode == 2 and done.stderr.splitlines()[-1] == "wfscore score：错误：参数 --out：需要一个值"
    done = run_cli("score", TINY, "--out", env=env("en"))
    assert done.stderr.splitlines()[-1] == "wfscore score: error: argument --out: expected one argument"


def test_argparse_messages_in_chinese_carry_their_values():
    assert argparse_zh("argument --seed: invalid int value: '1.5'") == "参数 --seed：'1.5' 不是整数"
    assert argparse_zh("argument --redundancy: invalid float value: 'x'") == "参数 --redundancy：'x' 不是数字"
    assert argparse_zh("argument --experts: expected at least one argument") == "参数 --experts：至少需要一个值"
    assert (
        argparse_zh("ambiguous option: --re could match --redundancy, --reviewer")
        == "选项 --re 不明确，可能是 --redundancy, --reviewer"
    )
    assert argparse_zh("something argparse never says") == "something argparse never says"


# -- a command's messages -------------------------------------------------------------------


def test_validate_in_english_exactly_as_before(broken):
    done = run_cli("validate", broken, env=env("en"))
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "error: values.csv line 2, column value: 'abc' is not a number (expected a non-negative number)",
        "warning: website_eval.csv line 4, column dept_id: 'D3' is a department of kind party, which the website "
        "evaluation does not apply to; the row is ignored",
        f"{broken}: 1 error, 1 warning",
    ]


def test_validate_in_chinese(broken):
    done = run_cli("validate", broken, env=env())
    assert done.returncode == 1
    error, warning, total = done.stdout.splitlines()
    # file, line, column and the value quoted exactly; the words around them in Chinese
    assert error.startswith("错误：values.csv 第 2 行，value 列：'abc' ")
    assert warning.startswith("警告：website_eval.csv 第 4 行，dept_id 列：'D3' ")
    assert total == f"{broken}：共 1 个错误，1 个警告"


def test_score_on_a_broken_year_in_both_languages(broken, tmp_path):
    out = tmp_path / "r.csv"
    zh = run_cli("score", broken, "--out", out, env=env())
    assert zh.returncode == 1 and not out.exists()
    assert zh.stderr.splitlines()[-2:] == [f"{broken}：共 1 个错误，1 个警告", "未写出任何文件"]
    en = run_cli("score", broken, "--out", out, env=env("en"))
    assert en.stderr.splitlines()[-2:] == [f"{broken}: 1 error, 1 warning", "nothing was written"]


def test_score_says_what_it_wrote_in_both_languages(tmp_path):
    out = tmp_path / "r.csv"
    zh = run_cli("score", TINY, "--out", out, env=env())
    assert zh.returncode == 0
    assert zh.stderr.splitlines()[-1] == f"已为 {TINY} 的 7 个部门计分，写出 {out}"
    assert all(line.startswith("警告：") for line in zh.stderr.splitlines()[:-1])
    en = run_cli("score", TINY, "--out", out, env=env("en"))
    assert en.stderr.splitlines()[-1] == f"scored 7 departments of {TINY}: wrote {out}"


def test_a_commands_own_error_in_chinese():
    done = run_cli("explain", TINY, "D99", env=env())
    assert done.returncode == 1
    assert done.stderr == "错误：departments.csv 中没有部门 'D99'（应为 dept_id，例如 D1, D2, D3, D4, D5, D6, D7）\n"


def test_control_characters_stay_inert_in_chinese(tiny):
    (tiny / "values.csv").write_text("dept_id,indicator,value\nD1,i2,\x1b[2J\n", encoding="utf-8")
    done = run_cli("validate", tiny, env=env())
    assert done.returncode == 1
    assert "\x1b" not in done.stdout + done.stderr
    assert "错误：values.csv 第 2 行，value 列：'\\x1b[2J'" in done.stdout


def test_the_last_resort_line_of_a_system_error():
    exc = OSError(errno.ENOSPC, "No space left on device", "/srv/r.csv")
    assert os_error(exc, "en") == "error: No space left on device (/srv/r.csv); the command stopped"
    assert os_error(exc, "zh") == "错误：磁盘空间不足（/srv/r.csv）；命令已停止"


# -- where the language comes from ------------------------------------------------------------


def test_lang_before_and_after_the_command(broken):
    english = f"{broken}: 1 error, 1 warning"
    for args in (
        ("--lang", "en", "validate", broken),
        ("validate", broken, "--lang", "en"),
        ("--lang=en", "validate", broken),
        ("--lang", "zh", "validate", broken, "--lang", "en"),
    ):
        done = run_cli(*args, env=env("zh"))
        assert done.returncode == 1 and done.stdout.splitlines()[-1] == english, args
    done = run_cli("validate", broken, "--lang", "zh", env=env("en"))
    assert done.stdout.splitlines()[-1] == f"{broken}：共 1 个错误，1 个警告"


def test_the_default_from_wfscore_lang_and_the_locale(broken):
    english, chinese = f"{broken}: 1 error, 1 warning", f"{broken}：共 1 个错误，1 个警告"

    def last(environment):
        return run_cli("validate", broken, env=environment).stdout.splitlines()[-1]

    assert last(env()) == chinese  # nothing says: Chinese
    assert last(env("en")) == english
    assert last(env(LANG="en_US.UTF-8")) == english
    assert last(env(LANG="zh_CN.UTF-8")) == chinese
    assert last(env(LANG="de_DE.UTF-8")) == chinese
    assert last(env("zh", LANG="en_US.UTF-8")) == chinese  # WFSCORE_LANG before the locale
    assert last(env(LC_ALL="zh_CN.UTF-8", LANG="en_US.UTF-8")) == chinese  # LC_ALL before LANG
    assert last(env(LC_MESSAGES="en_GB.UTF-8", LANG="zh_CN.UTF-8")) == english
    odd = run_cli("validate", broken, env=env("fr", LANG="en_US.UTF-8"))
    assert odd.stdout.splitlines()[-1] == english
    assert "warning: the environment variable WFSCORE_LANG is 'fr' (expected zh or en); ignored" in odd.stderr


def test_the_locale_changes_messages_but_not_results():
    english = env(LANG="en_US.UTF-8")
    done = run_cli("explain", TINY, "D2", env=english)
    assert done.returncode == 0
    assert done.stdout.startswith("二号局（D2，政府机关）\n总分 95.50 / 150  名次 2")  # the result: Chinese
    done = run_cli("explain", TINY, "D99", env=english)  # a message: English
    assert done.stderr.startswith("error: no department 'D99' in departments.csv (expected a dept_id such as D1")
    done = run_cli("explain", TINY, "D2", "--lang", "en", env=env())
    assert "Total 95.50 / 150  Rank 2 (of 7 departments)" in done.stdout


def test_language_resolution_functions():
    assert given_lang(["validate", "d", "--lang", "en"]) == "en"
    assert given_lang(["--lang=zh", "validate"]) == "zh"
    assert given_lang(["--lang", "fr", "validate"]) is None
    assert given_lang(["--", "--lang", "en"]) is None
    assert environment_lang({}) == ("zh", None)
    assert environment_lang({"WFSCORE_LANG": "EN"}) == ("en", None)
    assert environment_lang({"LC_ALL": "C.UTF-8", "LANG": "en_US.UTF-8"}) == ("zh", None)
    assert environment_lang({"LC_ALL": "", "LANG": "en_US.UTF-8"}) == ("en", None)
    lang, note = environment_lang({"WFSCORE_LANG": "de"})
    assert lang == "zh" and note == "环境变量 WFSCORE_LANG 的值 'de' 无效（应为 zh 或 en），已忽略"


def test_wrapping_counts_a_chinese_character_as_two_columns():
    text = "每个部门一行写入 --out（名义名次、名次中位数、5–95% 区间），并打印名次变动最大的部门和敏感性指数。"
    lines = wrap(text, 20)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
        hanging = line.endswith(("，", "。", "）"))  # closing punctuation stays with what it closes
        assert width <= 20 or (hanging and width <= 22), line
        assert not line.startswith(("，", "。", "）")) and not line.endswith("（")


def test_what_the_library_prints_itself_follows_the_messages_language(monkeypatch):
    from wfscore.inputs.wording import BARS, bar_words, messages_lang, set_messages_lang

    assert set(BARS["zh"]) == set(BARS["en"])
    monkeypatch.delenv("WFSCORE_LANG", raising=False)
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    try:
        assert messages_lang() == "zh" and bar_words("forms") == {"desc": "生成报送表", "unit": "个文件"}
        monkeypatch.setenv("LANG", "en_GB.UTF-8")
        assert messages_lang() == "en" and bar_words("forms") == {"desc": "forms", "unit": "file"}
        set_messages_lang("zh")  # what wfscore --lang zh does: it wins over the locale
        assert messages_lang() == "zh"
        set_messages_lang(None)
        assert messages_lang() == "en"
        from wfscore.cli import main

        assert main(["--lang", "zh", "validate", str(SAMPLE)]) == 0
        assert messages_lang() == "en"  # a command run in this process left nothing set
    finally:
        set_messages_lang(None)


def test_a_command_s_progress_bar_speaks_its_lang(tmp_path):
    for lang, words in (("zh", "稳健性分析"), ("en", "robustness")):
        done = run_cli(
            "sensitivity", SAMPLE, "--samples", "300", "--progress", "--lang", lang, "--out", tmp_path / f"{lang}.csv"
        )
        assert done.returncode == 0, done.stderr
        assert f"{words}: 100%" in done.stderr
