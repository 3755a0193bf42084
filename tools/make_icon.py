"""Draw the app icon: ``resources/icons/keyacct.png`` (256 px) and ``keyacct.ico`` (Windows).

    python tools/make_icon.py

A blue rounded square with 客 (customer, as in 大客户 key accounts) in white, drawn with the
bundled WenQuanYi font, so the icon needs no artwork source. The window uses the PNG
(``gui.app.create_application``); ``build.spec`` gives the ``.ico`` to the Windows exe and
the PNG to the macOS bundle (PyInstaller converts it with Pillow). Re-run after changing the
drawing and commit both files.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
FONT = ROOT / "resources" / "fonts" / "wqy-microhei.ttc"
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]
BLUE = (22, 93, 168)
LIGHT_BLUE = (70, 150, 220)


def draw(size: int = 1024) -> Image.Image:
    """The icon at ``size`` pixels (drawn large, scaled down for each file)."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    mask = Image.new("L", (size, size), 0)
    ImageDraw.Draw(mask).rounded_rectangle(
        (size * 0.04, size * 0.04, size * 0.96, size * 0.96), radius=size * 0.2, fill=255
    )
    gradient = Image.new("RGBA", (size, size))
    pixels = ImageDraw.Draw(gradient)
    for y in range(size):
        t = y / (size - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(LIGHT_BLUE, BLUE, strict=True))
        pixels.line([(0, y), (size, y)], fill=(*colour, 255))
    image.paste(gradient, (0, 0), mask)
    text = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), int(size * 0.62), index=0)
    text.text((size / 2, size * 0.52), "客", font=font, fill=(255, 255, 255, 255), anchor="mm")
    return image


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    big = draw()
    big.resize((256, 256), Image.Resampling.LANCZOS).save(ICONS / "keyacct.png", optimize=True)
    big.save(ICONS / "keyacct.ico", sizes=ICO_SIZES)
    print(f"wrote {ICONS / 'keyacct.png'} and {ICONS / 'keyacct.ico'}")


if __name__ == "__main__":
    main()
