from django.urls import path

from . import views

app_name = "participants"

urlpatterns = [
    path("klub/", views.worklist, name="worklist"),
    path("klub/zajecia/<int:pk>/obecnosc/", views.attendance_sheet, name="attendance"),
    path("klub/przypomnienia/", views.reminders, name="reminders"),
    path("uczestnicy/nowy/", views.register_participant, name="register"),
    path("uczestnicy/<int:pk>/", views.timeline, name="timeline"),
    path("uczestnicy/<int:pk>/dane/", views.record, name="record"),
    path("uczestnicy/<int:pk>/dane.json", views.record_json, name="record_json"),
    path("uczestnicy/<int:pk>/zgody/<int:consent_pk>/wycofanie/", views.withdraw_consent, name="withdraw_consent"),
    path("zapisy/<int:pk>/", views.case_file_page, name="case_file"),
    path("zapisy/<int:pk>/notatki/", views.add_case_note, name="add_case_note"),
    path("zapisy/<int:pk>/dokumenty/", views.add_case_document, name="add_case_document"),
    path("zapisy/<int:pk>/zaswiadczenie/", views.certificate, name="certificate"),
    path("zapisy/<int:pk>/krok/<str:step>/", views.case_file_step, name="case_file_step"),
    path("zapisy/<int:pk>/przeniesienie/", views.propose_transfer, name="propose_transfer"),
    path("przeniesienia/<int:pk>/", views.transfer_page, name="transfer"),
    path("przeniesienia/<int:pk>/<str:action>/", views.answer_transfer, name="answer_transfer"),
    path("dokumenty/<int:pk>/", views.case_document, name="document"),
    path("kontrakty/<int:pk>/", views.contract_paper_page, name="contract_paper"),
    path("plany/<int:pk>/", views.plan_paper_page, name="plan_paper"),
]
