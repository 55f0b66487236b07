"""咨询办: questions (online or taken by the 12345 hotline), their threads and transfers, and
the public knowledge base of FAQs and published answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.catalog.models.items import localized
from yiwang.core.crypto import EncryptedTextField
from yiwang.core.ids import mask_name, mask_phone


class QuestionChannel(models.TextChoices):
    ONLINE = "online", _("Online")
    HOTLINE = "hotline", _("12345 hotline")


class QuestionStatus(models.TextChoices):
    OPEN = "open", _("Awaiting answer")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


FINISHED_STATUSES = (QuestionStatus.ANSWERED, QuestionStatus.CLOSED)


class RoutingReason(models.TextChoices):
    """Why a question sits with its department (shown to staff)."""

    ITEM = "item", _("Department that carries out this service for the asker's region")
    GENERAL = "general", _("Government services and data bureau for the asker's region")
    ITEM_NOT_SERVED = (
        "item_not_served",
        _(
            "No department carries out this service for the asker's region; sent to the "
            "government services and data bureau"
        ),
    )
    TRANSFERRED = "transferred", _("Transferred by staff")


class Question(models.Model):
    """咨询: one question to a department, asked online or recorded by the hotline."""

    number = models.CharField(_("reference number"), max_length=32, unique=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=QuestionChannel.choices, default="online"
    )
    # Null for a hotline caller who has no account: they are reached by the phone below.
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consult_questions",
    )
    caller_name = EncryptedTextField(_("caller's name"), blank=True)
    caller_phone = EncryptedTextField(_("caller's phone"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+"
    )
    # The asker's region (the one the question is about); scoping uses the department's.
    region_code = models.CharField(_("region"), max_length=12, db_index=True)
    item = models.ForeignKey(
        "catalog.ServiceItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    implementation = models.ForeignKey(
        "catalog.Implementation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    routing_reason = models.CharField(
        _("routing reason"), max_length=20, choices=RoutingReason.choices
    )
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("question"))
    status = models.CharField(
        _("status"), max_length=10, choices=QuestionStatus.choices, default="open"
    )
    deadline = models.DateField(_("answer due by"))
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    # One question per token: a double click or a retried request finds the first one.
    submit_token = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [
            models.Index(fields=["department", "status", "deadline"], name="consult_q_inbox"),
            models.Index(fields=["status", "deadline"], name="consult_q_due"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.status == QuestionStatus.OPEN and timezone.localdate() > self.deadline

    @property
    def masked_caller_name(self) -> str:
        return mask_name(self.caller_name) if self.caller_name else ""

    @property
    def masked_caller_phone(self) -> str:
        return mask_phone(self.caller_phone) if self.caller_phone else ""


class MessageKind(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Follow-up")
    ANSWER = "answer", _("Answer")
    SYSTEM = "system", _("Notice")


class QuestionMessage(models.Model):
    """咨询留言: one message of a question's thread (the asker's follow-ups, the answers)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=MessageKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Snapshot of the answering department, so the thread reads right after a transfer.
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.question_id}:{self.kind}"


class QuestionTransfer(models.Model):
    """转办: a question moved to another department, with the reason."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="transfers")
    from_department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+"
    )
    to_department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=500)
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.from_department_id} → {self.to_department_id}"


class EntryKind(models.TextChoices):
    FAQ = "faq", _("Frequently asked question")
    ANSWER = "answer", _("Answered question")


class KnowledgeEntry(models.Model):
    """知识库条目: an FAQ a department wrote, or an answered question it published in an
    edited public wording. ``tokens_*`` hold pre-segmented words for the full-text index
    (an FTS5 table on SQLite, a generated tsvector on PostgreSQL; migration 0002)."""

    kind = models.CharField(max_length=8, choices=EntryKind.choices)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        "catalog.ServiceItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    implementation = models.ForeignKey(
        "catalog.Implementation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    question = models.OneToOneField(
        Question,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="knowledge_entry",
    )
    title_zh = models.CharField(_("question (Chinese)"), max_length=200)
    title_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    body_zh = models.TextField(_("answer (Chinese)"))
    body_en = models.TextField(_("answer (English)"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    tokens_title_zh = models.TextField(blank=True, editable=False)
    tokens_body_zh = models.TextField(blank=True, editable=False)
    tokens_title_en = models.TextField(blank=True, editable=False)
    tokens_body_en = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("knowledge-base entry")
        verbose_name_plural = _("knowledge-base entries")

    def __str__(self) -> str:
        return self.title_zh

    @property
    def title(self) -> str:
        return localized(self.title_zh, self.title_en)

    @property
    def body(self) -> str:
        return localized(self.body_zh, self.body_en)
