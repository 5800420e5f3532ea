"""Opening hours as weekly intervals, and "now" as a minute of the week in a time zone.

A schedule says: on these days, from `opens_at` to `closes_at`, local time at the
location. The index stores each as intervals of *local* minutes since Monday 00:00, with
the location's time zone beside them; "open now" asks, for each zone in use, whether the
local minute of the week now falls in an interval. Local minutes, not UTC ones, so that a
change of the clocks (summer time) needs no rebuild.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..models import DEFAULT_TIMEZONE, WEEKDAYS, Schedule

MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY

Interval = tuple[int, int]  # [starts, ends) in local minutes since Monday 00:00


@cache
def zone_info(name: str) -> ZoneInfo:
    """The time zone of that IANA name; the default zone for an unknown name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def zone_name(name: str) -> str:
    """The zone's IANA name as it will be read back (the default zone for an unknown one)."""
    return str(zone_info(name or DEFAULT_TIMEZONE).key)


def week_minute(moment: datetime.datetime, zone: str) -> int:
    """The local minute of the week (Monday 00:00 is 0) of `moment` in `zone`."""
    local = moment.astimezone(zone_info(zone))
    return local.weekday() * MINUTES_PER_DAY + local.hour * 60 + local.minute


def _minutes(value: datetime.time) -> int:
    return value.hour * 60 + value.minute


def is_current(schedule: Schedule, day: datetime.date) -> bool:
    """Whether the schedule applies on `day` (its validity dates, when it has any)."""
    if schedule.valid_from is not None and schedule.valid_from > day:
        return False
    return schedule.valid_to is None or schedule.valid_to >= day


def schedule_intervals(schedule: Schedule) -> list[Interval]:
    """The weekly intervals of one schedule.

    No days: every day. No times: all day. Closing at or before the opening time: open
    past midnight, into the next day (the week wraps from Sunday to Monday).
    """
    days = schedule.days or WEEKDAYS
    if schedule.opens_at is None and schedule.closes_at is None:
        opens, closes = 0, MINUTES_PER_DAY
    else:
        opens = _minutes(schedule.opens_at) if schedule.opens_at else 0
        closes = _minutes(schedule.closes_at) if schedule.closes_at else MINUTES_PER_DAY
        if closes <= opens:
            closes += MINUTES_PER_DAY
    found: list[Interval] = []
    for day in dict.fromkeys(days):
        start = WEEKDAYS.index(day) * MINUTES_PER_DAY + opens
        end = WEEKDAYS.index(day) * MINUTES_PER_DAY + closes
        if end > MINUTES_PER_WEEK:
            found.append((start, MINUTES_PER_WEEK))
            found.append((0, end - MINUTES_PER_WEEK))
        else:
            found.append((start, end))
    return found


def merged(intervals: Iterable[Interval]) -> list[Interval]:
    """The same time as few intervals as possible, in order."""
    result: list[Interval] = []
    for start, end in sorted(intervals):
        if result and start <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], end))
        else:
            result.append((start, end))
    return result


def weekly_intervals(schedules: Iterable[Schedule], *, day: datetime.date) -> list[Interval]:
    """The intervals of the schedules that apply on `day`, merged."""
    return merged(
        interval
        for schedule in schedules
        if is_current(schedule, day)
        for interval in schedule_intervals(schedule)
    )


def is_open(intervals: Iterable[Interval], minute: int) -> bool:
    return any(start <= minute < end for start, end in intervals)
