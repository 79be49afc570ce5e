from django.urls import path

from yiwang.finance import views

app_name = "finance"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("template.xlsx", views.template, name="template"),
    path("batches/new", views.submit, name="submit"),
    path("batches/<int:pk>/", views.batch, name="batch"),
    path("batches/<int:pk>/report.xlsx", views.batch_report, name="batch_report"),
    path("banks/<int:pk>/keys/", views.bank_keys, name="bank_keys"),
    path("keys/<int:pk>/rotate", views.key_rotate, name="key_rotate"),
    path("keys/<int:pk>/revoke", views.key_revoke, name="key_revoke"),
]
