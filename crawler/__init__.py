"""sonocat: keeps the public catalogue of ultrasound datasets and models current.

Packages: ``crawler`` (config, database, pure pipeline steps, services, CLI),
``sources`` (one client per API), ``review_queue`` (two-person verification).
"""

__version__ = "0.1.0"
