"""Headers for the static files WhiteNoise serves, set on the files themselves so that they do
not depend on where WhiteNoise sits among the middleware."""

from django.conf import settings


def add_static_headers(headers, path: str, url: str) -> None:
    """WHITENOISE_ADD_HEADERS_FUNCTION: what the HTML pages say about sniffing and referrers.
    (Framing and opener policies are about documents, so they are left to the pages.)"""
    headers["X-Content-Type-Options"] = "nosniff"
    policy = settings.SECURE_REFERRER_POLICY
    if policy:
        headers["Referrer-Policy"] = policy if isinstance(policy, str) else ",".join(policy)
