"""Boilerplate removal on real lines: the rule pack and the structural steps (without the line model).

Fixtures (tests/fixtures/boilerplate/) are copied from the labelled samples:
- `<family>.json`: lines that must go (under a rule of that family) or stay, each set in a
  small page built from real body paragraphs (`context.json`), at the place it is found;
- `docs/*.txt` + `docs/*.tsv`: whole raw documents with their line labels.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner.config import Config
from cleaner.document import from_text
from cleaner.passes import boilerplate
from cleaner.pipeline import build

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "boilerplate"
CONTEXT = json.loads((FIXTURES / "context.json").read_text(encoding="utf-8"))
FAMILIES = sorted(p.stem for p in FIXTURES.glob("*.json") if p.stem != "context")
KEEP_LABELS = {"keep", "blank"}
# Known misses, kept as strict expected failures: (document, raw line number).
KNOWN_FAILURES = {
    ("d016", 4): "a lone unpunctuated caption between paragraphs reads like a sub-heading",
}


@pytest.fixture(scope="module")
def cleaner():
    return build(Config(model="none"))  # the structural steps alone; the line model is tested in test_model.py


def page(context: str, line: str) -> tuple[list[str], int]:
    """A raw page with `line` where such lines are found; returns its lines and `line`'s index."""
    t, lede, (p1, p2, p3) = CONTEXT["title"], CONTEXT["lede"], CONTEXT["paragraphs"]
    pages = {
        "start": [line, lede, p1, p2],
        "before_title": [line, t, lede, p1, p2],
        "head": [t, line, lede, p1, p2],
        "middle": [t, lede, p1, line, p2, p3],
        "end": [t, lede, p1, p2, line],
        "after_image": [t, lede, p1, CONTEXT["image"], line, p2, p3],
        "doubled": [t, lede, p1, line, line, p2, p3],
        "before_credit": [t, lede, p1, line, CONTEXT["credit"], p2, p3],
    }
    lines = pages[context]
    return lines, lines.index(line)


def fate(cleaner, lines: list[str]) -> dict[int, str]:
    """Raw line number -> rule id, for a page whose lines are separated by blank lines."""
    doc = cleaner.clean(from_text("t", "t.txt", "\n\n".join(lines)))
    return {r.line: r.rule for r in doc.removed}


def cases():
    for family in FAMILIES:
        data = json.loads((FIXTURES / f"{family}.json").read_text(encoding="utf-8"))
        for case in data["cases"]:
            yield pytest.param(family, case, id=f"{family}-{case['expect']}-{case['text'][:30]}")


@pytest.mark.parametrize("family,case", list(cases()))
def test_family_lines(cleaner, family, case):
    lines, index = page(case["context"], case["text"])
    rule = fate(cleaner, lines).get(2 * index + 1)
    if case["expect"] == "keep":
        assert rule is None, f"kept line removed by {rule}"
    else:
        assert rule is not None, "line was kept"
        assert rule.split(".", 1)[0] == family, f"removed under {rule}, not a {family}.* rule"


def labelled_docs():
    return sorted(p.stem for p in (FIXTURES / "docs").glob("*.tsv"))


def read_doc(name: str) -> tuple[str, list[tuple[str, str]]]:
    raw = (FIXTURES / "docs" / f"{name}.txt").read_text(encoding="utf-8")
    rows = [r.split("\t", 1) for r in (FIXTURES / "docs" / f"{name}.tsv").read_text(encoding="utf-8").split("\n") if r]
    return raw, [(label, text) for label, text in rows]


@pytest.mark.parametrize("name", labelled_docs())
def test_whole_documents(cleaner, name):
    raw, rows = read_doc(name)
    gone = {r.line for r in cleaner.clean(from_text(name, f"{name}.txt", raw)).removed}
    wrong = [f"{n}: [{label}] {'removed' if n in gone else 'kept'}: {text[:70]}"
             for n, (label, text) in enumerate(rows, 1)
             if label != "blank" and (name, n) not in KNOWN_FAILURES and (label not in KEEP_LABELS) != (n in gone)]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name,no", sorted(KNOWN_FAILURES))
@pytest.mark.xfail(strict=True, reason="known miss; see KNOWN_FAILURES")
def test_known_failures(cleaner, name, no):
    raw, rows = read_doc(name)
    gone = {r.line for r in cleaner.clean(from_text(name, f"{name}.txt", raw)).removed}
    assert (rows[no - 1][0] not in KEEP_LABELS) == (no in gone)


def test_split_headline_keeps_the_kicker_out_of_the_title(cleaner):
    raw, _ = read_doc("d014")
    doc = cleaner.clean(from_text("d014", "d014.txt", raw))
    rules = {r.line: r.rule for r in doc.removed}
    assert doc.meta["title"] == "Khát vọng về hai thành phố tương lai"
    assert (rules[5], rules[6]) == ("title.kicker", "title.headline")
    assert rules[3] == "nav.before_title"


def test_byline_after_body_takes_the_teasers_and_comments_after_it(cleaner):
    raw, _ = read_doc("d029")
    rules = {r.line: r.rule for r in cleaner.clean(from_text("d029", "d029.txt", raw)).removed}
    assert rules[36] == "byline.bare_name"
    assert {rules[n] for n in (38, 40, 42, 44)} == {boilerplate.AFTER_BYLINE}


@pytest.mark.parametrize("name", labelled_docs())
def test_every_raw_line_kept_or_removed_once_and_pass_is_stable(cleaner, name):
    raw, rows = read_doc(name)
    doc = cleaner.clean(from_text(name, f"{name}.txt", raw))
    numbers = [line.no for line in doc.lines] + [r.line for r in doc.removed]
    assert sorted(numbers) == [n for n, (_, text) in enumerate(rows, 1) if text.strip()]
    assert boilerplate.apply(doc) == doc


@pytest.mark.parametrize("text,expected", [
    ("Quỳnh Anh", True), ("NGỌC VÂN", True), ("Vũ Nguyệt – Nhật Quang", True),
    ("Nguyễn Thị Tuyết Trinh", True), ("Hoàng Đức lại đá tiền đạo", False),
    ("CẢNH GIÁC CÁC NGUY CƠ Ô NHIỄM", False), ("Trả lời", False), ("Windows 11", False),
])
def test_is_name(text, expected):
    assert boilerplate.is_name(text) is expected


def test_near_repeat_needs_similar_lengths():
    caption = "Chủ tịch tỉnh Gia Lai Võ Ngọc Thành (đứng), là người đề ra những quyết sách bảo vệ rừng."
    assert boilerplate.near_repeat(caption, caption + " Ảnh: ĐÌNH VĂN")
    assert not boilerplate.near_repeat("Menu chia sẻ được cải tiến",
                                       "Google đã mang đến một số cải tiến cần thiết cho menu chia sẻ của Android.")


@pytest.mark.parametrize("text,expected", [
    ("Các đại biểu tham dự hội nghị.", True),
    ("Đầu hiệp hai, Tây Ban Nha vượt lên. Aldofo Fernandez lốp bóng qua đầu thủ thành.", False),
    ("HLV Kim Sang-sik sẽ điều chỉnh?", False),
    ("TĂNG CƯỜNG SỰ PHỐI HỢP GIỮA CÁC ĐẢNG", False),
    ('"Thấy bạn gái khóc, tôi rất thương"', False),
])
def test_caption_shaped(text, expected):
    assert boilerplate.caption_shaped(text, boilerplate.RUN_LINE_MAX_CHARS) is expected


# -- page layouts from the held-out articles (tests/fixtures/heldout) -----------------------------

def _fate_of(cleaner, lines: list[str]) -> dict[str, str | None]:
    """Line text -> rule id (None: kept), for a page whose lines are separated by blank lines."""
    doc = cleaner.clean(from_text("t", "t.txt", "\n\n".join(lines)))
    gone = {r.text: r.rule for r in doc.removed}
    return {line: gone.get(line) for line in lines}


def test_a_name_next_to_the_head_date_is_the_byline_not_the_title(cleaner):
    t, lede, (p1, p2, _) = CONTEXT["title"], CONTEXT["lede"], CONTEXT["paragraphs"]
    for name in ("Hoàng An", "ThS.BS Nguyễn Thị Mai"):
        got = _fate_of(cleaner, [t, name, "Thứ bảy, 12/10/2024 21:05 (GMT+7)", lede, p1, p2])
        assert got[name] == boilerplate.HEAD_BYLINE
        assert got[t] == "title.headline" and got[lede] is None


def test_a_menu_word_before_the_lede_does_not_make_the_lede_a_caption(cleaner):
    # h005: "Cỡ chữ" kept above the lede made the lede look like alt text of the caption below it
    lede = ("NDO - Chiều 10/10, tại Trụ sở Chính phủ, Thủ tướng Phạm Minh Chính tiếp Đại sứ Nhật Bản tại "
            "Việt Nam Yamada Takio đến chào kết thúc nhiệm kỳ công tác.")
    caption = "Thủ tướng Phạm Minh Chính tiếp Đại sứ Nhật Bản Yamada Takio tại Trụ sở Chính phủ chiều 10/10."
    p1, p2, _ = CONTEXT["paragraphs"]
    got = _fate_of(cleaner, [CONTEXT["title"], "Xem nhanh", lede, caption, p1, p2])
    assert got[lede] is None


def test_a_video_title_is_not_a_bare_credit(cleaner):
    # h016: "Video: <a title of ten words>" is the video's caption; the lede above it is body
    lede = CONTEXT["lede"]
    video = "Video: Khách hàng xếp hàng nhận iPhone 16 tại TP.HCM"
    p1, p2, _ = CONTEXT["paragraphs"]
    got = _fate_of(cleaner, [CONTEXT["title"], lede, video, p1, p2])
    assert got[lede] is None and got[video] is not None


def test_a_masthead_in_capitals_is_not_a_dateline():
    from cleaner.passes.title import has_dateline
    assert not has_dateline("UBND XÃ HỢP THANH - HUYỆN MỸ ĐỨC")
    assert has_dateline("MOROCCO - Các nhà khoa học tìm thấy")


def test_an_exclamation_next_to_a_teaser_is_not_a_teaser(cleaner):
    p1, p2, p3 = CONTEXT["paragraphs"]
    got = _fate_of(cleaner, [CONTEXT["title"], CONTEXT["lede"], p1, p2, p3, "Xin cảm ơn anh!",
                             "Ngọc Diệp (thực hiện)", "Tin liên quan", "Phim Việt tháng 10: Nhiều tác phẩm đáng chờ đợi"])
    assert got["Xin cảm ơn anh!"] is None
    assert got["Ngọc Diệp (thực hiện)"].startswith("byline.")


def test_an_inline_read_more_link_goes_and_the_body_after_it_stays(cleaner):
    p1, p2, p3 = CONTEXT["paragraphs"]
    link = "Đọc thêm: Người dân xếp hàng từ sáng sớm chờ mua vàng nhẫn"
    got = _fate_of(cleaner, [CONTEXT["title"], CONTEXT["lede"], p1, link, p2, p3])
    assert got[link] == "related.inline_link"
    assert got[p2] is None and got[p3] is None


# -- from the second held-out set (tests/fixtures/heldout2) ----------------------------------------


def test_an_inline_related_box_ends_where_the_body_goes_on(cleaner):
    # g001: "Đọc thêm" and two bare teaser headlines set inside the body; the paragraphs after stay
    p1, p2, p3 = CONTEXT["paragraphs"]
    box = ["Đọc thêm", "Mỹ Tâm tung MV mới sau 3 năm, khán giả đòi 'phát hành album ngay'",
           "Liveshow Quang Dũng ở Hà Nội cháy vé sau 2 giờ mở bán"]
    got = _fate_of(cleaner, [CONTEXT["title"], CONTEXT["lede"], p1, *box, p2, p3])
    assert [got[b] for b in box] == ["related.heading", "related.teaser", "related.teaser"]
    assert got[p2] is None and got[p3] is None


def test_a_teaser_list_with_summaries_still_runs_to_the_end(cleaner):
    p1, p2, p3 = CONTEXT["paragraphs"]
    teasers = ["Tin liên quan", "Tour ngắm Đà Nẵng từ trực thăng trở lại",
               "Du khách sẽ ngắm thành phố, danh thắng Ngũ Hành Sơn, biển Mỹ Khê, bán đảo Sơn Trà, sông Hàn và "
               "nhiều điểm đến khác từ trên cao.",
               "Du khách hào hứng với tour trực thăng đầu tiên ở TP HCM"]
    got = _fate_of(cleaner, [CONTEXT["title"], CONTEXT["lede"], p1, p2, p3, *teasers])
    assert all(got[t] is not None for t in teasers)


def test_a_comment_counter_in_the_page_head_does_not_take_the_article(cleaner):
    # g020: "0 bình luận" under the date of a WordPress page
    p1, p2, p3 = CONTEXT["paragraphs"]
    got = _fate_of(cleaner, [CONTEXT["title"], "14/11/2024", "0 bình luận", CONTEXT["lede"], p1, p2, p3])
    assert got["0 bình luận"] is not None
    assert got[CONTEXT["lede"]] is None and got[p1] is None and got[p3] is None


def test_a_name_under_the_sapo_next_to_the_date_is_the_head_byline(cleaner):
    # g008: sapo, then "Trần Trung", then the date: the article is still to come
    p1, p2, p3 = CONTEXT["paragraphs"]
    got = _fate_of(cleaner, [CONTEXT["title"], CONTEXT["lede"], "Trần Trung", "Thứ Ba 14/05/2024 , 08:00 (GMT+7)",
                             p1, p2, p3])
    assert got["Trần Trung"] == boilerplate.HEAD_BYLINE
    assert got[p1] is None and got[p2] is None and got[p3] is None


def test_a_paragraph_before_a_gallery_credit_is_not_its_caption(cleaner):
    # g016: a credit line "(Ảnh: X)" that heads the captions below it, after a two-sentence paragraph
    p1, p2, _ = CONTEXT["paragraphs"]
    para = ("Cùng thời điểm, Festival Hoa Đà Lạt lần thứ X sẽ diễn ra từ ngày 6 đến 12/12 với chủ đề "
            "\"Đà Lạt - Kỳ diệu sắc hoa\". Dự kiến thành phố đón khoảng 1,2 triệu lượt khách trong tháng 12.")
    got = _fate_of(cleaner, [CONTEXT["title"], CONTEXT["lede"], p1, para, "(Ảnh: Võ Trang)", p2])
    assert got[para] is None and got["(Ảnh: Võ Trang)"] is not None


@pytest.mark.parametrize("text, expected", [
    ("Ông Lê Quốc Phong, Giám đốc Sở NN&PTNT Đồng Tháp cho biết, năm 2025 tỉnh sẽ mở rộng mô hình.", False),
    ("Cán bộ khuyến nông kiểm tra ruộng lúa áp dụng tưới ngập khô xen kẽ.", True),
])
def test_reported_speech_is_not_caption_shaped(text, expected):
    assert boilerplate.caption_shaped(text, boilerplate.RUN_LINE_MAX_CHARS) is expected


def test_an_image_marker_makes_the_next_line_its_caption(cleaner):
    # g022: "[Ảnh]" left where the picture was
    p1, p2, p3 = CONTEXT["paragraphs"]
    caption = "Đội BK-Fire nhận cúp vô địch Robocon Việt Nam 2024."
    got = _fate_of(cleaner, [CONTEXT["title"], CONTEXT["lede"], p1, "[Ảnh]", caption, p2, p3])
    assert got["[Ảnh]"] == "other.image_marker" and got[caption] == boilerplate.AFTER_IMAGE


def test_a_titled_name_followed_by_a_source_is_the_byline(cleaner):
    p1, p2, p3 = CONTEXT["paragraphs"]
    got = _fate_of(cleaner, [CONTEXT["title"], CONTEXT["lede"], p1, p2, p3, "BS. Nguyễn Thu Hà",
                             "(Theo Sức khỏe & Đời sống)"])
    assert got["BS. Nguyễn Thu Hà"] == boilerplate.BYLINE
    assert got["(Theo Sức khỏe & Đời sống)"] is not None


@pytest.mark.parametrize("text, expected", [
    ("Người dân xã Ia Tiêm phơi tiêu trên sân nhà", True),
    ("Đường chạy đi qua cầu Thị Nại.", True),
    ("Từ đó, những đứa trẻ cứ lần lượt về với bà.", False),  # a connective goes on from the sentence before
    ("Nhiều homestay đã kín phòng đến hết tháng.", False),  # a tense word: a reported fact
    ("Các sản phẩm trưng bày chủ yếu là hàng OCOP, nông sản và hàng tiêu dùng.", False),  # a definition
    ("Bắc Ninh: 4,3 tỷ USD", False),
    ("ABBank | 5,6 | 5,9 | 5,9", False),
    ("b) Bằng 40% đối với người tham gia thuộc hộ cận nghèo;", False),
    ("Kết quả ra quân", False),  # a sub-heading: too short for a subject, an action and a place
])
def test_scene_shaped(text, expected):
    assert boilerplate.scene_shaped(text) is expected


def test_two_scene_captions_between_paragraphs_go_and_one_sentence_paragraphs_stay(cleaner):
    # heldout4 k005, k008: uncredited captions two in a row; a one-sentence paragraph styled unlike them stays.
    # Paragraphs too short for `caption_runs` (250 characters): only `scene_runs` reads these.
    p1 = ("Gia đình ông Rơ Châm Thul, làng Tel, xã Ia Tiêm có 1.500 trụ tiêu. Năm nay vườn tiêu cho thu hoạch "
          "hơn 6 tấn hạt khô, gia đình lãi khoảng 600 triệu đồng.")
    p2 = "Nhiều hộ dân cho biết sẽ giữ lại một phần sản lượng chờ giá tăng thêm trong những tháng cuối năm nay."
    p3 = "Theo Phòng Nông nghiệp huyện, toàn huyện hiện có 5.700 ha hồ tiêu, năng suất bình quân ước đạt 3,8 tấn/ha."
    c1, c2 = "Người dân xã Ia Tiêm phơi tiêu trên sân nhà", "Thương lái đến tận vườn thu mua tiêu"
    got = _fate_of(cleaner, [CONTEXT["title"], CONTEXT["lede"], p1, c1, c2, p2, p3])
    assert got[c1] == got[c2] == boilerplate.SCENE_RUN and got[p2] is None
    c3, body = "Các cầu thủ Nam Định chia vui cùng người hâm mộ", "Văn Vĩ hoàn tất chiến thắng ở phút 80."
    got = _fate_of(cleaner, [CONTEXT["title"], CONTEXT["lede"], p1, c3, body, p2, p3])
    assert got[body] is None
    single = "Người dân chuyển đồ lên cao"
    got = _fate_of(cleaner, [CONTEXT["title"], CONTEXT["lede"], p1, single, p2, p3])
    assert got[single] is None  # one line alone reads like a sub-heading or a one-sentence paragraph: left alone
