"""The public static site of the catalogue (``sonocat export site DIR``).

``build`` reads the catalogue in bulk and writes HTML pages, figures and
assets; ``figures`` computes and draws the paper's figures from live data.
Nothing here needs a server: the output opens from disk and publishes as is
on GitHub Pages.
"""

from crawler.site.build import SiteResult, build_site

__all__ = ["SiteResult", "build_site"]
