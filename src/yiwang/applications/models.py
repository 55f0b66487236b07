"""办件: applications, their process definitions, staff work items, materials and timeline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProcessDefinition(models.Model):
    """One installed version of a BPMN process. Versions are never edited or deleted: an
    application keeps running on the version it started with."""

    key = models.CharField(_("process key"), max_length=80)
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    bpmn_xml = models.TextField(_("BPMN XML"))
    # The DMN decision tables the process's business rule tasks evaluate, versioned with it.
    dmn_xml = models.TextField(_("DMN XML"), blank=True)
    sha256 = models.CharField(max_length=64)
    # bpmn id of each user task -> {"group", "name", "actions"} (see engine.definitions).
    user_tasks = models.JSONField(default=dict)
    installed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    installed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "-version"]
        verbose_name = _("process definition")
        verbose_name_plural = _("process definitions")
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="applications_procdef_ver"),
            models.UniqueConstraint(fields=["key", "sha256"], name="applications_procdef_sha"),
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    UNDER_REVIEW = "under_review", _("Under review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    FINISHED = "finished", _("Finished")


OPEN_STATUSES = (
    Status.SUBMITTED,
    Status.ACCEPTED,
    Status.SUPPLEMENT_REQUESTED,
    Status.UNDER_REVIEW,
)


class Application(models.Model):
    number = models.CharField(_("application number"), max_length=32, unique=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    enterprise = models.ForeignKey(
        "accounts.Enterprise", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    implementation = models.ForeignKey(
        "catalog.Implementation", on_delete=models.PROTECT, related_name="+"
    )
    implementation_version = models.ForeignKey(
        "catalog.ImplementationVersion", on_delete=models.PROTECT, related_name="+"
    )
    form_data = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.DRAFT)
    holder_department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    region_code = models.CharField(max_length=12, db_index=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    definition = models.ForeignKey(
        ProcessDefinition, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    workflow_state = models.TextField(blank=True)
    # When the earliest waiting timer falls due: the periodic tick loads only these rows.
    next_timer_at = models.DateTimeField(null=True, blank=True, db_index=True)
    end_event = models.CharField(max_length=80, blank=True)
    decision_reason = models.TextField(blank=True)
    # The e-certificate the approval issued (电子证照), in the applicant's wallet.
    result_certificate = models.ForeignKey(
        "certificates.Certificate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # One submission per token: a double click or a retried request finds the first one.
    submit_token = models.UUIDField(null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=["status", "deadline"], name="applications_status_dl"),
            models.Index(fields=["submitted_at"], name="applications_submitted"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class WorkItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class WorkItem(models.Model):
    """A ready user task of a workflow, mirrored as a row so inboxes, claims and region
    scoping are plain indexed queries rather than workflow deserialisation."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="items")
    task_id = models.CharField(max_length=36)
    bpmn_id = models.CharField(max_length=80)
    name = models.CharField(max_length=200)
    group = models.CharField(max_length=40)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    region_code = models.CharField(max_length=12, db_index=True)
    # Copied from the application (fixed at submission) so that inboxes sort and filter by
    # deadline on this table's own indexes, without a join, at 100,000 applications.
    deadline = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=WorkItemStatus.choices, default=WorkItemStatus.OPEN
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "task_id"], name="applications_item")
        ]
        indexes = [
            models.Index(fields=["status", "region_code"], name="applications_item_inbox"),
            # Pool / overdue: open items walked in deadline order (either way) until a page
            # of the reader's region subtree and department is found; the region prefix
            # (LIKE '4401%') cannot order by deadline, so it is a filter, not the index key.
            models.Index(
                fields=["deadline", "id"],
                condition=models.Q(status="open"),
                name="applications_item_open_dl",
            ),
            # My tasks: what I hold, by deadline.
            models.Index(
                fields=["claimed_by", "status", "deadline", "id"], name="applications_item_mine"
            ),
            # Recently done by me.
            models.Index(
                fields=["completed_by", "status", "completed_at"], name="applications_item_done"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.bpmn_id}"

    @property
    def is_overdue(self) -> bool:
        """Open past its deadline: shown red on every list."""
        deadline = self.deadline
        return (
            self.status == WorkItemStatus.OPEN
            and deadline is not None
            and deadline < timezone.localdate()
        )


class ApplicationEvent(models.Model):
    """One line of the timeline: what happened, when, at which department."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    message = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    visible_to_applicant = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.kind}"


class ApplicationMaterial(models.Model):
    """One material of an application: an uploaded file, or (免提交) an e-certificate the
    applicant holds, linked with a snapshot of what was checked when they offered it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    material = models.ForeignKey(
        "catalog.Material", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file = models.FileField(upload_to="applications/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    certificate = models.ForeignKey(
        "certificates.Certificate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Snapshot at the time of the offer: number, type, the verification result and the
    # disclosed fields the verifier saw (staff read this, not the holder's wallet).
    certificate_number = models.CharField(max_length=40, blank=True)
    certificate_type_code = models.CharField(max_length=40, blank=True)
    certificate_type_name = models.CharField(max_length=100, blank=True)
    verification_status = models.CharField(max_length=20, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    disclosed_fields = models.JSONField(default=list, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.certificate_number or self.original_name

    @property
    def is_certificate(self) -> bool:
        return bool(self.certificate_id)

    def disclosed_display(self) -> list[tuple[str, str]]:
        """(label in the reader's language, value) of the disclosed fields as verified."""
        from django.utils.translation import get_language

        english = (get_language() or "").startswith("en")
        return [
            (str((f.get("name_en") if english else "") or f.get("name", "")), str(f["value"]))
            for f in self.disclosed_fields
        ]

    @property
    def is_previewable_image(self) -> bool:
        return self.content_type in ("image/jpeg", "image/png")


class AutomatedDecision(models.Model):
    """A decision the rules made (行政审批自动化): what went in, which table version and rule
    decided, and the plain-language reason the applicant is shown."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="automated_decision"
    )
    definition = models.ForeignKey(ProcessDefinition, on_delete=models.PROTECT, related_name="+")
    decision_ref = models.CharField(max_length=80)
    rule_id = models.CharField(max_length=80)
    inputs = models.JSONField(default=dict)
    outcome = models.CharField(max_length=20)
    reason_zh = models.TextField()
    reason_en = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    # 申诉: the applicant asked a person to look again; the outcome counts against the rule.
    appealed_at = models.DateTimeField(null=True, blank=True)
    appeal_reason = models.TextField(blank=True)
    overturned = models.BooleanField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["decision_ref", "rule_id"], name="applications_autodec_rule")
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.rule_id}"

    @property
    def reason(self) -> str:
        from django.utils.translation import get_language

        return self.reason_en if (get_language() or "").startswith("en") else self.reason_zh


class DecisionTableStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    DISCARDED = "discarded", _("Discarded")


class DecisionTableVersion(models.Model):
    """决策表版本: one edit of an implementation's DMN decision table, signed off by a
    second person before it decides anything. Approval installs it as a new process
    definition version (same BPMN, new DMN) used by new applications only."""

    implementation = models.ForeignKey(
        "catalog.Implementation", on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField(_("version"))
    decision_ref = models.CharField(max_length=80)
    # The definition in force when the draft was started: its BPMN is reused unchanged and
    # its table is what the reviewer's diff compares against.
    base_definition = models.ForeignKey(
        ProcessDefinition, on_delete=models.PROTECT, related_name="+"
    )
    rows = models.JSONField(default=list)
    dmn_xml = models.TextField(_("DMN XML"))
    status = models.CharField(
        max_length=12, choices=DecisionTableStatus.choices, default=DecisionTableStatus.DRAFT
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)
    # Set on approval: the installed process definition that carries this table.
    definition = models.ForeignKey(
        ProcessDefinition, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["implementation", "-number"]
        verbose_name = _("decision table version")
        verbose_name_plural = _("decision table versions")
        constraints = [
            models.UniqueConstraint(
                fields=["implementation", "number"], name="applications_dtv_number"
            ),
            # One version being worked on at a time per implementation.
            models.UniqueConstraint(
                fields=["implementation"],
                condition=models.Q(status__in=["draft", "submitted"]),
                name="applications_dtv_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.implementation_id}:{self.decision_ref} v{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status in (DecisionTableStatus.DRAFT, DecisionTableStatus.SUBMITTED)
