from django.urls import re_path

from campagnes import views

app_name = "campagnes"

urlpatterns = [
    re_path(r"^c/(?P<code>[A-Za-z0-9 -]{1,20})/?$", views.short_link, name="short_link"),
]
