from django.urls import path

from yiwang.finance import views, views_flow

app_name = "finance"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("template.xlsx", views.template, name="template"),
    path("batches/new", views.submit, name="submit"),
    path("batches/<int:pk>/", views.batch, name="batch"),
    path("batches/<int:pk>/report.xlsx", views.batch_report, name="batch_report"),
    path("batches/<int:pk>/allocate", views_flow.allocate, name="allocate"),
    path("batches/<int:pk>/notify-borrowers", views_flow.notify_borrowers, name="notify_borrowers"),
    path("batches/<int:pk>/refer", views_flow.refer_to_court, name="refer_to_court"),
    path("batches/<int:pk>/filing", views_flow.filing_package, name="filing_package"),
    path("allocations/<int:pk>/", views_flow.allocation, name="allocation"),
    path("cases/<int:pk>/plan", views_flow.plan, name="plan"),
    path("cases/<int:pk>/payment", views_flow.payment, name="payment"),
    path("cases/<int:pk>/complaint.pdf", views_flow.complaint, name="complaint"),
    path("cases/<int:pk>/evidence.pdf", views_flow.evidence_list, name="evidence_list"),
    path("overdue/", views_flow.overdue, name="overdue"),
    path("payments/upload", views_flow.payments_upload, name="payments_upload"),
    path("court-numbers/", views_flow.court_numbers, name="court_numbers"),
    path("statistics/", views_flow.statistics, name="statistics"),
    path("follow-ups/", views_flow.follow_ups, name="follow_ups"),
    path("follow-ups/<int:pk>", views_flow.follow_up, name="follow_up"),
    path("p/<str:token>/answer", views_flow.borrower_answer, name="borrower_answer"),
    path("banks/<int:pk>/keys/", views.bank_keys, name="bank_keys"),
    path("keys/<int:pk>/rotate", views.key_rotate, name="key_rotate"),
    path("keys/<int:pk>/revoke", views.key_revoke, name="key_revoke"),
]
