"""Write train.jsonl and heldout.jsonl from templates.txt and the fragments below, deterministically.

    python -m yiwang.triage.corpus.build

How the corpus is made (README "Triage" says the same): every template is one hand-written story, in a
citizen's or a clerk's words, labelled with the dispute type it means. A template is expanded into several
texts by filling its slots (town, village, time, money, months, family member) and wrapping it in an
opening, a rambling aside and a closing taken from the pools here. The split is by template: about one
template in four of every type, and half of each opening/aside/closing pool, go only to the held-out file,
so no held-out text shares its story or its wrapping with a training text. Place names are shared (every
town must be seen in training), and they say nothing about the type.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates.txt"
TRAIN, HELDOUT = HERE / "train.jsonl", HERE / "heldout.jsonl"
TRAIN_VARIANTS, HELDOUT_VARIANTS = 14, 6
HELDOUT_EVERY = 4  # the 2nd, 6th, 10th … template of each type is held out

# 普陀's towns and the names people use for them, with villages and neighbourhoods (the division file's
# names, shortened as people say them, and a few islands and places everybody knows).
TOWNS = {
    "沈家门": ["沈家门", "沈家门街道", "沈家门渔港边上", "半升洞", "鲁家峙", "蚂蚁岛", "墩头", "东大社区"],
    "东港": ["东港", "东港街道", "东港新城", "浦西", "葫芦岛", "塘头"],
    "朱家尖": ["朱家尖", "朱家尖街道", "白沙港", "南沙", "大洞岙", "顺母"],
    "展茅": ["展茅", "展茅街道", "螺门", "黄杨尖", "大展", "晓辉"],
    "六横": ["六横", "六横镇", "台门", "佛渡", "双屿港", "峧头", "小郭巨", "蟑螂山"],
    "虾峙": ["虾峙", "虾峙镇", "湖泥", "黄石", "晨港"],
    "桃花": ["桃花", "桃花岛", "桃花镇", "公前", "塔湾", "茅山"],
    "东极": ["东极", "东极岛", "庙子湖", "青浜"],
    "普陀山": ["普陀山", "普陀山镇", "龙沙", "白华"],
    "登步": ["登步", "登步岛"],
    "白沙": ["白沙", "白沙岛"],
    "勾山": ["勾山", "勾山街道"],
    "路下徐": ["路下徐", "路下徐村"],
    "开发区": ["普陀经济开发区", "开发区"],
}
VILLAGES = [
    "螺门村", "台门村", "佛渡村", "双塘新村", "五星村", "田岙村", "湖泥村", "公前村", "塔湾村", "东极村",
    "白沙港村", "南岙村", "葫芦村", "茅洋新村", "黄杨尖村", "沙井村", "大脉坑村", "青山村", "悬山村",
    "鲁家峙村", "马峙村", "蚂蚁岛村", "平阳浦村", "沙头村", "莲花村", "三和村", "路下徐村", "登步村",
]
TIMES = ["去年", "前年", "上个月", "前几天", "年前", "上礼拜", "今年三月份", "去年冬天", "端午前后",
         "前天", "八月份", "开渔以后", "国庆那几天", "春节前"]
MONEY = ["三千", "八千多", "两万", "一万五", "五万", "十二万", "六千五", "三万八", "一千二", "二十来万",
         "4800", "15000", "九千", "七万多"]
MONTHS = ["三", "五", "七", "八", "两", "十", "四", "半年零两", "十一", "六"]
WHO = ["我爸", "我妈", "我老公", "我老婆", "我儿子", "我女儿", "我老娘", "我外婆", "我弟弟", "我家老头子"]

# Wrappings: what people say around the story. Even positions go to training, odd ones to the held-out.
OPENINGS = [
    "", "你好，", "同志你好，我想问一下，", "我是{town}的，", "麻烦帮我看看，", "事情是这样的，",
    "喂，我姓陈，住{town}，", "我替我妈来问的，", "我们{village}的，", "我讲不太清楚，反正就是", "领导好，",
    "打扰一下，", "我跟你说啊，", "我老早就想来了，", "你们这里是管这个的吧，", "我在{town}住了几十年了，",
    "我是从{town}过来的，", "师傅你听我说，", "我姓王，", "我先说一下情况，",
]
ASIDES = [
    "", "这个事拖了好久了，", "我都跑了好几趟了，", "我年纪大了不识字，", "家里条件也不太好，",
    "打电话过去也没人接，", "我们是老实人，", "说出来都丢人，", "我一晚上没睡着，", "村里人都晓得这个事，",
    "我也不想闹大，", "我脾气不好，差点跟他吵起来，", "本来不想麻烦你们的，", "我儿子在外地也帮不上，",
    "讲道理讲不通，", "我手机里有照片的，", "我有聊天记录，", "我们这边人都这样，",
]
CLOSINGS = [
    "", "。谢谢", "。你们看看怎么弄", "，实在没办法了才来找你们", "，急死了", "。帮帮忙吧", "，我该怎么办",
    "，能不能尽快处理一下", "，麻烦你们了", "。就这个事", "，我要个说法", "，你们给评评理", "。我等你们电话",
    "，我先登记一下", "，拜托了", "。不晓得找谁",
]


def parse_templates(path: Path = TEMPLATES) -> list[dict]:
    """The templates in file order: {"dispute_type", "template" (id), "confusable", "text"}; the claims and
    details sections go to POOLS."""
    templates, current, count = [], None, {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header = re.fullmatch(r"\[([\w:]+)\]", line)
        if header:
            current = header.group(1)
            continue
        if ":" in current:
            pool, code = current.split(":", 1)
            POOLS[pool].setdefault(code, []).append(line)
            continue
        confusable = ""
        if line.startswith("~"):
            confusable, line = line[1:].split(" ", 1)
        count[current] = count.get(current, 0) + 1
        templates.append({"dispute_type": current, "template": f"{current}-{count[current]:02d}",
                          "confusable": confusable, "text": line.strip(), "index": count[current] - 1})
    return templates


# Filled by parse_templates from the [claims:code] and [details:code] sections.
POOLS: dict[str, dict[str, list[str]]] = {"claims": {}, "details": {}}


def is_held_out(template: dict) -> bool:
    return template["index"] % HELDOUT_EVERY == 1


def _fill(text: str, rng: random.Random, town: str) -> str:
    return text.format(
        town=rng.choice(TOWNS[town]), village=rng.choice(VILLAGES), time=rng.choice(TIMES),
        money=rng.choice(MONEY), months=rng.choice(MONTHS), who=rng.choice(WHO),
    )


def expand(template: dict, variants: int, held_out: bool, rng: random.Random) -> list[dict]:
    """`variants` texts of one template, each in another town and another wrapping."""
    half = 1 if held_out else 0
    openings, asides, closings = (pool[half::2] for pool in (OPENINGS, ASIDES, CLOSINGS))
    claims = ["", *POOLS["claims"].get(template["dispute_type"], [])[half::2]]
    details = ["", *POOLS["details"].get(template["dispute_type"], [])[half::2]]
    towns = list(TOWNS)
    out = []
    for n in range(variants):
        town = towns[(rng.randrange(len(towns)) + n) % len(towns)]
        story = _fill(template["text"], rng, town)
        opening, aside, closing = (_fill(rng.choice(pool), rng, town) for pool in (openings, asides, closings))
        # Half the texts carry the aside in the middle of the story (people ramble), half before it.
        if n % 2 and "，" in story:
            head, tail = story.split("，", 1)
            text = f"{opening}{head}，{aside}{tail}{closing}"
        else:
            text = f"{opening}{aside}{story}{closing}"
        detail = rng.choice(details)
        if detail:
            text = f"{text}，{detail}" if n % 3 else f"{detail}。{text}"
        claim = rng.choice(claims)
        if claim:
            text = f"{text}，{claim}"
        out.append({"text": text, "dispute_type": template["dispute_type"], "template": template["template"],
                    "confusable": template["confusable"], "town": town})
    return out


def make_rows() -> tuple[list[dict], list[dict]]:
    """(training rows, held-out rows), the same on every run."""
    rng = random.Random(20261201)
    train, held = [], []
    for template in parse_templates():
        if is_held_out(template):
            held += expand(template, HELDOUT_VARIANTS, True, rng)
        else:
            train += expand(template, TRAIN_VARIANTS, False, rng)
    return train, held


def build() -> tuple[int, int]:
    train, held = make_rows()
    for path, rows in ((TRAIN, train), (HELDOUT, held)):
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return len(train), len(held)


if __name__ == "__main__":
    train, held = build()
    print(f"train {train}, held-out {held}")
