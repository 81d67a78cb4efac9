"""A two-step flow used only by the shell's tests to prove that a flow added to ``PAMONG_FLOWS`` shows up in
the site-wide inbox, queue and home page. It stores its subject in the process's JSON ``data``."""
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.flow.views import UpdateProcessView


class ShellProbeFlow(flow.Flow):
    """Uji cangkang

    Alur kecil untuk pengujian kotak masuk."""

    lock_impl = lock.select_for_update_lock
    process_summary_template = "{{ process.data.subject }}"
    icon = "science"

    start = flow.StartHandle(this.start_probe).Next(this.review)
    review = (
        flow.View(UpdateProcessView.as_view(fields=[]))
        .Annotation(title="Tinjau usulan")
        .Permission(lambda activation: activation.process.data.get("permission"))
        .Next(this.end)
    )
    end = flow.End()

    def start_probe(self, activation, subject: str, permission: str):
        activation.process.data = {"subject": subject, "permission": permission}
        return activation.process

    def has_view_permission(self, user, obj=None):
        return bool(user.is_authenticated)
