"""The demo window's calendar and the designed curves that drive the company's story.

Every curve is a function of the position in the window (0 at the first month, 1 at the last), so a
24-month and a 36-month demo tell the same story at the same relative moments. Lags are applied by
evaluating a curve at an earlier month index; months before the window take the curve's baseline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np

SECONDS_PER_DAY = 86_400

# Designed baselines and the months (as window fractions) when things change.
ONBOARDING_BEFORE = 0.50  # completion rate before the guided-onboarding initiative
ONBOARDING_AFTER = 0.80  # completion rate once the initiative has landed
ONBOARDING_RAMP_CENTRE = 0.475  # the initiative starts at ~40% of the window and lands over a few months
ONBOARDING_RAMP_WIDTH = 0.035
TRAINING_BASELINE = 0.88  # on-time completion of CS/support training in normal times
TRAINING_DIP_DEPTH = 0.30
TRAINING_DIP_CENTRE = 0.62
TRAINING_DIP_WIDTH = 0.10
ENGAGEMENT_BASELINE = 3.95
ENGAGEMENT_DIP_DEPTH = 0.55
ENGAGEMENT_DIP_CENTRE = 0.55  # engagement sags a little before training does (engage → build capability)
ENGAGEMENT_DIP_WIDTH = 0.09


@dataclass(frozen=True)
class Window:
    """The calendar months the demo covers: ``months`` months starting at ``start_month`` (UTC)."""

    start_month: date
    months: int

    @cached_property
    def month_starts(self) -> np.ndarray:
        """Epoch seconds of the first instant of each month, plus the instant after the window (len M+1)."""
        first = np.datetime64(self.start_month.strftime("%Y-%m"), "M")
        bounds = first + np.arange(self.months + 1)
        return bounds.astype("datetime64[s]").astype(np.int64)

    @cached_property
    def month_seconds(self) -> np.ndarray:
        """Length of each month in seconds."""
        return np.diff(self.month_starts)

    @property
    def start_ts(self) -> int:
        return int(self.month_starts[0])

    @property
    def end_ts(self) -> int:
        """The first instant after the window: nothing dated at or after it has happened yet."""
        return int(self.month_starts[-1])

    @property
    def end_month(self) -> date:
        return _to_date(self.month_starts[-2])

    def month_of(self, seconds: np.ndarray) -> np.ndarray:
        """Index of the window month each epoch-seconds value falls in (-1 before, M after)."""
        return np.searchsorted(self.month_starts, seconds, side="right") - 1

    def fraction(self, month_index: np.ndarray | int) -> np.ndarray:
        """Position of a month index in the window, 0 for the first month and 1 for the last."""
        return np.asarray(month_index, dtype=np.float64) / max(self.months - 1, 1)

    def calendar_month(self, month_index: np.ndarray | int) -> np.ndarray:
        """Calendar month number 1-12 of a window month index."""
        return (self.start_month.month - 1 + np.asarray(month_index)) % 12 + 1

    def label(self, month_index: int) -> str:
        """``YYYY-MM`` of a window month index, the stem of the monthly files."""
        return _to_date(self.month_starts[month_index]).strftime("%Y-%m")

    def month_start_date(self, month_index: int) -> date:
        return _to_date(self.month_starts[month_index])


def _to_date(seconds: np.int64) -> date:
    return np.datetime64(int(seconds), "s").astype("datetime64[D]").astype(date)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _bump(fraction: np.ndarray, centre: float, width: float) -> np.ndarray:
    return np.exp(-(((fraction - centre) / width) ** 2))


def onboarding_progress(fraction: np.ndarray) -> np.ndarray:
    """How far the guided-onboarding initiative has landed: 0 before, 1 after."""
    return _sigmoid((np.asarray(fraction) - ONBOARDING_RAMP_CENTRE) / ONBOARDING_RAMP_WIDTH)


def onboarding_completion(fraction: np.ndarray) -> np.ndarray:
    """Designed probability that an account created at this point completes onboarding in 30 days."""
    return ONBOARDING_BEFORE + (ONBOARDING_AFTER - ONBOARDING_BEFORE) * onboarding_progress(fraction)


def training_on_time(fraction: np.ndarray) -> np.ndarray:
    """Designed on-time completion of CS/support training: a dip for a stretch, then recovery."""
    return TRAINING_BASELINE - TRAINING_DIP_DEPTH * _bump(
        np.asarray(fraction), TRAINING_DIP_CENTRE, TRAINING_DIP_WIDTH
    )


def engagement_mean(fraction: np.ndarray) -> np.ndarray:
    """Designed mean engagement score (1-5)."""
    return ENGAGEMENT_BASELINE - ENGAGEMENT_DIP_DEPTH * _bump(
        np.asarray(fraction), ENGAGEMENT_DIP_CENTRE, ENGAGEMENT_DIP_WIDTH
    )


def engagement_dip(fraction: np.ndarray) -> np.ndarray:
    """0-1 intensity of the engagement dip, which also drives voluntary attrition."""
    return _bump(np.asarray(fraction), ENGAGEMENT_DIP_CENTRE, ENGAGEMENT_DIP_WIDTH)
