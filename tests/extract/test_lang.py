"""Language (cleaner/passes/lang.py): short text is unsure, mixed text gets the language of most of it."""
import pytest

from cleaner.passes import lang

VI = ("Hội nghị sơ kết giữa nhiệm kỳ, triển khai Nghị quyết Đại hội Đảng bộ quân sự tỉnh. "
      "Các đại biểu đã thảo luận, phân tích, đánh giá làm rõ nguyên nhân, hạn chế khuyết điểm.")
EN = ("The conference was held in Hanoi on Monday with many delegates from the provinces attending. "
      "Delegates discussed the results achieved and the shortcomings in the first half of the term.")


def test_nothing_to_judge_is_und():
    assert lang.detect("", 600) == ("und", 0.0)
    assert lang.detect("12/05 - 08:00 | 87", 600) == ("und", 0.0)


def test_short_text_is_less_sure_than_long_text():
    short_lang, short_p = lang.detect("Hội nghị sơ kết giữa nhiệm kỳ", 600)
    long_lang, long_p = lang.detect(VI + "\n" + VI, 600)
    assert short_lang == long_lang == "vi"
    assert short_p < 0.5 < long_p


def test_mixed_text_gets_the_language_of_most_lines_and_a_lower_probability():
    code, p = lang.detect("\n".join([VI, EN, EN.replace("Monday", "Tuesday")]), 600)
    assert code == "en" and p < 0.9
    code, p = lang.detect("\n".join([VI, VI.replace("tỉnh", "huyện"), EN]), 600)
    assert code == "vi" and p < 0.9


def test_same_text_same_answer():
    assert lang.detect(VI, 600) == lang.detect(VI, 600)



def test_clear_vietnamese_is_decided_by_its_letters_and_agrees_with_langdetect(examples):
    from cleaner.passes import lang as lang_pass

    for path in sorted(examples.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        parts = [lang_pass.words_only(p) for p in lang_pass.blocks(text, 500)]
        got, ref = lang_pass.detect(text, 500), lang_pass.detect_langdetect(text, 500)
        assert got[0] == ref[0]
        if lang_pass._clear_vietnamese(parts, sum(c.isalpha() for c in "\n".join(parts))) is not None:
            assert got[0] == "vi" and abs(got[1] - ref[1]) < 0.01


def test_other_languages_and_unaccented_vietnamese_go_to_langdetect():
    from cleaner.passes import lang as lang_pass

    for text in ["Le conseil municipal a approuvé le nouveau budget après un long débat mardi soir, déjà.",
                 "Hoi nghi so ket giua nhiem ky cua Ban chap hanh Dang bo tinh da dien ra sang nay tai tru so.",
                 "The city council approved the new budget after a long debate on Tuesday evening."]:
        assert lang_pass.vi_density(text) == 0.0
        assert lang_pass.detect(text, 500) == lang_pass.detect_langdetect(text, 500)
