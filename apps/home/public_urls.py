from django.urls import path

from . import public

app_name = "public"
urlpatterns = [
    path("privacy/", public.privacy, name="privacy"),
    path("accessibility/", public.accessibility, name="accessibility"),
    path("cookies/", public.cookies_page, name="cookies"),
]
