"""Grids (党建+网格): grids below villages, village teams and their Friday visits, problems found and
cleared (日清月结、动态清零), boards and month-end settlements, and Open311 GeoReport v2.

models.py     Grid, TeamMember (grid teams are areas.Team of kind "grid"), VisitTask, Visit, Problem,
              ProblemEvent, Photo, Open311Key
schedule.py   the weekly visit plan (django.tasks task `plan_visits`, command `yiwang plan_visits`) and
              what a public holiday does to the visit day
actions.py    every change: do_log_visit, do_report_problem, do_receive_request (Open311), the workflow
              steps (STEPS; do_accept … do_close), do_refer_to_mediation, do_follow_case
boards.py     board counts, month-end report, figures per area and period
exports.py    month-end report as PDF and Excel
open311.py    /open311/v2/
"""
