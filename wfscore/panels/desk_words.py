"""The adjustments desk's words, in Chinese (default) and English, and its style."""

from __future__ import annotations

WORDS = {
    "zh": {
        "title": "调整审核台", "kinds": {"exemptions": "不适用申请", "achievements": "奖励成果", "incidents": "安全事故"},
        "all_depts": "全部部门", "all_kinds": "全部类型", "dept": "部门", "kind": "类型", "pending_only": "只看待审核",
        "pending": "○ 待审", "reviewed": "● 已审",
        "status": {"exemptions": ("已确认", "未确认"), "achievements": ("已认定", "未认定"),
                   "incidents": ("成立", "不成立")},
        "actions": {"exemptions": {"confirm": "确认不适用", "reject": "不予确认"},
                    "achievements": {"confirm": "认定", "reject": "不予认定"},
                    "incidents": {"confirm": "事故成立", "reject": "事故不成立", "major": "定为重大",
                                  "ordinary": "定为一般"}},
        "severity": {"ordinary": "一般", "major": "重大"},
        "indicator": "指标", "line": "第 {line} 行", "now": "当前", "pending_state": "待审核",
        "decided_state": "已审核（第 {ids} 项决定）",
        "decision": "决定", "total": "总分", "rank": "名次", "weights": "实际权重变化", "excellence": "优秀名单",
        "others": "其他部门", "current": "（当前）", "no_change": "与当前相同，不改变文件中的数值",
        "weights_same": "不变", "excellence_same": "不变", "no_excellence": "未设优秀名额",
        "added": "新增 {names}", "removed": "移出 {names}", "eligible": "评优资格 {a} → {b}",
        "yes": "是", "no": "否", "others_moved": "{n} 个部门总分随之变化", "others_none": "无",
        "comment": "说明（可选）", "undo": "撤销上一项决定", "restore": "恢复所选版本", "reload": "重新载入",
        "versions": "文件历史版本", "no_versions": "（尚无历史版本）",
        "version_label": "{version}（第 {id} 项{action}之前的 {file}）",
        "action_names": {"decide": "决定", "undo": "撤销", "restore": "恢复"},
        "last_none": "尚未作出决定。", "last_decision": "上一项有效决定：{text}",
        "saved": "已保存第 {id} 项决定：{who} · {kind}（{item}）：{field} {old} → {new}。{effect}",
        "undone": "已撤销第 {ref} 项决定：{who} · {kind}（{item}）：{field} {old} → {new}。{effect}",
        "restored": "已将 {file} 恢复到版本 {version}：{moved}",
        "effect": "总分 {t0} → {t1}（{dt}），名次 {r0} → {r1}（{move}）；实际权重：{weights}；优秀名单：{excellence}。",
        "moved_n": "{n} 个部门总分变化，{m} 个部门名次变化。",
        "summary": "待审核 {n} 项（{parts}）；本面板已保存 {saved} 项。与打开时相比：",
        "summary_none": "没有部门名次变化；", "summary_moved": "{moved} 个部门名次变化（上升 {up}，下降 {down}），"
                                                       "最大变动 {largest} 位（{who}）；",
        "excellence_changed": "优秀名单变化：{parts}。", "excellence_unchanged": "优秀名单不变。",
        "moves": "名次变化（与打开时相比）", "opened_rank": "打开时名次", "now_rank": "现在名次", "move": "变动",
        "opened_total": "打开时总分", "now_total": "现在总分",
        "history": "最近的记录（decisions.csv）", "no_history": "decisions.csv 尚无记录。",
        "workbook": "此年度数据为 Excel 工作簿 {book}：审核台只能预览，不能保存（请在 Excel 中修改，或将各工作表另存为 CSV 文件）。",
        "no_reviewer": "未填写审核人：请在 parameters 单元格中填写 reviewer（审核人姓名）后重新运行，否则不能保存。",
        "pick": "请在列表中选择一项。", "empty": "没有符合筛选条件的事项。",
        "refused": "未保存：{error}", "reload_failed": "重新载入失败：{error}", "reloaded": "已重新载入 {folder}。",
        "fields": {"confirmed": "确认", "severity": "严重程度"},
        "empty_value": "（无此列）", "sep": "，", "list_sep": "；", "names_sep": "、",
        "colon": "：", "paren": "（{}）", "status_words": {"in force": "有效", "undone": "已撤销", "": ""},
    },
    "en": {
        "title": "Adjustments desk",
        "kinds": {"exemptions": "exemption request", "achievements": "achievement", "incidents": "incident"},
        "all_depts": "all departments", "all_kinds": "all kinds", "dept": "Department", "kind": "Kind",
        "pending_only": "pending only", "pending": "○ pending", "reviewed": "● reviewed",
        "status": {"exemptions": ("confirmed", "not confirmed"), "achievements": ("recognised", "not recognised"),
                   "incidents": ("stands", "does not stand")},
        "actions": {"exemptions": {"confirm": "Confirm", "reject": "Reject"},
                    "achievements": {"confirm": "Recognise", "reject": "Reject"},
                    "incidents": {"confirm": "Stands", "reject": "Does not stand", "major": "Make major",
                                  "ordinary": "Make ordinary"}},
        "severity": {"ordinary": "ordinary", "major": "major"},
        "indicator": "indicator", "line": "line {line}", "now": "now", "pending_state": "pending",
        "decided_state": "reviewed (decision {ids})",
        "decision": "Decision", "total": "Total", "rank": "Rank", "weights": "Effective weights",
        "excellence": "Excellence list", "others": "Other departments", "current": " (current)",
        "no_change": "as now: the file keeps its value",
        "weights_same": "unchanged", "excellence_same": "unchanged", "no_excellence": "no excellence share",
        "added": "in: {names}", "removed": "out: {names}", "eligible": "eligible {a} → {b}",
        "yes": "yes", "no": "no", "others_moved": "{n} other totals change", "others_none": "none",
        "comment": "Comment (optional)", "undo": "Undo the last decision", "restore": "Restore this version",
        "reload": "Reload", "versions": "File versions", "no_versions": "(no versions yet)",
        "version_label": "{version} ({file} before entry {id}, {action})",
        "action_names": {"decide": "decision", "undo": "undo", "restore": "restore"},
        "last_none": "No decision yet.", "last_decision": "Last decision in force: {text}",
        "saved": "Saved decision {id}: {who} · {kind} ({item}): {field} {old} → {new}. {effect}",
        "undone": "Undid decision {ref}: {who} · {kind} ({item}): {field} {old} → {new}. {effect}",
        "restored": "Restored {file} to version {version}: {moved}",
        "effect": "total {t0} → {t1} ({dt}), rank {r0} → {r1} ({move}); effective weights: {weights}; "
                  "excellence list: {excellence}.",
        "moved_n": "{n} totals and {m} ranks changed.",
        "summary": "{n} pending ({parts}); {saved} saved from this panel. Since the folder was opened: ",
        "summary_none": "no rank changed; ", "summary_moved": "{moved} ranks changed ({up} up, {down} down), the "
                                                             "largest by {largest} ({who}); ",
        "excellence_changed": "the excellence list changed: {parts}.",
        "excellence_unchanged": "the excellence list is unchanged.",
        "moves": "Rank changes since the folder was opened", "opened_rank": "Rank when opened", "now_rank": "Rank now",
        "move": "Move", "opened_total": "Total when opened", "now_total": "Total now",
        "history": "Latest entries (decisions.csv)", "no_history": "decisions.csv has no entries yet.",
        "workbook": "This year is an Excel workbook ({book}): the desk can preview but not save (decide in Excel, "
                    "or save the sheets as CSV files).",
        "no_reviewer": "No reviewer: set reviewer (your name) in the parameters cell and run again; "
                       "nothing can be saved without it.",
        "pick": "Pick an item in the list.", "empty": "No item matches the filters.",
        "refused": "Not saved: {error}", "reload_failed": "Reload failed: {error}", "reloaded": "Reloaded {folder}.",
        "fields": {"confirmed": "confirmed", "severity": "severity"},
        "empty_value": "(no column)", "sep": ", ", "list_sep": "; ", "names_sep": ", ",
        "colon": ": ", "paren": " ({})", "status_words": {"in force": "in force", "undone": "undone", "": ""},
    },
}

CSS = """<style>
.wf-table {border-collapse: collapse; font-size: 12px;}
.wf-table th, .wf-table td {padding: 2px 6px; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top;}
.wf-up {color: #2e7d32; font-weight: bold;} .wf-down {color: #c62828; font-weight: bold;}
.wf-banner {background: #fff3cd; border: 1px solid #e0c36c; padding: 4px 8px;}
.wf-error {background: #fdecea; border: 1px solid #e57373; padding: 4px 8px;}
.wf-done {background: #e8f5e9; border: 1px solid #81c784; padding: 4px 8px;}
.wf-items select {font-family: monospace; font-size: 12px;}
.wf-preview th, .wf-preview td:nth-child(-n+3) {white-space: nowrap;}
</style>"""
