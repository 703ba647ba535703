"""Public addresses of the stories app that are not pages: the storyteller's private links."""

from django.urls import path

from verhalen import views

app_name = "verhalen"

urlpatterns = [
    path("toestemming/akkoord/<str:token>/", views.approval, name="approval"),
    path("toestemming/intrekken/<str:token>/", views.withdrawal, name="withdrawal"),
]
