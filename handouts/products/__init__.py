"""Print products, one module each: the build knows them only through ``PRODUCTS``.

A new kind of product is a module here (a ``Product`` subclass with its targets,
parts, layout, page budget and sizes) and a layout in ``layouts/``, added below.
"""

from __future__ import annotations

from . import cards, flyer, handout, lesson, letter, materials, packet
from .product import Fit, Job, Options, Part, Product, Target

#: Every kind, in the order a build lists them.
PRODUCTS: dict[str, Product] = {
    product.kind: product
    for product in (
        handout.PRODUCT,
        lesson.PRODUCT,
        materials.PRODUCT,
        letter.PRODUCT,
        flyer.PRODUCT,
        cards.PRODUCT,
        packet.PRODUCT,
    )
}
KINDS = tuple(PRODUCTS)

__all__ = ["KINDS", "PRODUCTS", "Fit", "Job", "Options", "Part", "Product", "Target"]
