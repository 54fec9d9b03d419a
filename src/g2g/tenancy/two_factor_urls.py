"""2-step verification: the code after the password, and the account pages."""

from django.urls import path

from . import two_factor_views as views

urlpatterns = [
    path("sign-in/code/", views.verify, name="two_factor_verify"),
    path("sign-in/backup-code/", views.verify_backup_code, name="two_factor_backup_code"),
    path("account/2-step-verification/", views.account, name="two_factor"),
    path("account/2-step-verification/set-up/", views.set_up, name="two_factor_set_up"),
    path(
        "account/2-step-verification/backup-codes/",
        views.new_backup_codes,
        name="two_factor_new_codes",
    ),
    path("account/2-step-verification/turn-off/", views.turn_off, name="two_factor_turn_off"),
]
