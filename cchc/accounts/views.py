from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cchc.accounts import services
from cchc.accounts.forms import LoginForm
from cchc.core.params import parse_int


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        """In demo mode, the demo accounts that really exist here (never a name that cannot log in)."""
        context = super().get_context_data(**kwargs)
        if settings.CCHC_DEMO_MODE:
            from cchc.accounts.demo import DEMO_PASSWORD, DEMO_USERS
            from cchc.accounts.models import Role, User

            present = set(
                User.objects.filter(username__in=[u[0] for u in DEMO_USERS]).values_list("username", flat=True)
            )
            context["demo_accounts"] = [(u[0], Role(u[1]).label) for u in DEMO_USERS if u[0] in present]
            context["demo_password"] = DEMO_PASSWORD
        return context


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        messages.success(self.request, "Đã đổi mật khẩu.")
        return response


@login_required
@require_POST
def switch_unit(request):
    unit = services.switch_unit(request, parse_int(request.POST.get("unit_id")) or 0)
    messages.info(request, f"Đang làm việc với: {unit.name}")
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/"
    if request.htmx:
        response = redirect(target)
        response["HX-Redirect"] = target
        return response
    return redirect(target)
