"""评价: a citizen rates a finished service once, within the window after it finished."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.workdays import working_days_add
from yiwang.reviews.models import (
    INDICATORS,
    Level,
    Rating,
    RectificationOrder,
    window_closes,
)
from yiwang.reviews.permissions import department_staff
from yiwang.reviews.services.notices import staff_notify
from yiwang.reviews.subjects import Subject, subject_links, subject_resolve

MSG_NOT_FINISHED = _("This service is not finished yet. You can rate it once it is.")
MSG_WINDOW_CLOSED = _("The time to rate this service has passed.")
MSG_ALREADY_RATED = _("You have already rated this service. A service can be rated once.")
MSG_LEVEL_REQUIRED = _("Choose how satisfied you are.")
MSG_INDICATOR_REQUIRED = _("Choose a rating for “%(indicator)s”.")
MSG_INDICATOR_UNKNOWN = _("“%(indicator)s” is not rated for this kind of service.")
MSG_COMMENT_REQUIRED = _("Tell us what went wrong, so the department can put it right.")
MSG_COMMENT_TOO_LONG = _("Keep the comment under 500 characters.")
COMMENT_MAX = 500


@dataclass(frozen=True)
class Eligibility:
    subject: Subject
    rating: Rating | None
    can_rate: bool
    reason: str
    closes_on: Any  # date or None


def rating_eligibility(*, rater: Any, kind: str, ref: str) -> Eligibility:
    """May ``rater`` rate this subject now, and until when? Http404 if it is not theirs."""
    subject = subject_resolve(kind=kind, ref=ref, rater=rater)
    rating = (
        Rating.objects.select_related("order")
        .filter(subject_kind=subject.kind, subject_ref=subject.ref, rater=rater)
        .first()
    )
    closes_on = window_closes(subject.finished_at) if subject.finished_at else None
    reason = ""
    if rating is not None:
        reason = str(MSG_ALREADY_RATED)
    elif closes_on is None:
        reason = str(MSG_NOT_FINISHED)
    elif timezone.localdate() > closes_on:
        reason = str(MSG_WINDOW_CLOSED)
    return Eligibility(subject, rating, not reason, reason, closes_on)


def _level(value: Any) -> int | None:
    try:
        level = int(value)
    except (TypeError, ValueError):
        return None
    return level if level in Level.values else None


def _clean(
    *, channel: str, level: Any, scores: dict[str, Any], comment: str
) -> tuple[int, dict[str, int], str]:
    errors: dict[str, list[ValidationError]] = {}
    clean_level = _level(level)
    if clean_level is None:
        errors["level"] = [ValidationError(MSG_LEVEL_REQUIRED, code="level_required")]
    indicators = INDICATORS[channel]
    keys = {key for key, _label in indicators}
    for key in scores:
        if key not in keys:
            errors[f"score_{key}"] = [
                ValidationError(
                    MSG_INDICATOR_UNKNOWN, code="indicator_unknown", params={"indicator": key}
                )
            ]
    clean_scores: dict[str, int] = {}
    for key, label in indicators:
        score = _level(scores.get(key))
        if score is None:
            errors[f"score_{key}"] = [
                ValidationError(
                    MSG_INDICATOR_REQUIRED, code="indicator_required", params={"indicator": label}
                )
            ]
        else:
            clean_scores[key] = score
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        errors["comment"] = [ValidationError(MSG_COMMENT_TOO_LONG, code="comment_too_long")]
    elif clean_level is not None and clean_level <= Level.DISSATISFIED and not comment:
        errors["comment"] = [ValidationError(MSG_COMMENT_REQUIRED, code="comment_required")]
    if errors:
        raise ValidationError(errors)
    assert clean_level is not None  # noqa: S101 - narrowed by the errors above
    return clean_level, clean_scores, comment


def rating_submit(
    *,
    rater: Any,
    kind: str,
    ref: str,
    level: Any,
    scores: dict[str, Any],
    comment: str = "",
    is_named: bool = True,
) -> Rating:
    """Rate a finished service once. A rating of 不满意 or worse opens a rectification order
    for the responsible department. Http404 when the subject is not the rater's."""
    eligibility = rating_eligibility(rater=rater, kind=kind, ref=ref)
    if not eligibility.can_rate:
        code = "already_rated" if eligibility.rating else "not_eligible"
        raise ValidationError(eligibility.reason, code=code)
    subject = eligibility.subject
    clean_level, clean_scores, comment = _clean(
        channel=subject.channel, level=level, scores=scores, comment=comment
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    subject_kind=subject.kind, subject_ref=subject.ref,
                    subject_title_zh=subject.title_zh[:200],
                    subject_title_en=subject.title_en[:300], rater=rater, level=clean_level,
                    channel=subject.channel, scores=clean_scores, comment=comment,
                    is_named=bool(is_named), department=subject.department,
                    region_code=subject.region_code, implementation=subject.implementation,
                    hall=subject.hall, finished_at=subject.finished_at or timezone.now(),
                )  # fmt: skip
        except IntegrityError as exc:  # a double submit raced the check above
            raise ValidationError(MSG_ALREADY_RATED, code="already_rated") from exc
        if rating.is_bad:
            _order_open(rating)
    return rating


def _order_open(rating: Rating) -> RectificationOrder:
    days = int(getattr(settings, "REVIEWS_RECTIFY_DAYS", 5))
    order = RectificationOrder.objects.create(
        rating=rating,
        department=rating.department,
        region_code=rating.region_code,
        deadline=working_days_add(timezone.localdate(), days),
    )
    staff_url = subject_links(kind=rating.subject_kind, ref=rating.subject_ref).staff
    for user in department_staff(rating.department):
        staff_notify(
            user=user,
            template="reviews_order_opened",
            context={
                "reference": order.reference,
                "service_zh": rating.subject_title_zh,
                "service_en": rating.subject_title_en,
                "deadline": order.deadline.isoformat(),
                "subject_url": staff_url,
                "link_url": f"/reviews/staff/orders/{order.pk}/",
            },
        )
    return order
