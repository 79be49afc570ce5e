"""The admin's job and outbox lists name a job's kind and a message's channel, not their codes."""

from django.contrib import admin
from django.utils import translation

from yiwang.core.models import Job, Notification


def test_job_kinds_and_channels_are_named_in_the_admin_lists():
    job_admin, outbox_admin = admin.site._registry[Job], admin.site._registry[Notification]
    assert "kind_label" in job_admin.list_display and "channel_label" in outbox_admin.list_display
    with translation.override("zh-hans"):
        assert job_admin.kind_label(Job(kind="finance.batch")) != "finance.batch"
        assert str(outbox_admin.channel_label(Notification(channel="sms"))) == "短信"
        assert job_admin.kind_label(Job(kind="no.such.kind")) == "no.such.kind"  # an unknown code stays as it is
