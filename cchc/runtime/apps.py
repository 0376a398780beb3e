from django.apps import AppConfig


class RuntimeConfig(AppConfig):
    name = "cchc.runtime"
    label = "runtime"
    verbose_name = "Vận hành (máy chủ web, sao lưu, nhật ký)"
