"""Printable documents: an HTML template rendered to PDF by WeasyPrint with the CJK fonts embedded.

Templates extend `documents/base.html`, which sets the font family on `html` (so page-margin boxes
embed the same face) and A4 margins. Fonts are the system's Noto CJK (Debian `fonts-noto-cjk`).
"""

from django.template.loader import render_to_string


def render_pdf(template: str, context: dict, *, base_url: str | None = None) -> bytes:
    """Render `template` with `context` to PDF bytes."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=base_url).write_pdf()
