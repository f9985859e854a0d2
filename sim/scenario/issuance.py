"""The ``issuance`` section of a scenario: card production and issuance over working days.

A scenario may carry an ``issuance`` section (:class:`IssuanceConfig`); ``hallsim
issuance`` and :func:`sim.issuance.simulate_issuance` need one. Every duration here is in
**working days** of the Chinese public calendar (see :mod:`sim.workdays`), fields end in
``_days``; capacities are cards per working day; shares are between 0 and 1.

Routes (each optional, at least one):

* ``batch``: batch orders from employers or communities (批量制卡), ``size`` applications
  each, arriving on working days at ``batches_per_day`` (Poisson) and on fixed ``orders``;
* ``sporadic``: single applications at halls (零星制卡), at ``applications_per_day``
  (Poisson) or at the hall's expected demand of ``hall_services``;
* ``on_the_spot``: instant issuance at halls with instant printers (立等可取), which never
  enters the production pipeline.

The targets (``sla``) are those of the sources: batch cycle ≤ 30 working days, sporadic
≤ 5 working days (seed 000), collect after 7 working days (seed 002).
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sim.scenario.distributions import Distribution, Exponential, Lognormal
from sim.scenario.limits import (MAX_APPLICATIONS_PER_DAY, MAX_BATCH_SIZE, MAX_BATCHES_PER_DAY, MAX_CARDS_PER_DAY,
                                 MAX_DATE, MAX_DATES, MAX_DRAIN_DAYS, MAX_ISSUANCE_DAYS, MAX_NAME_CHARS, MAX_ORDERS,
                                 MAX_REPLICATIONS, MAX_SEAL_DAYS, MAX_SERVICES, MAX_STEP_DAYS, MAX_TARGET_DAYS,
                                 MIN_DATE)
from sim.scenario.messages import say

__all__ = ["IssuanceConfig", "Production", "CapacityCut", "BatchRoute", "BatchOrder", "SporadicRoute",
           "OnTheSpotRoute", "Collection", "IssuanceSla", "issuance_problems", "hall_rate"]

Share = Annotated[float, Field(ge=0, le=1)]
Name = Annotated[str, Field(pattern=r"^[A-Za-z0-9_\-]+$", min_length=1, max_length=MAX_NAME_CHARS)]
Date = Annotated[_dt.date, Field(ge=MIN_DATE, le=MAX_DATE)]
Steps = Annotated[int, Field(ge=0, le=MAX_STEP_DAYS)]


class _Value(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class CapacityCut(_Value):
    """A planned capacity cut (maintenance, migration): on working days from ``start`` to
    ``end`` (inclusive) the daily capacity is multiplied by ``factor`` (0: no production)."""

    start: Date
    end: Date
    factor: Share = 0.0

    @model_validator(mode="after")
    def _order(self):
        if self.end < self.start:
            raise ValueError(say("dates.order", end=self.end, start=self.start))
        return self


class Production(_Value):
    """The card centre or bank that makes the cards (制卡中心). It makes at most
    ``cards_per_day`` cards per working day; ``fifo`` makes them in order of arrival at the
    centre, ``priority`` makes urgent sporadic cards first, then other sporadic cards, then
    batch cards. On each working day the whole day's production is lost with probability
    ``breakdown_prob`` (a failure); ``cuts`` lower the capacity on given dates."""

    cards_per_day: int = Field(ge=0, le=MAX_CARDS_PER_DAY)
    discipline: Literal["fifo", "priority"] = "fifo"
    breakdown_prob: Share = 0.0
    cuts: list[CapacityCut] = Field(default_factory=list, max_length=MAX_ORDERS)


class Collection(_Value):
    """From card made to card in the holder's hand. The card reaches the outlet
    ``distribution_days`` after it is made (分发). A share ``collect_share`` of holders
    ever come for it. ``notified`` holders are told when it is there and come
    ``delay_days`` (a distribution, rounded down) later; the others come
    ``sla.collect_after_days`` after applying, plus ``delay_days``, as the hall told them,
    and if the card is not there yet they come back every ``retry_days``. ``at_hall``:
    the collection is a visit to a hall (``collect`` demand); otherwise the employer or
    community hands the cards out."""

    distribution_days: Steps = 1
    at_hall: bool = True
    notified: bool = False
    collect_share: Share = 0.95
    delay_days: Distribution = Exponential(dist="exponential", mean=5.0)
    retry_days: int = Field(5, ge=1, le=MAX_STEP_DAYS)


class BatchOrder(_Value):
    """A fixed batch order: ``size`` applications on working day ``date``."""

    date: Date
    size: int = Field(ge=1, le=MAX_BATCH_SIZE)


class BatchRoute(_Value):
    """Batch issuance (批量制发卡) for employers and communities. Batch orders arrive on
    working days at ``batches_per_day`` (Poisson mean per working day), each of ``size``
    applications (rounded, at least 1), plus the fixed ``orders``. The centre receives them
    ``intake_days`` after the order (data checks, transfer)."""

    batches_per_day: float = Field(0.0, ge=0, le=MAX_BATCHES_PER_DAY)
    size: Distribution = Lognormal(dist="lognormal", mean=50.0, cv=0.8)
    orders: list[BatchOrder] = Field(default_factory=list, max_length=MAX_ORDERS)
    intake_days: Steps = 1
    collection: Collection = Collection(distribution_days=5, at_hall=False, notified=True, collect_share=0.9,
                                        delay_days=Exponential(dist="exponential", mean=10.0))


class _Rate(_Value):
    """Applications at halls: ``applications_per_day`` (Poisson mean per working day) or
    ``hall_services``, the hall's expected daily arrivals of these services
    (:func:`hall_rate`); exactly one of the two."""

    applications_per_day: float | None = Field(None, ge=0, le=MAX_APPLICATIONS_PER_DAY)
    hall_services: list[Name] | None = Field(None, max_length=MAX_SERVICES)

    @model_validator(mode="after")
    def _one_rate(self):
        if (self.applications_per_day is None) == (self.hall_services is None):
            raise ValueError(say("rate.one_of"))
        return self


class SporadicRoute(_Rate):
    """Sporadic issuance (零星制卡) of single applications made at halls, sent to the card
    centre. Give ``applications_per_day`` (Poisson mean per working day) or
    ``hall_services``: the hall's expected daily arrivals of these (non-instant) services
    (``demand.visitors_per_day`` × the mean weekday factor of the opening weekdays × their
    share of ``demand.service_mix``). A share ``urgent_share`` is urgent (made first under
    ``production.discipline: priority``)."""

    urgent_share: Share = 0.0
    intake_days: Steps = 1
    collection: Collection = Collection()


class OnTheSpotRoute(_Rate):
    """On-the-spot issuance (立等可取) at halls with instant printers: the card is in hand
    the same day and never enters the production pipeline. Rate as for
    :class:`SporadicRoute` (``hall_services`` must be instant-issue services)."""


class IssuanceSla(_Value):
    """Issuance targets, in working days from application to card at the outlet.
    ``batch_max_days`` (批量制发卡周期 ≤ 30, seed 000) and ``sporadic_max_days`` (零星制卡
    at most 5, seed 000) are judged on the share of cards later than that, which must be
    at most ``late_share_max`` (the sources say every card; the project's default
    tolerance is 5 %; set 0 for the strict reading). ``collect_after_days`` (seed 002:
    collect after 7 working days) is when a sporadic applicant is told to come; the
    share of sporadic cards not at the outlet by then is judged against the same
    ``late_share_max``. A null target is not judged."""

    batch_max_days: int | None = Field(30, ge=0, le=MAX_TARGET_DAYS)
    sporadic_max_days: int | None = Field(5, ge=0, le=MAX_TARGET_DAYS)
    collect_after_days: int | None = Field(7, ge=0, le=MAX_TARGET_DAYS)
    late_share_max: Share = 0.05


class IssuanceConfig(_Value):
    """Card issuance over working days. Applications arrive on ``days`` working days from
    the first working day on or after ``start_date`` (default ``run.start_date``);
    production, distribution and collection then go on for ``drain_days`` more working
    days without new applications. ``extra_closed`` dates are closed besides the public
    calendar's holidays. A card still uncollected ``seal_after_days`` working days (about
    a year) after reaching the outlet counts as uncollected after a year (sealed, 封存).
    ``replications`` defaults to ``run.replications``."""

    start_date: Date | None = None
    days: int = Field(250, ge=1, le=MAX_ISSUANCE_DAYS)
    drain_days: int = Field(30, ge=0, le=MAX_DRAIN_DAYS)
    replications: int | None = Field(None, ge=1, le=MAX_REPLICATIONS)
    extra_closed: list[Date] = Field(default_factory=list, max_length=MAX_DATES)
    seal_after_days: int = Field(250, ge=1, le=MAX_SEAL_DAYS)
    production: Production
    batch: BatchRoute | None = None
    sporadic: SporadicRoute | None = None
    on_the_spot: OnTheSpotRoute | None = None
    sla: IssuanceSla = IssuanceSla()


def hall_rate(scenario, services: list[str]) -> float:
    """Expected daily hall arrivals of ``services``: ``demand.visitors_per_day`` × the mean
    weekday factor over the hall's opening weekdays × the services' share of the mix."""
    d = scenario.demand
    open_days = [w for w, h in scenario.hall.opening_hours.items() if h is not None]
    factor = sum(d.weekday_factors.get(w, 1.0) for w in open_days) / max(1, len(open_days))
    total = sum(d.service_mix.values())
    share = sum(d.service_mix.get(s, 0.0) for s in services) / total if total > 0 else 0.0
    return float((d.visitors_per_day or 0.0) * factor * share)


def issuance_problems(s) -> list[tuple[str, str]]:
    """Cross-field problems of ``s.issuance`` as (field path, message) pairs."""
    iss: IssuanceConfig | None = s.issuance
    if iss is None:
        return []
    problems: list[tuple[str, str]] = []
    from sim.scenario.workdays import supported_years

    first, last = supported_years()
    start, path = (iss.start_date, "issuance.start_date") if iss.start_date else (s.run.start_date, "run.start_date")
    if not first <= start.year <= last:
        problems.append((path, say("issuance.calendar", first=first, last=last, date=start.isoformat())))
    if iss.batch is None and iss.sporadic is None and iss.on_the_spot is None:
        problems.append(("issuance", say("issuance.no_route")))
    for name, route, instant in (("sporadic", iss.sporadic, False), ("on_the_spot", iss.on_the_spot, True)):
        if route is None or route.hall_services is None:
            continue
        path = f"issuance.{name}.hall_services"
        if s.demand.visitors_per_day is None:
            problems.append((path, say("issuance.needs_volume")))
        for svc in route.hall_services:
            if svc not in s.services:
                problems.append((path, say("service.unknown_of", service=svc, known=", ".join(sorted(s.services)))))
            elif s.services[svc].instant_issue != instant:
                key = "issuance.instant_kind" if instant else "issuance.mailed_kind"
                problems.append((path, say(key, service=svc, value=s.services[svc].instant_issue)))
    return problems
