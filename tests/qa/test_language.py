"""Language identification: real languages on sentences, "und" on texts too short or too mixed to tell."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qa.language import UND, clean, detect, detect_scored, segment_languages, thread_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("@123 We're sorry to hear your parcel is late. Could you tell us when you placed the order?", "en"),
        ("@123 Lamentamos mucho la situación, ¿nos podrías compartir más detalles de tu caso?", "es"),
        ("@123 Sentimos muito pelo atraso, você poderia nos informar o número do pedido?", "pt"),
        ("@123 Nous sommes désolés pour ce retard, pouvez-vous nous donner votre numéro de commande ?", "fr"),
        ("@123 Es tut uns leid, dass Ihre Bestellung noch nicht angekommen ist. Wann haben Sie bestellt?", "de"),
        ("@123 ご不便をおかけして申し訳ございません。注文番号を教えていただけますか。", "ja"),
        ("@123 我的账号无法登录，我更换了手机号码，怎么办？", "zh"),
        ("@123 주문한 상품이 아직 도착하지 않았어요. 확인 부탁드립니다.", "ko"),
    ],
)
def test_detects_sentences(text: str, lang: str) -> None:
    assert detect(text) == lang


@pytest.mark.parametrize(
    "text",
    ["", "Yes", "No worries!", "@123 Thanks!", "@123 https://t.co/abc123", "😂😂🙌", "@123 ^HSB", "DM sent"],
)
def test_short_texts_are_undetermined(text: str) -> None:
    assert detect(text) == UND


def test_clean_strips_handles_links_masks_emoji_and_signature() -> None:
    raw = "@115712 @Brand Please email us at __email__ 🙂 more info: https://t.co/xyz #Help ^HSB"
    assert clean(raw) == "Please email us at more info:"


@pytest.mark.parametrize("signature", ["^HSB", "-JD", "*AFM", "/CH", "~Derrick", "- Kirsten", ".-SV", "^Kit 2/2"])
def test_clean_strips_agent_signatures(signature: str) -> None:
    assert clean(f"@1 Thanks for waiting, we fixed it. {signature}") == "Thanks for waiting, we fixed it."


def test_signature_does_not_decide_the_language() -> None:
    # Spanish text with an English-looking signature and handle is still Spanish.
    assert detect("@Support Hola Marta, ya revisamos tu solicitud y quedó resuelta. -Becky") == "es"


def test_confidence_is_reported_and_und_has_none() -> None:
    lang, conf = detect_scored("We have refunded the full amount to your original payment method today.")
    assert lang == "en" and 0.8 <= conf <= 1.0
    assert detect_scored("ok") == (UND, 0.0)


def test_thread_language_uses_latest_post_that_can_be_told() -> None:
    posts = [
        "Hola, necesito ayuda urgente con la actualización de mi teléfono, la batería no dura nada",
        "I need the software update urgently, the battery lasts half a day",
        "iPhone 7",  # too short: skipped
    ]
    assert thread_language(posts) == "en"
    assert thread_language(["ok", "yes"]) == UND
    assert thread_language([]) == UND


def test_segment_languages_sees_a_translation_added_to_a_reply() -> None:
    text = (
        "We only answer in English on this account, sorry about that.\n"
        "Solo respondemos en inglés en esta cuenta, disculpa las molestias."
    )
    assert {"en", "es"} <= segment_languages(text)


@pytest.mark.parametrize("text", ["@x Qué banco tan malo :c", "Cuentas para nada @Banco."])
def test_a_few_words_are_not_guessed_with_false_confidence(text: str) -> None:
    # The fast detector is sure of itself on four words; below 40 characters we ask the calibrated model.
    assert detect(text) in ("es", UND)


def test_model_cache_holds_the_same_model_and_survives_a_broken_file(tmp_path, monkeypatch) -> None:
    """The cached restricted model answers exactly as the packaged one; a broken cache file is replaced."""
    from py3langid.langid import LanguageIdentifier

    from qa.language import LANGUAGES
    from qa.language_model import load_identifier

    monkeypatch.setenv("CAREBENCH_CACHE", str(tmp_path))
    packaged = load_identifier(LANGUAGES)  # unpacks py3langid's model and writes the cache
    (cached_file,) = tmp_path.glob("langid-*[0-9a-f].npz")
    real_loader = LanguageIdentifier.from_model_file
    monkeypatch.setattr(LanguageIdentifier, "from_model_file", classmethod(
        lambda cls, *a, **k: pytest.fail("unpacked the packaged model although the cache was there")))
    cached = load_identifier(LANGUAGES)
    texts = ["Lamentamos mucho la situación, ¿nos compartes tu número de pedido?", "ok ok ok", "Merci beaucoup",
             "Wir melden uns morgen bei Ihnen", "Thanks, the parcel came today", "Obrigado pela paciência", ""]
    assert [cached.classify(t) for t in texts] == [packaged.classify(t) for t in texts]
    assert cached.nb_classes == packaged.nb_classes and (cached.nb_ptc == packaged.nb_ptc).all()

    monkeypatch.setattr(LanguageIdentifier, "from_model_file", real_loader)
    for broken in (cached_file, cached_file.with_suffix(".dfa.npy")):
        broken.write_bytes(broken.read_bytes()[:1000])  # cut short, as by a full disk
        again = load_identifier(LANGUAGES)
        assert [again.classify(t) for t in texts] == [packaged.classify(t) for t in texts]
        assert broken.stat().st_size > 1_000_000  # written whole again


def test_model_loads_when_the_cache_folder_cannot_be_written(tmp_path, monkeypatch) -> None:
    from qa.language import LANGUAGES
    from qa.language_model import load_identifier

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CAREBENCH_CACHE", str(blocker / "cache"))
    assert load_identifier(LANGUAGES).classify("Thank you for waiting, the courier comes tomorrow")[0] == "en"


@pytest.mark.parametrize("pipe", ["npz", "dfa"])
def test_model_loads_when_a_cache_file_is_a_named_pipe(tmp_path, pipe) -> None:
    """A named pipe in the cache file's place blocked the read for ever: it is passed over (hostile15)."""
    import subprocess
    import sys

    from py3langid.langid import MODEL_DIR, MODEL_FILE

    from qa.language import LANGUAGES
    from qa.language_model import _cache_file

    npz = _cache_file(Path(MODEL_DIR) / MODEL_FILE, LANGUAGES)
    folder = tmp_path / "cache"
    folder.mkdir()
    if pipe == "npz":
        os.mkfifo(folder / npz.name)
    else:  # a whole weights' file beside a pipe for the byte DFA
        env = {**os.environ, "CAREBENCH_CACHE": str(tmp_path / "whole")}
        subprocess.run([sys.executable, "-c", LOAD], env=env, check=True, timeout=120, capture_output=True)
        (folder / npz.name).write_bytes((tmp_path / "whole" / npz.name).read_bytes())
        os.mkfifo(folder / npz.with_suffix(".dfa.npy").name)
    proc = subprocess.run([sys.executable, "-c", LOAD], env={**os.environ, "CAREBENCH_CACHE": str(folder)},
                          capture_output=True, text=True, timeout=120)  # on main: no end
    assert proc.returncode == 0 and proc.stdout.strip() == "en", proc.stderr[-800:]


LOAD = ("from qa.language import LANGUAGES; from qa.language_model import load_identifier; "
        "print(load_identifier(LANGUAGES).classify('Thank you for waiting, the courier comes tomorrow')[0])")


@pytest.mark.parametrize(
    "text",
    [
        "Perdona la demora, estamos revisando la incidencia.",
        "Cálmese, por favor, estamos revisando la incidencia.",
        "Ya estamos revisando la incidencia de la app.",
    ],
)
def test_cld2s_sure_english_on_short_spanish_is_overruled_by_its_function_words(text: str) -> None:
    """CLD2 answers English at 96-98% on these Spanish sentences; a false language_mismatch would follow."""
    assert detect(text) == "es"


@pytest.mark.parametrize(
    "text",
    [
        "Thanks! We've passed this to the team at Casa de la Playa.",
        "Sorry about that! Our team at La Tienda de la Esquina will help you today.",
    ],
)
def test_english_naming_a_spanish_place_stays_english(text: str) -> None:
    assert detect(text) == "en"


def test_spanish_reply_to_a_spanish_customer_is_no_mismatch(build) -> None:
    from qa.pipeline import score_messages
    from qa.api import load_policy

    r = score_messages(build([
        dict(role="customer", text="@Acme Llevo tres días sin servicio de internet en casa, ¿qué está pasando?"),
        dict(message_id="r", role="brand", text="@pat Perdona la demora, estamos revisando la incidencia."),
    ]), load_policy())
    s = r.scores.set_index("reply_id")
    assert s.loc["r", "language_mismatch"] == False  # noqa: E712  (a numpy or pandas bool)
