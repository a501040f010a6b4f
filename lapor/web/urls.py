from django.urls import path

from . import views, views_citizen, views_officer

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    # accounts
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("daftar/", views.register, name="register"),
    path("daftar/konfirmasi/<str:token>/", views.register_confirm, name="register_confirm"),
    path("lupa-sandi/", views.PasswordResetView.as_view(), name="password_reset"),
    path("lupa-sandi/terkirim/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "lupa-sandi/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "lupa-sandi/selesai/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("laporan-saya/", views_citizen.my_reports, name="my_reports"),
    # citizen portal
    path("lapor/", views_citizen.report_submit_page, name="report_submit"),
    path("lapor/mirip/", views_citizen.report_similar, name="report_similar"),
    path("lapor/bagian/<str:part>/", views_citizen.report_submit_part, name="report_submit_part"),
    path("lapor/terkirim/<str:tracking_id>/", views_citizen.report_sent, name="report_sent"),
    path("lacak/", views_citizen.track, name="track"),
    path("laporan/", views_citizen.public_list, name="public_list"),
    path("laporan/<str:tracking_id>/", views_citizen.report_detail, name="report_detail"),
    path(
        "laporan/<str:tracking_id>/dukung/",
        views_citizen.report_support_view,
        name="report_support",
    ),
    path(
        "laporan/<str:tracking_id>/aksi/<str:action>/",
        views_citizen.report_reporter_act,
        name="report_reporter_act",
    ),
    path("instansi/<str:code>/", views_officer.agency_profile, name="agency_profile"),
    # officer workspace
    path("petugas/", views_officer.inbox, name="inbox"),
    path("petugas/tampilan/", views_officer.inbox_view_save, name="inbox_view_save"),
    path(
        "petugas/tampilan/<int:view_id>/hapus/",
        views_officer.inbox_view_delete,
        name="inbox_view_delete",
    ),
    path("petugas/laporan/<str:tracking_id>/", views_officer.officer_report, name="officer_report"),
    path(
        "petugas/laporan/<str:tracking_id>/aksi/<str:action>/",
        views_officer.officer_act,
        name="officer_act",
    ),
    path(
        "petugas/lampiran/<int:attachment_id>/",
        views_officer.attachment_download,
        name="attachment_download",
    ),
    path("petugas/massal/", views_officer.bulk_act, name="bulk_act"),
    path("petugas/dasbor/", views_officer.agency_dashboard_page, name="dashboard"),
    path(
        "petugas/dasbor/instansi/<str:code>/",
        views_officer.agency_dashboard_page,
        name="agency_dashboard",
    ),
    path(
        "petugas/dasbor/nasional/", views_officer.national_dashboard_page, name="national_dashboard"
    ),
]
