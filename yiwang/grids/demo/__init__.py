"""普陀区 demo grids (`master`: grids, teams and members, deterministic and idempotent) and their activity
(`activity`: visits and problems, loaded by `yiwang demo` only)."""

from yiwang.grids.demo.activity import load_activity
from yiwang.grids.demo.master import OPEN311_KEY, PUTUO, grid_count, load

__all__ = ["OPEN311_KEY", "PUTUO", "grid_count", "load", "load_activity"]
