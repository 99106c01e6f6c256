"""The Chinese of wfscore's English messages: input problems and command errors.

Messages are written in English where they are found (the pinned texts of the
tests); this catalogue turns each into Chinese when a person reads them under
``--lang zh``. Every value a message quotes (file, line, column, cell, ids) is
carried over exactly.

Each entry is the English of one message with its variable parts named
(``{name}``), and the Chinese using the same names. A name's prefix says what
its text is, and how it comes over into Chinese:

- ``s_``: a table's source (``data.xlsx, sheet values`` → ``data.xlsx 工作表 values``);
- ``t_``: an English phrase the message is built from (``a CSV file``), looked up in
  :data:`PHRASES`; an unknown phrase stays as written;
- ``m_``: a message within the message (an operating system's or a library's
  reason, another problem's message), translated in turn where it can be;
- ``o_``: a list of choices (``'a', 'b' or 'c'`` → ``'a'、'b' 或 'c'``);
- any other name: text copied exactly (ids, file names, values, numbers).

A name may say what its text looks like: ``{text:repr}`` is a value quoted as
Python's ``!r`` quotes it (which may hold any text, quotes and "; " too), ``{n:number}``
digits, ``{w:rowword}`` ``line`` or ``row``; any other text after the colon is a
regular expression. Without one, a name's text is any text, as little as will do.

Entries are tried in order and must match the whole message: the specific come
before the general. Messages that are several joined by ``"; "`` and messages
carrying a problem's place (``values.csv line 5, column value: ...``) are
translated part by part (:func:`to_zh`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

# -- the phrases messages are built from --------------------------------------------------

PHRASES: dict[str, str] = {
    # what a file should be (files.read_file)
    "the year's scheme, a YAML text file": "本年度的评分方案，即 YAML 文本文件",
    "a scheme, a YAML text file": "评分方案，即 YAML 文本文件",
    "an .xlsx workbook file": ".xlsx 工作簿文件",
    "a CSV file": "CSV 文件",
    "an export, a CSV file or an .xlsx workbook": "导出表，即 CSV 文件或 .xlsx 工作簿",
    "the log of decisions, a CSV file written by wfscore": "决定记录，即 wfscore 写出的 CSV 文件",
    "the register of disputes, a CSV file written by wfscore": "复核申请登记表，即 wfscore 写出的 CSV 文件",
    # the encodings read (files.ENCODINGS)
    "UTF-8, UTF-8 with a BOM or GB18030": "UTF-8、带 BOM 的 UTF-8 或 GB18030",
    # what a cell should hold (validation)
    "a department id": "部门编号",
    "the department's name": "部门名称",
    "a kind id": "部门类别编号",
    "an indicator id": "指标编号",
    "the expert's id or name": "专家编号或姓名",
    "a date like 2011-05-03": "日期，如 2011-05-03",
    "a non-negative number": "非负数",
    "a rating from 0 to 100": "0 到 100 的评分",
    "a website evaluation score from 0 to 100": "0 到 100 的网站绩效评估成绩",
    "a department's id or name": "部门编号或名称",
    # what one row stands for (validation, duplicates)
    "department": "每个部门一行",
    "department and indicator": "每个部门和指标一行",
    "department, indicator and expert": "每个部门、指标和专家一行",
    # row words
    "line": "行",
    "row": "行",
    # the operating system's reasons (strerror)
    "Permission denied": "没有权限",
    "No such file or directory": "文件或文件夹不存在",
    "Is a directory": "这是一个文件夹",
    "Not a directory": "路径中有一项不是文件夹",
    "Read-only file system": "文件系统只读",
    "No space left on device": "磁盘空间已满",
    "Disk quota exceeded": "超出磁盘配额",
    "File name too long": "文件名太长",
    "Input/output error": "读写出错",
    "Operation not permitted": "不允许此操作",
    "Too many levels of symbolic links": "符号链接层数过多",
    "Device or resource busy": "设备或资源正忙",
    "File exists": "文件已存在",
    "Invalid argument": "参数无效",
    "Directory not empty": "文件夹不为空",
    "Resource temporarily unavailable": "资源暂时不可用",
    # the previous year's departments (lineage.read_dept_ids)
    "it has no departments table with a dept_id column": "其中没有带 dept_id 列的部门表",
    # PyYAML's reasons most often met
    "mapping values are not allowed here": "此处不能写“键: 值”（可能缺少缩进、换行或引号）",
    "could not find expected ':'": "找不到应有的冒号 ':'",
    "did not find expected key": "找不到应有的键（缩进可能有误）",
    "did not find expected node content": "找不到应有的内容",
    "did not find expected '-' indicator": "找不到应有的列表符号 '-'",
    "did not find expected ',' or ']'": "找不到应有的 ',' 或 ']'",
    "did not find expected ',' or '}'": "找不到应有的 ',' 或 '}'",
    "found unexpected end of stream": "文件意外结束（引号或括号未闭合）",
    "found unexpected ':'": "出现了多余的冒号 ':'",
    "found undefined alias": "用了未定义的别名",
    "found duplicate anchor; first occurrence": "锚点重复",
    "found a tab character that violates indentation": "用制表符缩进（YAML 只能用空格缩进）",
    "found a tab character where an indentation space is expected": "用制表符缩进（YAML 只能用空格缩进）",
    "expected a comment or a line break": "此处应为注释或换行",
    "expected the node content, but found '-'": "此处应为内容，却是 '-'",
    "expected a single document in the stream": "文件中应只有一个 YAML 文档",
    "but found another document": "文件中应只有一个 YAML 文档，却有第二个",
    "expected <block end>, but found '-'": "缩进有误：此处不应有列表项 '-'",
    "expected <block end>, but found '<block mapping start>'": "缩进有误：此处不应开始新的映射",
    "expected <block end>, but found '<block sequence start>'": "缩进有误：此处不应开始新的列表",
    "expected <block end>, but found '<scalar>'": "缩进有误：此处不应有值",
    "expected <block end>, but found '?'": "缩进有误：此处不应有 '?'",
    "expected <document start>, but found '<block mapping start>'": "文档开头有误",
    "expected <document start>, but found '<scalar>'": "文档开头有误",
    "expected ',' or ']', but got '<stream end>'": "方括号未闭合，应有 ',' 或 ']'",
    "expected ',' or '}', but got '<stream end>'": "花括号未闭合，应有 ',' 或 '}'",
    "expected ',' or ']', but got '<scalar>'": "应有 ',' 或 ']'",
    "expected ',' or '}', but got '<scalar>'": "应有 ',' 或 '}'",
    "expected ',' or '}', but got ':'": "应有 ',' 或 '}'，却是 ':'",
    "expected ',' or ']', but got ':'": "应有 ',' 或 ']'，却是 ':'",
    "expected ',' or ']', but got '}'": "应有 ',' 或 ']'，却是 '}'",
    "expected ',' or '}', but got ']'": "应有 ',' 或 '}'，却是 ']'",
    "expected ',' or ']', but got '<block mapping start>'": "应有 ',' 或 ']'",
    "expected ',' or '}', but got '<block mapping start>'": "应有 ',' 或 '}'",
    "expected ',' or '}', but got '{'": "应有 ',' 或 '}'，却是 '{'",
    "expected ',' or ']', but got '['": "应有 ',' 或 ']'，却是 '['",
    # what a workbook is not (openpyxl's reasons, the most common)
    "File is not a zip file": "不是 zip 格式的文件",
    # the csv module's reasons
    "line contains NUL": "有一行含 NUL 字符",
}

# pydantic's words for a scheme.yaml value (scheme_yaml words them "is invalid: ..."; the
# first letter lowered); each an English pattern and its Chinese, as the catalogue's entries.
_PYDANTIC = [
    ("input should be a valid string", "应为文本"),
    ("string should have at least {n} character", "不能为空（至少应有 {n} 个字符）"),
    ("string should have at least {n} characters", "至少应有 {n} 个字符"),
    ("input should be a valid integer, unable to parse string as an integer", "应为整数"),
    ("input should be a valid integer, got a number with a fractional part", "应为整数（不能有小数部分）"),
    ("input should be a valid integer", "应为整数"),
    ("unable to parse input string as an integer, exceeds maximum size", "应为整数（数字过大）"),
    ("input should be a valid number, unable to parse string as a number", "应为数字"),
    ("input should be a valid number", "应为数字"),
    ("input should be a finite number", "应为有限的数字（不能为无穷大或 NaN）"),
    ("input should be a valid boolean, unable to interpret input", "应为 true 或 false"),
    ("input should be a valid boolean", "应为 true 或 false"),
    ("input should be a valid list", "应为列表（每项以 - 开头，或写成 [a, b]）"),
    ("input should be a valid dictionary or instance of {name}", "应为映射（“键: 值”的形式）"),
    ("input should be a valid dictionary", "应为映射（“键: 值”的形式）"),
    ("input should be greater than or equal to {n}", "应大于或等于 {n}"),
    ("input should be greater than {n}", "应大于 {n}"),
    ("input should be less than or equal to {n}", "应小于或等于 {n}"),
    ("input should be less than {n}", "应小于 {n}"),
    ("input should be {o_choices}", "应为 {o_choices}"),
    ("list should have at least {n} item after validation, not {m}", "至少应有 {n} 项（现有 {m} 项）"),
    ("list should have at least {n} items after validation, not {m}", "至少应有 {n} 项（现有 {m} 项）"),
    ("dictionary should have at least {n} item after validation, not {m}", "至少应有 {n} 项（现有 {m} 项）"),
    ("dictionary should have at least {n} items after validation, not {m}", "至少应有 {n} 项（现有 {m} 项）"),
    ("value should have at least {n} item after validation, not {m}", "不能为空（至少应有 {n} 个字符）"),
    ("value should have at least {n} items after validation, not {m}", "至少应有 {n} 项（现有 {m} 项）"),
    ("field required", "缺少此键"),
    ("extra inputs are not permitted", "不是允许的键"),
]

# -- the catalogue: English (with {names}) → Chinese ----------------------------------------

_ENTRIES: list[tuple[str, str]] = [
    # ---- reading files (inputs/files.py) ----
    (
        "is UTF-16 text, which wfscore does not read (expected UTF-8 or GB18030; in Excel save as 'CSV UTF-8')",
        "是 UTF-16 编码的文本，wfscore 不能读取（应为 UTF-8 或 GB18030；请在 Excel 中另存为“CSV UTF-8”）",
    ),
    (
        "is UTF-16 text without a byte order mark, which wfscore does not read (expected UTF-8 or GB18030; "
        "in Excel save as 'CSV UTF-8')",
        "是不带字节序标记的 UTF-16 编码文本，wfscore 不能读取（应为 UTF-8 或 GB18030；请在 Excel 中另存为“CSV UTF-8”）",
    ),
    (
        "is not UTF-8 and does not look like GB18030: {m_why} (expected a file saved as {t_encodings}; "
        "Shift-JIS, EUC-KR and Big5 are not read: in Excel save as 'CSV UTF-8')",
        "不是 UTF-8 编码，看来也不是 GB18030：{m_why}（文件应保存为{t_encodings}；不读取 Shift-JIS、EUC-KR 和 "
        "Big5 编码：请在 Excel 中另存为“CSV UTF-8”）",
    ),
    (
        "it reads as ordinary {name} text ({share} unusual characters) but as {own} unusual characters in GB18030",
        "按 {name} 读取是正常文本（不常见字符占 {share}），按 GB18030 读取则不常见字符占 {own}",
    ),
    (
        "{own} of its non-ASCII characters are not ordinary Chinese when read as GB18030",
        "按 GB18030 读取时，其非 ASCII 字符中有 {own} 不是常用汉字",
    ),
    (
        "cannot be decoded: byte 0x{byte} at offset {offset} is not UTF-8, and the file is not GB18030 either "
        "(expected a CSV file saved as UTF-8 or GB18030)",
        (
            "无法解码：偏移 {offset} 处的字节 0x{byte} 不是 UTF-8，文件也不是 GB18030 编码（应为保存为 UTF-8 或 "
            "GB18030 的 CSV 文件）"
        ),
    ),
    ("has {n} cells on one line (expected at most {max} columns)", "有一行有 {n} 个单元格（最多应有 {max} 列）"),
    ("has more than {n} rows (expected a year's table)", "超过 {n} 行（应为一个年度的数据表）"),
    ("has a cell longer than {n} characters (expected shorter cells)", "有单元格超过 {n} 个字符（单元格应更短）"),
    ("cannot be read as CSV: {m_reason} (expected CSV text)", "无法按 CSV 读取：{m_reason}（应为 CSV 文本）"),
    ("is empty (expected a header row naming its columns)", "是空文件（应有一行表头，写明各列的列名）"),
    ("is a column name used twice in the header (expected each once)", "是表头中重复的列名（每个列名只应出现一次）"),
    (
        "names column {column:repr} a second time (expected each column once, under one name: {name} or a Chinese "
        "header for it)",
        "再次给出了列 {column}（每列只应出现一次，用一个名称：{name} 或它的中文表头）",
    ),
    (
        "has {n} cells but the header names {width} columns (expected no cells beyond the header)",
        "有 {n} 个单元格，但表头只有 {width} 列（表头之外不应有单元格）",
    ),
    (
        "cannot be read as an .xlsx workbook ({m_reason}) (expected a workbook saved by Excel)",
        "无法作为 .xlsx 工作簿读取（{m_reason}）（应为 Excel 保存的工作簿）",
    ),
    (
        "has a sheet {name} that is not a wfscore table; it is ignored (tables are {tables})",
        "中的工作表 {name} 不是 wfscore 的数据表，已忽略（数据表为 {tables}）",
    ),
    (
        "unzips to {n} bytes (expected a workbook of at most {max} bytes unzipped)",
        "解压后有 {n} 字节（工作簿解压后最多应为 {max} 字节）",
    ),
    (
        "has a cell beyond column {max} (expected at most {max2} columns)",
        "第 {max} 列之后还有单元格（最多应有 {max2} 列）",
    ),
    (
        "is a link to {target}, which does not exist (expected {t_what})",
        "是指向 {target} 的链接，但目标不存在（应为{t_what}）",
    ),
    ("disappeared while being read (expected {t_what})", "在读取时消失了（应为{t_what}）"),
    ("is a link that loops back on itself (expected {t_what})", "是指向自身的循环链接（应为{t_what}）"),
    ("cannot be read: {m_why} (expected {t_what})", "无法读取：{m_why}（应为{t_what}）"),
    ("is a folder (expected {t_what})", "是文件夹（应为{t_what}）"),
    (
        "is not a regular file but a device, pipe or socket (expected {t_what})",
        "不是普通文件，而是设备、管道或套接字（应为{t_what}）",
    ),
    (
        "is over {max} bytes (expected {t_what} of at most {max2} bytes)",
        "超过 {max} 字节（应为不超过 {max2} 字节的{t_what}）",
    ),
    ("is {n} bytes (expected {t_what} of at most {max} bytes)", "有 {n} 字节（应为不超过 {max} 字节的{t_what}）"),
    ("cannot be listed: {m_why} (expected a year's data folder)", "无法列出其中的文件：{m_why}（应为年度数据文件夹）"),
    (
        "is named like {meant} but in other letters' case (expected the name {meant2} exactly: rename it)",
        "与 {meant} 同名，但字母大小写不同（文件名应正好是 {meant2}：请改名）",
    ),
    ("is not a folder (expected a year's data folder)", "不是文件夹（应为年度数据文件夹）"),
    ("is missing (expected the year's scheme, SPEC §4)", "缺失（应有本年度的评分方案，见 SPEC §4）"),
    (
        "is a workbook beside CSV tables ({files}) (expected either CSV files or one workbook, not both: "
        "move one of them away)",
        "是与 CSV 数据表（{files}）并存的工作簿（应只用 CSV 文件或只用一个工作簿，不能同时使用：请移走其中一种）",
    ),
    (
        "holds {n} workbooks ({books}) (expected one workbook with a sheet per table)",
        "中有 {n} 个工作簿（{books}）（应只有一个工作簿，每个数据表一个工作表）",
    ),
    (
        "is not an .xlsx workbook but an older compound file: a workbook with a password to open it, or an .xls "
        "workbook renamed (expected an .xlsx workbook without an opening password: in Excel, WPS or LibreOffice "
        "remove the password and save it as Excel workbook .xlsx)",
        "不是 .xlsx 工作簿，而是旧式复合文件：可能是设了打开密码的工作簿，或改了扩展名的 .xls "
        "工作簿（应为没有打开密码的 "
        ".xlsx 工作簿：请在 Excel、WPS 或 LibreOffice 中取消密码，另存为“Excel 工作簿 .xlsx”）",
    ),
    ("has {n} parts (expected a workbook of at most {max} parts)", "包含 {n} 个部件（工作簿最多应有 {max} 个部件）"),
    (
        "has an encrypted part {part} (expected a workbook whose parts are not encrypted: save it again without a "
        "password, as Excel workbook .xlsx)",
        "中的部件 {part} 已加密（工作簿不应加密：请取消密码，重新另存为“Excel 工作簿 .xlsx”）",
    ),
    (
        "has a part {part} compressed by method {method}, which is not read (expected a workbook saved by Excel, WPS "
        "or LibreOffice: open it and save it again as Excel workbook .xlsx)",
        "中的部件 {part} 用第 {method} 种压缩方法压缩，无法读取（应为 Excel、WPS 或 LibreOffice 保存的工作簿：请打开后"
        "重新另存为“Excel 工作簿 .xlsx”）",
    ),
    (
        "cannot be read ({exc}: {why}) (expected a sheet as Excel saved it: open the workbook and save it again)",
        "无法读取（{exc}：{why}）（应为 Excel 正常保存的工作表：请打开工作簿后重新保存）",
    ),
    (
        "has a damaged part {part} ({exc}: {why}) (expected a workbook as it was saved: ask for it again)",
        "中的部件 {part} 已损坏（{exc}：{why}）（应为完好保存的工作簿：请让对方重新发送）",
    ),
    (
        "unzips to more than {n} bytes, more than its parts declare (expected a workbook of at most {max} bytes "
        "unzipped)",
        "解压后超过 {n} 字节，比其部件声明的大小还大（工作簿解压后最多应为 {max} 字节）",
    ),
    # ---- the scheme (inputs/scheme_yaml.py) ----
    (
        "nests lists and mappings more than {n} deep (expected the shape of SPEC §4)",
        "列表和映射嵌套超过 {n} 层（应符合 SPEC §4 的结构）",
    ),
    (
        "uses the alias *{name} (expected plain YAML without anchors and aliases: write each value out)",
        "使用了别名 *{name}（应为不带锚点和别名的普通 YAML：请把每个值都写出来）",
    ),
    (
        "uses the anchor &{name} (expected plain YAML without anchors and aliases: write each value out)",
        "使用了锚点 &{name}（应为不带锚点和别名的普通 YAML：请把每个值都写出来）",
    ),
    (
        "has a list or mapping as a key (expected keys that are plain words or numbers)",
        "用列表或映射作键（键应为普通的词或数字）",
    ),
    ("is not valid YAML: {m_reason}", "不是有效的 YAML：{m_reason}"),
    # PyYAML's reasons with a part of the text in them (the fixed ones are in PHRASES)
    ("found character '\\t' that cannot start any token", "有制表符（YAML 只能用空格缩进，值中的制表符须加引号）"),
    (
        "found character {c:repr} that cannot start any token",
        "字符 {c} 不能作为值的开头（以 @、`、% 等开头的值请加引号）",
    ),
    ("found unknown escape character {c:repr}", "有未知的转义字符 {c}（双引号中的反斜杠须写成 \\\\，或改用单引号）"),
    (
        "expected escape sequence of {n} hexadecimal numbers, but found {c:repr}",
        "转义序列应有 {n} 位十六进制数字，却是 {c}",
    ),
    ("expected <block end>, but found {t:repr}", "缩进或括号有误：此处不应有 {t}"),
    ("expected ',' or ']', but got {t:repr}", "应有 ',' 或 ']'，却是 {t}"),
    ("expected ',' or '}', but got {t:repr}", "应有 ',' 或 '}'，却是 {t}"),
    ("found duplicate YAML directive", "YAML 指令重复"),
    ("found undefined tag handle {h}", "用了未定义的标签 {h}"),
    ("is {n} characters long (expected a scheme of at most {max})", "有 {n} 个字符（评分方案最多应为 {max} 个字符）"),
    (
        "is a key written twice in the same mapping (expected each key once)",
        "是同一映射中写了两次的键（每个键只应写一次）",
    ),
    (
        "is empty or not a mapping (expected the keys year, title, kinds, sections, rules)",
        "为空或不是映射（应有键 year、title、kinds、sections、rules）",
    ),
    ("is missing (expected this key)", "缺失（应有此键）"),
    ("is invalid: {m_why}", "无效：{m_why}"),
    (
        "is used twice (also on line {line}; expected ids unique across sections, categories and indicators)",
        "重复使用（第 {line} 行也有；各部分、类别和指标的编号应互不相同）",
    ),
    (
        "are the points of category {id}, but its indicators' weights add up to {sum} (expected equal)",
        "是类别 {id} 的分值，但其指标权重之和为 {sum}（两者应相等）",
    ),
    (
        "are the points of section {id}, but its categories' points add up to {sum} (expected equal)",
        "是部分 {id} 的分值，但其类别分值之和为 {sum}（两者应相等）",
    ),
    ("is not a category of the scheme (expected one of {ids})", "不是方案中的类别（应为以下之一：{ids}）"),
    ("is not a kind of the scheme (expected one of: {help})", "不是方案中的部门类别（应为以下之一：{help}）"),
    ("is not a kind of the scheme (expected one of {ids})", "不是方案中的部门类别（应为以下之一：{ids}）"),
    ("is not an indicator of category {id} (expected one of {ids})", "不是类别 {id} 的指标（应为以下之一：{ids}）"),
    ("is not a key wfscore knows; it is ignored", "不是 wfscore 认识的键，已忽略"),
    (
        "year {year} is not a year (expected a whole number from {low} to {high}, such as 2011)",
        "年份 {year} 不是有效年份（应为 {low} 到 {high} 的整数，如 2011）",
    ),
    (
        "no year folder was given: data_dir is empty, {env:word} is not set, and neither {path:repr} nor its folder "
        "{year:word}, data/{year2:word} or ../data/{year3:word} holds scheme.yaml (expected data_dir set to a year's "
        "folder, {env2:word} set, or a sample year written by {command})",
        "未给出年度文件夹：data_dir 为空，未设置 {env}，{path} 及其中的 {year}、data/{year2}、../data/{year3} 都没有 "
        "scheme.yaml（应把 data_dir 设为年度文件夹，或设置 {env2}，或用 {command} 写出示例年度）",
    ),
    (
        'data_dir {value:repr} is not a path (expected a year\'s data folder as text, or "" for the default)',
        'data_dir {value} 不是路径（应为年度数据文件夹的路径文本，或 "" 表示默认）',
    ),
    (
        "needs a measure beside it (expected measure: availability, gov_cn, online_rate or logins)",
        "旁边须写明 measure（应为 measure: availability（可用率）、gov_cn（.gov.cn 域名）、online_rate（网上办理率）"
        "或 logins（登录次数））",
    ),
    (
        "is not index, which an indicator of source monitoring takes (its figure is a share or a count, not points)",
        "不是 index；取自日常监测（source: monitoring）的指标应按综合指数法计分（其数据是比例或次数，不是分数）",
    ),
    (
        "is given for an indicator whose source is not monitoring (expected source: monitoring beside it, or no "
        "measure)",
        "写在了数据来源不是日常监测的指标上（应同时写 source: monitoring，或不写 measure）",
    ),
    (
        "is before the start {start} (expected the period's last day, on or after its first)",
        "早于开始日期 {start}（应为监测期的最后一天，不早于第一天）",
    ),
    ("is not a date (expected a date like 2011-01-01)", "不是日期（应为日期，如 2011-01-01）"),
    (
        "{where:word} {value} is not a page language (expected 'zh' or 'en', or \"\" for the default)",
        "{where} {value} 不是页面语言（应为 'zh' 或 'en'，或 \"\" 表示默认）",
    ),
    # ---- text no one typed (inputs/text_checks.py, scheme_yaml.py) ----
    (
        "is a column name with a control character (U+{code}) (expected plain text)",
        "是含控制字符（U+{code}）的列名（应为普通文本）",
    ),
    (
        "has a control character (U+{code}), which no one types on purpose (expected plain text: no control, "
        "escape or text-direction characters)",
        "含有控制字符（U+{code}），这不是有意输入的（应为普通文本：不含控制字符、转义字符或文字方向字符）",
    ),
    (
        "is {n} characters long (expected a cell of at most {max} characters)",
        "有 {n} 个字符（单元格最多应为 {max} 个字符）",
    ),
    # ---- checking the tables (inputs/validation.py) ----
    ("is empty (expected {t_what})", "为空（应为{t_what}）"),
    ("is not a number (expected {t_what})", "不是数字（应为{t_what}）"),
    ("is not finite (expected {t_what})", "不是有限的数字（应为{t_what}）"),
    ("is negative (expected {t_what})", "是负数（应为{t_what}）"),
    ("is outside {low}–{high} (expected {t_what})", "超出 {low}–{high} 的范围（应为{t_what}）"),
    (
        "is not a department of departments.csv (expected one of its dept_id values)",
        "不是 departments.csv 中的部门（应为其中 dept_id 列的某个值）",
    ),
    ("is not an indicator of the scheme (expected one of {ids})", "不是方案中的指标（应为以下之一：{ids}）"),
    (
        "is a binary indicator, which takes its values from achievements.csv only (expected an index or direct "
        "indicator)",
        "是奖励类（binary）指标，其数据只取自 achievements.csv（应为指数类（index）或直接计分类（direct）指标）",
    ),
    (
        "is not a binary indicator (expected one of {ids}: achievements count only for those)",
        "不是奖励类（binary）指标（应为以下之一：{ids}；奖励只对这些指标计分）",
    ),
    (
        "is not true or false (expected true, yes, 1, 是 or false, no, 0, 否)",
        "不是“是”或“否”（应为 true、yes、1、是 或 false、no、0、否）",
    ),
    ("is not a date (expected a date like 2011-05-03)", "不是日期（应为日期，如 2011-05-03）"),
    ("is not a severity (expected ordinary or major)", "不是事故等级（应为 ordinary（一般）或 major（重大））"),
    ("has no column {col} (expected the columns {cols})", "缺少列 {col}（应有列：{cols}）"),
    (
        "has no sheet {name} (expected a sheet with the columns {cols})",
        "中没有工作表 {name}（应有含以下列的工作表：{cols}）",
    ),
    ("is missing (expected a table with the columns {cols})", "缺失（应有含以下列的数据表：{cols}）"),
    ("has no departments (expected one row per department to score)", "没有部门（每个参加考核的部门应有一行）"),
    (
        "is listed twice (also on {t_row:rowword} {line}; expected one row per {t_what})",
        "重复列出（第 {line} {t_row}也有；应为{t_what}）",
    ),
    (
        "is above the weight of direct indicator {id} (expected 0–{max}: a direct value is points on the "
        "indicator's weight scale)",
        "超过直接计分指标 {id} 的权重（应为 0–{max}：直接计分的数值就是按该指标权重计的分数）",
    ),
    (
        "has ratings too ({s_source} {t_row:rowword} {line:[^ ]+}) (expected either a value or ratings for a "
        "department and "
        "indicator, not both)",
        "同时有专家评分（{s_source} 第 {line} {t_row}）（同一部门和指标应只有指标值或专家评分之一，不能两者都有）",
    ),
    (
        "is missing (expected a website evaluation for each of the {n} departments of kind {kinds})",
        "缺失（类别为 {kinds} 的 {n} 个部门都应有政务网站绩效评估成绩）",
    ),
    (
        "is of kind {kind} but has no row in {s_source} (expected a website evaluation score 0–100 for it)",
        "的类别为 {kind}，但 {s_source} 中没有它的行（应有其 0–100 的政务网站绩效评估成绩）",
    ),
    (
        "is a department of kind {kind}, which the website evaluation does not apply to; the row is ignored",
        "是类别为 {kind} 的部门，不适用政务网站绩效评估；此行不计",
    ),
    ("is not in {year}, the scheme's year; the incident still counts", "不在方案年度 {year} 年内；该事故仍然计入"),
    (
        "is not a number: {m_why} (expected {t_what}, written like 85 or 85.5)",
        "不是数字：{m_why}（应为{t_what}，写法如 85 或 85.5）",
    ),
    (
        "is not a web address (expected an http or https URL such as http://www.example.gov.cn/, or nothing)",
        "不是网址（应为 http 或 https 网址，如 http://www.example.gov.cn/，或留空）",
    ),
    (
        "is not an http or https address (expected a URL such as http://www.example.gov.cn/, or nothing)",
        "不是 http 或 https 网址（应为如 http://www.example.gov.cn/ 的网址，或留空）",
    ),
    (
        "has no plain host name (expected a URL such as http://www.example.gov.cn/, without spaces or a user name, "
        "or nothing)",
        "没有正常的主机名（应为如 http://www.example.gov.cn/ 的网址，不含空格或用户名，或留空）",
    ),
    # ---- numbers as people write them (inputs/numbers.py): why a cell is not one ----
    ("{c:repr} (U+{code}) is not one of the digits 0–9", "{c}（U+{code}）不是 0–9 中的数字"),
    ("{c:repr} (U+3002) is a full stop, not a decimal point", "{c}（U+3002）是句号，不是小数点"),
    ("it has a space between its digits", "数字中间有空格"),
    ("it has an underscore between its digits", "数字中间有下划线"),
    ("it is too close to 0 to be read (it would read as 0)", "太接近 0，无法读取（会被读成 0）"),
    # ---- warnings of a loaded year (inputs/loading.py) ----
    (
        "is given for department {dept}, indicator {ind}, which has a confirmed exemption; it is ignored",
        "是部门 {dept} 指标 {ind} 的数据，但该项已确认不适用，此数据不计",
    ),
    (
        "is given for department {dept}, indicator {ind}, which takes its website points from the website "
        "evaluation; it is ignored",
        "是部门 {dept} 指标 {ind} 的数据，但该项按全市政务网站绩效评估计分，此数据不计",
    ),
    (
        "has no value for department {dept} ({name}), indicator {ind} ({ind_name}); it scores 0 (expected a value, "
        "ratings, or a confirmed exemption)",
        (
            "中没有部门 {dept}（{name}）指标 {ind}（{ind_name}）的数据，计 0 分（应提供指标值、"
            "专家评分或经确认的不适用申请）"
        ),
    ),
    (
        "has every indicator of section {id} ({name}) exempt; that section scores 0",
        "的部分 {id}（{name}）全部指标经确认不适用，该部分计 0 分",
    ),
    ("not tables of a year: {names} (expected some of {tables})", "不是年度数据表：{names}（应为以下之一：{tables}）"),
    (
        "this YearData was not made by load_year, so it cannot be rebuilt",
        "此 YearData 不是由 load_year 得到的，不能重建",
    ),
    # ---- departments across years (inputs/lineage.py) ----
    (
        "has an empty id between separators (expected last year's dept_id values separated by ;, such as G24;G25)",
        "的分隔符之间有空编号（应为上一年度的 dept_id，以 ; 分隔，如 G24;G25）",
    ),
    (
        "names an id twice (expected each previous dept_id once)",
        "同一编号写了两次（上一年度的每个 dept_id 只应写一次）",
    ),
    (
        "is not a department of the previous year (expected a dept_id of {s_source})",
        "不是上一年度的部门（应为 {s_source} 中的某个 dept_id）",
    ),
    (
        "could not be checked against the previous year's folder {folder}: {m_why}",
        "未能与上一年度的文件夹 {folder} 核对：{m_why}",
    ),
    # ---- the office's monitoring (inputs/monitoring/) ----
    (
        "--columns: {part:repr} is not field=column (expected e.g. 'dept=部门,date=日期,logins=登录次数')",
        "--columns：{part} 不是“字段=列名”（应如 'dept=部门,date=日期,logins=登录次数'）",
    ),
    (
        "--columns: the field {field} is named twice (expected each field once)",
        "--columns：字段 {field} 写了两次（每个字段只应写一次）",
    ),
    (
        "the columns of system {system} do not name {fields} (expected dept, date and at least one count)",
        "系统 {system} 的列名对应中没有 {fields}（应有 dept（部门）、date（日期）及至少一项计数）",
    ),
    (
        "the columns of system {system} do not name {fields} (expected dept, date, {more})",
        "系统 {system} 的列名对应中没有 {fields}（应有 dept（部门）、date（日期）、{more}）",
    ),
    (
        "the columns of system {system} name no count (expected dept, date and at least one count)",
        "系统 {system} 的列名对应中没有任何计数（应有 dept（部门）、date（日期）及至少一项计数）",
    ),
    ("has more than {n} rows (expected one export of a year at most)", "超过 {n} 行（一份导出表最多应为一年的数据）"),
    (
        "takes more than {n} seconds to read (expected one export of a year at most)",
        "读取超过 {n} 秒（一份导出表最多应为一年的数据）",
    ),
    (
        "lacks the column {col} (expected the columns the mapping names; the export's header is {found})",
        "缺少列 {col}（应有列名对应中写明的列；导出表的表头为 {found}）",
    ),
    (
        "matches more than one department ({depts}) (expected the dept_id of one)",
        "对应不止一个部门（{depts}）（应填写其中一个部门的 dept_id）",
    ),
    ("is no department's id or name (the nearest: {names})", "不是任何部门的编号或名称（最接近的：{names}）"),
    (
        "is no department's id or name (expected a dept_id or name of departments.csv)",
        "不是任何部门的编号或名称（应为 departments.csv 中的 dept_id 或部门名称）",
    ),
    ("is not a count (expected a non-negative number)", "不是计数（应为非负数）"),
    (
        "has a second row for {dept} on {date} (also on line {line}; expected one row per department and day)",
        "是 {dept} 在 {date} 的第二行（第 {line} 行也有；每个部门每天应只有一行）",
    ),
    (
        "has {n} more errors like these (expected an export of the mapped columns)",
        "还有 {n} 个类似的错误（应为含列名对应中各列的导出表）",
    ),
    (
        "holds the columns {cols}, not those of this import ({mine}) (expected the same counts as the earlier imports "
        "of system {system})",
        "的列为 {cols}，与本次导入的列（{mine}）不同（应与系统 {system} 此前导入的计数相同）",
    ),
    (
        "gives other counts for {dept} on {date} than {s_source} holds ({counts}) (expected the same figures; to "
        "replace a day, delete its row from {s_source2} first)",
        "中 {dept} 在 {date} 的计数与 {s_source} 中已有的（{counts}）不同（应为相同的数字；要替换某一天的数据，"
        "请先从 {s_source2} 中删去那一行）",
    ),
    # ---- forms and returns (inputs/forms.py, collect.py) ----
    ("is missing from {folder} (expected the year's scheme)", "在 {folder} 中缺失（应有本年度的评分方案）"),
    ("is missing from {folder} (expected dept_id, name, kind)", "在 {folder} 中缺失（应有列：dept_id, name, kind）"),
    ("has no column {cols} (expected dept_id, name, kind)", "缺少列 {cols}（应有列：dept_id, name, kind）"),
    (
        "is a dept_id used twice (also on line {line}; expected each once)",
        "是重复的 dept_id（第 {line} 行也有；每个只应出现一次）",
    ),
    ("number {n} is empty (expected an expert id)", "第 {n} 个为空（应为专家编号）"),
    ("{expert:repr} is given twice (expected each expert once)", "{expert} 重复给出（每位专家只应给出一次）"),
    (
        "is the year's own folder (expected another folder for the forms)",
        "是年度数据文件夹本身（表格应写到另一个文件夹）",
    ),
    (
        "give file names that clash (expected ids that differ after removing the characters a file name cannot hold)",
        "的编号生成了相同的文件名（去掉文件名中不能有的字符后，编号应互不相同）",
    ),
    ("is not a folder (expected the folder of returned forms)", "不是文件夹（应为报送表格所在的文件夹）"),
    (
        "{file} line {line:number}: {what} (decided: decision {ids}) kept as {value}",
        "{file} 第 {line} 行：{what}（第 {ids} 项决定有效）保持为 {value}",
    ),
    (
        "{file} line {line:number}: {what} (decided: decisions {ids}) kept as {value}",
        "{file} 第 {line} 行：{what}（第 {ids} 项决定有效）保持为 {value}",
    ),
    (
        "{file} line {line:number}: {what} (decided: a decision) kept as {value}",
        "{file} 第 {line} 行：{what}（已有有效决定）保持为 {value}",
    ),
    ("the return says {value}, which the desk should look at", "报表填的是 {value}，请审核台查看"),
    ("the return no longer gives it", "报表已不再填报此项"),
    (
        "{file} line {line:number}: {what} (confirmed by the desk) kept as it was",
        "{file} 第 {line} 行：{what}（审核台已确认）保持不变",
    ),
    (
        "{file} line {line:number}: {what} (not confirmed by the desk) kept as it was",
        "{file} 第 {line} 行：{what}（审核台已决定不确认）保持不变",
    ),
    ("the return now says something else, which the desk should look at", "报表现在的内容不同，请审核台查看"),
    (
        "{file} line {line:number}: {what} is no longer in the return, but kept so that the lines the desk "
        "decided below it keep their numbers "
        "(reject it at the desk)",
        "{file} 第 {line} 行：{what} 已不在报表中，但予以保留，以免其下已决定的行号改变（请在审核台驳回）",
    ),
    ("{file} line {line:number}: {what} is no longer in the return", "{file} 第 {line} 行：{what} 已不在报表中"),
    ("removed", "已删除"),
    ("kept (collect --replace removes it)", "已保留（collect --replace 会删除它）"),
    (
        "is not a wfscore forms key (expected {n} hexadecimal digits, as wfscore forms wrote it: put the key back as "
        "it was)",
        "不是 wfscore 表格密钥（应为 wfscore 生成表格时写下的 {n} 位十六进制数字：请把原来的密钥文件放回去）",
    ),
    # ---- where outputs go (inputs/output.py) ----
    (
        "{option} {text:repr} is not a file name (expected a file such as results.csv)",
        "{option} {text} 不是文件名（应为文件，如 results.csv）",
    ),
    (
        "{option} {text:repr} holds a NUL character (expected a file name)",
        "{option} {text} 含有 NUL 字符（应为文件名）",
    ),
    (
        "{option} {text:repr} is a folder (expected a file name such as {example})",
        "{option} {text} 是文件夹（应为文件名，如 {example}）",
    ),
    (
        "{option} and {other} name the same file {text:repr} (expected two files)",
        "{option} 和 {other} 指向同一个文件 {text}（应为两个不同的文件）",
    ),
    (
        "{option} {path:repr} names the same file as {hit:repr}, which this command reads (inputs are never written "
        "over; "
        "expected a file outside the data folder, such as reports/results.csv)",
        (
            "{option} {path} 与本命令读取的 {hit} 是同一个文件（输入文件从不覆盖；应为数据文件夹之外的文件，如 "
            "reports/results.csv）"
        ),
    ),
    (
        "could not write {target}: {m_why} (free some space and run again); nothing was written",
        "无法写入 {target}：{m_why}（请腾出磁盘空间后重新运行）；未写入任何文件",
    ),
    (
        "could not write {target}: {m_why} (expected a folder this user may write to); nothing was written",
        "无法写入 {target}：{m_why}（应为当前用户可写入的文件夹）；未写入任何文件",
    ),
    ("could not write {target}: {m_why}; nothing was written", "无法写入 {target}：{m_why}；未写入任何文件"),
    (
        "{target} is a folder (expected a file name); nothing was written",
        "{target} 是文件夹（应为文件名）；未写入任何文件",
    ),
    ("encoding {enc:repr} is not offered (expected one of {encs})", "不提供编码 {enc}（应为以下之一：{encs}）"),
    ("unknown language {lang:repr} (expected one of {langs})", "未知的语言 {lang}（应为以下之一：{langs}）"),
    # ---- reports and cards (publish/) ----
    (
        "{name} {value:repr} is not a path (expected a folder name as text)",
        "{name} {value} 不是路径（应为文本形式的文件夹名）",
    ),
    (
        "{name} {value:repr} is not a usable path (expected a folder name without control characters)",
        "{name} {value} 不是可用的路径（应为不含控制字符的文件夹名）",
    ),
    (
        "lang {lang:repr} is not a report language (expected one of {langs})",
        "lang {lang} 不是报告语言（应为以下之一：{langs}）",
    ),
    (
        "lang {lang:repr} is not a card language (expected one of {langs})",
        "lang {lang} 不是成绩卡语言（应为以下之一：{langs}）",
    ),
    (
        "--lang {lang:repr} is not a report language (expected one of {langs})",
        "--lang {lang} 不是报告语言（应为以下之一：{langs}）",
    ),
    (
        "--lang {lang:repr} is not a card language (expected one of {langs})",
        "--lang {lang} 不是成绩卡语言（应为以下之一：{langs}）",
    ),
    (
        "data_dir {path:repr} does not exist (expected a year's data folder, such as data/2011)",
        "data_dir {path} 不存在（应为年度数据文件夹，如 data/2011）",
    ),
    (
        "data_dir {path:repr} is not a folder (expected a year's data folder, such as data/2011)",
        "data_dir {path} 不是文件夹（应为年度数据文件夹，如 data/2011）",
    ),
    (
        "out_dir {path:repr} is a file (expected a folder for the report)",
        "out_dir {path} 是文件（应为存放报告的文件夹）",
    ),
    (
        (
            "out_dir {path:repr} is inside data_dir {data:repr} (inputs are never written to; expected a folder such "
            "as reports/2011)"
        ),
        "out_dir {path} 位于 data_dir {data} 之内（输入文件夹从不写入；应为其他文件夹，如 reports/2011）",
    ),
    (
        "year {year} was asked for, but {path} is the scheme of {other} (expected the same year)",
        "要求的是 {year} 年，但 {path} 是 {other} 年的评分方案（年份应一致）",
    ),
    (
        "the report notebook {name} is missing from {a} and {b} (reinstall wfscore)",
        "报告笔记本 {name} 在 {a} 和 {b} 中都不存在（请重新安装 wfscore）",
    ),
    ("--out {path:repr} is a file (expected a folder for the report)", "--out {path} 是文件（应为存放报告的文件夹）"),
    ("--out {path:repr} is a file (expected a folder for the cards)", "--out {path} 是文件（应为存放成绩卡的文件夹）"),
    (
        "--out {path:repr} holds other files ({files}), which the report did not write; it replaces its folder as a "
        "whole and never deletes what it did not write (choose an empty or new folder, or the folder of a previous "
        "report)",
        "--out {path} 中有不是报告写出的其他文件（{files}）；报告会整体替换该文件夹，"
        "从不删除不是它写出的文件（请选择空的或新的"
        "文件夹，或以前报告的文件夹）",
    ),
    (
        "--out {path:repr} holds other files ({files}), which the cards did not write; they replace their folder as a "
        "whole and never delete what they did not write (choose an empty or new folder, or the folder of earlier "
        "cards)",
        "--out {path} 中有不是反馈卡写出的其他文件（{files}）；反馈卡会整体替换该文件夹，"
        "从不删除不是它写出的文件（请选择空的或"
        "新的文件夹，或以前反馈卡的文件夹）",
    ),
    (
        "{path:repr} holds other files ({files}), which the trends report did not write; it replaces its folder as a "
        "whole and never deletes what it did not write (choose an empty or new folder, or the folder of a previous "
        "trends report)",
        "{path} 中有不是趋势报告写出的其他文件（{files}）；趋势报告会整体替换该文件夹，"
        "从不删除不是它写出的文件（请选择空的或"
        "新的文件夹，或以前趋势报告的文件夹）",
    ),
    (
        "--out {path:repr} overlaps the data folder {data:repr} (expected a separate folder, such as {example})",
        "--out {path} 与数据文件夹 {data} 重叠（应为另一个文件夹，如 {example}）",
    ),
    (
        "--out {path:repr} overlaps the data folder {data:repr} (expected a separate folder)",
        "--out {path} 与数据文件夹 {data} 重叠（应为另一个文件夹）",
    ),
    (
        "{path:repr} overlaps the data folder {data:repr} (expected a separate folder)",
        "{path} 与数据文件夹 {data} 重叠（应为另一个文件夹）",
    ),
    (
        "could not start a Jupyter kernel on {python} ({m_why}); is ipykernel installed? (`make venv` installs it)",
        "无法在 {python} 上启动 Jupyter 内核（{m_why}）；是否已安装 ipykernel？（`make venv` 会安装它）",
    ),
    (
        "the report notebook failed in cell In [{n}] ({cell}): {error}",
        "报告笔记本在单元格 In [{n}]（{cell}）出错：{error}",
    ),
    (
        "the trends notebook failed in cell In [{n}] ({cell}): {error}",
        "趋势笔记本在单元格 In [{n}]（{cell}）出错：{error}",
    ),
    (
        "{path:repr} is not a folder (expected a year's data folder, such as data/2011)",
        "{path} 不是文件夹（应为年度数据文件夹，如 data/2011）",
    ),
    (
        "{path:repr} has no year folders (expected folders named by the year, such as {example})",
        "{path} 中没有年度文件夹（应有以年份命名的文件夹，如 {example}）",
    ),
    (
        "the trends notebook {path} is missing (expected wfscore installed editable from its source tree, as "
        "`make venv` does)",
        "趋势笔记本 {path} 不存在（应从源代码以可编辑方式安装 wfscore，`make venv` 即是如此）",
    ),
    ("--jobs {n} is not a number of processes (expected 1 or more)", "--jobs {n} 不是进程数（应为 1 或更大）"),
    (
        "{name} {text:repr} is not usable (expected plain text without control characters)",
        "{name} {text} 不可用（应为不含控制字符的普通文本）",
    ),
    ("chromium could not print the PDF ({error})", "chromium 未能打印 PDF（{error}）"),
    (
        "no PDF was made: it needs Chrome, Edge or Chromium, and none was found (install one of them, or set "
        "WFSCORE_CHROMIUM to its executable)",
        "未生成 PDF：PDF 需要 Chrome、Edge 或 Chromium 浏览器，本机未找到（请安装其中之一，或将环境变量 "
        "WFSCORE_CHROMIUM "
        "设为其可执行文件）",
    ),
    (
        "the cards of {a:repr} and {b:repr} would have the same file name {name:repr} (expected department ids that "
        "differ)",
        "部门 {a} 和 {b} 的反馈卡文件名会相同（{name}）（部门编号应互不相同）",
    ),
    (
        "the card of {a:repr} would be named {name:repr}, as the index (expected another department id)",
        "部门 {a} 的反馈卡文件名会是 {name}，与索引页相同（应使用其他部门编号）",
    ),
    (
        "--check {path:repr} is not a folder (expected a folder of cards, such as reports/2011/cards)",
        "--check {path} 不是文件夹（应为反馈卡文件夹，如 reports/2011/cards）",
    ),
    (
        "no 通报.pdf was made: it needs LibreOffice, and none was found (install LibreOffice, or set WFSCORE_SOFFICE "
        "to its soffice); 通报.docx was written",
        "未生成通报.pdf：需要 LibreOffice，本机未找到（请安装 LibreOffice，或将环境变量 WFSCORE_SOFFICE 设为其 "
        "soffice）；"
        "已写出通报.docx",
    ),
    (
        "LibreOffice did not convert 通报.docx within {n} s; 通报.docx was written",
        "LibreOffice 未能在 {n} 秒内转换通报.docx；已写出通报.docx",
    ),
    (
        "LibreOffice could not be started ({m_why}); 通报.docx was written",
        "无法启动 LibreOffice（{m_why}）；已写出通报.docx",
    ),
    (
        "LibreOffice could not convert 通报.docx (exit status {n}: {said}); 通报.docx was written",
        "LibreOffice 未能转换通报.docx（退出状态 {n}：{said}）；已写出通报.docx",
    ),
    (
        "no PDF was made: chromium did not finish printing {name} ({size} MB of HTML) within {seconds} s, and was "
        "stopped (--no-pdf skips the PDF)",
        "未生成 PDF：chromium 未能在 {seconds} 秒内打印完 {name}（网页 {size} MB），已停止（加 --no-pdf 可跳过 PDF）",
    ),
    # ---- the review desk (review/) ----
    (
        "the desk does not change {field:repr} (expected confirmed, severity, value or rating)",
        "审核台不修改 {field}（只能修改 confirmed、severity、value 或 rating）",
    ),
    (
        "{text:repr} is not a valid {field} (expected a number from {low} to {high})",
        "{text} 不是有效的 {field}（应为 {low} 到 {high} 的数字）",
    ),
    ("{text:repr} is not a valid {field} (expected a number)", "{text} 不是有效的 {field}（应为数字）"),
    (
        "{text:repr} is not a valid {field} (expected one of {words})",
        "{text} 不是有效的 {field}（应为以下之一：{words}）",
    ),
    (
        "{file} line {line} is not a row of the table (expected a line between 2 and {last})",
        "{file} 第 {line} 行不是表中的数据行（应为第 2 至 {last} 行）",
    ),
    (
        "line {line} is not a row of the table (expected a line between 2 and {last})",
        "第 {line} 行不是表中的数据行（应为第 2 至 {last} 行）",
    ),
    ("a confirmed decision is True or False, not {value:repr}", "确认的决定应为 True 或 False，而不是 {value}"),
    ("a severity is one of {words}, not {value:repr}", "事故等级应为 {words} 之一，而不是 {value}"),
    (
        "{version:repr} is not a version name (expected a file name inside {folder})",
        "{version} 不是版本名（应为 {folder} 中的文件名）",
    ),
    (
        "{version:repr} is not a version of {folder} (expected one of the versions `wfscore history {folder2}` lists, "
        "e.g. {example})",
        "{version} 不是 {folder} 的版本（应为 `wfscore history {folder2}` 列出的版本之一，如 {example}）",
    ),
    (
        "{version:repr} is not a version of {folder} (expected one of the versions `wfscore history {folder2}` lists; "
        "there are none yet)",
        "{version} 不是 {folder} 的版本（应为 `wfscore history {folder2}` 列出的版本之一；目前还没有版本）",
    ),
    (
        "{path} has no column {cols} (expected {all}; the file is written by wfscore and must not be edited)",
        "{path} 缺少列 {cols}（应有列：{all}；此文件由 wfscore 写入，不得手工修改）",
    ),
    (
        "{path} has an id or ref that is not a whole number ({m_why}); the file is written by wfscore and must not "
        "be edited",
        "{path} 中有不是整数的 id 或 ref（{m_why}）；此文件由 wfscore 写入，不得手工修改",
    ),
    ("{log} is empty", "{log} 是空文件"),
    (
        "is not a table of the year (expected one of {files} in {folder})",
        "不是本年度的数据表（应为 {folder} 中的 {files} 之一）",
    ),
    (
        "is not a version kept in {folder} (expected a file name there, as wfscore writes it)",
        "不是 {folder} 中保存的版本（应为其中由 wfscore 写入的文件名）",
    ),
    (
        "nothing was changed ({log} is written by wfscore and must not be edited)",
        "未作任何修改（{log} 由 wfscore 写入，不得手工修改）",
    ),
    ("{path} is empty (expected a header row: {cols})", "{path} 是空文件（应有表头：{cols}）"),
    ("{path} has no column {cols} (expected {all})", "{path} 缺少列 {cols}（应有列：{all}）"),
    ("line {line}: id {id:repr} is not a whole number", "第 {line} 行：id {id} 不是整数"),
    ("line {line}: state {state:repr} is not one of {states}", "第 {line} 行：state {state} 不是 {states} 之一"),
    ("line {line}: kind {kind:repr} is not one of {kinds}", "第 {line} 行：kind {kind} 不是 {kinds} 之一"),
    ("{path}: the id {id} is used twice (expected each id once)", "{path}：id {id} 重复使用（每个 id 只应使用一次）"),
    ("{action} is a decision on incidents, not on {kind}", "{action} 是对事故的决定，不适用于 {kind}"),
    # ---- analysis (analysis/, engine/) ----
    ("{id:repr} is not a category or indicator of the scheme", "{id} 不是方案中的类别或指标"),
    (
        "the official scheme has no website_evaluation rule to switch on",
        "正式方案中没有可启用的 website_evaluation 规则",
    ),
    (
        "samples and chunk_size must be positive (got {a} and {b})",
        "samples 和 chunk_size 必须为正数（现为 {a} 和 {b}）",
    ),
    (
        "the samples were not kept: call analyse(..., keep_samples=True)",
        "没有保留抽样结果：请调用 analyse(..., keep_samples=True)",
    ),
    (
        "samples is {n}, too few for {k} uncertain inputs (expected at least {min}: the Saltelli design scores k + 2 "
        "samples per base row, and needs 2 base rows)",
        (
            "samples 为 {n}，对 {k} 个不确定输入太少（至少应为 {min}：Saltelli 设计每个基础行计算 k + 2 个样本，且需要 "
            "2 个基础行）"
        ),
    ),
    (
        "security_indicators was given, but the scheme has no security_incident rule (expected "
        "rules.security_incident in scheme.yaml, or no alternative scope)",
        "给出了 security_indicators，但方案中没有 security_incident 规则（scheme.yaml 中应有 rules.security_incident，"
        "或不给出其他范围）",
    ),
    (
        "security_indicators names {ids}, not indicators of the security-incident category {cat} (expected some of "
        "{own})",
        "security_indicators 中的 {ids} 不是安全事故类别 {cat} 的指标（应为以下各项中的若干：{own}）",
    ),
    (
        "base_percentile is {value:repr} (expected a percentile between 0 and 100, such as 95)",
        "base_percentile 为 {value}（应为 0 到 100 之间的百分位数，如 95）",
    ),
    (
        "{name:word} is {value:repr} (expected a fraction from 0 up to, not including, 1, such as 0.25 for ±25%)",
        "{name} 为 {value}（应为大于等于 0、小于 1 的比例，如 0.25 表示 ±25%）",
    ),
    (
        "security_indicators is empty (expected indicator ids such as 18, 19, 20, or None to keep the scheme's scope)",
        "security_indicators 为空（应为指标编号，如 18, 19, 20；或为 None，沿用方案的范围）",
    ),
    (
        "no years to compare (expected a run of consecutive years, such as 2011, 2012, 2013)",
        "没有可比较的年度（应为连续的若干年，如 2011, 2012, 2013）",
    ),
    (
        "years {years} are not a run of consecutive years (expected each year followed by the next, such as 2011, "
        "2012, 2013: departments are followed through each year's previous_ids)",
        "年度 {years} 不是连续的年份（应为逐年相接，如 2011, 2012, 2013：各部门按每年的 previous_ids 逐年追溯）",
    ),
    (
        "data_root {path:repr} is not a folder name (expected the folder holding one folder per year, such as data)",
        "data_root {path} 不是文件夹名（应为按年份分放各年度文件夹的文件夹，如 data）",
    ),
    (
        "data_root {path:repr} is not a folder (expected the folder holding one folder per year, such as data)",
        "data_root {path} 不是文件夹（应为按年份分放各年度文件夹的文件夹，如 data）",
    ),
    (
        "years {years} is not a list of two or more years (expected such as [2011, 2012, 2013])",
        "years {years} 不是两个或更多年份的列表（应如 [2011, 2012, 2013]）",
    ),
    (
        "years {years} are not consecutive (expected a run such as [2011, 2012, 2013])",
        "年度 {years} 不连续（应为连续的年份，如 [2011, 2012, 2013]）",
    ),
    (
        "data_root {path:repr} has no folder {years} (expected one folder per year, named by the year)",
        "data_root {path} 中没有文件夹 {years}（每个年度应有一个以年份命名的文件夹）",
    ),
    (
        "the scheme's indicators differ from those the year was loaded with ({a} vs {b}); load the year with this "
        "scheme instead",
        "方案的指标与读取该年度时的不同（{a} 与 {b}）；请改用此方案读取该年度",
    ),
    (
        "unknown ratings aggregation {method:repr} (expected one of {methods})",
        "未知的专家评分汇总方法 {method}（应为以下之一：{methods}）",
    ),
    (
        "unknown not_applicable mode {mode:repr} (expected one of {modes})",
        "未知的 not_applicable 方式 {mode}（应为以下之一：{modes}）",
    ),
    ("no department {dept:repr} in {s_source}", "{s_source} 中没有部门 {dept}"),
    (
        "memory is {value:repr} (expected a positive number of bytes, such as 1e9)",
        "内存上限为 {value}（应为正的字节数，如 1e9）",
    ),
    (
        "keeping all {n} samples of {d} departments needs about {need} of memory, more than the "
        "{allowed} allowed (expected at most {fit} samples kept, the samples not kept, or more memory allowed)",
        "保留 {d} 个部门的全部 {n} 个样本约需 {need} 内存，超过允许的 {allowed}（应最多保留 {fit} 个样本、"
        "不保留样本，或允许更多内存）",
    ),
    (
        "the robustness analysis of {d} departments needs about {need} of memory, more than the {allowed} "
        "allowed (expected more memory allowed, --memory on the command line, or fewer rule readings varied, "
        "--fix ratings or --fix index_base: each multiplies the scores kept)",
        "{d} 个部门的稳健性分析约需 {need} 内存，超过允许的 {allowed}（应允许更多内存，即命令行的 --memory，"
        "或少变动几项规则解读，如 --fix ratings 或 --fix index_base：每一项都会成倍增加保留的分数）",
    ),
    # ---- the pages served on 127.0.0.1 (panels/pages.py) ----
    ("403: this page answers 127.0.0.1 only", "403：此页面只应答本机 127.0.0.1 上的请求"),
    (
        "503: {n:number} pages are open already (each holds a Python process); close one, then open this again",
        "503：已经打开了 {n} 个页面（每个页面占用一个 Python 进程）；请先关闭一个页面再打开",
    ),
    # ---- the head of an InputError's text (inputs/problems.py) ----
    ("{n:number} errors", "{n} 个错误"),
    ("{n:number} error", "{n} 个错误"),
    ("{folder}: {n:number} errors", "{folder}：{n} 个错误"),
    ("{folder}: {n:number} error", "{folder}：{n} 个错误"),
    # ---- general forms last: they start with any text ----
    (
        "{path:repr} is not a folder (expected the folder holding one folder per year, such as data)",
        "{path} 不是文件夹（应为按年份分放各年度文件夹的文件夹，如 data）",
    ),
]

_FIELD = re.compile(r"\{(\w+)(?::([^{}]+))?\}")
# What a group may hold, by the name written after the colon (``{text:repr}``); any other
# text after the colon is a regular expression.
_KINDS = {
    "repr": r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"",  # a Python str's repr, as !r writes it
    "word": r"\S+",
    "rowword": r"line|row",
    "number": r"[0-9][0-9,]*",
}


def _pattern(english: str) -> re.Pattern[str]:
    """``english`` with each ``{name}`` a group of any text (as little as will do), or of
    what ``{name:regex}`` says."""
    parts, at, seen = [], 0, set()
    for found in _FIELD.finditer(english):
        parts.append(re.escape(english[at : found.start()]))
        name = found.group(1)
        assert name not in seen, f"{name} twice in {english!r}"
        seen.add(name)
        kind = found.group(2)
        parts.append(f"(?P<{name}>{_KINDS.get(kind, kind) if kind else '.+?'})")
        at = found.end()
    parts.append(re.escape(english[at:]))
    return re.compile("".join(parts), re.DOTALL)


def _template(chinese: str) -> str:
    return _FIELD.sub(lambda m: f"\\g<{m.group(1)}>", chinese)


class Entry:
    """One message of the catalogue: the pattern over the whole English message (compiled
    when first needed: compiling all of them would cost every command that prints a
    line in Chinese more than the rest of its start-up), the Chinese template using the
    pattern's groups, and the longest fixed part of the English, which a message must
    hold for the pattern to be tried at all."""

    __slots__ = ("english", "template", "fixed", "_pattern")

    def __init__(self, english: str, chinese: str):
        self.english = english
        self.template = _template(chinese)
        self.fixed = max(_FIELD.split(english)[::3], key=len)
        self._pattern: re.Pattern[str] | None = None

    @property
    def pattern(self) -> re.Pattern[str]:
        if self._pattern is None:
            self._pattern = _pattern(self.english)
        return self._pattern

    def match(self, message: str) -> re.Match[str] | None:
        return self.pattern.fullmatch(message) if self.fixed in message else None


CATALOGUE: list[Entry] = [Entry(en, zh) for en, zh in _ENTRIES] + [
    # pydantic's messages stand alone too: "is invalid: {m_why}" translates them
    Entry(en, zh)
    for en, zh in _PYDANTIC
]


# -- how each kind of group comes over ------------------------------------------------------


def source_zh(source: str) -> str:
    """A table's source in Chinese: ``data.xlsx, sheet values`` → ``data.xlsx 工作表 values``."""
    book, sep, sheet = source.rpartition(", sheet ")
    return f"{book} 工作表 {sheet}" if sep and book else source


def _choices(text: str) -> str:
    """``'a', 'b' or 'c'`` → ``'a'、'b' 或 'c'`` (only between quoted choices)."""
    text = re.sub(r"(?<=')(, )(?=')", "、", text)
    return re.sub(r"(?<=') or (?=')", " 或 ", text)


_GROUP_WAYS: dict[str, Callable[[str], str]] = {
    "s": source_zh,
    "t": lambda text: PHRASES.get(text, text),
    "m": lambda text: PHRASES.get(text) or _translate(text, 3) or text,
    "o": _choices,
}


def _expand(found: re.Match[str], template: str) -> str:
    groups = {}
    for name, text in found.groupdict().items():
        way = _GROUP_WAYS.get(name.split("_", 1)[0]) if "_" in name else None
        groups[name] = way(text) if way else text
        if name.startswith("t_") and groups[name][:1].isascii() and not groups[name][:1].isspace():
            groups[name] = " " + groups[name]  # 应为 CSV 文件: a space between Chinese and Latin
    return re.sub(r"\\g<(\w+)>", lambda m: groups[m.group(1)], template)


@lru_cache(maxsize=4096)
def _direct(message: str) -> str | None:
    for entry in CATALOGUE:
        found = entry.match(message)
        if found:
            return _expand(found, entry.template)
    return None


# -- a problem's whole line, and messages joined by "; " -------------------------------------

_WHERE = re.compile(
    r"(?P<source>.+?)(?: (?P<row_word>line|row) (?P<line>\S+))?"
    r"(?:, (?P<column_word>column|key|cell) (?P<column>.+))?",
    re.DOTALL,
)


class _Where:
    """What :func:`where_zh` reads of a problem, parsed back from its English line."""

    def __init__(self, found: re.Match[str]):
        self.source = found["source"]
        self.line = found["line"]
        self.row_word = found["row_word"] or "line"
        self.column = found["column"]
        self.column_word = found["column_word"] or "column"


def _problem_line(message: str, depth: int) -> str | None:
    """A problem's English line (``values.csv line 5, column value: 'x' is ...``) in Chinese."""
    for colon in (m.start() for m in re.finditer(": ", message)):
        where, what = message[:colon], message[colon + 2 :]
        place = _WHERE.fullmatch(where)
        if place is None:
            continue
        zh = _translate(what, depth + 1)
        if zh is None and what[:1] in "'\"":
            for end in (m.start() for m in re.finditer(re.escape(what[0]) + " ", what)):
                try:
                    from ast import literal_eval  # here: ast costs start-up

                    value = literal_eval(what[: end + 1])
                except (ValueError, SyntaxError):
                    continue
                if not isinstance(value, str) or repr(value) != what[: end + 1]:
                    continue
                rest = _translate(what[end + 2 :], depth + 1)
                if rest is not None:
                    zh = f"{what[: end + 1]} {rest}"
                    break
        if zh is not None:
            return f"{where_zh(_Where(place))}：{zh}"
    return None


MOST_PARTS = 4  # "; " within one message: at most this many pieces


@lru_cache(maxsize=4096)
def _translate(message: str, depth: int = 0) -> str | None:
    """``message`` in Chinese: one message of the catalogue, a problem's line, or several
    of these joined by ``"; "``.

    Joined messages are cut first, each piece as short as translates (a message may hold
    a "; " of its own, and a catalogue entry's group could otherwise swallow the next
    message); then the whole is tried as one message, then as a problem's line.
    """
    if depth > 4:
        return None
    parts = message.split("; ")
    if len(parts) > 1:
        # rest[i]: the Chinese of parts[i:], None where they do not translate
        rest: list[str | None] = [None] * len(parts) + [""]
        for i in range(len(parts) - 1, -1, -1):
            for j in range(i + 1, min(len(parts), i + MOST_PARTS) + 1):
                if rest[j] is None or (i == 0 and j == len(parts)):
                    continue
                head = "; ".join(parts[i:j])
                first = _direct(head) or _problem_line(head, depth + 1)
                if first is not None:
                    rest[i] = first + ("；" + rest[j] if rest[j] else "")
                    break
        if rest[0] is not None:
            return rest[0]
    zh = _direct(message) or _problem_line(message, depth + 1)
    if zh is None and message[:1] in "'\"" and message[-1:] == message[:1]:
        try:  # str() of a KeyError: the message as a repr
            from ast import literal_eval

            inner = literal_eval(message)
        except (ValueError, SyntaxError):
            inner = None
        if isinstance(inner, str) and repr(inner) == message:
            zh = _translate(inner, depth + 1)
    return zh


def to_zh(message: str) -> str | None:
    """The Chinese of ``message``, or None when the catalogue has none.

    A message of several lines (an InputError's text) is translated line by line, each
    line's indent kept; it has Chinese only if every line has."""
    if "\n" not in message:
        return _translate(message, 0)
    lines = []
    for line in message.split("\n"):
        text = line.lstrip(" ")
        zh = _translate(text, 0) if text else ""
        if zh is None:
            return None
        lines.append(line[: len(line) - len(text)] + zh)
    return "\n".join(lines)


def in_lang(message: str | BaseException, lang: str) -> str:
    """``message`` in ``lang``: the catalogue's Chinese under ``zh`` (English where it has none).

    ``message`` may be an exception: its own Chinese (``zh``, as a DecisionError
    carries) comes first, then the catalogue's for its text.
    """
    if isinstance(message, BaseException):
        own = getattr(message, "zh", None)
        if lang == "zh" and own:
            return own
        message = str(message.args[0]) if isinstance(message, KeyError) and message.args else str(message)
    return (to_zh(message) or message) if lang == "zh" else message


def where_zh(problem) -> str:
    """Where a problem is, in Chinese: ``values.csv 第 5 行，value 列``; ``scheme.yaml 第 3 行，
    键 sections[0].points``; ``data.xlsx 工作表 values 第 5 行``."""
    where = source_zh(problem.source)
    if problem.line is not None:
        where += f" 第 {problem.line} 行"
    if problem.column is not None:
        word = getattr(problem, "column_word", "column")
        if word == "key":
            where += f"，键 {problem.column}"
        elif word == "cell":
            where += f"，单元格 {problem.column}"
        else:
            where += f"，{problem.column} 列"
    return where
