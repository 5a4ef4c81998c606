"""The one error the engine raises for a computation it cannot carry out as described."""


class GraphError(ValueError):
    """A graph or expression that cannot be evaluated, with where in the request the problem lies.

    `location` is a path into the request, such as ("nodes", 3, "args") or ("expression",).
    """

    def __init__(self, message, location=()):
        super().__init__(message)
        self.message = message
        self.location = tuple(location)
