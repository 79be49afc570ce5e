"""Compile the translation catalogues (.po → .mo) without needing GNU gettext on the machine."""

from pathlib import Path

import polib

PACKAGE_DIR = Path(__file__).resolve().parent


def compile_catalogs() -> int:
    count = 0
    # The project's catalogue (yiwang/locale) and each app's own (yiwang/<app>/locale).
    for po_path in PACKAGE_DIR.glob("**/locale/*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        count += 1
    return count


if __name__ == "__main__":
    compile_catalogs()
