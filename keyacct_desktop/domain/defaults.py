"""The defaults of the settings that domain rules read, as plain literals.

``settings.catalog`` declares every setting at start-up, before the main window is shown;
importing the rules themselves for their defaults (their dataclasses and enums) cost the
cold start ~20 ms. The rules import their defaults from here too, so each is written once.
"""

from __future__ import annotations

# -- domain.economics: credit score and arrears risk (``economics.*`` settings)
DEFAULT_CREDIT_SCORE: dict[str, float] = {
    "start": 100.0,
    "recovery_per_pct": 2.0,
    "recovery_cap": 40.0,
    "on_time_per_pct": 0.5,
    "on_time_cap": 20.0,
    "overdue_per_count": 3.0,
    "overdue_count_cap": 15.0,
    "overdue_per_day": 0.5,
    "overdue_days_cap": 15.0,
    "violation_each": 15.0,
    "violation_cap": 30.0,
    "high_energy": 5.0,
    "operating_trouble": 10.0,
    "decline_below": -0.2,
    "decline": 5.0,
}
DEFAULT_CREDIT_RATINGS: dict[str, float] = {"AAA": 90, "AA": 80, "A": 70, "B": 60}
DEFAULT_ARREARS_RISK: dict[str, float] = {
    "high_days": 30,
    "high_amount": 100_000.0,
    "medium_days": 10,
    "medium_amount": 10_000.0,
}

# -- domain.billing: basic-charge advice
#: Defaults of the ``billing.basic_charge`` and ``billing.capacity_advice`` settings.
DEFAULT_BASIC_CHARGE: dict[str, float] = {
    "capacity_price": 28.0,
    "demand_price": 42.0,
    "demand_floor_share": 0.40,
    "demand_tolerance": 1.05,
    "excess_factor": 2.0,
    "declared_step_kw": 1.0,
}
DEFAULT_CAPACITY_ADVICE: dict[str, float] = {
    "min_months": 6,
    "reduce_below_load_rate": 0.30,
    "reduce_target_load_rate": 0.80,
    "suspend_below_load_rate": 0.05,
    "expand_from_load_rate": 0.90,
}

# -- domain.referral_rules: answer time limits
#: Working days a team has to answer, by kind (the laptop's ``referrals.due_workdays``
#: setting starts from these; complaints: contact within 1 working day).
DEFAULT_DUE_WORKDAYS: dict[str, int] = {"demand": 5, "complaint": 1}

# -- domain.workdays: the 2026 calendar
#: 2026 defaults after the State Council's holiday notice; administrators check and edit them.
DEFAULT_HOLIDAYS_2026: tuple[str, ...] = (
    "2026-01-01", "2026-01-02", "2026-01-03",
    "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19",
    "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23",
    "2026-04-04", "2026-04-05", "2026-04-06",
    "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05",
    "2026-06-19", "2026-06-20", "2026-06-21",
    "2026-09-25", "2026-09-26", "2026-09-27",
    "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04",
    "2026-10-05", "2026-10-06", "2026-10-07",
)  # fmt: skip
DEFAULT_EXTRA_WORKDAYS_2026: tuple[str, ...] = (
    "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
)  # fmt: skip
