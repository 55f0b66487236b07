from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "yiwang.reviews"
    label = "reviews"
    verbose_name = _("Service evaluation")
    default_auto_field = "django.db.models.BigAutoField"
