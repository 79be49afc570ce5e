#!/usr/bin/env python3
"""Documents at a clerk's window (issue 16: a one-page document under 1 s, sealing under 2 s,
`verify_agreement` under 2 s): a one-page 调解协议书 rendered, the 受理通知书 rendered, the agreement put up
for signing (rendered with its signature boxes), a party's drawn signature, the mediator's drawn signature
then the committee's seal (what the mediator's one click does), and verification — in process
(online.signing.verify_pdf, the /verify/ page) and as the `yiwang verify_agreement FILE` command in a new
process (Django start-up included). The signing key is the case's committee's own (online.CommitteeCertificate).

Each measurement: the first call in the process (cold: fonts, keys, images loaded), then p50/p95 of wall
and CPU time over --repeat calls. CPU time (time.process_time; the child's for the command) is the honest
figure on a shared machine.

    scripts/with_postgres.py .venv/bin/python bench/agreement_bench.py [--repeat 20] [--profile NAME]
"""

import argparse
import cProfile
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, percentiles, setup_django


def drawing():
    """A signature as a phone's pad sends it: a few strokes on a transparent 600×200 canvas."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (600, 200), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    points = [(30 + 40 * k, 60 + 80 * (k % 2)) for k in range(14)]
    draw.line(points, fill=(20, 20, 60, 255), width=6, joint="curve")
    return image


def make_case():
    """A drafted one-page agreement between two people, its centre's committee holding its own certificate."""
    from yiwang.cases import actions as a
    from yiwang.online.certificates import make_committee_certificate
    from yiwang.testing import factories as f

    case = f.make_case("mediating", respondents=[{"kind": "person", "name": "林永康", "phone": "13857001234",
                                                   "id_number": "330902198001010011", "address": "舟山市普陀区六横镇"}])
    case = a.do_record_agreement(case, by=f.user("mediator_wang"), **f.agreement_fields())
    make_committee_certificate(case.centre)
    return case


def measure(fn, repeat: int) -> dict:
    started, cpu = time.perf_counter(), time.process_time()
    fn()
    cold = ((time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000)
    wall, cpus = [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return {"cold": cold, "wall": percentiles(wall), "cpu": percentiles(cpus)}


def command_timer(path: Path):
    """`yiwang verify_agreement path` in a new process: wall time, and the child's CPU time (rusage)."""
    def run():
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "yiwang", "verify_agreement", str(path)], cwd=ROOT,
                              capture_output=True, text=True, check=False)
        wall = (time.perf_counter() - started) * 1000
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        assert done.returncode == 0 and done.stdout.startswith("VALID"), done.stdout + done.stderr
        return wall, ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) * 1000
    return run


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--command-repeat", type=int, default=5)
    parser.add_argument("--profile", default="", help="cProfile one measurement (its name), print the top 25")
    args = parser.parse_args()
    var = tempfile.mkdtemp(prefix="agreement-bench-")
    os.environ.setdefault("YIWANG_VAR_DIR", var)
    setup_django()
    from yiwang.testing.world import load_test_world

    load_test_world()
    from yiwang.cases.documents import render_acceptance_notice, render_agreement
    from yiwang.online.documents import render_agreement_for_signing
    from yiwang.online.signing import sign_pdf, verify_pdf

    case = make_case()
    centre = case.centre
    pdf, slots = render_agreement_for_signing(case)
    assert len(slots) == 4, slots
    ink = drawing()
    parties_signed = pdf
    for slot in slots[:2]:
        parties_signed = sign_pdf(parties_signed, slot["label"], box=tuple(slot["box"]), image=ink, page=slot["page"],
                                  centre=centre)

    def sign_and_seal():
        signed = sign_pdf(parties_signed, slots[2]["label"], box=tuple(slots[2]["box"]), image=ink,
                          page=slots[2]["page"], centre=centre)
        return sign_pdf(signed, slots[3]["label"], box=tuple(slots[3]["box"]), seal=True, page=slots[3]["page"],
                        centre=centre)

    sealed = sign_and_seal()
    assert verify_pdf(sealed).valid, verify_pdf(sealed).as_text()
    path = Path(var) / "sealed.pdf"
    path.write_bytes(sealed)

    measurements = {
        "render agreement": lambda: render_agreement(case),
        "render acceptance notice": lambda: render_acceptance_notice(case),
        "render for signing (boxes)": lambda: render_agreement_for_signing(case),
        "a party signs (drawn)": lambda: sign_pdf(pdf, slots[0]["label"], box=tuple(slots[0]["box"]), image=ink,
                                                  page=slots[0]["page"], centre=centre),
        "mediator signs + seal": sign_and_seal,
        "verify (in process)": lambda: verify_pdf(sealed),
    }
    if args.profile:
        fn = measurements[args.profile]
        fn()
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(5):
            fn()
        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(int(os.environ.get("TOP", "25")))
        return
    print(f"agreement documents, {args.repeat} repetitions after a first (cold) call; ms; "
          f"pages: agreement {count_pages(render_agreement(case))}, notice {count_pages(render_acceptance_notice(case))}")
    print(f"{'measurement':<30}{'cold wall/cpu':>18}{'wall p50/p95':>18}{'cpu p50/p95':>18}")
    for name, fn in measurements.items():
        m = measure(fn, args.repeat)
        print(f"{name:<30}{pair(m['cold']):>18}{pair(m['wall']):>18}{pair(m['cpu']):>18}")
    run = command_timer(path)
    samples = [run() for _ in range(args.command_repeat)]
    wall = percentiles([s[0] for s in samples])
    cpu = percentiles([s[1] for s in samples])
    print(f"{'verify_agreement (process)':<30}{'':>18}{pair(wall):>18}{pair(cpu):>18}"
          f"   ({args.command_repeat} runs)")


def pair(figures) -> str:
    return f"{figures[0]:.0f} / {figures[1]:.0f}"


def count_pages(pdf: bytes) -> int:
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader

    return int(PdfFileReader(BytesIO(pdf), strict=False).root["/Pages"]["/Count"])


if __name__ == "__main__":
    main()
