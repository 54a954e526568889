"""The Permissions-Policy of every response, static files included (settings name `static_file_headers`
for WhiteNoise, which answers them before any middleware)."""

# Powerful browser features no page of the portal uses, denied to the page and anything it embeds.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "serial",
        "bluetooth",
        "hid",
    )
)


def static_file_headers(headers, path, url):
    """WhiteNoise answers static files before any middleware: the same Permissions-Policy on them."""
    headers["Permissions-Policy"] = PERMISSIONS_POLICY
