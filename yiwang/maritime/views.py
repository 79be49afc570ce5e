def get_case_panel(case, user, *, full_pii=False):
    return None


def get_home_tile(user):
    return None
