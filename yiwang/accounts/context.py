from yiwang.core.scope import get_grants


def scope(request):
    """The signed-in user's grants, for the page header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"user_grants": get_grants(user)}
