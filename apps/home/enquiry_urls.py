from django.urls import path

from . import enquiries

app_name = "enquiries"
urlpatterns = [
    path("get-in-touch/", enquiries.get_in_touch, name="get_in_touch"),
    path("enquiries/", enquiries.inbox, name="inbox"),
    path("enquiries/<id:pk>/", enquiries.enquiry_detail, name="detail"),
]
