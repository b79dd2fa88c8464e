class ServiceError(Exception):
    """A refused state change, with a message for the user (in Chinese)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
