from django.urls import path

from . import views

app_name = "participants"

urlpatterns = [
    path("<int:pk>/dane/", views.record, name="record"),
    path("<int:pk>/dane.json", views.record_json, name="record_json"),
    path("<int:pk>/zgody/<int:consent_pk>/wycofanie/", views.withdraw_consent, name="withdraw_consent"),
]
