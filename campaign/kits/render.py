"""Turn a FileSpec into bytes with the right renderer. ``render`` is pure: it reads only the
files the card points at. ``render_and_store`` also writes the result to the kit's cache folder,
so that a render worker process hands back a size, not megabytes of PDF. Used in the web process,
in CLI runs and in render worker processes."""

from __future__ import annotations

from campaign.core import media
from campaign.kits import render_print, render_social
from campaign.kits.cards import FileSpec, PosterSize, SocialSize


def caption_text(spec: FileSpec) -> bytes:
    post, alt = render_social.hero_caption(spec.card)
    text = f"Tekst bij het bericht:\n{post}\n\nAlternatieve tekst voor de afbeelding:\n{alt}\n"
    return text.encode("utf-8")


def render(spec: FileSpec) -> bytes:
    """The bytes of one kit file."""
    if spec.media_root:
        render_print.use_media_root(spec.media_root)  # the print renderer reads only from its roots
    if spec.kind == "poster":
        return render_print.render_hero_poster(spec.card, size=PosterSize(spec.variant))
    if spec.kind == "participation":
        return render_print.render_participation_poster(spec.card, size=PosterSize(spec.variant))
    if spec.kind == "social":
        return render_social.render_hero_image(spec.card, size=SocialSize(spec.variant))
    if spec.kind == "caption":
        return caption_text(spec)
    if spec.kind == "banner":
        return render_social.render_banner(spec.card)
    if spec.kind == "frame":
        return render_social.render_profile_frame(spec.card)
    raise ValueError(f"unknown kit file kind {spec.kind!r}")


def store(spec: FileSpec, data: bytes) -> int:
    """Write ``data`` as the file of ``spec`` under its media root; returns its size. Not fsynced:
    the kit folder is a cache, and a file lost in a crash is rendered again."""
    media.write_atomic(spec.media_root, spec.storage_path, data, durable=False)
    return len(data)


def render_and_store(spec: FileSpec) -> tuple[FileSpec, int]:
    return spec, store(spec, render(spec))
