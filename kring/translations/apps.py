from django.apps import AppConfig


class TranslationsConfig(AppConfig):
    name = "kring.translations"
    label = "translations"
    verbose_name = "Vertalingen"
