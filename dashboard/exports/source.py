"""Where a page export gets its data: the web request (cached frames, the user's partner
scope) or the warehouse directly (command line, no user restriction)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from etl.core.config import NetworkConfig
from etl.workflow import plan

if TYPE_CHECKING:
    from sqlalchemy import Engine


@dataclass(frozen=True)
class Source:
    """The warehouse as one export sees it."""

    engine: Engine
    config: NetworkConfig  # the network (filters, partners); figures use plan_config()
    today: date
    user: str
    role: str | None  # None: command line
    scope: tuple[str, ...] | None  # partners the user may see; None: all
    load: Callable[..., tuple[pd.DataFrame, ...]]
    plan_config: Callable[[int | None], NetworkConfig]

    def frames(self, *names: str) -> tuple[pd.DataFrame, ...]:
        """Query results and derived frames by name (see dashboard.data.LOADERS/DERIVED)."""
        return self.load(*names)

    def visible(self, frame: pd.DataFrame, column: str = "partner_code") -> pd.DataFrame:
        """Only the rows of partners in scope."""
        if self.scope is None or column not in frame.columns:
            return frame
        return frame[frame[column].isin(self.scope)]


def web_source() -> Source:
    """The logged-in user's view (inside a request)."""
    from dashboard import access, data, planning

    user = access.current_user
    return Source(
        engine=data.engine(),
        config=data.config(),
        today=data.today(),
        user=user.username,
        role=access.current_role(),
        scope=access.partner_scope(),
        load=data.frames,
        plan_config=planning.config,
    )


def direct_source(engine: Engine, config: NetworkConfig, user: str, today: date) -> Source:
    """Everything, straight from the warehouse (command line)."""
    from dashboard.data import DERIVED, LOADERS

    loaded: dict[str, pd.DataFrame] = {}

    def one(name: str) -> pd.DataFrame:
        if name not in loaded:
            if name in DERIVED:
                source, derive = DERIVED[name]
                loaded[name] = derive(one(source))
            else:
                loaded[name] = LOADERS[name](engine)
        return loaded[name]

    def plan_config(version_id: int | None) -> NetworkConfig:
        ids = {v.id for v in plan.versions(engine, config)}
        return plan.current_config(engine, config, version_id if version_id in ids else None)

    return Source(
        engine=engine,
        config=config,
        today=today,
        user=user,
        role=None,
        scope=None,
        load=lambda *names: tuple(one(n) for n in names),
        plan_config=plan_config,
    )
