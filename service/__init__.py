"""The backpropagation service: `service.engine` (pure NumPy) and the Flask app that serves it."""


def create_app(settings=None):
    """Build the Flask app (`gunicorn "service:create_app()"`).

    Flask is imported here rather than at package import, so `service.engine` stays usable as a
    NumPy-only library.
    """
    from service.app import build_app
    return build_app(settings)
