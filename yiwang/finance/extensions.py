"""What the financial desk adds to the apps below it, registered from FinanceConfig.ready(): the bank's
elements on the case page (core.registry.case_panels) and the desk's tile on the home page."""

from yiwang.core import registry


def get_case_panel(case, user, *, full_pii: bool = False):
    """The bank's 要素式 elements of a case a bank submitted; None for any other case."""
    from yiwang.finance.models import BankCase

    return BankCase.objects.select_related("bank__organisation", "batch").filter(case=case).first()


def get_home_tile(user) -> dict | None:
    """The desk for a bank's operator (their bank's batches) or the centre (every bank); else nothing."""
    from yiwang.finance.actions import get_submitting_banks
    from yiwang.finance.models import Bank, is_centre_user

    banks = get_submitting_banks(user)
    if banks:
        return {"banks": banks, "operator": True}
    if is_centre_user(user, "masterdata.change") and Bank.objects.visible_to(user).exists():
        return {"banks": [], "operator": False}
    return None


def register() -> None:
    registry.case_panels.register(registry.CasePanel(
        name="finance.elements", template="finance/_case_panel.html", context=get_case_panel, slot="main",
        order=30))
    registry.home_tiles.register(registry.HomeTile(
        name="finance.desk", template="finance/home_tile.html", context=get_home_tile, order=30))
