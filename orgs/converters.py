class AreaCodeConverter:
    """An area code in a URL: digits only, so anything else is a plain 404 without a query."""

    regex = r"[0-9]{2,32}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
