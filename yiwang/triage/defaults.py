"""The languages and dialects a new database starts with (migration 0002 installs the same rows, written
out as literals; triage/tests/test_profiles.py fails when the two differ). The centre adds or retires
rows in the admin; `load` adds missing ones and leaves existing ones alone.

普陀 people speak 普陀话 (a 舟山 variety of 吴语) and many older islanders nothing else; fishing crews
and factory workers come from 安徽, 四川, 河南, 贵州 and from 福建 (闽南话) and 温州; 宁波话 and 台州话
are close neighbours; 手语 is for deaf parties."""

# code, name
LANGUAGES = [
    ("putonghua", "普通话"),
    ("putuo", "普陀话（舟山话）"),
    ("ningbo", "宁波话"),
    ("taizhou", "台州话"),
    ("wenzhou", "温州话"),
    ("minnan", "闽南话"),
    ("sichuan", "四川话"),
    ("anhui", "安徽话"),
    ("henan", "河南话"),
    ("guizhou", "贵州话"),
    ("sign", "手语"),
]


def load(out=lambda line: None) -> None:
    """Add the default languages that are missing (master data: deterministic, idempotent)."""
    from yiwang.triage.models import Language

    for order, (code, name) in enumerate(LANGUAGES):
        Language.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    out(f"languages and dialects: {Language.objects.count()}")
