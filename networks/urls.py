from django.urls import path

from . import views

app_name = "networks"

urlpatterns = [
    path("dokumenty/<str:kind>/<int:pk>/", views.document, name="document"),
]
