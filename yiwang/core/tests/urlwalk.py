"""The machinery of the URL walk (test_url_walk.py): every URL pattern of the project, and one rule per
pattern saying how to build its URL and what each role must get back.

A rule names the objects it may be walked with (`objects(world)`, a few candidates) and who may see
each (`sees(user, obj)`, read from the scope rules: `visible_to`, `user_can`, the product's own
predicates). For every role the walk picks the first candidate the role sees (inside) and the first it
does not (outside; a missing object when the role sees every candidate), so the expectations follow the
grants instead of being listed by hand, and a view that forgets `visible_to` answers 200 where the rule
expects 404.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver

ANONYMOUS = "anonymous"


def get_patterns() -> dict[str, str]:
    """Every URL pattern reachable from the root resolver: key → its full route.

    The key is the namespaced name; a DRF format-suffix variant (`cases.json`) gets `.format` appended,
    and an unnamed pattern is keyed by its route."""
    found: dict[str, str] = {}

    def walk(resolver, prefix: str, namespaces: tuple[str, ...]):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern, route, namespaces + ((pattern.namespace,) if pattern.namespace else ()))
            elif isinstance(pattern, URLPattern):
                key = ":".join((*namespaces, pattern.name)) if pattern.name else route
                if "(?P<format>" in route:
                    key += ".format"
                found.setdefault(key, route)

    walk(get_resolver(), "", ())
    return found


class Missing:
    """An object that does not exist: what a role is walked with as 'outside' when it sees every
    candidate (a district-wide grant). Out of scope must look exactly like this."""

    pk = 999_999_999
    id = pk
    code = "999999999999"
    token = "0" * 43

    def __repr__(self):
        return "<missing>"


MISSING = Missing()


@dataclass
class Rule:
    """How one URL pattern is walked.

    kind:
      page   a signed-in page without an object (a list, a form): `allowed(user)` → 200 (or `ok`), else `denied`
      object a signed-in page on an object: inside → `ok`, outside → 404
      public reached by anyone (a token, a centre code, the login page): `ok` for everyone on the inside
             object, 404 on the outside one
      post   no GET exists: GET answers 405 to a signed-in role; POST to the outside object answers 404
             and changes nothing (see `version`)
    `api=True` sends the requests with the role's API token (anonymous: 401/403 where it must sign in).
    """

    kind: str
    why: str = ""
    objects: Callable | None = None  # world → candidates
    kwargs: Callable = lambda obj: {}  # candidate → URL kwargs
    sees: Callable | None = None  # (user, obj) → inside?
    allowed: Callable | None = None  # user → may open the page (kind page)
    ok: tuple[int, ...] = (200,)
    denied: tuple[int, ...] = (404,)
    anonymous: tuple[int, ...] | None = None  # None: the kind's default
    api: bool = False
    version: Callable | None = None  # obj → the row's version, to show a refused POST changed nothing
    roles: dict = field(default_factory=dict)  # username → ok statuses where a role differs (documented)
    missing: tuple[int, ...] = (404,)  # what a missing object answers, where that is not a plain 404


def scoped(model_path: str, action: str = "area.view", also: Callable | None = None):
    """`sees` for a scoped model: the model's own `visible_to(user, action)`, and `also(user, obj)`."""
    def sees(user, obj):
        from django.apps import apps

        if isinstance(obj, Missing):
            return False
        model = apps.get_model(model_path)
        visible = model.objects.visible_to(user) if action is None else model.objects.visible_to(user, action)
        if not visible.filter(pk=obj.pk).exists():
            return False
        return also is None or bool(also(user, obj))
    return sees


def can(action: str):
    """`allowed` for a page that needs `action` somewhere."""
    from yiwang.core.scope import user_can

    return lambda user: user_can(user, action)


def get_admin_rules() -> dict[str, str]:
    """The admin's patterns, covered as a group: each registered ModelAdmin's changelist, add, change,
    history and delete (walked by the admin test), and the site's own pages. key → why."""
    rules = {}
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        for view in ("changelist", "add", "change", "history", "delete"):
            rules[f"{prefix}_{view}"] = "walked by walk_admin for each ModelAdmin"
        rules[f"admin/{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/"] = (
            "the old address of the change page: a redirect to it")
    rules["admin/(?P<url>.*)$"] = "the admin's catch-all: an unknown admin address (walked as one)"
    for name, why in {
        "index": "walked: the admin's home", "app_list": "walked per app label",
        "login": "public: the admin's sign-in form", "logout": "POST only (Django's LogoutView)",
        "password_change": "walked", "password_change_done": "walked",
        "jsi18n": "walked: the admin's translation catalogue",
        "autocomplete": "walked without a field: 403 for anyone",
        "view_on_site": "redirects to the object's own page (none of the scoped models has one)",
        "auth_user_password_change": "the user admin's password form, walked for the admin",
    }.items():
        rules[f"admin:{name}"] = why
    return rules


# --- the walk -----------------------------------------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"application/(?:ld\+)?json\")[^>]*>", re.I)
EVENT_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)


def csp_problems(response) -> list[str]:
    """What breaks the Content-Security-Policy on a page: no header, inline script allowed, or an inline
    <script> or event-handler attribute the policy would block (issue 18)."""
    policy = response.get("Content-Security-Policy", "")
    if "script-src 'self'" not in policy or "unsafe-inline" in policy.split("script-src", 1)[1].split(";")[0]:
        return [f"Content-Security-Policy without script-src 'self' only: {policy!r}"]
    html = response.content.decode()
    return [f"inline script the policy blocks: {match[:80]}" for match in
            INLINE_SCRIPT.findall(html) + EVENT_ATTRIBUTE.findall(html)]


@dataclass
class Walk:
    """One role's walk: its clients, what it asked and what went wrong."""

    username: str
    user: object
    web: object
    api: object
    requests: int = 0
    failures: list = field(default_factory=list)
    english: dict = field(default_factory=dict)  # page → English words a Chinese reader would see on it

    def ask(self, method: str, url: str, *, api: bool):
        client = self.api if api else self.web
        self.requests += 1
        try:
            return getattr(client, method)(url)
        except Exception as error:  # the test client re-raises a view's exception: that is a 500
            self.failures.append(f"{method.upper()} {url}: raised {error!r}")
            return None

    def expect(self, method: str, url: str, statuses, *, api: bool, why: str = ""):
        response = self.ask(method, url, api=api)
        if response is None:
            return None
        status = response.status_code
        if status >= 500 or status not in statuses:
            self.failures.append(f"{method.upper()} {url}: {status}, expected {'/'.join(map(str, statuses))}"
                                 + (f" ({why})" if why else ""))
        elif status == 200 and not api and response.get("Content-Type", "").startswith("text/html"):
            from yiwang.testing.english import english_words

            self.failures.extend(f"{method.upper()} {url}: {problem}" for problem in csp_problems(response))
            words = english_words(response.content.decode())
            if words:
                self.english[f"{method.upper()} {url}"] = sorted(words)
        elif status == 302 and self.user is None and not api and statuses == (302,) and why == "sign-in":
            if "login" not in response.get("Location", ""):
                self.failures.append(f"GET {url}: redirected to {response['Location']}, not to sign in")
        return response


def _url(key: str, kwargs: dict) -> str:
    from django.urls import reverse

    name = key.removesuffix(".format")
    return reverse(name, kwargs=kwargs or None)


def walk_rule(walk: Walk, key: str, rule: Rule, world) -> None:
    """GET (or, where no GET exists, POST on the outside object) the pattern for one role."""
    user, anonymous = walk.user, walk.user is None
    public = rule.kind == "public"
    if anonymous and not public:
        default = (401, 403) if rule.api else (302,)
        signed_out = rule.anonymous or default
    if rule.objects is None:
        url = _url(key, rule.kwargs(None))
        if anonymous and not public:
            walk.expect("get", url, signed_out, api=rule.api, why="sign-in")
        elif rule.kind == "post":
            walk.expect("get", url, (405,), api=rule.api, why="POST only")
        else:
            allowed = public or rule.allowed is None or rule.allowed(user)
            ok = rule.roles.get(walk.username) or (rule.ok if allowed else rule.denied)
            walk.expect("get", url, ok, api=rule.api, why=rule.why)
        return
    candidates = [obj for obj in rule.objects(world) if obj is not None]
    inside = next((obj for obj in candidates if rule.sees(user, obj)), None)
    outside = next((obj for obj in candidates if not rule.sees(user, obj)), MISSING)
    for obj, is_inside in ((inside, True), (outside, False)):
        if obj is None:
            continue
        url = _url(key, rule.kwargs(obj))
        if rule.kind == "post":
            if anonymous and not public:
                walk.expect("get", url, rule.anonymous or signed_out, api=rule.api, why="sign-in")
                continue
            walk.expect("get", url, rule.anonymous if anonymous and rule.anonymous else (405,), api=rule.api,
                        why="POST only")
            if not is_inside:
                before = rule.version(obj) if rule.version and not isinstance(obj, Missing) else None
                out = rule.missing if isinstance(obj, Missing) else (404,)
                walk.expect("post", url, out, api=rule.api, why="POST on an object outside the scope")
                after = rule.version(obj) if rule.version and not isinstance(obj, Missing) else None
                if before != after:
                    walk.failures.append(f"POST {url}: refused but changed the object ({before} → {after})")
        elif anonymous and not public:
            walk.expect("get", url, signed_out, api=rule.api, why="sign-in")
        elif is_inside:
            ok = rule.roles.get(walk.username) or rule.ok
            walk.expect("get", url, ok, api=rule.api, why=rule.why or "inside the scope")
        else:
            out = rule.missing if isinstance(obj, Missing) else (404,)
            walk.expect("get", url, out, api=rule.api, why="outside the scope")


# --- the admin, as a group ---------------------------------------------------------------------------

# The action a scoped ModelAdmin's rows are read under (the model's own visible_to; area.view otherwise).
ADMIN_SCOPE_ACTION = {"cases.case": "case.view"}


def _admin_request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def walk_admin(walk: Walk) -> None:
    """Every ModelAdmin's changelist and add page, and its change, history and delete pages for the first
    row the role sees and the first it does not (a missing one when it sees them all).

    Signed out or not staff: sent to the admin's sign-in. Staff: what the ModelAdmin's own permission
    methods grant (200) or refuse (403); a scoped row outside `visible_to` is 404; a missing row of an
    unscoped model is Django's redirect to the admin's index (302)."""
    from django.contrib.admin.utils import quote
    from django.urls import reverse

    user = walk.user
    staff = user is not None and user.is_active and user.is_staff
    sign_in = (302,)
    site_pages = [reverse("admin:index"), reverse("admin:password_change"), reverse("admin:password_change_done"),
                  "/admin/no/such/page/"]
    for url in site_pages:
        walk.expect("get", url, (200, 302, 404) if staff else sign_in, api=False, why="admin site page")
    walk.expect("get", reverse("admin:jsi18n"), (200,) if staff else sign_in, api=False, why="translation catalogue")
    walk.expect("get", reverse("admin:login"), (200, 302), api=False, why="the admin's sign-in")
    walk.expect("get", reverse("admin:autocomplete"), (403,) if staff else sign_in, api=False,
                why="no field named: refused")
    for model, model_admin in admin.site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        if not staff:
            walk.expect("get", reverse(f"{info}_changelist"), sign_in, api=False, why="sign in to the admin")
            continue
        request = _admin_request(user)
        may_view = model_admin.has_view_or_change_permission(request)
        walk.expect("get", reverse(f"{info}_changelist"), (200,) if may_view else (403,), api=False,
                    why="changelist")
        walk.expect("get", reverse(f"{info}_add"), (200,) if model_admin.has_add_permission(request) else (403,),
                    api=False, why="add form")
        walk.expect("get", reverse("admin:app_list", args=[model._meta.app_label]),
                    (200,) if model_admin.has_module_permission(request) else (200, 403, 404), api=False,
                    why="app index")
        from yiwang.admin import ScopedAdmin

        manager = model._default_manager
        scoped_model = isinstance(model_admin, ScopedAdmin)  # the others are national or superuser-only
        if scoped_model:
            action = ADMIN_SCOPE_ACTION.get(model._meta.label_lower)
            visible = manager.visible_to(user, action) if action else manager.visible_to(user)
            inside = visible.order_by("pk").first()
            outside = manager.exclude(pk__in=visible.values("pk")).order_by("pk").first() or MISSING
        else:
            inside, outside = manager.order_by("pk").first(), MISSING
        for obj, is_inside in ((inside, True), (outside, False)):
            if obj is None:
                continue
            for view, permitted in (("change", model_admin.has_view_or_change_permission),
                                    ("history", model_admin.has_view_or_change_permission),
                                    ("delete", model_admin.has_delete_permission)):
                url = reverse(f"{info}_{view}", args=[quote(obj.pk)])
                if is_inside:
                    ok = (200,) if permitted(request, obj) else (403,)
                elif scoped_model:
                    ok = (404,)
                elif view == "history":  # Django's own answer for a missing row: sent on to the index
                    ok = (302,)
                else:  # refused without the permission, else sent on
                    ok = (302,) if permitted(request) else (403,)
                walk.expect("get", url, ok, api=False, why=f"admin {view}, {'inside' if is_inside else 'outside'}")
