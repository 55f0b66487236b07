"""Cross-cutting records: idempotent responses, rate-limit windows, worker heartbeats and
the last run of each periodic job. All of them live in the database so that any number of
app servers and workers agree (no in-process state)."""

from __future__ import annotations

from django.db import models


class IdempotencyRecord(models.Model):
    """The first response to a POST carrying an ``Idempotency-Key``, replayed on repeats."""

    scope = models.CharField(max_length=64, help_text="Who sent it: a digest of the caller.")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="Digest of method, path and body.")
    status_code = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotency_scope_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status_code})"

    @property
    def completed(self) -> bool:
        return self.status_code is not None


class RateCounter(models.Model):
    """A fixed-window counter, used when Redis is not configured."""

    key = models.CharField(max_length=200)
    window_start = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="ratecounter_key_window")
        ]

    def __str__(self) -> str:
        return f"{self.key}@{self.window_start}={self.count}"


class WorkerHeartbeat(models.Model):
    """Each worker process stamps its row on every tick; ``/readyz`` reads the newest."""

    worker_id = models.CharField(max_length=100, unique=True)
    hostname = models.CharField(max_length=255)
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} {self.seen_at:%Y-%m-%d %H:%M:%S}"


class PeriodicJobRun(models.Model):
    """When a periodic job last started; claimed with a conditional update so exactly one
    worker starts each run however many workers tick."""

    name = models.CharField(max_length=200, unique=True)
    last_started_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


class WorkdayOverride(models.Model):
    """An admin-entered calendar day (法定节假日 or 调休 make-up working day) that overrides the
    ``chinesecalendar`` library — for years the library does not know yet, or corrections."""

    date = models.DateField(unique=True)
    is_working_day = models.BooleanField()
    name = models.CharField(max_length=100, blank=True, help_text="e.g. 春节 / Spring Festival")

    class Meta:
        ordering = ["date"]
        verbose_name = "working-day override"

    def __str__(self) -> str:
        kind = "working day" if self.is_working_day else "holiday"
        return f"{self.date} {kind} {self.name}".strip()
