from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_tables(sender, using="default", verbosity=0, **kwargs) -> None:
    """``migrate`` also creates the table of a database cache (production's default cache, shared by every web
    process). Idempotent; does nothing when no database cache is configured."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Mesin alur kerja")

    def ready(self):
        from django.core.signals import setting_changed

        from .images import apply_pillow_limit

        apply_pillow_limit()
        setting_changed.connect(lambda setting, **kw: apply_pillow_limit() if setting == "PAMONG_IMAGE_MAX_PIXELS"
                                else None, weak=False, dispatch_uid="workflows.pillow_limit")
        post_migrate.connect(create_cache_tables, sender=self, dispatch_uid="workflows.create_cache_tables")
