from django.urls import path

from yiwang.consult import views, views_staff

app_name = "consult"

urlpatterns = [
    path("", views.index, name="index"),
    path("kb/<int:pk>/", views.entry, name="entry"),
    path("ask/", views.ask, name="ask"),
    path("ask/matches", views.ask_matches, name="ask_matches"),
    path("my/", views.my_questions, name="my"),
    path("my/<str:number>/", views.question, name="question"),
    path("my/<str:number>/follow-up/", views.follow_up, name="follow_up"),
    path("my/<str:number>/close/", views.close, name="close"),
    path("staff/", views_staff.inbox, name="staff_inbox"),
    path("staff/hotline/", views_staff.hotline, name="staff_hotline"),
    path("staff/kb/", views_staff.kb, name="staff_kb"),
    path("staff/kb/new/", views_staff.faq_edit, name="staff_faq_new"),
    path("staff/kb/<int:pk>/", views_staff.faq_edit, name="staff_faq_edit"),
    path("staff/kb/<int:pk>/publish/", views_staff.kb_publish, name="staff_kb_publish"),
    path("staff/q/<str:number>/", views_staff.question, name="staff_question"),
    path("staff/q/<str:number>/answer/", views_staff.answer, name="staff_answer"),
    path("staff/q/<str:number>/transfer/", views_staff.transfer, name="staff_transfer"),
    path("staff/q/<str:number>/publish/", views_staff.publish, name="staff_publish"),
    path("staff/q/<str:number>/unmask/", views_staff.unmask, name="staff_unmask"),
]
