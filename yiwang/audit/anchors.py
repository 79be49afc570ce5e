"""Daily anchors of the audit chain: the head (row id and hash) written, with the date, to a file under
settings.AUDIT_ANCHOR_DIR (YIWANG_AUDIT_ANCHOR_DIR; var/audit-anchors by default), one file a day, which the
operator keeps elsewhere too (copied off the machine, printed, mailed). A row changed or removed before an
anchor then shows even if the whole chain after it was recomputed: `yiwang verify_audit` checks each anchor.

    write_anchor(day=None) → Path | None     the day's anchor (None while the log is empty); idempotent
    read_anchors() → list[dict]              every anchor in the directory, oldest first
    anchor_audit                             the task (django.tasks) the `yiwang anchor_audit` command enqueues
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from yiwang.audit.chain import get_head
from yiwang.core.tasks import task

PREFIX = "audit-anchor-"


def anchor_dir() -> Path:
    return Path(settings.AUDIT_ANCHOR_DIR)


def write_anchor(day: dt.date | None = None) -> Path | None:
    """Write the chain head as the anchor of `day` (today by default). A second run the same day rewrites
    that day's file with the newer head; earlier days' files are never touched."""
    day = day or timezone.localdate()
    head = get_head()
    if head is None:
        return None
    directory = anchor_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{PREFIX}{day.isoformat()}.json"
    content = {"date": day.isoformat(), "id": head[0], "hash": head[1], "written_at": timezone.now().isoformat()}
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(content, ensure_ascii=False) + "\n", encoding="utf-8")
    partial.replace(path)  # atomic: a reader never sees half a file
    return path


def read_anchors() -> list[dict]:
    """Every anchor file in the directory (oldest first), each with `source` (its file name); a file that
    cannot be read is returned as a problem for verify (no id)."""
    directory = anchor_dir()
    if not directory.is_dir():
        return []
    anchors = []
    for path in sorted(directory.glob(f"{PREFIX}*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            anchors.append({"id": int(data["id"]), "hash": str(data["hash"]), "date": data.get("date", ""),
                            "source": path.name})
        except (OSError, ValueError, KeyError, TypeError):
            anchors.append({"id": None, "hash": "", "source": path.name})
    return anchors


@task()
def anchor_audit(day: str | None = None) -> str:
    """Background task: write the day's anchor (see write_anchor); `day` an ISO date, by default today."""
    path = write_anchor(dt.date.fromisoformat(day) if day else None)
    return str(path) if path else ""
