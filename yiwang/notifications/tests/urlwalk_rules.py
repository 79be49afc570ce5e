"""The URL walk's rules for the notifications app's pages and API (see yiwang/core/tests/test_url_walk.py).

An inbox item is its owner's alone: everyone else (a superuser included) gets 404, as for a missing one."""

from dataclasses import replace

from yiwang.core.tests.urlwalk import Missing, Rule, scoped

ITEMS = lambda w: w["inbox_items"]  # noqa: E731
PK = lambda obj: {"pk": obj.pk}  # noqa: E731


def own(user, item) -> bool:
    return not isinstance(item, Missing) and user is not None and item.user_id == user.pk


def build(world) -> dict:
    """Two inbox items: the mediator's and the district staff's, about the first case."""
    from yiwang.accounts.models import User
    from yiwang.notifications.models import InboxItem

    case = world["cases"][0]
    items = [InboxItem.objects.create(user=User.objects.get(username=name), key=f"walk:{name}", kind="case.followed",
                                      text="测试通知", url=f"/cases/{case.pk}/")
             for name in ("mediator_wang", "putuo_staff")]
    return {"inbox_items": items}


def _format(rule: Rule) -> Rule:
    kwargs = rule.kwargs
    return replace(rule, kwargs=lambda obj: {**kwargs(obj), "format": "json"})


RULES = {
    "notifications:inbox": Rule("page", why="my own inbox: every signed-in user has one"),
    "notifications:open": Rule("object", objects=ITEMS, kwargs=PK, sees=own, ok=(302,),
                               why="marks it read and sends on to what it is about"),
    "notifications:read_all": Rule("post", why="POST only: mark all my items read"),
    "notifications:preferences": Rule("page", why="my channels and subscriptions"),
    "notifications:follow_case": Rule("post", objects=lambda w: w["cases"], kwargs=PK,
                                      sees=scoped("cases.Case", "case.view"), why="POST only: follow a case I see"),
    "notifications:status": Rule("public", why="the citizens' status look-up: a form"),
    "notification-list": Rule("page", api=True, why="my own inbox"),
    "notification-read": Rule("post", api=True, objects=ITEMS, kwargs=PK, sees=own, why="POST only: mark one read"),
    "notification-read-all": Rule("post", api=True, why="POST only: mark all read"),
}
for _key in ("notification-list", "notification-read", "notification-read-all"):
    RULES[f"{_key}.format"] = _format(RULES[_key])
