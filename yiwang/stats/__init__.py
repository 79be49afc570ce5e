"""Statistics (统计分析) and the leaders' dashboard: exact figures for any area and period, read from
aggregates kept current as cases, problems and visits change, never recomputed from the raw tables.

models.py      Cell (area × grain × day × metric × key → n, total), CaseSignature (what a case counts as)
aggregates.py  facts of a case / problem / visit, applying −old +new to every ancestor area in the
               writer's transaction, and `rebuild()` (command `yiwang rebuild_stats`) after bulk loads
               (follow_case, follow_problem, follow_visit: the core.hooks this app connects in apps.py)
figures.py     the indicators and their definitions (get_case_figures, get_grid_figures, …)
actions.py     check_query: area and period of a request, scope (stats.view; outside → 404)
api.py         GET /api/v1/stats/cases/ and /api/v1/stats/grids/
views.py       /stats/<code>/ dashboard with drill-down, /stats/<code>/<table>.xlsx, /stats/<code>/month/Y-M.pdf
tables.py      the dashboard's tables (HTML, Excel and PDF render the same rows), charts.py inline SVG,
               exports.py the Excel layout
simulate.py    synthetic 浙江省 data (command `yiwang simulate`), used by bench/stats_bench.py
"""
