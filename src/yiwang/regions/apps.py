from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "yiwang.regions"
    label = "regions"
