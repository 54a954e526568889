from django.urls import path

from . import network_views, views

app_name = "reporting"

urlpatterns = [
    path("raporty/", views.dashboard, name="dashboard"),
    path("raporty/region/<str:terc>/", views.region_report, name="region"),
    path("raporty/sprawozdanie-roczne/", views.annual_report, name="annual"),
    path("raporty/wskazniki-ue/", views.eu_indicators, name="eu"),
    path("raporty/uczestnicy-efs/", views.esf_participants, name="esf_participants"),
    path("raporty/jakosc-danych/", views.data_quality, name="quality"),
    path("sieci/", network_views.network_list, name="network_list"),
    path("sieci/<int:pk>/", network_views.network_detail, name="network_detail"),
]
