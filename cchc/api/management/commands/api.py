from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from cchc.api import services
from cchc.api.models import ApiToken
from cchc.core.actors import SystemActor
from cchc.core.management.base import GroupCommand


class Command(GroupCommand):
    help = "Khóa API cho các hệ thống khác. / API keys for other systems."
    subcommands = {
        "create-token": "Cấp khóa API cho một người dùng (in khóa một lần). / Create an API key (printed once).",
        "revoke-token": "Thu hồi khóa API theo tiền tố. / Revoke an API key by its prefix.",
        "list-tokens": "Liệt kê khóa API. / List API keys.",
    }

    def args_create_token(self, parser):
        parser.add_argument("--user", required=True, help="Tên đăng nhập / username")
        parser.add_argument("--name", required=True, help="Hệ thống dùng khóa / what uses the key")

    def do_create_token(self, *, user, name, **_):
        account = get_user_model().objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"Không có người dùng “{user}”.")
        _, key = services.create_token(SystemActor("cchc api"), account, name)
        self.stdout.write(f"Khóa API (chỉ hiện một lần, hãy lưu lại): {key}")

    def args_revoke_token(self, parser):
        parser.add_argument("prefix", help="8 ký tự đầu của khóa, sau cchc_ / key prefix")

    def do_revoke_token(self, *, prefix, **_):
        token = ApiToken.objects.filter(prefix=prefix, revoked=False).first()
        if token is None:
            raise CommandError(f"Không có khóa đang dùng với tiền tố “{prefix}”.")
        services.revoke_token(SystemActor("cchc api"), token)
        self.stdout.write(f"Đã thu hồi {token}.")

    def do_list_tokens(self, **_):
        for token in ApiToken.objects.select_related("user").order_by("created_at"):
            state = "đã thu hồi" if token.revoked else "đang dùng"
            self.stdout.write(f"{token.prefix}…  {token.name}  ({token.user.username}, {state})")
