"""What core stores: the holiday table of the working-day calendar (core.calendar), jobs (long work a user
starts and watches) and the notification outbox."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.crypto import BlindIndexField, EncryptedCharField
from yiwang.core.storage import PrivateFileField

MAX_LOG_LINE = 1000


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class JobQuerySet(models.QuerySet):
    # What the audit log files a job under (core.scope.area_code_of reads this).
    area_field = "area_code"

    def visible_to(self, user):
        """A job is its starter's; a superuser sees every job. Anyone else: none (404)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(started_by=user)


class Job(models.Model):
    """One run of long work (an export, a bulk submission) that its starter follows on /jobs/<id>/.

    Started by core.jobs.start_job and run by the tasks worker; the body reports with progress() and
    log(), each written at once (outside any transaction) so that the page shows it while it runs."""

    kind = models.CharField(_("kind"), max_length=64)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("started by"))
    # What the job works on: an object (content type + id), an area code, or both.
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    target_id = models.CharField(max_length=64, blank=True)
    area_code = models.CharField(_("area"), max_length=12, blank=True)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=JobStatus, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    # How many times a worker claimed it: 2 and more when the sweep took it back from a worker that died
    # (core.jobs.requeue_stale); only the current attempt's worker may record the end.
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=0)
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    result = PrivateFileField(_("result"), upload_to="jobs/%Y/%m/", blank=True, max_length=255)
    result_name = models.CharField(_("result file name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["started_by", "-created_at"])]

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.status == JobStatus.SUCCEEDED else None
        return min(100, round(100 * self.done / self.total))

    def progress(self, done: int, total: int | None = None) -> None:
        """Report `done` of `total` units (total may stay unknown), saved at once."""
        self.done = max(0, int(done))
        if total is not None:
            self.total = max(0, int(total))
        self.updated_at = timezone.now()
        self.save(update_fields=["done", "total", "updated_at"])

    def log(self, line: str) -> None:
        """Append one line to the job's log, saved at once; lines are never changed or removed."""
        JobLogLine.objects.create(job=self, text=str(line)[:MAX_LOG_LINE])
        Job.objects.filter(pk=self.pk).update(updated_at=Now())

    def save_result(self, name: str, content: bytes) -> None:
        """Store the result file (under MEDIA_ROOT; only the starter downloads it, see core.jobs)."""
        self.result.save(name, ContentFile(content), save=False)
        self.result_name = name[:200]
        self.updated_at = timezone.now()
        self.save(update_fields=["result", "result_name", "updated_at"])


class JobLogLine(models.Model):
    """One line of a job's log, in the order written."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="log_lines")
    at = models.DateTimeField(default=timezone.now)
    text = models.CharField(max_length=MAX_LOG_LINE)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.text


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    """One message that an action must deliver (an SMS to a party, …), written in the action's own
    transaction, so it exists exactly when what it announces does, and sent afterwards by the worker
    (core.outbox). `dedupe_key` is unique: an action retried with the same key writes no second row."""

    channel = models.CharField(_("channel"), max_length=20)
    recipient = EncryptedCharField(_("recipient"), max_length=200)  # a mobile number, an e-mail, an account id
    recipient_hash = BlindIndexField(source="recipient", kind="text")
    text = models.TextField(_("text"))
    # The text carries a secret (a one-time code, a private link): erased once sent or given up on.
    secret = models.BooleanField(_("secret"), default=False)
    dedupe_key = models.CharField(_("dedupe key"), max_length=200, unique=True)
    about_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    about_id = models.CharField(max_length=64, blank=True)
    area_code = models.CharField(_("area"), max_length=12, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=NotificationStatus,
                              default=NotificationStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.channel} #{self.pk} ({self.status})"


class Holiday(models.Model):
    """A day whose working status overrides the calendar library: a holiday (working=False) or a
    make-up workday (调休, working=True), for years the library does not know yet or local decisions."""

    date = models.DateField(_("date"), unique=True)
    working = models.BooleanField(_("working day"), default=False)
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("holiday or make-up workday")
        verbose_name_plural = _("holidays and make-up workdays")
        ordering = ["date"]
        # The table was created by cases, where the model lived first; moving it kept the rows.
        db_table = "cases_holiday"

    def __str__(self):
        return f"{self.date} {self.name}"
