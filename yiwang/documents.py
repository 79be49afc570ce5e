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


def render_pdf_with_boxes(template: str, context: dict, *, prefix: str) -> tuple[bytes, dict]:
    """Render like render_pdf, and say where the elements whose id starts with `prefix` landed: {id:
    (page index, (x1, y1, x2, y2) in PDF points from the page's bottom left)}. A signature field put
    there covers exactly the element's box."""
    from weasyprint import HTML

    document = HTML(string=render_to_string(template, context)).render()
    px = 0.75  # WeasyPrint lays out in CSS pixels from the page's top left; PDF points are 3/4 of one
    boxes = {}
    for index, page in enumerate(document.pages):
        height = page.height * px
        for name, (left, top, right, bottom) in page.anchors.items():
            if name.startswith(prefix):
                boxes[name] = (index, (round(left * px, 1), round(height - bottom * px, 1),
                                       round(right * px, 1), round(height - top * px, 1)))
    return document.write_pdf(), boxes


def build_package(files) -> bytes:
    """A ZIP of (name, bytes) pairs, in the order given: the materials sent to a court (a judicial
    confirmation application, a delegated case returned for filing)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(name, content)
    return buffer.getvalue()
