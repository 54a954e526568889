from django.urls import path

from . import views

app_name = "networks"

urlpatterns = [
    path("sieci/", views.network_list, name="list"),
    path("sieci/<int:pk>/", views.network_detail, name="detail"),
    path("dokumenty/<str:kind>/<int:pk>/", views.document, name="document"),
]
