"""The review web app: ``create_app(db_path)`` serves the review service to a browser.

``app`` holds the routes, sessions and CSRF; ``queries`` assembles what each
page shows; ``render`` makes crawled text safe to show; ``cli`` is
``sonocat serve``.
"""

from review_queue.web.app import create_app

__all__ = ["create_app"]
