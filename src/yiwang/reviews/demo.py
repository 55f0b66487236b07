"""Demo data for 好差评:

- the demo citizen (13800138000) rates a decided application 不满意 (named), which opens a
  rectification order for the responsible department (天河区市场监管局 when the applications
  demo approved their 个体工商户 registration; else RS-0001 is submitted and rated);
- a spread of earlier ratings by demo raters over the demo items, halls and departments, some
  bad ones already rectified and published, so the statistics pages show real figures.

Running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from yiwang.accounts.models import DepartmentKind, User, UserKind
from yiwang.applications.models import Application, Status
from yiwang.catalog.models import Implementation
from yiwang.halls.models import Hall
from yiwang.reviews.models import (
    INDICATORS,
    Channel,
    OrderStatus,
    Rating,
    RectificationOrder,
    ResultFeedback,
    SubjectKind,
)
from yiwang.reviews.services import rating_submit

DECIDED = (Status.APPROVED, Status.REJECTED, Status.NOT_ACCEPTED, Status.FINISHED)
DEMO_COMMENT = "材料清单里没写要带原件，窗口让我第二天再跑一趟，希望一次告知清楚。"
SPREAD_PREFIX = "DEMO-"
# Weights for 非常满意 … 非常不满意: most people are satisfied, a few are not.
LEVEL_WEIGHTS = {5: 50, 4: 25, 3: 12, 2: 8, 1: 5}
RESULTS = [
    ("窗口未一次性告知所需材料", "已修订办事指南材料清单，并对窗口人员开展一次性告知制度培训。"),
    ("等候时间较长", "高峰时段增开综合窗口一个，推行预约分时段办理。"),
    ("网上申报页面操作不便", "已优化申报表单，减少重复填写项目。"),
]


def _demo_citizen() -> User | None:
    from yiwang.applications.demo import demo_citizen

    return demo_citizen()


def _decided_application(citizen: User) -> Application | None:
    decided = Application.objects.filter(applicant=citizen, status__in=DECIDED).select_related(
        "implementation__department"
    )
    preferred = decided.filter(
        implementation__department__kind=DepartmentKind.MARKET_REGULATION
    ).first()
    return preferred or decided.first()


def _submit_instant(citizen: User) -> Application | None:
    """RS-0001 is decided by its rules as soon as it is submitted."""
    from yiwang.applications.demo import CASES
    from yiwang.applications.services import application_draft_save, application_submit

    code, form = CASES["instant"]
    region = getattr(getattr(citizen, "citizen", None), "region_id", "") or ""
    serving = [
        impl
        for impl in Implementation.objects.filter(item__code=code, published_version__isnull=False)
        if region.startswith(impl.region_id)
    ]
    implementation = max(serving, key=lambda impl: len(impl.region_id), default=None)
    if implementation is None:
        return None
    draft = application_draft_save(user=citizen, implementation=implementation, form_data=form)
    application = application_submit(user=citizen, application=draft, submit_token=uuid.uuid4())
    application.refresh_from_db()
    return application if application.status in DECIDED else None


def _bad_rating(citizen: User) -> Rating | None:
    application = _decided_application(citizen) or _submit_instant(citizen)
    if application is None:
        return None
    existing = Rating.objects.filter(
        subject_kind=SubjectKind.APPLICATION, subject_ref=application.number, rater=citizen
    ).first()
    if existing is not None:
        return existing
    return rating_submit(
        rater=citizen,
        kind=SubjectKind.APPLICATION,
        ref=application.number,
        level=2,
        scores={"overall": 2, "efficiency": 2, "guide": 1, "convenience": 3, "usability": 4},
        comment=DEMO_COMMENT,
        is_named=True,
    )


def _raters(count: int = 6) -> list[User]:
    raters = []
    for n in range(1, count + 1):
        user, created = User.objects.get_or_create(
            username=f"demo.rater.{n}",
            defaults={"kind": UserKind.CITIZEN, "display_name": f"演示评价人{n}"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        raters.append(user)
    return raters


def _spread(now: dt.datetime) -> int:
    if Rating.objects.filter(subject_ref__startswith=SPREAD_PREFIX).exists():
        return 0
    rng = random.Random(51)  # noqa: S311 - demo figures, not security
    raters = _raters()
    candidates = list(
        Implementation.objects.filter(
            published_version__isnull=False, region__code__startswith="4401"
        )
        .select_related("item__published_version", "department")
        .order_by("item__code", "region_id")
    )
    implementations = rng.sample(candidates, min(16, len(candidates)))
    halls = list(
        Hall.objects.filter(is_active=True, region__code__startswith="4401").order_by("pk")
    )
    subjects: list[tuple[Implementation, Hall | None]] = [(i, None) for i in implementations]
    for at_hall in halls:
        served = list(at_hall.windows.values_list("implementations", flat=True).distinct())
        for impl in Implementation.objects.filter(pk__in=[pk for pk in served if pk])[:3]:
            subjects.append((impl, at_hall))
    created = 0
    levels, weights = list(LEVEL_WEIGHTS), list(LEVEL_WEIGHTS.values())
    for index, (implementation, hall) in enumerate(subjects):
        version = implementation.item.published_version
        for rater in raters[: rng.randint(3, len(raters))]:
            level = rng.choices(levels, weights)[0]
            rated_at = now - dt.timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 8))
            channel = Channel.HALL if hall else Channel.ONLINE
            rating = Rating.objects.create(
                subject_kind=SubjectKind.APPOINTMENT if hall else SubjectKind.APPLICATION,
                subject_ref=f"{SPREAD_PREFIX}{index:03d}-{rater.pk}",
                subject_title_zh=version.name_zh if version else implementation.item.code,
                subject_title_en=version.name_en if version else "",
                rater=rater, level=level, channel=channel,
                scores={key: max(1, min(5, level + rng.choice((-1, 0, 0, 1))))
                        for key, _label in INDICATORS[channel]},
                comment="" if level > 2 else rng.choice(RESULTS)[0],
                is_named=False, department=implementation.department,
                region_code=hall.region_id if hall else implementation.region_id,
                implementation=implementation, hall=hall,
                finished_at=rated_at - dt.timedelta(days=1), created_at=rated_at,
            )  # fmt: skip
            created += 1
            if level <= 2:
                _spread_order(rating, rng, rated_at)
    return created


def _spread_order(rating: Rating, rng: random.Random, rated_at: dt.datetime) -> None:
    from yiwang.core.workdays import working_days_add

    deadline = working_days_add(timezone.localdate(rated_at), 5)
    summary, result = rng.choice(RESULTS)
    done = rng.random() < 0.75
    order = RectificationOrder.objects.create(
        rating=rating, department=rating.department, region_code=rating.region_code,
        deadline=deadline, opened_at=rated_at,
        status=OrderStatus.RESOLVED if done else OrderStatus.OPEN,
        result=result if done else "", public_summary=summary if done else "",
        result_at=rated_at + dt.timedelta(days=3) if done else None,
        closed_at=rated_at + dt.timedelta(days=3) if done else None,
    )  # fmt: skip
    if done and rng.random() < 0.7:  # 回访: most reviewers said the result satisfied them
        ResultFeedback.objects.create(
            order=order, round=1, satisfied=True, result=result,
            created_at=rated_at + dt.timedelta(days=4),
        )  # fmt: skip


@transaction.atomic
def reviews_demo_load() -> dict[str, Any]:
    citizen = _demo_citizen()
    rating = _bad_rating(citizen) if citizen is not None else None
    spread = _spread(timezone.now())
    order = getattr(rating, "order", None) if rating is not None else None
    return {"order": order.reference if order else "", "ratings": spread}
