from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # django-axes announces lockouts only through its signal; record them in the audit log.
        from axes.signals import user_locked_out

        from accounts.audit import record_event
        from kb.lib.net import client_ip

        def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
            record_event(
                "lockout",
                target=str(username or "")[:150],
                ip=client_ip(request) if request is not None else str(ip_address or ""),
            )

        user_locked_out.connect(on_locked_out, dispatch_uid="kb-audit-lockout", weak=False)
