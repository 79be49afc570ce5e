"""Shared pieces of the benchmarks: Django set-up against the database in DATABASE_URL, timing, reports.

Benchmarks run on a throwaway PostgreSQL started by scripts/with_postgres.py (`make bench`). They print
figures; they assert nothing about speed.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789abcdefghijkl")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    # Personal data is encrypted at rest; with DEBUG off the keys must be given (fixed ones: a benchmark's).
    os.environ.setdefault("YIWANG_DATA_KEYS", "bench:YmVuY2htYXJrLW9ubHktZGF0YS1rZXktMDEyMzQ1Njc")
    os.environ.setdefault("YIWANG_DATA_HMAC_KEYS", "bench:YmVuY2htYXJrLW9ubHktaG1hYy1rZXktMDEyMzQ1Njc")
    # Benchmark users sign in with force_login, which passes no second factor; with DEBUG off two-factor would
    # otherwise be required of every staff role and each page would answer a redirect to the OTP set-up.
    os.environ.setdefault("YIWANG_TWO_FACTOR", "optional")
    if "DATABASE_URL" not in os.environ:
        sys.exit("DATABASE_URL is not set: run through scripts/with_postgres.py (make bench)")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Pages are rendered without running collectstatic first.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

    (Path(settings.STATIC_ROOT)).mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)


def percentiles(samples_ms: list[float]) -> tuple[float, float]:
    ordered = sorted(samples_ms)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return p50, p95


def timed(fn, repeat: int, warmup: int = 5) -> list[float]:
    """Milliseconds for each of `repeat` calls of fn(i), after `warmup` untimed calls."""
    for i in range(warmup):
        fn(-1 - i)
    samples = []
    for i in range(repeat):
        started = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def report(title: str, rows: dict[str, dict[int, tuple[float, float]]], sizes: list[int]) -> str:
    """A table: one line per measurement, p50/p95 at each size and the p50 and p95 ratios largest/smallest."""
    small, large = sizes[0], sizes[-1]
    head = f"{'measurement':<32}" + "".join(f"{'p50/p95 @' + format(n, ','):>26}" for n in sizes)
    lines = [title, head + f"{'p50 ratio':>12}{'p95 ratio':>12}"]
    for name, by_size in rows.items():
        cells = "".join(f"{f'{by_size[n][0]:.1f} / {by_size[n][1]:.1f} ms':>26}" for n in sizes)
        ratios = f"{by_size[large][0] / by_size[small][0]:>12.2f}{by_size[large][1] / by_size[small][1]:>12.2f}"
        lines.append(f"{name:<32}{cells}{ratios}")
    return "\n".join(lines)
