"""The online app's URLs added since the walk's own list (yiwang/core/tests/test_url_walk.py): the signed
agreement's PDF through the API (`agreement_pdf`, downloaded with the API token)."""

from yiwang.core.tests.urlwalk import Rule

_PDF = Rule("page", api=True, kwargs=lambda _obj: {"pk": 10 ** 9}, allowed=lambda user: False,
            why="nothing is signed remotely in the walk's world: a missing agreement, 404 for every role")
RULES: dict[str, Rule] = {
    "signed-agreement-pdf": _PDF,
    "signed-agreement-pdf.format": Rule("page", api=True, kwargs=lambda _obj: {"pk": 10 ** 9, "format": "json"},
                                        allowed=lambda user: False, why=_PDF.why),
}
