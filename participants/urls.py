from django.urls import path

from . import views

app_name = "participants"

urlpatterns = [
    path("klub/", views.worklist, name="worklist"),
    path("klub/zajecia/<int:pk>/obecnosc/", views.attendance_sheet, name="attendance"),
    path("uczestnicy/nowy/", views.register_participant, name="register"),
    path("uczestnicy/<int:pk>/", views.timeline, name="timeline"),
    path("uczestnicy/<int:pk>/dane/", views.record, name="record"),
    path("uczestnicy/<int:pk>/dane.json", views.record_json, name="record_json"),
    path("uczestnicy/<int:pk>/zgody/<int:consent_pk>/wycofanie/", views.withdraw_consent, name="withdraw_consent"),
    path("zapisy/<int:pk>/zaswiadczenie/", views.certificate, name="certificate"),
]
