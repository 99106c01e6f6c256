"""The words of the annual report and its workbook, in Chinese (default) and English.

Scheme names (sections, categories, indicators, kinds) come from ``scheme.yaml``;
the wording of the scoring itself (reasons, notes) from :mod:`wfscore.inputs.wording`.
This file holds only the report's headings, captions and sheet names.
"""

from __future__ import annotations

from wfscore.inputs.wording import LANGS

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "report_title": "{title} 年度报告",
        "synthetic": "注意：本报告所用数据为合成的示例数据（数据目录中有 SYNTHETIC 标记文件），"
        "并非真实考核结果，不代表任何部门的实际情况。",
        "headline": "总体情况",
        "departments": "参评部门",
        "mean": "平均分",
        "mean_of": "{mean}（满分 {points:g} 分）",
        "median": "中位数",
        "std": "标准差",
        "range": "最低分 – 最高分",
        "iqr": "四分位距",
        "excellent_count": "优秀部门",
        "ineligible_count": "取消评优资格",
        "out_of": "满分 {points:g} 分",
        "ranking": "排名",
        "ranking_note": "按总分由高到低排列；总分按 {precision} 位小数四舍五入后相同者并列。"
        "条形长度按各项满分比例显示。",
        "distributions": "各类指标得分分布",
        "distributions_note": "每个面板对应一类指标，纵轴为该类满分，便于比较；箱线图之外每个点是一个部门。",
        "composition": "各部门总分构成",
        "composition_note": "按总分排序，每段为一类指标的得分。",
        "by_kind": "按部门类别的总分",
        "adjustments": "调整记录",
        "adjustments_note": "缺少数据计 0 分、经确认不适用及权重调整、按网站绩效评估计分、"
        "安全事故清零、取消评优资格，逐条列出。",
        "adjustment_kind": "调整类型",
        "list_printed": "打印版只列出前 {shown} 个（共 {total} 个）；完整名单见 report.html 和 results.xlsx 的排名表。",
        "ranking_printed": "打印版只列出前 {shown} 名（共 {total} 个部门）；完整排名见 report.html 和 results.xlsx。",
        "adjustments_printed": "打印版只列出前 {shown} 行（共 {total} 行）；全部调整记录见 report.html 和 "
        "results.xlsx。",
        "website_merged": "按网站绩效评估计分的，每个部门合并为一行；逐项记录见 Excel 工作簿的“调整记录”表。",
        "rows": "条数",
        "departments_affected": "涉及部门",
        "warnings": "数据警告",
        "no_warnings": "没有数据警告。",
        "excellence": "优秀名单",
        "excellence_note": (
            "按方案规定比例 {share:.0%}（共 {n} 个名额，并列者同列），从具备评优资格的部门中按名次评定。"
        ),
        "no_excellence_rule": "本年度方案未规定优秀比例，不评定优秀。",
        "not_eligible": "取消评优资格的部门",
        "decisions": "本年度审核决定",
        "decisions_note": "调整审核台记录的决定（decisions.csv，现行有效者），按时间先后排列："
        "确认或不予确认的不适用申请、"
        "奖励成果，认定的安全事故及其性质。",
        "no_decisions": "本年度没有经审核台记录的决定（数据目录中没有 decisions.csv）。",
        "robustness": "排名稳健性",
        "robustness_note": "假如权重与规则的理解略有不同，名次会怎样变化？对各指标权重与各类分值在 ±{spread:.0%} "
        "内随机抽样"
        "（各部分总分不变），并随机选择不适用指标的处理方式、专家评分汇总方法和综合指数基数"
        "（最高值或第 95 百分位），共 {n:,} 次（随机种子 {seed}）。第一张图：圆点为名次中位数，"
        "横条为 5%–95% 区间，竖线为正式名次。第二张图：各因素对平均名次变动的敏感性指数"
        "（Saltelli 抽样、Jansen 估计，须线为 95% 自助法置信区间）。",
        "movers": "名次最不稳定的 10 个部门",
        "official_rank": "正式名次",
        "median_rank": "名次中位数",
        "interval": "5%–95% 区间",
        "p_excellent": "评为优秀的概率",
        "provenance": "数据来源与参数",
        "scheme_title": "考核方案",
        "year": "年度",
        "folder": "数据目录",
        "synthetic_flag": "合成数据",
        "version": "wfscore 版本",
        "libraries": "运行时的软件版本",
        "library": "软件",
        "library_version": "版本",
        "parameters": "参数",
        "inputs": "输入文件（SHA-256）",
        "file": "文件",
        "item": "项目",
        "base_percentile": "指数基数百分位",
        "source": "文件",
        "line": "行",
        "column": "列",
        "value_text": "值",
        "message": "说明",
        "severity": "级别",
        "severity_warning": "警告",
        "severity_error": "错误",
        "dept_id": "部门编号",
        "indicator_name": "指标名称",
        "category": "类别指标",
        "step": "步骤",
        "reason": "原因",
        "kind_count": "{kind}（{n}）",
        "points_axis": "得分",
        "total_axis": "总分",
        "workbook": "Excel 工作簿",
        "workbook_written": "已写入 {name}：{sheets}。",
        "sheet_ranking": "排名",
        "sheet_detail": "指标明细",
        "sheet_adjustments": "调整记录",
        "sheet_warnings": "数据警告",
        "sheet_about": "说明",
        "appendix": "附录",
        "appendix_where": "调整记录、数据警告、指标体系统计检验和数据来源（输入文件的散列值、软件版本）"
        "列于本报告之后的附录；"
        "打印版的正文为 report.pdf，附录另为 附录.pdf。",
        "appendix_note": "本附录供核对之用：调整记录、数据警告、指标体系统计检验、Excel 工作簿和数据来源。",
        "kind_missing_value": "缺少数据计 0 分",
        "kind_exemption": "经确认不适用",
        "kind_redistribution": "权重调整",
        "kind_section_exempt": "整部分不适用",
        "kind_website_evaluation": "按网站绩效评估计分",
        "kind_security_incident": "安全事故清零",
        "kind_disqualification": "取消评优资格",
        "none": "无",
    },
    "en": {
        "report_title": "{title}: annual report",
        "synthetic": "Note: this report is built from synthetic sample data (the data folder holds a "
        "SYNTHETIC flag file). It is not a real assessment and describes no real department.",
        "headline": "Headline figures",
        "departments": "Departments",
        "mean": "Mean",
        "mean_of": "{mean} (out of {points:g})",
        "median": "Median",
        "std": "Standard deviation",
        "range": "Lowest – highest",
        "iqr": "Interquartile range",
        "excellent_count": "Excellent",
        "ineligible_count": "Not eligible",
        "out_of": "out of {points:g}",
        "ranking": "Ranking",
        "ranking_note": "Highest total first; totals equal after rounding to {precision} decimals share a "
        "rank. Bars are drawn against each column's full points.",
        "distributions": "Score distributions by category",
        "distributions_note": "One panel per category, each scaled to the category's points so the panels "
        "compare; every dot is a department.",
        "composition": "Composition of every department's total",
        "composition_note": "Sorted by total; each segment is one category's score.",
        "by_kind": "Totals by kind of department",
        "adjustments": "Adjustment log",
        "adjustments_note": "Missing values scored 0, confirmed exemptions and redistributed weights, "
        "website evaluation overrides, zeroed security categories and disqualifications, "
        "one row each.",
        "adjustment_kind": "Adjustment",
        "list_printed": "The printed report lists the first {shown} of {total}; the full list is in report.html "
        "and in results.xlsx's ranking sheet.",
        "ranking_printed": "The printed report lists the first {shown} of {total} departments; the full "
        "ranking is in report.html and results.xlsx.",
        "adjustments_printed": "The printed appendix lists the first {shown} of {total} rows; every adjustment "
        "is in report.html and results.xlsx.",
        "website_merged": "Website-evaluation rows are merged into one row per department; the workbook's "
        "adjustments sheet lists each indicator.",
        "rows": "Rows",
        "departments_affected": "Departments",
        "warnings": "Data-quality warnings",
        "no_warnings": "No data-quality warnings.",
        "excellence": "Excellence list",
        "excellence_note": "The scheme's share of {share:.0%} ({n} places, ties included), awarded in rank "
        "order among eligible departments.",
        "no_excellence_rule": "This year's scheme sets no excellence share; no department is rated excellent.",
        "not_eligible": "Departments not eligible",
        "decisions": "Review decisions of the year",
        "decisions_note": "Decisions recorded by the adjustments desk (decisions.csv, those in force), oldest "
        "first: exemption requests and achievements confirmed or not, incidents that stand "
        "and their severity.",
        "no_decisions": "No decisions were recorded by the adjustments desk this year (no decisions.csv).",
        "robustness": "Robustness of the ranking",
        "robustness_note": "How would the ranks move if the weights and the readings of the rules were slightly "
        "different? Every indicator weight and category's points drawn within ±{spread:.0%} "
        "(section totals kept), and the treatment of non-applicable indicators, the "
        "aggregation of expert ratings and the composite-index base (maximum or 95th "
        "percentile) drawn at random: {n:,} samples (seed {seed}). First chart: the median "
        "rank as a dot, the 5–95% interval as a bar, the official rank as a tick. Second: "
        "each input's sensitivity index on the mean rank shift (Saltelli sampling, Jansen "
        "estimators, whiskers: 95% bootstrap intervals).",
        "movers": "The 10 departments whose rank moves most",
        "official_rank": "Official rank",
        "median_rank": "Median rank",
        "interval": "5–95% interval",
        "p_excellent": "P(excellent)",
        "provenance": "Provenance and parameters",
        "scheme_title": "Scheme",
        "year": "Year",
        "folder": "Data folder",
        "synthetic_flag": "Synthetic data",
        "version": "wfscore version",
        "libraries": "Versions it ran with",
        "library": "Software",
        "library_version": "Version",
        "parameters": "Parameters",
        "inputs": "Input files (SHA-256)",
        "file": "File",
        "item": "Item",
        "base_percentile": "Index base percentile",
        "source": "File",
        "line": "Line",
        "column": "Column",
        "value_text": "Value",
        "message": "Message",
        "severity": "Severity",
        "severity_warning": "warning",
        "severity_error": "error",
        "dept_id": "Dept id",
        "indicator_name": "Indicator name",
        "category": "Category",
        "step": "Step",
        "reason": "Reason",
        "kind_count": "{kind} ({n})",
        "points_axis": "Score",
        "total_axis": "Total",
        "workbook": "Excel workbook",
        "workbook_written": "Wrote {name}: {sheets}.",
        "sheet_ranking": "ranking",
        "sheet_detail": "detail",
        "sheet_adjustments": "adjustments",
        "sheet_warnings": "warnings",
        "sheet_about": "about",
        "appendix": "Appendix",
        "appendix_where": "The adjustment log, the data warnings, the statistical audit of the scheme and the "
        "provenance (input hashes, software versions) are in the appendix after this report; "
        "printed, the report is report.pdf and the appendix 附录.pdf.",
        "appendix_note": "For checking: the adjustment log, the data warnings, the statistical audit of the "
        "scheme, the Excel workbook and the provenance.",
        "kind_missing_value": "missing value scored 0",
        "kind_exemption": "confirmed exemption",
        "kind_redistribution": "redistributed weight",
        "kind_section_exempt": "whole section exempt",
        "kind_website_evaluation": "website evaluation",
        "kind_security_incident": "security category zeroed",
        "kind_disqualification": "disqualified",
        "none": "none",
    },
}


def report_words(lang: str) -> dict[str, str]:
    """The report's wording in ``lang`` (``zh`` or ``en``)."""
    if lang not in TEXT:
        raise ValueError(f"unknown language {lang!r} (expected one of {', '.join(LANGS)})")
    return TEXT[lang]
