"""English a Chinese reader would see on a page rendered in zh-hans: the words of its visible text and of
the attributes a reader meets (placeholder, title, aria-label, alt, a button's value), outside scripts and
styles, without addresses, e-mail, identifiers and codes, and without the names in ALLOWED (product
names, units and standard abbreviations that Chinese pages print in Latin letters too)."""

import re
from html.parser import HTMLParser

# Words Chinese government pages print as they are.
ALLOWED = {
    "yiwang", "API", "PDF", "SMS", "MMSI", "Excel", "xlsx", "csv", "CSV", "JSON", "XML", "Open311", "QR", "ID",
    "URL", "IP", "OpenAPI", "Swagger", "UI", "PNG", "JPEG", "JPG", "GB", "MB", "KB", "km", "kg", "GPS", "App",
    "APP", "Token", "PAdES", "PKCS", "SHA", "UTC", "AM", "PM", "GB18030", "UTF", "WGS", "vs", "Django", "REST",
    "ZIP", "zip", "HTTP", "HTTPS", "AI", "CCTV", "Redis", "S3", "SQL", "No",
    "Control", "Command", "Mac",  # key names, as Chinese help texts print them
    "admin",  # the demo administrator's user name, shown where a user's name is
}
# Tokens that are not words of a sentence: addresses, e-mail, paths, user names, codes with digits.
NOT_PROSE = re.compile(
    r"\S+://\S*|\S+@\S+|(?<!\w)/\S*"  # addresses, e-mail, paths
    r"|\b\w*[_\d]\w*\b"  # user names and codes with digits or underscores
    r"|\b[a-z]+(?:\.[a-z_]+)+\b"  # dotted codes: permission codes, rule codes, file names
    r"|(?<![\w-])[A-Z]{2,4}(?![\w-])"  # short capital codes: a centre's case-number prefix, standard abbreviations
)
WORD = re.compile(r"(?<![\w-])[A-Za-z][A-Za-z'’]+(?![\w-])")
SKIP = {"script", "style", "code", "pre", "svg", "template", "noscript"}
READ_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}
# The admin's yes/no icons carry these as alt text (Django does not translate them).
BOOLEAN_ICONS = {"True", "False", "None"}


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            self.skipping += 1
            return
        values = dict(attrs)
        for name, value in attrs:
            if value and name in READ_ATTRIBUTES and not (tag == "img" and value in BOOLEAN_ICONS):
                self.parts.append(value)
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"])

    def handle_endtag(self, tag):
        if tag in SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def english_words(html: str) -> set[str]:
    reader = _Reader()
    reader.feed(html)
    text = NOT_PROSE.sub(" ", " ".join(reader.parts))
    return {word for word in WORD.findall(text) if word not in ALLOWED}
