"""What every app shares: scope, errors, action tables, registries, jobs, the outbox, the calendar.

Core imports no other yiwang app; every app may import core.
"""
