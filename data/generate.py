"""Generate the synthetic sample years in ``data/<year>/``.

    python data/generate.py 2011            # writes data/2011/*.csv (scheme.yaml is hand-written)
    python data/generate.py 2011 2012 2013  # every sample year
    python data/generate.py 2011 --departments 100000 --out /tmp/big   # a large year for benchmarks

The data is SYNTHETIC: the department names are real-sounding Weifang municipal
bodies, but every value, rating, exemption, incident and achievement is drawn from
random numbers with a fixed seed. It looks like a real office's year: most
departments mid-to-high, a long tail, a few stars, a handful of exemptions,
incidents and missing values.

Later years continue 2011. The roster changes as real rosters do (``CHANGES``: a
few departments renamed, two merged into one, one new; ``departments.csv`` then
has a ``previous_ids`` column), and each department's latent quality carries over
from the year before with a small drift, plus a few real movers (``MOVERS``), so
that ranks correlate from year to year without being frozen. Each year has its own
stories (``PLANS``: exemptions, incidents, missing values) and its own hand-written
``scheme.yaml``, whose indicators the values follow.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

HERE = Path(__file__).resolve().parent

# (kind, dept_id prefix, names). Kinds are the scheme's kind ids.
ROSTER: list[tuple[str, str, list[str]]] = [
    (
        "party",
        "P",
        [
            "市委办公室",
            "市委组织部",
            "市委宣传部",
            "市委统战部",
            "市委政法委",
            "市纪委",
            "市委政策研究室",
            "市委机构编制委员会办公室",
            "市直机关工委",
            "市委老干部局",
            "市委党校",
            "市委党史研究室",
            "市委台湾工作办公室",
            "潍坊日报社",
        ],
    ),
    ("npc", "N", ["市人大常委会办公厅"]),
    (
        "government",
        "G",
        [
            "市政府办公室",
            "市发展和改革委员会",
            "市经济和信息化委员会",
            "市教育局",
            "市科学技术局",
            "市公安局",
            "市监察局",
            "市民政局",
            "市司法局",
            "市财政局",
            "市人力资源和社会保障局",
            "市国土资源局",
            "市环境保护局",
            "市住房和城乡建设局",
            "市规划局",
            "市交通运输局",
            "市水利局",
            "市农业局",
            "市林业局",
            "市畜牧兽医局",
            "市海洋与渔业局",
            "市商务局",
            "市文化广电新闻出版局",
            "市卫生局",
            "市人口和计划生育委员会",
            "市审计局",
            "市外事侨务办公室",
            "市国有资产监督管理委员会",
            "市地方税务局",
            "市体育局",
            "市统计局",
            "市安全生产监督管理局",
            "市食品药品监督管理局",
            "市物价局",
            "市粮食局",
            "市旅游局",
            "市人民防空办公室",
            "市城市管理行政执法局",
            "市园林管理局",
            "市公用事业管理局",
            "市民族宗教事务局",
            "市政府法制办公室",
            "市金融工作办公室",
            "市信访局",
            "市机关事务管理局",
            "市经济合作局",
            "市中小企业局",
            "市房产管理局",
            "市政府研究室",
            "市农业机械管理局",
            "市扶贫开发办公室",
            "市口岸办公室",
            "市供销合作社",
            "市老龄工作委员会办公室",
            "市史志办公室",
            "市地震局",
            "市档案局",
            "市住房公积金管理中心",
            "市社会保险事业局",
            "市医疗保险事业处",
            "市就业办公室",
            "市政务服务中心管理办公室",
            "市公共资源交易中心",
            "市广播电视台",
            "市农业科学院",
            "市教育招生考试院",
            "市疾病预防控制中心",
            "市公路管理局",
            "市港航管理局",
            "市国库集中支付中心",
            "市节能办公室",
            "市散装水泥办公室",
            "市文物管理委员会办公室",
            "市新型墙体材料办公室",
            "市城市规划设计研究院",
            "市畜牧业科技推广站",
            "市水文水资源勘测局",
            "市会计核算中心",
            "市政府驻北京联络处",
            "市招商服务中心",
            "市信息中心",
            "市城市建设档案馆",
            "市质量监督检验所",
            "市环境监测站",
            "市政府采购中心",
            "市建筑工程管理局",
        ],
    ),
    ("cppcc", "C", ["市政协办公厅"]),
    ("court", "J", ["市中级人民法院"]),
    ("procuratorate", "K", ["市人民检察院"]),
    (
        "people_org",
        "R",
        [
            "市总工会",
            "团市委",
            "市妇联",
            "市科协",
            "市文联",
            "市社科联",
            "市侨联",
            "市工商联",
            "市残联",
            "市红十字会",
            "市贸促会",
        ],
    ),
    (
        "vertical",
        "V",
        [
            "市国家税务局",
            "市工商行政管理局",
            "市质量技术监督局",
            "市气象局",
            "潍坊海关",
            "市邮政管理局",
            "市烟草专卖局",
            "人民银行潍坊市中心支行",
            "潍坊银监分局",
            "潍坊出入境检验检疫局",
            "国家统计局潍坊调查队",
            "潍坊海事局",
            "市盐务局",
            "市无线电管理处",
        ],
    ),
]

# 2011 plan: which indicators are measured, and the stories of the year. Ids are
# the 2011 scheme's; the scheme itself is read from scheme.yaml. A later year's
# scheme may drop an indicator (13 is gone from 2012) or add ones (rated by the panel).
FIRST_YEAR = 2011
RATE, PER_HEAD, SELF_CHECK = "12", "13", "S1"
EXPERTS = ["E1", "E2", "E3", "E4", "E5"]

EXEMPTIONS = [  # (department name, indicator or category id, reason, confirmed)
    ("市人大常委会办公厅", "12", "本机关无行政审批及公共服务事项", True),
    ("市政协办公厅", "12", "本机关无行政审批及公共服务事项", True),
    ("市委党史研究室", "12", "本单位无行政审批及公共服务事项", True),
    ("市总工会", "16", "本年度未承担市级信息工程建设项目", True),
    ("市残联", "14", "未承担全市重点信息基础工程建设任务", True),
    ("市气象局", "website", "网站由省气象局统一建设和运维，本局无独立网站", True),
    ("市科协", "19", "尚未配发电子政务数字证书", False),
    ("市烟草专卖局", "12", "行政许可由省局系统统一办理", False),
]
INCIDENTS = [  # (department name, date, severity, description)
    ("市房产管理局", "2011-03-17", "ordinary", "门户网站页面被篡改，两小时内恢复"),
    ("市旅游局", "2011-06-02", "ordinary", "办公电脑感染病毒导致内网短时中断"),
    ("市旅游局", "2011-09-21", "ordinary", "网站后台弱口令被利用发布垃圾信息"),
    ("市公安局", "2011-08-11", "major", "业务系统数据库遭入侵，部分数据泄露"),
    ("市中小企业局", "2011-11-05", "major", "涉密计算机违规接入互联网"),
]
MISSING = [  # (department name, indicator): no value, no ratings
    ("市地震局", "13"),
    ("市贸促会", "7"),
    ("市盐务局", SELF_CHECK),
    ("市供销合作社", "22"),
]
STARS = ["市经济和信息化委员会", "市政务服务中心管理办公室", "市公安局", "市国家税务局", "市地方税务局"]
TAIL = [
    "市老龄工作委员会办公室",
    "市散装水泥办公室",
    "市政府驻北京联络处",
    "市盐务局",
    "市红十字会",
    "市新型墙体材料办公室",
    "市史志办公室",
]

# -- later years ------------------------------------------------------------------------------
# How the roster changed since the year before (names are the previous year's):
#   ("rename", old name, new name, new dept_id or None to keep the id)
#   ("merge", [old names], new name, new dept_id)        the new department continues all of them
#   ("new", name, kind, dept_id)                           placed after the last department of its kind
CHANGES: dict[int, list[tuple]] = {
    2012: [
        ("rename", "市规划局", "市城乡规划局", None),
        ("rename", "市机关事务管理局", "市政府机关事务管理局", "G87"),
        ("new", "市政府应急管理办公室", "government", "G88"),
    ],
    2013: [
        ("merge", ["市卫生局", "市人口和计划生育委员会"], "市卫生和计划生育委员会", "G89"),
        ("rename", "潍坊日报社", "潍坊报业集团", None),
        ("rename", "市经济合作局", "市投资促进局", "G90"),
    ],
}
DRIFT = 0.035  # the year-to-year wobble of a department's latent quality
MOVERS: dict[int, dict[str, float]] = {  # real changes of a year (new leadership, staff lost, ...)
    2012: {
        "市旅游局": 0.22,
        "市体育局": 0.18,
        "市中小企业局": 0.15,
        "市档案局": -0.2,
        "市残联": -0.15,
        "市农业机械管理局": -0.18,
        "市老龄工作委员会办公室": 0.25,
    },
    2013: {
        "市信访局": 0.2,
        "市民政局": 0.16,
        "市统计局": -0.2,
        "市口岸办公室": -0.16,
        "市史志办公室": 0.22,
        "市体育局": -0.12,
        "市港航管理局": 0.17,
    },
}
PLANS: dict[int, dict[str, list[tuple]]] = {
    2011: {"exemptions": EXEMPTIONS, "incidents": INCIDENTS, "missing": MISSING},
    2012: {
        "exemptions": [
            ("市人大常委会办公厅", "12", "本机关无行政审批及公共服务事项", True),
            ("市政协办公厅", "12", "本机关无行政审批及公共服务事项", True),
            ("市委党史研究室", "12", "本单位无行政审批及公共服务事项", True),
            ("市总工会", "16", "本年度未承担市级信息工程建设项目", True),
            ("市气象局", "website", "网站由省气象局统一建设和运维，本局无独立网站", True),
            ("市科协", "19", "电子政务数字证书已申领，尚在配发中", True),
            ("市政府应急管理办公室", "14", "新设机构，本年度未承担重点信息基础工程建设任务", True),
            ("市烟草专卖局", "12", "行政许可由省局系统统一办理", False),
        ],
        "incidents": [
            ("市房产管理局", "2012-04-09", "ordinary", "网站遭受拒绝服务攻击，服务中断半天"),
            ("市城乡规划局", "2012-07-15", "ordinary", "内网终端感染木马病毒"),
            ("市体育局", "2012-10-22", "major", "门户网站被植入非法链接，被上级部门通报"),
        ],
        "missing": [("市地震局", "15"), ("市贸促会", "7"), ("市粮食局", SELF_CHECK)],
    },
    2013: {
        "exemptions": [
            ("市人大常委会办公厅", "12", "本机关无行政审批及公共服务事项", True),
            ("市政协办公厅", "12", "本机关无行政审批及公共服务事项", True),
            ("市委党史研究室", "12", "本单位无行政审批及公共服务事项", True),
            ("市残联", "14", "未承担全市重点信息基础工程建设任务", True),
            ("市气象局", "website", "网站由省气象局统一建设和运维，本局无独立网站", True),
            ("市红十字会", "28", "本单位未开展面向公众的移动政务服务", True),
            ("市烟草专卖局", "12", "行政许可由省局系统统一办理", False),
            ("市盐务局", "27", "尚未开通政务微博", False),
        ],
        "incidents": [
            ("市交通运输局", "2013-03-05", "ordinary", "办公电脑感染勒索病毒，部分文件损坏"),
            ("市卫生和计划生育委员会", "2013-06-18", "ordinary", "机构合并期间网站停更两周"),
            ("市投资促进局", "2013-09-02", "major", "涉密文件通过互联网邮箱传输"),
            ("市投资促进局", "2013-11-20", "ordinary", "网站后台账号口令泄露"),
        ],
        "missing": [("市史志办公室", "28"), ("市供销合作社", "22"), ("市盐务局", SELF_CHECK)],
    },
}

ACHIEVEMENT_TITLES = {
    "23": ["全国电子政务应用示范单位", "国家信息化试点工程验收优秀", "全国政务公开现场会典型发言"],
    "24": ["全省电子政务先进单位", "全省信息化示范试点", "省政府网站绩效评估优秀", "全省信息化工作现场会"],
    "25": ["全市信息化工作先进单位", "全市政务网站建设先进单位", "全市信息化现场观摩会", "市级信息化示范项目"],
    "26": ["争取省信息化建设专项资金", "国家电子政务工程项目立项", "省级信息资源开发利用项目"],
}


def roster(n: int | None, rng: np.random.Generator) -> pd.DataFrame:
    """The real-sounding roster, or ``n`` numbered departments for a large test year."""
    if n is None:
        rows = [
            (f"{prefix}{k:02d}", name, kind) for kind, prefix, names in ROSTER for k, name in enumerate(names, start=1)
        ]
        return pd.DataFrame(rows, columns=["dept_id", "name", "kind"])
    kinds = [kind for kind, _, names in ROSTER for _ in names]
    drawn = rng.choice(kinds, size=n)
    return pd.DataFrame(
        {
            "dept_id": [f"D{k:06d}" for k in range(1, n + 1)],
            "name": [f"合成部门{k:06d}" for k in range(1, n + 1)],
            "kind": drawn,
        }
    )


def quality(depts: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """A latent capability per department: most mid-to-high, a long tail, a few stars."""
    n = len(depts)
    q = rng.beta(5.0, 2.2, size=n)
    tail = rng.random(n) < 0.08
    q[tail] = rng.beta(2.0, 4.0, size=tail.sum())
    q[depts["name"].isin(STARS).to_numpy()] = rng.uniform(0.93, 0.99, size=depts["name"].isin(STARS).sum())
    q[depts["name"].isin(TAIL).to_numpy()] = rng.uniform(0.15, 0.35, size=depts["name"].isin(TAIL).sum())
    return q


def _changed(depts: pd.DataFrame, q: np.ndarray, year: int, rng: np.random.Generator):
    """The roster and latent quality of ``year``, from the year before's: the year's
    ``CHANGES`` applied, quality drifted, the year's ``MOVERS`` moved."""
    rows = [
        dict(dept_id=d, name=n, kind=k, previous_ids="", q=x)
        for d, n, k, x in zip(depts["dept_id"], depts["name"], depts["kind"], q)
    ]
    at = {row["name"]: n for n, row in enumerate(rows)}
    gone: set[int] = set()
    for change in CHANGES[year]:
        if change[0] == "rename":
            _, old, new, new_id = change
            row = rows[at[old]]
            row["name"] = new
            if new_id:
                row["previous_ids"], row["dept_id"] = row["dept_id"], new_id
        elif change[0] == "merge":
            _, olds, new, new_id = change
            parts = [rows[at[name]] for name in olds]
            merged = dict(
                dept_id=new_id,
                name=new,
                kind=parts[0]["kind"],
                previous_ids=";".join(p["dept_id"] for p in parts),
                q=float(np.mean([p["q"] for p in parts])),
            )
            rows[at[olds[0]]] = merged
            gone |= {at[name] for name in olds[1:]}
        else:
            _, name, kind, new_id = change
            last = max(n for n, row in enumerate(rows) if row["kind"] == kind)
            rows.insert(last + 1, dict(dept_id=new_id, name=name, kind=kind, previous_ids="", q=np.nan))
            gone = {g + (g > last) for g in gone}
            at = {row["name"]: n for n, row in enumerate(rows)}
    rows = [row for n, row in enumerate(rows) if n not in gone]
    out = pd.DataFrame(rows)
    old = out["q"].to_numpy(dtype=float)
    fresh = np.isnan(old)
    moved = out["name"].map(MOVERS.get(year, {})).fillna(0.0).to_numpy()
    q = np.clip(old + rng.normal(0, DRIFT, size=len(out)) + moved, 0.08, 0.99)
    q[fresh] = rng.beta(5.0, 2.2, size=fresh.sum())
    return out.drop(columns="q"), q


def lineage(year: int) -> tuple[pd.DataFrame, np.ndarray]:
    """The roster of ``year`` (with ``previous_ids`` after the first year) and each
    department's latent quality, continued from year to year since ``FIRST_YEAR``."""
    rng = np.random.default_rng(FIRST_YEAR)  # the first year's draws, exactly as generate() makes them
    depts = roster(None, rng)
    q = quality(depts, rng)
    for later in range(FIRST_YEAR + 1, year + 1):
        if later not in CHANGES:
            raise SystemExit(
                f"no roster changes are planned for {later} (expected one of "
                f"{', '.join(map(str, CHANGES))}); add them to CHANGES in data/generate.py"
            )
        depts, q = _changed(depts, q, later, np.random.default_rng([later, 1]))
    return depts, q


def generate(
    scheme: dict, seed: int, n: int | None = None, values_only: bool = False, year: int | None = None
) -> dict[str, pd.DataFrame]:
    """The year's tables. ``n`` numbered departments instead of the roster; with
    ``values_only`` qualitative indicators get the panel's mean in values.csv
    instead of one ratings.csv row per expert (smaller files for large years).
    ``year`` (default: the first) picks the roster and the year's stories."""
    rng = np.random.default_rng(seed)
    year = year or FIRST_YEAR
    if n is None and year != FIRST_YEAR:
        depts, q = lineage(year)
    else:
        depts = roster(n, rng)
        q = quality(depts, rng)
    plan = PLANS.get(year, PLANS[FIRST_YEAR])
    by_name = dict(zip(depts["name"], depts["dept_id"]))
    rules = scheme.get("rules", {})
    web = rules.get("website_evaluation") or {}
    categories = [c for s in scheme["sections"] for c in s["categories"]]
    indicators = [(str(i["id"]), c["id"], i) for c in categories for i in c["indicators"]]
    overridden_kinds = set(web.get("kinds", []))
    is_gov = depts["kind"].isin(overridden_kinds).to_numpy()

    exempt: set[tuple[str, str]] = set()
    exemption_rows = []
    if n is None:
        for name, target, reason, confirmed in plan["exemptions"]:
            ids = [i for i, c, _ in indicators if c == target] or [target]
            for ind in ids:
                exemption_rows.append((by_name[name], ind, reason, "true" if confirmed else "false"))
                if confirmed:
                    exempt.add((by_name[name], ind))
    missing = {(by_name[name], ind) for name, ind in plan["missing"]} if n is None else set()

    dept_ids = depts["dept_id"].to_numpy()
    values, ratings = [], []
    expert_bias = rng.normal(0, 3, size=len(EXPERTS))
    for ind, cat, spec in indicators:
        method = spec.get("method", "index")
        if method == "binary":
            continue
        effect = rng.normal(0, 0.05)
        skip = np.isin(dept_ids, [d for d, i in exempt | missing if i == ind])
        if cat == web.get("category"):
            skip |= is_gov
        keep = ~skip
        noise = rng.normal(0, 1, size=len(depts))
        if ind == RATE:
            drawn = np.round(np.clip(100 * q**0.7 + 6 * noise, 5, 100), 1)
        elif ind == PER_HEAD:
            drawn = np.round(np.clip(0.45 + 1.05 * q + 0.12 * noise, 0.3, 2.2), 2)
        elif method == "direct":
            drawn = np.round(np.clip(spec["weight"] * (0.58 + 0.4 * q + 0.04 * noise), 0, spec["weight"]), 1)
        else:
            centre = 100 * (0.42 + 0.55 * q + effect)
            panel = np.clip(
                np.round(centre[:, None] + expert_bias + rng.normal(0, 5, size=(len(depts), len(EXPERTS)))), 0, 100
            )
            if values_only:
                drawn = np.round(panel.mean(axis=1), 2)
            else:
                rated = keep[:, None] & (rng.random(panel.shape) >= 0.01)  # 1%: an expert did not rate
                d, e = np.nonzero(rated)
                ratings.append(
                    pd.DataFrame(
                        {
                            "dept_id": dept_ids[d],
                            "indicator": ind,
                            "expert": np.array(EXPERTS)[e],
                            "rating": panel[d, e].astype(int),
                        }
                    )
                )
                continue
        values.append(pd.DataFrame({"dept_id": dept_ids[keep], "indicator": ind, "value": drawn[keep]}))

    website = [
        (dept_id, round(float(np.clip(52 + 45 * q[d] + rng.normal(0, 4), 20, 100)), 1))
        for d, (dept_id, gov) in enumerate(zip(depts["dept_id"], is_gov))
        if gov
    ]

    incidents = [(by_name[name], date, sev, text) for name, date, sev, text in plan["incidents"]] if n is None else []

    achievements = []
    odds = {"23": 0.02, "24": 0.07, "25": 0.18, "26": 0.06}
    for ind, titles in ACHIEVEMENT_TITLES.items():
        chance = odds[ind] * (0.3 + 1.7 * q**3)
        for d in np.flatnonzero(rng.random(len(depts)) < chance):
            count = 2 if rng.random() < 0.15 else 1
            for _ in range(count):
                confirmed = rng.random() > 0.15
                achievements.append(
                    (depts["dept_id"].iat[d], ind, str(rng.choice(titles)), "true" if confirmed else "false")
                )

    return {
        "departments": depts,
        "values": pd.concat(values, ignore_index=True).sort_values(["dept_id"], kind="stable"),
        "ratings": (
            pd.concat(ratings, ignore_index=True).sort_values(["dept_id"], kind="stable")
            if ratings
            else pd.DataFrame(columns=["dept_id", "indicator", "expert", "rating"])
        ),
        "website_eval": pd.DataFrame(website, columns=["dept_id", "score"]),
        "exemptions": pd.DataFrame(exemption_rows, columns=["dept_id", "indicator", "reason", "confirmed"]),
        "incidents": pd.DataFrame(incidents, columns=["dept_id", "date", "severity", "description"]),
        "achievements": pd.DataFrame(achievements, columns=["dept_id", "indicator", "title", "confirmed"]),
    }


SYNTHETIC_NOTE = """本文件夹中的数据为合成数据（synthetic），由 data/generate.py 以固定随机种子生成，
部门名称仿照潍坊市直部门，但所有指标值、专家评分、不适用申请、安全事故和奖励成果均为随机生成，
不代表任何部门的真实考核结果。

This folder's data is SYNTHETIC, generated by data/generate.py with a fixed seed.
Department names imitate Weifang's municipal bodies, but every value, rating,
exemption, incident and achievement is random and describes no real department.
"""


def write(tables: dict[str, pd.DataFrame], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(out / f"{name}.csv", index=False, lineterminator="\n")
    (out / "SYNTHETIC").write_text(SYNTHETIC_NOTE, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("year", type=int, nargs="+", help="the year(s) whose scheme.yaml to use, e.g. 2011")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: the year)")
    parser.add_argument(
        "--departments",
        type=int,
        default=None,
        help="make this many numbered departments instead of the Weifang roster",
    )
    parser.add_argument(
        "--values-only",
        action="store_true",
        help="put the expert panel's mean in values.csv instead of writing ratings.csv rows",
    )
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: data/<year>)")
    args = parser.parse_args(argv)
    if len(args.year) > 1 and (args.out or args.seed is not None):
        parser.error("--out and --seed take one year")
    for year in args.year:
        scheme_path = HERE / str(year) / "scheme.yaml"
        scheme = yaml.safe_load(scheme_path.read_text(encoding="utf-8"))
        out = args.out or HERE / str(year)
        tables = generate(
            scheme, args.seed if args.seed is not None else year, args.departments, args.values_only, year
        )
        write(tables, out)
        if out.resolve() != scheme_path.parent.resolve():
            (out / "scheme.yaml").write_bytes(scheme_path.read_bytes())
        print(f"wrote {len(tables['departments'])} departments to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
