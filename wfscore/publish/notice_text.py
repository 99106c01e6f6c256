"""The words of the results notice (通报), in Chinese and English (:mod:`wfscore.publish.notice`).

Placeholders the office fills in are written ×× (Chinese) as the office's own drafts do.
"""

from __future__ import annotations

NOTICE_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "office": "××市信息化工作领导小组办公室",
        "office_heading": "{office}文件",
        "number": "×信办〔{year}〕×号",
        "date": "{year}年×月×日",
        "addressees": "市直各部门（单位）：",
        "title": "关于{year}年度市直部门信息化工作绩效考核结果的通报",
        "synthetic": "（注意：本通报所用数据为合成的示例数据，并非真实考核结果。）",
        "opening": "根据《{scheme}》，{office}对{n}个市直部门（单位）{year}年度信息化工作绩效进行了考核。"
        "现将考核结果通报如下：",
        "h_overall": "一、总体情况",
        "h_scores": "（一）得分情况",
        "scheme_points": "考核实行{total}分制，其中{parts}。",
        "scheme_part": "{name}{points}分",
        "scores": "{n}个部门（单位）平均得分{mean}分，最高{max}分（{best}），最低{min}分，最高与最低相差{spread}分；"
        "半数部门（单位）得分在{median}分以上。",
        "excellent_count": "按得分排名前{share}%确定优秀等次，{n}个部门（单位）考核结果为优秀。",
        "no_excellence": "本年度考核不设优秀等次。",
        "lost_count": "{n}个部门（单位）因发生重大网络与信息安全事故，取消评优资格。",
        "lost_none": "没有部门（单位）被取消评优资格。",
        "zeroed_count": "{n}个部门（单位）发生信息安全事故，“{category}”考核不得分。",
        "h_change": "（二）与{before}年度比较",
        "change_mean": (
            "与{before}年度（{n_before}个部门（单位）参加考核）相比，平均得分由{mean_before}分{way}至{mean}分。"
        ),
        "up": "提高",
        "down": "降低",
        "same": "持平",
        "change_same_mean": "与{before}年度（{n_before}个部门（单位）参加考核）相比，平均得分持平，为{mean}分。",
        "risers": "名次上升较多的有：{items}。",
        "fallers": "名次下降较多的有：{items}。",
        "mover": "{name}（由第{before}名升至第{now}名）",
        "faller": "{name}（由第{before}名降至第{now}名）",
        "h_excellent": "二、考核结果为优秀的部门（单位）",
        "excellent_list": "{items}（按名次排列，共{n}个）。",
        "h_lost": "三、取消评优资格的部门（单位）",
        "lost_item": "{name}（{dates}发生重大网络与信息安全事故）",
        "lost_list": "{items}。",
        "none": "无。",
        "h_use": "四、考核结果运用",
        "use_converted": "考核结果按{points}分折算（折算得分＝总分×{points}÷{total}），纳入市委、"
        "市政府对市直部门（单位）"
        "的年度工作综合考核。",
        "use_plain": "考核结果纳入市委、市政府对市直部门（单位）的年度工作综合考核。",
        "attachment_note": "附件：{year}年度市直部门信息化工作绩效考核结果",
        "attachment": "附件",
        "attachment_title": "{year}年度市直部门信息化工作绩效考核结果",
        "rank": "名次",
        "department": "部门（单位）",
        "kind": "类别",
        "total": "总分",
        "converted": "折算得分",
        "marks": "注：★为考核结果优秀；△为取消评优资格。",
        "excellent_mark": "★",
        "lost_mark": "△",
        "sep": "、",
        "dates_sep": "、",
    },
    "en": {
        "office": "Office of the ×× Municipal Leading Group for Informatization",
        "office_heading": "{office}",
        "number": "×× [{year}] No. ×",
        "date": "×× ××, {year}",
        "addressees": "To all municipal departments and units:",
        "title": "Notice on the Results of the {year} Informatization Performance Assessment of Municipal Departments",
        "synthetic": "(Note: this notice is built from synthetic sample data, not real assessment results.)",
        "opening": "Under the scheme \u201c{scheme}\u201d, {office} assessed the {year} informatization work of {n} "
        "municipal departments and units. The results are as follows.",
        "h_overall": "1. Overall results",
        "h_scores": "(1) Scores",
        "scheme_points": "The assessment is out of {total} points: {parts}.",
        "scheme_part": "{name} {points}",
        "scores": "The {n} departments scored {mean} points on average, the highest {max} ({best}), the lowest "
        "{min}, a spread of {spread} points; half of them scored {median} or more.",
        "excellent_count": "The top {share}% by score are rated excellent: {n} departments.",
        "no_excellence": "This year's scheme has no rating of excellent.",
        "lost_count": "{n} departments lost eligibility for the excellent rating after a major network or "
        "information security incident.",
        "lost_none": "No department lost eligibility for the excellent rating.",
        "zeroed_count": "{n} departments had an information security incident and score nothing on "
        "\u201c{category}\u201d.",
        "h_change": "(2) Compared with {before}",
        "change_mean": "Compared with {before} ({n_before} departments assessed), the average score went {way} from "
        "{mean_before} to {mean}.",
        "up": "up",
        "down": "down",
        "same": "unchanged",
        "change_same_mean": "Compared with {before} ({n_before} departments assessed), the average score is "
        "unchanged at {mean}.",
        "risers": "Rising most in rank: {items}.",
        "fallers": "Falling most in rank: {items}.",
        "mover": "{name} (from {before} to {now})",
        "faller": "{name} (from {before} to {now})",
        "h_excellent": "2. Departments rated excellent",
        "excellent_list": "{items} ({n} in all, in rank order).",
        "h_lost": "3. Departments that lost eligibility for the excellent rating",
        "lost_item": "{name} (a major network or information security incident on {dates})",
        "lost_list": "{items}.",
        "none": "None.",
        "h_use": "4. Use of the results",
        "use_converted": "The results are converted to {points} points (converted score = total × {points} ÷ "
        "{total}) and enter the annual comprehensive assessment of municipal departments.",
        "use_plain": "The results enter the annual comprehensive assessment of municipal departments.",
        "attachment_note": "Attachment: Results of the {year} informatization performance assessment",
        "attachment": "Attachment",
        "attachment_title": "Results of the {year} Informatization Performance Assessment",
        "rank": "Rank",
        "department": "Department",
        "kind": "Kind",
        "total": "Total",
        "converted": "Converted",
        "marks": "★ rated excellent; △ lost eligibility for the excellent rating.",
        "excellent_mark": "★",
        "lost_mark": "△",
        "sep": "; ",
        "dates_sep": ", ",
    },
}


def notice_words(lang: str) -> dict[str, str]:
    return NOTICE_WORDS[lang]
