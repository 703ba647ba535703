"""Make the demo mini-documentary: site/demo_media/documentaire-karin.webm and its captions.

Run once by hand when the demo film should change (it needs ffmpeg; the demo loader does not):

    .venv/bin/python site/demo_media/make_documentary.py

The film is a calm slideshow of the demo drawings with soft cross-fades and a silent sound
track, small enough to keep in the repository. The captions in documentaire-karin.vtt are
written from CUES below, the same sentences as the transcript in demo_content.DOCUMENTARY.
"""

import os
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import django

HERE = Path(__file__).resolve().parent
WIDTH, HEIGHT, FPS = 640, 360, 12
FADE_SECONDS = 0.6
VIDEO = HERE / "documentaire-karin.webm"
CAPTIONS = HERE / "documentaire-karin.vtt"

# (seconds on screen, what is shown): a title card, five drawings, a closing card.
SLIDES = [
    (4.5, ("card", "Karin vertelt", "Een korte film over geldzorgen")),
    (4.5, ("drawing", "evening", 2)),
    (4.5, ("drawing", "phone", 6)),
    (4.5, ("drawing", "bubbles", 4)),
    (4.5, ("drawing", "plant", 5)),
    (4.5, ("card", "Wacht niet te lang", "Bel de gemeente. Het is gratis.")),
]

# (start, end, text): the spoken sentences, as captions.
CUES = [
    ("00:00:00.500", "00:00:04.000", "Ik ben Karin.\nTwee jaar geleden had ik schulden."),
    ("00:00:04.500", "00:00:08.500", "Ik maakte mijn post niet meer open.\nIk schaamde me."),
    ("00:00:09.000", "00:00:13.000", "Mijn buurvrouw zei: bel de gemeente.\nDat heb ik gedaan."),
    ("00:00:13.500", "00:00:17.500", "Ze luisterden naar mij.\nNiemand gaf mij de schuld."),
    ("00:00:18.000", "00:00:22.000", "Nu is er een plan.\nIk slaap weer goed."),
    ("00:00:22.500", "00:00:26.500", "Wacht niet zo lang als ik.\nBel gewoon."),
]


def slide_image(spec):
    from PIL import Image, ImageDraw, ImageFont

    from doorvertellen.management.commands.load_demo_content import CREAM, SAND, TEAL, draw

    frame = Image.new("RGB", (WIDTH, HEIGHT), SAND)
    if spec[0] == "drawing":
        _kind, scene, seed = spec
        drawing = Image.open(BytesIO(draw(scene, seed))).convert("RGB")
        drawing = drawing.resize((HEIGHT * 4 // 3, HEIGHT), Image.Resampling.LANCZOS)
        frame.paste(drawing, ((WIDTH - drawing.width) // 2, 0))
        return frame
    _kind, title, subtitle = spec
    frame = Image.new("RGB", (WIDTH, HEIGHT), CREAM)
    pen = ImageDraw.Draw(frame)
    pen.rounded_rectangle([40, 60, WIDTH - 40, HEIGHT - 60], radius=28, fill=SAND)
    big, small = ImageFont.load_default(size=44), ImageFont.load_default(size=24)
    pen.text((WIDTH / 2, HEIGHT / 2 - 22), title, font=big, fill=TEAL, anchor="mm")
    pen.text((WIDTH / 2, HEIGHT / 2 + 34), subtitle, font=small, fill=(31, 41, 51), anchor="mm")
    return frame


def frames():
    from PIL import Image

    images = [slide_image(spec) for _seconds, spec in SLIDES]
    fade = int(FADE_SECONDS * FPS)
    for index, (seconds, _spec) in enumerate(SLIDES):
        count = int(seconds * FPS)
        following = images[index + 1] if index + 1 < len(images) else None
        for number in range(count):
            left = count - number
            if following is not None and left <= fade:
                yield Image.blend(images[index], following, (fade - left + 1) / (fade + 1))
            else:
                yield images[index]


def write_captions():
    blocks = ["WEBVTT", "NOTE Ondertiteling bij de demo-film over Karin (verzonnen)."]
    blocks += [f"{start} --> {end}\n{text}" for start, end, text in CUES]
    CAPTIONS.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")


def write_video():
    seconds = sum(seconds for seconds, _spec in SLIDES)
    command = [
        *("ffmpeg", "-y", "-loglevel", "error"),
        *("-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{WIDTH}x{HEIGHT}", "-r", str(FPS)),
        *("-i", "pipe:0"),
        *("-f", "lavfi", "-i", "anullsrc=channel_layout=mono:sample_rate=48000"),
        *("-t", str(seconds), "-map", "0:v", "-map", "1:a"),
        *("-c:v", "libvpx-vp9", "-crf", "42", "-b:v", "0", "-row-mt", "1", "-g", str(FPS * 5)),
        *("-pix_fmt", "yuv420p", "-c:a", "libopus", "-b:a", "12k"),
        *("-metadata", "title=Karin vertelt (demo)", str(VIDEO)),
    ]
    process = subprocess.Popen(command, stdin=subprocess.PIPE)  # noqa: S603
    for frame in frames():
        process.stdin.write(frame.tobytes())
    process.stdin.close()
    if process.wait() != 0:
        sys.exit("ffmpeg failed")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doorvertellen.settings.dev")
    django.setup()
    write_captions()
    write_video()
    print(f"{VIDEO.name}: {VIDEO.stat().st_size // 1024} KB, {CAPTIONS.name} written")
