"""The permission codes the notifications app declares (registered in `NotificationsConfig.ready()`): none.

Reading one's own inbox needs no code: every signed-in user has one. Who receives what follows the codes
of the apps the notices are about: case.view to hear of a case at all, case.route for a centre's new and
escalated cases, grid.handle for a unit's dispatched problems, stats.view for the daily digest (whoever
reads an area's statistics is who leads it)."""

PERMISSIONS: dict = {}
