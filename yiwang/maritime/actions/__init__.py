"""Every change to the sea's records, one action each (a transaction, a permission check, a stale-version
check where a row is edited, an audit line). Pages, the API, the import command and the demo call these.

    vessels   do_register_vessel, do_update_vessel (version-checked), do_import_vessels, do_add_crew_member,
              check_vessel
    records   do_register_maritime_case (the maritime intake, through cases' own do_register_case),
              do_record_maritime_details, do_mark_major (to the district with a leader, through cases'
              do_escalate), get_major_reasons
    agencies  do_give_task, do_complete_task, do_attach_service, do_record_service_outcome,
              do_remind_overdue_tasks (cron: yiwang remind_agency_tasks)
    evidence  do_record_position (a vessel's position at a time, by the centre or an agency on its task)
    sessions  do_schedule_sea_session (remote by video, or on board; through online's do_schedule_session),
              do_record_sea_session (through cases' do_record_session)
"""

from yiwang.maritime.actions.agencies import (  # noqa: F401
    StaleTask,
    do_attach_service,
    do_complete_task,
    do_give_task,
    do_record_service_outcome,
    do_remind_overdue_tasks,
    get_agency_officers,
)
from yiwang.maritime.actions.evidence import do_record_position  # noqa: F401
from yiwang.maritime.actions.records import (  # noqa: F401
    MAJOR_CREW,
    MAJOR_LOSS,
    MAJOR_VESSELS,
    StaleRecord,
    do_mark_major,
    do_record_maritime_details,
    do_register_maritime_case,
    get_major_reasons,
)
from yiwang.maritime.actions.sessions import (  # noqa: F401
    do_record_sea_session,
    do_schedule_sea_session,
)
from yiwang.maritime.actions.vessels import (  # noqa: F401
    StaleVessel,
    check_vessel,
    do_add_crew_member,
    do_import_vessels,
    do_register_vessel,
    do_update_vessel,
)
