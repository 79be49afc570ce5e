"""{% form_snippets "cases.intake" %} and {% page_panels "maritime.vessel" obj %}: what other apps registered
for a form page or an object page (core.registry)."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from yiwang.core import registry

register = template.Library()


@register.simple_tag(takes_context=True)
def form_snippets(context, form: str) -> str:
    request = context.get("request")
    parts = []
    for snippet in registry.form_snippets:
        if snippet.form != form:
            continue
        value = snippet.context(request)
        if value:
            # The page's own form goes along, for a snippet that renders some of its fields.
            parts.append(render_to_string(snippet.template, {"snippet": value, "form": context.get("form")},
                                          request=request))
    return mark_safe("".join(parts))


@register.simple_tag(takes_context=True)
def page_panels(context, page: str, obj) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    parts = []
    for panel in registry.page_panels:
        if panel.page != page:
            continue
        value = panel.context(obj, user)
        if value:
            parts.append(render_to_string(panel.template, {"panel": value, "object": obj}, request=request))
    return mark_safe("".join(parts))
