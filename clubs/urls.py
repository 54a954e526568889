from django.urls import path, re_path

from . import views

app_name = "clubs"

urlpatterns = [
    path("katalog/", views.directory, name="directory"),
    path("otwarte-dane/", views.open_data, name="open_data"),
    re_path(r"^otwarte-dane/(?P<slug>[a-z]+)\.(?P<file_format>csv|json)$", views.open_data_file, name="open_data_file"),
    re_path(r"^otwarte-dane/(?P<slug>[a-z]+)-slownik\.csv$", views.open_data_dictionary, name="open_data_dictionary"),
]
