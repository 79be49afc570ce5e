from django.urls import path

from yiwang.online import views

app_name = "online"
urlpatterns = [
    path("jf/", views.centres, name="centres"),
    path("jf/<slug:code>/", views.file_online, name="file"),
    path("jf/<slug:code>/done/", views.filed, name="filed"),
    path("jf/<slug:code>/qr.png", views.qr_png, name="qr_png"),
    path("jf/<slug:code>/qr.svg", views.qr_svg, name="qr_svg"),
    path("jf/<slug:code>/poster.pdf", views.poster, name="poster"),
    path("p/<str:token>/", views.party, name="party"),
    path("p/<str:token>/agreement.pdf", views.party_agreement_pdf, name="party_agreement_pdf"),
    path("p/<str:token>/sign/", views.party_sign, name="party_sign"),
    path("p/<str:token>/answer/", views.party_answer, name="party_answer"),
    path("p/<str:token>/rate/", views.party_rate, name="party_rate"),
    path("p/<str:token>/room/message/", views.party_message, name="party_message"),
    path("p/<str:token>/room/evidence/", views.party_evidence_upload, name="party_evidence_upload"),
    path("p/<str:token>/evidence/<int:evidence_pk>/", views.party_evidence, name="party_evidence"),
    path("online/cases/<int:pk>/room/", views.room, name="room"),
    path("online/cases/<int:pk>/evidence/<int:evidence_pk>/", views.evidence_file, name="evidence"),
    path("online/cases/<int:pk>/signing/", views.signing, name="signing"),
    path("online/cases/<int:pk>/confirmation/", views.confirmation, name="confirmation"),
    path("online/cases/<int:pk>/agreement.pdf", views.signed_pdf, name="signed_pdf"),
    path("online/cases/<int:pk>/parties/<int:party_pk>/invite/", views.invite, name="invite"),
    path("verify/", views.verify, name="verify"),
]
