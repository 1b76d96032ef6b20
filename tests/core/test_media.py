"""Atomic writes and content-addressed paths under the media root."""

from __future__ import annotations

import os

import pytest

from campaign.core import media

DIGEST = media.sha256_hex(b"hello")


def test_sha256_hex_is_the_lowercase_hex_digest():
    assert media.sha256_hex(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert DIGEST == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"


def test_content_path_uses_the_first_two_byte_pairs_as_folders():
    assert media.content_path(DIGEST, ".jpg") == f"images/2c/f2/{DIGEST}.jpg"
    assert media.content_path(DIGEST.upper(), "-480.jpg", folder="kits") == f"kits/2c/f2/{DIGEST}-480.jpg"


@pytest.mark.parametrize(("digest", "suffix"), [("not-hex", ".jpg"), ("ab", ".jpg"), (DIGEST, "/../x.jpg")])
def test_content_path_refuses_what_is_not_a_digest(digest, suffix):
    with pytest.raises(ValueError):
        media.content_path(digest, suffix)


def test_write_atomic_creates_folders_and_leaves_only_the_file(tmp_path):
    path = media.write_atomic(tmp_path, "images/2c/f2/a.jpg", b"first")

    assert path == tmp_path / "images" / "2c" / "f2" / "a.jpg"
    assert path.read_bytes() == b"first"
    assert os.listdir(path.parent) == ["a.jpg"]
    assert path.stat().st_mode & 0o777 == 0o644


def test_write_atomic_replaces_an_existing_file(tmp_path):
    media.write_atomic(tmp_path, "a/b.txt", b"old")
    path = media.write_atomic(tmp_path, "a/b.txt", b"new")

    assert path.read_bytes() == b"new"
    assert os.listdir(path.parent) == ["b.txt"]


def test_a_failed_write_keeps_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    path = media.write_atomic(tmp_path, "a/b.txt", b"old")

    def crash(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(media.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        media.write_atomic(tmp_path, "a/b.txt", b"new")

    assert path.read_bytes() == b"old"
    assert os.listdir(path.parent) == ["b.txt"]


@pytest.mark.parametrize(
    "relative_path",
    ["../x", "a/../../x", "a/../x", "/etc/passwd", "", ".", "a\\..\\x", "C:/x", "a/\x00/x"],
)
def test_paths_that_could_leave_the_root_are_refused(tmp_path, relative_path):
    root = tmp_path / "media"
    with pytest.raises(ValueError):
        media.write_atomic(root, relative_path, b"x")
    with pytest.raises(ValueError):
        media.resolve(root, relative_path)
    assert not any(tmp_path.rglob("*x*"))


def test_resolve_returns_the_path_under_root(tmp_path):
    assert media.resolve(tmp_path, "images/ab/cd/e.jpg") == tmp_path / "images" / "ab" / "cd" / "e.jpg"
    assert media.resolve(str(tmp_path), "./a//b.jpg") == tmp_path / "a" / "b.jpg"
