"""好差评: ratings of finished services, rectification work orders, callbacks and appeals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    FAIRLY_SATISFIED = 3, _("Fairly satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


# 差评: 不满意 or worse opens a rectification work order.
BAD_LEVEL = Level.DISSATISFIED
# 满意率 counts 非常满意, 满意 and 基本满意.
SATISFIED_LEVEL = Level.FAIRLY_SATISFIED


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    HALL = "hall", _("At a hall")


# The indicators rated for each channel (GB/T 39734-2020): online services and hall services.
INDICATORS: dict[str, tuple[tuple[str, Any], ...]] = {
    Channel.ONLINE: (
        ("overall", _("Overall satisfaction")),
        ("efficiency", _("Efficiency of handling")),
        ("guide", _("Accuracy of the guide")),
        ("convenience", _("Convenience")),
        ("usability", _("Ease of use of the platform")),
    ),
    Channel.HALL: (
        ("overall", _("Overall satisfaction")),
        ("efficiency", _("Efficiency")),
        ("competence", _("Competence")),
        ("attitude", _("Attitude")),
    ),
}


class SubjectKind(models.TextChoices):
    APPLICATION = "application", _("Application")
    APPOINTMENT = "appointment", _("Hall appointment")
    ANSWER = "answer", _("Answer to a question")


class Rating(models.Model):
    """评价: one person's rating of one finished service."""

    subject_kind = models.CharField(_("what was rated"), max_length=20, choices=SubjectKind.choices)
    subject_ref = models.CharField(_("reference"), max_length=40)
    subject_title_zh = models.CharField(max_length=200, blank=True)
    subject_title_en = models.CharField(max_length=300, blank=True)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="service_ratings"
    )
    level = models.PositiveSmallIntegerField(_("rating"), choices=Level.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    scores = models.JSONField(_("indicator scores"), default=dict)
    comment = models.TextField(_("comment"), blank=True)
    # 实名: the department may see who rated (and call back); anonymous ratings hide it.
    is_named = models.BooleanField(_("named"), default=True)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(max_length=12, db_index=True)
    implementation = models.ForeignKey(
        "catalog.Implementation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hall = models.ForeignKey(
        "halls.Hall", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    finished_at = models.DateTimeField(_("service finished at"))
    created_at = models.DateTimeField(_("rated at"), default=timezone.now)
    # Set when a supervisor upholds an appeal against a malicious rating: out of the figures.
    excluded = models.BooleanField(_("excluded from statistics"), default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["subject_kind", "subject_ref", "rater"], name="reviews_rating_once"
            )
        ]
        indexes = [models.Index(fields=["region_code", "created_at"], name="reviews_rating_rc")]

    def __str__(self) -> str:
        return f"{self.subject_kind}:{self.subject_ref} {self.level}"

    @property
    def is_bad(self) -> bool:
        return self.level <= BAD_LEVEL

    @property
    def subject_title(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "").startswith("en") and self.subject_title_en:
            return self.subject_title_en
        return self.subject_title_zh or self.subject_ref

    @cached_property
    def links(self) -> Any:
        """Where the rated service is shown (``.citizen``, ``.staff``); empty strings if nowhere."""
        from yiwang.reviews.subjects import subject_links

        return subject_links(kind=self.subject_kind, ref=self.subject_ref)

    def score_rows(self) -> list[tuple[str, str]]:
        """(indicator label, level label) in the channel's order."""
        labels = dict(Level.choices)
        return [
            (str(label), str(labels.get(self.scores.get(key), "")))
            for key, label in INDICATORS.get(self.channel, ())
            if key in self.scores
        ]


# 回访: an unsatisfied verdict on the first result earns one more round, no more.
MAX_ROUNDS = 2


class OrderStatus(models.TextChoices):
    OPEN = "open", _("Being rectified")
    RESOLVED = "resolved", _("Rectified")
    APPEALED = "appealed", _("Closed after appeal")


class RectificationOrder(models.Model):
    """整改工单: what a bad rating asks of the responsible department, with a deadline."""

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="order")
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(max_length=12, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.OPEN
    )
    deadline = models.DateField(_("rectify by"))
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    result = models.TextField(_("rectification result"), blank=True)
    # 公示: written by the department without personal data, shown on the public page.
    public_summary = models.TextField(_("public summary"), blank=True)
    result_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    result_at = models.DateTimeField(_("result recorded at"), null=True, blank=True)
    # 1, or 2 after the reviewer was not satisfied with the first result (回访不满意).
    round = models.PositiveSmallIntegerField(_("round"), default=1)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        indexes = [models.Index(fields=["status", "deadline"], name="reviews_order_status_dl")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"ZG{self.pk:08d}"

    @property
    def is_open(self) -> bool:
        return self.status == OrderStatus.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.deadline < timezone.localdate()

    def feedback_for_round(self) -> ResultFeedback | None:
        """The reviewer's verdict on the current round's result, if given."""
        return next((f for f in self.feedbacks.all() if f.round == self.round), None)

    @property
    def awaits_feedback(self) -> bool:
        """The result is recorded and the reviewer has not yet said whether it satisfies."""
        return self.status == OrderStatus.RESOLVED and self.feedback_for_round() is None


class CallbackMethod(models.TextChoices):
    PHONE = "phone", _("Telephone")
    SMS = "sms", _("Text message")
    VISIT = "visit", _("In person")
    ONLINE = "online", _("Online message")


class Callback(models.Model):
    """回访: the department called the reviewer back; when, how and what they said."""

    order = models.ForeignKey(
        RectificationOrder, on_delete=models.CASCADE, related_name="callbacks"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    called_at = models.DateTimeField(_("when"))
    method = models.CharField(_("how"), max_length=10, choices=CallbackMethod.choices)
    reviewer_said = models.TextField(_("what the reviewer said"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["called_at", "pk"]
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")

    def __str__(self) -> str:
        return f"{self.order_id} {self.called_at:%Y-%m-%d}"


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class Appeal(models.Model):
    """申诉复核: the department says a rating is malicious; a supervisor decides."""

    order = models.OneToOneField(
        RectificationOrder, on_delete=models.CASCADE, related_name="appeal"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    evidence = models.TextField(_("evidence"))
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("reasons for the decision"), blank=True)

    class Meta:
        ordering = ["filed_at", "pk"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return f"{self.order_id} {self.status}"


class ResultFeedback(models.Model):
    """回访评价: whether the reviewer is satisfied with the rectification result, once a round.

    An unsatisfied verdict on the first round re-opens the order; the second is recorded only.
    """

    order = models.ForeignKey(
        RectificationOrder, on_delete=models.CASCADE, related_name="feedbacks"
    )
    round = models.PositiveSmallIntegerField(_("round"))
    satisfied = models.BooleanField(_("satisfied with the result"))
    comment = models.TextField(_("comment"), blank=True)
    # The result the verdict is about: a second round overwrites the order's result.
    result = models.TextField(_("rectification result"), blank=True)
    created_at = models.DateTimeField(_("given at"), default=timezone.now)

    class Meta:
        ordering = ["round", "pk"]
        verbose_name = _("verdict on a rectification result")
        verbose_name_plural = _("verdicts on rectification results")
        constraints = [
            models.UniqueConstraint(fields=["order", "round"], name="reviews_feedback_once")
        ]

    def __str__(self) -> str:
        return f"{self.order_id} #{self.round} {'+' if self.satisfied else '-'}"


def window_closes(finished_at: dt.datetime) -> dt.date:
    """The last calendar day on which a service finished at ``finished_at`` can be rated."""
    days = int(getattr(settings, "REVIEWS_WINDOW_DAYS", 15))
    return timezone.localdate(finished_at) + dt.timedelta(days=days)
