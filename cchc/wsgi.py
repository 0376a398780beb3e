import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
application = get_wsgi_application()

# A production server refuses to start with the repository's public key, an empty or a short one.
from cchc.core.checks import refuse_insecure_start  # noqa: E402

refuse_insecure_start()
