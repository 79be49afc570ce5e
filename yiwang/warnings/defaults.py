"""The rules every install starts with: the live copy of what migrations 0002 and 0003 write as literals
(a test fails when they differ). The README's table lists the same numbers."""

# code, name, mode, level, yellow, orange, red, window_days, minimum, words, extra
DEFAULT_RULES = [
    ("group.size", "群体性纠纷（涉及人数）", "instant", "yellow", 5, 30, 100, None, None, [], {}),
    ("group.respondent", "群体性纠纷（同一被申请人）", "instant", "yellow", 3, 5, 10, 30, None, [], {}),
    ("repeat.party", "重复当事人", "instant", "yellow", 3, 5, None, 90, None, [], {}),
    ("repeat.returned", "结案后再次发生", "instant", "yellow", None, None, None, 365, None, [], {}),
    ("repeat.reopened", "司法确认被驳回", "instant", "yellow", None, None, None, None, None, [], {}),
    ("danger.extreme", "极端行为苗头", "instant", "red", None, None, None, None, None,
     ["跳楼", "跳海", "跳河", "自杀", "轻生", "寻死", "不想活", "同归于尽", "喝农药", "服毒", "自焚", "割腕",
      "杀了他", "杀人", "炸药", "报复社会"], {}),
    ("danger.mass", "群体性事件苗头", "instant", "orange", None, None, None, None, None,
     ["拉横幅", "打横幅", "集体上访", "联名上访", "堵路", "堵门", "围堵", "静坐", "游行", "罢工", "闹事",
      "上访 +group", "讨说法 +group"], {}),
    ("harm.casualty", "人员伤亡", "instant", "red", None, None, None, None, None,
     ["身亡", "遇难", "致死", "当场死亡", "抢救无效", "死亡事故", "重伤", "致残", "伤残", "截肢", "植物人"], {}),
    ("harm.amount", "涉案金额巨大", "instant", "yellow", 500000, 2000000, 10000000, None, None, [], {}),
    ("stalled.major", "重大纠纷久拖未决", "pattern", "orange", None, None, None, 10, None, [], {}),
    ("at_sea.casualty", "海上人员伤亡失踪", "instant", "red", None, None, None, None, None,
     ["死亡", "身亡", "遇难", "失踪", "失联", "落水", "下落不明", "溺亡", "尸体"], {}),
    ("at_sea.collision", "多船碰撞", "instant", "orange", None, 2, 4, None, None,
     ["碰撞", "相撞", "撞船", "碰擦", "撞上"], {}),
    ("at_sea.vessel_repeat", "同一船舶重复纠纷", "instant", "yellow", 3, 5, 8, 90, None, [], {}),
    ("at_sea.crew_wages", "船员集中追讨工资", "instant", "yellow", 5, 10, 30, 60, None,
     ["工资", "工钱", "欠薪", "报酬", "劳务费", "分红"], {"no_contract_share": 0.5}),
    ("spike.cases", "纠纷数量异常增长", "pattern", "yellow", 3, 8, 20, 7, 5, [],
     {"alpha": 0.001, "baseline_years": 3, "recent_weeks": 8, "floor": 0.5}),
    ("spike.problems", "网格问题数量异常增长", "pattern", "yellow", 3, 8, 20, 7, 5, [],
     {"alpha": 0.0001, "baseline_years": 3, "recent_weeks": 8, "floor": 0.5}),
]


def rule_rows() -> list[dict]:
    """The defaults as Rule field values."""
    return [{"code": code, "name": name, "mode": mode, "level": level, "yellow": yellow, "orange": orange, "red": red,
             "window_days": window, "minimum": minimum, "words": "\n".join(words), "extra": extra}
            for code, name, mode, level, yellow, orange, red, window, minimum, words, extra in DEFAULT_RULES]


def build_rules() -> dict:
    """Unsaved Rule objects with the defaults, by code (the backtest and tests without a database row)."""
    from yiwang.warnings.models import Rule

    return {row["code"]: Rule(**row) for row in rule_rows()}
